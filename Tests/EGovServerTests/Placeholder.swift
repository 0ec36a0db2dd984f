import XCTest
import XCTVapor
@testable import EGovServer
final class PlaceholderServerTests: XCTestCase { func testNothing() {} }
