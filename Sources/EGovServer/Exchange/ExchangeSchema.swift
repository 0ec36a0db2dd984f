import Fluent
import SQLKit

/// The exchange takes over its outbox from Documents (which created `exchange_outbox`) and
/// carries dossiers too: one table of envelopes, each naming the kind of what it carries.
struct MoveOutboxToExchange: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(OutboxMessage.schema)
            .id()
            .field("kind", .string, .required)
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("object_id", .uuid, .required)
            .field("document_id", .uuid, .references(OutgoingDocument.schema, "id"))
            .field("recipient_agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("recipient_name", .string, .required)
            .field("state", .string, .required)
            .field("delivered_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO exchange_envelopes (id, kind, agency_id, object_id, document_id, recipient_agency_id, recipient_name, state, created_at, updated_at)
            SELECT id, 'outgoing_document', agency_id, document_id, document_id, recipient_agency_id, recipient_name, state, created_at, updated_at
            FROM exchange_outbox
            """).run()
        // A document goes once to each agency; a dossier may come back to an agency on a later step.
        try await sql.raw("CREATE UNIQUE INDEX exchange_envelopes_document_recipient ON exchange_envelopes (document_id, recipient_agency_id)").run()
        try await sql.raw("CREATE INDEX exchange_envelopes_agency_kind ON exchange_envelopes (agency_id, kind, state)").run()
        try await sql.raw("CREATE INDEX exchange_envelopes_object ON exchange_envelopes (object_id)").run()
        try await db.schema(Self.legacyTable).delete()
    }

    func revert(on db: Database) async throws {
        try await db.schema(Self.legacyTable)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("document_id", .uuid, .required, .references(OutgoingDocument.schema, "id"))
            .field("recipient_agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("recipient_name", .string, .required)
            .field("state", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "document_id", "recipient_agency_id")
            .create()
        if let sql = db as? SQLDatabase {
            try await sql.raw("""
                INSERT INTO exchange_outbox (id, agency_id, document_id, recipient_agency_id, recipient_name, state, created_at, updated_at)
                SELECT id, agency_id, document_id, recipient_agency_id, recipient_name, state, created_at, updated_at
                FROM exchange_envelopes WHERE kind = 'outgoing_document'
                """).run()
        }
        try await db.schema(OutboxMessage.schema).delete()
    }

    /// The table `CreateOutgoingDocuments` made.
    static let legacyTable = "exchange_outbox"
}
