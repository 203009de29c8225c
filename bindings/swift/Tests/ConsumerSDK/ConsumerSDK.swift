// Another SDK an app imports beside Recall, with the names such SDKs have: a `Timestamp`
// (Firestore's, SwiftProtobuf users') and an `Operator`. If Recall exported a `Timestamp`, an
// app that imports both could no longer write `Timestamp` (ambiguous): ConsumerTests would
// not compile. Not shipped.
import Foundation

/// A point in time as another SDK spells it.
public struct Timestamp: Equatable {
    public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}
