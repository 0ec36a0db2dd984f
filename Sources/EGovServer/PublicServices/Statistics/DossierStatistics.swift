import EGovCore
import Fluent
import SQLKit
import Vapor

/// Thống kê tình hình giải quyết hồ sơ per agency and per field (lĩnh vực), for dossiers
/// submitted in a period. Everything is counted by SQL aggregates (a few hundred grouped rows
/// at most, whatever the number of dossiers), on SQLite and PostgreSQL alike.
///
/// Average processing days are working days from the day of acceptance to the day processing
/// finished (Vietnam time), by the working-day calendar. SQL groups finished dossiers by their
/// acceptance day and, separately, by their finishing day; since "working days between a and
/// b" is W(b) − W(a) for a running count W of working days, the sum over dossiers is
/// Σ count·W(finish day) − Σ count·W(acceptance day), computed here over the days involved.
enum DossierStatistics {
    /// The period (on the submission date) and, optionally, one receiving agency.
    struct Filter: Sendable {
        let from: LocalDate
        let to: LocalDate
        let agency: Agency?

        /// From `?from=&to=&agency=`; by default this year up to today, every agency.
        static func from(_ req: Request) async throws -> Filter {
            let today = LocalDate.inVietnam(req.now)
            func date(_ key: String) throws -> LocalDate? {
                let text = FormText.clean(req.query[String.self, at: key])
                if text.isEmpty { return nil }
                guard let date = LocalDate(iso: text) else { throw EGovError.badRequest("Ngày \"\(text)\" không hợp lệ (dạng năm-tháng-ngày).", code: "bad_date") }
                return date
            }
            let from = try date("from") ?? LocalDate(year: today.year, month: 1, day: 1)!
            let to = try date("to") ?? today
            guard from <= to else { throw EGovError.badRequest("Từ ngày phải trước hoặc bằng đến ngày.", code: "bad_period") }
            var agency: Agency?
            let code = FormText.clean(req.query[String.self, at: "agency"])
            if !code.isEmpty {
                guard let found = try await Agency.query(on: req.db).filter(\.$code == code).first() else {
                    throw EGovError.badRequest("Không có cơ quan mã \"\(code)\".", code: "bad_agency")
                }
                agency = found
            }
            return Filter(from: from, to: to, agency: agency)
        }
    }

    /// Counts of one group (an agency, a field, or everything).
    struct Tally: Sendable, Equatable {
        /// Index 0 is status 1.
        var byStatus = [Int](repeating: 0, count: DossierStatus.allCases.count)
        var online = 0
        var onTime = 0
        var late = 0
        /// Working days summed over the dossiers processed (accepted and finished).
        var processingDays = 0
        var processed = 0
        var ratings = 0
        var criteria: [SatisfactionCriterion: SatisfactionTally] = [:]

        var received: Int { byStatus.reduce(0, +) }
        var finished: Int { onTime + late }
        var satisfaction: SatisfactionTally { criteria.values.reduce(SatisfactionTally(), +) }

        mutating func add(_ other: Tally) {
            byStatus = zip(byStatus, other.byStatus).map { $0 + $1 }
            online += other.online
            onTime += other.onTime
            late += other.late
            processingDays += other.processingDays
            processed += other.processed
            ratings += other.ratings
            for (criterion, tally) in other.criteria { criteria[criterion] = (criteria[criterion] ?? SatisfactionTally()) + tally }
        }
    }

    /// Tallies per (receiving agency, procedure field).
    struct Key: Hashable, Sendable {
        let agencyID: UUID
        let field: String
    }

    struct Result: Sendable {
        let filter: Filter
        let agencies: [(agency: Agency, tally: Tally)]
        let fields: [(field: String, tally: Tally)]
        let total: Tally
    }

    static func compute(_ filter: Filter, calendar: WorkingDayCalendar, on db: Database) async throws -> Result {
        guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
        var tallies: [Key: Tally] = [:]
        let scope = Scope(filter: filter)

        for row in try await sql.raw("""
            SELECT d.agency_id, p.field, d.status, d.channel, d.timeliness, COUNT(*) AS n
            FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
            WHERE \(scope.condition)
            GROUP BY d.agency_id, p.field, d.status, d.channel, d.timeliness
            """).all() {
            let key = try Key(agencyID: row.decode(column: "agency_id", as: UUID.self), field: row.decode(column: "field", as: String.self))
            let n = try row.decode(column: "n", as: Int.self)
            let status = try row.decode(column: "status", as: Int.self)
            var tally = tallies[key] ?? Tally()
            if (1...tally.byStatus.count).contains(status) { tally.byStatus[status - 1] += n }
            if try row.decode(column: "channel", as: String.self) == SubmissionChannel.online.rawValue { tally.online += n }
            if let timeliness = try row.decode(column: "timeliness", as: String?.self).flatMap(Timeliness.init(rawValue:)) {
                if timeliness.isOnTime { tally.onTime += n } else { tally.late += n }
            }
            tallies[key] = tally
        }

        try await addProcessingDays(to: &tallies, scope: scope, calendar: calendar, on: sql)
        try await addRatings(to: &tallies, scope: scope, on: sql)

        var byAgency: [UUID: Tally] = [:]
        var byField: [String: Tally] = [:]
        var total = Tally()
        for (key, tally) in tallies {
            byAgency[key.agencyID, default: Tally()].add(tally)
            byField[key.field, default: Tally()].add(tally)
            total.add(tally)
        }
        let agencies = byAgency.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ Array(byAgency.keys)).all()
        let rankedAgencies = agencies.map { (agency: $0, tally: byAgency[$0.id!]!) }
            .sorted { ranks($0.tally, $1.tally, $0.agency.code, $1.agency.code) }
        let fields = byField.map { (field: $0.key, tally: $0.value) }
            .sorted { $0.tally.received != $1.tally.received ? $0.tally.received > $1.tally.received : $0.field < $1.field }
        return Result(filter: filter, agencies: rankedAgencies, fields: fields, total: total)
    }

    /// Agencies are ranked by on-time rate, then satisfaction, then the dossiers they received.
    static func ranks(_ a: Tally, _ b: Tally, _ codeA: String, _ codeB: String) -> Bool {
        let (rateA, rateB) = (StatisticsRates.onTime(a) ?? -1, StatisticsRates.onTime(b) ?? -1)
        if rateA != rateB { return rateA > rateB }
        let (satA, satB) = (a.satisfaction.average ?? 0, b.satisfaction.average ?? 0)
        if satA != satB { return satA > satB }
        if a.received != b.received { return a.received > b.received }
        return codeA < codeB
    }

    /// The WHERE clause shared by the queries: the submission period and the agency.
    struct Scope {
        let condition: SQLQueryString

        init(filter: Filter) {
            var condition: SQLQueryString = "d.submitted_at >= \(bind: filter.from.startInVietnam) AND d.submitted_at < \(bind: filter.to.adding(days: 1).startInVietnam)"
            if let id = filter.agency?.id { condition = condition + " AND d.agency_id = \(bind: id)" }
            self.condition = condition
        }
    }

    /// The Vietnam day (days since 1970-01-01) of a timestamp column, in the database's dialect.
    static func vietnamDay(_ column: String, on sql: SQLDatabase) -> SQLQueryString {
        sql.dialect.name == "postgresql"
            ? "CAST(FLOOR((EXTRACT(EPOCH FROM d.\(ident: column)) + 25200) / 86400) AS BIGINT)"
            : "CAST((d.\(ident: column) + 25200) / 86400 AS INTEGER)"
    }

    private static func addProcessingDays(to tallies: inout [Key: Tally], scope: Scope, calendar: WorkingDayCalendar, on sql: SQLDatabase) async throws {
        var counts: [(key: Key, day: Int, n: Int, sign: Int)] = []
        for (column, sign) in [("accepted_at", -1), ("finished_at", 1)] {
            let day = vietnamDay(column, on: sql)
            for row in try await sql.raw("""
                SELECT d.agency_id, p.field, \(day) AS day, COUNT(*) AS n
                FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
                WHERE \(scope.condition) AND d.timeliness IS NOT NULL AND d.accepted_at IS NOT NULL AND d.finished_at IS NOT NULL
                GROUP BY d.agency_id, p.field, \(day)
                """).all() {
                let key = try Key(agencyID: row.decode(column: "agency_id", as: UUID.self), field: row.decode(column: "field", as: String.self))
                let (day, n) = (try row.decode(column: "day", as: Int.self), try row.decode(column: "n", as: Int.self))
                counts.append((key: key, day: day, n: n, sign: sign))
            }
        }
        guard let first = counts.map(\.day).min(), let last = counts.map(\.day).max() else { return }
        // W(day): working days in (first day, day].
        var running: [Int: Int] = [:]
        var worked = 0
        for day in first...last {
            if day > first, calendar.isWorkingDay(LocalDate.inVietnam(Date(timeIntervalSince1970: Double(day) * 86_400))) { worked += 1 }
            running[day] = worked
        }
        for entry in counts {
            var tally = tallies[entry.key] ?? Tally()
            tally.processingDays += entry.sign * entry.n * running[entry.day]!
            if entry.sign > 0 { tally.processed += entry.n }
            tallies[entry.key] = tally
        }
    }

    private static func addRatings(to tallies: inout [Key: Tally], scope: Scope, on sql: SQLDatabase) async throws {
        let pairs = SatisfactionCriterion.allCases.flatMap { criterion in SatisfactionLevel.allCases.map { (criterion, $0) } }
        var sums: SQLQueryString = ""
        for (criterion, level) in pairs {
            sums = sums + ", SUM(CASE WHEN r.\(ident: criterion.rawValue) = \(literal: level.rawValue) THEN 1 ELSE 0 END) AS \(ident: "\(criterion.rawValue)_\(level.rawValue)")"
        }
        for row in try await sql.raw("""
            SELECT d.agency_id, p.field, COUNT(*) AS n\(sums)
            FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id JOIN procedures p ON p.id = d.procedure_id
            WHERE \(scope.condition)
            GROUP BY d.agency_id, p.field
            """).all() {
            let key = try Key(agencyID: row.decode(column: "agency_id", as: UUID.self), field: row.decode(column: "field", as: String.self))
            var tally = tallies[key] ?? Tally()
            tally.ratings += try row.decode(column: "n", as: Int.self)
            for criterion in SatisfactionCriterion.allCases {
                let counts = try SatisfactionLevel.allCases.map { try row.decode(column: "\(criterion.rawValue)_\($0.rawValue)", as: Int.self) }
                tally.criteria[criterion] = (tally.criteria[criterion] ?? SatisfactionTally()) + SatisfactionTally(counts: counts)
            }
            tallies[key] = tally
        }
    }
}

/// Shares and averages of a tally; nil when there is nothing to divide by.
enum StatisticsRates {
    static func onTime(_ tally: DossierStatistics.Tally) -> Double? {
        tally.finished == 0 ? nil : Double(tally.onTime) / Double(tally.finished)
    }
    static func online(_ tally: DossierStatistics.Tally) -> Double? {
        tally.received == 0 ? nil : Double(tally.online) / Double(tally.received)
    }
    static func processingDays(_ tally: DossierStatistics.Tally) -> Double? {
        tally.processed == 0 ? nil : Double(tally.processingDays) / Double(tally.processed)
    }
}
