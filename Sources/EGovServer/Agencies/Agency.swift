import Fluent
import Vapor

/// An agency (cơ quan) in the directory, known by its national identifier code.
final class Agency: Model, @unchecked Sendable {
    static let schema = "agencies"

    @ID(key: .id) var id: UUID?
    /// Mã định danh, e.g. `000.00.00.G22`.
    @Field(key: "code") var code: String
    /// Derived from the code when the agency is saved; kept for directory queries.
    @OptionalField(key: "parent_code") var parentCode: String?
    @Field(key: "name") var name: String
    @Field(key: "address") var address: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "website") var website: String
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, address: String = "", email: String = "", phone: String = "", website: String = "") {
        self.id = id
        self.code = code
        self.name = name
        self.address = address
        self.email = email
        self.phone = phone
        self.website = website
        self.isActive = true
    }
}

/// A unit (phòng, ban) inside an agency.
final class AgencyUnit: Model, @unchecked Sendable {
    static let schema = "units"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    /// Short code used in document notations, e.g. `VP`, `TCCB`.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, agencyID: UUID, code: String, name: String) {
        self.id = id
        self.$agency.id = agencyID
        self.code = code
        self.name = name
        self.isActive = true
    }
}

extension AgencyUnit: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}
