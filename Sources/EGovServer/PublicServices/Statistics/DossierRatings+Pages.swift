import EGovCore
import Fluent
import Vapor

/// `/portal/dossiers/:dossierID/rating`: the rating form, and the rating once given.
struct PortalRatingPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let rating = routes.grouped(RequireApplicantMiddleware()).grouped("portal", "dossiers", ":dossierID", "rating")
        rating.get(use: show)
        rating.post(use: rate)
    }

    private func page(_ req: Request, values: RatingInput = RatingInput(), errors: [String: String] = [:],
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.uuidParameter("dossierID")
        let dossier = try await DossierQueries.own(id, applicant: try req.applicant, on: req.db)
        let given = try await DossierRating.query(on: req.db).filter(\.$dossier.$id == id).first()
        let criteria = SatisfactionCriterion.allCases.map { criterion in
            RatingCriterionView(key: criterion.rawValue, label: criterion.label,
                                chosen: given.map { String($0.level(criterion)) } ?? FormText.clean(values.raw(criterion)),
                                error: errors[criterion.rawValue])
        }
        let page = RatingPage(
            shell: try await req.portalShell("Đánh giá mức độ hài lòng"), dossierID: id, code: dossier.code,
            mayRate: given == nil && dossier.dossierStatus == .resultReturned, statusLabel: dossier.dossierStatus.label,
            rated: given != nil, levels: SatisfactionLevel.allCases.map { RatingLevelView(value: String($0.rawValue), label: $0.label) },
            criteria: criteria, comment: given?.comment ?? FormText.clean(values.comment), errors: errors)
        return try await req.render("portal-rating", page, status: status)
    }

    func show(req: Request) async throws -> Response { try await page(req) }

    func rate(req: Request) async throws -> Response {
        let form = try req.form(RatingInput.self)
        let id = try req.uuidParameter("dossierID")
        do {
            _ = try await RateDossier(applicant: try req.applicant, dossierID: id, input: form).run(in: req.useCase)
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "form") else { throw error }
            return try await page(req, values: form, errors: errors, status: error.status)
        }
        return req.redirectAfterPost(to: "/portal/dossiers/\(id)/rating", flash: "Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.")
    }
}
