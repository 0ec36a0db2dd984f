import Foundation

public enum WorkFileCodeError: Error, Equatable, Sendable {
    /// Not `number.FIELD`.
    case wrongShape(String)
    /// The number is 0 or above 999.
    case numberOutOfRange(String)
}

/// Số và ký hiệu hồ sơ in the yearly file list: a running number, a dot, and the code of the
/// unit or field that keeps the file, e.g. `01.TCCB`, `12.VP`, `03.KH-TC`. Numbers below 10
/// get a leading 0, as in document numbers, so `3.kh` and `03.KH` are the same file.
public struct WorkFileCode: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let number: Int
    /// Ký hiệu đơn vị/lĩnh vực, upper-cased.
    public let field: String

    public static let maxFieldLength = 20

    public init(_ raw: String) throws {
        let text = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw WorkFileCodeError.wrongShape(raw) }
        let digits = parts[0]
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            throw WorkFileCodeError.wrongShape(raw)
        }
        guard (1...999).contains(number) else { throw WorkFileCodeError.numberOutOfRange(raw) }
        let field = parts[1].uppercased()
        // Starts with a letter so `01.02` is not read as a code; hyphens only between letters or digits.
        guard (1...Self.maxFieldLength).contains(field.count), let first = field.first, first.isLetter, field.last != "-",
              !field.contains("--"),
              field.allSatisfy({ $0.isLetter || ($0.isASCII && $0.isNumber) || $0 == "-" })
        else { throw WorkFileCodeError.wrongShape(raw) }
        self.number = number
        self.field = field
    }

    public static func isValid(_ raw: String) -> Bool { (try? WorkFileCode(raw)) != nil }

    /// `01.TCCB`
    public var rawValue: String { (number < 10 ? "0\(number)" : String(number)) + "." + field }
    public var description: String { rawValue }

    /// By number first, so `9.VP` comes before `10.VP` and `100.VP`.
    public static func < (lhs: WorkFileCode, rhs: WorkFileCode) -> Bool {
        (lhs.number, lhs.field) < (rhs.number, rhs.field)
    }

    public init(from decoder: Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
