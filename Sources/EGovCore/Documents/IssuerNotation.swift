/// Chữ viết tắt tên cơ quan ban hành: the part of a notation after the type, e.g. `UBND` in
/// `123/QĐ-UBND`. Decree 30 leaves the abbreviation to each agency; this gives the usual one
/// from the agency's name, and agencies can override it per document.
public enum IssuerNotation {
    /// Initials of the agency's own name, without its place ("tỉnh Quảng Ninh") and without "và":
    /// "Ủy ban nhân dân tỉnh Quảng Ninh" → "UBND", "Sở Thông tin và Truyền thông tỉnh Đồng Tháp"
    /// → "STTTT", "Văn phòng Chính phủ" → "VPCP".
    public static func abbreviate(agencyName: String) -> String {
        let words = agencyName.split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "," })
        var initials = ""
        for word in words {
            let folded = SearchFolding.fold(String(word))
            if ["tinh", "thanh", "huyen", "quan", "xa", "phuong", "thi"].contains(folded), !initials.isEmpty { break }
            if folded == "va" { continue }
            // Initials lose their tone marks but keep Đ, as in QĐ, UBND, ĐHQG.
            if let first = word.first, first == "đ" || first == "Đ" { initials.append("Đ"); continue }
            guard let first = SearchFolding.fold(String(word.prefix(1))).uppercased().first, first.isLetter else { continue }
            initials.append(first)
        }
        return initials.isEmpty ? "CQ" : initials
    }

    /// The notation of an outgoing document: `QĐ-UBND` for a type with an abbreviation,
    /// `UBND-TH` (issuer, drafting unit) for a công văn, which has none.
    public static func notation(type: DocumentType, issuer: String, draftingUnitCode: String) -> String {
        if let abbreviation = type.abbreviation { return "\(abbreviation)-\(issuer)" }
        return "\(issuer)-\(draftingUnitCode)"
    }

    /// The number an outgoing document is issued under: legal normative documents (luật, nghị
    /// định, thông tư) carry the year, `01/2026/TT-VPCP`; the others do not, `05/UBND-TH`.
    public static func issueNumber(_ number: Int, year: Int, type: DocumentType, issuer: String, draftingUnitCode: String) throws -> DocumentNumber {
        try DocumentNumber(number: number, year: type.isLegalNormative ? year : nil,
                           notation: notation(type: type, issuer: issuer, draftingUnitCode: draftingUnitCode))
    }
}
