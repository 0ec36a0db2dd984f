import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The procedure catalogue: public search, agency admins keeping their own, JSON and CSV in and out.
final class ProcedureCatalogueTests: EGovTestCase {
    struct Page: Decodable {
        struct Item: Decodable { let id: UUID; let code: String; let name: String; let agency_code: String; let status: String }
        let items: [Item]
        let total: Int
    }
    struct Detail: Decodable {
        let id: UUID
        let in_force: Bool
        let procedure: ProcedureRecord
    }

    func newProcedure(_ changes: [String: any Encodable & Sendable] = [:]) -> [String: AnyEncodable] {
        var body: [String: any Encodable & Sendable] = [
            "code": "1.000001", "name": "Cấp phép tổ chức lễ hội", "field": "Văn hóa cơ sở",
            "online_level": "full", "channels": ["in_person", "online"],
            "steps": ["Nộp hồ sơ", "Thẩm định", "Trả kết quả"],
            "required_documents": ["Văn bản đề nghị | 1 | 0 | có", "Chương trình lễ hội | 1 | 1 | không"],
            "time_limit_days": 5, "fee_amount": 0, "result": "Văn bản chấp thuận.", "legal_basis": "Nghị định số 110/2018/NĐ-CP.",
        ]
        for (key, value) in changes { body[key] = value }
        return body.mapValues { AnyEncodable($0) }
    }

    func rawPost(_ path: String, token: String, contentType: String, body: String) async throws -> TestResponse {
        var captured: TestResponse!
        try await app.test(.POST, path, beforeRequest: { req async throws in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.replaceOrAdd(name: .contentType, value: contentType)
            req.body = ByteBuffer(string: body)
        }, afterResponse: { res async throws in
            captured = TestResponse(status: res.status, headers: res.headers, body: res.body.string)
        })
        return captured
    }

    func test_anyoneSearchesTheCatalogueWithOrWithoutDiacritics() async throws {
        for query in ["thành lập hội", "THANH LAP HOI", "thanh lap", "1.001776"] {
            let escaped = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let page = try await api(.GET, "/api/v1/procedures?q=\(escaped)", as: nil).json(Page.self)
            XCTAssertEqual(page.items.map(\.code), ["1.001776"], query)
        }
        let all = try await api(.GET, "/api/v1/procedures", as: nil).json(Page.self)
        // The suspended demo procedure is not offered to citizens.
        XCTAssertFalse(all.items.contains { $0.code == "1.004227" })
        XCTAssertEqual(all.total, all.items.count)
        XCTAssertTrue(all.items.allSatisfy { $0.status == "active" })

        let byAgency = try await api(.GET, "/api/v1/procedures?agency=000.00.14.H20", as: nil).json(Page.self)
        XCTAssertEqual(byAgency.items.map(\.code), ["1.003757"])
        let field = "Chứng thực".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
        let byField = try await api(.GET, "/api/v1/procedures?field=\(field)", as: nil).json(Page.self)
        XCTAssertEqual(byField.items.map(\.code), ["2.000908"])
        let fullyOnline = try await api(.GET, "/api/v1/procedures?online_level=full", as: nil).json(Page.self)
        XCTAssertEqual(Set(fullyOnline.items.map(\.code)), ["1.001776", "1.003757"])
        // A `%` typed into the box is a literal, not a wildcard.
        let percent = try await api(.GET, "/api/v1/procedures?q=%25", as: nil).json(Page.self)
        XCTAssertEqual(percent.total, all.total)

        let bad = try await api(.GET, "/api/v1/procedures?online_level=everything", as: nil)
        XCTAssertEqual(bad.status, .badRequest)
        XCTAssertEqual(bad.error?.error, "bad_online_level")

        // The public pages: list with filters, and the whole procedure.
        let browser = browser()
        let list = try await browser.get("/portal/procedures?q=thanh+lap+hoi")
        XCTAssertEqual(list.status, .ok)
        XCTAssertTrue(list.body.contains("Thủ tục thành lập hội"))
        XCTAssertTrue(list.body.contains("Tìm thấy 1 thủ tục."))
        let id = all.items.first { $0.code == "1.001776" }!.id
        let detail = try await browser.get("/portal/procedures/\(id)")
        XCTAssertEqual(detail.status, .ok)
        XCTAssertTrue(detail.body.contains("Dự thảo điều lệ hội"))
        XCTAssertTrue(detail.body.contains("30 ngày làm việc"))
        XCTAssertTrue(detail.body.contains("Nộp hồ sơ trực tuyến"))
        // A suspended procedure is not shown to the public.
        let suspended = try await Procedure.query(on: app.db).filter(\.$code == "1.004227").first()!
        let hidden = try await browser.get("/portal/procedures/\(suspended.id!)")
        XCTAssertEqual(hidden.status, .notFound)
        let hiddenAPI = try await api(.GET, "/api/v1/procedures/\(suspended.id!)", as: nil)
        XCTAssertEqual(hiddenAPI.status, .notFound)
        // ...but its own agency's people see it.
        let own = try await api(.GET, "/api/v1/procedures/\(suspended.id!)", as: try await token("dongthap.stttt.chuyenvien"))
        XCTAssertEqual(own.status, .ok)
        XCTAssertEqual(try own.json(Detail.self).in_force, false)
    }

    func test_agencyAdminKeepsOwnCatalogue_andOthersAreRefused() async throws {
        let admin = try await token("quangninh.quantri")
        let created = try await api(.POST, "/api/v1/procedures", as: admin, json: newProcedure())
        XCTAssertEqual(created.status, .created, created.body)
        let detail = try created.json(Detail.self)
        XCTAssertEqual(detail.procedure.agencyCode, "000.00.00.H49")
        XCTAssertEqual(detail.procedure.requiredDocuments, [
            RequiredDocument(name: "Văn bản đề nghị", originals: 1, copies: 0, mandatory: true),
            RequiredDocument(name: "Chương trình lễ hội", originals: 1, copies: 1, mandatory: false),
        ])
        XCTAssertEqual(detail.procedure.steps.count, 3)

        // The same code twice in one agency is refused; another agency may use it.
        let again = try await api(.POST, "/api/v1/procedures", as: admin, json: newProcedure())
        XCTAssertEqual(again.status, .conflict)
        XCTAssertEqual(again.error?.error, "procedure_code_taken")
        let elsewhere = try await api(.POST, "/api/v1/procedures", as: try await token("dongthap.quantri"), json: newProcedure())
        XCTAssertEqual(elsewhere.status, .created, elsewhere.body)

        // Bad input names each field.
        let invalid = try await api(.POST, "/api/v1/procedures", as: admin, json: newProcedure([
            "code": "1001776", "time_limit_days": "ba ngày", "channels": ["in_person"], "required_documents": "Đơn | hai",
            "effective_from": "2026-05-01", "effective_to": "2026-01-01",
        ]))
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        let fields = invalid.error?.fields ?? [:]
        XCTAssertEqual(Set(fields.keys), ["code", "time_limit_days", "channels", "required_documents", "effective_to"], invalid.body)
        XCTAssertTrue(fields["code"]!.contains("1.001776"))

        // Edit keeps the agency; a specialist, another agency's admin and anyone anonymous are refused.
        var edited = newProcedure(["name": "Cấp phép tổ chức lễ hội truyền thống", "time_limit_days": 7])
        let put = try await api(.PUT, "/api/v1/procedures/\(detail.id)", as: admin, json: edited)
        XCTAssertEqual(put.status, .ok, put.body)
        XCTAssertEqual(try put.json(Detail.self).procedure.timeLimitDays, 7)
        let specialist = try await api(.POST, "/api/v1/procedures", as: try await token("quangninh.chuyenvien"), json: newProcedure(["code": "1.000002"]))
        XCTAssertEqual(specialist.status, .forbidden)
        let otherAdmin = try await token("bnv.quantri")
        let foreignEdit = try await api(.PUT, "/api/v1/procedures/\(detail.id)", as: otherAdmin, json: edited)
        XCTAssertEqual(foreignEdit.status, .notFound)
        let foreignCreate = try await api(.POST, "/api/v1/procedures", as: otherAdmin, json: newProcedure(["code": "1.000003", "agency_code": "000.00.00.H49"]))
        XCTAssertEqual(foreignCreate.status, .forbidden)
        let anonymous = try await api(.POST, "/api/v1/procedures", as: nil, json: newProcedure(["code": "1.000004"]))
        XCTAssertEqual(anonymous.status, .unauthorized)
        // The agency cannot be moved by an edit.
        edited["agency_code"] = AnyEncodable("000.00.00.H20")
        let move = try await api(.PUT, "/api/v1/procedures/\(detail.id)", as: admin, json: edited)
        XCTAssertEqual(move.status, .unprocessableEntity)

        // A system admin may keep any agency's catalogue.
        let system = try await api(.POST, "/api/v1/procedures", as: try await token("admin"), json: newProcedure(["code": "1.000005", "agency_code": "000.00.00.G09"]))
        XCTAssertEqual(system.status, .created, system.body)
        XCTAssertEqual(try system.json(Detail.self).procedure.agencyCode, "000.00.00.G09")
        let stored = try await Procedure.query(on: app.db).filter(\.$code == "1.000001").count()
        XCTAssertEqual(stored, 2)
    }

    func test_exportedCatalogueImportsIntoAnotherAgency_asJSONAndCSV() async throws {
        let quangNinh = try await token("quangninh.quantri")
        let jsonExport = try await api(.GET, "/api/v1/procedures/export?format=json", as: quangNinh)
        XCTAssertEqual(jsonExport.status, .ok)
        let records = try JSONDecoder().decode([ProcedureRecord].self, from: Data(jsonExport.body.utf8))
        XCTAssertEqual(records.map(\.code), ["1.001776", "1.009994", "2.000908"])
        let csvExport = try await api(.GET, "/api/v1/procedures/export?format=csv", as: quangNinh)
        XCTAssertEqual(csvExport.headers.contentType?.subType, "csv")
        XCTAssertTrue(csvExport.body.hasPrefix("\u{FEFF}code,name,field,agency_code"))

        // Another agency cannot import rows that say they are Quảng Ninh's, and nothing is saved.
        let dongThap = try await token("dongthap.quantri")
        let refused = try await rawPost("/api/v1/procedures/import", token: dongThap, contentType: "text/csv", body: csvExport.body)
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.contains("Dòng 2"), refused.body)
        XCTAssertTrue(refused.body.contains("000.00.00.H49"))
        let dongThapAgency = try await agency("000.00.00.H20")
        let before = try await Procedure.query(on: app.db).filter(\.$agency.$id == dongThapAgency.id!).count()
        XCTAssertEqual(before, 0)

        // Without the agency column the same file becomes Đồng Tháp's catalogue, field for field.
        let withoutAgency = try CSVTable.parse(csvExport.body).map { row in row.enumerated().filter { $0.offset != 3 }.map(\.element) }
        let csv = CSVTable.render(header: withoutAgency[0], rows: Array(withoutAgency.dropFirst()))
        let imported = try await rawPost("/api/v1/procedures/import", token: dongThap, contentType: "text/csv", body: csv)
        XCTAssertEqual(imported.status, .ok, imported.body)
        let outcome = try imported.json(ImportProcedures.Outcome.self)
        XCTAssertEqual([outcome.created, outcome.updated], [3, 0])
        let copied = try await api(.GET, "/api/v1/procedures/export?format=json", as: dongThap)
        let copiedRecords = try JSONDecoder().decode([ProcedureRecord].self, from: Data(copied.body.utf8))
        XCTAssertEqual(copiedRecords.map { var r = $0; r.agencyCode = nil; return r }, records.map { var r = $0; r.agencyCode = nil; return r })

        // JSON import updates what is there (same codes) and adds the new one.
        var changed = records.map { var r = $0; r.agencyCode = nil; return r }
        changed[0].timeLimitDays = 35
        changed.append(ProcedureRecord(code: "1.000010", name: "Đăng ký hoạt động tín ngưỡng", field: "Tín ngưỡng, tôn giáo", timeLimitDays: 15))
        let body = String(decoding: try JSONEncoder().encode(["procedures": changed]), as: UTF8.self)
        let again = try await rawPost("/api/v1/procedures/import", token: dongThap, contentType: "application/json", body: body)
        XCTAssertEqual(again.status, .ok, again.body)
        let second = try again.json(ImportProcedures.Outcome.self)
        XCTAssertEqual([second.created, second.updated], [1, 3])
        let first = try await Procedure.query(on: app.db).filter(\.$agency.$id == dongThapAgency.id!).filter(\.$code == "1.001776").first()!
        XCTAssertEqual(first.timeLimitDays, 35)

        // A specialist may not import; a bank of nonsense is a clear 400.
        let specialist = try await rawPost("/api/v1/procedures/import", token: try await token("dongthap.chuyenvien"), contentType: "application/json", body: body)
        XCTAssertEqual(specialist.status, .forbidden)
        let nonsense = try await rawPost("/api/v1/procedures/import", token: dongThap, contentType: "application/json", body: "{\"procedures\": 5}")
        XCTAssertEqual(nonsense.status, .badRequest)
        let noHeader = try await rawPost("/api/v1/procedures/import", token: dongThap, contentType: "text/csv", body: "a,b\n1,2\n")
        XCTAssertEqual(noHeader.status, .badRequest)
        XCTAssertTrue(noHeader.body.contains("thiếu cột"))
    }

    func test_importIsAllOrNothing_andNamesEveryBadRow() async throws {
        let csv = """
        code,name,field,time_limit_days,channels,online_level
        1.000100,Thủ tục một,Lĩnh vực A,5,in_person;online,partial
        1.000101,,Lĩnh vực A,5,in_person,none
        1.000102,Thủ tục ba,Lĩnh vực A,năm,in_person,none
        1.000100,Thủ tục trùng,Lĩnh vực A,5,in_person,none
        """
        let admin = try await token("bnv.quantri")
        let response = try await rawPost("/api/v1/procedures/import", token: admin, contentType: "text/csv", body: csv)
        XCTAssertEqual(response.status, .unprocessableEntity)
        let message = response.error?.message ?? ""
        XCTAssertTrue(message.contains("3 dòng có lỗi"), message)
        XCTAssertTrue(message.contains("Dòng 3: Cần nhập tên thủ tục."), message)
        XCTAssertTrue(message.contains("Dòng 4: Thời hạn giải quyết"), message)
        XCTAssertTrue(message.contains("Dòng 5: mã 1.000100 trùng với dòng 2"), message)
        let count = try await Procedure.query(on: app.db).filter(\.$code == "1.000100").count()
        XCTAssertEqual(count, 0, "a file with a bad row saves nothing")
    }

    func test_adminPages_createEditImportExport() async throws {
        let browser = browser()
        try await browser.signIn("quangninh.quantri")
        let list = try await browser.get("/admin/procedures")
        XCTAssertEqual(list.status, .ok)
        XCTAssertTrue(list.body.contains("Thủ tục thành lập hội"))
        XCTAssertTrue(list.body.contains("Nhập danh mục"))
        _ = try await browser.get("/admin/procedures/new")
        let fields: [(String, String)] = [
            ("code", "1.000200"), ("name", "Công nhận ban vận động thành lập hội"), ("field", "Tổ chức phi chính phủ"),
            ("implementing_level", "province"), ("online_level", "partial"), ("channels[]", "in_person"), ("channels[]", "online"),
            ("steps", "Nộp hồ sơ\nThẩm định\r\nTrả kết quả"), ("required_documents", "Đơn đề nghị | 1 | 0 | có\nDanh sách ban vận động | 1 | 0 | có"),
            ("time_limit_days", "15"), ("fee_amount", "0"), ("status", "active"),
        ]
        let bad = try await browser.post("/admin/procedures", fields.map { $0.0 == "time_limit_days" ? ($0.0, "-1") : $0 })
        XCTAssertEqual(bad.status, .unprocessableEntity, bad.body)
        XCTAssertTrue(bad.body.contains("Thời hạn giải quyết phải là số ngày làm việc"))
        XCTAssertTrue(bad.body.contains("Công nhận ban vận động thành lập hội"), "what was typed is kept")
        let saved = try await browser.post("/admin/procedures", fields)
        XCTAssertEqual(saved.status, .seeOther, saved.body)
        let procedure = try await Procedure.query(on: app.db).filter(\.$code == "1.000200").first()!
        XCTAssertEqual(procedure.steps, "Nộp hồ sơ\nThẩm định\nTrả kết quả")
        XCTAssertEqual(procedure.channels, "in_person,online")
        let shown = try await browser.get(saved.headers.first(name: .location)!)
        XCTAssertTrue(shown.body.contains("Danh sách ban vận động"))

        _ = try await browser.get("/admin/procedures/\(procedure.id!)/edit")
        let edited = try await browser.post("/admin/procedures/\(procedure.id!)", fields.map { $0.0 == "time_limit_days" ? ($0.0, "12") : $0 })
        XCTAssertEqual(edited.status, .seeOther)
        try await procedure.$agency.load(on: app.db)
        let reloaded = try await Procedure.find(procedure.id, on: app.db)!
        XCTAssertEqual(reloaded.timeLimitDays, 12)

        let csv = try await browser.get("/admin/procedures/export?format=csv")
        XCTAssertTrue(csv.body.contains("1.000200"))

        // Another agency's admin cannot open the edit form.
        let other = self.browser()
        try await other.signIn("dongthap.quantri")
        let foreign = try await other.get("/admin/procedures/\(procedure.id!)/edit")
        XCTAssertEqual(foreign.status, .notFound)
        // A specialist sees the list but no way to change it.
        let specialist = self.browser()
        try await specialist.signIn("quangninh.chuyenvien")
        let readOnly = try await specialist.get("/admin/procedures")
        XCTAssertEqual(readOnly.status, .ok)
        XCTAssertFalse(readOnly.body.contains("Nhập danh mục"))
        let refused = try await specialist.get("/admin/procedures/new")
        XCTAssertEqual(refused.status, .forbidden)
    }

    func test_importFormShowsRowErrors() async throws {
        let browser = browser()
        try await browser.signIn("quangninh.quantri")
        _ = try await browser.get("/admin/procedures")
        let csv = "code,name,field,time_limit_days,channels,online_level\r\n9.9,Sai mã,Lĩnh vực,5,in_person,none\r\n"
        let response = try await upload("/admin/procedures/import", as: nil, fileName: "danh-muc.csv", data: Data(csv.utf8),
                                        extraFields: [("_csrf", browser.lastCSRF!)], cookie: browser.cookie)
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.contains("Dòng 2: Mã thủ tục &quot;9.9&quot; không đúng dạng"), response.body)
        let good = "code,name,field,time_limit_days,channels,online_level\r\n1.000300,Thủ tục mới,Lĩnh vực,5,in_person,none\r\n"
        let saved = try await upload("/admin/procedures/import", as: nil, fileName: "danh-muc.csv", data: Data(good.utf8),
                                     extraFields: [("_csrf", browser.lastCSRF!)], cookie: browser.cookie)
        XCTAssertEqual(saved.status, .seeOther, saved.body)
        let count = try await Procedure.query(on: app.db).filter(\.$code == "1.000300").count()
        XCTAssertEqual(count, 1)
    }
}

extension ProcedureCatalogueTests {
    func test_formFieldsAndProcessingRouteAreCheckedAgainstTheDirectory() async throws {
        let admin = try await token("quangninh.quantri")
        let fields = ["ten_hoi | Tên hội | text", "pham_vi | Phạm vi | choice | có | Tỉnh; Huyện", "dieu_le | Điều lệ | file | không"]
        let good = try await api(.POST, "/api/v1/procedures", as: admin, json: newProcedure([
            "form_fields": fields, "processing_steps": ["unit | TH | 2", "agency | 000.00.01.H49 | 3"],
        ]))
        XCTAssertEqual(good.status, .created, good.body)
        let saved = try good.json(Detail.self).procedure
        XCTAssertEqual(saved.formFields.map(\.key), ["ten_hoi", "pham_vi", "dieu_le"])
        XCTAssertEqual(saved.formFields[1].options, ["Tỉnh", "Huyện"])
        XCTAssertEqual(saved.processingSteps, [ProcessingStep(kind: .unit, code: "TH", workingDays: 2),
                                               ProcessingStep(kind: .agency, code: "000.00.01.H49", workingDays: 3)])

        for (steps, expected) in [
            (["unit | KHONGCO | 1"], "KHONGCO"),
            (["agency | 000.00.99.H49 | 1"], "000.00.99.H49"),
            (["agency | 000.00.00.H49 | 1"], "cơ quan khác"),
            (["unit | TH | 3", "unit | VP | 3"], "vượt thời hạn"),
            (["phong | TH | 1"], "không đúng dạng"),
        ] {
            let response = try await api(.POST, "/api/v1/procedures", as: admin, json: newProcedure(["code": "1.000009", "processing_steps": steps]))
            XCTAssertEqual(response.status, .unprocessableEntity, "\(steps)")
            XCTAssertTrue(response.error?.fields?["processing_steps"]?.contains(expected) == true, "\(steps): \(response.body)")
        }
        let duplicateKey = try await api(.POST, "/api/v1/procedures", as: admin, json: newProcedure(["code": "1.000009", "form_fields": ["a | A | text", "a | B | number"]]))
        XCTAssertEqual(duplicateKey.error?.fields?["form_fields"], "Mã trường \"a\" bị lặp.")

        // Both survive a CSV round trip.
        let csv = try await api(.GET, "/api/v1/procedures/export?format=csv", as: admin)
        let rows = try ProcedureCSV.rows(csv.body)
        let row = try XCTUnwrap(rows.first { $0.cells["code"] == "1.000001" })
        let record = try ProcedureInput(csv: row.cells).validate()
        XCTAssertEqual(record.formFields, saved.formFields)
        XCTAssertEqual(record.processingSteps, saved.processingSteps)
    }
}
