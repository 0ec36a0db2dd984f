import Fluent
import Vapor

/// A citizen or business account (công dân, doanh nghiệp), used by the public-service portal.
/// Civil servants are `User`s; the two never share a session or a token.
final class Applicant: Model, @unchecked Sendable {
    static let schema = "applicants"

    enum Kind: String, Codable, Sendable, CaseIterable { case citizen, business }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "full_name") var fullName: String
    /// Lower-cased.
    @OptionalField(key: "email") var email: String?
    /// National form, `0912345678`.
    @OptionalField(key: "phone") var phone: String?
    /// CCCD number for citizens, tax code for businesses.
    @OptionalField(key: "identity_number") var identityNumber: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_active") var isActive: Bool
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "failed_sign_ins") var failedSignIns: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    /// Bumped on password change so older sessions and tokens stop working.
    @Field(key: "credential_version") var credentialVersion: Int
    @OptionalField(key: "address") var address: String?
    /// SHA-256 of the applicant id and the pending confirmation code; nil when none is usable.
    @OptionalField(key: "confirmation_code_hash") var confirmationCodeHash: String?
    @OptionalField(key: "confirmation_expires_at") var confirmationExpiresAt: Date?
    @Field(key: "confirmation_attempts") var confirmationAttempts: Int
    @OptionalField(key: "confirmation_sent_at") var confirmationSentAt: Date?
    /// The subject of the national eID (VNeID) account linked to this one, if any.
    @OptionalField(key: "external_subject") var externalSubject: String?
    /// A new e-mail or phone waiting for the code sent to it; the old one signs in until then.
    @OptionalField(key: "pending_contact") var pendingContact: String?

    init() {
        self.failedSignIns = 0
        self.credentialVersion = 1
        self.confirmationAttempts = 0
    }

    init(kind: Kind, fullName: String, email: String?, phone: String?, identityNumber: String?, passwordHash: String) {
        self.kind = kind.rawValue
        self.fullName = fullName
        self.email = email
        self.phone = phone
        self.identityNumber = identityNumber
        self.passwordHash = passwordHash
        self.isActive = true
        self.failedSignIns = 0
        self.credentialVersion = 1
        self.confirmationAttempts = 0
    }

    var applicantKind: Kind { Kind(rawValue: kind) ?? .citizen }

    /// What the audit log and the logs show for this account.
    var login: String { email ?? phone ?? id?.uuidString ?? "" }
}

/// Sign-in counters, the confirmation code and the profile address; one column per statement
/// because SQLite adds columns one at a time.
struct AddApplicantSignIn: AsyncMigration {
    private static let columns: [(FieldKey, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
        ("failed_sign_ins", .int, [.required, .sql(.default(0))]),
        ("locked_until", .datetime, []),
        ("credential_version", .int, [.required, .sql(.default(1))]),
        ("address", .string, []),
        ("confirmation_code_hash", .string, []),
        ("confirmation_expires_at", .datetime, []),
        ("confirmation_attempts", .int, [.required, .sql(.default(0))]),
        ("confirmation_sent_at", .datetime, []),
        ("external_subject", .string, []),
    ]

    func prepare(on db: Database) async throws {
        for (key, type, constraints) in Self.columns {
            try await db.schema(Applicant.schema).field(.definition(name: .key(key), dataType: type, constraints: constraints)).update()
        }
    }

    func revert(on db: Database) async throws {
        for (key, _, _) in Self.columns.reversed() {
            try await db.schema(Applicant.schema).deleteField(key).update()
        }
    }
}

/// A changed e-mail or phone becomes the sign-in only once the code sent to it comes back.
struct AddApplicantPendingContact: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Applicant.schema).field("pending_contact", .string).update()
    }

    func revert(on db: Database) async throws {
        try await db.schema(Applicant.schema).deleteField("pending_contact").update()
    }
}
