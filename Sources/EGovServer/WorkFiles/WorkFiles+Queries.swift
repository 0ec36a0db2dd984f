import EGovCore
import Fluent
import Vapor

/// A document of either register, as a work file holds it.
enum FiledDocument: Sendable {
    case incoming(IncomingDocument)
    case outgoing(OutgoingDocument)

    var kind: WorkFileItem.Kind {
        switch self {
        case .incoming: .incoming
        case .outgoing: .outgoing
        }
    }
    var id: UUID {
        switch self {
        case .incoming(let doc): doc.id!
        case .outgoing(let doc): doc.id!
        }
    }
    var pageCount: Int {
        switch self {
        case .incoming(let doc): doc.pageCount
        case .outgoing(let doc): doc.pageCount
        }
    }
}

/// What one person sees of a file: the documents they may see, in the file's order, and how
/// many others the file holds.
struct WorkFileContents: Sendable {
    let entries: [(item: WorkFileItem, document: FiledDocument)]
    let hiddenCount: Int

    var incomingCount: Int { entries.filter { $0.document.kind == .incoming }.count }
    var outgoingCount: Int { entries.filter { $0.document.kind == .outgoing }.count }
    var pageCount: Int { entries.reduce(0) { $0 + $1.document.pageCount } }
}

enum WorkFileQueries {
    /// A file of the actor's agency; another agency's is "not found", so its existence does not leak.
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> WorkFile {
        guard let file = try await WorkFile.query(on: db).filter(\.$id == id).owned(by: actor).first() else {
            throw EGovError.notFound("Không tìm thấy hồ sơ.")
        }
        return file
    }

    /// The agency's file list of one year, in code order.
    static func list(year: Int, actor: Actor, on db: Database) async throws -> [WorkFile] {
        let files = try await WorkFile.query(on: db).owned(by: actor).filter(\.$year == year).all()
        // Sorted here, not in SQL: `9.VP` comes before `10.VP` by number, not by text.
        return files.sorted { a, b in
            switch (a.fileCode, b.fileCode) {
            case let (x?, y?): x < y
            default: a.code < b.code
            }
        }
    }

    /// How many documents each file holds, whoever may see them.
    static func documentCounts(of fileIDs: [UUID], on db: Database) async throws -> [UUID: Int] {
        guard !fileIDs.isEmpty else { return [:] }
        let rows = try await WorkFileItem.query(on: db).filter(\.$workFile.$id ~~ fileIDs).field(\.$workFile.$id).all()
        return rows.reduce(into: [:]) { $0[$1.$workFile.id, default: 0] += 1 }
    }

    static func items(of fileID: UUID, on db: Database) async throws -> [WorkFileItem] {
        try await WorkFileItem.query(on: db).filter(\.$workFile.$id == fileID).sort(\.$position).all()
    }

    /// The file's documents that the actor may see, through the documents' own visibility rules.
    static func contents(of file: WorkFile, actor: Actor, on db: Database) async throws -> WorkFileContents {
        let items = try await items(of: file.id!, on: db)
        let incomingIDs = items.filter { $0.kind == .incoming }.map(\.documentID)
        let outgoingIDs = items.filter { $0.kind == .outgoing }.map(\.documentID)
        var incoming: [UUID: IncomingDocument] = [:]
        var outgoing: [UUID: OutgoingDocument] = [:]
        if !incomingIDs.isEmpty {
            for doc in try await IncomingDocumentQueries.visibleQuery(to: actor, on: db).filter(\.$id ~~ incomingIDs).all() { incoming[doc.id!] = doc }
        }
        if !outgoingIDs.isEmpty {
            for doc in try await OutgoingDocumentQueries.visibleQuery(to: actor, on: db).filter(\.$id ~~ outgoingIDs).all() { outgoing[doc.id!] = doc }
        }
        var entries: [(item: WorkFileItem, document: FiledDocument)] = []
        for item in items {
            switch item.kind {
            case .incoming: if let doc = incoming[item.documentID] { entries.append((item, .incoming(doc))) }
            case .outgoing: if let doc = outgoing[item.documentID] { entries.append((item, .outgoing(doc))) }
            case nil: break
            }
        }
        return WorkFileContents(entries: entries, hiddenCount: items.count - entries.count)
    }

    /// A document the actor may see; anything else is "not found".
    static func document(_ kind: WorkFileItem.Kind, _ id: UUID, visibleTo actor: Actor, on db: Database) async throws -> FiledDocument {
        switch kind {
        case .incoming: .incoming(try await IncomingDocumentQueries.visible(id, to: actor, on: db))
        case .outgoing: .outgoing(try await OutgoingDocumentQueries.visible(id, to: actor, on: db))
        }
    }

    /// Which register a pasted id belongs to, among the documents the actor may see.
    static func kind(of id: UUID, visibleTo actor: Actor, on db: Database) async throws -> WorkFileItem.Kind? {
        if try await IncomingDocumentQueries.visibleQuery(to: actor, on: db).filter(\.$id == id).count() > 0 { return .incoming }
        if try await OutgoingDocumentQueries.visibleQuery(to: actor, on: db).filter(\.$id == id).count() > 0 { return .outgoing }
        return nil
    }

    /// The files of the actor's agency that hold a document, newest list first.
    static func files(holding kind: WorkFileItem.Kind, _ documentID: UUID, actor: Actor, on db: Database) async throws -> [WorkFile] {
        let fileIDs = try await WorkFileItem.query(on: db).filter(\.$documentKind == kind.rawValue)
            .filter(\.$documentID == documentID).all().map(\.$workFile.id)
        guard !fileIDs.isEmpty else { return [] }
        return try await WorkFile.query(on: db).owned(by: actor).filter(\.$id ~~ fileIDs)
            .sort(\.$year, .descending).sort(\.$code).all()
    }

    /// Open files the actor may add documents to, newest list first.
    static func openFiles(changeableBy actor: Actor, on db: Database) async throws -> [WorkFile] {
        try await WorkFile.query(on: db).owned(by: actor).filter(\.$state == WorkFileState.open.rawValue)
            .sort(\.$year, .descending).sort(\.$code).all()
            .filter { WorkFilePermissions.canChangeDocuments(of: $0, actor: actor) }
    }

    /// Recent documents the actor may see and could add: newest registrations and latest
    /// outgoing changes, without withdrawn ones and those already in the file.
    static func recentDocuments(for actor: Actor, excluding items: [WorkFileItem], limit: Int = 30,
                                on db: Database) async throws -> (incoming: [IncomingDocument], outgoing: [OutgoingDocument]) {
        let filed = Set(items.map { "\($0.documentKind):\($0.documentID)" })
        let incoming = try await IncomingDocumentQueries.visibleQuery(to: actor, on: db)
            .filter(\.$state != IncomingDocumentState.withdrawn.rawValue)
            .sort(\.$registeredAt, .descending).sort(\.$id).limit(limit + filed.count).all()
            .filter { !filed.contains("incoming:\($0.id!)") }
        let outgoing = try await OutgoingDocumentQueries.visibleQuery(to: actor, on: db)
            .filter(\.$state != OutgoingDocumentState.withdrawn.rawValue)
            .sort(\.$updatedAt, .descending).sort(\.$id).limit(limit + filed.count).all()
            .filter { !filed.contains("outgoing:\($0.id!)") }
        return (Array(incoming.prefix(limit)), Array(outgoing.prefix(limit)))
    }
}
