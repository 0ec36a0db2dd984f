import XCTest
@testable import EGovCore

final class ProcedureRecordTests: XCTestCase {
    func test_procedureCodesAreDigitsDotSixDigits() {
        for good in ["1.001776", "2.000908", "10.000001", "123.456789"] { XCTAssertTrue(ProcedureCode.isValid(good), good) }
        for bad in ["", "1001776", "1.01776", "1.0017766", "a.001776", "1.00177x", "1..001776", "1.001776.", "１.001776"] {
            XCTAssertFalse(ProcedureCode.isValid(bad), bad)
        }
    }

    func test_requiredDocumentLinesReadCountsAndFlag() {
        XCTAssertEqual(RequiredDocument(line: "Tờ khai | 1 | 2 | không"), RequiredDocument(name: "Tờ khai", originals: 1, copies: 2, mandatory: false))
        XCTAssertEqual(RequiredDocument(line: "Giấy tờ tùy thân"), RequiredDocument(name: "Giấy tờ tùy thân", originals: 1, copies: 0, mandatory: true))
        XCTAssertEqual(RequiredDocument(line: "Bản vẽ | 2 || Có"), RequiredDocument(name: "Bản vẽ", originals: 2, copies: 0, mandatory: true))
        XCTAssertNil(RequiredDocument(line: " | 1"))
        XCTAssertNil(RequiredDocument(line: "Đơn | hai"))
        XCTAssertNil(RequiredDocument(line: "Đơn | 1 | 0 | có lẽ"))
        XCTAssertNil(RequiredDocument(line: "Đơn | 1 | 0 | có | thêm"))
        let document = RequiredDocument(name: "Đơn", originals: 1, copies: 3, mandatory: false)
        XCTAssertEqual(RequiredDocument(line: document.line), document)
    }

    func test_inForceOnlyWhenActiveAndInsideItsDates() {
        var record = ProcedureRecord(code: "1.000001", name: "A", field: "B", timeLimitDays: 1,
                                     effectiveFrom: LocalDate(iso: "2026-01-01"), effectiveTo: LocalDate(iso: "2026-12-31"))
        XCTAssertTrue(record.isInForce(on: LocalDate(iso: "2026-01-01")!))
        XCTAssertTrue(record.isInForce(on: LocalDate(iso: "2026-12-31")!))
        XCTAssertFalse(record.isInForce(on: LocalDate(iso: "2025-12-31")!))
        XCTAssertFalse(record.isInForce(on: LocalDate(iso: "2027-01-01")!))
        record.status = .suspended
        XCTAssertFalse(record.isInForce(on: LocalDate(iso: "2026-06-01")!))
    }

    func test_csvRoundTripsQuotesNewlinesAndFormulaGuard() throws {
        let rows = [["a", "b,c", "d\"e", "dòng 1\ndòng 2", "=SUM(A1)", "-5", "'=giữ nguyên"], ["", "x", "", "", "", "", ""]]
        let text = CSVTable.render(header: ["h1", "h2", "h3", "h4", "h5", "h6", "h7"], rows: rows)
        let parsed = try CSVTable.parse(text)
        XCTAssertEqual(parsed.count, 3)
        XCTAssertEqual(Array(parsed.dropFirst()), rows)
        XCTAssertTrue(text.contains(",'=SUM(A1),'-5,''=giữ nguyên\r\n"), text)
    }

    func test_csvReadsExcelSemicolonsAndLFAndRejectsOpenQuotes() throws {
        XCTAssertEqual(try CSVTable.parse("a;b\n1;\"x;y\"\n\n"), [["a", "b"], ["1", "x;y"]])
        XCTAssertThrowsError(try CSVTable.parse("a,b\n1,\"never closed\n2,3")) { error in
            XCTAssertEqual(error as? CSVTable.ParseError, .unterminatedQuote(line: 2))
        }
    }

    func test_procedureCSVRoundTripsARecord() throws {
        let record = ProcedureRecord(
            code: "1.001776", name: "Thủ tục thành lập hội", field: "Tổ chức phi chính phủ", agencyCode: "000.00.00.H49",
            implementingLevel: .province, onlineLevel: .full, channels: [.inPerson, .online],
            steps: ["Bước 1, nộp hồ sơ", "Bước 2: \"thẩm định\""],
            requiredDocuments: [RequiredDocument(name: "Đơn", originals: 1, copies: 0, mandatory: true),
                                RequiredDocument(name: "Điều lệ", originals: 2, copies: 1, mandatory: false)],
            timeLimitDays: 30, fees: "Không", feeAmount: 0, conditions: "- Có đủ thành viên", result: "Quyết định",
            legalBasis: "Nghị định 45/2010/NĐ-CP", effectiveFrom: LocalDate(iso: "2020-01-01"), status: .active)
        let rows = try ProcedureCSV.rows(ProcedureCSV.render([record]))
        XCTAssertEqual(rows.count, 1)
        let cells = rows[0].cells
        XCTAssertEqual(cells["conditions"], "- Có đủ thành viên", "the formula guard is undone on import")
        XCTAssertEqual(ProcedureCSV.items(cells["steps"]!), record.steps)
        XCTAssertEqual(ProcedureCSV.items(cells["required_documents"]!).compactMap(RequiredDocument.init(line:)), record.requiredDocuments)
        XCTAssertEqual(ProcedureCSV.items(cells["channels"]!, semicolons: true), ["in_person", "online"])
        XCTAssertThrowsError(try ProcedureCSV.rows("code,name\n1,2")) { error in
            XCTAssertEqual(error as? ProcedureCSV.ReadError, .missingColumns(["field", "time_limit_days"]))
        }
    }

    func test_searchTextIsFoldedCodeNameAndField() {
        let record = ProcedureRecord(code: "1.001776", name: "Thủ tục Thành lập Hội", field: "Tổ chức phi chính phủ", timeLimitDays: 30)
        XCTAssertEqual(record.searchText, "1.001776 thu tuc thanh lap hoi to chuc phi chinh phu")
    }
}
