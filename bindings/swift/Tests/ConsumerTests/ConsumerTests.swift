import XCTest
final class ConsumerTests: XCTestCase { func testPlaceholder() {} }
