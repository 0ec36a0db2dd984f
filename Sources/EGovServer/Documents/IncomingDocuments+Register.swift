import EGovCore
import Fluent
import Vapor

/// Vào sổ văn bản đến: a clerk registers a document; it takes the next arrival number of the
/// year in the same transaction, and is refused when the same document is already registered.
struct RegisterIncomingDocument {
    let actor: Actor
    let input: IncomingDocumentInput.Valid
    /// Files received with the document, already checked and stored.
    var attachments: [StoredAttachment] = []

    static let arrivalRegister = "incoming"

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        guard DocumentPermissions.canRegister(actor) else { throw EGovError.forbidden("Chỉ văn thư được vào sổ văn bản đến.") }
        let (actor, input, attachments, now) = (self.actor, self.input, self.attachments, ctx.now)
        let (doc, _) = try await ctx.audited { db, trail in
            var senderName = input.senderName
            var senderAgencyID: UUID?
            if let code = input.senderAgencyCode {
                guard let sender = try await Agency.query(on: db).filter(\.$code == code).first() else {
                    throw EGovError.invalid(["sender_agency_code": "Không có cơ quan mã \(code) trong danh bạ."])
                }
                senderAgencyID = sender.id
                senderName = sender.name
            }
            let duplicateKey = IncomingDocumentIdentity.key(sender: senderName, numberNotation: input.number.formatted, issuedDate: input.issuedDate)
            if let earlier = try await IncomingDocument.query(on: db)
                .owned(by: actor)
                .filter(\.$duplicateKey == duplicateKey)
                .filter(\.$state != IncomingDocumentState.withdrawn.rawValue)
                .first() {
                var error = EGovError.conflict(
                    "Văn bản \(earlier.numberNotation) của \(earlier.senderName) ngày \(input.issuedDate.vietnamese) đã được vào sổ đến số \(earlier.arrivalNumber)/\(earlier.arrivalYear) ngày \(LocalDate(iso: earlier.arrivalDate)?.vietnamese ?? earlier.arrivalDate).",
                    code: "duplicate_document")
                error.fieldErrors = ["number_notation": error.message, "duplicate_of": earlier.id!.uuidString]
                throw error
            }

            let doc = IncomingDocument()
            doc.$agency.id = actor.agencyID
            doc.arrivalYear = input.arrivalDate.year
            doc.arrivalNumber = try await NumberSequences.next(agencyID: actor.agencyID, register: Self.arrivalRegister, year: input.arrivalDate.year, on: db)
            doc.arrivalDate = input.arrivalDate.iso
            doc.registeredAt = now
            doc.registeredByID = actor.userID
            doc.senderAgencyID = senderAgencyID
            doc.senderName = senderName
            doc.numberNotation = input.number.formatted
            doc.codeNumber = input.number.number
            doc.codeNotation = input.number.notation
            doc.typeCode = input.type.code
            doc.issuedDate = input.issuedDate.iso
            doc.subject = input.subject
            doc.signerName = input.signerName
            doc.signerPosition = input.signerPosition
            doc.urgency = input.urgency.rawValue
            doc.confidentiality = input.confidentiality.rawValue
            doc.pageCount = input.pageCount
            doc.requestedDueDate = input.dueDate?.iso
            doc.state = IncomingDocumentState.registered.rawValue
            doc.refreshDerivedFields()
            try await doc.create(on: db)
            try await DocumentEvent(documentID: doc.id!, kind: "incoming", at: now, actor: actor, action: "incoming.register",
                                    from: nil, to: doc.state, note: "Vào sổ đến số \(doc.arrivalNumber)").append(on: db)
            var rows: [DocumentAttachment] = []
            for file in attachments {
                rows.append(try await file.attach(to: doc.id!, kind: "incoming", agencyID: actor.agencyID, by: actor, at: now, on: db))
            }
            trail.record("incoming.register", objectType: "incoming_document", objectID: doc.id?.uuidString,
                         details: "Số đến \(doc.arrivalNumber)/\(doc.arrivalYear): \(doc.numberNotation)")
            try await AttachmentTextExtractor.enqueue(rows, at: now, on: db)
            return (doc, rows)
        }
        return doc
    }
}
