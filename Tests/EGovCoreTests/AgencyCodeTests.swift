import EGovCore
import Foundation
import XCTest

final class AgencyCodeTests: XCTestCase {
    func test_acceptsDecision20Examples() throws {
        for raw in ["000.00.00.G22", "000.00.00.H49", "000.00.14.H20"] {
            XCTAssertEqual(try AgencyCode(raw).rawValue, raw)
            XCTAssertTrue(AgencyCode.isValid(raw))
        }
    }

    func test_trimsAndUppercasesTheLetter() throws {
        XCTAssertEqual(try AgencyCode("  000.00.14.h20\n").rawValue, "000.00.14.H20")
    }

    func test_rejectsWrongShapes() {
        let bad = ["", "000.00.00.G2", "000.00.00.G222", "00.000.00.G22", "000-00-00-G22", "000.00.00.222",
                   "000.00.00.GG2", "000.00.00.Đ22", "A00.00.00.G22", "000.0a.00.G22", "000.00.00 G22",
                   "000.00.00.G22.", "０00.00.00.G22"]
        for raw in bad {
            XCTAssertThrowsError(try AgencyCode(raw), raw) { error in
                XCTAssertEqual(error as? AgencyCodeError, .wrongShape(raw), raw)
            }
            XCTAssertFalse(AgencyCode.isValid(raw), raw)
        }
    }

    func test_rejectsAllZeroCode() {
        XCTAssertThrowsError(try AgencyCode("000.00.00.A00")) { error in
            XCTAssertEqual(error as? AgencyCodeError, .allZero("000.00.00.A00"))
        }
    }

    func test_levelIsTheDeepestNonZeroGroup() throws {
        XCTAssertEqual(try AgencyCode("000.00.00.G22").level, 1)
        XCTAssertEqual(try AgencyCode("000.00.14.H20").level, 2)
        XCTAssertEqual(try AgencyCode("000.05.14.H20").level, 3)
        XCTAssertEqual(try AgencyCode("001.05.14.H20").level, 4)
        XCTAssertEqual(try AgencyCode("001.00.00.H20").level, 4)
    }

    func test_parentZeroesTheLowestNonZeroLevel() throws {
        XCTAssertEqual(try AgencyCode("000.00.14.H20").parent, try AgencyCode("000.00.00.H20"))
        XCTAssertNil(try AgencyCode("000.00.00.G22").parent)
        let levelFour = try AgencyCode("001.05.14.H20")
        XCTAssertEqual(levelFour.parent, try AgencyCode("000.05.14.H20"))
        XCTAssertEqual(levelFour.ancestors.map(\.rawValue), ["000.05.14.H20", "000.00.14.H20", "000.00.00.H20"])
        XCTAssertEqual(try AgencyCode("002.00.14.H20").parent, try AgencyCode("000.00.14.H20"))
    }

    func test_codableAsValidatedString() throws {
        let code = try AgencyCode("000.00.14.H20")
        let data = try JSONEncoder().encode([code])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"000.00.14.H20\"]")
        XCTAssertEqual(try JSONDecoder().decode([AgencyCode].self, from: data), [code])
        XCTAssertThrowsError(try JSONDecoder().decode([AgencyCode].self, from: Data("[\"000.00.14\"]".utf8)))
    }
}
