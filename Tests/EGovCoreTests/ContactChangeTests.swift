import EGovCore
import XCTest

final class ContactChangeTests: XCTestCase {
    func test_aNewContactWaitsForItsCodeWhileTheOldOneStillSignsIn() throws {
        let newEmail = try ContactChange(current: ("an@example.vn", "0912345678"), requested: ("an.moi@example.vn", "0912345678"))
        XCTAssertEqual(newEmail, try ContactChange(current: ("an@example.vn", "0912345678"), requested: ("an.moi@example.vn", "0912345678")))
        XCTAssertEqual(newEmail.email, "an@example.vn", "the old e-mail signs in until the code comes back")
        XCTAssertEqual(newEmail.phone, "0912345678")
        XCTAssertEqual(newEmail.pending, "an.moi@example.vn")
        XCTAssertEqual(newEmail.pendingChannel, .email)

        let addedPhone = try ContactChange(current: ("an@example.vn", nil), requested: ("an@example.vn", "0987654321"))
        XCTAssertNil(addedPhone.phone, "a phone never confirmed does not sign in yet")
        XCTAssertEqual(addedPhone.pending, "0987654321")
        XCTAssertEqual(addedPhone.pendingChannel, .phone)
    }

    func test_aRemovalCountsAtOnce_andNothingChangedMeansNothingPending() throws {
        let removed = try ContactChange(current: ("an@example.vn", "0912345678"), requested: (nil, "0912345678"))
        XCTAssertNil(removed.email)
        XCTAssertEqual(removed.phone, "0912345678")
        XCTAssertNil(removed.pending)
        XCTAssertNil(removed.pendingChannel)

        let same = try ContactChange(current: ("an@example.vn", "0912345678"), requested: ("an@example.vn", "0912345678"))
        XCTAssertEqual(same.email, "an@example.vn")
        XCTAssertNil(same.pending)
    }

    func test_oneContactAtATime_andOneConfirmedContactAlwaysStays() {
        XCTAssertThrowsError(try ContactChange(current: ("an@example.vn", "0912345678"), requested: ("an.moi@example.vn", "0987654321"))) {
            XCTAssertEqual($0 as? ContactChange.Refusal, .bothAtOnce)
        }
        // Removing the phone while the e-mail is still unconfirmed would leave nothing to sign in with.
        XCTAssertThrowsError(try ContactChange(current: (nil, "0912345678"), requested: ("an@example.vn", nil))) {
            XCTAssertEqual($0 as? ContactChange.Refusal, .nothingLeftToSignIn(.email))
        }
        XCTAssertThrowsError(try ContactChange(current: ("an@example.vn", nil), requested: (nil, nil))) {
            XCTAssertEqual($0 as? ContactChange.Refusal, .nothingLeftToSignIn(.phone))
        }
    }
}
