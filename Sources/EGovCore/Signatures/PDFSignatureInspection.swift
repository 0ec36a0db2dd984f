/// A signature found in a PDF's form: what it claims to cover and the CMS it carries.
public struct EmbeddedPDFSignature: Sendable {
    public let fieldName: String
    public let subFilter: String?
    /// Offset and length pairs, as in `/ByteRange`.
    public let byteRange: [Int]
    /// The CMS SignedData, without the zero padding of the placeholder.
    public let cms: [UInt8]

    /// The bytes the signature covers, or nil when the range falls outside the file.
    public func signedBytes(of pdf: [UInt8]) -> [UInt8]? {
        guard byteRange.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for pair in stride(from: 0, to: byteRange.count, by: 2) {
            let (start, length) = (byteRange[pair], byteRange[pair + 1])
            guard start >= 0, length >= 0, start + length <= pdf.count else { return nil }
            out += pdf[start..<start + length]
        }
        return out
    }

    /// The range starts at 0 and ends at the end of the revision that ends at `revisionEnd`,
    /// leaving out only the `/Contents` value.
    public func coversRevision(endingAt revisionEnd: Int) -> Bool {
        byteRange.count == 4 && byteRange[0] == 0 && byteRange[2] + byteRange[3] == revisionEnd
    }
}

public enum PDFSignatureInspection {
    /// The signature fields of the newest revision that hold a value, in form order.
    public static func signatures(in pdf: [UInt8]) throws -> [EmbeddedPDFSignature] {
        let file = try PDFFile(pdf)
        guard let root = file.catalogReference, let catalog = try file.object(root).dictionary,
              let form = try file.resolve(catalog["AcroForm"]).dictionary,
              let fields = try file.resolve(form["Fields"]).array else { return [] }
        var found: [EmbeddedPDFSignature] = []
        for field in fields {
            guard let dictionary = try file.resolve(field).dictionary, dictionary["FT"]?.name == "Sig",
                  let value = try file.resolve(dictionary["V"]).dictionary,
                  let range = try file.resolve(value["ByteRange"]).array?.compactMap(\.integer),
                  case .string(let token)? = value["Contents"] else { continue }
            var name = ""
            if case .string(let title)? = dictionary["T"] { name = decodeText(title) }
            found.append(EmbeddedPDFSignature(fieldName: name, subFilter: value["SubFilter"]?.name, byteRange: range,
                                              cms: trimmedDER(hexBytes(token))))
        }
        return found
    }

    /// Offsets just past each `%%EOF`: where each revision ends.
    public static func revisionEnds(in pdf: [UInt8]) -> [Int] {
        var ends: [Int] = []
        var from = 0
        let marker = Array("%%EOF".utf8)
        while let index = PDFBytes.firstIndex(of: marker, in: pdf, from: from) {
            var end = index + marker.count
            if end < pdf.count, pdf[end] == 13 { end += 1 }
            if end < pdf.count, pdf[end] == 10 { end += 1 }
            ends.append(end)
            from = index + marker.count
        }
        return ends
    }

    static func hexBytes(_ token: [UInt8]) -> [UInt8] {
        guard token.first == UInt8(ascii: "<") else { return [] }
        var out: [UInt8] = []
        var high: UInt8?
        for byte in token.dropFirst() {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: continue
            }
            if let first = high { out.append(first << 4 | value); high = nil } else { high = value }
        }
        if let first = high { out.append(first << 4) }
        return out
    }

    /// The DER element at the start, dropping the placeholder's trailing zeros.
    static func trimmedDER(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 2 else { return bytes }
        var length = Int(bytes[1])
        var header = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count <= 4, bytes.count >= 2 + count else { return bytes }
            length = bytes[2..<2 + count].reduce(0) { $0 << 8 | Int($1) }
            header += count
        }
        return Array(bytes.prefix(header + length))
    }

    /// A text string (UTF-16BE with BOM, or PDFDocEncoding taken as Latin-1).
    static func decodeText(_ token: [UInt8]) -> String {
        let raw: [UInt8] = token.first == UInt8(ascii: "<") ? hexBytes(token) : Array(token.dropFirst().dropLast())
        if raw.count >= 2, raw[0] == 0xFE, raw[1] == 0xFF {
            var units: [UInt16] = []
            var index = 2
            while index + 1 < raw.count {
                units.append(UInt16(raw[index]) << 8 | UInt16(raw[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        return String(raw.map { Character(UnicodeScalar($0)) })
    }
}
