import EGovCore
import Fluent
import Vapor

/// Pages of the incoming-document register, a document's handling, and the inbox.
struct IncomingDocumentPages: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let docs = routes.grouped("documents", "incoming")
        docs.get(use: list)
        docs.get("new", use: newForm)
        docs.on(.POST, body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: register)
        docs.get(":documentID", use: show)
        docs.get(":documentID", "slip", use: slip)
        docs.on(.POST, ":documentID", "attachments", body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: addAttachments)
        for move in IncomingDocumentMove.allCases {
            docs.post(":documentID", PathComponent(stringLiteral: IncomingMoves.path(of: move))) { req async throws -> Response in
                try await self.move(move, req: req)
            }
        }
        routes.get("inbox", use: inbox)
        routes.get("documents", "attachments", ":attachmentID") { req async throws -> Response in
            try await AttachmentDownload.response(for: try req.uuidParameter("attachmentID"), actor: try req.actor, on: req)
        }
    }

    // MARK: List and inbox

    func list(req: Request) async throws -> Response {
        let actor = try req.actor
        let filter = try IncomingDocumentFilter(query: req)
        let (docs, hasMore) = try await IncomingDocumentQueries.list(filter, actor: actor, on: req.db)
        let rows = try await IncomingDocumentPageBuilder(actor: actor, on: req).rows(docs)
        let stateOptions = [Option(value: "", label: "Tất cả trạng thái", selected: filter.state == nil)]
            + IncomingDocumentState.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == filter.state) }
        return try await req.render("incoming-list", IncomingListPage(
            shell: req.shell("Sổ văn bản đến"), query: filter.query, state: filter.state?.rawValue ?? "",
            year: filter.year.map(String.init) ?? "", stateOptions: stateOptions, rows: rows, page: filter.page,
            previousURL: filter.page > 1 ? req.pageURL(filter.page - 1) : nil, nextURL: hasMore ? req.pageURL(filter.page + 1) : nil,
            canRegister: DocumentPermissions.canRegister(actor), canPrintRegister: DocumentPermissions.seesWholeAgency(actor)))
    }

    func inbox(req: Request) async throws -> Response {
        let actor = try req.actor
        let page = try PageNumber.from(req)
        let (docs, hasMore) = try await IncomingDocumentQueries.inbox(for: actor, page: page, on: req.db)
        let rows = try await IncomingDocumentPageBuilder(actor: actor, on: req).rows(docs)
        let outgoing = try await OutgoingPageBuilder(actor: actor, req: req).rows(try await OutgoingDocumentQueries.inbox(for: actor, on: req.db))
        let dossiers = try await DossierQueries.waiting(for: actor, on: req.db)
        return try await req.render("inbox", InboxPage(
            shell: req.shell("Văn bản chờ xử lý"), rows: rows,
            overdueCount: rows.filter { $0.deadlineStatus == DeadlineStatus.overdue.rawValue }.count,
            dueSoonCount: rows.filter { $0.deadlineStatus == DeadlineStatus.dueSoon.rawValue }.count, outgoing: outgoing,
            dossiers: dossiers.items.map { DossierRow(DossierListDTO.Item($0)) }, dossierCount: dossiers.total,
            page: page, previousURL: page > 1 ? req.pageURL(page - 1) : nil, nextURL: hasMore ? req.pageURL(page + 1) : nil))
    }

    // MARK: Registration

    func newForm(req: Request) async throws -> Response {
        let actor = try req.actor
        guard DocumentPermissions.canRegister(actor) else { throw EGovError.forbidden("Chỉ văn thư được vào sổ văn bản đến.") }
        var values = IncomingFormValues()
        values.arrivalDate = LocalDate.inVietnam(req.now).iso
        return try await formPage(req, values: values, errors: [:])
    }

    /// The files of a form: `attachments[]` (several) or a single `attachments` part.
    struct RegistrationForm: Content {
        var attachments: [File]?
        enum CodingKeys: String, CodingKey { case attachments }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let many = try? c.decodeIfPresent([File].self, forKey: .attachments) {
                attachments = many
            } else {
                attachments = (try? c.decodeIfPresent(File.self, forKey: .attachments)).flatMap { $0.map { [$0] } }
            }
        }
    }

    func register(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.form(IncomingDocumentInput.self)
        do {
            guard DocumentPermissions.canRegister(actor) else { throw EGovError.forbidden("Chỉ văn thư được vào sổ văn bản đến.") }
            let valid = try input.validate(today: LocalDate.inVietnam(req.now))
            let files = (try? req.content.decode(RegistrationForm.self))?.attachments ?? []
            let stored = try await req.storeUploads(files)
            let doc = try await RegisterIncomingDocument(actor: actor, input: valid, attachments: stored).run(in: req.useCase)
            return req.redirectAfterPost(to: "/documents/incoming/\(doc.id!)",
                                         flash: "Đã vào sổ văn bản đến số \(doc.arrivalNumber)/\(doc.arrivalYear).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "form") else { throw error }
            return try await formPage(req, values: .init(input), errors: errors,
                                      duplicateURL: errors["duplicate_of"].map { "/documents/incoming/\($0)" }, status: error.status)
        }
    }

    private func formPage(_ req: Request, values: IncomingFormValues, errors: [String: String], duplicateURL: String? = nil,
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let agencies = try await Agency.query(on: req.db).filter(\.$isActive == true).sort(\.$name).all()
        return try await req.render("incoming-form", IncomingFormPage(
            shell: req.shell("Vào sổ văn bản đến"), values: values, errors: errors,
            senderOptions: agencies.map { Option(value: $0.code, label: $0.name, selected: $0.code == values.senderAgencyCode) },
            typeOptions: DocumentType.all.map { Option(value: $0.code, label: $0.name, selected: $0.code == values.typeCode) },
            urgencyOptions: Urgency.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.urgency) },
            confidentialityOptions: Confidentiality.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.confidentiality) },
            duplicateURL: duplicateURL, maxAttachmentMB: req.application.settings.maxAttachmentBytes / 1_048_576), status: status)
    }

    // MARK: One document

    func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let doc = try await IncomingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        return try await detailPage(req, actor: actor, doc: doc, errors: [:])
    }

    func slip(req: Request) async throws -> Response {
        let actor = try req.actor
        let doc = try await IncomingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        let builder = try await IncomingDocumentPageBuilder(actor: actor, on: req)
        let detail = try await builder.detail(doc)
        return try await req.render("incoming-direction-slip", DirectionSlipPage(
            shell: req.shell("Phiếu giải quyết văn bản đến"), agencyName: actor.agencyName, row: detail.row, fields: detail.fields,
            handling: detail.handling, history: detail.history, printedAt: req.now.vietnamTimestamp))
    }

    private func detailPage(_ req: Request, actor: Actor, doc: IncomingDocument, errors: [String: String],
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let builder = try await IncomingDocumentPageBuilder(actor: actor, on: req)
        let detail = try await builder.detail(doc)
        return try await req.render("incoming", IncomingDetailPage(
            shell: req.shell("Văn bản đến số \(detail.row.arrival)"), id: doc.id!.uuidString, row: detail.row, fields: detail.fields,
            handling: detail.handling, attachments: detail.attachments, history: detail.history,
            actions: try await builder.actions(doc, cooperating: detail.cooperatingUnitIDs), errors: errors,
            maxAttachmentMB: req.application.settings.maxAttachmentBytes / 1_048_576), status: status)
    }

    func addAttachments(req: Request) async throws -> Response {
        let actor = try req.actor
        let documentID = try req.uuidParameter("documentID")
        do {
            let files = (try? req.content.decode(RegistrationForm.self))?.attachments ?? []
            let stored = try await req.storeUploads(files)
            guard !stored.isEmpty else { throw EGovError.invalid(["attachments": "Cần chọn ít nhất một tệp."]) }
            _ = try await AddIncomingAttachment(actor: actor, documentID: documentID, files: stored).run(in: req.useCase)
            return req.redirectAfterPost(to: "/documents/incoming/\(documentID)", flash: "Đã thêm \(stored.count) tệp đính kèm.")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "form"), error.status != .notFound else { throw error }
            let doc = try await IncomingDocumentQueries.visible(documentID, to: actor, on: req.db)
            return try await detailPage(req, actor: actor, doc: doc, errors: errors, status: error.status)
        }
    }

    func move(_ move: IncomingDocumentMove, req: Request) async throws -> Response {
        let actor = try req.actor
        let documentID = try req.uuidParameter("documentID")
        let input = try req.form(IncomingMoveInput.self)
        do {
            _ = try await IncomingMoves.run(move, documentID: documentID, input: input, actor: actor, in: req.useCase)
            // After a move the document may no longer be visible (e.g. returned by a specialist): go to the inbox then.
            let stillVisible = (try? await IncomingDocumentQueries.visible(documentID, to: actor, on: req.db)) != nil
            return req.redirectAfterPost(to: stillVisible ? "/documents/incoming/\(documentID)" : "/inbox", flash: IncomingMoves.flash(move))
        } catch let error as EGovError {
            guard error.status != .notFound else { throw error }
            var errors = error.fieldErrors
            if errors.isEmpty { errors["form"] = error.message }
            let doc = try await IncomingDocumentQueries.visible(documentID, to: actor, on: req.db)
            return try await detailPage(req, actor: actor, doc: doc, errors: errors, status: error.status)
        }
    }
}

extension IncomingFormValues {
    init(_ input: IncomingDocumentInput) {
        self.init(senderAgencyCode: input.senderAgencyCode ?? "", senderName: input.senderName ?? "", numberNotation: input.numberNotation ?? "",
                  typeCode: input.typeCode ?? "", issuedDate: input.issuedDate ?? "", subject: input.subject ?? "",
                  signerName: input.signerName ?? "", signerPosition: input.signerPosition ?? "", urgency: input.urgency ?? "normal",
                  confidentiality: input.confidentiality ?? "normal", pageCount: input.pageCount ?? "1", dueDate: input.dueDate ?? "",
                  arrivalDate: input.arrivalDate ?? "")
    }
}
