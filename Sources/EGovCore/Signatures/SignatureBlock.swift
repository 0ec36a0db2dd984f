import Foundation

/// Thẩm quyền ký: how the signer signs on behalf of the agency or its head (Decree 30, art. 13).
public enum SigningMark: String, CaseIterable, Sendable {
    case none = ""
    /// Thay mặt (a collective body)
    case onBehalf = "TM."
    /// Ký thay (a deputy for the head)
    case deputy = "KT."
    /// Thừa lệnh
    case byOrder = "TL."
    /// Thừa ủy quyền
    case byAuthorisation = "TUQ."
    /// Quyền (acting)
    case acting = "Q."
}

/// Quyền hạn, chức vụ và họ tên người ký (Decree 30, Annex I, §II.7): the lines above and
/// below a signature, e.g. "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Nguyễn Văn An".
public struct SignatureBlock: Sendable, Equatable, Codable {
    /// The authority line ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), empty when the head signs directly.
    public var competence: String
    /// The signer's own title, upper case ("PHÓ CHỦ TỊCH"); empty for an acting head (Q.).
    public var position: String
    public var fullName: String

    public enum Problem: Error, Equatable, Sendable {
        /// KT., TL., TUQ. and Q. need the head's title ("Chủ tịch", "Giám đốc").
        case headTitleMissing
        /// TM. needs the collective body's name ("Ủy ban nhân dân").
        case collectiveNameMissing
        case positionMissing
    }

    /// Lines in the order they are printed: competence, position, then (below the signature) the name.
    public var lines: [String] { [competence, position, fullName].filter { !$0.isEmpty } }

    /// Builds the block. `headTitle` is the title of the agency's head, `collectiveName` the
    /// body a TM. signer stands for, `position` the signer's own title.
    public init(mark: SigningMark, headTitle: String, collectiveName: String, position: String, fullName: String) throws {
        let head = headTitle.trimmed.uppercased()
        let own = position.trimmed.uppercased()
        switch mark {
        case .none:
            competence = ""
            guard !own.isEmpty else { throw Problem.positionMissing }
            self.position = own
        case .onBehalf:
            let body = collectiveName.trimmed.uppercased()
            guard !body.isEmpty else { throw Problem.collectiveNameMissing }
            competence = "TM. \(body)"
            guard !own.isEmpty else { throw Problem.positionMissing }
            self.position = own
        case .acting:
            guard !head.isEmpty else { throw Problem.headTitleMissing }
            competence = "Q. \(head)"
            self.position = ""
        case .deputy, .byOrder, .byAuthorisation:
            guard !head.isEmpty else { throw Problem.headTitleMissing }
            competence = "\(mark.rawValue) \(head)"
            guard !own.isEmpty else { throw Problem.positionMissing }
            self.position = own
        }
        self.fullName = fullName.trimmed
    }

    public init(competence: String, position: String, fullName: String) {
        self.competence = competence
        self.position = position
        self.fullName = fullName
    }

    /// The head's usual title for an agency, from the kind of body its name begins with; a
    /// suggestion the leader confirms when signing (titles vary, so it is never imposed).
    public static func suggestedHeadTitle(forAgencyName name: String) -> String {
        let folded = SearchFolding.fold(name)
        let rules: [(String, String)] = [
            ("uy ban nhan dan", "Chủ tịch"), ("van phong chinh phu", "Bộ trưởng, Chủ nhiệm"), ("bo ", "Bộ trưởng"),
            ("so ", "Giám đốc"), ("tong cuc", "Tổng cục trưởng"), ("cuc ", "Cục trưởng"), ("van phong", "Chánh Văn phòng"),
            ("ban ", "Trưởng ban"), ("hoi dong nhan dan", "Chủ tịch"),
        ]
        return rules.first { folded.hasPrefix($0.0) }?.1 ?? "Thủ trưởng cơ quan"
    }

    /// The collective body a TM. signer stands for: the kind of body without its place
    /// ("Ủy ban nhân dân tỉnh Quảng Ninh" → "Ủy ban nhân dân"), which the header already names.
    public static func suggestedCollectiveName(forAgencyName name: String) -> String {
        for body in ["Ủy ban nhân dân", "Hội đồng nhân dân"] where SearchFolding.fold(name).hasPrefix(SearchFolding.fold(body)) {
            return body
        }
        return name
    }

    /// The signer's title to suggest: their recorded position, unless it is only a role name
    /// (as "Lãnh đạo" is), then the head's title or its deputy's.
    public static func suggestedPosition(recorded: String, mark: SigningMark, headTitle: String, roleNames: [String]) -> String {
        let position = recorded.trimmed
        if !position.isEmpty, !roleNames.contains(where: { SearchFolding.fold($0) == SearchFolding.fold(position) }) { return position }
        switch mark {
        case .deputy: return "Phó \(headTitle.trimmed.lowercasedFirst)"
        case .none, .onBehalf, .acting: return headTitle.trimmed
        case .byOrder, .byAuthorisation: return position
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
    fileprivate var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
