/// An append-only revision of a PDF (ISO 32000-1 §7.5.6): the original bytes stay as they
/// are, byte for byte, so signatures made over earlier revisions still verify; new and
/// changed objects, a cross-reference section of the original's kind and a trailer with
/// `/Prev` follow them.
public struct PDFIncrementalUpdate: Sendable {
    public let original: PDFFile
    private var bodies: [PDFReference: [UInt8]] = [:]
    private var nextNumber: Int

    public init(_ original: PDFFile) {
        self.original = original
        nextNumber = original.size
    }

    /// A fresh object number, to refer to an object before it is written.
    public mutating func reserve() -> PDFReference {
        defer { nextNumber += 1 }
        return PDFReference(nextNumber)
    }

    public mutating func add(_ object: PDFObject) -> PDFReference {
        let ref = reserve()
        set(ref, object)
        return ref
    }

    public mutating func add(stream dictionary: PDFDictionary, data: [UInt8]) -> PDFReference {
        let ref = reserve()
        set(ref, stream: dictionary, data: data)
        return ref
    }

    /// Writes (or rewrites, for an object of the original) the object under `ref`.
    public mutating func set(_ ref: PDFReference, _ object: PDFObject) {
        bodies[ref] = object.bytes
    }

    public mutating func set(_ ref: PDFReference, stream dictionary: PDFDictionary, data: [UInt8]) {
        var dictionary = dictionary
        dictionary["Length"] = .integer(data.count)
        dictionary["Filter"] = nil
        var body = PDFObject.dictionary(dictionary).bytes
        body += Array("\nstream\n".utf8) + data + Array("\nendstream".utf8)
        bodies[ref] = body
    }

    public struct Output: Sendable {
        public var bytes: [UInt8]
        /// Where each written object starts (`n g obj`).
        public var offsets: [PDFReference: Int]
    }

    public func write() -> Output {
        var out = original.bytes
        if out.last != 10 && out.last != 13 { out.append(10) }
        var offsets: [PDFReference: Int] = [:]
        for ref in bodies.keys.sorted() {
            offsets[ref] = out.count
            out += Array("\(ref.number) \(ref.generation) obj\n".utf8)
            out += bodies[ref]!
            out += Array("\nendobj\n".utf8)
        }
        var trailer = PDFDictionary()
        for key in ["Root", "Info", "ID"] {
            if let value = original.trailer[key] { trailer[key] = value }
        }
        trailer["Prev"] = .integer(original.startXref)
        switch original.kind {
        case .table:
            let xref = out.count
            out += Array("xref\n".utf8)
            for run in Self.runs(offsets.keys.map(\.number)) {
                out += Array("\(run.first!) \(run.count)\n".utf8)
                for number in run {
                    let ref = offsets.keys.first { $0.number == number }!
                    out += Array(Self.padded(offsets[ref]!, 10).utf8) + Array(" \(Self.padded(ref.generation, 5)) n\r\n".utf8)
                }
            }
            var tableTrailer = PDFDictionary([("Size", .integer(nextNumber))])
            tableTrailer.entries += trailer.entries
            out += Array("trailer\n".utf8) + PDFObject.dictionary(tableTrailer).bytes
            out += Array("\nstartxref\n\(xref)\n%%EOF\n".utf8)
        case .stream:
            // The cross-reference stream is an object itself and lists its own offset.
            let streamRef = PDFReference(nextNumber)
            let xref = out.count
            offsets[streamRef] = xref
            let numbers = offsets.keys.map(\.number)
            var index: [PDFObject] = []
            var data: [UInt8] = []
            for run in Self.runs(numbers) {
                index += [.integer(run.first!), .integer(run.count)]
                for number in run {
                    let ref = offsets.keys.first { $0.number == number }!
                    let offset = offsets[ref]!
                    data.append(1)
                    data += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: offset >> $0) }
                    data += [UInt8(truncatingIfNeeded: ref.generation >> 8), UInt8(truncatingIfNeeded: ref.generation)]
                }
            }
            var dictionary = PDFDictionary([("Type", .name("XRef")), ("Size", .integer(nextNumber + 1)),
                                            ("W", .array([.integer(1), .integer(4), .integer(2)])), ("Index", .array(index)),
                                            ("Length", .integer(data.count))])
            dictionary.entries += trailer.entries
            out += Array("\(streamRef.number) 0 obj\n".utf8) + PDFObject.dictionary(dictionary).bytes
            out += Array("\nstream\n".utf8) + data + Array("\nendstream\nendobj\n".utf8)
            out += Array("startxref\n\(xref)\n%%EOF\n".utf8)
        }
        return Output(bytes: out, offsets: offsets)
    }

    /// Consecutive runs of sorted numbers: one cross-reference subsection each.
    static func runs(_ numbers: [Int]) -> [[Int]] {
        var result: [[Int]] = []
        for number in numbers.sorted() {
            if let last = result.last?.last, last + 1 == number { result[result.count - 1].append(number) } else { result.append([number]) }
        }
        return result
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
