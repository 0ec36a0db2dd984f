import Vapor

/// What `portal-layout.leaf` needs: the public header, the signed-in applicant's name, CSRF, flash.
struct PortalShell: Encodable {
    let title: String
    let applicantName: String?
    let unreadCount: Int
    let csrf: String
    var flash: String?
}

struct RegistrationValues: Encodable {
    var kind: String = "citizen"
    var fullName: String = ""
    var email: String = ""
    var phone: String = ""
    var identityNumber: String = ""
}

struct PortalRegisterPage: Encodable {
    let shell: PortalShell
    let values: RegistrationValues
    let errors: [String: String]
}

struct PortalConfirmPage: Encodable {
    let shell: PortalShell
    let login: String
    let errors: [String: String]
}

struct PortalSignInPage: Encodable {
    let shell: PortalShell
    let login: String
    let error: String?
    /// The account exists but is not confirmed yet: the page links to the confirmation form.
    let needsConfirmation: Bool
    let next: String
    /// The eID button's label when an identity provider is configured.
    let externalProvider: String?
}

struct ProfileValues: Encodable {
    var fullName: String
    var email: String
    var phone: String
    var identityNumber: String
    var address: String
}

struct PortalAccountPage: Encodable {
    let shell: PortalShell
    let isBusiness: Bool
    let values: ProfileValues
    let linkedToEID: Bool
    /// A new e-mail or phone waiting for its code.
    let pendingContact: String?
    let errors: [String: String]
}

struct NotificationRow: Encodable, Equatable {
    let title: String
    let body: String
    let link: String?
    let createdAt: String
    let unread: Bool
}

struct PortalNotificationsPage: Encodable {
    let shell: PortalShell
    let notifications: [NotificationRow]
}

extension Request {
    func portalShell(_ title: String) async throws -> PortalShell {
        let applicant = auth.get(PortalApplicant.self)
        let unread = try await applicant.asyncMap { try await ApplicantNotificationQueries.unreadCount(for: $0, on: db) } ?? 0
        return PortalShell(title: title, applicantName: applicant?.fullName, unreadCount: unread,
                           csrf: WebSession.csrfToken(on: self), flash: WebSession.takeFlash(on: self))
    }
}

extension ProfileValues {
    init(_ applicant: Applicant) {
        self.init(fullName: applicant.fullName, email: applicant.email ?? "", phone: applicant.phone ?? "",
                  identityNumber: applicant.identityNumber ?? "", address: applicant.address ?? "")
    }
}

extension NotificationRow {
    init(_ notification: ApplicantNotification) {
        self.init(title: notification.title, body: notification.body, link: notification.link,
                  createdAt: notification.createdAt.vietnamTimestamp, unread: notification.readAt == nil)
    }
}
