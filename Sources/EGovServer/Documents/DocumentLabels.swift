import EGovCore

// What people read for the documents capability's codes, in one place.

extension IncomingDocumentState {
    var label: String {
        switch self {
        case .registered: "Đã vào sổ"
        case .presented: "Đã trình lãnh đạo"
        case .directed: "Đã có ý kiến chỉ đạo"
        case .assigned: "Đã giao xử lý"
        case .inProgress: "Đang xử lý"
        case .done: "Đã hoàn thành"
        case .returned: "Bị trả lại"
        case .withdrawn: "Đã thu hồi"
        }
    }
}

extension IncomingDocumentMove {
    /// The button people press.
    var label: String {
        switch self {
        case .present: "Trình lãnh đạo"
        case .direct: "Chỉ đạo xử lý"
        case .assign: "Giao chuyên viên"
        case .recordProgress: "Cập nhật tiến độ"
        case .finish: "Hoàn thành"
        case .sendBack: "Trả lại"
        case .withdraw: "Thu hồi"
        }
    }
    /// The same move as a verb phrase inside a sentence ("không thể … văn bản").
    var verbPhrase: String {
        switch self {
        case .present: "trình"
        case .direct: "chỉ đạo"
        case .assign: "giao xử lý"
        case .recordProgress: "cập nhật tiến độ"
        case .finish: "hoàn thành"
        case .sendBack: "trả lại"
        case .withdraw: "thu hồi"
        }
    }
    /// The action name in the audit log and the document's history.
    var auditAction: String { "incoming.\(rawValue)" }
}

extension Urgency {
    var label: String {
        switch self {
        case .normal: "Thường"
        case .urgent: "Khẩn"
        case .veryUrgent: "Thượng khẩn"
        case .flash: "Hỏa tốc"
        }
    }
}

extension Confidentiality {
    var label: String {
        switch self {
        case .normal: "Thường"
        case .confidential: "Mật"
        case .secret: "Tối mật"
        case .topSecret: "Tuyệt mật"
        }
    }
}

extension DeadlineStatus {
    var label: String {
        switch self {
        case .overdue: "Quá hạn"
        case .dueSoon: "Sắp đến hạn"
        case .onTrack: "Trong hạn"
        }
    }
}

extension LocalDate {
    /// "dd/MM/yyyy", as Vietnamese forms print dates.
    var vietnamese: String { String(format: "%02d/%02d/%04d", day, month, year) }
}
