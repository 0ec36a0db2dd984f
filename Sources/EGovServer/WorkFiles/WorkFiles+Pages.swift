import EGovCore
import Fluent
import Vapor

/// Pages of work files: the yearly file list with its create form, and one file with its
/// documents, the add form and the close/reopen/archive buttons.
struct WorkFilePages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let files = routes.grouped("work-files")
        files.get(use: list)
        files.post(use: create)
        files.get("filing", use: filing)
        files.get(":fileID", use: show)
        files.post(":fileID", "documents", use: addDocument)
        // Forms cannot send DELETE.
        files.post(":fileID", "documents", ":kind", ":documentID", "remove", use: removeDocument)
        for move in WorkFileMove.allCases {
            files.post(":fileID", PathComponent(stringLiteral: move.rawValue)) { req async throws -> Response in
                try await self.move(move, req: req)
            }
        }
    }

    // MARK: The file list

    func list(req: Request) async throws -> Response {
        let filter = try WorkFileFilter(query: req)
        return try await listPage(req, year: filter.year, values: WorkFileFormValues(year: String(filter.year)), errors: [:])
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.form(WorkFileInput.self)
        let currentYear = LocalDate.inVietnam(req.now).year
        do {
            let file = try await CreateWorkFile(actor: actor, input: try input.validate(currentYear: currentYear)).run(in: req.useCase)
            return req.redirectAfterPost(to: "/work-files/\(file.id!)", flash: "Đã lập hồ sơ \(file.code) trong danh mục năm \(file.year).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "form") else { throw error }
            let year = Int(FormText.clean(input.year)).flatMap { WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear ~= $0 ? $0 : nil } ?? currentYear
            let values = WorkFileFormValues(year: input.year ?? "", code: input.code ?? "", title: input.title ?? "",
                                            retention: input.retention ?? "", notes: input.notes ?? "")
            return try await listPage(req, year: year, values: values, errors: errors, status: error.status)
        }
    }

    private func listPage(_ req: Request, year: Int, values: WorkFileFormValues, errors: [String: String],
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let files = try await WorkFileQueries.list(year: year, actor: actor, on: req.db)
        let rows = try await WorkFilePresenter(actor: actor, db: req.db).dtos(files).map(WorkFilePageBuilder.row)
        func count(_ state: WorkFileState) -> Int { rows.filter { $0.state == state.rawValue }.count }
        return try await req.render("work-files", WorkFileListPage(
            shell: req.shell("Danh mục hồ sơ năm \(year)"), year: year,
            previousYear: max(year - 1, WorkingDayCalendar.minYear), nextYear: min(year + 1, WorkingDayCalendar.maxYear),
            rows: rows, openCount: count(.open), closedCount: count(.closed), archivedCount: count(.archived),
            canCreate: WorkFilePermissions.canCreate(actor), values: values,
            retentionOptions: WorkFilePageBuilder.retentionOptions(selected: values.retention), errors: errors), status: status)
    }

    // MARK: Filing one document

    /// `?kind=incoming&document_id=…`: where a document's page links to put it in a file.
    func filing(req: Request) async throws -> Response {
        let actor = try req.actor
        guard let kind = WorkFileItem.Kind(rawValue: FormText.clean(req.query[String.self, at: "kind"])),
              let id = UUID(uuidString: FormText.clean(req.query[String.self, at: "document_id"]))
        else { throw EGovError.notFound("Không tìm thấy văn bản.") }
        let document = try await WorkFileQueries.document(kind, id, visibleTo: actor, on: req.db)
        let holding = try await WorkFileQueries.files(holding: kind, id, actor: actor, on: req.db)
        let open = try await WorkFileQueries.openFiles(changeableBy: actor, on: req.db).filter { file in !holding.contains { $0.id == file.id } }
        let presenter = WorkFilePresenter(actor: actor, db: req.db)
        return try await req.render("work-file-filing", WorkFileFilingPage(
            shell: req.shell("Đưa văn bản vào hồ sơ"), document: WorkFilePageBuilder.filingDocument(document),
            holding: try await presenter.dtos(holding).map(WorkFilePageBuilder.row),
            openFiles: try await presenter.dtos(open).map(WorkFilePageBuilder.row), year: LocalDate.inVietnam(req.now).year))
    }

    // MARK: One file

    func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let file = try await WorkFileQueries.visible(try req.uuidParameter("fileID"), to: actor, on: req.db)
        return try await detailPage(req, actor: actor, file: file, values: .init(), errors: [:])
    }

    private func detailPage(_ req: Request, actor: Actor, file: WorkFile, values: WorkFileAddValues, errors: [String: String],
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let dto = try await WorkFilePresenter(actor: actor, db: req.db).detail(file)
        let row = WorkFilePageBuilder.row(dto)
        var actions = WorkFileActions()
        actions.changeDocuments = dto.canChangeDocuments
        actions.close = dto.availableMoves.contains(WorkFileMove.close.rawValue)
        actions.reopen = dto.availableMoves.contains(WorkFileMove.reopen.rawValue)
        actions.archive = dto.availableMoves.contains(WorkFileMove.archive.rawValue)
        var incomingOptions: [Option] = []
        var outgoingOptions: [Option] = []
        if actions.changeDocuments {
            let items = try await WorkFileQueries.items(of: file.id!, on: req.db)
            let recent = try await WorkFileQueries.recentDocuments(for: actor, excluding: items, on: req.db)
            incomingOptions = recent.incoming.map { WorkFilePageBuilder.incomingOption($0, selected: values.document) }
            outgoingOptions = recent.outgoing.map { WorkFilePageBuilder.outgoingOption($0, selected: values.document) }
        }
        let history = try await WorkFileEvent.history(of: file.id!, on: req.db).map(WorkFilePageBuilder.historyRow)
        return try await req.render("work-file", WorkFileDetailPage(
            shell: req.shell("Hồ sơ \(dto.code)"), id: dto.id.uuidString, row: row, year: dto.year,
            fields: WorkFilePageBuilder.fields(dto), items: (dto.items ?? []).map(WorkFilePageBuilder.item),
            totals: dto.totals ?? WorkFileTotalsDTO(incoming: 0, outgoing: 0, documents: 0, pages: 0, hidden: 0),
            actions: actions, history: history, incomingOptions: incomingOptions, outgoingOptions: outgoingOptions, values: values, errors: errors), status: status)
    }

    struct AddForm: Content {
        /// `kind:id` chosen from the recent documents…
        var document: String?
        /// …or an id (or a document's address) pasted by hand, with its register if known.
        var documentID: String?
        var kind: String?
        enum CodingKeys: String, CodingKey { case document, documentID = "document_id", kind }
    }

    func addDocument(req: Request) async throws -> Response {
        let actor = try req.actor
        let fileID = try req.uuidParameter("fileID")
        let form = try req.form(AddForm.self)
        let values = WorkFileAddValues(document: form.document ?? "", documentID: form.documentID ?? "", kind: form.kind ?? "")
        return try await changing(req, actor: actor, fileID: fileID, values: values) {
            let input = try await Self.documentInput(form, actor: actor, on: req.db)
            let file = try await AddDocumentToWorkFile(actor: actor, fileID: fileID, input: input).run(in: req.useCase)
            return ("/work-files/\(file.id!)", "Đã đưa văn bản vào hồ sơ \(file.code).")
        }
    }

    /// The chosen document, or the pasted one: a bare id is looked up in both registers.
    static func documentInput(_ form: AddForm, actor: Actor, on db: Database) async throws -> WorkFileDocumentInput.Valid {
        let chosen = FormText.clean(form.document)
        if !chosen.isEmpty {
            let parts = chosen.split(separator: ":", maxSplits: 1).map(String.init)
            return try WorkFileDocumentInput(kind: parts.first, documentID: parts.count == 2 ? parts[1] : nil).validate()
        }
        let pasted = FormText.clean(form.documentID)
        guard let range = pasted.range(of: "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", options: .regularExpression),
              let id = UUID(uuidString: String(pasted[range]))
        else {
            throw EGovError.invalid(["document_id": pasted.isEmpty ? "Cần chọn một văn bản trong danh sách hoặc dán mã văn bản."
                                                                   : "Mã văn bản \"\(pasted)\" không hợp lệ."])
        }
        var kind = WorkFileItem.Kind(rawValue: FormText.clean(form.kind))
        if kind == nil, pasted.contains("/documents/incoming/") || pasted.contains("/incoming-documents/") { kind = .incoming }
        if kind == nil, pasted.contains("/documents/outgoing/") || pasted.contains("/outgoing-documents/") { kind = .outgoing }
        if kind == nil { kind = try await WorkFileQueries.kind(of: id, visibleTo: actor, on: db) }
        guard let kind else { throw EGovError.notFound("Không tìm thấy văn bản có mã này trong các văn bản bạn được xem.") }
        return WorkFileDocumentInput.Valid(kind: kind, documentID: id)
    }

    func removeDocument(req: Request) async throws -> Response {
        let actor = try req.actor
        let fileID = try req.uuidParameter("fileID")
        let documentID = try req.uuidParameter("documentID")
        guard let kind = req.parameters.get("kind").flatMap(WorkFileItem.Kind.init(rawValue:)) else { throw EGovError.notFound() }
        return try await changing(req, actor: actor, fileID: fileID, values: .init()) {
            let file = try await RemoveDocumentFromWorkFile(actor: actor, fileID: fileID, kind: kind, documentID: documentID).run(in: req.useCase)
            return ("/work-files/\(file.id!)", "Đã bỏ văn bản khỏi hồ sơ.")
        }
    }

    func move(_ move: WorkFileMove, req: Request) async throws -> Response {
        let actor = try req.actor
        let fileID = try req.uuidParameter("fileID")
        return try await changing(req, actor: actor, fileID: fileID, values: .init()) {
            switch move {
            case .close: _ = try await CloseWorkFile(actor: actor, fileID: fileID).run(in: req.useCase); return ("/work-files/\(fileID)", "Đã đóng hồ sơ.")
            case .reopen: _ = try await ReopenWorkFile(actor: actor, fileID: fileID).run(in: req.useCase); return ("/work-files/\(fileID)", "Đã mở lại hồ sơ.")
            case .archive: _ = try await ArchiveWorkFile(actor: actor, fileID: fileID).run(in: req.useCase); return ("/work-files/\(fileID)", "Đã nộp hồ sơ vào lưu trữ cơ quan.")
            }
        }
    }

    /// Runs a change of the file and redirects with `flash`; a refusal is shown on the file's
    /// page, except when the file itself is not the actor's to see (the error page then).
    private func changing(_ req: Request, actor: Actor, fileID: UUID, values: WorkFileAddValues,
                          _ body: () async throws -> (location: String, flash: String)) async throws -> Response {
        let file = try await WorkFileQueries.visible(fileID, to: actor, on: req.db)
        do {
            let (location, flash) = try await body()
            return req.redirectAfterPost(to: location, flash: flash)
        } catch let error as EGovError {
            var errors = error.fieldErrors
            if errors.isEmpty { errors["form"] = error.message }
            // The state may have changed in the meantime: show the file as it is now.
            let current = try await WorkFileQueries.visible(file.id!, to: actor, on: req.db)
            return try await detailPage(req, actor: actor, file: current, values: values, errors: errors, status: error.status)
        }
    }
}
