import Foundation

/// RFC 4648 base32, the encoding authenticator apps expect for TOTP secrets.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Uppercase, no padding (otpauth URIs omit it).
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 0x1F)])
                bits -= 5
            }
        }
        if bits > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Accepts lowercase, whitespace and trailing "=" padding, since people copy secrets by hand.
    /// Nil on any other character, on "=" before the end, or on a length no encoding produces.
    public static func decode(_ text: String) -> [UInt8]? {
        var symbols: [UInt8] = []
        var seenPadding = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            if scalar == "=" { seenPadding = true; continue }
            guard !seenPadding, let value = value(of: scalar) else { return nil }
            symbols.append(value)
        }
        // 8 symbols carry 5 bytes; a final group of 1, 3 or 6 symbols cannot come from whole bytes.
        guard ![1, 3, 6].contains(symbols.count % 8) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(symbols.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            buffer = (buffer << 5) | UInt32(symbol)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return output
    }

    private static func value(of scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x41...0x5A: return UInt8(scalar.value - 0x41)        // A-Z
        case 0x61...0x7A: return UInt8(scalar.value - 0x61)        // a-z
        case 0x32...0x37: return UInt8(scalar.value - 0x32 + 26)   // 2-7
        default: return nil
        }
    }
}
