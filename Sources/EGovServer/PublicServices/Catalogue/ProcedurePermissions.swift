import Foundation

/// Who may do what with the procedure catalogue. Reading active procedures needs no sign-in
/// (the public portal); the catalogue of an agency is kept by that agency's admins.
enum ProcedurePermissions {
    static func canManage(agencyID: UUID, actor: Actor) -> Bool {
        actor.isSystemAdmin || (actor.has(.agencyAdmin) && actor.agencyID == agencyID)
    }
    /// The agency's own people see its whole catalogue, suspended and abolished entries too.
    static func canViewAll(agencyID: UUID, actor: Actor) -> Bool {
        actor.isSystemAdmin || actor.agencyID == agencyID
    }
}
