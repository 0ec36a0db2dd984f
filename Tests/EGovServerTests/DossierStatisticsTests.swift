import EGovCore
import Fluent
import SQLKit
import XCTest
import XCTVapor
import NIOConcurrencyHelpers
@testable import EGovServer

/// Statistics per agency and field, from a small set of dossiers whose outcome is known.
final class DossierStatisticsTests: DossierOutcomeTestCase {
    override func setUp() async throws {
        try await super.setUp()
        // Each check reads the tallies afresh; the cache has its own test.
        app.settings.statisticsCacheSeconds = 0
    }

    /// Quảng Ninh: 4 dossiers in March 2026 (1 refused at the counter, 1 accepted and waiting,
    /// 1 online finished early and rated, 1 online late by two supplement requests).
    /// Đồng Tháp: 1 counter dossier finished the day it came, and 1 from December 2025.
    func seedKnownSet() async throws {
        let quangNinh = try await quickProcedure("1.000050", field: "Hộ tịch")
        let dongThap = try await quickProcedure("1.000060", field: "Quy hoạch", admin: "dongthap.quantri")

        clock.now = vietnamTime("2025-12-30", 9, 0)
        _ = try await enterAtCounter(dongThap, clerk: "dongthap.vanthu", name: "Nguyễn Văn Cũ", phone: "0977000001", identity: "087090000001")
        clock.now = vietnamTime("2026-03-02", 9, 0)

        let refused = try await enterAtCounter(quangNinh, name: "Phạm Văn Từ", phone: "0977000002", identity: "022090000002")
        try await officer("refuse", refused.id, json: ["reason": "Không thuộc thẩm quyền."])
        let waiting = try await enterAtCounter(quangNinh, name: "Lê Thị Chờ", phone: "0977000003", identity: "022090000003")
        try await officer("accept", waiting.id)
        let early = try await submitOnline(quangNinh)
        let late = try await submitOnline(quangNinh)
        for dossier in [early, late] {
            try await officer("accept", dossier.id)
            try await officer("hand-over", dossier.id)
        }
        for reason in ["Bổ sung bản sao giấy khai sinh.", "Bổ sung xác nhận cư trú."] {
            try await officer("request-supplement", late.id, json: ["reason": reason])
            try await supplement(late.id)
        }
        clock.advance(2 * 86_400) // Wednesday 4 March: two working days after acceptance
        let finishedEarly = try await officer("hand-over", early.id)
        XCTAssertEqual(finishedEarly.timeliness, "early")
        try await returnResult(early.id)
        let rated = try await api(.POST, "/api/v1/portal/dossiers/\(early.id)/rating", as: try await demoApplicantToken(), json: [
            "processing_time": "3", "contacts": "3", "agencies": "2", "attitude": "3", "feedback_handling": "1",
        ])
        XCTAssertEqual(rated.status, .created, rated.body)
        clock.advance(2 * 86_400) // Friday 6 March: four working days
        let finishedLate = try await officer("hand-over", late.id)
        XCTAssertEqual(finishedLate.timeliness, "late")

        let sameDay = try await enterAtCounter(dongThap, clerk: "dongthap.vanthu", name: "Võ Thị Nhanh", phone: "0977000004", identity: "087090000004")
        try await acceptAndFinish(sameDay.id, clerk: "dongthap.vanthu")
    }

    func statistics(_ query: String = "") async throws -> StatisticsDTO {
        let res = try await api(.GET, "/api/v1/statistics/dossiers\(query)", as: nil)
        XCTAssertEqual(res.status, .ok, res.body)
        return try res.json(StatisticsDTO.self)
    }

    func test_countsPerAgencyAndField_onTimeRate_processingDays_onlineShare_andSatisfaction() async throws {
        try await seedKnownSet()
        let stats = try await statistics()
        XCTAssertEqual([stats.from, stats.to], ["2026-01-01", "2026-03-06"], "this year up to today by default")

        XCTAssertEqual(stats.agencies.map(\.key), ["000.00.00.H20", "000.00.00.H49"], "ranked by on-time rate")
        let quangNinh = stats.agencies[1]
        XCTAssertEqual(quangNinh.name, "Ủy ban nhân dân tỉnh Quảng Ninh")
        XCTAssertEqual(quangNinh.received, 4)
        XCTAssertEqual(quangNinh.byStatus, [0, 1, 1, 0, 0, 0, 0, 0, 1, 1])
        XCTAssertEqual([quangNinh.online, quangNinh.finished, quangNinh.onTime, quangNinh.late], [2, 2, 1, 1])
        XCTAssertEqual(quangNinh.onlineShare, 0.5)
        XCTAssertEqual(quangNinh.onTimeRate, 0.5)
        XCTAssertEqual(quangNinh.averageProcessingDays, 3.0, "(2 + 4) working days / 2")
        XCTAssertEqual(quangNinh.ratings, 1)
        XCTAssertEqual(quangNinh.satisfaction, [1, 1, 3])
        XCTAssertEqual(quangNinh.satisfactionAverage, 2.4, "(1 + 2 + 3 × 3) / 5")

        let dongThap = stats.agencies[0]
        XCTAssertEqual(dongThap.received, 1, "December's dossier is outside the period")
        XCTAssertEqual(dongThap.byStatus, [0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
        XCTAssertEqual([dongThap.online, dongThap.finished, dongThap.onTime, dongThap.late, dongThap.ratings], [0, 1, 1, 0, 0])
        XCTAssertEqual(dongThap.onTimeRate, 1.0)
        XCTAssertEqual(dongThap.averageProcessingDays, 0.0)
        XCTAssertNil(dongThap.satisfactionAverage)

        XCTAssertEqual(stats.fields.map(\.name), ["Hộ tịch", "Quy hoạch"])
        XCTAssertEqual(stats.fields.map(\.received), [4, 1])
        XCTAssertEqual(stats.total.received, 5)
        XCTAssertEqual([stats.total.online, stats.total.finished, stats.total.onTime, stats.total.late], [2, 3, 2, 1])
        XCTAssertEqual(stats.total.onTimeRate, 0.6667)
        XCTAssertEqual(stats.total.averageProcessingDays, 2.0)

        // One agency; a longer period.
        let one = try await statistics("?agency=000.00.00.H49")
        XCTAssertEqual(one.agencies.map(\.key), ["000.00.00.H49"])
        XCTAssertEqual(one.total.received, 4)
        let longer = try await statistics("?from=2025-12-01&to=2026-12-31")
        XCTAssertEqual(longer.agencies.first { $0.key == "000.00.00.H20" }?.byStatus.first, 1)
        XCTAssertEqual(longer.total.received, 6)
        let empty = try await statistics("?from=2024-01-01&to=2024-12-31")
        XCTAssertEqual(empty.total.received, 0)
        XCTAssertNil(empty.total.onTimeRate)

        let badDate = try await api(.GET, "/api/v1/statistics/dossiers?from=2026-13-01", as: nil)
        XCTAssertEqual(badDate.status, .badRequest)
        let backwards = try await api(.GET, "/api/v1/statistics/dossiers?from=2026-03-01&to=2026-02-01", as: nil)
        XCTAssertEqual(backwards.status, .badRequest)
        let unknownAgency = try await api(.GET, "/api/v1/statistics/dossiers?agency=999.99.99.X99", as: nil)
        XCTAssertEqual(unknownAgency.status, .badRequest)

        // The running tallies agree with a recount from the dossiers themselves.
        let all = "/api/v1/statistics/dossiers?from=2025-12-01&to=2026-12-31"
        func json(_ body: String) throws -> NSDictionary {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? NSDictionary)
        }
        let running = try json(try await api(.GET, all, as: nil).body)
        let sql = try XCTUnwrap(app.db as? SQLDatabase)
        try await sql.raw("DELETE FROM dossier_tallies").run()
        try await sql.raw("DELETE FROM dossier_rating_tallies").run()
        let wiped = try await statistics("?from=2025-12-01&to=2026-12-31")
        XCTAssertEqual(wiped.total.received, 0, "statistics read the tallies")
        let recount = try await DossierTallies.rebuild(calendar: try await CalendarService.calendar(on: app.db), on: app.db)
        XCTAssertEqual(recount.dossiers, 6)
        let rebuilt = try json(try await api(.GET, all, as: nil).body)
        XCTAssertEqual(rebuilt, running)
    }

    func test_csvAndPage_showTheSameNumbers_withAccessibleCharts() async throws {
        try await seedKnownSet()
        let csv = try await browser().get("/portal/statistics.csv?from=2026-01-01&to=2026-12-31")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertEqual(csv.headers.contentType?.subType, "csv")
        let lines = csv.body.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1 + 2 + 2 + 1, "header, two agencies, two fields, total")
        XCTAssertTrue(lines[0].hasPrefix("Nhóm,Mã,Tên,Tiếp nhận,1. Mới tiếp nhận,2. Đã tiếp nhận,3. Không tiếp nhận"), lines[0])
        XCTAssertTrue(lines.contains("Cơ quan,000.00.00.H49,Ủy ban nhân dân tỉnh Quảng Ninh,4,0,1,1,0,0,0,0,0,1,1,2,50.0,2,1,1,50.0,3.0,1,1,1,3,2.40"),
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("Lĩnh vực,Hộ tịch,Hộ tịch,4,") })
        XCTAssertTrue(lines.last!.hasPrefix("Tổng cộng,total,Tổng cộng,5,"))
        let sameCSV = try await api(.GET, "/api/v1/statistics/dossiers?from=2026-01-01&to=2026-12-31&format=csv", as: nil)
        XCTAssertEqual(sameCSV.body, csv.body)
        let pageCSV = try await browser().get("/portal/statistics?from=2026-01-01&to=2026-12-31&format=csv")
        XCTAssertEqual(pageCSV.body, csv.body)

        let page = try await browser().get("/portal/statistics")
        XCTAssertEqual(page.status, .ok)
        let body = page.body
        XCTAssertEqual(body.components(separatedBy: "<svg").count - 1, 3, "status bars, on-time rate per agency, satisfaction")
        XCTAssertTrue(body.contains("<title id=\"status-chart-title\">Số hồ sơ theo trạng thái</title>"))
        XCTAssertTrue(body.contains("<desc id=\"on-time-chart-desc\">"))
        XCTAssertEqual(body.components(separatedBy: "class=\"chart-bar\"").count - 1, 10, "one bar per status")
        XCTAssertEqual(body.components(separatedBy: "class=\"chart-bar chart-bar-ok\"").count - 1, 2, "one bar per agency")
        // The longest bar is the widest; a status without dossiers has no length.
        XCTAssertTrue(body.contains("<title>1. Mới tiếp nhận: 0</title>"))
        XCTAssertTrue(body.contains("<title>Ủy ban nhân dân tỉnh Đồng Tháp: 100,0 %</title>"))
        XCTAssertTrue(body.contains("<title>Ủy ban nhân dân tỉnh Quảng Ninh: 50,0 %</title>"))
        XCTAssertTrue(body.contains("<title>Rất hài lòng: 3 (60,0 %)</title>"))
        XCTAssertTrue(body.contains("<dt>Tỷ lệ đúng hạn</dt><dd>66,7 %</dd>"))
        XCTAssertTrue(body.contains("href=\"/portal/statistics.csv?from=2026-01-01&amp;to=2026-03-06\"") || body.contains("href=\"/portal/statistics.csv?from=2026-01-01&to=2026-03-06\""))

        let filtered = try await browser().get("/portal/statistics?agency=000.00.00.H20")
        XCTAssertTrue(filtered.body.contains("<option value=\"000.00.00.H20\" selected>"))
        XCTAssertFalse(filtered.body.contains("<title>Ủy ban nhân dân tỉnh Quảng Ninh: 50,0 %</title>"))
        XCTAssertTrue(filtered.body.contains("Chưa có đánh giá nào"))
    }

    func test_aPeriodsStatisticsAreKeptForTheCacheTimeThenReadAgain() async throws {
        app.settings.statisticsCacheSeconds = 60
        let procedure = try await quickProcedure("1.000050", field: "Hộ tịch")
        let period = "?from=2026-03-01&to=2026-03-31"
        _ = try await enterAtCounter(procedure, name: "Phạm Văn Một", phone: "0977000011", identity: "022090000011")
        let first = try await statistics(period)
        XCTAssertEqual(first.total.received, 1)

        _ = try await enterAtCounter(procedure, name: "Phạm Văn Hai", phone: "0977000012", identity: "022090000012")
        let cached = try await statistics(period)
        XCTAssertEqual(cached.total.received, 1, "within the minute the period is served from memory")
        let otherPeriod = try await statistics("?from=2026-03-02&to=2026-03-31")
        XCTAssertEqual(otherPeriod.total.received, 2, "another period is read afresh")

        clock.advance(61)
        let later = try await statistics(period)
        XCTAssertEqual(later.total.received, 2, "after the cache time the tallies are read again")
    }

    func test_readersArrivingTogetherOnAMissShareOneRead() async throws {
        let cache = StatisticsCache()
        let reads = NIOLockedValueBox(0)
        let period = DossierStatistics.Filter(from: LocalDate(iso: "2026-03-01")!, to: LocalDate(iso: "2026-03-31")!, agency: nil)
        let empty = StatisticsDTO(DossierStatistics.Result(filter: period, agencies: [], fields: [], total: .init()))
        let now = Date(timeIntervalSince1970: 1_772_419_500)
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await cache.statistics(for: "2026-03", now: now, maxAge: 60) {
                        reads.withLockedValue { $0 += 1 }
                        try await Task.sleep(nanoseconds: 200_000_000)
                        return empty
                    }.from
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(answers, Array(repeating: "2026-03-01", count: 8))
        XCTAssertEqual(reads.withLockedValue { $0 }, 1, "one read for eight readers")
        _ = try await cache.statistics(for: "2026-03", now: now.addingTimeInterval(61), maxAge: 60) {
            reads.withLockedValue { $0 += 1 }
            return empty
        }
        XCTAssertEqual(reads.withLockedValue { $0 }, 2, "read again once the minute has passed")
    }

    func test_pageModel_scalesBarsToTheLargestValue() {
        let chart = BarChart(id: "c", title: "t", desc: "d", bars: [("A", 10, "10"), ("B", 5, "5"), ("C", 0, "0")], maximum: 10)
        XCTAssertEqual(chart.bars.map(\.width), [BarChart.plotWidth, BarChart.plotWidth / 2, 0])
        XCTAssertEqual(chart.bars.map(\.widthPercent), ["78.0%", "39.0%", "0.0%"], "the longest bar leaves room for its value")
        XCTAssertEqual(chart.bars.map(\.barY), [22, 68, 114], "one row per bar: its label above it")
        XCTAssertEqual(chart.height, 3 * BarChart.rowHeight + 6)
        let stacked = StackedBar(id: "s", title: "t", desc: "d", segments: [("x", 1), ("y", 1), ("z", 1)])
        XCTAssertEqual(stacked.segments.map(\.width).reduce(0, +), StackedBar.barWidth, "the parts fill the bar exactly")
        XCTAssertEqual(stacked.segments.map(\.xPercent), ["0.0%", "33.3%", "66.6%"])
        XCTAssertEqual(stacked.segments.map(\.legendY), [46, 70, 94], "one legend line a part: fits a phone")
        XCTAssertEqual(StatisticsFormat.percent(2.0 / 3.0), "66,7 %")
    }
}
