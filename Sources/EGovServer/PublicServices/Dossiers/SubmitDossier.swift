import EGovCore
import Fluent
import Vapor

/// Who the dossier is for, as written on its forms.
struct DossierApplicantDetails: Sendable {
    var kind: Applicant.Kind
    var name: String
    var identity: String
    var phone: String
    var email: String
    var address: String
}

/// A submission read and checked: values of the form, files by slot, already stored by content.
struct DossierSubmission: Sendable {
    let procedureID: UUID
    let channel: SubmissionChannel
    let applicantID: UUID?
    let applicant: DossierApplicantDetails
    let values: [String: String]
    let files: [(slot: String, label: String, file: StoredAttachment)]
    /// Slots the counter received on paper (no file).
    var paperSlots: [String] = []
}

/// Reads a procedure's form from a request (multipart from pages and the API, or JSON when
/// the procedure needs no files) and says exactly what is missing.
enum DossierFormReader {
    static func slots(_ record: ProcedureRecord) -> [DossierForm.Slot] {
        DossierForm(fields: record.formFields, documents: record.requiredDocuments).slots
    }

    static func values(_ record: ProcedureRecord, from req: Request) -> [String: String] {
        var values: [String: String] = [:]
        for field in record.formFields where field.kind != .file {
            if let value = (try? req.content.get(String.self, at: field.key)) ?? (try? req.content.get(Int.self, at: field.key)).map(String.init) {
                values[field.key] = FormText.clean(value)
            }
        }
        return values
    }

    static func files(_ record: ProcedureRecord, from req: Request) -> [String: [File]] {
        var files: [String: [File]] = [:]
        for slot in slots(record).map(\.key) {
            let uploaded = req.uploadedFiles(slot)
            if !uploaded.isEmpty { files[slot] = uploaded }
        }
        return files
    }

    /// Slots ticked "received on paper" (`paper_<slot>`) at the counter.
    static func paperSlots(_ record: ProcedureRecord, from req: Request) -> Set<String> {
        var ticked: Set<String> = []
        for slot in slots(record).map(\.key) {
            let key = "paper_\(slot)"
            let text = (try? req.content.get(String.self, at: key)) ?? (try? req.content.get(Bool.self, at: key)).map { $0 ? "true" : "" }
            if ["on", "1", "true", "yes"].contains(FormText.clean(text).lowercased()) { ticked.insert(slot) }
        }
        return ticked
    }

    /// Vietnamese messages for each problem, keyed by field or slot.
    static func messages(_ problems: [String: DossierFormProblem], record: ProcedureRecord) -> [String: String] {
        var messages: [String: String] = [:]
        let labels = Dictionary(uniqueKeysWithValues: record.formFields.map { ($0.key, $0) })
        for (key, problem) in problems {
            if let field = labels[key] {
                switch problem {
                case .missing: messages[key] = field.kind == .file ? "Cần đính kèm \(field.label)." : "Cần nhập \(field.label)."
                case .notANumber: messages[key] = "\(field.label) phải là số."
                case .notADate: messages[key] = "\(field.label) phải là ngày theo dạng năm-tháng-ngày."
                case .notAnOption: messages[key] = "\(field.label) phải là một trong: \(field.options.joined(separator: ", "))."
                case .tooLong: messages[key] = "\(field.label) dài tối đa \(DossierForm.textLimit) ký tự."
                }
            } else if let index = Int(key.dropFirst("document_".count)), index >= 1, index <= record.requiredDocuments.count {
                messages[key] = "Thiếu giấy tờ bắt buộc: \(record.requiredDocuments[index - 1].name)."
            }
        }
        return messages
    }

    /// Checks the form, then stores the files (type and size checked by content). Only the
    /// counter may take a paper instead of a file (`acceptsPaper`). A web form (`keepsUploads`)
    /// that fails keeps the files it carried in the session, and takes them back when ticked.
    static func read(_ req: Request, procedure: Procedure, record: ProcedureRecord, channel: SubmissionChannel,
                     applicantID: UUID?, applicant: DossierApplicantDetails, acceptsPaper: Bool = false,
                     keepsUploads: Bool = false, extraErrors: [String: String] = [:]) async throws -> DossierSubmission {
        let values = values(record, from: req)
        let uploads = files(record, from: req)
        let slotList = slots(record)
        let slotKeys = slotList.map(\.key)
        // A slot with a new file takes the new file; one without takes what was kept, if ticked.
        let kept = keepsUploads
            ? KeptUploads.chosen(procedure.id!, slots: slotKeys, on: req).filter { uploads[$0.key] == nil } : [:]
        let papers = acceptsPaper ? paperSlots(record, from: req) : []
        let form = DossierForm(fields: record.formFields, documents: record.requiredDocuments)
        var errors = messages(form.problems(values: values, files: Set(uploads.keys).union(kept.keys).union(papers)), record: record)
        errors.merge(extraErrors) { first, _ in first }
        guard errors.isEmpty || keepsUploads else { throw EGovError.invalid(errors) }
        let labels = Dictionary(uniqueKeysWithValues: slotList.map { ($0.key, $0.label) })
        var stored: [(slot: String, label: String, file: StoredAttachment)] = []
        for slot in slotKeys.sorted() {
            if let files = uploads[slot] {
                do {
                    stored += try await req.storeUploads(files, errorField: slot).map { (slot, labels[slot] ?? slot, $0) }
                } catch let error as EGovError where keepsUploads && !error.fieldErrors.isEmpty {
                    errors.merge(error.fieldErrors) { first, _ in first }
                }
            } else {
                stored += (kept[slot] ?? []).map { (slot, labels[slot] ?? slot, $0) }
            }
        }
        guard errors.isEmpty else {
            KeptUploads.save(stored.map {
                KeptUploads.File(slot: $0.slot, fileName: $0.file.fileName, type: $0.file.type.rawValue, size: $0.file.size, sha256: $0.file.sha256)
            }, procedureID: procedure.id!, on: req)
            throw EGovError.invalid(errors)
        }
        return DossierSubmission(procedureID: procedure.id!, channel: channel, applicantID: applicantID, applicant: applicant,
                                 values: values, files: stored, paperSlots: slotKeys.filter(papers.contains))
    }
}

/// Files a dossier: takes the next code of the receiving agency's day, gap-free under
/// concurrency (the counter is taken inside the transaction that stores the dossier), status 1.
struct SubmitDossier {
    let submitter: DossierParticipant
    let submission: DossierSubmission

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let (submitter, submission, now) = (submitter, submission, ctx.now)
        let dossier = try await ctx.recording(as: submitter.auditContext(requestID: ctx.requestID)).audited { db, trail -> Dossier in
            guard let procedure = try await Procedure.query(on: db).filter(\.$id == submission.procedureID).with(\.$agency).first() else {
                throw EGovError.notFound("Không tìm thấy thủ tục hành chính.")
            }
            let day = LocalDate.inVietnam(now)
            let sequence = try await NumberSequences.next(agencyID: procedure.$agency.id, register: String(format: "dossier-%02d%02d", day.month, day.day),
                                                         year: day.year, on: db)
            let code: DossierCode
            do {
                code = try DossierCode(agency: AgencyCode(procedure.agency.code), day: day, sequence: sequence)
            } catch DossierCodeError.sequenceOutOfRange {
                throw EGovError.conflict("Cơ quan đã nhận đủ 9.999 hồ sơ trong ngày; vui lòng nộp lại vào ngày làm việc tiếp theo.", code: "daily_limit")
            }
            let dossier = Dossier()
            dossier.$agency.id = procedure.$agency.id
            dossier.$procedure.id = procedure.id!
            dossier.code = code.rawValue
            dossier.channel = submission.channel.rawValue
            dossier.status = DossierStatus.new.rawValue
            dossier.applicantID = submission.applicantID
            dossier.applicantKind = submission.applicant.kind.rawValue
            dossier.applicantName = submission.applicant.name
            dossier.applicantIdentity = submission.applicant.identity
            dossier.applicantPhone = submission.applicant.phone
            dossier.applicantEmail = submission.applicant.email
            dossier.applicantAddress = submission.applicant.address
            dossier.formValues = String(decoding: try JSONEncoder().encode(submission.values), as: UTF8.self)
            dossier.submittedAt = now
            if case .officer(let actor) = submitter { dossier.enteredByID = actor.userID }
            dossier.supplementRequests = 0
            dossier.stepIndex = -1
            dossier.holderAgencyID = procedure.$agency.id
            dossier.feeOwed = 0
            dossier.feePaid = 0
            dossier.reason = ""
            dossier.paperSlots = String(decoding: try JSONEncoder().encode(submission.paperSlots), as: UTF8.self)
            try await dossier.create(on: db)
            try await DossierTallies.move(from: nil, to: DossierTallies.Line(dossier, calendar: nil), on: db)
            try await DossierFiles.attach(submission.files, kind: "submission", to: dossier.id!, at: now, on: db)
            let event = DossierEvent()
            event.$dossier.id = dossier.id!
            event.at = now
            event.actorKind = submitter.kind
            event.actorID = submitter.id
            event.actorName = submitter.name
            event.move = "submit"
            event.fromStatus = 0
            event.toStatus = DossierStatus.new.rawValue
            event.fromPlace = submission.applicant.name
            event.toPlace = "Bộ phận một cửa — \(procedure.agency.name)"
            event.toAgencyID = procedure.$agency.id
            event.note = submission.channel.label
            try await event.create(on: db)
            trail.record("dossier.submit", objectType: "dossier", objectID: dossier.id?.uuidString,
                         details: "\(code.rawValue) \(procedure.code) \(submission.channel.rawValue)")
            if let applicantID = dossier.applicantID {
                try await NotifyApplicant(applicantID: applicantID, title: "Đã nộp hồ sơ \(dossier.code)",
                                          body: "Hồ sơ của bạn đã được gửi tới bộ phận một cửa và đang chờ tiếp nhận.",
                                          link: "/portal/dossiers/\(dossier.id!)").record(in: ctx, on: db, trail: trail)
            }
            return dossier
        }
        return dossier
    }
}

enum DossierFiles {
    static func attach(_ files: [(slot: String, label: String, file: StoredAttachment)], kind: String, to dossierID: UUID, at now: Date, on db: Database) async throws {
        for item in files {
            let row = DossierFile()
            row.$dossier.id = dossierID
            row.kind = kind
            row.slot = item.slot
            row.label = item.label
            row.fileName = item.file.fileName
            row.contentType = item.file.type.rawValue
            row.size = item.file.size
            row.sha256 = item.file.sha256
            row.uploadedAt = now
            try await row.create(on: db)
        }
    }
}
