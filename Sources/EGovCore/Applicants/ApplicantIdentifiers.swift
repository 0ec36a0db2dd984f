import Foundation
/// A Vietnamese mobile number in its national form (`0912345678`): `+84 912 345 678`,
/// `84912345678` and `0912.345.678` are the same phone, so accounts never differ by spelling.
public enum VietnamesePhone {
    /// nil when the text is not a 10-digit number starting with 0 (after dropping spaces, dots, dashes and +84).
    public static func normalise(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        else if digits.hasPrefix("84"), digits.count == 11 { digits = "0" + digits.dropFirst(2) }
        guard digits.count == 10, digits.hasPrefix("0"), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }
}

/// How an applicant's contact is reached: an e-mail address has an "@", a phone number never
/// does (phones are stored as `VietnamesePhone` digits).
public enum ContactChannel: Sendable, Equatable {
    case email
    case phone

    public init(of contact: String) {
        self = contact.contains("@") ? .email : .phone
    }
}

/// The number that identifies an applicant: the 12-digit citizen identity card (CCCD) for a
/// citizen, the 10- or 13-digit tax code (mã số thuế, branches written `0101234567-001`) for a business.
public enum ApplicantIdentityNumber {
    public enum Holder: Sendable { case citizen, business }

    /// The number as stored (digits only), or nil when it has the wrong shape for the holder.
    public static func normalise(_ text: String, for holder: Holder) -> String? {
        let digits = text.filter { $0 != " " && $0 != "-" && $0 != "." }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        switch holder {
        case .citizen: return digits.count == 12 ? digits : nil
        case .business: return digits.count == 10 || digits.count == 13 ? digits : nil
        }
    }
}

/// The one-time code that confirms a new account's e-mail or phone: 6 digits, 30 minutes, 5 tries.
public enum ConfirmationCodeRule {
    public static let digits = 6
    public static let lifetimeSeconds: Double = 30 * 60
    public static let maximumAttempts = 5
    /// A new code may be asked for once a minute.
    public static let resendIntervalSeconds: Double = 60

    /// Seconds to wait before another code may go, when one went at `sentAt`; nil when it may go now.
    public static func secondsToWait(sentAt: Date?, now: Date) -> Int? {
        guard let sentAt, now.timeIntervalSince(sentAt) < resendIntervalSeconds else { return nil }
        return Int((resendIntervalSeconds - now.timeIntervalSince(sentAt)).rounded(.up))
    }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(Int.random(in: 0..<1_000_000, using: &generator)).leftPadded(to: digits)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
