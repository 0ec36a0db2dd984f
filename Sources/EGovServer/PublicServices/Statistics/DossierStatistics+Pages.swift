import EGovCore
import Fluent
import Vapor

/// `GET /portal/statistics` (tables and charts) and `/portal/statistics.csv`.
struct DossierStatisticsPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("portal", "statistics", use: page)
        routes.get("portal", "statistics.csv") { req async throws -> Response in Self.csv(try await Self.statistics(req)) }
    }

    static func statistics(_ req: Request, known agencies: [Agency] = []) async throws -> StatisticsDTO {
        let filter = try await DossierStatistics.Filter.from(req, known: agencies)
        let key = "\(filter.from.iso)|\(filter.to.iso)|\(filter.agency?.code ?? "")"
        return try await req.application.egovServices.statisticsCache.statistics(for: key, now: req.now, maxAge: req.application.settings.statisticsCacheSeconds) {
            StatisticsDTO(try await DossierStatistics.compute(filter, on: req.db))
        }
    }

    static func csv(_ statistics: StatisticsDTO) -> Response {
        CSV.response(statistics.csv, fileName: "thong-ke-ho-so-\(statistics.from)-\(statistics.to)\(statistics.agency.map { "-\($0)" } ?? "").csv")
    }

    func page(req: Request) async throws -> Response {
        let agencies = try await Agency.query(on: req.db).filter(\.$isActive == true).sort(\.$code).all()
        let statistics = try await Self.statistics(req, known: agencies)
        if req.query[String.self, at: "format"] == "csv" { return Self.csv(statistics) }
        let model = StatisticsPageModel(statistics, agencies: agencies.map { ($0.code, $0.name) })
        return try await req.render("portal-statistics", StatisticsPage(shell: try await req.portalShell("Thống kê giải quyết hồ sơ"), model: model))
    }
}
