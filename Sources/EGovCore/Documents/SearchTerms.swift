/// The words of a search box, ready for full-text search on either database: folded
/// (no diacritics, lower case, đ → d) and split on anything that is not a letter or digit, so
/// "Biên chế", "bien che" and "BIÊN CHẾ" are the same search, and "125/QĐ-BNV" is the three
/// words "125", "qd", "bnv" — the same way the indexed text is split.
public struct SearchTerms: Equatable, Sendable {
    public let words: [String]
    /// A number and notation ("125/QĐ-BNV"): its words must follow each other, in order.
    public let isNotation: Bool
    public static let maximumWords = 8
    /// The last word is matched as a prefix (the person may still be typing it) from this length;
    /// shorter prefixes match too much of the index to be useful.
    public static let minimumPrefixLength = 3

    public init(_ query: String) {
        var words: [String] = []
        let parts = SearchFolding.fold(query).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        isNotation = query.contains("/") && query.contains(where: \.isNumber) && parts.count > 1
        for word in parts where isNotation || !words.contains(word) {
            words.append(word)
        }
        self.words = Array(words.prefix(Self.maximumWords))
    }

    public var isEmpty: Bool { words.isEmpty }

    private var lastIsPrefix: Bool { (words.last?.count ?? 0) >= Self.minimumPrefixLength }

    /// SQLite FTS5: all words required, the last as a prefix: `"bien" "che"*`; a notation as
    /// one phrase: `"125 qd bnv"`.
    public var fts5Query: String {
        let star = lastIsPrefix ? "*" : ""
        if isNotation { return "\"\(words.joined(separator: " "))\"\(star)" }
        return words.enumerated().map { index, word in "\"\(word)\"\(index == words.count - 1 ? star : "")" }.joined(separator: " ")
    }

    /// PostgreSQL `to_tsquery('simple', …)`: `bien & che:*`, a notation `125 <-> qd <-> bnv`.
    /// Words hold only letters and digits, so nothing in them is tsquery syntax.
    public var tsQuery: String {
        let terms = words.enumerated().map { index, word in index == words.count - 1 && lastIsPrefix ? "\(word):*" : word }
        return terms.joined(separator: isNotation ? " <-> " : " & ")
    }

    /// The text to index for a document: folded, with punctuation turned into spaces so that
    /// numbers and notations split into the same words as a query does.
    public static func indexText(_ parts: [String]) -> String {
        let folded = SearchFolding.fold(parts.joined(separator: " "))
        return String(folded.map { $0.isLetter || $0.isNumber ? $0 : " " })
            .split(separator: " ").joined(separator: " ")
    }
}
