import XCTest
import XCTVapor
@testable import EGovServer

/// Requests a person would never send but anyone can: none may stop the server, each gets a
/// 4xx a person can read, and every response carries the security headers.
final class HostileRequestTests: EGovTestCase {
    /// The static files fail before the sessions middleware runs; their error page must not read the session.
    func test_badStaticPathsGetAnErrorPage_andTheServerGoesOn() async throws {
        for path in ["/css/%ff", "/css/..%2f..%2fPackage.swift", "/css/%2e%2e/%2e%2e/Package.swift", "/css/%00", "/favicon.svg%ff", "/css/app.css/x", "/css/app.css/.."] {
            let page = try await browser().get(path)
            XCTAssertTrue((400..<500).contains(page.status.code), "\(path): \(page.status)")
            XCTAssertFalse(page.body.contains("swift-tools-version"), "\(path) served a file outside Public/")
            XCTAssertTrue(page.body.contains("<html lang=\"vi\">"), "\(path): the Vietnamese error page")
        }
        let health = try await api(.GET, "/healthz", as: nil)
        XCTAssertEqual(health.status, .ok)
    }

    func test_hugeOrBrokenPageNumbersAreRefusedWithAMessage() async throws {
        let clerk = try await token("quangninh.vanthu")
        let listings = ["/api/v1/dossiers", "/api/v1/inbox", "/api/v1/incoming-documents", "/api/v1/outgoing-documents",
                        "/api/v1/documents/search?q=a", "/api/v1/procedures"]
        for listing in listings {
            let joiner = listing.contains("?") ? "&" : "?"
            for bad in ["9223372036854775807", "-9223372036854775808", "0", "-1", "10001", "abc", "1.5", "99999999999999999999"] {
                let res = try await api(.GET, "\(listing)\(joiner)page=\(bad)", as: clerk)
                XCTAssertEqual(res.status, .badRequest, "\(listing) page=\(bad): \(res.body)")
                XCTAssertEqual(res.error?.error, "bad_page", "\(listing) page=\(bad)")
                XCTAssertTrue(res.error?.message.contains("Số trang") ?? false, res.body)
            }
            let second = try await api(.GET, "\(listing)\(joiner)page=2", as: clerk)
            XCTAssertEqual(second.status, .ok, "\(listing) page=2: \(second.body)")
        }
        let browser = browser()
        try await browser.signIn("quangninh.vanthu")
        for page in ["/inbox", "/documents/incoming", "/documents/outgoing", "/one-stop/dossiers", "/documents/search?q=a"] {
            let joiner = page.contains("?") ? "&" : "?"
            let res = try await browser.get("\(page)\(joiner)page=9223372036854775807")
            XCTAssertEqual(res.status, .badRequest, page)
            XCTAssertTrue(res.body.contains("Số trang phải là số nguyên"), page)
        }
        let health = try await api(.GET, "/healthz", as: nil)
        XCTAssertEqual(health.status, .ok)
    }

    func test_everyResponseCarriesTheSecurityHeaders() async throws {
        let clerk = try await token("quangninh.vanthu")
        let responses = [
            ("page", try await browser().get("/sign-in")),
            ("static file", try await browser().get("/css/app.css")),
            ("error page", try await browser().get("/no-such-page")),
            ("bad static path", try await browser().get("/css/%ff")),
            ("API", try await api(.GET, "/api/v1/me", as: clerk)),
            ("API error", try await api(.GET, "/api/v1/me", as: nil)),
        ]
        for (what, res) in responses {
            let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
            XCTAssertTrue(csp.contains("frame-ancestors 'self'"), "\(what): \(csp)")
            XCTAssertTrue(csp.contains("script-src 'self'"), "\(what): \(csp)")
            XCTAssertFalse(csp.contains("unsafe-inline"), what)
            XCTAssertEqual(res.headers.first(name: "X-Frame-Options"), "SAMEORIGIN", what)
            XCTAssertEqual(res.headers.first(name: "X-Content-Type-Options"), "nosniff", what)
            XCTAssertEqual(res.headers.first(name: "Referrer-Policy"), "same-origin", what)
            XCTAssertNil(res.headers.first(name: "Strict-Transport-Security"), "\(what): plain HTTP in tests")
        }
    }

    func test_httpsNodeSendsStrictTransportSecurity() async throws {
        let (tlsApp, dir) = try await TestApp.make(seedDemo: false, publicURL: "https://egov.example.gov.vn")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = try await Browser(app: tlsApp).get("/sign-in")
        try await tlsApp.asyncShutdown()
        XCTAssertEqual(page.headers.first(name: "Strict-Transport-Security"), "max-age=31536000; includeSubDomains")
    }

    /// The pages' policy forbids inline script: no template may carry an inline handler or script.
    func test_noTemplateUsesInlineScriptOrStyle() throws {
        let views = URL(fileURLWithPath: app.directory.viewsDirectory)
        let files = try FileManager.default.contentsOfDirectory(at: views, includingPropertiesForKeys: nil).filter { $0.pathExtension == "leaf" }
        XCTAssertFalse(files.isEmpty)
        let inline = try NSRegularExpression(pattern: #"\son[a-z]+\s*=|<script(?![^>]*\bsrc=)|\sstyle\s*=|javascript:"#, options: [.caseInsensitive])
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let found = inline.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            XCTAssertNil(found, "\(file.lastPathComponent) has inline script or style, which the CSP blocks")
        }
    }

    /// MultipartKit traps on a byte ≥ 128 in a part's header name: such a body is a 400, and
    /// a Vietnamese file name (in a header value) still uploads.
    func test_multipartWithAHighByteInAHeaderNameIsRefused_andTheServerGoesOn() async throws {
        let clerk = try await token("quangninh.vanthu")
        let boundary = "14f3ee6461e4b3a6aad4ce35d2cd0852"
        for body in [[UInt8]("--\(boundary)\r\n".utf8) + [0xC2, 0x8A] + [UInt8]("--\(boundary)--\r\n".utf8),
                     [UInt8]("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8) + [0xE1, 0xBA, 0xA1]
                        + [UInt8](": x\r\n\r\nabc\r\n--\(boundary)--\r\n".utf8)] {
            for path in ["/api/v1/incoming-documents", "/api/v1/incoming-documents/\(UUID())/attachments", "/api/v1/dossiers"] {
                var status: HTTPResponseStatus = .ok
                var message = ""
                try await app.test(.POST, path, beforeRequest: { req async throws in
                    req.headers.bearerAuthorization = .init(token: clerk)
                    req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                    req.body = ByteBuffer(bytes: body)
                }, afterResponse: { res async throws in
                    status = res.status
                    message = res.body.string
                })
                // Routes that read optional fields with `try?` answer with what is missing instead.
                XCTAssertTrue([.badRequest, .unprocessableEntity].contains(status), "\(path): \(status) \(message)")
                XCTAssertNotNil(try? JSONDecoder().decode(APIErrorBody.self, from: Data(message.utf8)), message)
            }
        }
        let health = try await api(.GET, "/healthz", as: nil)
        XCTAssertEqual(health.status, .ok)
    }

    func test_multipartHeaderNameCheckReadsPartsAsTheParserDoes() {
        func safe(_ text: [UInt8]) -> Bool { MultipartHeaderNames.areSafe(text, boundary: Array("B".utf8)) }
        let vietnameseFileName = [UInt8]("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"Quyết định.pdf\"\r\n\r\n".utf8)
            + [0xFF, 0xC2, 0x8A] + [UInt8]("\r\n--B--\r\n".utf8)
        XCTAssertTrue(safe(vietnameseFileName), "high bytes in a value and in a part's body are fine")
        XCTAssertFalse(safe([UInt8]("--B\r\n".utf8) + [0xC2] + [UInt8](": x\r\n\r\n--B--".utf8)))
        XCTAssertFalse(safe([UInt8]("preamble --B\r\nA: 1\r\n\r\nbody\r\n--B\r\nX".utf8) + [0x80] + [UInt8](": 2\r\n\r\n".utf8)),
                       "the second part's header")
        XCTAssertTrue(safe([UInt8]("--B--\r\n".utf8) + [0x80]), "the epilogue is ignored")
        XCTAssertTrue(safe([0x80, 0x81]), "no boundary: nothing is parsed")
    }
}
