import EGovCore

// What people read for the work-file capability's codes, in one place.

extension WorkFileState {
    var label: String {
        switch self {
        case .open: "Đang mở"
        case .closed: "Đã đóng"
        case .archived: "Đã nộp lưu"
        }
    }
}

extension WorkFileMove {
    /// The button people press.
    var label: String {
        switch self {
        case .close: "Đóng hồ sơ"
        case .reopen: "Mở lại hồ sơ"
        case .archive: "Nộp lưu trữ"
        }
    }
    /// The move inside a sentence ("không thể … hồ sơ").
    var verbPhrase: String {
        switch self {
        case .close: "đóng"
        case .reopen: "mở lại"
        case .archive: "nộp lưu"
        }
    }
    var auditAction: String { "workfile.\(rawValue)" }
}

extension RetentionPeriod {
    /// "10 năm", "Vĩnh viễn"
    var label: String {
        switch self {
        case .years(let years): "\(years) năm"
        case .permanent: "Vĩnh viễn"
        }
    }
}

extension WorkFileItem.Kind {
    /// As the file's table of contents marks it.
    var label: String {
        switch self {
        case .incoming: "Đến"
        case .outgoing: "Đi"
        }
    }
}
