import EGovCore
import XCTest

final class WorkFileTests: XCTestCase {
    // MARK: Codes

    func test_codesAreNormalisedToTwoDigitNumbersAndUpperCaseFields() throws {
        XCTAssertEqual(try WorkFileCode("01.TCCB").rawValue, "01.TCCB")
        XCTAssertEqual(try WorkFileCode("12.VP").rawValue, "12.VP")
        XCTAssertEqual(try WorkFileCode("3.KH").rawValue, "03.KH")
        XCTAssertEqual(try WorkFileCode("  7.vp \n").rawValue, "07.VP")
        XCTAssertEqual(try WorkFileCode("001.TCCB").rawValue, "01.TCCB")
        XCTAssertEqual(try WorkFileCode("120.KH-TC").rawValue, "120.KH-TC")
        XCTAssertEqual(try WorkFileCode("05.qlđt").rawValue, "05.QLĐT")
        XCTAssertEqual(try WorkFileCode("02.CNTT2").field, "CNTT2")
        XCTAssertEqual(try WorkFileCode("3.KH"), try WorkFileCode("03.kh"))
    }

    func test_malformedCodesAreRefused() {
        for raw in ["", "TCCB", "01TCCB", "01.", ".TCCB", "A1.TCCB", "01.TC CB", "01.TC.CB", "01.-TC", "01.TC-", "01.TC--CB",
                    "01.12", "01.TC/CB", "1000.VP", "-1.VP", "01.\(String(repeating: "A", count: 21))"] {
            XCTAssertFalse(WorkFileCode.isValid(raw), raw)
        }
        XCTAssertThrowsError(try WorkFileCode("0.VP")) { XCTAssertEqual($0 as? WorkFileCodeError, .numberOutOfRange("0.VP")) }
        XCTAssertThrowsError(try WorkFileCode("01TCCB")) { XCTAssertEqual($0 as? WorkFileCodeError, .wrongShape("01TCCB")) }
    }

    func test_codesSortByNumberNotByText() throws {
        let codes = try ["10.VP", "9.VP", "100.VP", "02.TCCB", "02.KH"].map(WorkFileCode.init)
        XCTAssertEqual(codes.sorted().map(\.rawValue), ["02.KH", "02.TCCB", "09.VP", "10.VP", "100.VP"])
    }

    func test_codeTravelsAsItsNormalisedText() throws {
        let data = try JSONEncoder().encode([try WorkFileCode("3.kh")])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["03.KH"]"#)
        XCTAssertThrowsError(try JSONDecoder().decode([WorkFileCode].self, from: Data(#"["KH"]"#.utf8)))
    }

    // MARK: States

    func test_fileIsOpenedClosedAndArchived() throws {
        var state = WorkFileState.open
        XCTAssertTrue(state.acceptsDocuments)
        state = try WorkFileWorkflow.next(after: .close, from: state)
        XCTAssertEqual(state, .closed)
        XCTAssertFalse(state.acceptsDocuments)
        XCTAssertEqual(WorkFileWorkflow.legalMoves(from: state), [.reopen, .archive])
        state = try WorkFileWorkflow.next(after: .archive, from: state)
        XCTAssertEqual(state, .archived)
        XCTAssertTrue(state.isFinal)
        XCTAssertEqual(WorkFileWorkflow.legalMoves(from: .archived), [])
    }

    func test_closedFileMayBeReopenedButNotOnceArchived() throws {
        XCTAssertEqual(try WorkFileWorkflow.next(after: .reopen, from: .closed), .open)
        XCTAssertThrowsError(try WorkFileWorkflow.next(after: .reopen, from: .archived)) {
            XCTAssertEqual($0 as? IllegalMove, IllegalMove(move: "reopen", state: "archived"))
        }
    }

    func test_openFileCannotGoStraightToTheArchive() {
        XCTAssertThrowsError(try WorkFileWorkflow.next(after: .archive, from: .open))
        XCTAssertThrowsError(try WorkFileWorkflow.next(after: .reopen, from: .open))
        XCTAssertThrowsError(try WorkFileWorkflow.next(after: .close, from: .closed))
        XCTAssertThrowsError(try WorkFileWorkflow.next(after: .close, from: .archived))
        XCTAssertEqual(WorkFileWorkflow.legalMoves(from: .open), [.close])
    }

    // MARK: Retention

    func test_retentionIsOneToSeventyYearsOrPermanent() {
        XCTAssertEqual(RetentionPeriod(storedValue: "5"), .years(5))
        XCTAssertEqual(RetentionPeriod(storedValue: "70"), .years(70))
        XCTAssertEqual(RetentionPeriod(storedValue: "permanent"), .permanent)
        for bad in ["0", "71", "", "-5", "5.5", "05a", "vĩnh viễn", " 5"] {
            XCTAssertNil(RetentionPeriod(storedValue: bad), bad)
        }
        XCTAssertEqual(RetentionPeriod.years(20).storedValue, "20")
        XCTAssertEqual(RetentionPeriod.permanent.storedValue, "permanent")
    }

    func test_retentionIsReadAsPeopleTypeIt() {
        XCTAssertEqual(RetentionPeriod(parsing: "Vĩnh viễn"), .permanent)
        XCTAssertEqual(RetentionPeriod(parsing: "vinh vien"), .permanent)
        XCTAssertEqual(RetentionPeriod(parsing: " VĨNH VIỄN "), .permanent)
        XCTAssertEqual(RetentionPeriod(parsing: "10 năm"), .years(10))
        XCTAssertEqual(RetentionPeriod(parsing: "10năm"), .years(10))
        XCTAssertEqual(RetentionPeriod(parsing: "10"), .years(10))
        XCTAssertNil(RetentionPeriod(parsing: "100 năm"))
        XCTAssertNil(RetentionPeriod(parsing: "mãi mãi"))
        XCTAssertNil(RetentionPeriod(parsing: "năm"))
    }

    func test_permanentOutlastsAnyNumberOfYears() {
        XCTAssertEqual([RetentionPeriod.permanent, .years(70), .years(5)].sorted(), [.years(5), .years(70), .permanent])
    }
}
