import Fluent
import Vapor

/// The schema's history, in order. Never edit a step that has shipped; add the next one.
enum Migrations {
    static func register(on app: Application) {
        // Sessions of the web UI, kept in the database so a restart signs nobody out.
        app.migrations.add(SessionRecord.migration)
        // The agency directory and the units inside each agency.
        app.migrations.add(CreateAgencies())
        app.migrations.add(CreateUnits())
        // Civil-servant accounts with roles, lock-out counters and the optional TOTP secret.
        app.migrations.add(CreateUsers())
        // Citizen and business accounts for the public-service portal.
        app.migrations.add(CreateApplicants())
        // API refresh tokens (hashed).
        app.migrations.add(CreateRefreshTokens())
        // The hash-chained audit log and its head.
        app.migrations.add(CreateAuditLog())
        // Government-announced calendar changes per year.
        app.migrations.add(CreateCalendarOverrides())
        // Gap-free counters for arrival and outgoing numbers.
        app.migrations.add(CreateNumberSequences())
        // Incoming documents with their direction, history and attachments.
        app.migrations.add(CreateIncomingDocuments())
        // Signers' certificates and sealed keys for server-side signing.
        app.migrations.add(CreateSigningIdentities())
        // Outgoing documents: drafts, recipients, signatures, and the exchange outbox.
        app.migrations.add(CreateOutgoingDocuments())
        // Full-text search: FTS5 on SQLite, tsvector on PostgreSQL, and text from PDF files.
        app.migrations.add(AddDocumentSearch())
        // Work files (hồ sơ công việc): the yearly file list and the documents in each file.
        app.migrations.add(CreateWorkFiles())
        // The search's order (newest arrival first) as an index, read window by window.
        app.migrations.add(AddIncomingDateOrder())
        // Applicants: lock-out counters, credential version, confirmation code, address, eID link.
        app.migrations.add(AddApplicantSignIn())
        // In-app notifications for applicants (thông báo), newest first per applicant.
        app.migrations.add(CreateApplicantNotifications())
        // The public-service catalogue: procedures per implementing agency (Decree 61/2018).
        app.migrations.add(CreateProcedures())
        // Each procedure's online form fields and its processing route (units, other agencies).
        app.migrations.add(AddProcedureFormAndRoute())
        // Dossiers of the one-stop office: their history (control slip) and files.
        app.migrations.add(CreateDossiers())
        // The dossier log book reads an agency's dossiers by the day they came in.
        app.migrations.add(AddDossierLogBookIndex())
        // Applicants' satisfaction ratings of returned dossiers, one per dossier.
        app.migrations.add(CreateDossierRatings())
        // Papers the counter received on paper rather than as files.
        app.migrations.add(AddDossierPaperSlots())
        // Running counts of dossiers and ratings, so statistics read thousands of rows, not millions.
        app.migrations.add(CreateDossierTallies())
        // A changed e-mail or phone waits for its confirmation code.
        app.migrations.add(AddApplicantPendingContact())
        // Outgoing PAdES: agencies' seal identities, the stamped PDFs, the signer's competence line
        // and the recipients' order.
        app.migrations.add(AddOutgoingPAdES())
        // The exchange owns its outbox and carries dossiers handed to other agencies as well as documents.
        app.migrations.add(MoveOutboxToExchange())
        // Work files keep the history of their moves (close, reopen, archive).
        app.migrations.add(CreateWorkFileEvents())
        // The durable job queue: PDF text, applicants' mail and SMS, with retries and a dead-letter state.
        app.migrations.add(CreateJobs())
        // One audit chain per agency with its own head, so agencies do not wait for each other's writes.
        app.migrations.add(AddAuditChains())
    }
}

struct CreateAgencies: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Agency.schema)
            .id()
            .field("code", .string, .required)
            .field("parent_code", .string)
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("website", .string, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(Agency.schema).delete() }
}

struct CreateUnits: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(AgencyUnit.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "agency_id", "code")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(AgencyUnit.schema).delete() }
}

struct CreateUsers: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(User.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("unit_id", .uuid, .required, .references(AgencyUnit.schema, "id"))
            .field("username", .string, .required)
            .field("full_name", .string, .required)
            .field("position", .string, .required)
            .field("email", .string, .required)
            .field("roles", .string, .required)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .datetime)
            .field("totp_secret", .string)
            .field("totp_enabled", .bool, .required)
            .field("credential_version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(User.schema).delete() }
}

struct CreateApplicants: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Applicant.schema)
            .id()
            .field("kind", .string, .required)
            .field("full_name", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("identity_number", .string)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("confirmed_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "email")
            .unique(on: "phone")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(Applicant.schema).delete() }
}

struct CreateRefreshTokens: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(RefreshToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(RefreshToken.schema).delete() }
}

struct CreateAuditLog: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(AuditEntry.schema)
            .field("sequence", .int64, .identifier(auto: false))
            .field("occurred_at_ms", .int64, .required)
            .field("actor_id", .string)
            .field("actor_name", .string)
            .field("agency_code", .string)
            .field("action", .string, .required)
            .field("object_type", .string)
            .field("object_id", .string)
            .field("request_id", .string)
            .field("details", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            // A second writer that read the same head cannot fork the chain.
            .unique(on: "previous_hash")
            .create()
        try await db.schema(AuditChainHead.schema)
            .field("id", .int, .identifier(auto: false))
            .field("sequence", .int64, .required)
            .field("hash", .string, .required)
            .create()
    }
    func revert(on db: Database) async throws {
        try await db.schema(AuditChainHead.schema).delete()
        try await db.schema(AuditEntry.schema).delete()
    }
}

struct CreateCalendarOverrides: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(CalendarOverrideRecord.schema)
            .id()
            .field("date", .string, .required)
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "date")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(CalendarOverrideRecord.schema).delete() }
}
