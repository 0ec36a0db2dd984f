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
    /// Whether the actor may administer this account: same agency as an agency admin (or a
    /// system admin), and a system admin's account only by another system admin.
    static func canAdminister(_ user: User, actor: Actor) -> Bool {
        canManage(userInAgency: user.$agency.id, actor: actor) && (actor.isSystemAdmin || !user.roles.contains(.systemAdmin))
    }

    /// Only a system admin can make another system admin.
    static func canGrant(_ roles: Set<Role>, actor: Actor) -> Bool {
        actor.isSystemAdmin || !roles.contains(.systemAdmin)
    }
}
