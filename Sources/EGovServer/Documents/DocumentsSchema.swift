import Fluent
import SQLKit

/// Gap-free number counters (arrival numbers, outgoing registers).
struct CreateNumberSequences: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(NumberSequences.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("register", .string, .required)
            .field("year", .int, .required)
            .field("last_value", .int, .required)
            .unique(on: "agency_id", "register", "year")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(NumberSequences.schema).delete() }
}

/// Incoming documents, their cooperating units, the history of every document, attachments.
struct CreateIncomingDocuments: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(IncomingDocument.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("arrival_year", .int, .required)
            .field("arrival_number", .int, .required)
            .field("arrival_date", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("registered_by_id", .uuid, .required, .references(User.schema, "id"))
            .field("sender_agency_id", .uuid, .references(Agency.schema, "id"))
            .field("sender_name", .string, .required)
            .field("number_notation", .string, .required)
            .field("code_number", .int, .required)
            .field("code_notation", .string, .required)
            .field("type_code", .string, .required)
            .field("issued_date", .string, .required)
            .field("subject", .string, .required)
            .field("signer_name", .string, .required)
            .field("signer_position", .string, .required)
            .field("urgency", .string, .required)
            .field("urgency_rank", .int, .required)
            .field("confidentiality", .string, .required)
            .field("page_count", .int, .required)
            .field("requested_due_date", .string)
            .field("deadline", .string)
            .field("deadline_sort", .string, .required)
            .field("state", .string, .required)
            .field("presented_to_id", .uuid, .references(User.schema, "id"))
            .field("directed_by_id", .uuid, .references(User.schema, "id"))
            .field("direction_note", .string)
            .field("lead_unit_id", .uuid, .references(AgencyUnit.schema, "id"))
            .field("assignee_id", .uuid, .references(User.schema, "id"))
            .field("result", .string)
            .field("reply_outgoing_id", .uuid)
            .field("finished_at", .datetime)
            .field("duplicate_key", .string, .required)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // The arrival register's key: a number is never given twice.
            .unique(on: "agency_id", "arrival_year", "arrival_number")
            .create()
        try await db.schema(IncomingDocumentCooperatingUnit.schema)
            .id()
            .field("document_id", .uuid, .required, .references(IncomingDocument.schema, "id"))
            .field("unit_id", .uuid, .required, .references(AgencyUnit.schema, "id"))
            .unique(on: "document_id", "unit_id")
            .create()
        try await db.schema(DocumentEvent.schema)
            .id()
            .field("document_id", .uuid, .required)
            .field("document_kind", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("position", .int, .required)
            .field("actor_id", .uuid, .required, .references(User.schema, "id"))
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("note", .string, .required)
            .create()
        try await db.schema(DocumentAttachment.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("document_id", .uuid, .required)
            .field("document_kind", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("version", .int, .required)
            .field("uploaded_by_id", .uuid, .required, .references(User.schema, "id"))
            .field("uploaded_at", .datetime, .required)
            .create()
        guard let sql = db as? SQLDatabase else { return }
        // The queries inboxes and lists run on every page view.
        for statement in [
            "CREATE INDEX incoming_documents_agency_state ON incoming_documents (agency_id, state, urgency_rank, deadline_sort)",
            "CREATE INDEX incoming_documents_agency_arrival ON incoming_documents (agency_id, arrival_year, arrival_number)",
            "CREATE INDEX incoming_documents_assignee ON incoming_documents (assignee_id, state)",
            "CREATE INDEX incoming_documents_presented_to ON incoming_documents (presented_to_id, state)",
            "CREATE INDEX incoming_documents_lead_unit ON incoming_documents (lead_unit_id, state)",
            "CREATE INDEX incoming_documents_duplicate ON incoming_documents (agency_id, duplicate_key)",
            "CREATE INDEX incoming_document_cooperating_units_unit ON incoming_document_cooperating_units (unit_id)",
            "CREATE UNIQUE INDEX document_events_document ON document_events (document_id, position)",
            "CREATE INDEX document_attachments_document ON document_attachments (document_id)",
        ] {
            try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema(DocumentAttachment.schema).delete()
        try await db.schema(DocumentEvent.schema).delete()
        try await db.schema(IncomingDocumentCooperatingUnit.schema).delete()
        try await db.schema(IncomingDocument.schema).delete()
    }
}

/// Outgoing documents, their recipients, signatures, and the exchange outbox they feed.
struct CreateOutgoingDocuments: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(OutgoingDocument.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("drafting_unit_id", .uuid, .required, .references(AgencyUnit.schema, "id"))
            .field("drafter_id", .uuid, .required, .references(User.schema, "id"))
            .field("type_code", .string, .required)
            .field("subject", .string, .required)
            .field("summary", .string, .required)
            .field("urgency", .string, .required)
            .field("urgency_rank", .int, .required)
            .field("confidentiality", .string, .required)
            .field("page_count", .int, .required)
            .field("issuer_notation", .string, .required)
            .field("state", .string, .required)
            .field("reviewer_id", .uuid, .references(User.schema, "id"))
            .field("review_note", .string)
            .field("signer_id", .uuid, .references(User.schema, "id"))
            .field("signer_name", .string)
            .field("signer_position", .string)
            .field("signing_mark", .string)
            .field("signed_at", .datetime)
            .field("register", .string, .required)
            .field("number", .int)
            .field("number_year", .int)
            .field("number_notation", .string)
            .field("issued_date", .string)
            .field("document_date", .string, .required)
            .field("issued_at", .datetime)
            .field("issued_by_id", .uuid, .references(User.schema, "id"))
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // A number is given once per register per year (NULL until issued).
            .unique(on: "agency_id", "register", "number_year", "number")
            .create()
        try await db.schema(OutgoingRecipient.schema)
            .id()
            .field("document_id", .uuid, .required, .references(OutgoingDocument.schema, "id"))
            .field("kind", .string, .required)
            .field("unit_id", .uuid, .references(AgencyUnit.schema, "id"))
            .field("user_id", .uuid, .references(User.schema, "id"))
            .field("recipient_agency_id", .uuid, .references(Agency.schema, "id"))
            .field("name", .string, .required)
            .create()
        try await db.schema(DocumentSignatureRecord.schema)
            .id()
            .field("document_id", .uuid, .required)
            .field("attachment_id", .uuid, .required, .references(DocumentAttachment.schema, "id"))
            .field("content_sha256", .string, .required)
            .field("signature_json", .string, .required)
            .field("signer_id", .uuid, .required, .references(User.schema, "id"))
            .field("signer_name", .string, .required)
            .field("signed_at", .datetime, .required)
            .create()
        try await db.schema(MoveOutboxToExchange.legacyTable)
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
        guard let sql = db as? SQLDatabase else { return }
        for statement in [
            "CREATE INDEX outgoing_documents_agency_state ON outgoing_documents (agency_id, state, urgency_rank)",
            "CREATE INDEX outgoing_documents_drafting_unit ON outgoing_documents (drafting_unit_id, state)",
            "CREATE INDEX outgoing_documents_drafter ON outgoing_documents (drafter_id, state)",
            "CREATE INDEX outgoing_documents_agency_date ON outgoing_documents (agency_id, document_date)",
            "CREATE INDEX outgoing_recipients_document ON outgoing_recipients (document_id)",
            "CREATE INDEX outgoing_recipients_unit ON outgoing_recipients (unit_id)",
            "CREATE INDEX outgoing_recipients_user ON outgoing_recipients (user_id)",
            "CREATE INDEX document_signatures_document ON document_signatures (document_id)",
            "CREATE INDEX exchange_outbox_agency_state ON exchange_outbox (agency_id, state)",
        ] {
            try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema(MoveOutboxToExchange.legacyTable).delete()
        try await db.schema(DocumentSignatureRecord.schema).delete()
        try await db.schema(OutgoingRecipient.schema).delete()
        try await db.schema(OutgoingDocument.schema).delete()
    }
}
