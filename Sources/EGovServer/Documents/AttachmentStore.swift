import Crypto
import EGovCore
import Fluent
import Vapor

/// Files kept by their SHA-256 under `<data>/attachments/ab/cd/<hash>`: the same content is
/// stored once, and a file whose bytes no longer match its name is caught when it is read.
struct AttachmentStore: Sendable {
    let root: String
    let maxBytes: Int

    init(dataDirectory: String, maxBytes: Int) {
        self.init(root: URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments").path, maxBytes: maxBytes)
    }

    private init(root: String, maxBytes: Int) {
        self.root = root
        self.maxBytes = maxBytes
    }

    /// The same store for files the node makes itself (a signed PDF), which no upload limit binds.
    var withoutSizeLimit: AttachmentStore { AttachmentStore(root: root, maxBytes: .max) }

    func path(of sha256: String) -> String {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return "\(root)/\(a)/\(b)/\(sha256)"
    }

    /// Checks an upload's size and type by its content, then stores it.
    func store(fileName: String, data: Data, threadPool: NIOThreadPool) async throws -> StoredAttachment {
        guard !data.isEmpty else { throw EGovError.invalid(["attachments": "Tệp \"\(fileName)\" rỗng."]) }
        guard data.count <= maxBytes else {
            throw EGovError.invalid(["attachments": "Tệp \"\(fileName)\" lớn hơn giới hạn \(maxBytes / 1_048_576) MB."])
        }
        guard let type = AttachmentContentType.detect(data) else {
            throw EGovError.invalid(["attachments": "Tệp \"\(fileName)\" không phải PDF, DOCX, ODT, XLSX, JPEG hoặc PNG."])
        }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let target = path(of: sha)
        try await threadPool.runIfActive {
            let fm = FileManager.default
            if fm.fileExists(atPath: target) { return }
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Write beside the target and rename, so a crash never leaves half a file under its hash.
            let temporary = target + ".part-\(UUID().uuidString)"
            try data.write(to: URL(fileURLWithPath: temporary), options: .atomic)
            if rename(temporary, target) != 0 { try? fm.removeItem(atPath: temporary) }
        }
        return StoredAttachment(fileName: type.fileName(AttachmentContentType.sanitizedFileName(fileName)), type: type, size: data.count, sha256: sha)
    }

    enum ReadError: Error { case missing, corrupted }

    /// The stored bytes as they are, for checks that judge them themselves (signature verification).
    func readUnchecked(sha256: String, threadPool: NIOThreadPool) async throws -> Data {
        let target = path(of: sha256)
        return try await threadPool.runIfActive {
            guard let data = FileManager.default.contents(atPath: target) else { throw ReadError.missing }
            return data
        }
    }

    /// The stored bytes, checked against their hash.
    func read(sha256: String, threadPool: NIOThreadPool) async throws -> Data {
        let target = path(of: sha256)
        return try await threadPool.runIfActive {
            guard let data = FileManager.default.contents(atPath: target) else { throw ReadError.missing }
            let actual = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            guard actual == sha256 else { throw ReadError.corrupted }
            return data
        }
    }
}

/// A checked, stored upload, not yet linked to a document.
struct StoredAttachment: Sendable {
    let fileName: String
    let type: AttachmentContentType
    let size: Int
    let sha256: String

    /// Links the file to a document; a second file of the same name becomes its next version.
    @discardableResult
    func attach(to documentID: UUID, kind: String, agencyID: UUID, by actor: Actor, at now: Date, on db: Database) async throws -> DocumentAttachment {
        let previous = try await DocumentAttachment.query(on: db).filter(\.$documentID == documentID)
            .filter(\.$fileName == fileName).sort(\.$version, .descending).first()
        let row = DocumentAttachment()
        row.$agency.id = agencyID
        row.documentID = documentID
        row.documentKind = kind
        row.fileName = fileName
        row.contentType = type.rawValue
        row.size = size
        row.sha256 = sha256
        row.version = (previous?.version ?? 0) + 1
        row.uploadedByID = actor.userID
        row.uploadedAt = now
        try await row.create(on: db)
        return row
    }
}

extension Request {
    /// The API's upload: one file in the multipart field `file`.
    func singleUpload() throws -> File {
        struct Upload: Content { var file: File? }
        guard let file = (try? content.decode(Upload.self))?.file else {
            throw EGovError.invalid(["file": "Cần gửi tệp trong trường \"file\" (multipart/form-data)."])
        }
        return file
    }

    /// Stores every uploaded file (checked by content) before the use case's transaction starts.
    func storeUploads(_ files: [File]) async throws -> [StoredAttachment] {
        var stored: [StoredAttachment] = []
        for file in files where file.data.readableBytes > 0 || !file.filename.isEmpty {
            stored.append(try await application.egovServices.attachments.store(
                fileName: file.filename, data: Data(buffer: file.data), threadPool: application.threadPool))
        }
        return stored
    }
}
