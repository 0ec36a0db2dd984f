import EGovCore
import Foundation

// Page models of the documents capability: plain data, built by the page routes, rendered by
// the views in Resources/Views/incoming-*.leaf and inbox.leaf.

/// One line of a document list or inbox.
struct IncomingRow: Encodable, Equatable {
    let id: String
    /// "12/2026"
    let arrival: String
    /// dd/MM/yyyy
    let arrivalDate: String
    let numberNotation: String
    let issuedDate: String
    let senderName: String
    let subject: String
    let state: String
    let stateLabel: String
    let urgency: String
    let urgencyLabel: String
    let isUrgent: Bool
    /// Empty for ordinary documents; "Mật", "Tối mật"… otherwise.
    let confidentialityLabel: String
    /// dd/MM/yyyy, empty when none.
    let deadline: String
    /// "overdue", "due_soon", "on_track" or "".
    let deadlineStatus: String
    let deadlineLabel: String
    let leadUnitName: String
    let assigneeName: String
}

struct IncomingListPage: Encodable {
    let shell: Shell
    let query: String
    let state: String
    let year: String
    let stateOptions: [Option]
    let rows: [IncomingRow]
    let page: Int
    let previousURL: String?
    let nextURL: String?
    let canRegister: Bool
    /// Clerks and leaders print and export the registers.
    let canPrintRegister: Bool
}

/// Values of the registration form, as typed when it is shown again with errors.
struct IncomingFormValues: Encodable {
    var senderAgencyCode: String = ""
    var senderName: String = ""
    var numberNotation: String = ""
    var typeCode: String = ""
    var issuedDate: String = ""
    var subject: String = ""
    var signerName: String = ""
    var signerPosition: String = ""
    var urgency: String = "normal"
    var confidentiality: String = "normal"
    var pageCount: String = "1"
    var dueDate: String = ""
    var arrivalDate: String = ""
}

struct IncomingFormPage: Encodable {
    let shell: Shell
    let values: IncomingFormValues
    let errors: [String: String]
    /// The agency directory for the sender list (value = code).
    let senderOptions: [Option]
    let typeOptions: [Option]
    let urgencyOptions: [Option]
    let confidentialityOptions: [Option]
    /// Link to the earlier registration when the same document was registered before.
    let duplicateURL: String?
    let maxAttachmentMB: Int
}

struct LabeledValue: Encodable, Equatable {
    let label: String
    let value: String
}

struct AttachmentRow: Encodable, Equatable {
    let id: String
    let fileName: String
    let typeName: String
    /// "1,2 MB", "830 KB"
    let size: String
    let version: Int
    let shortHash: String
    let uploadedAt: String
    let downloadURL: String
    /// "pdf" or "image" when the browser can show it in the page; "" otherwise.
    var viewKind: String = ""
}

extension AttachmentContentType {
    /// How a page shows a file of this type in place: "pdf" (the browser's viewer), "image", or "" (download only).
    var viewKind: String {
        switch self {
        case .pdf: "pdf"
        case .png, .jpeg: "image"
        default: ""
        }
    }
}

struct HistoryRow: Encodable, Equatable {
    let time: String
    let actorName: String
    let actionLabel: String
    let toStateLabel: String
    let note: String
}

/// The forms a person may use on a document now; a nil form is not offered.
struct IncomingActions: Encodable {
    var present: [Option]?
    /// Units for lead/cooperating choice.
    var directUnits: [Option]?
    /// The same units as cooperating ones, ticked as the last direction left them.
    var cooperatingUnits: [Option] = []
    /// The deadline of the last direction (ISO), shown again when directing anew.
    var deadline: String = ""
    /// People who may be named directly (value = user id, label = name — unit).
    var directPeople: [Option]?
    var assign: [Option]?
    var progress: Bool = false
    var finish: Bool = false
    var sendBack: Bool = false
    var withdraw: Bool = false
    var attach: Bool = false
    /// Outgoing documents the handler drafted, to link as the reply when finishing.
    var replyOptions: [Option] = []
    var any: Bool { present != nil || directUnits != nil || assign != nil || progress || finish || sendBack || withdraw }
    enum CodingKeys: String, CodingKey {
        case present, directUnits, cooperatingUnits, deadline, directPeople, assign, progress, finish, sendBack, withdraw, attach, replyOptions, hasAny
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(present, forKey: .present)
        try c.encode(directUnits, forKey: .directUnits)
        try c.encode(cooperatingUnits, forKey: .cooperatingUnits)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(directPeople, forKey: .directPeople)
        try c.encode(assign, forKey: .assign)
        try c.encode(progress, forKey: .progress)
        try c.encode(finish, forKey: .finish)
        try c.encode(sendBack, forKey: .sendBack)
        try c.encode(withdraw, forKey: .withdraw)
        try c.encode(attach, forKey: .attach)
        try c.encode(replyOptions, forKey: .replyOptions)
        try c.encode(any, forKey: .hasAny)
    }
}

struct IncomingDetailPage: Encodable {
    let shell: Shell
    let id: String
    let row: IncomingRow
    /// Registration metadata in register order.
    let fields: [LabeledValue]
    /// Direction: lead unit, cooperating units, deadline, note, assignee, result.
    let handling: [LabeledValue]
    let attachments: [AttachmentRow]
    let history: [HistoryRow]
    let actions: IncomingActions
    let errors: [String: String]
    let maxAttachmentMB: Int
}

struct InboxPage: Encodable {
    let shell: Shell
    let rows: [IncomingRow]
    let overdueCount: Int
    let dueSoonCount: Int
    /// Outgoing drafts waiting for this person (review, signature, issue, or returned to them).
    let outgoing: [OutgoingRow]
    /// Dossiers of the one-stop office waiting for this person (first ones), and how many in all.
    let dossiers: [DossierRow]
    let dossierCount: Int
    let page: Int
    let previousURL: String?
    let nextURL: String?
}

/// Phiếu giải quyết văn bản đến, printable.
struct DirectionSlipPage: Encodable {
    let shell: Shell
    let agencyName: String
    let row: IncomingRow
    let fields: [LabeledValue]
    let handling: [LabeledValue]
    let history: [HistoryRow]
    let printedAt: String
}

// MARK: Outgoing documents

struct OutgoingRow: Encodable, Equatable {
    let id: String
    /// "05/UBND-TH" once issued, empty before.
    let numberNotation: String
    let issuedDate: String
    let typeName: String
    let subject: String
    let draftingUnitName: String
    let drafterName: String
    let state: String
    let stateLabel: String
    let urgencyLabel: String
    let isUrgent: Bool
    let confidentialityLabel: String
    let signerName: String
    let updatedAt: String
}

struct OutgoingListPage: Encodable {
    let shell: Shell
    let query: String
    let state: String
    let stateOptions: [Option]
    let rows: [OutgoingRow]
    let page: Int
    let previousURL: String?
    let nextURL: String?
    let canDraft: Bool
    let canPrintRegister: Bool
}

struct OutgoingFormValues: Encodable {
    var typeCode: String = "official_letter"
    var subject: String = ""
    var summary: String = ""
    var urgency: String = "normal"
    var confidentiality: String = "normal"
    var pageCount: String = "1"
    var issuerNotation: String = ""
    var externalRecipients: String = ""
}

struct OutgoingFormPage: Encodable {
    let shell: Shell
    /// nil for a new draft.
    let id: String?
    let values: OutgoingFormValues
    let errors: [String: String]
    let typeOptions: [Option]
    let urgencyOptions: [Option]
    let confidentialityOptions: [Option]
    /// Units, people and agencies to tick as recipients (`selected` = ticked).
    let unitOptions: [Option]
    let personOptions: [Option]
    let agencyOptions: [Option]
    /// The default abbreviation shown as a placeholder, e.g. "UBND".
    let defaultIssuerNotation: String
    let maxAttachmentMB: Int
    let action: String
}

struct SignatureRow: Encodable, Equatable {
    let fileName: String
    let signerName: String
    let signedAt: String
    /// "valid" or "invalid"
    let status: String
    let statusLabel: String
    /// Why it is invalid, in Vietnamese; empty when valid.
    let reason: String
    let certificate: String
}

struct OutboxRow: Encodable, Equatable {
    let documentID: String
    let numberNotation: String
    let subject: String
    let recipientName: String
    let stateLabel: String
    let createdAt: String
}

/// The forms offered on an outgoing document now.
struct OutgoingActions: Encodable {
    var edit: Bool = false
    var attach: Bool = false
    var submit: Bool = false
    var approve: Bool = false
    var sendBack: Bool = false
    var sign: Bool = false
    /// Signing marks to choose from when signing.
    var signingMarks: [Option] = []
    var issue: Bool = false
    var withdraw: Bool = false
    var hasAny: Bool = false
}

struct OutgoingDetailPage: Encodable {
    let shell: Shell
    let id: String
    let row: OutgoingRow
    let fields: [LabeledValue]
    let recipients: [String]
    let attachments: [AttachmentRow]
    /// "unsigned", "valid" or "invalid"
    let signatureStatus: String
    let signatureStatusLabel: String
    let signatures: [SignatureRow]
    let outbox: [OutboxRow]
    let history: [HistoryRow]
    let actions: OutgoingActions
    let errors: [String: String]
    let maxAttachmentMB: Int
}

struct OutboxPage: Encodable {
    let shell: Shell
    let rows: [OutboxRow]
}

// MARK: Search

struct SearchRow: Encodable, Equatable {
    /// "Đến" or "Đi"
    let kindLabel: String
    let url: String
    let date: String
    let numberNotation: String
    let subject: String
    let party: String
    let stateLabel: String
    let urgencyLabel: String
    let isUrgent: Bool
}

struct DocumentSearchPage: Encodable {
    let shell: Shell
    let query: String
    let from: String
    let to: String
    let directionOptions: [Option]
    let typeOptions: [Option]
    let stateOptions: [Option]
    let urgencyOptions: [Option]
    let unitOptions: [Option]
    /// False until the person searches or filters (the page then shows only the form).
    let searched: Bool
    let rows: [SearchRow]
    let page: Int
    let previousURL: String?
    let nextURL: String?
}
