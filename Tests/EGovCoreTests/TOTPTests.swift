import EGovCore
import Foundation
import XCTest

final class Base32Tests: XCTestCase {
    func test_rfc4648VectorsWithoutPadding() {
        let vectors = ["": "", "f": "MY", "fo": "MZXQ", "foo": "MZXW6", "foob": "MZXW6YQ", "fooba": "MZXW6YTB", "foobar": "MZXW6YTBOI"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base32.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base32.decode(encoded), Array(plain.utf8))
        }
    }

    func test_decodeAcceptsLowercaseSpacesAndPadding() {
        XCTAssertEqual(Base32.decode("MZXW6YTBOI======"), Array("foobar".utf8))
        XCTAssertEqual(Base32.decode("mzxw 6ytb oi"), Array("foobar".utf8))
        XCTAssertEqual(Base32.decode("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"), Array("12345678901234567890".utf8))
    }

    func test_decodeRejectsBadInput() {
        XCTAssertNil(Base32.decode("MZXW1"))       // 1 is not in the alphabet
        XCTAssertNil(Base32.decode("MZ0W"))        // neither is 0
        XCTAssertNil(Base32.decode("M"))           // no whole byte fits one symbol
        XCTAssertNil(Base32.decode("MZX"))
        XCTAssertNil(Base32.decode("MY==MZXQ"))    // padding only at the end
    }

    func test_roundTripsEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...41 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            XCTAssertEqual(Base32.decode(Base32.encode(bytes)), bytes)
            XCTAssertEqual(Base32.decode(Base32.encode(bytes).lowercased()), bytes)
        }
    }
}

final class TOTPTests: XCTestCase {
    let rfcSecret = Array("12345678901234567890".utf8)

    func test_rfc6238SHA1Vectors() {
        let totp = TOTP(secret: rfcSecret, digits: 8)
        let vectors: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (seconds, code) in vectors {
            XCTAssertEqual(totp.code(at: Date(timeIntervalSince1970: seconds)), code, "t=\(seconds)")
            XCTAssertTrue(totp.verify(code, at: Date(timeIntervalSince1970: seconds), window: 0))
        }
    }

    func test_rfc4226HOTPVectors() {
        let totp = TOTP(secret: rfcSecret)
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (counter, code) in expected.enumerated() {
            XCTAssertEqual(totp.code(counter: UInt64(counter)), code)
        }
    }

    func test_verifyAcceptsOnlyTheWindow() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let previous = totp.code(at: now.addingTimeInterval(-30))
        let twoBack = totp.code(at: now.addingTimeInterval(-60))
        let next = totp.code(at: now.addingTimeInterval(30))
        XCTAssertTrue(totp.verify(totp.code(at: now), at: now))
        XCTAssertTrue(totp.verify(previous, at: now))
        XCTAssertTrue(totp.verify(next, at: now))
        XCTAssertFalse(totp.verify(previous, at: now, window: 0))
        XCTAssertFalse(totp.verify(twoBack, at: now))
        XCTAssertTrue(totp.verify(twoBack, at: now, window: 2))
    }

    func test_verifyRejectsMalformedCodes() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let code = totp.code(at: now)
        XCTAssertTrue(totp.verify(" \(code)\n", at: now))
        XCTAssertFalse(totp.verify(String(code.dropLast()), at: now))
        XCTAssertFalse(totp.verify(code + "0", at: now))
        XCTAssertFalse(totp.verify("12345a", at: now))
        XCTAssertFalse(totp.verify("", at: now))
        XCTAssertFalse(totp.verify("１２３４５６", at: now)) // full-width digits
        XCTAssertFalse(totp.verify(String(code.prefix(3)) + " " + String(code.suffix(3)), at: now))
    }

    func test_generatedSecretsAreTwentyRandomBytes() {
        let a = TOTP.generateSecret(), b = TOTP.generateSecret()
        XCTAssertEqual(a.count, 20)
        XCTAssertNotEqual(a, b)
    }

    func test_provisioningURIEncodesSecretAndLabels() {
        let uri = TOTP(secret: rfcSecret).provisioningURI(account: "cán bộ@egov.vn", issuer: "EGov")
        XCTAssertTrue(uri.hasPrefix("otpauth://totp/EGov:c%C3%A1n%20b%E1%BB%99%40egov.vn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), uri)
        XCTAssertTrue(uri.contains("&digits=6&period=30"))
    }
}
