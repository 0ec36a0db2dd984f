import Crypto
import EGovCore
import Foundation
import X509
import XCTest

final class SignatureTests: XCTestCase {
    /// 2026-01-01T00:00:00Z; fixed so the tests do not depend on the clock.
    private let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    private let day: TimeInterval = 86_400
    private let content = Data("QUYẾT ĐỊNH số 12/QĐ-UBND về việc ban hành quy chế".utf8)

    private struct Fixture {
        let ca: IssuedIdentity
        let user: IssuedIdentity
        var roots: [Certificate] { [ca.certificate] }
    }

    private let subject = SubjectInfo(
        fullName: "Nguyễn Văn An", username: "an.nguyen", organization: "UBND tỉnh Hà Nam",
        organizationalUnit: "Văn phòng", email: "an.nguyen@hanam.gov.vn")

    /// A CA and a user certificate; issued at a fractional second on purpose (see wholeSecond).
    private func makeFixture(userValidityDays: Int = 365) throws -> Fixture {
        let ca = try DevelopmentCA.create(commonName: "EGov Development CA", organization: "UBND tỉnh Hà Nam",
                                          now: t0, validityDays: 3650)
        let user = try DevelopmentCA.issue(to: subject, by: ca, now: t0.addingTimeInterval(0.7),
                                           validityDays: userValidityDays)
        return Fixture(ca: ca, user: user)
    }

    private var digest: String { DocumentSigner.sha256Hex(of: content) }

    private func verify(_ signature: DetachedSignature, digest: String? = nil, roots: [Certificate],
                        at now: Date? = nil) async -> SignatureVerdict {
        await SignatureVerifier.verify(signature, contentSHA256: digest ?? self.digest, trustedRoots: roots,
                                       at: now ?? t0.addingTimeInterval(2 * day))
    }

    // MARK: - Valid signatures

    func test_signedDocumentVerifiesAndNamesTheSigner() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0.addingTimeInterval(0.7))
        XCTAssertEqual(signature.algorithm, "ecdsa-p256-sha256")
        XCTAssertEqual(signature.contentSHA256, digest)
        XCTAssertEqual(signature.signedAt, t0, "signing time is truncated to whole seconds")

        let verdict = await verify(signature, roots: f.roots)
        guard case .valid(let signer) = verdict else { return XCTFail("expected valid, got \(verdict)") }
        XCTAssertEqual(signer.commonName, "Nguyễn Văn An")
        XCTAssertEqual(signer.organization, "UBND tỉnh Hà Nam")
        XCTAssertEqual(signer.organizationalUnit, "Văn phòng")
        XCTAssertEqual(signer.username, "an.nguyen")
        XCTAssertEqual(signer.email, "an.nguyen@hanam.gov.vn")
        XCTAssertEqual(signer.issuerCommonName, "EGov Development CA")
        XCTAssertEqual(signer.serialNumberHex, f.user.certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(signer.notValidBefore, t0)
        XCTAssertEqual(signer.notValidAfter, t0.addingTimeInterval(365 * day))
        XCTAssertEqual(signer.certificateSHA256, DocumentSigner.sha256Hex(of: f.user.certificateDER))
        XCTAssertEqual(signer, f.user.details)
        XCTAssertTrue(verdict.isValid)
        XCTAssertNil(verdict.failure)
    }

    func test_uppercaseDigestFromCallerIsAccepted() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest.uppercased(), with: f.user, at: t0)
        XCTAssertEqual(signature.contentSHA256, digest)
        let verdict = await verify(signature, digest: digest.uppercased(), roots: f.roots)
        XCTAssertTrue(verdict.isValid, "\(verdict)")
    }

    func test_signatureStaysValidAfterCertificateExpires() async throws {
        let f = try makeFixture(userValidityDays: 30)
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0.addingTimeInterval(10 * day))
        let verdict = await verify(signature, roots: f.roots, at: t0.addingTimeInterval(5 * 365 * day))
        XCTAssertTrue(verdict.isValid, "validity is judged at the signing time, got \(verdict)")
    }

    // MARK: - Tampering

    func test_signatureOverChangedFileIsInvalid() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0)
        var changed = content
        changed[changed.startIndex] ^= 0x01
        let verdict = await verify(signature, digest: DocumentSigner.sha256Hex(of: changed), roots: f.roots)
        XCTAssertEqual(verdict, .invalid(reason: .digestMismatch))
    }

    func test_everyFlippedSignatureByteIsRejected() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0)
        let bytes = try XCTUnwrap(Data(base64Encoded: signature.signature))
        for index in bytes.indices {
            var flipped = bytes
            flipped[index] ^= 0x80
            var tampered = signature
            tampered.signature = flipped.base64EncodedString()
            let verdict = await verify(tampered, roots: f.roots)
            XCTAssertEqual(verdict, .invalid(reason: .badSignature), "byte \(index)")
        }
    }

    func test_signatureCannotBeMovedToAnotherFileOrTime() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0.addingTimeInterval(day))

        var otherFile = signature
        let otherDigest = DocumentSigner.sha256Hex(of: Data("another document".utf8))
        otherFile.contentSHA256 = otherDigest
        let movedVerdict = await verify(otherFile, digest: otherDigest, roots: f.roots)
        XCTAssertEqual(movedVerdict, .invalid(reason: .badSignature))

        var otherTime = signature
        otherTime.signedAt = signature.signedAt.addingTimeInterval(-1)
        let backdatedVerdict = await verify(otherTime, roots: f.roots)
        XCTAssertEqual(backdatedVerdict, .invalid(reason: .badSignature))
    }

    func test_signatureWithSwappedCertificateIsRejected() async throws {
        let f = try makeFixture()
        let colleague = try DevelopmentCA.issue(
            to: SubjectInfo(fullName: "Trần Thị Bình", username: "binh.tran", organization: "UBND tỉnh Hà Nam"),
            by: f.ca, now: t0, validityDays: 365)
        var signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0)
        signature.signerCertificatePEM = colleague.certificatePEM
        let verdict = await verify(signature, roots: f.roots)
        XCTAssertEqual(verdict, .invalid(reason: .badSignature), "a signature cannot be re-attributed to someone else")
    }

    // MARK: - Trust and validity

    func test_certificateFromAnotherCAIsNotTrusted() async throws {
        let f = try makeFixture()
        let otherCA = try DevelopmentCA.create(commonName: "Other CA", organization: "Elsewhere", now: t0, validityDays: 3650)
        let outsider = try DevelopmentCA.issue(to: subject, by: otherCA, now: t0, validityDays: 365)
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: outsider, at: t0)

        let verdict = await verify(signature, roots: f.roots)
        XCTAssertEqual(verdict, .invalid(reason: .certificateNotTrusted))
        let verdictWithOtherRoot = await verify(signature, roots: [otherCA.certificate])
        XCTAssertTrue(verdictWithOtherRoot.isValid, "same signature is fine for whoever trusts that CA")
        let verdictWithoutRoots = await verify(signature, roots: [])
        XCTAssertEqual(verdictWithoutRoots, .invalid(reason: .certificateNotTrusted))
    }

    func test_impostorCAWithSameNameIsNotTrusted() async throws {
        let f = try makeFixture()
        // Same subject name as the real CA, different key: only the issuer signature tells them apart.
        let impostor = try DevelopmentCA.create(commonName: "EGov Development CA", organization: "UBND tỉnh Hà Nam",
                                                now: t0, validityDays: 3650)
        XCTAssertEqual(impostor.certificate.subject, f.ca.certificate.subject)
        let forged = try DevelopmentCA.issue(to: subject, by: impostor, now: t0, validityDays: 365)
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: forged, at: t0)
        let verdict = await verify(signature, roots: f.roots)
        XCTAssertEqual(verdict, .invalid(reason: .certificateNotTrusted))
    }

    func test_signingTimeAfterCertificateExpiryIsInvalid() async throws {
        let f = try makeFixture(userValidityDays: 30)
        let late = t0.addingTimeInterval(40 * day)
        XCTAssertThrowsError(try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: late)) { error in
            XCTAssertEqual(error as? DocumentSigningError, .certificateNotValidAtSigningTime)
        }
        // A signer that bypasses DocumentSigner (another tool, a tampered client) still gets caught.
        let signature = try rawSignature(by: f.user, at: late)
        let verdict = await verify(signature, roots: f.roots, at: late.addingTimeInterval(day))
        XCTAssertEqual(verdict, .invalid(reason: .certificateExpiredOrNotYetValid))
    }

    func test_signingTimeBeforeCertificateIssueIsInvalid() async throws {
        let f = try makeFixture()
        let early = t0.addingTimeInterval(-day)
        let signature = try rawSignature(by: f.user, at: early)
        let verdict = await verify(signature, roots: f.roots)
        XCTAssertEqual(verdict, .invalid(reason: .certificateExpiredOrNotYetValid))
    }

    func test_signingTimeInTheFutureIsInvalid() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0.addingTimeInterval(day))
        let verdict = await verify(signature, roots: f.roots, at: t0)
        XCTAssertEqual(verdict, .invalid(reason: .signingTimeInFuture))
        let withinSkew = await verify(signature, roots: f.roots, at: t0.addingTimeInterval(day - 60))
        XCTAssertTrue(withinSkew.isValid, "a minute of clock skew is tolerated, got \(withinSkew)")
    }

    func test_chainThroughCAExpiredAtSigningTimeIsInvalid() async throws {
        let ca = try DevelopmentCA.create(commonName: "Short CA", organization: "O", now: t0, validityDays: 10)
        // DevelopmentCA would cut this at the CA's expiry; hand-made to outlive its issuer.
        let leaf = try handMadeLeaf(issuedBy: ca, notValidAfter: t0.addingTimeInterval(100 * day))
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: leaf, at: t0.addingTimeInterval(20 * day))
        let verdict = await verify(signature, roots: [ca.certificate], at: t0.addingTimeInterval(21 * day))
        XCTAssertEqual(verdict, .invalid(reason: .certificateExpiredOrNotYetValid))

        let inTime = try DocumentSigner.sign(contentSHA256: digest, with: leaf, at: t0.addingTimeInterval(5 * day))
        let inTimeVerdict = await verify(inTime, roots: [ca.certificate], at: t0.addingTimeInterval(21 * day))
        XCTAssertTrue(inTimeVerdict.isValid, "\(inTimeVerdict)")
    }

    func test_certificateIssuedByNonCAIsNotTrusted() async throws {
        let f = try makeFixture()
        // Even when the issuer itself is trusted, an end-entity key may not vouch for others.
        let leaf = try handMadeLeaf(issuedBy: f.user, notValidAfter: t0.addingTimeInterval(100 * day))
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: leaf, at: t0)
        let verdict = await verify(signature, roots: [f.user.certificate, f.ca.certificate])
        XCTAssertEqual(verdict, .invalid(reason: .certificateNotTrusted))
    }

    func test_caKeyCannotSignDocuments() async throws {
        let f = try makeFixture()
        XCTAssertThrowsError(try DocumentSigner.sign(contentSHA256: digest, with: f.ca, at: t0)) { error in
            XCTAssertEqual(error as? DocumentSigningError, .certificateNotForDocumentSigning)
        }
        let signature = try rawSignature(by: f.ca, at: t0)
        let verdict = await verify(signature, roots: f.roots)
        XCTAssertEqual(verdict, .invalid(reason: .certificateNotForDocumentSigning))
    }

    func test_userCertificateCannotIssueCertificates() throws {
        let f = try makeFixture()
        XCTAssertThrowsError(try DevelopmentCA.issue(to: subject, by: f.user, now: t0, validityDays: 30)) { error in
            XCTAssertEqual(error as? DocumentPKIError, .issuerIsNotACertificateAuthority)
        }
    }

    // MARK: - Certificates and PEM

    func test_certificatesCarryTheExpectedExtensions() throws {
        let f = try makeFixture(userValidityDays: 10 * 365)
        let ca = f.ca.certificate
        let user = f.user.certificate

        XCTAssertEqual(ca.subject, ca.issuer)
        XCTAssertEqual(try ca.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: 0))
        let caUsage = try XCTUnwrap(try ca.extensions.keyUsage)
        XCTAssertTrue(caUsage.keyCertSign && caUsage.cRLSign)
        XCTAssertFalse(caUsage.digitalSignature)
        XCTAssertTrue(ca.publicKey.isValidSignature(ca.signature, for: ca))

        XCTAssertEqual(user.issuer, ca.subject)
        XCTAssertEqual(try user.extensions.basicConstraints, .notCertificateAuthority)
        let userUsage = try XCTUnwrap(try user.extensions.keyUsage)
        XCTAssertTrue(userUsage.digitalSignature && userUsage.nonRepudiation)
        XCTAssertFalse(userUsage.keyCertSign)
        XCTAssertTrue(ca.publicKey.isValidSignature(user.signature, for: user))
        XCTAssertEqual(try user.extensions.authorityKeyIdentifier?.keyIdentifier,
                       try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
        XCTAssertNotNil(try user.extensions.subjectKeyIdentifier)
        XCTAssertNotEqual(user.serialNumber, ca.serialNumber)
        XCTAssertEqual(user.notValidAfter, ca.notValidAfter, "user validity is cut at the CA's expiry")
        XCTAssertEqual(user.notValidBefore, t0, "fractional issue time is truncated, never rounded up")
    }

    func test_identityRoundTripsThroughPEM() async throws {
        let f = try makeFixture()
        XCTAssertTrue(f.user.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        XCTAssertTrue(f.user.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        XCTAssertFalse(f.user.description.contains("PRIVATE"), "description must not reveal the key")

        let reloaded = try IssuedIdentity(certificatePEM: f.user.certificatePEM, privateKeyPEM: f.user.privateKeyPEM)
        XCTAssertEqual(reloaded.certificate, f.user.certificate)
        XCTAssertEqual(reloaded.privateKey.rawRepresentation, f.user.privateKey.rawRepresentation)
        XCTAssertEqual(reloaded.certificatePEM, f.user.certificatePEM)

        let signature = try DocumentSigner.sign(contentSHA256: digest, with: reloaded, at: t0)
        let roots = try DocumentPKI.certificates(fromPEMBundle: f.ca.certificatePEM + f.user.certificatePEM)
        XCTAssertEqual(roots.count, 2)
        let verdict = await verify(signature, roots: [roots[0]])
        XCTAssertTrue(verdict.isValid, "\(verdict)")

        let reloadedCA = try IssuedIdentity(certificatePEM: f.ca.certificatePEM, privateKeyPEM: f.ca.privateKeyPEM)
        let next = try DevelopmentCA.issue(to: subject, by: reloadedCA, now: t0, validityDays: 30)
        XCTAssertTrue(f.ca.certificate.publicKey.isValidSignature(next.certificate.signature, for: next.certificate))
    }

    func test_mismatchedOrBrokenIdentityPEMIsRejected() throws {
        let f = try makeFixture()
        XCTAssertThrowsError(try IssuedIdentity(certificatePEM: f.user.certificatePEM, privateKeyPEM: f.ca.privateKeyPEM)) {
            XCTAssertEqual($0 as? DocumentPKIError, .keyDoesNotMatchCertificate)
        }
        XCTAssertThrowsError(try IssuedIdentity(certificatePEM: "not a pem", privateKeyPEM: f.user.privateKeyPEM)) {
            XCTAssertEqual($0 as? DocumentPKIError, .malformedCertificate)
        }
        XCTAssertThrowsError(try IssuedIdentity(certificatePEM: f.user.privateKeyPEM, privateKeyPEM: f.user.privateKeyPEM)) {
            XCTAssertEqual($0 as? DocumentPKIError, .malformedCertificate, "a key is not a certificate")
        }
        XCTAssertThrowsError(try IssuedIdentity(certificatePEM: f.user.certificatePEM, privateKeyPEM: "garbage")) {
            XCTAssertEqual($0 as? DocumentPKIError, .malformedPrivateKey)
        }
        XCTAssertThrowsError(try DocumentPKI.certificates(fromPEMBundle: ""))
        XCTAssertThrowsError(try DocumentPKI.certificates(fromPEMBundle: f.user.privateKeyPEM))
    }

    func test_invalidSubjectsAndValiditiesAreRejected() throws {
        let f = try makeFixture()
        func issue(_ subject: SubjectInfo, days: Int = 30) throws {
            _ = try DevelopmentCA.issue(to: subject, by: f.ca, now: t0, validityDays: days)
        }
        XCTAssertThrowsError(try issue(SubjectInfo(fullName: "  ", username: "a", organization: "o")))
        XCTAssertThrowsError(try issue(SubjectInfo(fullName: "A", username: "", organization: "o")))
        XCTAssertThrowsError(try issue(SubjectInfo(fullName: "A", username: "a", organization: "o", email: "no-at-sign")))
        XCTAssertThrowsError(try issue(SubjectInfo(fullName: "A", username: "a", organization: "o", email: "ạ@x.vn")))
        XCTAssertThrowsError(try issue(SubjectInfo(fullName: "A", username: "a", organization: "o"), days: 0))
        XCTAssertThrowsError(try DevelopmentCA.issue(to: subject, by: f.ca, now: t0.addingTimeInterval(-day), validityDays: 1)) {
            XCTAssertEqual($0 as? DocumentPKIError, .issuerNotValidAt(self.t0.addingTimeInterval(-self.day)))
        }
        XCTAssertThrowsError(try DevelopmentCA.create(commonName: "CA", organization: "O", now: Date(timeIntervalSince1970: .nan), validityDays: 1))
        XCTAssertThrowsError(try DevelopmentCA.create(commonName: "CA", organization: "O", now: t0, validityDays: Int.max))
        // Empty optional fields are simply left out.
        let plain = try DevelopmentCA.issue(to: SubjectInfo(fullName: "A", username: "a", organization: "o",
                                                            organizationalUnit: " ", email: ""),
                                            by: f.ca, now: t0, validityDays: 30)
        XCTAssertNil(plain.details.organizationalUnit)
        XCTAssertNil(plain.details.email)
    }

    // MARK: - Garbage input

    func test_garbageInputIsMalformedAndNeverCrashes() async throws {
        let f = try makeFixture()
        let good = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0)
        func altered(_ change: (inout DetachedSignature) -> Void) -> DetachedSignature {
            var copy = good
            change(&copy)
            return copy
        }
        let malformed: [(String, DetachedSignature)] = [
            ("not base64", altered { $0.signature = "@@@ not base64 @@@" }),
            ("empty signature", altered { $0.signature = "" }),
            ("garbage PEM", altered { $0.signerCertificatePEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }),
            ("not PEM", altered { $0.signerCertificatePEM = "hello" }),
            ("key instead of cert", altered { $0.signerCertificatePEM = f.user.privateKeyPEM }),
            ("unknown algorithm", altered { $0.algorithm = "rsa-sha1" }),
            ("short digest", altered { $0.contentSHA256 = "abc" }),
            ("uppercase stored digest", altered { $0.contentSHA256 = $0.contentSHA256.uppercased() }),
            ("NaN time", altered { $0.signedAt = Date(timeIntervalSince1970: .nan) }),
            ("infinite time", altered { $0.signedAt = .distantFuture.addingTimeInterval(.infinity) }),
            ("huge time", altered { $0.signedAt = Date(timeIntervalSince1970: 1e300) }),
            ("negative time", altered { $0.signedAt = Date(timeIntervalSince1970: -1e300) }),
        ]
        for (label, signature) in malformed {
            let verdict = await verify(signature, roots: f.roots)
            XCTAssertEqual(verdict, .invalid(reason: .malformed), label)
        }
        let badCallerDigest = await verify(good, digest: "zz", roots: f.roots)
        XCTAssertEqual(badCallerDigest, .invalid(reason: .malformed))

        // Decodes as base64 but is no ECDSA signature: that is a bad signature, not bad packaging.
        let noise = altered { $0.signature = Data((0..<70).map { UInt8(truncatingIfNeeded: $0 &* 37) }).base64EncodedString() }
        let noiseVerdict = await verify(noise, roots: f.roots)
        XCTAssertEqual(noiseVerdict, .invalid(reason: .badSignature))

        XCTAssertThrowsError(try DocumentSigner.sign(contentSHA256: "xyz", with: f.user, at: t0))
        XCTAssertThrowsError(try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: Date(timeIntervalSince1970: .nan)))
    }

    func test_garbageJSONDoesNotDecode() {
        let samples = ["{}", "[]", "null", "{\"algorithm\":1}", "not json"]
        for sample in samples {
            XCTAssertThrowsError(try JSONDecoder().decode(DetachedSignature.self, from: Data(sample.utf8)), sample)
        }
    }

    // MARK: - Serialisation

    func test_detachedSignatureRoundTripsThroughJSON() async throws {
        let f = try makeFixture()
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: f.user, at: t0.addingTimeInterval(12_345.678))
        for strategy in [JSONEncoder.DateEncodingStrategy.deferredToDate, .iso8601, .secondsSince1970, .millisecondsSince1970] {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = strategy
            let decoder = JSONDecoder()
            switch strategy {
            case .iso8601: decoder.dateDecodingStrategy = .iso8601
            case .secondsSince1970: decoder.dateDecodingStrategy = .secondsSince1970
            case .millisecondsSince1970: decoder.dateDecodingStrategy = .millisecondsSince1970
            default: break
            }
            let decoded = try decoder.decode(DetachedSignature.self, from: encoder.encode(signature))
            XCTAssertEqual(decoded, signature, "\(strategy)")
            let verdict = await verify(decoded, roots: f.roots)
            XCTAssertTrue(verdict.isValid, "\(strategy): \(verdict)")
        }
        let json = String(decoding: try JSONEncoder().encode(signature), as: UTF8.self)
        for key in ["algorithm", "contentSHA256", "signedAt", "signerCertificatePEM", "signature"] {
            XCTAssertTrue(json.contains("\"\(key)\""), key)
        }
    }

    func test_verdictsAndFailuresEncodeStably() throws {
        XCTAssertEqual(SignatureFailure.digestMismatch.rawValue, "digestMismatch")
        let data = try JSONEncoder().encode([SignatureFailure.certificateNotTrusted])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"certificateNotTrusted\"]")
    }

    func test_signingInputLayoutIsStable() throws {
        let digest = String(repeating: "0123456789abcdef", count: 4)
        // 2024-02-29T23:59:59Z: a leap day, last second.
        let input = try XCTUnwrap(DetachedSignature.signingInput(contentSHA256: digest,
                                                                 signedAt: Date(timeIntervalSince1970: 1_709_251_199)))
        XCTAssertEqual(String(decoding: input, as: UTF8.self),
                       "egov-document-signature-v1\nalgorithm=ecdsa-p256-sha256\ncontent-sha256=\(digest)\n"
                       + "signed-at=2024-02-29T23:59:59Z\n")
        let cases: [(TimeInterval, String)] = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_767_225_599, "2025-12-31T23:59:59Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ]
        for (seconds, expected) in cases {
            let bytes = try XCTUnwrap(DetachedSignature.signingInput(contentSHA256: digest,
                                                                     signedAt: Date(timeIntervalSince1970: seconds)))
            XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasSuffix("signed-at=\(expected)\n"), expected)
        }
        XCTAssertNil(DetachedSignature.signingInput(contentSHA256: digest.uppercased(), signedAt: t0))
        XCTAssertNil(DetachedSignature.signingInput(contentSHA256: digest, signedAt: Date(timeIntervalSince1970: -1)))
        XCTAssertEqual(DocumentSigner.sha256Hex(of: Data("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    // MARK: - Helpers

    /// A signing certificate built directly with swift-certificates, bypassing DevelopmentCA's rules.
    private func handMadeLeaf(issuedBy issuer: IssuedIdentity, notValidAfter: Date) throws -> IssuedIdentity {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: t0,
            notValidAfter: notValidAfter,
            issuer: issuer.certificate.subject,
            subject: try DistinguishedName { CommonName("Hand made") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(issuer.privateKey))
        return try IssuedIdentity(certificate: certificate, privateKey: key)
    }

    /// Signs like a third-party tool would, without DocumentSigner's up-front checks.
    private func rawSignature(by identity: IssuedIdentity, at time: Date) throws -> DetachedSignature {
        let input = try XCTUnwrap(DetachedSignature.signingInput(contentSHA256: digest, signedAt: time))
        let ecdsa = try identity.privateKey.signature(for: input)
        return DetachedSignature(contentSHA256: digest, signedAt: time, signerCertificatePEM: identity.certificatePEM,
                                 signature: ecdsa.derRepresentation.base64EncodedString())
    }
}
