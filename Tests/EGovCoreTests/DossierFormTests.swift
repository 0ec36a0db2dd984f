import XCTest
@testable import EGovCore

final class DossierFormTests: XCTestCase {
    let form = DossierForm(
        fields: [
            DossierFormField(key: "purpose", label: "Mục đích", kind: .text),
            DossierFormField(key: "members", label: "Số hội viên", kind: .number),
            DossierFormField(key: "meeting_date", label: "Ngày đại hội", kind: .date, required: false),
            DossierFormField(key: "scope", label: "Phạm vi", kind: .choice, options: ["Tỉnh", "Huyện"]),
            DossierFormField(key: "charter", label: "Điều lệ", kind: .file),
        ],
        documents: [RequiredDocument(name: "Đơn", mandatory: true), RequiredDocument(name: "Xác nhận trụ sở", mandatory: false)])

    func test_everyProblemIsNamedAtOnce() {
        let problems = form.problems(values: ["members": "nhiều", "meeting_date": "31/02/2026", "scope": "Xã"], files: [])
        XCTAssertEqual(problems, ["purpose": .missing, "members": .notANumber, "meeting_date": .notADate, "scope": .notAnOption,
                                  "charter": .missing, "document_1": .missing])
    }

    func test_completeSubmissionHasNoProblems() {
        let values = ["purpose": "Hỗ trợ nông dân", "members": "120", "scope": "Tỉnh", "meeting_date": ""]
        XCTAssertEqual(form.problems(values: values, files: ["charter", "document_1"]), [:])
        XCTAssertEqual(form.problems(values: values.merging(["members": "12.5"]) { $1 }, files: ["charter", "document_1"]), [:])
    }

    func test_fieldLinesRoundTripAndBadLinesAreNamed() throws {
        let field = DossierFormField(key: "scope", label: "Phạm vi", kind: .choice, required: false, options: ["Tỉnh", "Huyện"])
        XCTAssertEqual(try DossierFormField(line: field.line), field)
        XCTAssertEqual(try DossierFormField(line: "ho_ten | Họ và tên | text"), DossierFormField(key: "ho_ten", label: "Họ và tên", kind: .text))
        XCTAssertThrowsError(try DossierFormField(line: "Họ tên | Họ và tên | text")) { XCTAssertEqual($0 as? DossierFormField.LineProblem, .key) }
        XCTAssertThrowsError(try DossierFormField(line: "a | A | photo")) { XCTAssertEqual($0 as? DossierFormField.LineProblem, .kind) }
        XCTAssertThrowsError(try DossierFormField(line: "a | A | choice | có")) { XCTAssertEqual($0 as? DossierFormField.LineProblem, .choiceWithoutOptions) }
        XCTAssertThrowsError(try DossierFormField(line: "a | A | text | có lẽ")) { XCTAssertEqual($0 as? DossierFormField.LineProblem, .flag) }
        XCTAssertThrowsError(try DossierFormField(line: "a")) { XCTAssertEqual($0 as? DossierFormField.LineProblem, .shape) }
    }

    func test_processingStepsReadFromLinesAndMustFitTheTimeLimit() throws {
        let steps = try ["unit | VP | 1", "unit | TP | 3", "agency | 000.00.01.H49 | 5"].map(ProcessingStep.init(line:))
        XCTAssertEqual(steps[2], ProcessingStep(kind: .agency, code: "000.00.01.H49", workingDays: 5))
        XCTAssertEqual(try ProcessingStep(line: steps[1].line), steps[1])
        XCTAssertTrue(ProcessingRoute.fits(steps, timeLimitDays: 9))
        XCTAssertFalse(ProcessingRoute.fits(steps, timeLimitDays: 8))
        XCTAssertThrowsError(try ProcessingStep(line: "team | VP | 1")) { XCTAssertEqual($0 as? ProcessingStep.LineProblem, .kind) }
        XCTAssertThrowsError(try ProcessingStep(line: "unit | VP | ba")) { XCTAssertEqual($0 as? ProcessingStep.LineProblem, .days) }
    }

    func test_handOverGoesThroughEachStepAndBackToTheOneStopOffice() {
        let route = (0..<3).map { ProcessingRoute.handOver(awaitingStart: $0 == 0, stepIndex: $0 - 1, stepCount: 2) }
        XCTAssertEqual(route, [.start, .next(1), .finish])
        XCTAssertEqual(route.map(\.move), [.startProcessing, .handOver, .finish])
        XCTAssertEqual(route.map(\.stepEntered), [0, 1, nil])
        // No steps: one step of the receiving agency, then back.
        XCTAssertEqual(ProcessingRoute.handOver(awaitingStart: true, stepIndex: -1, stepCount: 0).stepEntered, 0)
        XCTAssertEqual(ProcessingRoute.handOver(awaitingStart: false, stepIndex: 0, stepCount: 0), .finish)
    }
}
