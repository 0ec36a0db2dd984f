import Crypto
import Foundation

/// One audit log entry as the hash chain sees it. Each entry commits to the previous
/// entry's hash, so editing, deleting or reordering stored rows breaks the chain.
public struct AuditRecord: Sendable, Hashable, Codable {
    public let sequence: Int64
    public let occurredAtMillis: Int64
    public let actorID: String?
    public let actorName: String?
    public let agencyCode: String?
    public let action: String
    public let objectType: String?
    public let objectID: String?
    public let requestID: String?
    public let details: String?
    /// Hex SHA-256 of the previous entry; `AuditChain.genesisHash` for the first.
    public let previousHash: String

    public init(sequence: Int64, occurredAtMillis: Int64, actorID: String?, actorName: String?,
                agencyCode: String?, action: String, objectType: String?, objectID: String?,
                requestID: String?, details: String?, previousHash: String) {
        self.sequence = sequence
        self.occurredAtMillis = occurredAtMillis
        self.actorID = actorID
        self.actorName = actorName
        self.agencyCode = agencyCode
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.requestID = requestID
        self.details = details
        self.previousHash = previousHash
    }

    /// Stored hashes depend on this exact layout, so it must never change (bump the tag instead):
    /// the ASCII tag "egov-audit-v1", then each field in declaration order. Integers are 8 bytes
    /// big-endian; a string is 0x01, a 4-byte big-endian UTF-8 length, then its bytes (no
    /// normalisation); nil is a single 0x00. Length prefixes keep "a|b" apart from "a","b".
    public var canonicalBytes: [UInt8] {
        var bytes = Array("egov-audit-v1".utf8)
        func int(_ value: Int64) {
            let bits = UInt64(bitPattern: value)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        }
        func string(_ value: String?) {
            guard let value else { bytes.append(0x00); return }
            let utf8 = Array(value.utf8)
            bytes.append(0x01)
            let length = UInt32(truncatingIfNeeded: utf8.count)
            for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
            bytes.append(contentsOf: utf8)
        }
        int(sequence)
        int(occurredAtMillis)
        string(actorID)
        string(actorName)
        string(agencyCode)
        string(action)
        string(objectType)
        string(objectID)
        string(requestID)
        string(details)
        string(previousHash)
        return bytes
    }

    /// Lowercase hex SHA-256 of `canonicalBytes`.
    public var hash: String {
        SHA256.hash(data: canonicalBytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

public enum AuditChainProblem: Equatable, Sendable {
    /// The entry does not point at the hash of the entry before it.
    case wrongPreviousHash(sequence: Int64)
    /// Sequences must run 1, 2, 3 … with no hole (a deleted row) and in order.
    case gap(expected: Int64, found: Int64)
    /// The stored hash is not the hash of the stored fields (a row was edited).
    case hashMismatch(sequence: Int64, stored: String)
    /// The head record disagrees with the last entry (the tail was cut off or replaced).
    /// `expectedSequence` is the last entry's sequence (0 when there are none).
    case headMismatch(expectedSequence: Int64, storedSequence: Int64)
}

public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The record that follows `previous` (or starts the chain), with sequence and link filled in.
    public static func next(after previous: AuditRecord?, occurredAtMillis: Int64, actorID: String?,
                            actorName: String?, agencyCode: String?, action: String, objectType: String?,
                            objectID: String?, requestID: String?, details: String?) -> AuditRecord {
        AuditRecord(sequence: (previous?.sequence ?? 0) + 1, occurredAtMillis: occurredAtMillis,
                    actorID: actorID, actorName: actorName, agencyCode: agencyCode, action: action,
                    objectType: objectType, objectID: objectID, requestID: requestID, details: details,
                    previousHash: previous?.hash ?? genesisHash)
    }

    /// Walks entries in the order given, which must be sequence order starting at 1.
    /// `storedHashes[i]` is the hash the database holds for `entries[i]` (a missing one counts
    /// as a mismatch); `head` is the (sequence, hash) the database holds as the chain head,
    /// nil if none. Returns the first problem found, or nil when the chain is intact.
    public static func verify(_ entries: [AuditRecord], storedHashes: [String],
                              head: (sequence: Int64, hash: String)?) -> AuditChainProblem? {
        var verifier = AuditChainVerifier()
        for (index, entry) in entries.enumerated() {
            if let problem = verifier.check(entry, storedHash: index < storedHashes.count ? storedHashes[index] : "") {
                return problem
            }
        }
        return verifier.finish(head: head)
    }
}

/// Checks a chain one entry at a time, so a log of millions of rows is verified page by page
/// without holding it in memory. Feed entries in sequence order, then call `finish`.
public struct AuditChainVerifier: Sendable {
    private var expectedSequence: Int64 = 1
    private var previousHash = AuditChain.genesisHash
    private var lastSequence: Int64 = 0
    private var sawEntries = false

    public init() {}

    /// The first problem this entry shows, or nil.
    public mutating func check(_ entry: AuditRecord, storedHash: String) -> AuditChainProblem? {
        guard entry.sequence == expectedSequence else {
            return .gap(expected: expectedSequence, found: entry.sequence)
        }
        guard entry.previousHash == previousHash else {
            return .wrongPreviousHash(sequence: entry.sequence)
        }
        let computed = entry.hash
        guard computed == storedHash else {
            return .hashMismatch(sequence: entry.sequence, stored: storedHash)
        }
        previousHash = computed
        lastSequence = entry.sequence
        expectedSequence += 1
        sawEntries = true
        return nil
    }

    /// Compares the end of the chain with the stored head (which catches deleted last rows).
    public func finish(head: (sequence: Int64, hash: String)?) -> AuditChainProblem? {
        guard let head else {
            return sawEntries ? .headMismatch(expectedSequence: lastSequence, storedSequence: 0) : nil
        }
        if head.sequence != lastSequence || head.hash != previousHash {
            return .headMismatch(expectedSequence: lastSequence, storedSequence: head.sequence)
        }
        return nil
    }
}
