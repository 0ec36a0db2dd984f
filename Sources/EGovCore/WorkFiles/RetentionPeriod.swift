import Foundation

/// Thời hạn bảo quản of a work file: a number of years (1–70) or permanent (vĩnh viễn).
public enum RetentionPeriod: Hashable, Comparable, Sendable {
    case years(Int)
    case permanent

    public static let yearRange = 1...70
    public static let permanentValue = "permanent"

    /// As stored and sent over the API: `"10"` or `"permanent"`; anything else is nil.
    public init?(storedValue: String) {
        if storedValue == Self.permanentValue { self = .permanent; return }
        guard !storedValue.isEmpty, storedValue.allSatisfy({ $0.isASCII && $0.isNumber }),
              let years = Int(storedValue), Self.yearRange.contains(years) else { return nil }
        self = .years(years)
    }

    /// As people type it: `10`, `10 năm`, `permanent`, `Vĩnh viễn` or `vinh vien`.
    public init?(parsing text: String) {
        var folded = SearchFolding.fold(text)
        if folded == "vinh vien" || folded == Self.permanentValue { self = .permanent; return }
        for suffix in [" nam", "nam"] where folded.hasSuffix(suffix) {
            folded = String(folded.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        self.init(storedValue: folded)
    }

    public var storedValue: String {
        switch self {
        case .years(let years): String(years)
        case .permanent: Self.permanentValue
        }
    }

    public var isPermanent: Bool { self == .permanent }

    /// Shorter periods first; permanent last.
    public static func < (lhs: RetentionPeriod, rhs: RetentionPeriod) -> Bool {
        switch (lhs, rhs) {
        case let (.years(a), .years(b)): a < b
        case (.years, .permanent): true
        default: false
        }
    }
}
