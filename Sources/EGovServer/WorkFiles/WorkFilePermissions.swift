import EGovCore
import Foundation

/// Who may do what with work files. The file list is open to everyone in the agency; the
/// documents inside a file are shown only to those who may see each document (the
/// documents' own permissions decide); nothing crosses agencies, not even for a system admin.
enum WorkFilePermissions {
    /// Any civil servant with a documents role; administrator accounts keep no files.
    static func canCreate(_ actor: Actor) -> Bool {
        actor.has(.specialist) || actor.has(.unitHead) || actor.has(.leader) || actor.has(.clerk)
    }

    static func canView(_ file: WorkFile, actor: Actor) -> Bool {
        file.$agency.id == actor.agencyID
    }

    /// The keeper, the head of the file's unit, and the agency's leaders.
    static func canManage(_ file: WorkFile, actor: Actor) -> Bool {
        guard canView(file, actor: actor) else { return false }
        return file.keeperID == actor.userID
            || (actor.has(.unitHead) && file.unitID == actor.unitID)
            || actor.has(.leader)
    }

    static func canMake(_ move: WorkFileMove, on file: WorkFile, actor: Actor) -> Bool {
        switch move {
        case .close, .reopen: return canManage(file, actor: actor)
        // The clerk receives files for the agency archive; a leader may hand them over too.
        case .archive: return canView(file, actor: actor) && (actor.has(.clerk) || actor.has(.leader))
        }
    }

    /// Whether the actor may add or remove documents now.
    static func canChangeDocuments(of file: WorkFile, actor: Actor) -> Bool {
        canManage(file, actor: actor) && file.workflowState.acceptsDocuments
    }

    static func availableMoves(on file: WorkFile, actor: Actor) -> [WorkFileMove] {
        WorkFileWorkflow.legalMoves(from: file.workflowState).filter { canMake($0, on: file, actor: actor) }
    }
}
