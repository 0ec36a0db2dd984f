/// What the admin page calls states and kinds.
enum JobLabels {
    static func state(_ raw: String) -> String {
        switch Job.State(rawValue: raw) {
        case .waiting: "Chờ chạy"
        case .running: "Đang chạy"
        case .succeeded: "Đã xong"
        case .failed: "Thất bại"
        case nil: raw
        }
    }

    static func kind(_ raw: String) -> String {
        switch raw {
        case AttachmentTextJob.kind: "Đọc nội dung tệp PDF"
        case ApplicantMessageJob.kind: "Gửi thư điện tử, tin nhắn cho người dân"
        default: raw
        }
    }
}
