import EGovCore
import Foundation

/// What `portal-statistics.leaf` shows: the filters, the tables and the geometry of its SVG
/// charts, drawn on the server (no script). Every number of a chart is also in a table.
struct StatisticsPageModel: Encodable {
    struct AgencyOption: Encodable {
        let code: String
        let name: String
        let selected: Bool
    }

    /// One line of a table, numbers written the Vietnamese way.
    struct Row: Encodable {
        /// Place in the ranking (agencies), or in the list.
        var rank = 0
        let key: String
        let name: String
        let received: Int
        let byStatus: [Int]
        /// Không tiếp nhận (status 3).
        let refused: Int
        let online: Int
        let onlineShare: String
        let finished: Int
        let onTime: Int
        let late: Int
        let onTimeRate: String
        let averageDays: String
        let ratings: Int
        let satisfactionAverage: String

        init(_ row: StatisticsRowDTO) {
            key = row.key
            name = row.name
            received = row.received
            byStatus = row.byStatus
            refused = row.byStatus[DossierStatus.notAccepted.rawValue - 1]
            online = row.online
            onlineShare = StatisticsFormat.percent(row.onlineShare)
            finished = row.finished
            onTime = row.onTime
            late = row.late
            onTimeRate = StatisticsFormat.percent(row.onTimeRate)
            averageDays = StatisticsFormat.decimal(row.averageProcessingDays)
            ratings = row.ratings
            satisfactionAverage = StatisticsFormat.decimal(row.satisfactionAverage, digits: 2)
        }
    }

    struct StatusCount: Encodable {
        let status: Int
        let label: String
        let count: Int
    }

    struct LevelShare: Encodable {
        let label: String
        let count: Int
        let share: String
    }

    let from: String
    let to: String
    let fromLabel: String
    let toLabel: String
    let agencyCode: String
    let agencyOptions: [AgencyOption]
    let csvURL: String
    let apiURL: String
    let total: Row
    let agencies: [Row]
    let fields: [Row]
    let statuses: [StatusCount]
    let levels: [LevelShare]
    let statusChart: BarChart
    let onTimeChart: BarChart
    let satisfactionChart: StackedBar

    init(_ statistics: StatisticsDTO, agencies options: [(code: String, name: String)]) {
        from = statistics.from
        to = statistics.to
        let (fromLabel, toLabel) = (LocalDate(iso: statistics.from)?.vietnamese ?? statistics.from, LocalDate(iso: statistics.to)?.vietnamese ?? statistics.to)
        self.fromLabel = fromLabel
        self.toLabel = toLabel
        agencyCode = statistics.agency ?? ""
        agencyOptions = options.map { AgencyOption(code: $0.code, name: $0.name, selected: $0.code == statistics.agency) }
        let query = "from=\(statistics.from)&to=\(statistics.to)" + (statistics.agency.map { "&agency=\($0)" } ?? "")
        csvURL = "/portal/statistics.csv?\(query)"
        apiURL = "/api/v1/statistics/dossiers?\(query)"
        total = Row(statistics.total)
        agencies = statistics.agencies.enumerated().map { index, row in
            var line = Row(row)
            line.rank = index + 1
            return line
        }
        fields = statistics.fields.map(Row.init)
        let statuses = DossierStatus.allCases.map { StatusCount(status: $0.rawValue, label: $0.label, count: statistics.total.byStatus[$0.rawValue - 1]) }
        self.statuses = statuses
        let tally = SatisfactionTally(counts: statistics.total.satisfaction)
        levels = SatisfactionLevel.allCases.map {
            LevelShare(label: $0.label, count: tally.count($0), share: StatisticsFormat.percent(tally.total == 0 ? nil : tally.share($0)))
        }
        statusChart = BarChart(
            id: "status-chart", title: "Số hồ sơ theo trạng thái",
            desc: "Biểu đồ cột ngang: số hồ sơ nộp từ \(fromLabel) đến \(toLabel) ở mỗi trạng thái. Số liệu có trong bảng bên dưới.",
            bars: statuses.map { (label: "\($0.status). \($0.label)", value: Double($0.count), valueLabel: String($0.count)) },
            maximum: Double(statuses.map(\.count).max() ?? 0))
        let ranked = statistics.agencies.filter { $0.onTimeRate != nil }
        onTimeChart = BarChart(
            id: "on-time-chart", title: "Tỷ lệ giải quyết đúng hạn theo cơ quan",
            desc: "Biểu đồ cột ngang: tỷ lệ hồ sơ giải quyết đúng hạn (sớm hoặc đúng hạn trên tổng số đã giải quyết) của mỗi cơ quan, xếp hạng từ cao xuống thấp.",
            bars: ranked.map { (label: $0.name, value: ($0.onTimeRate ?? 0) * 100, valueLabel: StatisticsFormat.percent($0.onTimeRate)) },
            maximum: 100)
        satisfactionChart = StackedBar(
            id: "satisfaction-chart", title: "Mức độ hài lòng",
            desc: "Biểu đồ thanh xếp chồng: tỷ lệ câu trả lời Không hài lòng, Hài lòng, Rất hài lòng trên mọi tiêu chí đánh giá.",
            segments: SatisfactionLevel.allCases.map { (label: $0.label, count: tally.count($0)) })
    }
}

/// A horizontal bar chart drawn in CSS pixels (no viewBox), so its text keeps its size at any
/// screen width: per row, the label on its own line, then the bar (a percentage of the chart's
/// width) and its value after it.
struct BarChart: Encodable {
    struct Bar: Encodable {
        let label: String
        /// The label cut to fit a phone's width; the whole one is in the bar's tooltip and the table.
        let shortLabel: String
        let valueLabel: String
        let labelY: Int
        let barY: Int
        let textY: Int
        /// Length in thousandths of `plotWidth`; `widthPercent` is the same as an SVG length.
        let width: Int
        let widthPercent: String
    }

    /// The longest bar takes this share of the chart, leaving room for its value label.
    static let plotWidth = 1000
    static let plotShare = 78.0
    static let rowHeight = 46
    static let labelLength = 40

    let id: String
    let title: String
    let desc: String
    let height: Int
    let axisHeight: Int
    let bars: [Bar]

    init(id: String, title: String, desc: String, bars: [(label: String, value: Double, valueLabel: String)], maximum: Double) {
        self.id = id
        self.title = title
        self.desc = desc
        height = max(1, bars.count) * Self.rowHeight + 6
        axisHeight = height - 2
        self.bars = bars.enumerated().map { index, bar in
            let top = index * Self.rowHeight
            let length = maximum > 0 ? Int((bar.value / maximum * Double(Self.plotWidth)).rounded()) : 0
            return Bar(label: bar.label, shortLabel: StatisticsFormat.cut(bar.label, to: Self.labelLength), valueLabel: bar.valueLabel,
                       labelY: top + 16, barY: top + 22, textY: top + 37, width: length,
                       widthPercent: StatisticsFormat.svgPercent(Double(length) / Double(Self.plotWidth) * Self.plotShare))
        }
    }
}

/// One bar split into the shares of its parts (percentages of the chart's width), with a legend
/// underneath, one line a part so it fits a phone.
struct StackedBar: Encodable {
    struct Segment: Encodable {
        let label: String
        let count: Int
        let share: String
        let tone: Int
        /// Start and length in thousandths of the bar; as SVG lengths in `xPercent`/`widthPercent`.
        let x: Int
        let width: Int
        let xPercent: String
        let widthPercent: String
        let legendY: Int
        let legendTextY: Int
    }

    static let barWidth = 1000
    static let legendTop = 46
    static let legendLine = 24

    let id: String
    let title: String
    let desc: String
    let height: Int
    let total: Int
    let segments: [Segment]

    init(id: String, title: String, desc: String, segments parts: [(label: String, count: Int)]) {
        self.id = id
        self.title = title
        self.desc = desc
        total = parts.reduce(0) { $0 + $1.count }
        height = Self.legendTop + parts.count * Self.legendLine
        var x = 0
        var segments: [Segment] = []
        for (index, part) in parts.enumerated() {
            let length = total == 0 ? 0 : Int((Double(part.count) / Double(total) * Double(Self.barWidth)).rounded())
            let clipped = index == parts.count - 1 && total > 0 ? Self.barWidth - x : min(length, Self.barWidth - x)
            let legendY = Self.legendTop + index * Self.legendLine
            segments.append(Segment(label: part.label, count: part.count, share: StatisticsFormat.percent(total == 0 ? nil : Double(part.count) / Double(total)),
                                    tone: index + 1, x: x, width: clipped,
                                    xPercent: StatisticsFormat.svgPercent(Double(x) / 10), widthPercent: StatisticsFormat.svgPercent(Double(clipped) / 10),
                                    legendY: legendY, legendTextY: legendY + 12))
            x += clipped
        }
        self.segments = segments
    }
}

/// Numbers as Vietnamese readers write them: a decimal comma.
enum StatisticsFormat {
    static func decimal(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "—" }
        return String(format: "%.\(digits)f", value).replacingOccurrences(of: ".", with: ",")
    }

    static func percent(_ share: Double?) -> String {
        share.map { decimal($0 * 100) + " %" } ?? "—"
    }

    /// An SVG length in percent, with a decimal point (SVG is not localised): "39.5%".
    static func svgPercent(_ value: Double) -> String {
        String(format: "%.1f%%", max(0, min(100, value)))
    }

    static func cut(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}

struct StatisticsPage: Encodable {
    let shell: PortalShell
    let model: StatisticsPageModel
}
