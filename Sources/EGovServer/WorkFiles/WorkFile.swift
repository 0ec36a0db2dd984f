import EGovCore
import Fluent
import Vapor

/// A work file (hồ sơ công việc) in the agency's yearly file list: the documents of one
/// matter, kept by one person of one unit, closed when the work ends and handed to the archive.
final class WorkFile: Model, @unchecked Sendable {
    static let schema = "work_files"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    /// The year of the file list (danh mục hồ sơ) the file belongs to.
    @Field(key: "year") var year: Int
    /// Số và ký hiệu hồ sơ, normalised, e.g. `01.TCCB`.
    @Field(key: "code") var code: String
    /// Tiêu đề hồ sơ
    @Field(key: "title") var title: String
    /// Người lập hồ sơ
    @Field(key: "keeper_id") var keeperID: UUID
    @Field(key: "unit_id") var unitID: UUID
    /// Thời hạn bảo quản: years as text, or `permanent`.
    @Field(key: "retention") var retention: String
    @Field(key: "state") var state: String
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "archived_at") var archivedAt: Date?
    @Field(key: "notes") var notes: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var workflowState: WorkFileState { WorkFileState(rawValue: state) ?? .open }
    var retentionPeriod: RetentionPeriod? { RetentionPeriod(storedValue: retention) }
    var fileCode: WorkFileCode? { try? WorkFileCode(code) }
}

extension WorkFile: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}

/// One document in a work file. A document may sit in several files, once in each.
final class WorkFileItem: Model, @unchecked Sendable {
    static let schema = "work_file_items"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case incoming, outgoing
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "work_file_id") var workFile: WorkFile
    /// `incoming` or `outgoing`: which register `document_id` points into.
    @Field(key: "document_kind") var documentKind: String
    @Field(key: "document_id") var documentID: UUID
    /// 1, 2, 3… in the order documents were added; kept without gaps when one is removed.
    @Field(key: "position") var position: Int
    @Field(key: "added_by_id") var addedByID: UUID
    @Field(key: "added_at") var addedAt: Date

    init() {}

    init(fileID: UUID, kind: Kind, documentID: UUID, position: Int, addedBy: UUID, at: Date) {
        self.$workFile.id = fileID
        self.documentKind = kind.rawValue
        self.documentID = documentID
        self.position = position
        self.addedByID = addedBy
        self.addedAt = at
    }

    var kind: Kind? { Kind(rawValue: documentKind) }
}
