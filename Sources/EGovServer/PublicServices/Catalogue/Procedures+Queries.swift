import EGovCore
import Fluent
import Vapor

/// A search of the catalogue, as the public portal, the API and the admin list ask it.
struct ProcedureSearch: Sendable {
    var text = ""
    var field = ""
    var agencyCode = ""
    var onlineLevel: OnlineLevel?
    /// Only what citizens may use today (active and in force); admins see everything of their agency.
    var inForceOn: LocalDate?
    /// Limits to one agency (the admin list).
    var agencyID: UUID?
    var page = 1
    static let pageSize = 20

    /// Reads `q`, `field`, `agency`, `online_level`, `page` from the query string; a bad value is a 400.
    static func from(_ req: Request) throws -> ProcedureSearch {
        var search = ProcedureSearch()
        search.text = FormText.clean(req.query[String.self, at: "q"])
        search.field = FormText.clean(req.query[String.self, at: "field"])
        search.agencyCode = FormText.clean(req.query[String.self, at: "agency"])
        let level = FormText.clean(req.query[String.self, at: "online_level"])
        if !level.isEmpty {
            guard let parsed = OnlineLevel(rawValue: level) else {
                throw EGovError.badRequest("Mức độ trực tuyến phải là full, partial hoặc none.", code: "bad_online_level")
            }
            search.onlineLevel = parsed
        }
        search.page = try PageNumber.from(req)
        if search.text.count > 200 { throw EGovError.badRequest("Từ khóa dài tối đa 200 ký tự.", code: "query_too_long") }
        return search
    }

    /// Words of the query folded like the stored text; LIKE's wildcards are dropped so a `%`
    /// typed by someone matches literally nothing special.
    var words: [String] {
        SearchFolding.fold(text).replacingOccurrences(of: "%", with: " ").replacingOccurrences(of: "_", with: " ")
            .split(separator: " ").map(String.init)
    }

    func query(on db: Database) -> QueryBuilder<Procedure> {
        let query = Procedure.query(on: db).join(Agency.self, on: \Procedure.$agency.$id == \Agency.$id)
        for word in words { query.filter(\.$searchText ~~ word) }
        if !field.isEmpty { query.filter(\.$field == field) }
        if !agencyCode.isEmpty { query.filter(Agency.self, \.$code == agencyCode) }
        if let onlineLevel { query.filter(\.$onlineLevel == onlineLevel.rawValue) }
        if let agencyID { query.filter(\.$agency.$id == agencyID) }
        if let day = inForceOn {
            query.filter(\.$status == ProcedureStatus.active.rawValue)
            query.group(.or) { $0.filter(\.$effectiveFrom == nil).filter(\.$effectiveFrom <= day.iso) }
            query.group(.or) { $0.filter(\.$effectiveTo == nil).filter(\.$effectiveTo >= day.iso) }
        }
        return query
    }

    func run(on db: Database) async throws -> (items: [ProcedureSummary], total: Int) {
        let query = self.query(on: db)
        let total = try await query.copy().count()
        let rows = try await query.sort(\.$field).sort(\.$name).sort(\.$code)
            .range((page - 1) * Self.pageSize..<(page * Self.pageSize)).all()
        return (try rows.map { try ProcedureSummary($0, agency: $0.joined(Agency.self)) }, total)
    }

    /// The filter choices: fields and agencies that have procedures in this search's scope.
    func choices(on db: Database) async throws -> (fields: [String], agencies: [(code: String, name: String)]) {
        var scope = self
        scope.text = ""; scope.field = ""; scope.agencyCode = ""; scope.onlineLevel = nil
        let fields = Set(try await scope.query(on: db).all(\.$field)).sorted { $0.compare($1, locale: Locale(identifier: "vi")) == .orderedAscending }
        let agencyIDs = Set(try await scope.query(on: db).all(\.$agency.$id))
        let agencies = agencyIDs.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ Array(agencyIDs)).sort(\.$name).all()
        return (fields, agencies.map { ($0.code, $0.name) })
    }
}

/// One line of a catalogue list (API and pages).
struct ProcedureSummary: Content {
    let id: UUID
    let code: String
    let name: String
    let field: String
    let agencyCode: String
    let agencyName: String
    let onlineLevel: String
    let onlineLevelLabel: String
    let timeLimitDays: Int
    let status: String
    let statusLabel: String

    enum CodingKeys: String, CodingKey {
        case id, code, name, field, status
        case agencyCode = "agency_code", agencyName = "agency_name", onlineLevel = "online_level"
        case onlineLevelLabel = "online_level_label", timeLimitDays = "time_limit_days", statusLabel = "status_label"
    }

    init(_ procedure: Procedure, agency: Agency) {
        let level = OnlineLevel(rawValue: procedure.onlineLevel) ?? .none
        let status = ProcedureStatus(rawValue: procedure.status) ?? .suspended
        id = procedure.id!
        code = procedure.code
        name = procedure.name
        field = procedure.field
        agencyCode = agency.code
        agencyName = agency.name
        onlineLevel = level.rawValue
        onlineLevelLabel = level.label
        timeLimitDays = procedure.timeLimitDays
        self.status = status.rawValue
        statusLabel = status.label
    }
}

/// A whole procedure (API and the public detail page).
struct ProcedureDetail: Content {
    let id: UUID
    let agencyName: String
    let record: ProcedureRecord
    let inForce: Bool

    enum CodingKeys: String, CodingKey {
        case id, record = "procedure", agencyName = "agency_name", inForce = "in_force"
    }

    /// Loads a procedure the requester may read: anyone sees one in force; an agency's own
    /// people also see its suspended and abolished ones; anything else is "not found".
    static func load(_ id: UUID, actor: Actor?, today: LocalDate, on db: Database) async throws -> (Procedure, Agency, ProcedureDetail) {
        guard let procedure = try await Procedure.query(on: db).filter(\.$id == id).with(\.$agency).first() else {
            throw EGovError.notFound("Không tìm thấy thủ tục hành chính.")
        }
        let record = procedure.record(agencyCode: procedure.agency.code)
        let inForce = record.isInForce(on: today)
        if !inForce, !(actor.map { ProcedurePermissions.canViewAll(agencyID: procedure.$agency.id, actor: $0) } ?? false) {
            throw EGovError.notFound("Không tìm thấy thủ tục hành chính.")
        }
        return (procedure, procedure.agency, ProcedureDetail(id: id, agencyName: procedure.agency.name, record: record, inForce: inForce))
    }
}
