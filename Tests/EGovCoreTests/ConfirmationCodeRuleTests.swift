import EGovCore
import Foundation
import XCTest

final class ConfirmationCodeRuleTests: XCTestCase {
    func test_aNewCodeWaitsAMinuteAfterTheLastOne() {
        let sent = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertNil(ConfirmationCodeRule.secondsToWait(sentAt: nil, now: sent))
        XCTAssertEqual(ConfirmationCodeRule.secondsToWait(sentAt: sent, now: sent), 60)
        XCTAssertEqual(ConfirmationCodeRule.secondsToWait(sentAt: sent, now: sent.addingTimeInterval(59.5)), 1)
        XCTAssertNil(ConfirmationCodeRule.secondsToWait(sentAt: sent, now: sent.addingTimeInterval(60)))
    }
}

final class ContactChannelTests: XCTestCase {
    func test_anEmailHasAnAtSignAndAPhoneNever() {
        XCTAssertEqual(ContactChannel(of: "dan@example.vn"), .email)
        XCTAssertEqual(ContactChannel(of: "0912345678"), .phone)
        XCTAssertEqual(ContactChannel(of: VietnamesePhone.normalise("+84 912 345 678") ?? ""), .phone)
    }
}
