/// The words of a search box, ready for full-text search on either database: folded
/// (no diacritics, lower case, đ → d) and split on anything that is not a letter or digit, so
/// "Biên chế", "bien che" and "BIÊN CHẾ" are the same search, and "125/QĐ-BNV" is the three
/// words "125", "qd", "bnv" — the same way the indexed text is split.
///
/// Vietnamese writes words as separate syllables ("tài chính"), and single syllables such as
/// "so" or "tai" occur in most documents. So the index also holds every pair of neighbouring
/// syllables as one token ("taizchinh"), and a query of several words looks for its pairs:
/// few documents hold them, and the pairs keep the words in their order.
public struct SearchTerms: Equatable, Sendable {
    public let words: [String]
    /// Pairs of neighbouring words (the default), or each word on its own: the looser search
    /// to fall back on when the words do not stand side by side in any document.
    public private(set) var usesPairs = true
    public static let maximumWords = 8
    /// The last word (or pair) is matched as a prefix (the person may still be typing it) from
    /// this length; shorter prefixes match too much of the index to be useful.
    public static let minimumPrefixLength = 3
    /// Joins the two syllables of a pair token; Vietnamese spelling has no z.
    public static let pairJoiner = "z"

    public init(_ query: String) {
        words = Array(Self.split(query).prefix(Self.maximumWords))
    }

    public var isEmpty: Bool { words.isEmpty }

    /// The same words, each on its own, anywhere in the document; nil when that is no different.
    public var loosened: SearchTerms? {
        guard usesPairs, words.count > 1 else { return nil }
        var loose = self
        loose.usesPairs = false
        return loose
    }

    /// The tokens to look for, all required: the pairs of neighbouring words, or the one word.
    public var tokens: [String] {
        words.count == 1 || !usesPairs ? words : zip(words, words.dropFirst()).map { "\($0)\(Self.pairJoiner)\($1)" }
    }

    private var lastIsPrefix: Bool { (words.last?.count ?? 0) >= Self.minimumPrefixLength }

    /// SQLite FTS5: `"taizchinh" "chinhzsach"*`.
    public var fts5Query: String {
        let tokens = self.tokens
        return tokens.enumerated().map { index, token in
            "\"\(token)\"\(index == tokens.count - 1 && lastIsPrefix ? "*" : "")"
        }.joined(separator: " ")
    }

    /// PostgreSQL `to_tsquery('simple', …)`: `taizchinh & chinhzsach:*`. Tokens hold only
    /// letters and digits, so nothing in them is tsquery syntax.
    public var tsQuery: String {
        let tokens = self.tokens
        return tokens.enumerated().map { index, token in
            index == tokens.count - 1 && lastIsPrefix ? "\(token):*" : token
        }.joined(separator: " & ")
    }

    /// The text to index for a document: its folded words, then every pair of neighbouring
    /// words within each part.
    public static func indexText(_ parts: [String]) -> String {
        var words: [String] = []
        var pairs: [String] = []
        for part in parts {
            let partWords = split(part)
            words += partWords
            pairs += zip(partWords, partWords.dropFirst()).map { "\($0)\(pairJoiner)\($1)" }
        }
        return (words + pairs).joined(separator: " ")
    }

    static func split(_ text: String) -> [String] {
        SearchFolding.fold(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}
