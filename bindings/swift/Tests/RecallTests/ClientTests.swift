// The client recall state through the Swift binding: a sender with two devices and a
// receiver, a recall that overtakes its message, a duplicate, a forged legacy command, an
// app restart through export/restore, pages of recalls and messages in one call, and a
// message and its recall on two real threads (spec 6.7, 6.8).
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
        let alicePhone = try RecallState(me: "alice")
        let aliceLaptop = try RecallState(me: "alice")
        let bob = try RecallState(me: "bob")

        // Alice's phone sends m1 and recalls it 30 s later; the server decides.
        let request = RecallRequest(conversationId: "g1", messageId: "m1")
        let stored = StoredMessage(id: "m1", conversation: group, senderId: "alice", senderRole: .member,
                                   kind: .image, state: .sent, sentAt: sentAt)
        let recall = try policy.recall(request: request, by: Operator(userId: "alice", role: .member), message: stored,
                                       now: sentAt.addingTimeInterval(30))

        // The phone takes the recall, then finds its own message: applied, recalled by "you".
        // The recall stays with the app: the answer is only when it was taken and whether first.
        let pending = try alicePhone.onRecall(recall: recall, now: sentAt.addingTimeInterval(31))
        XCTAssertEqual(pending, PendingRecall(takenAt: sentAt.addingTimeInterval(31), first: true))
        guard case let .applied(mine, _) = try alicePhone.settle(
            recall: recall, pending: pending, held: held(recall.messageId, sender: "alice")) else {
            return XCTFail("expected applied")
        }
        XCTAssertEqual(mine.recalledBy, .you)
        // The tombstone is the recall's, the one the app passed to settle.
        XCTAssertEqual(mine.conversation, recall.conversation)
        XCTAssertEqual(mine.messageId, recall.messageId)
        XCTAssertEqual(mine.senderId, recall.senderId)
        XCTAssertEqual(mine.operatorId, recall.operatorId)
        XCTAssertEqual(mine.basis, recall.basis)
        XCTAssertEqual(mine.recalledAt, recall.recalledAt)
        XCTAssertEqual(mine.ext, recall.ext)

        // The laptop was offline: the recall overtakes the message, which then arrives as a
        // tombstone and never shows its content.
        let overtaking = try aliceLaptop.onRecall(recall: recall, now: sentAt.addingTimeInterval(40))
        XCTAssertEqual(try aliceLaptop.settle(recall: recall, pending: overtaking), .remembered)
        let arrival = try aliceLaptop.onMessage(
            message: ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
            now: sentAt.addingTimeInterval(41))
        guard case let .tombstone(tombstone) = arrival else { return XCTFail("content flashed: \(arrival)") }
        XCTAssertEqual(tombstone.recalledBy, .you)
        XCTAssertEqual(tombstone.recalledAt, sentAt.addingTimeInterval(30))

        // Bob holds it unread, latest, with a notification and a picture: every effect.
        let outcome = try bob.settle(recall: recall, pending: bob.onRecall(recall: recall, now: sentAt.addingTimeInterval(31)),
                                     held: held("m1", sender: "alice"))
        guard case let .applied(theirs, effects) = outcome else { return XCTFail("expected applied") }
        XCTAssertEqual(theirs.recalledBy, .sender)
        XCTAssertEqual(effects, Effects(deleteAttachments: true, dropFromSearchIndex: true, cancelNotification: true,
                                        refreshPreview: true, decrementUnread: true, redactQuotes: true))
        // The same recall again, from offline sync: nothing.
        XCTAssertEqual(try bob.settle(recall: recall, pending: bob.onRecall(recall: recall, now: sentAt.addingTimeInterval(60)),
                                      held: held("m1", sender: "alice", recalled: true)), .duplicate)

        // Mallory forges a legacy command for Alice's m2: translated, taken, then refused when
        // settled; it waits under Mallory's own key, where it can hide none of Alice's messages.
        let forged = LegacyCommand(conversation: group, from: "mallory", action: "REVOKE_FLAG",
                                   attributes: ["msgId": "m2"], sentAt: sentAt.addingTimeInterval(70))
        let forgedRecall = try legacyCommandToRecall(command: forged)
        XCTAssertEqual(forgedRecall, RecallNotification(conversation: group, messageId: "m2", senderId: "mallory",
                                                        operatorId: "mallory", basis: .sender,
                                                        recalledAt: sentAt.addingTimeInterval(70), ext: nil))
        let forgedPending = try bob.onRecall(recall: forgedRecall, now: sentAt.addingTimeInterval(70))
        XCTAssertTrue(forgedPending.first)
        XCTAssertEqual(refusal { try bob.settle(recall: forgedRecall, pending: forgedPending,
                                                held: self.held("m2", sender: "alice")) },
                       "sender_mismatch")
        XCTAssertEqual(try bob.onMessage(message: ArrivingMessage(id: "m2", conversationId: "g1", senderId: "alice"),
                                         now: sentAt.addingTimeInterval(71)), .show)
        XCTAssertEqual(refusal { try legacyCommandFromRecall(recall: RecallNotification(
            conversation: self.group, messageId: "m9", senderId: "alice", operatorId: "olga", basis: .moderator,
            recalledAt: self.sentAt, ext: nil)) }, "not_sender")

        // Alice's legacy command for m3 reaches Bob before m3 does; then Bob's app restarts.
        let legacy = try legacyCommandFromRecall(recall: RecallNotification(
            conversation: group, messageId: "m3", senderId: "alice", operatorId: "alice", basis: .sender,
            recalledAt: sentAt.addingTimeInterval(80), ext: nil))
        XCTAssertEqual(legacy.attributes, ["msgId": "m3"])
        let translated = try legacyCommandToRecall(command: legacy)
        XCTAssertEqual(translated.messageId, "m3")
        XCTAssertEqual(try bob.settle(recall: translated,
                                      pending: bob.onRecall(recall: translated, now: sentAt.addingTimeInterval(81))),
                       .remembered)
        // A command that is not a recall, or names no message, is refused by the translation.
        var typing = legacy
        typing.action = "TYPING"
        XCTAssertEqual(refusal { try legacyCommandToRecall(command: typing) }, "not_recall_command")
        var nameless = legacy
        nameless.attributes = [:]
        XCTAssertEqual(refusal { try legacyCommandToRecall(command: nameless) }, "invalid_argument")
        let saved = bob.export()
        XCTAssertEqual(bob.rememberedCount(), 3)
        let restarted = try RecallState.restore(me: "bob", limits: nil, bytes: saved, now: sentAt.addingTimeInterval(3600))
        XCTAssertEqual(restarted.rememberedCount(), 3)
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
        XCTAssertEqual(refusal { try RecallState(me: "") }, "invalid_argument")
        XCTAssertEqual(refusal { try RecallState.restore(me: "bob", limits: nil, bytes: Data([0xff, 0x01]), now: self.sentAt) },
                       "malformed_input")
        XCTAssertEqual(refusal { try RecallState.restore(me: "bob", limits: nil, bytes: Data(count: 5 << 20), now: self.sentAt) },
                       "input_too_large")
        let state = try RecallState(me: "bob")
        XCTAssertEqual(refusal { try state.onMessage(message: ArrivingMessage(id: "", conversationId: "g1", senderId: "a"),
                                                     now: self.sentAt) }, "invalid_argument")
        // The recall and the pending recall are records an app could build: settle checks the
        // recall as onRecall does.
        let forged = RecallNotification(conversation: group, messageId: "m1", senderId: "alice", operatorId: "mallory",
                                        basis: .sender, recalledAt: sentAt, ext: nil)
        let pending = PendingRecall(takenAt: sentAt, first: true)
        XCTAssertEqual(refusal { try state.settle(recall: forged, pending: pending) }, "operator_mismatch")
        XCTAssertEqual(state.rememberedCount(), 0)
        XCTAssertEqual(state.rememberedBytes(), 0)
    }

    func testAPageOfRecallsAndAPageOfMessagesAnswerAsTheSingleCallsInOrder() throws {
        let batched = try RecallState(me: "bob")
        let single = try RecallState(me: "bob")
        let now = sentAt.addingTimeInterval(60)
        func recall(_ id: String, sender: String = "alice", by operatorId: String? = nil) -> RecallNotification {
            RecallNotification(conversation: group, messageId: id, senderId: sender, operatorId: operatorId ?? sender,
                               basis: .sender, recalledAt: sentAt, ext: nil)
        }
        let recalls = [
            recall("m1"), // overtakes m1: remembered
            recall("m2"), // held: applied
            recall("m3", by: "mallory"), // forged operator: refused in phase one
            recall("m4", sender: "mallory"), // forged sender: refused when settled
            recall(""), // an invalid id: refused in its place
            recall("m1"), // m1 again, later in the page: it sees the first
        ]
        let heldFor = ["m2": held("m2", sender: "alice"), "m4": held("m4", sender: "alice")]
        let taken = try batched.onRecalls(recalls: recalls, now: now)
        let takenOneByOne = recalls.map { (item: RecallNotification) -> PendingResult in
            do {
                return .pending(pending: try single.onRecall(recall: item, now: now))
            } catch let RecallError.Refused(reason, _) {
                return .refused(reason: reason)
            } catch {
                XCTFail("unexpected error \(error)")
                return .refused(reason: .invalidPolicy)
            }
        }
        XCTAssertEqual(taken, takenOneByOne)
        // The answers come in the page's order: zipped with the recalls they answer.
        XCTAssertEqual(taken.count, recalls.count)
        let page = zip(recalls, taken).compactMap { (recall, answer) -> ArrivingRecall? in
            guard case let .pending(pending) = answer else { return nil }
            return ArrivingRecall(recall: recall, pending: pending, held: heldFor[recall.messageId])
        }
        let answers = try batched.settleAll(recalls: page)
        let oneByOne = page.map { (item: ArrivingRecall) -> RecallResult in
            do {
                return .outcome(outcome: try single.settle(recall: item.recall, pending: item.pending, held: item.held))
            } catch let RecallError.Refused(reason, _) {
                return .refused(reason: reason)
            } catch {
                XCTFail("unexpected error \(error)")
                return .refused(reason: .invalidPolicy)
            }
        }
        XCTAssertEqual(answers, oneByOne)
        let kinds = taken.map { (answer: PendingResult) -> String in
            switch answer {
            case let .refused(reason): return reason.id()
            case .pending: return "taken"
            }
        } + answers.map { (answer: RecallResult) -> String in
            switch answer {
            case let .refused(reason): return reason.id()
            case .outcome(.applied): return "applied"
            case .outcome(.remembered): return "remembered"
            case .outcome(.duplicate): return "duplicate"
            }
        }
        XCTAssertEqual(kinds, ["taken", "taken", "operator_mismatch", "taken", "invalid_argument", "taken",
                               "remembered", "applied", "sender_mismatch", "duplicate"])

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
        XCTAssertEqual(batched.rememberedCount(), 3)
        XCTAssertEqual(batched.export(), single.export())
        XCTAssertEqual(try batched.onRecalls(recalls: [], now: later), [])
        XCTAssertEqual(try batched.settleAll(recalls: []), [])
        XCTAssertEqual(try batched.onMessages(messages: [], now: later), [])
    }

    func testTheStateIsSharedAcrossThreads() throws {
        let state = try RecallState(me: "bob")
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let recall = RecallNotification(conversation: group, messageId: "m\(i)", senderId: "alice",
                                            operatorId: "alice", basis: .sender, recalledAt: sentAt, ext: nil)
            XCTAssertEqual(try? state.settle(recall: recall, pending: state.onRecall(recall: recall, now: sentAt)), .remembered)
        }
        XCTAssertEqual(state.rememberedCount(), 200)
    }

    /// The app's store for the race test: one row per message id, each change atomic.
    final class Row {
        private let lock = NSLock()
        private var text: String?
        private var tombstone: Tombstone?
        private var shown = false

        init(text: String) { self.text = text }

        /// Shows what is stored; never writes the text again.
        func show() { lock.lock(); shown = true; lock.unlock() }
        func replace(with tombstone: Tombstone) { lock.lock(); text = nil; self.tombstone = tombstone; lock.unlock() }
        func held(_ id: String) -> HeldMessage {
            lock.lock(); defer { lock.unlock() }
            return HeldMessage(id: id, conversationId: "g1", senderId: "alice", recalled: tombstone != nil,
                               unread: shown, latest: shown, notificationShown: shown)
        }
        var visible: String? { lock.lock(); defer { lock.unlock() }; return text }
    }

    /// The app's rows by message id, shared by both threads.
    final class Rows {
        private let lock = NSLock()
        private var rows: [String: Row] = [:]
        subscript(id: String) -> Row? {
            get { lock.lock(); defer { lock.unlock() }; return rows[id] }
            set { lock.lock(); rows[id] = newValue; lock.unlock() }
        }
    }

    /// How often each answer came, from both threads.
    final class Tally {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func count(_ answer: String) { lock.lock(); counts[answer, default: 0] += 1; lock.unlock() }
        var all: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
    }

    func testAMessageAndItsRecallOnTwoThreadsNeverLeaveTheContentVisible() throws {
        let rounds = 2_000
        let state = try RecallState(me: "bob")
        let store = Rows()
        let group = self.group
        let sentAt = self.sentAt
        let tally = Tally()
        // Each round starts both threads together, so that their steps interleave.
        let start = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let done = DispatchGroup()
        done.enter()
        Thread.detachNewThread {
            for i in 0..<rounds {
                start.0.signal(); start.1.wait()
                let message = ArrivingMessage(id: "m\(i)", conversationId: "g1", senderId: "alice")
                let row = Row(text: "secret \(i)")
                store[message.id] = row // 6.8.1: store first, not shown
                switch try? state.onMessage(message: message, now: sentAt) { // 6.8.2: then ask
                case .show?: row.show(); tally.count("show")
                case let .tombstone(tombstone)?: row.replace(with: tombstone); tally.count("tombstone")
                case nil: tally.count("error")
                }
            }
            done.leave()
        }
        done.enter()
        Thread.detachNewThread {
            for i in 0..<rounds {
                start.1.signal(); start.0.wait()
                let recall = RecallNotification(conversation: group, messageId: "m\(i)", senderId: "alice",
                                                operatorId: "alice", basis: .sender, recalledAt: sentAt, ext: nil)
                do {
                    let pending = try state.onRecall(recall: recall, now: sentAt)
                    let held = store[recall.messageId]?.held(recall.messageId) // 6.7.2: look up after
                    switch try state.settle(recall: recall, pending: pending, held: held) {
                    case let .applied(tombstone, _): store[recall.messageId]?.replace(with: tombstone); tally.count("applied")
                    case .remembered: tally.count("remembered")
                    case .duplicate: tally.count("duplicate")
                    }
                } catch {
                    tally.count("error")
                }
            }
            done.leave()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        print("swift race, \(rounds) rounds: \(tally.all)")
        XCTAssertNil(tally.all["error"])
        for i in 0..<rounds {
            XCTAssertNil(store["m\(i)"]?.visible, "m\(i) is visible")
        }
        XCTAssertEqual(state.rememberedCount(), Int64(rounds))
    }
}
