// The README's example of wiring RecallState to an app's storage and UI, compiled and run.
// tests/tests/readme.rs checks that the README shows exactly the lines between the markers.
import Foundation
import XCTest
import Recall

/// A stand-in for the app's message database and UI.
final class ChatStore {
    struct Stored {
        var id, conversationId, senderId: String
        var text: String?
        var tombstone: Tombstone?
        var shown = false, unread = false, notified = false
        var attachments = ["photo.jpg"]
    }
    var messages: [String: Stored] = [:]
    var log: [String] = []
    var savedRecalls = Data()

    func message(conversation: String, id: String) -> Stored? {
        messages[id].flatMap { $0.conversationId == conversation ? $0 : nil }
    }
    func holds(_ id: String) -> Bool { messages[id] != nil }
    func isLatest(_ message: Stored) -> Bool { message.shown }
    func insertHidden(_ message: ArrivingMessage, text: String) {
        messages[message.id] = Stored(id: message.id, conversationId: message.conversationId,
                                      senderId: message.senderId, text: text)
    }
    func show(_ id: String) { messages[id]?.shown = true; messages[id]?.unread = true; messages[id]?.notified = true }
    func replace(_ id: String, with tombstone: Tombstone) { messages[id]?.text = nil; messages[id]?.tombstone = tombstone }
    func deleteAttachments(of id: String) { messages[id]?.attachments = []; log.append("attachments \(id)") }
    func removeFromSearch(_ id: String) { log.append("search \(id)") }
    func redactQuotes(of id: String) { log.append("quotes \(id)") }
    func refreshPreview(_ conversation: String) { log.append("preview \(conversation)") }
    func decrementUnread(_ conversation: String) { log.append("unread \(conversation)") }
    func cancelNotification(for id: String) { log.append("notification \(id)") }
}

final class ReadmeClientExampleTests: XCTestCase {
    func testReadmeClientExample() throws {
        let store = ChatStore()
        let t0 = Date(timeIntervalSince1970: 1_767_225_600)
        let team = Conversation(id: "team", kind: .group)

        // README:begin
        // At launch: one state per signed-in user, restored from what the app saved.
        let recalls = store.savedRecalls.isEmpty
            ? try RecallState(me: "bob")
            : try RecallState.restore(me: "bob", bytes: store.savedRecalls, at: Date())

        // A recall arrives (live or from offline sync): take it, then look up, then settle.
        func received(_ recall: RecallNotification) throws {
            let pending = try recalls.onRecall(recall, at: Date()) // from here on, the message arrives as a tombstone
            let held = store.message(conversation: recall.conversation.id, id: recall.messageId).map {
                HeldMessage(id: $0.id, conversationId: $0.conversationId, senderId: $0.senderId,
                            recalled: $0.tombstone != nil, unread: $0.unread, latest: store.isLatest($0),
                            hasAttachments: !$0.attachments.isEmpty, notificationShown: $0.notified)
            }
            guard case let .applied(tombstone, effects) = try recalls.settle(recall, pending: pending, held: held) else {
                return // remembered until the message arrives, or already done
            }
            store.replace(recall.messageId, with: tombstone) // show "Alice recalled a message"
            if effects.deleteAttachments { store.deleteAttachments(of: recall.messageId) }
            if effects.dropFromSearchIndex { store.removeFromSearch(recall.messageId) }
            if effects.redactQuotes { store.redactQuotes(of: recall.messageId) }
            if effects.refreshPreview { store.refreshPreview(recall.conversation.id) }
            if effects.decrementUnread { store.decrementUnread(recall.conversation.id) }
            if effects.cancelNotification { store.cancelNotification(for: recall.messageId) }
        }

        // A message arrives: store it (not shown), then ask, then show it or replace it.
        func arrived(_ message: ArrivingMessage, text: String) throws {
            if store.holds(message.id) { return } // a duplicate delivery
            store.insertHidden(message, text: text)
            switch try recalls.onMessage(message, at: Date()) {
            case .show: store.show(message.id) // notify, count unread; never write the text again
            case let .tombstone(tombstone): store.replace(message.id, with: tombstone) // silently
            }
        }

        // When the app goes to the background: save the remembered recalls.
        func backgrounded() { store.savedRecalls = recalls.export() }
        // README:end

        // m1 arrives and is shown; Alice recalls it: applied, with every effect.
        try arrived(ArrivingMessage(id: "m1", conversationId: "team", senderId: "alice"), text: "oops")
        XCTAssertEqual(store.messages["m1"]?.shown, true)
        try received(RecallNotification(conversation: team, messageId: "m1", senderId: "alice", operatorId: "alice",
                                        basis: .sender, recalledAt: t0, ext: nil))
        XCTAssertNil(store.messages["m1"]?.text)
        XCTAssertEqual(store.messages["m1"]?.tombstone?.recalledBy, .sender)
        XCTAssertEqual(store.messages["m1"]?.attachments, [])
        XCTAssertEqual(store.log, ["attachments m1", "search m1", "quotes m1", "preview team", "unread team",
                                   "notification m1"])

        // m2's recall overtakes it: the message arrives as a tombstone and is never shown.
        try received(RecallNotification(conversation: team, messageId: "m2", senderId: "alice", operatorId: "alice",
                                        basis: .sender, recalledAt: t0, ext: nil))
        try arrived(ArrivingMessage(id: "m2", conversationId: "team", senderId: "alice"), text: "secret")
        XCTAssertNil(store.messages["m2"]?.text)
        XCTAssertEqual(store.messages["m2"]?.shown, false)
        XCTAssertNotNil(store.messages["m2"]?.tombstone)
        backgrounded()
        XCTAssertFalse(store.savedRecalls.isEmpty)
    }
}
