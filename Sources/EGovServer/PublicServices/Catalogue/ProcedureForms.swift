import EGovCore
import Vapor

/// A procedure as the admin form, the JSON API and both import formats send it. Lists come
/// as JSON arrays or as text with one item a line, so a CSV cell, a textarea and an API
/// client all fit.
struct ProcedureInput: Content {
    var code: String?
    var name: String?
    var field: String?
    var agencyCode: String?
    var implementingLevel: String?
    var onlineLevel: String?
    var channels: [String]?
    var steps: [String]?
    var requiredDocuments: [String]?
    var timeLimitDays: String?
    var fees: String?
    var feeAmount: String?
    var conditions: String?
    var result: String?
    var legalBasis: String?
    var effectiveFrom: String?
    var effectiveTo: String?
    var status: String?
    var formFields: [String]?
    var processingSteps: [String]?

    enum CodingKeys: String, CodingKey {
        case code, name, field, channels, steps, fees, conditions, result, status
        case agencyCode = "agency_code", implementingLevel = "implementing_level", onlineLevel = "online_level"
        case requiredDocuments = "required_documents", timeLimitDays = "time_limit_days", feeAmount = "fee_amount"
        case legalBasis = "legal_basis", effectiveFrom = "effective_from", effectiveTo = "effective_to"
        case formFields = "form_fields", processingSteps = "processing_steps"
    }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = c.lenientText
        code = text(.code)
        name = text(.name)
        field = text(.field)
        agencyCode = text(.agencyCode)
        implementingLevel = text(.implementingLevel)
        onlineLevel = text(.onlineLevel)
        channels = c.lenientList(.channels).map { $0.flatMap { ProcedureCSV.items($0, semicolons: true) } }
        steps = c.lenientList(.steps).map { $0.flatMap { ProcedureCSV.items($0) } }
        if let documents = try? c.decodeIfPresent([RequiredDocument].self, forKey: .requiredDocuments) {
            requiredDocuments = documents.map(\.line)
        } else {
            requiredDocuments = c.lenientList(.requiredDocuments).map { $0.flatMap { ProcedureCSV.items($0) } }
        }
        timeLimitDays = text(.timeLimitDays)
        fees = text(.fees)
        feeAmount = text(.feeAmount)
        conditions = text(.conditions)
        result = text(.result)
        legalBasis = text(.legalBasis)
        effectiveFrom = text(.effectiveFrom)
        effectiveTo = text(.effectiveTo)
        status = text(.status)
        if let fields = try? c.decodeIfPresent([DossierFormField].self, forKey: .formFields) {
            formFields = fields.map(\.line)
        } else {
            formFields = c.lenientList(.formFields).map { $0.flatMap { ProcedureCSV.items($0) } }
        }
        if let steps = try? c.decodeIfPresent([ProcessingStep].self, forKey: .processingSteps) {
            processingSteps = steps.map(\.line)
        } else {
            processingSteps = c.lenientList(.processingSteps).map { $0.flatMap { ProcedureCSV.items($0) } }
        }
    }

    /// A CSV row read by column name.
    init(csv cells: [String: String]) {
        code = cells["code"]
        name = cells["name"]
        field = cells["field"]
        agencyCode = cells["agency_code"]
        implementingLevel = cells["implementing_level"]
        onlineLevel = cells["online_level"]
        channels = cells["channels"].map { ProcedureCSV.items($0, semicolons: true) }
        steps = cells["steps"].map { ProcedureCSV.items($0) }
        requiredDocuments = cells["required_documents"].map { ProcedureCSV.items($0) }
        timeLimitDays = cells["time_limit_days"]
        fees = cells["fees"]
        feeAmount = cells["fee_amount"]
        conditions = cells["conditions"]
        result = cells["result"]
        legalBasis = cells["legal_basis"]
        effectiveFrom = cells["effective_from"]
        effectiveTo = cells["effective_to"]
        status = cells["status"]
        formFields = cells["form_fields"].map { ProcedureCSV.items($0) }
        processingSteps = cells["processing_steps"].map { ProcedureCSV.items($0) }
    }

    init(_ record: ProcedureRecord) {
        code = record.code
        name = record.name
        field = record.field
        agencyCode = record.agencyCode
        implementingLevel = record.implementingLevel.rawValue
        onlineLevel = record.onlineLevel.rawValue
        channels = record.channels.map(\.rawValue)
        steps = record.steps
        requiredDocuments = record.requiredDocuments.map(\.line)
        timeLimitDays = String(record.timeLimitDays)
        fees = record.fees
        feeAmount = String(record.feeAmount)
        conditions = record.conditions
        result = record.result
        legalBasis = record.legalBasis
        effectiveFrom = record.effectiveFrom?.iso
        effectiveTo = record.effectiveTo?.iso
        status = record.status.rawValue
        formFields = record.formFields.map(\.line)
        processingSteps = record.processingSteps.map(\.line)
    }

    static let longTextLimit = 10_000

    /// Checks everything that needs no database. Messages name the field the person fills in.
    func validate() throws -> ProcedureRecord {
        var errors: [String: String] = [:]
        let code = FormText.clean(self.code)
        if code.isEmpty {
            errors["code"] = "Cần nhập mã thủ tục."
        } else if !ProcedureCode.isValid(code) {
            errors["code"] = "Mã thủ tục \"\(code)\" không đúng dạng, ví dụ 1.001776."
        }
        let name = FormText.clean(self.name)
        if name.isEmpty { errors["name"] = "Cần nhập tên thủ tục." } else if name.count > 500 { errors["name"] = "Tên thủ tục dài tối đa 500 ký tự." }
        let field = FormText.clean(self.field)
        if field.isEmpty { errors["field"] = "Cần nhập lĩnh vực." } else if field.count > 200 { errors["field"] = "Lĩnh vực dài tối đa 200 ký tự." }

        func choice<T: RawRepresentable>(_ raw: String?, default value: T, key: String, message: String) -> T where T.RawValue == String {
            let cleaned = FormText.clean(raw)
            if cleaned.isEmpty { return value }
            guard let parsed = T(rawValue: cleaned) else { errors[key] = message; return value }
            return parsed
        }
        let level = choice(implementingLevel, default: ImplementingLevel.province, key: "implementing_level",
                           message: "Cấp thực hiện phải là một trong: central, province, district, commune.")
        let online = choice(onlineLevel, default: OnlineLevel.partial, key: "online_level",
                            message: "Mức độ trực tuyến phải là một trong: full, partial, none.")
        let status = choice(self.status, default: ProcedureStatus.active, key: "status",
                            message: "Tình trạng phải là một trong: active, suspended, abolished.")

        var channels: [SubmissionChannel] = []
        for raw in (self.channels ?? []).map({ FormText.clean($0) }) where !raw.isEmpty {
            guard let channel = SubmissionChannel(rawValue: raw) else {
                errors["channels"] = "Cách thức thực hiện \"\(raw)\" không hợp lệ (in_person, online, post)."
                continue
            }
            if !channels.contains(channel) { channels.append(channel) }
        }
        if channels.isEmpty, errors["channels"] == nil { errors["channels"] = "Cần chọn ít nhất một cách thức thực hiện." }
        if online.acceptsOnlineDossiers, !channels.contains(.online), errors["channels"] == nil {
            errors["channels"] = "Thủ tục có mức độ trực tuyến phải cho phép nộp trực tuyến."
        }

        let steps = (self.steps ?? []).map { FormText.clean($0) }.filter { !$0.isEmpty }
        var documents: [RequiredDocument] = []
        for line in (requiredDocuments ?? []).map({ FormText.clean($0) }) where !line.isEmpty {
            guard let document = RequiredDocument(line: line) else {
                errors["required_documents"] = "Dòng thành phần hồ sơ \"\(line)\" không đúng dạng: Tên giấy tờ | số bản chính | số bản sao | có/không."
                break
            }
            documents.append(document)
        }
        if documents.count > 50 { errors["required_documents"] = "Tối đa 50 thành phần hồ sơ." }

        var days = 0
        let rawDays = FormText.clean(timeLimitDays)
        if rawDays.isEmpty {
            errors["time_limit_days"] = "Cần nhập thời hạn giải quyết (số ngày làm việc, 0 nếu trong ngày)."
        } else if let value = Int(rawDays), (0...365).contains(value) {
            days = value
        } else {
            errors["time_limit_days"] = "Thời hạn giải quyết phải là số ngày làm việc từ 0 đến 365."
        }
        var feeAmount = 0
        let rawFee = FormText.clean(self.feeAmount).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
        if !rawFee.isEmpty {
            if let value = Int(rawFee), (0...1_000_000_000).contains(value) { feeAmount = value } else {
                errors["fee_amount"] = "Mức phí phải là số đồng, ví dụ 50000."
            }
        }
        func date(_ raw: String?, key: String) -> LocalDate? {
            let cleaned = FormText.clean(raw)
            if cleaned.isEmpty { return nil }
            guard let value = LocalDate(iso: cleaned) else { errors[key] = "Ngày \"\(cleaned)\" không đúng dạng năm-tháng-ngày, ví dụ 2026-01-01."; return nil }
            return value
        }
        let from = date(effectiveFrom, key: "effective_from")
        let to = date(effectiveTo, key: "effective_to")
        if let from, let to, to < from { errors["effective_to"] = "Ngày hết hiệu lực phải sau ngày có hiệu lực." }
        var texts: [String: String] = [:]
        for (key, value) in [("fees", fees), ("conditions", conditions), ("result", result), ("legal_basis", legalBasis)] {
            let cleaned = FormText.clean(value)
            if cleaned.count > Self.longTextLimit { errors[key] = "Nội dung dài tối đa \(Self.longTextLimit) ký tự." }
            texts[key] = cleaned
        }
        var formFields: [DossierFormField] = []
        for line in (self.formFields ?? []).map({ FormText.clean($0) }) where !line.isEmpty {
            do {
                let field = try DossierFormField(line: line)
                if formFields.contains(where: { $0.key == field.key }) {
                    errors["form_fields"] = "Mã trường \"\(field.key)\" bị lặp."
                    break
                }
                formFields.append(field)
            } catch {
                errors["form_fields"] = "Dòng trường \"\(line)\" không đúng dạng: mã (chữ thường không dấu, số, _) | nhãn | loại (text, number, date, choice, file) | có/không | lựa chọn; lựa chọn."
                break
            }
        }
        var processing: [ProcessingStep] = []
        for line in (processingSteps ?? []).map({ FormText.clean($0) }) where !line.isEmpty {
            guard let step = try? ProcessingStep(line: line) else {
                errors["processing_steps"] = "Dòng bước xử lý \"\(line)\" không đúng dạng: unit | mã phòng | số ngày, hoặc agency | mã cơ quan | số ngày."
                break
            }
            processing.append(step)
        }
        if errors["processing_steps"] == nil, errors["time_limit_days"] == nil, !ProcessingRoute.fits(processing, timeLimitDays: days) {
            errors["processing_steps"] = "Tổng số ngày các bước xử lý (\(ProcessingRoute.totalDays(processing))) vượt thời hạn giải quyết (\(days) ngày làm việc)."
        }
        if steps.joined().count > Self.longTextLimit { errors["steps"] = "Trình tự thực hiện dài tối đa \(Self.longTextLimit) ký tự." }
        guard errors.isEmpty else { throw EGovError.invalid(errors) }
        let agency = FormText.clean(agencyCode)
        return ProcedureRecord(
            code: code, name: name, field: field, agencyCode: agency.isEmpty ? nil : agency, implementingLevel: level,
            onlineLevel: online, channels: channels, steps: steps, requiredDocuments: documents, timeLimitDays: days,
            fees: texts["fees"] ?? "", feeAmount: feeAmount, conditions: texts["conditions"] ?? "", result: texts["result"] ?? "",
            legalBasis: texts["legal_basis"] ?? "", effectiveFrom: from, effectiveTo: to, status: status,
            formFields: formFields, processingSteps: processing)
    }
}
