// Another crate's uniffi bindings built as a module of their own reach recall's converters
// through the SPI group they are in: `@_spi(RecallFFI) import Recall`. (An app's plain
// `import Recall`, in ConsumerTests.swift, does not see them.)
@_spi(RecallFFI) import Recall
import XCTest

final class SPIConsumerTests: XCTestCase {
    func testConvertersAreReachableThroughTheSPIImport() throws {
        XCTAssertEqual(try FfiConverterTypeReason_lift(FfiConverterTypeReason_lower(.notFound)), .notFound)
        let policy = RecallPolicy.defaults()
        let handle = FfiConverterTypeRecallPolicy_lower(policy)
        XCTAssertEqual(try FfiConverterTypeRecallPolicy_lift(handle).toJson(), policy.toJson())
        uniffiEnsureRecallFfiInitialized()
    }
}
