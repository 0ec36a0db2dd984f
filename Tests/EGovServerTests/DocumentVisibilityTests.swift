import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The permissions types state who may see a document; the queries filter rows in SQL. This
/// checks that both say the same for every person of an agency, over documents in every state.
final class DocumentVisibilityTests: EGovTestCase {
    func test_queriesShowExactlyWhatThePermissionsTypesAllow() async throws {
        let province = "000.00.00.H49"
        let leaderUser = try await user("quangninh.lanhdao")
        let specialistUser = try await user("quangninh.chuyenvien")
        let th = try await unit(province, "TH")
        let kstt = try await unit(province, "KSTT")
        let clerk = try await token("quangninh.vanthu")
        let leader = try await token("quangninh.lanhdao")
        let head = try await token("quangninh.truongphong")
        // Incoming: registered, presented, directed with a cooperating unit, assigned; ordinary and confidential.
        for (i, confidentiality) in ["normal", "confidential"].enumerated() {
            for step in 0...3 {
                let doc = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "\(i * 10 + step + 1)/QĐ-BNV", "confidentiality": confidentiality])
                if step >= 1 { _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: clerk, json: ["leader_id": leaderUser.id!.uuidString]) }
                if step >= 2 {
                    _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: leader,
                                      json: IncomingDocumentTests.DirectBody(lead_unit_id: th.id!.uuidString, cooperating_unit_ids: [kstt.id!.uuidString]))
                }
                if step >= 3 { _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/assign", as: head, json: ["assignee_id": specialistUser.id!.uuidString]) }
            }
        }
        // Outgoing: a draft, one in review, one issued to the KSTT unit; ordinary and secret.
        let specialist = try await token("quangninh.chuyenvien")
        for confidentiality in ["normal", "secret"] {
            for step in 0...2 {
                let doc = try await api(.POST, "/api/v1/outgoing-documents", as: specialist,
                                        json: ["subject": "Dự thảo \(confidentiality) \(step)", "confidentiality": confidentiality,
                                               "recipient_unit_ids": kstt.id!.uuidString]).json(OutgoingDocumentDTO.self)
                _ = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: specialist, fileName: "a.pdf", data: samplePDF)
                if step >= 1 { _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/submit", as: specialist, json: [String: String]()) }
                if step >= 2 {
                    _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: head, json: [String: String]())
                    _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/sign", as: leader, json: ["confirm": "true"])
                    _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: clerk, json: [String: String]())
                }
            }
        }
        // A specialist of the cooperating unit, and everyone else of the agency.
        let agency = try await agency(province)
        try await User(agencyID: agency.id!, unitID: kstt.id!, username: "quangninh.kstt", fullName: "Lê Thị Thu", roles: [.specialist],
                       passwordHash: try app.password.hash(DemoSeed.password)).create(on: app.db)
        let incoming = try await IncomingDocument.query(on: app.db).all()
        let outgoing = try await OutgoingDocument.query(on: app.db).all()
        XCTAssertEqual(incoming.count, 8)
        XCTAssertEqual(outgoing.count, 6)
        let people = try await User.query(on: app.db).filter(\.$agency.$id == agency.id!).with(\.$agency).with(\.$unit).all()
        XCTAssertGreaterThanOrEqual(people.count, 6)
        var seenBySomeone = 0
        for person in people {
            let actor = Actor(user: person)
            var expectedIncoming: Set<UUID> = []
            for doc in incoming {
                let units = try await IncomingDocumentQueries.cooperatingUnitIDs(of: doc.id!, on: app.db)
                if DocumentPermissions.canView(doc, cooperatingUnitIDs: units, actor: actor) { expectedIncoming.insert(doc.id!) }
            }
            let queriedIncoming = Set(try await IncomingDocumentQueries.visibleQuery(to: actor, on: app.db).all().map { $0.id! })
            XCTAssertEqual(queriedIncoming, expectedIncoming, person.username)
            var expectedOutgoing: Set<UUID> = []
            for doc in outgoing {
                let recipients = try await OutgoingDocumentQueries.recipients(of: doc.id!, on: app.db)
                if OutgoingDocumentPermissions.canView(doc, recipientUnitIDs: recipients.compactMap(\.unitID),
                                                       recipientUserIDs: recipients.compactMap(\.userID), actor: actor) {
                    expectedOutgoing.insert(doc.id!)
                }
            }
            let queriedOutgoing = Set(try await OutgoingDocumentQueries.visibleQuery(to: actor, on: app.db).all().map { $0.id! })
            XCTAssertEqual(queriedOutgoing, expectedOutgoing, person.username)
            seenBySomeone += expectedIncoming.count + expectedOutgoing.count
        }
        XCTAssertGreaterThan(seenBySomeone, 0)
        // Spot checks of the rule itself: the cooperating unit's specialist sees the ordinary
        // directed documents and the issued ordinary outgoing one, never the confidential ones.
        let coop = Actor(user: try await User.query(on: app.db).filter(\.$username == "quangninh.kstt").with(\.$agency).with(\.$unit).first()!)
        let coopIncoming = try await IncomingDocumentQueries.visibleQuery(to: coop, on: app.db).all()
        XCTAssertEqual(coopIncoming.count, 2)
        XCTAssertTrue(coopIncoming.allSatisfy { $0.confidentiality == "normal" })
        let coopOutgoing = try await OutgoingDocumentQueries.visibleQuery(to: coop, on: app.db).all()
        XCTAssertEqual(coopOutgoing.map(\.state), ["issued"])
    }
}
