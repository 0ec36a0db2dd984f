import EGovCore
import Foundation
import XCTest

final class DossierTests: XCTestCase {
    private func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    /// A Vietnam wall-clock time (UTC+7) as an instant.
    private func vietnam(_ isoDate: String, _ hour: Int, _ minute: Int) -> Date {
        let day = d(isoDate)
        var components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour - 7, minute: minute)
        components.timeZone = TimeZone(identifier: "UTC")
        return Calendar(identifier: .gregorian).date(from: components)!
    }

    // MARK: Codes

    func test_codeIsAgencyDayAndFourDigitDailySequence() throws {
        let code = try DossierCode(agency: AgencyCode("000.00.14.H20"), day: d("2020-07-03"), sequence: 2)
        XCTAssertEqual(code.rawValue, "000.00.14.H20-200703-0002")
        XCTAssertEqual(try DossierCode(parsing: " 000.00.14.h20-200703-0002 "), code)
        XCTAssertEqual(try DossierCode(agency: AgencyCode("000.00.00.H49"), day: d("2026-11-25"), sequence: 9999).rawValue,
                       "000.00.00.H49-261125-9999")
        let json = try JSONEncoder().encode([code])
        XCTAssertEqual(String(decoding: json, as: UTF8.self), #"["000.00.14.H20-200703-0002"]"#)
        XCTAssertEqual(try JSONDecoder().decode([DossierCode].self, from: json), [code])
    }

    func test_malformedCodesAndExhaustedDaysAreRefused() throws {
        for raw in ["", "000.00.14.H20-200703", "000.00.14.H20-200703-2", "000.00.14.H20-20073-0002", "000.00.14.H20-201332-0002",
                    "000.00.14.H20-200703-0000", "00.00.14.H20-200703-0002", "000.00.14.H20-200703-00٠2", "000.00.14.H20_200703_0002"] {
            XCTAssertThrowsError(try DossierCode(parsing: raw), raw)
        }
        XCTAssertThrowsError(try DossierCode(agency: AgencyCode("000.00.14.H20"), day: d("2020-07-03"), sequence: 10_000)) {
            XCTAssertEqual($0 as? DossierCodeError, .sequenceOutOfRange(10_000))
        }
    }

    // MARK: Status machine

    func test_dossierGoesFromNewThroughProcessingToResultReturned() throws {
        var status = DossierStatus.new
        var accepted = false
        for move in [DossierMove.requestSupplement, .supplement, .accept, .startProcessing, .requestSupplement, .supplement,
                     .requestFees, .recordPayment, .finish, .returnResult] {
            status = try DossierWorkflow.next(after: move, from: status, accepted: accepted)
            if move == .accept { accepted = true }
        }
        XCTAssertEqual(status, .resultReturned)
        // A supplement goes back to where it was asked for.
        XCTAssertEqual(try DossierWorkflow.next(after: .supplement, from: .supplementRequested, accepted: false), .new)
        XCTAssertEqual(try DossierWorkflow.next(after: .supplement, from: .supplementRequested, accepted: true), .processing)
    }

    func test_illegalMovesAreRefusedAndFinalStatusesTakeNone() {
        XCTAssertThrowsError(try DossierWorkflow.next(after: .finish, from: .new, accepted: false)) {
            XCTAssertEqual($0 as? IllegalMove, IllegalMove(move: "finish", state: "1"))
        }
        XCTAssertFalse(DossierWorkflow.isLegal(.accept, from: .processing, accepted: true))
        XCTAssertFalse(DossierWorkflow.isLegal(.returnResult, from: .withdrawn, accepted: true))
        for status in DossierStatus.allCases where status.isFinal {
            XCTAssertEqual(DossierWorkflow.legalMoves(from: status, accepted: true), [], "\(status)")
        }
        XCTAssertEqual(DossierWorkflow.legalMoves(from: .new, accepted: false), [.accept, .refuse, .requestSupplement, .withdraw])
        XCTAssertEqual(DossierWorkflow.legalMoves(from: .stopped, accepted: true), [.returnResult])
        XCTAssertEqual(DossierStatus.allCases.map(\.rawValue), Array(1...10))
    }

    // MARK: The legal clock, across Tết 2026 (16–20 February)

    func test_promisedDateCountsWorkingDaysFromTheDayOfReceiptAfterTheThreePmRule() {
        let clock = DossierClock(calendar: WorkingDayCalendar())
        // Thursday 12 Feb before 15:00: counts from the 12th; Friday 13th, then Tết and a weekend.
        XCTAssertEqual(clock.promisedDate(acceptedAt: vietnam("2026-02-12", 14, 59), workingDays: 3), d("2026-02-24"))
        // After 15:00 it counts as received on Friday the 13th.
        XCTAssertEqual(clock.promisedDate(acceptedAt: vietnam("2026-02-12", 15, 1), workingDays: 3), d("2026-02-25"))
        // A same-day procedure received on the last afternoon before Tết is due after it.
        XCTAssertEqual(clock.promisedDate(acceptedAt: vietnam("2026-02-13", 16, 0), workingDays: 0), d("2026-02-23"))
        // Received during Tết: as if on the first working day after it.
        XCTAssertEqual(clock.promisedDate(acceptedAt: vietnam("2026-02-17", 9, 0), workingDays: 1), d("2026-02-24"))
    }

    func test_supplementPausesMoveThePromisedDateAndASecondRequestIsLate() {
        let clock = DossierClock(calendar: WorkingDayCalendar())
        // Asked on Friday 13 Feb, sent on Monday 23 Feb: only the 23rd is a working day in between.
        XCTAssertEqual(clock.promisedDate(d("2026-02-24"), afterPauses: [(d("2026-02-13"), d("2026-02-23"))]), d("2026-02-25"))
        XCTAssertEqual(clock.promisedDate(d("2026-02-24"), afterPauses: []), d("2026-02-24"))
        XCTAssertEqual(clock.timeliness(finished: d("2026-02-23"), promised: d("2026-02-24"), supplementRequests: 1), .early)
        XCTAssertEqual(clock.timeliness(finished: d("2026-02-24"), promised: d("2026-02-24"), supplementRequests: 0), .onTime)
        XCTAssertEqual(clock.timeliness(finished: d("2026-02-25"), promised: d("2026-02-24"), supplementRequests: 0), .late)
        XCTAssertEqual(clock.timeliness(finished: d("2026-02-20"), promised: d("2026-02-24"), supplementRequests: 2), .late)
    }
}
