import EGovCore
import Fluent
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
    }

    /// One answer for a code that does not exist and for a contact that does not match, so the
    /// look-up tells nobody which codes exist.
    static let notFound = EGovError.notFound("Không tìm thấy hồ sơ với mã hồ sơ và số điện thoại hoặc số giấy tờ đã nhập. Vui lòng kiểm tra lại.")

    /// The dossier with `code` when `contact` is its applicant's phone or identity number.
    /// One indexed query (the unique code), joined to the procedure's and agency's names.
    static func find(code rawCode: String, contact rawContact: String, on db: Database) async throws -> Result {
        guard let code = try? DossierCode(parsing: String(rawCode.filter { !$0.isWhitespace }).uppercased()), let contact = Contact(rawContact),
              let sql = db as? SQLDatabase else { throw notFound }
        let row = try await sql.raw("""
            SELECT d.status, d.applicant_phone, d.applicant_identity, d.submitted_at, d.accepted_at, d.promised_date,
                   d.apology_date, d.finished_at, d.result_returned_at, p.name AS procedure_name, a.name AS agency_name
            FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN agencies a ON a.id = d.agency_id
            WHERE d.code = \(bind: code.rawValue)
            """).first()
        guard let row, contact.matches(phone: try row.decode(column: "applicant_phone", as: String.self),
                                       identity: try row.decode(column: "applicant_identity", as: String.self)) else { throw notFound }
        let status = DossierStatus(rawValue: try row.decode(column: "status", as: Int.self)) ?? .new
        return Result(
            code: code.rawValue, procedureName: try row.decode(column: "procedure_name", as: String.self),
            agencyName: try row.decode(column: "agency_name", as: String.self), status: status.rawValue, statusLabel: status.label,
            submittedAt: try row.decode(column: "submitted_at", as: Date.self), acceptedAt: try row.decode(column: "accepted_at", as: Date?.self),
            promisedDate: try row.decode(column: "promised_date", as: String?.self), apologyDate: try row.decode(column: "apology_date", as: String?.self),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self), resultReturnedAt: try row.decode(column: "result_returned_at", as: Date?.self))
    }

    /// A phone number (any spelling `VietnamesePhone` accepts) or an identity number (CCCD, tax code).
    struct Contact: Equatable {
        let phone: String?
        let identity: String

        init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            identity = trimmed.filter { $0 != " " && $0 != "." }
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
        if case .limited(let seconds) = req.application.lookupLimiter.hit(req.clientAddress, now: req.now) {
            throw LookupLimited(retryAfter: seconds)
        }
    }
}

/// Too many look-ups from one address within a minute.
struct LookupLimited: Error {
    let retryAfter: Int

    var message: String { "Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau \(retryAfter) giây." }
    var error: EGovError { .tooManyRequests(message) }
}
