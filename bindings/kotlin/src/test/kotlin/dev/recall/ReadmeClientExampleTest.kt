// The README's example of wiring RecallState to an app's storage and UI, compiled and run.
// tests/tests/readme.rs checks that the README shows exactly the lines between the markers.
package dev.recall

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A stand-in for the app's message database and UI. */
class ChatStore {
    data class Stored(val id: String, val conversationId: String, val senderId: String, var text: String?, var unread: Boolean = true)
    val messages = mutableMapOf<String, Stored>()
    val tombstones = mutableMapOf<String, Tombstone>()
    val log = mutableListOf<String>()
    var savedRecalls = ByteArray(0)

    fun message(conversation: String, id: String) = messages[id]
    fun isLatest(message: Stored) = true
    fun replace(id: String, tombstone: Tombstone) { messages[id]?.text = null; tombstones[id] = tombstone }
    fun deleteAttachments(id: String) { log += "attachments $id" }
    fun removeFromSearch(id: String) { log += "search $id" }
    fun redactQuotes(id: String) { log += "quotes $id" }
    fun refreshPreview(conversation: String) { log += "preview $conversation" }
    fun decrementUnread(conversation: String) { log += "unread $conversation" }
    fun cancelNotification(id: String) { log += "notification $id" }
    fun insert(message: ArrivingMessage, text: String) {
        messages[message.id] = Stored(message.id, message.conversationId, message.senderId, text)
    }
}

class ReadmeClientExampleTest {
    @Test
    fun `readme client example`() {
        val store = ChatStore()
        val t0 = Instant.parse("2026-01-01T00:00:00Z")
        val recall = RecallNotification(Conversation("team", ConversationKind.GROUP), "m1", "alice", "alice", Basis.SENDER, t0, null)
        store.insert(ArrivingMessage("m1", "team", "alice"), "oops")

        // README:begin
        // At launch: one state per signed-in user, restored from what the app saved.
        val recalls = if (store.savedRecalls.isEmpty()) RecallState("bob", null)
            else RecallState.restore("bob", null, store.savedRecalls, Instant.now())

        // A recall arrives (live or from offline sync): pass what you hold, then do what it says.
        fun received(recall: RecallNotification) {
            val held = store.message(recall.conversation.id, recall.messageId)?.let {
                HeldMessage(it.id, it.conversationId, it.senderId, recalled = it.text == null, unread = it.unread,
                    latest = store.isLatest(it), hasAttachments = false, notificationShown = true)
            }
            val outcome = recalls.onRecall(recall, held, Instant.now())
            if (outcome !is RecallOutcome.Applied) return // remembered until the message arrives, or already done
            store.replace(recall.messageId, outcome.tombstone) // show "Alice recalled a message"
            val effects = outcome.effects
            if (effects.deleteAttachments) store.deleteAttachments(recall.messageId)
            if (effects.dropFromSearchIndex) store.removeFromSearch(recall.messageId)
            if (effects.redactQuotes) store.redactQuotes(recall.messageId)
            if (effects.refreshPreview) store.refreshPreview(recall.conversation.id)
            if (effects.decrementUnread) store.decrementUnread(recall.conversation.id)
            if (effects.cancelNotification) store.cancelNotification(recall.messageId)
        }

        // A message arrives: ask before storing, showing or notifying it.
        fun arrived(message: ArrivingMessage, text: String) {
            when (val arrival = recalls.onMessage(message, Instant.now())) {
                is Arrival.Show -> store.insert(message, text) // and notify, count unread
                is Arrival.Tombstone -> store.replace(message.id, arrival.tombstone) // silently
            }
        }

        // When the app goes to the background: save the remembered recalls.
        store.savedRecalls = recalls.export()
        // README:end

        received(recall)
        assertNull(store.messages["m1"]?.text)
        assertEquals(RecalledBy.SENDER, store.tombstones["m1"]?.recalledBy)
        assertEquals(listOf("search m1", "quotes m1", "preview team", "unread team", "notification m1"), store.log)

        received(RecallNotification(Conversation("team", ConversationKind.GROUP), "m2", "alice", "alice", Basis.SENDER, t0, null))
        arrived(ArrivingMessage("m2", "team", "alice"), "secret")
        assertNull(store.messages["m2"]?.text)
        assertNotNull(store.tombstones["m2"])
        store.savedRecalls = recalls.export()
        assertTrue(store.savedRecalls.isNotEmpty())
        recalls.close()
    }
}
