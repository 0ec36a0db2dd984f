import EGovCore

// What officers and applicants read for a dossier's moves.

extension DossierMove {
    var label: String {
        switch self {
        case .accept: "tiếp nhận"
        case .refuse: "từ chối tiếp nhận"
        case .startProcessing: "chuyển xử lý"
        case .handOver: "chuyển bước xử lý tiếp theo"
        case .requestSupplement: "yêu cầu bổ sung"
        case .supplement: "bổ sung hồ sơ"
        case .requestFees: "yêu cầu thực hiện nghĩa vụ tài chính"
        case .recordPayment: "ghi nhận đã nộp phí, lệ phí"
        case .withdraw: "rút hồ sơ"
        case .stop: "dừng xử lý"
        case .finish: "hoàn thành xử lý"
        case .returnResult: "trả kết quả"
        }
    }
}

extension SubmissionChannel {
    /// "Trực tuyến" for a dossier's channel line.
    var dossierLabel: String { label }
}
