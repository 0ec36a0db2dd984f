import EGovCore
import XCTest

final class SearchTermsTests: XCTestCase {
    func test_queriesWithAndWithoutDiacriticsAreTheSame() {
        XCTAssertEqual(SearchTerms("Biên chế").words, ["bien", "che"])
        XCTAssertEqual(SearchTerms("bien che"), SearchTerms("BIÊN CHẾ"))
        XCTAssertEqual(SearchTerms("Đề án đổi mới").words, ["de", "an", "doi", "moi"])
    }

    func test_severalWordsAreSearchedAsNeighbouringPairs() {
        let terms = SearchTerms("Sở Tài chính")
        XCTAssertEqual(terms.tokens, ["soztai", "taizchinh"])
        XCTAssertEqual(terms.fts5Query, "\"soztai\" \"taizchinh\"*")
        XCTAssertEqual(terms.tsQuery, "soztai & taizchinh:*")
        XCTAssertEqual(SearchTerms("khen").fts5Query, "\"khen\"*")
        XCTAssertEqual(SearchTerms("so").tsQuery, "so", "two letters are too short for a prefix")
    }

    func test_indexHoldsWordsAndPairsWithinEachPart() {
        let indexed = SearchTerms.indexText(["Sở Tài chính", "125/QĐ-BNV"]).split(separator: " ").map(String.init)
        XCTAssertEqual(indexed, ["so", "tai", "chinh", "125", "qd", "bnv", "soztai", "taizchinh", "125zqd", "qdzbnv"])
        // Every token a query looks for is in the index of a text that contains the query.
        for query in ["tài chính", "125/QĐ-BNV", "Sở Tài", "qd bnv"] {
            XCTAssertTrue(SearchTerms(query).tokens.allSatisfy(indexed.contains), query)
        }
        XCTAssertFalse(SearchTerms("chính tài").tokens.allSatisfy(indexed.contains), "the order of words matters")
        // …unless the search is loosened to the words on their own.
        XCTAssertEqual(SearchTerms("chính tài").loosened?.tokens, ["chinh", "tai"])
        XCTAssertEqual(SearchTerms("chính tài").loosened?.fts5Query, "\"chinh\" \"tai\"*")
        XCTAssertNil(SearchTerms("chính").loosened)
    }

    func test_queriesAreSafeForBothEngines() {
        let terms = SearchTerms("\"drop\" * OR ':* & !(x) NEAR")
        XCTAssertEqual(terms.words, ["drop", "or", "x", "near"])
        XCTAssertEqual(terms.fts5Query, "\"dropzor\" \"orzx\" \"xznear\"*")
        XCTAssertEqual(terms.tsQuery, "dropzor & orzx & xznear:*")
        XCTAssertTrue(SearchTerms(" -- / ").isEmpty)
        XCTAssertEqual(SearchTerms("a b c d e f g h i j k").words.count, SearchTerms.maximumWords)
    }
}
