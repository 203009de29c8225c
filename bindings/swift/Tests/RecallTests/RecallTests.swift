// Every exported function and type of the Recall Swift package, through the real library, and
// the hand-written additions of Idioms.swift.
import Foundation
import XCTest
@testable import Recall

/// 2026-01-01T00:00:00.000Z
let base = Date(timeIntervalSince1970: 1_767_225_600)

func seconds(_ s: Double) -> Date { base.addingTimeInterval(s) }

let g1 = Conversation(id: "g1", kind: .group)
let alice = Operator(userId: "alice", role: .member)

/// What a client asks: recall m1 in g1.
func request(ext: String? = nil) -> RecallRequest {
    RecallRequest(conversationId: "g1", messageId: "m1", ext: ext)
}

func message(sender: String = "alice", senderRole: Role? = .member, kind: MessageKind = .text,
             state: MessageState = .sent, sentAt: Date = base, conversation: Conversation = g1) -> StoredMessage {
    StoredMessage(id: "m1", conversation: conversation, senderId: sender, senderRole: senderRole,
                  kind: kind, state: state, sentAt: sentAt)
}

/// Runs `body` and returns the reason id of the `RecallError` it throws, or nil.
func refusal<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as RecallError {
        guard case let .refused(reason, detail) = error else { return nil }
        XCTAssertEqual(error.reason, reason)
        XCTAssertTrue(reason.isKnown)
        XCTAssertFalse(detail.isEmpty)
        return reason.id
    } catch {
        XCTFail("unexpected error \(error)")
        return nil
    }
}

/// Every reason of spec §9 with its id and code.
let reasonTable: [(Reason, String, Int)] = [
    (.invalidPolicy, "invalid_policy", 1), (.invalidArgument, "invalid_argument", 2),
    (.notFound, "not_found", 3), (.notInConversation, "not_in_conversation", 4),
    (.extTooLarge, "ext_too_large", 5), (.notSent, "not_sent", 6),
    (.alreadyRecalled, "already_recalled", 7), (.kindNotRecallable, "kind_not_recallable", 8),
    (.notSender, "not_sender", 9), (.insufficientRole, "insufficient_role", 10),
    (.windowExpired, "window_expired", 11), (.malformedInput, "malformed_input", 20),
    (.inputTooLarge, "input_too_large", 21), (.senderMismatch, "sender_mismatch", 30),
    (.operatorMismatch, "operator_mismatch", 31), (.conversationMismatch, "conversation_mismatch", 32),
    (.notRecallCommand, "not_recall_command", 33),
]

/// Protobuf by hand: a field's key, then a varint or a length-delimited value.
func varint(_ value: UInt64) -> Data {
    var out = Data()
    var v = value
    while v >= 0x80 {
        out.append(UInt8(v & 0x7f) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
    return out
}

func field(_ number: UInt64, _ value: UInt64) -> Data { varint(number << 3) + varint(value) }

func field(_ number: UInt64, _ bytes: Data) -> Data { varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes }

func field(_ number: UInt64, _ text: String) -> Data { field(number, Data(text.utf8)) }

final class PolicyTests: XCTestCase {
    func testDefaultsMatchTheSpec() {
        let config = RecallPolicy.defaults().config()
        XCTAssertEqual(config.windowSecs, 120)
        XCTAssertEqual(config.moderators, [.owner, .admin])
        XCTAssertTrue(config.moderatorsBypassWindow)
        XCTAssertEqual(config.moderation, .outrank)
        XCTAssertEqual(config.excludedKinds, [.command, .notification])
        XCTAssertEqual(config.maxExtBytes, 200)
    }

    func testPolicyConfigDefaultsAreTheSpecs() throws {
        let config = PolicyConfig(moderators: [.owner, .admin], moderation: .outrank, excludedKinds: [])
        XCTAssertEqual(config.windowSecs, 120)
        XCTAssertTrue(config.moderatorsBypassWindow)
        XCTAssertEqual(config.maxExtBytes, 200)
        XCTAssertEqual(try RecallPolicy(config: config).config(), RecallPolicy.defaults().config())
    }

    func testCustomPolicyAndItsBounds() throws {
        var config = RecallPolicy.defaults().config()
        config.windowSecs = 300
        config.moderation = .any
        config.excludedKinds = [.video]
        let policy = try RecallPolicy(config: config)
        XCTAssertEqual(policy.config().windowSecs, 300)
        XCTAssertEqual(policy.config().excludedKinds, [.video, .command, .notification])

        config.windowSecs = 604_801
        XCTAssertEqual(refusal { try RecallPolicy(config: config) }, "invalid_policy")
        config.windowSecs = 120
        config.maxExtBytes = 4097
        XCTAssertEqual(refusal { try RecallPolicy(config: config) }, "invalid_policy")
        config.maxExtBytes = 200
        config.moderators = [.member]
        XCTAssertEqual(refusal { try RecallPolicy(config: config) }, "invalid_policy")
    }

    func testNegativeNumbersAreRefusedWithInvalidPolicy() {
        let defaults = RecallPolicy.defaults().config()
        for bad: Int in [-1, -120, .min, 1 << 40] {
            var config = defaults
            config.windowSecs = bad
            XCTAssertEqual(refusal { try RecallPolicy(config: config) }, "invalid_policy", "window \(bad)")
            config = defaults
            config.maxExtBytes = bad
            XCTAssertEqual(refusal { try RecallPolicy(config: config) }, "invalid_policy", "ext \(bad)")
        }
        XCTAssertEqual(refusal { try RecallPolicy.fromJson(json: #"{"window_secs": -1}"#) }, "invalid_policy")
    }

    func testPolicyJson() throws {
        let policy = try RecallPolicy.fromJson(json: #"{"window_secs": 60}"#)
        XCTAssertEqual(policy.config().windowSecs, 60)
        XCTAssertTrue(policy.toJson().contains(#""window_secs":60"#))
        XCTAssertEqual(refusal { try RecallPolicy.fromJson(json: #"{"window_sec": 60}"#) }, "invalid_policy")
        XCTAssertEqual(refusal { try RecallPolicy.fromJson(json: "{") }, "malformed_input")
        let huge = String(repeating: " ", count: 70_000) + "{}"
        XCTAssertEqual(refusal { try RecallPolicy.fromJson(json: huge) }, "input_too_large")
    }
}

final class DecisionTests: XCTestCase {
    let policy = RecallPolicy.defaults()

    func testSenderWithinTheWindowGetsADeadline() throws {
        let decision = try policy.decide(request(), by: alice, on: message(), at: seconds(120))
        XCTAssertEqual(decision, Decision(basis: .sender, deadline: seconds(120)))
    }

    func testWindowBoundaryToTheMillisecond() {
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: alice, on: message(), at: seconds(120.001))
        }, "window_expired")
    }

    func testModeratorBypassesTheWindow() throws {
        let decision = try policy.decide(request(), by: Operator(userId: "olga", role: .owner),
                                         on: message(), at: seconds(86_400))
        XCTAssertEqual(decision.basis, .moderator)
        XCTAssertNil(decision.deadline)
    }

    func testActorRoleDefaultsToNone() throws {
        XCTAssertEqual(Operator(userId: "alice"), Operator(userId: "alice", role: nil))
        XCTAssertEqual(RecallRequest(conversationId: "g1", messageId: "m1"), request())
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: Operator(userId: "alice"), on: message(), at: base)
        }, "not_in_conversation")
        let direct = message(conversation: Conversation(id: "d1", kind: .direct))
        XCTAssertEqual(try policy.decide(RecallRequest(conversationId: "d1", messageId: "m1"),
                                         by: Operator(userId: "alice"), on: direct, at: base).basis, .sender)
    }

    func testRefusalsAreThrownWithTheirReason() {
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: Operator(userId: "bob", role: .member), on: message(), at: base)
        }, "not_sender")
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: Operator(userId: "adam", role: .admin),
                              on: message(senderRole: .owner), at: base)
        }, "insufficient_role")
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: Operator(userId: "alice", role: nil), on: message(), at: base)
        }, "not_in_conversation")
        XCTAssertEqual(refusal {
            try policy.decide(RecallRequest(conversationId: "g2", messageId: "m1"), by: alice,
                              on: message(), at: base)
        }, "not_found")
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: alice, on: message(state: .sending), at: base)
        }, "not_sent")
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: alice, on: message(kind: .command), at: base)
        }, "kind_not_recallable")
        XCTAssertEqual(refusal {
            try policy.decide(request(), by: alice, on: message(state: .recalled), at: base)
        }, "already_recalled")
    }

    func testTheErrorCarriesTheReasonWithItsIdAndCode() {
        do {
            _ = try policy.decide(request(), by: alice, on: message(), at: seconds(121))
            XCTFail("expected a refusal")
        } catch let error as RecallError {
            XCTAssertEqual(error.reason, .windowExpired)
            XCTAssertEqual(error.reason.id, "window_expired")
            XCTAssertEqual(error.reason.code, 11)
            guard case let .refused(reason, detail) = error else { return XCTFail() }
            XCTAssertEqual(reason, .windowExpired)
            XCTAssertTrue(detail.contains("window_expired"), detail)
        } catch {
            XCTFail("unexpected error \(error)")
        }
    }

    func testInvalidIdsUnknownKindsExtAndTimesAreTypedErrors() {
        for bad in ["", String(repeating: "a", count: 257), "a\u{7}", "a\u{85}"] {
            XCTAssertEqual(refusal {
                try policy.decide(request(), by: Operator(userId: bad, role: .member), on: message(), at: base)
            }, "invalid_argument", bad)
            XCTAssertEqual(refusal {
                try policy.decide(RecallRequest(conversationId: bad, messageId: "m1"), by: alice,
                                  on: message(), at: base)
            }, "invalid_argument", bad)
            XCTAssertEqual(refusal {
                try policy.decideEach(in: bad, by: alice, messages: [message()], at: base, ext: nil)
            }, "invalid_argument", bad)
        }
        let unknown = message(conversation: Conversation(id: "g1", kind: .unknown))
        XCTAssertEqual(refusal { try policy.decide(request(), by: alice, on: unknown, at: base) },
                       "invalid_argument")
        XCTAssertEqual(refusal { try policy.recall(request(), by: alice, on: unknown, at: base) },
                       "invalid_argument")
        let longExt = String(repeating: "中", count: 67) // 201 bytes
        XCTAssertEqual(refusal {
            try policy.decide(request(ext: longExt), by: alice, on: message(), at: base)
        }, "ext_too_large")
        for outOfRange in [Date(timeIntervalSince1970: 300_000_000_000), // year ~11476
                           Date(timeIntervalSince1970: -62_200_000_000), // before the year 0000
                           Date(timeIntervalSince1970: 1e300), Date(timeIntervalSince1970: -1e300),
                           Date(timeIntervalSince1970: .nan), Date(timeIntervalSince1970: .infinity)] {
            XCTAssertEqual(refusal {
                try policy.decide(request(), by: alice, on: message(), at: outOfRange)
            }, "invalid_argument", "\(outOfRange.timeIntervalSince1970)")
        }
    }

    func testDecideRecallAndDecideEachAgreeOnAnExtPast4096Bytes() throws {
        // A message from another conversation, and an ext no policy allows: ext_too_large wins (spec 4.4).
        let elsewhere = message(conversation: Conversation(id: "g2", kind: .group))
        let ext = String(repeating: "x", count: 5000)
        XCTAssertEqual(refusal {
            try policy.decide(request(ext: ext), by: alice, on: elsewhere, at: base)
        }, "ext_too_large")
        XCTAssertEqual(refusal {
            try policy.recall(request(ext: ext), by: alice, on: elsewhere, at: base)
        }, "ext_too_large")
        XCTAssertEqual(try policy.decideEach(in: "g1", by: alice, messages: [elsewhere], at: base, ext: ext),
                       [.refused(reason: .extTooLarge)])
    }

    func testTimestampsRoundToTheNearestMillisecondHalvesUp() throws {
        // Timestamps cross as milliseconds: the deadline comes back as the millisecond that
        // `sentAt` rounds to, plus the 2-minute window.
        let cases: [(Double, Int64)] = [(1.000999999, 1001), (1.000499, 1000), (1.000501, 1001),
                                        (-1.000499, -1000), (-1.000501, -1001), (-0.0004, 0)]
        for (offset, millis) in cases {
            let sent = base.addingTimeInterval(offset)
            let decision = try policy.decide(request(), by: alice, on: message(sentAt: sent), at: sent)
            let deadline = Int64((decision.deadline!.timeIntervalSince1970 * 1000).rounded())
            XCTAssertEqual(deadline, 1_767_225_600_000 + millis + 120_000, "\(offset)")
        }
    }

    func testRecallBuildsTheNotification() throws {
        let notification = try policy.recall(request(ext: "spam"), by: Operator(userId: "olga", role: .owner),
                                             on: message(), at: seconds(3600))
        XCTAssertEqual(notification, RecallNotification(conversation: g1, messageId: "m1", senderId: "alice",
                                                        operatorId: "olga", basis: .moderator,
                                                        recalledAt: seconds(3600), ext: "spam"))
    }

    func testDecideEachAnswersAScreenInOneCall() throws {
        let messages = [message(), message(sender: "bob"), message(state: .sending),
                        StoredMessage(id: "", conversation: g1, senderId: "alice", senderRole: nil,
                                      kind: .text, state: .sent, sentAt: base)]
        let answers = try policy.decideEach(in: "g1", by: alice, messages: messages,
                                            at: seconds(10), ext: nil)
        XCTAssertEqual(answers, [.allowed(basis: .sender, deadline: seconds(120)), .refused(reason: .notSender),
                                 .refused(reason: .notSent), .refused(reason: .invalidArgument)])
        XCTAssertEqual(try policy.decideEach(in: "g1", by: alice, messages: [], at: base, ext: nil), [])
        XCTAssertEqual(refusal {
            try policy.decideEach(in: "", by: alice, messages: [], at: base, ext: nil)
        }, "invalid_argument")
        XCTAssertEqual(refusal {
            try policy.decideEach(in: "g1", by: Operator(userId: ""), messages: [], at: base, ext: nil)
        }, "invalid_argument")
    }

    func testDecideEachReadsEachSendersRoleAndChecksTheExt() throws {
        let adam = Operator(userId: "adam", role: .admin)
        let messages = [message(senderRole: .member), message(senderRole: .owner), message(senderRole: nil)]
        XCTAssertEqual(try policy.decideEach(in: "g1", by: adam, messages: messages, at: base, ext: nil),
                       [.allowed(basis: .moderator, deadline: nil), .refused(reason: .insufficientRole),
                        .allowed(basis: .moderator, deadline: nil)])
        XCTAssertEqual(try policy.decideEach(in: "g1", by: alice, messages: [message()], at: base,
                                             ext: String(repeating: "x", count: 201)),
                       [.refused(reason: .extTooLarge)])
        // The conversation asked for is the one checked: a message elsewhere is not_found.
        XCTAssertEqual(try policy.decideEach(in: "g2", by: alice, messages: [message()], at: base, ext: nil),
                       [.refused(reason: .notFound)])
    }

    func testThePolicyIsSharedAcrossThreads() {
        let policy = self.policy
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let decision = try? policy.decide(request(), by: alice, on: message(),
                                              at: seconds(Double(i)))
            XCTAssertEqual(decision?.basis, .sender)
        }
    }
}

final class WireTests: XCTestCase {
    func testRequestRoundTrips() throws {
        let request = RecallRequest(conversationId: "g1", messageId: "m1", ext: "广告")
        XCTAssertEqual(try RecallRequest(protobuf: try request.toProtobuf()), request)
        let json = try request.toJson()
        XCTAssertEqual(json, #"{"conversation_id":"g1","message_id":"m1","ext":"广告"}"#)
        XCTAssertEqual(try RecallRequest(json: json), request)
        XCTAssertEqual(try RecallRequest(json: json), request)
        let bare = RecallRequest(conversationId: "g1", messageId: "m1")
        XCTAssertEqual(try RecallRequest(protobuf: try bare.toProtobuf()), bare)
        XCTAssertEqual(try RecallRequest(json: try bare.toJson()), bare)
    }

    func testARequestThatStillCarriesAnActorIsReadWithoutIt() throws {
        let json = #"{"conversation_id":"g1","message_id":"m1","actor":{"user_id":"mallory","role":"owner"},"ext":null}"#
        XCTAssertEqual(try RecallRequest(json: json), RecallRequest(conversationId: "g1", messageId: "m1"))
        // Protobuf: retired field 1 (a conversation) and 3 (an actor: id and role owner).
        let bytes = field(1, field(1, "g9") + field(2, 2)) + field(2, "m1") +
            field(3, field(1, "mallory") + field(2, 3)) + field(5, "g1")
        XCTAssertEqual(try RecallRequest(protobuf: bytes), RecallRequest(conversationId: "g1", messageId: "m1"))
    }

    // The patched writer (ffi/uniffi-bindgen/patches/) puts strings into a buffer Rust
    // allocated with room for 256 bytes and grows it through Rust: strings of every UTF-8
    // width and length, ones that cross the first 256 bytes and one far beyond, arrive whole
    // and in order, and the patched reader brings them back the same.
    func testStringsOfAnyWidthAndLengthCrossIntact() throws {
        let ids = ["a", "é", "中文", "🙂", "m-\(1001)", String(repeating: "z", count: 256),
                   String(repeating: "é", count: 128), String(repeating: "🙂", count: 64)]
        let exts: [String?] = [nil, "", "x", String(repeating: "中🙂", count: 585), String(repeating: "é", count: 2048)]
        for conversation in ids {
            for user in ids {
                for ext in exts {
                    let request = RecallRequest(conversationId: conversation, messageId: user, ext: ext)
                    XCTAssertEqual(try RecallRequest(protobuf: try request.toProtobuf()), request)
                    XCTAssertEqual(try RecallRequest(json: try request.toJson()), request)
                    let notification = RecallNotification(
                        conversation: Conversation(id: conversation, kind: .room), messageId: user, senderId: user,
                        operatorId: conversation, basis: .moderator, recalledAt: base, ext: ext)
                    XCTAssertEqual(try RecallNotification(protobuf: try notification.toProtobuf()), notification)
                }
            }
        }
    }

    func testNotificationRoundTrips() throws {
        let notification = try RecallPolicy.defaults().recall(
            request(), by: alice, on: message(), at: seconds(1.5))
        XCTAssertEqual(try RecallNotification(protobuf: try notification.toProtobuf()), notification)
        let json = try notification.toJson()
        XCTAssertTrue(json.contains(#""recalled_at":"2026-01-01T00:00:01.500Z""#), json)
        XCTAssertEqual(try RecallNotification(json: json), notification)
        XCTAssertEqual(try RecallNotification(protobuf: try notification.toProtobuf()), notification)
    }

    func testANotificationWithAKindAndBasisOfANewerServerDecodesAsUnknownAndRoundTrips() throws {
        let json = #"{"conversation":{"id":"g1","kind":"channel"},"message_id":"m1","sender_id":"alice","#
            + #""operator_id":"olga","basis":"delegate","recalled_at":"2026-01-01T00:00:00.000Z","ext":null,"new_field":1}"#
        let fromJson = try RecallNotification(json: json)
        XCTAssertEqual(fromJson, RecallNotification(conversation: Conversation(id: "g1", kind: .unknown), messageId: "m1",
                                                    senderId: "alice", operatorId: "olga", basis: .unknown,
                                                    recalledAt: base))
        let written = try fromJson.toJson()
        XCTAssertTrue(written.contains(#""kind":"unknown""#), written)
        XCTAssertTrue(written.contains(#""basis":"unknown""#), written)
        XCTAssertEqual(try RecallNotification(json: written), fromJson)
        XCTAssertEqual(try RecallNotification(protobuf: try fromJson.toProtobuf()), fromJson)

        // Protobuf: kind 9 and basis 7, numbers this version does not list; and 0 (absent).
        let bytes = field(1, field(1, "g1") + field(2, 9)) + field(2, "m1") + field(3, "alice") +
            field(4, "olga") + field(5, 7) + field(6, 1_767_225_600_000)
        let fromProtobuf = try RecallNotification(protobuf: bytes)
        XCTAssertEqual(fromProtobuf, fromJson)
        XCTAssertEqual(try RecallNotification(protobuf: try fromProtobuf.toProtobuf()), fromProtobuf)
        XCTAssertEqual(try RecallNotification(json: try fromProtobuf.toJson()), fromProtobuf)
        let zero = try RecallNotification(protobuf: field(1, field(1, "g1")) + field(2, "m1") + field(3, "alice") +
            field(4, "olga"))
        XCTAssertEqual(zero.conversation.kind, .unknown)
        XCTAssertEqual(zero.basis, .unknown)
        XCTAssertEqual(zero.recalledAt, Date(timeIntervalSince1970: 0))
    }

    func testARejectionWithACodeOfANewerServerKeepsItsCode() throws {
        let reason = try Reason(rejectionProtobuf: field(1, 34))
        XCTAssertEqual(reason, .unknown(code: 34))
        XCTAssertEqual(reason.code, 34)
        XCTAssertEqual(reason.id, "unknown")
        XCTAssertFalse(reason.isKnown)
        XCTAssertTrue(reason.meaning.contains("34"), reason.meaning)
        XCTAssertEqual(try Reason(rejectionJson: #"{"reason":"recalled_by_robot","code":34}"#), reason)
        XCTAssertEqual(try reason.toRejectionJson(), #"{"reason":"unknown","code":34}"#)
        XCTAssertEqual(try Reason(rejectionJson: try reason.toRejectionJson()), reason)
        XCTAssertEqual(try Reason(rejectionProtobuf: try reason.toRejectionProtobuf()), reason)
        XCTAssertEqual(try Reason(rejectionProtobuf: field(1, 34)), reason)
        XCTAssertEqual(Reason(code: 34), reason)
        XCTAssertEqual(Reason(code: 65_535), .unknown(code: 65_535))
        for impossible: Int in [0, -1, 65_536, .min, .max] {
            XCTAssertNil(Reason(code: impossible), "\(impossible)")
        }
        XCTAssertNil(Reason(id: "unknown"))
        XCTAssertEqual(refusal { try Reason.unknown(code: 0).toRejectionProtobuf() }, "invalid_argument")
        XCTAssertEqual(refusal { try Reason.unknown(code: 70_000).toRejectionJson() }, "invalid_argument")
        // Protobuf 0 (unspecified, or absent) and codes past 65535 are refused (spec 8.3).
        XCTAssertEqual(refusal { try Reason(rejectionProtobuf: Data()) }, "invalid_argument")
        XCTAssertEqual(refusal { try Reason(rejectionProtobuf: field(1, 65_536)) }, "invalid_argument")
    }

    func testEveryReasonsIdAndCodeMatchTheSpecsTable() throws {
        for (reason, id, code) in reasonTable {
            XCTAssertEqual(reason.id, id)
            XCTAssertEqual(reason.code, code, id)
            XCTAssertTrue(reason.isKnown, id)
            XCTAssertFalse(reason.meaning.isEmpty, id)
            XCTAssertEqual(Reason(id: id), reason)
            XCTAssertEqual(Reason(code: code), reason)
            XCTAssertEqual(Reason(id: id), reason)
            XCTAssertEqual(try reason.toRejectionJson(), #"{"reason":"\#(id)","code":\#(code)}"#)
            XCTAssertEqual(try Reason(rejectionJson: try reason.toRejectionJson()), reason)
            XCTAssertEqual(try reason.toRejectionProtobuf(), field(1, UInt64(code)), id)
            XCTAssertEqual(try Reason(rejectionProtobuf: try reason.toRejectionProtobuf()), reason)
        }
        XCTAssertEqual(Set(reasonTable.map { $0.2 }).count, 17)
        for code: Int in 1...40 {
            let known = reasonTable.first { $0.2 == code }?.0
            XCTAssertEqual(Reason(code: code), known ?? .unknown(code: code), "\(code)")
        }
    }

    func testGarbageAndOversizedInputAreTypedErrors() {
        XCTAssertEqual(refusal { try RecallRequest(protobuf: Data([0xff, 0xff, 0xff])) }, "malformed_input")
        XCTAssertEqual(refusal { try RecallNotification(protobuf: Data(count: 9000)) }, "input_too_large")
        XCTAssertEqual(refusal { try RecallRequest(json: "not json") }, "malformed_input")
        XCTAssertEqual(refusal { try RecallNotification(json: "{}") }, "invalid_argument")
        XCTAssertEqual(refusal { try RecallRequest(json: #"{"conversation_id":"g1"}"#) }, "invalid_argument")
        XCTAssertEqual(refusal { try Reason(rejectionJson: #"{"reason":"not_sender","code":11}"#) }, "invalid_argument")
        XCTAssertEqual(refusal { try Reason(rejectionJson: "[") }, "malformed_input")
        XCTAssertEqual(refusal {
            try RecallRequest(conversationId: "g1", messageId: "m1", ext: String(repeating: "x", count: 4097)).toProtobuf()
        }, "ext_too_large")
        var notification = RecallNotification(
            conversation: Conversation(id: "d1", kind: .direct), messageId: "m1", senderId: "a",
            operatorId: "a", basis: .sender, recalledAt: base, ext: String(repeating: "x", count: 4097))
        XCTAssertEqual(refusal { try notification.toProtobuf() }, "ext_too_large")
        notification.ext = nil
        notification.operatorId = ""
        XCTAssertEqual(refusal { try notification.toJson() }, "invalid_argument")
    }
}
