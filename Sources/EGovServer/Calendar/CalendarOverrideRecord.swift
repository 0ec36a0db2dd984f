import EGovCore
import Fluent
import Vapor

/// A per-year change to the statutory calendar, announced by the government: an extra day
/// off (Tết bridge days) or a swapped working Saturday.
final class CalendarOverrideRecord: Model, @unchecked Sendable {
    static let schema = "calendar_overrides"

    @ID(key: .id) var id: UUID?
    /// ISO date `YYYY-MM-DD`; one override per date.
    @Field(key: "date") var date: String
    @Field(key: "year") var year: Int
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(override: CalendarOverride) {
        self.date = override.date.iso
        self.year = override.date.year
        self.kind = override.kind.rawValue
        self.name = override.name
    }

    var calendarOverride: CalendarOverride? {
        guard let date = LocalDate(iso: date), let kind = CalendarOverride.Kind(rawValue: kind) else { return nil }
        return CalendarOverride(date: date, kind: kind, name: name)
    }
}

enum CalendarService {
    /// The working-day calendar with every stored override applied.
    static func calendar(on db: Database) async throws -> WorkingDayCalendar {
        let overrides = try await CalendarOverrideRecord.query(on: db).all().compactMap(\.calendarOverride)
        return WorkingDayCalendar(overrides: overrides)
    }
}
