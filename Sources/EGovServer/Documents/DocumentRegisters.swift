import EGovCore
import Fluent
import Vapor

/// Sổ đăng ký văn bản đến / đi (Decree 30, Annex IV): the registers a clerk prints or exports
/// for a date range.
enum DocumentRegisters {
    /// At most a year at a time: a register is kept per year.
    static let maxDays = 366
    static let pageSize = 2_000

    struct Range: Sendable {
        let from: LocalDate
        let to: LocalDate

        /// From `?from=&to=`; by default the current month up to today.
        init(query req: Request) throws {
            let today = LocalDate.inVietnam(req.now)
            func date(_ key: String) throws -> LocalDate? {
                let text = FormText.clean(req.query[String.self, at: key])
                if text.isEmpty { return nil }
                guard let date = LocalDate(iso: text) else { throw EGovError.badRequest("Ngày \"\(text)\" không hợp lệ (dạng năm-tháng-ngày).") }
                return date
            }
            from = try date("from") ?? LocalDate(year: today.year, month: today.month, day: 1)!
            to = try date("to") ?? today
            guard from <= to else { throw EGovError.badRequest("Từ ngày phải trước đến ngày.") }
            guard to.julianDay - from.julianDay < DocumentRegisters.maxDays else {
                throw EGovError.badRequest("Mỗi lần in hoặc xuất sổ tối đa \(DocumentRegisters.maxDays) ngày.")
            }
        }
    }

    /// One line of the incoming register, in its ten columns.
    struct IncomingLine: Content, Equatable {
        let arrivalDate: String
        let arrivalNumber: Int
        let sender: String
        let numberNotation: String
        let documentDate: String
        let subject: String
        let receivingUnit: String
        let handOverDate: String
        let signature: String
        let note: String

        enum CodingKeys: String, CodingKey {
            case sender, subject, signature, note
            case arrivalDate = "arrival_date", arrivalNumber = "arrival_number", numberNotation = "number_notation"
            case documentDate = "document_date", receivingUnit = "receiving_unit", handOverDate = "hand_over_date"
        }
    }

    struct OutgoingLine: Content, Equatable {
        let numberNotation: String
        let issuedDate: String
        let subject: String
        let signer: String
        let recipients: String
        let keepingUnit: String
        let pageCount: Int
        let note: String

        enum CodingKeys: String, CodingKey {
            case subject, signer, recipients, note
            case numberNotation = "number_notation", issuedDate = "issued_date", keepingUnit = "keeping_unit", pageCount = "page_count"
        }
    }

    static func requireClerkOrLeader(_ actor: Actor) throws {
        guard DocumentPermissions.seesWholeAgency(actor) else { throw EGovError.forbidden("Chỉ văn thư và lãnh đạo in, xuất sổ văn bản.") }
    }

    static func incoming(_ range: Range, actor: Actor, on db: Database) async throws -> [IncomingLine] {
        try requireClerkOrLeader(actor)
        var docs: [IncomingDocument] = []
        var offset = 0
        while true {
            let page = try await IncomingDocument.query(on: db).owned(by: actor)
                .filter(\.$arrivalDate >= range.from.iso).filter(\.$arrivalDate <= range.to.iso)
                .sort(\.$arrivalYear).sort(\.$arrivalNumber).offset(offset).limit(pageSize).all()
            docs += page
            if page.count < pageSize { break }
            offset += pageSize
        }
        let units = try await AgencyUnit.query(on: db).owned(by: actor).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        let assigneeIDs = Array(Set(docs.compactMap(\.assigneeID)))
        let people = assigneeIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ assigneeIDs).all()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.fullName) })
        // Ngày chuyển: when the document was first handed on (directed) to its lead unit.
        var handOver: [UUID: Date] = [:]
        for chunk in stride(from: 0, to: docs.count, by: 500) {
            let ids = docs[chunk..<min(chunk + 500, docs.count)].map { $0.id! }
            let events = try await DocumentEvent.query(on: db).filter(\.$documentID ~~ ids)
                .filter(\.$action == IncomingDocumentMove.direct.auditAction).sort(\.$position).all()
            for event in events where handOver[event.documentID] == nil { handOver[event.documentID] = event.occurredAt }
        }
        return docs.map { doc in
            let receiving = [doc.leadUnitID.flatMap { unitNames[$0] }, doc.assigneeID.flatMap { names[$0] }].compactMap { $0 }.joined(separator: " — ")
            var notes: [String] = []
            if doc.urgencyLevel.isUrgent { notes.append(doc.urgencyLevel.label) }
            if doc.confidentialityLevel.isClassified { notes.append(doc.confidentialityLevel.label) }
            if [.returned, .withdrawn].contains(doc.workflowState) { notes.append(doc.workflowState.label) }
            return IncomingLine(
                arrivalDate: IncomingDocumentPageBuilder.date(doc.arrivalDate), arrivalNumber: doc.arrivalNumber, sender: doc.senderName,
                numberNotation: doc.numberNotation, documentDate: IncomingDocumentPageBuilder.date(doc.issuedDate),
                subject: "\(doc.documentType?.name ?? "") — \(doc.subject)", receivingUnit: receiving,
                handOverDate: handOver[doc.id!].map { LocalDate.inVietnam($0).vietnamese } ?? "", signature: "", note: notes.joined(separator: ", "))
        }
    }

    static func outgoing(_ range: Range, actor: Actor, on db: Database) async throws -> [OutgoingLine] {
        try requireClerkOrLeader(actor)
        let docs = try await OutgoingDocument.query(on: db).owned(by: actor)
            .filter(\.$state == OutgoingDocumentState.issued.rawValue)
            .filter(\.$issuedDate >= range.from.iso).filter(\.$issuedDate <= range.to.iso)
            .sort(\.$register).sort(\.$numberYear).sort(\.$number).all()
        let ids = docs.map { $0.id! }
        let recipients = ids.isEmpty ? [] : OutgoingDocumentQueries.inDrafterOrder(try await OutgoingRecipient.query(on: db).filter(\.$document.$id ~~ ids).all())
        let byDoc = Dictionary(grouping: recipients, by: { $0.$document.id })
        let units = try await AgencyUnit.query(on: db).owned(by: actor).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        return docs.map { doc in
            OutgoingLine(
                numberNotation: doc.numberNotation ?? "", issuedDate: IncomingDocumentPageBuilder.date(doc.issuedDate),
                subject: "\(doc.documentType?.name ?? "") — \(doc.subject)",
                signer: [doc.signingMark ?? "", doc.signerPosition ?? "", doc.signerName ?? ""].filter { !$0.isEmpty }.joined(separator: " "),
                recipients: (byDoc[doc.id!] ?? []).map(\.name).joined(separator: "; "), keepingUnit: unitNames[doc.draftingUnitID] ?? "",
                pageCount: doc.pageCount,
                note: [doc.urgencyLevel.isUrgent ? doc.urgencyLevel.label : nil, doc.confidentialityLevel.isClassified ? "\(doc.confidentialityLevel.label), sổ riêng" : nil]
                    .compactMap { $0 }.joined(separator: ", "))
        }
    }

    static let incomingHeader = ["Ngày đến", "Số đến", "Tác giả (nơi gửi)", "Số, ký hiệu", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
                                 "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"]
    static let outgoingHeader = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký", "Nơi nhận văn bản",
                                 "Đơn vị, người nhận bản lưu", "Số trang", "Ghi chú"]

    static func csv(_ lines: [IncomingLine]) -> String {
        CSV.document(header: incomingHeader, rows: lines.map {
            [$0.arrivalDate, String($0.arrivalNumber), $0.sender, $0.numberNotation, $0.documentDate, $0.subject, $0.receivingUnit,
             $0.handOverDate, $0.signature, $0.note]
        })
    }

    static func csv(_ lines: [OutgoingLine]) -> String {
        CSV.document(header: outgoingHeader, rows: lines.map {
            [$0.numberNotation, $0.issuedDate, $0.subject, $0.signer, $0.recipients, $0.keepingUnit, String($0.pageCount), $0.note]
        })
    }
}

/// Pages (printable) and CSV of the registers; the same CSV through the API.
struct DocumentRegisterPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("documents", "registers", "incoming", use: incomingPage)
        routes.get("documents", "registers", "outgoing", use: outgoingPage)
    }

    func incomingPage(req: Request) async throws -> Response {
        let actor = try req.actor
        let range = try DocumentRegisters.Range(query: req)
        let lines = try await DocumentRegisters.incoming(range, actor: actor, on: req.db)
        if req.query[String.self, at: "format"] == "csv" {
            return CSV.response(DocumentRegisters.csv(lines), fileName: "so-van-ban-den-\(range.from.iso)-\(range.to.iso).csv")
        }
        return try await req.render("register-incoming", RegisterPage(
            shell: req.shell("Sổ đăng ký văn bản đến"), agencyName: actor.agencyName, from: range.from.iso, to: range.to.iso,
            fromLabel: range.from.vietnamese, toLabel: range.to.vietnamese, incoming: lines, outgoing: [],
            csvURL: "/documents/registers/incoming?from=\(range.from.iso)&to=\(range.to.iso)&format=csv"))
    }

    func outgoingPage(req: Request) async throws -> Response {
        let actor = try req.actor
        let range = try DocumentRegisters.Range(query: req)
        let lines = try await DocumentRegisters.outgoing(range, actor: actor, on: req.db)
        if req.query[String.self, at: "format"] == "csv" {
            return CSV.response(DocumentRegisters.csv(lines), fileName: "so-van-ban-di-\(range.from.iso)-\(range.to.iso).csv")
        }
        return try await req.render("register-outgoing", RegisterPage(
            shell: req.shell("Sổ đăng ký văn bản đi"), agencyName: actor.agencyName, from: range.from.iso, to: range.to.iso,
            fromLabel: range.from.vietnamese, toLabel: range.to.vietnamese, incoming: [], outgoing: lines,
            csvURL: "/documents/registers/outgoing?from=\(range.from.iso)&to=\(range.to.iso)&format=csv"))
    }
}

struct DocumentRegisterAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("registers", "incoming") { req async throws -> Response in
            let lines = try await DocumentRegisters.incoming(try DocumentRegisters.Range(query: req), actor: try req.actor, on: req.db)
            if req.query[String.self, at: "format"] == "csv" { return CSV.response(DocumentRegisters.csv(lines), fileName: "so-van-ban-den.csv") }
            return try await lines.encodeResponse(for: req)
        }
        routes.get("registers", "outgoing") { req async throws -> Response in
            let lines = try await DocumentRegisters.outgoing(try DocumentRegisters.Range(query: req), actor: try req.actor, on: req.db)
            if req.query[String.self, at: "format"] == "csv" { return CSV.response(DocumentRegisters.csv(lines), fileName: "so-van-ban-di.csv") }
            return try await lines.encodeResponse(for: req)
        }
    }
}

struct RegisterPage: Encodable {
    let shell: Shell
    let agencyName: String
    let from: String
    let to: String
    let fromLabel: String
    let toLabel: String
    let incoming: [DocumentRegisters.IncomingLine]
    let outgoing: [DocumentRegisters.OutgoingLine]
    let csvURL: String
}
