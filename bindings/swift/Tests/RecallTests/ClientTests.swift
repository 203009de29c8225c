// The client recall state through the Swift binding: a sender with two devices and a
// receiver, a recall that overtakes its message, a duplicate, a forged legacy command, an
// app restart through export/restore, and pages of recalls and messages in one call.
import Foundation
import XCTest
import Recall

final class ClientTests: XCTestCase {
    let group = Conversation(id: "g1", kind: .group)
    let sentAt = Date(timeIntervalSince1970: 1_767_225_600)

    func held(_ id: String, sender: String, recalled: Bool = false) -> HeldMessage {
        HeldMessage(id: id, conversationId: "g1", senderId: sender, recalled: recalled, unread: true,
                    latest: true, hasAttachments: true, notificationShown: true)
    }

    func testTwoDevicesAndAReceiver() throws {
        let policy = RecallPolicy.defaults()
        let alicePhone = try RecallState(me: "alice", limits: nil)
        let aliceLaptop = try RecallState(me: "alice", limits: nil)
        let bob = try RecallState(me: "bob", limits: nil)

        // Alice's phone sends m1 and recalls it 30 s later; the server decides.
        let request = RecallRequest(conversationId: "g1", messageId: "m1")
        let stored = StoredMessage(id: "m1", conversation: group, senderId: "alice", senderRole: .member,
                                   kind: .image, state: .sent, sentAt: sentAt)
        let recall = try policy.recall(request: request, actor: Actor(userId: "alice", role: .member), message: stored,
                                       now: sentAt.addingTimeInterval(30))

        // The phone holds its own message: applied, recalled by "you".
        guard case let .applied(mine, _) = try alicePhone.onRecall(
            recall: recall, held: held("m1", sender: "alice"), now: sentAt.addingTimeInterval(31)) else {
            return XCTFail("expected applied")
        }
        XCTAssertEqual(mine.recalledBy, .you)

        // The laptop was offline: the recall overtakes the message, which then arrives as a
        // tombstone and never shows its content.
        XCTAssertEqual(try aliceLaptop.onRecall(recall: recall, held: nil, now: sentAt.addingTimeInterval(40)), .remembered)
        let arrival = try aliceLaptop.onMessage(
            message: ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
            now: sentAt.addingTimeInterval(41))
        guard case let .tombstone(tombstone) = arrival else { return XCTFail("content flashed: \(arrival)") }
        XCTAssertEqual(tombstone.recalledBy, .you)
        XCTAssertEqual(tombstone.recalledAt, sentAt.addingTimeInterval(30))

        // Bob holds it unread, latest, with a notification and a picture: every effect.
        let outcome = try bob.onRecall(recall: recall, held: held("m1", sender: "alice"), now: sentAt.addingTimeInterval(31))
        guard case let .applied(theirs, effects) = outcome else { return XCTFail("expected applied") }
        XCTAssertEqual(theirs.recalledBy, .sender)
        XCTAssertEqual(effects, Effects(deleteAttachments: true, dropFromSearchIndex: true, cancelNotification: true,
                                        refreshPreview: true, decrementUnread: true, redactQuotes: true))
        // The same recall again, from offline sync: nothing.
        XCTAssertEqual(try bob.onRecall(recall: recall, held: held("m1", sender: "alice", recalled: true),
                                        now: sentAt.addingTimeInterval(60)), .duplicate)

        // Mallory forges a legacy command for Alice's m2: refused, nothing changes.
        let forged = LegacyCommand(conversation: group, from: "mallory", action: "REVOKE_FLAG",
                                   attributes: ["msgId": "m2"], sentAt: sentAt.addingTimeInterval(70))
        XCTAssertEqual(refusal { try bob.onLegacyCommand(command: forged, held: self.held("m2", sender: "alice"),
                                                          now: self.sentAt.addingTimeInterval(70)) }, "sender_mismatch")
        XCTAssertEqual(refusal { try legacyCommandFromRecall(recall: RecallNotification(
            conversation: self.group, messageId: "m9", senderId: "alice", operatorId: "olga", basis: .moderator,
            recalledAt: self.sentAt, ext: nil)) }, "not_sender")

        // Alice's legacy command for m3 reaches Bob before m3 does; then Bob's app restarts.
        let legacy = try legacyCommandFromRecall(recall: RecallNotification(
            conversation: group, messageId: "m3", senderId: "alice", operatorId: "alice", basis: .sender,
            recalledAt: sentAt.addingTimeInterval(80), ext: nil))
        XCTAssertEqual(legacy.attributes, ["msgId": "m3"])
        XCTAssertEqual(try legacyCommandToRecall(command: legacy).messageId, "m3")
        XCTAssertEqual(try bob.onLegacyCommand(command: legacy, held: nil, now: sentAt.addingTimeInterval(81)), .remembered)
        let saved = bob.export()
        XCTAssertEqual(bob.rememberedCount(), 2)
        let restarted = try RecallState.restore(me: "bob", limits: nil, bytes: saved, now: sentAt.addingTimeInterval(3600))
        XCTAssertEqual(restarted.rememberedCount(), 2)
        let late = try restarted.onMessage(message: ArrivingMessage(id: "m3", conversationId: "g1", senderId: "alice"),
                                           now: sentAt.addingTimeInterval(3601))
        guard case .tombstone = late else { return XCTFail("m3 shown after restart") }
        // A late sync of m1 after the restart: still a tombstone.
        guard case .tombstone = try restarted.onMessage(
            message: ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
            now: sentAt.addingTimeInterval(3602)) else { return XCTFail("m1 came back") }
    }

    func testLimitsAndBadInputAreTypedErrors() throws {
        var limits = defaultClientLimits()
        XCTAssertEqual(limits.maxRecalls, 10_000)
        limits.maxRecalls = 0
        XCTAssertEqual(refusal { try RecallState(me: "bob", limits: limits) }, "invalid_policy")
        XCTAssertEqual(refusal { try RecallState(me: "", limits: nil) }, "invalid_argument")
        XCTAssertEqual(refusal { try RecallState.restore(me: "bob", limits: nil, bytes: Data([0xff, 0x01]), now: self.sentAt) },
                       "malformed_input")
        XCTAssertEqual(refusal { try RecallState.restore(me: "bob", limits: nil, bytes: Data(count: 5 << 20), now: self.sentAt) },
                       "input_too_large")
        let state = try RecallState(me: "bob", limits: nil)
        XCTAssertEqual(refusal { try state.onMessage(message: ArrivingMessage(id: "", conversationId: "g1", senderId: "a"),
                                                     now: self.sentAt) }, "invalid_argument")
    }

    func testAPageOfRecallsAndAPageOfMessagesAnswerAsTheSingleCallsInOrder() throws {
        let batched = try RecallState(me: "bob", limits: nil)
        let single = try RecallState(me: "bob", limits: nil)
        let now = sentAt.addingTimeInterval(60)
        func recall(_ id: String, sender: String = "alice", by operatorId: String? = nil) -> RecallNotification {
            RecallNotification(conversation: group, messageId: id, senderId: sender, operatorId: operatorId ?? sender,
                               basis: .sender, recalledAt: sentAt, ext: nil)
        }
        let recalls = [
            ArrivingRecall(recall: recall("m1"), held: nil), // overtakes m1: remembered
            ArrivingRecall(recall: recall("m2"), held: held("m2", sender: "alice")), // held: applied
            ArrivingRecall(recall: recall("m3", by: "mallory"), held: held("m3", sender: "alice")), // forged operator
            ArrivingRecall(recall: recall("m4", sender: "mallory"), held: held("m4", sender: "alice")), // forged sender
            ArrivingRecall(recall: recall(""), held: nil), // an invalid id: refused in its place
            ArrivingRecall(recall: recall("m1"), held: nil), // m1 again, later in the page: it sees the first
        ]
        let answers = try batched.onRecalls(recalls: recalls, now: now)
        let oneByOne = recalls.map { (item: ArrivingRecall) -> RecallResult in
            do {
                return .outcome(outcome: try single.onRecall(recall: item.recall, held: item.held, now: now))
            } catch let RecallError.Refused(reason, _) {
                return .refused(reason: reason)
            } catch {
                XCTFail("unexpected error \(error)")
                return .refused(reason: .invalidPolicy)
            }
        }
        XCTAssertEqual(answers, oneByOne)
        let kinds = answers.map { (answer: RecallResult) -> String in
            switch answer {
            case let .refused(reason): return reason.id()
            case .outcome(.applied): return "applied"
            case .outcome(.remembered): return "remembered"
            case .outcome(.duplicate): return "duplicate"
            }
        }
        XCTAssertEqual(kinds, ["remembered", "applied", "operator_mismatch", "sender_mismatch", "invalid_argument",
                               "duplicate"])

        // The overtaken m1 arrives in a page: its remembered recall is applied, and the rest of
        // the page goes on past an invalid id.
        let messages = [
            ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
            ArrivingMessage(id: "m5", conversationId: "g1", senderId: "alice"),
            ArrivingMessage(id: "m6", conversationId: "", senderId: "alice"),
            ArrivingMessage(id: "m1", conversationId: "g1", senderId: "bob"), // another sender: not the recalled message
        ]
        let later = now.addingTimeInterval(1)
        let arrivals = try batched.onMessages(messages: messages, now: later)
        let singleArrivals = messages.map { (message: ArrivingMessage) -> ArrivalResult in
            do {
                return .arrival(arrival: try single.onMessage(message: message, now: later))
            } catch let RecallError.Refused(reason, _) {
                return .refused(reason: reason)
            } catch {
                XCTFail("unexpected error \(error)")
                return .refused(reason: .invalidPolicy)
            }
        }
        XCTAssertEqual(arrivals, singleArrivals)
        guard case let .arrival(.tombstone(tombstone)) = arrivals[0] else { return XCTFail("m1 shown: \(arrivals[0])") }
        XCTAssertEqual(tombstone.recalledBy, .sender)
        XCTAssertEqual(Array(arrivals[1...]), [.arrival(arrival: .show), .refused(reason: .invalidArgument),
                                               .arrival(arrival: .show)])

        // The same state: the same remembered recalls, down to the exported bytes.
        XCTAssertEqual(batched.rememberedCount(), 2)
        XCTAssertEqual(batched.export(), single.export())
        XCTAssertEqual(try batched.onRecalls(recalls: [], now: later), [])
        XCTAssertEqual(try batched.onMessages(messages: [], now: later), [])
    }

    func testTheStateIsSharedAcrossThreads() throws {
        let state = try RecallState(me: "bob", limits: nil)
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let recall = RecallNotification(conversation: group, messageId: "m\(i)", senderId: "alice",
                                            operatorId: "alice", basis: .sender, recalledAt: sentAt, ext: nil)
            XCTAssertEqual(try? state.onRecall(recall: recall, held: nil, now: sentAt), .remembered)
        }
        XCTAssertEqual(state.rememberedCount(), 200)
    }
}
