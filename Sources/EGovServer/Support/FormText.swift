import Foundation
import Vapor

/// Small text helpers shared by every form.
enum FormText {
    /// Trims and normalises to NFC, so the same Vietnamese text typed on two keyboards is stored alike.
    static func clean(_ text: String?) -> String {
        (text ?? "").precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}

/// A note that goes with a move: progress, result, reason for returning or withdrawing.
struct NoteInput: Content {
    var note: String?

    func validate(required: Bool, field: String = "note", missing: String) throws -> String {
        let note = FormText.clean(self.note)
        if required, note.isEmpty { throw EGovError.invalid([field: missing]) }
        if note.count > 2000 { throw EGovError.invalid([field: "Nội dung dài tối đa 2000 ký tự."]) }
        return note
    }
}

extension KeyedDecodingContainer {
    /// Forms send every value as text, JSON clients numbers where they are numbers: both are
    /// accepted; anything else reads as absent, so validation names the field.
    func lenientText(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let number = try? decodeIfPresent(Int.self, forKey: key) { return String(number) }
        return nil
    }

    /// A list, or a single value standing for a list of one (a form with one box ticked).
    func lenientList(_ key: Key) -> [String]? {
        if let values = try? decodeIfPresent([String].self, forKey: key) { return values }
        return lenientText(key).map { [$0] }
    }
}

extension FormText {
    /// A required id from a form or JSON: a missing or malformed one is a field error.
    static func requiredID(_ raw: String?, field: String, missing: String) throws -> UUID {
        guard let id = UUID(uuidString: clean(raw)) else { throw EGovError.invalid([field: missing]) }
        return id
    }
}
