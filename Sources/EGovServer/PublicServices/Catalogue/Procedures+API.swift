import EGovCore
import Fluent
import Vapor

struct ProcedurePageDTO: Content {
    let items: [ProcedureSummary]
    let total: Int
    let page: Int
    let pageSize: Int

    enum CodingKeys: String, CodingKey {
        case items, total, page, pageSize = "page_size"
    }
}

/// `/api/v1/procedures`, read side: open to everyone, like the portal's pages.
struct PublicProcedureAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let procedures = routes.grouped("procedures")
        procedures.get(use: list)
        procedures.get(":procedureID", use: show)
    }

    func list(req: Request) async throws -> ProcedurePageDTO {
        var search = try ProcedureSearch.from(req)
        search.inForceOn = LocalDate.inVietnam(req.now)
        let (items, total) = try await search.run(on: req.db)
        return ProcedurePageDTO(items: items, total: total, page: search.page, pageSize: ProcedureSearch.pageSize)
    }

    func show(req: Request) async throws -> ProcedureDetail {
        try await ProcedureDetail.load(try req.uuidParameter("procedureID"), actor: req.auth.get(Actor.self),
                                       today: LocalDate.inVietnam(req.now), on: req.db).2
    }
}

/// `/api/v1/procedures`, write side: an agency admin keeps their agency's catalogue.
struct ProcedureAdminAPI: RouteCollection {
    let maxImportBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let procedures = routes.grouped("procedures")
        procedures.post(use: create)
        procedures.put(":procedureID", use: update)
        procedures.get("export", use: export)
        procedures.on(.POST, "import", body: .collect(maxSize: ByteCount(value: maxImportBytes)), use: importCatalogue)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let record = try req.content.decode(ProcedureInput.self).validate()
        let procedure = try await CreateProcedure(actor: actor, record: record).run(in: req.useCase)
        return try await ProcedureDetail.load(procedure.id!, actor: actor, today: LocalDate.inVietnam(req.now), on: req.db).2
            .encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> ProcedureDetail {
        let actor = try req.actor
        let record = try req.content.decode(ProcedureInput.self).validate()
        let procedure = try await UpdateProcedure(actor: actor, procedureID: try req.uuidParameter("procedureID"), record: record).run(in: req.useCase)
        return try await ProcedureDetail.load(procedure.id!, actor: actor, today: LocalDate.inVietnam(req.now), on: req.db).2
    }

    /// The agency's whole catalogue (every status) as JSON or CSV, ready to import elsewhere.
    func export(req: Request) async throws -> Response {
        let actor = try req.actor
        let owner = try await CatalogueOwner.resolve(actor: actor, requestedCode: req.query[String.self, at: "agency"], on: req.db)
        return try await CatalogueExport.response(owner: owner, format: req.query[String.self, at: "format"], on: req)
    }

    func importCatalogue(req: Request) async throws -> ImportProcedures.Outcome {
        let actor = try req.actor
        let owner = try await CatalogueOwner.resolve(actor: actor, requestedCode: req.query[String.self, at: "agency"], on: req.db)
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw EGovError.badRequest("Cần gửi nội dung tệp JSON hoặc CSV trong thân yêu cầu.", code: "empty_import")
        }
        let rows = try ImportProcedures.rows(from: Data(buffer: body), contentType: req.headers.contentType?.serialize())
        return try await ImportProcedures(actor: actor, owner: owner, rows: rows).run(in: req.useCase)
    }
}

/// The catalogue of one agency as a download.
enum CatalogueExport {
    static func records(owner: CatalogueOwner, on db: Database) async throws -> [ProcedureRecord] {
        try await Procedure.query(on: db).filter(\.$agency.$id == owner.agencyID).sort(\.$code).all()
            .map { $0.record(agencyCode: owner.agencyCode) }
    }

    static func response(owner: CatalogueOwner, format: String?, on req: Request) async throws -> Response {
        let records = try await records(owner: owner, on: req.db)
        let stem = "thu-tuc-hanh-chinh-\(owner.agencyCode)"
        switch format ?? "json" {
        case "csv":
            return CSV.response(ProcedureCSV.render(records), fileName: "\(stem).csv")
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let response = Response(status: .ok, body: .init(data: try encoder.encode(records)))
            response.headers.contentType = .json
            response.headers.replaceOrAdd(name: .contentDisposition, value: AttachmentDownload.contentDisposition(for: "\(stem).json"))
            return response
        default:
            throw EGovError.badRequest("Định dạng xuất phải là json hoặc csv.", code: "bad_format")
        }
    }
}
