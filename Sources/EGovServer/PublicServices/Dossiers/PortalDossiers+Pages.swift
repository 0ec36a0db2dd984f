import EGovCore
import Fluent
import Vapor

/// The applicant's pages: submit a dossier online, see their dossiers and each one's timeline,
/// answer a supplement request, withdraw.
struct PortalDossierPages: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let upload = ByteCount(value: maxUploadBytes)
        let signedIn = routes.grouped("portal").grouped(RequireApplicantMiddleware())
        signedIn.get("procedures", ":procedureID", "submit", use: submitForm)
        signedIn.on(.POST, "procedures", ":procedureID", "submit", body: .collect(maxSize: upload), use: submit)
        signedIn.get("dossiers", use: list)
        signedIn.get("dossiers", ":dossierID", use: show)
        signedIn.get("dossiers", ":dossierID", "files", ":fileID", use: file)
        signedIn.on(.POST, "dossiers", ":dossierID", "supplement", body: .collect(maxSize: upload), use: supplement)
        signedIn.post("dossiers", ":dossierID", "withdraw", use: withdraw)
    }

    private func onlineProcedure(_ req: Request) async throws -> (Procedure, ProcedureRecord) {
        let detail = try await ProcedureDetail.load(try req.uuidParameter("procedureID"), actor: nil, today: LocalDate.inVietnam(req.now), on: req.db)
        let (procedure, _, view) = detail
        guard view.record.onlineLevel.acceptsOnlineDossiers, view.record.channels.contains(.online) else {
            throw EGovError.conflict("Thủ tục \(view.record.code) không nhận hồ sơ trực tuyến; vui lòng nộp tại bộ phận một cửa.", code: "not_online")
        }
        return (procedure, view.record)
    }

    func submitForm(req: Request) async throws -> Response {
        let (procedure, record) = try await onlineProcedure(req)
        let account = try await Applicant.find(try req.applicant.id, on: req.db)
        let page = PortalSubmitPage(shell: try await req.portalShell("Nộp hồ sơ: \(record.name)"),
                                    form: .build(procedure, record: record, agencyName: procedure.agency.name), address: account?.address ?? "")
        return try await req.render("portal-submit", page)
    }

    func submit(req: Request) async throws -> Response {
        let applicant = try req.applicant
        let (procedure, record) = try await onlineProcedure(req)
        do {
            let dossier = try await DossierIntake.online(req, applicant: applicant, procedure: procedure, record: record, keepsUploads: true)
            KeptUploads.clear(procedure.id!, on: req)
            return req.redirectAfterPost(to: "/portal/dossiers/\(dossier.id!)", flash: "Đã nộp hồ sơ \(dossier.code). Bộ phận một cửa sẽ xem xét tiếp nhận.")
        } catch let error as EGovError where error.status == .unprocessableEntity {
            let values = DossierFormReader.values(record, from: req)
            let page = PortalSubmitPage(shell: try await req.portalShell("Nộp hồ sơ: \(record.name)"),
                                        form: .build(procedure, record: record, agencyName: procedure.agency.name, values: values, errors: error.fieldErrors,
                                                    kept: KeptUploads.load(procedure.id!, on: req)),
                                        address: FormText.clean(try? req.content.get(String.self, at: "applicant_address")))
            return try await req.render("portal-submit", page, status: .unprocessableEntity)
        }
    }

    func list(req: Request) async throws -> Response {
        let dossiers = try await DossierQueries.mine(applicant: try req.applicant, on: req.db)
        let page = PortalDossiersPage(shell: try await req.portalShell("Hồ sơ của tôi"), rows: dossiers.map { DossierRow(DossierListDTO.Item($0)) })
        return try await req.render("portal-dossiers", page)
    }

    func show(req: Request) async throws -> Response {
        try await render(req, errors: [:])
    }

    private func render(_ req: Request, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let applicant = try req.applicant
        let dossier = try await DossierQueries.own(try req.uuidParameter("dossierID"), applicant: applicant, on: req.db)
        let (dto, record) = try await DossierPresenter.detailAndProcedure(dossier, reader: .applicant(applicant), on: req.db)
        let model = DossierPageModel.build(dto, procedure: record, filePrefix: "/portal/dossiers/\(dto.id)")
        return try await req.render("portal-dossier", PortalDossierPage(shell: try await req.portalShell("Hồ sơ \(dto.code)"), dossier: model,
                                                                      errorList: errors.sorted { $0.key < $1.key }.map(\.value)),
                                    status: status)
    }

    func file(req: Request) async throws -> Response {
        let dossier = try await DossierQueries.own(try req.uuidParameter("dossierID"), applicant: try req.applicant, on: req.db)
        return try await DossierPresenter.download(dossier, fileID: try req.uuidParameter("fileID"), on: req)
    }

    func supplement(req: Request) async throws -> Response {
        let applicant = try req.applicant
        let id = try req.uuidParameter("dossierID")
        do {
            _ = try await DossierQueries.own(id, applicant: applicant, on: req.db)
            let files = try await req.storedFiles("files", slot: "supplement", label: "Giấy tờ bổ sung")
            let dossier = try await SupplementDossier(applicant: applicant, dossierID: id, note: req.dossierMoveInput().note ?? "", files: files).run(in: req.useCase)
            return req.redirectAfterPost(to: "/portal/dossiers/\(id)", flash: "Đã gửi bổ sung cho hồ sơ \(dossier.code).")
        } catch let error as EGovError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await render(req, errors: error.formErrors(conflictField: "files") ?? ["files": error.message], status: error.status)
        }
    }

    func withdraw(req: Request) async throws -> Response {
        let applicant = try req.applicant
        let id = try req.uuidParameter("dossierID")
        do {
            let dossier = try await WithdrawDossier(applicant: applicant, dossierID: id, reason: req.dossierMoveInput().reason ?? "").run(in: req.useCase)
            return req.redirectAfterPost(to: "/portal/dossiers/\(id)", flash: "Đã rút hồ sơ \(dossier.code).")
        } catch let error as EGovError where error.status == .conflict {
            return try await render(req, errors: ["withdraw": error.message], status: error.status)
        }
    }
}
