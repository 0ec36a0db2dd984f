import Foundation

/// Trạng thái hồ sơ, numbered as the national portal numbers them (Decree 61/2018).
public enum DossierStatus: Int, CaseIterable, Codable, Sendable {
    case new = 1
    case accepted = 2
    case notAccepted = 3
    case processing = 4
    case supplementRequested = 5
    case feesRequested = 6
    case withdrawn = 7
    case stopped = 8
    case processed = 9
    case resultReturned = 10

    public var label: String {
        switch self {
        case .new: "Mới tiếp nhận"
        case .accepted: "Đã tiếp nhận"
        case .notAccepted: "Không tiếp nhận"
        case .processing: "Đang xử lý"
        case .supplementRequested: "Yêu cầu bổ sung"
        case .feesRequested: "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .withdrawn: "Công dân rút hồ sơ"
        case .stopped: "Dừng xử lý"
        case .processed: "Đã xử lý xong"
        case .resultReturned: "Đã trả kết quả"
        }
    }

    /// Nothing happens to the dossier any more.
    public var isFinal: Bool { self == .notAccepted || self == .withdrawn || self == .resultReturned }
    /// The legal clock stands still while the applicant owes a supplement.
    public var stopsTheClock: Bool { self == .supplementRequested }
}

public enum DossierMove: String, CaseIterable, Codable, Sendable {
    /// The one-stop officer accepts the dossier and gives a receipt with the promised date.
    case accept
    /// The officer refuses it, with reasons.
    case refuse
    /// Hand it to the processing steps.
    case startProcessing = "start_processing"
    /// One processing step hands it to the next (a line of the control slip).
    case handOver = "hand_over"
    /// Ask the applicant to supplement (before acceptance or while processing).
    case requestSupplement = "request_supplement"
    /// The applicant sends the supplement.
    case supplement
    /// Fees or charges are owed before processing goes on.
    case requestFees = "request_fees"
    /// The fees are recorded as paid.
    case recordPayment = "record_payment"
    case withdraw
    case stop
    case finish
    /// The result (or, for a stopped dossier, the notice) is handed to the applicant.
    case returnResult = "return_result"
}

public enum DossierWorkflow {
    /// The status after `move`. A supplement goes back to where the dossier was asked for it:
    /// a new dossier if it had not been accepted yet, processing otherwise.
    public static func next(after move: DossierMove, from status: DossierStatus, accepted: Bool) throws -> DossierStatus {
        switch (move, status) {
        case (.accept, .new): return .accepted
        case (.refuse, .new): return .notAccepted
        case (.startProcessing, .accepted): return .processing
        case (.handOver, .processing): return .processing
        case (.requestSupplement, .new), (.requestSupplement, .processing): return .supplementRequested
        case (.supplement, .supplementRequested): return accepted ? .processing : .new
        case (.requestFees, .processing): return .feesRequested
        case (.recordPayment, .feesRequested): return .processing
        case (.withdraw, .new), (.withdraw, .accepted), (.withdraw, .processing), (.withdraw, .supplementRequested), (.withdraw, .feesRequested):
            return .withdrawn
        case (.stop, .processing), (.stop, .supplementRequested), (.stop, .feesRequested): return .stopped
        case (.finish, .processing): return .processed
        case (.returnResult, .processed), (.returnResult, .stopped): return .resultReturned
        default: throw IllegalMove(move: move.rawValue, state: String(status.rawValue))
        }
    }

    public static func isLegal(_ move: DossierMove, from status: DossierStatus, accepted: Bool) -> Bool {
        (try? next(after: move, from: status, accepted: accepted)) != nil
    }

    /// A late dossier gets an apology and a new appointment while it is still being decided.
    public static func mayApologise(from status: DossierStatus) -> Bool {
        [.accepted, .processing, .supplementRequested, .feesRequested].contains(status)
    }

    /// Where a dossier waits for someone's move: at the receiving agency's one-stop office
    /// (to accept or refuse, to send into processing, to hand the result back) …
    public static let waitingAtOneStop: [DossierStatus] = [.new, .accepted, .processed, .stopped]
    /// … or with whoever holds it on its route (to process, hand over, finish).
    public static let waitingWithHolder: [DossierStatus] = [.processing]

    public static func legalMoves(from status: DossierStatus, accepted: Bool) -> [DossierMove] {
        DossierMove.allCases.filter { isLegal($0, from: status, accepted: accepted) }
    }
}

/// Sớm hạn, đúng hạn, quá hạn — of a whole dossier or of one step of its control slip.
public enum Timeliness: String, Codable, Sendable {
    case early, onTime = "on_time", late

    public var label: String {
        switch self {
        case .early: "Trước hạn"
        case .onTime: "Đúng hạn"
        case .late: "Quá hạn"
        }
    }

    /// What the on-time rate counts as on time.
    public var isOnTime: Bool { self != .late }

    /// Finished before the due day, on it, or after it.
    public static func of(finished: LocalDate, due: LocalDate) -> Timeliness {
        finished < due ? .early : (finished == due ? .onTime : .late)
    }
}

/// The legal clock of a dossier: the promised date from acceptance (the 15:00 rule, working
/// days), moved on by the working days the applicant spent on supplements.
public struct DossierClock: Sendable {
    public let calendar: WorkingDayCalendar

    public init(calendar: WorkingDayCalendar) {
        self.calendar = calendar
    }

    /// The date on the receipt: `workingDays` working days from the working day the dossier
    /// counts as received (after 15:00 or on a day off: the next working day).
    public func promisedDate(acceptedAt instant: Date, workingDays: Int) -> LocalDate {
        calendar.dueDate(receivedAt: instant, workingDays: workingDays)
    }

    /// The promised date after supplements: each pause (asked on `from`, sent on `to`) adds the
    /// working days in between, which are not counted against the agency.
    public func promisedDate(_ promised: LocalDate, afterPauses pauses: [(from: LocalDate, to: LocalDate)]) -> LocalDate {
        let paused = pauses.reduce(0) { $0 + calendar.workingDaysBetween($1.from, $1.to) }
        return paused == 0 ? promised : calendar.addWorkingDays(paused, to: promised)
    }

    /// On time by the rule: finished by the promised date, and at most one supplement asked for
    /// (a second request counts as late whatever the dates).
    public func timeliness(finished: LocalDate, promised: LocalDate, supplementRequests: Int) -> Timeliness {
        supplementRequests > 1 ? .late : Timeliness.of(finished: finished, due: promised)
    }

    /// The working days processing took: from the Vietnam day of acceptance to the day it finished.
    public func processingDays(acceptedAt: Date, finishedAt: Date) -> Int {
        calendar.workingDaysBetween(LocalDate.inVietnam(acceptedAt), LocalDate.inVietnam(finishedAt))
    }

    /// Late already on `today`: past its date, or late by rule after a second supplement request.
    public static func isLate(today: LocalDate, due: LocalDate?, supplementRequests: Int) -> Bool {
        supplementRequests > 1 || (due.map { today > $0 } ?? false)
    }
}
