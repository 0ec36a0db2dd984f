import EGovCore
import Fluent
import Vapor

/// Soạn thảo: a specialist (or unit head, leader) starts a draft in their unit.
struct CreateOutgoingDraft {
    let actor: Actor
    let input: OutgoingDocumentInput.Valid
    var attachments: [StoredAttachment] = []

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        guard OutgoingDocumentPermissions.canDraft(actor) else { throw EGovError.forbidden("Bạn không có quyền soạn văn bản đi.") }
        let (actor, input, attachments, now) = (actor, input, attachments, ctx.now)
        let (doc, _) = try await ctx.audited { db, trail in
            let doc = OutgoingDocument()
            doc.$agency.id = actor.agencyID
            doc.draftingUnitID = actor.unitID
            doc.drafterID = actor.userID
            doc.state = OutgoingDocumentState.draft.rawValue
            doc.documentDate = LocalDate.inVietnam(now).iso
            try await OutgoingDraftContent.apply(input, to: doc, actor: actor, on: db)
            try await doc.create(on: db)
            try await OutgoingDraftContent.replaceRecipients(of: doc, with: input, actor: actor, on: db)
            var rows: [DocumentAttachment] = []
            for file in attachments {
                rows.append(try await file.attach(to: doc.id!, kind: "outgoing", agencyID: actor.agencyID, by: actor, at: now, on: db))
            }
            try await DocumentEvent(documentID: doc.id!, kind: "outgoing", at: now, actor: actor, action: "outgoing.create",
                                    from: nil, to: doc.state, note: "Tạo dự thảo").append(on: db)
            trail.record("outgoing.create", objectType: "outgoing_document", objectID: doc.id?.uuidString, details: doc.subject)
            try await AttachmentTextExtractor.enqueue(rows, at: now, on: db)
            return (doc, rows)
        }
        return doc
    }
}

/// The drafter changes a draft (or a returned one).
struct UpdateOutgoingDraft {
    let actor: Actor
    let documentID: UUID
    let input: OutgoingDocumentInput.Valid

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let (actor, documentID, input, now) = (actor, documentID, input, ctx.now)
        return try await ctx.audited { db, trail in
            let doc = try await OutgoingDocumentQueries.visible(documentID, to: actor, on: db)
            guard OutgoingDocumentPermissions.canEdit(doc, actor: actor) else {
                throw doc.drafterID == actor.userID
                    ? EGovError.conflict("Văn bản đang ở trạng thái \"\(doc.workflowState.label)\" nên không sửa được.", code: "illegal_move")
                    : EGovError.forbidden("Chỉ người soạn thảo được sửa dự thảo.")
            }
            try await OutgoingDraftContent.apply(input, to: doc, actor: actor, on: db)
            try await doc.update(on: db)
            try await OutgoingDraftContent.replaceRecipients(of: doc, with: input, actor: actor, on: db)
            try await DocumentEvent(documentID: doc.id!, kind: "outgoing", at: now, actor: actor, action: "outgoing.update",
                                    from: doc.state, to: doc.state, note: "Sửa dự thảo").append(on: db)
            trail.record("outgoing.update", objectType: "outgoing_document", objectID: doc.id?.uuidString, details: doc.subject)
            return doc
        }
    }
}

/// A new file, or a new version of a file, on a draft: each save keeps its version and SHA-256.
struct AddOutgoingAttachment {
    let actor: Actor
    let documentID: UUID
    let files: [StoredAttachment]

    func run(in ctx: UseCaseContext) async throws -> [DocumentAttachment] {
        let (actor, documentID, files, now) = (actor, documentID, files, ctx.now)
        let rows = try await ctx.audited { db, trail in
            let doc = try await OutgoingDocumentQueries.visible(documentID, to: actor, on: db)
            guard OutgoingDocumentPermissions.canEdit(doc, actor: actor) else {
                throw doc.drafterID == actor.userID
                    ? EGovError.conflict("Văn bản đang ở trạng thái \"\(doc.workflowState.label)\" nên không thêm tệp được.", code: "illegal_move")
                    : EGovError.forbidden("Chỉ người soạn thảo được thêm tệp vào dự thảo.")
            }
            var rows: [DocumentAttachment] = []
            for file in files {
                let row = try await file.attach(to: documentID, kind: "outgoing", agencyID: actor.agencyID, by: actor, at: now, on: db)
                rows.append(row)
                trail.record("outgoing.attachment.add", objectType: "outgoing_document", objectID: documentID.uuidString,
                             details: "\(row.fileName) v\(row.version) sha256:\(row.sha256)")
            }
            doc.updatedAt = now
            try await doc.update(on: db)
            try await AttachmentTextExtractor.enqueue(rows, at: now, on: db)
            return rows
        }
        return rows
    }
}

/// Filling a draft from its input: shared by create and update.
enum OutgoingDraftContent {
    static func apply(_ input: OutgoingDocumentInput.Valid, to doc: OutgoingDocument, actor: Actor, on db: Database) async throws {
        doc.typeCode = input.type.code
        doc.subject = input.subject
        doc.summary = input.summary
        doc.urgency = input.urgency.rawValue
        doc.confidentiality = input.confidentiality.rawValue
        doc.pageCount = input.pageCount
        doc.issuerNotation = input.issuerNotation ?? IssuerNotation.abbreviate(agencyName: actor.agencyName)
        doc.refreshDerivedFields()
    }

    static func replaceRecipients(of doc: OutgoingDocument, with input: OutgoingDocumentInput.Valid, actor: Actor, on db: Database) async throws {
        var recipients: [OutgoingRecipient] = []
        for id in input.recipientUnitIDs {
            let unit = try await AgencyColleagues.unit(id, of: actor, field: "recipient_unit_ids", on: db)
            recipients.append(OutgoingRecipient(documentID: doc.id!, kind: .unit, unitID: id, name: unit.name))
        }
        for id in input.recipientUserIDs {
            let user = try await AgencyColleagues.colleague(id, of: actor, field: "recipient_user_ids", on: db)
            recipients.append(OutgoingRecipient(documentID: doc.id!, kind: .person, userID: id, name: user.fullName))
        }
        for code in input.recipientAgencyCodes {
            guard let agency = try await Agency.query(on: db).filter(\.$code == code).filter(\.$isActive == true).first() else {
                throw EGovError.invalid(["recipient_agency_codes": "Không có cơ quan mã \(code) trong danh bạ."])
            }
            guard agency.id != actor.agencyID else {
                throw EGovError.invalid(["recipient_agency_codes": "Nơi nhận trong cơ quan mình hãy chọn theo đơn vị hoặc người."])
            }
            recipients.append(OutgoingRecipient(documentID: doc.id!, kind: .agency, agencyID: agency.id, name: agency.name))
        }
        for name in input.externalRecipients {
            recipients.append(OutgoingRecipient(documentID: doc.id!, kind: .external, name: name))
        }
        try await OutgoingRecipient.query(on: db).filter(\.$document.$id == doc.id!).delete()
        for (index, recipient) in recipients.enumerated() {
            recipient.position = index
            try await recipient.create(on: db)
        }
    }
}
