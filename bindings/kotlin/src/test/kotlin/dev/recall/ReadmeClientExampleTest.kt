// The README's example of wiring RecallState to an app's storage and UI, compiled and run.
// tests/tests/readme.rs checks that the README shows exactly the lines between the markers.
package dev.recall

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A stand-in for the app's message database and UI. */
class ChatStore {
    class Stored(val id: String, val conversationId: String, val senderId: String, var text: String?) {
        var tombstone: Tombstone? = null
        var shown = false
        var unread = false
        var notified = false
        val attachments = mutableListOf("photo.jpg")
    }
    val messages = mutableMapOf<String, Stored>()
    val log = mutableListOf<String>()
    var savedRecalls = ByteArray(0)

    fun message(conversation: String, id: String) = messages[id]?.takeIf { it.conversationId == conversation }
    fun holds(id: String) = id in messages
    fun isLatest(message: Stored) = message.shown
    fun insertHidden(message: ArrivingMessage, text: String) {
        messages[message.id] = Stored(message.id, message.conversationId, message.senderId, text)
    }
    fun show(id: String) { messages[id]?.apply { shown = true; unread = true; notified = true } }
    fun replace(id: String, tombstone: Tombstone) { messages[id]?.apply { text = null; this.tombstone = tombstone } }
    fun deleteAttachments(id: String) { messages[id]?.attachments?.clear(); log += "attachments $id" }
    fun removeFromSearch(id: String) { log += "search $id" }
    fun redactQuotes(id: String) { log += "quotes $id" }
    fun refreshPreview(conversation: String) { log += "preview $conversation" }
    fun decrementUnread(conversation: String) { log += "unread $conversation" }
    fun cancelNotification(id: String) { log += "notification $id" }
}

class ReadmeClientExampleTest {
    @Test
    fun `readme client example`() {
        val store = ChatStore()
        val t0 = Instant.parse("2026-01-01T00:00:00Z")
        val team = Conversation("team", ConversationKind.GROUP)

        // README:begin
        // At launch: one state per signed-in user, restored from what the app saved.
        val recalls = if (store.savedRecalls.isEmpty()) RecallState("bob")
            else RecallState.restore("bob", null, store.savedRecalls, Instant.now())

        // A recall arrives (live or from offline sync): take it, then look up, then settle.
        fun received(recall: RecallNotification) {
            val pending = recalls.onRecall(recall, Instant.now()) // from here on, the message arrives as a tombstone
            val held = store.message(recall.conversation.id, recall.messageId)?.let {
                HeldMessage(it.id, it.conversationId, it.senderId, recalled = it.tombstone != null, unread = it.unread,
                    latest = store.isLatest(it), hasAttachments = it.attachments.isNotEmpty(), notificationShown = it.notified)
            }
            val outcome = recalls.settle(recall, pending, held)
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

        // A message arrives: store it (not shown), then ask, then show it or replace it.
        fun arrived(message: ArrivingMessage, text: String) {
            if (store.holds(message.id)) return // a duplicate delivery
            store.insertHidden(message, text)
            when (val arrival = recalls.onMessage(message, Instant.now())) {
                is Arrival.Show -> store.show(message.id) // notify, count unread; never write the text again
                is Arrival.Tombstone -> store.replace(message.id, arrival.tombstone) // silently
            }
        }

        // When the app goes to the background: save the remembered recalls.
        fun backgrounded() { store.savedRecalls = recalls.export() }

        // When the user signs out: save, then free the state (or keep it in `RecallState(me).use { … }`).
        fun signedOut() { backgrounded(); recalls.close() }
        // README:end

        // m1 arrives and is shown; Alice recalls it: applied, with every effect.
        arrived(ArrivingMessage("m1", "team", "alice"), "oops")
        assertTrue(store.messages.getValue("m1").shown)
        received(RecallNotification(team, "m1", "alice", "alice", Basis.SENDER, t0, null))
        assertNull(store.messages.getValue("m1").text)
        assertEquals(RecalledBy.SENDER, store.messages.getValue("m1").tombstone?.recalledBy)
        assertTrue(store.messages.getValue("m1").attachments.isEmpty())
        assertEquals(
            listOf("attachments m1", "search m1", "quotes m1", "preview team", "unread team", "notification m1"),
            store.log,
        )

        // m2's recall overtakes it: the message arrives as a tombstone and is never shown.
        received(RecallNotification(team, "m2", "alice", "alice", Basis.SENDER, t0, null))
        arrived(ArrivingMessage("m2", "team", "alice"), "secret")
        assertNull(store.messages.getValue("m2").text)
        assertFalse(store.messages.getValue("m2").shown)
        assertNotNull(store.messages.getValue("m2").tombstone)
        backgrounded()
        assertTrue(store.savedRecalls.isNotEmpty())
        signedOut()
    }
}
