import FluentKit
import FluentSQL
import NIOConcurrencyHelpers

/// A plain value read from some columns of a model's table: lists and inboxes need a few
/// short columns of many rows, not full models. Fluent's `all()` reflects over every property
/// of every row and allocates a wrapper object per property; at 50 rows a page that was the
/// largest share of an inbox's CPU. Its coding keys are the column names.
protocol ColumnRow: Decodable, Sendable {
    associatedtype Columns: CodingKey & CaseIterable
}

extension QueryBuilder {
    /// The rows of this query (its filters, joins, sorts and range) as `Row` values, decoded
    /// straight from the SQL rows.
    func all<Row: ColumnRow>(_ row: Row.Type) async throws -> [Row] {
        guard let sql = database as? any SQLDatabase else { throw ColumnRowError.notSQL }
        return try await sql.rows(Row.self, of: select(Row.self), prefix: Self.columnPrefix)
    }

    /// This query as SQL selecting `Row`'s columns (and `extra` ones), each named
    /// `<table>_<column>` as Fluent names them.
    func select<Row: ColumnRow>(_ row: Row.Type, extra: [String] = []) -> any SQLExpression {
        var query = self.query
        query.fields = (Row.Columns.allCases.map(\.stringValue) + extra).map {
            .extendedPath([FieldKey(stringLiteral: $0)], schema: Model.schemaOrAlias, space: Model.spaceIfNotAliased)
        }
        return SQLQueryConverter(delegate: ReadOnlyConverterDelegate()).convert(query)
    }

    static var columnPrefix: String {
        [Model.spaceIfNotAliased, Model.schemaOrAlias].compactMap { $0 }.joined(separator: "_") + "_"
    }
}

extension SQLDatabase {
    /// Runs `expression` and decodes each row as `Row`, its columns named `prefix` + coding key.
    func rows<Row: ColumnRow>(_ row: Row.Type, of expression: any SQLExpression, prefix: String) async throws -> [Row] {
        let decoder = SQLRowDecoder(prefix: prefix)
        let rows = NIOLockedValueBox<[Result<Row, any Error>]>([])
        try await execute(sql: expression) { output in
            let decoded = Result { try output.decode(model: Row.self, with: decoder) }
            rows.withLockedValue { $0.append(decoded) }
        }
        return try rows.withLockedValue { try $0.map { try $0.get() } }
    }
}

/// Every database EGov runs on is SQL; a `ColumnRow` read on another is a programming error.
enum ColumnRowError: Error { case notSQL }

/// Selects need no data types: those belong to schema changes.
private struct ReadOnlyConverterDelegate: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}
