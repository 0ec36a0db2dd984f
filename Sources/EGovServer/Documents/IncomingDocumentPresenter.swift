import EGovCore
import Fluent
import Vapor

/// Turns documents into what the API and pages show, looking up names of people and units
/// with one query each, however many documents there are.
struct IncomingDocumentPresenter {
    let actor: Actor
    let db: Database
    let units: [UUID: AgencyUnit]
    let calendar: WorkingDayCalendar
    let today: LocalDate
    /// Inboxes share a few deadlines among many documents: each is counted once.
    private let statuses = StatusMemo()

    final class StatusMemo: @unchecked Sendable {
        var byDate: [LocalDate: DeadlineStatus] = [:]
    }

    init(actor: Actor, on req: Request) async throws {
        self.actor = actor
        self.db = req.db
        let units = try await AgencyUnit.query(on: req.db).owned(by: actor).all()
        self.units = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
        self.calendar = try await CalendarService.calendar(on: req.db)
        self.today = LocalDate.inVietnam(req.now)
    }

    func deadlineStatus(_ doc: IncomingDocumentListing) -> DeadlineStatus? {
        guard doc.workflowState.isBeingHandled || doc.workflowState == .presented,
              let deadline = doc.deadline.flatMap(LocalDate.init(iso:)) ?? doc.requestedDueDate.flatMap(LocalDate.init(iso:))
        else { return nil }
        if let known = statuses.byDate[deadline] { return known }
        let status = DeadlineStatus.of(dueDate: deadline, today: today, calendar: calendar)
        statuses.byDate[deadline] = status
        return status
    }

    func dtos(_ docs: [IncomingDocument]) async throws -> [IncomingDocumentDTO] {
        try await dtos(docs.map(IncomingDocumentListing.init))
    }

    func dtos(_ docs: [IncomingDocumentListing]) async throws -> [IncomingDocumentDTO] {
        guard !docs.isEmpty else { return [] }
        let ids = docs.map(\.id)
        let cooperating = try await IncomingDocumentCooperatingUnit.query(on: db).filter(\.$document.$id ~~ ids).all()
        let cooperatingByDoc = Dictionary(grouping: cooperating, by: { $0.$document.id })
        let personIDs = Set(docs.flatMap { [$0.presentedToID, $0.assigneeID].compactMap { $0 } })
        let people = personIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ Array(personIDs)).all()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.fullName) })
        let senderIDs = Set(docs.compactMap(\.senderAgencyID))
        let senders = senderIDs.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ Array(senderIDs)).all()
        let senderCodes = Dictionary(uniqueKeysWithValues: senders.map { ($0.id!, $0.code) })
        func person(_ id: UUID?) -> PersonRef? { id.map { PersonRef(id: $0, name: names[$0] ?? "") } }
        func unit(_ id: UUID?) -> PersonRef? { id.map { PersonRef(id: $0, name: units[$0]?.name ?? "") } }
        return docs.map { doc in
            IncomingDocumentDTO(
                id: doc.id, arrivalNumber: doc.arrivalNumber, arrivalYear: doc.arrivalYear, arrivalDate: doc.arrivalDate,
                senderName: doc.senderName, senderAgencyCode: doc.senderAgencyID.flatMap { senderCodes[$0] },
                numberNotation: doc.numberNotation, typeCode: doc.typeCode, typeName: doc.documentType?.name ?? doc.typeCode,
                issuedDate: doc.issuedDate, subject: doc.subject, signerName: doc.signerName, signerPosition: doc.signerPosition,
                urgency: doc.urgency, confidentiality: doc.confidentiality, pageCount: doc.pageCount,
                requestedDueDate: doc.requestedDueDate, deadline: doc.deadline, deadlineStatus: deadlineStatus(doc)?.rawValue,
                state: doc.state, presentedTo: person(doc.presentedToID), leadUnit: unit(doc.leadUnitID),
                cooperatingUnits: (cooperatingByDoc[doc.id] ?? []).compactMap { unit($0.unitID) },
                assignee: person(doc.assigneeID), directionNote: doc.directionNote, result: doc.result, replyDocumentID: doc.replyOutgoingID,
                availableMoves: DocumentPermissions.availableMoves(on: doc, actor: actor).map(\.rawValue))
        }
    }
}

/// Thêm tệp: the clerk adds files to a registered document that is still being handled.
struct AddIncomingAttachment {
    let actor: Actor
    let documentID: UUID
    let files: [StoredAttachment]

    func run(in ctx: UseCaseContext) async throws -> [DocumentAttachment] {
        let (actor, documentID, files, now) = (actor, documentID, files, ctx.now)
        let rows = try await ctx.audited { db, trail in
            let doc = try await IncomingDocumentQueries.visible(documentID, to: actor, on: db)
            guard actor.has(.clerk) || doc.assigneeID == actor.userID else {
                throw EGovError.forbidden("Chỉ văn thư hoặc người xử lý được thêm tệp vào văn bản đến.")
            }
            guard !doc.workflowState.isFinal else {
                throw EGovError.conflict("Văn bản \"\(doc.workflowState.label)\" không nhận thêm tệp.", code: "illegal_move")
            }
            var rows: [DocumentAttachment] = []
            for file in files {
                let row = try await file.attach(to: documentID, kind: "incoming", agencyID: actor.agencyID, by: actor, at: now, on: db)
                rows.append(row)
                trail.record("incoming.attachment.add", objectType: "incoming_document", objectID: documentID.uuidString,
                             details: "\(row.fileName) v\(row.version) sha256:\(row.sha256)")
            }
            try await AttachmentTextExtractor.enqueue(rows, at: now, on: db)
            return rows
        }
        return rows
    }
}

/// Serves an attachment to someone who may see its document, under its original name, after
/// checking its hash; a file that fails the check is reported, never served.
enum AttachmentDownload {
    static func response(for attachmentID: UUID, actor: Actor, on req: Request) async throws -> Response {
        guard let row = try await DocumentAttachment.query(on: req.db).filter(\.$id == attachmentID)
            .owned(by: actor).first() else { throw EGovError.notFound("Không tìm thấy tệp đính kèm.") }
        switch row.documentKind {
        case "incoming": _ = try await IncomingDocumentQueries.visible(row.documentID, to: actor, on: req.db)
        case "outgoing": _ = try await OutgoingDocumentQueries.visible(row.documentID, to: actor, on: req.db)
        default: throw EGovError.notFound("Không tìm thấy tệp đính kèm.")
        }
        let data: Data
        do {
            data = try await req.application.egovServices.attachments.read(sha256: row.sha256, threadPool: req.application.threadPool)
        } catch AttachmentStore.ReadError.corrupted {
            req.logger.error("attachment \(row.id!) failed its SHA-256 check (\(row.sha256))")
            try await req.useCase.acting(as: actor).auditOnly([AuditEvent("attachment.corrupted", objectType: "attachment", objectID: row.id?.uuidString, details: row.sha256)])
            throw EGovError(status: .internalServerError, code: "attachment_corrupted",
                            message: "Tệp \"\(row.fileName)\" không khớp mã băm đã lưu (có thể đã bị thay đổi) nên không được tải xuống. Quản trị hệ thống đã được ghi nhận sự cố.")
        } catch {
            req.logger.error("attachment \(row.id!) is missing from the store (\(row.sha256))")
            throw EGovError(status: .internalServerError, code: "attachment_missing",
                            message: "Không tìm thấy nội dung tệp \"\(row.fileName)\" trong kho lưu trữ.")
        }
        return fileResponse(data, fileName: row.fileName, type: row.attachmentType, sha256: row.sha256, inline: req.wantsInlineFile)
    }

    /// A stored file as a download under its name (ending as its checked type), never sniffed
    /// into another type. `inline` lets the browser show a PDF or an image in the page instead.
    static func fileResponse(_ data: Data, fileName: String, type: AttachmentContentType?, sha256: String, inline: Bool = false) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType.fileExtension(type?.fileExtension ?? "") ?? .binary
        let shown = inline && !(type?.viewKind ?? "").isEmpty
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: contentDisposition(for: type?.fileName(fileName) ?? fileName, inline: shown))
        response.headers.replaceOrAdd(name: "X-Content-SHA256", value: sha256)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    /// `attachment` with an ASCII fallback name and the real (Vietnamese) name per RFC 6266/5987.
    static func contentDisposition(for name: String, inline: Bool = false) -> String {
        let ascii = SearchFolding.fold(name).unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? String($0) : "_" }.joined()
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_~"))) ?? ascii
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

extension Request {
    /// `?inline=1`: show the file in the page (an `<iframe>` or `<img>`) instead of downloading it.
    var wantsInlineFile: Bool { query[String.self, at: "inline"] == "1" }
}
