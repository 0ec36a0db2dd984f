import EGovCore
import Fluent
import Vapor

struct DossierListDTO: Content {
    struct Item: Content {
        let id: UUID
        let code: String
        let status: Int
        let statusLabel: String
        let applicantName: String
        /// The procedure's name, when the listing loaded it.
        let procedureName: String?
        let submittedAt: Date
        let dueDate: String?

        enum CodingKeys: String, CodingKey {
            case id, code, status
            case statusLabel = "status_label", applicantName = "applicant_name", procedureName = "procedure_name"
            case submittedAt = "submitted_at", dueDate = "due_date"
        }

        init(_ dossier: Dossier) {
            id = dossier.id!
            code = dossier.code
            status = dossier.status
            statusLabel = dossier.dossierStatus.label
            applicantName = dossier.applicantName
            procedureName = dossier.$procedure.value?.name
            submittedAt = dossier.submittedAt
            dueDate = dossier.apologyDate ?? dossier.dueDate
        }
    }
    let items: [Item]
    let total: Int
}

/// `/api/v1/dossiers`: the one-stop office and the processing units of an agency.
struct DossierAPI: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let dossiers = routes.grouped("dossiers")
        let upload = ByteCount(value: maxUploadBytes)
        dossiers.get(use: list)
        dossiers.on(.POST, body: .collect(maxSize: upload), use: enterAtCounter)
        dossiers.get(":dossierID", use: show)
        dossiers.get(":dossierID", "files", ":fileID", use: file)
        for move in OfficerDossierMoves.Move.allCases {
            dossiers.on(.POST, ":dossierID", PathComponent(stringLiteral: move.rawValue),
                        body: move.carriesFiles ? .collect(maxSize: upload) : .collect) { req in
                let dossier = try await OfficerDossierMoves.run(move, dossierID: req.uuidParameter("dossierID"), input: req.dossierMoveInput(),
                                                                resultFiles: req.dossierResultFiles(for: move), actor: req.actor, in: req.useCase)
                return try await self.respond(req, dossier)
            }
        }
    }

    private func respond(_ req: Request, _ dossier: Dossier) async throws -> DossierDTO {
        try await DossierPresenter.detail(dossier, reader: .officer(req.actor), on: req.db)
    }

    func list(req: Request) async throws -> DossierListDTO {
        let actor = try req.actor
        var status: DossierStatus?
        if let raw = req.query[String.self, at: "status"], !raw.isEmpty {
            guard let value = Int(raw).flatMap(DossierStatus.init(rawValue:)) else {
                throw EGovError.badRequest("Trạng thái hồ sơ phải là số từ 1 đến 10.", code: "bad_status")
            }
            status = value
        }
        let page = try PageNumber.from(req)
        let (items, total) = try await DossierQueries.desk(actor: actor, status: status, page: page, on: req.db)
        return DossierListDTO(items: items.map(DossierListDTO.Item.init), total: total)
    }

    func show(req: Request) async throws -> DossierDTO {
        let actor = try req.actor
        let dossier = try await DossierQueries.visible(try req.uuidParameter("dossierID"), to: actor, on: req.db)
        return try await DossierPresenter.detail(dossier, reader: .officer(actor), on: req.db)
    }

    func file(req: Request) async throws -> Response {
        let dossier = try await DossierQueries.visible(try req.uuidParameter("dossierID"), to: try req.actor, on: req.db)
        return try await DossierPresenter.download(dossier, fileID: try req.uuidParameter("fileID"), on: req)
    }

    /// A dossier handed in at the counter or by post, entered by the one-stop office.
    func enterAtCounter(req: Request) async throws -> Response {
        let actor = try req.actor
        let dossier = try await DossierIntake.counter(req, actor: actor)
        return try await DossierPresenter.detail(dossier, reader: .officer(actor), on: req.db).encodeResponse(status: .created, for: req)
    }
}

/// Reading a new dossier from a request, online or at the counter.
enum DossierIntake {
    static func procedure(_ req: Request, field: String = "procedure_id") async throws -> (Procedure, ProcedureRecord) {
        guard let raw = try? req.content.get(String.self, at: field), let id = UUID(uuidString: FormText.clean(raw)),
              let procedure = try await Procedure.query(on: req.db).filter(\.$id == id).with(\.$agency).first() else {
            throw EGovError.invalid([field: "Cần chọn thủ tục hành chính."])
        }
        let record = procedure.record(agencyCode: procedure.agency.code)
        guard record.isInForce(on: LocalDate.inVietnam(req.now)) else {
            throw EGovError.conflict("Thủ tục \(record.code) hiện không áp dụng; không nộp được hồ sơ.", code: "procedure_not_in_force")
        }
        return (procedure, record)
    }

    static func counter(_ req: Request, actor: Actor) async throws -> Dossier {
        guard DossierPermissions.mayEnterAtCounter(actor) else {
            throw EGovError.forbidden("Chỉ cán bộ bộ phận một cửa (văn thư, lãnh đạo) được nhập hồ sơ tại quầy.")
        }
        let (procedure, record) = try await procedure(req)
        guard procedure.$agency.id == actor.agencyID else {
            throw EGovError.forbidden("Chỉ nhập được hồ sơ của thủ tục do cơ quan mình thực hiện.")
        }
        let counter = (try? req.content.decode(CounterApplicantInput.self)) ?? CounterApplicantInput()
        let (channel, details, errors) = counter.validate()
        let submission = try await DossierFormReader.read(req, procedure: procedure, record: record, channel: channel,
                                                          applicantID: nil, applicant: details, acceptsPaper: true, extraErrors: errors)
        return try await SubmitDossier(submitter: .officer(actor), submission: submission).run(in: req.useCase)
    }

    static func online(_ req: Request, applicant: PortalApplicant) async throws -> Dossier {
        let (procedure, record) = try await procedure(req)
        return try await online(req, applicant: applicant, procedure: procedure, record: record)
    }

    /// The procedure comes from the body (API) or the page's address (web form).
    static func online(_ req: Request, applicant: PortalApplicant, procedure: Procedure, record: ProcedureRecord,
                       keepsUploads: Bool = false) async throws -> Dossier {
        guard record.onlineLevel.acceptsOnlineDossiers, record.channels.contains(.online) else {
            throw EGovError.conflict("Thủ tục \(record.code) không nhận hồ sơ trực tuyến; vui lòng nộp tại bộ phận một cửa.", code: "not_online")
        }
        guard let account = try await Applicant.find(applicant.id, on: req.db) else { throw EGovError.unauthorized() }
        var errors: [String: String] = [:]
        let address = FormText.clean(try? req.content.get(String.self, at: "applicant_address"))
        if address.count > 500 { errors["applicant_address"] = "Địa chỉ dài tối đa 500 ký tự." }
        let details = DossierApplicantDetails(kind: account.applicantKind, name: account.fullName, identity: account.identityNumber ?? "",
                                              phone: account.phone ?? "", email: account.email ?? "",
                                              address: address.isEmpty ? (account.address ?? "") : address)
        let submission = try await DossierFormReader.read(req, procedure: procedure, record: record, channel: .online,
                                                          applicantID: applicant.id, applicant: details, keepsUploads: keepsUploads,
                                                          extraErrors: errors)
        return try await SubmitDossier(submitter: .applicant(applicant), submission: submission).run(in: req.useCase)
    }
}

/// `/api/v1/portal/dossiers`: an applicant's own dossiers.
struct PortalDossierAPI: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let dossiers = routes.grouped(RequireApplicantMiddleware()).grouped("dossiers")
        let upload = ByteCount(value: maxUploadBytes)
        dossiers.get(use: list)
        dossiers.on(.POST, body: .collect(maxSize: upload), use: submit)
        dossiers.get(":dossierID", use: show)
        dossiers.get(":dossierID", "files", ":fileID", use: file)
        dossiers.on(.POST, ":dossierID", "supplement", body: .collect(maxSize: upload), use: supplement)
        dossiers.post(":dossierID", "withdraw", use: withdraw)
    }

    func list(req: Request) async throws -> DossierListDTO {
        let items = try await DossierQueries.mine(applicant: try req.applicant, on: req.db)
        return DossierListDTO(items: items.map(DossierListDTO.Item.init), total: items.count)
    }

    func submit(req: Request) async throws -> Response {
        let applicant = try req.applicant
        let dossier = try await DossierIntake.online(req, applicant: applicant)
        return try await DossierPresenter.detail(dossier, reader: .applicant(applicant), on: req.db).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> DossierDTO {
        let applicant = try req.applicant
        let dossier = try await DossierQueries.own(try req.uuidParameter("dossierID"), applicant: applicant, on: req.db)
        return try await DossierPresenter.detail(dossier, reader: .applicant(applicant), on: req.db)
    }

    func file(req: Request) async throws -> Response {
        let dossier = try await DossierQueries.own(try req.uuidParameter("dossierID"), applicant: try req.applicant, on: req.db)
        return try await DossierPresenter.download(dossier, fileID: try req.uuidParameter("fileID"), on: req)
    }

    func supplement(req: Request) async throws -> DossierDTO {
        let applicant = try req.applicant
        let id = try req.uuidParameter("dossierID")
        _ = try await DossierQueries.own(id, applicant: applicant, on: req.db)
        let files = try await req.storedFiles("files", slot: "supplement", label: "Giấy tờ bổ sung")
        let dossier = try await SupplementDossier(applicant: applicant, dossierID: id, note: req.dossierMoveInput().note ?? "", files: files).run(in: req.useCase)
        return try await DossierPresenter.detail(dossier, reader: .applicant(applicant), on: req.db)
    }

    func withdraw(req: Request) async throws -> DossierDTO {
        let applicant = try req.applicant
        let dossier = try await WithdrawDossier(applicant: applicant, dossierID: try req.uuidParameter("dossierID"),
                                                reason: req.dossierMoveInput().reason ?? "").run(in: req.useCase)
        return try await DossierPresenter.detail(dossier, reader: .applicant(applicant), on: req.db)
    }
}
