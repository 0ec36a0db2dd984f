/// What an applicant's profile edit does to the e-mail and phone they sign in with.
///
/// A new contact is not taken at once: it waits for the code sent to it, and the old value keeps
/// signing in meanwhile (so a typo cannot lock anybody out). A removal counts at once. One contact
/// changes at a time, and at least one confirmed contact always stays.
public struct ContactChange: Sendable, Equatable {
    /// The e-mail that signs in once the edit is saved.
    public let email: String?
    /// The phone that signs in once the edit is saved.
    public let phone: String?
    /// The new contact that waits for its code.
    public let pending: String?

    public enum Refusal: Error, Sendable, Equatable {
        /// A new e-mail and a new phone in one edit.
        case bothAtOnce
        /// The edit would leave no confirmed contact to sign in with; names the one being changed.
        case nothingLeftToSignIn(ContactChannel)
    }

    /// `requested` values are already normalised (a phone as `VietnamesePhone` digits); `nil` removes.
    public init(current: (email: String?, phone: String?), requested: (email: String?, phone: String?)) throws(Refusal) {
        let newEmail = requested.email.flatMap { $0 == current.email ? nil : $0 }
        let newPhone = requested.phone.flatMap { $0 == current.phone ? nil : $0 }
        if newEmail != nil, newPhone != nil { throw .bothAtOnce }
        let email = newEmail == nil ? requested.email : current.email
        let phone = newPhone == nil ? requested.phone : current.phone
        if email == nil, phone == nil { throw .nothingLeftToSignIn(newEmail != nil ? .email : .phone) }
        self.email = email
        self.phone = phone
        pending = newEmail ?? newPhone
    }

    /// The channel of the pending contact.
    public var pendingChannel: ContactChannel? { pending.map(ContactChannel.init(of:)) }
}
