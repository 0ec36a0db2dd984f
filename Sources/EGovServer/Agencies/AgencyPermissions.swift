import Foundation

/// Who may do what with agencies and their units. The directory itself is readable by every
/// signed-in civil servant: documents name their senders and recipients from it.
enum AgencyPermissions {
    /// Only system admins create or change agencies.
    static func canManageAgencies(_ actor: Actor) -> Bool { actor.isSystemAdmin }
    /// Units of an agency are seen by its own people (and system admins).
    static func canViewUnits(of agencyID: UUID, actor: Actor) -> Bool {
        actor.isSystemAdmin || actor.agencyID == agencyID
    }
    /// Agency admins manage their own agency's units; system admins any.
    static func canManageUnits(of agencyID: UUID, actor: Actor) -> Bool {
        actor.isSystemAdmin || (actor.has(.agencyAdmin) && actor.agencyID == agencyID)
    }
}
