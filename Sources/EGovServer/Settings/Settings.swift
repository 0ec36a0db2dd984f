import Vapor

/// Everything the server reads from the environment, in one place (the README's table lists them).
struct Settings: Sendable {
    var dataDirectory: String
    var databaseURL: String?
    /// Database connections each event loop (core) may hold.
    var databaseConnectionsPerLoop: Int = 2
    var host: String
    var port: Int
    var publicURL: String
    var jwtSecret: String?
    var accessTokenLifetime: TimeInterval
    var refreshTokenLifetime: TimeInterval
    var maxFailedSignIns: Int
    var signInLockDuration: TimeInterval
    /// Largest attachment accepted, in bytes.
    var maxAttachmentBytes: Int
    /// `pdftotext` (poppler-utils), a name looked up in PATH or a path; reads the text of PDFs for search.
    var pdfToText: String
    /// The mail server (`EGOV_SMTP_*`); nil: mail goes to the log.
    var smtp: SMTPSettings? = nil
    /// The national eID over OpenID Connect (`EGOV_OIDC_*`); nil: the portal has password sign-in only.
    var oidc: OIDCSettings? = nil
    /// Behind a reverse proxy: the client's address is the first `X-Forwarded-For` hop (`EGOV_TRUST_PROXY`).
    var trustProxy: Bool = false
    /// How long the public statistics of a period are served from memory before being read again.
    var statisticsCacheSeconds: TimeInterval = 60
    /// Largest upload request: a form may carry several files, up to twice the per-file limit.
    var maxUploadBytes: Int { maxAttachmentBytes * 2 + 1_048_576 }

    /// Session cookies carry `Secure` when the public address is HTTPS (behind TLS).
    var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }

    static func fromEnvironment() -> Settings {
        func value(_ key: String) -> String? {
            guard let raw = Environment.get(key)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let host = value("EGOV_HOST") ?? "127.0.0.1"
        let port = value("EGOV_PORT").flatMap(Int.init) ?? 8080
        return Settings(
            dataDirectory: value("EGOV_DATA_DIR") ?? "data",
            databaseURL: value("DATABASE_URL"),
            databaseConnectionsPerLoop: min(64, max(1, value("EGOV_DB_CONNECTIONS_PER_CORE").flatMap(Int.init) ?? 2)),
            host: host,
            port: port,
            publicURL: value("EGOV_PUBLIC_URL") ?? "http://\(host):\(port)",
            jwtSecret: value("EGOV_JWT_SECRET"),
            accessTokenLifetime: TimeInterval(value("EGOV_ACCESS_TOKEN_MINUTES").flatMap(Int.init) ?? 15) * 60,
            refreshTokenLifetime: TimeInterval(value("EGOV_REFRESH_TOKEN_DAYS").flatMap(Int.init) ?? 14) * 86_400,
            maxFailedSignIns: value("EGOV_SIGNIN_MAX_FAILURES").flatMap(Int.init) ?? 5,
            signInLockDuration: TimeInterval(value("EGOV_SIGNIN_LOCK_MINUTES").flatMap(Int.init) ?? 15) * 60,
            maxAttachmentBytes: (value("EGOV_ATTACHMENT_MAX_MB").flatMap(Int.init) ?? 50) * 1_048_576,
            pdfToText: value("EGOV_PDFTOTEXT") ?? "pdftotext",
            smtp: SMTPSettings.fromEnvironment(value),
            oidc: OIDCSettings.fromEnvironment(value),
            trustProxy: value("EGOV_TRUST_PROXY")?.lowercased() == "true",
            statisticsCacheSeconds: TimeInterval(value("EGOV_STATISTICS_CACHE_SECONDS").flatMap(Int.init).map { max(0, $0) } ?? 60)
        )
    }
}
