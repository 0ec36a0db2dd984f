import Fluent
import SQLKit

/// Work files (hồ sơ công việc) and the documents in them.
struct CreateWorkFiles: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(WorkFile.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("year", .int, .required)
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("keeper_id", .uuid, .required, .references(User.schema, "id"))
            .field("unit_id", .uuid, .required, .references(AgencyUnit.schema, "id"))
            .field("retention", .string, .required)
            .field("state", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("archived_at", .datetime)
            .field("notes", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // One code per file list: the year's list is the register of files.
            .unique(on: "agency_id", "year", "code")
            .create()
        try await db.schema(WorkFileItem.schema)
            .id()
            .field("work_file_id", .uuid, .required, .references(WorkFile.schema, "id"))
            // No foreign key: the id points into incoming or outgoing documents by kind.
            .field("document_kind", .string, .required)
            .field("document_id", .uuid, .required)
            .field("position", .int, .required)
            .field("added_by_id", .uuid, .required, .references(User.schema, "id"))
            .field("added_at", .datetime, .required)
            .unique(on: "work_file_id", "document_kind", "document_id")
            .create()
        guard let sql = db as? SQLDatabase else { return }
        for statement in [
            "CREATE INDEX work_file_items_file_position ON work_file_items (work_file_id, position)",
            "CREATE INDEX work_file_items_document ON work_file_items (document_kind, document_id)",
        ] {
            try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema(WorkFileItem.schema).delete()
        try await db.schema(WorkFile.schema).delete()
    }
}
