/// Where an incoming document (văn bản đến) stands in its handling.
public enum IncomingDocumentState: String, CaseIterable, Codable, Sendable {
    /// Vào sổ: registered by the clerk; only now does the document create duties.
    case registered
    /// Trình: presented to a leader for direction.
    case presented
    /// Chỉ đạo: the leader named a lead unit (and cooperating units, a deadline).
    case directed
    /// Phân công: the lead unit's head named the specialist who handles it.
    case assigned
    /// Đang xử lý
    case inProgress = "in_progress"
    /// Hoàn thành
    case done
    /// Trả lại: sent back to the clerk (wrong addressee, not this unit's business).
    case returned
    /// Thu hồi: taken out of the flow by the clerk (registered by mistake, recalled by the sender).
    case withdrawn

    /// Nothing more happens to a document in these states.
    public var isFinal: Bool { self == .done || self == .withdrawn }
    /// States in which the document has a handling deadline that is running.
    public var isBeingHandled: Bool { [.directed, .assigned, .inProgress].contains(self) }
}

/// A move of the incoming-document workflow.
public enum IncomingDocumentMove: String, CaseIterable, Codable, Sendable {
    case present
    case direct
    case assign
    case recordProgress = "record_progress"
    case finish
    case sendBack = "return"
    case withdraw
}

public struct IllegalMove: Error, Equatable, Sendable {
    public let move: String
    public let state: String
    public init(move: String, state: String) {
        self.move = move
        self.state = state
    }
}

/// Which moves are legal from which state. Who may make a move is the permissions type's
/// business; this only says whether the move makes sense now.
public enum IncomingDocumentWorkflow {
    public static func next(after move: IncomingDocumentMove, from state: IncomingDocumentState) throws -> IncomingDocumentState {
        switch (move, state) {
        case (.present, .registered), (.present, .returned):
            return .presented
        // A leader may also re-direct a document already directed or assigned (a change of lead unit).
        case (.direct, .presented), (.direct, .directed), (.direct, .assigned):
            return .directed
        // A unit head may hand the document to another specialist while it is still being handled.
        case (.assign, .directed), (.assign, .assigned), (.assign, .inProgress):
            return .assigned
        case (.recordProgress, .assigned), (.recordProgress, .inProgress):
            return .inProgress
        case (.finish, .assigned), (.finish, .inProgress):
            return .done
        case (.sendBack, .presented), (.sendBack, .directed), (.sendBack, .assigned):
            return .returned
        case (.withdraw, .registered), (.withdraw, .presented), (.withdraw, .returned):
            return .withdrawn
        default:
            throw IllegalMove(move: move.rawValue, state: state.rawValue)
        }
    }

    public static func isLegal(_ move: IncomingDocumentMove, from state: IncomingDocumentState) -> Bool {
        (try? next(after: move, from: state)) != nil
    }

    /// The moves that make sense from `state`, in the order a page offers them.
    public static func legalMoves(from state: IncomingDocumentState) -> [IncomingDocumentMove] {
        IncomingDocumentMove.allCases.filter { isLegal($0, from: state) }
    }
}
