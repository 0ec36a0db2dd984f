import Vapor

/// The multipart decoder every upload goes through. MultipartKit 4.7 traps (stopping the
/// process) on a byte of 128 or more in a part's header name, so such a body is refused here
/// first with a 400; everything else is decoded by MultipartKit as before.
struct GuardedFormDataDecoder: ContentDecoder {
    /// Vapor's own multipart decoder (MultipartKit's), taken from its defaults so that setting
    /// this up again never wraps a wrapper.
    let decoder: any ContentDecoder

    init() throws {
        decoder = try ContentConfiguration.default().requireDecoder(for: .formData)
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: Sendable]) throws -> D {
        if let boundary = headers.contentType?.parameters["boundary"],
           !MultipartHeaderNames.areSafe(body.readableBytesView, boundary: Array(boundary.utf8)) {
            throw EGovError.badRequest("Dữ liệu tải lên (multipart) không đúng định dạng.", code: "malformed_multipart")
        }
        return try decoder.decode(D.self, from: body, headers: headers, userInfo: userInfo)
    }
}

/// Walks a multipart body as MultipartKit's parser does (preamble up to the first `--boundary`,
/// then per part: CRLF, header lines `name: value` up to an empty line, the body up to
/// `CRLF--boundary`) and says whether any header name holds a byte MultipartKit cannot take.
/// Where the parser would stop on a syntax error first, the body is left to it.
enum MultipartHeaderNames {
    static func areSafe<Bytes: RandomAccessCollection>(_ bytes: Bytes, boundary: [UInt8]) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        let dashes: [UInt8] = [0x2D, 0x2D] + boundary
        guard !boundary.isEmpty, var index = find(dashes, in: bytes, from: bytes.startIndex) else { return true }
        index += dashes.count
        let delimiter: [UInt8] = [0x0D, 0x0A] + dashes
        while index < bytes.endIndex {
            // "--" after a boundary closes the body; anything but CRLF is the parser's syntax error.
            guard index + 1 < bytes.endIndex, bytes[index] == 0x0D, bytes[index + 1] == 0x0A else { return true }
            index += 2
            // Header lines until an empty one.
            while true {
                guard index < bytes.endIndex else { return true }
                if bytes[index] == 0x0D { index += 1; break }  // the empty line: headers end
                while index < bytes.endIndex, bytes[index] != 0x3A {  // the name, up to ':'
                    if bytes[index] >= 0x80 { return false }
                    if bytes[index] == 0x0D { return true }  // a name without ':' is a syntax error
                    index += 1
                }
                while index < bytes.endIndex, bytes[index] != 0x0D { index += 1 }  // the value
                index += 2  // CRLF
            }
            guard let next = find(delimiter, in: bytes, from: index) else { return true }
            index = next + delimiter.count
        }
        return true
    }

    private static func find<Bytes: RandomAccessCollection>(_ needle: [UInt8], in bytes: Bytes, from start: Int) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard let first = needle.first, needle.count <= bytes.endIndex - start else { return nil }
        var index = start
        let last = bytes.endIndex - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
