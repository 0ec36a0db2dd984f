import Foundation

struct AgencyRow: Encodable, Equatable {
    let id: String
    let code: String
    let parentCode: String?
    let name: String
    let address: String
    let email: String
    let phone: String
    let website: String
    let isActive: Bool
}

struct AgencyListPage: Encodable {
    let shell: Shell
    let query: String
    let agencies: [AgencyRow]
    let canManage: Bool
}

/// Values shown in the agency form (as typed, when re-shown with errors).
struct AgencyFormValues: Encodable {
    var id: String?
    var code: String = ""
    var name: String = ""
    var address: String = ""
    var email: String = ""
    var phone: String = ""
    var website: String = ""
    var isActive: Bool = true
}

struct AgencyFormPage: Encodable {
    let shell: Shell
    let isNew: Bool
    let values: AgencyFormValues
    let errors: [String: String]
    /// Where the form posts.
    let action: String
}

struct UnitRow: Encodable, Equatable {
    let id: String
    let code: String
    let name: String
    let isActive: Bool
    let userCount: Int
}

struct UnitFormValues: Encodable {
    var id: String?
    var code: String = ""
    var name: String = ""
    var isActive: Bool = true
}

struct AgencyDetailPage: Encodable {
    let shell: Shell
    let agency: AgencyRow
    let parentName: String?
    /// Units are listed only for the agency's own people and system admins.
    let canViewUnits: Bool
    let units: [UnitRow]
    let canManageUnits: Bool
    let canManageAgency: Bool
    /// The "add a unit" form, as typed when re-shown with errors.
    let newUnit: UnitFormValues
    let errors: [String: String]
}

struct UnitFormPage: Encodable {
    let shell: Shell
    let agencyID: String
    let agencyName: String
    let values: UnitFormValues
    let errors: [String: String]
    let action: String
}
