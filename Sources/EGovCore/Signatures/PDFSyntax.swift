/// A PDF object as read from a file. Names and strings keep the bytes they were written
/// with, so an object that is read and written again says exactly what it said before.
public indirect enum PDFObject: Equatable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int)
    /// A real number as written (`0.5`, `-.25`): never re-rounded.
    case real(String)
    /// Without the slash, as written (may hold `#xx` escapes).
    case name(String)
    /// The whole token with its delimiters: `(…)` or `<…>`.
    case string([UInt8])
    case array([PDFObject])
    case dictionary(PDFDictionary)
    case reference(PDFReference)

    public var dictionary: PDFDictionary? { if case .dictionary(let value) = self { value } else { nil } }
    public var array: [PDFObject]? { if case .array(let value) = self { value } else { nil } }
    public var integer: Int? { if case .integer(let value) = self { value } else { nil } }
    public var name: String? { if case .name(let value) = self { value } else { nil } }
    public var reference: PDFReference? { if case .reference(let value) = self { value } else { nil } }
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let text): Double(text)
        default: nil
        }
    }

    /// A text string (PDF 7.9.2.2) in UTF-16BE with a byte-order mark, so Vietnamese survives.
    public static func text(_ value: String) -> PDFObject {
        var token: [UInt8] = Array("<FEFF".utf8)
        for unit in value.utf16 { token += PDFBytes.hex(UInt8(unit >> 8)) + PDFBytes.hex(UInt8(unit & 0xFF)) }
        token.append(UInt8(ascii: ">"))
        return .string(token)
    }

    /// An ASCII literal string, escaped.
    public static func literal(_ value: String) -> PDFObject {
        var token: [UInt8] = [UInt8(ascii: "(")]
        for byte in value.utf8 {
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "\\") { token.append(UInt8(ascii: "\\")) }
            token.append(byte)
        }
        token.append(UInt8(ascii: ")"))
        return .string(token)
    }

    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .boolean(let value): out += Array((value ? "true" : "false").utf8)
        case .integer(let value): out += Array(String(value).utf8)
        case .real(let text): out += Array(text.utf8)
        case .name(let name): out.append(UInt8(ascii: "/")); out += Array(name.utf8)
        case .string(let token): out += token
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: " ")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary): dictionary.write(into: &out)
        case .reference(let ref): out += Array("\(ref.number) \(ref.generation) R".utf8)
        }
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }
}

public struct PDFReference: Hashable, Sendable, Comparable {
    public var number: Int
    public var generation: Int
    public init(_ number: Int, _ generation: Int = 0) {
        self.number = number
        self.generation = generation
    }
    public static func < (lhs: PDFReference, rhs: PDFReference) -> Bool { lhs.number < rhs.number }
}

/// A dictionary that keeps its keys in file order.
public struct PDFDictionary: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: PDFObject
    }
    public var entries: [Entry]

    public init(_ pairs: [(String, PDFObject)] = []) {
        entries = pairs.map { Entry(key: $0.0, value: $0.1) }
    }

    public subscript(key: String) -> PDFObject? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    public func write(into out: inout [UInt8]) {
        out += Array("<<".utf8)
        for entry in entries {
            out += Array("/\(entry.key) ".utf8)
            entry.value.write(into: &out)
            out.append(UInt8(ascii: " "))
        }
        out += Array(">>".utf8)
    }
}

enum PDFBytes {
    static let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
    static func hex(_ byte: UInt8) -> [UInt8] { [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0 || byte == 9 || byte == 10 || byte == 12 || byte == 13 || byte == 32
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    /// The last occurrence of `needle` that starts before `end`.
    static func lastIndex(of needle: [UInt8], in bytes: [UInt8], before end: Int) -> Int? {
        guard needle.count <= end else { return nil }
        var index = min(end, bytes.count) - needle.count
        while index >= 0 {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle { return index }
            index -= 1
        }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
        let limit = min(end ?? bytes.count, bytes.count) - needle.count
        guard start <= limit else { return nil }
        for index in start...limit where bytes[index] == needle[0] {
            if bytes[index..<index + needle.count].elementsEqual(needle) { return index }
        }
        return nil
    }
}

/// Reads PDF objects from bytes (ISO 32000-1 §7.2–7.3).
struct PDFParser {
    let bytes: [UInt8]
    var position: Int
    /// Arrays and dictionaries nested deeper than this are refused rather than risk the stack.
    static let maximumDepth = 64

    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if PDFBytes.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 10, bytes[position] != 13 { position += 1 }
            } else {
                return
            }
        }
    }

    /// A bare keyword or number (`obj`, `R`, `123`, `-0.5`).
    mutating func regularToken() -> String? {
        skipWhitespace()
        let start = position
        while position < bytes.count, !PDFBytes.isWhitespace(bytes[position]), !PDFBytes.isDelimiter(bytes[position]) { position += 1 }
        guard position > start else { return nil }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func expectKeyword(_ keyword: String) throws {
        guard regularToken() == keyword else { throw PDFStampingError.malformed("expected \(keyword) at \(position)") }
    }

    mutating func parseObject(depth: Int = 0) throws -> PDFObject {
        guard depth < Self.maximumDepth else { throw PDFStampingError.malformed("objects nested too deep") }
        skipWhitespace()
        guard position < bytes.count else { throw PDFStampingError.malformed("unexpected end of file") }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            position += 1
            let start = position
            while position < bytes.count, !PDFBytes.isWhitespace(bytes[position]), !PDFBytes.isDelimiter(bytes[position]) { position += 1 }
            return .name(String(decoding: bytes[start..<position], as: UTF8.self))
        case UInt8(ascii: "("):
            return .string(try literalString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                return .dictionary(try parseDictionary(depth: depth))
            }
            let start = position
            guard let end = PDFBytes.firstIndex(of: [UInt8(ascii: ">")], in: bytes, from: position) else {
                throw PDFStampingError.malformed("unterminated hex string")
            }
            position = end + 1
            return .string(Array(bytes[start..<position]))
        case UInt8(ascii: "["):
            position += 1
            var items: [PDFObject] = []
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw PDFStampingError.malformed("unterminated array") }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                items.append(try parseObject(depth: depth + 1))
            }
        default:
            guard let token = regularToken() else { throw PDFStampingError.malformed("unexpected byte \(byte) at \(position)") }
            switch token {
            case "null": return .null
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: break
            }
            if let value = Int(token) {
                // `n g R` is a reference: look ahead without consuming anything else.
                let saved = position
                if value >= 0, let generationToken = regularToken(), let generation = Int(generationToken), generation >= 0,
                   regularToken() == "R" {
                    return .reference(PDFReference(value, generation))
                }
                position = saved
                return .integer(value)
            }
            if Double(token) != nil || token.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }) {
                return .real(token)
            }
            throw PDFStampingError.malformed("unexpected token \(token.prefix(20)) at \(position)")
        }
    }

    mutating func parseDictionary(depth: Int) throws -> PDFDictionary {
        position += 2
        var dictionary = PDFDictionary()
        while true {
            skipWhitespace()
            guard position + 1 < bytes.count else { throw PDFStampingError.malformed("unterminated dictionary") }
            if bytes[position] == UInt8(ascii: ">"), bytes[position + 1] == UInt8(ascii: ">") {
                position += 2
                return dictionary
            }
            guard case .name(let key) = try parseObject(depth: depth + 1) else {
                throw PDFStampingError.malformed("dictionary key is not a name at \(position)")
            }
            dictionary.entries.append(.init(key: key, value: try parseObject(depth: depth + 1)))
        }
    }

    mutating func literalString() throws -> [UInt8] {
        let start = position
        var level = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            if byte == UInt8(ascii: "(") { level += 1 }
            if byte == UInt8(ascii: ")") {
                level -= 1
                if level == 0 {
                    position += 1
                    return Array(bytes[start..<position])
                }
            }
            position += 1
        }
        throw PDFStampingError.malformed("unterminated string")
    }
}
