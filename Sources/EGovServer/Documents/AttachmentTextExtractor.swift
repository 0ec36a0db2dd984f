import EGovCore
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Reads the text of PDF attachments with `pdftotext` (Debian's poppler-utils) in the
/// background, so that search finds documents by what their files say. Without the tool the
/// node still searches metadata, and says so once in its log.
final class AttachmentTextExtractor: Sendable {
    /// Longest text kept per file and per document; enough for the words of a long decree.
    static let maxTextPerFile = 200_000
    static let maxTextPerDocument = 500_000
    static let timeoutSeconds = 60.0

    private let executable: String?
    private let app: Application
    private let pending = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

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

    /// Queues the PDFs among `attachments` (rows already committed).
    func schedule(_ attachments: [DocumentAttachment]) {
        for row in attachments where row.attachmentType == .pdf {
            guard let id = row.id else { continue }
            let (sha, documentID, kind) = (row.sha256, row.documentID, row.documentKind)
            let task = Task { [self] in
                await self.extract(attachmentID: id, sha256: sha, documentID: documentID, kind: kind)
                _ = self.pending.withLockedValue { $0.removeValue(forKey: id) }
            }
            pending.withLockedValue { $0[id] = task }
        }
    }

    /// Waits for every queued extraction (tests, shutdown).
    func waitUntilIdle() async {
        while true {
            let tasks = pending.withLockedValue { Array($0.values) }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }

    private func extract(attachmentID: UUID, sha256: String, documentID: UUID, kind: String) async {
        let db = app.db
        let logger = app.logger
        var state = "unavailable"
        var text: String?
        if let executable {
            let path = app.egovServices.attachments.path(of: sha256)
            do {
                let output = try await app.threadPool.runIfActive { try Self.run(executable, arguments: ["-enc", "UTF-8", "-q", path, "-"]) }
                text = String(SearchTerms.indexText([output]).prefix(Self.maxTextPerFile))
                state = "done"
            } catch {
                logger.warning("pdftotext could not read attachment \(attachmentID): \(error)")
                state = "failed"
            }
        }
        do {
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
        } catch {
            logger.error("storing the text of attachment \(attachmentID) failed: \(error)")
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

/// Lets queued extractions finish before the database goes away.
struct AttachmentTextShutdown: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.egovServices.attachmentText.waitUntilIdle()
    }
}

