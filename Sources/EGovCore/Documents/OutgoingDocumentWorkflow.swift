/// Where an outgoing document (văn bản đi) stands between draft and issue.
public enum OutgoingDocumentState: String, CaseIterable, Codable, Sendable {
    /// Dự thảo: the specialist is writing it.
    case draft
    /// Trình duyệt: waiting for the unit head's review.
    case inReview = "in_review"
    /// Đã duyệt: approved by the unit head, waiting for the leader's signature.
    case approved
    /// Trả lại: returned to the drafter with comments.
    case returned
    /// Đã ký số
    case signed
    /// Đã ban hành: numbered and issued by the clerk.
    case issued
    /// Hủy dự thảo
    case withdrawn

    public var isFinal: Bool { self == .issued || self == .withdrawn }
    /// The drafter may still change text and attachments.
    public var isEditable: Bool { self == .draft || self == .returned }
}

public enum OutgoingDocumentMove: String, CaseIterable, Codable, Sendable {
    case submit
    case approve
    case sendBack = "return"
    case sign
    case issue
    case withdraw
}

public enum OutgoingDocumentWorkflow {
    public static func next(after move: OutgoingDocumentMove, from state: OutgoingDocumentState) throws -> OutgoingDocumentState {
        switch (move, state) {
        case (.submit, .draft), (.submit, .returned):
            return .inReview
        case (.approve, .inReview):
            return .approved
        // The unit head returns a draft under review; the leader returns one waiting for signature.
        case (.sendBack, .inReview), (.sendBack, .approved):
            return .returned
        case (.sign, .approved):
            return .signed
        case (.issue, .signed):
            return .issued
        case (.withdraw, .draft), (.withdraw, .returned):
            return .withdrawn
        default:
            throw IllegalMove(move: move.rawValue, state: state.rawValue)
        }
    }

    public static func isLegal(_ move: OutgoingDocumentMove, from state: OutgoingDocumentState) -> Bool {
        (try? next(after: move, from: state)) != nil
    }

    public static func legalMoves(from state: OutgoingDocumentState) -> [OutgoingDocumentMove] {
        OutgoingDocumentMove.allCases.filter { isLegal($0, from: state) }
    }
}
