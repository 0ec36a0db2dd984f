import EGovCore
import Foundation

/// Who moves a dossier. The one-stop office of the receiving agency (its clerks and leaders)
/// receives, accepts, refuses and returns; whoever holds it on the route processes it; the
/// applicant supplements and withdraws their own.
enum DossierPermissions {
    static func isOneStopOfficer(_ actor: Actor, of dossier: Dossier) -> Bool {
        actor.agencyID == dossier.$agency.id && (actor.has(.clerk) || actor.has(.leader))
    }

    /// The place holding the dossier: its unit's people (or any leader of the holder agency).
    static func holds(_ actor: Actor, _ dossier: Dossier) -> Bool {
        guard actor.agencyID == dossier.holderAgencyID else { return false }
        guard let unit = dossier.holderUnitID else { return actor.has(.clerk) || actor.has(.leader) || actor.has(.specialist) || actor.has(.unitHead) }
        return unit == actor.unitID || actor.has(.leader)
    }

    static func mayMove(_ move: DossierMove, actor: Actor, dossier: Dossier) -> Bool {
        switch move {
        case .accept, .refuse, .startProcessing, .recordPayment, .returnResult:
            return isOneStopOfficer(actor, of: dossier)
        case .requestSupplement:
            return dossier.dossierStatus == .new ? isOneStopOfficer(actor, of: dossier) : holds(actor, dossier)
        case .requestFees, .finish, .stop, .handOver:
            return holds(actor, dossier)
        case .supplement, .withdraw:
            return false
        }
    }

    static func applicantMayMove(_ move: DossierMove, applicant: PortalApplicant, dossier: Dossier) -> Bool {
        dossier.applicantID == applicant.id && (move == .supplement || move == .withdraw)
    }

    /// Counter and postal entries are made by the one-stop office.
    static func mayEnterAtCounter(_ actor: Actor) -> Bool { actor.has(.clerk) || actor.has(.leader) }
}
