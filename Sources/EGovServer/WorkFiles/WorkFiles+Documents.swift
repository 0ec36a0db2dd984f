import EGovCore
import Fluent
import Vapor

/// The checks every change of a file's documents makes, in order: the file is the actor's
/// agency's (404), the actor may change it (403), it is open (409).
enum WorkFileDocumentRules {
    static func fileToChange(_ fileID: UUID, actor: Actor, now: Date, on db: Database) async throws -> WorkFile {
        let file = try await WorkFileQueries.visible(fileID, to: actor, on: db)
        guard WorkFilePermissions.canManage(file, actor: actor) else {
            throw EGovError.forbidden("Chỉ người lập hồ sơ, trưởng đơn vị giữ hồ sơ và lãnh đạo được thêm, bỏ văn bản trong hồ sơ này.")
        }
        switch file.workflowState {
        case .open: break
        case .closed:
            throw EGovError.conflict("Hồ sơ đã đóng: cần mở lại hồ sơ trước khi thêm hoặc bỏ văn bản.", code: "file_not_open")
        case .archived:
            throw EGovError.conflict("Hồ sơ đã nộp lưu trữ, không thể thêm hoặc bỏ văn bản.", code: "file_not_open")
        }
        // Writing the row first holds it (on PostgreSQL) until commit, so two changes of one
        // file never read the same last position.
        try await WorkFile.query(on: db).filter(\.$id == fileID).set(["updated_at": .bind(now)]).update()
        return file
    }
}

/// Đưa văn bản vào hồ sơ: the next position in the file, for a document the actor may see.
/// A document may sit in several files, but only once in each.
struct AddDocumentToWorkFile {
    let actor: Actor
    let fileID: UUID
    let input: WorkFileDocumentInput.Valid

    func run(in ctx: UseCaseContext) async throws -> WorkFile {
        let (actor, fileID, input, now) = (actor, fileID, input, ctx.now)
        return try await ctx.audited { db, trail in
            let file = try await WorkFileDocumentRules.fileToChange(fileID, actor: actor, now: now, on: db)
            _ = try await WorkFileQueries.document(input.kind, input.documentID, visibleTo: actor, on: db)
            let items = WorkFileItem.query(on: db).filter(\.$workFile.$id == fileID)
            if let existing = try await items.copy().filter(\.$documentKind == input.kind.rawValue)
                .filter(\.$documentID == input.documentID).first() {
                throw Self.alreadyFiled(position: existing.position)
            }
            let position = (try await items.copy().max(\.$position) ?? 0) + 1
            let item = WorkFileItem(fileID: fileID, kind: input.kind, documentID: input.documentID, position: position, addedBy: actor.userID, at: now)
            do {
                try await item.create(on: db)
            } catch let error as DatabaseError where error.isConstraintFailure {
                throw Self.alreadyFiled(position: nil)
            }
            trail.record("workfile.add_document", objectType: "work_file", objectID: fileID.uuidString,
                         details: "\(file.code)/\(file.year): \(input.kind.rawValue) \(input.documentID) ở vị trí \(position)")
            return file
        }
    }

    static func alreadyFiled(position: Int?) -> EGovError {
        EGovError.conflict("Văn bản này đã có trong hồ sơ" + (position.map { " (số thứ tự \($0))" } ?? "") + ".", code: "already_in_file")
    }
}

/// Bỏ văn bản khỏi hồ sơ: the documents after it move up, so positions stay 1, 2, 3…
struct RemoveDocumentFromWorkFile {
    let actor: Actor
    let fileID: UUID
    let kind: WorkFileItem.Kind
    let documentID: UUID

    func run(in ctx: UseCaseContext) async throws -> WorkFile {
        let (actor, fileID, kind, documentID, now) = (actor, fileID, kind, documentID, ctx.now)
        return try await ctx.audited { db, trail in
            let file = try await WorkFileDocumentRules.fileToChange(fileID, actor: actor, now: now, on: db)
            let notInFile = EGovError.notFound("Văn bản này không có trong hồ sơ.")
            guard let item = try await WorkFileItem.query(on: db).filter(\.$workFile.$id == fileID)
                .filter(\.$documentKind == kind.rawValue).filter(\.$documentID == documentID).first()
            else { throw notInFile }
            // What the actor may not see, they cannot take out either.
            do {
                _ = try await WorkFileQueries.document(kind, documentID, visibleTo: actor, on: db)
            } catch let error as EGovError where error.status == .notFound {
                throw notInFile
            }
            try await item.delete(on: db)
            let later = try await WorkFileItem.query(on: db).filter(\.$workFile.$id == fileID)
                .filter(\.$position > item.position).sort(\.$position).all()
            for next in later {
                next.position -= 1
                try await next.update(on: db)
            }
            trail.record("workfile.remove_document", objectType: "work_file", objectID: fileID.uuidString,
                         details: "\(file.code)/\(file.year): \(kind.rawValue) \(documentID) ở vị trí \(item.position)")
            return file
        }
    }
}
