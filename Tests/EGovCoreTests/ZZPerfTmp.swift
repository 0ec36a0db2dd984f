import EGovCore
import Foundation
import XCTest
final class ZZPerfTmp: XCTestCase {
    func test_perf() {
        let c = WorkingDayCalendar()
        let t0 = Date()
        var n = 0
        for y in 1900...2199 { n += c.statutoryHolidays(in: y).count }
        print("PERF all years", Date().timeIntervalSince(t0), n)
        let t1 = Date()
        for i in 0..<1000 { _ = c.isWorkingDay(d("2026-03-10").adding(days: i % 300)) }
        print("PERF 1000 isWorkingDay", Date().timeIntervalSince(t1))
    }
}
