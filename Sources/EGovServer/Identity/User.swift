import EGovCore
import Fluent
import Vapor

/// A civil-servant account: belongs to one agency and one unit, holds roles.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Parent(key: "unit_id") var unit: AgencyUnit
    @Field(key: "username") var username: String
    @Field(key: "full_name") var fullName: String
    /// Chức vụ, e.g. "Chánh Văn phòng".
    @Field(key: "position") var position: String
    @Field(key: "email") var email: String
    @Field(key: "roles") var storedRoles: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "failed_sign_ins") var failedSignIns: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    /// Base32 TOTP secret; `totpEnabled` turns it on once a code was verified.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @Field(key: "totp_enabled") var totpEnabled: Bool
    /// Bumped on password change, reset and deactivation so older sessions and tokens stop working.
    @Field(key: "credential_version") var credentialVersion: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, agencyID: UUID, unitID: UUID, username: String, fullName: String, position: String = "", email: String = "", roles: Set<Role>, passwordHash: String) {
        self.id = id
        self.$agency.id = agencyID
        self.$unit.id = unitID
        self.username = username
        self.fullName = fullName
        self.position = position
        self.email = email
        self.storedRoles = Role.encodeList(roles)
        self.passwordHash = passwordHash
        self.isActive = true
        self.failedSignIns = 0
        self.totpEnabled = false
        self.credentialVersion = 1
    }

    var roles: Set<Role> {
        get { Role.decodeList(storedRoles) }
        set { storedRoles = Role.encodeList(newValue) }
    }
}

extension User: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}

/// A refresh token for the JSON API; only its SHA-256 is stored.
final class RefreshToken: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

extension User {
    /// Whether `code` is the current code of the user's TOTP secret (spaces around it ignored).
    func acceptsTOTP(_ code: String, at now: Date) -> Bool {
        guard let secret = totpSecret.flatMap(Base32.decode) else { return false }
        return TOTP(secret: secret).verify(code.trimmingCharacters(in: .whitespaces), at: now)
    }
}
