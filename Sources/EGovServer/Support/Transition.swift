import Foundation
import Fluent
import SQLKit

/// The one path every workflow move takes — documents, work files and dossiers alike — in one
/// audited transaction:
/// 1. lock the object's row, so two moves on it run one after the other;
/// 2. find it among what the actor may see (404);
/// 3. check the actor may make the move (403);
/// 4. check the state machine allows it from where the object stands (409);
/// 5. apply the use case's change, write its history and audit line, and enqueue its side
///    effects (jobs, exchange envelopes) on the same transaction, so all commit or none does.
struct Transition<Subject: Sendable>: Sendable {
    /// The table whose row `id` is locked.
    let table: String
    let id: UUID
    let find: @Sendable (Database) async throws -> Subject
    /// Nil when the actor may make the move, else the 403 to answer.
    let refusal: @Sendable (Subject, Database) async throws -> EGovError?
    /// Nil when the state machine allows the move, else the 409 to answer.
    let illegality: @Sendable (Subject) -> EGovError?

    func run<Value: Sendable>(in ctx: UseCaseContext,
                              _ apply: @escaping @Sendable (Subject, Database, AuditTrail) async throws -> Value) async throws -> Value {
        let (table, id, find, refusal, illegality) = (table, id, find, refusal, illegality)
        return try await ctx.audited { db, trail in
            try await RowLock.lock(table, id: id, on: db)
            let subject = try await find(db)
            if let refused = try await refusal(subject, db) { throw refused }
            if let illegal = illegality(subject) { throw illegal }
            return try await apply(subject, db, trail)
        }
    }
}

/// A lock on one row until the transaction ends.
enum RowLock {
    static func lock(_ table: String, id: UUID, on db: Database) async throws {
        // SQLite: a write transaction (BEGIN IMMEDIATE) already holds the whole database.
        guard let sql = db as? SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT 1 FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }
}
