import EGovCore

// What citizens and officers read for the catalogue's coded values.

extension OnlineLevel {
    var label: String {
        switch self {
        case .full: "Toàn trình"
        case .partial: "Một phần"
        case .none: "Không trực tuyến"
        }
    }
}

extension ImplementingLevel {
    var label: String {
        switch self {
        case .central: "Cấp Trung ương"
        case .province: "Cấp tỉnh"
        case .district: "Cấp huyện"
        case .commune: "Cấp xã"
        }
    }
}

extension SubmissionChannel {
    var label: String {
        switch self {
        case .inPerson: "Trực tiếp"
        case .online: "Trực tuyến"
        case .post: "Dịch vụ bưu chính công ích"
        }
    }
}

extension ProcedureStatus {
    var label: String {
        switch self {
        case .active: "Đang áp dụng"
        case .suspended: "Tạm ngưng"
        case .abolished: "Đã bãi bỏ"
        }
    }
}
