import Fluent
import SQLKit
import XCTest
@testable import EGovServer

/// The one seam for what leaves an agency: envelopes are written in the caller's transaction.
final class ExchangeOutboxTests: EGovTestCase {
    private struct Abandoned: Error {}

    func test_anEnvelopeOfARolledBackChangeIsNeverSent() async throws {
        let from = try await agency("000.00.00.H49")
        let to = try await agency("000.00.01.H49")
        let envelope = ExchangeEnvelope(payload: .dossier(id: UUID(), code: "H49-TEST"), fromAgencyID: from.id!, recipient: .agencyCode(to.code))
        let ctx = app.useCase()
        do {
            _ = try await ctx.audited { db, _ in
                try await ctx.services.exchange.enqueue(envelope, on: db)
                throw Abandoned()
            }
            XCTFail("the change was meant to fail")
        } catch is Abandoned {}
        let count = try await OutboxMessage.query(on: app.db).count()
        XCTAssertEqual(count, 0)

        let receipt = try await ctx.audited { db, _ in try await ctx.services.exchange.enqueue(envelope, on: db) }
        XCTAssertEqual(receipt.recipientAgencyID, to.id)
        XCTAssertTrue(receipt.deliveredOnThisNode)
    }

    func test_anUnknownOrInactiveRecipientIsRefusedWithItsCode() async throws {
        let from = try await agency("000.00.00.H49")
        let ctx = app.useCase()
        for code in ["000.00.99.H49"] {
            let envelope = ExchangeEnvelope(payload: .dossier(id: UUID(), code: "H49-X"), fromAgencyID: from.id!, recipient: .agencyCode(code))
            do {
                _ = try await ctx.audited { db, _ in try await ctx.services.exchange.enqueue(envelope, on: db) }
                XCTFail("sent to \(code)")
            } catch let error as EGovError {
                XCTAssertEqual(error.code, "exchange_unreachable")
                XCTAssertTrue(error.message.contains(code), error.message)
            }
        }
        let inactive = try await agency("000.00.01.H49")
        inactive.isActive = false
        try await inactive.update(on: app.db)
        let envelope = ExchangeEnvelope(payload: .dossier(id: UUID(), code: "H49-Y"), fromAgencyID: from.id!, recipient: .agencyCode(inactive.code))
        do {
            _ = try await ctx.audited { db, _ in try await ctx.services.exchange.enqueue(envelope, on: db) }
            XCTFail("sent to an inactive agency")
        } catch let error as EGovError {
            XCTAssertEqual(error.code, "exchange_unreachable")
        }
    }

    func test_theMigrationCarriesDocumentsOfTheOldOutboxBothWays() async throws {
        let from = try await agency("000.00.00.H49")
        let to = try await agency("000.00.01.H49")
        let specialist = try await token("quangninh.chuyenvien")
        let documentID = try await api(.POST, "/api/v1/outgoing-documents", as: specialist, json: ["subject": "Báo cáo thử"])
            .json(OutgoingDocumentDTO.self).id
        let ctx = app.useCase()
        try await ctx.audited { db, _ in
            try await ctx.services.exchange.enqueue(ExchangeEnvelope(payload: .outgoingDocument(id: documentID), fromAgencyID: from.id!,
                                                                     recipient: .agency(id: to.id!, name: to.name)), on: db)
            try await ctx.services.exchange.enqueue(ExchangeEnvelope(payload: .dossier(id: UUID(), code: "H49-Z"), fromAgencyID: from.id!,
                                                                     recipient: .agencyCode(to.code)), on: db)
        }
        try await MoveOutboxToExchange().revert(on: app.db)
        let legacy = try await sql.raw("SELECT document_id, recipient_name, state FROM exchange_outbox").all()
        XCTAssertEqual(legacy.count, 1, "only documents lived in the old outbox")
        XCTAssertEqual(try legacy.first?.decode(column: "recipient_name", as: String.self), to.name)

        try await MoveOutboxToExchange().prepare(on: app.db)
        let messages = try await ExchangeOutbox.messages(forDocument: documentID, on: app.db)
        XCTAssertEqual(messages.map(\.recipientName), [to.name])
        XCTAssertEqual(messages.map(\.state), ["waiting"])
        XCTAssertEqual(messages.first?.$document.id, documentID)
    }
}
