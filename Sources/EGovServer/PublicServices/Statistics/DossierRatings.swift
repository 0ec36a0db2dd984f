import EGovCore
import Fluent
import SQLKit
import Vapor

/// Đánh giá mức độ hài lòng: once the result is returned, the applicant rates the handling of
/// their dossier on each criterion, once.
final class DossierRating: Model, @unchecked Sendable {
    static let schema = "dossier_ratings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "dossier_id") var dossier: Dossier
    /// The receiving agency, copied so ratings are counted per agency without the dossier.
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "applicant_id") var applicantID: UUID
    @Field(key: "processing_time") var processingTime: Int
    @Field(key: "contacts") var contacts: Int
    @Field(key: "agencies") var agencies: Int
    @Field(key: "attitude") var attitude: Int
    @Field(key: "feedback_handling") var feedbackHandling: Int
    @Field(key: "comment") var comment: String
    @Field(key: "rated_at") var ratedAt: Date

    init() {}

    func level(_ criterion: SatisfactionCriterion) -> Int {
        switch criterion {
        case .processingTime: processingTime
        case .contacts: contacts
        case .agencies: agencies
        case .attitude: attitude
        case .feedbackHandling: feedbackHandling
        }
    }
}

struct CreateDossierRatings: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(DossierRating.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(Dossier.schema, "id"))
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("applicant_id", .uuid, .required)
            .field("processing_time", .int, .required)
            .field("contacts", .int, .required)
            .field("agencies", .int, .required)
            .field("attitude", .int, .required)
            .field("feedback_handling", .int, .required)
            .field("comment", .string, .required)
            .field("rated_at", .datetime, .required)
            .unique(on: "dossier_id")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema(DossierRating.schema).delete() }
}

/// A rating as sent by the form or the API: one level (1–3) per criterion, keyed by the
/// criterion's raw value, and a comment.
struct RatingInput: Content {
    /// Criterion raw value → the level as sent.
    var levels: [String: String] = [:]
    var comment: String?

    private struct Key: CodingKey {
        let stringValue: String
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.init(stringValue) }
        var intValue: Int? { nil }
        init?(intValue: Int) { return nil }
    }

    init(levels: [String: String] = [:], comment: String? = nil) {
        self.levels = levels
        self.comment = comment
    }

    /// Levels come as numbers in JSON and as text from a form.
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func text(_ key: String) -> String? {
            if let number = try? container.decodeIfPresent(Int.self, forKey: Key(key)) { return String(number) }
            return try? container.decodeIfPresent(String.self, forKey: Key(key))
        }
        for criterion in SatisfactionCriterion.allCases { levels[criterion.rawValue] = text(criterion.rawValue) }
        comment = text("comment")
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in levels { try container.encode(value, forKey: Key(key)) }
        try container.encodeIfPresent(comment, forKey: Key("comment"))
    }

    func raw(_ criterion: SatisfactionCriterion) -> String? { levels[criterion.rawValue] }

    /// The levels, or the criteria left out or out of range.
    func validated() throws -> (levels: [SatisfactionCriterion: SatisfactionLevel], comment: String) {
        var levels: [SatisfactionCriterion: SatisfactionLevel] = [:]
        var errors: [String: String] = [:]
        for criterion in SatisfactionCriterion.allCases {
            if let level = Int(FormText.clean(raw(criterion))).flatMap(SatisfactionLevel.init(rawValue:)) {
                levels[criterion] = level
            } else {
                errors[criterion.rawValue] = "Cần chọn mức độ hài lòng về \(criterion.label.lowercased())."
            }
        }
        let comment = FormText.clean(self.comment)
        if comment.count > 2000 { errors["comment"] = "Ý kiến dài tối đa 2000 ký tự." }
        guard errors.isEmpty else { throw EGovError.invalid(errors) }
        return (levels, comment)
    }
}

/// The applicant rates their own dossier, once, after the result was returned.
struct RateDossier {
    let applicant: PortalApplicant
    let dossierID: UUID
    let input: RatingInput

    func run(in ctx: UseCaseContext) async throws -> DossierRating {
        let dossier = try await DossierQueries.own(dossierID, applicant: applicant, on: ctx.db)
        guard dossier.dossierStatus == .resultReturned else {
            throw EGovError.conflict("Chỉ đánh giá được hồ sơ đã trả kết quả; hồ sơ \(dossier.code) đang ở trạng thái \"\(dossier.dossierStatus.label)\".",
                                     code: "not_returned")
        }
        let (levels, comment) = try input.validated()
        let alreadyRated = EGovError.conflict("Hồ sơ \(dossier.code) đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.", code: "already_rated")
        if try await DossierRating.query(on: ctx.db).filter(\.$dossier.$id == dossierID).first() != nil { throw alreadyRated }
        let rating = DossierRating()
        rating.$dossier.id = dossierID
        rating.agencyID = dossier.$agency.id
        rating.applicantID = applicant.id
        rating.processingTime = levels[.processingTime]!.rawValue
        rating.contacts = levels[.contacts]!.rawValue
        rating.agencies = levels[.agencies]!.rawValue
        rating.attitude = levels[.attitude]!.rawValue
        rating.feedbackHandling = levels[.feedbackHandling]!.rawValue
        rating.comment = comment
        rating.ratedAt = ctx.now
        let id = dossierID
        do {
            try await ctx.recording(as: ctx.audit).audited { db, trail in
                try await rating.create(on: db)
                try await DossierTallies.addRating(levels, of: dossier, on: db)
                trail.record("dossier.rate", objectType: "dossier", objectID: id.uuidString,
                             details: SatisfactionCriterion.allCases.map { "\($0.rawValue)=\(rating.level($0))" }.joined(separator: " "))
            }
        } catch let error as DatabaseError where error.isConstraintFailure {
            throw alreadyRated // two submissions at once: the unique dossier_id keeps one
        }
        return rating
    }
}

struct DossierRatingDTO: Content {
    let dossierID: UUID
    let levels: [String: Int]
    let average: Double
    let comment: String
    let ratedAt: Date

    enum CodingKeys: String, CodingKey {
        case levels, average, comment
        case dossierID = "dossier_id", ratedAt = "rated_at"
    }

    init(_ rating: DossierRating) {
        dossierID = rating.$dossier.id
        levels = Dictionary(uniqueKeysWithValues: SatisfactionCriterion.allCases.map { ($0.rawValue, rating.level($0)) })
        average = Double(levels.values.reduce(0, +)) / Double(max(1, levels.count))
        comment = rating.comment
        ratedAt = rating.ratedAt
    }
}
