import EGovCore
import Foundation
import XCTest

final class LocalDateTests: XCTestCase {
    func test_rejectsDatesThatDoNotExist() {
        XCTAssertNil(LocalDate(year: 2025, month: 2, day: 29))
        XCTAssertNotNil(LocalDate(year: 2024, month: 2, day: 29))
        XCTAssertNil(LocalDate(year: 2100, month: 2, day: 29)) // century, not divisible by 400
        XCTAssertNotNil(LocalDate(year: 2000, month: 2, day: 29))
        XCTAssertNil(LocalDate(year: 2026, month: 4, day: 31))
        XCTAssertNil(LocalDate(year: 2026, month: 13, day: 1))
        XCTAssertNil(LocalDate(year: 2026, month: 1, day: 0))
    }

    func test_isoParsingIsStrict() {
        XCTAssertEqual(LocalDate(iso: "2026-02-17"), LocalDate(year: 2026, month: 2, day: 17))
        for bad in ["2026-2-17", "2026-02-17T00:00", "26-02-17", "2026/02/17", "2026-02-30", " 2026-02-17", "", "２０２６-02-17"] {
            XCTAssertNil(LocalDate(iso: bad), bad)
        }
        XCTAssertEqual(d("0987-03-04").iso, "0987-03-04")
        XCTAssertEqual(d("2026-02-17").description, "2026-02-17")
    }

    func test_weekdayIsISO() {
        XCTAssertEqual(d("2026-02-16").weekday, 1) // Monday
        XCTAssertEqual(d("2026-02-17").weekday, 2)
        XCTAssertEqual(d("2026-02-22").weekday, 7) // Sunday
        XCTAssertEqual(d("1975-04-30").weekday, 3) // Wednesday
    }

    func test_julianDayRoundTrips() {
        XCTAssertEqual(d("2000-01-01").julianDay, 2_451_545)
        XCTAssertEqual(d("1970-01-01").julianDay, 2_440_588)
        var date = d("1899-12-25")
        for _ in 0..<(366 * 3) {
            let next = date.adding(days: 1)
            XCTAssertEqual(LocalDate(julianDay: date.julianDay), date)
            XCTAssertEqual(next.julianDay, date.julianDay + 1)
            XCTAssertLessThan(date, next)
            date = next
        }
        XCTAssertEqual(d("2024-02-28").adding(days: 2), d("2024-03-01"))
        XCTAssertEqual(d("2026-01-01").adding(days: -1), d("2025-12-31"))
    }

    func test_inVietnamUsesUTCPlus7() {
        let justBeforeMidnightVN = Date(timeIntervalSince1970: 1_771_261_199) // 2026-02-16T16:59:59Z
        XCTAssertEqual(LocalDate.inVietnam(justBeforeMidnightVN), d("2026-02-16"))
        XCTAssertEqual(LocalDate.inVietnam(justBeforeMidnightVN.addingTimeInterval(1)), d("2026-02-17"))
        XCTAssertEqual(LocalDate.inVietnam(Date(timeIntervalSince1970: 0)), d("1970-01-01"))
        XCTAssertEqual(LocalDate.inVietnam(d("2026-02-17").startInVietnam), d("2026-02-17"))
    }

    func test_codableAsIsoString() throws {
        let data = try JSONEncoder().encode([d("2026-02-17")])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"2026-02-17\"]")
        XCTAssertEqual(try JSONDecoder().decode([LocalDate].self, from: data), [d("2026-02-17")])
        XCTAssertThrowsError(try JSONDecoder().decode([LocalDate].self, from: Data("[\"2026-02-30\"]".utf8)))
    }

    func test_daysSince1970CountFromTheFirstOfJanuary1970_andTurnBack() {
        XCTAssertEqual(LocalDate(year: 1970, month: 1, day: 1)!.daysSince1970, 0)
        let tet = LocalDate(year: 2026, month: 2, day: 17)!
        XCTAssertEqual(LocalDate(daysSince1970: tet.daysSince1970), tet)
        // 16:59 UTC on 16 February is already the 17th in Hà Nội.
        let instant = Date(timeIntervalSince1970: Double(tet.daysSince1970) * 86_400 - 7 * 3600 + 60)
        XCTAssertEqual(LocalDate.inVietnam(instant), tet)
        XCTAssertEqual(tet.startInVietnam, Date(timeIntervalSince1970: Double(tet.daysSince1970) * 86_400 - 7 * 3600))
    }

    func test_dateLineOfAnAdministrativeDocument() {
        XCTAssertEqual(LocalDate(iso: "2026-02-05")!.dateLine(place: "Quảng Ninh"), "Quảng Ninh, ngày 05 tháng 02 năm 2026")
        XCTAssertEqual(LocalDate(iso: "2026-03-02")!.dateLine(place: "Hà Nội"), "Hà Nội, ngày 02 tháng 3 năm 2026")
        XCTAssertEqual(LocalDate(iso: "2026-11-20")!.dateLine(place: ""), "Ngày 20 tháng 11 năm 2026")
    }
}
