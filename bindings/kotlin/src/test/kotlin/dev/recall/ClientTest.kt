// The client recall state through the Kotlin binding: a sender with two devices and a
// receiver, a recall that overtakes its message, a duplicate, a forged legacy command, and an
// app restart through export/restore.
package dev.recall

import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ClientTest {
    private val group = Conversation("g1", ConversationKind.GROUP)
    private val sentAt: Instant = Instant.parse("2026-01-01T00:00:00.000Z")

    private fun held(id: String, sender: String, recalled: Boolean = false) =
        HeldMessage(id, "g1", sender, recalled, unread = true, latest = true, hasAttachments = true, notificationShown = true)

    @Test
    fun `two devices and a receiver`() {
        val policy = RecallPolicy.defaults()
        val alicePhone = RecallState("alice", null)
        val aliceLaptop = RecallState("alice", null)
        val bob = RecallState("bob", null)

        // Alice's phone sends m1 and recalls it 30 s later; the server decides.
        val request = RecallRequest(group, "m1", Actor("alice", Role.MEMBER), null)
        val stored = StoredMessage("m1", "g1", "alice", Role.MEMBER, MessageKind.IMAGE, MessageState.SENT, sentAt)
        val recall = policy.recall(request, stored, sentAt.plusSeconds(30))

        // The phone holds its own message: applied, recalled by "you".
        val mine = alicePhone.onRecall(recall, held("m1", "alice"), sentAt.plusSeconds(31))
        assertEquals(RecalledBy.YOU, (mine as RecallOutcome.Applied).tombstone.recalledBy)

        // The laptop was offline: the recall overtakes the message, which then arrives as a
        // tombstone and never shows its content.
        assertEquals(RecallOutcome.Remembered, aliceLaptop.onRecall(recall, null, sentAt.plusSeconds(40)))
        val arrival = aliceLaptop.onMessage(ArrivingMessage("m1", "g1", "alice"), sentAt.plusSeconds(41))
        val tombstone = (arrival as Arrival.Tombstone).tombstone
        assertEquals(RecalledBy.YOU, tombstone.recalledBy)
        assertEquals(sentAt.plusSeconds(30), tombstone.recalledAt)

        // Bob holds it unread, latest, with a notification and a picture: every effect.
        val theirs = bob.onRecall(recall, held("m1", "alice"), sentAt.plusSeconds(31)) as RecallOutcome.Applied
        assertEquals(RecalledBy.SENDER, theirs.tombstone.recalledBy)
        assertEquals(Effects(true, true, true, true, true, true), theirs.effects)
        // The same recall again, from offline sync: nothing.
        assertEquals(RecallOutcome.Duplicate, bob.onRecall(recall, held("m1", "alice", recalled = true), sentAt.plusSeconds(60)))

        // Mallory forges a legacy command for Alice's m2: refused, nothing changes.
        val forged = LegacyCommand(group, "mallory", "REVOKE_FLAG", mapOf("msgId" to "m2"), sentAt.plusSeconds(70))
        assertEquals("sender_mismatch", refusal { bob.onLegacyCommand(forged, held("m2", "alice"), sentAt.plusSeconds(70)) })
        val byModerator = RecallNotification(group, "m9", "alice", "olga", Basis.MODERATOR, sentAt, null)
        assertEquals("not_sender", refusal { legacyCommandFromRecall(byModerator) })

        // Alice's legacy command for m3 reaches Bob before m3 does; then Bob's app restarts.
        val legacy = legacyCommandFromRecall(
            RecallNotification(group, "m3", "alice", "alice", Basis.SENDER, sentAt.plusSeconds(80), null),
        )
        assertEquals(mapOf("msgId" to "m3"), legacy.attributes)
        assertEquals("m3", legacyCommandToRecall(legacy).messageId)
        assertEquals(RecallOutcome.Remembered, bob.onLegacyCommand(legacy, null, sentAt.plusSeconds(81)))
        val saved = bob.export()
        assertEquals(2uL, bob.rememberedCount())
        RecallState.restore("bob", null, saved, sentAt.plusSeconds(3600)).use { restarted ->
            assertEquals(2uL, restarted.rememberedCount())
            assertTrue(restarted.onMessage(ArrivingMessage("m3", "g1", "alice"), sentAt.plusSeconds(3601)) is Arrival.Tombstone)
            // A late sync of m1 after the restart: still a tombstone.
            assertTrue(restarted.onMessage(ArrivingMessage("m1", "g1", "alice"), sentAt.plusSeconds(3602)) is Arrival.Tombstone)
        }
        listOf(alicePhone, aliceLaptop, bob, policy).forEach { it.close() }
    }

    @Test
    fun `limits and bad input are typed errors`() {
        val limits = defaultClientLimits()
        assertEquals(10_000u, limits.maxRecalls)
        assertEquals("invalid_policy", refusal { RecallState("bob", limits.copy(maxRecalls = 0u)) })
        assertEquals("invalid_argument", refusal { RecallState("", null) })
        assertEquals("malformed_input", refusal { RecallState.restore("bob", null, byteArrayOf(-1, 1), sentAt) })
        assertEquals("input_too_large", refusal { RecallState.restore("bob", null, ByteArray(5 shl 20), sentAt) })
        RecallState("bob", null).use { state ->
            assertEquals("invalid_argument", refusal { state.onMessage(ArrivingMessage("", "g1", "a"), sentAt) })
        }
    }

    @Test
    fun `the state is shared across threads`() {
        RecallState("bob", null).use { state ->
            val pool = Executors.newFixedThreadPool(8)
            val results = (0 until 200).map { i ->
                pool.submit<RecallOutcome> {
                    val recall = RecallNotification(group, "m$i", "alice", "alice", Basis.SENDER, sentAt, null)
                    state.onRecall(recall, null, sentAt)
                }
            }
            results.forEach { assertEquals(RecallOutcome.Remembered, it.get()) }
            pool.shutdown()
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
            assertEquals(200uL, state.rememberedCount())
        }
    }
}
