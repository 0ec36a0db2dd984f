import EGovCore
import Fluent
import Vapor

/// Lập hồ sơ: a civil servant opens a file in the year's list, kept by themselves in their own unit.
struct CreateWorkFile {
    let actor: Actor
    let input: WorkFileInput.Valid

    func run(in ctx: UseCaseContext) async throws -> WorkFile {
        guard WorkFilePermissions.canCreate(actor) else { throw EGovError.forbidden("Chỉ cán bộ, công chức của cơ quan được lập hồ sơ.") }
        let (actor, input, now) = (actor, input, ctx.now)
        return try await ctx.audited { db, trail in
            let code = input.code.rawValue
            if let existing = try await WorkFile.query(on: db).owned(by: actor)
                .filter(\.$year == input.year).filter(\.$code == code).first() {
                throw CreateWorkFile.duplicate(code: code, year: input.year, title: existing.title)
            }
            let file = WorkFile()
            file.$agency.id = actor.agencyID
            file.year = input.year
            file.code = code
            file.title = input.title
            file.keeperID = actor.userID
            file.unitID = actor.unitID
            file.retention = input.retention.storedValue
            file.state = WorkFileState.open.rawValue
            file.openedAt = now
            file.notes = input.notes
            do {
                try await file.create(on: db)
            } catch let error as DatabaseError where error.isConstraintFailure {
                // Another node took the code between our check and insert.
                throw CreateWorkFile.duplicate(code: code, year: input.year, title: nil)
            }
            trail.record("workfile.create", objectType: "work_file", objectID: file.id?.uuidString,
                         details: "\(file.year) \(file.code): \(file.title)")
            return file
        }
    }

    static func duplicate(code: String, year: Int, title: String?) -> EGovError {
        let message = "Danh mục hồ sơ năm \(year) đã có hồ sơ số \(code)" + (title.map { " (\($0))" } ?? "") + ". Vui lòng chọn số khác."
        var error = EGovError.conflict(message, code: "duplicate_code")
        error.fieldErrors = ["code": message]
        return error
    }
}
