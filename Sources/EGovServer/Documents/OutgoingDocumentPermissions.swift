import EGovCore
import Foundation

/// Who may see and move outgoing documents. A draft is its drafter's until it is submitted;
/// ordinary drafts are open to the drafting unit; leaders see what waits for signature and
/// everything issued; clerks what they issue. Never across agencies.
enum OutgoingDocumentPermissions {
    static func canDraft(_ actor: Actor) -> Bool {
        actor.has(.specialist) || actor.has(.unitHead) || actor.has(.leader)
    }

    static let leaderStates: [OutgoingDocumentState] = [.approved, .signed, .issued]
    static let clerkStates: [OutgoingDocumentState] = [.signed, .issued]

    static func canView(_ doc: OutgoingDocument, recipientUnitIDs: [UUID], recipientUserIDs: [UUID], actor: Actor) -> Bool {
        guard doc.$agency.id == actor.agencyID else { return false }
        let state = doc.workflowState
        if doc.drafterID == actor.userID || doc.signerID == actor.userID { return true }
        if actor.has(.leader), leaderStates.contains(state) { return true }
        if actor.has(.clerk), clerkStates.contains(state) { return true }
        let inUnit = doc.draftingUnitID == actor.unitID
        if actor.has(.unitHead), inUnit, state != .draft { return true }
        if doc.confidentialityLevel.isClassified { return false }
        if inUnit { return true }
        return state == .issued && (recipientUnitIDs.contains(actor.unitID) || recipientUserIDs.contains(actor.userID))
    }

    static func isDraftingUnitHead(_ doc: OutgoingDocument, _ actor: Actor) -> Bool {
        actor.has(.unitHead) && doc.draftingUnitID == actor.unitID
    }

    static func canEdit(_ doc: OutgoingDocument, actor: Actor) -> Bool {
        doc.$agency.id == actor.agencyID && doc.drafterID == actor.userID && doc.workflowState.isEditable
    }

    static func canMake(_ move: OutgoingDocumentMove, on doc: OutgoingDocument, actor: Actor) -> Bool {
        guard doc.$agency.id == actor.agencyID else { return false }
        switch move {
        case .submit, .withdraw: return doc.drafterID == actor.userID
        case .approve: return isDraftingUnitHead(doc, actor) || actor.has(.leader)
        case .sendBack:
            switch doc.workflowState {
            case .inReview: return isDraftingUnitHead(doc, actor) || actor.has(.leader)
            case .approved: return actor.has(.leader)
            default: return false
            }
        case .sign: return actor.has(.leader)
        case .issue: return actor.has(.clerk)
        }
    }

    static func availableMoves(on doc: OutgoingDocument, actor: Actor) -> [OutgoingDocumentMove] {
        OutgoingDocumentWorkflow.legalMoves(from: doc.workflowState).filter { canMake($0, on: doc, actor: actor) }
    }
}
