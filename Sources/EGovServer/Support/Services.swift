import Fluent
import JWT
import Vapor

/// The node's services, set up once by `configure` and handed to every use case through its
/// `UseCaseContext`. Tests replace a member (`app.egovServices.mail = …`) instead of a storage key.
struct Services: Sendable {
    var settings: Settings
    /// The seam for "now": tests set it to the day before Tết instead of sleeping.
    var clock: AppClock
    var auditLog: AuditLog
    /// Signed-in actors loaded in the last moments, forgotten when an audited change to them commits.
    var actorCache: ActorCache
    var attachments: AttachmentStore
    var signingKeystore: SigningKeystore
    var passwords: AsyncPasswordHasher
    var tokenKeys: JWTKeyCollection
    var mail: any MailSender
    var textMessages: any TextMessageSender
    var attachmentText: AttachmentTextExtractor
    /// Side effects written in the transaction that causes them, run by the workers.
    var jobs: JobQueue
    /// The one way out of an agency: documents and dossiers for other agencies.
    var exchange: ExchangeOutbox
    /// nil unless eID sign-in is configured (`EGOV_OIDC_*`); tests put a double here.
    var externalIdentity: (any ExternalIdentityProvider)?
    var lookupLimiter: RateLimiter
    var statisticsCache: StatisticsCache
    var directoryNames: DirectoryNames
    /// The look-up's direct reader of the SQLite file; none on PostgreSQL.
    var sqliteLookupReader: SQLiteLookupReader?
    var requestMetrics: RequestMetrics
    var threadPool: NIOThreadPool
}

/// The seam for "now", read by `Services.clock`.
struct AppClock: Sendable {
    var now: @Sendable () -> Date
    static let system = AppClock(now: { Date() })
}

extension Application {
    // `services` is Vapor's own (Application.Services), hence the longer name.
    private struct ServicesKey: StorageKey { typealias Value = EGovServer.Services }

    var egovServices: EGovServer.Services {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:) sets up the services") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }

    var settings: Settings {
        get { egovServices.settings }
        set { egovServices.settings = newValue }
    }
    var now: Date { egovServices.clock.now() }
}

extension Request {
    var now: Date { application.egovServices.clock.now() }
}
