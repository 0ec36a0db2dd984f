import EGovCore
import XCTest

final class SearchTermsTests: XCTestCase {
    func test_queriesWithAndWithoutDiacriticsAreTheSame() {
        XCTAssertEqual(SearchTerms("Biên chế").words, ["bien", "che"])
        XCTAssertEqual(SearchTerms("bien che"), SearchTerms("BIÊN CHẾ"))
        XCTAssertEqual(SearchTerms("Đề án đổi mới").words, ["de", "an", "doi", "moi"])
    }

    func test_numberNotationsSplitLikeTheIndexedText() {
        XCTAssertEqual(SearchTerms("125/QĐ-BNV").words, ["125", "qd", "bnv"])
        XCTAssertEqual(SearchTermsTests.indexWords("Số 125/QĐ-BNV ngày 25/02/2026"), ["so", "125", "qd", "bnv", "ngay", "25", "02", "2026"])
    }

    func test_queriesAreSafeForBothEngines() {
        let terms = SearchTerms("\"drop\" * OR ':* & !(x) NEAR")
        XCTAssertEqual(terms.words, ["drop", "or", "x", "near"])
        XCTAssertEqual(terms.fts5Query, "\"drop\" \"or\" \"x\" \"near\"*")
        XCTAssertEqual(terms.tsQuery, "drop & or & x & near:*")
        XCTAssertTrue(SearchTerms(" -- / ").isEmpty)
        XCTAssertEqual(SearchTerms("a b c d e f g h i j k").words.count, SearchTerms.maximumWords)
        XCTAssertEqual(SearchTerms("che che").words, ["che"])
    }

    func test_lastWordIsAPrefixOnlyWhenLongEnough() {
        XCTAssertEqual(SearchTerms("biên ch").fts5Query, "\"bien\" \"ch\"")
        XCTAssertEqual(SearchTerms("biên chế").tsQuery, "bien & che:*")
    }

    func test_notationIsSearchedAsAPhrase() {
        let terms = SearchTerms("125/QĐ-BNV")
        XCTAssertTrue(terms.isNotation)
        XCTAssertEqual(terms.fts5Query, "\"125 qd bnv\"*")
        XCTAssertEqual(terms.tsQuery, "125 <-> qd <-> bnv:*")
        XCTAssertEqual(SearchTerms("125/QĐ").tsQuery, "125 <-> qd")
        XCTAssertFalse(SearchTerms("báo cáo quý 3").isNotation)
    }

    static func indexWords(_ text: String) -> [String] {
        SearchTerms.indexText([text]).split(separator: " ").map(String.init)
    }
}
