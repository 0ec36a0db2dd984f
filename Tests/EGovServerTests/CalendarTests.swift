import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

final class CalendarTests: EGovTestCase {
    func test_holidaysOf2026IncludeTet() async throws {
        let res = try await api(.GET, "/api/v1/calendar/holidays?year=2026", as: nil)
        XCTAssertEqual(res.status, .ok)
        let holidays = try res.json([HolidayDTO].self)
        XCTAssertTrue(holidays.contains { $0.date == "2026-02-17" && $0.name == "Tết Nguyên đán" })
        XCTAssertTrue(holidays.contains { $0.date == "2026-09-02" })
    }

    func test_badYearIs400() async throws {
        do { let value = try await api(.GET, "/api/v1/calendar/holidays?year=abc", as: nil).status; XCTAssertEqual(value, .badRequest) }
        do { let value = try await api(.GET, "/api/v1/calendar/holidays?year=2300", as: nil).status; XCTAssertEqual(value, .badRequest) }
        do { let value = try await api(.GET, "/api/v1/calendar/holidays", as: nil).error?.error; XCTAssertEqual(value, "missing_year") }
    }

    func test_workingDaysSkipTet2026() async throws {
        let res = try await api(.GET, "/api/v1/calendar/working-days?from=2026-02-13&days=1", as: nil).json(WorkingDaysDTO.self)
        XCTAssertEqual(res.date, "2026-02-23")
        do { let value = try await api(.GET, "/api/v1/calendar/working-days?from=2026-13-01&days=1", as: nil).status; XCTAssertEqual(value, .badRequest) }
        do { let value = try await api(.GET, "/api/v1/calendar/working-days?from=2026-02-13&days=-2", as: nil).status; XCTAssertEqual(value, .badRequest) }
    }

    func test_overrideShiftsDeadlinesAndOnlySystemAdminMayEdit() async throws {
        let clerk = try await token("vpcp.vanthu")
        let refused = try await api(.POST, "/api/v1/calendar/overrides", as: clerk, json: ["date": "2026-02-23", "kind": "day_off", "name": "Nghỉ thêm"])
        XCTAssertEqual(refused.status, .forbidden)
        let anonymous = try await api(.POST, "/api/v1/calendar/overrides", as: nil, json: ["date": "2026-02-23", "kind": "day_off", "name": "Nghỉ thêm"])
        XCTAssertEqual(anonymous.status, .unauthorized)

        let admin = try await token("admin")
        let bad = try await api(.POST, "/api/v1/calendar/overrides", as: admin, json: ["date": "23/02/2026", "kind": "holiday", "name": ""])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertEqual(Set(bad.error?.fields?.keys.map { $0 } ?? []), ["date", "kind", "name"])

        let created = try await api(.POST, "/api/v1/calendar/overrides", as: admin, json: ["date": "2026-02-23", "kind": "day_off", "name": "Nghỉ Tết thêm"])
        XCTAssertEqual(created.status, .created)
        let duplicate = try await api(.POST, "/api/v1/calendar/overrides", as: admin, json: ["date": "2026-02-23", "kind": "day_off", "name": "Lần hai"])
        XCTAssertEqual(duplicate.status, .conflict)
        let shifted = try await api(.GET, "/api/v1/calendar/working-days?from=2026-02-13&days=1", as: nil).json(WorkingDaysDTO.self)
        XCTAssertEqual(shifted.date, "2026-02-24")

        // A swapped working Saturday counts as a working day.
        try await api(.POST, "/api/v1/calendar/overrides", as: admin, json: ["date": "2026-02-28", "kind": "working_day", "name": "Làm bù"])
        let saturday = try await api(.GET, "/api/v1/calendar/working-days?from=2026-02-27&days=1", as: nil).json(WorkingDaysDTO.self)
        XCTAssertEqual(saturday.date, "2026-02-28")

        let id = try created.json(CalendarOverrideDTO.self).id
        do { let value = try await api(.DELETE, "/api/v1/calendar/overrides/\(id)", as: clerk).status; XCTAssertEqual(value, .forbidden) }
        do { let value = try await api(.DELETE, "/api/v1/calendar/overrides/\(id)", as: admin).status; XCTAssertEqual(value, .noContent) }
        let back = try await api(.GET, "/api/v1/calendar/working-days?from=2026-02-13&days=1", as: nil).json(WorkingDaysDTO.self)
        XCTAssertEqual(back.date, "2026-02-23")
    }

    func test_holidayPageAddsAndRemovesOverrides() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        let page = try await browser.get("/admin/holidays?year=2026")
        XCTAssertTrue(page.body.contains("Tết Nguyên đán"))
        let res = try await browser.post("/admin/holidays", [("date", "2026-02-13"), ("kind", "day_off"), ("name", "Nghỉ trước Tết")])
        XCTAssertEqual(res.status, .seeOther)
        let after = try await browser.get("/admin/holidays?year=2026")
        XCTAssertTrue(after.body.contains("Nghỉ trước Tết"))
        XCTAssertTrue(after.body.contains(#"<time datetime="2026-02-13">13/02/2026</time>"#), "dates as people read them")
        let record = try await CalendarOverrideRecord.query(on: app.db).first()!
        // Deleting asks first; a post without the confirmation deletes nothing.
        let unasked = try await browser.post("/admin/holidays/\(record.id!)/delete", [])
        XCTAssertEqual(unasked.status, .seeOther)
        XCTAssertEqual(unasked.headers.first(name: .location), "/admin/holidays/\(record.id!)/delete")
        do { let value = try await CalendarOverrideRecord.query(on: app.db).count(); XCTAssertEqual(value, 1) }
        let question = try await browser.get("/admin/holidays/\(record.id!)/delete")
        XCTAssertTrue(question.body.contains("Xóa điều chỉnh lịch làm việc?"))
        XCTAssertTrue(question.body.contains("13/02/2026"))
        let deleted = try await browser.post("/admin/holidays/\(record.id!)/delete", [("confirm", "yes")])
        XCTAssertEqual(deleted.status, .seeOther)
        do { let value = try await CalendarOverrideRecord.query(on: app.db).count(); XCTAssertEqual(value, 0) }
    }

    func test_aRefusedOverrideShowsItsErrorFirstWithTheFieldFocused() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        _ = try await browser.get("/admin/holidays?year=2026")
        let refused = try await browser.post("/admin/holidays", [("date", "13-02-2026"), ("kind", "day_off"), ("name", "Nghỉ")])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let form = try XCTUnwrap(refused.body.range(of: "new-override-title"))
        let list = try XCTUnwrap(refused.body.range(of: "holidays-title"))
        XCTAssertLessThan(form.lowerBound, list.lowerBound, "the form and its error come before the lists")
        XCTAssertTrue(refused.body.contains(#"autofocus aria-invalid="true""#))
    }

    func test_holidayPageIsReadOnlyForNonAdmins() async throws {
        let browser = browser()
        _ = try await browser.signIn("bnv.vanthu")
        let page = try await browser.get("/admin/holidays?year=2026")
        XCTAssertEqual(page.status, .ok)
        XCTAssertFalse(page.body.contains("action=\"/admin/holidays\""))
        let res = try await browser.post("/admin/holidays", [("date", "2026-02-13"), ("kind", "day_off"), ("name", "X")])
        XCTAssertEqual(res.status, .forbidden)
    }
}
