import EGovCore
import Fluent
import Vapor

/// Trình duyệt: the drafter sends the draft to the unit head; it needs its text attached.
struct SubmitOutgoingDocument {
    let actor: Actor
    let documentID: UUID
    let note: String

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let note = note
        return try await DocumentTransition.run(.submit, documentID: documentID, actor: actor, in: ctx) { db, doc, _ in
            guard try await DocumentAttachment.query(on: db).filter(\.$documentID == doc.id!).count() > 0 else {
                throw EGovError.invalid(["attachments": "Cần đính kèm tệp dự thảo trước khi trình duyệt."])
            }
            return note
        }
    }
}

/// Duyệt: the unit head (or a leader) approves the draft for signature.
struct ApproveOutgoingDocument {
    let actor: Actor
    let documentID: UUID
    let note: String

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let (actor, note) = (actor, note)
        return try await DocumentTransition.run(.approve, documentID: documentID, actor: actor, in: ctx) { _, doc, _ in
            doc.reviewerID = actor.userID
            doc.reviewNote = note
            return note
        }
    }
}

/// Trả lại: back to the drafter with comments (from review or from signing).
struct ReturnOutgoingDocument {
    let actor: Actor
    let documentID: UUID
    let comments: String

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let comments = comments
        return try await DocumentTransition.run(.sendBack, documentID: documentID, actor: actor, in: ctx) { _, doc, _ in
            doc.reviewNote = comments
            return "Ý kiến: \(comments)"
        }
    }
}

/// Hủy dự thảo
struct WithdrawOutgoingDocument {
    let actor: Actor
    let documentID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let reason = reason
        return try await DocumentTransition.run(.withdraw, documentID: documentID, actor: actor, in: ctx) { _, _, _ in "Lý do: \(reason)" }
    }
}

/// Cấp số, phát hành: the clerk takes the next number of the register for the year — in the
/// same transaction, so it is given once and without gaps — and hands copies for other
/// agencies to the exchange outbox.
struct IssueOutgoingDocument {
    let actor: Actor
    let documentID: UUID

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let (actor, now) = (actor, ctx.now)
        let keystore = ctx.services.signingKeystore
        let store = ctx.services.attachments
        let threadPool = ctx.services.threadPool
        let exchange = ctx.services.exchange
        return try await DocumentTransition.run(.issue, documentID: documentID, actor: actor, in: ctx) { db, doc, trail in
            let today = LocalDate.inVietnam(now)
            guard let type = doc.documentType else { throw EGovError.conflict("Loại văn bản không hợp lệ.", code: "bad_type") }
            let unitCode = try await AgencyUnit.find(doc.draftingUnitID, on: db)?.code ?? "VP"
            let number = try await NumberSequences.next(agencyID: actor.agencyID, register: doc.register, year: today.year, on: db)
            let formatted = try IssuerNotation.issueNumber(number, year: today.year, type: type, issuer: doc.issuerNotation, draftingUnitCode: unitCode)
            doc.number = number
            doc.numberYear = today.year
            doc.numberNotation = formatted.formatted
            doc.issuedDate = today.iso
            doc.documentDate = today.iso
            doc.issuedAt = now
            doc.issuedByID = actor.userID
            var note = "Số \(formatted.formatted) ngày \(today.vietnamese)"
            note += try await OutgoingPDFStamps.seal(doc, number: formatted.formatted, date: today, actor: actor, at: now,
                                                     keystore: keystore, store: store, threadPool: threadPool, trail: trail, on: db)
            let agencies = try await OutgoingRecipient.query(on: db).filter(\.$document.$id == doc.id!)
                .filter(\.$kind == OutgoingRecipient.Kind.agency.rawValue).all()
            if !agencies.isEmpty {
                if !doc.confidentialityLevel.mayTravelOverHub {
                    note += ". Văn bản mật: gửi bản giấy, không gửi qua trục liên thông"
                } else {
                    for recipient in agencies {
                        guard let agencyID = recipient.recipientAgencyID else { continue }
                        try await exchange.enqueue(ExchangeEnvelope(payload: .outgoingDocument(id: doc.id!), fromAgencyID: actor.agencyID,
                                                                    recipient: .agency(id: agencyID, name: recipient.name)), on: db)
                    }
                    note += ". Chờ gửi liên thông: \(agencies.count) cơ quan"
                }
            }
            return note
        }
    }
}

extension JSONEncoder {
    /// Signatures are stored with ISO-8601 times, readable by any verifier.
    static var signatures: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

extension JSONDecoder {
    static var signatures: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
