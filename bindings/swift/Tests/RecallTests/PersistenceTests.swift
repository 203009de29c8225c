// Tombstones as an app keeps them (spec 6.10): the spec's JSON and protobuf through the core,
// and Codable in the same JSON shape (8.8.7), so JSONEncoder/JSONDecoder and the core agree.
import Foundation
import XCTest
import Recall

final class PersistenceTests: XCTestCase {
    let tombstone = Tombstone(conversation: Conversation(id: "g1", kind: .group), messageId: "m1", senderId: "alice",
                              operatorId: "olga", recalledBy: .moderator, basis: .moderator,
                              recalledAt: Date(timeIntervalSince1970: 1_767_225_601.5), ext: "spam")

    /// The JSON text as an object, to compare shapes whatever the order of keys.
    func object(_ json: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(json.utf8)) as! NSDictionary
    }

    func testJsonAndProtobufRoundTripThroughTheCore() throws {
        let json = try tombstone.toJson()
        XCTAssertEqual(try object(json), try object("""
            {"conversation":{"id":"g1","kind":"group"},"message_id":"m1","sender_id":"alice","operator_id":"olga",
             "recalled_by":"moderator","basis":"moderator","recalled_at":"2026-01-01T00:00:01.500Z","ext":"spam"}
            """))
        XCTAssertEqual(try Tombstone(json: json), tombstone)
        XCTAssertEqual(try Tombstone(protobuf: try tombstone.toProtobuf()), tombstone)
        XCTAssertEqual(refusal { try Tombstone(json: "{") }, "malformed_input")
        XCTAssertEqual(refusal { try Tombstone(protobuf: Data([0xff, 0xff])) }, "malformed_input")
    }

    func testCodableWritesAndReadsTheSpecsShape() throws {
        for tombstone in [tombstone,
                          Tombstone(conversation: Conversation(id: "d1", kind: .direct), messageId: "m2", senderId: "bob",
                                    operatorId: "bob", recalledBy: .you, basis: .sender,
                                    recalledAt: Date(timeIntervalSince1970: -0.001), ext: nil)] {
            let encoded = String(decoding: try JSONEncoder().encode(tombstone), as: UTF8.self)
            // The same fields and values as the core writes (ext null when absent), ...
            XCTAssertEqual(try object(encoded), try object(try tombstone.toJson()), encoded)
            // ... read back by the core and by JSONDecoder, either way round.
            XCTAssertEqual(try Tombstone(json: encoded), tombstone)
            XCTAssertEqual(try JSONDecoder().decode(Tombstone.self, from: Data(encoded.utf8)), tombstone)
            XCTAssertEqual(try JSONDecoder().decode(Tombstone.self, from: Data(try tombstone.toJson().utf8)), tombstone)
        }
        let early = Tombstone(conversation: Conversation(id: "d1", kind: .direct), messageId: "m2", senderId: "bob",
                              operatorId: "bob", recalledBy: .you, basis: .sender,
                              recalledAt: Date(timeIntervalSince1970: -0.001), ext: nil)
        let text = String(decoding: try JSONEncoder().encode(early), as: UTF8.self)
        XCTAssertTrue(text.contains(#""recalled_at":"1969-12-31T23:59:59.999Z""#), text)
        XCTAssertTrue(text.contains(#""ext":null"#), text)
        // Another offset is read as the spec says (8.5).
        let offset = #"{"conversation":{"id":"g1","kind":"group"},"message_id":"m1","sender_id":"alice","# +
            #""operator_id":"olga","recalled_by":"moderator","basis":"moderator","# +
            #""recalled_at":"2026-01-01T08:00:01.500+08:00","ext":"spam"}"#
        XCTAssertEqual(try JSONDecoder().decode(Tombstone.self, from: Data(offset.utf8)), tombstone)
    }

    func testCodableRefusesWhatTheCoreRefuses() throws {
        var bad = try object(try tombstone.toJson()) as! [String: Any]
        bad["sender_id"] = ""
        let data = try JSONSerialization.data(withJSONObject: bad)
        XCTAssertThrowsError(try JSONDecoder().decode(Tombstone.self, from: data)) { error in
            guard case let DecodingError.dataCorrupted(context) = error,
                  let refusal = context.underlyingError as? RecallError else { return XCTFail("\(error)") }
            XCTAssertEqual(refusal.reason, .invalidArgument)
        }
        bad["sender_id"] = "alice"
        bad["recalled_at"] = "yesterday"
        XCTAssertThrowsError(try JSONDecoder().decode(Tombstone.self, from: try JSONSerialization.data(withJSONObject: bad)))
        bad["recalled_at"] = "2026-01-01T00:00:01.500Z"
        bad["recalled_by"] = "robot"
        XCTAssertThrowsError(try JSONDecoder().decode(Tombstone.self, from: try JSONSerialization.data(withJSONObject: bad)))
    }

    func testEnumsHaveTheSpecsJsonIdsAsRawValues() {
        XCTAssertEqual([RecalledBy.you, .sender, .moderator].map(\.rawValue), ["you", "sender", "moderator"])
        XCTAssertEqual([Basis.sender, .moderator, .unknown].map(\.rawValue), ["sender", "moderator", "unknown"])
        XCTAssertEqual([ConversationKind.direct, .group, .room, .unknown].map(\.rawValue),
                       ["direct", "group", "room", "unknown"])
        XCTAssertEqual([Role.member, .admin, .owner].map(\.rawValue), ["member", "admin", "owner"])
        XCTAssertEqual([MessageKind.text, .image, .audio, .video, .file, .location, .custom, .command, .notification]
                        .map(\.rawValue),
                       ["text", "image", "audio", "video", "file", "location", "custom", "command", "notification"])
        XCTAssertEqual([MessageState.sending, .sent, .failed, .recalled].map(\.rawValue),
                       ["sending", "sent", "failed", "recalled"])
        XCTAssertEqual([Moderation.outrank, .any].map(\.rawValue), ["outrank", "any"])
        // What may grow reads a newer peer's value as unknown (spec 8.3); configuration is strict.
        XCTAssertEqual(Basis(rawValue: "delegate"), .unknown)
        XCTAssertEqual(ConversationKind(rawValue: "channel"), .unknown)
        XCTAssertNil(Role(rawValue: "guest"))
        XCTAssertNil(RecalledBy(rawValue: "robot"))
        XCTAssertEqual(RecalledBy(rawValue: "you"), .you)
    }
}
