/// Where a work file (hồ sơ công việc) stands: it collects documents while open, is closed
/// when the work ends, and is handed to the agency archive. Archiving is final.
public enum WorkFileState: String, CaseIterable, Codable, Sendable {
    /// Đang mở: documents may be added and removed.
    case open
    /// Đã đóng (kết thúc hồ sơ): waits to be handed to the archive; may still be reopened.
    case closed
    /// Đã nộp lưu: in the agency archive; nothing changes any more.
    case archived

    public var acceptsDocuments: Bool { self == .open }
    public var isFinal: Bool { self == .archived }
}

public enum WorkFileMove: String, CaseIterable, Codable, Sendable {
    case close
    case reopen
    case archive
}

public enum WorkFileWorkflow {
    public static func next(after move: WorkFileMove, from state: WorkFileState) throws -> WorkFileState {
        switch (move, state) {
        case (.close, .open): return .closed
        // Reopening is allowed only until the archive has the file.
        case (.reopen, .closed): return .open
        case (.archive, .closed): return .archived
        default: throw IllegalMove(move: move.rawValue, state: state.rawValue)
        }
    }

    public static func isLegal(_ move: WorkFileMove, from state: WorkFileState) -> Bool {
        (try? next(after: move, from: state)) != nil
    }

    public static func legalMoves(from state: WorkFileState) -> [WorkFileMove] {
        WorkFileMove.allCases.filter { isLegal($0, from: state) }
    }
}
