import EGovCore
import Fluent
import Vapor

enum CalendarPermissions {
    /// Everyone may read the calendar; only system admins change the national override table.
    static func canEdit(_ actor: Actor) -> Bool { actor.isSystemAdmin }
}

struct CalendarOverrideInput: Content {
    var date: String?
    var kind: String?
    var name: String?

    func validate() throws -> CalendarOverride {
        var errors: [String: String] = [:]
        let date = LocalDate(iso: FormText.clean(self.date))
        if date == nil {
            errors["date"] = "Ngày không hợp lệ; nhập theo dạng YYYY-MM-DD."
        } else if let year = date?.year, year < WorkingDayCalendar.minYear || year > WorkingDayCalendar.maxYear {
            errors["date"] = "Lịch hỗ trợ các năm từ \(WorkingDayCalendar.minYear) đến \(WorkingDayCalendar.maxYear)."
        }
        let kind = CalendarOverride.Kind(rawValue: FormText.clean(self.kind))
        if kind == nil { errors["kind"] = "Loại điều chỉnh phải là ngày nghỉ thêm (day_off) hoặc ngày làm bù (working_day)." }
        let name = FormText.clean(self.name)
        if name.isEmpty { errors["name"] = "Cần nhập tên hoặc lý do điều chỉnh." }
        if name.count > 255 { errors["name"] = "Tên dài tối đa 255 ký tự." }
        guard errors.isEmpty, let date, let kind else { throw EGovError.invalid(errors) }
        return CalendarOverride(date: date, kind: kind, name: name)
    }
}

/// Adds a government-announced change for one date (an extra day off, or a swapped working Saturday).
struct SetCalendarOverride {
    let actor: Actor
    let override: CalendarOverride

    func run(in ctx: UseCaseContext) async throws -> CalendarOverrideRecord {
        guard CalendarPermissions.canEdit(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được điều chỉnh lịch nghỉ.") }
        let override = self.override
        return try await ctx.audited { db, trail in
            if let existing = try await CalendarOverrideRecord.query(on: db).filter(\.$date == override.date.iso).first() {
                throw EGovError.conflict("Ngày \(override.date.iso) đã có điều chỉnh \"\(existing.name)\". Xóa điều chỉnh cũ trước.", code: "override_exists")
            }
            let record = CalendarOverrideRecord(override: override)
            try await record.create(on: db)
            trail.record("calendar.override.create", objectType: "calendar_override", objectID: record.id?.uuidString,
                         details: "\(override.date.iso) \(override.kind.rawValue) \(override.name)")
            return record
        }
    }
}

struct DeleteCalendarOverride {
    let actor: Actor
    let overrideID: UUID

    func run(in ctx: UseCaseContext) async throws -> CalendarOverrideRecord {
        guard CalendarPermissions.canEdit(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được điều chỉnh lịch nghỉ.") }
        let id = overrideID
        return try await ctx.audited { db, trail in
            guard let record = try await CalendarOverrideRecord.find(id, on: db) else { throw EGovError.notFound("Không tìm thấy điều chỉnh lịch.") }
            try await record.delete(on: db)
            trail.record("calendar.override.delete", objectType: "calendar_override", objectID: id.uuidString,
                         details: "\(record.date) \(record.kind) \(record.name)")
            return record
        }
    }
}

extension LocalDate {
    /// "Thứ Hai" … "Chủ nhật".
    var vietnameseWeekday: String {
        ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"][weekday - 1]
    }
}

extension CalendarOverride.Kind {
    var label: String {
        switch self {
        case .dayOff: "Ngày nghỉ thêm"
        case .workingDay: "Ngày làm việc bù"
        }
    }
}
