import Foundation

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
