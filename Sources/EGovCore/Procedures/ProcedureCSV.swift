import Foundation

/// The catalogue as a spreadsheet: one procedure a row, columns named like the JSON keys, so
/// both import formats read the same names. List cells hold one item a line (channels may
/// also be separated by `;`); a required document is `name | originals | copies | yes/no`, a form
/// field `key | label | kind | yes/no | options`, a processing step `unit|agency | code | days`.
public enum ProcedureCSV {
    public static let header = [
        "code", "name", "field", "agency_code", "implementing_level", "online_level", "channels", "steps",
        "required_documents", "time_limit_days", "fees", "fee_amount", "conditions", "result", "legal_basis",
        "effective_from", "effective_to", "status", "form_fields", "processing_steps",
    ]

    public static func row(_ record: ProcedureRecord) -> [String] {
        [
            record.code, record.name, record.field, record.agencyCode ?? "", record.implementingLevel.rawValue,
            record.onlineLevel.rawValue, record.channels.map(\.rawValue).joined(separator: "; "),
            record.steps.joined(separator: "\n"), record.requiredDocuments.map(\.line).joined(separator: "\n"),
            String(record.timeLimitDays), record.fees, String(record.feeAmount), record.conditions, record.result,
            record.legalBasis, record.effectiveFrom?.iso ?? "", record.effectiveTo?.iso ?? "", record.status.rawValue,
            record.formFields.map(\.line).joined(separator: "\n"), record.processingSteps.map(\.line).joined(separator: "\n"),
        ]
    }

    public static func render(_ records: [ProcedureRecord]) -> String {
        CSVTable.render(header: header, rows: records.map(row))
    }

    public enum ReadError: Error, Equatable {
        case unterminatedQuote(line: Int)
        /// The first row lacks these required columns.
        case missingColumns([String])
        case empty
    }

    /// Each data row as column name → cell text (unknown columns are ignored), numbered from 1.
    public static func rows(_ text: String) throws -> [(number: Int, cells: [String: String])] {
        let table: [[String]]
        do { table = try CSVTable.parse(text) } catch CSVTable.ParseError.unterminatedQuote(let line) {
            throw ReadError.unterminatedQuote(line: line)
        }
        guard let first = table.first else { throw ReadError.empty }
        let names = first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = ["code", "name", "field", "time_limit_days"].filter { !names.contains($0) }
        guard missing.isEmpty else { throw ReadError.missingColumns(missing) }
        return table.dropFirst().enumerated().map { offset, cells in
            var row: [String: String] = [:]
            for (index, name) in names.enumerated() where index < cells.count && header.contains(name) {
                row[name] = cells[index]
            }
            return (offset + 1, row)
        }
    }

    /// Splits a list cell: one item a line, or `;`-separated on one line.
    public static func items(_ cell: String, semicolons: Bool = false) -> [String] {
        let lines = cell.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || (semicolons && $0 == ";") })
        return lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
