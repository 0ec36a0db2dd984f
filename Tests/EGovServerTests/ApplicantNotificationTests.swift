import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// In-app notifications: stored, sent by e-mail or SMS, read only by their owner.
final class ApplicantNotificationTests: ApplicantTestCase {
    private func applicant(_ email: String) async throws -> Applicant {
        try await Applicant.query(on: app.db).filter(\.$email == email).first()!
    }

    private func notify(_ applicantID: UUID, _ title: String, link: String? = nil) async throws {
        try await NotifyApplicant(applicantID: applicantID, title: title, body: "Hồ sơ của bạn đã được tiếp nhận.\nMã hồ sơ: 000.00.14.H20-260302-0001",
                                  link: link).run(in: app.useCase())
        try await app.jobs.runUntilIdle()
    }

    func test_notificationsAreStoredSentAndOnlyTheirOwnerReadsThem() async throws {
        let citizen = try await applicant("congdan@egov.local")
        let business = try await applicant("doanhnghiep@egov.local")
        try await notify(citizen.id!, "Hồ sơ đã được tiếp nhận", link: "/portal/dossiers/1")
        clock.advance(60)
        try await notify(citizen.id!, "Yêu cầu bổ sung hồ sơ")

        XCTAssertEqual(sender.mails.map(\.to), ["congdan@egov.local", "congdan@egov.local"])
        XCTAssertEqual(sender.mails.first?.subject, "Hồ sơ đã được tiếp nhận")
        XCTAssertTrue(sender.mails.first?.body.hasSuffix("/portal/dossiers/1") ?? false, "the mail carries the link")

        let citizenToken = try await applicantToken("congdan@egov.local", password: DemoSeed.password)
        let own = try await api(.GET, "/api/v1/portal/notifications", as: citizenToken)
        XCTAssertEqual(own.status, .ok)
        XCTAssertEqual(try own.json([ApplicantNotificationDTO].self).map(\.title), ["Yêu cầu bổ sung hồ sơ", "Hồ sơ đã được tiếp nhận"], "newest first")

        let businessToken = try await applicantToken("doanhnghiep@egov.local", password: DemoSeed.password)
        let others = try await api(.GET, "/api/v1/portal/notifications", as: businessToken)
        XCTAssertEqual(try others.json([ApplicantNotificationDTO].self).count, 0, "another applicant sees none of them")
        let anonymous = try await api(.GET, "/api/v1/portal/notifications", as: nil)
        XCTAssertEqual(anonymous.status, .unauthorized)
        let staff = try await api(.GET, "/api/v1/portal/notifications", as: try await token("admin"))
        XCTAssertEqual(staff.status, .unauthorized)

        let otherBrowser = browser()
        try await otherBrowser.portalSignIn("doanhnghiep@egov.local", password: DemoSeed.password)
        let otherPage = try await otherBrowser.get("/portal/notifications")
        XCTAssertTrue(otherPage.body.contains("Bạn chưa có thông báo nào."))
        XCTAssertFalse(otherPage.body.contains("Yêu cầu bổ sung hồ sơ"))

        let browser = browser()
        try await browser.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        let account = try await browser.get("/portal/account")
        XCTAssertTrue(account.body.contains("2 thông báo chưa đọc"))
        let page = try await browser.get("/portal/notifications")
        XCTAssertEqual(page.status, .ok)
        let newer = try XCTUnwrap(page.body.range(of: "Yêu cầu bổ sung hồ sơ"))
        let older = try XCTUnwrap(page.body.range(of: "Hồ sơ đã được tiếp nhận"))
        XCTAssertLessThan(newer.lowerBound, older.lowerBound)
        XCTAssertTrue(page.body.contains(#"href="/portal/dossiers/1""#))
        let unread = try await ApplicantNotification.query(on: app.db).filter(\.$applicant.$id == citizen.id!).filter(\.$readAt == nil).count()
        XCTAssertEqual(unread, 0, "opening the page marks them read")
        let businessRows = try await ApplicantNotification.query(on: app.db).filter(\.$applicant.$id == business.id!).count()
        XCTAssertEqual(businessRows, 0)
    }

    func test_phoneOnlyApplicantIsNotifiedBySMS() async throws {
        try await register(phone: "0977000111")
        let stored = try await Applicant.query(on: app.db).filter(\.$phone == "0977000111").first()!
        try await notify(stored.id!, "Hồ sơ đã có kết quả")
        XCTAssertEqual(sender.texts.last?.to, "0977000111")
        XCTAssertTrue(sender.texts.last?.body.hasPrefix("Hồ sơ đã có kết quả: ") ?? false)
    }

    func test_aFailedSendDoesNotFailTheNotification() async throws {
        app.egovServices.mail = FailingSender()
        let citizen = try await applicant("congdan@egov.local")
        try await notify(citizen.id!, "Hồ sơ đã được tiếp nhận")
        let rows = try await ApplicantNotification.query(on: app.db).filter(\.$applicant.$id == citizen.id!).count()
        XCTAssertEqual(rows, 1)
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "applicant.notify").count()
        XCTAssertEqual(audit, 1)
    }
}

struct FailingSender: MailSender {
    func send(_ message: OutgoingMail) async throws { throw SMTPError(description: "connection refused") }
}
