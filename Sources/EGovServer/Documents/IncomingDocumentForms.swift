import EGovCore
import Vapor

/// What a clerk sends to register an incoming document (API JSON and the web form alike).
struct IncomingDocumentInput: Content {
    var senderAgencyCode: String?
    var senderName: String?
    var numberNotation: String?
    var typeCode: String?
    var issuedDate: String?
    var subject: String?
    var signerName: String?
    var signerPosition: String?
    var urgency: String?
    var confidentiality: String?
    var pageCount: String?
    var dueDate: String?
    var arrivalDate: String?

    enum CodingKeys: String, CodingKey {
        case subject, urgency, confidentiality
        case senderAgencyCode = "sender_agency_code", senderName = "sender_name", numberNotation = "number_notation"
        case typeCode = "type_code", issuedDate = "issued_date", signerName = "signer_name", signerPosition = "signer_position"
        case pageCount = "page_count", dueDate = "due_date", arrivalDate = "arrival_date"
    }

    init() {}

    /// JSON clients send the page count as a number, forms as text: both are accepted.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = c.lenientText
        senderAgencyCode = text(.senderAgencyCode)
        senderName = text(.senderName)
        numberNotation = text(.numberNotation)
        typeCode = text(.typeCode)
        issuedDate = text(.issuedDate)
        subject = text(.subject)
        signerName = text(.signerName)
        signerPosition = text(.signerPosition)
        urgency = text(.urgency)
        confidentiality = text(.confidentiality)
        pageCount = text(.pageCount)
        dueDate = text(.dueDate)
        arrivalDate = text(.arrivalDate)
    }

    static let subjectLimit = 500

    struct Valid: Sendable {
        var senderAgencyCode: String?
        var senderName: String
        var number: DocumentNumber
        var type: DocumentType
        var issuedDate: LocalDate
        var subject: String
        var signerName: String
        var signerPosition: String
        var urgency: Urgency
        var confidentiality: Confidentiality
        var pageCount: Int
        var dueDate: LocalDate?
        var arrivalDate: LocalDate
    }

    /// Checks everything that needs no database; `today` is the registration day in Vietnam.
    func validate(today: LocalDate) throws -> Valid {
        var errors: [String: String] = [:]
        let senderCode = FormText.clean(senderAgencyCode)
        let senderName = FormText.clean(self.senderName)
        if senderCode.isEmpty, senderName.isEmpty { errors["sender_name"] = "Cần chọn hoặc nhập cơ quan ban hành." }
        if senderName.count > 255 { errors["sender_name"] = "Tên cơ quan ban hành dài tối đa 255 ký tự." }

        var number: DocumentNumber?
        let rawNumber = FormText.clean(numberNotation).replacingOccurrences(of: "Số:", with: "").trimmingCharacters(in: .whitespaces)
        if rawNumber.isEmpty {
            errors["number_notation"] = "Cần nhập số, ký hiệu văn bản."
        } else {
            do { number = try DocumentNumber.parse(rawNumber) } catch {
                errors["number_notation"] = "Số, ký hiệu \"\(rawNumber)\" không đúng dạng, ví dụ 123/QĐ-UBND hoặc 05/UBND-VP."
            }
        }
        var type: DocumentType?
        let typeCode = FormText.clean(self.typeCode)
        if typeCode.isEmpty {
            type = number?.type ?? .officialLetter
        } else if let chosen = DocumentType.byCode(typeCode) {
            type = chosen
            if let number, let numbered = number.type, numbered != chosen, chosen.abbreviation != nil {
                errors["type_code"] = "Ký hiệu \(number.notation) là của \(numbered.name), không khớp loại văn bản \(chosen.name)."
            }
        } else {
            errors["type_code"] = "Loại văn bản không hợp lệ."
        }

        let arrival = FormText.clean(arrivalDate).isEmpty ? today : LocalDate(iso: FormText.clean(arrivalDate))
        if arrival == nil { errors["arrival_date"] = "Ngày đến không hợp lệ (dạng năm-tháng-ngày)." }
        if let arrival, arrival > today { errors["arrival_date"] = "Ngày đến không thể sau hôm nay." }

        let issued = LocalDate(iso: FormText.clean(issuedDate))
        if FormText.clean(issuedDate).isEmpty {
            errors["issued_date"] = "Cần nhập ngày ban hành."
        } else if issued == nil {
            errors["issued_date"] = "Ngày ban hành không hợp lệ (dạng năm-tháng-ngày)."
        } else if let issued, let arrival, issued > arrival {
            errors["issued_date"] = "Ngày ban hành không thể sau ngày đến."
        }
        if let issued, let number, let year = number.year, year != issued.year {
            errors["number_notation"] = "Năm trong số, ký hiệu (\(year)) khác năm ban hành (\(issued.year))."
        }

        let subject = FormText.clean(self.subject)
        if subject.isEmpty { errors["subject"] = "Cần nhập trích yếu nội dung." }
        if subject.count > Self.subjectLimit { errors["subject"] = "Trích yếu dài tối đa \(Self.subjectLimit) ký tự (đang có \(subject.count))." }
        let signerName = FormText.clean(self.signerName)
        let signerPosition = FormText.clean(self.signerPosition)
        if signerName.count > 255 { errors["signer_name"] = "Tên người ký dài tối đa 255 ký tự." }
        if signerPosition.count > 255 { errors["signer_position"] = "Chức vụ người ký dài tối đa 255 ký tự." }

        let urgencyText = FormText.clean(self.urgency)
        let urgency = urgencyText.isEmpty ? Urgency.normal : Urgency(rawValue: urgencyText)
        if urgency == nil { errors["urgency"] = "Độ khẩn không hợp lệ." }
        let confidentialityText = FormText.clean(self.confidentiality)
        let confidentiality = confidentialityText.isEmpty ? Confidentiality.normal : Confidentiality(rawValue: confidentialityText)
        if confidentiality == nil { errors["confidentiality"] = "Độ mật không hợp lệ." }

        let pageText = FormText.clean(self.pageCount)
        let pageCount = pageText.isEmpty ? 1 : Int(pageText)
        if pageCount == nil || !(1...100_000).contains(pageCount!) { errors["page_count"] = "Số trang phải là số nguyên từ 1." }

        var due: LocalDate?
        let dueText = FormText.clean(dueDate)
        if !dueText.isEmpty {
            due = LocalDate(iso: dueText)
            if due == nil { errors["due_date"] = "Hạn trả lời không hợp lệ (dạng năm-tháng-ngày)." }
        }

        guard errors.isEmpty, let number, let type, let issued, let arrival, let urgency, let confidentiality, let pageCount else {
            throw EGovError.invalid(errors)
        }
        return Valid(senderAgencyCode: senderCode.isEmpty ? nil : senderCode, senderName: senderName, number: number, type: type,
                     issuedDate: issued, subject: subject, signerName: signerName, signerPosition: signerPosition,
                     urgency: urgency, confidentiality: confidentiality, pageCount: pageCount, dueDate: due, arrivalDate: arrival)
    }
}

/// The fields a move of an incoming document may carry, from forms and JSON alike; each
/// move reads the ones it needs. Ids arrive as text; a deadline as a number or text.
struct IncomingMoveInput: Content {
    var leaderID: String?
    var leadUnitID: String?
    var cooperatingUnitIDs: [String]?
    var assigneeID: String?
    /// A deadline as a number of working days from today…
    var deadlineWorkingDays: String?
    /// …or as a date.
    var deadline: String?
    var note: String?
    /// When finishing: the outgoing document that answered it.
    var replyDocumentID: String?

    enum CodingKeys: String, CodingKey {
        case leaderID = "leader_id", leadUnitID = "lead_unit_id", cooperatingUnitIDs = "cooperating_unit_ids", assigneeID = "assignee_id"
        case deadlineWorkingDays = "deadline_working_days", deadline, note, replyDocumentID = "reply_document_id"
    }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        leaderID = c.lenientText(.leaderID)
        leadUnitID = c.lenientText(.leadUnitID)
        cooperatingUnitIDs = c.lenientList(.cooperatingUnitIDs)
        assigneeID = c.lenientText(.assigneeID)
        deadlineWorkingDays = c.lenientText(.deadlineWorkingDays)
        deadline = c.lenientText(.deadline)
        note = c.lenientText(.note)
        replyDocumentID = c.lenientText(.replyDocumentID)
    }

    struct Direction: Sendable {
        var leadUnitID: UUID
        var cooperatingUnitIDs: [UUID]
        var assigneeID: UUID?
        var deadline: LocalDate?
        var note: String
    }

    /// The leader's direction: lead unit, cooperating units, optional handler and deadline.
    func validateDirection(today: LocalDate, calendar: WorkingDayCalendar) throws -> Direction {
        var errors: [String: String] = [:]
        let lead = UUID(uuidString: FormText.clean(leadUnitID))
        if lead == nil { errors["lead_unit_id"] = "Cần chọn đơn vị chủ trì." }
        var cooperating: [UUID] = []
        for raw in cooperatingUnitIDs ?? [] where !FormText.clean(raw).isEmpty {
            guard let id = UUID(uuidString: FormText.clean(raw)) else { errors["cooperating_unit_ids"] = "Đơn vị phối hợp không hợp lệ."; continue }
            if id != lead, !cooperating.contains(id) { cooperating.append(id) }
        }
        var assignee: UUID?
        if !FormText.clean(assigneeID).isEmpty {
            assignee = UUID(uuidString: FormText.clean(assigneeID))
            if assignee == nil { errors["assignee_id"] = "Người xử lý không hợp lệ." }
        }
        var deadline: LocalDate?
        let days = FormText.clean(deadlineWorkingDays)
        let date = FormText.clean(self.deadline)
        if !days.isEmpty {
            if let count = Int(days), (1...365).contains(count) {
                deadline = calendar.addWorkingDays(count, to: today)
            } else {
                errors["deadline_working_days"] = "Thời hạn phải là số ngày làm việc từ 1 đến 365."
            }
        } else if !date.isEmpty {
            if let parsed = LocalDate(iso: date) {
                if parsed < today { errors["deadline"] = "Hạn xử lý không thể trước hôm nay." }
                deadline = parsed
            } else {
                errors["deadline"] = "Hạn xử lý không hợp lệ (dạng năm-tháng-ngày)."
            }
        }
        let note = FormText.clean(self.note)
        if note.count > 2000 { errors["note"] = "Ý kiến chỉ đạo dài tối đa 2000 ký tự." }
        guard errors.isEmpty, let lead else { throw EGovError.invalid(errors) }
        return Direction(leadUnitID: lead, cooperatingUnitIDs: cooperating, assigneeID: assignee, deadline: deadline, note: note)
    }
}
