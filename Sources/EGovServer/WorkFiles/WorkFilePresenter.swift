import EGovCore
import Fluent
import Vapor

struct WorkFileItemDTO: Content, Equatable {
    let position: Int
    /// incoming or outgoing
    let kind: String
    /// The document's id in its register.
    let id: UUID
    /// Empty for an outgoing draft not yet issued.
    let numberNotation: String
    /// Ngày văn bản (ISO): the issue date; nil for an outgoing draft.
    let date: String?
    /// Tác giả: the sender of an incoming document, the agency itself for an outgoing one.
    let author: String
    let subject: String
    let pageCount: Int
    let state: String
    /// "12/2026" for an incoming document.
    let arrival: String?
    let addedAt: Date
    let addedBy: PersonRef

    enum CodingKeys: String, CodingKey {
        case position, kind, id, date, author, subject, state, arrival
        case numberNotation = "number_notation", pageCount = "page_count", addedAt = "added_at", addedBy = "added_by"
    }
}

/// Tổng số: what the caller sees of the file, and how many documents are not for them.
struct WorkFileTotalsDTO: Content, Equatable {
    let incoming: Int
    let outgoing: Int
    let documents: Int
    let pages: Int
    let hidden: Int
}

struct WorkFileDTO: Content {
    let id: UUID
    let year: Int
    let code: String
    let title: String
    let keeper: PersonRef
    let unit: PersonRef
    /// Years as text, or `permanent`.
    let retention: String
    let retentionLabel: String
    let state: String
    let openedAt: Date
    let closedAt: Date?
    let archivedAt: Date?
    let notes: String
    /// Every document in the file, including those the caller may not see.
    let documentCount: Int
    let availableMoves: [String]
    let canChangeDocuments: Bool
    var items: [WorkFileItemDTO]?
    var totals: WorkFileTotalsDTO?

    enum CodingKeys: String, CodingKey {
        case id, year, code, title, keeper, unit, retention, state, notes, items, totals
        case retentionLabel = "retention_label", openedAt = "opened_at", closedAt = "closed_at", archivedAt = "archived_at"
        case documentCount = "document_count", availableMoves = "available_moves", canChangeDocuments = "can_change_documents"
    }
}

/// Turns files into what API and pages show, with names resolved in a few queries.
struct WorkFilePresenter {
    let actor: Actor
    let db: Database

    func dtos(_ files: [WorkFile]) async throws -> [WorkFileDTO] {
        let counts = try await WorkFileQueries.documentCounts(of: files.compactMap(\.id), on: db)
        let people = try await names(ofUsers: Set(files.map(\.keeperID)))
        let unitIDs = Array(Set(files.map(\.unitID)))
        let units = unitIDs.isEmpty ? [:] : Dictionary(
            try await AgencyUnit.query(on: db).filter(\.$id ~~ unitIDs).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        return files.map { file in
            WorkFileDTO(
                id: file.id!, year: file.year, code: file.code, title: file.title,
                keeper: PersonRef(id: file.keeperID, name: people[file.keeperID] ?? ""),
                unit: PersonRef(id: file.unitID, name: units[file.unitID] ?? ""),
                retention: file.retention, retentionLabel: file.retentionPeriod?.label ?? file.retention,
                state: file.state, openedAt: file.openedAt, closedAt: file.closedAt, archivedAt: file.archivedAt, notes: file.notes,
                documentCount: counts[file.id!] ?? 0,
                availableMoves: WorkFilePermissions.availableMoves(on: file, actor: actor).map(\.rawValue),
                canChangeDocuments: WorkFilePermissions.canChangeDocuments(of: file, actor: actor))
        }
    }

    /// One file with the documents the caller may see, in order, and the totals.
    func detail(_ file: WorkFile) async throws -> WorkFileDTO {
        var dto = try await dtos([file])[0]
        let contents = try await WorkFileQueries.contents(of: file, actor: actor, on: db)
        let adders = try await names(ofUsers: Set(contents.entries.map(\.item.addedByID)))
        dto.items = contents.entries.map { entry in
            let item = entry.item
            let addedBy = PersonRef(id: item.addedByID, name: adders[item.addedByID] ?? "")
            switch entry.document {
            case .incoming(let doc):
                return WorkFileItemDTO(position: item.position, kind: "incoming", id: doc.id!, numberNotation: doc.numberNotation,
                                       date: doc.issuedDate, author: doc.senderName, subject: doc.subject, pageCount: doc.pageCount,
                                       state: doc.state, arrival: "\(doc.arrivalNumber)/\(doc.arrivalYear)", addedAt: item.addedAt, addedBy: addedBy)
            case .outgoing(let doc):
                return WorkFileItemDTO(position: item.position, kind: "outgoing", id: doc.id!, numberNotation: doc.numberNotation ?? "",
                                       date: doc.issuedDate, author: actor.agencyName, subject: doc.subject, pageCount: doc.pageCount,
                                       state: doc.state, arrival: nil, addedAt: item.addedAt, addedBy: addedBy)
            }
        }
        dto.totals = WorkFileTotalsDTO(incoming: contents.incomingCount, outgoing: contents.outgoingCount,
                                       documents: contents.entries.count, pages: contents.pageCount, hidden: contents.hiddenCount)
        return dto
    }

    private func names(ofUsers ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let users = try await User.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(users.map { ($0.id!, $0.fullName) }, uniquingKeysWith: { a, _ in a })
    }
}
