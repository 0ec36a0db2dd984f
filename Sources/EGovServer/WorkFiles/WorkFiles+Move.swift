import EGovCore
import Fluent
import Vapor

/// Closing, reopening and archiving through the shared `Transition`: find the file in the
/// actor's agency (404), check who may move it (403), check the state machine (409), change
/// it, and write its history line and the audit log in one transaction.
enum WorkFileTransition {
    static func run(
        _ move: WorkFileMove, fileID: UUID, actor: Actor, in ctx: UseCaseContext,
        _ change: @escaping @Sendable (Database, WorkFile, Date) async throws -> Void
    ) async throws -> WorkFile {
        let now = ctx.now
        let transition = Transition<WorkFile>(
            table: WorkFile.schema, id: fileID,
            find: { db in try await WorkFileQueries.visible(fileID, to: actor, on: db) },
            refusal: { file, _ in
                WorkFilePermissions.canMake(move, on: file, actor: actor) ? nil : EGovError.forbidden(move == .archive
                    ? "Chỉ văn thư hoặc lãnh đạo được nộp hồ sơ vào lưu trữ cơ quan."
                    : "Chỉ người lập hồ sơ, trưởng đơn vị giữ hồ sơ và lãnh đạo được \(move.verbPhrase) hồ sơ này.")
            },
            illegality: { file in WorkFileWorkflow.isLegal(move, from: file.workflowState) ? nil : illegal(move, from: file.workflowState) })
        return try await transition.run(in: ctx) { file, db, trail in
            let from = file.workflowState
            let to = try WorkFileWorkflow.next(after: move, from: from)
            try await change(db, file, now)
            file.state = to.rawValue
            try await file.update(on: db)
            try await WorkFileEvent(workFileID: file.id!, at: now, actor: actor, action: move.auditAction, from: from.rawValue, to: to.rawValue).create(on: db)
            trail.record(move.auditAction, objectType: "work_file", objectID: file.id?.uuidString,
                         details: "\(file.code)/\(file.year): \(from.rawValue) → \(to.rawValue)")
            return file
        }
    }

    static func illegal(_ move: WorkFileMove, from state: WorkFileState) -> EGovError {
        let message = switch (move, state) {
        case (.archive, .open): "Hồ sơ đang mở: cần đóng hồ sơ trước khi nộp lưu trữ."
        case (_, .archived): "Hồ sơ đã nộp lưu trữ, không thể \(move.verbPhrase) nữa."
        default: "Không thể \(move.verbPhrase) hồ sơ đang ở trạng thái \"\(state.label)\"."
        }
        return EGovError.conflict(message, code: "illegal_move")
    }
}

/// Đóng hồ sơ (kết thúc hồ sơ): the work is done. An empty file has nothing to keep.
struct CloseWorkFile {
    let actor: Actor
    let fileID: UUID

    func run(in ctx: UseCaseContext) async throws -> WorkFile {
        try await WorkFileTransition.run(.close, fileID: fileID, actor: actor, in: ctx) { db, file, now in
            guard try await WorkFileItem.query(on: db).filter(\.$workFile.$id == file.id!).count() > 0 else {
                throw EGovError.conflict("Hồ sơ chưa có văn bản nào nên chưa thể đóng.", code: "empty_file")
            }
            file.closedAt = now
        }
    }
}

/// Mở lại hồ sơ: more documents belong to the matter; allowed until the file is archived.
struct ReopenWorkFile {
    let actor: Actor
    let fileID: UUID

    func run(in ctx: UseCaseContext) async throws -> WorkFile {
        try await WorkFileTransition.run(.reopen, fileID: fileID, actor: actor, in: ctx) { _, file, _ in
            file.closedAt = nil
        }
    }
}

/// Nộp lưu: the closed file goes to the agency archive and is frozen there.
struct ArchiveWorkFile {
    let actor: Actor
    let fileID: UUID

    func run(in ctx: UseCaseContext) async throws -> WorkFile {
        try await WorkFileTransition.run(.archive, fileID: fileID, actor: actor, in: ctx) { _, file, now in
            file.archivedAt = now
        }
    }
}
