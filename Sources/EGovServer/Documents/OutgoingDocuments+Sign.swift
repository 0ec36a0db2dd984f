import EGovCore
import Fluent
import Vapor
import X509

/// Ký số: the leader signs every current file of the document with their certificate. Each
/// file gets a detached ECDSA signature over its SHA-256; a PDF also gets a new revision with
/// the leader's visible signature block and a PAdES signature. Nothing is signed unless the
/// leader confirmed what they sign (`confirm`) and, when they set one, gave their TOTP code.
struct SignOutgoingDocument {
    let actor: Actor
    let documentID: UUID
    let input: SignInput

    func run(in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let (actor, input, now) = (actor, input, ctx.now)
        let keystore = ctx.services.signingKeystore
        let store = ctx.services.attachments
        let threadPool = ctx.services.threadPool
        // A code is checked before the move's transaction, so a wrong one is counted even though the move fails.
        try await SigningConfirmation.checkCode(input, signerID: actor.userID, in: ctx)
        return try await DocumentTransition.run(.sign, documentID: documentID, actor: actor, in: ctx) { db, doc, trail in
            guard let signer = try await User.find(actor.userID, on: db) else { throw EGovError.unauthorized() }
            let (mark, _, block) = try input.block(signer: signer, agencyName: actor.agencyName)
            try SigningConfirmation.check(input, signer: signer)
            guard let identity = try await SigningCertificates.current(for: actor.userID, keystore: keystore, on: db) else {
                throw EGovError.conflict("Bạn chưa có chứng thư số để ký. Quản trị hệ thống cấp bằng lệnh egov pki issue \(actor.username).",
                                         code: "no_signing_certificate")
            }
            let files = try await OutgoingDocumentQueries.currentAttachments(of: doc.id!, on: db)
            guard !files.isEmpty else { throw EGovError.invalid(["attachments": "Văn bản chưa có tệp để ký."]) }
            var notes: [String] = []
            for file in files {
                // Sign what is stored, after checking it still matches its recorded hash.
                let data: Data
                do { data = try await store.read(sha256: file.sha256, threadPool: threadPool) } catch {
                    throw EGovError.conflict("Tệp \"\(file.fileName)\" không khớp mã băm đã lưu nên không ký được.", code: "attachment_corrupted")
                }
                let digest = DocumentSigner.sha256Hex(of: data)
                let signature: DetachedSignature
                do { signature = try DocumentSigner.sign(contentSHA256: digest, with: identity, at: now) } catch {
                    throw EGovError.conflict("Chứng thư số của bạn không dùng để ký được lúc này (hết hạn hoặc không đúng mục đích).",
                                             code: "signing_certificate_unusable")
                }
                let record = DocumentSignatureRecord()
                record.documentID = doc.id!
                record.attachmentID = file.id!
                record.contentSHA256 = digest
                record.signatureJSON = try String(decoding: JSONEncoder.signatures.encode(signature), as: UTF8.self)
                record.signerID = actor.userID
                record.signerName = actor.fullName
                record.signedAt = signature.signedAt
                try await record.create(on: db)
                trail.record("outgoing.signature", objectType: "outgoing_document", objectID: doc.id?.uuidString,
                             details: "\(file.fileName) sha256:\(digest) cert:\(identity.details.serialNumberHex)")
                guard file.attachmentType == .pdf else { continue }
                let appearance = SignatureAppearance(
                    fieldName: "EGov-NguoiKy", placement: .signerBlock,
                    lines: block.lines.enumerated().map { .init($1, size: $0 == block.lines.count - 1 ? 10 : 9) }
                        + [.init("Ký số: \(OutgoingPDFStamps.timeLabel(signature.signedAt))", size: 7)],
                    color: (0.05, 0.15, 0.55))
                let stamp = PAdESSignatureRequest(
                    appearance: appearance, identity: identity, chain: OutgoingPDFStamps.chain(keystore), signingTime: signature.signedAt,
                    signerName: actor.fullName, reason: "Ký ban hành văn bản: \(doc.subject.prefix(120))")
                switch await OutgoingPDFStamps.stamp(data, with: stamp, threadPool: threadPool) {
                case .success(let signed):
                    let row = try await OutgoingPDFStamps.keep(signed, of: file, stage: .signed, documentID: doc.id!, at: now, store: store,
                                                               threadPool: threadPool, on: db)
                    trail.record("outgoing.pades", objectType: "outgoing_document", objectID: doc.id?.uuidString,
                                 details: "\(file.fileName) signed revision sha256:\(row.sha256)")
                case .failure(let problem):
                    notes.append("Tệp \"\(file.fileName)\": \(problem.message); chỉ có chữ ký số tách rời")
                }
            }
            doc.signerID = actor.userID
            doc.signerName = actor.fullName
            doc.signerPosition = block.position
            doc.signerCompetence = block.competence
            doc.signingMark = mark.rawValue
            doc.signedAt = now
            return ([block.competence, "Ký số \(files.count) tệp"].filter { !$0.isEmpty } + notes).joined(separator: ". ")
        }
    }
}

/// The two checks before a signature is made: the signer confirmed, and (when they set up a
/// second factor) gave a code that is right now.
enum SigningConfirmation {
    /// Inside the move: confirmed, and a code given when the signer has a second factor.
    static func check(_ input: SignInput, signer: User) throws {
        guard input.confirm == true else {
            throw EGovError.invalid(["confirm": "Cần xác nhận trước khi ký số: xem lại văn bản, các tệp và thể thức chữ ký rồi chọn \"Xác nhận ký số\" (API: confirm: true)."])
        }
        guard signer.totpEnabled, FormText.clean(input.totpCode).isEmpty else { return }
        throw EGovError.invalid(["totp_code": "Cần nhập mã xác thực hai lớp (6 chữ số trên ứng dụng xác thực) để ký số."])
    }

    /// Before the move: a code given for a confirmed signature is checked, and a wrong one
    /// counts toward the account's lock-out (`SignIn.confirmSecondFactor`).
    static func checkCode(_ input: SignInput, signerID: UUID, in ctx: UseCaseContext) async throws {
        let code = FormText.clean(input.totpCode)
        guard input.confirm == true, !code.isEmpty,
              let signer = try await User.query(on: ctx.db).filter(\.$id == signerID).with(\.$agency).with(\.$unit).first(),
              signer.totpEnabled else { return }
        guard try await SignIn.confirmSecondFactor(signer, code: code, in: ctx) else {
            throw EGovError.invalid(["totp_code": "Mã xác thực hai lớp không đúng hoặc đã hết hạn."])
        }
    }
}

/// Stamping outgoing PDFs: one place for the font, the chain, the file store and the words
/// a person reads when a PDF cannot be stamped.
enum OutgoingPDFStamps {
    struct Problem: Error {
        let message: String
    }

    /// Issuer certificates to carry in each CMS: the node's development CA.
    static func chain(_ keystore: SigningKeystore) -> [Certificate] {
        (try? keystore.certificateAuthority().certificate).map { [$0] } ?? []
    }

    static func stamp(_ data: Data, with request: PAdESSignatureRequest, threadPool: NIOThreadPool) async -> Result<[UInt8], Problem> {
        do {
            let font = PDFSignatureFont.shared
            return .success(try await threadPool.runIfActive { try PAdESStamper.sign(Array(data), request, font: font) })
        } catch let error as PDFStampingError {
            return .failure(Problem(message: message(for: error)))
        } catch {
            return .failure(Problem(message: "không thêm được chữ ký vào tệp PDF"))
        }
    }

    static func message(for error: PDFStampingError) -> String {
        switch error {
        case .notAPDF: "tệp không có cấu trúc PDF đầy đủ (thiếu bảng tham chiếu chéo) nên không thêm được chữ ký vào tệp PDF"
        case .encrypted: "tệp PDF được bảo vệ bằng mật khẩu nên không thêm được chữ ký vào tệp"
        case .malformed: "cấu trúc tệp PDF bị lỗi nên không thêm được chữ ký vào tệp"
        case .unsupportedFilter(let filter): "tệp PDF dùng kiểu nén \(filter) chưa hỗ trợ nên không thêm được chữ ký vào tệp"
        case .noPages: "tệp PDF không có trang nào"
        case .signatureTooLarge: "chữ ký vượt quá chỗ dành sẵn trong tệp PDF"
        }
    }

    /// Stores a stamped PDF beside the draft file and records it.
    static func keep(_ bytes: [UInt8], of file: DocumentAttachment, stage: OutgoingStampedFile.Stage, documentID: UUID, at now: Date,
                     store: AttachmentStore, threadPool: NIOThreadPool, on db: Database) async throws -> OutgoingStampedFile {
        // Stamped files may exceed the upload limit by the font and signature they carry.
        let stored = try await store.withoutSizeLimit.store(fileName: file.fileName, data: Data(bytes), threadPool: threadPool)
        let row = OutgoingStampedFile()
        row.documentID = documentID
        row.attachmentID = file.id!
        row.stage = stage.rawValue
        row.fileName = file.fileName
        row.sha256 = stored.sha256
        row.size = stored.size
        row.createdAt = now
        try await row.create(on: db)
        return row
    }

    /// "14:05:09 ngày 07/05/2026" in Vietnam time.
    static func timeLabel(_ date: Date) -> String {
        let seconds = Int(LocalDate.secondsOfDayInVietnam(date))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60)) ngày \(LocalDate.inVietnam(date).vietnamese)"
    }

    /// Đóng dấu: every PDF the leader signed gets a revision whose box shows the number, the
    /// date and the agency, signed with the agency's seal certificate. Returns what the
    /// history note adds; a PDF that cannot be sealed keeps its earlier signatures.
    static func seal(_ doc: OutgoingDocument, number: String, date: LocalDate, actor: Actor, at now: Date, keystore: SigningKeystore,
                     store: AttachmentStore, threadPool: NIOThreadPool, trail: AuditTrail, on db: Database) async throws -> String {
        let signed = try await OutgoingStampedFile.query(on: db).filter(\.$documentID == doc.id!)
            .filter(\.$stage == OutgoingStampedFile.Stage.signed.rawValue).sort(\.$createdAt).all()
        guard !signed.isEmpty else { return "" }
        guard let seal = try await AgencySeals.current(for: actor.agencyID, keystore: keystore, on: db) else {
            return ". Cơ quan chưa có chứng thư số của con dấu (egov pki seal): tệp PDF chỉ có chữ ký của người ký"
        }
        var sealed = 0
        var notes: [String] = []
        for file in signed {
            let data: Data
            do { data = try await store.read(sha256: file.sha256, threadPool: threadPool) } catch {
                throw EGovError.conflict("Tệp đã ký \"\(file.fileName)\" không khớp mã băm đã lưu nên không phát hành được.", code: "attachment_corrupted")
            }
            let appearance = SignatureAppearance(
                fieldName: "EGov-DauCoQuan", placement: .sealBlock,
                lines: [.init(actor.agencyName.uppercased(), size: 8), .init("Số: \(number)", size: 9),
                        .init("Ngày ban hành: \(date.vietnamese)", size: 8), .init("Đóng dấu số: \(timeLabel(now))", size: 6.5)],
                color: (0.8, 0.05, 0.05))
            let request = PAdESSignatureRequest(appearance: appearance, identity: seal, chain: chain(keystore), signingTime: now,
                                                signerName: actor.agencyName, reason: "Phát hành văn bản số \(number)")
            switch await stamp(data, with: request, threadPool: threadPool) {
            case .success(let issued):
                guard let draft = try await DocumentAttachment.find(file.attachmentID, on: db) else { continue }
                let row = try await keep(issued, of: draft, stage: .issued, documentID: doc.id!, at: now, store: store, threadPool: threadPool, on: db)
                trail.record("outgoing.pades", objectType: "outgoing_document", objectID: doc.id?.uuidString,
                             details: "\(file.fileName) issued revision sha256:\(row.sha256) seal:\(seal.details.serialNumberHex)")
                sealed += 1
            case .failure(let problem):
                notes.append("Tệp \"\(file.fileName)\": \(problem.message)")
            }
        }
        return ([sealed > 0 ? ". Đóng dấu số vào \(sealed) tệp PDF" : ""] + notes.map { ". \($0)" }).joined()
    }
}

extension OutgoingPDFStamps {
    /// A stamped PDF as a download, for anyone who may see the document.
    static func download(_ fileID: UUID, of documentID: UUID, actor: Actor, on req: Request) async throws -> Response {
        _ = try await OutgoingDocumentQueries.visible(documentID, to: actor, on: req.db)
        guard let row = try await OutgoingStampedFile.query(on: req.db).filter(\.$id == fileID).filter(\.$documentID == documentID).first() else {
            throw EGovError.notFound("Không tìm thấy tệp PDF đã ký.")
        }
        let data: Data
        do { data = try await req.application.egovServices.attachments.read(sha256: row.sha256, threadPool: req.application.threadPool) } catch {
            req.logger.error("stamped PDF \(row.id!) missing or changed in the store (\(row.sha256))")
            throw EGovError(status: .internalServerError, code: "attachment_corrupted",
                            message: "Tệp \"\(row.fileName)\" không khớp mã băm đã lưu hoặc không còn trong kho nên không được tải xuống.")
        }
        return AttachmentDownload.fileResponse(data, fileName: downloadName(row), type: .pdf, sha256: row.sha256)
    }

    /// "to-trinh (ban hành).pdf": the stage in the name, so the two files are not confused.
    static func downloadName(_ row: OutgoingStampedFile) -> String {
        let base = row.fileName.lowercased().hasSuffix(".pdf") ? String(row.fileName.dropLast(4)) : row.fileName
        return "\(base) (\(row.stage == OutgoingStampedFile.Stage.issued.rawValue ? "ban hành" : "đã ký")).pdf"
    }
}

/// Xác nhận ký số: what the leader is about to sign, shown before anything is signed.
struct OutgoingSignConfirmPage: Encodable {
    struct File: Encodable {
        let fileName: String
        let typeName: String
        let shortHash: String
        /// A PDF gets the visible signature block too; other files only the detached signature.
        let isPDF: Bool
    }

    let shell: Shell
    let id: String
    let subject: String
    let typeName: String
    let files: [File]
    let blockLines: [String]
    let signingMark: String
    let signingMarkLabel: String
    let headTitle: String
    let signerPosition: String
    let certificate: String
    let needsTOTP: Bool
    let errors: [String: String]
}

/// The document page with what signing and PAdES add to it.
struct OutgoingDocumentPage: Encodable {
    struct StampedFile: Encodable {
        let fileName: String
        let stageLabel: String
        let downloadURL: String
        let shortHash: String
        let size: String
    }

    struct SignDefaults: Encodable {
        let headTitle: String
        let signerPosition: String
    }

    let base: OutgoingDetailPage
    let stampedFiles: [StampedFile]
    let signDefaults: SignDefaults
    /// Submitting needs a file: the hint shows only while there is none.
    let needsFirstFile: Bool

    enum ExtraKeys: String, CodingKey { case stampedFiles, signDefaults, needsFirstFile }

    // Flat, so the template reads `row`, `actions`… as before and the new keys beside them.
    func encode(to encoder: Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(stampedFiles, forKey: .stampedFiles)
        try container.encode(signDefaults, forKey: .signDefaults)
        try container.encode(needsFirstFile, forKey: .needsFirstFile)
    }
}
