import Foundation

public enum AgencyCodeError: Error, Equatable, Sendable {
    /// Not `DDD.DD.DD.LDD`.
    case wrongShape(String)
    /// Every digit is zero (`000.00.00.X00`): no unit is identified.
    case allZero(String)
}

/// An agency identifier code (mã định danh, Decision 20/2020/QĐ-TTg):
/// `V1V2V3.Z1Z2.Y1Y2.XNN`, read right to left. `XNN` names the level-1 unit,
/// `Y1Y2` level 2, `Z1Z2` level 3, `V1V2V3` level 4.
/// Names live in a directory; only the shape is checked here.
public struct AgencyCode: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Trims surrounding whitespace and uppercases the letter, since codes are often typed by hand.
    public init(_ raw: String) throws {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes = Array(trimmed.utf8)
        guard bytes.count == 13,
              bytes[3] == UInt8(ascii: "."), bytes[6] == UInt8(ascii: "."), bytes[9] == UInt8(ascii: ".") else {
            throw AgencyCodeError.wrongShape(raw)
        }
        let digitPositions = [0, 1, 2, 4, 5, 7, 8, 11, 12]
        for position in digitPositions where !AgencyCode.isDigit(bytes[position]) {
            throw AgencyCodeError.wrongShape(raw)
        }
        if bytes[10] >= UInt8(ascii: "a") && bytes[10] <= UInt8(ascii: "z") {
            bytes[10] -= 0x20
        }
        guard bytes[10] >= UInt8(ascii: "A") && bytes[10] <= UInt8(ascii: "Z") else {
            throw AgencyCodeError.wrongShape(raw)
        }
        if digitPositions.allSatisfy({ bytes[$0] == UInt8(ascii: "0") }) {
            throw AgencyCodeError.allZero(raw)
        }
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    public static func isValid(_ raw: String) -> Bool {
        (try? AgencyCode(raw)) != nil
    }

    /// `V1V2V3`
    public var levelFourPart: String { String(rawValue.prefix(3)) }
    /// `Z1Z2`
    public var levelThreePart: String { part(4, 2) }
    /// `Y1Y2`
    public var levelTwoPart: String { part(7, 2) }
    /// `XNN`
    public var levelOnePart: String { part(10, 3) }

    /// The depth of the unit: the highest-numbered non-zero group.
    public var level: Int {
        if levelFourPart != "000" { return 4 }
        if levelThreePart != "00" { return 3 }
        if levelTwoPart != "00" { return 2 }
        return 1
    }

    /// The code with its lowest (deepest) non-zero level zeroed; nil for a level-1 unit.
    public var parent: AgencyCode? {
        let v = levelFourPart, z = levelThreePart, y = levelTwoPart, x = levelOnePart
        let raw: String
        switch level {
        case 4: raw = "000.\(z).\(y).\(x)"
        case 3: raw = "\(v).00.\(y).\(x)"
        case 2: raw = "\(v).\(z).00.\(x)"
        default: return nil
        }
        return try? AgencyCode(raw)
    }

    /// All ancestors, nearest first.
    public var ancestors: [AgencyCode] {
        var result: [AgencyCode] = []
        var current = parent
        while let code = current {
            result.append(code)
            current = code.parent
        }
        return result
    }

    public var description: String { rawValue }

    public static func < (lhs: AgencyCode, rhs: AgencyCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Invalid agency code: \(text)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private func part(_ start: Int, _ length: Int) -> String {
        let utf8 = Array(rawValue.utf8)
        return String(decoding: utf8[start..<(start + length)], as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
