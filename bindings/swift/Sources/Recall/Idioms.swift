// Hand-written (not generated): the decoders as initializers of the types they build
// (`RecallRequest(protobuf:)`), over the generated free functions of Recall.swift, which
// uniffi cannot attach to records and enums itself; and the reason of a `RecallError`.
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
