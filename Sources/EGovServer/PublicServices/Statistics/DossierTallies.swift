import EGovCore
import Fluent
import SQLKit
import Vapor

/// Running counts behind the statistics, so that a year of a province's dossiers is read from a
/// few thousand rows instead of a million: dossiers per (agency, procedure, day of submission,
/// status, channel, timeliness), with the working days of those processed; and ratings per
/// (agency, procedure, day of submission, criterion, level). Every write that changes a
/// dossier's line moves it in the same transaction (`DossierTransition`, `SubmitDossier`,
/// `RateDossier`); `rebuild` recounts everything from the dossiers (`egov statistics rebuild`).
enum DossierTallies {
    /// Where a dossier counts, and what it adds there.
    struct Line: Equatable, Sendable {
        let agencyID: UUID
        let procedureID: UUID
        /// The Vietnam day of submission, as days since 1970-01-01.
        let day: Int
        let status: Int
        let channel: String
        /// "" while processing has not ended.
        let timeliness: String
        /// 1 when accepted and finished with a timeliness: it has processing days.
        let processed: Int
        /// Working days from the day of acceptance to the day processing finished (Vietnam time).
        let processingDays: Int

        /// The order in which lines are locked.
        var order: String {
            "\(status)|\(timeliness)|\(channel)|\(day)|\(agencyID.uuidString)|\(procedureID.uuidString)"
        }

        init(_ dossier: Dossier, calendar: WorkingDayCalendar?) {
            agencyID = dossier.$agency.id
            procedureID = dossier.$procedure.id
            day = LocalDate.inVietnam(dossier.submittedAt).daysSince1970
            status = dossier.status
            channel = dossier.channel
            timeliness = dossier.timeliness ?? ""
            if dossier.timeliness != nil, let accepted = dossier.acceptedAt, let finished = dossier.finishedAt, let calendar {
                processed = 1
                processingDays = DossierClock(calendar: calendar).processingDays(acceptedAt: accepted, finishedAt: finished)
            } else {
                processed = 0
                processingDays = 0
            }
        }
    }

    /// `LocalDate.inVietnam(column).daysSince1970` of a timestamp column, in the database's dialect.
    static func vietnamDay(_ column: String, on sql: SQLDatabase) -> SQLQueryString {
        let offset = LocalDate.vietnamUTCOffsetSeconds
        return sql.dialect.name == "postgresql"
            ? "CAST(FLOOR((EXTRACT(EPOCH FROM d.\(ident: column)) + \(literal: offset)) / 86400) AS BIGINT)"
            : "CAST((d.\(ident: column) + \(literal: offset)) / 86400 AS INTEGER)"
    }

    /// Moves a dossier from the line it counted in (nil: a new dossier) to its line now.
    static func move(from old: Line?, to new: Line, on db: Database) async throws {
        guard old != new else { return }
        guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
        // Rows are locked in one order (by status, then the rest), so that two moves crossing
        // between the same two lines cannot deadlock on PostgreSQL.
        let changes = ([old.map { ($0, -1) }, (new, 1)] as [(Line, Int)?]).compactMap { $0 }
            .sorted { $0.0.order < $1.0.order }
        for (line, sign) in changes { try await add(line, sign: sign, on: sql) }
    }

    private static func add(_ line: Line, sign: Int, on sql: SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO dossier_tallies (agency_id, procedure_id, day, status, channel, timeliness, n, processed, processing_days)
            VALUES (\(bind: line.agencyID), \(bind: line.procedureID), \(bind: line.day), \(bind: line.status), \(bind: line.channel),
                    \(bind: line.timeliness), \(bind: sign), \(bind: sign * line.processed), \(bind: sign * line.processingDays))
            ON CONFLICT (day, agency_id, procedure_id, status, channel, timeliness) DO UPDATE SET
                n = dossier_tallies.n + excluded.n, processed = dossier_tallies.processed + excluded.processed,
                processing_days = dossier_tallies.processing_days + excluded.processing_days
            """).run()
    }

    /// Counts a rating under its dossier's agency, procedure and day of submission: one row per
    /// criterion, in one statement (rows in criterion order, so concurrent ratings lock alike).
    static func addRating(_ levels: [SatisfactionCriterion: SatisfactionLevel], of dossier: Dossier, on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
        let day = LocalDate.inVietnam(dossier.submittedAt).daysSince1970
        let rows: [SQLQueryString] = levels.sorted { $0.key.rawValue < $1.key.rawValue }.map { criterion, level in
            "(\(bind: day), \(bind: dossier.$agency.id), \(bind: dossier.$procedure.id), \(bind: criterion.rawValue), \(bind: level.rawValue), 1)"
        }
        guard !rows.isEmpty else { return }
        try await sql.raw("""
            INSERT INTO dossier_rating_tallies (day, agency_id, procedure_id, criterion, level, n)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (day, agency_id, procedure_id, criterion, level) DO UPDATE SET n = dossier_rating_tallies.n + excluded.n
            """).run()
    }

    /// Recounts both tallies from the dossiers and ratings, in one transaction. Dossiers are read
    /// grouped by their line and their days of acceptance and finishing, so memory stays small.
    @discardableResult
    static func rebuild(calendar: WorkingDayCalendar, on db: Database) async throws -> (lines: Int, dossiers: Int) {
        try await db.transaction { db in
            guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
            try await sql.raw("DELETE FROM dossier_tallies").run()
            try await sql.raw("DELETE FROM dossier_rating_tallies").run()
            let submitted = vietnamDay("submitted_at", on: sql)
            let accepted = vietnamDay("accepted_at", on: sql)
            let finished = vietnamDay("finished_at", on: sql)
            struct Key: Hashable { let agency: UUID, procedure: UUID, day: Int, status: Int, channel: String, timeliness: String }
            var lines: [Key: (n: Int, processed: Int, days: Int)] = [:]
            var running = WorkingDayCount(calendar: calendar)
            var dossiers = 0
            for row in try await sql.raw("""
                SELECT d.agency_id, d.procedure_id, \(submitted) AS day, d.status, d.channel, d.timeliness,
                       CASE WHEN d.timeliness IS NOT NULL AND d.accepted_at IS NOT NULL AND d.finished_at IS NOT NULL THEN \(accepted) END AS accepted_day,
                       CASE WHEN d.timeliness IS NOT NULL AND d.accepted_at IS NOT NULL AND d.finished_at IS NOT NULL THEN \(finished) END AS finished_day,
                       COUNT(*) AS n
                FROM dossiers d
                GROUP BY d.agency_id, d.procedure_id, \(submitted), d.status, d.channel, d.timeliness, accepted_day, finished_day
                """).all() {
                let key = try Key(agency: row.decode(column: "agency_id", as: UUID.self), procedure: row.decode(column: "procedure_id", as: UUID.self),
                                  day: row.decode(column: "day", as: Int.self), status: row.decode(column: "status", as: Int.self),
                                  channel: row.decode(column: "channel", as: String.self),
                                  timeliness: row.decode(column: "timeliness", as: String?.self) ?? "")
                let n = try row.decode(column: "n", as: Int.self)
                var line = lines[key] ?? (0, 0, 0)
                line.n += n
                if let from = try row.decode(column: "accepted_day", as: Int?.self), let to = try row.decode(column: "finished_day", as: Int?.self) {
                    line.processed += n
                    line.days += n * running.between(from, to)
                }
                lines[key] = line
                dossiers += n
            }
            // 100 lines a statement: 900 parameters, under SQLite's limit.
            let all = Array(lines)
            for start in stride(from: 0, to: all.count, by: 100) {
                var values: [SQLQueryString] = []
                for (key, line) in all[start..<min(start + 100, all.count)] {
                    values.append("(\(bind: key.agency), \(bind: key.procedure), \(bind: key.day), \(bind: key.status), \(bind: key.channel), \(bind: key.timeliness), \(bind: line.n), \(bind: line.processed), \(bind: line.days))")
                }
                try await sql.raw("""
                    INSERT INTO dossier_tallies (agency_id, procedure_id, day, status, channel, timeliness, n, processed, processing_days)
                    VALUES \(values.joined(separator: ", "))
                    """).run()
            }
            // Ratings need no calendar: the database counts them straight into their table.
            for criterion in SatisfactionCriterion.allCases {
                try await sql.raw("""
                    INSERT INTO dossier_rating_tallies (day, agency_id, procedure_id, criterion, level, n)
                    SELECT \(submitted), d.agency_id, d.procedure_id, \(bind: criterion.rawValue), r.\(ident: criterion.rawValue), COUNT(*)
                    FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id
                    GROUP BY \(submitted), d.agency_id, d.procedure_id, r.\(ident: criterion.rawValue)
                    """).run()
            }
            return (lines.count, dossiers)
        }
    }
}

/// Working days between two day numbers, remembered per pair of days.
struct WorkingDayCount {
    let calendar: WorkingDayCalendar
    private var known: [Int: [Int: Int]] = [:]

    init(calendar: WorkingDayCalendar) {
        self.calendar = calendar
    }

    /// The working days d with from < d <= to (days since 1970-01-01, Vietnam dates).
    mutating func between(_ from: Int, _ to: Int) -> Int {
        if let count = known[from]?[to] { return count }
        let count = calendar.workingDaysBetween(LocalDate(daysSince1970: from), LocalDate(daysSince1970: to))
        known[from, default: [:]][to] = count
        return count
    }
}

/// The two tally tables, filled from the dossiers already stored. Each is keyed by day first, so
/// a period is one range of the key: on SQLite a clustered (WITHOUT ROWID) table, read without a
/// look-up per row.
struct CreateDossierTallies: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
        let clustered: SQLQueryString = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE dossier_tallies (
                day BIGINT NOT NULL, agency_id UUID NOT NULL, procedure_id UUID NOT NULL, status BIGINT NOT NULL,
                channel TEXT NOT NULL, timeliness TEXT NOT NULL,
                n BIGINT NOT NULL, processed BIGINT NOT NULL, processing_days BIGINT NOT NULL,
                PRIMARY KEY (day, agency_id, procedure_id, status, channel, timeliness))\(clustered)
            """).run()
        try await sql.raw("""
            CREATE TABLE dossier_rating_tallies (
                day BIGINT NOT NULL, agency_id UUID NOT NULL, procedure_id UUID NOT NULL,
                criterion TEXT NOT NULL, level BIGINT NOT NULL, n BIGINT NOT NULL,
                PRIMARY KEY (day, agency_id, procedure_id, criterion, level))\(clustered)
            """).run()
        try await DossierTallies.rebuild(calendar: try await CalendarService.calendar(on: db), on: db)
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { throw ColumnRowError.notSQL }
        try await sql.raw("DROP TABLE dossier_rating_tallies").run()
        try await sql.raw("DROP TABLE dossier_tallies").run()
    }
}
