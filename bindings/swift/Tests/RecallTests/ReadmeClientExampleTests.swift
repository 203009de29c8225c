// The README's example of wiring RecallState to an app's storage and UI, compiled and run.
// tests/tests/readme.rs checks that the README shows exactly the lines between the markers.
import Foundation
import XCTest
import Recall

/// A stand-in for the app's message database and UI, following spec 6.8.3: each row records
/// what the show did for its message, the show is one conditional update built from the row,
/// and the replacement by a tombstone undoes what the row records, in one update.
final class ChatStore {
    struct Row {
        var id, conversationId, senderId: String
        var text: String?
        var tombstone: Tombstone?
        var notified = false, unread = false, previewed = false, indexed = false
        var attachments = ["photo.jpg"]
    }
    private let lock = NSLock()
    private(set) var rows: [String: Row] = [:]
    private(set) var notifications: [String: String] = [:] // posted, by message id: what they show
    private(set) var unreadCount = 0
    private(set) var preview: String? // the text the conversation list shows
    private(set) var searchIndex: Set<String> = []
    private(set) var quotesRedacted: [String] = []
    var savedRecalls = Data()

    private func write<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    func holds(_ id: String) -> Bool { write { rows[id] != nil } }

    /// Stores the message hidden: no notification, preview, index entry or unread count yet.
    func insertHidden(_ message: ArrivingMessage, text: String) {
        write { rows[message.id] = Row(id: message.id, conversationId: message.conversationId,
                                       senderId: message.senderId, text: text) }
    }

    /// The held message as the committed row records it (spec 6.2), or nil: `async`, as a
    /// database read usually is.
    func held(conversation: String, id: String) async throws -> HeldMessage? {
        write {
            rows[id].flatMap { row in
                row.conversationId != conversation ? nil : HeldMessage(
                    id: row.id, conversationId: row.conversationId, senderId: row.senderId,
                    recalled: row.tombstone != nil, unread: row.unread, latest: row.previewed,
                    hasAttachments: !row.attachments.isEmpty, notificationShown: row.notified)
            }
        }
    }

    /// The show: one update, only if the row still holds the message, built from the row.
    func showIfStillMessage(_ id: String) {
        write {
            guard var row = rows[id], row.tombstone == nil, let text = row.text else { return }
            notifications[id] = "\(row.senderId): \(text)"
            unreadCount += 1
            preview = text
            searchIndex.insert(id)
            row.notified = true; row.unread = true; row.previewed = true; row.indexed = true
            rows[id] = row
        }
    }

    /// The replacement: the tombstone in place of the content, and everything the row records
    /// undone (notification, unread count, preview, search entry, attachments), quotes
    /// redacted, in one update.
    func replaceUndoingRow(_ id: String, with tombstone: Tombstone) {
        write {
            guard var row = rows[id] else { return }
            if row.notified { notifications[id] = nil }
            if row.unread { unreadCount -= 1 }
            if row.previewed { preview = nil }
            if row.indexed { searchIndex.remove(id) }
            row.text = nil
            row.tombstone = row.tombstone ?? tombstone
            row.attachments = []
            row.notified = false; row.unread = false; row.previewed = false; row.indexed = false
            rows[id] = row
            quotesRedacted.append(id)
        }
    }
}

final class ReadmeClientExampleTests: XCTestCase {
    func testReadmeClientExample() async throws {
        let store = ChatStore()
        let t0 = Date(timeIntervalSince1970: 1_767_225_600)
        let team = Conversation(id: "team", kind: .group)

        // README:begin
        // At launch: one state per signed-in user, restored from what the app saved.
        let recalls = store.savedRecalls.isEmpty
            ? try RecallState(me: "bob")
            : try RecallState.restore(me: "bob", bytes: store.savedRecalls, at: Date())

        // Save the remembered recalls after each one remembered, and when going to the background.
        func saveRecalls() { store.savedRecalls = recalls.export() }

        // A recall arrives (live or from offline sync): receive takes it, then looks the message
        // up in the committed store, then settles. A lookup that throws surfaces: retry the recall.
        func received(_ recall: RecallNotification) async throws {
            let outcome = try await recalls.receive(recall) { recall in
                try await store.held(conversation: recall.conversation.id, id: recall.messageId)
            }
            if case .remembered = outcome { saveRecalls() } // a crash must not lose it
            guard case let .applied(tombstone, _) = outcome else {
                return // remembered until the message arrives, or already done
            }
            // One write: the tombstone in place of the content ("Alice recalled a message"), and
            // what the row records now undone (notification, preview, index entry, unread count,
            // attachments), quotes redacted. Not by the effects: it may have been shown since.
            store.replaceUndoingRow(recall.messageId, with: tombstone)
        }

        // A message arrives: admit stores it hidden (where the lookup finds it), then asks.
        func arrived(_ message: ArrivingMessage, text: String) throws {
            if store.holds(message.id) { return } // a duplicate delivery
            switch try recalls.admit(message, store: { store.insertHidden(message, text: text) }) {
            case .show:
                // One write, only if the row still holds this message: show, notify, preview,
                // index, count unread, each built from the row (never from `text`).
                store.showIfStillMessage(message.id)
            case let .tombstone(tombstone):
                store.replaceUndoingRow(message.id, with: tombstone) // silently: nothing was shown
            }
        }

        // When the app goes to the background: save the remembered recalls too.
        func backgrounded() { saveRecalls() }
        // README:end

        // m1 arrives and is shown; Alice recalls it: applied, and everything the show did undone.
        try arrived(ArrivingMessage(id: "m1", conversationId: "team", senderId: "alice"), text: "oops")
        XCTAssertEqual(store.notifications, ["m1": "alice: oops"])
        XCTAssertEqual(store.unreadCount, 1)
        try await received(RecallNotification(conversation: team, messageId: "m1", senderId: "alice",
                                              operatorId: "alice", basis: .sender, recalledAt: t0, ext: nil))
        XCTAssertNil(store.rows["m1"]?.text)
        XCTAssertEqual(store.rows["m1"]?.tombstone?.recalledBy, .sender)
        XCTAssertEqual(store.rows["m1"]?.attachments, [])
        XCTAssertEqual(store.notifications, [:])
        XCTAssertEqual(store.unreadCount, 0)
        XCTAssertNil(store.preview)
        XCTAssertEqual(store.searchIndex, [])
        XCTAssertEqual(store.quotesRedacted, ["m1"])
        XCTAssertTrue(store.savedRecalls.isEmpty) // applied: nothing to save yet

        // m2's recall overtakes it: the message arrives as a tombstone and is never shown.
        try await received(RecallNotification(conversation: team, messageId: "m2", senderId: "alice",
                                              operatorId: "alice", basis: .sender, recalledAt: t0, ext: nil))
        try arrived(ArrivingMessage(id: "m2", conversationId: "team", senderId: "alice"), text: "secret")
        XCTAssertNil(store.rows["m2"]?.text)
        XCTAssertNotNil(store.rows["m2"]?.tombstone)
        XCTAssertEqual(store.notifications, [:])
        XCTAssertEqual(store.unreadCount, 0)

        // The order of issue 20: m3 is stored and answered show, its recall is settled before
        // the show runs (applied, nothing shown yet), then the show runs: it finds the tombstone
        // and does nothing, so no notification and no unread count are left.
        let m3 = ArrivingMessage(id: "m3", conversationId: "team", senderId: "alice")
        XCTAssertEqual(try recalls.admit(m3, store: { store.insertHidden(m3, text: "late") }), .show)
        try await received(RecallNotification(conversation: team, messageId: "m3", senderId: "alice",
                                              operatorId: "alice", basis: .sender, recalledAt: t0, ext: nil))
        store.showIfStillMessage("m3")
        XCTAssertNil(store.rows["m3"]?.text)
        XCTAssertEqual(store.notifications, [:])
        XCTAssertEqual(store.unreadCount, 0)

        // A restart: the saved recalls come back, and a late copy of m2 is still a tombstone.
        backgrounded()
        XCTAssertFalse(store.savedRecalls.isEmpty)
        let restarted = try RecallState.restore(me: "bob", bytes: store.savedRecalls, at: t0)
        XCTAssertEqual(restarted.rememberedCount, 3)
        guard case .tombstone = try restarted.onMessage(ArrivingMessage(id: "m2", conversationId: "team",
                                                                        senderId: "alice"), at: t0) else {
            return XCTFail("m2 came back after a restart")
        }
    }
}
