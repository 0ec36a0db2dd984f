import EGovCore
import Fluent
import Vapor

/// `/admin/procedures`: an agency's catalogue for its people; its admins add, edit, import and export.
struct ProcedureAdminPages: RouteCollection {
    let maxImportBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let procedures = routes.grouped("admin", "procedures")
        procedures.get(use: list)
        procedures.get("new", use: newForm)
        procedures.post(use: create)
        procedures.get("export", use: export)
        procedures.on(.POST, "import", body: .collect(maxSize: ByteCount(value: maxImportBytes)), use: importFile)
        procedures.get(":procedureID", "edit", use: editForm)
        procedures.post(":procedureID", use: update)
    }

    /// The agency whose catalogue the page shows: the actor's own; a system admin may pick one with `?agency=`.
    private func agency(_ req: Request) async throws -> Agency {
        let actor = try req.actor
        let code = FormText.clean(req.query[String.self, at: "agency"])
        if actor.isSystemAdmin, !code.isEmpty, let agency = try await Agency.query(on: req.db).filter(\.$code == code).first() {
            return agency
        }
        guard let own = try await Agency.find(actor.agencyID, on: req.db) else { throw EGovError.notFound() }
        return own
    }

    func list(req: Request) async throws -> Response {
        try await render(req, importErrors: nil)
    }

    private func render(_ req: Request, importErrors: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let agency = try await agency(req)
        var search = try ProcedureSearch.from(req)
        search.agencyCode = ""
        search.agencyID = agency.id!
        let list = try await ProcedureListModel.build(req, search: search)
        let canManage = ProcedurePermissions.canManage(agencyID: agency.id!, actor: actor)
        let page = AdminProceduresPage(
            shell: req.shell("Thủ tục hành chính"), agencyName: agency.name, agencyCode: agency.code,
            canManage: canManage, list: list, importErrors: importErrors, manageLinks: canManage)
        return try await req.render("admin-procedures", page, status: status)
    }

    func newForm(req: Request) async throws -> Response {
        let actor = try req.actor
        guard ProcedurePermissions.canManage(agencyID: actor.agencyID, actor: actor) else { throw EGovError.forbidden() }
        return try await req.render("procedure-form", ProcedureFormPage.build(req, isNew: true, action: "/admin/procedures", input: ProcedureInput()))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.form(ProcedureInput.self)
        do {
            let procedure = try await CreateProcedure(actor: actor, record: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/portal/procedures/\(procedure.id!)", flash: "Đã thêm thủ tục \(procedure.code) vào danh mục.")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code") else { throw error }
            return try await req.render("procedure-form", ProcedureFormPage.build(req, isNew: true, action: "/admin/procedures", input: input, errors: errors),
                                        status: error.status)
        }
    }

    func editForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let procedure = try await Procedure.find(try req.uuidParameter("procedureID"), scopedTo: actor, on: req.db)
        guard ProcedurePermissions.canManage(agencyID: procedure.$agency.id, actor: actor) else { throw EGovError.forbidden() }
        let input = ProcedureInput(procedure.record(agencyCode: nil))
        return try await req.render("procedure-form", ProcedureFormPage.build(req, isNew: false, action: "/admin/procedures/\(procedure.id!)", input: input))
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter("procedureID")
        let input = try req.form(ProcedureInput.self)
        do {
            let procedure = try await UpdateProcedure(actor: actor, procedureID: id, record: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/portal/procedures/\(procedure.id!)", flash: "Đã lưu thủ tục \(procedure.code).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code") else { throw error }
            return try await req.render("procedure-form", ProcedureFormPage.build(req, isNew: false, action: "/admin/procedures/\(id)", input: input, errors: errors),
                                        status: error.status)
        }
    }

    func export(req: Request) async throws -> Response {
        let actor = try req.actor
        let agency = try await agency(req)
        guard ProcedurePermissions.canViewAll(agencyID: agency.id!, actor: actor) else { throw EGovError.forbidden() }
        return try await CatalogueExport.response(owner: CatalogueOwner(agencyID: agency.id!, agencyCode: agency.code),
                                                  format: req.query[String.self, at: "format"], on: req)
    }

    /// A file from the import form; errors are shown above the list, nothing is saved.
    func importFile(req: Request) async throws -> Response {
        struct Upload: Content { var file: File? }
        let actor = try req.actor
        let agency = try await agency(req)
        guard let file = (try? req.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            return try await render(req, importErrors: "Cần chọn tệp JSON hoặc CSV để nhập.", status: .badRequest)
        }
        do {
            let owner = CatalogueOwner(agencyID: agency.id!, agencyCode: agency.code)
            let type = file.extension?.lowercased() == "json" ? "application/json" : file.contentType?.serialize()
            let rows = try ImportProcedures.rows(from: Data(buffer: file.data), contentType: type)
            let outcome = try await ImportProcedures(actor: actor, owner: owner, rows: rows).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/procedures?agency=\(agency.code)",
                                         flash: "Đã nhập danh mục: \(outcome.created) thủ tục mới, \(outcome.updated) thủ tục cập nhật.")
        } catch let error as EGovError where error.status != .forbidden {
            return try await render(req, importErrors: error.message, status: error.status)
        }
    }
}
