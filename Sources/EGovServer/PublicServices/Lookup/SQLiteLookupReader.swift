import Foundation
import NIOConcurrencyHelpers
import NIOPosix
// The SQLite library that SQLiteNIO builds in (its functions are prefixed `sqlite_nio_`).
import VaporCSQLite

/// The public look-up's own read-only connections to the SQLite file, each with the look-up's
/// statement prepared once.
///
/// Why: through SQLiteNIO each look-up is prepared afresh and its row copied twice (SQLiteNIO,
/// then SQLKit), which cost more than the read itself; with the statement kept the look-up's rate
/// rose by about 70 %. The read still runs on the thread pool, as SQLiteNIO's do, so a page that
/// is not in memory never holds up an event loop. Anything unusual — the file busy, a value of
/// an unexpected type, the pool stopped — answers `nil`, and the caller reads through Fluent.
final class SQLiteLookupReader: Sendable {
    private let path: String
    private let threadPool: NIOThreadPool
    /// Everything that changes, under one lock, so a connection given back during `close()`
    /// cannot slip into the idle list after it was emptied.
    private struct State {
        /// Connections not in use. One serves one read at a time, so there are at most as many as
        /// the pool has threads.
        var idle: [Connection] = []
        var closed = false
        /// Reads this reader answered itself (the others went to Fluent).
        var answered = 0
    }
    private let state = NIOLockedValueBox(State())

    var answeredReads: Int { state.withLockedValue { $0.answered } }

    init(path: String, threadPool: NIOThreadPool) {
        self.path = path
        self.threadPool = threadPool
    }

    /// The dossier's stored row: `.some(nil)` when no dossier has the code; `nil` when this
    /// reader could not answer.
    func read(code: String) async -> DossierLookup.StoredRow?? {
        do {
            return try await threadPool.runIfActive { () -> DossierLookup.StoredRow?? in self.readHere(code: code) }
        } catch {
            return nil  // the pool has stopped
        }
    }

    private func readHere(code: String) -> DossierLookup.StoredRow?? {
        let borrowed = state.withLockedValue { state -> (closed: Bool, connection: Connection?) in (state.closed, state.idle.popLast()) }
        guard !borrowed.closed, let connection = borrowed.connection ?? Connection(path: path) else { return nil }
        let outcome = connection.read(code: code)
        // A connection that failed once is replaced, in case its handle is in a bad state.
        let kept = state.withLockedValue { state in
            if outcome != nil { state.answered += 1 }
            guard outcome != nil, !state.closed, state.idle.count < 64 else { return false }
            state.idle.append(connection)
            return true
        }
        if !kept { connection.close() }
        return outcome
    }

    /// Closes the idle connections; later reads answer `nil`.
    func close() {
        let idle = state.withLockedValue { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.close() }
    }

    deinit { close() }

    /// One `sqlite3` handle and its prepared statement; used by one thread at a time.
    private final class Connection: @unchecked Sendable {
        static let sql = "SELECT \(DossierLookup.StoredRow.columns) FROM dossiers WHERE code = ?1"
        private var handle: OpaquePointer?
        private var statement: OpaquePointer?

        init?(path: String) {
            guard sqlite_nio_sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
                  sqlite_nio_sqlite3_prepare_v3(handle, Self.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK
            else {
                close()
                return nil
            }
        }

        func close() {
            sqlite_nio_sqlite3_finalize(statement)
            sqlite_nio_sqlite3_close(handle)
            statement = nil
            handle = nil
        }

        func read(code: String) -> DossierLookup.StoredRow?? {
            guard let statement else { return nil }
            // Reset at once, so the read's snapshot of the WAL ends with it.
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            let bound = code.utf8CString.withUnsafeBufferPointer { text in
                sqlite_nio_sqlite3_bind_text64(statement, 1, text.baseAddress, UInt64(text.count - 1), transient, UInt8(SQLITE_UTF8))
            }
            guard bound == SQLITE_OK else { return nil }
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_DONE: return .some(nil)
            case SQLITE_ROW: break
            default: return nil
            }
            guard let status = integer(0), let phone = text(1), let identity = text(2), let submittedAt = date(3),
                  let acceptedAt = optional(4, date), let promisedDate = optional(5, text), let apologyDate = optional(6, text),
                  let finishedAt = optional(7, date), let resultReturnedAt = optional(8, date),
                  let procedureID = uuid(9), let agencyID = uuid(10) else { return nil }
            return .some(DossierLookup.StoredRow(
                status: status, applicantPhone: phone, applicantIdentity: identity, submittedAt: submittedAt, acceptedAt: acceptedAt,
                promisedDate: promisedDate, apologyDate: apologyDate, finishedAt: finishedAt, resultReturnedAt: resultReturnedAt,
                procedureID: procedureID, agencyID: agencyID))
        }

        // Column readers: `nil` when the stored value is not of the type Fluent writes.

        private func type(_ column: Int32) -> Int32 { sqlite_nio_sqlite3_column_type(statement, column) }

        private func integer(_ column: Int32) -> Int? {
            type(column) == SQLITE_INTEGER ? Int(sqlite_nio_sqlite3_column_int64(statement, column)) : nil
        }

        private func text(_ column: Int32) -> String? {
            guard type(column) == SQLITE_TEXT, let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// Fluent stores a date as seconds since 1970; SQLiteNIO rounds it to microseconds.
        private func date(_ column: Int32) -> Date? {
            let seconds: Double
            switch type(column) {
            case SQLITE_FLOAT: seconds = sqlite_nio_sqlite3_column_double(statement, column)
            case SQLITE_INTEGER: seconds = Double(sqlite_nio_sqlite3_column_int64(statement, column))
            default: return nil
            }
            let sinceReference = seconds - Date.timeIntervalBetween1970AndReferenceDate
            return Date(timeIntervalSinceReferenceDate: (sinceReference * 1e6).rounded() / 1e6)
        }

        /// Fluent stores a UUID as its text (SQLiteNIO also reads 16 raw bytes).
        private func uuid(_ column: Int32) -> UUID? {
            switch type(column) {
            case SQLITE_TEXT: return text(column).flatMap(UUID.init(uuidString:))
            case SQLITE_BLOB:
                guard sqlite_nio_sqlite3_column_bytes(statement, column) == 16,
                      let bytes = sqlite_nio_sqlite3_column_blob(statement, column)?.assumingMemoryBound(to: UInt8.self) else { return nil }
                return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                   bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
            default: return nil
            }
        }

        /// A NULL column is `.some(nil)`; a value that does not read is `nil`.
        private func optional<T>(_ column: Int32, _ read: (Int32) -> T?) -> T?? {
            if type(column) == SQLITE_NULL { return .some(nil) }
            return read(column).map { .some($0) }
        }
    }
}

/// SQLite copies a bound value at once (`SQLITE_TRANSIENT`).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
