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

    /// An ISO date as forms print it; "" when there is none.
    static func vietnamese(iso: String?) -> String {
        iso.flatMap(LocalDate.init(iso:))?.vietnamese ?? ""
    }
}

extension OutgoingDocumentState {
    var label: String {
        switch self {
        case .draft: "Dự thảo"
        case .inReview: "Chờ duyệt"
        case .approved: "Chờ ký"
        case .returned: "Bị trả lại"
        case .signed: "Đã ký, chờ phát hành"
        case .issued: "Đã phát hành"
        case .withdrawn: "Đã hủy"
        }
    }
}

extension OutgoingDocumentMove {
    var label: String {
        switch self {
        case .submit: "Trình duyệt"
        case .approve: "Duyệt"
        case .sendBack: "Trả lại"
        case .sign: "Ký số"
        case .issue: "Cấp số, phát hành"
        case .withdraw: "Hủy dự thảo"
        }
    }
    var verbPhrase: String {
        switch self {
        case .submit: "trình duyệt"
        case .approve: "duyệt"
        case .sendBack: "trả lại"
        case .sign: "ký"
        case .issue: "phát hành"
        case .withdraw: "hủy"
        }
    }
    var auditAction: String { "outgoing.\(rawValue)" }
}
