// The README's example of wiring RecallState to an app's storage and UI, compiled and run.
// tests/tests/readme.rs checks that the README shows exactly the lines between the markers.
import Foundation
import XCTest
import Recall

/// A stand-in for the app's message database and UI.
final class ChatStore {
    struct Stored { var id, conversationId, senderId: String; var text: String?; var unread = true }
    var messages: [String: Stored] = [:]
    var tombstones: [String: Tombstone] = [:]
    var log: [String] = []
    var savedRecalls = Data()

    func message(conversation: String, id: String) -> Stored? { messages[id] }
    func isLatest(_ message: Stored) -> Bool { true }
    func replace(_ id: String, with tombstone: Tombstone) { messages[id]?.text = nil; tombstones[id] = tombstone }
    func deleteAttachments(of id: String) { log.append("attachments \(id)") }
    func removeFromSearch(_ id: String) { log.append("search \(id)") }
    func redactQuotes(of id: String) { log.append("quotes \(id)") }
    func refreshPreview(_ conversation: String) { log.append("preview \(conversation)") }
    func decrementUnread(_ conversation: String) { log.append("unread \(conversation)") }
    func cancelNotification(for id: String) { log.append("notification \(id)") }
    func insert(_ message: ArrivingMessage, text: String) {
        messages[message.id] = Stored(id: message.id, conversationId: message.conversationId,
                                      senderId: message.senderId, text: text)
    }
}

final class ReadmeClientExampleTests: XCTestCase {
    func testReadmeClientExample() throws {
        let store = ChatStore()
        let t0 = Date(timeIntervalSince1970: 1_767_225_600)
        let recall = RecallNotification(conversation: Conversation(id: "team", kind: .group), messageId: "m1",
                                        senderId: "alice", operatorId: "alice", basis: .sender, recalledAt: t0, ext: nil)
        store.insert(ArrivingMessage(id: "m1", conversationId: "team", senderId: "alice"), text: "oops")

        // README:begin
        // At launch: one state per signed-in user, restored from what the app saved.
        let recalls = store.savedRecalls.isEmpty
            ? try RecallState(me: "bob", limits: nil)
            : try RecallState.restore(me: "bob", limits: nil, bytes: store.savedRecalls, now: Date())

        // A recall arrives (live or from offline sync): pass what you hold, then do what it says.
        func received(_ recall: RecallNotification) throws {
            let stored = store.message(conversation: recall.conversation.id, id: recall.messageId)
            let held = stored.map {
                HeldMessage(id: $0.id, conversationId: $0.conversationId, senderId: $0.senderId,
                            recalled: $0.text == nil, unread: $0.unread, latest: store.isLatest($0),
                            hasAttachments: false, notificationShown: true)
            }
            guard case let .applied(tombstone, effects) = try recalls.onRecall(recall: recall, held: held, now: Date()) else {
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

        // A message arrives: ask before storing, showing or notifying it.
        func arrived(_ message: ArrivingMessage, text: String) throws {
            switch try recalls.onMessage(message: message, now: Date()) {
            case .show: store.insert(message, text: text) // and notify, count unread
            case let .tombstone(tombstone): store.replace(message.id, with: tombstone) // silently
            }
        }

        // When the app goes to the background: save the remembered recalls.
        store.savedRecalls = recalls.export()
        // README:end

        try received(recall)
        XCTAssertNil(store.messages["m1"]?.text)
        XCTAssertEqual(store.tombstones["m1"]?.recalledBy, .sender)
        XCTAssertEqual(store.log, ["search m1", "quotes m1", "preview team", "unread team", "notification m1"])

        let early = RecallNotification(conversation: Conversation(id: "team", kind: .group), messageId: "m2",
                                       senderId: "alice", operatorId: "alice", basis: .sender, recalledAt: t0, ext: nil)
        try received(early)
        try arrived(ArrivingMessage(id: "m2", conversationId: "team", senderId: "alice"), text: "secret")
        XCTAssertNil(store.messages["m2"]?.text)
        XCTAssertNotNil(store.tombstones["m2"])
        store.savedRecalls = recalls.export()
        XCTAssertFalse(store.savedRecalls.isEmpty)
    }
}
