import Crypto
import SwiftASN1
@_spi(CMS) import X509
@testable import EGovCore
import Foundation
import XCTest

/// The PDF incremental writer, the PAdES stamper and the CMS it embeds, checked with
/// swift-certificates' own CMS verifier (independent of the builder).
final class PAdESTests: XCTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    private struct Fixture {
        let ca: IssuedIdentity
        let leader: IssuedIdentity
        let seal: IssuedIdentity
    }

    private func fixture() throws -> Fixture {
        let ca = try DevelopmentCA.create(commonName: "EGov Development CA", organization: "UBND tỉnh Quảng Ninh", now: t0, validityDays: 3650)
        let leader = try DevelopmentCA.issue(to: SubjectInfo(fullName: "Nguyễn Văn An", username: "quangninh.lanhdao", organization: "Ủy ban nhân dân tỉnh Quảng Ninh"),
                                             by: ca, now: t0, validityDays: 730)
        let seal = try DevelopmentCA.issue(to: SubjectInfo(fullName: "Ủy ban nhân dân tỉnh Quảng Ninh", username: "000.00.00.H49",
                                                           organization: "Ủy ban nhân dân tỉnh Quảng Ninh"), by: ca, now: t0, validityDays: 1825)
        return Fixture(ca: ca, leader: leader, seal: seal)
    }

    /// A one-page PDF with a classic cross-reference table, as LibreOffice and Chromium write.
    static func tablePDF(_ text: String = "Quyet dinh 12") -> [UInt8] {
        let stream = "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(pdf.utf8)
    }

    /// PDF 1.5: catalog and pages in a compressed object stream, a FlateDecode cross-reference
    /// stream with a PNG Up predictor (made by Python's zlib).
    static let xrefStreamPDF = Array(Data(base64Encoded: "JVBERi0xLjUKJeLjz9MKNCAwIG9iago8PCAvTGVuZ3RoIDU2IC9GaWx0ZXIgL0ZsYXRlRGVjb2RlID4+CnN0cmVhbQp4nHMKUdB3M1QwNFEISVMwNwIiA4WQFAWNiKLUNIXikqLUxFyFtMyKktKiVE2FkCwF1xAASAUORgplbmRzdHJlYW0KZW5kb2JqCjYgMCBvYmoKPDwgL1R5cGUgL09ialN0bSAvTiA0IC9GaXJzdCAyMSAvTGVuZ3RoIDE3MiAvRmlsdGVyIC9GbGF0ZURlY29kZSA+PgpzdHJlYW0KeNplTssKwjAQvPsV8wdJ+sAKpYcKIogg1VvpIbZLKZRGmlT07900BwVhCTuZx46CRIQ4QQwlJVKobIs8h7i9HwSx106Ppoe46J4sKyUqFMXmqwiEOA2dRR17vmGbWSYHBXGmbtCleaGWTKW7FFkSNf8J/p2JPeECB0yOoUUScEXWLHPLl7zvwGxYFDcOlcL8xK4icV3uboX+kwuV2lJgjjQ+yQ2t9rYPg4pH9gplbmRzdHJlYW0KZW5kb2JqCjcgMCBvYmoKPDwgL1R5cGUgL1hSZWYgL1NpemUgOCAvVyBbMSAyIDFdIC9Sb290IDEgMCBSIC9GaWx0ZXIgL0ZsYXRlRGVjb2RlIC9EZWNvZGVQYXJtcyA8PCAvUHJlZGljdG9yIDEyIC9Db2x1bW5zIDQgPj4gL0xlbmd0aCA0MCA+PgpzdHJlYW0KeJxjYmBg+M/ExMDGyARkQYn/DJz/mBgZvjMDWR1/mRgYBRkAaKkGsgplbmRzdHJlYW0KZW5kb2JqCnN0YXJ0eHJlZgo0MTUKJSVFT0YK")!)

    private func request(_ identity: IssuedIdentity, chain: [Certificate], placement: SignatureAppearance.Placement, name: String) -> PAdESSignatureRequest {
        PAdESSignatureRequest(
            appearance: SignatureAppearance(fieldName: placement == .signerBlock ? "EGov-NguoiKy" : "EGov-DauCoQuan", placement: placement,
                                            lines: [.init("KT. CHỦ TỊCH"), .init("PHÓ CHỦ TỊCH"), .init(name, size: 10)], color: (0, 0, 0.5)),
            identity: identity, chain: chain, signingTime: t0.addingTimeInterval(86_400), signerName: name, reason: "Ký ban hành")
    }

    private func verifyCMS(_ signature: EmbeddedPDFSignature, in pdf: [UInt8], roots: [Certificate]) async throws -> CMS.SignatureVerificationResult {
        let signed = try XCTUnwrap(signature.signedBytes(of: pdf))
        return await CMS.isValidSignature(dataBytes: signed, signatureBytes: signature.cms, trustRoots: CertificateStore(roots)) {
            AnyChainPolicy()
        }
    }

    // MARK: Incremental update

    func test_incrementalUpdateKeepsEveryOriginalByteAndChainsToThePreviousSection() throws {
        let original = Self.tablePDF()
        let file = try PDFFile(original)
        XCTAssertEqual(file.kind, .table)
        var update = PDFIncrementalUpdate(file)
        let added = update.add(.dictionary(PDFDictionary([("Note", .text("Số 05/UBND-TH"))])))
        XCTAssertEqual(added.number, 6)
        let written = update.write().bytes
        XCTAssertEqual(Array(written.prefix(original.count)), original, "an incremental update never rewrites earlier bytes")

        let reread = try PDFFile(written)
        XCTAssertEqual(reread.kind, .table)
        XCTAssertEqual(reread.trailer["Prev"]?.integer, file.startXref)
        XCTAssertEqual(reread.trailer["Root"]?.reference, PDFReference(1))
        XCTAssertEqual(reread.size, 7)
        XCTAssertEqual(try reread.object(added).dictionary?["Note"], .text("Số 05/UBND-TH"))
        XCTAssertEqual(try reread.pageReferences(), [PDFReference(3)], "the old objects are still found through /Prev")
    }

    func test_xrefStreamPDFIsReadAndUpdatedWithAnXrefStream() throws {
        let file = try PDFFile(Self.xrefStreamPDF)
        XCTAssertEqual(file.kind, .stream)
        XCTAssertEqual(try file.pageReferences(), [PDFReference(3)], "the page tree is read out of the compressed object stream")
        XCTAssertEqual(try file.inherited("MediaBox", of: PDFReference(3))?.array?.count, 4, "MediaBox is inherited from /Pages")
        var update = PDFIncrementalUpdate(file)
        let added = update.add(.integer(42))
        let written = update.write().bytes
        let reread = try PDFFile(written)
        XCTAssertEqual(reread.kind, .stream, "an xref-stream file gets an xref-stream update")
        XCTAssertEqual(try reread.object(added), .integer(42))
        XCTAssertEqual(try reread.pageReferences(), [PDFReference(3)])
        XCTAssertEqual(reread.trailer["Prev"]?.integer, file.startXref)
    }

    func test_inflateReadsZlibStreams() throws {
        let compressed = Array(Data(base64Encoded: "eNrzSM3JyVcIy0wtyUvMVfAY5Y3y8PIYGJmYWVjZ2Dk4ubh5ePn4BQSFhEVExcQlJKWkZWTl5BUUlZRVVNXUNTS1tHV09fQNDI2MTUzNzC0sraxtbO3sHRydnF1c3dw9PL28fXz9/AMCg4JDQsPCIyKjomNi4+ITEpOSU1LT0jMys7JzcvPyCwqLiktKy8orKquqa2rr6hsam5pbWtvaOzq7unt6+/onTJw0ecrUadNnzJw1e87cefMXLFy0eMnSZctXrFy1es3ades3bNy0ecvWbdt37Ny1e8/effsPHDx0+MjRY8dPnDx1+szZc+cvXLx0+crVa9dv3Lx1+87de/cfPHz0+MnTZ89fvHz1+s3bd+8/fPz0+cvXb99//Pz1+8/ff/8BoEhI0A==")!)
        let expected = Array(String(repeating: "Hello Vietnam ", count: 40).utf8) + (0...255).map(UInt8.init)
        XCTAssertEqual(try Inflate.zlib(compressed, limit: 1 << 20), expected)
        XCTAssertThrowsError(try Inflate.zlib(compressed, limit: 100), "output beyond the limit is refused")
        XCTAssertThrowsError(try Inflate.zlib(Array(compressed.prefix(20)), limit: 1 << 20), "truncated data is refused")
    }

    func test_filesThatAreNotWholePDFsAreRefusedWithAReason() {
        // The shape of the tests' tiny sample PDF: a header but no cross-reference.
        let sample = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
        XCTAssertThrowsError(try PDFFile(sample)) { XCTAssertEqual($0 as? PDFStampingError, .notAPDF) }
        var encrypted = String(decoding: Self.tablePDF(), as: UTF8.self)
        encrypted = encrypted.replacingOccurrences(of: "/Root 1 0 R >>", with: "/Root 1 0 R /Encrypt << /Filter /Standard >> >>")
        XCTAssertThrowsError(try PDFFile(Array(encrypted.utf8))) { XCTAssertEqual($0 as? PDFStampingError, .encrypted) }
        XCTAssertThrowsError(try PDFFile(Array("PK\u{3}\u{4} not a pdf".utf8))) { XCTAssertEqual($0 as? PDFStampingError, .notAPDF) }
    }

    func test_damagedPDFsAreRefusedNeverTrapped() throws {
        let f = try fixture()
        var seed: UInt64 = 0x2026_0305
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        var refused = 0
        for original in [Self.tablePDF(), Self.xrefStreamPDF] {
            for round in 0..<300 {
                var damaged = original
                switch round % 3 {
                case 0: for _ in 0..<(1 + next() % 4) { damaged[next() % damaged.count] = UInt8(truncatingIfNeeded: next()) }
                case 1: damaged = Array(damaged.prefix(next() % damaged.count))
                default: damaged.insert(contentsOf: Array("<< [ ( 9 0 R".utf8), at: next() % damaged.count)
                }
                do {
                    _ = try PAdESStamper.sign(damaged, request(f.leader, chain: [], placement: .signerBlock, name: "A"))
                } catch is PDFStampingError {
                    refused += 1
                }
            }
        }
        XCTAssertGreaterThan(refused, 100, "most damaged files are refused with a reason")
    }

    // MARK: PAdES

    func test_signedPDFCarriesADetachedCAdESOverItsByteRangeThatCMSVerifies() async throws {
        let f = try fixture()
        let original = Self.tablePDF()
        let signed = try PAdESStamper.sign(original, request(f.leader, chain: [f.ca.certificate], placement: .signerBlock, name: "Nguyễn Văn An"))
        XCTAssertEqual(Array(signed.prefix(original.count)), original)
        let signatures = try PDFSignatureInspection.signatures(in: signed)
        XCTAssertEqual(signatures.count, 1)
        let signature = try XCTUnwrap(signatures.first)
        XCTAssertEqual(signature.fieldName, "EGov-NguoiKy")
        XCTAssertEqual(signature.subFilter, "ETSI.CAdES.detached")
        XCTAssertTrue(signature.coversRevision(endingAt: signed.count), "the range covers the whole file but /Contents: \(signature.byteRange)")
        let gap = signed[signature.byteRange[1]..<signature.byteRange[2]]
        XCTAssertEqual(gap.first, UInt8(ascii: "<"))
        XCTAssertEqual(gap.last, UInt8(ascii: ">"))

        let result = try await verifyCMS(signature, in: signed, roots: [f.ca.certificate])
        guard case .success(let valid) = result else { return XCTFail("CMS did not verify: \(result)") }
        XCTAssertEqual(valid.signer, f.leader.certificate)

        // The widget sits on the page and the form is marked as signed.
        let file = try PDFFile(signed)
        let page = try XCTUnwrap(try file.object(PDFReference(3)).dictionary)
        XCTAssertEqual(page["Annots"]?.array?.count, 1)
        let catalog = try XCTUnwrap(try file.object(PDFReference(1)).dictionary)
        XCTAssertEqual(catalog["AcroForm"]?.dictionary?["SigFlags"], .integer(3))
    }

    func test_signedAttributesAreThoseOfPAdESBaselineB() throws {
        let f = try fixture()
        let cms = try PAdESSignedData.sign(Array("nội dung".utf8), with: f.leader, chain: [f.ca.certificate])
        func contains(_ needle: [UInt8]) -> Bool {
            cms.count >= needle.count && (0...(cms.count - needle.count)).contains { cms[$0..<$0 + needle.count].elementsEqual(needle) }
        }
        let pkcs9: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09]
        XCTAssertTrue(contains([0x06, 0x09] + pkcs9 + [0x03]), "content-type")
        XCTAssertTrue(contains([0x06, 0x09] + pkcs9 + [0x04]), "message-digest")
        XCTAssertTrue(contains([0x06, 0x0B] + pkcs9 + [0x10, 0x02, 0x2F]), "ESS signing-certificate-v2")
        XCTAssertFalse(contains([0x06, 0x09] + pkcs9 + [0x05]), "PAdES forbids the signing-time attribute (the time is /M)")
        XCTAssertTrue(contains([0x04, 0x20] + Array(SHA256.hash(data: f.leader.certificateDER))), "signing-certificate-v2 hashes the signer's certificate")
        XCTAssertTrue(contains(f.ca.certificateDER), "the CA certificate travels in the CMS")
        XCTAssertTrue(contains(f.leader.certificateDER))
    }

    func test_oneChangedByteInTheSignedRangeBreaksTheSignature() async throws {
        let f = try fixture()
        var signed = try PAdESStamper.sign(Self.tablePDF(), request(f.leader, chain: [f.ca.certificate], placement: .signerBlock, name: "Nguyễn Văn An"))
        let signature = try XCTUnwrap(try PDFSignatureInspection.signatures(in: signed).first)
        // Inside the page's content stream ("Quyet" → "Quyxt").
        let index = try XCTUnwrap(PDFBytes.firstIndex(of: Array("Quyet".utf8), in: signed, from: 0))
        signed[index + 3] = UInt8(ascii: "x")
        let result = try await verifyCMS(signature, in: signed, roots: [f.ca.certificate])
        guard case .failure = result else { return XCTFail("a changed byte must not verify") }
    }

    func test_sealAfterTheLeaderKeepsTheLeaderSignatureValidOverItsRevision() async throws {
        let f = try fixture()
        let leaderSigned = try PAdESStamper.sign(Self.tablePDF(), request(f.leader, chain: [f.ca.certificate], placement: .signerBlock, name: "Nguyễn Văn An"))
        let issued = try PAdESStamper.sign(leaderSigned, request(f.seal, chain: [f.ca.certificate], placement: .sealBlock, name: "Ủy ban nhân dân tỉnh Quảng Ninh"))
        XCTAssertEqual(Array(issued.prefix(leaderSigned.count)), leaderSigned)
        let signatures = try PDFSignatureInspection.signatures(in: issued)
        XCTAssertEqual(signatures.map(\.fieldName), ["EGov-NguoiKy", "EGov-DauCoQuan"])
        XCTAssertTrue(signatures[0].coversRevision(endingAt: leaderSigned.count))
        XCTAssertTrue(signatures[1].coversRevision(endingAt: issued.count))
        XCTAssertEqual(PDFSignatureInspection.revisionEnds(in: issued), [Self.tablePDF().count, leaderSigned.count, issued.count])
        for (signature, signer) in zip(signatures, [f.leader, f.seal]) {
            guard case .success(let valid) = try await verifyCMS(signature, in: issued, roots: [f.ca.certificate]) else {
                return XCTFail("\(signature.fieldName) did not verify")
            }
            XCTAssertEqual(valid.signer, signer.certificate)
        }
        let file = try PDFFile(issued)
        XCTAssertEqual(try file.object(PDFReference(3)).dictionary?["Annots"]?.array?.count, 2)
    }

    func test_xrefStreamPDFIsSignedTwiceAndBothVerify() async throws {
        let f = try fixture()
        let once = try PAdESStamper.sign(Self.xrefStreamPDF, request(f.leader, chain: [f.ca.certificate], placement: .signerBlock, name: "Nguyễn Văn An"))
        let twice = try PAdESStamper.sign(once, request(f.seal, chain: [f.ca.certificate], placement: .sealBlock, name: "UBND"))
        XCTAssertEqual(try PDFFile(twice).kind, .stream)
        let signatures = try PDFSignatureInspection.signatures(in: twice)
        XCTAssertEqual(signatures.count, 2)
        for signature in signatures {
            guard case .success = try await verifyCMS(signature, in: twice, roots: [f.ca.certificate]) else { return XCTFail("did not verify") }
        }
    }

    func test_vietnameseLabelsUseAnEmbeddedTrueTypeFontOnceForBothSignatures() throws {
        let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("DejaVu Sans (fonts-dejavu-core) is not installed") }
        let font = try TrueTypeFont(data: Array(data), name: "DejaVuSans")
        XCTAssertNotEqual(font.glyphs(for: "Ủy ban nhân dân, PHÓ CHỦ TỊCH").filter { $0 == 0 }.count, 1, "every Vietnamese letter has a glyph")
        XCTAssertFalse(font.glyphs(for: "ỦẠỊƯƠđĐ").contains(0))
        let f = try fixture()
        let once = try PAdESStamper.sign(Self.tablePDF(), request(f.leader, chain: [f.ca.certificate], placement: .signerBlock, name: "Nguyễn Văn An"),
                                         font: .trueType(font))
        let twice = try PAdESStamper.sign(once, request(f.seal, chain: [f.ca.certificate], placement: .sealBlock, name: "Đồng Tháp"), font: .trueType(font))
        let text = String(decoding: twice, as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "/FontFile2").count - 1, 2, "two descriptors…")
        XCTAssertEqual(text.components(separatedBy: "/Length1 \(data.count)").count - 1, 1, "…share one embedded font file")
        XCTAssertTrue(text.contains("/ToUnicode"))
        XCTAssertLessThan(twice.count - once.count, (once.count - Self.tablePDF().count) / 10, "the second revision does not carry the font again")
    }

    func test_helveticaFallbackDropsDiacriticsRatherThanDrawingMissingGlyphs() {
        XCTAssertEqual(PDFAppearanceFont.folded("KT. CHỦ TỊCH Đồng Tháp"), "KT. CHU TICH Dong Thap")
    }

    // MARK: Signature block (Decree 30)

    func test_deputySignsUnderTheHeadsTitleWithTheirOwnBelow() throws {
        let block = try SignatureBlock(mark: .deputy, headTitle: "Chủ tịch", collectiveName: "Ủy ban nhân dân", position: "Phó Chủ tịch", fullName: "Nguyễn Văn An")
        XCTAssertEqual(block.lines, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"])
        let collective = try SignatureBlock(mark: .onBehalf, headTitle: "Chủ tịch", collectiveName: "Ủy ban nhân dân", position: "Chủ tịch", fullName: "Trần Hải")
        XCTAssertEqual(collective.lines, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Hải"])
        let acting = try SignatureBlock(mark: .acting, headTitle: "Giám đốc", collectiveName: "", position: "Phó Giám đốc", fullName: "Lê Lan")
        XCTAssertEqual(acting.lines, ["Q. GIÁM ĐỐC", "Lê Lan"])
        let direct = try SignatureBlock(mark: .none, headTitle: "", collectiveName: "", position: "Giám đốc", fullName: "Lê Lan")
        XCTAssertEqual(direct.lines, ["GIÁM ĐỐC", "Lê Lan"])
        XCTAssertThrowsError(try SignatureBlock(mark: .byOrder, headTitle: " ", collectiveName: "", position: "Chánh Văn phòng", fullName: "A")) {
            XCTAssertEqual($0 as? SignatureBlock.Problem, .headTitleMissing)
        }
        XCTAssertThrowsError(try SignatureBlock(mark: .deputy, headTitle: "Chủ tịch", collectiveName: "", position: "", fullName: "A")) {
            XCTAssertEqual($0 as? SignatureBlock.Problem, .positionMissing)
        }
    }

    func test_suggestedTitlesFollowTheKindOfAgency() {
        XCTAssertEqual(SignatureBlock.suggestedHeadTitle(forAgencyName: "Ủy ban nhân dân tỉnh Quảng Ninh"), "Chủ tịch")
        XCTAssertEqual(SignatureBlock.suggestedHeadTitle(forAgencyName: "Sở Nội vụ tỉnh Quảng Ninh"), "Giám đốc")
        XCTAssertEqual(SignatureBlock.suggestedHeadTitle(forAgencyName: "Bộ Tư pháp"), "Bộ trưởng")
        XCTAssertEqual(SignatureBlock.suggestedHeadTitle(forAgencyName: "Văn phòng Chính phủ"), "Bộ trưởng, Chủ nhiệm")
        XCTAssertEqual(SignatureBlock.suggestedCollectiveName(forAgencyName: "Ủy ban nhân dân tỉnh Đồng Tháp"), "Ủy ban nhân dân")
        XCTAssertEqual(SignatureBlock.suggestedPosition(recorded: "Lãnh đạo", mark: .deputy, headTitle: "Chủ tịch", roleNames: ["Lãnh đạo"]), "Phó chủ tịch")
        XCTAssertEqual(SignatureBlock.suggestedPosition(recorded: "Phó Giám đốc", mark: .deputy, headTitle: "Giám đốc", roleNames: ["Lãnh đạo"]), "Phó Giám đốc")
    }
}

/// Chain building is what this test needs from the verifier; validity periods and key usage
/// are checked by SignatureVerifier's own tests.
private struct AnyChainPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage]
    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult { .meetsPolicy }
}
