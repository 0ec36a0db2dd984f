import Foundation

/// A calendar date with no time zone. Dates in EGov are Vietnamese civil dates;
/// keeping them apart from `Date` avoids off-by-one-day bugs around midnight UTC.
/// Uses the proleptic Gregorian calendar; years 1...9999.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Vietnam has used UTC+7 with no daylight saving since 1975.
    public static let vietnamUTCOffsetSeconds = 7 * 3600

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Only the strict `YYYY-MM-DD` form, so stored and transmitted dates stay unambiguous.
    public init?(iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    public var iso: String {
        LocalDate.pad(year, 4) + "-" + LocalDate.pad(month, 2) + "-" + LocalDate.pad(day, 2)
    }

    public var description: String { iso }

    /// ISO weekday: 1 = Monday ... 7 = Sunday. Julian day 0 was a Monday.
    public var weekday: Int { LocalDate.floorMod(julianDay, 7) + 1 }

    public var isWeekend: Bool { weekday >= 6 }

    /// Julian Day Number (the day count astronomers use; 2000-01-01 is 2451545).
    public var julianDay: Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    public init(julianDay: Int) {
        let a = julianDay + 32044
        let b = LocalDate.floorDiv(4 * a + 3, 146097)
        let c = a - LocalDate.floorDiv(146097 * b, 4)
        let d = LocalDate.floorDiv(4 * c + 3, 1461)
        let e = c - LocalDate.floorDiv(1461 * d, 4)
        let m = LocalDate.floorDiv(5 * e + 2, 153)
        self.day = e - LocalDate.floorDiv(153 * m + 2, 5) + 1
        self.month = m + 3 - 12 * LocalDate.floorDiv(m, 10)
        self.year = 100 * b + d - 4800 + LocalDate.floorDiv(m, 10)
    }

    /// Julian Day Number of 1970-01-01.
    static let julianDayOf1970 = 2_440_588

    /// Days since 1970-01-01: a compact day number (statistics are kept per day by it).
    public var daysSince1970: Int { julianDay - LocalDate.julianDayOf1970 }

    public init(daysSince1970: Int) {
        self.init(julianDay: LocalDate.julianDayOf1970 + daysSince1970)
    }

    public func adding(days: Int) -> LocalDate {
        days == 0 ? self : LocalDate(julianDay: julianDay + days)
    }

    /// The place-and-date line of an administrative document (Decree 30/2020, Appendix I):
    /// "Quảng Ninh, ngày 02 tháng 3 năm 2026". Days below 10 and months below 3 take a leading
    /// zero; with no place the line starts with a capital ("Ngày 20 tháng 11 năm 2026").
    public func dateLine(place: String) -> String {
        let day = self.day < 10 ? "0\(self.day)" : "\(self.day)"
        let month = self.month < 3 ? "0\(self.month)" : "\(self.month)"
        let line = "ngày \(day) tháng \(month) năm \(year)"
        return place.isEmpty ? "N" + line.dropFirst() : "\(place), \(line)"
    }

    /// The civil date in Vietnam (UTC+7) at `instant`.
    public static func inVietnam(_ instant: Date) -> LocalDate {
        at(instant, utcOffsetSeconds: vietnamUTCOffsetSeconds)
    }

    /// Seconds since midnight in Vietnam at `instant` (0 ..< 86400).
    public static func secondsOfDayInVietnam(_ instant: Date) -> Double {
        secondsOfDay(instant, utcOffsetSeconds: vietnamUTCOffsetSeconds)
    }

    /// The civil date at `instant` where clocks are `utcOffsetSeconds` ahead of UTC (0: UTC itself).
    public static func at(_ instant: Date, utcOffsetSeconds: Int) -> LocalDate {
        LocalDate(daysSince1970: floorDiv(wholeSeconds(instant, utcOffsetSeconds), 86_400))
    }

    /// Seconds since that date's midnight at `instant` (0 ..< 86400).
    public static func secondsOfDay(_ instant: Date, utcOffsetSeconds: Int) -> Double {
        let seconds = instant.timeIntervalSince1970 + Double(utcOffsetSeconds)
        let whole = wholeSeconds(instant, utcOffsetSeconds)
        // Whole seconds in integers, so an instant a hair before midnight stays on its own day.
        return Double(whole - floorDiv(whole, 86_400) * 86_400) + (seconds - seconds.rounded(.down))
    }

    private static func wholeSeconds(_ instant: Date, _ utcOffsetSeconds: Int) -> Int {
        Int((instant.timeIntervalSince1970 + Double(utcOffsetSeconds)).rounded(.down))
    }

    /// The instant of Vietnam midnight at the start of this date.
    public var startInVietnam: Date {
        Date(timeIntervalSince1970: Double(daysSince1970 * 86_400 - LocalDate.vietnamUTCOffsetSeconds))
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not an ISO date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    static func floorMod(_ a: Int, _ b: Int) -> Int {
        a - floorDiv(a, b) * b
    }
}
