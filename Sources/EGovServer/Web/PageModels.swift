import Foundation

// Page models: plain data the views render. Built from the database by the page routes,
// tested without HTML. Leaf escapes every `#(value)`, so user text is safe by default.

/// A `<select>`/checkbox option.
struct Option: Encodable, Equatable {
    let value: String
    let label: String
    var selected: Bool = false
}

struct NavItem: Encodable, Equatable {
    let label: String
    let href: String
    /// Capabilities not built yet are shown as "Chưa khả dụng".
    let available: Bool
    var active: Bool = false
}

struct ShellUser: Encodable, Equatable {
    let fullName: String
    let username: String
    let agencyName: String
    let agencyCode: String
    let unitName: String
    let roleNames: [String]
}

/// Everything the layout needs: header, navigation, CSRF token, flash message.
struct Shell: Encodable {
    let title: String
    let user: ShellUser?
    let csrf: String
    let nav: [NavItem]
    let adminNav: [NavItem]
    /// "Quản trị" for those who administer; "Tra cứu" for those who can only read those pages.
    var adminNavTitle: String = "Quản trị"
    var flash: String?
}

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

struct Capability: Encodable, Equatable {
    let name: String
    let summary: String
    let href: String
    let available: Bool
}

struct HomePage: Encodable {
    /// What waits for the person's move, counted.
    struct Waiting: Encodable {
        let incoming: Int
        let outgoing: Int
        let dossiers: Int
    }
    let shell: Shell
    let waiting: Waiting
    /// Only what exists; what is still to come is named in one line (`coming`).
    let capabilities: [Capability]
    let coming: String
}

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

struct HolidayRow: Encodable, Equatable {
    /// ISO, for `<time datetime>`; `shownDate` is what the person reads (dd/MM/yyyy).
    let date: String
    let shownDate: String
    /// e.g. "Thứ Hai", "Chủ nhật".
    let weekday: String
    let name: String
    /// "Theo luật" or "Điều chỉnh".
    let source: String
}

struct CalendarOverrideRow: Encodable, Equatable {
    let id: String
    let date: String
    let shownDate: String
    let weekday: String
    let kind: String
    let kindLabel: String
    let name: String
}

struct OverrideFormValues: Encodable {
    var date: String = ""
    var kind: String = "day_off"
    var name: String = ""
}

struct HolidaysPage: Encodable {
    let shell: Shell
    let year: Int
    let previousYear: Int
    let nextYear: Int
    let holidays: [HolidayRow]
    let overrides: [CalendarOverrideRow]
    let workingDayCount: Int
    let canEdit: Bool
    let kindOptions: [Option]
    let values: OverrideFormValues
    let errors: [String: String]
}

/// Asks before an override of the calendar is deleted.
struct CalendarOverrideDeletePage: Encodable {
    let shell: Shell
    let id: String
    let year: Int
    let shownDate: String
    let weekday: String
    let kindLabel: String
    let name: String
}

struct AuditRow: Encodable, Equatable {
    let sequence: Int64
    /// Vietnam time, "dd/MM/yyyy HH:mm:ss".
    let time: String
    let actor: String
    let agencyCode: String
    /// The stored code, and what it reads as.
    let action: String
    let actionLabel: String
    let objectType: String
    let objectID: String
    let requestID: String
    /// In words (roles, statuses), as `AuditLabels.details` puts them.
    let details: String
    let hashPrefix: String
}

struct AuditFilterValues: Encodable, Equatable {
    var action: String = ""
    var actor: String = ""
    var agencyCode: String = ""
    var objectType: String = ""
    var from: String = ""
    var to: String = ""
}

struct AuditVerification: Encodable, Equatable {
    let intact: Bool
    let message: String
}

struct AuditPage: Encodable {
    let shell: Shell
    let filters: AuditFilterValues
    /// Suggestions for the action filter, in words.
    let actionLabels: [String]
    let entries: [AuditRow]
    let page: Int
    let previousURL: String?
    let nextURL: String?
    let verifyURL: String
    let verification: AuditVerification?
    /// Agency admins see only their agency's entries.
    let scopeNote: String?
}

struct ErrorPage: Encodable {
    let shell: Shell
    let status: Int
    let title: String
    let message: String
}
