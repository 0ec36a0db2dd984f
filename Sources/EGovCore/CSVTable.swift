import Foundation

/// RFC 4180 CSV as spreadsheet programs in Vietnam open it: UTF-8 with a byte-order mark,
/// CRLF line ends, and cells that would start a formula (= + - @) prefixed with `'`.
public enum CSVTable {
    public static func render(header: [String], rows: [[String]]) -> String {
        "\u{FEFF}" + ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public static func cell(_ value: String) -> String {
        var text = value
        if startsFormula(text) || (text.first == "'" && startsFormula(text.dropFirst())) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    private static func startsFormula(_ text: Substring) -> Bool { text.first.map { "=+-@".contains($0) } ?? false }
    private static func startsFormula(_ text: String) -> Bool { startsFormula(Substring(text)) }

    public enum ParseError: Error, Equatable {
        /// A quoted cell that never closes, by the line it started on (1-based).
        case unterminatedQuote(line: Int)
    }

    /// Rows of cells; accepts a BOM, CRLF or LF, commas or semicolons (Excel in Vietnamese
    /// locales saves with `;`), and undoes the formula guard of `render`. Blank lines are skipped.
    public static func parse(_ text: String) throws -> [[String]] {
        var input = Substring(text)
        if input.first == "\u{FEFF}" { input = input.dropFirst() }
        let firstLine = input.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false, wasQuoted = false
        var line = 1, quoteLine = 1
        var iterator = input.makeIterator()
        var pending: Character? = nil
        func finishCell() {
            if cell.first == "'", startsFormula(cell.dropFirst()) || (cell.dropFirst().first == "'" && startsFormula(cell.dropFirst(2))) {
                cell.removeFirst()
            }
            row.append(cell)
            cell = ""
            wasQuoted = false
        }
        func finishRow() {
            finishCell()
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    cell.append(character == "\r\n" ? "\n" : character)
                }
                continue
            }
            switch character {
            case "\"" where cell.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
                quoteLine = line
            case separator:
                finishCell()
            case "\n", "\r\n", "\r":
                line += 1
                finishRow()
            default:
                cell.append(character)
            }
        }
        if quoted { throw ParseError.unterminatedQuote(line: quoteLine) }
        if !cell.isEmpty || !row.isEmpty { finishRow() }
        return rows
    }
}
