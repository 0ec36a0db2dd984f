import Foundation

public enum DocumentNumberError: Error, Equatable, Sendable {
    case empty
    case missingNumber
    case badNumber(String)
    case missingNotation
    case badYear(String)
    case badNotation(String)
}

/// The number and notation of an official document (Decree 30/2020, Annex I):
/// `123/QĐ-UBND` (number / type-issuer), a công văn `05/UBND-VP` (issuer-drafting unit),
/// and legal normative documents with the year: `15/2020/NĐ-CP`.
public struct DocumentNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let number: Int
    public let year: Int?
    /// NFC, segments joined by "-" with no spaces; letter case kept (`QĐ-TTg`).
    public let notation: String

    public static let yearRange = 1900...2199

    public init(number: Int, year: Int? = nil, notation: String) throws {
        guard number >= 1 else { throw DocumentNumberError.badNumber(String(number)) }
        if let year, !DocumentNumber.yearRange.contains(year) {
            throw DocumentNumberError.badYear(String(year))
        }
        self.number = number
        self.year = year
        self.notation = try DocumentNumber.normaliseNotation(notation)
    }

    /// Accepts an optional "Số:" / "Số" prefix (any case) and spaces around the parts.
    public static func parse(_ text: String) throws -> DocumentNumber {
        var rest = Substring(text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines))
        if let prefixEnd = soPrefixEnd(rest) {
            rest = rest[prefixEnd...]
            if rest.first == ":" { rest = rest.dropFirst() }
        }
        let body = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw DocumentNumberError.empty }

        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let numberText: String, yearText: String?, notationText: String
        switch parts.count {
        case 1:
            // A bare "123" lacks its notation; a bare "QĐ-UBND" lacks its number.
            if parts[0].allSatisfy(\.isASCIIDigit) { throw DocumentNumberError.missingNotation }
            throw DocumentNumberError.missingNumber
        case 2:
            (numberText, yearText, notationText) = (parts[0], nil, parts[1])
        case 3:
            (numberText, yearText, notationText) = (parts[0], parts[1], parts[2])
        default:
            throw DocumentNumberError.badNotation(parts[2...].joined(separator: "/"))
        }

        guard !numberText.isEmpty else { throw DocumentNumberError.missingNumber }
        guard numberText.count <= 9, numberText.allSatisfy(\.isASCIIDigit), let number = Int(numberText), number >= 1 else {
            throw DocumentNumberError.badNumber(numberText)
        }
        var year: Int?
        if let yearText {
            guard yearText.count == 4, yearText.allSatisfy(\.isASCIIDigit), let value = Int(yearText),
                  yearRange.contains(value) else {
                throw DocumentNumberError.badYear(yearText)
            }
            year = value
        }
        guard !notationText.isEmpty else { throw DocumentNumberError.missingNotation }
        return try DocumentNumber(number: number, year: year, notation: notationText)
    }

    /// Numbers below 10 get a leading zero (Decree 30/2020, Annex I).
    public var formatted: String {
        let numberText = number < 10 ? "0\(number)" : String(number)
        if let year { return "\(numberText)/\(year)/\(notation)" }
        return "\(numberText)/\(notation)"
    }

    public var description: String { formatted }

    public var segments: [String] {
        notation.split(separator: "-").map(String.init)
    }

    /// The type named by the first notation segment; nil for a công văn (`UBND-VP`), whose
    /// first segment is the issuer.
    public var type: DocumentType? {
        segments.first.flatMap(DocumentType.byAbbreviation)
    }

    /// The issuing body: the segment after the type abbreviation (`UBND` in `QĐ-UBND`),
    /// or the first segment when there is no type (`UBND` in `UBND-VP`, `QH14` in `45/2019/QH14`).
    public var issuer: String {
        let parts = segments
        if type != nil { return parts.count > 1 ? parts[1] : "" }
        return parts.first ?? ""
    }

    private enum CodingKeys: String, CodingKey { case number, year, notation }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let number = try container.decode(Int.self, forKey: .number)
        let year = try container.decodeIfPresent(Int.self, forKey: .year)
        let notation = try container.decode(String.self, forKey: .notation)
        do {
            try self.init(number: number, year: year, notation: notation)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "Invalid document number: \(error)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encodeIfPresent(year, forKey: .year)
        try container.encode(notation, forKey: .notation)
    }

    /// Segments of letters (Vietnamese included) and digits joined by "-".
    static func normaliseNotation(_ raw: String) throws -> String {
        let text = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw DocumentNumberError.missingNotation }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for part in parts {
            guard !part.isEmpty, part.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else {
                throw DocumentNumberError.badNotation(text)
            }
        }
        return parts.joined(separator: "-")
    }

    /// End index of a leading "Số" (any case), or nil.
    private static func soPrefixEnd(_ text: Substring) -> Substring.Index? {
        let scalars = Array(text.unicodeScalars.prefix(2))
        guard scalars.count == 2, scalars[0] == "S" || scalars[0] == "s",
              scalars[1] == "ố" || scalars[1] == "Ố" else { return nil }
        return text.unicodeScalars.index(text.startIndex, offsetBy: 2)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
