import Foundation

/// Accent- and case-insensitive matching, so "nghi dinh" finds "Nghị định": users often
/// type without diacritics, and text arrives in both NFC and NFD.
public enum SearchFolding {
    /// Lowercases, drops combining marks, maps đ/Đ to d (it is a separate letter, not a
    /// d with a mark, so decomposition keeps it), collapses whitespace runs and trims.
    public static func fold(_ text: String) -> String {
        let decomposed = text.lowercased().decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            default:
                break
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            switch scalar {
            case "\u{0111}", "\u{0110}": scalars.append("d")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// True when the folded query occurs in the folded haystack; an empty query matches everything.
    public static func matches(_ haystack: String, query: String) -> Bool {
        let needle = fold(query)
        if needle.isEmpty { return true }
        return fold(haystack).utf8.firstRange(of: needle.utf8) != nil
    }
}
