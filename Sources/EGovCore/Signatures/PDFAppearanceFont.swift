import Foundation

/// The font a visible signature is drawn with.
///
/// Vietnamese needs glyphs that no standard PDF font has (ơ, ư, ạ, ế…), so a TrueType font
/// that covers them (DejaVu Sans on Debian) is embedded whole, as a CIDFontType2 with
/// Identity-H and a ToUnicode map so that the text can be copied and searched. Without such
/// a font the labels fall back to Helvetica with the diacritics removed: still legible,
/// and never a box of missing glyphs.
public enum PDFAppearanceFont: Sendable {
    case helvetica
    case trueType(TrueTypeFont)

    /// Width of `text` at `size` points.
    func width(of text: String, size: Double) -> Double {
        switch self {
        case .helvetica:
            return Double(Self.folded(text).count) * 0.54 * size
        case .trueType(let font):
            return font.glyphs(for: text).reduce(0) { $0 + Double(font.advance(of: $1)) } * size / Double(font.unitsPerEm)
        }
    }

    /// The string operand of `Tj` for `text`.
    func encode(_ text: String) -> [UInt8] {
        switch self {
        case .helvetica:
            return PDFObject.literal(Self.folded(text)).bytes
        case .trueType(let font):
            var out: [UInt8] = [UInt8(ascii: "<")]
            for glyph in font.glyphs(for: text) { out += PDFBytes.hex(UInt8(glyph >> 8)) + PDFBytes.hex(UInt8(glyph & 0xFF)) }
            out.append(UInt8(ascii: ">"))
            return out
        }
    }

    /// Vietnamese without diacritics, printable ASCII only ("Đồng Tháp" → "Dong Thap").
    static func folded(_ text: String) -> String {
        let base = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive], locale: nil)
        return String(base.unicodeScalars.filter { $0.value >= 32 && $0.value < 127 }.map(Character.init))
    }
}

/// What a TrueType font file says about its glyphs, read from its `head`, `hhea`, `hmtx`
/// and `cmap` tables (Unicode BMP, format 4).
public struct TrueTypeFont: Sendable {
    public let data: [UInt8]
    /// The PostScript-safe name it is embedded under.
    public let name: String
    let unitsPerEm: Int
    let ascent: Int
    let descent: Int
    let boundingBox: [Int]
    let advances: [Int]
    let cmap: [UInt32: Int]

    enum FontError: Error { case malformed(String) }

    public init(data: [UInt8], name: String) throws {
        self.data = data
        self.name = String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at + 2 <= data.count else { throw FontError.malformed("short font") }
            return Int(data[at]) << 8 | Int(data[at + 1])
        }
        func i16(_ at: Int) throws -> Int { let value = try u16(at); return value >= 0x8000 ? value - 0x10000 : value }
        func u32(_ at: Int) throws -> Int { try u16(at) << 16 | u16(at + 2) }
        var tables: [String: Int] = [:]
        let count = try u16(4)
        for index in 0..<count {
            let record = 12 + 16 * index
            guard record + 16 <= data.count else { throw FontError.malformed("short table directory") }
            tables[String(decoding: data[record..<record + 4], as: UTF8.self)] = try u32(record + 8)
        }
        guard let head = tables["head"], let hhea = tables["hhea"], let hmtx = tables["hmtx"], let cmapTable = tables["cmap"] else {
            throw FontError.malformed("missing tables")
        }
        unitsPerEm = max(16, try u16(head + 18))
        boundingBox = [try i16(head + 36), try i16(head + 38), try i16(head + 40), try i16(head + 42)]
        ascent = try i16(hhea + 4)
        descent = try i16(hhea + 6)
        let metrics = try u16(hhea + 34)
        var advances: [Int] = []
        for index in 0..<metrics { advances.append(try u16(hmtx + 4 * index)) }
        self.advances = advances

        var subtable: Int?
        for index in 0..<(try u16(cmapTable + 2)) {
            let record = cmapTable + 4 + 8 * index
            if try u16(record) == 3, try u16(record + 2) == 1 { subtable = cmapTable + (try u32(record + 4)) }
        }
        guard let table = subtable, try u16(table) == 4 else { throw FontError.malformed("no Unicode cmap") }
        let segments = try u16(table + 6) / 2
        let ends = table + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, rangeOffsets = deltas + 2 * segments
        var cmap: [UInt32: Int] = [:]
        for segment in 0..<segments {
            let start = try u16(starts + 2 * segment), end = try u16(ends + 2 * segment)
            let delta = try u16(deltas + 2 * segment), rangeOffset = try u16(rangeOffsets + 2 * segment)
            guard start <= end, end != 0xFFFF || start != 0xFFFF else { continue }
            // Only what signature labels use: Latin, punctuation and Vietnamese letters.
            for code in start...end where code < 0x2100 || (0x1E00...0x1EFF).contains(code) {
                var glyph: Int
                if rangeOffset == 0 {
                    glyph = (code + delta) & 0xFFFF
                } else {
                    let at = rangeOffsets + 2 * segment + rangeOffset + 2 * (code - start)
                    glyph = try u16(at)
                    if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                }
                if glyph != 0 { cmap[UInt32(code)] = glyph }
            }
        }
        guard !cmap.isEmpty, !advances.isEmpty else { throw FontError.malformed("empty font") }
        self.cmap = cmap
    }

    /// Glyph ids for `text`, composed first (NFC) so "ế" is one glyph; glyph 0 where missing.
    func glyphs(for text: String) -> [Int] {
        text.precomposedStringWithCanonicalMapping.unicodeScalars.map { cmap[$0.value] ?? 0 }
    }

    func advance(of glyph: Int) -> Int { advances[min(glyph, advances.count - 1)] }

    /// Writes the font's objects into the revision and returns the Type0 font to use.
    /// `fontFile` is an embedded copy of this font from an earlier revision, to reuse.
    func embed(using text: [String], in update: inout PDFIncrementalUpdate, fontFile existing: PDFReference?) -> PDFReference {
        let scale = 1000.0 / Double(unitsPerEm)
        func scaled(_ value: Int) -> PDFObject { .integer(Int((Double(value) * scale).rounded())) }
        var used: [Int: UInt32] = [:]
        for line in text {
            for scalar in line.precomposedStringWithCanonicalMapping.unicodeScalars {
                if let glyph = cmap[scalar.value] { used[glyph] = scalar.value }
            }
        }
        let fontFile = existing ?? update.add(stream: PDFDictionary([("Length1", .integer(data.count))]), data: data)
        let descriptor = update.add(.dictionary(PDFDictionary([
            ("Type", .name("FontDescriptor")), ("FontName", .name(name)), ("Flags", .integer(32)),
            ("FontBBox", .array(boundingBox.map(scaled))), ("ItalicAngle", .integer(0)), ("Ascent", scaled(ascent)),
            ("Descent", scaled(descent)), ("CapHeight", scaled(ascent)), ("StemV", .integer(80)), ("FontFile2", .reference(fontFile)),
        ])))
        var widths: [PDFObject] = []
        for glyph in used.keys.sorted() { widths += [.integer(glyph), .array([scaled(advance(of: glyph))])] }
        let cidFont = update.add(.dictionary(PDFDictionary([
            ("Type", .name("Font")), ("Subtype", .name("CIDFontType2")), ("BaseFont", .name(name)),
            ("CIDSystemInfo", .dictionary(PDFDictionary([("Registry", .literal("Adobe")), ("Ordering", .literal("Identity")),
                                                         ("Supplement", .integer(0))]))),
            ("FontDescriptor", .reference(descriptor)), ("DW", .integer(1000)), ("W", .array(widths)), ("CIDToGIDMap", .name("Identity")),
        ])))
        var cmapText = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            + "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            + "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        let pairs = used.sorted { $0.key < $1.key }
        for chunk in stride(from: 0, to: pairs.count, by: 100) {
            let slice = pairs[chunk..<min(chunk + 100, pairs.count)]
            cmapText += "\(slice.count) beginbfchar\n"
            for (glyph, scalar) in slice {
                var utf16 = ""
                for unit in String(UnicodeScalar(scalar).map(Character.init) ?? " ").utf16 { utf16 += Self.hex4(Int(unit)) }
                cmapText += "<\(Self.hex4(glyph))> <\(utf16)>\n"
            }
            cmapText += "endbfchar\n"
        }
        cmapText += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        let toUnicode = update.add(stream: PDFDictionary(), data: Array(cmapText.utf8))
        return update.add(.dictionary(PDFDictionary([
            ("Type", .name("Font")), ("Subtype", .name("Type0")), ("BaseFont", .name(name)), ("Encoding", .name("Identity-H")),
            ("DescendantFonts", .array([.reference(cidFont)])), ("ToUnicode", .reference(toUnicode)),
        ])))
    }

    static func hex4(_ value: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[(value >> 12) & 15], digits[(value >> 8) & 15], digits[(value >> 4) & 15], digits[value & 15]])
    }
}
