import Foundation

/// Who may see and manage civil-servant accounts.
enum UserPermissions {
    /// Colleagues in the same agency see each other (to assign work); system admins see all.
    static func canView(userInAgency agencyID: UUID, actor: Actor) -> Bool {
        actor.isSystemAdmin || actor.agencyID == agencyID
    }
    /// Agency admins manage their own agency's accounts; system admins any.
    static func canManage(userInAgency agencyID: UUID, actor: Actor) -> Bool {
        actor.isSystemAdmin || (actor.has(.agencyAdmin) && actor.agencyID == agencyID)
    }
    /// Only a system admin can make another system admin.
    static func canGrant(_ roles: Set<Role>, actor: Actor) -> Bool {
        actor.isSystemAdmin || !roles.contains(.systemAdmin)
    }
}
