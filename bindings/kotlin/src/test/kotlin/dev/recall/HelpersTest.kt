// The two orders made structural (Receive.kt): receive runs onRecall, then the lookup, then
// settle; a failed lookup surfaces and a retry applies; admit stores before it asks. And the
// readable forms of Idioms.kt: toString of every case, the enums' JSON ids.
package dev.recall

import java.time.Instant
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class HelpersTest {
    private val group = Conversation("g1", ConversationKind.GROUP)
    private val t0: Instant = Instant.parse("2026-01-01T00:00:00Z")
    private val recall = RecallNotification(group, "m1", "alice", "alice", Basis.SENDER, t0, null)
    private val held = HeldMessage("m1", "g1", "alice", unread = true, notificationShown = true)

    @Test
    fun `receive looks up only after onRecall returned, then settles what it found`() = runBlocking {
        RecallState("bob").use { state ->
            val outcome = state.receive(recall, t0) {
                yield() // the lookup may suspend
                // onRecall has run: the message, arriving now, would be a tombstone
                assertTrue(state.onMessage(ArrivingMessage("m9", "g1", "alice"), t0) is Arrival.Show)
                assertEquals(1L, state.rememberedCount())
                held
            }
            val applied = outcome as RecallOutcome.Applied
            assertEquals(RecalledBy.SENDER, applied.tombstone.recalledBy)
            assertTrue(applied.effects.cancelNotification && applied.effects.decrementUnread)
            assertEquals(RecallOutcome.Duplicate, state.receive(recall, t0) { held.copy(recalled = true) })
        }
    }

    @Test
    fun `a failed lookup surfaces, the recall stays remembered, and receiving it again applies it`() = runBlocking {
        RecallState("bob").use { state ->
            val failure = IllegalStateException("database locked")
            val thrown = assertThrows<IllegalStateException> { runBlocking { state.receive(recall, t0) { throw failure } } }
            assertSame(failure, thrown)
            // Remembered meanwhile: the message arriving now would be a tombstone.
            assertEquals(1L, state.rememberedCount())
            // The retry (or the server's redelivery) applies it.
            assertTrue(state.receive(recall, t0.plusSeconds(1)) { held } is RecallOutcome.Applied)
            // The blocking form likewise.
            assertThrows<IllegalStateException> { state.receiveBlocking(recall, t0) { throw failure } }
            assertEquals(RecallOutcome.Duplicate, state.receiveBlocking(recall, t0) { held.copy(recalled = true) })
        }
    }

    @Test
    fun `a recall received before its message is remembered, and the message is admitted as a tombstone`() {
        RecallState("bob").use { state ->
            assertEquals(RecallOutcome.Remembered, state.receiveBlocking(recall) { null })
            val order = mutableListOf<String>()
            val arrival = state.admit(ArrivingMessage("m1", "g1", "alice")) { order += "stored" }
            order += "asked"
            assertEquals(listOf("stored", "asked"), order)
            assertEquals(RecalledBy.SENDER, (arrival as Arrival.Tombstone).tombstone.recalledBy)
            // A store that fails: onMessage is not called, the failure surfaces.
            assertThrows<IllegalStateException> {
                state.admit(ArrivingMessage("m2", "g1", "alice")) { throw IllegalStateException("disk full") }
            }
            assertEquals(Arrival.Show, state.admitBlocking(ArrivingMessage("m2", "g1", "alice"), t0) { })
        }
    }

    @Test
    fun `every case prints readably`() {
        assertEquals("Show", Arrival.Show.toString())
        assertEquals("Remembered", RecallOutcome.Remembered.toString())
        assertEquals("Duplicate", RecallOutcome.Duplicate.toString())
        // A case without fields is one value: equal to itself after a crossing.
        RecallState("bob").use { assertEquals(RecallOutcome.Remembered, it.receiveBlocking(recall, t0) { null }) }
        assertEquals("Refused(reason=window_expired (11))", Eligibility.Refused(Reason.WindowExpired).toString())
        assertEquals("window_expired (11)", Reason.WindowExpired.toString())
        assertEquals("unknown (12)", Reason.Unknown(12).toString())
        val refusal = assertThrows<RecallException.Refused> { RecallState("") }
        assertEquals(refusal.detail, refusal.message)
        assertTrue(refusal.message!!.startsWith("invalid_argument (2): "), refusal.message)
    }

    @Test
    fun `a tombstone round trips in JSON and protobuf, its enums written as their ids`() {
        RecallState("bob").use { state ->
            val tombstone = (state.receiveBlocking(recall, t0) { held } as RecallOutcome.Applied).tombstone
            val json = tombstone.toJson()
            assertTrue(json.contains("\"recalled_by\":\"${tombstone.recalledBy.id}\""), json)
            assertTrue(json.contains("\"basis\":\"${tombstone.basis.id}\""), json)
            assertTrue(json.contains("\"kind\":\"${tombstone.conversation.kind.id}\""), json)
            assertEquals(tombstone, Tombstone.fromJson(json))
            assertEquals(tombstone, Tombstone.fromProtobuf(tombstone.toProtobuf()))
            val moderated = tombstone.copy(recalledBy = RecalledBy.MODERATOR, basis = Basis.MODERATOR, operatorId = "olga")
            assertEquals(moderated, Tombstone.fromJson(moderated.toJson()))
            assertEquals("malformed_input", refusal { Tombstone.fromJson("{") })
        }
    }

    @Test
    fun `enums have the spec's JSON ids`() {
        assertEquals(listOf("you", "sender", "moderator"), RecalledBy.entries.map { it.id })
        assertEquals(listOf("sender", "moderator", "unknown"), Basis.entries.map { it.id })
        assertEquals(listOf("direct", "group", "room", "unknown"), ConversationKind.entries.map { it.id })
        assertEquals(listOf("member", "admin", "owner"), Role.entries.map { it.id })
        assertEquals(
            listOf("text", "image", "audio", "video", "file", "location", "custom", "command", "notification"),
            MessageKind.entries.map { it.id },
        )
        assertEquals(listOf("sending", "sent", "failed", "recalled"), MessageState.entries.map { it.id })
        assertEquals(listOf("outrank", "any"), Moderation.entries.map { it.id })
        for (e in RecalledBy.entries) assertSame(e, RecalledBy.fromId(e.id))
        for (e in Basis.entries) assertSame(e, Basis.fromId(e.id))
        for (e in ConversationKind.entries) assertSame(e, ConversationKind.fromId(e.id))
        for (e in Role.entries) assertSame(e, Role.fromId(e.id))
        for (e in MessageKind.entries) assertSame(e, MessageKind.fromId(e.id))
        for (e in MessageState.entries) assertSame(e, MessageState.fromId(e.id))
        for (e in Moderation.entries) assertSame(e, Moderation.fromId(e.id))
        assertNull(RecalledBy.fromId("YOU"))
        assertNull(Role.fromId("none"))
        // The ids are the ones the JSON forms write.
        val json = recall.toJson()
        assertTrue(json.contains("\"kind\":\"${group.kind.id}\"") && json.contains("\"basis\":\"${Basis.SENDER.id}\""), json)
    }
}
