import EGovCore
import Fluent
import SQLKit
import XCTest
import XCTVapor
@testable import EGovServer

final class AuditTests: EGovTestCase {
    func test_stateChangeWritesAnEntryWithActorAgencyAndRequestID() async throws {
        let token = try await token("quangninh.quantri")
        let agency = try await agency("000.00.00.H49")
        var requestID = ""
        try await app.test(.POST, "/api/v1/agencies/\(agency.id!)/units", beforeRequest: { req async throws in
            req.headers.bearerAuthorization = .init(token: token)
            try req.content.encode(["code": "KT", "name": "Phòng Kế toán"])
        }, afterResponse: { res async throws in
            XCTAssertEqual(res.status, .created)
            requestID = res.headers.first(name: "X-Request-Id") ?? ""
        })
        let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "unit.create").first()
        let unit = try await unit("000.00.00.H49", "KT")
        XCTAssertEqual(entry?.actorName, "quangninh.quantri")
        XCTAssertEqual(entry?.agencyCode, "000.00.00.H49")
        XCTAssertEqual(entry?.objectType, "unit")
        XCTAssertEqual(entry?.objectID, unit.id?.uuidString)
        XCTAssertEqual(entry?.requestID, requestID)
        XCTAssertEqual(entry?.occurredAtMillis, Int64(clock.now.timeIntervalSince1970 * 1000))
    }

    func test_everyStateChangingRequestIsLoggedEvenWithoutAnExplicitEvent() async throws {
        // Revoking a refresh token records no event of its own; the fallback logs the request.
        let before = try await AuditEntry.query(on: app.db).count()
        let res = try await api(.POST, "/api/v1/auth/revoke", as: nil, json: ["refresh_token": "unknown"])
        XCTAssertEqual(res.status, .noContent)
        let last = try await AuditEntry.query(on: app.db).sort(\.$id, .descending).first()
        do { let value = try await AuditEntry.query(on: app.db).count(); XCTAssertEqual(value, before + 1) }
        XCTAssertEqual(last?.action, "request.post")
        XCTAssertEqual(last?.objectID, "/api/v1/auth/revoke")
    }

    /// One API request creating a unit; callable from concurrent tasks (no test-case state).
    static func createUnit(app: Application, agencyID: UUID, code: String, token: String) async throws -> HTTPResponseStatus {
        var status = HTTPResponseStatus.ok
        try await app.test(.POST, "/api/v1/agencies/\(agencyID)/units", beforeRequest: { req async throws in
            req.headers.bearerAuthorization = .init(token: token)
            try req.content.encode(["code": code, "name": "Phòng \(code)"])
        }, afterResponse: { res async throws in status = res.status })
        return status
    }

    func test_concurrentWritesKeepOneUnbrokenChain() async throws {
        let token = try await token("admin")
        let agencyID = try await agency("000.00.00.G22").id!
        let app: Application = self.app
        try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await Self.createUnit(app: app, agencyID: agencyID, code: "P\(index)", token: token)
                }
            }
            for try await status in group { XCTAssertEqual(status, .created) }
        }
        let problem = try await AuditLog.verify(on: app.db)
        XCTAssertNil(problem)
        let sequences = try await AuditEntry.query(on: app.db).sort(\.$id).all().map { $0.id! }
        XCTAssertEqual(sequences, Array(1...Int64(sequences.count)))
    }

    /// Web sign-ins write sessions outside the audit lock while API calls write audited
    /// transactions; on SQLite both must wait for each other rather than fail.
    func test_concurrentSessionAndAuditedWritesAllSucceed() async throws {
        let token = try await token("admin")
        let agencyID = try await agency("000.00.00.G22").id!
        let app: Application = self.app
        try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
            for index in 0..<16 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        let browser = Browser(app: app)
                        return try await browser.signIn("vpcp.vanthu").status
                    }
                    return try await Self.createUnit(app: app, agencyID: agencyID, code: "Q\(index)", token: token)
                }
            }
            for try await status in group { XCTAssertTrue([.created, .seeOther].contains(status), "\(status)") }
        }
        do { let value = try await AuditLog.verify(on: app.db); XCTAssertNil(value) }
    }

    func test_tamperingWithARowThroughSQLIsDetected() async throws {
        let token = try await token("admin")
        try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.31.H49", "name": "Sở A"])
        do { let value = try await AuditLog.verify(on: app.db); XCTAssertNil(value) }
        let target = try await AuditEntry.query(on: app.db).filter(\.$action == "agency.create").first()!
        try await sql.raw("UPDATE audit_entries SET actor_name = 'nguoi-khac' WHERE sequence = \(bind: target.id!)").run()
        let problem = try await AuditLog.verify(on: app.db)
        XCTAssertEqual(problem?.firstBadSequence, target.id!)

        let verify = try await api(.GET, "/api/v1/audit/verify", as: token).json(AuditVerificationDTO.self)
        XCTAssertFalse(verify.intact)
        XCTAssertEqual(verify.firstBadSequence, target.id!)
    }

    func test_verificationWorksPageByPage() async throws {
        let token = try await token("admin")
        for index in 0..<5 {
            try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.5\(index).H49", "name": "Sở \(index)"])
        }
        do { let value = try await AuditLog.verify(on: app.db, batchSize: 3); XCTAssertNil(value) }
        let count = try await AuditEntry.query(on: app.db).count()
        try await sql.raw("UPDATE audit_entries SET action = 'x' WHERE sequence = \(bind: Int64(count - 1))").run()
        do { let value = try await AuditLog.verify(on: app.db, batchSize: 3)?.firstBadSequence; XCTAssertEqual(value, Int64(count - 1)) }
    }

    func test_deletingRowsIsDetected() async throws {
        let token = try await token("admin")
        try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.32.H49", "name": "Sở B"])
        try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.33.H49", "name": "Sở C"])
        let middle = try await AuditEntry.query(on: app.db).filter(\.$action == "agency.create").sort(\.$id).first()!
        try await sql.raw("DELETE FROM audit_entries WHERE sequence = \(bind: middle.id!)").run()
        do { let value = try await AuditLog.verify(on: app.db)?.firstBadSequence; XCTAssertEqual(value, middle.id!) }
    }

    func test_deletingTheNewestRowIsDetected() async throws {
        let last = try await AuditEntry.query(on: app.db).sort(\.$id, .descending).first()!
        try await sql.raw("DELETE FROM audit_entries WHERE sequence = \(bind: last.id!)").run()
        do { let value = try await AuditLog.verify(on: app.db); XCTAssertNotNil(value) }
    }

    func test_auditPageFiltersAndAgencyAdminSeesOnlyOwnAgency() async throws {
        _ = try await token("quangninh.quantri")
        _ = try await token("dongthap.quantri")
        let browser = browser()
        _ = try await browser.signIn("quangninh.quantri")
        let page = try await browser.get("/admin/audit?action=sign_in")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("quangninh.quantri"))
        XCTAssertFalse(page.body.contains("dongthap.quantri"))
        let admin = self.browser()
        _ = try await admin.signIn("admin")
        let all = try await admin.get("/admin/audit?action=sign_in&agency_code=000.00.00.H20")
        XCTAssertTrue(all.body.contains("dongthap.quantri"))
        XCTAssertFalse(all.body.contains(">quangninh.quantri<"))
        let verified = try await admin.get("/admin/audit?verify=1")
        XCTAssertTrue(verified.body.contains("Nhật ký toàn vẹn"))
        let bad = try await admin.get("/admin/audit?from=hom-qua")
        XCTAssertEqual(bad.status, .unprocessableEntity)
    }

    func test_auditPageReadsInVietnamese_andFiltersByThoseWords() async throws {
        _ = try await registerIncoming(as: "quangninh.vanthu")
        let admin = browser()
        _ = try await admin.signIn("admin")
        let page = try await admin.get("/admin/audit")
        XCTAssertTrue(page.body.contains("Vào sổ văn bản đến"), "actions in words")
        XCTAssertTrue(page.body.contains("Đăng nhập"))
        XCTAssertTrue(page.body.contains("Văn bản đến<br>"), "object types in words")
        XCTAssertTrue(page.body.contains(#"<option value="Vào sổ văn bản đến">"#), "the filter suggests the words")
        let created = try await admin.get("/admin/audit?action=d%E1%BB%AF+li%E1%BB%87u+m%E1%BA%ABu%3A+ng%C6%B0%E1%BB%9Di+d%C3%B9ng")
        XCTAssertTrue(created.body.contains("Dữ liệu mẫu: người dùng"), "a label with a colon filters too")

        for words in ["v%C3%A0o+s%E1%BB%95", "vao+so", "VAO+SO", "incoming.register", "incoming."] {
            let found = try await admin.get("/admin/audit?action=\(words)")
            XCTAssertEqual(found.status, .ok)
            XCTAssertTrue(found.body.contains("<code class=\"small muted\">incoming.register</code>"), words)
            XCTAssertFalse(found.body.contains("<code class=\"small muted\">sign_in</code>"), words)
        }
    }

    func test_auditLabelsPutCodesInWords() {
        XCTAssertEqual(AuditLabels.action("calendar.override.delete"), "Xóa ngày nghỉ, ngày làm bù")
        XCTAssertEqual(AuditLabels.action("incoming.direct"), "Văn bản đến: \(IncomingDocumentMove.direct.label)")
        XCTAssertEqual(AuditLabels.action("something.new"), "something.new", "an unknown code stays as it is")
        XCTAssertEqual(AuditLabels.details("nguyenvana [clerk,specialist]"), "nguyenvana (Văn thư, Chuyên viên)")
        XCTAssertEqual(AuditLabels.details("000.00.00.H49-260302-0001 1→2"), "000.00.00.H49-260302-0001 Mới tiếp nhận → Đã tiếp nhận")
        XCTAssertEqual(AuditLabels.details("tags [a,b]"), "tags [a,b]", "brackets that hold no roles stay")
        XCTAssertTrue(AuditLabels.actions(matching: "dang nhap").contains("sign_in"))
        XCTAssertEqual(AuditLabels.actions(matching: ""), [])
    }

    func test_dateFiltersUseVietnamDays() async throws {
        // The test clock is 2026-03-02 09:00 in Hà Nội (02:00 UTC).
        let token = try await token("admin")
        let today = try await api(.GET, "/api/v1/audit?from=2026-03-02&to=2026-03-02", as: token).json(AuditPageDTO.self)
        XCTAssertFalse(today.entries.isEmpty)
        let tomorrow = try await api(.GET, "/api/v1/audit?from=2026-03-03", as: token).json(AuditPageDTO.self)
        XCTAssertTrue(tomorrow.entries.isEmpty)
        let yesterday = try await api(.GET, "/api/v1/audit?to=2026-03-01", as: token).json(AuditPageDTO.self)
        XCTAssertTrue(yesterday.entries.isEmpty)
        clock.now = ISO8601DateFormatter().date(from: "2026-03-02T17:30:00Z")! // 00:30 on 3 March in Hà Nội
        let fresh = try await self.token("admin")
        let late = try await api(.GET, "/api/v1/audit?from=2026-03-03&action=sign_in", as: fresh).json(AuditPageDTO.self)
        XCTAssertEqual(late.entries.count, 1)
    }

    func test_agencyAdminCannotVerifyOrSeeOtherAgenciesThroughTheAPI() async throws {
        _ = try await token("dongthap.quantri")
        let token = try await token("quangninh.quantri")
        do { let value = try await api(.GET, "/api/v1/audit/verify", as: token).status; XCTAssertEqual(value, .forbidden) }
        let page = try await api(.GET, "/api/v1/audit?agency_code=000.00.00.H20", as: token).json(AuditPageDTO.self)
        XCTAssertTrue(page.entries.isEmpty)
        let own = try await api(.GET, "/api/v1/audit?action=sign_in", as: token).json(AuditPageDTO.self)
        XCTAssertFalse(own.entries.isEmpty)
        XCTAssertTrue(own.entries.allSatisfy { $0.agencyCode == "000.00.00.H49" })
    }

    // MARK: One chain per agency

    /// Agency admins of four agencies adding units to their own agency at the same time.
    func test_concurrentWritesOfSeveralAgenciesKeepEachChainIntact() async throws {
        let admins = ["bnv.quantri": "000.00.00.G09", "btp.quantri": "000.00.00.G13",
                      "quangninh.quantri": "000.00.00.H49", "dongthap.quantri": "000.00.00.H20"]
        var writers: [(token: String, agencyID: UUID, code: String)] = []
        for (username, code) in admins.sorted(by: { $0.key < $1.key }) {
            writers.append((try await token(username), try await agency(code).id!, code))
        }
        let app: Application = self.app
        try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
            for index in 0..<12 {
                for writer in writers {
                    group.addTask { try await Self.createUnit(app: app, agencyID: writer.agencyID, code: "C\(index)", token: writer.token) }
                }
            }
            for try await status in group { XCTAssertEqual(status, .created) }
        }
        let chains = try await AuditLog.verifyChains(on: app.db)
        XCTAssertTrue(chains.allSatisfy(\.isIntact), chains.map(\.summary).joined(separator: " "))
        for writer in writers {
            let chain = try XCTUnwrap(chains.first { $0.chain == writer.code })
            let units = try await AuditEntry.query(on: app.db).filter(\.$chain == writer.code).filter(\.$action == "unit.create").count()
            XCTAssertEqual(units, 12)
            XCTAssertEqual(chain.entries, 13, "the admin's sign-in and the twelve units")
        }
        let entries = try await AuditEntry.query(on: app.db).all()
        XCTAssertTrue(entries.allSatisfy {
            $0.chain == AuditChain.Key.of(agencyCode: $0.agencyCode, isApplicant: $0.actorID?.hasPrefix("applicant:") ?? false)
        })
        XCTAssertEqual(Set(entries.map(\.id)).count, entries.count, "one number per entry across the log")
        let system = try XCTUnwrap(chains.first { $0.chain == AuditChain.Key.system })
        XCTAssertGreaterThan(system.entries, 0, "the demo seed went to the system chain")
        do { let value = try await AuditLog.verify(on: app.db); XCTAssertNil(value) }
    }

    func test_tamperingWithOneChainIsReportedForThatChainOnly() async throws {
        let quangninh = try await token("quangninh.quantri")
        let dongthap = try await token("dongthap.quantri")
        let h49 = try await agency("000.00.00.H49").id!, h20 = try await agency("000.00.00.H20").id!
        for index in 0..<3 {
            do { let value = try await Self.createUnit(app: app, agencyID: h49, code: "T\(index)", token: quangninh); XCTAssertEqual(value, .created) }
            do { let value = try await Self.createUnit(app: app, agencyID: h20, code: "T\(index)", token: dongthap); XCTAssertEqual(value, .created) }
        }
        let edited = try await AuditEntry.query(on: app.db).filter(\.$chain == "000.00.00.H49").filter(\.$action == "unit.create")
            .sort(\.$id).first()!
        try await sql.raw("UPDATE audit_entries SET details = 'sua-len' WHERE sequence = \(bind: edited.id!)").run()
        var chains = try await AuditLog.verifyChains(on: app.db)
        XCTAssertEqual(chains.filter { !$0.isIntact }.map(\.chain), ["000.00.00.H49"])
        XCTAssertEqual(chains.first { $0.chain == "000.00.00.H49" }?.problem?.firstBadSequence, edited.id!)

        // A deleted entry of another chain: that chain names the missing number.
        let deleted = try await AuditEntry.query(on: app.db).filter(\.$chain == "000.00.00.H20").filter(\.$action == "unit.create")
            .sort(\.$id).first()!
        try await sql.raw("DELETE FROM audit_entries WHERE sequence = \(bind: deleted.id!)").run()
        chains = try await AuditLog.verifyChains(on: app.db)
        XCTAssertEqual(chains.filter { !$0.isIntact }.map(\.chain), ["000.00.00.H20", "000.00.00.H49"])
        XCTAssertEqual(chains.first { $0.chain == "000.00.00.H20" }?.problem?.firstBadSequence, deleted.id!)
        XCTAssertTrue(chains.filter { !["000.00.00.H20", "000.00.00.H49"].contains($0.chain) }.allSatisfy(\.isIntact))

        let admin = try await token("admin")
        let report = try await api(.GET, "/api/v1/audit/verify", as: admin).json(AuditVerificationDTO.self)
        XCTAssertFalse(report.intact)
        XCTAssertEqual(report.chains.filter { !$0.intact }.map(\.chain), ["000.00.00.H20", "000.00.00.H49"])
        XCTAssertTrue(report.chains.contains { $0.chain == "000.00.00.G22" && $0.intact }, "the admin's own chain is sound")
        let browser = self.browser()
        _ = try await browser.signIn("admin")
        let page = try await browser.get("/admin/audit?verify=1")
        XCTAssertTrue(page.body.contains("KHÔNG toàn vẹn ở 2/"), page.body)
        XCTAssertTrue(page.body.contains("Chuỗi cơ quan 000.00.00.H49: KHÔNG toàn vẹn. Nội dung mục #\(edited.id!) đã bị thay đổi."))
        XCTAssertTrue(page.body.contains("Chuỗi cơ quan 000.00.00.G22: toàn vẹn"))
    }

    /// Each agency writes under its own head row, and numbers rise along each chain.
    func test_eachChainHasItsOwnHead() async throws {
        let quangninh = try await token("quangninh.quantri")
        let h49 = try await agency("000.00.00.H49").id!
        do { let value = try await Self.createUnit(app: app, agencyID: h49, code: "HD", token: quangninh); XCTAssertEqual(value, .created) }
        let heads = try await AuditChainHead.query(on: app.db).all()
        XCTAssertEqual(Set(heads.map(\.chain)).count, heads.count)
        let head = try XCTUnwrap(heads.first { $0.chain == "000.00.00.H49" })
        let last = try await AuditEntry.query(on: app.db).filter(\.$chain == "000.00.00.H49").sort(\.$id, .descending).first()!
        XCTAssertEqual(head.sequence, last.id!)
        XCTAssertEqual(head.hash, last.hash)
        XCTAssertEqual(last.action, "unit.create")
        let entries = try await AuditEntry.query(on: app.db).filter(\.$chain == "000.00.00.H49").sort(\.$id).all()
        XCTAssertEqual(entries.first?.previousSequence, 0)
        XCTAssertEqual(entries.first?.previousHash, AuditChain.genesisHash(of: "000.00.00.H49"))
        XCTAssertEqual(entries.dropFirst().map(\.previousSequence), entries.dropLast().map(\.id))
    }

    func test_commandLineVerifySaysPerChain() async throws {
        let quangninh = try await token("quangninh.quantri")
        let h49 = try await agency("000.00.00.H49").id!
        do { let value = try await Self.createUnit(app: app, agencyID: h49, code: "CL", token: quangninh); XCTAssertEqual(value, .created) }
        let intact = try egov(["audit", "verify"])
        XCTAssertEqual(intact.status, 0, intact.output)
        XCTAssertTrue(intact.output.contains("chain 000.00.00.H49: intact, 2 entries"), intact.output)
        XCTAssertTrue(intact.output.contains("chain system: intact,"), intact.output)
        XCTAssertTrue(intact.output.contains("audit log intact:"), intact.output)

        let target = try await AuditEntry.query(on: app.db).filter(\.$action == "unit.create").first()!
        try await sql.raw("UPDATE audit_entries SET object_id = 'khac' WHERE sequence = \(bind: target.id!)").run()
        let broken = try egov(["audit", "verify"])
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertTrue(broken.output.contains("chain 000.00.00.H49: BROKEN at entry #\(target.id!)"), broken.output)
        XCTAssertTrue(broken.output.contains("chain system: intact,"), broken.output)
        XCTAssertTrue(broken.output.contains("broken in 1 of"), broken.output)
    }
}

/// An installation from before per-agency chains: its single chain becomes the legacy chain.
final class AuditChainMigrationTests: EGovTestCase {
    override var seedDemo: Bool { false }

    /// Puts the database back to the schema before `AddAuditChains` and writes a single-chain
    /// log the way the old code did (entries 1…n, the head in row 1).
    private func makeSingleChainLog(entries count: Int) async throws -> [AuditRecord] {
        try await AddAuditChains().revert(on: app.db)
        try await sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: String(reflecting: AddAuditChains.self))").run()
        var records: [AuditRecord] = []
        for index in 1...count {
            records.append(AuditChain.next(
                after: records.last, occurredAtMillis: 1_771_000_000_000 + Int64(index), actorID: nil, actorName: "admin",
                agencyCode: index.isMultiple(of: 2) ? "000.00.00.H49" : nil, action: "legacy.\(index)", objectType: nil,
                objectID: nil, requestID: nil, details: "trước khi tách chuỗi"))
        }
        for record in records {
            try await sql.raw("""
                INSERT INTO audit_entries (sequence, occurred_at_ms, actor_id, actor_name, agency_code, action, object_type,
                                           object_id, request_id, details, previous_hash, hash)
                VALUES (\(bind: record.sequence), \(bind: record.occurredAtMillis), NULL, \(bind: record.actorName),
                        \(bind: record.agencyCode), \(bind: record.action), NULL, NULL, NULL, \(bind: record.details),
                        \(bind: record.previousHash), \(bind: record.hash))
                """).run()
        }
        try await sql.raw("INSERT INTO audit_chain_head (id, sequence, hash) VALUES (1, \(bind: records.last!.sequence), \(bind: records.last!.hash))").run()
        return records
    }

    func test_aSingleChainLogStillVerifiesAfterTheMigration() async throws {
        let legacy = try await makeSingleChainLog(entries: 7)
        try await app.autoMigrate()
        var chains = try await AuditLog.verifyChains(on: app.db)
        XCTAssertEqual(chains.map(\.chain), [AuditChain.Key.legacy])
        XCTAssertEqual(chains.first?.entries, 7)
        XCTAssertNil(chains.first?.problem)

        // New writes go to their agencies' chains and continue the numbering.
        try await DemoSeed.run(on: app)
        let token = try await token("quangninh.quantri")
        let h49 = try await agency("000.00.00.H49").id!
        do { let value = try await AuditTests.createUnit(app: app, agencyID: h49, code: "MG", token: token); XCTAssertEqual(value, .created) }
        chains = try await AuditLog.verifyChains(on: app.db)
        XCTAssertEqual(chains.prefix(2).map(\.chain), [AuditChain.Key.legacy, AuditChain.Key.system])
        XCTAssertTrue(chains.allSatisfy(\.isIntact), chains.map(\.summary).joined(separator: " "))
        XCTAssertEqual(chains.first?.entries, 7, "nothing is appended to the legacy chain")
        let firstNew = try await AuditEntry.query(on: app.db).filter(\.$chain != AuditChain.Key.legacy).sort(\.$id).first()
        XCTAssertEqual(firstNew?.id, 8)
        let legacyEntries = try await AuditEntry.query(on: app.db).filter(\.$chain == AuditChain.Key.legacy).sort(\.$id).all()
        XCTAssertEqual(legacyEntries.map(\.hash), legacy.map(\.hash), "legacy entries keep their hashes")

        // The legacy chain is still checked with its own rules.
        try await sql.raw("UPDATE audit_entries SET details = 'sửa' WHERE sequence = 4").run()
        chains = try await AuditLog.verifyChains(on: app.db)
        XCTAssertEqual(chains.filter { !$0.isIntact }.map(\.chain), [AuditChain.Key.legacy])
        XCTAssertEqual(chains.first?.problem, .hashMismatch(sequence: 4, stored: legacy[3].hash))
        do { let value = try await AuditLog.verify(on: app.db)?.firstBadSequence; XCTAssertEqual(value, 4) }
    }

    func test_theMigrationCannotBeRevertedOnceAgenciesHaveChains() async throws {
        try await DemoSeed.run(on: app)
        do {
            try await AddAuditChains().revert(on: app.db)
            XCTFail("reverting would fold the agencies' chains into one")
        } catch let error as EGovError {
            XCTAssertTrue(error.message.contains("không thể gộp lại thành một chuỗi"), error.message)
        }
        do { let value = try await AuditLog.verify(on: app.db); XCTAssertNil(value) }
    }
}
