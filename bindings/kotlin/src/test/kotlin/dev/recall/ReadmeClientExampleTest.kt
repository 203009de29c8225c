// The README's example of wiring RecallState to an app's storage and UI, compiled and run.
// tests/tests/readme.rs checks that the README shows exactly the lines between the markers.
package dev.recall

import java.time.Instant
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * A stand-in for the app's message database and UI, following spec 6.8.3: showing is one
 * conditional update of the row, built from the row; replacing undoes what the row records.
 */
class ChatStore {
    class Stored(val id: String, val conversationId: String, val senderId: String, var text: String?) {
        var tombstone: Tombstone? = null
        var notified = false
        var countedUnread = false
        var previewed = false
        var indexed = false
        val attachments = mutableListOf("photo.jpg")
    }
    val messages = mutableMapOf<String, Stored>()
    /** Posted notifications, by message id, with the text they show. */
    val notifications = mutableMapOf<String, String>()
    var unread = 0
    val log = mutableListOf<String>()
    var savedRecalls = ByteArray(0)

    fun message(conversation: String, id: String) = messages[id]?.takeIf { it.conversationId == conversation }

    /** The lookup: the committed row as the held message, its flags what the row records now. */
    suspend fun held(conversation: String, id: String): HeldMessage? {
        yield() // a real store's read suspends
        return message(conversation, id)?.let {
            HeldMessage(it.id, it.conversationId, it.senderId, recalled = it.tombstone != null, unread = it.countedUnread,
                latest = it.previewed, hasAttachments = it.attachments.isNotEmpty(), notificationShown = it.notified)
        }
    }
    fun holds(id: String) = id in messages
    fun insertHidden(message: ArrivingMessage, text: String) {
        messages[message.id] = Stored(message.id, message.conversationId, message.senderId, text)
    }

    /** Shows, notifies, previews, indexes and counts the row, only if it still holds the message. */
    fun showIfStillMessage(id: String): Boolean {
        val row = messages[id] ?: return false
        if (row.tombstone != null || row.notified) return false
        notifications[id] = row.text!! // built from the row
        unread++
        row.notified = true
        row.countedUnread = true
        row.previewed = true
        row.indexed = true
        return true
    }

    /** The tombstone in place of the content, and what the row records undone, in one write. */
    fun replaceUndoingRow(id: String, tombstone: Tombstone) {
        val row = messages[id] ?: return
        row.text = null
        row.tombstone = tombstone
        if (row.attachments.isNotEmpty()) row.attachments.clear().also { log += "attachments $id" }
        if (row.indexed) { row.indexed = false; log += "search $id" }
        if (row.previewed) { row.previewed = false; log += "preview ${row.conversationId}" }
        if (row.countedUnread) { row.countedUnread = false; unread--; log += "unread ${row.conversationId}" }
        if (row.notified) { row.notified = false; notifications.remove(id); log += "notification $id" }
    }
}

class ReadmeClientExampleTest {
    @Test
    fun `readme client example`() = runBlocking {
        val store = ChatStore()
        val t0 = Instant.parse("2026-01-01T00:00:00Z")
        val team = Conversation("team", ConversationKind.GROUP)

        // README:begin
        // At launch: one state per signed-in user, restored from what the app saved.
        val recalls = if (store.savedRecalls.isEmpty()) RecallState("bob")
            else RecallState.restore("bob", null, store.savedRecalls, Instant.now())

        // Save the remembered recalls after each one remembered, and when going to the background.
        fun saveRecalls() { store.savedRecalls = recalls.export() }

        // A recall arrives (live or from offline sync): receive takes it, then looks the message
        // up in the committed store, then settles. A lookup that throws surfaces: retry the recall.
        suspend fun received(recall: RecallNotification) {
            val outcome = recalls.receive(recall) { store.held(it.conversation.id, it.messageId) }
            if (outcome is RecallOutcome.Remembered) saveRecalls() // a crash must not lose it
            if (outcome !is RecallOutcome.Applied) return // remembered until the message arrives, or already done
            // One write: the tombstone in place of the content ("Alice recalled a message"), and
            // what the row records now undone (notification, preview, index entry, unread count,
            // attachments), quotes redacted. Not by outcome.effects: it may have been shown since.
            store.replaceUndoingRow(recall.messageId, outcome.tombstone)
        }

        // A message arrives: admit stores it hidden (where the lookup finds it), then asks.
        fun arrived(message: ArrivingMessage, text: String) {
            if (store.holds(message.id)) return // a duplicate delivery
            when (val arrival = recalls.admit(message) { store.insertHidden(message, text) }) {
                // One write, only if the row still holds this message: show, notify, preview,
                // index, count unread, each built from the row (never from `text`).
                is Arrival.Show -> store.showIfStillMessage(message.id)
                is Arrival.Tombstone -> store.replaceUndoingRow(message.id, arrival.tombstone) // silently: nothing was shown
            }
        }

        // When the app goes to the background: save the remembered recalls too.
        fun backgrounded() = saveRecalls()

        // When the user signs out: save, then free the state (or keep it in `RecallState(me).use { … }`).
        fun signedOut() { saveRecalls(); recalls.close() }
        // README:end

        // m1 arrives and is shown; Alice recalls it: applied, and what the row recorded undone.
        arrived(ArrivingMessage("m1", "team", "alice"), "oops")
        assertEquals(mapOf("m1" to "oops"), store.notifications)
        assertEquals(1, store.unread)
        received(RecallNotification(team, "m1", "alice", "alice", Basis.SENDER, t0, null))
        assertNull(store.messages.getValue("m1").text)
        assertEquals(RecalledBy.SENDER, store.messages.getValue("m1").tombstone?.recalledBy)
        assertTrue(store.messages.getValue("m1").attachments.isEmpty())
        assertEquals(listOf("attachments m1", "search m1", "preview team", "unread team", "notification m1"), store.log)
        assertEquals(emptyMap<String, String>(), store.notifications)
        assertEquals(0, store.unread)

        // m2's recall overtakes it: remembered (and saved at once), then the message arrives as
        // a tombstone and is never shown.
        received(RecallNotification(team, "m2", "alice", "alice", Basis.SENDER, t0, null))
        assertTrue(store.savedRecalls.isNotEmpty())
        arrived(ArrivingMessage("m2", "team", "alice"), "secret")
        assertNull(store.messages.getValue("m2").text)
        assertFalse(store.messages.getValue("m2").notified)
        assertNotNull(store.messages.getValue("m2").tombstone)

        // The order that leaked before (issue 20): m3 is stored and asked about (show), then its
        // recall is taken, looked up (stored, not shown) and settled before the show runs. The
        // replacement finds nothing shown; the show then finds a tombstone and does nothing.
        val m3 = ArrivingMessage("m3", "team", "alice")
        store.insertHidden(m3, "leak?")
        assertEquals(Arrival.Show, recalls.onMessage(m3, Instant.now()))
        received(RecallNotification(team, "m3", "alice", "alice", Basis.SENDER, t0, null))
        assertFalse(store.showIfStillMessage("m3"))
        assertFalse("m3" in store.notifications)
        assertEquals(0, store.unread)
        assertNull(store.messages.getValue("m3").text)

        backgrounded()
        assertTrue(store.savedRecalls.isNotEmpty())
        signedOut()
    }
}
