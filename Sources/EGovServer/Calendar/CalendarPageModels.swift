import Foundation

struct HolidayRow: Encodable, Equatable {
    /// ISO, for `<time datetime>`; `shownDate` is what the person reads (dd/MM/yyyy).
    let date: String
    let shownDate: String
    /// e.g. "Thứ Hai", "Chủ nhật".
    let weekday: String
    let name: String
    /// "Theo luật" or "Điều chỉnh".
    let source: String
}

struct CalendarOverrideRow: Encodable, Equatable {
    let id: String
    let date: String
    let shownDate: String
    let weekday: String
    let kind: String
    let kindLabel: String
    let name: String
}

struct OverrideFormValues: Encodable {
    var date: String = ""
    var kind: String = "day_off"
    var name: String = ""
}

struct HolidaysPage: Encodable {
    let shell: Shell
    let year: Int
    let previousYear: Int
    let nextYear: Int
    let holidays: [HolidayRow]
    let overrides: [CalendarOverrideRow]
    let workingDayCount: Int
    let canEdit: Bool
    let kindOptions: [Option]
    let values: OverrideFormValues
    let errors: [String: String]
}

/// Asks before an override of the calendar is deleted.
struct CalendarOverrideDeletePage: Encodable {
    let shell: Shell
    let id: String
    let year: Int
    let shownDate: String
    let weekday: String
    let kindLabel: String
    let name: String
}
