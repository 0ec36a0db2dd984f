import Fluent
import Vapor

/// A line of a work file's history: who closed, reopened or archived it, and when.
final class WorkFileEvent: Model, @unchecked Sendable {
    static let schema = "work_file_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "work_file_id") var workFile: WorkFile
    @Field(key: "occurred_at") var occurredAt: Date
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "from_state") var fromState: String
    @Field(key: "to_state") var toState: String

    init() {}

    init(workFileID: UUID, at: Date, actor: Actor, action: String, from: String, to: String) {
        self.$workFile.id = workFileID
        self.occurredAt = at
        self.actorID = actor.userID
        self.actorName = actor.fullName
        self.action = action
        self.fromState = from
        self.toState = to
    }

    /// A file's history, oldest first.
    static func history(of fileID: UUID, on db: Database) async throws -> [WorkFileEvent] {
        try await query(on: db).filter(\.$workFile.$id == fileID).sort(\.$occurredAt).sort(\.$id).all()
    }
}

/// Work files keep the history of their moves, as documents and dossiers do.
struct CreateWorkFileEvents: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(WorkFileEvent.schema)
            .id()
            .field("work_file_id", .uuid, .required, .references(WorkFile.schema, "id"))
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .uuid, .required)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .create()
    }

    func revert(on db: Database) async throws {
        try await db.schema(WorkFileEvent.schema).delete()
    }
}
