import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The public look-up: the code and the applicant's phone or identity number show the status only.
final class DossierLookupTests: DossierOutcomeTestCase {
    func lookup(_ code: String, _ contact: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        var captured: TestResponse!
        var components = URLComponents()
        components.path = "/api/v1/lookup"
        components.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "contact", value: contact)]
        let path = components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        try await app.test(.GET, path, beforeRequest: { req async throws in
            req.headers.add(contentsOf: headers)
        }, afterResponse: { res async throws in
            captured = TestResponse(status: res.status, headers: res.headers, body: res.body.string)
        })
        return captured
    }

    /// The demo citizen submits a dossier of "thành lập hội" online.
    func submitOnline() async throws -> DossierDTO {
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let res = try await multipart("/api/v1/portal/dossiers", token: try await demoApplicantToken(),
                                      fields: [("procedure_id", procedure.uuidString), ("ten_hoi", "Hội Cựu học sinh Hòn Gai"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "80")],
                                      files: ["document_1", "document_2", "document_3"].map { UploadPart(field: $0, fileName: "\($0).pdf", data: samplePDF) })
        XCTAssertEqual(res.status, .created, res.body)
        return try res.json(DossierDTO.self)
    }

    func test_codeWithPhoneOrIdentityShowsStatusOnly_wrongContactAndUnknownCodeGetTheSameAnswer() async throws {
        app.egovServices.lookupLimiter = RateLimiter(limit: 100, window: 60) // this test looks up more than 10 times a minute
        let online = try await submitOnline()
        let accepted = try await officer("accept", online.id)

        let byPhone = try await lookup(online.code, "0912000001")
        XCTAssertEqual(byPhone.status, .ok, byPhone.body)
        let found = try byPhone.json(DossierLookup.Result.self)
        XCTAssertEqual(found.code, "000.00.00.H49-260302-0001")
        XCTAssertEqual(found.status, 2)
        XCTAssertEqual(found.statusLabel, "Đã tiếp nhận")
        XCTAssertEqual(found.procedureName, "Thủ tục thành lập hội")
        XCTAssertEqual(found.agencyName, "Ủy ban nhân dân tỉnh Quảng Ninh")
        XCTAssertEqual(found.promisedDate, accepted.promisedDate)
        for secret in ["Trần Văn Công", "Hòn Gai", "applicant", "form_values", "files", "events", "document_1", "0912000001", "001090000001"] {
            XCTAssertFalse(byPhone.body.contains(secret), "the look-up shows \(secret)")
        }
        let byIdentity = try await lookup(online.code, "001090000001")
        XCTAssertEqual(byIdentity.status, .ok)
        let typedLoosely = try await lookup("  000.00.00.h49-260302-0001 ", "+84 912 000 001")
        XCTAssertEqual(typedLoosely.status, .ok, typedLoosely.body)
        XCTAssertEqual(try typedLoosely.json(DossierLookup.Result.self).code, online.code)

        // A counter dossier: the contact the clerk wrote down.
        let counterProcedure = try await quickProcedure("1.000050", field: "Hộ tịch")
        let counter = try await enterAtCounter(counterProcedure, name: "Lê Thị Quầy", phone: "0987 654 321", identity: "022190000777")
        let counterByPhone = try await lookup(counter.code, "0987654321")
        XCTAssertEqual(counterByPhone.status, .ok, counterByPhone.body)
        XCTAssertEqual(try counterByPhone.json(DossierLookup.Result.self).statusLabel, "Mới tiếp nhận")
        XCTAssertFalse(counterByPhone.body.contains("Lê Thị Quầy"))
        let counterByIdentity = try await lookup(counter.code, "022190000777")
        XCTAssertEqual(counterByIdentity.status, .ok)

        // Wrong contact, another applicant's phone, an unknown or malformed code: one answer.
        let wrongContact = try await lookup(online.code, "0912999999")
        let otherApplicant = try await lookup(online.code, "0987654321")
        let unknownCode = try await lookup("000.00.00.H49-260302-0099", "0912000001")
        let malformed = try await lookup("not-a-code", "0912000001")
        for answer in [wrongContact, otherApplicant, unknownCode, malformed] {
            XCTAssertEqual(answer.status, .notFound)
            XCTAssertEqual(answer.error?.error, "not_found")
            XCTAssertEqual(answer.error?.message, wrongContact.error?.message)
            XCTAssertNil(answer.error?.fields)
        }
        XCTAssertEqual(wrongContact.error?.message.contains("Không tìm thấy hồ sơ"), true)

        // The page: the same answer, no name.
        let browser = browser()
        let page = try await browser.get("/portal/lookup?code=000.00.00.h49-260302-0001&contact=001090000001")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Hồ sơ 000.00.00.H49-260302-0001"))
        XCTAssertTrue(page.body.contains("Đã tiếp nhận"))
        XCTAssertTrue(page.body.contains("Ngày hẹn trả kết quả"))
        XCTAssertFalse(page.body.contains("Trần Văn Công"))
        let missed = try await browser.get("/portal/lookup?code=000.00.00.H49-260302-0001&contact=0900000000")
        XCTAssertEqual(missed.status, .notFound)
        XCTAssertTrue(missed.body.contains("Không tìm thấy hồ sơ"))
        let empty = try await browser.get("/portal/lookup")
        XCTAssertEqual(empty.status, .ok)
        XCTAssertTrue(empty.body.contains("name=\"contact\""))
        // The form posts: the identity number stays out of the address, and the answer is not cached.
        XCTAssertTrue(empty.body.contains(#"<form method="post" action="/portal/lookup""#))
        let posted = try await browser.post("/portal/lookup", [("code", "000.00.00.H49-260302-0001"), ("contact", "001090000001")])
        XCTAssertEqual(posted.status, .ok)
        XCTAssertTrue(posted.body.contains("Hồ sơ 000.00.00.H49-260302-0001"))
        XCTAssertNil(posted.headers.first(name: .location))
        XCTAssertEqual(posted.headers.first(name: .cacheControl), "no-store")
    }

    func test_eleventhLookupInAMinuteIsRefused_andAllowedOnceTheMinutePassed() async throws {
        for attempt in 1...10 {
            let res = try await lookup("000.00.00.H49-260302-000\(attempt % 10)", "0912000001")
            XCTAssertEqual(res.status, .notFound, "look-up \(attempt)")
        }
        let refused = try await lookup("000.00.00.H49-260302-0001", "0912000001")
        XCTAssertEqual(refused.status, .tooManyRequests)
        XCTAssertEqual(refused.headers.first(name: .retryAfter), "60")
        XCTAssertEqual(refused.error?.message, "Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau 60 giây.")
        let page = try await browser().get("/portal/lookup?code=000.00.00.H49-260302-0001&contact=0912000001")
        XCTAssertEqual(page.status, .tooManyRequests)
        XCTAssertTrue(page.body.contains("tra cứu quá nhiều lần"))

        clock.advance(30)
        let stillRefused = try await lookup("000.00.00.H49-260302-0001", "0912000001")
        XCTAssertEqual(stillRefused.headers.first(name: .retryAfter), "30")
        clock.advance(31)
        let allowed = try await lookup("000.00.00.H49-260302-0001", "0912000001")
        XCTAssertEqual(allowed.status, .notFound, "a minute later the client may look up again")

        // X-Forwarded-For is somebody's word: it counts only behind a trusted proxy.
        let spoofed = try await lookup("000.00.00.H49-260302-0001", "0912000001", headers: ["X-Forwarded-For": "203.0.113.9"])
        XCTAssertEqual(spoofed.status, .notFound)
        for _ in 1...9 { _ = try await lookup("x", "y", headers: ["X-Forwarded-For": "203.0.113.\(Int.random(in: 10...99))"]) }
        let sameClient = try await lookup("x", "y", headers: ["X-Forwarded-For": "198.51.100.1"])
        XCTAssertEqual(sameClient.status, .tooManyRequests)
        app.settings.trustProxy = true
        let proxied = try await lookup("x", "y", headers: ["X-Forwarded-For": "198.51.100.1, 10.0.0.1"])
        XCTAssertEqual(proxied.status, .notFound, "behind a trusted proxy each client has its own limit")
    }

    func test_rateLimiterForgetsIdleClients() {
        let limiter = RateLimiter(limit: 2, window: 60, pruneAbove: 10, shards: 1)
        let start = Date(timeIntervalSince1970: 1_000_000)
        for index in 0..<30 { XCTAssertEqual(limiter.hit("client-\(index)", now: start), .allowed) }
        XCTAssertEqual(limiter.hit("client-0", now: start), .allowed)
        XCTAssertEqual(limiter.hit("client-0", now: start.addingTimeInterval(10)), .limited(retryAfter: 50))
        XCTAssertEqual(limiter.trackedKeys, 30, "clients of the current window are kept")
        // Two minutes later new clients come; once the table has doubled, the idle ones go.
        for index in 0..<18 { _ = limiter.hit("later-\(index)", now: start.addingTimeInterval(120)) }
        XCTAssertEqual(limiter.trackedKeys, 18, "clients idle for a whole window are dropped")
    }

    func test_shardedRateLimiterCountsEachClientOnceAndForgetsIdleOnes() {
        let limiter = RateLimiter(limit: 2, window: 60, pruneAbove: 160, shards: 16)
        let start = Date(timeIntervalSince1970: 1_000_000)
        for index in 0..<2_000 { XCTAssertEqual(limiter.hit("client-\(index)", now: start), .allowed) }
        XCTAssertEqual(limiter.hit("client-7", now: start), .allowed)
        XCTAssertEqual(limiter.hit("client-7", now: start.addingTimeInterval(1)), .limited(retryAfter: 59))
        XCTAssertEqual(limiter.trackedKeys, 2_000)
        // Each shard outgrows its pruning mark (about 125 old keys there, marks double from 10)
        // and drops its idle clients then; every new client is kept.
        for index in 0..<4_000 { _ = limiter.hit("later-\(index)", now: start.addingTimeInterval(120)) }
        XCTAssertEqual(limiter.trackedKeys, 4_000)
    }

    /// The look-up's answer is written by hand; it must read exactly as Vapor's `JSONEncoder` writes it.
    func test_lookupAnswerIsTheJSONThatTheEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let full = DossierLookup.Result(
            code: "000.00.00.H49-260302-0001", procedureName: "Thủ tục \"thành lập\" hội\\ nhánh\n\tmới\u{1}", agencyName: "Ủy ban nhân dân tỉnh Quảng Ninh",
            status: 10, statusLabel: "Đã trả kết quả", submittedAt: Date(timeIntervalSince1970: 1_772_419_500),
            acceptedAt: Date(timeIntervalSince1970: 1_772_430_000), promisedDate: "2026-03-16", apologyDate: "2026-03-18",
            finishedAt: Date(timeIntervalSince1970: 1_773_600_000), resultReturnedAt: Date(timeIntervalSince1970: 1_773_700_000))
        let bare = DossierLookup.Result(
            code: "000.00.00.H49-260302-0002", procedureName: "", agencyName: "Sở Nội vụ", status: 1, statusLabel: "Mới tiếp nhận",
            submittedAt: Date(timeIntervalSince1970: 1_772_419_501), acceptedAt: nil, promisedDate: nil, apologyDate: nil,
            finishedAt: nil, resultReturnedAt: nil)
        for result in [full, bare] {
            let response = result.jsonResponse
            XCTAssertEqual(response.headers.contentType, .json)
            let written = try XCTUnwrap(response.body.data)
            let expected = try encoder.encode(result)
            let writtenObject = try XCTUnwrap(JSONSerialization.jsonObject(with: written) as? NSDictionary)
            let expectedObject = try XCTUnwrap(JSONSerialization.jsonObject(with: expected) as? NSDictionary)
            XCTAssertEqual(writtenObject, expectedObject, String(decoding: written, as: UTF8.self))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            XCTAssertEqual(try decoder.decode(DossierLookup.Result.self, from: written), result)
        }
        XCTAssertFalse(String(decoding: try XCTUnwrap(bare.jsonResponse.body.data), as: UTF8.self).contains("accepted_at"), "absent dates are left out")
    }

    func test_lookupQueryIsReadFromTheQueryString() {
        func query(_ string: String) -> DossierLookup.Query {
            DossierLookup.Query(Request(application: app, url: URI(string: "/api/v1/lookup" + string), on: app.eventLoopGroup.next()))
        }
        let spaced = query("?code=000.00.00.H49-260302-0001&contact=%2B84+912%20000+001")
        XCTAssertEqual(spaced.code, "000.00.00.H49-260302-0001")
        XCTAssertEqual(spaced.contact, "+84 912 000 001", "+ is a space, %2B a plus")
        let repeated = query("?contact=0912000001&code=A&code=B&other=1")
        XCTAssertEqual(repeated.code, "A", "the first of a repeated parameter counts")
        XCTAssertEqual(repeated.contact, "0912000001")
        XCTAssertNil(query("").code)
        XCTAssertEqual(query("?code=&contact").code, "")
        XCTAssertEqual(query("?code=&contact").contact, "")
        XCTAssertNil(query("?code=%E0%A4&contact=1").code, "a badly encoded value counts as absent")
        XCTAssertEqual(query("?contact=Nguy%E1%BB%85n%20V%C4%83n+An").contact, "Nguyễn Văn An")
        XCTAssertEqual(query("?contact=%e1%bb%85").contact, "ễ", "hex digits in either case")
        for broken in ["%", "%4", "%zz", "a%2", "%G1", "%FF"] {
            XCTAssertNil(DossierLookup.Query.formDecoded(Substring(broken)), "\(broken) is not an encoding")
        }
    }

    /// The answer's dates are written by hand too; they must read as Foundation writes them.
    func test_lookupDatesAreWrittenAsFoundationWritesThem() {
        var generator = SystemRandomNumberGenerator()
        var dates = [0, -0.5, -86_400, 1_772_419_500, 1_772_419_500.999_999, 1_772_476_199.5, 951_782_400, 4_102_444_799.9, -2_208_988_800,
                     -62_135_596_800, 253_402_300_799.5, .infinity]
            .map(Date.init(timeIntervalSince1970:))
        dates += (0..<2_000).map { _ in Date(timeIntervalSince1970: Double.random(in: -2_500_000_000...4_200_000_000, using: &generator)) }
        for date in dates {
            var buffer = ByteBufferAllocator().buffer(capacity: 32)
            JSONObjectText.writeISO8601(date, to: &buffer)
            XCTAssertEqual(buffer.readString(length: buffer.readableBytes), "\"\(date.formatted(.iso8601))\"", "\(date.timeIntervalSince1970)")
        }
    }

    func test_trimmingWhitespaceTrimsAsFoundationDoes() {
        for text in ["", " ", "  0912 000 001 ", "\t\n0912000001\r\n", "203.0.113.9", " 203.0.113.9\u{00A0}", "a b", "\u{2003}Lê\u{3000}"] {
            XCTAssertEqual(String(text.trimmingWhitespace), text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
        }
    }

    /// On SQLite the look-up reads through its own connections; they must read what Fluent reads,
    /// see each change at once, and give way to Fluent when closed.
    func test_sqliteDirectReaderReadsWhatFluentReads_seesChangesAtOnce_andGivesWayWhenClosed() async throws {
        guard let reader = app.egovServices.sqliteLookupReader else { throw XCTSkip("PostgreSQL: the look-up reads through PostgresNIO") }
        app.egovServices.lookupLimiter = RateLimiter(limit: 100, window: 60)
        let online = try await submitOnline()
        let counter = try await enterAtCounter(try await quickProcedure("1.000050", field: "Hộ tịch"), name: "Lê Thị Quầy",
                                               phone: "0987 654 321", identity: "022190000777")

        func both(_ code: String) async throws -> (direct: DossierLookup.StoredRow?, fluent: DossierLookup.StoredRow?) {
            let answered = await reader.read(code: code)
            let direct = try XCTUnwrap(answered, "the reader answers")
            return (direct, try await DossierLookup.StoredRow.read(code: code, on: app.db))
        }
        let fresh = try await both(online.code)
        XCTAssertEqual(fresh.direct, fresh.fluent)
        XCTAssertEqual(fresh.direct?.status, 1)
        XCTAssertNil(fresh.direct?.acceptedAt)

        // Accepted: dates and the promised day appear; the reader sees them at once.
        let accepted = try await officer("accept", online.id)
        let afterAccept = try await both(online.code)
        XCTAssertEqual(afterAccept.direct, afterAccept.fluent)
        XCTAssertEqual(afterAccept.direct?.status, 2)
        XCTAssertEqual(afterAccept.direct?.promisedDate, accepted.promisedDate)
        XCTAssertNotNil(afterAccept.direct?.acceptedAt)
        XCTAssertEqual(afterAccept.direct?.applicantPhone, "0912000001")

        _ = try await officer("refuse", counter.id, json: ["reason": "Không thuộc thẩm quyền."])
        let refused = try await both(counter.code)
        XCTAssertEqual(refused.direct, refused.fluent)
        XCTAssertEqual(refused.direct?.status, 3)
        XCTAssertEqual(refused.direct?.applicantIdentity, "022190000777")

        let unknownAnswer = await reader.read(code: "000.00.00.H49-260302-0099")
        let unknown = try XCTUnwrap(unknownAnswer, "an unknown code is an answer too")
        XCTAssertNil(unknown)

        // Many look-ups at once, on the pool's threads: each gets a connection of its own and the same row.
        let rows = try await withThrowingTaskGroup(of: DossierLookup.StoredRow?.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let answered = await reader.read(code: online.code)
                    return try XCTUnwrap(answered)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(rows.count, 40)
        XCTAssertTrue(rows.allSatisfy { $0 == afterAccept.fluent })

        // The API's look-up goes through the reader.
        let answeredBefore = reader.answeredReads
        let viaReader = try await lookup(online.code, "0912000001")
        XCTAssertEqual(viaReader.status, .ok, viaReader.body)
        XCTAssertEqual(reader.answeredReads, answeredBefore + 1)

        // Closed (as at shutdown): the reader stops answering and the look-up reads through Fluent.
        reader.close()
        let afterClose = await reader.read(code: online.code)
        XCTAssertNil(afterClose)
        let viaFluent = try await lookup(online.code, "0912000001")
        XCTAssertEqual(viaFluent.status, .ok, viaFluent.body)
        XCTAssertEqual(try viaFluent.json(DossierLookup.Result.self).status, 2)
        XCTAssertEqual(reader.answeredReads, answeredBefore + 1)
    }
}
