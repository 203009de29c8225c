// Every exported function and type of the Recall Swift package, through the real library.
import Foundation
import XCTest
@testable import Recall

/// 2026-01-01T00:00:00.000Z
let base = Date(timeIntervalSince1970: 1_767_225_600)

func seconds(_ s: Double) -> Date { base.addingTimeInterval(s) }

func groupRequest(actor: String, role: Role?, ext: String? = nil) -> RecallRequest {
    RecallRequest(
        conversation: Conversation(id: "g1", kind: .group),
        messageId: "m1",
        actor: Actor(userId: actor, role: role),
        ext: ext)
}

func message(sender: String = "alice", senderRole: Role? = .member, kind: MessageKind = .text,
             state: MessageState = .sent, sentAt: Date = base) -> StoredMessage {
    StoredMessage(id: "m1", conversationId: "g1", senderId: sender, senderRole: senderRole,
                  kind: kind, state: state, sentAt: sentAt)
}

/// Runs `body` and returns the reason id of the `RecallError` it throws, or nil.
func refusal<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let RecallError.Refused(reason, reasonId, code, description) {
        XCTAssertEqual(reasonId, Recall.reasonId(reason: reason))
        XCTAssertEqual(code, reasonCode(reason: reason))
        XCTAssertFalse(description.isEmpty)
        return reasonId
    } catch {
        XCTFail("unexpected error \(error)")
        return nil
    }
}

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
        let decision = try policy.decide(request: groupRequest(actor: "alice", role: .member),
                                         message: message(), now: seconds(120))
        XCTAssertEqual(decision.basis, .sender)
        XCTAssertEqual(decision.deadline, seconds(120))
    }

    func testWindowBoundaryToTheMillisecond() {
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "alice", role: .member),
                              message: message(), now: seconds(120.001))
        }, "window_expired")
    }

    func testModeratorBypassesTheWindow() throws {
        let decision = try policy.decide(request: groupRequest(actor: "olga", role: .owner),
                                         message: message(), now: seconds(86_400))
        XCTAssertEqual(decision.basis, .moderator)
        XCTAssertNil(decision.deadline)
    }

    func testRefusalsAreThrownWithTheirReason() {
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "bob", role: .member), message: message(), now: base)
        }, "not_sender")
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "adam", role: .admin),
                              message: message(senderRole: .owner), now: base)
        }, "insufficient_role")
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "alice", role: nil), message: message(), now: base)
        }, "not_in_conversation")
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "alice", role: .member), message: message(kind: .command), now: base)
        }, "kind_not_recallable")
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "alice", role: .member), message: message(state: .recalled), now: base)
        }, "already_recalled")
    }

    func testTheErrorCarriesEnumIdAndCode() {
        do {
            _ = try policy.decide(request: groupRequest(actor: "alice", role: .member),
                                  message: message(), now: seconds(121))
            XCTFail("expected a refusal")
        } catch RecallError.Refused(let reason, let reasonId, let code, _) {
            XCTAssertEqual(reason, .windowExpired)
            XCTAssertEqual(reasonId, "window_expired")
            XCTAssertEqual(code, 11)
        } catch {
            XCTFail("unexpected error \(error)")
        }
    }

    func testInvalidIdsAndExtAreTypedErrors() {
        for bad in ["", String(repeating: "a", count: 257), "a\u{7}", "a\u{85}"] {
            XCTAssertEqual(refusal {
                try policy.decide(request: groupRequest(actor: bad, role: .member), message: message(), now: base)
            }, "invalid_argument", bad)
        }
        let longExt = String(repeating: "中", count: 67) // 201 bytes
        XCTAssertEqual(refusal {
            try policy.decide(request: groupRequest(actor: "alice", role: .member, ext: longExt), message: message(), now: base)
        }, "ext_too_large")
        for outOfRange in [Date(timeIntervalSince1970: 300_000_000_000), // year ~11476
                           Date(timeIntervalSince1970: -62_200_000_000), // before the year 0000
                           Date(timeIntervalSince1970: 1e300), Date(timeIntervalSince1970: -1e300),
                           Date(timeIntervalSince1970: .nan), Date(timeIntervalSince1970: .infinity)] {
            XCTAssertEqual(refusal {
                try policy.decide(request: groupRequest(actor: "alice", role: .member), message: message(), now: outOfRange)
            }, "invalid_argument", "\(outOfRange.timeIntervalSince1970)")
        }
    }

    func testTimestampsRoundToTheNearestMillisecondHalvesUp() throws {
        // Timestamps cross as milliseconds: the deadline comes back as the millisecond that
        // `sentAt` rounds to, plus the 2-minute window.
        let cases: [(Double, Int64)] = [(1.000999999, 1001), (1.000499, 1000), (1.000501, 1001),
                                        (-1.000499, -1000), (-1.000501, -1001), (-0.0004, 0)]
        for (offset, millis) in cases {
            let sent = base.addingTimeInterval(offset)
            let decision = try policy.decide(request: groupRequest(actor: "alice", role: .member),
                                             message: message(sentAt: sent), now: sent)
            let deadline = Int64((decision.deadline!.timeIntervalSince1970 * 1000).rounded())
            XCTAssertEqual(deadline, 1_767_225_600_000 + millis + 120_000, "\(offset)")
        }
    }

    func testRecallBuildsTheNotification() throws {
        let notification = try policy.recall(request: groupRequest(actor: "olga", role: .owner, ext: "spam"),
                                             message: message(), now: seconds(3600))
        XCTAssertEqual(notification.conversation, Conversation(id: "g1", kind: .group))
        XCTAssertEqual(notification.messageId, "m1")
        XCTAssertEqual(notification.senderId, "alice")
        XCTAssertEqual(notification.operatorId, "olga")
        XCTAssertEqual(notification.basis, .moderator)
        XCTAssertEqual(notification.recalledAt, seconds(3600))
        XCTAssertEqual(notification.ext, "spam")
    }

    func testDecideEachAnswersAScreenInOneCall() throws {
        let messages = [message(), message(sender: "bob"), message(state: .sending),
                        StoredMessage(id: "", conversationId: "g1", senderId: "alice", senderRole: nil,
                                      kind: .text, state: .sent, sentAt: base)]
        let answers = try policy.decideEach(conversation: Conversation(id: "g1", kind: .group),
                                            actor: Actor(userId: "alice", role: .member),
                                            messages: messages, now: seconds(10))
        XCTAssertEqual(answers, [.allowed(basis: .sender, deadline: seconds(120)), .refused(reason: .notSender),
                                 .refused(reason: .notSent), .refused(reason: .invalidArgument)])
        XCTAssertEqual(refusal {
            try policy.decideEach(conversation: Conversation(id: "", kind: .group),
                                  actor: Actor(userId: "alice", role: .member), messages: [], now: base)
        }, "invalid_argument")
        noop()
    }

    func testThePolicyIsSharedAcrossThreads() {
        let policy = self.policy
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let decision = try? policy.decide(request: groupRequest(actor: "alice", role: .member),
                                              message: message(), now: seconds(Double(i)))
            XCTAssertEqual(decision?.basis, .sender)
        }
    }
}

final class WireTests: XCTestCase {
    func testRequestRoundTrips() throws {
        let request = groupRequest(actor: "adam", role: .admin, ext: "广告")
        XCTAssertEqual(try requestFromProtobuf(bytes: try requestToProtobuf(request: request)), request)
        let json = try requestToJson(request: request)
        XCTAssertTrue(json.contains(#""kind":"group""#))
        XCTAssertEqual(try requestFromJson(json: json), request)
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
                    let request = RecallRequest(conversation: Conversation(id: conversation, kind: .room),
                                                messageId: user, actor: Actor(userId: user, role: .owner), ext: ext)
                    XCTAssertEqual(try requestFromProtobuf(bytes: try requestToProtobuf(request: request)), request)
                    XCTAssertEqual(try requestFromJson(json: try requestToJson(request: request)), request)
                }
            }
        }
    }

    func testNotificationRoundTrips() throws {
        let notification = try RecallPolicy.defaults().recall(
            request: groupRequest(actor: "alice", role: .member), message: message(), now: seconds(1.5))
        XCTAssertEqual(try notificationFromProtobuf(bytes: try notificationToProtobuf(notification: notification)), notification)
        let json = try notificationToJson(notification: notification)
        XCTAssertTrue(json.contains(#""recalled_at":"2026-01-01T00:00:01.500Z""#), json)
        XCTAssertEqual(try notificationFromJson(json: json), notification)
    }

    func testRejectionAndReasons() throws {
        XCTAssertEqual(try rejectionFromProtobuf(bytes: rejectionToProtobuf(reason: .notSender)), .notSender)
        XCTAssertEqual(reasonFromId(id: "window_expired"), .windowExpired)
        XCTAssertNil(reasonFromId(id: "nope"))
        XCTAssertEqual(reasonCode(reason: .inputTooLarge), 21)
        XCTAssertEqual(Recall.reasonId(reason: .malformedInput), "malformed_input")
    }

    func testGarbageAndOversizedInputAreTypedErrors() {
        XCTAssertEqual(refusal { try requestFromProtobuf(bytes: Data([0xff, 0xff, 0xff])) }, "malformed_input")
        XCTAssertEqual(refusal { try notificationFromProtobuf(bytes: Data(count: 9000)) }, "input_too_large")
        XCTAssertEqual(refusal { try rejectionFromProtobuf(bytes: Data([0x08, 0x63])) }, "invalid_argument")
        XCTAssertEqual(refusal { try requestFromJson(json: "not json") }, "malformed_input")
        XCTAssertEqual(refusal { try notificationFromJson(json: "{}") }, "invalid_argument")
        var notification = RecallNotification(
            conversation: Conversation(id: "d1", kind: .direct), messageId: "m1", senderId: "a",
            operatorId: "a", basis: .sender, recalledAt: base, ext: String(repeating: "x", count: 4097))
        XCTAssertEqual(refusal { try notificationToProtobuf(notification: notification) }, "ext_too_large")
        notification.ext = nil
        notification.operatorId = ""
        XCTAssertEqual(refusal { try notificationToJson(notification: notification) }, "invalid_argument")
    }
}
