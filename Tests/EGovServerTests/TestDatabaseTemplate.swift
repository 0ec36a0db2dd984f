import Crypto
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
import Vapor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import EGovServer

/// Databases migrated (and demo-seeded) once per build of the test binary and copied for each test:
/// a copy of a data folder on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL, so tests on one
/// PostgreSQL server no longer share a schema and may run in parallel processes.
///
/// A template is the data folder the build left (the SQLite file, and the PKI files the demo seed
/// writes) plus, on PostgreSQL, a database `egov_tpl_…`. Its name hashes the test binary (path,
/// size, mtime), the migration names, the database server and what was seeded, so a rebuilt binary
/// or a branch with another migration never reuses one. Building is serialised across processes
/// (`swift test --parallel`, scripts/test's shards) by flock on a file in the temp folder.
enum TestDatabaseTemplate {
    /// What a test's app needs: its own data folder is filled in; on PostgreSQL, its database's URL.
    struct Copy: Sendable {
        let databaseURL: String?
        let postgresDatabase: String?
    }

    /// Fills `dataDir` (which must not exist yet) from the template and, on PostgreSQL, creates the
    /// test's own database from the template database.
    static func copy(seeded: Bool, seedTime: Date, into dataDir: String, postgresURL: String?) async throws -> Copy {
        let template = try await Cache.shared.template(seeded: seeded, seedTime: seedTime, postgresURL: postgresURL)
        try FileManager.default.copyItem(atPath: template.directory, toPath: dataDir)
        guard let postgresURL, let templateDatabase = template.postgresDatabase else { return Copy(databaseURL: nil, postgresDatabase: nil) }
        let name = try await PostgresServer.shared(postgresURL).createCopy(of: templateDatabase)
        return Copy(databaseURL: try PostgresServer.url(postgresURL, database: name), postgresDatabase: name)
    }

    /// An empty database of its own for a test that migrates (and seeds) itself.
    static func emptyDatabase(postgresURL: String) async throws -> Copy {
        let name = try await PostgresServer.shared(postgresURL).createCopy(of: nil)
        return Copy(databaseURL: try PostgresServer.url(postgresURL, database: name), postgresDatabase: name)
    }

    /// Drops the PostgreSQL databases this process made for tests (after their apps shut down).
    static func dropCopies() async throws {
        try await PostgresServer.dropAllCopies()
    }

    /// Migrates (and seeds) the database of `settings` the way every test app did before templates.
    static func build(_ settings: Settings, seeded: Bool, clock: AppClock?) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        do {
            try await configure(app, settings: settings, clock: clock ?? .system)
            try await app.autoMigrate()
            if seeded { try await DemoSeed.run(on: app) }
            if settings.databaseURL == nil, let sql = app.db as? SQLDatabase {
                // The copy is a file copy: move the write-ahead log into the file. PASSIVE: TRUNCATE would
                // wait out the pool's idle readers. Closing the last connection checkpoints again, and a
                // -wal file still there is copied along with the database.
                try await sql.raw("PRAGMA wal_checkpoint(PASSIVE)").run()
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    struct Template: Sendable {
        let directory: String
        let postgresDatabase: String?
    }

    /// The templates this process has found or built, so the lock is taken once per template.
    actor Cache {
        static let shared = Cache()
        private var ready: [String: Template] = [:]
        private var fingerprint: Fingerprint?

        func template(seeded: Bool, seedTime: Date, postgresURL: String?) async throws -> Template {
            let fingerprint = try await self.fingerprintOnce()
            var parts = [fingerprint.code, postgresURL.map { "pg \($0)" } ?? "sqlite", seeded ? "seeded" : "empty"]
            // The seed stamps certificates and confirmations with the clock's time.
            if seeded { parts.append("\(seedTime.timeIntervalSince1970)") }
            let key = "\(fingerprint.path)-\(fingerprint.binary)-\(hash(parts.joined(separator: "\n"), length: 10))"
            if let known = ready[key] { return known }
            let template = try await withLock(fingerprint) {
                try await Self.findOrBuild(key: key, fingerprint: fingerprint, seeded: seeded, seedTime: seedTime, postgresURL: postgresURL)
            }
            ready[key] = template
            return template
        }

        private func fingerprintOnce() async throws -> Fingerprint {
            if let fingerprint { return fingerprint }
            let made = try await Fingerprint.make()
            fingerprint = made
            return made
        }

        private static func findOrBuild(key: String, fingerprint: Fingerprint, seeded: Bool, seedTime: Date, postgresURL: String?) async throws -> Template {
            let files = FileManager.default
            let temp = FileManager.default.temporaryDirectory.path
            let directory = "\(temp)/egov-tpl-\(key)"
            let idFile = directory + ".id"
            let postgresDatabase = postgresURL.map { _ in "egov_tpl_" + key.replacingOccurrences(of: "-", with: "_") }
            if files.fileExists(atPath: directory), let id = try? String(contentsOfFile: idFile, encoding: .utf8) {
                if let postgresURL, let postgresDatabase {
                    if try await PostgresServer.shared(postgresURL).comment(on: postgresDatabase) == id {
                        return Template(directory: directory, postgresDatabase: postgresDatabase)
                    }
                } else {
                    return Template(directory: directory, postgresDatabase: nil)
                }
            }
            // Not there (or from another PostgreSQL server): drop what an older build of this binary left, then build.
            let stale = "egov-tpl-\(fingerprint.path)-"
            for entry in (try? files.contentsOfDirectory(atPath: temp)) ?? [] where entry.hasPrefix(stale) && !entry.hasPrefix("\(stale)\(fingerprint.binary)-") {
                try? files.removeItem(atPath: "\(temp)/\(entry)")
            }
            try? files.removeItem(atPath: directory)
            try? files.removeItem(atPath: idFile)
            let building = "\(directory).building-\(UUID().uuidString)"
            defer { try? files.removeItem(atPath: building) }
            var settings = Settings.fromEnvironment()
            settings.dataDirectory = building
            settings.jwtSecret = "template-\(UUID().uuidString)" // JWTKit wants 32 bytes or more
            if let postgresURL, let postgresDatabase {
                let server = try PostgresServer.shared(postgresURL)
                try await server.dropStaleTemplates(path: fingerprint.path, keeping: fingerprint.binary)
                try await server.drop(postgresDatabase)
                try await server.create(postgresDatabase)
                settings.databaseURL = try PostgresServer.url(postgresURL, database: postgresDatabase)
            }
            try await build(settings, seeded: seeded, clock: AppClock(now: { seedTime }))
            // SQLite rebuilds the shared-memory index from the file; a copied one could be stale.
            try? files.removeItem(atPath: building + "/egov.sqlite-shm")
            try files.moveItem(atPath: building, toPath: directory)
            let id = UUID().uuidString
            try id.write(toFile: idFile, atomically: true, encoding: .utf8)
            if let postgresURL, let postgresDatabase {
                try await PostgresServer.shared(postgresURL).seal(postgresDatabase, comment: id)
            }
            return Template(directory: directory, postgresDatabase: postgresDatabase)
        }

        /// Holds an exclusive flock on the binary path's lock file while `body` runs.
        private func withLock<T: Sendable>(_ fingerprint: Fingerprint, _ body: () async throws -> T) async throws -> T {
            let path = FileManager.default.temporaryDirectory.path + "/egov-tpl-\(fingerprint.path).lock"
            let fd = open(path, O_CREAT | O_RDWR, 0o644)
            guard fd >= 0 else { throw TemplateError("cannot open the template lock \(path)") }
            defer { close(fd) } // closing releases the lock
            // flock blocks: wait on the thread pool, not on a cooperative thread.
            let locked = try await NIOThreadPool.singleton.runIfActive { flock(fd, LOCK_EX) }
            guard locked == 0 else { throw TemplateError("cannot lock \(path)") }
            return try await body()
        }
    }

    /// What a template depends on: the test binary (its code holds the migrations and the seed) and the migration names.
    struct Fingerprint: Sendable {
        /// Hash of the binary's path: templates of an older build at the same path are stale.
        let path: String
        /// Hash of the binary's size and mtime.
        let binary: String
        /// Hash of everything, the migration names included.
        let code: String

        static func make() async throws -> Fingerprint {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            let attributes = try FileManager.default.attributesOfItem(atPath: executable)
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let binary = hash("\(executable)\n\(size)\n\(mtime)", length: 8)
            let names = try await migrationNames()
            return Fingerprint(path: hash(executable, length: 8), binary: binary,
                               code: hash(([binary] + names).joined(separator: "\n"), length: 16))
        }

        /// Every migration's name in order, as Fluent sees them on an empty database.
        static func migrationNames() async throws -> [String] {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .error
            // A file, not `.memory`: each pooled connection would get its own empty memory database.
            let file = FileManager.default.temporaryDirectory.path + "/egov-migration-names-\(UUID().uuidString).sqlite"
            defer { try? FileManager.default.removeItem(atPath: file) }
            do {
                app.databases.use(.sqlite(.file(file)), as: .sqlite)
                Migrations.register(on: app)
                try await app.migrator.setupIfNeeded().get()
                let pending = try await app.migrator.previewPrepareBatch().get()
                try await app.asyncShutdown()
                return pending.map { $0.0.name }
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
    }

    static func hash(_ text: String, length: Int) -> String {
        String(SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined().prefix(length))
    }

    struct TemplateError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// The PostgreSQL server of EGOV_TEST_DATABASE_URL, spoken to over one small pool on its default
/// database (never on a template, which must have no connections while it is copied).
final class PostgresServer: Sendable {
    private static let servers = NIOLockedValueBox<[String: PostgresServer]>([:])
    private static let copies = NIOLockedValueBox<[(server: PostgresServer, name: String)]>([])

    private let databases: Databases
    private let logger = Logger(label: "egov.test.postgres-admin")

    private init(url: String) throws {
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 1), as: .psql)
    }

    static func shared(_ url: String) throws -> PostgresServer {
        try servers.withLockedValue { servers in
            if let known = servers[url] { return known }
            let made = try PostgresServer(url: url)
            servers[url] = made
            return made
        }
    }

    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw TestDatabaseTemplate.TemplateError("not a URL: EGOV_TEST_DATABASE_URL") }
        components.path = "/" + database
        guard let made = components.string else { throw TestDatabaseTemplate.TemplateError("cannot point EGOV_TEST_DATABASE_URL at \(database)") }
        return made
    }

    private var sql: SQLDatabase {
        databases.database(.psql, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()) as! SQLDatabase
    }

    /// A test's own database, copied from `template` (or empty), named with its creation time so a
    /// later run can drop what a crashed test process left.
    func createCopy(of template: String?) async throws -> String {
        let name = "egov_t_\(Int(Date().timeIntervalSince1970))_\(UUID().uuidString.prefix(8).lowercased())"
        if let template {
            try await run("CREATE DATABASE \(ident: name) TEMPLATE \(ident: template)")
        } else {
            try await create(name)
        }
        Self.copies.withLockedValue { $0.append((self, name)) }
        return name
    }

    static func dropAllCopies() async throws {
        let pending = copies.withLockedValue { copies in defer { copies = [] }; return copies }
        for copy in pending { try await copy.server.drop(copy.name) }
    }

    func create(_ name: String) async throws {
        try await run("CREATE DATABASE \(ident: name)")
    }

    /// Plain DROP first: it waits for the test app's closing backends and stops an autovacuum worker
    /// on the database, where WITH (FORCE), run by a role that is not a superuser, refuses
    /// ("must be a member of the role whose process is being terminated").
    func drop(_ name: String) async throws {
        do {
            try await run("DROP DATABASE IF EXISTS \(ident: name)")
        } catch {
            try await run("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)")
        }
    }

    /// PostgresNIO's errors describe themselves only when reflected.
    private func run(_ query: SQLQueryString) async throws {
        do {
            try await sql.raw(query).run()
        } catch {
            throw TestDatabaseTemplate.TemplateError(String(reflecting: error))
        }
    }

    /// The template's id; nil when the database is not there.
    func comment(on name: String) async throws -> String? {
        struct Row: Decodable { let comment: String? }
        return try await sql.raw("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = \(bind: name)")
            .first(decoding: Row.self)?.comment
    }

    /// Marks a built template ready (its id) and closed to connections, so copying it never finds one open.
    func seal(_ name: String, comment: String) async throws {
        try await run("ALTER DATABASE \(ident: name) WITH ALLOW_CONNECTIONS false")
        try await run("COMMENT ON DATABASE \(ident: name) IS \(literal: comment)")
    }

    /// Drops templates of older builds of this binary and test databases over an hour old (a crashed run's).
    func dropStaleTemplates(path: String, keeping binary: String) async throws {
        struct Row: Decodable { let datname: String }
        let names = try await sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'egov\\_t%'").all(decoding: Row.self).map(\.datname)
        let hourAgo = Int(Date().timeIntervalSince1970) - 3600
        for name in names {
            let parts = name.split(separator: "_")
            let staleTemplate = name.hasPrefix("egov_tpl_\(path)_") && !name.hasPrefix("egov_tpl_\(path)_\(binary)_")
            let staleCopy = name.hasPrefix("egov_t_") && parts.count == 4 && (Int(parts[2]).map { $0 < hourAgo } ?? false)
            if staleTemplate || staleCopy { try await drop(name) }
        }
    }
}
