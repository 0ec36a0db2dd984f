import EGovCore
import Fluent
import Vapor

/// The one-stop office's forms (Circular 01/2018/TT-VPCP, annexes), printed from a dossier.
enum DossierPrintForm: String, CaseIterable, Sendable {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    case receipt
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    case supplement
    /// Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    case refusal
    /// Phiếu xin lỗi và hẹn lại ngày trả kết quả.
    case apology
    /// Phiếu kiểm soát quá trình giải quyết hồ sơ.
    case controlSlip = "control-slip"
    /// Thông báo dừng xử lý hồ sơ.
    case stop

    var title: String {
        switch self {
        case .receipt: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
        case .supplement: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        case .refusal: "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
        case .apology: "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
        case .controlSlip: "Phiếu kiểm soát quá trình giải quyết hồ sơ"
        case .stop: "Thông báo dừng xử lý hồ sơ"
        }
    }
}

/// One printed form: plain data for `dossier-printout.leaf`, built from the stored dossier and
/// its history (deadlines are the stored ones, computed by the working-day calendar on acceptance).
struct DossierPrintout: Encodable, Sendable {
    /// The agency header: the parent agency above the receiving one, and the place and date line.
    struct Header: Encodable, Sendable {
        let parentAgencyName: String?
        let agencyName: String
        let dateLine: String
    }
    /// A line of "papers received": what, how many the procedure asks for, and how it came.
    struct Paper: Encodable, Sendable, Equatable {
        let number: Int
        let label: String
        /// "1 bản chính, 1 bản sao" for a required document; empty for a form file.
        let counts: String
        /// "Bản giấy" or the names of the files received.
        let received: String
    }
    /// A line of the control slip: who handed the dossier to whom, when, and how timely.
    struct ControlLine: Encodable, Sendable {
        let number: Int
        let from: String
        let to: String
        let person: String
        let time: String
        let timeliness: String
        let note: String
    }

    let form: String
    let title: String
    let header: Header
    let code: String
    let applicantName: String
    let applicantIdentity: String
    let applicantAddress: String
    let applicantPhone: String
    let applicantEmail: String
    let procedure: String
    let channel: String
    let submittedAt: String
    let acceptedAt: String
    let promisedDate: String
    let papers: [Paper]
    /// The reason of a supplement request, a refusal, an apology or a stop.
    let reason: String
    /// Who made the move the form records, and when.
    let actorName: String
    let actedAt: String
    let apologyDate: String
    let controlLines: [ControlLine]
    let printedAt: String
}

enum DossierPrintouts {
    /// The moves that are lines of the control slip: the dossier changes hands.
    static let controlSlipMoves: Set<String> = [
        DossierMove.accept, .startProcessing, .handOver, .finish, .stop, .returnResult,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// The form for the dossier as it stands; a form that does not apply yet is a conflict the
    /// reader is told about.
    static func build(_ form: DossierPrintForm, dossier: Dossier, now: Date, on db: Database) async throws -> DossierPrintout {
        let events = try await DossierEvent.query(on: db).filter(\.$dossier.$id == dossier.id!).sort(\.$at).all()
        func last(_ move: String) -> DossierEvent? { events.last { $0.move == move } }
        let accepted = last(DossierMove.accept.rawValue)
        // The move the form records: its officer signs and its day dates the form.
        let event: DossierEvent?
        var reason = ""
        var papers: [DossierPrintout.Paper] = []
        var lines: [DossierPrintout.ControlLine] = []
        switch form {
        case .receipt, .controlSlip:
            guard dossier.acceptedAt != nil else {
                throw unavailable("Hồ sơ \(dossier.code) chưa được tiếp nhận nên chưa có \(form.title.lowercased()).")
            }
            event = accepted
            if form == .controlSlip { lines = controlLines(events, applicantName: dossier.applicantName) }
        case .supplement:
            guard let asked = last(DossierMove.requestSupplement.rawValue) else {
                throw unavailable("Hồ sơ \(dossier.code) chưa có yêu cầu bổ sung, hoàn thiện nào.")
            }
            event = asked
            reason = asked.note
        case .refusal:
            guard dossier.dossierStatus == .notAccepted else {
                throw unavailable("Hồ sơ \(dossier.code) không bị từ chối tiếp nhận (trạng thái \"\(dossier.dossierStatus.label)\").")
            }
            event = last(DossierMove.refuse.rawValue)
            reason = event?.note ?? dossier.reason
        case .apology:
            guard dossier.apologyDate != nil else {
                throw unavailable("Hồ sơ \(dossier.code) chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả.")
            }
            event = last(DossierAction.apologise.name)
            reason = dossier.apologyReason ?? ""
        case .stop:
            guard let stopped = last(DossierMove.stop.rawValue) else {
                throw unavailable("Hồ sơ \(dossier.code) không bị dừng xử lý (trạng thái \"\(dossier.dossierStatus.label)\").")
            }
            event = stopped
            reason = stopped.note.isEmpty ? dossier.reason : stopped.note
        }
        guard let procedure = try await Procedure.find(dossier.$procedure.id, on: db) else { throw EGovError.notFound() }
        if form == .receipt {
            let files = try await DossierFile.query(on: db).filter(\.$dossier.$id == dossier.id!).filter(\.$kind == "submission")
                .sort(\.$uploadedAt).all()
            papers = receivedPapers(procedure.record(agencyCode: nil), files: files, paperSlots: dossier.paperSlotList)
        }
        let formDate = event?.at ?? now
        return DossierPrintout(
            form: form.rawValue, title: form.title,
            header: try await header(agencyID: dossier.$agency.id, date: LocalDate.inVietnam(formDate), on: db),
            code: dossier.code, applicantName: dossier.applicantName, applicantIdentity: dossier.applicantIdentity,
            applicantAddress: dossier.applicantAddress, applicantPhone: dossier.applicantPhone, applicantEmail: dossier.applicantEmail,
            procedure: "\(procedure.code) — \(procedure.name)", channel: dossier.submissionChannel.dossierLabel,
            submittedAt: dossier.submittedAt.vietnamTimestamp, acceptedAt: dossier.acceptedAt?.vietnamTimestamp ?? "",
            promisedDate: LocalDate.vietnamese(iso: dossier.promisedDate), papers: papers, reason: reason,
            actorName: event?.actorName ?? "", actedAt: event?.at.vietnamTimestamp ?? "",
            apologyDate: LocalDate.vietnamese(iso: dossier.apologyDate), controlLines: lines, printedAt: now.vietnamTimestamp)
    }

    /// The papers in the procedure's order, each with its files or "on paper"; files of a slot
    /// the procedure no longer has come last, under the label they were filed with.
    static func receivedPapers(_ record: ProcedureRecord, files: [DossierFile], paperSlots: [String]) -> [DossierPrintout.Paper] {
        var slots = DossierFormReader.slots(record).map { (key: $0.key, label: $0.label, counts: $0.counts) }
        for file in files where !slots.contains(where: { $0.key == file.slot }) { slots.append((file.slot, file.label, "")) }
        var papers: [DossierPrintout.Paper] = []
        for slot in slots {
            let names = files.filter { $0.slot == slot.key }.map(\.fileName)
            let received = paperSlots.contains(slot.key) ? ["Bản giấy"] + names : names
            guard !received.isEmpty else { continue }
            papers.append(DossierPrintout.Paper(number: papers.count + 1, label: slot.label, counts: slot.counts,
                                                received: received.joined(separator: "; ")))
        }
        return papers
    }

    static func controlLines(_ events: [DossierEvent], applicantName: String) -> [DossierPrintout.ControlLine] {
        events.filter { controlSlipMoves.contains($0.move) }.enumerated().map { index, event in
            let move = DossierMove(rawValue: event.move)
            // Acceptance takes the dossier from the applicant; returning the result gives it back.
            let from = move == .accept ? applicantName : event.fromPlace
            let to = move == .returnResult ? applicantName : event.toPlace
            let timeliness = event.timeliness.flatMap(Timeliness.init(rawValue:))?.label ?? ""
            let what = move.map { $0.label.prefix(1).uppercased() + $0.label.dropFirst() } ?? event.move
            return DossierPrintout.ControlLine(number: index + 1, from: from, to: to, person: event.actorName, time: event.at.vietnamTimestamp,
                                               timeliness: timeliness, note: event.note.isEmpty ? what : "\(what): \(event.note)")
        }
    }

    /// The receiving agency under its parent (when the directory knows it), and the place and date.
    static func header(agencyID: UUID, date: LocalDate, on db: Database) async throws -> DossierPrintout.Header {
        guard let agency = try await Agency.find(agencyID, on: db) else { throw EGovError.notFound() }
        return DossierPrintout.Header(parentAgencyName: try await AgencyQueries.parentName(of: agency, on: db), agencyName: agency.name,
                                      dateLine: date.dateLine(place: place(of: agency)))
    }

    /// The place of the date line (địa danh): the last part of the agency's address.
    static func place(of agency: Agency) -> String {
        agency.address.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    static func unavailable(_ message: String) -> EGovError {
        EGovError.conflict(message, code: "form_not_available")
    }
}

/// The page around a printed form, for an officer or for the applicant.
struct DossierPrintoutPage<ShellType: Encodable>: Encodable {
    let shell: ShellType
    let printout: DossierPrintout?
    /// Why the form cannot be printed yet.
    let unavailable: String?
    let backURL: String
}

/// `GET /one-stop/dossiers/:dossierID/print/:form` for whoever may see the dossier, and
/// `GET /portal/dossiers/:dossierID/print/:form` for its applicant.
struct DossierPrintoutPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("one-stop", "dossiers", ":dossierID", "print", ":form", use: officerPrint)
        routes.grouped("portal").grouped(RequireApplicantMiddleware()).get("dossiers", ":dossierID", "print", ":form", use: applicantPrint)
    }

    func officerPrint(req: Request) async throws -> Response {
        let dossier = try await DossierQueries.visible(try req.uuidParameter("dossierID"), to: try req.actor, on: req.db)
        let form = try Self.form(req)
        let back = "/one-stop/dossiers/\(dossier.id!)"
        let (printout, unavailable) = try await Self.printout(form, dossier: dossier, req: req)
        let page = DossierPrintoutPage(shell: req.shell(form.title), printout: printout, unavailable: unavailable, backURL: back)
        return try await req.render("dossier-print", page, status: unavailable == nil ? .ok : .conflict)
    }

    func applicantPrint(req: Request) async throws -> Response {
        let dossier = try await DossierQueries.own(try req.uuidParameter("dossierID"), applicant: try req.applicant, on: req.db)
        let form = try Self.form(req)
        let back = "/portal/dossiers/\(dossier.id!)"
        let (printout, unavailable) = try await Self.printout(form, dossier: dossier, req: req)
        let page = DossierPrintoutPage(shell: try await req.portalShell(form.title), printout: printout, unavailable: unavailable, backURL: back)
        return try await req.render("dossier-portal-print", page, status: unavailable == nil ? .ok : .conflict)
    }

    static func form(_ req: Request) throws -> DossierPrintForm {
        guard let form = req.parameters.get("form").flatMap(DossierPrintForm.init(rawValue:)) else {
            throw EGovError.notFound("Không có mẫu phiếu này. Các mẫu: giấy tiếp nhận, yêu cầu bổ sung, từ chối, xin lỗi, phiếu kiểm soát, dừng xử lý.")
        }
        return form
    }

    static func printout(_ form: DossierPrintForm, dossier: Dossier, req: Request) async throws -> (DossierPrintout?, String?) {
        do {
            return (try await DossierPrintouts.build(form, dossier: dossier, now: req.now, on: req.db), nil)
        } catch let error as EGovError where error.code == "form_not_available" {
            return (nil, error.message)
        }
    }
}
