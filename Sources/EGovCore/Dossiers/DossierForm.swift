import Foundation

/// A field of a procedure's online form (tờ khai), as the agency admin defines it.
public struct DossierFormField: Codable, Equatable, Sendable {
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case text, number, date, choice, file
    }

    /// The name the value travels under: lower-case ASCII letters, digits and `_`.
    public var key: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    /// The choices of a `choice` field.
    public var options: [String]

    public init(key: String, label: String, kind: Kind, required: Bool = true, options: [String] = []) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.options = options
    }

    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 40 && key.first!.isLetter
            && key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// "key | label | kind | yes/no | option; option": one line of the admin's text box.
    public var line: String {
        var parts = [key, label, kind.rawValue, required ? "yes" : "no"]
        if !options.isEmpty { parts.append(options.joined(separator: "; ")) }
        return parts.joined(separator: " | ")
    }

    public enum LineProblem: Error, Equatable {
        case shape, key, kind, flag, choiceWithoutOptions
    }

    public init(line: String) throws {
        let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (3...5).contains(parts.count), !parts[1].isEmpty else { throw LineProblem.shape }
        guard Self.isValidKey(parts[0]) else { throw LineProblem.key }
        guard let kind = Kind(rawValue: parts[2].lowercased()) else { throw LineProblem.kind }
        var required = true
        if parts.count > 3, !parts[3].isEmpty {
            switch SearchFolding.fold(parts[3]) {
            case "yes", "co", "true", "1", "bat buoc": required = true
            case "no", "khong", "false", "0", "khong bat buoc": required = false
            default: throw LineProblem.flag
            }
        }
        let options = parts.count > 4 ? parts[4].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
        if kind == .choice, options.isEmpty { throw LineProblem.choiceWithoutOptions }
        self.init(key: parts[0], label: parts[1], kind: kind, required: required, options: options)
    }
}

/// What is wrong with one submitted value.
public enum DossierFormProblem: Equatable, Sendable {
    case missing
    case notANumber
    case notADate
    case notAnOption
    case tooLong
}

/// Checks what an applicant submits against the procedure's form and its required documents:
/// every problem at once, so the person fixes them in one go.
public struct DossierForm: Sendable {
    public let fields: [DossierFormField]
    public let documents: [RequiredDocument]

    public init(fields: [DossierFormField], documents: [RequiredDocument]) {
        self.fields = fields
        self.documents = documents
    }

    /// A place a paper goes: a required document or a file field of the form.
    public struct Slot: Equatable, Sendable {
        public let key: String
        public let label: String
        public let required: Bool
        /// "1 bản chính, 1 bản sao" for a required document; "" for a file field.
        public let counts: String
    }

    /// The required documents in order (`document_1`, …), then the form's file fields.
    public var slots: [Slot] {
        documents.enumerated().map { Slot(key: Self.documentSlot($0.offset), label: $0.element.name, required: $0.element.mandatory,
                                          counts: $0.element.countsLabel) }
            + fields.filter { $0.kind == .file }.map { Slot(key: $0.key, label: $0.label, required: $0.required, counts: "") }
    }

    /// The upload slot of the n-th required document (from 0).
    public static func documentSlot(_ index: Int) -> String { "document_\(index + 1)" }

    public static let textLimit = 2_000

    /// Problems by field key or document slot. `values` holds the text fields, `files` the
    /// slots that received at least one file.
    public func problems(values: [String: String], files: Set<String>) -> [String: DossierFormProblem] {
        var problems: [String: DossierFormProblem] = [:]
        for field in fields {
            let value = (values[field.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if field.kind == .file {
                if field.required, !files.contains(field.key) { problems[field.key] = .missing }
                continue
            }
            if value.isEmpty {
                if field.required { problems[field.key] = .missing }
                continue
            }
            switch field.kind {
            case .number:
                if Decimal(string: value.replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX")) == nil
                    || value.contains(where: { $0.isLetter }) { problems[field.key] = .notANumber }
            case .date:
                if LocalDate(iso: value) == nil { problems[field.key] = .notADate }
            case .choice:
                if !field.options.contains(value) { problems[field.key] = .notAnOption }
            case .text, .file:
                if value.count > Self.textLimit { problems[field.key] = .tooLong }
            }
        }
        for (index, document) in documents.enumerated() where document.mandatory && !files.contains(Self.documentSlot(index)) {
            problems[Self.documentSlot(index)] = .missing
        }
        return problems
    }
}
