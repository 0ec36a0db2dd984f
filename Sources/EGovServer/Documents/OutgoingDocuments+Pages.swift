import EGovCore
import Fluent
import Vapor

/// Pages of outgoing documents: list, draft form, a document's review/sign/issue, the outbox.
struct OutgoingDocumentPages: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let docs = routes.grouped("documents", "outgoing")
        docs.get(use: list)
        docs.get("new", use: newForm)
        docs.on(.POST, body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: create)
        docs.get(":documentID", use: show)
        docs.get(":documentID", "edit", use: editForm)
        docs.post(":documentID", "edit", use: update)
        docs.on(.POST, ":documentID", "attachments", body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: addAttachments)
        for move in OutgoingDocumentMove.allCases {
            docs.post(":documentID", PathComponent(stringLiteral: move.rawValue)) { req async throws -> Response in
                try await self.move(move, req: req)
            }
        }
        docs.get(":documentID", "sign", use: confirmSigning)
        docs.get(":documentID", "signed-pdfs", ":fileID") { req async throws -> Response in
            try await OutgoingPDFStamps.download(try req.uuidParameter("fileID"), of: try req.uuidParameter("documentID"), actor: try req.actor, on: req)
        }
        routes.get("exchange", "outbox", use: outbox)
    }

    func list(req: Request) async throws -> Response {
        let actor = try req.actor
        let filter = try OutgoingDocumentFilter(query: req)
        let (docs, hasMore) = try await OutgoingDocumentQueries.list(filter, actor: actor, on: req.db)
        let rows = try await OutgoingPageBuilder(actor: actor, req: req).rows(docs)
        let stateOptions = [Option(value: "", label: "Tất cả trạng thái", selected: filter.state == nil)]
            + OutgoingDocumentState.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == filter.state) }
        return try await req.render("outgoing-list", OutgoingListPage(
            shell: req.shell("Văn bản đi"), query: filter.query, state: filter.state?.rawValue ?? "", stateOptions: stateOptions, rows: rows,
            page: filter.page, previousURL: filter.page > 1 ? req.pageURL(filter.page - 1) : nil, nextURL: hasMore ? req.pageURL(filter.page + 1) : nil,
            canDraft: OutgoingDocumentPermissions.canDraft(actor), canPrintRegister: DocumentPermissions.seesWholeAgency(actor)))
    }

    // MARK: Draft form

    func newForm(req: Request) async throws -> Response {
        let actor = try req.actor
        guard OutgoingDocumentPermissions.canDraft(actor) else { throw EGovError.forbidden("Bạn không có quyền soạn văn bản đi.") }
        return try await formPage(req, actor: actor, id: nil, values: .init(), recipients: .init(), errors: [:])
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.form(OutgoingDocumentInput.self)
        do {
            let valid = try input.validate()
            let files = (try? req.content.decode(IncomingDocumentPages.RegistrationForm.self))?.attachments ?? []
            let stored = try await req.storeUploads(files)
            let doc = try await CreateOutgoingDraft(actor: actor, input: valid, attachments: stored).run(in: req.useCase)
            return req.redirectAfterPost(to: "/documents/outgoing/\(doc.id!)", flash: "Đã lưu dự thảo.")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "form") else { throw error }
            return try await formPage(req, actor: actor, id: nil, values: .init(input), recipients: .init(input), errors: errors, status: error.status)
        }
    }

    func editForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let doc = try await OutgoingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        guard OutgoingDocumentPermissions.canEdit(doc, actor: actor) else { throw EGovError.forbidden("Chỉ người soạn thảo được sửa dự thảo khi chưa trình.") }
        let recipients = try await OutgoingDocumentQueries.recipients(of: doc.id!, on: req.db)
        return try await formPage(req, actor: actor, id: doc.id, values: .init(doc, recipients: recipients), recipients: .init(recipients), errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter("documentID")
        let input = try req.form(OutgoingDocumentInput.self)
        do {
            _ = try await UpdateOutgoingDraft(actor: actor, documentID: id, input: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/documents/outgoing/\(id)", flash: "Đã lưu dự thảo.")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "form"), error.status != .notFound, error.status != .forbidden else { throw error }
            return try await formPage(req, actor: actor, id: id, values: .init(input), recipients: .init(input), errors: errors, status: error.status)
        }
    }

    struct ChosenRecipients {
        var units: Set<String> = []
        var users: Set<String> = []
        var agencies: Set<String> = []
        init() {}
        init(_ input: OutgoingDocumentInput) {
            units = Set(input.recipientUnitIDs ?? [])
            users = Set(input.recipientUserIDs ?? [])
            agencies = Set(input.recipientAgencyCodes ?? [])
        }
        init(_ recipients: [OutgoingRecipient]) {
            units = Set(recipients.compactMap { $0.unitID?.uuidString })
            users = Set(recipients.compactMap { $0.userID?.uuidString })
            agencies = []
        }
    }

    private func formPage(_ req: Request, actor: Actor, id: UUID?, values: OutgoingFormValues, recipients: ChosenRecipients,
                          errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        var chosen = recipients
        if let id {
            // Agencies are stored by id; show them ticked by code.
            let rows = try await OutgoingDocumentQueries.recipients(of: id, on: req.db).compactMap(\.recipientAgencyID)
            if chosen.agencies.isEmpty, !rows.isEmpty {
                chosen.agencies = Set(try await Agency.query(on: req.db).filter(\.$id ~~ rows).all().map(\.code))
            }
        }
        let units = try await AgencyUnit.query(on: req.db).owned(by: actor).filter(\.$isActive == true).sort(\.$name).all()
        let people = try await User.query(on: req.db).owned(by: actor).filter(\.$isActive == true).sort(\.$fullName).all()
        let agencies = try await Agency.query(on: req.db).filter(\.$isActive == true).filter(\.$id != actor.agencyID).sort(\.$name).all()
        return try await req.render("outgoing-form", OutgoingFormPage(
            shell: req.shell(id == nil ? "Soạn văn bản đi" : "Sửa dự thảo"), id: id?.uuidString, values: values, errors: errors,
            typeOptions: DocumentType.all.map { Option(value: $0.code, label: $0.name, selected: $0.code == values.typeCode) },
            urgencyOptions: Urgency.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.urgency) },
            confidentialityOptions: Confidentiality.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.confidentiality) },
            unitOptions: units.map { Option(value: $0.id!.uuidString, label: $0.name, selected: chosen.units.contains($0.id!.uuidString)) },
            personOptions: people.map { Option(value: $0.id!.uuidString, label: "\($0.fullName) — \($0.position)", selected: chosen.users.contains($0.id!.uuidString)) },
            agencyOptions: agencies.map { Option(value: $0.code, label: $0.name, selected: chosen.agencies.contains($0.code)) },
            defaultIssuerNotation: IssuerNotation.abbreviate(agencyName: actor.agencyName),
            maxAttachmentMB: req.application.settings.maxAttachmentBytes / 1_048_576,
            action: id.map { "/documents/outgoing/\($0)/edit" } ?? "/documents/outgoing"), status: status)
    }

    // MARK: One document

    func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let doc = try await OutgoingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        return try await detailPage(req, actor: actor, doc: doc, errors: [:])
    }

    private func detailPage(_ req: Request, actor: Actor, doc: OutgoingDocument, errors: [String: String],
                            status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = try await OutgoingPageBuilder(actor: actor, req: req).page(doc, errors: errors)
        return try await req.render("outgoing", page, status: status)
    }

    /// The confirmation step: the signing form comes here (GET, nothing is signed) and the
    /// page posts to `/sign` with `confirm=true`.
    func confirmSigning(req: Request) async throws -> Response {
        let actor = try req.actor
        let doc = try await OutgoingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        let input = try req.query.decode(SignInput.self)
        do {
            return try await confirmPage(req, actor: actor, doc: doc, input: input, errors: [:])
        } catch let error as EGovError {
            guard error.status == .unprocessableEntity else { throw error }
            return try await detailPage(req, actor: actor, doc: doc, errors: error.fieldErrors, status: error.status)
        }
    }

    private func confirmPage(_ req: Request, actor: Actor, doc: OutgoingDocument, input: SignInput, errors: [String: String],
                             status: HTTPResponseStatus = .ok) async throws -> Response {
        guard OutgoingDocumentPermissions.availableMoves(on: doc, actor: actor).contains(.sign) else {
            throw EGovError.forbidden("Văn bản này không chờ bạn ký.")
        }
        guard let signer = try await User.find(actor.userID, on: req.db) else { throw EGovError.unauthorized() }
        let (mark, head, block) = try input.block(signer: signer, agencyName: actor.agencyName)
        let files = try await OutgoingDocumentQueries.currentAttachments(of: doc.id!, on: req.db)
        let identity = try? await SigningCertificates.current(for: actor.userID, keystore: req.application.egovServices.signingKeystore, on: req.db)
        let certificate = identity.map { identity in
            let details = identity.details
            return "\(details.commonName), \(details.organization ?? ""), số hiệu \(details.serialNumberHex), hiệu lực đến \(details.notValidAfter.vietnamTimestamp)"
        } ?? "Chưa có chứng thư số: quản trị hệ thống cấp bằng lệnh egov pki issue \(actor.username)."
        let page = OutgoingSignConfirmPage(
            shell: req.shell("Xác nhận ký số"), id: doc.id!.uuidString, subject: doc.subject, typeName: doc.documentType?.name ?? doc.typeCode,
            files: files.map { file in
                .init(fileName: file.fileName, typeName: file.attachmentType?.displayName ?? file.contentType, shortHash: String(file.sha256.prefix(12)),
                      isPDF: file.attachmentType == .pdf)
            },
            blockLines: block.lines, signingMark: mark.rawValue, signingMarkLabel: mark.label, headTitle: head, signerPosition: block.position,
            certificate: certificate, needsTOTP: signer.totpEnabled, errors: errors)
        return try await req.render("outgoing-sign-confirm", page, status: status)
    }

    func addAttachments(req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter("documentID")
        do {
            let files = (try? req.content.decode(IncomingDocumentPages.RegistrationForm.self))?.attachments ?? []
            let stored = try await req.storeUploads(files)
            guard !stored.isEmpty else { throw EGovError.invalid(["attachments": "Cần chọn ít nhất một tệp."]) }
            _ = try await AddOutgoingAttachment(actor: actor, documentID: id, files: stored).run(in: req.useCase)
            return req.redirectAfterPost(to: "/documents/outgoing/\(id)", flash: "Đã lưu \(stored.count) tệp.")
        } catch let error as EGovError {
            guard error.status != .notFound else { throw error }
            let doc = try await OutgoingDocumentQueries.visible(id, to: actor, on: req.db)
            return try await detailPage(req, actor: actor, doc: doc, errors: error.fieldErrors.isEmpty ? ["form": error.message] : error.fieldErrors,
                                        status: error.status)
        }
    }

    struct MoveForm: Content {
        var note: String?
        enum CodingKeys: String, CodingKey { case note }
    }

    func move(_ move: OutgoingDocumentMove, req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter("documentID")
        let form = try req.form(MoveForm.self)
        let sign = move == .sign ? try req.form(SignInput.self) : SignInput()
        do {
            let doc = try await OutgoingMoves.run(move, documentID: id, note: form.note, sign: sign, actor: actor, in: req.useCase)
            let stillVisible = (try? await OutgoingDocumentQueries.visible(id, to: actor, on: req.db)) != nil
            return req.redirectAfterPost(to: stillVisible ? "/documents/outgoing/\(id)" : "/inbox", flash: OutgoingMoves.flash(move, doc))
        } catch let error as EGovError {
            guard error.status != .notFound else { throw error }
            let doc = try await OutgoingDocumentQueries.visible(id, to: actor, on: req.db)
            // A refused confirmation or code goes back to the confirmation step, with what was chosen.
            if move == .sign, error.fieldErrors["confirm"] != nil || error.fieldErrors["totp_code"] != nil,
               let page = try? await confirmPage(req, actor: actor, doc: doc, input: sign, errors: error.fieldErrors, status: error.status) {
                return page
            }
            return try await detailPage(req, actor: actor, doc: doc, errors: error.fieldErrors.isEmpty ? ["form": error.message] : error.fieldErrors,
                                        status: error.status)
        }
    }

    func outbox(req: Request) async throws -> Response {
        let actor = try req.actor
        guard DocumentPermissions.seesWholeAgency(actor) else { throw EGovError.forbidden("Chỉ văn thư và lãnh đạo xem hàng đợi gửi liên thông.") }
        let messages = try await ExchangeOutbox.documentMessages(of: actor.agencyID, on: req.db)
        return try await req.render("outbox", OutboxPage(shell: req.shell("Văn bản chờ gửi liên thông"), rows: messages.map { OutgoingPageBuilder.outboxRow($0) }))
    }
}

/// Page models of outgoing documents, from the API's view of them.
struct OutgoingPageBuilder {
    let actor: Actor
    let req: Request

    func rows(_ docs: [OutgoingDocument]) async throws -> [OutgoingRow] {
        try await OutgoingDocumentPresenter(actor: actor, req: req).dtos(docs).enumerated().map { index, dto in
            Self.row(dto, updatedAt: docs[index].updatedAt)
        }
    }

    static func row(_ dto: OutgoingDocumentDTO, updatedAt: Date?) -> OutgoingRow {
        let urgency = Urgency(rawValue: dto.urgency) ?? .normal
        let confidentiality = Confidentiality(rawValue: dto.confidentiality) ?? .normal
        return OutgoingRow(
            id: dto.id.uuidString, numberNotation: dto.numberNotation ?? "", issuedDate: IncomingDocumentPageBuilder.date(dto.issuedDate),
            typeName: dto.typeName, subject: dto.subject, draftingUnitName: dto.draftingUnit.name, drafterName: dto.drafter.name,
            state: dto.state, stateLabel: (OutgoingDocumentState(rawValue: dto.state) ?? .draft).label, urgencyLabel: urgency.label,
            isUrgent: urgency.isUrgent, confidentialityLabel: confidentiality.isClassified ? confidentiality.label : "",
            signerName: signerLabel(dto),
            updatedAt: updatedAt?.vietnamTimestamp ?? "")
    }

    /// The signer as the document shows them: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name. Documents
    /// signed before the competence line was kept show their mark and position.
    static func signatureBlock(_ dto: OutgoingDocumentDTO, name: String) -> SignatureBlock {
        let competence = dto.signerCompetence ?? ""
        if competence.isEmpty, dto.signerCompetence == nil {
            return SignatureBlock(competence: dto.signingMark ?? "", position: dto.signerPosition ?? "", fullName: name)
        }
        return SignatureBlock(competence: competence, position: dto.signerPosition ?? "", fullName: name)
    }

    /// One line for lists: "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Nguyễn Văn An".
    static func signerLabel(_ dto: OutgoingDocumentDTO) -> String {
        guard let signer = dto.signer else { return "" }
        let block = signatureBlock(dto, name: signer.name)
        let title = [block.competence, block.position].filter { !$0.isEmpty }.joined(separator: ", ")
        return [title, block.fullName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The document page: the detail and what signing and PAdES add to it.
    func page(_ doc: OutgoingDocument, errors: [String: String]) async throws -> OutgoingDocumentPage {
        let base = try await detail(doc, errors: errors)
        let stamped = try await OutgoingStampedFile.query(on: req.db).filter(\.$documentID == doc.id!).sort(\.$createdAt).all()
        var defaults = OutgoingDocumentPage.SignDefaults(headTitle: "", signerPosition: "")
        if base.actions.sign, let signer = try await User.find(actor.userID, on: req.db) {
            let head = SignatureBlock.suggestedHeadTitle(forAgencyName: actor.agencyName)
            defaults = .init(headTitle: head, signerPosition: SignatureBlock.suggestedPosition(
                recorded: signer.position, mark: .deputy, headTitle: head, roleNames: Role.allCases.map(\.displayName)))
        }
        return OutgoingDocumentPage(
            base: base,
            stampedFiles: stamped.map { row in
                .init(fileName: OutgoingPDFStamps.downloadName(row),
                      stageLabel: row.stage == OutgoingStampedFile.Stage.issued.rawValue ? "Bản phát hành (số, ngày, chữ ký số của cơ quan)" : "Bản đã ký (chữ ký số của người ký)",
                      downloadURL: "/documents/outgoing/\(doc.id!)/signed-pdfs/\(row.id!)", shortHash: String(row.sha256.prefix(12)),
                      size: IncomingDocumentPageBuilder.formatSize(row.size))
            },
            signDefaults: defaults, needsFirstFile: base.attachments.isEmpty)
    }

    /// A line of the outbox; `document` when the message was loaded without it.
    static func outboxRow(_ message: OutboxMessage, document: OutgoingDocument? = nil) -> OutboxRow {
        let document = document ?? message.$document.value ?? nil
        return OutboxRow(documentID: message.objectID.uuidString, numberNotation: document?.numberNotation ?? "",
                  subject: document?.subject ?? "", recipientName: message.recipientName,
                  stateLabel: message.state == OutboxMessage.State.waiting.rawValue ? "Chờ gửi" : message.state,
                  createdAt: message.createdAt?.vietnamTimestamp ?? "")
    }

    func detail(_ doc: OutgoingDocument, errors: [String: String]) async throws -> OutgoingDetailPage {
        let loaded = try await OutgoingDocumentPresenter(actor: actor, req: req).load(doc)
        let dto = loaded.dto
        let row = Self.row(dto, updatedAt: doc.updatedAt)
        var fields = [
            LabeledValue(label: "Loại văn bản", value: dto.typeName),
            LabeledValue(label: "Trích yếu", value: dto.subject),
            LabeledValue(label: "Đơn vị soạn thảo", value: dto.draftingUnit.name),
            LabeledValue(label: "Người soạn thảo", value: dto.drafter.name),
            LabeledValue(label: "Độ khẩn", value: row.urgencyLabel),
            LabeledValue(label: "Độ mật", value: (Confidentiality(rawValue: dto.confidentiality) ?? .normal).label),
            LabeledValue(label: "Số trang", value: String(dto.pageCount)),
        ]
        if !dto.summary.isEmpty { fields.append(LabeledValue(label: "Ghi chú nội dung", value: dto.summary)) }
        if let note = dto.reviewNote, !note.isEmpty { fields.append(LabeledValue(label: "Ý kiến duyệt", value: note)) }
        if let signer = dto.signer {
            fields.append(LabeledValue(label: "Người ký", value: Self.signatureBlock(dto, name: signer.name).lines.joined(separator: "\n")))
        }
        if let number = dto.numberNotation {
            fields.append(LabeledValue(label: "Số, ký hiệu", value: number))
            fields.append(LabeledValue(label: "Ngày ban hành", value: IncomingDocumentPageBuilder.date(dto.issuedDate)))
        }
        let attachments = loaded.attachments.map(IncomingDocumentPageBuilder.attachmentRow)
        let signatures = (dto.signatures ?? []).map { sig in
            SignatureRow(fileName: sig.fileName, signerName: sig.signerName, signedAt: sig.signedAt.vietnamTimestamp, status: sig.status,
                         statusLabel: sig.status == "valid" ? "Hợp lệ" : "Không hợp lệ",
                         reason: sig.reason.flatMap { reason in SignatureFailure.allCases.first { $0.snakeCase == reason }?.label } ?? "",
                         certificate: [sig.certificateSubject, sig.certificateSerial.map { "số hiệu \($0)" }].compactMap { $0 }.joined(separator: ", "))
        }
        let status = dto.signatureStatus ?? "unsigned"
        let history = loaded.events.map { event in
            HistoryRow(time: event.occurredAt.vietnamTimestamp, actorName: event.actorName, actionLabel: Self.actionLabel(event.action),
                       toStateLabel: OutgoingDocumentState(rawValue: event.toState)?.label ?? event.toState, note: event.note)
        }
        let moves = OutgoingDocumentPermissions.availableMoves(on: doc, actor: actor)
        var actions = OutgoingActions()
        actions.edit = OutgoingDocumentPermissions.canEdit(doc, actor: actor)
        actions.attach = actions.edit
        actions.submit = moves.contains(.submit)
        actions.approve = moves.contains(.approve)
        actions.sendBack = moves.contains(.sendBack)
        actions.sign = moves.contains(.sign)
        actions.signingMarks = SigningMark.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == .deputy) }
        actions.issue = moves.contains(.issue)
        actions.withdraw = moves.contains(.withdraw)
        actions.hasAny = actions.edit || !moves.isEmpty
        let outbox = loaded.outbox.map { Self.outboxRow($0, document: doc) }
        return OutgoingDetailPage(
            shell: req.shell(row.numberNotation.isEmpty ? "Dự thảo văn bản" : "Văn bản \(row.numberNotation)"), id: doc.id!.uuidString, row: row,
            fields: fields, recipients: dto.recipients.map(\.name), attachments: attachments, signatureStatus: status,
            signatureStatusLabel: ["valid": "Chữ ký số hợp lệ", "invalid": "Chữ ký số không hợp lệ"][status] ?? "Chưa ký số",
            signatures: signatures, outbox: outbox, history: history, actions: actions, errors: errors,
            maxAttachmentMB: req.application.settings.maxAttachmentBytes / 1_048_576)
    }

    static func actionLabel(_ action: String) -> String {
        switch action {
        case "outgoing.create": return "Tạo dự thảo"
        case "outgoing.update": return "Sửa dự thảo"
        default: return OutgoingDocumentMove.allCases.first { $0.auditAction == action }?.label ?? action
        }
    }
}

extension OutgoingFormValues {
    init(_ input: OutgoingDocumentInput) {
        self.init(typeCode: input.typeCode ?? "official_letter", subject: input.subject ?? "", summary: input.summary ?? "",
                  urgency: input.urgency ?? "normal", confidentiality: input.confidentiality ?? "normal", pageCount: input.pageCount ?? "1",
                  issuerNotation: input.issuerNotation ?? "", externalRecipients: input.externalRecipients ?? "")
    }

    init(_ doc: OutgoingDocument, recipients: [OutgoingRecipient]) {
        self.init(typeCode: doc.typeCode, subject: doc.subject, summary: doc.summary, urgency: doc.urgency, confidentiality: doc.confidentiality,
                  pageCount: String(doc.pageCount), issuerNotation: doc.issuerNotation,
                  externalRecipients: recipients.filter { $0.kind == OutgoingRecipient.Kind.external.rawValue }.map(\.name).joined(separator: "\n"))
    }
}
