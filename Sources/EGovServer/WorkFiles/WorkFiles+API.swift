import EGovCore
import Fluent
import Vapor

/// `/api/v1/work-files`: the yearly file list, a file with its documents, and its moves.
struct WorkFileAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let files = routes.grouped("work-files")
        files.get(use: list)
        files.post(use: create)
        files.get(":fileID", use: show)
        files.post(":fileID", "documents", use: addDocument)
        files.delete(":fileID", "documents", ":kind", ":documentID", use: removeDocument)
        for move in WorkFileMove.allCases {
            files.post(":fileID", PathComponent(stringLiteral: move.rawValue)) { req async throws -> WorkFileDTO in
                try await self.move(move, req: req)
            }
        }
    }

    func list(req: Request) async throws -> [WorkFileDTO] {
        let actor = try req.actor
        let filter = try WorkFileFilter(query: req)
        let files = try await WorkFileQueries.list(year: filter.year, actor: actor, on: req.db)
        return try await WorkFilePresenter(actor: actor, db: req.db).dtos(files)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.content.decode(WorkFileInput.self)
        let file = try await CreateWorkFile(actor: actor, input: try input.validate(currentYear: LocalDate.inVietnam(req.now).year)).run(in: req.useCase)
        return try await WorkFilePresenter(actor: actor, db: req.db).detail(file).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> WorkFileDTO {
        let actor = try req.actor
        let file = try await WorkFileQueries.visible(try req.uuidParameter("fileID"), to: actor, on: req.db)
        return try await WorkFilePresenter(actor: actor, db: req.db).detail(file)
    }

    func addDocument(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.content.decode(WorkFileDocumentInput.self).validate()
        let file = try await AddDocumentToWorkFile(actor: actor, fileID: try req.uuidParameter("fileID"), input: input).run(in: req.useCase)
        return try await WorkFilePresenter(actor: actor, db: req.db).detail(file).encodeResponse(status: .created, for: req)
    }

    func removeDocument(req: Request) async throws -> WorkFileDTO {
        let actor = try req.actor
        guard let kind = req.parameters.get("kind").flatMap(WorkFileItem.Kind.init(rawValue:)) else {
            throw EGovError.notFound("Văn bản này không có trong hồ sơ.")
        }
        let file = try await RemoveDocumentFromWorkFile(actor: actor, fileID: try req.uuidParameter("fileID"), kind: kind,
                                                        documentID: try req.uuidParameter("documentID")).run(in: req.useCase)
        return try await WorkFilePresenter(actor: actor, db: req.db).detail(file)
    }

    func move(_ move: WorkFileMove, req: Request) async throws -> WorkFileDTO {
        let actor = try req.actor
        let fileID = try req.uuidParameter("fileID")
        let file: WorkFile
        switch move {
        case .close: file = try await CloseWorkFile(actor: actor, fileID: fileID).run(in: req.useCase)
        case .reopen: file = try await ReopenWorkFile(actor: actor, fileID: fileID).run(in: req.useCase)
        case .archive: file = try await ArchiveWorkFile(actor: actor, fileID: fileID).run(in: req.useCase)
        }
        return try await WorkFilePresenter(actor: actor, db: req.db).detail(file)
    }
}
