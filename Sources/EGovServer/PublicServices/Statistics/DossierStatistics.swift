import EGovCore
import Fluent
import SQLKit
import Vapor

/// Thống kê tình hình giải quyết hồ sơ per agency and per field (lĩnh vực), for dossiers
/// submitted in a period. Read from the running tallies (`DossierTallies`): a period costs the
/// lines of its days (agencies × procedures × statuses × channels), not its dossiers.
///
/// Average processing days are working days from the day of acceptance to the day processing
/// finished (Vietnam time), by the working-day calendar, counted when processing ends.
enum DossierStatistics {
    /// The period (on the submission date) and, optionally, one receiving agency.
    struct Filter: Sendable {
        let from: LocalDate
        let to: LocalDate
        let agency: Agency?

        /// From `?from=&to=&agency=`; by default this year up to today, every agency. The agency
        /// is looked for in `known` first (the page has them all already).
        static func from(_ req: Request, known: [Agency] = []) async throws -> Filter {
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
                let found: Agency?
                if let listed = known.first(where: { $0.code == code }) { found = listed } else { found = try await Agency.query(on: req.db).filter(\.$code == code).first() }
                guard let found else {
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
        /// Answers of every criterion of every rating, by level.
        var satisfaction = SatisfactionTally()

        var received: Int { byStatus.reduce(0, +) }
        var finished: Int { onTime + late }
        /// Each rating answers every criterion.
        var ratings: Int { satisfaction.total / SatisfactionCriterion.allCases.count }

        mutating func add(_ other: Tally) {
            byStatus = zip(byStatus, other.byStatus).map { $0 + $1 }
            online += other.online
            onTime += other.onTime
            late += other.late
            processingDays += other.processingDays
            processed += other.processed
            satisfaction = satisfaction + other.satisfaction
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

    static func compute(_ filter: Filter, on db: Database) async throws -> Result {
        guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
        var tallies: [Key: Tally] = [:]
        let scope = Scope(filter: filter)
        func key(_ row: SQLRow) throws -> Key {
            Key(agencyID: try row.decode(column: "agency_id", as: UUID.self), field: try row.decode(column: "field", as: String.self))
        }

        // PostgreSQL sums BIGINT columns as NUMERIC: cast back.
        for row in try await sql.raw("""
            SELECT t.agency_id, p.field, t.status, t.channel, t.timeliness,
                   CAST(SUM(t.n) AS BIGINT) AS n, CAST(SUM(t.processed) AS BIGINT) AS processed,
                   CAST(SUM(t.processing_days) AS BIGINT) AS days
            FROM dossier_tallies t JOIN procedures p ON p.id = t.procedure_id
            WHERE \(scope.condition)
            GROUP BY t.agency_id, p.field, t.status, t.channel, t.timeliness
            """).all() {
            let key = try key(row)
            let n = try row.decode(column: "n", as: Int.self)
            guard n != 0 else { continue }
            let status = try row.decode(column: "status", as: Int.self)
            var tally = tallies[key] ?? Tally()
            if (1...tally.byStatus.count).contains(status) { tally.byStatus[status - 1] += n }
            if try row.decode(column: "channel", as: String.self) == SubmissionChannel.online.rawValue { tally.online += n }
            if let timeliness = Timeliness(rawValue: try row.decode(column: "timeliness", as: String.self)) {
                if timeliness.isOnTime { tally.onTime += n } else { tally.late += n }
            }
            tally.processed += try row.decode(column: "processed", as: Int.self)
            tally.processingDays += try row.decode(column: "days", as: Int.self)
            tallies[key] = tally
        }

        for row in try await sql.raw("""
            SELECT t.agency_id, p.field, t.level, CAST(SUM(t.n) AS BIGINT) AS n
            FROM dossier_rating_tallies t JOIN procedures p ON p.id = t.procedure_id
            WHERE \(scope.condition)
            GROUP BY t.agency_id, p.field, t.level
            """).all() {
            guard let level = SatisfactionLevel(rawValue: try row.decode(column: "level", as: Int.self)) else { continue }
            let key = try key(row)
            let n = try row.decode(column: "n", as: Int.self)
            var tally = tallies[key] ?? Tally()
            tally.satisfaction = tally.satisfaction + SatisfactionTally(counts: SatisfactionLevel.allCases.map { $0 == level ? n : 0 })
            tallies[key] = tally
        }

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

    /// The WHERE clause of both tallies: the days of submission and the agency.
    struct Scope {
        let condition: SQLQueryString

        init(filter: Filter) {
            var condition: SQLQueryString = "t.day >= \(bind: filter.from.daysSince1970) AND t.day <= \(bind: filter.to.daysSince1970)"
            if let id = filter.agency?.id { condition = condition + " AND t.agency_id = \(bind: id)" }
            self.condition = condition
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
