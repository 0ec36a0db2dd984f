import Fluent
import Vapor

/// Who is making a request: their user, agency, unit and roles. Every capability asks its
/// permissions type about an `Actor`, never about raw session or token data.
struct Actor: Authenticatable, Sendable, Equatable {
    let userID: UUID
    let username: String
    let fullName: String
    let agencyID: UUID
    let agencyCode: String
    let agencyName: String
    let unitID: UUID
    let unitName: String
    let roles: Set<Role>

    func has(_ role: Role) -> Bool { roles.contains(role) }
    var isSystemAdmin: Bool { has(.systemAdmin) }
    /// May administer users and units of their own agency.
    var isAdmin: Bool { has(.systemAdmin) || has(.agencyAdmin) }

    /// Loads the actor of a signed-in user in one query (every authenticated request pays it);
    /// nil when the account or its agency is deactivated, or its credentials changed since
    /// the session or token was issued.
    static func load(userID: UUID, credentialVersion: Int, on db: Database) async throws -> Actor? {
        guard let user = try await User.query(on: db)
            .join(Agency.self, on: \User.$agency.$id == \Agency.$id)
            .join(AgencyUnit.self, on: \User.$unit.$id == \AgencyUnit.$id)
            .filter(\User.$id == userID)
            .first()
        else { return nil }
        let agency = try user.joined(Agency.self)
        let unit = try user.joined(AgencyUnit.self)
        guard user.isActive, agency.isActive, user.credentialVersion == credentialVersion else { return nil }
        return Actor(user: user, agency: agency, unit: unit)
    }

    init(user: User, agency: Agency, unit: AgencyUnit) {
        self.userID = user.id!
        self.username = user.username
        self.fullName = user.fullName
        self.agencyID = agency.id!
        self.agencyCode = agency.code
        self.agencyName = agency.name
        self.unitID = unit.id!
        self.unitName = unit.name
        self.roles = user.roles
    }

    /// For a user loaded with its agency and unit.
    init(user: User) {
        self.init(user: user, agency: user.agency, unit: user.unit)
    }
}

extension Request {
    /// The signed-in actor; 401 when there is none.
    var actor: Actor {
        get throws {
            guard let actor = auth.get(Actor.self) else { throw EGovError.unauthorized() }
            return actor
        }
    }
}

/// A model that belongs to one agency. `scoped(to:)` is the one place that keeps an actor
/// inside their agency; handlers never filter by agency by hand.
protocol AgencyScoped: Model where IDValue == UUID {
    static var agencyIDKey: FieldKey { get }
}

extension QueryBuilder where Model: AgencyScoped {
    /// Rows the actor's agency owns; a system admin sees every agency.
    func scoped(to actor: Actor) -> Self {
        actor.isSystemAdmin ? self : filter(Model.agencyIDKey, .equal, actor.agencyID)
    }
}

extension AgencyScoped {
    /// Finds a row inside the actor's scope; another agency's row is "not found" (404),
    /// so its existence does not leak.
    static func find(_ id: UUID?, scopedTo actor: Actor, on db: Database) async throws -> Self {
        guard let id, let row = try await query(on: db).filter(\._$id == id).scoped(to: actor).first() else {
            throw EGovError.notFound()
        }
        return row
    }
}
