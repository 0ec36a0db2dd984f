import Foundation
import X509

/// A visible signature's box: where it sits on the page and what it says.
public struct SignatureAppearance: Sendable {
    public enum Placement: Sendable {
        /// The signer's block: bottom right of the last page, where Decree 30 puts "quyền hạn,
        /// chức vụ, họ tên người ký".
        case signerBlock
        /// The agency's seal: over the left third of the signer's block (Decree 30, Annex I).
        case sealBlock
    }

    public struct Line: Sendable, Equatable {
        public var text: String
        public var size: Double
        public init(_ text: String, size: Double = 9) {
            self.text = text
            self.size = size
        }
    }

    public var fieldName: String
    public var placement: Placement
    public var lines: [Line]
    /// Frame and text colour, RGB 0…1: the seal is red, the signer's block dark blue.
    public var color: (Double, Double, Double)

    public init(fieldName: String, placement: Placement, lines: [Line], color: (Double, Double, Double)) {
        self.fieldName = fieldName
        self.placement = placement
        self.lines = lines
        self.color = color
    }

    static let signerSize = (width: 210.0, height: 86.0)
    static let sealSize = (width: 176.0, height: 92.0)
}

/// One PAdES baseline-B signature to add to a PDF.
public struct PAdESSignatureRequest: Sendable {
    public var appearance: SignatureAppearance
    public var identity: IssuedIdentity
    /// Issuer certificates carried in the CMS beside the signer's.
    public var chain: [Certificate]
    public var signingTime: Date
    /// `/Name`, `/Reason` and `/Location` of the signature dictionary.
    public var signerName: String
    public var reason: String
    public var location: String?

    public init(appearance: SignatureAppearance, identity: IssuedIdentity, chain: [Certificate], signingTime: Date,
                signerName: String, reason: String, location: String? = nil) {
        self.appearance = appearance
        self.identity = identity
        self.chain = chain
        self.signingTime = signingTime
        self.signerName = signerName
        self.reason = reason
        self.location = location
    }
}

/// Adds a visible PAdES signature to a PDF as a new incremental revision: a signature field
/// whose widget draws the appearance on the last page, and a `/Type /Sig` dictionary
/// (`/Adobe.PPKLite`, `/ETSI.CAdES.detached`) whose `/Contents` holds a CMS SignedData over
/// every byte of the new file except that value (`/ByteRange`).
public enum PAdESStamper {
    /// Room kept for the CMS, in bytes (written as twice as many hex digits). A P-256 signer
    /// with its CA certificate needs about 1.6 kB.
    public static let reservedSignatureBytes = 8192

    public static func sign(_ pdf: [UInt8], _ request: PAdESSignatureRequest, font: PDFAppearanceFont = .helvetica) throws -> [UInt8] {
        let file = try PDFFile(pdf)
        var update = PDFIncrementalUpdate(file)
        guard let rootRef = file.catalogReference, var catalog = try file.object(rootRef).dictionary else { throw PDFStampingError.noPages }
        let pages = try file.pageReferences()
        let pageRef = pages[pages.count - 1]
        guard var page = try file.object(pageRef).dictionary else { throw PDFStampingError.noPages }

        let box = try (file.inherited("CropBox", of: pageRef) ?? file.inherited("MediaBox", of: pageRef))?.array?.compactMap(\.number)
        let mediaBox = (box?.count == 4) ? box! : [0, 0, 595, 842]
        let rect = Self.rect(for: request.appearance.placement, in: mediaBox)

        var acroForm: PDFDictionary
        var acroFormRef: PDFReference?
        switch catalog["AcroForm"] {
        case .reference(let ref)?:
            acroFormRef = ref
            acroForm = try file.object(ref).dictionary ?? PDFDictionary()
        case .dictionary(let inline)?: acroForm = inline
        default: acroForm = PDFDictionary()
        }
        var fields: [PDFObject]
        var fieldsRef: PDFReference?
        if case .reference(let ref)? = acroForm["Fields"] {
            fieldsRef = ref
            fields = try file.object(ref).array ?? []
        } else {
            fields = acroForm["Fields"]?.array ?? []
        }
        let existingFontFile = try fontFileToReuse(in: file, fields: fields, font: font)

        // The appearance (a form XObject) is drawn inside the widget's rectangle.
        let (width, height) = (rect[2] - rect[0], rect[3] - rect[1])
        var fonts = PDFDictionary()
        switch font {
        case .helvetica:
            fonts["F1"] = .dictionary(PDFDictionary([("Type", .name("Font")), ("Subtype", .name("Type1")),
                                                     ("BaseFont", .name("Helvetica")), ("Encoding", .name("WinAnsiEncoding"))]))
        case .trueType(let trueType):
            fonts["F1"] = .reference(trueType.embed(using: request.appearance.lines.map(\.text), in: &update, fontFile: existingFontFile))
        }
        let appearance = update.add(stream: PDFDictionary([
            ("Type", .name("XObject")), ("Subtype", .name("Form")), ("BBox", .array([.integer(0), .integer(0), real(width), real(height)])),
            ("Resources", .dictionary(PDFDictionary([("Font", .dictionary(fonts))]))),
        ]), data: drawing(request.appearance, width: width, height: height, font: font))

        let signatureRef = update.reserve()
        let fieldRef = update.add(.dictionary(PDFDictionary([
            ("Type", .name("Annot")), ("Subtype", .name("Widget")), ("FT", .name("Sig")),
            ("T", .text(uniqueFieldName(request.appearance.fieldName, among: fields, in: file))),
            ("V", .reference(signatureRef)), ("F", .integer(132)), ("P", .reference(pageRef)),
            ("Rect", .array(rect.map(real))), ("AP", .dictionary(PDFDictionary([("N", .reference(appearance))]))),
        ])))

        // The signature dictionary with fixed-width room for /ByteRange and /Contents.
        let slot = PDFObject.real(String(repeating: "0", count: 10))
        var signature = PDFDictionary([
            ("Type", .name("Sig")), ("Filter", .name("Adobe.PPKLite")), ("SubFilter", .name("ETSI.CAdES.detached")),
            ("ByteRange", .array([slot, slot, slot, slot])),
            ("Contents", .string(Array("<".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: 2 * reservedSignatureBytes) + Array(">".utf8))),
            ("M", .literal(pdfDate(request.signingTime))), ("Name", .text(request.signerName)), ("Reason", .text(request.reason)),
        ])
        if let location = request.location { signature["Location"] = .text(location) }
        update.set(signatureRef, .dictionary(signature))

        // The new field joins the form and the page's annotations.
        fields.append(.reference(fieldRef))
        if let fieldsRef { update.set(fieldsRef, .array(fields)) } else { acroForm["Fields"] = .array(fields) }
        acroForm["SigFlags"] = .integer(3)
        if let acroFormRef {
            update.set(acroFormRef, .dictionary(acroForm))
        } else {
            catalog["AcroForm"] = .dictionary(acroForm)
            update.set(rootRef, .dictionary(catalog))
        }
        if case .reference(let annotsRef)? = page["Annots"] {
            update.set(annotsRef, .array((try file.object(annotsRef).array ?? []) + [.reference(fieldRef)]))
        } else {
            page["Annots"] = .array((page["Annots"]?.array ?? []) + [.reference(fieldRef)])
            update.set(pageRef, .dictionary(page))
        }

        var output = update.write()
        try fill(&output, signatureAt: output.offsets[signatureRef]!, request: request)
        return output.bytes
    }

    /// Computes /ByteRange around the /Contents placeholder, writes it, signs those bytes and
    /// writes the CMS into the placeholder (zero-padded, as readers expect).
    static func fill(_ output: inout PDFIncrementalUpdate.Output, signatureAt offset: Int, request: PAdESSignatureRequest) throws {
        var bytes = output.bytes
        guard let rangeStart = PDFBytes.firstIndex(of: Array("/ByteRange [".utf8), in: bytes, from: offset),
              let contentsKey = PDFBytes.firstIndex(of: Array("/Contents <".utf8), in: bytes, from: offset) else {
            throw PDFStampingError.malformed("signature placeholder not found")
        }
        let contentsStart = contentsKey + "/Contents ".utf8.count
        let contentsEnd = contentsStart + 2 * reservedSignatureBytes + 2
        let ranges = [0, contentsStart, contentsEnd, bytes.count - contentsEnd]
        var slot = rangeStart + "/ByteRange [".utf8.count
        for value in ranges {
            let digits = Array(PDFIncrementalUpdate.padded(value, 10).utf8)
            bytes.replaceSubrange(slot..<slot + 10, with: digits)
            slot += 11
        }
        let signed = Array(bytes[0..<contentsStart]) + Array(bytes[contentsEnd...])
        let cms = try PAdESSignedData.sign(signed, with: request.identity, chain: request.chain)
        guard cms.count <= reservedSignatureBytes else { throw PDFStampingError.signatureTooLarge }
        var hex: [UInt8] = []
        hex.reserveCapacity(cms.count * 2)
        for byte in cms { hex += PDFBytes.hex(byte) }
        bytes.replaceSubrange(contentsStart + 1..<contentsStart + 1 + hex.count, with: hex)
        output.bytes = bytes
    }

    static func rect(for placement: SignatureAppearance.Placement, in box: [Double]) -> [Double] {
        let (x0, y0, x1) = (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]))
        let signer = SignatureAppearance.signerSize
        let signerX = max(x0 + 20, x1 - 40 - signer.width)
        let signerY = y0 + 60
        switch placement {
        case .signerBlock:
            return [signerX, signerY, signerX + signer.width, signerY + signer.height]
        case .sealBlock:
            let seal = SignatureAppearance.sealSize
            // Over the left third of the signer's block, as a stamp is pressed on a paper signature.
            let x = max(x0 + 10, signerX + signer.width / 3 - seal.width)
            let y = signerY - 10
            return [x, y, x + seal.width, y + seal.height]
        }
    }

    /// The appearance's content stream: a frame and the lines, centred.
    static func drawing(_ appearance: SignatureAppearance, width: Double, height: Double, font: PDFAppearanceFont) -> [UInt8] {
        let (r, g, b) = appearance.color
        func n(_ value: Double) -> String { String(format: "%.2f", value) }
        var out = Array("q\n\(n(r)) \(n(g)) \(n(b)) RG 1.2 w 0.6 0.6 \(n(width - 1.2)) \(n(height - 1.2)) re S\n".utf8)
        if appearance.placement == .sealBlock {
            out += Array("0.6 w 3 3 \(n(width - 6)) \(n(height - 6)) re S\n".utf8)
        }
        let total = appearance.lines.reduce(0) { $0 + $1.size * 1.25 }
        var baseline = (height + total) / 2 - (appearance.lines.first?.size ?? 9)
        out += Array("BT \(n(r)) \(n(g)) \(n(b)) rg\n".utf8)
        for line in appearance.lines {
            var size = line.size
            var textWidth = font.width(of: line.text, size: size)
            if textWidth > width - 10 {
                size = max(4, size * (width - 10) / textWidth)
                textWidth = font.width(of: line.text, size: size)
            }
            let x = max(4, (width - textWidth) / 2)
            out += Array("/F1 \(n(size)) Tf 1 0 0 1 \(n(x)) \(n(baseline)) Tm ".utf8) + font.encode(line.text) + Array(" Tj\n".utf8)
            baseline -= line.size * 1.25
        }
        out += Array("ET\nQ\n".utf8)
        return out
    }

    /// `D:YYYYMMDDHHmmSS+07'00'`: the signing time as Vietnam reads it.
    static func pdfDate(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + 7 * 3600
        let iso = SigningTime.iso8601(max(0, min(seconds, SigningTime.latestSecond)))
        return "D:" + iso.filter(\.isNumber) + "+07'00'"
    }

    static func real(_ value: Double) -> PDFObject { .real(String(format: "%.2f", value)) }

    /// `base`, or `base-2`, `base-3`… when a field of that name exists.
    static func uniqueFieldName(_ base: String, among fields: [PDFObject], in file: PDFFile) -> String {
        var names: Set<[UInt8]> = []
        for field in fields {
            if let dictionary = try? file.resolve(field).dictionary, case .string(let token)? = dictionary["T"] { names.insert(token) }
        }
        var candidate = base
        var counter = 2
        while names.contains(PDFObject.text(candidate).bytes) || names.contains(PDFObject.literal(candidate).bytes) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }

    /// The same font file embedded by an earlier EGov signature (same name and length), so a
    /// second signature does not carry a second copy.
    static func fontFileToReuse(in file: PDFFile, fields: [PDFObject], font: PDFAppearanceFont) throws -> PDFReference? {
        guard case .trueType(let trueType) = font else { return nil }
        for field in fields {
            // Stream objects read as their dictionaries, which is all this needs.
            guard let widget = try? file.resolve(field).dictionary,
                  let appearanceRef = (try? file.resolve(widget["AP"]))?.dictionary?["N"]?.reference,
                  let xobject = try? file.object(appearanceRef).dictionary,
                  let fonts = (try? file.resolve((try? file.resolve(xobject["Resources"]))?.dictionary?["Font"]))?.dictionary,
                  let type0 = (try? file.resolve(fonts["F1"]))?.dictionary, type0["BaseFont"]?.name == trueType.name,
                  let descendant = (try? file.resolve(type0["DescendantFonts"]?.array?.first))?.dictionary,
                  let descriptor = (try? file.resolve(descendant["FontDescriptor"]))?.dictionary,
                  let fontFileRef = descriptor["FontFile2"]?.reference,
                  (try? file.object(fontFileRef).dictionary)?["Length1"]?.integer == trueType.data.count
            else { continue }
            return fontFileRef
        }
        return nil
    }
}
