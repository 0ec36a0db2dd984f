import Crypto
import Foundation
import SwiftASN1
import X509

/// Why creating, issuing or loading a certificate failed.
public enum DocumentPKIError: Error, Equatable, Sendable {
    /// A required name field is empty, or the e-mail address is not a plain ASCII address.
    case invalidSubject(field: String)
    /// Validity must be a positive number of days (at most 100 years) from a sane start time.
    case invalidValidity
    /// Only a CA certificate (basicConstraints CA=true) may issue certificates.
    case issuerIsNotACertificateAuthority
    /// The CA is expired or not yet valid at the requested issuing time.
    case issuerNotValidAt(Date)
    /// The text is not a PEM "CERTIFICATE" that parses as X.509.
    case malformedCertificate
    /// The text is not a P-256 private key in PEM ("PRIVATE KEY" PKCS#8 or "EC PRIVATE KEY").
    case malformedPrivateKey
    /// The private key does not belong to the certificate's public key (e.g. files mixed up).
    case keyDoesNotMatchCertificate
    /// Only P-256 certificates are supported for document signing.
    case unsupportedKeyType
}

/// Who a personal signing certificate is issued to. Names are stored as UTF8String so
/// Vietnamese diacritics survive unchanged.
public struct SubjectInfo: Sendable, Hashable, Codable {
    public var fullName: String
    /// The login name, stored as the LDAP `UID` attribute so a certificate maps back to an account.
    public var username: String
    public var organization: String
    public var organizationalUnit: String?
    /// Put in subjectAltName (rfc822Name), where RFC 5280 wants e-mail addresses.
    public var email: String?

    public init(fullName: String, username: String, organization: String,
                organizationalUnit: String? = nil, email: String? = nil) {
        self.fullName = fullName
        self.username = username
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.email = email
    }
}

/// A certificate together with its private key: what a CA or a signer needs to act.
/// Its `description` never shows the key, so logging an identity cannot leak it.
public struct IssuedIdentity: Sendable, CustomStringConvertible {
    public let certificate: Certificate
    public let privateKey: P256.Signing.PrivateKey
    /// PEM "CERTIFICATE" of `certificate`, computed once so reading it cannot fail.
    public let certificatePEM: String
    /// DER bytes of `certificate` (the bytes its fingerprint is taken over).
    public let certificateDER: [UInt8]

    /// PKCS#8 PEM ("PRIVATE KEY"). Secret: store it encrypted or with tight file permissions.
    public var privateKeyPEM: String { privateKey.pemRepresentation }

    /// Who the certificate names, as shown next to a signature.
    public var details: SignerDetails { SignerDetails(certificate: certificate, der: certificateDER) }

    public var description: String {
        "IssuedIdentity(subject: \(certificate.subject), serial: \(DocumentPKI.serialHex(certificate.serialNumber)))"
    }

    /// Pairs a certificate with its key; refuses a key that is not the certificate's.
    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) throws {
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw DocumentPKIError.keyDoesNotMatchCertificate
        }
        self.certificate = certificate
        self.privateKey = privateKey
        do {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            self.certificateDER = serializer.serializedBytes
            self.certificatePEM = PEMDocument(type: "CERTIFICATE", derBytes: serializer.serializedBytes).pemString
        } catch {
            throw DocumentPKIError.malformedCertificate
        }
    }

    /// Loads an identity saved with `certificatePEM` / `privateKeyPEM`.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate = try DocumentPKI.certificate(fromPEM: certificatePEM)
        let key: P256.Signing.PrivateKey
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw DocumentPKIError.malformedPrivateKey
        }
        try self.init(certificate: certificate, privateKey: key)
    }
}

/// Helpers shared by issuing and verification.
public enum DocumentPKI {
    /// id-kp-documentSigning (RFC 9336): tells other software this key signs documents.
    public static let documentSigningUsage: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 36]
    /// LDAP userid attribute (RFC 4519), carries `SubjectInfo.username`.
    public static let userIDAttribute: ASN1ObjectIdentifier = [0, 9, 2342, 19_200_300, 100, 1, 1]

    /// Parses one PEM "CERTIFICATE" (e.g. the signer certificate inside a signature).
    public static func certificate(fromPEM pem: String) throws -> Certificate {
        try parsePEM(pem).certificate
    }

    /// Parses a PEM bundle of trusted roots (one or more "CERTIFICATE" blocks). An empty or
    /// broken bundle throws, so a bad trust configuration fails loudly at startup.
    public static func certificates(fromPEMBundle bundle: String) throws -> [Certificate] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: bundle)
        } catch {
            throw DocumentPKIError.malformedCertificate
        }
        guard !documents.isEmpty else { throw DocumentPKIError.malformedCertificate }
        return try documents.map { document in
            guard document.discriminator == "CERTIFICATE",
                  let certificate = try? Certificate(derEncoded: document.derBytes) else {
                throw DocumentPKIError.malformedCertificate
            }
            return certificate
        }
    }

    /// Parses PEM and keeps the exact DER received, so fingerprints match what was sent.
    static func parsePEM(_ pem: String) throws -> (certificate: Certificate, der: [UInt8]) {
        guard let document = try? PEMDocument(pemString: pem), document.discriminator == "CERTIFICATE",
              let certificate = try? Certificate(derEncoded: document.derBytes) else {
            throw DocumentPKIError.malformedCertificate
        }
        return (certificate, document.derBytes)
    }

    /// Serial as zero-padded lowercase hex (the library's own description drops leading zeros per byte).
    /// 159 random bits, positive, so the DER INTEGER fits the 20 octets RFC 5280 §4.1.2.2
    /// allows. swift-certificates' default draws 160 bits, which needs a 21st octet half of the
    /// time, and NSS (pdfsig, Firefox, LibreOffice) then cannot find the signer's certificate.
    static func newSerialNumber() -> Certificate.SerialNumber {
        var bytes = (0..<20).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = bytes[0] & 0x7F | 0x01
        return Certificate.SerialNumber(bytes: bytes)
    }

    public static func serialHex(_ serial: Certificate.SerialNumber) -> String {
        lowercaseHex(serial.bytes)
    }

    static func lowercaseHex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// First string value of `attribute` in `name`, if any.
    static func attribute(_ attribute: ASN1ObjectIdentifier, in name: DistinguishedName) -> String? {
        for rdn in name {
            for entry in rdn where entry.type == attribute {
                if let value = String(entry.value) { return value }
            }
        }
        return nil
    }

    /// True when a certificate may sign documents: keyUsage digitalSignature or nonRepudiation,
    /// and not a CA (a CA key should only sign certificates).
    static func mayProduceDocumentSignatures(_ certificate: Certificate) -> Bool {
        guard let keyUsage = try? certificate.extensions.keyUsage,
              keyUsage.digitalSignature || keyUsage.nonRepudiation else { return false }
        if case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? .notCertificateAuthority {
            return false
        }
        return true
    }

    /// Certificates carry whole seconds (and the library rounds to the nearest one), so a
    /// fractional start could land after `now` and make a fresh certificate "not yet valid".
    static func wholeSecond(_ date: Date) throws -> Date {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, (0...253_402_300_799).contains(seconds) else {
            throw DocumentPKIError.invalidValidity
        }
        return Date(timeIntervalSince1970: seconds.rounded(.down))
    }

    static func validityEnd(from start: Date, days: Int) throws -> Date {
        guard days > 0, days <= 36_600 else { throw DocumentPKIError.invalidValidity }
        let end = start.addingTimeInterval(Double(days) * 86_400)
        guard end.timeIntervalSince1970 <= 253_402_300_799 else { throw DocumentPKIError.invalidValidity }
        return end
    }
}

/// A local certificate authority for development and single-agency deployments. Real
/// deployments would have certificates issued by a licensed CA; the verifier treats
/// both the same way (it only needs the trusted root certificates).
public enum DevelopmentCA {
    /// A self-signed P-256 root allowed only to issue end-entity certificates (pathLen 0).
    public static func create(commonName: String, organization: String, now: Date,
                              validityDays: Int) throws -> IssuedIdentity {
        let commonName = commonName.trimmingCharacters(in: .whitespacesAndNewlines)
        let organization = organization.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commonName.isEmpty else { throw DocumentPKIError.invalidSubject(field: "commonName") }
        guard !organization.isEmpty else { throw DocumentPKIError.invalidSubject(field: "organization") }
        let start = try DocumentPKI.wholeSecond(now)
        let end = try DocumentPKI.validityEnd(from: start, days: validityDays)

        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName([
            RelativeDistinguishedName.Attribute(type: .RDNAttributeType.organizationName, utf8String: organization),
            RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, utf8String: commonName),
        ])
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: certificateKey.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: DocumentPKI.newSerialNumber(),
            publicKey: certificateKey.publicKey,
            notValidBefore: start,
            notValidAfter: end,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: certificateKey)
        return try IssuedIdentity(certificate: certificate, privateKey: key)
    }

    /// A personal signing certificate with a fresh P-256 key. Its validity is cut at the CA's
    /// own expiry, since a certificate cannot be trusted longer than its issuer.
    public static func issue(to subject: SubjectInfo, by ca: IssuedIdentity, now: Date,
                             validityDays: Int) throws -> IssuedIdentity {
        func required(_ value: String, _ field: String) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw DocumentPKIError.invalidSubject(field: field) }
            return trimmed
        }
        func optional(_ value: String?) -> String? {
            guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        let fullName = try required(subject.fullName, "fullName")
        let username = try required(subject.username, "username")
        let organization = try required(subject.organization, "organization")
        let unit = optional(subject.organizationalUnit)
        let email = optional(subject.email)
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard email.allSatisfy({ $0.isASCII && !$0.isWhitespace }), parts.count == 2,
                  !parts[0].isEmpty, !parts[1].isEmpty else {
                throw DocumentPKIError.invalidSubject(field: "email")
            }
        }

        guard case .isCertificateAuthority = (try? ca.certificate.extensions.basicConstraints) ?? .notCertificateAuthority else {
            throw DocumentPKIError.issuerIsNotACertificateAuthority
        }
        let start = try DocumentPKI.wholeSecond(now)
        guard ca.certificate.notValidBefore <= start, start < ca.certificate.notValidAfter else {
            throw DocumentPKIError.issuerNotValidAt(start)
        }
        let end = min(try DocumentPKI.validityEnd(from: start, days: validityDays), ca.certificate.notValidAfter)

        var attributes = [
            RelativeDistinguishedName.Attribute(type: .RDNAttributeType.organizationName, utf8String: organization),
        ]
        if let unit {
            attributes.append(.init(type: .RDNAttributeType.organizationalUnitName, utf8String: unit))
        }
        attributes.append(.init(type: .RDNAttributeType.commonName, utf8String: fullName))
        attributes.append(.init(type: DocumentPKI.userIDAttribute, utf8String: username))
        let subjectName = try DistinguishedName(attributes)

        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let caKeyID = (try? ca.certificate.extensions.subjectKeyIdentifier)?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: ca.certificate.publicKey).keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            // emailProtection beside documentSigning: NSS (pdfsig, Firefox) checks PDF signers
            // as e-mail signers and refuses a certificate whose EKU lacks it.
            try ExtendedKeyUsage([ExtendedKeyUsage.Usage(oid: DocumentPKI.documentSigningUsage), .emailProtection])
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: caKeyID)
            if let email {
                SubjectAlternativeNames([.rfc822Name(email)])
            }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: DocumentPKI.newSerialNumber(),
            publicKey: publicKey,
            notValidBefore: start,
            notValidAfter: end,
            issuer: ca.certificate.subject,
            subject: subjectName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(ca.privateKey))
        return try IssuedIdentity(certificate: certificate, privateKey: key)
    }
}
