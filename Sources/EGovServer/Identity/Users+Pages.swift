import EGovCore
import Fluent
import Vapor

/// Admin pages for civil-servant accounts.
struct UserPages: RouteCollection {
    struct ResetForm: Content { var password: String? }

    func boot(routes: RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        users.get(use: list)
        users.get("new", use: newForm)
        users.post(use: create)
        users.get(":userID", use: show)
        users.post(":userID", use: update)
        users.post(":userID", "reset-password", use: resetPassword)
        users.post(":userID", "deactivate", use: deactivate)
        users.post(":userID", "activate", use: activate)
    }

    /// The agency a page is about: the actor's own, or (system admins only) the one asked for.
    private func agency(for req: Request, actor: Actor, requested: UUID?) async throws -> Agency {
        let id = requested ?? actor.agencyID
        guard UserPermissions.canView(userInAgency: id, actor: actor), let agency = try await Agency.find(id, on: req.db) else {
            throw EGovError.notFound("Không tìm thấy cơ quan.")
        }
        return agency
    }

    func list(req: Request) async throws -> Response {
        let actor = try req.actor
        guard actor.isAdmin else { throw EGovError.forbidden() }
        let agency = try await agency(for: req, actor: actor, requested: req.query[UUID.self, at: "agency_id"])
        let query = FormText.clean(req.query[String.self, at: "q"])
        let users = try await UserQueries.list(agencyID: agency.id!, query: query, actor: actor, on: req.db)
        let agencyOptions = actor.isSystemAdmin
            ? try await Agency.query(on: req.db).sort(\.$code).all().map { Option(value: $0.id!.uuidString, label: "\($0.code) — \($0.name)", selected: $0.id == agency.id) }
            : []
        return try await req.render("users", UserListPage(
            shell: req.shell("Người dùng"), agencyOptions: agencyOptions, agencyID: agency.id!.uuidString, agencyName: agency.name,
            query: query, users: users.map { UserRow($0, now: req.now) },
            canManage: UserPermissions.canManage(userInAgency: agency.id!, actor: actor)))
    }

    private func formPage(_ req: Request, actor: Actor, agency: Agency, user: User?, values: UserFormValues, unitID: UUID?,
                          roles: Set<Role>, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let units = try await AgencyUnit.query(on: req.db).filter(\.$agency.$id == agency.id!).sort(\.$code).all()
        let grantable = Role.allCases.filter { UserPermissions.canGrant([$0], actor: actor) }
        return try await req.render("user-form", UserFormPage(
            shell: req.shell(user == nil ? "Thêm người dùng" : user!.fullName), isNew: user == nil,
            agencyID: agency.id!.uuidString, agencyName: agency.name, values: values,
            unitOptions: units.map { Option(value: $0.id!.uuidString, label: "\($0.code) — \($0.name)", selected: $0.id == unitID) },
            roleOptions: grantable.map { Option(value: $0.rawValue, label: $0.displayName, selected: roles.contains($0)) },
            errors: errors, action: user.map { "/admin/users/\($0.id!)" } ?? "/admin/users",
            canManage: user.map { UserPermissions.canAdminister($0, actor: actor) } ?? UserPermissions.canManage(userInAgency: agency.id!, actor: actor),
            isSelf: user?.id == actor.userID),
            status: status)
    }

    func newForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let agency = try await agency(for: req, actor: actor, requested: req.query[UUID.self, at: "agency_id"])
        guard UserPermissions.canManage(userInAgency: agency.id!, actor: actor) else { throw EGovError.forbidden() }
        return try await formPage(req, actor: actor, agency: agency, user: nil, values: .init(), unitID: nil, roles: [.specialist], errors: [:])
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.form(UserInput.self)
        do {
            let user = try await CreateUser(actor: actor, input: try input.validate(creating: true)).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/users?agency_id=\(user.$agency.id)", flash: "Đã tạo tài khoản \(user.username).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "username") else { throw error }
            let agency = try await agency(for: req, actor: actor, requested: input.agencyID)
            return try await formPage(req, actor: actor, agency: agency, user: nil, values: .init(input), unitID: input.unitID,
                                      roles: Set((input.roles ?? []).compactMap(Role.init(rawValue:))), errors: errors, status: error.status)
        }
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let user = try await User.find(try req.uuidParameter("userID"), scopedTo: actor, on: req.db)
        let agency = try await user.$agency.get(on: req.db)
        return try await formPage(req, actor: actor, agency: agency, user: user, values: .init(user, now: req.now),
                                  unitID: user.$unit.id, roles: user.roles, errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.actor
        let userID = try req.uuidParameter("userID")
        var input = try req.form(UserInput.self)
        input.password = nil // resets have their own form
        do {
            let user = try await UpdateUser(actor: actor, userID: userID, input: try input.validate(creating: false)).run(in: req.useCase)
            return req.redirectAfterPost(to: "/admin/users/\(user.id!)", flash: "Đã lưu tài khoản \(user.username).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "full_name") else { throw error }
            let user = try await User.find(userID, scopedTo: actor, on: req.db)
            let agency = try await user.$agency.get(on: req.db)
            var values = UserFormValues(input)
            values.id = userID.uuidString
            values.username = user.username
            return try await formPage(req, actor: actor, agency: agency, user: user, values: values, unitID: input.unitID,
                                      roles: Set((input.roles ?? []).compactMap(Role.init(rawValue:))), errors: errors, status: error.status)
        }
    }

    func resetPassword(req: Request) async throws -> Response {
        let actor = try req.actor
        let userID = try req.uuidParameter("userID")
        let form = try req.form(ResetForm.self)
        do {
            try await ResetUserPassword(actor: actor, userID: userID, newPassword: form.password ?? "").run(in: req.useCase)
        } catch let error as EGovError where !error.fieldErrors.isEmpty {
            let user = try await User.find(userID, scopedTo: actor, on: req.db)
            let agency = try await user.$agency.get(on: req.db)
            return try await formPage(req, actor: actor, agency: agency, user: user, values: .init(user, now: req.now),
                                      unitID: user.$unit.id, roles: user.roles, errors: error.fieldErrors, status: error.status)
        }
        return req.redirectAfterPost(to: "/admin/users/\(userID)", flash: "Đã đặt lại mật khẩu.")
    }

    func deactivate(req: Request) async throws -> Response { try await setActive(req, false) }
    func activate(req: Request) async throws -> Response { try await setActive(req, true) }

    private func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let user = try await SetUserActive(actor: try req.actor, userID: try req.uuidParameter("userID"), active: active).run(in: req.useCase)
        return req.redirectAfterPost(to: "/admin/users/\(user.id!)",
                                     flash: active ? "Đã kích hoạt lại tài khoản \(user.username)." : "Đã vô hiệu hóa tài khoản \(user.username).")
    }
}

enum UserQueries {
    static func list(agencyID: UUID, query: String, actor: Actor, on db: Database) async throws -> [User] {
        let users = try await User.query(on: db).scoped(to: actor).filter(\.$agency.$id == agencyID)
            .with(\.$unit).with(\.$agency).sort(\.$username).all()
        guard !query.isEmpty else { return users }
        return users.filter { SearchFolding.matches($0.fullName, query: query) || $0.username.contains(query.lowercased()) }
    }
}

extension UserRow {
    init(_ user: User, now: Date) {
        self.init(id: user.id!.uuidString, username: user.username, fullName: user.fullName, position: user.position,
                  unitName: user.unit.name, agencyName: user.agency.name, roleNames: user.roles.sorted().map(\.displayName),
                  isActive: user.isActive, isLocked: (user.lockedUntil ?? .distantPast) > now, hasSecondFactor: user.totpEnabled)
    }
}

extension UserFormValues {
    init(_ user: User, now: Date) {
        self.init(id: user.id?.uuidString, username: user.username, fullName: user.fullName, position: user.position,
                  email: user.email, isActive: user.isActive, isLocked: (user.lockedUntil ?? .distantPast) > now,
                  hasSecondFactor: user.totpEnabled)
    }
    init(_ input: UserInput) {
        self.init(id: nil, username: input.username ?? "", fullName: input.fullName ?? "", position: input.position ?? "",
                  email: input.email ?? "")
    }
}
