import Foundation

/// A date in the Vietnamese lunisolar calendar. `year` is the lunar year that starts at
/// its Tết (so 30/12 of lunar 2025 falls in solar February 2026).
public struct LunarDate: Hashable, Sendable, Codable, CustomStringConvertible {
    public let day: Int
    public let month: Int
    public let year: Int
    public let isLeapMonth: Bool

    public init(day: Int, month: Int, year: Int, isLeapMonth: Bool = false) {
        self.day = day
        self.month = month
        self.year = year
        self.isLeapMonth = isLeapMonth
    }

    public var description: String { "\(day)/\(month)\(isLeapMonth ? " nhuận" : "")/\(year)" }
}

/// Hồ Ngọc Đức's astronomical algorithm (new moons and solar terms after Meeus) evaluated
/// at UTC+7. Vietnam's calendar follows Hanoi time, so it departs from China's (UTC+8) in
/// some years: Tết 1985 is 21 Jan in Vietnam and 20 Feb in China. Valid 1900–2199.
public enum VietnameseLunarCalendar {
    static let timeZone = 7.0

    public static func lunarDate(for date: LocalDate) -> LunarDate {
        let dayNumber = date.julianDay
        let k = floorInt((Double(dayNumber) - 2415021.076998695) / 29.530588853)
        var monthStart = newMoonDay(k + 1)
        if monthStart > dayNumber { monthStart = newMoonDay(k) }
        var a11 = lunarMonth11(date.year)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = date.year
            a11 = lunarMonth11(date.year - 1)
        } else {
            lunarYear = date.year + 1
            b11 = lunarMonth11(date.year + 1)
        }
        let lunarDay = dayNumber - monthStart + 1
        let diff = floorInt(Double(monthStart - a11) / 29)
        var isLeap = false
        var lunarMonth = diff + 11
        if b11 - a11 > 365 {
            let leapDiff = leapMonthOffset(a11)
            if diff >= leapDiff {
                lunarMonth = diff + 10
                if diff == leapDiff { isLeap = true }
            }
        }
        if lunarMonth > 12 { lunarMonth -= 12 }
        if lunarMonth >= 11 && diff < 4 { lunarYear -= 1 }
        return LunarDate(day: lunarDay, month: lunarMonth, year: lunarYear, isLeapMonth: isLeap)
    }

    /// Nil when the lunar day does not exist: a leap month the year lacks, or day 30 of a
    /// 29-day month.
    public static func solarDate(for lunar: LunarDate) -> LocalDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day) else { return nil }
        guard let monthStart = monthStartDay(month: lunar.month, year: lunar.year, isLeap: lunar.isLeapMonth) else {
            return nil
        }
        let target = monthStart + lunar.day - 1
        // The month ends the day before the next new moon.
        guard target < nextNewMoon(after: monthStart) else { return nil }
        return LocalDate(julianDay: target)
    }

    /// Tết Nguyên đán: 1/1 of `lunarYear`.
    public static func newYear(_ lunarYear: Int) -> LocalDate {
        // Month 1 of any lunar year always exists and is never leap.
        LocalDate(julianDay: monthStartDay(month: 1, year: lunarYear, isLeap: false)!)
    }

    /// The last day of `lunarYear` (29 or 30 tháng Chạp), the day before the next Tết.
    public static func lastDayOfYear(_ lunarYear: Int) -> LocalDate {
        newYear(lunarYear + 1).adding(days: -1)
    }

    /// Month length (29 or 30), or nil when the month does not exist.
    public static func daysInMonth(month: Int, year: Int, isLeap: Bool = false) -> Int? {
        guard (1...12).contains(month), let start = monthStartDay(month: month, year: year, isLeap: isLeap) else {
            return nil
        }
        return nextNewMoon(after: start) - start
    }

    /// The leap month of `lunarYear` (1...12), or nil when the year has none.
    public static func leapMonth(of lunarYear: Int) -> Int? {
        // Months 1–10 of lunar year Y lie between the month-11 starts of solar years Y-1 and Y;
        // months 11–12 between those of Y and Y+1.
        if let month = leapMonthIn(from: lunarYear - 1), (1...10).contains(month) { return month }
        if let month = leapMonthIn(from: lunarYear), month >= 11 { return month }
        return nil
    }

    /// The leap month between month 11 of solar `year` and month 11 of `year + 1`.
    static func leapMonthIn(from year: Int) -> Int? {
        let a11 = lunarMonth11(year)
        guard lunarMonth11(year + 1) - a11 > 365 else { return nil }
        let month = leapMonthOffset(a11) - 2
        return month <= 0 ? month + 12 : month
    }

    // MARK: - Algorithm

    /// Julian day of the first day of the lunar month, or nil when it does not exist.
    static func monthStartDay(month: Int, year: Int, isLeap: Bool) -> Int? {
        let a11: Int, b11: Int
        if month < 11 {
            a11 = lunarMonth11(year - 1)
            b11 = lunarMonth11(year)
        } else {
            a11 = lunarMonth11(year)
            b11 = lunarMonth11(year + 1)
        }
        let k = floorInt(0.5 + (Double(a11) - 2415021.076998695) / 29.530588853)
        var offset = month - 11
        if offset < 0 { offset += 12 }
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11)
            var leapMonth = leapOffset - 2
            if leapMonth <= 0 { leapMonth += 12 } // offset 2 is a leap 12th month
            if isLeap && month != leapMonth { return nil }
            if isLeap || offset >= leapOffset { offset += 1 }
        } else if isLeap {
            return nil
        }
        return newMoonDay(k + offset)
    }

    /// The first new-moon day strictly after `day`.
    static func nextNewMoon(after day: Int) -> Int {
        let k = floorInt((Double(day) - 2415021.076998695) / 29.530588853)
        var j = k - 1
        while newMoonDay(j) <= day { j += 1 }
        return newMoonDay(j)
    }

    /// Julian day (local, UTC+7) of the k-th new moon after 1900-01-01.
    static func newMoonDay(_ k: Int) -> Int {
        let kd = Double(k)
        let t = kd / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2415020.75933 + 29.53058868 * kd + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * kd - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * kd + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * kd - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT: Double
        if t < -11 {
            deltaT = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        } else {
            deltaT = -0.000278 + 0.000265 * t + 0.000262 * t2
        }
        let jdNew = jd1 + c1 - deltaT
        return floorInt(jdNew + 0.5 + timeZone / 24)
    }

    /// Sun longitude sector (0...11, 30° each) at local midnight starting day `jdn`.
    static func sunLongitudeSector(_ jdn: Int) -> Int {
        let t = (Double(jdn) - 2451545.5 - timeZone / 24) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl = dl + (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var l = (l0 + dl) * dr
        l = l - Double.pi * 2 * (l / (Double.pi * 2)).rounded(.down)
        return floorInt(l / Double.pi * 6)
    }

    /// Start of the lunar month containing the winter solstice (month 11) of solar `year`.
    static func lunarMonth11(_ year: Int) -> Int {
        let off = Double(julianDay(day: 31, month: 12, year: year) - 2415021)
        let k = floorInt(off / 29.530588853)
        var nm = newMoonDay(k)
        if sunLongitudeSector(nm) >= 9 { nm = newMoonDay(k - 1) }
        return nm
    }

    /// Offset (from month 11) of the leap month: the first month with no major solar term.
    static func leapMonthOffset(_ a11: Int) -> Int {
        let k = floorInt((Double(a11) - 2415021.076998695) / 29.530588853 + 0.5)
        var i = 1
        var arc = sunLongitudeSector(newMoonDay(k + i))
        var last: Int
        repeat {
            last = arc
            i += 1
            arc = sunLongitudeSector(newMoonDay(k + i))
        } while arc != last && i < 14
        return i - 1
    }

    static func julianDay(day: Int, month: Int, year: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    static func floorInt(_ value: Double) -> Int { Int(value.rounded(.down)) }
}
