import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import Leaf
import SQLKit
import Vapor

/// Sets up the whole server: database, migrations, sessions, views, tokens, middleware, routes.
public func configure(_ app: Application) async throws {
    try await configure(app, settings: .fromEnvironment())
}

/// `clock` is the seam for "now": tests pass one they move by hand.
func configure(_ app: Application, settings: Settings, clock: AppClock = .system) async throws {
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port
    // Forms carry Vietnamese text, 9 bytes a letter once URL-encoded: 16 KB is too little.
    app.routes.defaultMaxBodySize = "1mb"
    ContentConfiguration.global.use(decoder: try GuardedFormDataDecoder(), for: .formData)
    try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)

    // Database: PostgreSQL when DATABASE_URL is set, otherwise an embedded SQLite file.
    var sqliteLookupReader: SQLiteLookupReader?
    if let url = settings.databaseURL {
        try app.databases.use(.postgres(url: url, maxConnectionsPerEventLoop: settings.databaseConnectionsPerLoop), as: .psql)
    } else {
        let path = URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("egov.sqlite").path
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 4), as: .sqlite)
        sqliteLookupReader = SQLiteLookupReader(path: path, threadPool: app.threadPool)
        app.lifecycle.use(SQLiteLookupReaderShutdown())
    }
    Migrations.register(on: app)
    if settings.databaseURL == nil, let sql = app.db as? SQLDatabase {
        // WAL doubles write throughput; FULL keeps each commit durable.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=FULL").run()
    }

    app.passwords.use(.bcrypt(cost: app.environment == .testing ? 4 : 12))

    app.sessions.use(.fluent)
    let secure = settings.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: "egov_session", cookieFactory: { sessionID in
        HTTPCookies.Value(string: sessionID.string, expires: Date().addingTimeInterval(12 * 3600), maxAge: nil, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    })

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease

    await app.jwt.keys.add(hmac: HMACKey(from: try jwtSecret(settings)), digestAlgorithm: .sha256)

    let auditLog = AuditLog(clock: { clock.now() })
    let actorCache = ActorCache()
    auditLog.whenCommitted { events in actorCache.forget(events) }
    app.egovServices = Services(
        settings: settings,
        clock: clock,
        auditLog: auditLog,
        actorCache: actorCache,
        attachments: AttachmentStore(dataDirectory: settings.dataDirectory, maxBytes: settings.maxAttachmentBytes),
        signingKeystore: SigningKeystore(dataDirectory: settings.dataDirectory),
        passwords: app.password.async,
        tokenKeys: app.jwt.keys,
        mail: settings.smtp.map { SMTPMailSender(settings: $0) } ?? LoggingMailSender(logger: app.logger),
        textMessages: LoggingTextMessageSender(logger: app.logger),
        attachmentText: AttachmentTextExtractor(app: app, tool: settings.pdfToText),
        jobs: JobSetup.makeQueue(app),
        exchange: ExchangeOutbox(clock: clock),
        externalIdentity: settings.oidc.map { GenericOIDCProvider(settings: $0, client: app.client) },
        lookupLimiter: RateLimiter(limit: 10, window: 60),
        statisticsCache: StatisticsCache(),
        directoryNames: DirectoryNames(),
        sqliteLookupReader: sqliteLookupReader,
        requestMetrics: RequestMetrics(),
        threadPool: app.threadPool)
    JobSetup.startWorkers(app, settings: settings)

    // Middleware, outermost first.
    app.middleware = .init()
    app.middleware.use(RequestObservationMiddleware(metrics: app.egovServices.requestMetrics))
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info)) // each line carries the request id
    app.middleware.use(SecurityHeadersMiddleware(httpsOnly: settings.secureCookies))
    app.middleware.use(EGovErrorMiddleware())
    app.middleware.use(PublicFilesMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SessionActorMiddleware())
    app.middleware.use(ApplicantSessionMiddleware())
    app.middleware.use(AuditFallbackMiddleware())

    try routes(app)
}

/// The JWT signing secret: from the environment, or generated once and kept in the data folder.
private func jwtSecret(_ settings: Settings) throws -> String {
    if let secret = settings.jwtSecret { return secret }
    let path = URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("jwt-secret").path
    if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.count >= 32 {
        return existing.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let secret = TokenIssuer.randomToken()
    FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
    return secret
}

func routes(_ app: Application) throws {
    try app.register(collection: OperationsRoutes())

    let api = app.grouped("api", "v1").grouped(BearerActorMiddleware())
    api.get("openapi.json") { req async throws -> Response in
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        return try await req.fileio.asyncStreamFile(at: path, mediaType: .json)
    }
    try api.register(collection: AuthAPI())
    try api.register(collection: CalendarAPI())
    try api.register(collection: PublicProcedureAPI())
    try api.register(collection: DossierLookupAPI())
    try api.register(collection: DossierStatisticsAPI())
    let portalAPI = api.grouped("portal").grouped(ApplicantBearerMiddleware())
    try portalAPI.register(collection: PortalAPI())
    try portalAPI.register(collection: PortalDossierAPI(maxUploadBytes: app.settings.maxUploadBytes))
    try portalAPI.register(collection: PortalRatingAPI())
    let signedInAPI = api.grouped(RequireActorMiddleware())
    try signedInAPI.register(collection: AgencyAPI())
    try signedInAPI.register(collection: UserAPI())
    try signedInAPI.register(collection: AuditAPI())
    try signedInAPI.register(collection: JobAPI())
    let maxUpload = app.settings.maxUploadBytes
    // A national catalogue export of a few thousand procedures is a few MB.
    let catalogueImportBytes = 20 * 1_048_576
    try signedInAPI.register(collection: IncomingDocumentAPI(maxUploadBytes: maxUpload))
    try signedInAPI.register(collection: OutgoingDocumentAPI(maxUploadBytes: maxUpload))
    try signedInAPI.register(collection: WorkFileAPI())
    try signedInAPI.register(collection: DocumentSearchAPI())
    try signedInAPI.register(collection: DocumentRegisterAPI())
    try signedInAPI.register(collection: ProcedureAdminAPI(maxImportBytes: catalogueImportBytes))
    try signedInAPI.register(collection: DossierAPI(maxUploadBytes: maxUpload))
    try signedInAPI.register(collection: DossierLogBookAPI())

    let pages = app.grouped(CSRFMiddleware())
    try pages.register(collection: SignInPages())
    try pages.register(collection: CalendarPages())
    try pages.register(collection: HomePages())
    try pages.register(collection: AccountPages())
    try pages.register(collection: AgencyPages())
    try pages.register(collection: UserPages())
    try pages.register(collection: AuditPages())
    try pages.register(collection: JobPages())
    try pages.register(collection: IncomingDocumentPages(maxUploadBytes: maxUpload))
    try pages.register(collection: OutgoingDocumentPages(maxUploadBytes: maxUpload))
    try pages.register(collection: WorkFilePages())
    try pages.register(collection: DocumentSearchPages())
    try pages.register(collection: DocumentRegisterPages())
    try pages.register(collection: ProcedureAdminPages(maxImportBytes: catalogueImportBytes))
    try pages.register(collection: PortalProcedurePages())
    try pages.register(collection: PortalDossierPages(maxUploadBytes: maxUpload))
    try pages.register(collection: OneStopPages(maxUploadBytes: maxUpload))
    try pages.register(collection: DossierLookupPages())
    try pages.register(collection: DossierStatisticsPages())
    try pages.register(collection: PortalRatingPages())
    try pages.grouped("portal").register(collection: PortalPages())
    try pages.register(collection: DossierPrintoutPages())
    try pages.register(collection: DossierLogBookPages())
}
