import CZlib

/// Decoding of the streams an incremental update must read: cross-reference streams and
/// object streams, which writers compress with FlateDecode and often a PNG predictor.
/// Page content is never decoded.
enum PDFStreamFilters {
    /// Decoded output larger than this is refused (a zip bomb in a cross-reference stream).
    static let maximumDecodedBytes = 64 * 1_048_576

    static func decode(_ data: [UInt8], dictionary: PDFDictionary) throws -> [UInt8] {
        let filters: [String]
        switch dictionary["Filter"] {
        case nil, .null?: filters = []
        case .name(let name)?: filters = [name]
        case .array(let items)?: filters = items.compactMap(\.name)
        default: throw PDFStampingError.unsupportedFilter("?")
        }
        let parameters: [PDFDictionary?]
        switch dictionary["DecodeParms"] {
        case .dictionary(let single)?: parameters = [single]
        case .array(let items)?: parameters = items.map(\.dictionary)
        default: parameters = []
        }
        var output = data
        for (index, filter) in filters.enumerated() {
            guard filter == "FlateDecode" || filter == "Fl" else { throw PDFStampingError.unsupportedFilter(filter) }
            output = try Inflate.zlib(output, limit: maximumDecodedBytes)
            if index < parameters.count, let parms = parameters[index] {
                output = try unpredict(output, parameters: parms)
            }
        }
        return output
    }

    /// PNG predictors (§7.4.4.4, values 10–15): each row starts with its filter type.
    static func unpredict(_ data: [UInt8], parameters: PDFDictionary) throws -> [UInt8] {
        let predictor = parameters["Predictor"]?.integer ?? 1
        guard predictor >= 10 else {
            guard predictor == 1 else { throw PDFStampingError.unsupportedFilter("Predictor \(predictor)") }
            return data
        }
        let colors = parameters["Colors"]?.integer ?? 1
        let bits = parameters["BitsPerComponent"]?.integer ?? 8
        let columns = parameters["Columns"]?.integer ?? 1
        guard (1...32).contains(colors), [1, 2, 4, 8, 16].contains(bits), (1...100_000).contains(columns) else {
            throw PDFStampingError.malformed("bad predictor parameters")
        }
        let pixelBytes = max(1, colors * bits / 8)
        let rowBytes = (colors * bits * columns + 7) / 8
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var cursor = 0
        while cursor < data.count {
            let type = data[cursor]
            cursor += 1
            var row = [UInt8](repeating: 0, count: rowBytes)
            for i in 0..<rowBytes where cursor + i < data.count { row[i] = data[cursor + i] }
            cursor += rowBytes
            for i in 0..<rowBytes {
                let left = i >= pixelBytes ? Int(row[i - pixelBytes]) : 0
                let up = Int(previous[i])
                let upLeft = i >= pixelBytes ? Int(previous[i - pixelBytes]) : 0
                let add: Int
                switch type {
                case 0: add = 0
                case 1: add = left
                case 2: add = up
                case 3: add = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    add = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: throw PDFStampingError.malformed("bad PNG row filter \(type)")
                }
                row[i] = UInt8(truncatingIfNeeded: Int(row[i]) + add)
            }
            output += row
            previous = row
        }
        return output
    }
}

/// DEFLATE inside a zlib wrapper (RFC 1950): the FlateDecode filter, by the system's zlib.
enum Inflate {
    /// The decoded bytes; more than `limit` of them (a zip bomb), damaged or truncated data is refused.
    static func zlib(_ data: [UInt8], limit: Int) throws -> [UInt8] {
        guard !data.isEmpty else { throw PDFStampingError.malformed("not zlib data") }
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw PDFStampingError.malformed("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = data
        return try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer -> (Int32, Int) in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, buffer.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                guard output.count <= limit else { throw PDFStampingError.malformed("decoded stream larger than \(limit) bytes") }
                switch status {
                case Z_STREAM_END: return output
                case Z_OK: if produced == 0 && stream.avail_in == 0 { throw PDFStampingError.malformed("deflate data ends early") }
                case Z_BUF_ERROR where stream.avail_in == 0: throw PDFStampingError.malformed("deflate data ends early")
                default: throw PDFStampingError.malformed("damaged deflate data")
                }
            }
        }
    }
}
