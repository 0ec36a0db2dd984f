import EGovCore
import Fluent
import Vapor

/// `/one-stop`: the desk of the one-stop office and of the units processing dossiers.
struct OneStopPages: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let upload = ByteCount(value: maxUploadBytes)
        let dossiers = routes.grouped("one-stop", "dossiers")
        dossiers.get(use: desk)
        dossiers.get("new", use: counterForm)
        dossiers.on(.POST, body: .collect(maxSize: upload), use: enter)
        dossiers.get(":dossierID", use: show)
        dossiers.get(":dossierID", "files", ":fileID", use: file)
        dossiers.on(.POST, ":dossierID", ":action", body: .collect(maxSize: upload), use: act)
    }

    func desk(req: Request) async throws -> Response {
        let actor = try req.actor
        var status: DossierStatus?
        if let raw = req.query[String.self, at: "status"], !raw.isEmpty {
            guard let value = Int(raw).flatMap(DossierStatus.init(rawValue:)) else { throw EGovError.badRequest("Trạng thái hồ sơ không hợp lệ.") }
            status = value
        }
        let (items, total) = try await DossierQueries.desk(actor: actor, status: status, page: try PageNumber.from(req), on: req.db)
        let procedures = try await Procedure.query(on: req.db).owned(by: actor)
            .filter(\.$status == ProcedureStatus.active.rawValue).sort(\.$name).all()
        let page = DeskPage(
            shell: req.shell("Hồ sơ một cửa"), rows: items.map { DossierRow(DossierListDTO.Item($0)) }, total: total,
            statusOptions: DossierStatus.allCases.map { Option(value: String($0.rawValue), label: "\($0.rawValue). \($0.label)", selected: $0 == status) },
            canEnter: DossierPermissions.mayEnterAtCounter(actor),
            procedures: procedures.map { Option(value: $0.id!.uuidString, label: "\($0.code) — \($0.name)") })
        return try await req.render("one-stop-desk", page)
    }

    private func counterProcedure(_ req: Request, actor: Actor) async throws -> (Procedure, ProcedureRecord) {
        guard DossierPermissions.mayEnterAtCounter(actor) else {
            throw EGovError.forbidden("Chỉ cán bộ bộ phận một cửa (văn thư, lãnh đạo) được nhập hồ sơ tại quầy.")
        }
        let raw = req.query[String.self, at: "procedure"] ?? (try? req.content.get(String.self, at: "procedure_id")) ?? ""
        guard let id = UUID(uuidString: raw),
              let procedure = try await Procedure.query(on: req.db).filter(\.$id == id).owned(by: actor).with(\.$agency).first() else {
            throw EGovError.badRequest("Cần chọn một thủ tục của cơ quan.")
        }
        return (procedure, procedure.record(agencyCode: procedure.agency.code))
    }

    func counterForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let (procedure, record) = try await counterProcedure(req, actor: actor)
        return try await req.render("one-stop-counter", CounterEntryPage(
            shell: req.shell("Nhập hồ sơ tại quầy"), form: .build(procedure, record: record, agencyName: procedure.agency.name, acceptsPaper: true), values: ["channel": "in_person"]))
    }

    func enter(req: Request) async throws -> Response {
        let actor = try req.actor
        do {
            let dossier = try await DossierIntake.counter(req, actor: actor)
            return req.redirectAfterPost(to: "/one-stop/dossiers/\(dossier.id!)", flash: "Đã nhập hồ sơ \(dossier.code).")
        } catch let error as EGovError where error.status == .unprocessableEntity {
            let (procedure, record) = try await counterProcedure(req, actor: actor)
            var values = DossierFormReader.values(record, from: req)
            for key in ["channel", "applicant_kind", "applicant_name", "applicant_identity", "applicant_phone", "applicant_email", "applicant_address"] {
                values[key] = FormText.clean(try? req.content.get(String.self, at: key))
            }
            return try await req.render("one-stop-counter", CounterEntryPage(
                shell: req.shell("Nhập hồ sơ tại quầy"),
                form: .build(procedure, record: record, agencyName: procedure.agency.name, values: values, errors: error.fieldErrors,
                             acceptsPaper: true, papers: DossierFormReader.paperSlots(record, from: req)), values: values),
                status: error.status)
        }
    }

    func show(req: Request) async throws -> Response {
        try await render(req, errors: [:])
    }

    private func render(_ req: Request, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let dossier = try await DossierQueries.visible(try req.uuidParameter("dossierID"), to: actor, on: req.db)
        let (dto, record) = try await DossierPresenter.detailAndProcedure(dossier, reader: .officer(actor), on: req.db)
        var may = Dictionary(uniqueKeysWithValues: dto.allowedMoves.map { ($0, true) })
        may["apologise"] = DossierPermissions.isOneStopOfficer(actor, of: dossier) && dossier.acceptedAt != nil
            && DossierWorkflow.mayApologise(from: dossier.dossierStatus)
        let page = OfficerDossierPage(shell: req.shell("Hồ sơ \(dto.code)"),
                                      dossier: DossierPageModel.build(dto, procedure: record, filePrefix: "/one-stop/dossiers/\(dto.id)"),
                                      errorList: errors.filter { $0.key != "action" }.sorted { $0.key < $1.key }.map(\.value),
                                      failedAction: errors["action"] ?? "", may: may, today: LocalDate.inVietnam(req.now).iso)
        return try await req.render("one-stop-dossier", page, status: status)
    }

    func file(req: Request) async throws -> Response {
        let dossier = try await DossierQueries.visible(try req.uuidParameter("dossierID"), to: try req.actor, on: req.db)
        return try await DossierPresenter.download(dossier, fileID: try req.uuidParameter("fileID"), on: req)
    }

    /// Every move's form posts here; the same commands as the API run it.
    func act(req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter("dossierID")
        let input = req.dossierMoveInput()
        let action = req.parameters.get("action") ?? ""
        do {
            guard let move = OfficerDossierMoves.Move(rawValue: action) else { throw EGovError.notFound() }
            let dossier = try await OfficerDossierMoves.run(move, dossierID: id, input: input, resultFiles: req.dossierResultFiles(for: move),
                                                            actor: actor, in: req.useCase)
            return req.redirectAfterPost(to: "/one-stop/dossiers/\(id)", flash: "Hồ sơ \(dossier.code): \(dossier.dossierStatus.label).")
        } catch let error as EGovError where [.unprocessableEntity, .conflict].contains(error.status) {
            var errors = error.fieldErrors
            if errors.isEmpty { errors["move"] = error.message }
            errors["action"] = action
            return try await render(req, errors: errors, status: error.status)
        }
    }
}
