/// Why a PDF cannot be stamped. The server shows the person a Vietnamese sentence for each.
public enum PDFStampingError: Error, Equatable, Sendable {
    /// No `%PDF-` header, or no `startxref` at the end.
    case notAPDF
    /// The file is password-protected (an `/Encrypt` dictionary).
    case encrypted
    /// A cross-reference or object could not be read; the detail is for the log.
    case malformed(String)
    /// A filter other than FlateDecode on a stream we must read (cross-reference or object stream).
    case unsupportedFilter(String)
    case noPages
    /// The placeholder left for the signature is too small for the CMS built.
    case signatureTooLarge
}

/// A PDF as its cross-reference sections describe it (ISO 32000-1 §7.5): every revision's
/// table or stream, newest first, so an object is read where its newest revision put it.
public struct PDFFile: Sendable {
    public enum CrossReferenceKind: Sendable, Equatable {
        /// Classic `xref` tables (PDF 1.0–1.4 and most writers today).
        case table
        /// Cross-reference streams (PDF 1.5+: Word, pdfTeX, qpdf, Ghostscript).
        case stream
    }

    enum Location: Sendable, Equatable {
        case offset(Int, generation: Int)
        case compressed(stream: Int, index: Int)
        case free
    }

    public let bytes: [UInt8]
    /// The kind of the newest section: an update must append the same kind.
    public let kind: CrossReferenceKind
    /// Byte offset of the newest section: the `/Prev` of the next revision.
    public let startXref: Int
    /// The newest trailer (for a cross-reference stream, its dictionary).
    public let trailer: PDFDictionary
    let locations: [Int: Location]

    /// One greater than the highest object number in use.
    public var size: Int { max(trailer["Size"]?.integer ?? 0, (locations.keys.max() ?? 0) + 1) }

    public init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard PDFBytes.firstIndex(of: Array("%PDF-".utf8), in: bytes, from: 0, before: min(bytes.count, 1024)) != nil,
              let marker = PDFBytes.lastIndex(of: Array("startxref".utf8), in: bytes, before: bytes.count),
              marker >= bytes.count - 4096 || bytes.count < 4096
        else { throw PDFStampingError.notAPDF }
        var parser = PDFParser(bytes, at: marker + 9)
        guard let text = parser.regularToken(), let start = Int(text), start > 0, start < bytes.count else { throw PDFStampingError.notAPDF }
        startXref = start

        var locations: [Int: Location] = [:]
        var newestTrailer: PDFDictionary?
        var newestKind: CrossReferenceKind?
        var pending: [Int] = [start]
        var visited: Set<Int> = []
        // A section's entries only fill numbers that newer sections left unset.
        func record(_ number: Int, _ location: Location) {
            if locations[number] == nil { locations[number] = location }
        }
        while let offset = pending.first {
            pending.removeFirst()
            guard offset >= 0, offset < bytes.count, visited.insert(offset).inserted, visited.count <= 10_000 else {
                if visited.contains(offset) { continue }
                throw PDFStampingError.malformed("cross-reference offset \(offset) outside the file")
            }
            var reader = PDFParser(bytes, at: offset)
            reader.skipWhitespace()
            let trailer: PDFDictionary
            let kind: CrossReferenceKind
            if bytes[reader.position...].starts(with: Array("xref".utf8)) {
                reader.position += 4
                trailer = try Self.readTable(&reader, record: record)
                kind = .table
                // A hybrid file hides newer objects in a stream named by the table's trailer.
                if let hidden = trailer["XRefStm"]?.integer {
                    let (_, entries) = try Self.readCrossReferenceStream(bytes, at: hidden, locations: locations)
                    for (number, location) in entries { record(number, location) }
                }
            } else {
                let (dictionary, entries) = try Self.readCrossReferenceStream(bytes, at: offset, locations: locations)
                for (number, location) in entries { record(number, location) }
                trailer = dictionary
                kind = .stream
            }
            if newestTrailer == nil {
                newestTrailer = trailer
                newestKind = kind
            }
            if let previous = trailer["Prev"]?.integer { pending.append(previous) }
        }
        guard let newestTrailer, let newestKind else { throw PDFStampingError.notAPDF }
        guard newestTrailer["Encrypt"] == nil else { throw PDFStampingError.encrypted }
        trailer = newestTrailer
        kind = newestKind
        self.locations = locations
    }

    private static func readTable(_ reader: inout PDFParser, record: (Int, Location) -> Void) throws -> PDFDictionary {
        while true {
            guard let token = reader.regularToken() else { throw PDFStampingError.malformed("bad cross-reference table") }
            if token == "trailer" {
                guard case .dictionary(let trailer) = try reader.parseObject() else { throw PDFStampingError.malformed("trailer is not a dictionary") }
                return trailer
            }
            guard let first = Int(token), first >= 0, let countText = reader.regularToken(), let count = Int(countText),
                  count >= 0, count <= 10_000_000 else { throw PDFStampingError.malformed("bad cross-reference subsection") }
            for index in 0..<count {
                guard let offsetText = reader.regularToken(), let offset = Int(offsetText),
                      let generationText = reader.regularToken(), let generation = Int(generationText),
                      let type = reader.regularToken() else { throw PDFStampingError.malformed("bad cross-reference entry") }
                switch type {
                case "n": record(first + index, offset == 0 ? .free : .offset(offset, generation: generation))
                case "f": record(first + index, .free)
                default: throw PDFStampingError.malformed("bad cross-reference entry type")
                }
            }
        }
    }

    private static func readCrossReferenceStream(_ bytes: [UInt8], at offset: Int, locations: [Int: Location]) throws -> (PDFDictionary, [(Int, Location)]) {
        let (_, object, data) = try readIndirectObject(bytes, at: offset, locations: locations)
        guard let dictionary = object.dictionary, dictionary["Type"]?.name == "XRef", let data else {
            throw PDFStampingError.malformed("no cross-reference at \(offset)")
        }
        let decoded = try PDFStreamFilters.decode(data, dictionary: dictionary)
        guard let widths = dictionary["W"]?.array?.compactMap(\.integer), widths.count == 3, widths.allSatisfy({ (0...8).contains($0) }),
              let size = dictionary["Size"]?.integer else { throw PDFStampingError.malformed("bad /W in cross-reference stream") }
        let index = dictionary["Index"]?.array?.compactMap(\.integer) ?? [0, size]
        guard index.count % 2 == 0 else { throw PDFStampingError.malformed("bad /Index in cross-reference stream") }
        let rowLength = widths.reduce(0, +)
        guard rowLength > 0 else { throw PDFStampingError.malformed("empty /W in cross-reference stream") }
        var entries: [(Int, Location)] = []
        var cursor = 0
        func field(_ width: Int, default value: Int) -> Int {
            guard width > 0 else { return value }
            var result = 0
            for _ in 0..<width { result = result << 8 | Int(decoded[cursor]); cursor += 1 }
            return result
        }
        for pair in stride(from: 0, to: index.count, by: 2) {
            for number in index[pair]..<(index[pair] + max(0, index[pair + 1])) {
                guard cursor + rowLength <= decoded.count else { throw PDFStampingError.malformed("cross-reference stream too short") }
                let type = field(widths[0], default: 1)
                let second = field(widths[1], default: 0)
                let third = field(widths[2], default: 0)
                switch type {
                case 1: entries.append((number, .offset(second, generation: third)))
                case 2: entries.append((number, .compressed(stream: second, index: third)))
                default: entries.append((number, .free))
                }
            }
        }
        return (dictionary, entries)
    }

    /// Reads `n g obj … endobj` at `offset`, with a stream's raw (still encoded) data.
    static func readIndirectObject(_ bytes: [UInt8], at offset: Int, locations: [Int: Location]) throws -> (PDFReference, PDFObject, [UInt8]?) {
        guard offset >= 0, offset < bytes.count else { throw PDFStampingError.malformed("object offset \(offset) outside the file") }
        var parser = PDFParser(bytes, at: offset)
        guard let numberText = parser.regularToken(), let number = Int(numberText),
              let generationText = parser.regularToken(), let generation = Int(generationText) else {
            throw PDFStampingError.malformed("no object at \(offset)")
        }
        try parser.expectKeyword("obj")
        let object = try parser.parseObject()
        let saved = parser.position
        guard case .dictionary(let dictionary) = object, parser.regularToken() == "stream" else {
            parser.position = saved
            return (PDFReference(number, generation), object, nil)
        }
        // The data starts after the end-of-line that follows `stream`.
        if parser.position < bytes.count, bytes[parser.position] == 13 { parser.position += 1 }
        if parser.position < bytes.count, bytes[parser.position] == 10 { parser.position += 1 }
        let start = parser.position
        var length: Int?
        switch dictionary["Length"] {
        case .integer(let value): length = value
        case .reference(let ref):
            if case .offset(let at, _) = locations[ref.number], let (_, value, _) = try? readIndirectObject(bytes, at: at, locations: [:]) {
                length = value.integer
            }
        default: break
        }
        if let length, length >= 0, start + length <= bytes.count {
            var check = PDFParser(bytes, at: start + length)
            if check.regularToken() == "endstream" { return (PDFReference(number, generation), object, Array(bytes[start..<start + length])) }
        }
        // A wrong /Length is common: fall back to the keyword.
        guard let end = PDFBytes.firstIndex(of: Array("endstream".utf8), in: bytes, from: start) else {
            throw PDFStampingError.malformed("unterminated stream in object \(number)")
        }
        var stop = end
        if stop > start, bytes[stop - 1] == 10 { stop -= 1 }
        if stop > start, bytes[stop - 1] == 13 { stop -= 1 }
        return (PDFReference(number, generation), object, Array(bytes[start..<stop]))
    }

    /// The object a reference names (`null` for a free or missing one, as §7.3.10 says).
    public func object(_ ref: PDFReference) throws -> PDFObject {
        try object(ref, depth: 0)
    }

    private func object(_ ref: PDFReference, depth: Int) throws -> PDFObject {
        switch locations[ref.number] {
        case .offset(let offset, _):
            let (found, object, _) = try Self.readIndirectObject(bytes, at: offset, locations: locations)
            guard found.number == ref.number else { throw PDFStampingError.malformed("object \(ref.number) is not at its offset") }
            return object
        case .compressed(let streamNumber, let index):
            guard depth == 0, case .offset(let offset, _) = locations[streamNumber] else {
                throw PDFStampingError.malformed("object stream \(streamNumber) missing")
            }
            let (_, container, data) = try Self.readIndirectObject(bytes, at: offset, locations: locations)
            guard let dictionary = container.dictionary, let data, let count = dictionary["N"]?.integer,
                  let first = dictionary["First"]?.integer, index < count else {
                throw PDFStampingError.malformed("bad object stream \(streamNumber)")
            }
            let decoded = try PDFStreamFilters.decode(data, dictionary: dictionary)
            var header = PDFParser(decoded)
            var objectOffset: Int?
            for position in 0..<count {
                guard let numberText = header.regularToken(), let number = Int(numberText),
                      let offsetText = header.regularToken(), let at = Int(offsetText) else {
                    throw PDFStampingError.malformed("bad object stream header \(streamNumber)")
                }
                if position == index, number == ref.number { objectOffset = at }
            }
            guard let objectOffset, first + objectOffset < decoded.count else {
                throw PDFStampingError.malformed("object \(ref.number) not in object stream \(streamNumber)")
            }
            var parser = PDFParser(decoded, at: first + objectOffset)
            return try parser.parseObject()
        case .free, nil:
            return .null
        }
    }

    /// Follows references until a direct object.
    public func resolve(_ value: PDFObject?) throws -> PDFObject {
        var current = value ?? .null
        var hops = 0
        while case .reference(let ref) = current {
            hops += 1
            guard hops < 32 else { throw PDFStampingError.malformed("reference loop") }
            current = try object(ref)
        }
        return current
    }

    public var catalogReference: PDFReference? { trailer["Root"]?.reference }

    /// Every page, in order, walking the page tree (§7.7.3) and refusing loops.
    public func pageReferences() throws -> [PDFReference] {
        guard let root = catalogReference, let catalog = try object(root).dictionary,
              let pagesRef = catalog["Pages"]?.reference else { throw PDFStampingError.noPages }
        var pages: [PDFReference] = []
        var seen: Set<PDFReference> = []
        func walk(_ ref: PDFReference, depth: Int) throws {
            guard depth < 64, seen.insert(ref).inserted else { throw PDFStampingError.malformed("page tree loop") }
            guard let node = try object(ref).dictionary else { return }
            if let kids = try resolve(node["Kids"]).array, node["Type"]?.name != "Page" {
                for kid in kids { if let kidRef = kid.reference { try walk(kidRef, depth: depth + 1) } }
            } else {
                pages.append(ref)
            }
        }
        try walk(pagesRef, depth: 0)
        guard !pages.isEmpty else { throw PDFStampingError.noPages }
        return pages
    }

    /// A page attribute that may be inherited from its ancestors (MediaBox, CropBox, Rotate).
    public func inherited(_ key: String, of page: PDFReference) throws -> PDFObject? {
        var current: PDFReference? = page
        var depth = 0
        while let ref = current, depth < 64 {
            guard let node = try object(ref).dictionary else { return nil }
            if let value = node[key] { return try resolve(value) }
            current = node["Parent"]?.reference
            depth += 1
        }
        return nil
    }
}
