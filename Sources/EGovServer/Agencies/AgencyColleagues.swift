import Fluent
import Vapor

/// Colleagues and units a document is handed to: active, and of the actor's own agency.
enum AgencyColleagues {
    /// A colleague of the actor's agency who is active; a field error otherwise.
    static func colleague(_ id: UUID, of actor: Actor, field: String, on db: Database) async throws -> User {
        guard let user = try await User.query(on: db).filter(\.$id == id).owned(by: actor)
            .filter(\.$isActive == true).first()
        else { throw EGovError.invalid([field: "Không tìm thấy người này trong cơ quan."]) }
        return user
    }

    static func unit(_ id: UUID, of actor: Actor, field: String, on db: Database) async throws -> AgencyUnit {
        guard let unit = try await AgencyUnit.query(on: db).filter(\.$id == id).owned(by: actor)
            .filter(\.$isActive == true).first()
        else { throw EGovError.invalid([field: "Không tìm thấy đơn vị này trong cơ quan."]) }
        return unit
    }
}
