/// The words of a search box, ready for full-text search on either database: folded
/// (no diacritics, lower case, đ → d) and split on anything that is not a letter or digit, so
/// "Biên chế", "bien che" and "BIÊN CHẾ" are the same search, and "125/QĐ-BNV" is the three
/// words "125", "qd", "bnv" — the same way the indexed text is split.
public struct SearchTerms: Equatable, Sendable {
    public let words: [String]
    public static let maximumWords = 8

    public init(_ query: String) {
        var words: [String] = []
        for word in SearchFolding.fold(query).split(whereSeparator: { !($0.isLetter || $0.isNumber) }) where !words.contains(String(word)) {
            words.append(String(word))
        }
        self.words = Array(words.prefix(Self.maximumWords))
    }

    public var isEmpty: Bool { words.isEmpty }

    /// SQLite FTS5: every word as a quoted prefix, all required: `"bien"* "che"*`.
    public var fts5Query: String {
        words.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// PostgreSQL `to_tsquery('simple', …)`: `bien:* & che:*`. Words hold only letters and
    /// digits, so nothing in them is tsquery syntax.
    public var tsQuery: String {
        words.map { "\($0):*" }.joined(separator: " & ")
    }

    /// The text to index for a document: folded, with punctuation turned into spaces so that
    /// numbers and notations split into the same words as a query does.
    public static func indexText(_ parts: [String]) -> String {
        let folded = SearchFolding.fold(parts.joined(separator: " "))
        return String(folded.map { $0.isLetter || $0.isNumber ? $0 : " " })
            .split(separator: " ").joined(separator: " ")
    }
}
