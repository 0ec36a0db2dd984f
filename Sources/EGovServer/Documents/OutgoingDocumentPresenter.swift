import EGovCore
import Fluent
import Vapor

struct SignatureDTO: Content {
    let attachmentID: UUID
    let fileName: String
    let signerName: String
    let signedAt: Date
    /// valid or invalid
    let status: String
    /// Why it is invalid: digest_mismatch, bad_signature, certificate_not_trusted, …
    let reason: String?
    let certificateSerial: String?
    let certificateSubject: String?

    enum CodingKeys: String, CodingKey {
        case status, reason
        case attachmentID = "attachment_id", fileName = "file_name", signerName = "signer_name", signedAt = "signed_at"
        case certificateSerial = "certificate_serial", certificateSubject = "certificate_subject"
    }
}

/// A PDF the node stamped: the leader's signed revision or the issued one with the seal.
struct SignedPDFDTO: Content {
    let id: UUID
    let attachmentID: UUID
    /// signed or issued
    let stage: String
    let fileName: String
    let sha256: String
    let size: Int
    let createdAt: Date
    let downloadURL: String

    enum CodingKeys: String, CodingKey {
        case id, stage, sha256, size
        case attachmentID = "attachment_id", fileName = "file_name", createdAt = "created_at", downloadURL = "download_url"
    }

    init(_ row: OutgoingStampedFile) {
        id = row.id!
        attachmentID = row.attachmentID
        stage = row.stage
        fileName = row.fileName
        sha256 = row.sha256
        size = row.size
        createdAt = row.createdAt
        downloadURL = "/api/v1/outgoing-documents/\(row.documentID)/signed-pdfs/\(row.id!)"
    }
}

struct RecipientDTO: Content {
    let kind: String
    let id: UUID?
    let name: String
}

struct OutgoingDocumentDTO: Content {
    let id: UUID
    let typeCode: String
    let typeName: String
    let subject: String
    let summary: String
    let urgency: String
    let confidentiality: String
    let pageCount: Int
    let issuerNotation: String
    let state: String
    let draftingUnit: PersonRef
    let drafter: PersonRef
    let reviewNote: String?
    let signer: PersonRef?
    let signingMark: String?
    /// "KT. CHỦ TỊCH": the authority line above the signature.
    let signerCompetence: String?
    /// "PHÓ CHỦ TỊCH": the signer's title under it.
    let signerPosition: String?
    let signedAt: Date?
    let number: Int?
    let numberNotation: String?
    let issuedDate: String?
    let recipients: [RecipientDTO]
    let availableMoves: [String]
    /// unsigned, valid or invalid: every signature checked when the document is shown.
    var signatureStatus: String?
    var signatures: [SignatureDTO]?
    var attachments: [AttachmentDTO]?
    var history: [DocumentEventDTO]?
    /// Waiting to send (chờ gửi) to each recipient agency.
    var outbox: [OutboxDTO]?
    /// PDFs with embedded (PAdES) signatures, oldest first; the last `issued` one is the issued file.
    var signedPDFs: [SignedPDFDTO]?

    enum CodingKeys: String, CodingKey {
        case id, subject, summary, urgency, confidentiality, state, drafter, signer, number, recipients, signatures, attachments, history, outbox
        case typeCode = "type_code", typeName = "type_name", pageCount = "page_count", issuerNotation = "issuer_notation"
        case draftingUnit = "drafting_unit", reviewNote = "review_note", signingMark = "signing_mark", signedAt = "signed_at"
        case numberNotation = "number_notation", issuedDate = "issued_date", availableMoves = "available_moves"
        case signatureStatus = "signature_status", signerCompetence = "signer_competence", signerPosition = "signer_position"
        case signedPDFs = "signed_pdfs"
    }
}

struct OutboxDTO: Content {
    let id: UUID
    let documentID: UUID
    let recipientName: String
    let state: String
    let createdAt: Date?
    enum CodingKeys: String, CodingKey {
        case id, state
        case documentID = "document_id", recipientName = "recipient_name", createdAt = "created_at"
    }
    init(_ message: OutboxMessage) {
        id = message.id!
        documentID = message.objectID
        recipientName = message.recipientName
        state = message.state
        createdAt = message.createdAt
    }
}

/// Builds outgoing documents for the API and pages, and checks their signatures.
struct OutgoingDocumentPresenter {
    let actor: Actor
    let req: Request

    func dtos(_ docs: [OutgoingDocument]) async throws -> [OutgoingDocumentDTO] {
        guard !docs.isEmpty else { return [] }
        let db = req.db
        let ids = docs.map { $0.id! }
        let recipients = OutgoingDocumentQueries.inDrafterOrder(try await OutgoingRecipient.query(on: db).filter(\.$document.$id ~~ ids).all())
        let byDoc = Dictionary(grouping: recipients, by: { $0.$document.id })
        let units = try await AgencyUnit.query(on: db).owned(by: actor).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        let people = try await User.query(on: db).filter(\.$id ~~ Array(Set(docs.map(\.drafterID)))).all()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.fullName) })
        return docs.map { doc in
            OutgoingDocumentDTO(
                id: doc.id!, typeCode: doc.typeCode, typeName: doc.documentType?.name ?? doc.typeCode, subject: doc.subject, summary: doc.summary,
                urgency: doc.urgency, confidentiality: doc.confidentiality, pageCount: doc.pageCount, issuerNotation: doc.issuerNotation,
                state: doc.state, draftingUnit: PersonRef(id: doc.draftingUnitID, name: unitNames[doc.draftingUnitID] ?? ""),
                drafter: PersonRef(id: doc.drafterID, name: names[doc.drafterID] ?? ""), reviewNote: doc.reviewNote,
                signer: doc.signerID.map { PersonRef(id: $0, name: doc.signerName ?? "") }, signingMark: doc.signingMark, signerCompetence: doc.signerCompetence, signerPosition: doc.signerPosition, signedAt: doc.signedAt,
                number: doc.number, numberNotation: doc.numberNotation, issuedDate: doc.issuedDate,
                recipients: (byDoc[doc.id!] ?? []).map { RecipientDTO(kind: $0.kind, id: $0.unitID ?? $0.userID ?? $0.recipientAgencyID, name: $0.name) },
                availableMoves: OutgoingDocumentPermissions.availableMoves(on: doc, actor: actor).map(\.rawValue))
        }
    }

    /// A document with everything its page and API show, each loaded once.
    struct Loaded {
        var dto: OutgoingDocumentDTO
        let attachments: [DocumentAttachment]
        let events: [DocumentEvent]
        let outbox: [OutboxMessage]
        let signedPDFs: [OutgoingStampedFile]
    }

    func load(_ doc: OutgoingDocument) async throws -> Loaded {
        var dto = try await dtos([doc])[0]
        let attachments = try await IncomingDocumentQueries.attachments(of: doc.id!, on: req.db)
        let events = try await IncomingDocumentQueries.history(of: doc.id!, on: req.db)
        let outbox = try await ExchangeOutbox.messages(forDocument: doc.id!, on: req.db)
        dto.attachments = attachments.map(AttachmentDTO.init)
        dto.history = events.map(DocumentEventDTO.init)
        let (status, signatures) = try await verifySignatures(of: doc, attachments: attachments)
        dto.signatureStatus = status
        dto.signatures = signatures
        dto.outbox = outbox.map(OutboxDTO.init)
        let signedPDFs = try await OutgoingStampedFile.query(on: req.db).filter(\.$documentID == doc.id!).sort(\.$createdAt).all()
        dto.signedPDFs = signedPDFs.map(SignedPDFDTO.init)
        return Loaded(dto: dto, attachments: attachments, events: events, outbox: outbox, signedPDFs: signedPDFs)
    }

    func detail(_ doc: OutgoingDocument) async throws -> OutgoingDocumentDTO {
        try await load(doc).dto
    }

    /// Checks every signature against the file as stored now and the node's trusted roots.
    func verifySignatures(of doc: OutgoingDocument, attachments: [DocumentAttachment]) async throws -> (String, [SignatureDTO]) {
        let records = try await OutgoingDocumentQueries.signatures(of: doc.id!, on: req.db)
        guard !records.isEmpty else { return ("unsigned", []) }
        let roots = req.application.egovServices.signingKeystore.trustedRoots()
        let files = Dictionary(uniqueKeysWithValues: attachments.map { ($0.id!, $0) })
        var results: [SignatureDTO] = []
        for record in records {
            let file = files[record.attachmentID]
            var verdict = SignatureVerdict.invalid(reason: .malformed)
            if let file, let signature = try? JSONDecoder.signatures.decode(DetachedSignature.self, from: Data(record.signatureJSON.utf8)) {
                // Hash the bytes as stored now: a file changed on disk no longer matches its signature.
                let data = try? await req.application.egovServices.attachments.readUnchecked(sha256: file.sha256, threadPool: req.application.threadPool)
                let digest = data.map { DocumentSigner.sha256Hex(of: $0) } ?? ""
                verdict = await SignatureVerifier.verify(signature, contentSHA256: digest, trustedRoots: roots, at: req.now)
            }
            let signer: SignerDetails? = if case .valid(let details) = verdict { details } else { nil }
            results.append(SignatureDTO(
                attachmentID: record.attachmentID, fileName: file?.fileName ?? "", signerName: record.signerName, signedAt: record.signedAt,
                status: verdict.isValid ? "valid" : "invalid", reason: verdict.failure?.snakeCase,
                certificateSerial: signer?.serialNumberHex, certificateSubject: signer.map { [$0.commonName, $0.organization].compactMap { $0 }.joined(separator: ", ") }))
        }
        return (results.allSatisfy { $0.status == "valid" } ? "valid" : "invalid", results)
    }
}

extension SignatureFailure {
    var snakeCase: String {
        rawValue.reduce(into: "") { out, char in
            if char.isUppercase { out += "_" + char.lowercased() } else { out.append(char) }
        }
    }

    var label: String {
        switch self {
        case .malformed: "chữ ký không đọc được"
        case .digestMismatch: "tệp đã bị thay đổi sau khi ký"
        case .badSignature: "chữ ký không khớp với chứng thư"
        case .signingTimeInFuture: "thời điểm ký không hợp lệ"
        case .certificateExpiredOrNotYetValid: "chứng thư số hết hạn tại thời điểm ký"
        case .certificateNotForDocumentSigning: "chứng thư số không dùng để ký văn bản"
        case .certificateNotTrusted: "chứng thư số không do tổ chức tin cậy cấp"
        }
    }
}
