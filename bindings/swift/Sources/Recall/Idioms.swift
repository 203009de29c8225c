// Hand-written (not generated): the decoders as initializers of the types they build
// (`RecallRequest(protobuf:)`), over the generated decoder functions of Recall.swift, which
// are internal (uniffi cannot attach them to records and enums itself); the reason and detail
// of a `RecallError` and its `LocalizedError`; and `settle(_:pending:held:)` over the generated
// `settle(_ arriving: ArrivingRecall)`. The helpers that take a recall or a message in the
// right order are in Client.swift.
import Foundation

extension RecallRequest {
    /// Decodes an untrusted protobuf request; an actor or role an old client still sends is ignored.
    ///
    /// - Parameter protobuf: The bytes of a `recall.v1.RecallRequest`.
    /// - Throws: `RecallError.refused` with `.inputTooLarge`, `.malformedInput`,
    ///   `.invalidArgument` or `.extTooLarge`.
    public init(protobuf: Data) throws { self = try recallRequestFromProtobuf(bytes: protobuf) }

    /// Decodes an untrusted JSON request; fields it does not name (an old client's actor) are ignored.
    ///
    /// - Parameter json: The request as the spec's JSON (8.8.1).
    /// - Throws: `RecallError.refused` as `init(protobuf:)`.
    public init(json: String) throws { self = try recallRequestFromJson(json: json) }
}

extension RecallNotification {
    /// Decodes an untrusted protobuf notification; a newer kind or basis arrives as `.unknown`.
    ///
    /// - Parameter protobuf: The bytes of a `recall.v1.RecallNotification`.
    /// - Throws: `RecallError.refused` with `.inputTooLarge`, `.malformedInput`,
    ///   `.invalidArgument` or `.extTooLarge`.
    public init(protobuf: Data) throws { self = try recallNotificationFromProtobuf(bytes: protobuf) }

    /// Decodes an untrusted JSON notification; a newer kind or basis arrives as `.unknown`.
    ///
    /// - Parameter json: The notification as the spec's JSON.
    /// - Throws: `RecallError.refused` as `init(protobuf:)`.
    public init(json: String) throws { self = try recallNotificationFromJson(json: json) }

    /// The recall a legacy "revoke" command asks for (spec 7), to take with `onRecall` or
    /// `receive` like any other.
    ///
    /// - Parameter legacy: The command as the old client sent it.
    /// - Throws: `RecallError.refused` with `.notRecallCommand` for a command that is not a
    ///   recall, `.invalidArgument` when it names no message or an invalid id.
    public init(legacy: LegacyCommand) throws { self = try legacyCommandToRecall(command: legacy) }
}

extension LegacyCommand {
    /// The legacy command that tells an old client about `recall` (spec 7).
    ///
    /// - Parameter recall: A recall by its sender (an old client knows no other).
    /// - Throws: `RecallError.refused` with `.notSender` for a moderator's recall.
    public init(recall: RecallNotification) throws { self = try legacyCommandFromRecall(recall: recall) }
}

extension Reason {
    /// The reason with this code (`.unknown(code:)` past the table); nil for 0, negative or past 65535.
    ///
    /// - Parameter code: A stable numeric code, e.g. 11 for `.windowExpired`.
    public init?(code: Int) {
        guard let code = Int32(exactly: code), let reason = reasonFromCode(code: code) else { return nil }
        self = reason
    }

    /// The reason of the table with this stable id, e.g. `window_expired` for `.windowExpired`;
    /// nil for any other.
    ///
    /// - Parameter id: The stable snake_case id, as logs and servers write it.
    public init?(id: String) {
        guard let reason = reasonFromId(id: id) else { return nil }
        self = reason
    }

    /// The reason of an untrusted protobuf rejection; a newer server's arrives as `.unknown(code:)`.
    ///
    /// - Parameter rejectionProtobuf: The bytes of a `recall.v1.RecallRejection`.
    /// - Throws: `RecallError.refused` with `.inputTooLarge`, `.malformedInput` or `.invalidArgument`.
    public init(rejectionProtobuf: Data) throws { self = try reasonFromRejectionProtobuf(bytes: rejectionProtobuf) }

    /// The reason of an untrusted JSON rejection; a newer server's arrives as `.unknown(code:)`.
    ///
    /// - Parameter rejectionJson: The rejection as the spec's JSON (8.8.5).
    /// - Throws: `RecallError.refused` as `init(rejectionProtobuf:)`.
    public init(rejectionJson: String) throws { self = try reasonFromRejectionJson(json: rejectionJson) }
}

extension RecallError: LocalizedError {
    /// Why the recall or its input was refused: `.windowExpired`, with its stable `id`
    /// (`window_expired`) and `code` (11).
    public var reason: Reason {
        switch self {
        case let .refused(reason, _): return reason
        }
    }

    /// What went wrong, in English, for developers and logs (never shown to users), e.g.
    /// `window_expired (11): the recall window has passed`.
    public var detail: String {
        switch self {
        case let .refused(_, detail): return detail
        }
    }

    /// The detail: what went wrong, for developers and logs.
    public var errorDescription: String? { detail }
}

extension RecallState {
    /// Phase two of a recall, as its three parts; `receive(_:at:lookup:)` runs both phases
    /// in order for you. Do what the outcome says: `.applied`, replace the held
    /// message with the tombstone in one update that undoes what the row records (see
    /// `receive`); `.remembered` or `.duplicate`, nothing.
    ///
    /// - Parameters:
    ///   - recall: The recall passed to `onRecall(_:at:)`.
    ///   - pending: What `onRecall(_:at:)` answered.
    ///   - held: The message you hold under the recall's conversation id and message id,
    ///     looked up in the committed store after `onRecall(_:at:)` returned; nil when none.
    /// - Returns: `.applied` with the tombstone and effects, `.remembered` (the message has not
    ///   arrived: it will arrive as a tombstone) or `.duplicate`.
    /// - Throws: `RecallError.refused` with `.conversationMismatch` when `held` is another
    ///   message or in another conversation, `.senderMismatch` when someone else sent it (the
    ///   recall stays remembered for its own message); `.operatorMismatch` or
    ///   `.invalidArgument` for a recall `onRecall(_:at:)` would refuse.
    public func settle(_ recall: RecallNotification, pending: PendingRecall, held: HeldMessage? = nil) throws -> RecallOutcome {
        try settle(ArrivingRecall(recall: recall, pending: pending, held: held))
    }
}
