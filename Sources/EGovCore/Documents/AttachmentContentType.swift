import Foundation

/// The kinds of file accepted as attachments to official documents.
///
/// The type is decided from the bytes, never from the file name or the client's
/// Content-Type header: both are chosen by the uploader, so a renamed `.exe` or a
/// macro-carrying `.doc` must not pass as a "DOCX" just because it says so.
public enum AttachmentContentType: String, CaseIterable, Sendable, Codable {
    case pdf
    case docx
    case odt
    case xlsx
    case jpeg
    case png

    /// The MIME type to send back on download, so browsers and viewers open the file
    /// as what it really is rather than as what the uploader claimed.
    public var mimeType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    /// The extension (without the dot) a stored copy should carry.
    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .docx: "docx"
        case .odt: "odt"
        case .xlsx: "xlsx"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }

    /// The extensions a file of this type may already carry.
    var acceptedExtensions: Set<String> {
        self == .jpeg ? ["jpg", "jpeg"] : [fileExtension]
    }

    /// The type a stored file's name says (stored names end as their checked type).
    public static func named(_ name: String) -> AttachmentContentType? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        return allCases.first { $0.acceptedExtensions.contains(ext) }
    }

    /// A (sanitized) file name that ends as its checked content does: a PDF uploaded as
    /// "to-trinh.html" is stored as "to-trinh.pdf", so it never downloads as a web page.
    public func fileName(_ name: String) -> String {
        // Only a short run of ASCII letters and digits after the last dot is an extension ("v1.2 báo cáo" has none).
        if let dot = name.lastIndex(of: "."), dot > name.startIndex {
            let current = name[name.index(after: dot)...]
            if !current.isEmpty, current.count <= 8, current.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                return acceptedExtensions.contains(current.lowercased()) ? name : name[..<dot] + "." + fileExtension
            }
        }
        return name + "." + fileExtension
    }

    /// A short label for lists of accepted formats.
    public var displayName: String {
        switch self {
        case .pdf: "PDF"
        case .docx: "Word (DOCX)"
        case .odt: "OpenDocument Text (ODT)"
        case .xlsx: "Excel (XLSX)"
        case .jpeg: "JPEG image"
        case .png: "PNG image"
        }
    }

    // MARK: - Detection

    /// The attachment type the bytes really are, or nil to refuse the upload.
    ///
    /// Nil for anything outside the allowed list: empty data, text, HTML, executables,
    /// legacy OLE `.doc`/`.xls`, plain or damaged ZIPs, macro-enabled Office files
    /// (`.docm`/`.xlsm`, which carry a `vbaProject.bin`) and ZIPs that look like more
    /// than one allowed type at once. Never traps, whatever the input.
    public static func detect(_ data: some Collection<UInt8>) -> AttachmentContentType? {
        // Data and [UInt8] are contiguous: read them in place instead of copying an upload.
        if let result: AttachmentContentType? = data.withContiguousStorageIfAvailable({ detect(in: ByteReader($0)) }) {
            return result
        }
        return Array(data).withUnsafeBufferPointer { detect(in: ByteReader($0)) }
    }

    private static func detect(in bytes: ByteReader) -> AttachmentContentType? {
        if bytes.hasPrefix(Signature.pdf) { return .pdf }
        if bytes.hasPrefix(Signature.png) { return .png }
        if bytes.hasPrefix(Signature.jpeg) { return .jpeg }
        if bytes.hasPrefix(Signature.zipLocalFile) { return detectZip(in: bytes) }
        return nil
    }

    /// Office Open XML and ODF are both ZIP packages; what tells them apart is which
    /// parts the central directory lists (and, for ODF, the stored `mimetype` entry).
    private static func detectZip(in bytes: ByteReader) -> AttachmentContentType? {
        guard let names = ZipDirectory.entryNames(in: bytes) else { return nil }
        func has(_ name: String) -> Bool {
            let target = Array(name.utf8)
            return names.contains { bytes.equalsIgnoringASCIICase(range: $0, target) }
        }
        // A VBA project means macros: a .docm/.xlsm renamed to .docx is not a DOCX.
        let vba = Array("vbaproject.bin".utf8)
        let hasMacros = names.contains { bytes.hasSuffixIgnoringASCIICase(range: $0, vba) }
        let isOOXML = has("[Content_Types].xml") && !hasMacros

        var matches: [AttachmentContentType] = []
        // ODF requires `mimetype` as the first, stored entry precisely so it can be sniffed;
        // content.xml is where the text lives, so a package without it is no document.
        if ZipDirectory.hasStoredODFMimetype(Signature.odtMimetype, in: bytes),
           has("mimetype"), has("content.xml") {
            matches.append(.odt)
        }
        if isOOXML && has("word/document.xml") { matches.append(.docx) }
        if isOOXML && has("xl/workbook.xml") { matches.append(.xlsx) }
        // A polyglot package would open differently in different programs: refuse it.
        return matches.count == 1 ? matches[0] : nil
    }

    private enum Signature {
        static let pdf = Array("%PDF-".utf8)
        static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
        static let zipLocalFile: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        static let odtMimetype = Array("application/vnd.oasis.opendocument.text".utf8)
    }

    // MARK: - File names

    /// The uploader's file name made safe to store and to echo in a Content-Disposition
    /// header: base name only, no control, bidi or line-separator characters (they spoof
    /// extensions and split headers), no quotes, NFC, at most 200 characters with the
    /// extension kept. Vietnamese letters are kept as they are.
    public static func sanitizedFileName(_ name: String) -> String {
        let fallback = "tep-dinh-kem"
        let maxLength = 200

        // Work on scalars: a "/" followed by a combining mark is one Character that is not
        // equal to "/", and would otherwise slip through as a path separator.
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar {
            case "/", "\\":
                // Browsers on Windows have sent full paths ("C:\\...\\file"): keep what follows.
                scalars.removeAll()
            case "\"", "'":
                continue
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator:
                    continue
                default:
                    scalars.append(scalar)
                }
            }
        }

        // macOS sends NFD; NFC keeps storage, search and the length count consistent.
        let normalized = String(scalars).precomposedStringWithCanonicalMapping
        // A grapheme with dozens of stacked marks counts as one character; nothing real needs
        // more than a few, so drop such clusters to keep the length limit meaningful.
        var characters = normalized.filter { $0.unicodeScalars.count <= 8 }
        characters = characters.trimmingCharacters(in: .whitespacesAndNewlines)
        // "." and ".." are directory references, not names.
        guard !characters.isEmpty, !characters.allSatisfy({ $0 == "." }) else { return fallback }
        guard characters.count > maxLength else { return characters }

        let maxExtensionLength = 16 // including the dot; longer "extensions" are just text
        if let dot = characters.lastIndex(of: "."), dot > characters.startIndex,
           characters.distance(from: dot, to: characters.endIndex) <= maxExtensionLength {
            let fileExtension = characters[dot...]
            let stem = characters[..<dot].prefix(maxLength - fileExtension.count)
            let trimmedStem = String(stem).trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmedStem + fileExtension
        }
        return String(characters.prefix(maxLength)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

// MARK: - Bounds-checked reading

/// Every read is checked and returns nil when out of range, so offsets taken from a
/// hostile file can never reach past the buffer.
private struct ByteReader {
    let buffer: UnsafeBufferPointer<UInt8>

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    var count: Int { buffer.count }

    /// True when `length` bytes starting at `offset` lie inside the buffer.
    func contains(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }

    func uint16(at offset: Int) -> Int? {
        guard contains(offset, 2) else { return nil }
        return Int(buffer[offset]) | Int(buffer[offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32? {
        guard contains(offset, 4) else { return nil }
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(buffer[offset + index]) }
        return value
    }

    func uint64(at offset: Int) -> UInt64? {
        guard contains(offset, 8) else { return nil }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(buffer[offset + index]) }
        return value
    }

    func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
        guard contains(offset, pattern.count) else { return false }
        for (index, byte) in pattern.enumerated() where buffer[offset + index] != byte { return false }
        return true
    }

    func hasPrefix(_ pattern: [UInt8]) -> Bool { matches(pattern, at: 0) }

    /// ZIP part names in OOXML compare case-insensitively (ECMA-376 Part 2, Open Packaging Conventions).
    func equalsIgnoringASCIICase(range: Range<Int>, _ target: [UInt8]) -> Bool {
        guard range.count == target.count, contains(range.lowerBound, range.count) else { return false }
        for (index, byte) in target.enumerated()
        where Self.lowercased(buffer[range.lowerBound + index]) != Self.lowercased(byte) {
            return false
        }
        return true
    }

    func hasSuffixIgnoringASCIICase(range: Range<Int>, _ suffix: [UInt8]) -> Bool {
        guard range.count >= suffix.count else { return false }
        return equalsIgnoringASCIICase(range: (range.upperBound - suffix.count)..<range.upperBound, suffix)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}

// MARK: - ZIP structure

/// Just enough of the ZIP format (APPNOTE.TXT) to list entry names. Local headers are not
/// trusted for this: the central directory is what unzip tools and Office actually read.
private enum ZipDirectory {
    static let endOfCentralDirectory: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let zip64Locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
    static let zip64EndOfCentralDirectory: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
    static let centralFileHeader: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    static let localFileHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    static let endRecordSize = 22
    static let maxCommentLength = 0xFFFF
    static let centralHeaderSize = 46
    static let zip64EndRecordSize = 56
    static let zip64LocatorSize = 20

    /// Byte ranges of the names in the central directory, or nil when the directory is
    /// missing, truncated or inconsistent (such a file is refused rather than guessed at).
    static func entryNames(in bytes: ByteReader) -> [Range<Int>]? {
        guard let end = findEndRecord(in: bytes) else { return nil }
        guard let directory = directoryLocation(endRecord: end, in: bytes) else { return nil }

        var names: [Range<Int>] = []
        var offset = directory.offset
        let limit = directory.offset + directory.size
        var remaining = directory.entries
        // Each step moves forward by at least 46 bytes inside `limit`, so this ends even
        // when the claimed entry count is absurd.
        while remaining > 0 {
            guard bytes.contains(offset, centralHeaderSize), offset + centralHeaderSize <= limit,
                  bytes.matches(centralFileHeader, at: offset),
                  let nameLength = bytes.uint16(at: offset + 28),
                  let extraLength = bytes.uint16(at: offset + 30),
                  let commentLength = bytes.uint16(at: offset + 32)
            else { return nil }
            let nameStart = offset + centralHeaderSize
            let next = nameStart + nameLength + extraLength + commentLength
            guard next <= limit else { return nil }
            names.append(nameStart..<(nameStart + nameLength))
            offset = next
            remaining -= 1
        }
        return names
    }

    /// Scans backwards, as unzip does: the record sits at the end, followed only by a
    /// comment of at most 65,535 bytes. The first candidate whose comment fits the file wins.
    private static func findEndRecord(in bytes: ByteReader) -> Int? {
        guard bytes.count >= endRecordSize else { return nil }
        let lowest = max(0, bytes.count - endRecordSize - maxCommentLength)
        var offset = bytes.count - endRecordSize
        while offset >= lowest {
            if bytes.matches(endOfCentralDirectory, at: offset),
               let commentLength = bytes.uint16(at: offset + 20),
               commentLength <= bytes.count - offset - endRecordSize {
                return offset
            }
            offset -= 1
        }
        return nil
    }

    private struct Location {
        var offset: Int
        var size: Int
        var entries: Int
    }

    /// Where the central directory is, checked to lie wholly before the end record.
    private static func directoryLocation(endRecord: Int, in bytes: ByteReader) -> Location? {
        guard let disk = bytes.uint16(at: endRecord + 4),
              let directoryDisk = bytes.uint16(at: endRecord + 6),
              let entries = bytes.uint16(at: endRecord + 10),
              let size = bytes.uint32(at: endRecord + 12),
              let offset = bytes.uint32(at: endRecord + 16)
        else { return nil }

        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            return zip64DirectoryLocation(endRecord: endRecord, in: bytes)
        }
        // Split archives cannot be read from one upload.
        guard disk == 0, directoryDisk == 0 else { return nil }
        let start = Int(offset), length = Int(size)
        guard start <= endRecord, length <= endRecord - start else { return nil }
        return Location(offset: start, size: length, entries: entries)
    }

    /// Large or many-entry archives keep the real values in a ZIP64 record found via a locator
    /// just before the classic end record.
    private static func zip64DirectoryLocation(endRecord: Int, in bytes: ByteReader) -> Location? {
        let locator = endRecord - zip64LocatorSize
        guard bytes.matches(zip64Locator, at: locator),
              let recordOffset64 = bytes.uint64(at: locator + 8),
              let totalDisks = bytes.uint32(at: locator + 16), totalDisks <= 1,
              recordOffset64 <= UInt64(locator)
        else { return nil }
        let record = Int(recordOffset64)
        guard record + zip64EndRecordSize <= locator,
              bytes.matches(zip64EndOfCentralDirectory, at: record),
              let disk = bytes.uint32(at: record + 16), disk == 0,
              let directoryDisk = bytes.uint32(at: record + 20), directoryDisk == 0,
              let entries64 = bytes.uint64(at: record + 32),
              let size64 = bytes.uint64(at: record + 40),
              let offset64 = bytes.uint64(at: record + 48),
              offset64 <= UInt64(record), size64 <= UInt64(record) - offset64
        else { return nil }
        // The walk stops at the directory's end anyway; cap the count so it fits an Int.
        let entries = Int(min(entries64, UInt64(bytes.count)))
        return Location(offset: Int(offset64), size: Int(size64), entries: entries)
    }

    /// True when the archive opens with the entry ODF mandates: named `mimetype`, stored
    /// (method 0), unencrypted, holding exactly `expected`.
    static func hasStoredODFMimetype(_ expected: [UInt8], in bytes: ByteReader) -> Bool {
        let name = Array("mimetype".utf8)
        guard bytes.matches(localFileHeader, at: 0),
              let flags = bytes.uint16(at: 6), flags & 0x1 == 0,
              let method = bytes.uint16(at: 8), method == 0,
              let compressedSize = bytes.uint32(at: 18), Int(compressedSize) == expected.count,
              let uncompressedSize = bytes.uint32(at: 22), Int(uncompressedSize) == expected.count,
              let nameLength = bytes.uint16(at: 26), nameLength == name.count,
              let extraLength = bytes.uint16(at: 28),
              bytes.matches(name, at: 30)
        else { return false }
        return bytes.matches(expected, at: 30 + nameLength + extraLength)
    }
}
