import EGovCore
import Foundation
import NIOCore
import Vapor

/// A flat JSON object written straight into the response's bytes. For the public look-up, the
/// busiest answer of the portal, `JSONEncoder` cost as much as the database read; the output is
/// what Vapor's encoder writes (ISO 8601 dates, absent optionals left out), so clients see no
/// difference.
struct JSONObjectText {
    private var buffer: ByteBuffer
    private var empty = true

    init(capacity: Int = 512) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    mutating func add(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        addKey(key)
        Self.writeQuoted(value, to: &buffer)
    }

    mutating func add(_ key: StaticString, _ value: Int) {
        addKey(key)
        buffer.writeString(String(value))
    }

    mutating func add(_ key: StaticString, _ value: Date?) {
        guard let value else { return }
        addKey(key)
        Self.writeISO8601(value, to: &buffer)
    }

    /// The finished object as an API answer (`application/json; charset=utf-8`).
    func response(status: HTTPResponseStatus = .ok) -> Response {
        var finished = buffer
        finished.writeInteger(UInt8(ascii: "}"))
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(buffer: finished))
    }

    private mutating func addKey(_ key: StaticString) {
        if !empty { buffer.writeInteger(UInt8(ascii: ",")) }
        empty = false
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeStaticString("\":")
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `"2026-03-02T03:05:00Z"`: what `formatted(.iso8601)` writes (UTC, the fraction of a second
    /// dropped), from EGovCore's civil date and time of day at UTC, without a calendar.
    static func writeISO8601(_ date: Date, to buffer: inout ByteBuffer) {
        // Years 1–9999 only (four digits); Foundation writes the others.
        let interval = date.timeIntervalSince1970
        guard interval > -62_135_596_800, interval < 253_402_300_800 else {
            writeQuoted(date.formatted(.iso8601), to: &buffer)
            return
        }
        let day = LocalDate.at(date, utcOffsetSeconds: 0)
        let time = Int(LocalDate.secondsOfDay(date, utcOffsetSeconds: 0))  // the fraction dropped
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                buffer.writeInteger(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        digits(day.year, 4)
        buffer.writeInteger(UInt8(ascii: "-"))
        digits(day.month, 2)
        buffer.writeInteger(UInt8(ascii: "-"))
        digits(day.day, 2)
        buffer.writeInteger(UInt8(ascii: "T"))
        digits(time / 3600, 2)
        buffer.writeInteger(UInt8(ascii: ":"))
        digits(time / 60 % 60, 2)
        buffer.writeInteger(UInt8(ascii: ":"))
        digits(time % 60, 2)
        buffer.writeStaticString("Z\"")
    }

    /// RFC 8259 string escaping: quote, backslash and control characters; every other byte
    /// (Vietnamese letters included) is written as its UTF-8.
    static func writeQuoted(_ value: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            buffer.writeString(value)
        } else {
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case ..<0x20:
                    buffer.writeStaticString("\\u00")
                    buffer.writeBytes([hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]])
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
