import EGovCore
import Fluent
import Vapor

/// One group of the statistics as the API and the CSV give it.
struct StatisticsRowDTO: Content, Equatable {
    let key: String
    let name: String
    let received: Int
    /// Index 0 is status 1 (mới tiếp nhận) … index 9 status 10 (đã trả kết quả).
    let byStatus: [Int]
    let online: Int
    let onlineShare: Double?
    let finished: Int
    let onTime: Int
    let late: Int
    let onTimeRate: Double?
    let averageProcessingDays: Double?
    let ratings: Int
    /// Answers per level over every criterion: [không hài lòng, hài lòng, rất hài lòng].
    let satisfaction: [Int]
    let satisfactionAverage: Double?

    enum CodingKeys: String, CodingKey {
        case key, name, received, online, finished, late, ratings, satisfaction
        case byStatus = "by_status", onlineShare = "online_share", onTime = "on_time", onTimeRate = "on_time_rate"
        case averageProcessingDays = "average_processing_days", satisfactionAverage = "satisfaction_average"
    }

    init(key: String, name: String, _ tally: DossierStatistics.Tally) {
        func rounded(_ value: Double?) -> Double? { value.map { ($0 * 10_000).rounded() / 10_000 } }
        self.key = key
        self.name = name
        received = tally.received
        byStatus = tally.byStatus
        online = tally.online
        onlineShare = rounded(StatisticsRates.online(tally))
        finished = tally.finished
        onTime = tally.onTime
        late = tally.late
        onTimeRate = rounded(StatisticsRates.onTime(tally))
        averageProcessingDays = rounded(StatisticsRates.processingDays(tally))
        ratings = tally.ratings
        satisfaction = tally.satisfaction.counts
        satisfactionAverage = rounded(tally.satisfaction.average)
    }
}

struct StatisticsDTO: Content {
    let from: String
    let to: String
    let agency: String?
    let total: StatisticsRowDTO
    /// Ranked by on-time rate, then satisfaction.
    let agencies: [StatisticsRowDTO]
    let fields: [StatisticsRowDTO]

    init(_ result: DossierStatistics.Result) {
        from = result.filter.from.iso
        to = result.filter.to.iso
        agency = result.filter.agency?.code
        total = StatisticsRowDTO(key: "total", name: "Tổng cộng", result.total)
        agencies = result.agencies.map { StatisticsRowDTO(key: $0.agency.code, name: $0.agency.name, $0.tally) }
        fields = result.fields.map { StatisticsRowDTO(key: $0.field, name: $0.field.isEmpty ? "Chưa phân lĩnh vực" : $0.field, $0.tally) }
    }

    static let csvHeader = ["Nhóm", "Mã", "Tên", "Tiếp nhận"] + DossierStatus.allCases.map { "\($0.rawValue). \($0.label)" }
        + ["Trực tuyến", "Tỷ lệ trực tuyến (%)", "Đã giải quyết", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn (%)", "Số ngày xử lý bình quân",
           "Lượt đánh giá"] + SatisfactionLevel.allCases.map(\.label) + ["Mức hài lòng bình quân (1-3)"]

    var csv: String {
        func number(_ value: Double?, percent: Bool = false) -> String {
            value.map { String(format: "%.1f", percent ? $0 * 100 : $0) } ?? ""
        }
        func line(_ group: String, _ row: StatisticsRowDTO) -> [String] {
            [group, row.key, row.name, String(row.received)] + row.byStatus.map(String.init)
                + [String(row.online), number(row.onlineShare, percent: true), String(row.finished), String(row.onTime), String(row.late),
                   number(row.onTimeRate, percent: true), number(row.averageProcessingDays), String(row.ratings)]
                + row.satisfaction.map(String.init) + [row.satisfactionAverage.map { String(format: "%.2f", $0) } ?? ""]
        }
        let rows = agencies.map { line("Cơ quan", $0) } + fields.map { line("Lĩnh vực", $0) } + [line("Tổng cộng", total)]
        return CSV.document(header: Self.csvHeader, rows: rows)
    }
}

/// `GET /api/v1/statistics/dossiers?from=&to=&agency=`: public, no sign-in; `format=csv` for CSV.
struct DossierStatisticsAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("statistics", "dossiers") { req async throws -> Response in
            let statistics = try await DossierStatisticsPages.statistics(req)
            if req.query[String.self, at: "format"] == "csv" { return DossierStatisticsPages.csv(statistics) }
            return try await statistics.encodeResponse(for: req)
        }
    }
}
