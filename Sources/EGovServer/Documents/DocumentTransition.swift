import EGovCore
import Fluent
import Vapor

/// What the shared move pipeline needs of a kind of document: how to find it for an actor,
/// its state machine, who may make a move, and how to name things in history and the log.
protocol MovableDocument: Model where IDValue == UUID {
    associatedtype Move: Sendable
    /// `incoming` or `outgoing`, as history rows and attachments name the kind.
    static var kind: String { get }
    var state: String { get set }
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> Self
    /// The state after `move` from `state`, or nil when the move is not legal there.
    static func next(after move: Move, from state: String) -> String?
    static func canMake(_ move: Move, on doc: Self, actor: Actor) -> Bool
    static func stateLabel(_ state: String) -> String
    static func verbPhrase(_ move: Move) -> String
    static func auditAction(_ move: Move) -> String
    func refreshDerivedFields()
}

/// A move on a document through the shared `Transition`: its history line beside the audit log.
enum DocumentTransition {
    static func run<Document: MovableDocument>(
        _ move: Document.Move, documentID: UUID, actor: Actor, in ctx: UseCaseContext,
        _ change: @escaping @Sendable (Database, Document, AuditTrail) async throws -> String
    ) async throws -> Document {
        let now = ctx.now
        let transition = Transition<Document>(
            table: Document.schema, id: documentID,
            find: { db in try await Document.visible(documentID, to: actor, on: db) },
            refusal: { doc, _ in
                Document.canMake(move, on: doc, actor: actor) ? nil : EGovError.forbidden("Bạn không có quyền \(Document.verbPhrase(move)) văn bản này.")
            },
            illegality: { doc in
                Document.next(after: move, from: doc.state) != nil ? nil
                    : EGovError.conflict("Không thể \(Document.verbPhrase(move)) văn bản đang ở trạng thái \"\(Document.stateLabel(doc.state))\".",
                                         code: "illegal_move")
            })
        return try await transition.run(in: ctx) { doc, db, trail in
            let from = doc.state
            let to = Document.next(after: move, from: from)! // checked by `illegality`
            let note = try await change(db, doc, trail)
            doc.state = to
            doc.refreshDerivedFields()
            try await doc.update(on: db)
            let action = Document.auditAction(move)
            try await DocumentEvent(documentID: doc.id!, kind: Document.kind, at: now, actor: actor, action: action,
                                    from: from, to: to, note: note).append(on: db)
            trail.record(action, objectType: "\(Document.kind)_document", objectID: doc.id?.uuidString,
                         details: "\(from) → \(to)\(note.isEmpty ? "" : ": \(note)")")
            return doc
        }
    }
}

extension IncomingDocument: MovableDocument {
    static let kind = "incoming"
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> IncomingDocument {
        try await IncomingDocumentQueries.visible(id, to: actor, on: db)
    }
    static func next(after move: IncomingDocumentMove, from state: String) -> String? {
        try? IncomingDocumentWorkflow.next(after: move, from: IncomingDocumentState(rawValue: state) ?? .registered).rawValue
    }
    static func canMake(_ move: IncomingDocumentMove, on doc: IncomingDocument, actor: Actor) -> Bool {
        DocumentPermissions.canMake(move, on: doc, actor: actor)
    }
    static func stateLabel(_ state: String) -> String { (IncomingDocumentState(rawValue: state) ?? .registered).label }
    static func verbPhrase(_ move: IncomingDocumentMove) -> String { move.verbPhrase }
    static func auditAction(_ move: IncomingDocumentMove) -> String { move.auditAction }
}

extension OutgoingDocument: MovableDocument {
    static let kind = "outgoing"
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> OutgoingDocument {
        try await OutgoingDocumentQueries.visible(id, to: actor, on: db)
    }
    static func next(after move: OutgoingDocumentMove, from state: String) -> String? {
        try? OutgoingDocumentWorkflow.next(after: move, from: OutgoingDocumentState(rawValue: state) ?? .draft).rawValue
    }
    static func canMake(_ move: OutgoingDocumentMove, on doc: OutgoingDocument, actor: Actor) -> Bool {
        OutgoingDocumentPermissions.canMake(move, on: doc, actor: actor)
    }
    static func stateLabel(_ state: String) -> String { (OutgoingDocumentState(rawValue: state) ?? .draft).label }
    static func verbPhrase(_ move: OutgoingDocumentMove) -> String { move.verbPhrase }
    static func auditAction(_ move: OutgoingDocumentMove) -> String { move.auditAction }
}
