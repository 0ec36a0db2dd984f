import EGovCore
import Fluent
import Vapor

/// Builds the page models of incoming documents from the API's view of them, so pages and
/// API always agree on names, deadlines and allowed moves.
struct IncomingDocumentPageBuilder {
    let actor: Actor
    let presenter: IncomingDocumentPresenter
    let db: Database

    init(actor: Actor, on req: Request) async throws {
        self.actor = actor
        self.presenter = try await IncomingDocumentPresenter(actor: actor, on: req)
        self.db = req.db
    }

    func rows(_ docs: [IncomingDocumentListing]) async throws -> [IncomingRow] {
        try await presenter.dtos(docs).map(Self.row)
    }

    static func date(_ iso: String?) -> String {
        LocalDate.vietnamese(iso: iso)
    }

    static func row(_ dto: IncomingDocumentDTO) -> IncomingRow {
        let urgency = Urgency(rawValue: dto.urgency) ?? .normal
        let confidentiality = Confidentiality(rawValue: dto.confidentiality) ?? .normal
        let state = IncomingDocumentState(rawValue: dto.state) ?? .registered
        let status = dto.deadlineStatus.flatMap(DeadlineStatus.init(rawValue:))
        return IncomingRow(
            id: dto.id.uuidString, arrival: "\(dto.arrivalNumber)/\(dto.arrivalYear)", arrivalDate: date(dto.arrivalDate),
            numberNotation: dto.numberNotation, issuedDate: date(dto.issuedDate), senderName: dto.senderName, subject: dto.subject,
            state: dto.state, stateLabel: state.label, urgency: dto.urgency, urgencyLabel: urgency.label, isUrgent: urgency.isUrgent,
            confidentialityLabel: confidentiality.isClassified ? confidentiality.label : "",
            deadline: date(dto.deadline ?? dto.requestedDueDate), deadlineStatus: status?.rawValue ?? "", deadlineLabel: status?.label ?? "",
            leadUnitName: dto.leadUnit?.name ?? "", assigneeName: dto.assignee?.name ?? "")
    }

    struct Detail {
        let row: IncomingRow
        let fields: [LabeledValue]
        let handling: [LabeledValue]
        let attachments: [AttachmentRow]
        let history: [HistoryRow]
        /// The units the last direction asked to cooperate, for the direction form.
        let cooperatingUnitIDs: Set<UUID>
    }

    func detail(_ doc: IncomingDocument) async throws -> Detail {
        let dto = try await presenter.dtos([doc])[0]
        let row = Self.row(dto)
        var fields = [
            LabeledValue(label: "Số đến", value: row.arrival),
            LabeledValue(label: "Ngày đến", value: row.arrivalDate),
            LabeledValue(label: "Nơi gửi", value: dto.senderName + (dto.senderAgencyCode.map { " (\($0))" } ?? "")),
            LabeledValue(label: "Số, ký hiệu", value: dto.numberNotation),
            LabeledValue(label: "Ngày ban hành", value: row.issuedDate),
            LabeledValue(label: "Loại văn bản", value: dto.typeName),
            LabeledValue(label: "Trích yếu", value: dto.subject),
            LabeledValue(label: "Người ký", value: [dto.signerPosition, dto.signerName].filter { !$0.isEmpty }.joined(separator: " ")),
            LabeledValue(label: "Độ khẩn", value: row.urgencyLabel),
            LabeledValue(label: "Độ mật", value: (Confidentiality(rawValue: dto.confidentiality) ?? .normal).label),
            LabeledValue(label: "Số trang", value: String(dto.pageCount)),
        ]
        if let due = dto.requestedDueDate { fields.append(LabeledValue(label: "Hạn trả lời", value: Self.date(due))) }
        var handling: [LabeledValue] = []
        if let leader = dto.presentedTo { handling.append(LabeledValue(label: "Trình lãnh đạo", value: leader.name)) }
        if let lead = dto.leadUnit { handling.append(LabeledValue(label: "Đơn vị chủ trì", value: lead.name)) }
        if !dto.cooperatingUnits.isEmpty {
            handling.append(LabeledValue(label: "Đơn vị phối hợp", value: dto.cooperatingUnits.map(\.name).joined(separator: ", ")))
        }
        if let deadline = dto.deadline {
            handling.append(LabeledValue(label: "Hạn xử lý", value: Self.date(deadline) + (row.deadlineLabel.isEmpty ? "" : " (\(row.deadlineLabel))")))
        }
        if let note = dto.directionNote, !note.isEmpty { handling.append(LabeledValue(label: "Ý kiến chỉ đạo", value: note)) }
        if let assignee = dto.assignee { handling.append(LabeledValue(label: "Người xử lý", value: assignee.name)) }
        if let result = dto.result { handling.append(LabeledValue(label: "Kết quả xử lý", value: result)) }
        if let replyID = dto.replyDocumentID, let reply = try await OutgoingDocument.find(replyID, on: db) {
            handling.append(LabeledValue(label: "Văn bản trả lời", value: [reply.numberNotation, reply.subject].compactMap { $0 }.joined(separator: " — ")))
        }
        let attachments = try await IncomingDocumentQueries.attachments(of: doc.id!, on: db).map(Self.attachmentRow)
        let history = try await IncomingDocumentQueries.history(of: doc.id!, on: db).map { event in
            HistoryRow(time: event.occurredAt.vietnamTimestamp, actorName: event.actorName, actionLabel: Self.actionLabel(event.action),
                       toStateLabel: IncomingDocumentState(rawValue: event.toState)?.label ?? event.toState, note: event.note)
        }
        return Detail(row: row, fields: fields, handling: handling, attachments: attachments, history: history,
                      cooperatingUnitIDs: Set(dto.cooperatingUnits.map(\.id)))
    }

    static func actionLabel(_ action: String) -> String {
        if action == "incoming.register" { return "Vào sổ" }
        let move = IncomingDocumentMove.allCases.first { $0.auditAction == action }
        return move?.label ?? action
    }

    static func attachmentRow(_ row: DocumentAttachment) -> AttachmentRow {
        AttachmentRow(id: row.id!.uuidString, fileName: row.fileName, typeName: row.attachmentType?.displayName ?? row.contentType,
                      size: formatSize(row.size), version: row.version, shortHash: String(row.sha256.prefix(12)),
                      uploadedAt: row.uploadedAt.vietnamTimestamp, downloadURL: "/documents/attachments/\(row.id!)",
                      viewKind: row.attachmentType?.viewKind ?? "")
    }

    static func formatSize(_ bytes: Int) -> String {
        if bytes >= 1_048_576 { return String(format: "%.1f MB", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",") }
        if bytes >= 1024 { return "\(bytes / 1024) KB" }
        return "\(bytes) byte"
    }

    /// The forms this actor may use now, with the people and units to choose from; the direction
    /// form starts from the units the last direction asked to cooperate.
    func actions(_ doc: IncomingDocument, cooperating: Set<UUID>) async throws -> IncomingActions {
        let moves = DocumentPermissions.availableMoves(on: doc, actor: actor)
        var actions = IncomingActions()
        let colleagues = try await User.query(on: db).owned(by: actor).filter(\.$isActive == true)
            .sort(\.$fullName).all()
        let units = presenter.units.values.filter(\.isActive).sorted { $0.name < $1.name }
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        if moves.contains(.present) {
            let leaders = colleagues.filter { $0.roles.contains(.leader) }
            // With one leader there is nobody else to choose.
            actions.present = leaders.map {
                Option(value: $0.id!.uuidString, label: "\($0.fullName) — \($0.position)", selected: $0.id == doc.presentedToID || leaders.count == 1)
            }
        }
        if moves.contains(.direct) {
            actions.directUnits = units.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id == doc.leadUnitID) }
            actions.cooperatingUnits = units.map { Option(value: $0.id!.uuidString, label: $0.name, selected: cooperating.contains($0.id!)) }
            actions.deadline = doc.deadline ?? ""
            actions.directPeople = colleagues.filter { !$0.roles.contains(.leader) && ($0.roles.contains(.specialist) || $0.roles.contains(.unitHead)) }
                .map { Option(value: $0.id!.uuidString, label: "\($0.fullName) — \(unitNames[$0.$unit.id] ?? "")") }
        }
        if moves.contains(.assign) {
            actions.assign = colleagues.filter { $0.$unit.id == doc.leadUnitID }
                .map { Option(value: $0.id!.uuidString, label: "\($0.fullName) — \($0.position)", selected: $0.id == doc.assigneeID) }
        }
        actions.progress = moves.contains(.recordProgress)
        actions.finish = moves.contains(.finish)
        if actions.finish {
            let drafts = try await OutgoingDocument.query(on: db).owned(by: actor).filter(\.$drafterID == actor.userID)
                .filter(\.$state != OutgoingDocumentState.withdrawn.rawValue).sort(\.$updatedAt, .descending).limit(30).all()
            actions.replyOptions = drafts.map { Option(value: $0.id!.uuidString, label: [$0.numberNotation, $0.subject].compactMap { $0 }.joined(separator: " — ")) }
        }
        actions.sendBack = moves.contains(.sendBack)
        actions.withdraw = moves.contains(.withdraw)
        actions.attach = !doc.workflowState.isFinal && (actor.has(.clerk) || doc.assigneeID == actor.userID)
        return actions
    }
}
