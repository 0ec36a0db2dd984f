import EGovCore
import Fluent
import Vapor

/// The holiday calendar page: statutory holidays and the per-year override table.
struct CalendarPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let holidays = routes.grouped("admin", "holidays")
        holidays.get(use: show)
        holidays.post(use: create)
        holidays.get(":overrideID", "delete", use: confirmDelete)
        holidays.post(":overrideID", "delete", use: delete)
    }

    static func page(_ req: Request, year: Int, values: OverrideFormValues = .init(), errors: [String: String] = [:]) async throws -> HolidaysPage {
        let actor = try req.actor
        let calendar = try await CalendarService.calendar(on: req.db)
        let statutory = Set(calendar.statutoryHolidays(in: year).map(\.date))
        let holidays = calendar.holidays(in: year).map {
            HolidayRow(date: $0.date.iso, shownDate: $0.date.vietnamese, weekday: $0.date.vietnameseWeekday, name: $0.name,
                       source: statutory.contains($0.date) ? "Theo luật" : "Điều chỉnh")
        }
        let overrides = try await CalendarOverrideRecord.query(on: req.db).filter(\.$year == year).sort(\.$date).all().compactMap { record in
            record.calendarOverride.map {
                CalendarOverrideRow(id: record.id!.uuidString, date: $0.date.iso, shownDate: $0.date.vietnamese, weekday: $0.date.vietnameseWeekday,
                                    kind: $0.kind.rawValue, kindLabel: $0.kind.label, name: $0.name)
            }
        }
        let first = LocalDate(year: year, month: 1, day: 1)!, last = LocalDate(year: year, month: 12, day: 31)!
        let workingDays = calendar.workingDaysBetween(first.adding(days: -1), last)
        return HolidaysPage(
            shell: req.shell("Ngày nghỉ lễ \(year)"), year: year, previousYear: year - 1, nextYear: year + 1,
            holidays: holidays, overrides: overrides, workingDayCount: workingDays, canEdit: CalendarPermissions.canEdit(actor),
            kindOptions: CalendarOverride.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.kind) },
            values: values, errors: errors)
    }

    static func requestedYear(_ req: Request) throws -> Int {
        guard let raw = req.query[String.self, at: "year"] else { return LocalDate.inVietnam(req.now).year }
        guard let year = Int(raw), (WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear).contains(year) else {
            throw EGovError.badRequest("Năm phải là số từ \(WorkingDayCalendar.minYear) đến \(WorkingDayCalendar.maxYear).", code: "bad_year")
        }
        return year
    }

    func show(req: Request) async throws -> Response {
        try await req.render("holidays", Self.page(req, year: Self.requestedYear(req)))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.form(CalendarOverrideInput.self)
        do {
            let record = try await SetCalendarOverride(actor: actor, override: try input.validate()).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/holidays?year=\(record.year)", flash: "Đã thêm điều chỉnh ngày \(record.date).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "date") else { throw error }
            let year = LocalDate(iso: input.date ?? "")?.year ?? LocalDate.inVietnam(req.now).year
            let values = OverrideFormValues(date: input.date ?? "", kind: input.kind ?? "day_off", name: input.name ?? "")
            return try await req.render("holidays", Self.page(req, year: year, values: values, errors: errors), status: error.status)
        }
    }

    /// Deleting changes every deadline counted from now on: it is asked first.
    func confirmDelete(req: Request) async throws -> Response {
        let actor = try req.actor
        guard CalendarPermissions.canEdit(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được điều chỉnh lịch làm việc.") }
        guard let record = try await CalendarOverrideRecord.find(try req.uuidParameter("overrideID"), on: req.db),
              let override = record.calendarOverride else { throw EGovError.notFound("Không tìm thấy điều chỉnh này.") }
        return try await req.render("holiday-delete", CalendarOverrideDeletePage(
            shell: req.shell("Xóa điều chỉnh ngày \(override.date.vietnamese)"), id: record.id!.uuidString, year: record.year,
            shownDate: override.date.vietnamese, weekday: override.date.vietnameseWeekday, kindLabel: override.kind.label, name: override.name))
    }

    func delete(req: Request) async throws -> Response {
        guard (try? req.content.get(String.self, at: "confirm")) == "yes" else {
            return req.redirect(to: "/admin/holidays/\(try req.uuidParameter("overrideID"))/delete", redirectType: .normal)
        }
        let record = try await DeleteCalendarOverride(actor: try req.actor, overrideID: try req.uuidParameter("overrideID")).run(in: req.useCase)
        return req.redirectAfterPost(to: "/admin/holidays?year=\(record.year)", flash: "Đã xóa điều chỉnh ngày \(record.date).")
    }
}
