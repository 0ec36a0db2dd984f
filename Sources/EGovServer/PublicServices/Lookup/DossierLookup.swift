import EGovCore
import Fluent
import FluentPostgresDriver
import SQLKit
import Vapor

/// Tra cứu hồ sơ: anyone with a dossier's code and the applicant's phone or identity number
/// reads where it stands. Only the status and its dates are shown — never the applicant's
/// name, files, form values or the notes of its history.
enum DossierLookup {
    /// What the look-up shows.
    struct Result: Content, Equatable {
        let code: String
        let procedureName: String
        let agencyName: String
        let status: Int
        let statusLabel: String
        let submittedAt: Date
        let acceptedAt: Date?
        let promisedDate: String?
        /// The new appointment of a late dossier (phiếu xin lỗi và hẹn lại).
        let apologyDate: String?
        let finishedAt: Date?
        let resultReturnedAt: Date?

        enum CodingKeys: String, CodingKey {
            case code, status
            case procedureName = "procedure_name", agencyName = "agency_name", statusLabel = "status_label"
            case submittedAt = "submitted_at", acceptedAt = "accepted_at", promisedDate = "promised_date", apologyDate = "apology_date"
            case finishedAt = "finished_at", resultReturnedAt = "result_returned_at"
        }

        /// The API's answer: what `JSONEncoder` would write (the keys are `CodingKeys`'), in a
        /// fraction of its time.
        var jsonResponse: Response {
            var json = JSONObjectText()
            json.add("code", code)
            json.add("procedure_name", procedureName)
            json.add("agency_name", agencyName)
            json.add("status", status)
            json.add("status_label", statusLabel)
            json.add("submitted_at", submittedAt)
            json.add("accepted_at", acceptedAt)
            json.add("promised_date", promisedDate)
            json.add("apology_date", apologyDate)
            json.add("finished_at", finishedAt)
            json.add("result_returned_at", resultReturnedAt)
            return json.response()
        }
    }

    /// `?code=&contact=`.
    struct Query {
        var code: String?
        var contact: String?

        /// Read straight from the query string: the form decoder cost as much as the database read.
        /// A parameter given twice counts once (the first); a badly encoded one counts as absent.
        init(_ req: Request) {
            var code: String?
            var contact: String?
            for pair in (req.url.query ?? "").split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count == 2 ? Self.formDecoded(parts[1]) : ""
                switch parts[0] {
                case "code" where code == nil: code = value
                case "contact" where contact == nil: contact = value
                default: break
                }
            }
            self.init(code: code, contact: contact)
        }

        init(code: String?, contact: String?) {
            self.code = code
            self.contact = contact
        }

        /// A form value: `+` is a space and `%XX` a byte. `nil` when a `%` is not followed by two
        /// hex digits or the bytes are not UTF-8. (Foundation's `removingPercentEncoding` cost
        /// more than the rest of the request's parsing.)
        static func formDecoded(_ text: Substring) -> String? {
            func hex(_ byte: UInt8) -> UInt8? {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
                default: return nil
                }
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var input = text.utf8.makeIterator()
            while let byte = input.next() {
                switch byte {
                case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
                case UInt8(ascii: "%"):
                    guard let high = input.next().flatMap(hex), let low = input.next().flatMap(hex) else { return nil }
                    bytes.append(high << 4 | low)
                default: bytes.append(byte)
                }
            }
            return String(bytes: bytes, encoding: .utf8)
        }
    }

    /// One answer for a code that does not exist and for a contact that does not match, so the
    /// look-up tells nobody which codes exist.
    static let notFound = EGovError.notFound("Không tìm thấy hồ sơ với mã hồ sơ và số điện thoại hoặc số giấy tờ đã nhập. Vui lòng kiểm tra lại.")

    /// The dossier with `code` when `contact` is its applicant's phone or identity number.
    /// One indexed read of one row (the unique code), through `direct` when it can; the
    /// procedure's and agency's names come from `names`, which keeps them a minute.
    static func find(code rawCode: String, contact rawContact: String, names: DirectoryNames, direct: SQLiteLookupReader?, now: Date,
                     on db: Database) async throws -> Result {
        guard let code = try? DossierCode(parsing: String(rawCode.filter { !$0.isWhitespace }).uppercased()), let contact = Contact(rawContact),
              let sql = db as? SQLDatabase else { throw notFound }
        let stored: StoredRow?
        if let answered = await direct?.read(code: code.rawValue) { stored = answered } else { stored = try await StoredRow.read(code: code.rawValue, on: db) }
        guard let row = stored,
              contact.matches(phone: row.applicantPhone, identity: row.applicantIdentity) else { throw notFound }
        let status = DossierStatus(rawValue: row.status) ?? .new
        let (procedureName, agencyName) = try await names.names(procedure: row.procedureID, agency: row.agencyID, now: now, on: sql)
        return Result(
            code: code.rawValue, procedureName: procedureName, agencyName: agencyName, status: status.rawValue, statusLabel: status.label,
            submittedAt: row.submittedAt, acceptedAt: row.acceptedAt, promisedDate: row.promisedDate, apologyDate: row.apologyDate,
            finishedAt: row.finishedAt, resultReturnedAt: row.resultReturnedAt)
    }

    /// The columns the look-up reads: one indexed row of one table (the unique code).
    struct StoredRow: Sendable, Equatable, Decodable {
        /// In the order of `CodingKeys`, which the prepared statements read by position.
        static let columns = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
        let status: Int
        let applicantPhone: String
        let applicantIdentity: String
        let submittedAt: Date
        let acceptedAt: Date?
        let promisedDate: String?
        let apologyDate: String?
        let finishedAt: Date?
        let resultReturnedAt: Date?
        let procedureID: UUID
        let agencyID: UUID

        enum CodingKeys: String, CodingKey, CaseIterable {
            case status, applicantPhone = "applicant_phone", applicantIdentity = "applicant_identity", submittedAt = "submitted_at"
            case acceptedAt = "accepted_at", promisedDate = "promised_date", apologyDate = "apology_date", finishedAt = "finished_at"
            case resultReturnedAt = "result_returned_at", procedureID = "procedure_id", agencyID = "agency_id"
        }

        /// On PostgreSQL a statement prepared once per connection (parsing and planning cost the
        /// server more than the read itself); elsewhere an ordinary query.
        static func read(code: String, on db: Database) async throws -> StoredRow? {
            if let postgres = db as? any PostgresDatabase {
                let logger = db.logger
                return try await postgres.withConnection { connection in
                    connection.eventLoop.makeFutureWithTask {
                        var found: StoredRow?  // the code is unique: one row at most
                        for try await row in try await connection.execute(Prepared(code: code), logger: logger) { found = row }
                        return found
                    }
                }.get()
            }
            guard let sql = db as? SQLDatabase else { return nil }
            return try await sql.raw("SELECT \(unsafeRaw: columns) FROM dossiers WHERE code = \(bind: code)").first(decoding: StoredRow.self)
        }

        struct Prepared: PostgresPreparedStatement {
            static let name = "egov_dossier_lookup"
            static let sql = "SELECT \(columns) FROM dossiers WHERE code = $1"
            typealias Row = StoredRow
            let code: String

            func makeBindings() throws -> PostgresBindings {
                var bindings = PostgresBindings(capacity: 1)
                bindings.append(code)
                return bindings
            }

            func decodeRow(_ row: PostgresRow) throws -> StoredRow {
                let (status, phone, identity, submitted, accepted, promised, apology, finished, returned, procedure, agency) = try row.decode(
                    (Int, String, String, Date, Date?, String?, String?, Date?, Date?, UUID, UUID).self)
                return StoredRow(status: status, applicantPhone: phone, applicantIdentity: identity, submittedAt: submitted, acceptedAt: accepted,
                                 promisedDate: promised, apologyDate: apology, finishedAt: finished, resultReturnedAt: returned,
                                 procedureID: procedure, agencyID: agency)
            }
        }
    }

    /// A phone number (any spelling `VietnamesePhone` accepts) or an identity number (CCCD, tax code).
    struct Contact: Equatable {
        let phone: String?
        let identity: String

        init?(_ text: String) {
            let trimmed = String(text.trimmingWhitespace)
            // Stored identities went through `ApplicantIdentityNumber.normalise`; so does the input.
            identity = ApplicantIdentityNumber.normalise(trimmed, for: .citizen) ?? ApplicantIdentityNumber.normalise(trimmed, for: .business)
                ?? trimmed.filter { $0 != " " && $0 != "." }
            phone = VietnamesePhone.normalise(trimmed)
            guard !identity.isEmpty, identity.count <= 40 else { return nil }
        }

        func matches(phone storedPhone: String, identity storedIdentity: String) -> Bool {
            if let phone, let stored = VietnamesePhone.normalise(storedPhone), stored == phone { return true }
            let stored = storedIdentity.filter { $0 != " " && $0 != "." }
            return !stored.isEmpty && stored == identity
        }
    }

    /// Counts a look-up of the client against its limit: 429 with `Retry-After` past it.
    static func admit(_ req: Request) throws {
        if case .limited(let seconds) = req.application.egovServices.lookupLimiter.hit(req.clientAddress, now: req.now) {
            throw EGovError.tooManyRequests("Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau \(seconds) giây.", retryAfter: seconds)
        }
    }
}

/// Names of procedures and agencies by id, kept for a minute (a renamed one shows its new name
/// within that minute), so the look-up reads a single row of a single table.
final class DirectoryNames: Sendable {
    let maxAge: TimeInterval
    /// Past this many ids the names are read afresh.
    private let known = ExpiringCache<UUID, String>(capacity: 20_000)

    init(maxAge: TimeInterval = 60) {
        self.maxAge = maxAge
    }

    func names(procedure: UUID, agency: UUID, now: Date, on sql: SQLDatabase) async throws -> (procedure: String, agency: String) {
        if let procedureName = known.value(for: procedure, now: now, maxAge: maxAge),
           let agencyName = known.value(for: agency, now: now, maxAge: maxAge) {
            return (procedureName, agencyName)
        }
        let row = try await sql.raw("""
            SELECT (SELECT name FROM procedures WHERE id = \(bind: procedure)) AS procedure_name,
                   (SELECT name FROM agencies WHERE id = \(bind: agency)) AS agency_name
            """).first()
        let procedureName = try row?.decode(column: "procedure_name", as: String?.self) ?? ""
        let agencyName = try row?.decode(column: "agency_name", as: String?.self) ?? ""
        known.store(procedureName, for: procedure, now: now)
        known.store(agencyName, for: agency, now: now)
        return (procedureName, agencyName)
    }
}

/// Closes the look-up's own SQLite connections with the server.
struct SQLiteLookupReaderShutdown: LifecycleHandler {
    func shutdown(_ application: Application) {
        application.egovServices.sqliteLookupReader?.close()
    }
}
