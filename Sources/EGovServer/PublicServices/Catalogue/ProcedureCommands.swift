import EGovCore
import Fluent
import Vapor

/// The agency whose catalogue a change goes into: the actor's own, or for a system admin the
/// agency the input names. Anyone else naming another agency is refused.
struct CatalogueOwner: Sendable {
    let agencyID: UUID
    let agencyCode: String

    static func resolve(actor: Actor, requestedCode: String?, on db: Database) async throws -> CatalogueOwner {
        let code = FormText.clean(requestedCode)
        if code.isEmpty || code == actor.agencyCode {
            guard ProcedurePermissions.canManage(agencyID: actor.agencyID, actor: actor) else {
                throw EGovError.forbidden("Chỉ quản trị cơ quan được cập nhật danh mục thủ tục hành chính của cơ quan.")
            }
            return CatalogueOwner(agencyID: actor.agencyID, agencyCode: actor.agencyCode)
        }
        guard let agency = try await Agency.query(on: db).filter(\.$code == code).first() else {
            throw EGovError.invalid(["agency_code": "Không có cơ quan mã \(code) trong danh bạ."])
        }
        guard ProcedurePermissions.canManage(agencyID: agency.id!, actor: actor) else {
            throw EGovError.forbidden("Bạn chỉ được cập nhật danh mục thủ tục của cơ quan mình.")
        }
        return CatalogueOwner(agencyID: agency.id!, agencyCode: agency.code)
    }
}

/// The processing route names real units of the agency and other real agencies. The directory
/// is read once, so an import of thousands of rows does not query it per row.
struct ProcedureRouteCheck: Sendable {
    let agencyCode: String
    let unitCodes: Set<String>
    let agencyCodes: Set<String>

    static func load(agencyID: UUID, agencyCode: String, on db: Database) async throws -> ProcedureRouteCheck {
        ProcedureRouteCheck(
            agencyCode: agencyCode,
            unitCodes: Set(try await AgencyUnit.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$isActive == true).all(\.$code)),
            agencyCodes: Set(try await Agency.query(on: db).filter(\.$isActive == true).all(\.$code)))
    }

    func problem(_ steps: [ProcessingStep]) -> String? {
        for step in steps {
            switch step.kind {
            case .unit where !unitCodes.contains(step.code):
                return "Cơ quan không có phòng, ban mã \(step.code) (bước xử lý \"\(step.line)\")."
            case .agency where step.code == agencyCode:
                return "Bước liên thông phải là cơ quan khác; các bước của cơ quan mình dùng unit | mã phòng, ban."
            case .agency where !agencyCodes.contains(step.code):
                return "Không có cơ quan mã \(step.code) trong danh bạ (bước xử lý \"\(step.line)\")."
            default:
                break
            }
        }
        return nil
    }

    static func check(_ record: ProcedureRecord, agencyID: UUID, agencyCode: String, on db: Database) async throws {
        guard !record.processingSteps.isEmpty else { return }
        if let problem = try await load(agencyID: agencyID, agencyCode: agencyCode, on: db).problem(record.processingSteps) {
            throw EGovError.invalid(["processing_steps": problem])
        }
    }
}

/// Adds a procedure to an agency's catalogue.
struct CreateProcedure {
    let actor: Actor
    let record: ProcedureRecord

    func run(in ctx: UseCaseContext) async throws -> Procedure {
        let owner = try await CatalogueOwner.resolve(actor: actor, requestedCode: record.agencyCode, on: ctx.db)
        let record = self.record
        return try await ctx.audited { db, trail in
            try await Self.checkCodeFree(record.code, agencyID: owner.agencyID, except: nil, on: db)
            try await ProcedureRouteCheck.check(record, agencyID: owner.agencyID, agencyCode: owner.agencyCode, on: db)
            let procedure = Procedure(agencyID: owner.agencyID, record: record)
            try await procedure.create(on: db)
            trail.record("procedure.create", objectType: "procedure", objectID: procedure.id?.uuidString, details: "\(owner.agencyCode) \(record.code)")
            return procedure
        }
    }

    static func checkCodeFree(_ code: String, agencyID: UUID, except id: UUID?, on db: Database) async throws {
        let query = Procedure.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$code == code)
        if let id { query.filter(\.$id != id) }
        if try await query.first() != nil {
            throw EGovError(status: .conflict, code: "procedure_code_taken", message: "Cơ quan đã có thủ tục mã \(code) trong danh mục.",
                            fieldErrors: ["code": "Cơ quan đã có thủ tục mã \(code) trong danh mục."])
        }
    }
}

/// Changes a procedure of the actor's catalogue (its implementing agency stays).
struct UpdateProcedure {
    let actor: Actor
    let procedureID: UUID
    let record: ProcedureRecord

    func run(in ctx: UseCaseContext) async throws -> Procedure {
        let (actor, id, record) = (actor, procedureID, self.record)
        return try await ctx.audited { db, trail in
            let procedure = try await Procedure.find(id, scopedTo: actor, on: db)
            guard ProcedurePermissions.canManage(agencyID: procedure.$agency.id, actor: actor) else {
                throw EGovError.forbidden("Chỉ quản trị cơ quan được cập nhật danh mục thủ tục hành chính của cơ quan.")
            }
            let agency = try await procedure.$agency.get(on: db)
            if let code = record.agencyCode, code != agency.code {
                throw EGovError.invalid(["agency_code": "Không đổi được cơ quan thực hiện của thủ tục đã có; hãy thêm thủ tục mới cho cơ quan \(code)."])
            }
            try await CreateProcedure.checkCodeFree(record.code, agencyID: agency.id!, except: id, on: db)
            try await ProcedureRouteCheck.check(record, agencyID: agency.id!, agencyCode: agency.code, on: db)
            procedure.apply(record)
            try await procedure.update(on: db)
            trail.record("procedure.update", objectType: "procedure", objectID: id.uuidString, details: "\(agency.code) \(record.code)")
            return procedure
        }
    }
}

/// Loads a catalogue from JSON or CSV into an agency: all rows or none. A row whose code the
/// agency already has replaces that procedure; errors name the row and the field.
struct ImportProcedures {
    struct Row: Sendable {
        /// What the person reads to find the row: "Dòng 3" or "Mục 2".
        let label: String
        let input: ProcedureInput
    }
    struct Outcome: Content {
        let created: Int
        let updated: Int
    }

    let actor: Actor
    let owner: CatalogueOwner
    let rows: [Row]

    static let rowLimit = 5_000

    func run(in ctx: UseCaseContext) async throws -> Outcome {
        guard ProcedurePermissions.canManage(agencyID: owner.agencyID, actor: actor) else {
            throw EGovError.forbidden("Chỉ quản trị cơ quan được nhập danh mục thủ tục hành chính của cơ quan.")
        }
        guard !rows.isEmpty else { throw EGovError.badRequest("Tệp không có thủ tục nào để nhập.", code: "empty_import") }
        guard rows.count <= Self.rowLimit else {
            throw EGovError.badRequest("Mỗi lần nhập tối đa \(Self.rowLimit) thủ tục.", code: "import_too_large")
        }
        var problems: [String] = []
        var records: [ProcedureRecord] = []
        var seen: [String: String] = [:]
        let route = try await ProcedureRouteCheck.load(agencyID: owner.agencyID, agencyCode: owner.agencyCode, on: ctx.db)
        for row in rows {
            do {
                let record = try row.input.validate()
                if let problem = route.problem(record.processingSteps) {
                    problems.append("\(row.label): \(problem)")
                } else if let code = record.agencyCode, code != owner.agencyCode {
                    problems.append("\(row.label): thủ tục thuộc cơ quan \(code), không phải cơ quan đang nhập (\(owner.agencyCode)).")
                } else if let earlier = seen[record.code] {
                    problems.append("\(row.label): mã \(record.code) trùng với \(earlier.lowercased()).")
                } else {
                    seen[record.code] = row.label
                    records.append(record)
                }
            } catch let error as EGovError {
                problems.append("\(row.label): " + error.fieldErrors.sorted { $0.key < $1.key }.map(\.value).joined(separator: " "))
            }
        }
        guard problems.isEmpty else {
            let shown = problems.prefix(20).joined(separator: "\n")
            let more = problems.count > 20 ? "\n… và \(problems.count - 20) lỗi khác." : ""
            throw EGovError(status: .unprocessableEntity, code: "import_invalid",
                            message: "Không nhập được: \(problems.count) dòng có lỗi, chưa thủ tục nào được lưu.\n" + shown + more)
        }
        let (owner, valid) = (self.owner, records)
        return try await ctx.audited { db, trail in
            let existing = try await Procedure.query(on: db).filter(\.$agency.$id == owner.agencyID).all()
            var byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            var created = 0, updated = 0
            for record in valid {
                if let procedure = byCode[record.code] {
                    procedure.apply(record)
                    try await procedure.update(on: db)
                    updated += 1
                } else {
                    let procedure = Procedure(agencyID: owner.agencyID, record: record)
                    try await procedure.create(on: db)
                    byCode[record.code] = procedure
                    created += 1
                }
            }
            trail.record("procedure.import", objectType: "agency", objectID: owner.agencyID.uuidString,
                         details: "\(owner.agencyCode): \(created) created, \(updated) updated")
            return Outcome(created: created, updated: updated)
        }
    }

    /// Rows of an uploaded file: a JSON array (or `{"procedures": [...]}`) or CSV.
    static func rows(from data: Data, contentType: String?) throws -> [Row] {
        let looksLikeJSON = contentType?.contains("json") == true
            || data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }).map { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "{") } == true
        if looksLikeJSON {
            struct Wrapped: Decodable { let procedures: [ProcedureInput] }
            let decoder = JSONDecoder()
            let inputs: [ProcedureInput]
            if let list = try? decoder.decode([ProcedureInput].self, from: data) {
                inputs = list
            } else if let wrapped = try? decoder.decode(Wrapped.self, from: data) {
                inputs = wrapped.procedures
            } else {
                throw EGovError.badRequest("Tệp JSON không đọc được: cần một mảng thủ tục hoặc {\"procedures\": [...]}.", code: "bad_import_file")
            }
            return inputs.enumerated().map { Row(label: "Mục \($0.offset + 1)", input: $0.element) }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EGovError.badRequest("Tệp CSV phải lưu với bảng mã UTF-8.", code: "bad_import_file")
        }
        do {
            // The header is line 1, so data row N is line N + 1 in a spreadsheet.
            return try ProcedureCSV.rows(text).map { Row(label: "Dòng \($0.number + 1)", input: ProcedureInput(csv: $0.cells)) }
        } catch ProcedureCSV.ReadError.missingColumns(let names) {
            throw EGovError.badRequest("Tệp CSV thiếu cột: \(names.joined(separator: ", ")). Dòng đầu phải là tên cột như tệp xuất ra.", code: "bad_import_file")
        } catch ProcedureCSV.ReadError.unterminatedQuote(let line) {
            throw EGovError.badRequest("Tệp CSV có dấu ngoặc kép mở ở dòng \(line) mà không đóng.", code: "bad_import_file")
        } catch {
            throw EGovError.badRequest("Tệp rỗng: không có dòng tên cột.", code: "bad_import_file")
        }
    }
}
