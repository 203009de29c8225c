// An app's file as an iOS developer writes it: it imports Recall beside Foundation, Swift
// Concurrency and another SDK, declares an `actor`, uses `any Actor`, `Date` and the other
// SDK's `Timestamp`, and calls Recall's API by its Swift names. It compiles only if Recall
// shadows none of these names (issue 20, finding 3): a public `Actor`, `Date` or
// `Timestamp` in Recall makes this target fail to build, and so `swift test`.
import ConsumerSDK
import Foundation
import Recall
import XCTest

/// The app's own actor, holding the state: `actor` is Swift's, not a record of Recall.
actor Inbox {
    let recalls: RecallState
    private(set) var rows: [String: String] = [:]

    init() throws { recalls = try RecallState(me: "bob") }

    func arrive(_ message: ArrivingMessage, text: String, at now: Date) throws -> Arrival {
        try recalls.admit(message, at: now) { rows[message.id] = text }
    }

    func receive(_ recall: RecallNotification, at now: Date) async throws -> RecallOutcome {
        try await recalls.receive(recall, at: now) { recall in try await self.held(recall) }
    }

    /// The app's lookup, `async` as a database read usually is.
    func held(_ recall: RecallNotification) async throws -> HeldMessage? {
        rows[recall.messageId].map { _ in
            HeldMessage(id: recall.messageId, conversationId: recall.conversation.id, senderId: recall.senderId)
        }
    }
}

/// Uses the concurrency protocol by name.
func isolated(_ actor: any Actor) -> String { String(describing: type(of: actor)) }

/// Names the other SDK's `Timestamp` and Foundation's `Date` where a type is looked up: a
/// second declaration of either name in Recall makes these ambiguous.
func date(of stamp: Timestamp) -> Date { stamp.date }

final class ConsumerTests: XCTestCase {
    func testAnAppThatImportsRecallKeepsItsNames() async throws {
        let inbox = try Inbox()
        XCTAssertEqual(isolated(inbox), "Inbox")
        let stamp: Timestamp = Timestamp(seconds: 1_767_225_600) // the other SDK's, unambiguous
        let now: Date = date(of: stamp)

        // The policy with the spec's defaults but the window, and the names that read as Swift.
        let config = PolicyConfig(windowSecs: 300)
        XCTAssertEqual(config.moderators, [.owner, .admin])
        XCTAssertTrue(config.moderatorsBypassWindow)
        XCTAssertEqual(config.moderation, .outrank)
        XCTAssertEqual(config.excludedKinds, [.command, .notification])
        XCTAssertEqual(config.maxExtBytes, 200)
        let windowSecs: Int = config.windowSecs
        XCTAssertEqual(windowSecs, 300)
        let limits = LimitsConfig()
        let maxRecalls: Int = limits.maxRecalls
        XCTAssertEqual(maxRecalls, 10_000)
        let policy = try RecallPolicy(config: config)
        let group = Conversation(id: "g1", kind: .group)
        let stored = StoredMessage(id: "m1", conversation: group, senderId: "alice", senderRole: .member,
                                   kind: .text, state: .sent, sentAt: now)
        let request = RecallRequest(conversationId: "g1", messageId: "m1")
        let alice = Operator(userId: "alice", role: .member)
        let decision = try policy.decide(request, by: alice, on: stored, at: now.addingTimeInterval(10))
        let deadline: Date? = decision.deadline
        XCTAssertEqual(deadline, now.addingTimeInterval(300))
        XCTAssertEqual(try policy.decideEach(in: "g1", by: alice, messages: [stored], at: now).count, 1)
        do {
            _ = try policy.decide(request, by: alice, on: stored, at: now.addingTimeInterval(301))
            XCTFail("expected a refusal")
        } catch let error as RecallError {
            guard case let .refused(reason, _) = error else { return XCTFail() }
            XCTAssertEqual(reason, .windowExpired)
            let code: Int = reason.code
            XCTAssertEqual(code, 11)
            XCTAssertEqual(reason.id, "window_expired")
            XCTAssertTrue(reason.isKnown)
            XCTAssertEqual("\(reason)", "window_expired (11)")
            XCTAssertEqual(error.localizedDescription, error.detail)
            XCTAssertTrue(error.detail.hasPrefix("window_expired (11): "), error.detail)
        }
        let recall = try policy.recall(request, by: alice, on: stored, at: now.addingTimeInterval(10))

        // The client: the message is admitted (stored, then asked), then its recall received.
        let arrival = try await inbox.arrive(ArrivingMessage(id: "m1", conversationId: "g1", senderId: "alice"),
                                             text: "hello", at: now)
        XCTAssertEqual(arrival, .show)
        guard case let .applied(tombstone, _) = try await inbox.receive(recall, at: now) else {
            return XCTFail("expected applied")
        }
        XCTAssertEqual(tombstone.recalledAt, now.addingTimeInterval(10))
        let state = inbox.recalls
        let count: Int = state.rememberedCount
        XCTAssertEqual(count, 1)
        let restored = try RecallState.restore(me: "bob", bytes: state.export(), at: now)
        XCTAssertEqual(restored.rememberedCount, 1)
        let pending = try restored.onRecall(recall, at: now)
        XCTAssertEqual(try restored.settle(recall, pending: pending), .duplicate) // applied before the export
    }
}
