import EGovCore
import Fluent
import Vapor

struct HolidayDTO: Content {
    let date: String
    let name: String
}

struct WorkingDaysDTO: Content {
    let from: String
    let days: Int
    let date: String
}

struct CalendarOverrideDTO: Content {
    let id: UUID
    let date: String
    let kind: String
    let name: String

    init(_ record: CalendarOverrideRecord) {
        id = record.id!
        date = record.date
        kind = record.kind
        name = record.name
    }
}

/// `/api/v1/calendar`: public (no sign-in) reads, admin writes.
struct CalendarAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let calendar = routes.grouped("calendar")
        calendar.get("holidays", use: holidays)
        calendar.get("working-days", use: workingDays)
        calendar.get("overrides", use: listOverrides)
        calendar.post("overrides", use: createOverride)
        calendar.delete("overrides", ":overrideID", use: deleteOverride)
    }

    func holidays(req: Request) async throws -> [HolidayDTO] {
        guard req.query[String.self, at: "year"] != nil else {
            throw EGovError.badRequest("Cần tham số year, ví dụ ?year=2026.", code: "missing_year")
        }
        let year = try CalendarPages.requestedYear(req)
        return try await CalendarService.calendar(on: req.db).holidays(in: year).map { HolidayDTO(date: $0.date.iso, name: $0.name) }
    }

    func workingDays(req: Request) async throws -> WorkingDaysDTO {
        guard let fromText = req.query[String.self, at: "from"], let from = LocalDate(iso: fromText) else {
            throw EGovError.badRequest("Tham số from phải là ngày dạng YYYY-MM-DD.", code: "bad_date")
        }
        guard let daysText = req.query[String.self, at: "days"], let days = Int(daysText), (0...3650).contains(days) else {
            throw EGovError.badRequest("Tham số days phải là số ngày làm việc từ 0 đến 3650.", code: "bad_days")
        }
        guard (WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear - 11).contains(from.year) else {
            throw EGovError.badRequest("Ngày phải nằm trong khoảng năm \(WorkingDayCalendar.minYear)–\(WorkingDayCalendar.maxYear - 11).", code: "bad_date")
        }
        let date = try await CalendarService.calendar(on: req.db).addWorkingDays(days, to: from)
        return WorkingDaysDTO(from: from.iso, days: days, date: date.iso)
    }

    func listOverrides(req: Request) async throws -> [CalendarOverrideDTO] {
        let year = try CalendarPages.requestedYear(req)
        return try await CalendarOverrideRecord.query(on: req.db).filter(\.$year == year).sort(\.$date).all().map(CalendarOverrideDTO.init)
    }

    func createOverride(req: Request) async throws -> Response {
        let input = try req.content.decode(CalendarOverrideInput.self)
        let record = try await SetCalendarOverride(actor: try req.actor, override: try input.validate()).run(in: req.useCase)
        return try await CalendarOverrideDTO(record).encodeResponse(status: .created, for: req)
    }

    func deleteOverride(req: Request) async throws -> HTTPStatus {
        _ = try await DeleteCalendarOverride(actor: try req.actor, overrideID: try req.uuidParameter("overrideID")).run(in: req.useCase)
        return .noContent
    }
}
