import EGovCore
import Fluent
import FluentSQL

/// A text search that must give its matches newest first, a page at a time. Neither database
/// has an index that yields a phrase's matches in a list's order: the index gives all of them,
/// to be sorted. For a phrase of common words that is tens of thousands of documents at 1 M
/// (over a second on PostgreSQL, whose estimate of such a phrase is a few hundred, and which
/// reads each one's text back from TOAST). But a common phrase fills a page among the newest
/// documents, so: read the list's documents in its own order, a window at a time, keeping the
/// matches. The hit rate of the windows read says how many more to read; when that passes
/// `limit` (a rare phrase) this gives up with nil, and the caller asks the index, which finds a
/// rare phrase's few matches quickly.
enum NewestTextMatches {
    static let firstWindow = 1000
    /// Reading a document costs its text's decompression on PostgreSQL (about 7 µs), a share of
    /// an FTS5 range scan on SQLite; past this many, the index is cheaper.
    static let limit = 8000

    /// How many more to read after `found` matches among `read` documents to reach `wanted`
    /// (a quarter to spare); nil when that would pass the limit.
    static func nextWindow(found: Int, read: Int, wanted: Int) -> Int? {
        let rate = Double(found + 1) / Double(read)
        let more = Int((Double(wanted - found) / rate * 1.25).rounded(.up))
        return read + more <= limit ? more : nil
    }

    /// The first `count` rows of `query` (filtered and sorted by `order`, the columns of its
    /// own sort) that match `terms`, or nil when they are too rare to find this way.
    static func find<Model: FluentKit.Model, Row: ColumnRow>(
        _ query: QueryBuilder<Model>, as row: Row.Type, order: [(column: String, descending: Bool)],
        terms: SearchTerms, count: Int, on sql: any SQLDatabase
    ) async throws -> [Row]? {
        var found: [Row] = []
        var read = 0
        var window = firstWindow
        while true {
            found += try await matches(query, as: row, order: order, terms: terms, among: read..<(read + window), count: count - found.count, on: sql)
            read += window
            guard found.count < count else { return found }
            guard let next = nextWindow(found: found.count, read: read, wanted: count) else { return nil }
            window = next
        }
    }

    /// Matches among the rows at `positions` of the query's order, in that order.
    private static func matches<Model: FluentKit.Model, Row: ColumnRow>(
        _ query: QueryBuilder<Model>, as row: Row.Type, order: [(column: String, descending: Bool)],
        terms: SearchTerms, among positions: Range<Int>, count: Int, on sql: any SQLDatabase
    ) async throws -> [Row] {
        let prefix = QueryBuilder<Model>.columnPrefix
        func column(_ name: String) -> SQLIdentifier { SQLIdentifier(prefix + name) }
        let columns = SQLList(Row.Columns.allCases.map { column($0.stringValue) })
        let ordering = SQLList(order.map { SQLOrderBy(expression: column($0.column), direction: $0.descending ? SQLDirection.descending : .ascending) })
        let window = query.copy().offset(positions.lowerBound).limit(positions.count)
        let statement: SQLQueryString
        if sql.dialect.name == "sqlite" {
            // The window's documents hold a narrow range of full-text keys: FTS5 seeks to it.
            let recent = window.select(Row.self, extra: ["search_key"])
            let fts = Model.schema + "_fts"
            statement = """
                WITH recent AS MATERIALIZED (\(recent))
                SELECT \(columns) FROM recent WHERE \(column("search_key")) IN (
                  SELECT rowid FROM \(ident: fts) WHERE \(ident: fts) MATCH \(bind: terms.fts5Query)
                  AND rowid BETWEEN (SELECT min(\(column("search_key"))) FROM recent) AND (SELECT max(\(column("search_key"))) FROM recent))
                ORDER BY \(ordering) LIMIT \(literal: count)
                """
        } else {
            let recent = window.select(Row.self, extra: ["search_vector"])
            statement = """
                SELECT \(columns) FROM (\(recent)) AS recent
                WHERE \(column("search_vector")) @@ to_tsquery('simple', \(bind: terms.tsQuery))
                ORDER BY \(ordering) LIMIT \(literal: count)
                """
        }
        return try await sql.rows(Row.self, of: statement, prefix: prefix)
    }
}
