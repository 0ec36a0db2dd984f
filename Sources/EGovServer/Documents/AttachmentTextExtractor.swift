import EGovCore
import Fluent
import Vapor

/// Reads the text of PDF attachments with `pdftotext` (Debian's poppler-utils), so that search
/// finds documents by what their files say. The work is a job (`AttachmentTextJob`) enqueued with
/// the attachment, so a crash does not lose it. Without the tool the node still searches
/// metadata, and says so once in its log.
final class AttachmentTextExtractor: Sendable {
    /// Longest text kept per file and per document; enough for the words of a long decree.
    static let maxTextPerFile = 200_000
    static let maxTextPerDocument = 500_000
    static let timeoutSeconds = 60.0

    private let executable: String?
    private let app: Application

    init(app: Application, tool: String) {
        self.app = app
        self.executable = Self.locate(tool)
        if executable == nil {
            app.logger.warning("pdftotext (\(tool)) not found: the text of PDF attachments is not searched, only their metadata. Install poppler-utils.")
        }
    }

    var isAvailable: Bool { executable != nil }

    static func locate(_ tool: String) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Enqueues the reading of the PDFs among `attachments`, in the transaction `db` that stores them.
    static func enqueue(_ attachments: [DocumentAttachment], at now: Date, on db: Database) async throws {
        for row in attachments where row.attachmentType == .pdf {
            guard let id = row.id else { continue }
            try await JobQueue.enqueue(try Job(AttachmentTextJob.self, .init(attachmentID: id), key: "attachment.text:\(id)", at: now), on: db)
        }
    }

    /// Runs the job queue until nothing is due (tests).
    func waitUntilIdle() async {
        do { try await app.jobs.runUntilIdle() } catch { app.logger.error("running the job queue failed: \(String(reflecting: error))") }
    }

    /// The file's text and its state: done, failed (the tool could not read it) or unavailable.
    func text(ofFileWithHash sha256: String, attachmentID: UUID, logger: Logger) async -> (state: String, text: String?) {
        guard let executable else { return ("unavailable", nil) }
        let path = app.egovServices.attachments.path(of: sha256)
        do {
            let output = try await app.threadPool.runIfActive { try Self.run(executable, arguments: ["-enc", "UTF-8", "-q", path, "-"]) }
            return ("done", String(SearchTerms.indexText([output]).prefix(Self.maxTextPerFile)))
        } catch {
            // A file the tool cannot read stays unreadable: recorded, not retried.
            logger.warning("pdftotext could not read attachment \(attachmentID): \(error)")
            return ("failed", nil)
        }
    }

    /// Stores a file's text and refreshes its document's combined text. Running it again writes
    /// the same rows with the same values, so a job repeated after a crash changes nothing more.
    static func store(state: String, text: String?, attachmentID: UUID, documentID: UUID, kind: String, on db: Database) async throws {
        try await DocumentAttachment.query(on: db).filter(\.$id == attachmentID)
            .set(\.$extractedText, to: text).set(\.$textState, to: state).update()
        guard text != nil else { return }
        let texts = try await DocumentAttachment.query(on: db).filter(\.$documentID == documentID).sort(\.$uploadedAt).all()
            .compactMap(\.extractedText).filter { !$0.isEmpty }
        let combined = String(texts.joined(separator: " ").prefix(Self.maxTextPerDocument))
        // Only this column changes: the search index follows it (trigger / generated column).
        if kind == "incoming" {
            try await IncomingDocument.query(on: db).filter(\.$id == documentID).set(\.$attachmentText, to: combined).update()
        } else {
            try await OutgoingDocument.query(on: db).filter(\.$id == documentID).set(\.$attachmentText, to: combined).update()
        }
    }

    struct ToolFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the tool with a time limit and returns its standard output.
    static func run(_ executable: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + timeoutSeconds
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: deadline)
        timer.setEventHandler { if process.isRunning { process.terminate() } }
        timer.resume()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        guard process.terminationStatus == 0 else { throw ToolFailed(description: "exit status \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads one PDF attachment's text into the search index.
struct AttachmentTextJob: JobHandler {
    static let kind = "attachment.text"
    static let maxAttempts = 5

    struct Payload: Codable, Sendable {
        var attachmentID: UUID
        enum CodingKeys: String, CodingKey { case attachmentID = "attachment_id" }
    }

    func run(_ payload: Payload, in context: JobContext) async throws {
        guard let row = try await DocumentAttachment.find(payload.attachmentID, on: context.db) else { return }
        let (sha, documentID, kind) = (row.sha256, row.documentID, row.documentKind)
        let (state, text) = await context.application.egovServices.attachmentText.text(ofFileWithHash: sha, attachmentID: payload.attachmentID, logger: context.logger)
        try await context.finish { db in
            try await AttachmentTextExtractor.store(state: state, text: text, attachmentID: payload.attachmentID, documentID: documentID, kind: kind, on: db)
        }
    }
}

