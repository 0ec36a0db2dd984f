import EGovCore
import Foundation

// Page models of work files: plain data built from the API's view of a file (so pages and API
// agree), rendered by Resources/Views/work-files.leaf and work-file.leaf.

/// One line of the yearly file list (danh mục hồ sơ).
struct WorkFileRow: Encodable, Equatable {
    let id: String
    let code: String
    let title: String
    let retentionLabel: String
    let keeperName: String
    let unitName: String
    let state: String
    let stateLabel: String
    let documentCount: Int
    /// dd/MM/yyyy
    let openedAt: String
    let notes: String
}

/// The create form, as typed when it is shown again with errors.
struct WorkFileFormValues: Encodable {
    var year: String = ""
    var code: String = ""
    var title: String = ""
    var retention: String = ""
    var notes: String = ""
}

struct WorkFileListPage: Encodable {
    let shell: Shell
    let year: Int
    let previousYear: Int
    let nextYear: Int
    let rows: [WorkFileRow]
    let openCount: Int
    let closedCount: Int
    let archivedCount: Int
    let canCreate: Bool
    let values: WorkFileFormValues
    let retentionOptions: [Option]
    let errors: [String: String]
}

/// One document in the file's table of contents (mục lục văn bản).
struct WorkFileItemRow: Encodable, Equatable {
    let position: Int
    /// incoming or outgoing
    let kind: String
    /// "Đến" or "Đi"
    let kindLabel: String
    let id: String
    let url: String
    let numberNotation: String
    /// dd/MM/yyyy, empty for a draft.
    let date: String
    let author: String
    let subject: String
    let pageCount: Int
    /// "12/2026" for incoming documents, empty otherwise.
    let arrival: String
}

/// What a person may do on the file now.
struct WorkFileActions: Encodable {
    var changeDocuments = false
    var close = false
    var reopen = false
    var archive = false
    var hasMoves: Bool { close || reopen || archive }
    enum CodingKeys: String, CodingKey { case changeDocuments, close, reopen, archive, hasMoves }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(changeDocuments, forKey: .changeDocuments)
        try c.encode(close, forKey: .close)
        try c.encode(reopen, forKey: .reopen)
        try c.encode(archive, forKey: .archive)
        try c.encode(hasMoves, forKey: .hasMoves)
    }
}

/// The add-document form, as typed when it is shown again with errors.
struct WorkFileAddValues: Encodable {
    var document: String = ""
    var documentID: String = ""
    var kind: String = ""
}

struct WorkFileDetailPage: Encodable {
    let shell: Shell
    let id: String
    let row: WorkFileRow
    let year: Int
    let fields: [LabeledValue]
    let items: [WorkFileItemRow]
    let totals: WorkFileTotalsDTO
    let actions: WorkFileActions
    let history: [HistoryRow]
    /// Recent documents the person may add, by register (value = `kind:id`).
    let incomingOptions: [Option]
    let outgoingOptions: [Option]
    let values: WorkFileAddValues
    let errors: [String: String]
}

/// The document being filed, as the filing page names it.
struct FilingDocument: Encodable, Equatable {
    /// `kind:id`, what the add form posts.
    let value: String
    let kindLabel: String
    let numberNotation: String
    let date: String
    let subject: String
    let url: String
}

/// Đưa vào hồ sơ, reached from a document's page: the files that hold it, and the open files
/// the person may put it in.
struct WorkFileFilingPage: Encodable {
    let shell: Shell
    let document: FilingDocument
    let holding: [WorkFileRow]
    let openFiles: [WorkFileRow]
    let year: Int
}

enum WorkFilePageBuilder {
    static func historyRow(_ event: WorkFileEvent) -> HistoryRow {
        let move = WorkFileMove.allCases.first { $0.auditAction == event.action }
        return HistoryRow(time: event.occurredAt.vietnamTimestamp, actorName: event.actorName, actionLabel: move?.label ?? event.action,
                          toStateLabel: WorkFileState(rawValue: event.toState)?.label ?? event.toState, note: "")
    }

    static func filingDocument(_ document: FiledDocument) -> FilingDocument {
        switch document {
        case .incoming(let doc):
            return FilingDocument(value: "incoming:\(doc.id!)", kindLabel: "Văn bản đến số \(doc.arrivalNumber)/\(doc.arrivalYear)",
                                  numberNotation: doc.numberNotation, date: IncomingDocumentPageBuilder.date(doc.issuedDate),
                                  subject: doc.subject, url: "/documents/incoming/\(doc.id!)")
        case .outgoing(let doc):
            return FilingDocument(value: "outgoing:\(doc.id!)", kindLabel: "Văn bản đi", numberNotation: doc.numberNotation ?? "",
                                  date: IncomingDocumentPageBuilder.date(doc.issuedDate), subject: doc.subject, url: "/documents/outgoing/\(doc.id!)")
        }
    }

    static func date(_ instant: Date?) -> String {
        instant.map { LocalDate.inVietnam($0).vietnamese } ?? ""
    }

    static func row(_ dto: WorkFileDTO) -> WorkFileRow {
        WorkFileRow(id: dto.id.uuidString, code: dto.code, title: dto.title, retentionLabel: dto.retentionLabel,
                    keeperName: dto.keeper.name, unitName: dto.unit.name, state: dto.state,
                    stateLabel: WorkFileState(rawValue: dto.state)?.label ?? dto.state, documentCount: dto.documentCount,
                    openedAt: date(dto.openedAt), notes: dto.notes)
    }

    static func item(_ dto: WorkFileItemDTO) -> WorkFileItemRow {
        let kind = WorkFileItem.Kind(rawValue: dto.kind) ?? .incoming
        return WorkFileItemRow(position: dto.position, kind: dto.kind, kindLabel: kind.label, id: dto.id.uuidString,
                               url: "/documents/\(dto.kind)/\(dto.id)", numberNotation: dto.numberNotation,
                               date: IncomingDocumentPageBuilder.date(dto.date), author: dto.author, subject: dto.subject,
                               pageCount: dto.pageCount, arrival: dto.arrival ?? "")
    }

    static func fields(_ dto: WorkFileDTO) -> [LabeledValue] {
        [
            LabeledValue(label: "Số và ký hiệu hồ sơ", value: dto.code),
            LabeledValue(label: "Tiêu đề hồ sơ", value: dto.title),
            LabeledValue(label: "Danh mục hồ sơ năm", value: String(dto.year)),
            LabeledValue(label: "Thời hạn bảo quản", value: dto.retentionLabel),
            LabeledValue(label: "Người lập hồ sơ", value: dto.keeper.name),
            LabeledValue(label: "Đơn vị", value: dto.unit.name),
            LabeledValue(label: "Ngày mở hồ sơ", value: date(dto.openedAt)),
            LabeledValue(label: "Ngày đóng hồ sơ", value: date(dto.closedAt)),
            LabeledValue(label: "Ngày nộp lưu", value: date(dto.archivedAt)),
            LabeledValue(label: "Ghi chú", value: dto.notes),
        ]
    }

    /// Common periods first; the API takes any number of years from 1 to 70.
    static func retentionOptions(selected: String) -> [Option] {
        let periods: [RetentionPeriod] = [.permanent, .years(70), .years(50), .years(30), .years(20), .years(15), .years(10), .years(5), .years(3), .years(2), .years(1)]
        let chosen = RetentionPeriod(parsing: selected)
        return [Option(value: "", label: "— Chọn thời hạn —", selected: chosen == nil)]
            + periods.map { Option(value: $0.storedValue, label: $0.label, selected: $0 == chosen) }
    }

    /// "12/2026 · 125/QĐ-BNV · Quyết định về…", short enough for a select.
    static func option(_ parts: [String], subject: String, value: String, selected: String) -> Option {
        let shortSubject = subject.count > 90 ? String(subject.prefix(89)) + "…" : subject
        return Option(value: value, label: (parts.filter { !$0.isEmpty } + [shortSubject]).joined(separator: " · "), selected: value == selected)
    }

    static func incomingOption(_ doc: IncomingDocument, selected: String) -> Option {
        option(["Số đến \(doc.arrivalNumber)/\(doc.arrivalYear)", doc.numberNotation], subject: doc.subject,
               value: "incoming:\(doc.id!)", selected: selected)
    }

    static func outgoingOption(_ doc: OutgoingDocument, selected: String) -> Option {
        option([doc.numberNotation ?? "Dự thảo"], subject: doc.subject, value: "outgoing:\(doc.id!)", selected: selected)
    }
}
