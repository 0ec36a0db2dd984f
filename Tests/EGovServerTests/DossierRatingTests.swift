import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The applicant rates a returned dossier once, on every criterion.
final class DossierRatingTests: DossierOutcomeTestCase {
    let goodRating: [String: String] = ["processing_time": "3", "contacts": "3", "agencies": "2", "attitude": "3", "feedback_handling": "2",
                                        "comment": "Cán bộ hướng dẫn tận tình."]

    func rate(_ id: UUID, as applicant: String = "congdan@egov.local", _ body: [String: String]) async throws -> TestResponse {
        try await api(.POST, "/api/v1/portal/dossiers/\(id)/rating", as: try await demoApplicantToken(applicant), json: body)
    }

    func test_onlyTheApplicantRatesAReturnedDossier_once_withEveryCriterion() async throws {
        let procedure = try await quickProcedure("1.000050", field: "Hộ tịch")
        let dossier = try await submitOnline(procedure)

        let tooEarly = try await rate(dossier.id, goodRating)
        XCTAssertEqual(tooEarly.status, .conflict)
        XCTAssertEqual(tooEarly.error?.message, "Chỉ đánh giá được hồ sơ đã trả kết quả; hồ sơ \(dossier.code) đang ở trạng thái \"Mới tiếp nhận\".")
        try await acceptAndFinish(dossier.id, after: 1)
        let processed = try await rate(dossier.id, goodRating)
        XCTAssertEqual(processed.status, .conflict, "processed but not yet returned")
        try await returnResult(dossier.id)

        let stranger = try await rate(dossier.id, as: "doanhnghiep@egov.local", goodRating)
        XCTAssertEqual(stranger.status, .notFound)
        let officer = try await api(.POST, "/api/v1/portal/dossiers/\(dossier.id)/rating", as: try await token("quangninh.vanthu"), json: goodRating)
        XCTAssertEqual(officer.status, .unauthorized)

        var bad = goodRating
        bad["attitude"] = "4"
        bad["contacts"] = nil
        let invalid = try await rate(dossier.id, bad)
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        XCTAssertEqual(Set(invalid.error?.fields?.keys.map { $0 } ?? []), ["attitude", "contacts"])
        XCTAssertEqual(invalid.error?.fields?["attitude"], "Cần chọn mức độ hài lòng về thái độ của cán bộ.")

        // Levels may come as JSON numbers too.
        let numbers = try await api(.POST, "/api/v1/portal/dossiers/\(dossier.id)/rating", as: try await demoApplicantToken(), json: NumericRating())
        XCTAssertEqual(numbers.status, .created, numbers.body)
        let rating = try numbers.json(DossierRatingDTO.self)
        XCTAssertEqual(rating.levels, ["processing_time": 3, "contacts": 2, "agencies": 3, "attitude": 3, "feedback_handling": 1])
        XCTAssertEqual(rating.average, 2.4, accuracy: 0.0001)

        let twice = try await rate(dossier.id, goodRating)
        XCTAssertEqual(twice.status, .conflict)
        XCTAssertEqual(twice.error?.message, "Hồ sơ \(dossier.code) đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.")
        let stored = try await DossierRating.query(on: app.db).count()
        XCTAssertEqual(stored, 1)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "dossier.rate").count()
        XCTAssertEqual(audited, 1)
    }

    struct NumericRating: Encodable, Sendable {
        let processing_time = 3, contacts = 2, agencies = 3, attitude = 3, feedback_handling = 1
    }

    func test_ratingPage_formAndTheRatingGiven() async throws {
        let procedure = try await quickProcedure("1.000050", field: "Hộ tịch")
        let dossier = try await submitOnline(procedure)
        let browser = browser()
        _ = try await browser.portalSignIn("congdan@egov.local", password: DemoSeed.password)

        let early = try await browser.get("/portal/dossiers/\(dossier.id)/rating")
        XCTAssertEqual(early.status, .ok)
        XCTAssertTrue(early.body.contains("Chỉ đánh giá được hồ sơ đã trả kết quả"))
        XCTAssertFalse(early.body.contains("type=\"radio\""))

        try await acceptAndFinish(dossier.id)
        try await returnResult(dossier.id)
        let form = try await browser.get("/portal/dossiers/\(dossier.id)/rating")
        XCTAssertEqual(form.body.components(separatedBy: "type=\"radio\"").count - 1, 15, "three levels for each of five criteria")
        for criterion in SatisfactionCriterion.allCases { XCTAssertTrue(form.body.contains(criterion.label), criterion.label) }

        let missing = try await browser.post("/portal/dossiers/\(dossier.id)/rating", [("processing_time", "3"), ("comment", "Nhanh")])
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertTrue(missing.body.contains("Cần chọn mức độ hài lòng về số lần phải liên hệ, đi lại."))
        XCTAssertTrue(missing.body.contains("id=\"processing_time-3\" name=\"processing_time\" value=\"3\" checked"), "choices made are kept")

        let sent = try await browser.post("/portal/dossiers/\(dossier.id)/rating", goodRating.map { ($0.key, $0.value) })
        XCTAssertEqual(sent.status, .seeOther)
        let shown = try await browser.get("/portal/dossiers/\(dossier.id)/rating")
        XCTAssertTrue(shown.body.contains("Đánh giá của bạn"))
        XCTAssertTrue(shown.body.contains("Cảm ơn bạn đã đánh giá"))
        XCTAssertTrue(shown.body.contains("Cán bộ hướng dẫn tận tình."))
        XCTAssertFalse(shown.body.contains("type=\"radio\""))

        let other = self.browser()
        _ = try await other.portalSignIn("doanhnghiep@egov.local", password: DemoSeed.password)
        let foreign = try await other.get("/portal/dossiers/\(dossier.id)/rating")
        XCTAssertEqual(foreign.status, .notFound)
        let anonymous = try await self.browser().get("/portal/dossiers/\(dossier.id)/rating")
        XCTAssertEqual(anonymous.status, .seeOther, "sign in first")
    }
}
