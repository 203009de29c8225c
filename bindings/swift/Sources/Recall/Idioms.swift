// Hand-written (not generated): the decoders as initializers of the types they build
// (`RecallRequest(protobuf:)`), over the generated free functions of Recall.swift, which
// uniffi cannot attach to records and enums itself; the reason of a `RecallError`; and
// `settle(recall:pending:held:)` over the generated `settle(recall: ArrivingRecall)`.
import Foundation

extension RecallRequest {
    /// Decodes an untrusted protobuf request; an actor or role an old client still sends is ignored.
    public init(protobuf: Data) throws { self = try recallRequestFromProtobuf(bytes: protobuf) }

    /// Decodes an untrusted JSON request; fields it does not name (an old client's actor) are ignored.
    public init(json: String) throws { self = try recallRequestFromJson(json: json) }
}

extension RecallNotification {
    /// Decodes an untrusted protobuf notification; a newer kind or basis arrives as `.unknown`.
    public init(protobuf: Data) throws { self = try recallNotificationFromProtobuf(bytes: protobuf) }

    /// Decodes an untrusted JSON notification; a newer kind or basis arrives as `.unknown`.
    public init(json: String) throws { self = try recallNotificationFromJson(json: json) }
}

extension Reason {
    /// The reason with this code (`.unknown(code:)` past the table); nil for 0, negative or past 65535.
    public init?(code: Int32) {
        guard let reason = reasonFromCode(code: code) else { return nil }
        self = reason
    }

    /// The reason of the table with this snake_case id, e.g. `window_expired`; nil for any other.
    public init?(id: String) {
        guard let reason = reasonFromId(id: id) else { return nil }
        self = reason
    }

    /// The reason of an untrusted protobuf rejection; a newer server's arrives as `.unknown(code:)`.
    public init(rejectionProtobuf: Data) throws { self = try reasonFromRejectionProtobuf(bytes: rejectionProtobuf) }

    /// The reason of an untrusted JSON rejection; a newer server's arrives as `.unknown(code:)`.
    public init(rejectionJson: String) throws { self = try reasonFromRejectionJson(json: rejectionJson) }
}

extension RecallError {
    /// Why the recall or its input was refused, with its stable `id()` and `code()`.
    public var reason: Reason {
        switch self {
        case let .Refused(reason, _): return reason
        }
    }
}

extension RecallState {
    /// Phase two of a recall: `recall` is the recall passed to `onRecall`, `pending` what it
    /// answered, and `held` the message you hold under the recall's conversation id and message
    /// id, looked up after `onRecall` returned, or nil. Do what the outcome says: `.applied`,
    /// replace the held message with the tombstone and carry out the effects; `.remembered` or
    /// `.duplicate`, nothing. (The generated `settle(recall:)` takes the three as one
    /// `ArrivingRecall`, which crosses as one buffer.)
    ///
    /// Throws `conversation_mismatch` when `held` is another message or in another
    /// conversation, and `sender_mismatch` when someone else sent it (the recall stays
    /// remembered for its own message); `operator_mismatch` or `invalid_argument` for a recall
    /// `onRecall` would refuse.
    public func settle(recall: RecallNotification, pending: PendingRecall, held: HeldMessage? = nil) throws -> RecallOutcome {
        try settle(recall: ArrivingRecall(recall: recall, pending: pending, held: held))
    }
}
