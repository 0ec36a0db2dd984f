import Fluent
import Vapor

struct AgencyDTO: Content {
    let id: UUID
    let code: String
    let parentCode: String?
    let name: String
    let address: String
    let email: String
    let phone: String
    let website: String
    let isActive: Bool

    enum CodingKeys: String, CodingKey {
        case id, code, name, address, email, phone, website
        case parentCode = "parent_code", isActive = "is_active"
    }

    init(_ agency: Agency) {
        self.init(id: agency.id!, code: agency.code, parentCode: agency.parentCode, name: agency.name, address: agency.address,
                  email: agency.email, phone: agency.phone, website: agency.website, isActive: agency.isActive)
    }

    init(id: UUID, code: String, parentCode: String?, name: String, address: String, email: String, phone: String, website: String, isActive: Bool) {
        (self.id, self.code, self.parentCode, self.name, self.address) = (id, code, parentCode, name, address)
        (self.email, self.phone, self.website, self.isActive) = (email, phone, website, isActive)
    }
}

struct UnitDTO: Content {
    let id: UUID
    let agencyID: UUID
    let code: String
    let name: String
    let isActive: Bool

    enum CodingKeys: String, CodingKey {
        case id, code, name
        case agencyID = "agency_id", isActive = "is_active"
    }

    init(_ unit: AgencyUnit) {
        id = unit.id!
        agencyID = unit.$agency.id
        code = unit.code
        name = unit.name
        isActive = unit.isActive
    }
}

/// `/api/v1/agencies` and `/api/v1/units`.
struct AgencyAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let agencies = routes.grouped("agencies")
        agencies.get(use: list)
        agencies.post(use: create)
        agencies.get(":agencyID", use: show)
        agencies.patch(":agencyID", use: update)
        agencies.get(":agencyID", "units", use: listUnits)
        agencies.post(":agencyID", "units", use: createUnit)
        let units = routes.grouped("units")
        units.get(":unitID", use: showUnit)
        units.patch(":unitID", use: updateUnit)
    }

    func list(req: Request) async throws -> [AgencyDTO] {
        _ = try req.actor
        return try await AgencyQueries.search(FormText.clean(req.query[String.self, at: "q"]), on: req.db).map(AgencyDTO.init)
    }

    func create(req: Request) async throws -> Response {
        let input = try req.content.decode(AgencyInput.self)
        let agency = try await CreateAgency(actor: try req.actor, input: try input.validate()).run(in: req.useCase)
        return try await AgencyDTO(agency).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> AgencyDTO {
        _ = try req.actor
        guard let agency = try await Agency.find(try req.uuidParameter("agencyID"), on: req.db) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
        return AgencyDTO(agency)
    }

    /// Partial update: fields left out keep their value.
    func update(req: Request) async throws -> AgencyDTO {
        let actor = try req.actor
        let agencyID = try req.uuidParameter("agencyID")
        guard let agency = try await Agency.find(agencyID, on: req.db) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
        let patch = try req.content.decode(AgencyInput.self)
        if let code = patch.code, code.trimmingCharacters(in: .whitespaces) != agency.code {
            throw EGovError.invalid(["code": "Không thể đổi mã định danh của cơ quan; hãy tạo cơ quan mới."])
        }
        let merged = AgencyInput(code: nil, name: patch.name ?? agency.name, address: patch.address ?? agency.address,
                                 email: patch.email ?? agency.email, phone: patch.phone ?? agency.phone,
                                 website: patch.website ?? agency.website, isActive: patch.isActive ?? agency.isActive)
        return AgencyDTO(try await UpdateAgency(actor: actor, agencyID: agencyID, input: try merged.validate(requireCode: false)).run(in: req.useCase))
    }

    func listUnits(req: Request) async throws -> [UnitDTO] {
        let actor = try req.actor
        let agencyID = try req.uuidParameter("agencyID")
        guard AgencyPermissions.canViewUnits(of: agencyID, actor: actor) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
        return try await AgencyUnit.query(on: req.db).scoped(to: actor).filter(\.$agency.$id == agencyID).sort(\.$code).all().map(UnitDTO.init)
    }

    func createUnit(req: Request) async throws -> Response {
        let input = try req.content.decode(UnitInput.self)
        let unit = try await CreateUnit(actor: try req.actor, agencyID: try req.uuidParameter("agencyID"), input: try input.validate()).run(in: req.useCase)
        return try await UnitDTO(unit).encodeResponse(status: .created, for: req)
    }

    func showUnit(req: Request) async throws -> UnitDTO {
        UnitDTO(try await AgencyUnit.find(try req.uuidParameter("unitID"), scopedTo: try req.actor, on: req.db))
    }

    func updateUnit(req: Request) async throws -> UnitDTO {
        let actor = try req.actor
        let unit = try await AgencyUnit.find(try req.uuidParameter("unitID"), scopedTo: actor, on: req.db)
        let patch = try req.content.decode(UnitInput.self)
        let merged = UnitInput(code: patch.code ?? unit.code, name: patch.name ?? unit.name, isActive: patch.isActive ?? unit.isActive)
        return UnitDTO(try await UpdateUnit(actor: actor, unitID: unit.id!, input: try merged.validate()).run(in: req.useCase))
    }
}
