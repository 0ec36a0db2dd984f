import EGovCore
import Foundation
import XCTest

final class VietnameseLunarCalendarTests: XCTestCase {
    func test_tetMatchesKnownVietnameseDates() {
        let known: [Int: String] = [
            1900: "1900-01-31", 1985: "1985-01-21", 2007: "2007-02-17", 2020: "2020-01-25",
            2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06",
        ]
        for (year, iso) in known {
            XCTAssertEqual(VietnameseLunarCalendar.newYear(year), d(iso), "Tết \(year)")
            XCTAssertEqual(VietnameseLunarCalendar.lunarDate(for: d(iso)), LunarDate(day: 1, month: 1, year: year, isLeapMonth: false))
        }
    }

    func test_tet1985UsesVietnamTimeNotChina() {
        // China (UTC+8) celebrated on 20 Feb 1985; in Vietnam 21 Jan was already 1/1.
        XCTAssertEqual(VietnameseLunarCalendar.newYear(1985), d("1985-01-21"))
        XCTAssertEqual(VietnameseLunarCalendar.lunarDate(for: d("1985-02-20")), LunarDate(day: 1, month: 2, year: 1985))
    }

    func test_hungKings2026IsApril26() {
        XCTAssertEqual(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 10, month: 3, year: 2026)), d("2026-04-26"))
        XCTAssertEqual(VietnameseLunarCalendar.lunarDate(for: d("2026-04-26")), LunarDate(day: 10, month: 3, year: 2026))
    }

    func test_leapSecondMonthOf2023() {
        let leap = LunarDate(day: 1, month: 2, year: 2023, isLeapMonth: true)
        XCTAssertEqual(VietnameseLunarCalendar.solarDate(for: leap), d("2023-03-22"))
        XCTAssertEqual(VietnameseLunarCalendar.lunarDate(for: d("2023-03-22")), leap)
        XCTAssertEqual(VietnameseLunarCalendar.lunarDate(for: d("2023-03-21")).isLeapMonth, false)
        XCTAssertEqual(VietnameseLunarCalendar.leapMonth(of: 2023), 2)
        XCTAssertEqual(VietnameseLunarCalendar.leapMonth(of: 2020), 4)
        XCTAssertEqual(VietnameseLunarCalendar.leapMonth(of: 2025), 6)
        XCTAssertNil(VietnameseLunarCalendar.leapMonth(of: 2024))
    }

    func test_missingLunarDaysHaveNoSolarDate() {
        XCTAssertNil(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 1, month: 2, year: 2024, isLeapMonth: true)))
        XCTAssertNil(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 1, month: 3, year: 2023, isLeapMonth: true)))
        // Tháng Chạp of Ất Tỵ (2025) has 29 days: Tết 2026 follows 29/12.
        XCTAssertNil(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 30, month: 12, year: 2025)))
        XCTAssertEqual(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 29, month: 12, year: 2025)), d("2026-02-16"))
        XCTAssertEqual(VietnameseLunarCalendar.daysInMonth(month: 12, year: 2025), 29)
        XCTAssertNil(VietnameseLunarCalendar.daysInMonth(month: 2, year: 2024, isLeap: true))
        XCTAssertNil(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 31, month: 1, year: 2026)))
        XCTAssertNil(VietnameseLunarCalendar.solarDate(for: LunarDate(day: 1, month: 13, year: 2026)))
    }

    func test_lastDayOfYearIsTheDayBeforeTet() {
        XCTAssertEqual(VietnameseLunarCalendar.lastDayOfYear(2025), d("2026-02-16"))
        XCTAssertEqual(VietnameseLunarCalendar.lastDayOfYear(2023), d("2024-02-09"))
        XCTAssertEqual(VietnameseLunarCalendar.lunarDate(for: d("2024-02-09")), LunarDate(day: 30, month: 12, year: 2023))
    }

    func test_solarLunarRoundTripEveryDayAcrossTheRange() {
        for year in [1900, 1985, 2033, 2100, 2199] {
            var date = d(String(year) + "-01-01")
            var previous = VietnameseLunarCalendar.lunarDate(for: date.adding(days: -1))
            while date.year == year {
                let lunar = VietnameseLunarCalendar.lunarDate(for: date)
                XCTAssertEqual(VietnameseLunarCalendar.solarDate(for: lunar), date, "\(date) → \(lunar)")
                // Days run 1…29/30 and restart at 1 when the month changes.
                if lunar.day == 1 {
                    XCTAssertTrue(previous.day == 29 || previous.day == 30, "\(date): month after \(previous)")
                } else {
                    XCTAssertEqual(lunar.day, previous.day + 1, "\(date)")
                    XCTAssertEqual(lunar.month, previous.month, "\(date)")
                }
                previous = lunar
                date = date.adding(days: 1)
            }
        }
    }

    func test_tetAlwaysFallsBetween21JanAnd20Feb() {
        for year in 1900...2199 {
            let tet = VietnameseLunarCalendar.newYear(year)
            XCTAssertTrue(tet >= d(String(year) + "-01-21") && tet <= d(String(year) + "-02-20"), "Tết \(year) = \(tet)")
        }
    }
}
