import Foundation

struct SignInPage: Encodable {
    let shell: Shell
    let username: String
    let error: String?
    let next: String
}

struct SecondFactorPage: Encodable {
    let shell: Shell
    let error: String?
    let next: String
}

struct UserRow: Encodable, Equatable {
    let id: String
    let username: String
    let fullName: String
    let position: String
    let unitName: String
    let agencyName: String
    let roleNames: [String]
    let isActive: Bool
    let isLocked: Bool
    let hasSecondFactor: Bool
}

struct UserListPage: Encodable {
    let shell: Shell
    /// For system admins: choose the agency.
    let agencyOptions: [Option]
    let agencyID: String
    let agencyName: String
    let query: String
    let users: [UserRow]
    let canManage: Bool
}

struct UserFormValues: Encodable {
    var id: String?
    var username: String = ""
    var fullName: String = ""
    var position: String = ""
    var email: String = ""
    var isActive: Bool = true
    var isLocked: Bool = false
    var hasSecondFactor: Bool = false
}

struct UserFormPage: Encodable {
    let shell: Shell
    let isNew: Bool
    let agencyID: String
    let agencyName: String
    let values: UserFormValues
    let unitOptions: [Option]
    /// `selected` means the role is ticked.
    let roleOptions: [Option]
    let errors: [String: String]
    let action: String
    let canManage: Bool
    let isSelf: Bool
}

struct AccountPage: Encodable {
    let shell: Shell
    let user: ShellUser
    let position: String
    let email: String
    let hasSecondFactor: Bool
    /// Shown once, right after enrolment starts, until a code confirms it.
    let pendingSecret: String?
    let errors: [String: String]
}
