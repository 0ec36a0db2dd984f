import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The one transition pipeline: 404 for what the actor may not see, then 403 for a move they may
/// not make, then 409 for a move the state machine refuses; one move at a time per object.
final class TransitionTests: EGovTestCase {
    private func workFile(_ code: String, as username: String = "quangninh.chuyenvien") async throws -> WorkFileDTO {
        let response = try await api(.POST, "/api/v1/work-files", as: try await token(username),
                                     json: ["code": code, "title": "Hồ sơ thử chuyển trạng thái", "retention": "10"])
        XCTAssertEqual(response.status, .created, response.body)
        return try response.json(WorkFileDTO.self)
    }

    private func fileWithADocument(_ code: String) async throws -> WorkFileDTO {
        let file = try await workFile(code)
        let draft = try await api(.POST, "/api/v1/outgoing-documents", as: try await token("quangninh.chuyenvien"),
                                  json: ["type_code": "official_letter", "subject": "Báo cáo thử", "page_count": "1"]).json(OutgoingDocumentDTO.self)
        let added = try await api(.POST, "/api/v1/work-files/\(file.id)/documents", as: try await token("quangninh.chuyenvien"),
                                  json: ["kind": "outgoing", "document_id": draft.id.uuidString])
        XCTAssertEqual(added.status, .created, added.body)
        return file
    }

    func test_theAnswerOrderIsNotFoundThenForbiddenThenConflict() async throws {
        let file = try await workFile("01.TH")
        // Another agency: 404, although archiving an open file is also illegal.
        let outsider = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: try await token("dongthap.vanthu"))
        XCTAssertEqual(outsider.status, .notFound, outsider.body)
        // The keeper may not archive (a clerk's move), and the file is open: the permission answers first.
        let keeper = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: try await token("quangninh.chuyenvien"))
        XCTAssertEqual(keeper.status, .forbidden, keeper.body)
        // The clerk may archive, but not an open file: 409 with the state machine's reason.
        let clerk = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: try await token("quangninh.vanthu"))
        XCTAssertEqual(clerk.status, .conflict, clerk.body)
        XCTAssertEqual(clerk.error?.error, "illegal_move")
        let history = try await WorkFileEvent.history(of: file.id, on: app.db)
        XCTAssertEqual(history.count, 0, "a refused move leaves no history")
    }

    func test_concurrentMovesOnOneFileRunOneAfterTheOther() async throws {
        let file = try await fileWithADocument("02.TH")
        let specialist = try await token("quangninh.chuyenvien")
        let app = self.app!
        let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
            for _ in 0..<6 {
                group.addTask { try await postJSON(app: app, "/api/v1/work-files/\(file.id)/close", token: specialist, body: [:]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses.filter { $0 == .ok }.count, 1, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == .conflict }.count, 5, "\(statuses)")
        let history = try await WorkFileEvent.history(of: file.id, on: app.db)
        XCTAssertEqual(history.map(\.action), ["workfile.close"])
        XCTAssertEqual(history.map(\.toState), ["closed"])
    }

    func test_aWorkFileKeepsTheHistoryOfItsMovesAndShowsIt() async throws {
        let file = try await fileWithADocument("03.TH")
        let specialist = try await token("quangninh.chuyenvien")
        for move in ["close", "reopen", "close"] {
            let response = try await api(.POST, "/api/v1/work-files/\(file.id)/\(move)", as: specialist)
            XCTAssertEqual(response.status, .ok, response.body)
            clock.advance(60)
        }
        let archived = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: try await token("quangninh.vanthu"))
        XCTAssertEqual(archived.status, .ok, archived.body)
        let history = try await WorkFileEvent.history(of: file.id, on: app.db)
        XCTAssertEqual(history.map(\.action), ["workfile.close", "workfile.reopen", "workfile.close", "workfile.archive"])
        XCTAssertEqual(history.map(\.fromState), ["open", "closed", "open", "closed"])
        let clerk = try await user("quangninh.vanthu")
        XCTAssertEqual(history.last?.actorName, clerk.fullName)

        let browser = browser()
        _ = try await browser.signIn("quangninh.chuyenvien")
        let page = try await browser.get("/work-files/\(file.id)")
        XCTAssertTrue(page.body.contains("Lịch sử hồ sơ"), page.body)
        XCTAssertTrue(page.body.contains("Nộp lưu trữ</td>"), page.body)
        XCTAssertTrue(page.body.contains("Mở lại hồ sơ</td>"), page.body)
    }
}
