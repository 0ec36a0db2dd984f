import Fluent
import SQLKit
import Vapor

/// Gap-free counters: arrival numbers, outgoing numbers per register. A number is taken inside
/// the same transaction as the record that carries it, so a failed registration gives it back.
enum NumberSequences {
    static let schema = "number_sequences"

    /// The next value of `register` for `agencyID` in `year`, starting at 1.
    ///
    /// `UPDATE … RETURNING` locks the row until commit on PostgreSQL and runs under the write
    /// lock of `BEGIN IMMEDIATE` on SQLite, so two transactions never read the same value.
    static func next(agencyID: UUID, register: String, year: Int, on db: Database) async throws -> Int {
        guard let sql = db as? SQLDatabase else { throw EGovError.badRequest("Cơ sở dữ liệu không hỗ trợ đánh số.") }
        struct Row: Decodable { let last_value: Int }
        func increment() async throws -> Int? {
            try await sql.raw("""
                UPDATE \(ident: schema) SET last_value = last_value + 1
                WHERE agency_id = \(bind: agencyID) AND register = \(bind: register) AND year = \(bind: year)
                RETURNING last_value
                """).first(decoding: Row.self)?.last_value
        }
        if let value = try await increment() { return value }
        // The year's first number: create the counter at 0 (a concurrent creator wins quietly),
        // then take from it like everyone else.
        try await sql.raw("""
            INSERT INTO \(ident: schema) (id, agency_id, register, year, last_value)
            VALUES (\(bind: UUID()), \(bind: agencyID), \(bind: register), \(bind: year), 0)
            ON CONFLICT (agency_id, register, year) DO NOTHING
            """).run()
        guard let value = try await increment() else { throw EGovError.conflict("Không lấy được số văn bản, vui lòng thử lại.", code: "numbering_failed") }
        return value
    }

    /// The last value taken (0 when none), for registers and tests.
    static func current(agencyID: UUID, register: String, year: Int, on db: Database) async throws -> Int {
        guard let sql = db as? SQLDatabase else { return 0 }
        struct Row: Decodable { let last_value: Int }
        return try await sql.raw("""
            SELECT last_value FROM \(ident: schema)
            WHERE agency_id = \(bind: agencyID) AND register = \(bind: register) AND year = \(bind: year)
            """).first(decoding: Row.self)?.last_value ?? 0
    }
}
