import Vapor

/// The `page` of a listing, as a request asks for it. A number from outside (a bookmark, a
/// crafted link) is bounded here, so no listing multiplies it into an overflowing offset.
enum PageNumber {
    /// The last page any listing offers: at 100 rows a page, a million rows deep.
    static let maximum = 10_000

    /// Absent or empty means the first page; anything else must be a whole number in
    /// `1...maximum`, or the request is refused with a message the person can read.
    static func from(_ req: Request, key: String = "page", maximum: Int = PageNumber.maximum) throws -> Int {
        try parse(req.query[String.self, at: key], maximum: maximum)
    }

    static func parse(_ raw: String?, maximum: Int = PageNumber.maximum) throws -> Int {
        let text = raw?.trimmingWhitespace ?? ""
        guard !text.isEmpty else { return 1 }
        guard let number = Int(text), (1...maximum).contains(number) else {
            throw EGovError.badRequest("Số trang phải là số nguyên từ 1 đến \(maximum).", code: "bad_page")
        }
        return number
    }
}
