import ConsoleKit
import EGovCore
import Fluent
import NIOCore
import NIOPosix
import Vapor

/// `egov audit verify`: checks every chain, one line each; exits 0 when all are intact,
/// non-zero naming the first bad entry of each broken chain.
struct AuditCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["verify": AuditVerifyCommand()] }
    var help: String { "Audit log tools." }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Recomputes the hash chain of each agency (and the system's, the applicants', the legacy one)." }

    struct Broken: Error, CustomStringConvertible {
        let description: String
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let chains = try await AuditLog.verifyChains(on: context.application.db)
        for status in chains {
            if let problem = status.problem {
                context.console.error("chain \(status.chain): BROKEN at entry #\(problem.firstBadSequence) (\(status.entries) entries in order before it): \(problem)")
            } else {
                context.console.print("chain \(status.chain): intact, \(status.entries) entries")
            }
        }
        let broken = chains.filter { !$0.isIntact }
        let total = chains.reduce(0) { $0 + $1.entries }
        if let first = broken.first?.problem {
            let summary = "audit log broken in \(broken.count) of \(chains.count) chains, first at entry #\(first.firstBadSequence)"
            context.console.error(summary)
            throw Broken(description: summary)
        }
        context.console.print("audit log intact: \(chains.count) chains, \(total) entries")
    }
}

/// `egov calendar holidays 2026`: one `YYYY-MM-DD name` a line.
struct CalendarCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["holidays": HolidaysCommand(), "override": CalendarOverrideCommand()] }
    var help: String { "Working-day calendar tools." }
}

struct HolidaysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "year", help: "The year, 1900–2199.")
        var year: Int
    }
    var help: String { "Prints the holidays (with overrides) of a year." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard (WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear).contains(signature.year) else {
            throw AuditVerifyCommand.Broken(description: "year must be between \(WorkingDayCalendar.minYear) and \(WorkingDayCalendar.maxYear)")
        }
        let calendar = try await CalendarService.calendar(on: context.application.db)
        for holiday in calendar.holidays(in: signature.year) {
            context.console.print("\(holiday.date.iso) \(holiday.name)")
        }
    }
}

/// `egov calendar override 2026-05-02 working_day "Làm bù" --as admin`: the same use case as the
/// holidays page, run without HTTP as a named administrator (the audit log names them).
struct CalendarOverrideCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "date", help: "YYYY-MM-DD")
        var date: String
        @Argument(name: "kind", help: "day_off or working_day")
        var kind: String
        @Argument(name: "name", help: "The name or reason, as the announcement gives it.")
        var name: String
        @ConsoleKit.Option(name: "as", help: "The username of the system administrator making the change.")
        var username: String?
    }
    var help: String { "Adds a government-announced day off or working day." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        do {
            let actor = try await CommandLineActor.load(signature.username, on: app.db)
            let override = try CalendarOverrideInput(date: signature.date, kind: signature.kind, name: signature.name).validate()
            let record = try await SetCalendarOverride(actor: actor, override: override).run(in: app.useCase(as: actor))
            context.console.print("calendar override added: \(record.date) \(record.kind) \(record.name)")
        } catch let error as EGovError {
            context.console.error(error.message)
            throw CommandFailure(description: error.message)
        } catch let failure as CommandFailure {
            context.console.error(failure.description)
            throw failure
        }
    }
}

/// A command that could not do what it was asked; its text is what the operator reads.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// The civil servant a CLI command acts as (`--as <username>`): an active account, as at sign-in.
enum CommandLineActor {
    static func load(_ username: String?, on db: Database) async throws -> Actor {
        guard let username, !username.isEmpty else { throw CommandFailure(description: "--as <username> is required") }
        guard let user = try await User.query(on: db).filter(\.$username == username.lowercased()).with(\.$agency).with(\.$unit).first(),
              user.isActive, user.agency.isActive else {
            throw CommandFailure(description: "no active account \(username)")
        }
        return Actor(user: user)
    }
}

/// `egov seed-demo`: adds the demo agencies and accounts (the same as `serve --demo`, without serving).
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Adds the demo agencies and accounts when missing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let logins = try await DemoSeed.run(on: context.application)
        context.console.print("demo data ready: \(logins.count) accounts")
    }
}

/// The program's entry point: configure, migrate, seed the demo data when asked, run the command.
public enum EGovMain {
    public static func run() async throws {
        // Async handlers then run on the event loops themselves instead of hopping to Swift's
        // own pool and back for every request (the look-up's p99 at 100 clients depends on it).
        // Nothing in EGov blocks on `.wait()`; `EGOV_NIO_EXECUTOR=false` turns it off.
        if Environment.get("EGOV_NIO_EXECUTOR") != "false" {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        var arguments = CommandLine.arguments
        let demo = arguments.contains("--demo")
        arguments.removeAll { $0 == "--demo" }
        var env = try Environment.detect(arguments: arguments)
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try await configure(app)
            app.asyncCommands.use(AuditCommand(), as: "audit")
            app.asyncCommands.use(CalendarCommand(), as: "calendar")
            app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
            app.asyncCommands.use(PKICommand(), as: "pki")
            app.asyncCommands.use(StatisticsCommand(), as: "statistics")
            if Environment.get("EGOV_AUTO_MIGRATE") != "false" {
                try await app.autoMigrate()
            }
            if demo {
                let logins = try await DemoSeed.run(on: app)
                printDemoBanner(app: app, logins: logins)
            }
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func printDemoBanner(app: Application, logins: [DemoSeed.Login]) {
        let settings = app.settings
        var lines = ["", "EGov demo is ready: \(settings.publicURL)", "Password for every demo account: \(DemoSeed.password)", ""]
        lines.append("username".padding(toLength: 28, withPad: " ", startingAt: 0) + "role".padding(toLength: 20, withPad: " ", startingAt: 0) + "name — agency")
        for login in logins {
            lines.append(login.username.padding(toLength: 28, withPad: " ", startingAt: 0)
                         + login.role.padding(toLength: 20, withPad: " ", startingAt: 0) + "\(login.fullName) — \(login.agency)")
        }
        lines.append("")
        print(lines.joined(separator: "\n"))
    }
}

/// `egov statistics rebuild`: recounts the dossier statistics from the dossiers themselves
/// (after a restore, a bulk load, or a change of past holidays).
struct StatisticsCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["rebuild": StatisticsRebuildCommand()] }
    var help: String { "Dossier statistics tools." }
}

struct StatisticsRebuildCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Recounts the dossier and rating tallies behind the statistics." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let started = Date()
        let (lines, dossiers) = try await DossierTallies.rebuild(calendar: try await CalendarService.calendar(on: db), on: db)
        context.console.print("statistics rebuilt: \(dossiers) dossiers in \(lines) lines (\(Int(Date().timeIntervalSince(started))) s)")
    }
}
