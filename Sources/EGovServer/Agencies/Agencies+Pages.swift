import EGovCore
import Fluent
import Vapor

/// Admin pages for the agency directory and units.
struct AgencyPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let agencies = routes.grouped("admin", "agencies")
        agencies.get(use: list)
        agencies.get("new", use: newForm)
        agencies.post(use: create)
        agencies.get(":agencyID", use: show)
        agencies.get(":agencyID", "edit", use: editForm)
        agencies.post(":agencyID", use: update)
        agencies.post(":agencyID", "units", use: createUnit)
        let units = routes.grouped("admin", "units")
        units.get(":unitID", "edit", use: editUnitForm)
        units.post(":unitID", use: updateUnit)
    }

    func list(req: Request) async throws -> Response {
        let actor = try req.actor
        let query = FormText.clean(req.query[String.self, at: "q"])
        let agencies = try await AgencyQueries.search(query, on: req.db)
        return try await req.render("agencies", AgencyListPage(
            shell: req.shell("Danh bạ cơ quan"), query: query, agencies: agencies.map(AgencyRow.init),
            canManage: AgencyPermissions.canManageAgencies(actor)))
    }

    func newForm(req: Request) async throws -> Response {
        let actor = try req.actor
        guard AgencyPermissions.canManageAgencies(actor) else { throw EGovError.forbidden() }
        return try await req.render("agency-form", AgencyFormPage(
            shell: req.shell("Thêm cơ quan"), isNew: true, values: .init(), errors: [:], action: "/admin/agencies"))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        var input = try req.form(AgencyInput.self)
        input.isActive = input.isActive ?? false // the form's checkbox is ticked by default; absent means unticked
        do {
            let agency = try await CreateAgency(actor: actor, input: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/agencies/\(agency.id!)", flash: "Đã thêm cơ quan \(agency.name).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code") else { throw error }
            return try await req.render("agency-form", AgencyFormPage(
                shell: req.shell("Thêm cơ quan"), isNew: true, values: .init(input), errors: errors, action: "/admin/agencies"),
                status: error.status)
        }
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor
        guard let agency = try await Agency.find(try req.uuidParameter("agencyID"), on: req.db) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
        return try await detailPage(req, actor: actor, agency: agency, newUnit: .init(), errors: [:])
    }

    private func detailPage(_ req: Request, actor: Actor, agency: Agency, newUnit: UnitFormValues, errors: [String: String],
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let canViewUnits = AgencyPermissions.canViewUnits(of: agency.id!, actor: actor)
        let units = canViewUnits ? try await AgencyQueries.unitRows(of: agency.id!, on: req.db) : []
        let parentName = try await AgencyQueries.parentName(of: agency, on: req.db)
        return try await req.render("agency", AgencyDetailPage(
            shell: req.shell(agency.name), agency: AgencyRow(agency), parentName: parentName, canViewUnits: canViewUnits,
            units: units, canManageUnits: AgencyPermissions.canManageUnits(of: agency.id!, actor: actor),
            canManageAgency: AgencyPermissions.canManageAgencies(actor), newUnit: newUnit, errors: errors), status: status)
    }

    func editForm(req: Request) async throws -> Response {
        let actor = try req.actor
        guard AgencyPermissions.canManageAgencies(actor) else { throw EGovError.forbidden() }
        guard let agency = try await Agency.find(try req.uuidParameter("agencyID"), on: req.db) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
        return try await req.render("agency-form", AgencyFormPage(
            shell: req.shell("Sửa thông tin cơ quan"), isNew: false, values: .init(agency), errors: [:], action: "/admin/agencies/\(agency.id!)"))
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.actor
        let agencyID = try req.uuidParameter("agencyID")
        var input = try req.form(AgencyInput.self)
        input.isActive = input.isActive ?? false // an unticked checkbox is absent
        do {
            let agency = try await UpdateAgency(actor: actor, agencyID: agencyID, input: try input.validate(requireCode: false)).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/agencies/\(agency.id!)", flash: "Đã lưu thông tin cơ quan.")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "name") else { throw error }
            var values = AgencyFormValues(input)
            values.id = agencyID.uuidString
            values.code = try await Agency.find(agencyID, on: req.db)?.code ?? ""
            return try await req.render("agency-form", AgencyFormPage(
                shell: req.shell("Sửa thông tin cơ quan"), isNew: false, values: values, errors: errors,
                action: "/admin/agencies/\(agencyID)"), status: error.status)
        }
    }

    func createUnit(req: Request) async throws -> Response {
        let actor = try req.actor
        let agencyID = try req.uuidParameter("agencyID")
        let input = try req.form(UnitInput.self)
        do {
            let unit = try await CreateUnit(actor: actor, agencyID: agencyID, input: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/agencies/\(agencyID)", flash: "Đã thêm đơn vị \(unit.name).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code"),
                  let agency = try await Agency.find(agencyID, on: req.db) else { throw error }
            return try await detailPage(req, actor: actor, agency: agency, newUnit: .init(input), errors: errors, status: error.status)
        }
    }

    func editUnitForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let unit = try await AgencyUnit.find(try req.uuidParameter("unitID"), scopedTo: actor, on: req.db)
        guard AgencyPermissions.canManageUnits(of: unit.$agency.id, actor: actor) else { throw EGovError.forbidden() }
        let agency = try await unit.$agency.get(on: req.db)
        return try await req.render("unit-form", UnitFormPage(
            shell: req.shell("Sửa đơn vị"), agencyID: agency.id!.uuidString, agencyName: agency.name,
            values: .init(unit), errors: [:], action: "/admin/units/\(unit.id!)"))
    }

    func updateUnit(req: Request) async throws -> Response {
        let actor = try req.actor
        let unitID = try req.uuidParameter("unitID")
        var input = try req.form(UnitInput.self)
        input.isActive = input.isActive ?? false
        do {
            let unit = try await UpdateUnit(actor: actor, unitID: unitID, input: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/agencies/\(unit.$agency.id)", flash: "Đã lưu đơn vị \(unit.name).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code") else { throw error }
            let unit = try await AgencyUnit.find(unitID, scopedTo: actor, on: req.db)
            let agency = try await unit.$agency.get(on: req.db)
            var values = UnitFormValues(input)
            values.id = unitID.uuidString
            return try await req.render("unit-form", UnitFormPage(
                shell: req.shell("Sửa đơn vị"), agencyID: agency.id!.uuidString, agencyName: agency.name,
                values: values, errors: errors, action: "/admin/units/\(unitID)"), status: error.status)
        }
    }
}

enum AgencyQueries {
    /// The name of the agency above `agency` (cơ quan chủ quản), when the directory holds it.
    static func parentName(of agency: Agency, on db: Database) async throws -> String? {
        guard let parentCode = agency.parentCode else { return nil }
        return try await Agency.query(on: db).filter(\.$code == parentCode).first()?.name
    }

    /// Agencies whose name or code matches, with or without Vietnamese diacritics.
    static func search(_ query: String, on db: Database) async throws -> [Agency] {
        let all = try await Agency.query(on: db).sort(\.$code).all()
        guard !query.isEmpty else { return all }
        // The directory is small (thousands of rows): folding in memory works the same on both databases.
        return all.filter { SearchFolding.matches($0.name, query: query) || $0.code.contains(query.uppercased()) }
    }

    static func unitRows(of agencyID: UUID, on db: Database) async throws -> [UnitRow] {
        let units = try await AgencyUnit.query(on: db).filter(\.$agency.$id == agencyID).sort(\.$code).all()
        let users = try await User.query(on: db).filter(\.$agency.$id == agencyID).all()
        let counts = Dictionary(grouping: users, by: { $0.$unit.id }).mapValues(\.count)
        return units.map { UnitRow(id: $0.id!.uuidString, code: $0.code, name: $0.name, isActive: $0.isActive, userCount: counts[$0.id!] ?? 0) }
    }
}

extension AgencyRow {
    init(_ agency: Agency) {
        self.init(id: agency.id!.uuidString, code: agency.code, parentCode: agency.parentCode, name: agency.name,
                  address: agency.address, email: agency.email, phone: agency.phone, website: agency.website, isActive: agency.isActive)
    }
}

extension AgencyFormValues {
    init(_ agency: Agency) {
        self.init(id: agency.id?.uuidString, code: agency.code, name: agency.name, address: agency.address,
                  email: agency.email, phone: agency.phone, website: agency.website, isActive: agency.isActive)
    }
    init(_ input: AgencyInput) {
        self.init(id: nil, code: input.code ?? "", name: input.name ?? "", address: input.address ?? "",
                  email: input.email ?? "", phone: input.phone ?? "", website: input.website ?? "", isActive: input.isActive ?? true)
    }
}

extension UnitFormValues {
    init(_ unit: AgencyUnit) { self.init(id: unit.id?.uuidString, code: unit.code, name: unit.name, isActive: unit.isActive) }
    init(_ input: UnitInput) { self.init(id: nil, code: input.code ?? "", name: input.name ?? "", isActive: input.isActive ?? true) }
}
