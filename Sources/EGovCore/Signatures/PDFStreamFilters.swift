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

/// DEFLATE (RFC 1951) inside a zlib wrapper (RFC 1950): the FlateDecode filter.
enum Inflate {
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) throws {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for bits in 1..<16 { offsets[bits] = offsets[bits - 1] + counts[bits - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    struct BitReader {
        let data: [UInt8]
        var position: Int
        var bitBuffer = 0
        var bitCount = 0

        mutating func bits(_ count: Int) throws -> Int {
            while bitCount < count {
                guard position < data.count else { throw PDFStampingError.malformed("deflate data ends early") }
                bitBuffer |= Int(data[position]) << bitCount
                position += 1
                bitCount += 8
            }
            let value = bitBuffer & ((1 << count) - 1)
            bitBuffer >>= count
            bitCount -= count
            return value
        }

        mutating func decode(_ table: Huffman) throws -> Int {
            var code = 0, first = 0, index = 0
            for length in 1..<16 {
                code |= try bits(1)
                let count = table.counts[length]
                if code - count < first { return table.symbols[index + (code - first)] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw PDFStampingError.malformed("bad deflate code")
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                               4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static func zlib(_ data: [UInt8], limit: Int) throws -> [UInt8] {
        guard data.count >= 2, data[0] & 0x0F == 8, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0, data[1] & 0x20 == 0 else {
            throw PDFStampingError.malformed("not zlib data")
        }
        return try raw(data, from: 2, limit: limit)
    }

    static func raw(_ data: [UInt8], from start: Int, limit: Int) throws -> [UInt8] {
        var reader = BitReader(data: data, position: start)
        var output: [UInt8] = []
        var isLast = false
        while !isLast {
            isLast = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                reader.bitBuffer = 0
                reader.bitCount = 0
                guard reader.position + 4 <= data.count else { throw PDFStampingError.malformed("deflate data ends early") }
                let length = Int(data[reader.position]) | Int(data[reader.position + 1]) << 8
                reader.position += 4
                guard reader.position + length <= data.count else { throw PDFStampingError.malformed("deflate data ends early") }
                output += data[reader.position..<reader.position + length]
                reader.position += length
            case 1:
                var lengths = [Int](repeating: 8, count: 288)
                for i in 144..<256 { lengths[i] = 9 }
                for i in 256..<280 { lengths[i] = 7 }
                try inflateBlock(&reader, &output, literals: try Huffman(lengths: lengths),
                                 distances: try Huffman(lengths: [Int](repeating: 5, count: 30)), limit: limit)
            case 2:
                let literalCount = try reader.bits(5) + 257
                let distanceCount = try reader.bits(5) + 1
                let codeCount = try reader.bits(4) + 4
                var codeLengths = [Int](repeating: 0, count: 19)
                for i in 0..<codeCount { codeLengths[codeLengthOrder[i]] = try reader.bits(3) }
                let codeTable = try Huffman(lengths: codeLengths)
                var lengths: [Int] = []
                while lengths.count < literalCount + distanceCount {
                    let symbol = try reader.decode(codeTable)
                    switch symbol {
                    case 0..<16: lengths.append(symbol)
                    case 16:
                        guard let last = lengths.last else { throw PDFStampingError.malformed("bad deflate lengths") }
                        lengths += [Int](repeating: last, count: 3 + (try reader.bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try reader.bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try reader.bits(7)))
                    }
                }
                guard lengths.count == literalCount + distanceCount else { throw PDFStampingError.malformed("bad deflate lengths") }
                try inflateBlock(&reader, &output, literals: try Huffman(lengths: Array(lengths[0..<literalCount])),
                                 distances: try Huffman(lengths: Array(lengths[literalCount...])), limit: limit)
            default:
                throw PDFStampingError.malformed("bad deflate block type")
            }
            guard output.count <= limit else { throw PDFStampingError.malformed("stream too large when decoded") }
        }
        return output
    }

    static func inflateBlock(_ reader: inout BitReader, _ output: inout [UInt8], literals: Huffman, distances: Huffman, limit: Int) throws {
        while true {
            let symbol = try reader.decode(literals)
            if symbol < 256 {
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < lengthBase.count else { throw PDFStampingError.malformed("bad deflate length") }
                let length = lengthBase[index] + (try reader.bits(lengthExtra[index]))
                let distanceSymbol = try reader.decode(distances)
                guard distanceSymbol < distanceBase.count else { throw PDFStampingError.malformed("bad deflate distance") }
                let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
                guard distance <= output.count else { throw PDFStampingError.malformed("deflate distance too far") }
                let from = output.count - distance
                for i in 0..<length { output.append(output[from + i]) }
                guard output.count <= limit else { throw PDFStampingError.malformed("stream too large when decoded") }
            }
        }
    }
}
