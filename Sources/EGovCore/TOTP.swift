import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with HMAC-SHA1, the variant
/// every authenticator app supports.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    /// Clamped to 1...9 (the 31-bit dynamic code has at most 10 digits, the 10th biased).
    public let digits: Int
    /// Seconds per step; at least 1.
    public let period: Int

    public init(secret: [UInt8], digits: Int = 6, period: Int = 30) {
        self.secret = secret
        self.digits = min(max(digits, 1), 9)
        self.period = max(period, 1)
    }

    /// 20 random bytes, the HMAC-SHA1 block-friendly length RFC 4226 recommends.
    public static func generateSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public func counter(at instant: Date) -> UInt64 {
        let steps = (instant.timeIntervalSince1970 / Double(period)).rounded(.down)
        return steps <= 0 ? 0 : UInt64(steps)
    }

    public func code(at instant: Date) -> String {
        code(counter: counter(at: instant))
    }

    public func code(counter: UInt64) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 {
            message[index] = UInt8(truncatingIfNeeded: counter >> UInt64(56 - 8 * index))
        }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24)
            | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// Accepts the code of any step within ±`window` of `instant` (clock drift). Surrounding
    /// whitespace is ignored; anything but exactly `digits` ASCII digits is rejected.
    public func verify(_ code: String, at instant: Date, window: Int = 1) -> Bool {
        let candidate = Array(code.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard candidate.count == digits,
              candidate.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        let current = counter(at: instant)
        let steps = max(window, 0)
        var matched = false
        // Check every step without early exit so timing does not reveal which one matched.
        for delta in -steps...steps {
            let (counter, overflow) = delta < 0
                ? current.subtractingReportingOverflow(UInt64(-delta))
                : current.addingReportingOverflow(UInt64(delta))
            if overflow { continue }
            if TOTP.constantTimeEqual(Array(self.code(counter: counter).utf8), candidate) { matched = true }
        }
        return matched
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// The `otpauth://` URI that authenticator apps read from a QR code.
    public func provisioningURI(account: String, issuer: String) -> String {
        // ASCII unreserved only: Vietnamese letters must be percent-encoded as UTF-8.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        func escape(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
        return "otpauth://totp/\(escape(issuer)):\(escape(account))?secret=\(Base32.encode(secret))"
            + "&issuer=\(escape(issuer))&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }
}
