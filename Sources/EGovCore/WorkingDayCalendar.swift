import Foundation

/// Working days for deadlines: Monday–Friday except holidays and make-up days
/// (see `StatutoryHolidays` for the default rules), adjusted by the yearly overrides.
public struct WorkingDayCalendar: Sendable {
    public static let minYear = 1900
    public static let maxYear = 2199
    /// One-stop-shop rule: a same-day dossier received after 15:00 is due the next working day.
    public static let cutOffHour = 15

    public let overrides: [CalendarOverride]
    /// When several overrides name one date, the last one wins.
    private let overrideByDate: [LocalDate: CalendarOverride]

    public init(overrides: [CalendarOverride] = []) {
        self.overrides = overrides
        var byDate: [LocalDate: CalendarOverride] = [:]
        for item in overrides { byDate[item.date] = item }
        self.overrideByDate = byDate
    }

    /// The law's days plus make-up days, before overrides, sorted by date.
    public func statutoryHolidays(in year: Int) -> [Holiday] {
        StatutoryHolidays.holidays(in: year)
    }

    /// Statutory holidays with the overrides applied: a `workingDay` override removes the
    /// holiday on its date, a `dayOff` override adds (or renames) its date. Overrides apply in
    /// any year, even outside 1900–2199 where there are no statutory days.
    public func holidays(in year: Int) -> [Holiday] {
        var byDate: [LocalDate: Holiday] = [:]
        for holiday in statutoryHolidays(in: year) { byDate[holiday.date] = holiday }
        for (date, item) in overrideByDate where date.year == year {
            switch item.kind {
            case .dayOff: byDate[date] = Holiday(date: date, name: item.name)
            case .workingDay: byDate[date] = nil
            }
        }
        return byDate.values.sorted { $0.date < $1.date }
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        var cache = HolidayCache()
        return isWorkingDay(date, cache: &cache)
    }

    /// The date `days` working days after `start` (start itself not counted). With 0 (or a
    /// negative count, treated as 0): `start` when it is a working day, else the next one.
    public func addWorkingDays(_ days: Int, to start: LocalDate) -> LocalDate {
        var cache = HolidayCache()
        var date = start
        if days <= 0 {
            while !isWorkingDay(date, cache: &cache) { date = date.adding(days: 1) }
            return date
        }
        var counted = 0
        while counted < days {
            date = date.adding(days: 1)
            if isWorkingDay(date, cache: &cache) { counted += 1 }
        }
        return date
    }

    /// The number of working days d with from < d <= to; 0 when to <= from.
    public func workingDaysBetween(_ from: LocalDate, _ to: LocalDate) -> Int {
        guard from < to else { return 0 }
        var cache = HolidayCache()
        var count = 0
        var date = from.adding(days: 1)
        while date <= to {
            if isWorkingDay(date, cache: &cache) { count += 1 }
            date = date.adding(days: 1)
        }
        return count
    }

    /// The day a dossier received at `instant` is due. Vietnam time (UTC+7): received after
    /// 15:00:00, or on a non-working day, it counts as received on the next working day; the
    /// due date is then `workingDays` working days later (0: that day itself).
    public func dueDate(receivedAt instant: Date, workingDays: Int) -> LocalDate {
        let receivedDay = effectiveReceiptDay(instant)
        return workingDays <= 0 ? receivedDay : addWorkingDays(workingDays, to: receivedDay)
    }

    /// The working day a receipt at `instant` counts as, after the 15:00 cut-off.
    public func effectiveReceiptDay(_ instant: Date) -> LocalDate {
        let day = LocalDate.inVietnam(instant)
        let afterCutOff = LocalDate.secondsOfDayInVietnam(instant) > Double(WorkingDayCalendar.cutOffHour * 3600)
        if afterCutOff || !isWorkingDay(day) {
            return addWorkingDays(1, to: day)
        }
        return day
    }

    // MARK: - Internals

    /// Holiday dates per year, built once per call so long loops stay cheap without shared state.
    struct HolidayCache {
        var datesByYear: [Int: Set<LocalDate>] = [:]
    }

    func isWorkingDay(_ date: LocalDate, cache: inout HolidayCache) -> Bool {
        if let item = overrideByDate[date] { return item.kind == .workingDay }
        if date.isWeekend { return false }
        if let dates = cache.datesByYear[date.year] { return !dates.contains(date) }
        let dates = Set(statutoryHolidays(in: date.year).map(\.date))
        cache.datesByYear[date.year] = dates
        return !dates.contains(date)
    }
}
