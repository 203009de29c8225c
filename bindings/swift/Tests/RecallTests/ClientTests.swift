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
        let recall = try policy.recall(request, by: Operator(userId: "alice", role: .member), on: stored,
                                       at: sentAt.addingTimeInterval(30))

        // The phone takes the recall, then finds its own message: applied, recalled by "you".
        // The recall stays with the app: the answer is only when it was taken and whether first.
        let pending = try alicePhone.onRecall(recall, at: sentAt.addingTimeInterval(31))
        XCTAssertEqual(pending, PendingRecall(takenAt: sentAt.addingTimeInterval(31), first: true))
        guard case let .applied(mine, _) = try alicePhone.settle(
            recall, pending: pending, held: held(recall.messageId, sender: "alice")) else {
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
        let overtaking = try aliceLaptop.onRecall(recall, at: sentAt.addingTimeInterval(40))
        XCTAssertEqual(try aliceLaptop.settle(recall, pending: overtaking), .remembered)
        let arrival = try aliceLaptop.onMessage(
            ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
            at: sentAt.addingTimeInterval(41))
        guard case let .tombstone(tombstone) = arrival else { return XCTFail("content flashed: \(arrival)") }
        XCTAssertEqual(tombstone.recalledBy, .you)
        XCTAssertEqual(tombstone.recalledAt, sentAt.addingTimeInterval(30))

        // Bob holds it unread, latest, with a notification and a picture: every effect.
        let outcome = try bob.settle(recall, pending: bob.onRecall(recall, at: sentAt.addingTimeInterval(31)),
                                     held: held("m1", sender: "alice"))
        guard case let .applied(theirs, effects) = outcome else { return XCTFail("expected applied") }
        XCTAssertEqual(theirs.recalledBy, .sender)
        XCTAssertEqual(effects, Effects(deleteAttachments: true, dropFromSearchIndex: true, cancelNotification: true,
                                        refreshPreview: true, decrementUnread: true, redactQuotes: true))
        // The same recall again, from offline sync: nothing.
        XCTAssertEqual(try bob.settle(recall, pending: bob.onRecall(recall, at: sentAt.addingTimeInterval(60)),
                                      held: held("m1", sender: "alice", recalled: true)), .duplicate)

        // Mallory forges a legacy command for Alice's m2: translated, taken, then refused when
        // settled; it waits under Mallory's own key, where it can hide none of Alice's messages.
        let forged = LegacyCommand(conversation: group, from: "mallory", action: "REVOKE_FLAG",
                                   attributes: ["msgId": "m2"], sentAt: sentAt.addingTimeInterval(70))
        let forgedRecall = try RecallNotification(legacy: forged)
        XCTAssertEqual(forgedRecall, RecallNotification(conversation: group, messageId: "m2", senderId: "mallory",
                                                        operatorId: "mallory", basis: .sender,
                                                        recalledAt: sentAt.addingTimeInterval(70), ext: nil))
        let forgedPending = try bob.onRecall(forgedRecall, at: sentAt.addingTimeInterval(70))
        XCTAssertTrue(forgedPending.first)
        XCTAssertEqual(refusal { try bob.settle(forgedRecall, pending: forgedPending,
                                                held: self.held("m2", sender: "alice")) },
                       "sender_mismatch")
        XCTAssertEqual(try bob.onMessage(ArrivingMessage(id: "m2", conversationId: "g1", senderId: "alice"),
                                         at: sentAt.addingTimeInterval(71)), .show)
        XCTAssertEqual(refusal { try LegacyCommand(recall: RecallNotification(
            conversation: self.group, messageId: "m9", senderId: "alice", operatorId: "olga", basis: .moderator,
            recalledAt: self.sentAt, ext: nil)) }, "not_sender")

        // Alice's legacy command for m3 reaches Bob before m3 does; then Bob's app restarts.
        let legacy = try LegacyCommand(recall: RecallNotification(
            conversation: group, messageId: "m3", senderId: "alice", operatorId: "alice", basis: .sender,
            recalledAt: sentAt.addingTimeInterval(80), ext: nil))
        XCTAssertEqual(legacy.attributes, ["msgId": "m3"])
        let translated = try RecallNotification(legacy: legacy)
        XCTAssertEqual(translated.messageId, "m3")
        XCTAssertEqual(try bob.settle(translated,
                                      pending: bob.onRecall(translated, at: sentAt.addingTimeInterval(81))),
                       .remembered)
        // A command that is not a recall, or names no message, is refused by the translation.
        var typing = legacy
        typing.action = "TYPING"
        XCTAssertEqual(refusal { try RecallNotification(legacy: typing) }, "not_recall_command")
        var nameless = legacy
        nameless.attributes = [:]
        XCTAssertEqual(refusal { try RecallNotification(legacy: nameless) }, "invalid_argument")
        let saved = bob.export()
        XCTAssertEqual(bob.rememberedCount, 3)
        let restarted = try RecallState.restore(me: "bob", bytes: saved, at: sentAt.addingTimeInterval(3600))
        XCTAssertEqual(restarted.rememberedCount, 3)
        let late = try restarted.onMessage(ArrivingMessage(id: "m3", conversationId: "g1", senderId: "alice"),
                                           at: sentAt.addingTimeInterval(3601))
        guard case .tombstone = late else { return XCTFail("m3 shown after restart") }
        // A late sync of m1 after the restart: still a tombstone.
        guard case .tombstone = try restarted.onMessage(
            ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
            at: sentAt.addingTimeInterval(3602)) else { return XCTFail("m1 came back") }
    }

    func testLimitsAndBadInputAreTypedErrors() throws {
        var limits = LimitsConfig()
        XCTAssertEqual(limits.maxRecalls, 10_000)
        limits.maxRecalls = 0
        XCTAssertEqual(refusal { try RecallState(me: "bob", limits: limits) }, "invalid_policy")
        XCTAssertEqual(refusal { try RecallState(me: "") }, "invalid_argument")
        XCTAssertEqual(refusal { try RecallState.restore(me: "bob", bytes: Data([0xff, 0x01]), at: self.sentAt) },
                       "malformed_input")
        XCTAssertEqual(refusal { try RecallState.restore(me: "bob", bytes: Data(count: 5 << 20), at: self.sentAt) },
                       "input_too_large")
        let state = try RecallState(me: "bob")
        XCTAssertEqual(refusal { try state.onMessage(ArrivingMessage(id: "", conversationId: "g1", senderId: "a"),
                                                     at: self.sentAt) }, "invalid_argument")
        // The recall and the pending recall are records an app could build: settle checks the
        // recall as onRecall does.
        let forged = RecallNotification(conversation: group, messageId: "m1", senderId: "alice", operatorId: "mallory",
                                        basis: .sender, recalledAt: sentAt, ext: nil)
        let pending = PendingRecall(takenAt: sentAt, first: true)
        XCTAssertEqual(refusal { try state.settle(forged, pending: pending) }, "operator_mismatch")
        XCTAssertEqual(state.rememberedCount, 0)
        XCTAssertEqual(state.rememberedBytes, 0)
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
        let taken = try batched.onRecalls(recalls, at: now)
        let takenOneByOne = recalls.map { (item: RecallNotification) -> PendingResult in
            do {
                return .pending(pending: try single.onRecall(item, at: now))
            } catch let RecallError.refused(reason, _) {
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
        let answers = try batched.settleAll(page)
        let oneByOne = page.map { (item: ArrivingRecall) -> RecallResult in
            do {
                return .outcome(outcome: try single.settle(item.recall, pending: item.pending, held: item.held))
            } catch let RecallError.refused(reason, _) {
                return .refused(reason: reason)
            } catch {
                XCTFail("unexpected error \(error)")
                return .refused(reason: .invalidPolicy)
            }
        }
        XCTAssertEqual(answers, oneByOne)
        let kinds = taken.map { (answer: PendingResult) -> String in
            switch answer {
            case let .refused(reason): return reason.id
            case .pending: return "taken"
            }
        } + answers.map { (answer: RecallResult) -> String in
            switch answer {
            case let .refused(reason): return reason.id
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
        let arrivals = try batched.onMessages(messages, at: later)
        let singleArrivals = messages.map { (message: ArrivingMessage) -> ArrivalResult in
            do {
                return .arrival(arrival: try single.onMessage(message, at: later))
            } catch let RecallError.refused(reason, _) {
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
        XCTAssertEqual(batched.rememberedCount, 3)
        XCTAssertEqual(batched.export(), single.export())
        XCTAssertEqual(try batched.onRecalls([], at: later), [])
        XCTAssertEqual(try batched.settleAll([]), [])
        XCTAssertEqual(try batched.onMessages([], at: later), [])
    }

    func testTheStateIsSharedAcrossThreads() throws {
        let state = try RecallState(me: "bob")
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let recall = RecallNotification(conversation: group, messageId: "m\(i)", senderId: "alice",
                                            operatorId: "alice", basis: .sender, recalledAt: sentAt, ext: nil)
            XCTAssertEqual(try? state.settle(recall, pending: state.onRecall(recall, at: sentAt)), .remembered)
        }
        XCTAssertEqual(state.rememberedCount, 200)
    }

    /// The app's store for the race tests, as spec 6.8.3 has it: rows by message id, and what a
    /// show changes (notifications posted, the preview, the search index, the unread count),
    /// each write one atomic update of the whole store.
    final class Store {
        struct Row {
            var text: String?
            var tombstone: Tombstone?
            // What the show did for this message, recorded on its row.
            var notified = false, unread = false, previewed = false, indexed = false
        }
        private let lock = NSLock()
        private var rows: [String: Row] = [:]
        private var notifications: [String: String] = [:] // posted, by message id: their text
        private var preview: String? // the message id the conversation's preview shows
        private var index: Set<String> = []
        private var unreadCount = 0

        private func write<T>(_ body: () throws -> T) rethrows -> T {
            lock.lock(); defer { lock.unlock() }
            return try body()
        }

        /// 6.8.1: stored hidden, where a lookup finds it.
        func insertHidden(_ id: String, text: String) { write { rows[id] = Row(text: text) } }

        /// 6.8.3, the show: one conditional update, built from the row, only if it still holds
        /// the message.
        func show(_ id: String) {
            write {
                guard var row = rows[id], row.tombstone == nil, let text = row.text else { return }
                notifications[id] = text
                preview = id
                index.insert(id)
                unreadCount += 1
                row.notified = true; row.unread = true; row.previewed = true; row.indexed = true
                rows[id] = row
            }
        }

        /// 6.8.3, the replacement: the content out and everything the row records undone, in
        /// one update.
        func replace(_ id: String, with tombstone: Tombstone) {
            write {
                let row = rows[id] ?? Row()
                if row.notified { notifications[id] = nil }
                if row.unread { unreadCount -= 1 }
                if row.previewed && preview == id { preview = nil }
                if row.indexed { index.remove(id) }
                rows[id] = Row(text: nil, tombstone: row.tombstone ?? tombstone)
            }
        }

        /// 6.7.2: the held message as the committed row records it.
        func held(_ id: String) -> HeldMessage? {
            write {
                rows[id].map { row in
                    HeldMessage(id: id, conversationId: "g1", senderId: "alice", recalled: row.tombstone != nil,
                                unread: row.unread, latest: row.previewed, notificationShown: row.notified)
                }
            }
        }

        func visible(_ id: String) -> String? { write { rows[id]?.text } }
        var posted: [String: String] { write { notifications } }
        var unread: Int { write { unreadCount } }
        var indexed: Set<String> { write { index } }
        var previewed: String? { write { preview } }
    }

    /// How often each answer came, from both threads.
    final class Tally {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func count(_ answer: String) { lock.lock(); counts[answer, default: 0] += 1; lock.unlock() }
        var all: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
    }

    /// A message and its recall race on two real threads, through `admit` and `receive`; one
    /// message in three is never recalled. Whatever the order, no recalled content stays
    /// visible, notified, previewed or indexed, and the unread count is exactly the messages
    /// that were not recalled (spec 6.8.5).
    func testAMessageAndItsRecallOnTwoThreadsLeaveNoContentNotificationOrUnreadCount() throws {
        let rounds = 3_000
        let state = try RecallState(me: "bob")
        let store = Store()
        let group = self.group
        let sentAt = self.sentAt
        let tally = Tally()
        let recalled = { (i: Int) in i % 3 != 2 }
        // Each round starts both threads together, so that their steps interleave.
        let start = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let done = DispatchGroup()
        done.enter()
        Thread.detachNewThread {
            for i in 0..<rounds {
                start.0.signal(); start.1.wait()
                let message = ArrivingMessage(id: "m\(i)", conversationId: "g1", senderId: "alice")
                do {
                    switch try state.admit(message, at: sentAt, store: { store.insertHidden(message.id, text: "secret \(i)") }) {
                    case .show: store.show(message.id); tally.count("show")
                    case let .tombstone(tombstone): store.replace(message.id, with: tombstone); tally.count("tombstone")
                    }
                } catch {
                    tally.count("error")
                }
            }
            done.leave()
        }
        done.enter()
        Thread.detachNewThread {
            for i in 0..<rounds {
                start.1.signal(); start.0.wait()
                guard recalled(i) else { continue }
                let recall = RecallNotification(conversation: group, messageId: "m\(i)", senderId: "alice",
                                                operatorId: "alice", basis: .sender, recalledAt: sentAt, ext: nil)
                do {
                    switch try state.receive(recall, at: sentAt, lookup: { store.held($0.messageId) }) {
                    case let .applied(tombstone, _): store.replace(recall.messageId, with: tombstone); tally.count("applied")
                    case .remembered: tally.count("remembered")
                    case .duplicate: tally.count("duplicate")
                    }
                } catch {
                    tally.count("error")
                }
            }
            done.leave()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success)
        print("swift race, \(rounds) rounds: \(tally.all)")
        XCTAssertNil(tally.all["error"])
        let kept = (0..<rounds).filter { !recalled($0) }
        for i in 0..<rounds where recalled(i) {
            XCTAssertNil(store.visible("m\(i)"), "m\(i) is visible")
        }
        XCTAssertEqual(Set(store.posted.keys), Set(kept.map { "m\($0)" }), "a notification of recalled content is left")
        XCTAssertEqual(store.unread, kept.count, "the unread count")
        XCTAssertEqual(store.indexed, Set(kept.map { "m\($0)" }), "the search index")
        if let preview = store.previewed { XCTAssertTrue(kept.map { "m\($0)" }.contains(preview), preview) }
        for i in kept { XCTAssertEqual(store.visible("m\(i)"), "secret \(i)") }
        XCTAssertEqual(state.rememberedCount, rounds - kept.count)
    }

    /// A lookup that fails surfaces from `receive`, and receiving the same recall again
    /// applies it: the recall stayed remembered.
    func testAFailedLookupThrowsAndTheRetryApplies() throws {
        struct DiskError: Error {}
        let state = try RecallState(me: "bob")
        let store = Store()
        let message = ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice")
        XCTAssertEqual(try state.admit(message, at: sentAt, store: { store.insertHidden("m1", text: "oops") }), .show)
        store.show("m1")
        let recall = RecallNotification(conversation: group, messageId: "m1", senderId: "alice", operatorId: "alice",
                                        basis: .sender, recalledAt: sentAt, ext: nil)
        var looked = 0
        XCTAssertThrowsError(try state.receive(recall, at: sentAt) { _ -> HeldMessage? in
            looked += 1
            throw DiskError()
        }) { XCTAssertTrue($0 is DiskError, "\($0)") }
        XCTAssertEqual(looked, 1)
        XCTAssertEqual(state.rememberedCount, 1)
        guard case let .applied(tombstone, effects) = try state.receive(recall, at: sentAt, lookup: { store.held($0.messageId) }) else {
            return XCTFail("the retry is not applied")
        }
        XCTAssertTrue(effects.cancelNotification && effects.decrementUnread)
        store.replace("m1", with: tombstone)
        XCTAssertNil(store.visible("m1"))
        XCTAssertEqual(store.posted, [:])
        XCTAssertEqual(store.unread, 0)
        // Again: a duplicate, nothing to do.
        XCTAssertEqual(try state.receive(recall, at: sentAt, lookup: { store.held($0.messageId) }), .duplicate)
        // A store that fails: admit throws before asking, so nothing was decided for it.
        XCTAssertThrowsError(try state.admit(ArrivingMessage(id: "m2", conversationId: "g1", senderId: "alice"),
                                             at: sentAt, store: { throw DiskError() }))
    }

    /// The `async` form: the lookup runs after phase one, awaited, and its result is settled.
    func testReceiveAwaitsTheLookup() async throws {
        let state = try RecallState(me: "bob")
        let recall = RecallNotification(conversation: group, messageId: "m1", senderId: "alice", operatorId: "alice",
                                        basis: .sender, recalledAt: sentAt, ext: nil)
        let outcome = try await state.receive(recall, at: sentAt) { recall async throws -> HeldMessage? in
            XCTAssertEqual(state.rememberedCount, 1) // phase one ran first
            await Task.yield()
            return HeldMessage(id: recall.messageId, conversationId: "g1", senderId: "alice")
        }
        guard case .applied = outcome else { return XCTFail("\(outcome)") }
    }
}
