import EGovCore
import Vapor

/// Files chosen on a dossier form that was sent back for a missing paper or a bad field. They
/// are stored (checked by content) and listed in the person's web session under the procedure,
/// so the form can offer them again instead of making the person choose every file anew.
/// Only the session that chose a file can name it: a form cannot claim someone else's upload.
enum KeptUploads {
    struct File: Codable, Sendable, Equatable {
        let slot: String
        let fileName: String
        let type: String
        let size: Int
        let sha256: String

        var stored: StoredAttachment? {
            AttachmentContentType(rawValue: type).map { StoredAttachment(fileName: fileName, type: $0, size: size, sha256: sha256) }
        }
    }

    /// At most this many files are kept per form, so a session record stays small.
    static let limit = 40

    static func key(_ procedureID: UUID) -> String { "kept_uploads_\(procedureID.uuidString)" }

    static func load(_ procedureID: UUID, on req: Request) -> [File] {
        guard req.hasSession, let text = req.session.data[key(procedureID)] else { return [] }
        return (try? JSONDecoder().decode([File].self, from: Data(text.utf8))) ?? []
    }

    static func save(_ files: [File], procedureID: UUID, on req: Request) {
        guard !files.isEmpty, let data = try? JSONEncoder().encode(Array(files.suffix(limit))) else {
            clear(procedureID, on: req)
            return
        }
        req.session.data[key(procedureID)] = String(decoding: data, as: UTF8.self)
    }

    static func clear(_ procedureID: UUID, on req: Request) {
        guard req.hasSession else { return }
        req.session.data[key(procedureID)] = nil
    }

    /// The kept files the form asks to keep (`keep_<slot>` ticked), by slot.
    static func chosen(_ procedureID: UUID, slots: [String], on req: Request) -> [String: [StoredAttachment]] {
        let kept = load(procedureID, on: req)
        var chosen: [String: [StoredAttachment]] = [:]
        for slot in slots {
            let text = FormText.clean(try? req.content.get(String.self, at: "keep_\(slot)")).lowercased()
            guard ["on", "1", "true"].contains(text) else { continue }
            let files = kept.filter { $0.slot == slot }.compactMap(\.stored)
            if !files.isEmpty { chosen[slot] = files }
        }
        return chosen
    }
}
