import Foundation

public enum DossierCodeError: Error, Equatable, Sendable {
    /// Not `<agency code>-<yymmdd>-<4 digits>`.
    case wrongShape(String)
    /// The daily sequence has four digits: the 10,000th dossier of a day has no code.
    case sequenceOutOfRange(Int)
}

/// Mã hồ sơ: `<agency code>-<yymmdd>-<4-digit daily sequence>`, e.g.
/// `000.00.14.H20-200703-0002`: the receiving agency, the day of submission (Vietnam time)
/// and the dossier's place in that agency's day, from 0001.
public struct DossierCode: Hashable, Codable, Sendable, CustomStringConvertible {
    public static let maximumSequence = 9999

    public let agency: AgencyCode
    public let day: LocalDate
    public let sequence: Int

    public init(agency: AgencyCode, day: LocalDate, sequence: Int) throws {
        guard (1...Self.maximumSequence).contains(sequence) else { throw DossierCodeError.sequenceOutOfRange(sequence) }
        self.agency = agency
        self.day = day
        self.sequence = sequence
    }

    /// Reads a code as a person types it (surrounding spaces and a lower-case letter allowed).
    public init(parsing raw: String) throws {
        let parts = raw.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count == 6, parts[2].count == 4,
              parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
              parts[2].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isNumber),
              let agency = try? AgencyCode(String(parts[0])),
              let yy = Int(parts[1].prefix(2)), let mm = Int(parts[1].dropFirst(2).prefix(2)), let dd = Int(parts[1].suffix(2)),
              let day = LocalDate(year: 2000 + yy, month: mm, day: dd),
              let sequence = Int(parts[2]), sequence >= 1
        else { throw DossierCodeError.wrongShape(raw) }
        try self.init(agency: agency, day: day, sequence: sequence)
    }

    public var rawValue: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let seq = String(sequence)
        return "\(agency.rawValue)-\(two(day.year % 100))\(two(day.month))\(two(day.day))-\(String(repeating: "0", count: 4 - seq.count))\(seq)"
    }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
