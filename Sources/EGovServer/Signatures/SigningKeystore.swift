import Crypto
import EGovCore
import Fluent
import Foundation
import Vapor
import X509

/// A signer's certificate and (sealed) private key. Keys are held by the node for server-side
/// signing (ký số từ xa): sealed with AES-GCM under the node's keystore key, never stored in clear.
final class SigningIdentityRecord: Model, @unchecked Sendable {
    static let schema = "signing_identities"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "certificate_pem") var certificatePEM: String
    /// AES-GCM sealed box (nonce, ciphertext, tag) of the PKCS#8 PEM, base64.
    @Field(key: "sealed_private_key") var sealedPrivateKey: String
    @Field(key: "serial_hex") var serialHex: String
    @Field(key: "not_after") var notAfter: Date
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateSigningIdentities: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(SigningIdentityRecord.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("certificate_pem", .string, .required)
            .field("sealed_private_key", .string, .required)
            .field("serial_hex", .string, .required)
            .field("not_after", .datetime, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(SigningIdentityRecord.schema).delete() }
}

/// The node's PKI files under `<data>/pki/`: the development CA (certificate and key), the
/// keystore key that seals signers' private keys, and extra trusted roots in `trusted/*.pem`
/// (for example the national CA of a real deployment).
struct SigningKeystore: Sendable {
    let directory: String

    init(dataDirectory: String) {
        directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("pki").path
    }

    var caCertificatePath: String { directory + "/ca-cert.pem" }
    var caKeyPath: String { directory + "/ca-key.pem" }
    var keystoreKeyPath: String { directory + "/keystore.key" }
    var trustedDirectory: String { directory + "/trusted" }

    enum KeystoreError: Error, CustomStringConvertible {
        case noCertificateAuthority
        case noSigningCertificate(String)
        case sealedKeyUnreadable
        var description: String {
            switch self {
            case .noCertificateAuthority: "no development CA yet: run `egov pki init`"
            case .noSigningCertificate(let who): "\(who) has no signing certificate: run `egov pki issue \(who)`"
            case .sealedKeyUnreadable: "a signing key cannot be unsealed with this node's keystore key"
            }
        }
    }

    /// The development CA, created on first use.
    @discardableResult
    func ensureCertificateAuthority(organization: String, now: Date) throws -> IssuedIdentity {
        if let existing = try? certificateAuthority() { return existing }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ca = try DevelopmentCA.create(commonName: "EGov Development CA", organization: organization, now: now, validityDays: 3650)
        try write(ca.certificatePEM, to: caCertificatePath, mode: 0o644)
        try write(ca.privateKeyPEM, to: caKeyPath, mode: 0o600)
        return ca
    }

    func certificateAuthority() throws -> IssuedIdentity {
        guard let cert = try? String(contentsOfFile: caCertificatePath, encoding: .utf8),
              let key = try? String(contentsOfFile: caKeyPath, encoding: .utf8) else { throw KeystoreError.noCertificateAuthority }
        return try IssuedIdentity(certificatePEM: cert, privateKeyPEM: key)
    }

    /// Roots a signature may chain to: the development CA and every certificate in `trusted/`.
    func trustedRoots() -> [Certificate] {
        var roots: [Certificate] = []
        if let pem = try? String(contentsOfFile: caCertificatePath, encoding: .utf8), let cert = try? DocumentPKI.certificate(fromPEM: pem) {
            roots.append(cert)
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: trustedDirectory)) ?? []
        for file in files.sorted() where file.hasSuffix(".pem") {
            if let bundle = try? String(contentsOfFile: trustedDirectory + "/" + file, encoding: .utf8),
               let certs = try? DocumentPKI.certificates(fromPEMBundle: bundle) {
                roots += certs
            }
        }
        return roots
    }

    private func keystoreKey() throws -> SymmetricKey {
        if let data = FileManager.default.contents(atPath: keystoreKeyPath), data.count == 32 { return SymmetricKey(data: data) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: keystoreKeyPath, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return key
    }

    func seal(privateKeyPEM: String) throws -> String {
        let box = try AES.GCM.seal(Data(privateKeyPEM.utf8), using: try keystoreKey())
        guard let combined = box.combined else { throw KeystoreError.sealedKeyUnreadable }
        return combined.base64EncodedString()
    }

    func unseal(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: try keystoreKey()) else { throw KeystoreError.sealedKeyUnreadable }
        return String(decoding: plain, as: UTF8.self)
    }

    private func write(_ text: String, to path: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}

/// Issues (or renews) a user's signing certificate from the node's development CA; the
/// previous one stops being used for new signatures but still verifies old ones.
/// What every stored signing key keeps (a person's, an agency's seal): the certificate the
/// node's CA issued, and its private key sealed under the keystore key.
struct SealedIdentity: Sendable {
    let certificatePEM: String
    let sealedPrivateKey: String
    let serialHex: String
    let notAfter: Date
}

extension SigningKeystore {
    /// Issues a certificate for `subject` from the node's development CA and seals its key.
    func issueSealed(to subject: SubjectInfo, now: Date, validityDays: Int) throws -> SealedIdentity {
        let ca = try ensureCertificateAuthority(organization: subject.organization, now: now)
        let identity = try DevelopmentCA.issue(to: subject, by: ca, now: now, validityDays: validityDays)
        return SealedIdentity(certificatePEM: identity.certificatePEM, sealedPrivateKey: try seal(privateKeyPEM: identity.privateKeyPEM),
                              serialHex: identity.details.serialNumberHex, notAfter: identity.details.notValidAfter)
    }

    /// A stored identity with its key unsealed, for signing.
    func unsealed(certificatePEM: String, sealedPrivateKey: String) throws -> IssuedIdentity {
        try IssuedIdentity(certificatePEM: certificatePEM, privateKeyPEM: try unseal(sealedPrivateKey))
    }
}

enum SigningCertificates {
    static func issue(for user: User, agencyName: String, unitName: String?, keystore: SigningKeystore, now: Date, validityDays: Int = 730,
                      on db: Database) async throws -> SigningIdentityRecord {
        let sealed = try keystore.issueSealed(
            to: SubjectInfo(fullName: user.fullName, username: user.username, organization: agencyName, organizationalUnit: unitName,
                            email: user.email.isEmpty ? nil : user.email),
            now: now, validityDays: validityDays)
        let record = SigningIdentityRecord()
        record.userID = user.id!
        record.certificatePEM = sealed.certificatePEM
        record.sealedPrivateKey = sealed.sealedPrivateKey
        record.serialHex = sealed.serialHex
        record.notAfter = sealed.notAfter
        record.isActive = true
        try await SigningIdentityRecord.query(on: db).filter(\.$userID == user.id!).set(\.$isActive, to: false).update()
        try await record.create(on: db)
        return record
    }

    /// The user's current identity, unsealed, for signing.
    static func current(for userID: UUID, keystore: SigningKeystore, on db: Database) async throws -> IssuedIdentity? {
        guard let record = try await SigningIdentityRecord.query(on: db).filter(\.$userID == userID).filter(\.$isActive == true)
            .sort(\.$createdAt, .descending).first() else { return nil }
        return try keystore.unsealed(certificatePEM: record.certificatePEM, sealedPrivateKey: record.sealedPrivateKey)
    }
}
