import EGovCore
import Foundation

/// Who may see and move documents. Documents never leave their agency: not even a system
/// administrator reads another agency's correspondence.
enum DocumentPermissions {
    /// Leaders and clerks see every document of their agency (Decree 30: the clerk keeps the
    /// register, the leader directs everything).
    static func seesWholeAgency(_ actor: Actor) -> Bool {
        actor.has(.leader) || actor.has(.clerk)
    }

    static func canRegister(_ actor: Actor) -> Bool { actor.has(.clerk) }

    /// Confidential documents: only the people they were presented, directed or assigned to,
    /// the leaders and the clerks. Others: also everyone in the lead or a cooperating unit.
    static func canView(_ doc: some IncomingDocumentFacts, cooperatingUnitIDs: [UUID], actor: Actor) -> Bool {
        guard doc.agencyID == actor.agencyID else { return false }
        if seesWholeAgency(actor) { return true }
        if doc.assigneeID == actor.userID || doc.presentedToID == actor.userID { return true }
        let inLeadUnit = doc.leadUnitID == actor.unitID
        let inCooperatingUnit = cooperatingUnitIDs.contains(actor.unitID)
        if doc.confidentialityLevel.isClassified {
            // Directed to a unit means directed to its head.
            return actor.has(.unitHead) && inLeadUnit
        }
        return inLeadUnit || inCooperatingUnit
    }

    /// Whether the actor may make `move` on the document now (the state machine decides
    /// whether the move is legal in the document's state).
    static func canMake(_ move: IncomingDocumentMove, on doc: some IncomingDocumentFacts, actor: Actor) -> Bool {
        guard doc.agencyID == actor.agencyID else { return false }
        let state = doc.workflowState
        switch move {
        case .present, .withdraw:
            return actor.has(.clerk)
        case .direct:
            return actor.has(.leader)
        case .assign:
            return actor.has(.leader) || (actor.has(.unitHead) && doc.leadUnitID == actor.unitID)
        case .recordProgress, .finish:
            return doc.assigneeID == actor.userID
        case .sendBack:
            switch state {
            case .presented: return actor.has(.leader)
            case .directed: return actor.has(.leader) || (actor.has(.unitHead) && doc.leadUnitID == actor.unitID)
            case .assigned: return doc.assigneeID == actor.userID || (actor.has(.unitHead) && doc.leadUnitID == actor.unitID)
            default: return false
            }
        }
    }

    /// The moves this actor can make now: legal in the state and allowed to them.
    static func availableMoves(on doc: some IncomingDocumentFacts, actor: Actor) -> [IncomingDocumentMove] {
        IncomingDocumentWorkflow.legalMoves(from: doc.workflowState).filter { canMake($0, on: doc, actor: actor) }
    }
}
