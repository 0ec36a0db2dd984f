import EGovCore
import Fluent
import SQLKit

/// Full-text search over documents: the words of their metadata and of their PDF files.
/// SQLite keeps an FTS5 index beside each table, maintained by triggers so that every way of
/// writing a row (the app, a bulk load) indexes it; PostgreSQL a generated tsvector with a GIN index.
struct AddDocumentSearch: AsyncMigration {
    static let tables = [IncomingDocument.schema, OutgoingDocument.schema]

    func prepare(on db: Database) async throws {
        for table in Self.tables {
            try await db.schema(table).field("attachment_text", .string).update()
        }
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await db.schema(DocumentAttachment.schema).field("extracted_text", .string).update()
        try await db.schema(DocumentAttachment.schema).field("text_state", .string).update()
        guard let sql = db as? SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for table in Self.tables {
                let fts = "\(table)_fts"
                for statement in [
                    // A copy of the implicit rowid in a real column: VACUUM may renumber rowids, never this.
                    "ALTER TABLE \(table) ADD COLUMN search_key INTEGER",
                    "CREATE INDEX \(table)_search_key ON \(table) (search_key)",
                    "CREATE VIRTUAL TABLE \(fts) USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
                    """
                    CREATE TRIGGER \(table)_fts_insert AFTER INSERT ON \(table) BEGIN
                      UPDATE \(table) SET search_key = new.rowid WHERE rowid = new.rowid;
                      INSERT INTO \(fts) (rowid, body) VALUES (new.rowid, new.search_text || ' ' || coalesce(new.attachment_text, ''));
                    END
                    """,
                    """
                    CREATE TRIGGER \(table)_fts_update AFTER UPDATE OF search_text, attachment_text ON \(table) BEGIN
                      UPDATE \(fts) SET body = new.search_text || ' ' || coalesce(new.attachment_text, '') WHERE rowid = new.search_key;
                    END
                    """,
                    """
                    CREATE TRIGGER \(table)_fts_delete AFTER DELETE ON \(table) BEGIN
                      DELETE FROM \(fts) WHERE rowid = old.search_key;
                    END
                    """,
                    // Rows written before this step.
                    "UPDATE \(table) SET search_key = rowid",
                    "INSERT INTO \(fts) (rowid, body) SELECT search_key, search_text || ' ' || coalesce(attachment_text, '') FROM \(table)",
                ] {
                    try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
                }
            }
        } else {
            for table in Self.tables {
                // Kept for the models' sake: SQLite's full-text key, never set here.
                try await sql.raw(SQLQueryString(stringLiteral: "ALTER TABLE \(table) ADD COLUMN search_key BIGINT")).run()
                try await sql.raw(SQLQueryString(stringLiteral: """
                    ALTER TABLE \(table) ADD COLUMN search_vector tsvector
                      GENERATED ALWAYS AS (to_tsvector('simple', search_text || ' ' || coalesce(attachment_text, ''))) STORED
                    """)).run()
                try await sql.raw(SQLQueryString(stringLiteral: "CREATE INDEX \(table)_search ON \(table) USING GIN (search_vector)")).run()
            }
        }
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        for table in Self.tables {
            if sql.dialect.name == "sqlite" {
                for name in ["insert", "update", "delete"] { try await sql.raw(SQLQueryString(stringLiteral: "DROP TRIGGER IF EXISTS \(table)_fts_\(name)")).run() }
                try await sql.raw(SQLQueryString(stringLiteral: "DROP TABLE IF EXISTS \(table)_fts")).run()
            }
        }
    }
}

/// A row of SQLite's full-text index of incoming documents: its rowid is the document's `search_key`.
final class IncomingDocumentSearchRow: Model, @unchecked Sendable {
    static let schema = "incoming_documents_fts"
    @ID(custom: "rowid", generatedBy: .database) var id: Int?
    init() {}
}

/// The text condition of a document query, for either database.
enum DocumentTextSearch {
    static func condition(table: String, terms: SearchTerms, on db: Database) -> DatabaseQuery.Filter {
        if let sql = db as? SQLDatabase, sql.dialect.name == "sqlite" {
            return .sql(embed: "\(ident: table).\(ident: "search_key") IN (SELECT rowid FROM \(ident: table + "_fts") WHERE \(ident: table + "_fts") MATCH \(bind: terms.fts5Query))")
        }
        return .sql(embed: "\(ident: table).\(ident: "search_vector") @@ to_tsquery('simple', \(bind: terms.tsQuery))")
    }
}

/// The document search lists incoming documents newest arrival first (then by id); text
/// searches read them in that order (`NewestTextMatches`), so it is an index.
struct AddIncomingDateOrder: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX incoming_documents_agency_date ON incoming_documents (agency_id, arrival_date, id)").run()
        if sql.dialect.name == "sqlite" {
            // Without statistics SQLite takes a new index to hold ~10 rows per agency and drives
            // every agency query through it (an inbox read 250,000 rows); give it the real ones.
            try await sql.raw("ANALYZE incoming_documents_agency_date").run()
        }
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS incoming_documents_agency_date").run()
    }
}
