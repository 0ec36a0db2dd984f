import EGovCore
import Fluent
import Vapor

/// Adds an agency to the directory (system admins).
struct CreateAgency {
    let actor: Actor
    let input: AgencyInput.Valid

    func run(in ctx: UseCaseContext) async throws -> Agency {
        guard AgencyPermissions.canManageAgencies(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được thêm cơ quan.") }
        let input = self.input
        guard let code = input.code else { throw EGovError.invalid(["code": "Cần nhập mã định danh cơ quan."]) }
        return try await ctx.audited { db, trail in
            if let existing = try await Agency.query(on: db).filter(\.$code == code.rawValue).first() {
                throw EGovError.conflict("Mã định danh \(code.rawValue) đã được dùng cho \"\(existing.name)\".", code: "agency_code_taken")
            }
            let agency = Agency(code: code.rawValue, name: input.name, address: input.address,
                                email: input.email, phone: input.phone, website: input.website)
            agency.parentCode = code.parent?.rawValue
            agency.isActive = input.isActive
            try await agency.create(on: db)
            trail.record("agency.create", objectType: "agency", objectID: agency.id?.uuidString, details: agency.code)
            return agency
        }
    }
}

/// Changes an agency's details. The code is the national identifier and is not changed here.
struct UpdateAgency {
    let actor: Actor
    let agencyID: UUID
    let input: AgencyInput.Valid

    func run(in ctx: UseCaseContext) async throws -> Agency {
        guard AgencyPermissions.canManageAgencies(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được sửa thông tin cơ quan.") }
        let (agencyID, input) = (self.agencyID, self.input)
        return try await ctx.audited { db, trail in
            guard let agency = try await Agency.find(agencyID, on: db) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
            agency.name = input.name
            agency.address = input.address
            agency.email = input.email
            agency.phone = input.phone
            agency.website = input.website
            agency.isActive = input.isActive
            try await agency.update(on: db)
            trail.record("agency.update", objectType: "agency", objectID: agency.id?.uuidString, details: agency.code)
            return agency
        }
    }
}

/// Adds a unit (phòng, ban) to an agency.
struct CreateUnit {
    let actor: Actor
    let agencyID: UUID
    let input: UnitInput.Valid

    func run(in ctx: UseCaseContext) async throws -> AgencyUnit {
        guard AgencyPermissions.canManageUnits(of: agencyID, actor: actor) else {
            throw AgencyPermissions.canViewUnits(of: agencyID, actor: actor)
                ? EGovError.forbidden("Chỉ quản trị cơ quan được thêm đơn vị.") : EGovError.notFound("Không tìm thấy cơ quan.")
        }
        let (agencyID, input) = (self.agencyID, self.input)
        return try await ctx.audited { db, trail in
            guard try await Agency.find(agencyID, on: db) != nil else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
            if try await AgencyUnit.query(on: db).filter(\.$agency.$id == agencyID).filter(\.$code == input.code).first() != nil {
                throw EGovError.conflict("Cơ quan đã có đơn vị mã \(input.code).", code: "unit_code_taken")
            }
            let unit = AgencyUnit(agencyID: agencyID, code: input.code, name: input.name)
            unit.isActive = input.isActive
            try await unit.create(on: db)
            trail.record("unit.create", objectType: "unit", objectID: unit.id?.uuidString, details: "\(input.code) \(input.name)")
            return unit
        }
    }
}

/// Renames or (de)activates a unit of the actor's agency.
struct UpdateUnit {
    let actor: Actor
    let unitID: UUID
    let input: UnitInput.Valid

    func run(in ctx: UseCaseContext) async throws -> AgencyUnit {
        let (actor, unitID, input) = (self.actor, self.unitID, self.input)
        return try await ctx.audited { db, trail in
            let unit = try await AgencyUnit.find(unitID, scopedTo: actor, on: db)
            guard AgencyPermissions.canManageUnits(of: unit.$agency.id, actor: actor) else {
                throw EGovError.forbidden("Chỉ quản trị cơ quan được sửa đơn vị.")
            }
            if input.code != unit.code,
               try await AgencyUnit.query(on: db).filter(\.$agency.$id == unit.$agency.id).filter(\.$code == input.code).first() != nil {
                throw EGovError.conflict("Cơ quan đã có đơn vị mã \(input.code).", code: "unit_code_taken")
            }
            unit.code = input.code
            unit.name = input.name
            unit.isActive = input.isActive
            try await unit.update(on: db)
            trail.record("unit.update", objectType: "unit", objectID: unit.id?.uuidString, details: "\(input.code) \(input.name)")
            return unit
        }
    }
}
