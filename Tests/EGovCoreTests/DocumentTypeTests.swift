import EGovCore
import Foundation
import XCTest

final class DocumentTypeTests: XCTestCase {
    func test_decree30HasTwentyNineAdministrativeTypes() {
        XCTAssertEqual(DocumentType.administrative.count, 29)
        XCTAssertEqual(DocumentType.administrative.filter { $0.abbreviation == nil }.map(\.name), ["Công văn", "Thư công"])
    }

    func test_abbreviationsAndCodesAreUnique() {
        let abbreviations = DocumentType.all.compactMap(\.abbreviation)
        XCTAssertEqual(Set(abbreviations).count, abbreviations.count)
        XCTAssertEqual(Set(DocumentType.all.map(\.code)).count, DocumentType.all.count)
    }

    func test_byAbbreviationIsExact() {
        XCTAssertEqual(DocumentType.byAbbreviation("QĐ")?.name, "Quyết định")
        XCTAssertEqual(DocumentType.byAbbreviation("QyĐ")?.name, "Quy định")
        XCTAssertEqual(DocumentType.byAbbreviation("HĐ")?.name, "Hợp đồng")
        XCTAssertEqual(DocumentType.byAbbreviation("HD")?.name, "Hướng dẫn")
        XCTAssertEqual(DocumentType.byAbbreviation("ĐA")?.name, "Đề án")
        XCTAssertEqual(DocumentType.byAbbreviation("DA")?.name, "Dự án")
        XCTAssertEqual(DocumentType.byAbbreviation("TTr")?.name, "Tờ trình")
        XCTAssertEqual(DocumentType.byAbbreviation("NĐ")?.name, "Nghị định")
        XCTAssertEqual(DocumentType.byAbbreviation("TT")?.name, "Thông tư")
        XCTAssertNil(DocumentType.byAbbreviation("qđ"))
        XCTAssertNil(DocumentType.byAbbreviation("QD"))
        XCTAssertNil(DocumentType.byAbbreviation("UBND"))
    }

    func test_byCodeFindsStableIdentifiers() {
        XCTAssertEqual(DocumentType.byCode("decision"), .decision)
        XCTAssertEqual(DocumentType.byCode("official_letter")?.name, "Công văn")
        XCTAssertNil(DocumentType.byCode("official_letter")?.abbreviation)
        XCTAssertNil(DocumentType.byCode("nope"))
    }

    func test_legalNormativeTypesIncludeDecreeAndCircular() throws {
        XCTAssertTrue(DocumentType.decree.isLegalNormative)
        XCTAssertTrue(DocumentType.circular.isLegalNormative)
        XCTAssertFalse(DocumentType.officialLetter.isLegalNormative)
        let json = String(decoding: try JSONEncoder().encode(DocumentType.decree), as: UTF8.self)
        XCTAssertFalse(json.contains("isLegalNormative"))
        XCTAssertEqual(try JSONDecoder().decode(DocumentType.self, from: Data(json.utf8)), .decree)
    }

    func test_namesAreStoredInNFC() {
        for type in DocumentType.all {
            XCTAssertEqual(Array(type.name.unicodeScalars), Array(type.name.precomposedStringWithCanonicalMapping.unicodeScalars), type.name)
        }
    }
}
