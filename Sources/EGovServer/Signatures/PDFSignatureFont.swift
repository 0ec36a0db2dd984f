import EGovCore
import Foundation

/// The font visible signatures are drawn with: a TrueType font with Vietnamese glyphs, found
/// once per process. `EGOV_PDF_FONT` names one; otherwise DejaVu Sans (Debian's
/// fonts-dejavu-core) or Noto Sans where installed. Without any, labels are drawn in
/// Helvetica without diacritics, and the log says so.
enum PDFSignatureFont {
    static let candidates = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ]

    static let shared: PDFAppearanceFont = {
        var paths = candidates
        if let configured = ProcessInfo.processInfo.environment["EGOV_PDF_FONT"], !configured.isEmpty { paths.insert(configured, at: 0) }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path),
                  let font = try? TrueTypeFont(data: Array(data), name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
            else { continue }
            return .trueType(font)
        }
        return .helvetica
    }()
}
