import EGovCore
import Foundation
import XCTest

final class DocumentNumberTests: XCTestCase {
    func test_parsesDecisionWithSoPrefix() throws {
        let number = try DocumentNumber.parse("Số: 123/QĐ-UBND")
        XCTAssertEqual(number.number, 123)
        XCTAssertNil(number.year)
        XCTAssertEqual(number.notation, "QĐ-UBND")
        XCTAssertEqual(number.type, .decision)
        XCTAssertEqual(number.issuer, "UBND")
        XCTAssertEqual(number.formatted, "123/QĐ-UBND")
    }

    func test_parsesLegalNormativeNumberWithYear() throws {
        let number = try DocumentNumber.parse("15/2020/NĐ-CP")
        XCTAssertEqual(number.number, 15)
        XCTAssertEqual(number.year, 2020)
        XCTAssertEqual(number.type?.name, "Nghị định")
        XCTAssertEqual(number.issuer, "CP")
        XCTAssertEqual(number.formatted, "15/2020/NĐ-CP")
        XCTAssertEqual(try DocumentNumber.parse("01/2018/TT-VPCP").type, .circular)
        XCTAssertEqual(try DocumentNumber.parse("01/2018/TT-VPCP").issuer, "VPCP")
    }

    func test_congVanHasNoTypeAndIssuerIsFirstSegment() throws {
        let number = try DocumentNumber.parse("05/UBND-VP")
        XCTAssertEqual(number.number, 5)
        XCTAssertNil(number.type)
        XCTAssertEqual(number.issuer, "UBND")
        XCTAssertEqual(number.formatted, "05/UBND-VP")
        XCTAssertEqual(try DocumentNumber.parse("7816/VPCP-TTĐT").issuer, "VPCP")
    }

    func test_numbersBelowTenGetLeadingZero() throws {
        XCTAssertEqual(try DocumentNumber.parse("Số 5/UBND-VP").formatted, "05/UBND-VP")
        XCTAssertEqual(try DocumentNumber(number: 9, notation: "QĐ-UBND").formatted, "09/QĐ-UBND")
        XCTAssertEqual(try DocumentNumber(number: 10, notation: "QĐ-UBND").formatted, "10/QĐ-UBND")
        XCTAssertEqual(try DocumentNumber(number: 1, year: 2018, notation: "TT-VPCP").formatted, "01/2018/TT-VPCP")
    }

    func test_acceptsSpacesAndPrefixVariants() throws {
        XCTAssertEqual(try DocumentNumber.parse("  Số:  15 / 2020 / NĐ - CP ").formatted, "15/2020/NĐ-CP")
        XCTAssertEqual(try DocumentNumber.parse("SỐ: 123/QĐ-UBND").formatted, "123/QĐ-UBND")
        XCTAssertEqual(try DocumentNumber.parse("số:123/QĐ-UBND").formatted, "123/QĐ-UBND")
    }

    func test_normalisesDecomposedVietnamese() throws {
        // "Số" typed as S + o + circumflex + acute (NFD), and a notation with a decomposed "ị".
        let number = try DocumentNumber.parse("So\u{0302}\u{0301}: 12/NQ-HĐND-Ki\u{0323}")
        XCTAssertEqual(Array(number.notation.unicodeScalars), Array("NQ-HĐND-Kị".precomposedStringWithCanonicalMapping.unicodeScalars))
        XCTAssertEqual(number.type, .resolution)
        XCTAssertEqual(number.issuer, "HĐND")
    }

    func test_vietnameseLettersDistinguishTypes() throws {
        XCTAssertEqual(try DocumentNumber.parse("12/QyĐ-UBND").type, .regulation)
        XCTAssertEqual(try DocumentNumber.parse("12/QĐ-UBND").type, .decision)
        XCTAssertEqual(try DocumentNumber.parse("12/HĐ-UBND").type, .contract)
        XCTAssertEqual(try DocumentNumber.parse("12/HD-UBND").type, .guidance)
        XCTAssertNil(try DocumentNumber.parse("12/QD-UBND").type) // unaccented D is not Đ
    }

    func test_keepsNotationCase() throws {
        let number = try DocumentNumber.parse("20/2020/QĐ-TTg")
        XCTAssertEqual(number.notation, "QĐ-TTg")
        XCTAssertEqual(number.issuer, "TTg")
    }

    func test_jointCircularAndLaw() throws {
        let joint = try DocumentNumber.parse("01/2014/TTLT-BTC-BNV")
        XCTAssertEqual(joint.type, .jointCircular)
        XCTAssertEqual(joint.issuer, "BTC")
        let law = try DocumentNumber.parse("45/2019/QH14")
        XCTAssertNil(law.type)
        XCTAssertEqual(law.issuer, "QH14")
    }

    func test_roundTripsThroughFormatted() throws {
        for text in ["123/QĐ-UBND", "15/2020/NĐ-CP", "05/UBND-VP", "01/2014/TTLT-BTC-BNV", "7816/VPCP-TTĐT", "20/2020/QĐ-TTg"] {
            let number = try DocumentNumber.parse(text)
            XCTAssertEqual(number.formatted, text)
            XCTAssertEqual(try DocumentNumber.parse(number.formatted), number)
            XCTAssertEqual(try DocumentNumber.parse("Số: " + number.formatted), number)
        }
        XCTAssertEqual(try DocumentNumber.parse("5/UBND-VP"), try DocumentNumber.parse("Số: 05/UBND-VP"))
    }

    func test_reportsParseErrors() {
        let cases: [(String, DocumentNumberError)] = [
            ("", .empty),
            ("   ", .empty),
            ("Số:", .empty),
            ("QĐ-UBND", .missingNumber),
            ("/QĐ-UBND", .missingNumber),
            ("123", .missingNotation),
            ("123/", .missingNotation),
            ("15/2020/", .missingNotation),
            ("12a/QĐ-UBND", .badNumber("12a")),
            ("0/QĐ-UBND", .badNumber("0")),
            ("-3/QĐ-UBND", .badNumber("-3")),
            ("15/20/NĐ-CP", .badYear("20")),
            ("15/1800/NĐ-CP", .badYear("1800")),
            ("15//NĐ-CP", .badYear("")),
            ("123/QĐ--UBND", .badNotation("QĐ--UBND")),
            ("123/QĐ_UBND", .badNotation("QĐ_UBND")),
            ("123/QĐ-", .badNotation("QĐ-")),
            ("1/2020/NĐ/CP", .badNotation("NĐ/CP")),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try DocumentNumber.parse(text), text) { error in
                XCTAssertEqual(error as? DocumentNumberError, expected, text)
            }
        }
    }

    func test_initialiserValidates() {
        XCTAssertThrowsError(try DocumentNumber(number: 0, notation: "QĐ-UBND")) {
            XCTAssertEqual($0 as? DocumentNumberError, .badNumber("0"))
        }
        XCTAssertThrowsError(try DocumentNumber(number: 1, year: 99, notation: "NĐ-CP")) {
            XCTAssertEqual($0 as? DocumentNumberError, .badYear("99"))
        }
        XCTAssertThrowsError(try DocumentNumber(number: 1, notation: " ")) {
            XCTAssertEqual($0 as? DocumentNumberError, .missingNotation)
        }
    }

    func test_codableValidatesOnDecode() throws {
        let number = try DocumentNumber.parse("15/2020/NĐ-CP")
        let data = try JSONEncoder().encode(number)
        XCTAssertEqual(try JSONDecoder().decode(DocumentNumber.self, from: data), number)
        let bad = Data(#"{"number":0,"notation":"QĐ-UBND"}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(DocumentNumber.self, from: bad))
    }
}
