import EGovCore
import Fluent
import Vapor

struct RatingLevelView: Encodable {
    let value: String
    let label: String
}

struct RatingCriterionView: Encodable {
    let key: String
    let label: String
    let chosen: String
    let error: String?
}

struct RatingPage: Encodable {
    let shell: PortalShell
    let dossierID: UUID
    let code: String
    let mayRate: Bool
    let statusLabel: String
    let rated: Bool
    let levels: [RatingLevelView]
    let criteria: [RatingCriterionView]
    let comment: String
    let errors: [String: String]
}
