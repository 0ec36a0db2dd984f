import EGovCore
import Fluent
import XCTest
@testable import EGovServer

/// Commands run in a `UseCaseContext` built from the application, with no HTTP request:
/// as a worker, a CLI command or a hub loop runs them.
final class UseCaseContextTests: EGovTestCase {
    private func actor(_ username: String) async throws -> Actor {
        Actor(user: try await User.query(on: app.db).filter(\.$username == username).with(\.$agency).with(\.$unit).first()!)
    }

    func test_aCommandRunsWithoutARequestAndIsAuditedUnderItsActor() async throws {
        let admin = try await actor("quangninh.quantri")
        let input = try UnitInput(code: "p-thu", name: "Phòng Thử nghiệm", isActive: true).validate()
        let unit = try await CreateUnit(actor: admin, agencyID: admin.agencyID, input: input).run(in: app.useCase(as: admin))

        let stored = try await AgencyUnit.find(unit.id, on: app.db)
        XCTAssertEqual(stored?.name, "Phòng Thử nghiệm")
        let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "unit.create").filter(\.$objectID == unit.id!.uuidString).first()
        XCTAssertEqual(entry?.actorName, "quangninh.quantri")
        XCTAssertEqual(entry?.agencyCode, admin.agencyCode)
        XCTAssertNil(entry?.requestID, "no request: nothing to correlate")
    }

    func test_aCommandRefusesWithoutARequestWhatItRefusesOverHTTP() async throws {
        let clerk = try await actor("quangninh.vanthu")
        let input = try UnitInput(code: "p-x", name: "Phòng X", isActive: true).validate()
        do {
            _ = try await CreateUnit(actor: clerk, agencyID: clerk.agencyID, input: input).run(in: app.useCase(as: clerk))
            XCTFail("a clerk created a unit")
        } catch let error as EGovError {
            XCTAssertEqual(error.status, .forbidden)
        }
        // Another agency's admin does not even see the agency.
        let other = try await actor("bnv.quantri")
        do {
            _ = try await CreateUnit(actor: other, agencyID: clerk.agencyID, input: input).run(in: app.useCase(as: other))
            XCTFail("an admin of another agency created a unit")
        } catch let error as EGovError {
            XCTAssertEqual(error.status, .notFound)
        }
        let count = try await AgencyUnit.query(on: app.db).filter(\.$code == "P-X").count()
        XCTAssertEqual(count, 0)
    }

    func test_aFailedCommandLeavesNothingBehind() async throws {
        let admin = try await actor("admin")
        let date = LocalDate(iso: "2026-05-04")!
        let first = CalendarOverride(date: date, kind: .dayOff, name: "Nghỉ bù")
        _ = try await SetCalendarOverride(actor: admin, override: first).run(in: app.useCase(as: admin))
        let auditBefore = try await AuditEntry.query(on: app.db).count()
        do {
            _ = try await SetCalendarOverride(actor: admin, override: CalendarOverride(date: date, kind: .workingDay, name: "Làm bù"))
                .run(in: app.useCase(as: admin))
            XCTFail("two overrides for one date")
        } catch let error as EGovError {
            XCTAssertEqual(error.code, "override_exists")
        }
        let overrides = try await CalendarOverrideRecord.query(on: app.db).filter(\.$date == "2026-05-04").all()
        XCTAssertEqual(overrides.map(\.name), ["Nghỉ bù"])
        let auditAfter = try await AuditEntry.query(on: app.db).count()
        XCTAssertEqual(auditAfter, auditBefore, "a refused command writes no audit entry")
    }

    /// A job handler that runs a use case as the account its payload names.
    struct CreateUnitJob: JobHandler {
        static let kind = "test.create_unit"
        struct Payload: Codable, Sendable { var username: String; var code: String; var name: String }

        func run(_ payload: Payload, in context: JobContext) async throws {
            let actor = try await CommandLineActor.load(payload.username, on: context.db)
            let input = try UnitInput(code: payload.code, name: payload.name, isActive: true).validate()
            _ = try await CreateUnit(actor: actor, agencyID: actor.agencyID, input: input).run(in: context.useCase(as: actor))
        }
    }

    func test_aWorkerRunsAUseCaseAsTheActorItsJobNames() async throws {
        app.jobs.register(CreateUnitJob())
        let ctx = app.useCase()
        try await ctx.audited { db, _ in
            try await JobQueue.enqueue(try Job(CreateUnitJob.self, .init(username: "bnv.quantri", code: "P-CV", name: "Phòng Công vụ"),
                                               key: "unit:P-CV", at: ctx.now), on: db)
        }
        try await app.jobs.runUntilIdle()
        let agency = try await agency("000.00.00.G09")
        let unit = try await AgencyUnit.query(on: app.db).owned(by: try await actor("bnv.quantri")).filter(\.$code == "P-CV").first()
        XCTAssertEqual(unit?.$agency.id, agency.id)
        let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "unit.create").filter(\.$objectID == unit?.id?.uuidString).first()
        XCTAssertEqual(entry?.actorName, "bnv.quantri", "the worker acted as the named account")
        let job = try await Job.query(on: app.db).filter(\.$idempotencyKey == "unit:P-CV").first()
        XCTAssertEqual(job?.jobState, .succeeded)
    }

    func test_theContextsClockIsTheApplications() async throws {
        clock.advance(86_400)
        XCTAssertEqual(app.useCase().now, clock.now)
    }
}
