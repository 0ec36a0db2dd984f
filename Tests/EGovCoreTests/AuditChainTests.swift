import EGovCore
import Foundation
import XCTest

final class AuditChainTests: XCTestCase {
    /// A five-entry chain built the way the server appends.
    private func makeChain() -> [AuditRecord] {
        var records: [AuditRecord] = []
        for index in 1...5 {
            records.append(AuditChain.next(
                after: records.last, occurredAtMillis: 1_771_000_000_000 + Int64(index) * 1000,
                actorID: "u\(index)", actorName: "Nguyễn Văn \(index)", agencyCode: "000.00.14.H20",
                action: "document.register", objectType: "document", objectID: "d\(index)",
                requestID: index == 3 ? nil : "r\(index)", details: index == 2 ? "" : "{\"n\":\(index)}"))
        }
        return records
    }

    private func head(_ records: [AuditRecord]) -> (sequence: Int64, hash: String) {
        (records.last!.sequence, records.last!.hash)
    }

    /// A copy of `record` with one field changed.
    private func altered(_ r: AuditRecord, field: Int) -> AuditRecord {
        func change(_ s: String?) -> String? { (s ?? "") + "x" }
        return AuditRecord(
            sequence: field == 0 ? r.sequence + 10 : r.sequence,
            occurredAtMillis: field == 1 ? r.occurredAtMillis + 1 : r.occurredAtMillis,
            actorID: field == 2 ? change(r.actorID) : r.actorID,
            actorName: field == 3 ? change(r.actorName) : r.actorName,
            agencyCode: field == 4 ? change(r.agencyCode) : r.agencyCode,
            action: field == 5 ? r.action + "x" : r.action,
            objectType: field == 6 ? change(r.objectType) : r.objectType,
            objectID: field == 7 ? change(r.objectID) : r.objectID,
            requestID: field == 8 ? change(r.requestID) : r.requestID,
            details: field == 9 ? change(r.details) : r.details,
            previousHash: field == 10 ? String(repeating: "f", count: 64) : r.previousHash)
    }

    func test_intactChainVerifies() {
        let chain = makeChain()
        XCTAssertEqual(chain.map(\.sequence), [1, 2, 3, 4, 5])
        XCTAssertEqual(chain[0].previousHash, AuditChain.genesisHash)
        XCTAssertEqual(AuditChain.genesisHash, String(repeating: "0", count: 64))
        XCTAssertNil(AuditChain.verify(chain, storedHashes: chain.map(\.hash), head: head(chain)))
        XCTAssertNil(AuditChain.verify([], storedHashes: [], head: nil))
        XCTAssertNil(AuditChain.verify([], storedHashes: [], head: (0, AuditChain.genesisHash)))
    }

    func test_alteringAnyFieldIsDetected() {
        let chain = makeChain()
        let stored = chain.map(\.hash)
        for field in 0...10 {
            var tampered = chain
            tampered[2] = altered(chain[2], field: field)
            let problem = AuditChain.verify(tampered, storedHashes: stored, head: head(chain))
            switch field {
            case 0: XCTAssertEqual(problem, .gap(expected: 3, found: 13))
            case 10: XCTAssertEqual(problem, .wrongPreviousHash(sequence: 3))
            default: XCTAssertEqual(problem, .hashMismatch(sequence: 3, stored: stored[2]), "field \(field)")
            }
        }
    }

    func test_rehashingAnEditedRowBreaksTheNextLink() {
        let chain = makeChain()
        var tampered = chain
        tampered[2] = altered(chain[2], field: 9)
        var stored = chain.map(\.hash)
        stored[2] = tampered[2].hash
        XCTAssertEqual(AuditChain.verify(tampered, storedHashes: stored, head: head(chain)), .wrongPreviousHash(sequence: 4))
    }

    func test_rewritingTheWholeTailIsCaughtByTheHead() {
        let chain = makeChain()
        var rewritten = Array(chain.prefix(2))
        for record in chain.dropFirst(2) {
            let edited = altered(record, field: 5)
            rewritten.append(AuditChain.next(
                after: rewritten.last, occurredAtMillis: edited.occurredAtMillis, actorID: edited.actorID,
                actorName: edited.actorName, agencyCode: edited.agencyCode, action: edited.action,
                objectType: edited.objectType, objectID: edited.objectID, requestID: edited.requestID,
                details: edited.details))
        }
        XCTAssertEqual(AuditChain.verify(rewritten, storedHashes: rewritten.map(\.hash), head: head(chain)),
                       .headMismatch(expectedSequence: 5, storedSequence: 5))
    }

    func test_deletingAMiddleRowIsAGap() {
        var chain = makeChain()
        chain.remove(at: 2)
        XCTAssertEqual(AuditChain.verify(chain, storedHashes: chain.map(\.hash), head: (5, makeChain()[4].hash)),
                       .gap(expected: 3, found: 4))
    }

    func test_deletingTheLastRowIsAHeadMismatch() {
        let chain = makeChain()
        let truncated = Array(chain.dropLast())
        XCTAssertEqual(AuditChain.verify(truncated, storedHashes: truncated.map(\.hash), head: head(chain)),
                       .headMismatch(expectedSequence: 4, storedSequence: 5))
        XCTAssertEqual(AuditChain.verify(chain, storedHashes: chain.map(\.hash), head: nil),
                       .headMismatch(expectedSequence: 5, storedSequence: 0))
        XCTAssertEqual(AuditChain.verify([], storedHashes: [], head: head(chain)),
                       .headMismatch(expectedSequence: 0, storedSequence: 5))
    }

    func test_reorderingIsDetected() {
        let chain = makeChain()
        var swapped = chain
        swapped.swapAt(1, 2)
        XCTAssertEqual(AuditChain.verify(swapped, storedHashes: swapped.map(\.hash), head: head(chain)),
                       .gap(expected: 2, found: 3))

        // Swapping two rows' contents while renumbering them leaves stale links.
        let second = chain[1], third = chain[2]
        let renumbered = [
            chain[0],
            AuditRecord(sequence: 2, occurredAtMillis: third.occurredAtMillis, actorID: third.actorID,
                        actorName: third.actorName, agencyCode: third.agencyCode, action: third.action,
                        objectType: third.objectType, objectID: third.objectID, requestID: third.requestID,
                        details: third.details, previousHash: third.previousHash),
            AuditRecord(sequence: 3, occurredAtMillis: second.occurredAtMillis, actorID: second.actorID,
                        actorName: second.actorName, agencyCode: second.agencyCode, action: second.action,
                        objectType: second.objectType, objectID: second.objectID, requestID: second.requestID,
                        details: second.details, previousHash: second.previousHash),
            chain[3], chain[4],
        ]
        XCTAssertEqual(AuditChain.verify(renumbered, storedHashes: renumbered.map(\.hash), head: head(chain)),
                       .wrongPreviousHash(sequence: 2))
    }

    func test_missingStoredHashIsAMismatch() {
        let chain = makeChain()
        XCTAssertEqual(AuditChain.verify(chain, storedHashes: Array(chain.map(\.hash).prefix(3)), head: head(chain)),
                       .hashMismatch(sequence: 4, stored: ""))
    }

    func test_canonicalEncodingSeparatesFieldsAndNil() {
        func record(_ actorID: String?, _ actorName: String?) -> AuditRecord {
            AuditRecord(sequence: 1, occurredAtMillis: 0, actorID: actorID, actorName: actorName, agencyCode: nil,
                        action: "login", objectType: nil, objectID: nil, requestID: nil, details: nil,
                        previousHash: AuditChain.genesisHash)
        }
        XCTAssertNotEqual(record("ab", "c").hash, record("a", "bc").hash)
        XCTAssertNotEqual(record("a|b", nil).hash, record("a", "b").hash)
        XCTAssertNotEqual(record(nil, "x").hash, record("", "x").hash)
        XCTAssertNotEqual(record(nil, nil).canonicalBytes, record("", nil).canonicalBytes)
        XCTAssertEqual(record("a", "b").hash.count, 64)
        XCTAssertTrue(record("a", "b").hash.allSatisfy { "0123456789abcdef".contains($0) })
    }

    func test_hashFormatIsStable() {
        // Stored chains depend on this value; changing the encoding must be a deliberate new version.
        // Cross-checked with an independent Python implementation of the documented layout.
        let record = AuditRecord(sequence: 1, occurredAtMillis: 1_771_000_000_000, actorID: "u1", actorName: "Trần Thị Bình",
                                 agencyCode: "000.00.00.G22", action: "user.login", objectType: nil, objectID: nil,
                                 requestID: "req-1", details: "", previousHash: AuditChain.genesisHash)
        XCTAssertEqual(record.hash, "b21c98a03505b0b6321311b781b328b388ea9651a4c239b354d8a62eb039f0c0")
    }

    // MARK: Keyed chains (one per agency)

    /// Two agencies' chains appended in turn: numbers are shared by the whole log, links are per chain.
    private func makeKeyedChains() -> (a: [AuditRecord], b: [AuditRecord]) {
        var a: [AuditRecord] = [], b: [AuditRecord] = []
        for number in Int64(1)...10 {
            let isA = number % 3 != 0
            let previous = isA ? a.last : b.last
            let record = AuditChain.next(
                in: isA ? "000.00.00.H49" : "000.00.00.H20", after: previous.map { ($0.sequence, $0.hash) },
                sequence: number, occurredAtMillis: 1_771_000_000_000 + number, actorID: "u\(number)",
                actorName: "Lê Thị \(number)", agencyCode: isA ? "000.00.00.H49" : "000.00.00.H20", action: "unit.create",
                objectType: "unit", objectID: "o\(number)", requestID: nil, details: number == 4 ? nil : "d\(number)")
            if isA { a.append(record) } else { b.append(record) }
        }
        return (a, b)
    }

    private func verify(_ chain: [AuditRecord], key: String, head: [AuditRecord]? = nil) -> AuditChainProblem? {
        let end = (head ?? chain).last
        return AuditChain.verify(chain, storedHashes: chain.map(\.hash), head: end.map { ($0.sequence, $0.hash) }, chain: key)
    }

    func test_keyedChainsVerifyEachOnItsOwn() {
        let (a, b) = makeKeyedChains()
        XCTAssertEqual(a.map(\.sequence), [1, 2, 4, 5, 7, 8, 10])
        XCTAssertEqual(b.map(\.previousSequence), [0, 3, 6])
        XCTAssertEqual(a[0].previousHash, AuditChain.genesisHash(of: "000.00.00.H49"))
        XCTAssertNil(verify(a, key: "000.00.00.H49"))
        XCTAssertNil(verify(b, key: "000.00.00.H20"))
        XCTAssertNil(AuditChain.verify([], storedHashes: [], head: (0, AuditChain.genesisHash(of: "system")), chain: "system"),
                     "a head made for a chain that has no entry yet")
        XCTAssertEqual(verify(a, key: "000.00.00.H20"), .wrongPreviousHash(sequence: 1), "another chain's entries do not fit")
    }

    func test_chainsStartFromDifferentGenesisHashes() {
        let keys = ["000.00.00.H49", "000.00.00.H20", AuditChain.Key.system, AuditChain.Key.applicants]
        let starts = Set(keys.map(AuditChain.genesisHash(of:)) + [AuditChain.genesisHash])
        XCTAssertEqual(starts.count, keys.count + 1, "previous hashes stay unique across the log")
        XCTAssertEqual(AuditChain.Key.of(agencyCode: "000.00.00.H49", isApplicant: false), "000.00.00.H49")
        XCTAssertEqual(AuditChain.Key.of(agencyCode: nil, isApplicant: true), AuditChain.Key.applicants)
        XCTAssertEqual(AuditChain.Key.of(agencyCode: nil, isApplicant: false), AuditChain.Key.system)
    }

    func test_deletingAKeyedEntryNamesTheMissingNumber() {
        var (a, _) = makeKeyedChains()
        let removed = a.remove(at: 3) // number 5
        XCTAssertEqual(verify(a, key: "000.00.00.H49", head: makeKeyedChains().a), .gap(expected: removed.sequence, found: 7))
        XCTAssertEqual(verify(Array(a.dropFirst()), key: "000.00.00.H49", head: makeKeyedChains().a), .gap(expected: 1, found: 2),
                       "the first entry missing")
        let (full, _) = makeKeyedChains()
        XCTAssertEqual(verify(Array(full.dropLast()), key: "000.00.00.H49", head: full),
                       .headMismatch(expectedSequence: 8, storedSequence: 10))
    }

    func test_editingMovingOrRenumberingAKeyedEntryIsDetected() {
        let (a, b) = makeKeyedChains()
        let target = a[2]
        func copy(_ r: AuditRecord, sequence: Int64? = nil, chain: String? = nil, previousSequence: Int64? = nil, details: String? = nil) -> AuditRecord {
            AuditRecord(sequence: sequence ?? r.sequence, chain: chain ?? r.chain, previousSequence: previousSequence ?? r.previousSequence,
                        occurredAtMillis: r.occurredAtMillis, actorID: r.actorID, actorName: r.actorName, agencyCode: r.agencyCode,
                        action: r.action, objectType: r.objectType, objectID: r.objectID, requestID: r.requestID,
                        details: details ?? r.details, previousHash: r.previousHash)
        }
        var edited = a
        edited[2] = copy(target, details: "sửa")
        XCTAssertEqual(AuditChain.verify(edited, storedHashes: a.map(\.hash), head: (a.last!.sequence, a.last!.hash), chain: "000.00.00.H49"),
                       .hashMismatch(sequence: target.sequence, stored: target.hash))
        var renumbered = a
        renumbered[2] = copy(target, sequence: 3)
        XCTAssertEqual(AuditChain.verify(renumbered, storedHashes: a.map(\.hash), head: (a.last!.sequence, a.last!.hash), chain: "000.00.00.H49"),
                       .hashMismatch(sequence: 3, stored: target.hash))
        // Moved into the other chain by its key: it breaks there, and leaves a gap behind.
        let moved = copy(target, chain: "000.00.00.H20")
        var other = b
        other.insert(moved, at: 1)
        var storedOther = b.map(\.hash)
        storedOther.insert(target.hash, at: 1)
        XCTAssertEqual(AuditChain.verify(other, storedHashes: storedOther, head: (b.last!.sequence, b.last!.hash), chain: "000.00.00.H20"),
                       .wrongPreviousHash(sequence: target.sequence))
        var left = a
        left.remove(at: 2)
        XCTAssertEqual(verify(left, key: "000.00.00.H49", head: a), .gap(expected: target.sequence, found: a[3].sequence))
        // A legacy (version 1) entry hashes differently from the same fields in a keyed chain.
        let legacy = AuditRecord(sequence: target.sequence, occurredAtMillis: target.occurredAtMillis, actorID: target.actorID,
                                 actorName: target.actorName, agencyCode: target.agencyCode, action: target.action,
                                 objectType: target.objectType, objectID: target.objectID, requestID: target.requestID,
                                 details: target.details, previousHash: target.previousHash)
        XCTAssertNil(legacy.chain)
        XCTAssertNotEqual(legacy.hash, target.hash)
    }

    func test_keyedHashFormatIsStable() {
        // Cross-checked with an independent Python implementation of the documented layout.
        let record = AuditRecord(sequence: 7, chain: "000.00.00.H49", previousSequence: 3, occurredAtMillis: 1_771_000_000_000,
                                 actorID: "u1", actorName: "Trần Thị Bình", agencyCode: "000.00.00.H49", action: "unit.create",
                                 objectType: "unit", objectID: nil, requestID: "req-1", details: "",
                                 previousHash: AuditChain.genesisHash(of: "000.00.00.H49"))
        XCTAssertEqual(AuditChain.genesisHash(of: "000.00.00.H49"), "f3e2bda4587bc8d6edaa207674160788478dd72198a0432d66b89cf0dbd3c5ca")
        XCTAssertEqual(record.hash, "3d6dd8da59e40f07ea66ded4ef0fe8914d55226a9f151ed254d3dfccaa7315e8")
    }
}
