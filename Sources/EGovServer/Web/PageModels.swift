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

struct ErrorPage: Encodable {
    let shell: Shell
    let status: Int
    let title: String
    let message: String
}
