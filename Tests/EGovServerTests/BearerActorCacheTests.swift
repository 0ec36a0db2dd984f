import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Bearer requests reuse the actor they loaded a moment ago; every change that would refuse
/// or reshape that actor takes effect on the very next request.
final class BearerActorCacheTests: EGovTestCase {
    func test_repeatedRequestsReuseTheLoadedActor() async throws {
        let token = try await token("quangninh.chuyenvien")
        let specialist = try await user("quangninh.chuyenvien")
        XCTAssertNil(app.actorCache.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion))
        do { let value = try await api(.GET, "/api/v1/me", as: token).status; XCTAssertEqual(value, .ok) }
        let cached = app.actorCache.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion)
        XCTAssertEqual(cached?.username, "quangninh.chuyenvien")
        XCTAssertNil(app.actorCache.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion + 1),
                     "another credential version is not served from the cache")
    }

    func test_aDeactivatedUserIsRefusedAtOnce() async throws {
        let token = try await token("quangninh.chuyenvien")
        let admin = try await self.token("quangninh.quantri")
        let specialist = try await user("quangninh.chuyenvien")
        do { let value = try await api(.GET, "/api/v1/me", as: token).status; XCTAssertEqual(value, .ok) }
        do { let value = try await api(.POST, "/api/v1/users/\(specialist.id!)/deactivate", as: admin).status; XCTAssertEqual(value, .ok) }
        let refused = try await api(.GET, "/api/v1/me", as: token)
        XCTAssertEqual(refused.status, .unauthorized)
        XCTAssertEqual(refused.error?.error, "invalid_token")
    }

    func test_aResetPasswordEndsTheOldTokenAtOnce() async throws {
        let token = try await token("quangninh.chuyenvien")
        let admin = try await self.token("quangninh.quantri")
        let specialist = try await user("quangninh.chuyenvien")
        do { let value = try await api(.GET, "/api/v1/me", as: token).status; XCTAssertEqual(value, .ok) }
        let reset = try await api(.POST, "/api/v1/users/\(specialist.id!)/reset-password", as: admin, json: ["password": "MatKhauMoi@2026"])
        XCTAssertEqual(reset.status, .noContent, reset.body)
        do { let value = try await api(.GET, "/api/v1/me", as: token).status; XCTAssertEqual(value, .unauthorized) }
    }

    func test_aDeactivatedAgencyIsRefusedAtOnce() async throws {
        let token = try await token("dongthap.chuyenvien")
        let admin = try await self.token("admin")
        let agency = try await agency("000.00.00.H20")
        do { let value = try await api(.GET, "/api/v1/me", as: token).status; XCTAssertEqual(value, .ok) }
        let patched = try await api(.PATCH, "/api/v1/agencies/\(agency.id!)", as: admin, json: ["is_active": false])
        XCTAssertEqual(patched.status, .ok, patched.body)
        do { let value = try await api(.GET, "/api/v1/me", as: token).status; XCTAssertEqual(value, .unauthorized) }
    }

    /// New roles keep the credential version (the token stays valid) but must not wait for the cache.
    func test_changedRolesAndUnitNamesShowOnTheNextRequest() async throws {
        let token = try await token("quangninh.chuyenvien")
        let admin = try await self.token("quangninh.quantri")
        let specialist = try await user("quangninh.chuyenvien")
        do { let value = try await api(.GET, "/api/v1/users", as: token).status; XCTAssertEqual(value, .forbidden) }
        let patched = try await api(.PATCH, "/api/v1/users/\(specialist.id!)", as: admin, json: ["roles": ["specialist", "agency_admin"]])
        XCTAssertEqual(patched.status, .ok, patched.body)
        do { let value = try await api(.GET, "/api/v1/users", as: token).status; XCTAssertEqual(value, .ok) }

        let renamed = try await api(.PATCH, "/api/v1/units/\(specialist.$unit.id)", as: admin, json: ["name": "Phòng Đổi Tên"])
        XCTAssertEqual(renamed.status, .ok, renamed.body)
        let me = try await api(.GET, "/api/v1/me", as: token).json(MeDTO.self)
        XCTAssertEqual(me.unitName, "Phòng Đổi Tên")
    }

    /// A load that read the database before a change committed must not put the old actor back.
    func test_aLoadOverlappingAChangeIsNotKept() async throws {
        let cache = ActorCache()
        let specialist = try await user("quangninh.chuyenvien")
        guard let actor = try await Actor.load(userID: specialist.id!, credentialVersion: specialist.credentialVersion, on: app.db) else {
            return XCTFail("the specialist is active")
        }
        let before = cache.generation
        cache.forget([AuditEvent("user.deactivate", objectType: "user", objectID: specialist.id!.uuidString)])
        cache.store(actor, credentialVersion: specialist.credentialVersion, loadedIn: before)
        XCTAssertNil(cache.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion))
        cache.store(actor, credentialVersion: specialist.credentialVersion, loadedIn: cache.generation)
        XCTAssertNotNil(cache.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion))
        cache.forget([AuditEvent("agency.update", objectType: "agency", objectID: actor.agencyID.uuidString)])
        XCTAssertNil(cache.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion), "an agency change drops its people")

        let short = ActorCache(maxAge: .milliseconds(20))
        short.store(actor, credentialVersion: specialist.credentialVersion, loadedIn: short.generation)
        try await Task.sleep(for: .milliseconds(40))
        XCTAssertNil(short.actor(userID: specialist.id!, credentialVersion: specialist.credentialVersion), "entries age out")
    }
}
