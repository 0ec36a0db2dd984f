import EGovCore
import Fluent
import SQLKit
import Vapor

/// Sổ theo dõi hồ sơ: one line per dossier the agency received in a date range (Vietnam time),
/// printed, exported as CSV, or read through the API.
enum DossierLogBook {
    /// One line of the log book. Dates stay ISO for machines; the page and the CSV format them.
    struct Row: Content, Equatable {
        let number: Int
        let id: UUID
        let code: String
        let status: Int
        let statusLabel: String
        let channel: String
        let applicantName: String
        let applicantAddress: String
        let applicantPhone: String
        let procedureCode: String
        let procedureName: String
        let submittedAt: Date
        let acceptedAt: Date?
        let promisedDate: String?
        let apologyDate: String?
        let finishedAt: Date?
        let resultReturnedAt: Date?
        let timeliness: String?
        /// Trước hạn / Đúng hạn / Quá hạn once processed; while processing, whether it is overdue.
        let timelinessLabel: String

        enum CodingKeys: String, CodingKey {
            case number, id, code, status, channel, timeliness
            case statusLabel = "status_label", applicantName = "applicant_name", applicantAddress = "applicant_address"
            case applicantPhone = "applicant_phone", procedureCode = "procedure_code", procedureName = "procedure_name"
            case submittedAt = "submitted_at", acceptedAt = "accepted_at", promisedDate = "promised_date", apologyDate = "apology_date"
            case finishedAt = "finished_at", resultReturnedAt = "result_returned_at", timelinessLabel = "timeliness_label"
        }
    }

    /// The dossiers the officer's agency received from `range.from` to `range.to` inclusive, in
    /// the order they came in. Index `dossiers_agency_submitted` serves the range. Only the
    /// columns of a line are read (not the form values or reasons), since a range may hold a year.
    static func rows(_ range: DocumentRegisters.Range, actor: Actor, today: LocalDate, on db: Database) async throws -> [Row] {
        let dossiers = try await Dossier.query(on: db).owned(by: actor)
            .filter(\.$submittedAt >= range.from.startInVietnam).filter(\.$submittedAt < range.to.adding(days: 1).startInVietnam)
            .field(\.$id).field(\.$code).field(\.$status).field(\.$channel).field(\.$procedure.$id)
            .field(\.$applicantName).field(\.$applicantAddress).field(\.$applicantPhone)
            .field(\.$submittedAt).field(\.$acceptedAt).field(\.$promisedDate).field(\.$dueDate).field(\.$apologyDate)
            .field(\.$supplementRequests).field(\.$finishedAt).field(\.$resultReturnedAt).field(\.$timeliness)
            .sort(\.$submittedAt).sort(\.$code).all()
        let procedureIDs = Array(Set(dossiers.map { $0.$procedure.id }))
        let procedures = procedureIDs.isEmpty ? [] : try await Procedure.query(on: db).filter(\.$id ~~ procedureIDs)
            .field(\.$id).field(\.$code).field(\.$name).all()
        let byID = Dictionary(uniqueKeysWithValues: procedures.map { ($0.id!, $0) })
        return dossiers.enumerated().map { index, dossier in
            let procedure = byID[dossier.$procedure.id]
            return Row(
                number: index + 1, id: dossier.id!, code: dossier.code, status: dossier.status, statusLabel: dossier.dossierStatus.label,
                channel: dossier.submissionChannel.dossierLabel, applicantName: dossier.applicantName, applicantAddress: dossier.applicantAddress,
                applicantPhone: dossier.applicantPhone, procedureCode: procedure?.code ?? "", procedureName: procedure?.name ?? "",
                submittedAt: dossier.submittedAt, acceptedAt: dossier.acceptedAt, promisedDate: dossier.promisedDate, apologyDate: dossier.apologyDate,
                finishedAt: dossier.finishedAt, resultReturnedAt: dossier.resultReturnedAt, timeliness: dossier.timeliness,
                timelinessLabel: timelinessLabel(dossier, today: today))
        }
    }

    static func timelinessLabel(_ dossier: Dossier, today: LocalDate) -> String {
        if let done = dossier.timeliness.flatMap(Timeliness.init(rawValue:)) { return done.label }
        guard dossier.acceptedAt != nil, DossierWorkflow.mayApologise(from: dossier.dossierStatus) else { return "" }
        let due = (dossier.apologyDate ?? dossier.dueDate).flatMap(LocalDate.init(iso:))
        return DossierClock.isLate(today: today, due: due, supplementRequests: dossier.supplementRequests) ? "Đang quá hạn" : "Trong hạn"
    }

    static let header = ["STT", "Mã hồ sơ", "Người nộp", "Địa chỉ", "Số điện thoại", "Thủ tục", "Cách thức nộp", "Thời điểm nhận hồ sơ",
                         "Ngày hẹn trả", "Ngày hẹn lại", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái", "Kết quả đúng hạn"]

    /// The cells of a row as the page and the CSV show them.
    static func cells(_ row: Row) -> [String] {
        [String(row.number), row.code, row.applicantName, row.applicantAddress, row.applicantPhone,
         "\(row.procedureCode) — \(row.procedureName)", row.channel, row.submittedAt.vietnamTimestamp,
         LocalDate.vietnamese(iso: row.promisedDate), LocalDate.vietnamese(iso: row.apologyDate),
         row.finishedAt.map { LocalDate.inVietnam($0).vietnamese } ?? "", row.resultReturnedAt.map { LocalDate.inVietnam($0).vietnamese } ?? "",
         row.statusLabel, row.timelinessLabel]
    }

    static func csv(_ rows: [Row]) -> String {
        CSV.document(header: header, rows: rows.map(cells))
    }

    static func fileName(_ range: DocumentRegisters.Range) -> String {
        "so-theo-doi-ho-so-\(range.from.iso)-\(range.to.iso).csv"
    }
}

struct DossierLogBookPage: Encodable {
    let shell: Shell
    let agencyName: String
    let from: String
    let to: String
    let fromLabel: String
    let toLabel: String
    let header: [String]
    let rows: [[String]]
    let csvURL: String
    /// Why the range was refused, shown above the form (400).
    let error: String?
}

/// `GET /one-stop/log-book?from=&to=[&format=csv]`: the printable log book of the officer's agency.
struct DossierLogBookPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("one-stop", "log-book", use: page)
    }

    func page(req: Request) async throws -> Response {
        let actor = try req.actor
        let today = LocalDate.inVietnam(req.now)
        let range: DocumentRegisters.Range
        do {
            range = try DocumentRegisters.Range(query: req)
        } catch let error as EGovError {
            // The form stays usable with what was typed, and says what is wrong.
            let page = DossierLogBookPage(
                shell: req.shell("Sổ theo dõi hồ sơ"), agencyName: actor.agencyName,
                from: FormText.clean(req.query[String.self, at: "from"]), to: FormText.clean(req.query[String.self, at: "to"]),
                fromLabel: "", toLabel: "", header: DossierLogBook.header, rows: [], csvURL: "", error: error.message)
            return try await req.render("dossier-log-book", page, status: error.status)
        }
        let rows = try await DossierLogBook.rows(range, actor: actor, today: today, on: req.db)
        if req.query[String.self, at: "format"] == "csv" {
            return CSV.response(DossierLogBook.csv(rows), fileName: DossierLogBook.fileName(range))
        }
        return try await req.render("dossier-log-book", DossierLogBookPage(
            shell: req.shell("Sổ theo dõi hồ sơ"), agencyName: actor.agencyName, from: range.from.iso, to: range.to.iso,
            fromLabel: range.from.vietnamese, toLabel: range.to.vietnamese, header: DossierLogBook.header, rows: rows.map(DossierLogBook.cells),
            csvURL: "/one-stop/log-book?from=\(range.from.iso)&to=\(range.to.iso)&format=csv", error: nil))
    }
}

/// `GET /api/v1/dossiers/log-book?from=&to=&format=json|csv`.
struct DossierLogBookAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("dossiers", "log-book") { req async throws -> Response in
            let actor = try req.actor
            let range = try DocumentRegisters.Range(query: req)
            let format = req.query[String.self, at: "format"] ?? "json"
            guard ["json", "csv"].contains(format) else { throw EGovError.badRequest("Định dạng phải là json hoặc csv.", code: "bad_format") }
            let rows = try await DossierLogBook.rows(range, actor: actor, today: LocalDate.inVietnam(req.now), on: req.db)
            if format == "csv" { return CSV.response(DossierLogBook.csv(rows), fileName: DossierLogBook.fileName(range)) }
            return try await rows.encodeResponse(for: req)
        }
    }
}

/// The log book reads an agency's dossiers by the day they came in, whatever their status.
struct AddDossierLogBookIndex: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX dossiers_agency_submitted ON dossiers (agency_id, submitted_at)").run()
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("DROP INDEX dossiers_agency_submitted").run()
    }
}
