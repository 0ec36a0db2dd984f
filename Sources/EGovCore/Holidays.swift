import Foundation

/// A day off for everyone (public holiday, make-up day or announced extra day).
public struct Holiday: Hashable, Sendable, Codable {
    public let date: LocalDate
    public let name: String

    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }

    public static let solarNewYearName = "Tết Dương lịch"
    public static let lunarNewYearName = "Tết Nguyên đán"
    public static let hungKingsName = "Giỗ Tổ Hùng Vương"
    public static let reunificationName = "Ngày Chiến thắng"
    public static let labourDayName = "Ngày Quốc tế Lao động"
    public static let nationalDayName = "Quốc khánh"
    public static let makeUpPrefix = "Nghỉ bù "
}

/// A per-date exception an administrator enters from the yearly government announcement:
/// extra Tết days (`dayOff`) and swapped Saturdays worked in exchange (`workingDay`).
public struct CalendarOverride: Hashable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case dayOff = "day_off"
        case workingDay = "working_day"
    }

    public let date: LocalDate
    public let kind: Kind
    public let name: String

    public init(date: LocalDate, kind: Kind, name: String) {
        self.date = date
        self.kind = kind
        self.name = name
    }
}

/// The default holidays of the Labour Code 2019, art. 112, before any announced overrides.
///
/// - 1/1 solar: Tết Dương lịch.
/// - Tết Nguyên đán: the last day of the old lunar year and days 1–4 of the new one (5 days).
///   The government announces the actual block each year; enter it as overrides.
/// - Giỗ Tổ Hùng Vương, 10/3 lunar (a holiday since 2007).
/// - 30/4 Ngày Chiến thắng; 1/5 Ngày Quốc tế Lao động.
/// - 2/9 Quốc khánh, plus from 2021 one adjacent day, chosen to join a weekend:
///   Mon→3/9, Tue→1/9, Wed→3/9, Thu→3/9, Fri→1/9, Sat→1/9, Sun→3/9.
/// - Make-up (art. 111(3)): each holiday on a Saturday or Sunday gives one day off on the next
///   Mon–Fri after it that is neither a holiday nor an earlier make-up day, named "Nghỉ bù …".
///
/// Years outside 1900–2199 (the lunar calendar's range) have no holidays.
enum StatutoryHolidays {
    static func holidays(in year: Int) -> [Holiday] {
        guard (WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear).contains(year) else { return [] }
        var days: [Holiday] = []
        func add(_ month: Int, _ day: Int, _ name: String) {
            if let date = LocalDate(year: year, month: month, day: day) { days.append(Holiday(date: date, name: name)) }
        }

        add(1, 1, Holiday.solarNewYearName)

        // Tết always falls between 21 Jan and 20 Feb, so the whole block lies inside `year`.
        let tet = VietnameseLunarCalendar.newYear(year)
        for offset in -1...3 {
            days.append(Holiday(date: tet.adding(days: offset), name: Holiday.lunarNewYearName))
        }

        if year >= 2007, let hungKings = VietnameseLunarCalendar.solarDate(for: LunarDate(day: 10, month: 3, year: year)) {
            days.append(Holiday(date: hungKings, name: Holiday.hungKingsName))
        }

        add(4, 30, Holiday.reunificationName)
        add(5, 1, Holiday.labourDayName)
        add(9, 2, Holiday.nationalDayName)
        if year >= 2021, let nationalDay = LocalDate(year: year, month: 9, day: 2) {
            // Tue, Fri, Sat take 1/9 (joins Mon or Fri-Sat-Sun); the others take 3/9.
            let adjacentDay = [2, 5, 6].contains(nationalDay.weekday) ? 1 : 3
            add(9, adjacentDay, Holiday.nationalDayName)
        }

        // One entry per date (a lunar holiday could coincide with a solar one); first name wins.
        var seen = Set<LocalDate>()
        days = days.sorted { $0.date < $1.date }.filter { seen.insert($0.date).inserted }

        var taken = seen
        var makeUps: [Holiday] = []
        for holiday in days where holiday.date.isWeekend {
            var candidate = holiday.date.adding(days: 1)
            while candidate.isWeekend || taken.contains(candidate) {
                candidate = candidate.adding(days: 1)
            }
            taken.insert(candidate)
            makeUps.append(Holiday(date: candidate, name: Holiday.makeUpPrefix + holiday.name))
        }
        return (days + makeUps).sorted { $0.date < $1.date }
    }
}
