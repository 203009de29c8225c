// Hand-written (not generated): what an app keeps of a recall in its own store (spec 6.10).
// A tombstone is read back from the spec's JSON or protobuf (`Tombstone(json:)`,
// `Tombstone(protobuf:)`, over the generated decoders), written with the generated
// `toJson()` / `toProtobuf()`, and is `Codable` in the spec's JSON shape (8.8.7): snake_case
// keys, the timestamp as the spec writes it (`2026-01-01T00:02:00.000Z`), `ext` as `null` when
// absent, and every enum as its stable JSON id (`RawRepresentable`: `RecalledBy.you.rawValue`
// is `"you"`), so `JSONEncoder` and the Rust core read and write the same text. uniffi's own
// `Codable` (generate_codable_conformance) stays off: it would use the Swift names.
import Foundation

extension Tombstone {
    /// Decodes a tombstone the app stored as JSON (spec 8.8.7), e.g. from `toJson()`.
    ///
    /// - Parameter json: The tombstone's JSON.
    /// - Throws: `RecallError.refused` with `.inputTooLarge`, `.malformedInput`,
    ///   `.invalidArgument` (an unknown field included) or `.extTooLarge`.
    public init(json: String) throws { self = try tombstoneFromJson(json: json) }

    /// Decodes a tombstone the app stored as protobuf (`recall.v1.Tombstone`), e.g. from
    /// `toProtobuf()`.
    ///
    /// - Parameter protobuf: The bytes of a `recall.v1.Tombstone`.
    /// - Throws: `RecallError.refused` with `.inputTooLarge`, `.malformedInput`,
    ///   `.invalidArgument` or `.extTooLarge`.
    public init(protobuf: Data) throws { self = try tombstoneFromProtobuf(bytes: protobuf) }
}

extension Tombstone: Codable {
    enum CodingKeys: String, CodingKey {
        case conversation
        case messageId = "message_id"
        case senderId = "sender_id"
        case operatorId = "operator_id"
        case recalledBy = "recalled_by"
        case basis
        case recalledAt = "recalled_at"
        case ext
    }

    /// Decodes the spec's JSON shape, checked as `init(json:)` checks it (ids, `ext`, the
    /// timestamp of spec 8.5).
    ///
    /// - Parameter decoder: A decoder over the spec's JSON, e.g. `JSONDecoder`'s.
    /// - Throws: `DecodingError` for a missing field or a value of the wrong type, or whose
    ///   underlying error is the `RecallError` that refused a value.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let recalledAt = try c.decode(String.self, forKey: .recalledAt)
        guard let date = RecallJSONTime.parse(recalledAt) else {
            throw DecodingError.dataCorruptedError(
                forKey: .recalledAt, in: c, debugDescription: "not a timestamp of spec 8.5: \(recalledAt)")
        }
        let tombstone = Tombstone(
            conversation: try c.decode(Conversation.self, forKey: .conversation),
            messageId: try c.decode(String.self, forKey: .messageId),
            senderId: try c.decode(String.self, forKey: .senderId),
            operatorId: try c.decode(String.self, forKey: .operatorId),
            recalledBy: try c.decode(RecalledBy.self, forKey: .recalledBy),
            basis: try c.decode(Basis.self, forKey: .basis),
            recalledAt: date,
            ext: try c.decodeIfPresent(String.self, forKey: .ext))
        // The core's checks: ids (2.2), the ext's bound (4.4), the time's range (2.3).
        do {
            self = try Tombstone(json: try tombstone.toJson())
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "\(error)", underlyingError: error))
        }
    }

    /// Encodes the spec's JSON shape, the same fields and values as `toJson()`.
    ///
    /// - Parameter encoder: An encoder, e.g. `JSONEncoder`'s (its date strategy is not used:
    ///   the timestamp is written as the spec's string).
    /// - Throws: What the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(conversation, forKey: .conversation)
        try c.encode(messageId, forKey: .messageId)
        try c.encode(senderId, forKey: .senderId)
        try c.encode(operatorId, forKey: .operatorId)
        try c.encode(recalledBy, forKey: .recalledBy)
        try c.encode(basis, forKey: .basis)
        try c.encode(RecallJSONTime.format(recalledAt), forKey: .recalledAt)
        try c.encode(ext, forKey: .ext) // null when absent, as the spec writes it (8.4)
    }
}

extension Conversation: Codable {
    enum CodingKeys: String, CodingKey { case id, kind }

    /// Decodes `{"id": …, "kind": …}` (spec 8.7.1).
    ///
    /// - Parameter decoder: A decoder over the spec's JSON.
    /// - Throws: `DecodingError` for a missing field or a value of the wrong type.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), kind: try c.decode(ConversationKind.self, forKey: .kind))
    }

    /// Encodes `{"id": …, "kind": …}` (spec 8.7.1).
    ///
    /// - Parameter encoder: An encoder, e.g. `JSONEncoder`'s.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
    }
}

/// The spec's JSON timestamps (8.5): written in UTC with three fraction digits; read from
/// RFC 3339 with any offset (the core checks the rest when the value is used).
enum RecallJSONTime {
    static func format(_ date: Date) -> String {
        let millis = recallUnixMillis(date)
        var seconds = millis / 1000, fraction = millis % 1000
        if fraction < 0 { seconds -= 1; fraction += 1000 }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let whole = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return whole.dropLast() + "." + String(format: "%03d", Int(fraction)) + "Z"
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

// MARK: - The enums' stable JSON ids

extension RecalledBy: RawRepresentable, Codable {
    /// The stable JSON id (spec 8.8.7): `you`, `sender`, `moderator`.
    public var rawValue: String {
        switch self {
        case .you: return "you"
        case .sender: return "sender"
        case .moderator: return "moderator"
        }
    }

    /// The case with this JSON id; nil for any other.
    ///
    /// - Parameter rawValue: `you`, `sender` or `moderator`.
    public init?(rawValue: String) {
        switch rawValue {
        case "you": self = .you
        case "sender": self = .sender
        case "moderator": self = .moderator
        default: return nil
        }
    }
}

extension Basis: RawRepresentable, Codable {
    /// The stable JSON id (spec 2.1, 8.3): `sender`, `moderator`, or `unknown`.
    public var rawValue: String {
        switch self {
        case .sender: return "sender"
        case .moderator: return "moderator"
        case .unknown: return "unknown"
        }
    }

    /// The case with this JSON id; `.unknown` for any other (a newer peer's basis, spec 8.3).
    ///
    /// - Parameter rawValue: `sender`, `moderator`, or any other for `.unknown`.
    public init?(rawValue: String) {
        switch rawValue {
        case "sender": self = .sender
        case "moderator": self = .moderator
        default: self = .unknown
        }
    }
}

extension ConversationKind: RawRepresentable, Codable {
    /// The stable JSON id (spec 2.1, 8.3): `direct`, `group`, `room`, or `unknown`.
    public var rawValue: String {
        switch self {
        case .direct: return "direct"
        case .group: return "group"
        case .room: return "room"
        case .unknown: return "unknown"
        }
    }

    /// The case with this JSON id; `.unknown` for any other (a newer peer's kind, spec 8.3).
    ///
    /// - Parameter rawValue: `direct`, `group`, `room`, or any other for `.unknown`.
    public init?(rawValue: String) {
        switch rawValue {
        case "direct": self = .direct
        case "group": self = .group
        case "room": self = .room
        default: self = .unknown
        }
    }
}

extension Role: RawRepresentable, Codable {
    /// The stable JSON id (spec 2.1): `member`, `admin`, `owner`.
    public var rawValue: String {
        switch self {
        case .member: return "member"
        case .admin: return "admin"
        case .owner: return "owner"
        }
    }

    /// The case with this JSON id; nil for any other (roles are configuration: strict).
    ///
    /// - Parameter rawValue: `member`, `admin` or `owner`.
    public init?(rawValue: String) {
        switch rawValue {
        case "member": self = .member
        case "admin": self = .admin
        case "owner": self = .owner
        default: return nil
        }
    }
}

extension MessageKind: RawRepresentable, Codable {
    /// The stable JSON id (spec 2.1): `text`, `image`, `audio`, `video`, `file`, `location`,
    /// `custom`, `command`, `notification`.
    public var rawValue: String {
        switch self {
        case .text: return "text"
        case .image: return "image"
        case .audio: return "audio"
        case .video: return "video"
        case .file: return "file"
        case .location: return "location"
        case .custom: return "custom"
        case .command: return "command"
        case .notification: return "notification"
        }
    }

    /// The case with this JSON id; nil for any other (message kinds are configuration: strict).
    ///
    /// - Parameter rawValue: One of the ids of `rawValue`.
    public init?(rawValue: String) {
        switch rawValue {
        case "text": self = .text
        case "image": self = .image
        case "audio": self = .audio
        case "video": self = .video
        case "file": self = .file
        case "location": self = .location
        case "custom": self = .custom
        case "command": self = .command
        case "notification": self = .notification
        default: return nil
        }
    }
}

extension MessageState: RawRepresentable, Codable {
    /// The stable JSON id (spec 2.1): `sending`, `sent`, `failed`, `recalled`.
    public var rawValue: String {
        switch self {
        case .sending: return "sending"
        case .sent: return "sent"
        case .failed: return "failed"
        case .recalled: return "recalled"
        }
    }

    /// The case with this JSON id; nil for any other.
    ///
    /// - Parameter rawValue: `sending`, `sent`, `failed` or `recalled`.
    public init?(rawValue: String) {
        switch rawValue {
        case "sending": self = .sending
        case "sent": self = .sent
        case "failed": self = .failed
        case "recalled": self = .recalled
        default: return nil
        }
    }
}

extension Moderation: RawRepresentable, Codable {
    /// The stable JSON id (spec 3.1): `outrank`, `any`.
    public var rawValue: String {
        switch self {
        case .outrank: return "outrank"
        case .any: return "any"
        }
    }

    /// The case with this JSON id; nil for any other.
    ///
    /// - Parameter rawValue: `outrank` or `any`.
    public init?(rawValue: String) {
        switch rawValue {
        case "outrank": self = .outrank
        case "any": self = .any
        default: return nil
        }
    }
}
