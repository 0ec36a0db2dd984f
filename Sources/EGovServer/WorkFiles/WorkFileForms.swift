import EGovCore
import Foundation
import Vapor

/// What someone sends to open a work file (API JSON and the web form alike).
struct WorkFileInput: Content {
    var year: String?
    var code: String?
    var title: String?
    var retention: String?
    var notes: String?

    enum CodingKeys: String, CodingKey { case year, code, title, retention, notes }

    init(year: String? = nil, code: String? = nil, title: String? = nil, retention: String? = nil, notes: String? = nil) {
        (self.year, self.code, self.title, self.retention, self.notes) = (year, code, title, retention, notes)
    }

    /// JSON clients send the year and a number of years as numbers, forms as text: both are accepted.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) -> String? {
            if let value = try? c.decodeIfPresent(String.self, forKey: key) { return value }
            if let number = try? c.decodeIfPresent(Int.self, forKey: key) { return String(number) }
            return nil
        }
        (year, code, title, retention, notes) = (text(.year), text(.code), text(.title), text(.retention), text(.notes))
    }

    static let titleLimit = 500
    static let notesLimit = 2000

    struct Valid: Sendable {
        var year: Int
        var code: WorkFileCode
        var title: String
        var retention: RetentionPeriod
        var notes: String
    }

    /// Checks everything that needs no database; a missing year is this year.
    func validate(currentYear: Int) throws -> Valid {
        var errors: [String: String] = [:]
        let yearText = FormText.clean(year)
        let year = yearText.isEmpty ? currentYear : Int(yearText)
        if year == nil || !(WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear).contains(year!) {
            errors["year"] = "Năm của danh mục hồ sơ không hợp lệ."
        }
        var code: WorkFileCode?
        let codeText = FormText.clean(self.code)
        if codeText.isEmpty {
            errors["code"] = "Cần nhập số và ký hiệu hồ sơ, ví dụ 01.TCCB."
        } else {
            do { code = try WorkFileCode(codeText) } catch WorkFileCodeError.numberOutOfRange {
                errors["code"] = "Số thứ tự hồ sơ phải từ 1 đến 999."
            } catch {
                errors["code"] = "Số và ký hiệu hồ sơ \"\(codeText)\" không đúng dạng: cần số thứ tự, dấu chấm, rồi ký hiệu đơn vị hoặc lĩnh vực, ví dụ 01.TCCB."
            }
        }
        let title = FormText.clean(self.title)
        if title.isEmpty { errors["title"] = "Cần nhập tiêu đề hồ sơ." }
        if title.count > Self.titleLimit { errors["title"] = "Tiêu đề hồ sơ dài tối đa \(Self.titleLimit) ký tự (đang có \(title.count))." }
        let retentionText = FormText.clean(self.retention)
        let retention = RetentionPeriod(parsing: retentionText)
        if retentionText.isEmpty {
            errors["retention"] = "Cần chọn thời hạn bảo quản."
        } else if retention == nil {
            errors["retention"] = "Thời hạn bảo quản là số năm từ 1 đến 70 hoặc \"Vĩnh viễn\"."
        }
        let notes = FormText.clean(self.notes)
        if notes.count > Self.notesLimit { errors["notes"] = "Ghi chú dài tối đa \(Self.notesLimit) ký tự." }
        guard errors.isEmpty, let year, let code, let retention else { throw EGovError.invalid(errors) }
        return Valid(year: year, code: code, title: title, retention: retention, notes: notes)
    }
}

/// A document to put into a file: its register and its id.
struct WorkFileDocumentInput: Content {
    var kind: String?
    var documentID: String?

    enum CodingKeys: String, CodingKey { case kind, documentID = "document_id" }

    struct Valid: Sendable {
        var kind: WorkFileItem.Kind
        var documentID: UUID
    }

    func validate() throws -> Valid {
        var errors: [String: String] = [:]
        let kind = WorkFileItem.Kind(rawValue: FormText.clean(self.kind))
        if kind == nil { errors["kind"] = "Loại văn bản phải là \"incoming\" (văn bản đến) hoặc \"outgoing\" (văn bản đi)." }
        let id = UUID(uuidString: FormText.clean(documentID))
        if id == nil { errors["document_id"] = "Mã văn bản không hợp lệ." }
        guard errors.isEmpty, let kind, let id else { throw EGovError.invalid(errors) }
        return Valid(kind: kind, documentID: id)
    }
}

/// `?year=` of the file list: this year when absent, a 400 when it is not a year.
struct WorkFileFilter: Sendable {
    var year: Int

    init(year: Int) { self.year = year }

    init(query req: Request) throws {
        let text = FormText.clean(req.query[String.self, at: "year"])
        if text.isEmpty {
            year = LocalDate.inVietnam(req.now).year
        } else {
            guard let year = Int(text), WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear ~= year else {
                throw EGovError.badRequest("Năm \"\(text)\" không hợp lệ.")
            }
            self.year = year
        }
    }
}
