import Foundation

/// One step of a procedure's processing (quy trình nội bộ): a unit of the receiving agency, or
/// another agency for inter-agency procedures, with the working days it has.
public struct ProcessingStep: Codable, Equatable, Sendable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        /// A unit (phòng, ban) of the agency that received the dossier, by unit code.
        case unit
        /// Another agency, by its identifier code (hand-over between agencies).
        case agency
    }

    public var kind: Kind
    public var code: String
    public var workingDays: Int

    public init(kind: Kind, code: String, workingDays: Int) {
        self.kind = kind
        self.code = code
        self.workingDays = workingDays
    }

    enum CodingKeys: String, CodingKey {
        case kind, code, workingDays = "working_days"
    }

    /// "unit | TP | 3" or "agency | 000.00.01.H49 | 5".
    public var line: String { "\(kind.rawValue) | \(code) | \(workingDays)" }

    public enum LineProblem: Error, Equatable { case shape, kind, days }

    public init(line: String) throws {
        let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3, !parts[1].isEmpty else { throw LineProblem.shape }
        guard let kind = Kind(rawValue: parts[0].lowercased()) else { throw LineProblem.kind }
        guard let days = Int(parts[2]), (0...365).contains(days) else { throw LineProblem.days }
        self.init(kind: kind, code: parts[1], workingDays: days)
    }
}

/// The steps together: their days must fit inside the legal time limit.
public enum ProcessingRoute {
    public static func totalDays(_ steps: [ProcessingStep]) -> Int { steps.reduce(0) { $0 + $1.workingDays } }

    public static func fits(_ steps: [ProcessingStep], timeLimitDays: Int) -> Bool { totalDays(steps) <= timeLimitDays }

    /// Where a hand-over takes a dossier: from acceptance into the first step, from a step to
    /// the next, or after the last step back to the one-stop office. A route without steps is one
    /// step of the receiving agency.
    public enum HandOver: Equatable, Sendable {
        case start
        case next(Int)
        case finish

        /// The status machine's move for it.
        public var move: DossierMove {
            switch self {
            case .start: return .startProcessing
            case .next: return .handOver
            case .finish: return .finish
            }
        }

        /// The step the dossier enters; none when it goes back to the one-stop office.
        public var stepEntered: Int? {
            switch self {
            case .start: return 0
            case .next(let index): return index
            case .finish: return nil
            }
        }
    }

    public static func handOver(awaitingStart: Bool, stepIndex: Int, stepCount: Int) -> HandOver {
        if awaitingStart { return .start }
        return stepIndex + 1 < max(stepCount, 1) ? .next(stepIndex + 1) : .finish
    }
}
