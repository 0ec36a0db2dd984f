import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

final class AuthAPITests: EGovTestCase {
    func test_tokenGrantsAccessToMe() async throws {
        let token = try await token("quangninh.vanthu")
        let me = try await api(.GET, "/api/v1/me", as: token)
        XCTAssertEqual(me.status, .ok)
        let body = try me.json(MeDTO.self)
        XCTAssertEqual(body.user.username, "quangninh.vanthu")
        XCTAssertEqual(body.agencyCode, "000.00.00.H49")
        XCTAssertEqual(body.user.roles, ["clerk"])
    }

    func test_noTokenIs401() async throws {
        let res = try await api(.GET, "/api/v1/me", as: nil)
        XCTAssertEqual(res.status, .unauthorized)
        XCTAssertEqual(res.error?.error, "unauthorized")
    }

    func test_forgedTokenIs401() async throws {
        let res = try await api(.GET, "/api/v1/me", as: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA")
        XCTAssertEqual(res.status, .unauthorized)
        XCTAssertEqual(res.error?.error, "invalid_token")
    }

    func test_wrongPasswordIs401WithMessage() async throws {
        let res = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "admin", "password": "sai-mat-khau-1"])
        XCTAssertEqual(res.status, .unauthorized)
        XCTAssertEqual(res.error?.error, "invalid_credentials")
        XCTAssertEqual(res.error?.message, "Tên đăng nhập hoặc mật khẩu không đúng.")
    }

    func test_fiveFailuresLockTheAccountUntilTheLockExpires() async throws {
        for _ in 1...5 {
            let res = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "bnv.lanhdao", "password": "wrong-123"])
            XCTAssertEqual(res.status, .unauthorized)
        }
        // Even the right password is refused while locked.
        let locked = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "bnv.lanhdao", "password": DemoSeed.password])
        XCTAssertEqual(locked.status, .tooManyRequests)
        XCTAssertTrue(locked.error?.message.contains("tạm thời bị khóa") ?? false)
        clock.advance(16 * 60)
        let later = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "bnv.lanhdao", "password": DemoSeed.password])
        XCTAssertEqual(later.status, .ok)
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "sign_in.failed").count()
        XCTAssertEqual(audit, 5)
    }

    func test_fourFailuresThenSuccessResetsTheCounter() async throws {
        for _ in 1...4 {
            try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "btp.vanthu", "password": "wrong-123"])
        }
        _ = try await token("btp.vanthu")
        let user = try await user("btp.vanthu")
        XCTAssertEqual(user.failedSignIns, 0)
        XCTAssertNil(user.lockedUntil)
    }

    func test_accessTokenExpiresAndRefreshRotates() async throws {
        let pair = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "admin", "password": DemoSeed.password]).json(TokenPair.self)
        clock.advance(16 * 60)
        let expired = try await api(.GET, "/api/v1/me", as: pair.accessToken)
        XCTAssertEqual(expired.status, .unauthorized)
        XCTAssertEqual(expired.error?.error, "token_expired")

        let refreshed = try await api(.POST, "/api/v1/auth/refresh", as: nil, json: ["refresh_token": pair.refreshToken])
        XCTAssertEqual(refreshed.status, .ok)
        let newPair = try refreshed.json(TokenPair.self)
        do { let value = try await api(.GET, "/api/v1/me", as: newPair.accessToken).status; XCTAssertEqual(value, .ok) }
        // A used refresh token is spent.
        let reused = try await api(.POST, "/api/v1/auth/refresh", as: nil, json: ["refresh_token": pair.refreshToken])
        XCTAssertEqual(reused.status, .unauthorized)
        XCTAssertEqual(reused.error?.error, "invalid_refresh_token")
    }

    func test_passwordChangeEndsOldTokens() async throws {
        let old = try await token("dongthap.chuyenvien")
        let weak = try await api(.POST, "/api/v1/me/password", as: old, json: ["current_password": DemoSeed.password, "new_password": "short"])
        XCTAssertEqual(weak.status, .unprocessableEntity)
        XCTAssertNotNil(weak.error?.fields?["new_password"])
        let wrongCurrent = try await api(.POST, "/api/v1/me/password", as: old, json: ["current_password": "nope-1234", "new_password": "MatKhauMoi2026"])
        XCTAssertEqual(wrongCurrent.status, .unprocessableEntity)
        let ok = try await api(.POST, "/api/v1/me/password", as: old, json: ["current_password": DemoSeed.password, "new_password": "MatKhauMoi2026"])
        XCTAssertEqual(ok.status, .noContent)
        do { let value = try await api(.GET, "/api/v1/me", as: old).status; XCTAssertEqual(value, .unauthorized) }
        _ = try await token("dongthap.chuyenvien", password: "MatKhauMoi2026")
    }

    func test_totpEnrolmentThenSignInNeedsTheCode() async throws {
        let token = try await token("vpcp.lanhdao")
        let secret = try await api(.POST, "/api/v1/me/totp", as: token).json(UserAPI.TOTPSecret.self)
        let totp = TOTP(secret: Base32.decode(secret.secret)!)
        let wrong = try await api(.POST, "/api/v1/me/totp/confirm", as: token, json: ["code": "000000" == totp.code(at: clock.now) ? "111111" : "000000"])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        let confirm = try await api(.POST, "/api/v1/me/totp/confirm", as: token, json: ["code": totp.code(at: clock.now)])
        XCTAssertEqual(confirm.status, .noContent)

        let missing = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "vpcp.lanhdao", "password": DemoSeed.password])
        XCTAssertEqual(missing.status, .unauthorized)
        XCTAssertEqual(missing.error?.error, "totp_required")
        let bad = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "vpcp.lanhdao", "password": DemoSeed.password, "totp": "12345x"])
        XCTAssertEqual(bad.error?.error, "invalid_totp")
        let good = try await api(.POST, "/api/v1/auth/token", as: nil,
                                 json: ["username": "vpcp.lanhdao", "password": DemoSeed.password, "totp": totp.code(at: clock.now)])
        XCTAssertEqual(good.status, .ok)
    }

    func test_deactivatedAccountCannotSignInAndItsTokenStops() async throws {
        let victimToken = try await token("bnv.chuyenvien")
        let adminToken = try await token("bnv.quantri")
        let target = try await user("bnv.chuyenvien")
        let res = try await api(.POST, "/api/v1/users/\(target.id!)/deactivate", as: adminToken)
        XCTAssertEqual(res.status, .ok)
        do { let value = try await api(.GET, "/api/v1/me", as: victimToken).status; XCTAssertEqual(value, .unauthorized) }
        let signIn = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "bnv.chuyenvien", "password": DemoSeed.password])
        XCTAssertEqual(signIn.status, .forbidden)
        XCTAssertEqual(signIn.error?.error, "account_disabled")
    }

    func test_adminResetLiftsLockAndSetsNewPassword() async throws {
        for _ in 1...5 {
            try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "quangninh.chuyenvien", "password": "wrong-123"])
        }
        let admin = try await token("quangninh.quantri")
        let target = try await user("quangninh.chuyenvien")
        let res = try await api(.POST, "/api/v1/users/\(target.id!)/reset-password", as: admin, json: ["password": "DatLai2026x"])
        XCTAssertEqual(res.status, .noContent)
        _ = try await token("quangninh.chuyenvien", password: "DatLai2026x")
    }
}
