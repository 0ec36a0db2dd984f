import EGovCore
import Foundation
import XCTest

final class WorkingDayCalendarTests: XCTestCase {
    let calendar = WorkingDayCalendar()

    private func list(_ holidays: [Holiday]) -> [String] {
        holidays.map { "\($0.date.iso) \($0.name)" }
    }

    func test_holidays2026() {
        XCTAssertEqual(list(calendar.holidays(in: 2026)), [
            "2026-01-01 Tết Dương lịch",
            "2026-02-16 Tết Nguyên đán",
            "2026-02-17 Tết Nguyên đán",
            "2026-02-18 Tết Nguyên đán",
            "2026-02-19 Tết Nguyên đán",
            "2026-02-20 Tết Nguyên đán",
            "2026-04-26 Giỗ Tổ Hùng Vương",
            "2026-04-27 Nghỉ bù Giỗ Tổ Hùng Vương",
            "2026-04-30 Ngày Chiến thắng",
            "2026-05-01 Ngày Quốc tế Lao động",
            "2026-09-02 Quốc khánh",
            "2026-09-03 Quốc khánh",
        ])
        XCTAssertEqual(calendar.statutoryHolidays(in: 2026), calendar.holidays(in: 2026))
    }

    func test_makeUpDaysFor2022WeekendHolidays() {
        // 1/1 Sat; Hùng Kings 10/4 Sun; 30/4 Sat and 1/5 Sun share a weekend, so two make-ups follow.
        let makeUps = calendar.holidays(in: 2022).filter { $0.name.hasPrefix("Nghỉ bù") }
        XCTAssertEqual(list(makeUps), [
            "2022-01-03 Nghỉ bù Tết Dương lịch",
            "2022-04-11 Nghỉ bù Giỗ Tổ Hùng Vương",
            "2022-05-02 Nghỉ bù Ngày Chiến thắng",
            "2022-05-03 Nghỉ bù Ngày Quốc tế Lao động",
        ])
        XCTAssertFalse(calendar.isWorkingDay(d("2022-05-03")))
        XCTAssertTrue(calendar.isWorkingDay(d("2022-05-04")))
    }

    func test_makeUpDaysFollowTheTetBlock() {
        // Tết 2024 was Saturday 10 Feb: the block 9–13 Feb has two weekend days, made up on 14 and 15 Feb.
        let tet = calendar.holidays(in: 2024).filter { $0.date.month == 2 }
        XCTAssertEqual(list(tet), [
            "2024-02-09 Tết Nguyên đán",
            "2024-02-10 Tết Nguyên đán",
            "2024-02-11 Tết Nguyên đán",
            "2024-02-12 Tết Nguyên đán",
            "2024-02-13 Tết Nguyên đán",
            "2024-02-14 Nghỉ bù Tết Nguyên đán",
            "2024-02-15 Nghỉ bù Tết Nguyên đán",
        ])
    }

    func test_nationalDayAdjacentDayJoinsAWeekend() {
        func adjacent(_ year: Int) -> [String] {
            calendar.holidays(in: year).filter { $0.date.month == 9 }.map(\.date.iso)
        }
        XCTAssertEqual(adjacent(2025), ["2025-09-01", "2025-09-02"])                  // Tue → Mon 1/9
        XCTAssertEqual(adjacent(2026), ["2026-09-02", "2026-09-03"])                  // Wed → Thu 3/9
        XCTAssertEqual(adjacent(2027), ["2027-09-02", "2027-09-03"])                  // Thu → Fri 3/9
        XCTAssertEqual(adjacent(2022), ["2022-09-01", "2022-09-02"])                  // Fri → Thu 1/9
        XCTAssertEqual(adjacent(2023), ["2023-09-01", "2023-09-02", "2023-09-04"])    // Sat → Fri 1/9, make-up Mon
        XCTAssertEqual(adjacent(2029), ["2029-09-02", "2029-09-03", "2029-09-04"])    // Sun → Mon 3/9, make-up Tue
        XCTAssertEqual(adjacent(2024), ["2024-09-02", "2024-09-03"])                  // Mon → Tue 3/9
    }

    func test_rulesBeforeTheirStartYears() {
        // Before 2021 only 2/9; before 2007 no Hùng Kings holiday.
        XCTAssertEqual(calendar.holidays(in: 2020).filter { $0.date.month == 9 }.map(\.date.iso), ["2020-09-02"])
        XCTAssertFalse(calendar.holidays(in: 2006).contains { $0.name == "Giỗ Tổ Hùng Vương" })
        XCTAssertTrue(calendar.holidays(in: 2007).contains { $0.name == "Giỗ Tổ Hùng Vương" })
    }

    func test_yearsOutsideRangeHaveNoStatutoryHolidays() {
        XCTAssertTrue(calendar.statutoryHolidays(in: 1899).isEmpty)
        XCTAssertTrue(calendar.statutoryHolidays(in: 2200).isEmpty)
        XCTAssertFalse(calendar.statutoryHolidays(in: 1900).isEmpty)
        XCTAssertFalse(calendar.statutoryHolidays(in: 2199).isEmpty)
        XCTAssertTrue(calendar.isWorkingDay(d("2200-01-01"))) // a Wednesday
    }

    func test_overridesAddDaysOffAndSwapSaturdays() {
        let calendar = WorkingDayCalendar(overrides: [
            CalendarOverride(date: d("2026-02-13"), kind: .dayOff, name: "Nghỉ Tết (hoán đổi)"),
            CalendarOverride(date: d("2026-02-28"), kind: .workingDay, name: "Làm bù cho 13/2"),
            CalendarOverride(date: d("2026-09-03"), kind: .workingDay, name: "Đi làm"),
        ])
        let holidays = calendar.holidays(in: 2026)
        XCTAssertTrue(holidays.contains(Holiday(date: d("2026-02-13"), name: "Nghỉ Tết (hoán đổi)")))
        XCTAssertFalse(holidays.contains { $0.date == d("2026-09-03") })
        XCTAssertTrue(calendar.statutoryHolidays(in: 2026).contains { $0.date == d("2026-09-03") })
        XCTAssertEqual(holidays.map(\.date), holidays.map(\.date).sorted())
        XCTAssertFalse(calendar.isWorkingDay(d("2026-02-13")))
        XCTAssertTrue(calendar.isWorkingDay(d("2026-02-28"))) // a Saturday worked in exchange
        XCTAssertTrue(calendar.isWorkingDay(d("2026-09-03")))
        XCTAssertEqual(calendar.addWorkingDays(1, to: d("2026-02-12")), d("2026-02-23"))
        XCTAssertEqual(calendar.addWorkingDays(1, to: d("2026-02-27")), d("2026-02-28"))
    }

    func test_weekendsAndHolidaysAreNotWorkingDays() {
        XCTAssertTrue(calendar.isWorkingDay(d("2026-02-13")))  // Friday
        XCTAssertFalse(calendar.isWorkingDay(d("2026-02-14"))) // Saturday
        XCTAssertFalse(calendar.isWorkingDay(d("2026-02-15"))) // Sunday
        XCTAssertFalse(calendar.isWorkingDay(d("2026-02-17"))) // Tết
        XCTAssertFalse(calendar.isWorkingDay(d("2026-04-27"))) // make-up day
    }

    func test_deadlineSkipsTet2026() {
        XCTAssertEqual(calendar.addWorkingDays(1, to: d("2026-02-13")), d("2026-02-23"))
        XCTAssertEqual(calendar.addWorkingDays(5, to: d("2026-02-12")), d("2026-02-26"))
        XCTAssertEqual(calendar.addWorkingDays(1, to: d("2026-04-29")), d("2026-05-04"))
    }

    func test_addZeroWorkingDaysMovesToTheNextWorkingDay() {
        XCTAssertEqual(calendar.addWorkingDays(0, to: d("2026-02-13")), d("2026-02-13"))
        XCTAssertEqual(calendar.addWorkingDays(0, to: d("2026-02-14")), d("2026-02-23"))
        XCTAssertEqual(calendar.addWorkingDays(-3, to: d("2026-02-14")), d("2026-02-23"))
    }

    func test_workingDaysBetweenCountsTheEndNotTheStart() {
        XCTAssertEqual(calendar.workingDaysBetween(d("2026-02-13"), d("2026-02-23")), 1)
        XCTAssertEqual(calendar.workingDaysBetween(d("2026-01-01"), d("2026-01-09")), 6)
        XCTAssertEqual(calendar.workingDaysBetween(d("2026-01-09"), d("2026-01-01")), 0)
        XCTAssertEqual(calendar.workingDaysBetween(d("2026-01-09"), d("2026-01-09")), 0)
        let start = d("2025-12-30")
        for days in 0...60 {
            XCTAssertEqual(calendar.workingDaysBetween(start, calendar.addWorkingDays(days, to: start)), days)
        }
        XCTAssertEqual(calendar.workingDaysBetween(d("2025-12-31"), d("2026-12-31")), 365 - 104 - 11)
    }

    func test_cutOffAt15hVietnamTime() {
        // Tuesday 10 March 2026.
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-10", 14, 59), workingDays: 0), d("2026-03-10"))
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-10", 15, 1), workingDays: 0), d("2026-03-11"))
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-10", 15, 0), workingDays: 0), d("2026-03-10"))
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-10", 14, 59), workingDays: 3), d("2026-03-13"))
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-10", 15, 1), workingDays: 3), d("2026-03-16"))
    }

    func test_cutOffUsesVietnamNotUTCDate() {
        // 20:30 UTC on 10 March is 03:30 on 11 March in Vietnam, before the cut-off.
        let instant = vietnamTime("2026-03-11", 3, 30)
        XCTAssertEqual(LocalDate.inVietnam(instant), d("2026-03-11"))
        XCTAssertEqual(calendar.dueDate(receivedAt: instant, workingDays: 0), d("2026-03-11"))
    }

    func test_receivedOnSaturdayCountsFromMonday() {
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-14", 9, 0), workingDays: 0), d("2026-03-16"))
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-03-14", 9, 0), workingDays: 1), d("2026-03-17"))
        // Friday afternoon before Tết: the receipt moves past the whole Tết block.
        XCTAssertEqual(calendar.dueDate(receivedAt: vietnamTime("2026-02-13", 15, 30), workingDays: 0), d("2026-02-23"))
    }
}
