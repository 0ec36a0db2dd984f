import EGovCore
import Fluent

/// Demo procedures, so a visitor of the demo portal finds something to submit.
enum DemoCatalogue {
    static let procedures: [(agencyCode: String, record: ProcedureRecord)] = [
        ("000.00.00.H49", ProcedureRecord(
            code: "1.001776", name: "Thủ tục thành lập hội", field: "Tổ chức phi chính phủ",
            implementingLevel: .province, onlineLevel: .full, channels: [.inPerson, .online, .post],
            steps: ["Ban vận động thành lập hội nộp hồ sơ tại Bộ phận một cửa hoặc trên Cổng dịch vụ công.",
                    "Sở Nội vụ thẩm định hồ sơ, lấy ý kiến cơ quan quản lý ngành, lĩnh vực.",
                    "Chủ tịch Ủy ban nhân dân tỉnh quyết định cho phép thành lập hội.",
                    "Trả kết quả cho người nộp hồ sơ."],
            requiredDocuments: [
                RequiredDocument(name: "Đơn đề nghị thành lập hội", originals: 1, copies: 0, mandatory: true),
                RequiredDocument(name: "Dự thảo điều lệ hội", originals: 1, copies: 0, mandatory: true),
                RequiredDocument(name: "Danh sách ban lãnh đạo lâm thời", originals: 1, copies: 0, mandatory: true),
                RequiredDocument(name: "Văn bản xác nhận nơi dự kiến đặt trụ sở", originals: 0, copies: 1, mandatory: false),
            ],
            timeLimitDays: 30, fees: "Không quy định", feeAmount: 0,
            conditions: "Có mục đích hoạt động không trái với pháp luật; có đủ số công dân, tổ chức đăng ký tham gia.",
            result: "Quyết định cho phép thành lập hội.",
            legalBasis: "Nghị định số 45/2010/NĐ-CP; Nghị định số 33/2012/NĐ-CP.",
            effectiveFrom: LocalDate(year: 2020, month: 1, day: 1),
            formFields: [
                DossierFormField(key: "ten_hoi", label: "Tên hội dự kiến", kind: .text),
                DossierFormField(key: "pham_vi", label: "Phạm vi hoạt động", kind: .choice, options: ["Toàn tỉnh", "Huyện, thị xã, thành phố"]),
                DossierFormField(key: "so_hoi_vien", label: "Số hội viên đăng ký", kind: .number),
                DossierFormField(key: "ngay_dai_hoi", label: "Ngày dự kiến đại hội", kind: .date, required: false),
            ],
            // The general office checks, the Department of Home Affairs appraises, the office drafts the decision.
            processingSteps: [
                ProcessingStep(kind: .unit, code: "TH", workingDays: 5),
                ProcessingStep(kind: .agency, code: "000.00.01.H49", workingDays: 20),
                ProcessingStep(kind: .unit, code: "VP", workingDays: 4),
            ])),
        ("000.00.00.H49", ProcedureRecord(
            code: "1.009994", name: "Cấp giấy phép xây dựng mới đối với công trình cấp II", field: "Hoạt động xây dựng",
            implementingLevel: .province, onlineLevel: .partial, channels: [.inPerson, .online],
            steps: ["Nộp hồ sơ đề nghị cấp giấy phép xây dựng.", "Thẩm định hồ sơ, kiểm tra thực địa.", "Cấp giấy phép xây dựng."],
            requiredDocuments: [
                RequiredDocument(name: "Đơn đề nghị cấp giấy phép xây dựng", originals: 1, copies: 0, mandatory: true),
                RequiredDocument(name: "Giấy tờ chứng minh quyền sử dụng đất", originals: 0, copies: 1, mandatory: true),
                RequiredDocument(name: "Bản vẽ thiết kế xây dựng", originals: 2, copies: 0, mandatory: true),
            ],
            timeLimitDays: 20, fees: "Lệ phí cấp giấy phép xây dựng theo nghị quyết của Hội đồng nhân dân tỉnh.", feeAmount: 150_000,
            result: "Giấy phép xây dựng.", legalBasis: "Luật Xây dựng 2014, sửa đổi 2020; Nghị định số 15/2021/NĐ-CP.",
            effectiveFrom: LocalDate(year: 2021, month: 3, day: 3))),
        ("000.00.00.H49", ProcedureRecord(
            code: "2.000908", name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản", field: "Chứng thực",
            implementingLevel: .province, onlineLevel: .none, channels: [.inPerson],
            steps: ["Người yêu cầu chứng thực xuất trình bản chính và bản sao.", "Cán bộ đối chiếu và chứng thực."],
            requiredDocuments: [RequiredDocument(name: "Bản chính giấy tờ, văn bản", originals: 1, copies: 1, mandatory: true)],
            timeLimitDays: 0, fees: "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang.", feeAmount: 2_000,
            result: "Bản sao được chứng thực.", legalBasis: "Nghị định số 23/2015/NĐ-CP.")),
        ("000.00.14.H20", ProcedureRecord(
            code: "1.003757", name: "Cấp giấy phép hoạt động in", field: "Xuất bản, In và Phát hành",
            implementingLevel: .province, onlineLevel: .full, channels: [.inPerson, .online, .post],
            steps: ["Nộp hồ sơ tại Sở Thông tin và Truyền thông hoặc trực tuyến.", "Thẩm định và cấp giấy phép."],
            requiredDocuments: [
                RequiredDocument(name: "Đơn đề nghị cấp giấy phép hoạt động in", originals: 1, copies: 0, mandatory: true),
                RequiredDocument(name: "Giấy chứng nhận đăng ký doanh nghiệp", originals: 0, copies: 1, mandatory: true),
            ],
            timeLimitDays: 10, feeAmount: 0, result: "Giấy phép hoạt động in.",
            legalBasis: "Nghị định số 60/2014/NĐ-CP; Nghị định số 25/2018/NĐ-CP.",
            formFields: [DossierFormField(key: "co_so_in", label: "Tên cơ sở in", kind: .text)],
            processingSteps: [ProcessingStep(kind: .unit, code: "CNTT", workingDays: 8)])),
        ("000.00.14.H20", ProcedureRecord(
            code: "1.004227", name: "Cấp giấy phép xuất bản bản tin", field: "Báo chí",
            implementingLevel: .province, onlineLevel: .partial, channels: [.inPerson, .online],
            requiredDocuments: [RequiredDocument(name: "Tờ khai đề nghị cấp giấy phép xuất bản bản tin", originals: 1, copies: 0, mandatory: true)],
            timeLimitDays: 15, result: "Giấy phép xuất bản bản tin.", legalBasis: "Luật Báo chí 2016.", status: .suspended)),
    ]

    static func seed(on db: Database, trail: AuditTrail) async throws {
        for (agencyCode, record) in procedures {
            guard let agency = try await Agency.query(on: db).filter(\.$code == agencyCode).first() else { continue }
            if try await Procedure.query(on: db).filter(\.$agency.$id == agency.id!).filter(\.$code == record.code).first() != nil { continue }
            let procedure = Procedure(agencyID: agency.id!, record: record)
            try await procedure.create(on: db)
            trail.record("demo.procedure.create", objectType: "procedure", objectID: procedure.id?.uuidString, details: "\(agencyCode) \(record.code)")
        }
    }
}
