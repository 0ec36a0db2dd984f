import EGovCore
import Foundation
import XCTest

final class AttachmentContentTypeTests: XCTestCase {
    // MARK: - Fixtures

    private let contentTypes = Array(#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.utf8)
    private let xml = Array(#"<?xml version="1.0" encoding="UTF-8"?><root/>"#.utf8)
    private let odtMime = Array("application/vnd.oasis.opendocument.text".utf8)

    private func docx() -> [UInt8] {
        TestZip.make([
            .init("[Content_Types].xml", contentTypes),
            .init("_rels/.rels", xml),
            .init("word/document.xml", xml),
            .init("word/_rels/document.xml.rels", xml),
        ])
    }

    private func xlsx() -> [UInt8] {
        TestZip.make([
            .init("[Content_Types].xml", contentTypes),
            .init("_rels/.rels", xml),
            .init("xl/workbook.xml", xml),
            .init("xl/worksheets/sheet1.xml", xml),
        ])
    }

    private func odt(mimetype: [UInt8]? = nil, withContent: Bool = true) -> [UInt8] {
        var entries: [TestZip.Entry] = [
            .init("mimetype", mimetype ?? odtMime),
            .init("META-INF/manifest.xml", xml),
        ]
        if withContent { entries.append(.init("content.xml", xml)) }
        return TestZip.make(entries)
    }

    // MARK: - Simple signatures

    func test_pdfNeedsHeaderAtOffsetZero() {
        let pdf = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n".utf8)
        XCTAssertEqual(AttachmentContentType.detect(pdf), .pdf)
        XCTAssertEqual(AttachmentContentType.detect(Data(pdf)), .pdf)
        XCTAssertNil(AttachmentContentType.detect(Array("%PDF".utf8)))
        XCTAssertNil(AttachmentContentType.detect(Array(" %PDF-1.7".utf8)))
        XCTAssertNil(AttachmentContentType.detect(Array("%pdf-1.7".utf8)))
    }

    func test_pngNeedsTheFullSignature() {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr: [UInt8] = [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]
        XCTAssertEqual(AttachmentContentType.detect(signature + ihdr), .png)
        XCTAssertNil(AttachmentContentType.detect(Array(signature.prefix(7))))
        var broken = signature + ihdr
        broken[6] = 0x0A // the line-ending check a text transfer would corrupt
        XCTAssertNil(AttachmentContentType.detect(broken))
    }

    func test_jpegNeedsThreeMarkerBytes() {
        let jfif: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        XCTAssertEqual(AttachmentContentType.detect(jfif), .jpeg)
        XCTAssertEqual(AttachmentContentType.detect([0xFF, 0xD8, 0xFF]), .jpeg)
        XCTAssertNil(AttachmentContentType.detect([0xFF, 0xD8]))
        XCTAssertNil(AttachmentContentType.detect([0xFF, 0xD9, 0xFF, 0xE0]))
    }

    func test_refusesOtherFormats() {
        XCTAssertNil(AttachmentContentType.detect([UInt8]()))
        XCTAssertNil(AttachmentContentType.detect(Data()))
        // A text file named "bao-cao.docx": the name plays no part.
        XCTAssertNil(AttachmentContentType.detect(Array("Báo cáo tháng 5, xem file đính kèm.\n".utf8)))
        XCTAssertNil(AttachmentContentType.detect(Array("<!DOCTYPE html><html><body>x</body></html>".utf8)))
        XCTAssertNil(AttachmentContentType.detect(Array("<html><script>alert(1)</script></html>".utf8)))
        // Windows executable ("MZ", then the PE offset) and a legacy OLE .doc/.xls.
        XCTAssertNil(AttachmentContentType.detect([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] + Array(repeating: 0, count: 120)))
        XCTAssertNil(AttachmentContentType.detect([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)))
        // GIF and an empty ZIP (only an end record, "PK\u{5}\u{6}").
        XCTAssertNil(AttachmentContentType.detect(Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0]))
        XCTAssertNil(AttachmentContentType.detect([0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 18)))
    }

    // MARK: - ZIP packages

    func test_detectsDocxXlsxOdtFromRealZipStructure() {
        XCTAssertEqual(AttachmentContentType.detect(docx()), .docx)
        XCTAssertEqual(AttachmentContentType.detect(xlsx()), .xlsx)
        XCTAssertEqual(AttachmentContentType.detect(odt()), .odt)
    }

    func test_acceptsAnyByteCollection() {
        let bytes = docx()
        XCTAssertEqual(AttachmentContentType.detect(Data(bytes)), .docx)
        XCTAssertEqual(AttachmentContentType.detect(bytes[...]), .docx)
        // A slice whose indices do not start at zero.
        let padded = Data([0, 0, 0] + bytes)
        XCTAssertEqual(AttachmentContentType.detect(padded.dropFirst(3)), .docx)
        XCTAssertEqual(AttachmentContentType.detect(Array([9] + bytes).dropFirst()), .docx)
        // Not contiguous: goes through the copying path.
        XCTAssertEqual(AttachmentContentType.detect(bytes.lazy.map { $0 }), .docx)
    }

    func test_plainZipIsRefused() {
        let zip = TestZip.make([.init("readme.txt", Array("xin chao".utf8)), .init("data/a.csv", Array("1,2".utf8))])
        XCTAssertNil(AttachmentContentType.detect(zip))
        XCTAssertNil(AttachmentContentType.detect(TestZip.make([])))
    }

    func test_officePackageNeedsBothParts() {
        XCTAssertNil(AttachmentContentType.detect(TestZip.make([.init("word/document.xml", xml)])))
        XCTAssertNil(AttachmentContentType.detect(TestZip.make([.init("[Content_Types].xml", contentTypes)])))
        XCTAssertNil(AttachmentContentType.detect(TestZip.make([
            .init("[Content_Types].xml", contentTypes), .init("xl/workbook.bin", xml), // .xlsb
        ])))
        // Names in the central directory decide, not a look-alike path.
        XCTAssertNil(AttachmentContentType.detect(TestZip.make([
            .init("[Content_Types].xml", contentTypes), .init("x/word/document.xml", xml),
        ])))
    }

    func test_partNamesCompareIgnoringASCIICase() {
        let zip = TestZip.make([.init("[Content_types].XML", contentTypes), .init("Word/Document.xml", xml)])
        XCTAssertEqual(AttachmentContentType.detect(zip), .docx)
    }

    func test_macroEnabledOfficeFilesAreRefused() {
        let docm = TestZip.make([
            .init("[Content_Types].xml", contentTypes),
            .init("word/document.xml", xml),
            .init("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]),
        ])
        let xlsm = TestZip.make([
            .init("[Content_Types].xml", contentTypes),
            .init("xl/workbook.xml", xml),
            .init("xl/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]),
        ])
        XCTAssertNil(AttachmentContentType.detect(docm))
        XCTAssertNil(AttachmentContentType.detect(xlsm))
    }

    func test_packageMatchingTwoTypesIsRefused() {
        let both = TestZip.make([
            .init("[Content_Types].xml", contentTypes),
            .init("word/document.xml", xml),
            .init("xl/workbook.xml", xml),
        ])
        XCTAssertNil(AttachmentContentType.detect(both))
        let odtAndDocx = TestZip.make([
            .init("mimetype", odtMime), .init("content.xml", xml),
            .init("[Content_Types].xml", contentTypes), .init("word/document.xml", xml),
        ])
        XCTAssertNil(AttachmentContentType.detect(odtAndDocx))
    }

    func test_odtNeedsExactStoredFirstMimetype() {
        XCTAssertNil(AttachmentContentType.detect(odt(mimetype: Array("application/vnd.oasis.opendocument.spreadsheet".utf8))))
        XCTAssertNil(AttachmentContentType.detect(odt(mimetype: Array("application/vnd.oasis.opendocument.text-template".utf8))))
        XCTAssertNil(AttachmentContentType.detect(odt(mimetype: odtMime + [0x0A])))
        XCTAssertNil(AttachmentContentType.detect(odt(mimetype: Array("application/vnd.oasis.opendocument.texT".utf8))))
        XCTAssertNil(AttachmentContentType.detect(odt(withContent: false)))

        // Compression method 8 (deflate) in the local header: ODF forbids it for `mimetype`.
        var deflated = odt()
        deflated[8] = 8
        XCTAssertNil(AttachmentContentType.detect(deflated))

        // `mimetype` present but not first.
        let late = TestZip.make([.init("content.xml", xml), .init("mimetype", odtMime)])
        XCTAssertNil(AttachmentContentType.detect(late))
    }

    func test_zipCommentUpToMaximumLengthIsAllowed() {
        let comment = [UInt8](repeating: 0x20, count: 0xFFFF)
        XCTAssertEqual(AttachmentContentType.detect(TestZip.make(docxEntries(), comment: comment)), .docx)
        XCTAssertEqual(AttachmentContentType.detect(TestZip.make(docxEntries(), comment: Array("Sở Nội vụ".utf8))), .docx)
        // A comment length that runs past the end means the record is not real.
        var lying = TestZip.make(docxEntries())
        lying[lying.count - 2] = 0x10
        XCTAssertNil(AttachmentContentType.detect(lying))
    }

    func test_largeEntryBeforeDirectory() {
        let big = [UInt8](repeating: 0x41, count: 300_000)
        let zip = TestZip.make(docxEntries() + [.init("word/media/image1.png", big)])
        XCTAssertEqual(AttachmentContentType.detect(zip), .docx)
    }

    func test_zip64EndRecordIsFollowed() {
        XCTAssertEqual(AttachmentContentType.detect(TestZip.make(docxEntries(), zip64: true)), .docx)
        // Break the locator: the classic record says "see ZIP64", so without it nothing is trusted.
        var broken = TestZip.make(docxEntries(), zip64: true)
        let locator = broken.count - 22 - 20
        XCTAssertEqual(Array(broken[locator..<locator + 4]), [0x50, 0x4B, 0x06, 0x07])
        broken[locator + 3] = 0x00
        XCTAssertNil(AttachmentContentType.detect(broken))
    }

    // MARK: - Damaged and hostile archives

    func test_endRecordPointingPastTheEndIsRefused() {
        let good = docx()
        let end = good.count - 22
        XCTAssertEqual(Array(good[end..<end + 4]), [0x50, 0x4B, 0x05, 0x06])

        var offsetPastEnd = good
        TestZip.put32(UInt32(good.count + 1000), into: &offsetPastEnd, at: end + 16)
        XCTAssertNil(AttachmentContentType.detect(offsetPastEnd))

        var sizePastEnd = good
        TestZip.put32(0xFFFF_FFF0, into: &sizePastEnd, at: end + 12)
        XCTAssertNil(AttachmentContentType.detect(sizePastEnd))

        var tooManyEntries = good
        TestZip.put16(200, into: &tooManyEntries, at: end + 10)
        XCTAssertNil(AttachmentContentType.detect(tooManyEntries))

        var splitArchive = good
        TestZip.put16(1, into: &splitArchive, at: end + 4)
        XCTAssertNil(AttachmentContentType.detect(splitArchive))
    }

    func test_centralEntryWithOversizedNameIsRefused() {
        var zip = docx()
        let end = zip.count - 22
        let directory = Int(TestZip.get32(zip, at: end + 16))
        XCTAssertEqual(Array(zip[directory..<directory + 4]), [0x50, 0x4B, 0x01, 0x02])
        TestZip.put16(0xFFFF, into: &zip, at: directory + 28)
        XCTAssertNil(AttachmentContentType.detect(zip))
    }

    func test_everyTruncationOfADocxIsRefused() {
        let full = docx()
        for length in 0..<full.count {
            XCTAssertNil(AttachmentContentType.detect(full.prefix(length)), "prefix \(length)")
        }
        // Cut from the front too: the local header is gone, so it is no ZIP we accept.
        XCTAssertNil(AttachmentContentType.detect(full.dropFirst(1)))
    }

    func test_randomBuffersNeverCrash() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let zipHead: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        let endSignature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        var detectedZipTypes = 0
        for round in 0..<4000 {
            var buffer = (0..<Int.random(in: 0...2048, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            switch round % 4 {
            case 1: buffer = zipHead + buffer
            case 2: buffer = zipHead + buffer + endSignature + (0..<18).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 3:
                // A plausible end record with random small counts and offsets inside the buffer.
                var tail = endSignature + [0, 0, 0, 0]
                let entries = UInt16.random(in: 0...8, using: &rng)
                tail += [UInt8(entries), 0, UInt8(entries), 0]
                tail += TestZip.le32(UInt32.random(in: 0...UInt32(buffer.count + 8), using: &rng))
                tail += TestZip.le32(UInt32.random(in: 0...UInt32(buffer.count + 8), using: &rng))
                tail += [0, 0]
                buffer = zipHead + buffer + tail
            default: break
            }
            let type = AttachmentContentType.detect(buffer)
            if [.docx, .xlsx, .odt].contains(type) { detectedZipTypes += 1 }
        }
        XCTAssertEqual(detectedZipTypes, 0)
    }

    func test_mutatedPackagesNeverCrash() {
        var rng = SplitMix64(seed: 0xD0C5)
        let samples = [docx(), xlsx(), odt(), TestZip.make(docxEntries(), zip64: true)]
        for round in 0..<3000 {
            var buffer = samples[round % samples.count]
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let index = Int.random(in: 0..<buffer.count, using: &rng)
                buffer[index] = UInt8.random(in: 0...255, using: &rng)
            }
            if round % 5 == 0 { buffer.removeLast(Int.random(in: 0...min(40, buffer.count), using: &rng)) }
            _ = AttachmentContentType.detect(buffer)
        }
    }

    // MARK: - Metadata

    func test_metadata() throws {
        XCTAssertEqual(AttachmentContentType.allCases, [.pdf, .docx, .odt, .xlsx, .jpeg, .png])
        XCTAssertEqual(AttachmentContentType.pdf.mimeType, "application/pdf")
        XCTAssertEqual(AttachmentContentType.docx.mimeType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        XCTAssertEqual(AttachmentContentType.odt.mimeType, "application/vnd.oasis.opendocument.text")
        XCTAssertEqual(AttachmentContentType.xlsx.mimeType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        XCTAssertEqual(AttachmentContentType.jpeg.mimeType, "image/jpeg")
        XCTAssertEqual(AttachmentContentType.png.mimeType, "image/png")
        XCTAssertEqual(AttachmentContentType.allCases.map(\.fileExtension), ["pdf", "docx", "odt", "xlsx", "jpg", "png"])
        XCTAssertEqual(AttachmentContentType.docx.displayName, "Word (DOCX)")
        for type in AttachmentContentType.allCases {
            XCTAssertFalse(type.displayName.isEmpty)
            XCTAssertTrue(type.displayName.unicodeScalars.allSatisfy(\.isASCII), type.displayName)
        }
        let json = try JSONEncoder().encode([AttachmentContentType.xlsx])
        XCTAssertEqual(String(decoding: json, as: UTF8.self), #"["xlsx"]"#)
        XCTAssertEqual(try JSONDecoder().decode([AttachmentContentType].self, from: Data(#"["odt"]"#.utf8)), [.odt])
    }

    // MARK: - File names

    func test_sanitizedFileNameKeepsOnlyTheBaseName() {
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("../../etc/passwd"), "passwd")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("C:\\x\\Tờ trình.pdf"), "Tờ trình.pdf")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("a/b\\c/Quyết định 15.docx"), "Quyết định 15.docx")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("thu-muc/"), "tep-dinh-kem")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(".."), "tep-dinh-kem")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("x/.."), "tep-dinh-kem")
        // A combining mark after "/" must not hide the separator.
        XCTAssertFalse(AttachmentContentType.sanitizedFileName("../\u{301}../etc/passwd").contains("/"))
    }

    func test_sanitizedFileNameRemovesControlsAndQuotes() {
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("  bao\"cao'.pdf \n"), "baocao.pdf")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("a\r\nContent-Type: x.pdf"), "aContent-Type: x.pdf")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("x\u{0}y\u{7F}.png"), "xy.png")
        // Right-to-left override would display "hoso\u{202E}fdp.exe" as "hosoexe.pdf".
        XCTAssertEqual(AttachmentContentType.sanitizedFileName("hoso\u{202E}fdp.exe"), "hosofdp.exe")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(""), "tep-dinh-kem")
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(" \t\"' "), "tep-dinh-kem")
    }

    func test_sanitizedFileNameKeepsVietnameseAndNormalizesToNFC() {
        let nfc = "Công văn số 123 về việc đề nghị.docx"
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(nfc), nfc)
        let nfd = nfc.decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.unicodeScalars), Array(nfc.unicodeScalars))
        XCTAssertEqual(Array(AttachmentContentType.sanitizedFileName(nfd).unicodeScalars), Array(nfc.unicodeScalars))
    }

    func test_sanitizedFileNameLimitsLengthKeepingExtension() {
        let long = String(repeating: "a", count: 296) + ".pdf"
        let result = AttachmentContentType.sanitizedFileName(long)
        XCTAssertEqual(result.count, 200)
        XCTAssertTrue(result.hasSuffix(".pdf"))
        XCTAssertEqual(result, String(repeating: "a", count: 196) + ".pdf")

        let vietnamese = String(repeating: "Tờ trình ", count: 40) + "kèm theo.docx"
        let cut = AttachmentContentType.sanitizedFileName(vietnamese)
        XCTAssertLessThanOrEqual(cut.count, 200)
        XCTAssertTrue(cut.hasSuffix(".docx"))
        XCTAssertTrue(cut.hasPrefix("Tờ trình Tờ trình"))
        XCTAssertFalse(cut.contains(" .docx"), "no space left before the extension")

        // No real extension: plain cut.
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(String(repeating: "b", count: 250)), String(repeating: "b", count: 200))
        // Exactly 200 is untouched.
        let exact = String(repeating: "c", count: 196) + ".odt"
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(exact), exact)
        // Stacked combining marks cannot make a 200-character name megabytes long.
        let zalgo = String(repeating: "a" + String(repeating: "\u{301}", count: 50), count: 10) + "x.pdf"
        XCTAssertEqual(AttachmentContentType.sanitizedFileName(zalgo), "x.pdf")
    }

    private func docxEntries() -> [TestZip.Entry] {
        [.init("[Content_Types].xml", contentTypes), .init("_rels/.rels", xml), .init("word/document.xml", xml)]
    }
}

// MARK: - A minimal ZIP writer (stored entries only)

/// Writes real ZIP archives (APPNOTE.TXT): local headers, central directory and end record
/// with correct offsets and CRCs, so detection is tested on the structure unzip reads.
private enum TestZip {
    struct Entry {
        var name: String
        var data: [UInt8]
        init(_ name: String, _ data: [UInt8]) {
            self.name = name
            self.data = data
        }
    }

    static func make(_ entries: [Entry], comment: [UInt8] = [], zip64: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = crc32(entry.data)
            let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : 0x0800 // bit 11: UTF-8 name
            let offset = UInt32(out.count)

            out += [0x50, 0x4B, 0x03, 0x04]
            out += le16(20) + le16(flags) + le16(0) // version needed, flags, method: stored
            out += le16(0) + le16(0x21)              // 00:00, 1980-01-01
            out += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            out += le16(UInt16(name.count)) + le16(0)
            out += name + entry.data

            central += [0x50, 0x4B, 0x01, 0x02]
            central += le16(20) + le16(20) + le16(flags) + le16(0)
            central += le16(0) + le16(0x21)
            central += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            central += le16(UInt16(name.count)) + le16(0) + le16(0) // name, extra, comment lengths
            central += le16(0) + le16(0) + le32(0)                  // disk, internal, external attributes
            central += le32(offset)
            central += name
        }
        let directoryOffset = out.count
        out += central

        if zip64 {
            let recordOffset = out.count
            out += [0x50, 0x4B, 0x06, 0x06]
            out += le64(44)                                  // size of the rest of the record
            out += le16(45) + le16(45) + le32(0) + le32(0)   // versions, this disk, directory disk
            out += le64(UInt64(entries.count)) + le64(UInt64(entries.count))
            out += le64(UInt64(central.count)) + le64(UInt64(directoryOffset))
            out += [0x50, 0x4B, 0x06, 0x07]
            out += le32(0) + le64(UInt64(recordOffset)) + le32(1)
            out += [0x50, 0x4B, 0x05, 0x06]
            out += le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF)
            out += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF)
        } else {
            out += [0x50, 0x4B, 0x05, 0x06]
            out += le16(0) + le16(0)
            out += le16(UInt16(entries.count)) + le16(UInt16(entries.count))
            out += le32(UInt32(central.count)) + le32(UInt32(directoryOffset))
        }
        out += le16(UInt16(comment.count)) + comment
        return out
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    static func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) } }

    static func put16(_ value: UInt16, into bytes: inout [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<offset + 2, with: le16(value))
    }

    static func put32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<offset + 4, with: le32(value))
    }

    static func get32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    /// CRC-32 (IEEE 802.3, reflected 0xEDB88320), as ZIP stores it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// A seeded generator, so a fuzz failure can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
