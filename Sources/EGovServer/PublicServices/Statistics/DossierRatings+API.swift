import EGovCore
import Fluent
import Vapor

/// `POST /api/v1/portal/dossiers/:dossierID/rating`: the applicant's rating, as JSON.
struct PortalRatingAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.grouped(RequireApplicantMiddleware()).post("dossiers", ":dossierID", "rating", use: rate)
    }

    func rate(req: Request) async throws -> Response {
        let input = try req.content.decode(RatingInput.self)
        let rating = try await RateDossier(applicant: try req.applicant, dossierID: try req.uuidParameter("dossierID"), input: input).run(in: req.useCase)
        return try await DossierRatingDTO(rating).encodeResponse(status: .created, for: req)
    }
}
