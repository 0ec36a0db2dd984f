import Crypto
import Foundation
import SwiftASN1
import X509

/// The CMS SignedData (RFC 5652) a PAdES baseline-B signature carries in `/Contents`
/// (ETSI EN 319 142-1 §5.3, EN 319 122-1): detached, SHA-256, ECDSA P-256, signed
/// attributes content-type, message-digest and ESS signing-certificate-v2 — and no
/// signing-time attribute, which PAdES forbids (the time is the signature dictionary's `/M`).
///
/// Built here with SwiftASN1 because swift-certificates' `CMS.sign` cannot add
/// signing-certificate-v2 and keeps its CMS types internal. Its verifier
/// (`CMS.isValidSignature`) reads what is built here.
public enum PAdESSignedData {
    static let signedDataOID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    static let dataOID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]
    static let contentTypeOID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 3]
    static let messageDigestOID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 4]
    static let signingCertificateV2OID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 16, 2, 47]
    static let sha256OID: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    static let ecdsaWithSHA256OID: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]

    /// Signs `content` (for a PDF: the bytes its /ByteRange names, concatenated).
    /// `chain` are issuer certificates to carry beside the signer's, so a validator that
    /// trusts the root can build the path from the signature alone.
    public static func sign<Bytes: DataProtocol>(_ content: Bytes, with identity: IssuedIdentity, chain: [Certificate] = []) throws -> [UInt8] {
        let signedAttributes = try signedAttributesSet(contentDigest: Array(SHA256.hash(data: content)), signer: identity)
        let signature = try identity.privateKey.signature(for: signedAttributes).derRepresentation
        var certificates = [identity.certificateDER]
        for certificate in chain { certificates.append(try der(certificate)) }
        // DER orders a SET OF by the encodings.
        certificates.sort { lexicographicallyPrecedes($0, $1) }
        let issuer = try der(identity.certificate.issuer)

        var out = DER.Serializer()
        try out.appendConstructedNode(identifier: .sequence) { info in
            try info.serialize(signedDataOID)
            try info.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { explicit in
                try explicit.appendConstructedNode(identifier: .sequence) { signedData in
                    try signedData.serialize(1)
                    try signedData.appendConstructedNode(identifier: .set) { try sha256Algorithm(&$0) }
                    try signedData.appendConstructedNode(identifier: .sequence) { try $0.serialize(dataOID) }
                    signedData.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { set in
                        for certificate in certificates { set.serializeRawBytes(certificate) }
                    }
                    try signedData.appendConstructedNode(identifier: .set) { signerInfos in
                        try signerInfos.appendConstructedNode(identifier: .sequence) { signer in
                            try signer.serialize(1)
                            try signer.appendConstructedNode(identifier: .sequence) { sid in
                                sid.serializeRawBytes(issuer)
                                try sid.serialize(identity.certificate.serialNumber.bytes)
                            }
                            try sha256Algorithm(&signer)
                            // The same bytes as signed, re-tagged [0] IMPLICIT (RFC 5652 §5.4).
                            signer.serializeRawBytes([0xA0] + signedAttributes.dropFirst())
                            try signer.appendConstructedNode(identifier: .sequence) { try $0.serialize(ecdsaWithSHA256OID) }
                            try signer.serialize(ASN1OctetString(contentBytes: ArraySlice(signature)))
                        }
                    }
                }
            }
        }
        return out.serializedBytes
    }

    /// The DER `SET OF Attribute` that the ECDSA signature covers.
    static func signedAttributesSet(contentDigest: [UInt8], signer identity: IssuedIdentity) throws -> [UInt8] {
        let issuer = try der(identity.certificate.issuer)
        var attributes: [[UInt8]] = []
        attributes.append(try attribute(contentTypeOID) { try $0.serialize(dataOID) })
        attributes.append(try attribute(messageDigestOID) { try $0.serialize(ASN1OctetString(contentBytes: ArraySlice(contentDigest))) })
        // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (RFC 5035); the hash
        // algorithm is left out because SHA-256 is its default.
        attributes.append(try attribute(signingCertificateV2OID) { value in
            try value.appendConstructedNode(identifier: .sequence) { signingCertificate in
                try signingCertificate.appendConstructedNode(identifier: .sequence) { certs in
                    try certs.appendConstructedNode(identifier: .sequence) { certID in
                        try certID.serialize(ASN1OctetString(contentBytes: ArraySlice(SHA256.hash(data: identity.certificateDER))))
                        try certID.appendConstructedNode(identifier: .sequence) { issuerSerial in
                            // GeneralNames with one directoryName [4] (EXPLICIT, as Name is a CHOICE).
                            issuerSerial.appendConstructedNode(identifier: .sequence) { names in
                                names.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 4, tagClass: .contextSpecific)) {
                                    $0.serializeRawBytes(issuer)
                                }
                            }
                            try issuerSerial.serialize(identity.certificate.serialNumber.bytes)
                        }
                    }
                }
            }
        })
        attributes.sort { lexicographicallyPrecedes($0, $1) }
        var set = DER.Serializer()
        set.appendConstructedNode(identifier: .set) { node in
            for attribute in attributes { node.serializeRawBytes(attribute) }
        }
        return set.serializedBytes
    }

    static func attribute(_ type: ASN1ObjectIdentifier, value: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var out = DER.Serializer()
        try out.appendConstructedNode(identifier: .sequence) { attribute in
            try attribute.serialize(type)
            try attribute.appendConstructedNode(identifier: .set) { try value(&$0) }
        }
        return out.serializedBytes
    }

    /// Parameters absent, as RFC 5754 §2 asks (and swift-certificates' verifier compares).
    static func sha256Algorithm(_ out: inout DER.Serializer) throws {
        try out.appendConstructedNode(identifier: .sequence) { try $0.serialize(sha256OID) }
    }

    static func der<Value: DERSerializable>(_ value: Value) throws -> [UInt8] {
        var out = DER.Serializer()
        try out.serialize(value)
        return out.serializedBytes
    }

    static func lexicographicallyPrecedes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.lexicographicallyPrecedes(rhs)
    }
}
