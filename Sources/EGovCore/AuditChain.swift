import Crypto
import Foundation

/// One audit log entry as the hash chain sees it. Each entry commits to the previous
/// entry's hash, so editing, deleting or reordering stored rows breaks the chain.
///
/// The log is several chains: one per agency, one for system events, one for applicants
/// (`AuditChain.Key`), so agencies never wait for each other to append. Entries written before
/// that form the legacy chain and keep their version-1 layout (`chain` and
/// `previousSequence` nil), which cannot be re-hashed without trusting rows as they are.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// The entry's number in the whole log: unique, and rising along each chain. In the legacy
    /// chain it is also the position (1, 2, 3 …); in a keyed chain numbers of other chains come between.
    public let sequence: Int64
    /// The chain the entry belongs to; nil in the legacy chain.
    public let chain: String?
    /// The number of the chain's previous entry (0 for the first); nil in the legacy chain,
    /// where it is always `sequence - 1`. It names the entry that is missing when one is deleted.
    public let previousSequence: Int64?
    public let occurredAtMillis: Int64
    public let actorID: String?
    public let actorName: String?
    public let agencyCode: String?
    public let action: String
    public let objectType: String?
    public let objectID: String?
    public let requestID: String?
    public let details: String?
    /// Hex SHA-256 of the previous entry; the chain's genesis hash for the first.
    public let previousHash: String

    /// An entry of the legacy chain (layout "egov-audit-v1").
    public init(sequence: Int64, occurredAtMillis: Int64, actorID: String?, actorName: String?,
                agencyCode: String?, action: String, objectType: String?, objectID: String?,
                requestID: String?, details: String?, previousHash: String) {
        self.init(sequence: sequence, chain: nil, previousSequence: nil, occurredAtMillis: occurredAtMillis,
                  actorID: actorID, actorName: actorName, agencyCode: agencyCode, action: action,
                  objectType: objectType, objectID: objectID, requestID: requestID, details: details,
                  previousHash: previousHash)
    }

    /// An entry of a keyed chain (layout "egov-audit-v2") when `chain` is given, else of the legacy one.
    public init(sequence: Int64, chain: String?, previousSequence: Int64?, occurredAtMillis: Int64,
                actorID: String?, actorName: String?, agencyCode: String?, action: String,
                objectType: String?, objectID: String?, requestID: String?, details: String?,
                previousHash: String) {
        self.sequence = sequence
        self.chain = chain
        self.previousSequence = chain == nil ? nil : (previousSequence ?? 0)
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

    /// Stored hashes depend on this exact layout, so it must never change (bump the tag instead).
    /// Legacy entries: the ASCII tag "egov-audit-v1", then sequence, occurredAtMillis, actorID,
    /// actorName, agencyCode, action, objectType, objectID, requestID, details, previousHash.
    /// Keyed chains: the tag "egov-audit-v2", then sequence, chain, previousSequence and the same
    /// fields from occurredAtMillis on. Integers are 8 bytes big-endian; a string is 0x01, a 4-byte
    /// big-endian UTF-8 length, then its bytes (no normalisation); nil is a single 0x00. Length
    /// prefixes keep "a|b" apart from "a","b".
    public var canonicalBytes: [UInt8] {
        var bytes = Array((chain == nil ? "egov-audit-v1" : "egov-audit-v2").utf8)
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
        if let chain {
            string(chain)
            int(previousSequence ?? 0)
        }
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
    public var hash: String { AuditChain.hex(SHA256.hash(data: canonicalBytes)) }
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
    /// The legacy chain's starting point.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Which chain an event goes to. Agency codes (`000.00.00.H49`) cannot take these names.
    public enum Key {
        /// Events of no agency: the system itself, failed sign-ins of unknown names.
        public static let system = "system"
        /// Citizens and businesses acting on the portal.
        public static let applicants = "applicants"
        /// Entries written while the log was one chain; closed, nothing is appended to it.
        public static let legacy = "legacy"

        /// A civil servant's event goes to their agency's chain.
        public static func of(agencyCode: String?, isApplicant: Bool) -> String {
            if let agencyCode, !agencyCode.isEmpty { return agencyCode }
            return isApplicant ? applicants : system
        }
    }

    /// Where a keyed chain starts: a hash of its key rather than zeros, so no two chains share a
    /// first `previousHash` (the stored previous hashes stay unique across the whole log).
    public static func genesisHash(of chain: String) -> String {
        hex(SHA256.hash(data: Array("egov-audit-v2-genesis\u{0}\(chain)".utf8)))
    }

    /// The starting point of `chain` (nil: the legacy chain).
    static func start(of chain: String?) -> String {
        chain.map(genesisHash(of:)) ?? genesisHash
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The legacy record that follows `previous` (or starts the chain), with sequence and link filled in.
    public static func next(after previous: AuditRecord?, occurredAtMillis: Int64, actorID: String?,
                            actorName: String?, agencyCode: String?, action: String, objectType: String?,
                            objectID: String?, requestID: String?, details: String?) -> AuditRecord {
        AuditRecord(sequence: (previous?.sequence ?? 0) + 1, occurredAtMillis: occurredAtMillis,
                    actorID: actorID, actorName: actorName, agencyCode: agencyCode, action: action,
                    objectType: objectType, objectID: objectID, requestID: requestID, details: details,
                    previousHash: previous?.hash ?? genesisHash)
    }

    /// The record numbered `sequence` that follows `head` in `chain`; `head` is the chain's last
    /// (sequence, hash), nil or sequence 0 while the chain is empty. `sequence` must be higher
    /// than every number the log has used.
    public static func next(in chain: String, after head: (sequence: Int64, hash: String)?, sequence: Int64,
                            occurredAtMillis: Int64, actorID: String?, actorName: String?, agencyCode: String?,
                            action: String, objectType: String?, objectID: String?, requestID: String?,
                            details: String?) -> AuditRecord {
        let head = head.flatMap { $0.sequence > 0 ? $0 : nil }
        return AuditRecord(sequence: sequence, chain: chain, previousSequence: head?.sequence ?? 0,
                           occurredAtMillis: occurredAtMillis, actorID: actorID, actorName: actorName,
                           agencyCode: agencyCode, action: action, objectType: objectType, objectID: objectID,
                           requestID: requestID, details: details, previousHash: head?.hash ?? genesisHash(of: chain))
    }

    /// Walks entries in the order given, which must be sequence order. `chain` is the chain they
    /// belong to (nil: the legacy chain, whose sequences start at 1 without gaps).
    /// `storedHashes[i]` is the hash the database holds for `entries[i]` (a missing one counts
    /// as a mismatch); `head` is the (sequence, hash) the database holds as the chain head,
    /// nil if none. Returns the first problem found, or nil when the chain is intact.
    public static func verify(_ entries: [AuditRecord], storedHashes: [String],
                              head: (sequence: Int64, hash: String)?, chain: String? = nil) -> AuditChainProblem? {
        var verifier = AuditChainVerifier(chain: chain)
        for (index, entry) in entries.enumerated() {
            if let problem = verifier.check(entry, storedHash: index < storedHashes.count ? storedHashes[index] : "") {
                return problem
            }
        }
        return verifier.finish(head: head)
    }
}

/// Checks one chain an entry at a time, so a log of millions of rows is verified page by page
/// without holding it in memory. Feed the chain's entries in sequence order, then call `finish`.
public struct AuditChainVerifier: Sendable {
    /// nil: the legacy chain.
    public let chain: String?
    private var previousHash: String
    private var lastSequence: Int64 = 0
    /// Entries checked and found in order so far.
    public private(set) var count = 0

    /// A verifier of the legacy chain.
    public init() { self.init(chain: nil) }

    public init(chain: String?) {
        self.chain = chain
        self.previousHash = AuditChain.start(of: chain)
    }

    /// The first problem this entry shows, or nil.
    public mutating func check(_ entry: AuditRecord, storedHash: String) -> AuditChainProblem? {
        if chain == nil {
            guard entry.sequence == lastSequence + 1 else {
                return .gap(expected: lastSequence + 1, found: entry.sequence)
            }
        } else {
            // The entry names its predecessor: a higher number than the last one seen is an
            // entry deleted in between; a lower one means the entry before it does not belong.
            let link = entry.previousSequence ?? -1
            if link > lastSequence, link < entry.sequence {
                return .gap(expected: link, found: entry.sequence)
            }
            guard link == lastSequence, entry.sequence > lastSequence else {
                return .wrongPreviousHash(sequence: entry.sequence)
            }
        }
        guard entry.previousHash == previousHash else {
            return .wrongPreviousHash(sequence: entry.sequence)
        }
        let computed = entry.hash
        guard computed == storedHash, entry.chain == chain else {
            return .hashMismatch(sequence: entry.sequence, stored: storedHash)
        }
        previousHash = computed
        lastSequence = entry.sequence
        count += 1
        return nil
    }

    /// Compares the end of the chain with the stored head (which catches deleted last rows).
    /// A head of sequence 0 stands for a chain with no entries yet.
    public func finish(head: (sequence: Int64, hash: String)?) -> AuditChainProblem? {
        guard let head else {
            return count > 0 ? .headMismatch(expectedSequence: lastSequence, storedSequence: 0) : nil
        }
        if head.sequence != lastSequence || head.hash != previousHash {
            return .headMismatch(expectedSequence: lastSequence, storedSequence: head.sequence)
        }
        return nil
    }
}
