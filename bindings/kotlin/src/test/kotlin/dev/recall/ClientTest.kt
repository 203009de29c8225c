// The client recall state through the Kotlin binding: a sender with two devices and a
// receiver, a recall that overtakes its message, a duplicate, a forged legacy command, an
// app restart through export/restore, and pages of recalls and messages in one call.
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
        val request = RecallRequest("g1", "m1")
        val stored = StoredMessage("m1", group, "alice", Role.MEMBER, MessageKind.IMAGE, MessageState.SENT, sentAt)
        val recall = policy.recall(request, Actor("alice", Role.MEMBER), stored, sentAt.plusSeconds(30))

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
    fun `a page of recalls and a page of messages answer as the single calls in order`() {
        val batched = RecallState("bob", null)
        val single = RecallState("bob", null)
        val now = sentAt.plusSeconds(60)
        fun recall(id: String, sender: String = "alice", operator: String = sender) =
            RecallNotification(group, id, sender, operator, Basis.SENDER, sentAt, null)
        val recalls = listOf(
            ArrivingRecall(recall("m1"), null), // overtakes m1: remembered
            ArrivingRecall(recall("m2"), held("m2", "alice")), // held: applied
            ArrivingRecall(recall("m3", operator = "mallory"), held("m3", "alice")), // forged operator
            ArrivingRecall(recall("m4", sender = "mallory"), held("m4", "alice")), // forged sender
            ArrivingRecall(recall(""), null), // an invalid id: refused in its place
            ArrivingRecall(recall("m1"), null), // m1 again, later in the page: it sees the first
        )
        val answers = batched.onRecalls(recalls, now)
        val oneByOne = recalls.map {
            try {
                RecallResult.Outcome(single.onRecall(it.recall, it.held, now))
            } catch (refused: RecallException.Refused) {
                RecallResult.Refused(refused.reason)
            }
        }
        assertEquals(oneByOne, answers)
        val kinds = answers.map {
            when (it) {
                is RecallResult.Refused -> it.reason.id()
                is RecallResult.Outcome -> when (it.outcome) {
                    is RecallOutcome.Applied -> "applied"
                    is RecallOutcome.Remembered -> "remembered"
                    is RecallOutcome.Duplicate -> "duplicate"
                }
            }
        }
        assertEquals(
            listOf("remembered", "applied", "operator_mismatch", "sender_mismatch", "invalid_argument", "duplicate"),
            kinds,
        )

        // The overtaken m1 arrives in a page: its remembered recall is applied, and the rest of
        // the page goes on past an invalid id.
        val messages = listOf(
            ArrivingMessage("m1", "g1", "alice"),
            ArrivingMessage("m5", "g1", "alice"),
            ArrivingMessage("m6", "", "alice"),
            ArrivingMessage("m1", "g1", "bob"), // another sender: not the recalled message
        )
        val later = now.plusSeconds(1)
        val arrivals = batched.onMessages(messages, later)
        val singleArrivals = messages.map {
            try {
                ArrivalResult.Arrival(single.onMessage(it, later))
            } catch (refused: RecallException.Refused) {
                ArrivalResult.Refused(refused.reason)
            }
        }
        assertEquals(singleArrivals, arrivals)
        val tombstone = ((arrivals[0] as ArrivalResult.Arrival).arrival as Arrival.Tombstone).tombstone
        assertEquals(RecalledBy.SENDER, tombstone.recalledBy)
        assertEquals(ArrivalResult.Arrival(Arrival.Show), arrivals[1])
        assertEquals(ArrivalResult.Refused(Reason.InvalidArgument), arrivals[2])
        assertEquals(ArrivalResult.Arrival(Arrival.Show), arrivals[3])

        // The same state: the same remembered recalls, down to the exported bytes.
        assertEquals(2uL, batched.rememberedCount())
        assertTrue(single.export().contentEquals(batched.export()))
        assertEquals(emptyList<RecallResult>(), batched.onRecalls(emptyList(), later))
        assertEquals(emptyList<ArrivalResult>(), batched.onMessages(emptyList(), later))
        listOf(batched, single).forEach { it.close() }
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
