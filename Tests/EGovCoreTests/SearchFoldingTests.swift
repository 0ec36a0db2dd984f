import EGovCore
import Foundation
import XCTest

final class SearchFoldingTests: XCTestCase {
    func test_foldStripsDiacriticsCaseAndSpaces() {
        XCTAssertEqual(SearchFolding.fold("  Nghị   định\t\n15 "), "nghi dinh 15")
        XCTAssertEqual(SearchFolding.fold("ĐỒNG THÁP"), "dong thap")
        XCTAssertEqual(SearchFolding.fold("Thương mại Ưu đãi"), "thuong mai uu dai")
        XCTAssertEqual(SearchFolding.fold("đ Đ"), "d d")
        XCTAssertEqual(SearchFolding.fold("   "), "")
    }

    func test_nghiDinhMatchesUnaccentedQuery() {
        XCTAssertTrue(SearchFolding.matches("Nghị định 15/2020/NĐ-CP", query: "nghi dinh"))
        XCTAssertTrue(SearchFolding.matches("Nghị định 15/2020/NĐ-CP", query: "nd-cp"))
        XCTAssertTrue(SearchFolding.matches("UBND tỉnh ĐỒNG THÁP", query: "dong thap"))
        XCTAssertTrue(SearchFolding.matches("UBND tỉnh Đồng Tháp", query: "  ĐỒNG   tháp "))
        XCTAssertFalse(SearchFolding.matches("Nghị định", query: "nghi dinhx"))
        XCTAssertFalse(SearchFolding.matches("Quyết định", query: "nghi"))
        XCTAssertTrue(SearchFolding.matches("anything", query: "  "))
    }

    func test_nfcAndNfdInputFoldAlike() {
        let nfc = "Nghị định Hướng dẫn".precomposedStringWithCanonicalMapping
        let nfd = "Nghị định Hướng dẫn".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfc.unicodeScalars), Array(nfd.unicodeScalars))
        XCTAssertEqual(SearchFolding.fold(nfc), SearchFolding.fold(nfd))
        XCTAssertEqual(SearchFolding.fold(nfd), "nghi dinh huong dan")
        XCTAssertTrue(SearchFolding.matches(nfd, query: nfc))
        XCTAssertTrue(SearchFolding.matches(nfc, query: "huong dan"))
    }
}
