import EGovCore
import Foundation

/// A date literal for tests; crashes on a typo so the test fails loudly.
func d(_ iso: String) -> LocalDate {
    guard let date = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return date
}

/// The instant of `iso` at hh:mm:ss Vietnam time.
func vietnamTime(_ iso: String, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
    d(iso).startInVietnam.addingTimeInterval(Double(hour * 3600 + minute * 60 + second))
}
