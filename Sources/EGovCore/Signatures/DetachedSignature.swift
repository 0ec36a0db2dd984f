import Crypto
import Foundation
import SwiftASN1
import X509

/// A signature kept beside a document file instead of inside it, so any file type (PDF,
/// scanned image, Word) can be signed without changing its bytes.
///
/// The ECDSA signature covers `signingInput(contentSHA256:signedAt:)`, which binds the file
/// digest, the signing time and a purpose label: it cannot be replayed for another file, another
/// time, or another kind of EGov signature.
public struct DetachedSignature: Codable, Sendable, Hashable {
    /// The only algorithm produced and accepted.
    public static let algorithmName = "ecdsa-p256-sha256"
    /// Domain separation: a signature made for something else never verifies as a document signature.
    public static let purposeLabel = "egov-document-signature-v1"

    public var algorithm: String
    /// Lowercase hex SHA-256 of the signed file's bytes.
    public var contentSHA256: String
    /// When the signer signed, in whole seconds. Certificate validity is judged at this time.
    public var signedAt: Date
    public var signerCertificatePEM: String
    /// Base64 of the DER-encoded ECDSA signature over `signingInput`.
    public var signature: String

    public init(algorithm: String = DetachedSignature.algorithmName, contentSHA256: String, signedAt: Date,
                signerCertificatePEM: String, signature: String) {
        self.algorithm = algorithm
        self.contentSHA256 = contentSHA256
        self.signedAt = signedAt
        self.signerCertificatePEM = signerCertificatePEM
        self.signature = signature
    }

    /// The exact bytes that are signed. Stored signatures depend on this layout, so it must
    /// never change (bump `purposeLabel` instead). ASCII lines, each ending in "\n":
    ///
    ///     egov-document-signature-v1
    ///     algorithm=ecdsa-p256-sha256
    ///     content-sha256=<64 lowercase hex>
    ///     signed-at=<YYYY-MM-DDTHH:MM:SSZ>
    ///
    /// Returns nil when the digest is not 64 lowercase hex digits or the time is outside
    /// 1970…9999, so odd input cannot produce an ambiguous message.
    public static func signingInput(contentSHA256: String, signedAt: Date) -> Data? {
        guard isLowercaseSHA256Hex(contentSHA256), let seconds = SigningTime.wholeSeconds(signedAt) else { return nil }
        let text = "\(purposeLabel)\nalgorithm=\(algorithmName)\ncontent-sha256=\(contentSHA256)\n"
            + "signed-at=\(SigningTime.iso8601(seconds))\n"
        return Data(text.utf8)
    }

    static func isLowercaseSHA256Hex(_ text: String) -> Bool {
        let utf8 = text.utf8
        return utf8.count == 64 && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Signing-time helpers. Formatting is done by hand (no locale, no formatter objects) so the
/// signed bytes are identical on every platform and Foundation version.
enum SigningTime {
    /// Last second of year 9999; beyond it ISO-8601 needs more than four year digits.
    static let latestSecond: Int64 = 253_402_300_799

    /// Seconds since 1970 rounded to the nearest whole second (tolerates float noise from JSON
    /// date strategies), or nil for NaN, infinities and times outside 1970…9999.
    static func wholeSeconds(_ date: Date) -> Int64? {
        let seconds = date.timeIntervalSince1970.rounded()
        guard seconds.isFinite, seconds >= 0, seconds <= Double(latestSecond) else { return nil }
        return Int64(seconds)
    }

    /// "YYYY-MM-DDTHH:MM:SSZ" (UTC), using the days-to-civil algorithm (proleptic Gregorian).
    static func iso8601(_ seconds: Int64) -> String {
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }
}

/// Why `DocumentSigner.sign` refused to sign.
public enum DocumentSigningError: Error, Equatable, Sendable {
    /// The digest is not 64 hex digits.
    case invalidContentDigest
    /// The signing time is NaN, infinite or outside 1970…9999.
    case invalidSigningTime
    /// The signer's certificate is expired or not yet valid at the signing time; such a
    /// signature would never verify, so it is refused up front.
    case certificateNotValidAtSigningTime
    /// The certificate lacks digitalSignature/nonRepudiation key usage, or is a CA.
    case certificateNotForDocumentSigning
}

/// Produces detached signatures with a personal identity.
public enum DocumentSigner {
    /// Lowercase hex SHA-256 of a file's bytes: the value to pass as `contentSHA256`.
    public static func sha256Hex<Bytes: DataProtocol>(of content: Bytes) -> String {
        DocumentPKI.lowercaseHex(SHA256.hash(data: content))
    }

    /// Signs a file digest (hex, either case) at `signingTime`, truncated to whole seconds.
    public static func sign(contentSHA256: String, with identity: IssuedIdentity,
                            at signingTime: Date) throws -> DetachedSignature {
        let digest = contentSHA256.lowercased()
        guard DetachedSignature.isLowercaseSHA256Hex(digest) else { throw DocumentSigningError.invalidContentDigest }
        let seconds = signingTime.timeIntervalSince1970
        guard seconds.isFinite, seconds >= 0, seconds <= Double(SigningTime.latestSecond) else {
            throw DocumentSigningError.invalidSigningTime
        }
        // Whole seconds, so the stored Date equals what was signed under any JSON date strategy.
        let signedAt = Date(timeIntervalSince1970: seconds.rounded(.down))
        let certificate = identity.certificate
        guard certificate.notValidBefore <= signedAt, signedAt <= certificate.notValidAfter else {
            throw DocumentSigningError.certificateNotValidAtSigningTime
        }
        guard DocumentPKI.mayProduceDocumentSignatures(certificate) else {
            throw DocumentSigningError.certificateNotForDocumentSigning
        }
        guard let input = DetachedSignature.signingInput(contentSHA256: digest, signedAt: signedAt) else {
            throw DocumentSigningError.invalidSigningTime
        }
        let ecdsa = try identity.privateKey.signature(for: input)
        return DetachedSignature(
            contentSHA256: digest,
            signedAt: signedAt,
            signerCertificatePEM: identity.certificatePEM,
            signature: ecdsa.derRepresentation.base64EncodedString())
    }
}

/// The signer as named by a verified certificate, for display next to the document.
public struct SignerDetails: Sendable, Hashable, Codable {
    /// Subject CN; falls back to the whole subject name when there is no CN.
    public var commonName: String
    public var organization: String?
    public var organizationalUnit: String?
    /// The `UID` attribute (EGov username), when present.
    public var username: String?
    /// First rfc822Name in subjectAltName, when present.
    public var email: String?
    /// Certificate serial number, lowercase hex.
    public var serialNumberHex: String
    public var issuerCommonName: String?
    public var notValidBefore: Date
    public var notValidAfter: Date
    /// Lowercase hex SHA-256 of the certificate's DER, to pin or look up the exact certificate.
    public var certificateSHA256: String

    public init(commonName: String, organization: String?, organizationalUnit: String?, username: String?,
                email: String?, serialNumberHex: String, issuerCommonName: String?, notValidBefore: Date,
                notValidAfter: Date, certificateSHA256: String) {
        self.commonName = commonName
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.username = username
        self.email = email
        self.serialNumberHex = serialNumberHex
        self.issuerCommonName = issuerCommonName
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
        self.certificateSHA256 = certificateSHA256
    }

    init(certificate: Certificate, der: [UInt8]) {
        let subject = certificate.subject
        var email: String?
        if let names = try? certificate.extensions.subjectAlternativeNames {
            for name in names {
                if case .rfc822Name(let address) = name { email = address; break }
            }
        }
        self.init(
            commonName: DocumentPKI.attribute(.RDNAttributeType.commonName, in: subject) ?? subject.description,
            organization: DocumentPKI.attribute(.RDNAttributeType.organizationName, in: subject),
            organizationalUnit: DocumentPKI.attribute(.RDNAttributeType.organizationalUnitName, in: subject),
            username: DocumentPKI.attribute(DocumentPKI.userIDAttribute, in: subject),
            email: email,
            serialNumberHex: DocumentPKI.serialHex(certificate.serialNumber),
            issuerCommonName: DocumentPKI.attribute(.RDNAttributeType.commonName, in: certificate.issuer),
            notValidBefore: certificate.notValidBefore,
            notValidAfter: certificate.notValidAfter,
            certificateSHA256: DocumentSigner.sha256Hex(of: der))
    }
}

/// Why a signature did not verify. Raw values are stable, for storing or showing in the UI.
public enum SignatureFailure: String, Error, Sendable, Hashable, Codable, CaseIterable {
    /// Unknown algorithm, bad or empty base64, unparsable certificate PEM, non-P-256 key, bad digest text
    /// or an impossible signing time.
    case malformed
    /// The file's digest differs from the signed one: the file was changed or is another file.
    case digestMismatch
    /// The ECDSA signature does not match the certificate's key (tampered signature, digest or time).
    case badSignature
    /// The claimed signing time is later than the verification time (plus clock skew).
    case signingTimeInFuture
    /// The signer's (or its issuer's) certificate was not valid at the signing time.
    case certificateExpiredOrNotYetValid
    /// The certificate may not sign documents (no digitalSignature/nonRepudiation key usage, or a CA).
    case certificateNotForDocumentSigning
    /// No chain from the signer's certificate to a trusted root.
    case certificateNotTrusted
}

/// The outcome of verifying a detached signature.
public enum SignatureVerdict: Sendable, Hashable {
    case valid(signer: SignerDetails)
    case invalid(reason: SignatureFailure)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    public var failure: SignatureFailure? {
        if case .invalid(let reason) = self { return reason }
        return nil
    }
}

/// Checks detached signatures against a set of trusted root certificates.
public enum SignatureVerifier {
    /// How far a signing time may lie after the verification time, for clocks that disagree.
    public static let allowedClockSkew: TimeInterval = 300

    /// Verifies in order: well-formed, digest matches `contentSHA256` (the digest of the file
    /// as it is now), ECDSA signature, signing time not in the future, signer certificate usable
    /// for signing and valid at `signedAt`, and a chain to one of `trustedRoots` valid at
    /// `signedAt`. Validity is judged at the signing time so that documents stay verifiable after
    /// the certificate expires. Never throws or traps: every problem becomes a verdict.
    ///
    /// Note: `signedAt` is the signer's own claim (there is no timestamp authority), and
    /// revocation is not checked.
    public static func verify(_ signature: DetachedSignature, contentSHA256: String,
                              trustedRoots: [Certificate], at now: Date) async -> SignatureVerdict {
        let expectedDigest = contentSHA256.lowercased()
        guard signature.algorithm == DetachedSignature.algorithmName,
              DetachedSignature.isLowercaseSHA256Hex(signature.contentSHA256),
              DetachedSignature.isLowercaseSHA256Hex(expectedDigest),
              let signedAtSeconds = SigningTime.wholeSeconds(signature.signedAt),
              let input = DetachedSignature.signingInput(contentSHA256: signature.contentSHA256,
                                                         signedAt: signature.signedAt),
              let parsed = try? DocumentPKI.parsePEM(signature.signerCertificatePEM),
              let signatureBytes = Data(base64Encoded: signature.signature), !signatureBytes.isEmpty,
              let publicKey = P256.Signing.PublicKey(parsed.certificate.publicKey)
        else { return .invalid(reason: .malformed) }

        guard expectedDigest == signature.contentSHA256 else { return .invalid(reason: .digestMismatch) }

        guard let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signatureBytes),
              publicKey.isValidSignature(ecdsa, for: input)
        else { return .invalid(reason: .badSignature) }

        let signedAt = Date(timeIntervalSince1970: TimeInterval(signedAtSeconds))
        let certificate = parsed.certificate
        guard signedAt <= now.addingTimeInterval(allowedClockSkew) else {
            return .invalid(reason: .signingTimeInFuture)
        }
        guard certificate.notValidBefore <= signedAt, signedAt <= certificate.notValidAfter else {
            return .invalid(reason: .certificateExpiredOrNotYetValid)
        }
        guard DocumentPKI.mayProduceDocumentSignatures(certificate) else {
            return .invalid(reason: .certificateNotForDocumentSigning)
        }

        if await chainIsTrusted(certificate, roots: trustedRoots, validAt: signedAt) {
            return .valid(signer: SignerDetails(certificate: certificate, der: parsed.der))
        }
        // Tell "an issuer was expired then" apart from "no trusted issuer at all".
        if await chainIsTrusted(certificate, roots: trustedRoots, validAt: nil) {
            return .invalid(reason: .certificateExpiredOrNotYetValid)
        }
        return .invalid(reason: .certificateNotTrusted)
    }

    /// Chain building and issuer-signature checks come from swift-certificates' `Verifier`;
    /// the policy is our own (see `SigningTimeChainPolicy`) because `RFC5280Policy` only
    /// checks expiry at a fixed past time through deprecated or SPI initialisers.
    private static func chainIsTrusted(_ leaf: Certificate, roots: [Certificate], validAt time: Date?) async -> Bool {
        guard !roots.isEmpty else { return false }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            SigningTimeChainPolicy(validationTime: time)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
        if case .validCertificate = result { return true }
        return false
    }
}

/// RFC 5280 checks that matter for a signing chain, with validity judged at the signing time
/// rather than now: every certificate valid at `validationTime` (skipped when nil), certificates
/// with extensions are v3, and every issuer is a CA (basicConstraints CA=true, within its
/// pathLen, keyCertSign if keyUsage is present). Name constraints are not implemented, so they
/// are not listed as handled and a chain with critical name constraints is rejected.
struct SigningTimeChainPolicy: VerifierPolicy, Sendable {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.basicConstraints,
        .X509ExtensionID.keyUsage,
    ]
    let validationTime: Date?

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        for (index, certificate) in chain.enumerated() {
            if let validationTime,
               !(certificate.notValidBefore <= validationTime && validationTime <= certificate.notValidAfter) {
                return .failsToMeetPolicy(reason: "certificate \(index) not valid at the signing time")
            }
            if !certificate.extensions.isEmpty && certificate.version != .v3 {
                return .failsToMeetPolicy(reason: "certificate \(index) has extensions but is not v3")
            }
            guard index > 0 else { continue }
            guard case .isCertificateAuthority(let maxPathLength) = try? certificate.extensions.basicConstraints else {
                return .failsToMeetPolicy(reason: "issuer \(index) is not a CA")
            }
            // Certificates between this issuer and the leaf (self-issued ones are not exempted: stricter).
            if let maxPathLength, index - 1 > maxPathLength {
                return .failsToMeetPolicy(reason: "issuer \(index) path length exceeded")
            }
            if certificate.extensions[oid: .X509ExtensionID.keyUsage] != nil {
                guard let keyUsage = try? certificate.extensions.keyUsage, keyUsage.keyCertSign else {
                    return .failsToMeetPolicy(reason: "issuer \(index) may not sign certificates")
                }
            }
        }
        return .meetsPolicy
    }
}
