import Fluent
import NIOConcurrencyHelpers
import NIOCore
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

    /// The same through `ActorCache`: a burst of bearer requests by one user loads them once.
    static func load(userID: UUID, credentialVersion: Int, on request: Request) async throws -> Actor? {
        let cache = request.application.egovServices.actorCache
        if let actor = cache.actor(userID: userID, credentialVersion: credentialVersion) { return actor }
        let generation = cache.generation
        guard let actor = try await load(userID: userID, credentialVersion: credentialVersion, on: request.db) else { return nil }
        cache.store(actor, credentialVersion: credentialVersion, loadedIn: generation)
        return actor
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

/// Actors that bearer requests loaded recently. An entry goes as soon as an audited change to
/// its user, agency or unit commits in this process (deactivation, new roles or password,
/// renamed unit …), so a refused account is refused on its next request; `maxAge` bounds how
/// long a change made by another process on the same database goes unseen. Only accepted
/// actors are kept: a refused token is looked up every time.
final class ActorCache: Sendable {
    private struct Entry {
        let actor: Actor
        let credentialVersion: Int
        let storedAt: NIODeadline
    }

    let maxAge: TimeAmount
    let capacity: Int
    /// `generation` moves on with each invalidation, so a load that read the database before a
    /// change committed does not store what it read after the change dropped the old entry.
    private let state = NIOLockedValueBox<(entries: [UUID: Entry], generation: UInt64)>(([:], 0))

    init(maxAge: TimeAmount = .seconds(2), capacity: Int = 10_000) {
        self.maxAge = maxAge
        self.capacity = capacity
    }

    func actor(userID: UUID, credentialVersion: Int) -> Actor? {
        let now = NIODeadline.now()
        return state.withLockedValue { state in
            guard let entry = state.entries[userID], entry.credentialVersion == credentialVersion,
                  now - entry.storedAt < maxAge else { return nil }
            return entry.actor
        }
    }

    var generation: UInt64 { state.withLockedValue { $0.generation } }

    func store(_ actor: Actor, credentialVersion: Int, loadedIn generation: UInt64) {
        let now = NIODeadline.now()
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll() }
            state.entries[actor.userID] = Entry(actor: actor, credentialVersion: credentialVersion, storedAt: now)
        }
    }

    /// Drops the actors whose user, agency or unit the committed events touched.
    func forget(_ events: [AuditEvent]) {
        var users = Set<UUID>(), agencies = Set<UUID>(), units = Set<UUID>()
        for event in events {
            guard let id = event.objectID.flatMap(UUID.init(uuidString:)) else { continue }
            switch event.objectType {
            case "user": users.insert(id)
            case "agency": agencies.insert(id)
            case "unit": units.insert(id)
            default: break
            }
        }
        guard !(users.isEmpty && agencies.isEmpty && units.isEmpty) else { return }
        state.withLockedValue { state in
            state.generation &+= 1
            for user in users { state.entries[user] = nil }
            if !agencies.isEmpty || !units.isEmpty {
                state.entries = state.entries.filter { !agencies.contains($0.value.actor.agencyID) && !units.contains($0.value.actor.unitID) }
            }
        }
    }
}

extension Application {
    /// Recently loaded actors (a member of the node's `Services`).
    var actorCache: ActorCache { egovServices.actorCache }
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
