// The client recall state through the Kotlin binding: a sender with two devices and a
// receiver, a recall that overtakes its message, a duplicate, a forged legacy command, an
// app restart through export/restore, pages of recalls and messages in one call, and a
// message and its recall on two real threads (spec 6.7, 6.8).
package dev.recall

import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ClientTest {
    private val group = Conversation("g1", ConversationKind.GROUP)
    private val sentAt: Instant = Instant.parse("2026-01-01T00:00:00.000Z")

    private fun held(id: String, sender: String, recalled: Boolean = false) =
        HeldMessage(id, "g1", sender, recalled, unread = true, latest = true, hasAttachments = true, notificationShown = true)

    /** Both phases, for a message already looked up. */
    private fun RecallState.take(recall: RecallNotification, held: HeldMessage?, now: Instant) = settle(recall, onRecall(recall, now), held)

    @Test
    fun `two devices and a receiver`() {
        val policy = RecallPolicy.defaults()
        val alicePhone = RecallState("alice")
        val aliceLaptop = RecallState("alice")
        val bob = RecallState("bob")

        // Alice's phone sends m1 and recalls it 30 s later; the server decides.
        val request = RecallRequest("g1", "m1")
        val stored = StoredMessage("m1", group, "alice", Role.MEMBER, MessageKind.IMAGE, MessageState.SENT, sentAt)
        val recall = policy.recall(request, Operator("alice", Role.MEMBER), stored, sentAt.plusSeconds(30))

        // The phone takes the recall, then finds its own message: applied, recalled by "you".
        val pending = alicePhone.onRecall(recall, sentAt.plusSeconds(31))
        assertEquals(PendingRecall(sentAt.plusSeconds(31), first = true), pending)
        val mine = alicePhone.settle(recall, pending, held(recall.messageId, "alice"))
        assertEquals(RecalledBy.YOU, (mine as RecallOutcome.Applied).tombstone.recalledBy)

        // The laptop was offline: the recall overtakes the message, which then arrives as a
        // tombstone and never shows its content.
        assertEquals(RecallOutcome.Remembered, aliceLaptop.settle(recall, aliceLaptop.onRecall(recall, sentAt.plusSeconds(40))))
        val arrival = aliceLaptop.onMessage(ArrivingMessage("m1", "g1", "alice"), sentAt.plusSeconds(41))
        val tombstone = (arrival as Arrival.Tombstone).tombstone
        assertEquals(RecalledBy.YOU, tombstone.recalledBy)
        assertEquals(sentAt.plusSeconds(30), tombstone.recalledAt)

        // Bob holds it unread, latest, with a notification and a picture: every effect.
        val theirs = bob.take(recall, held("m1", "alice"), sentAt.plusSeconds(31)) as RecallOutcome.Applied
        assertEquals(RecalledBy.SENDER, theirs.tombstone.recalledBy)
        assertEquals(Effects(true, true, true, true, true, true), theirs.effects)
        // The same recall again, from offline sync: nothing.
        assertEquals(RecallOutcome.Duplicate, bob.take(recall, held("m1", "alice", recalled = true), sentAt.plusSeconds(60)))

        // Mallory forges a legacy command for Alice's m2: translated, taken, then refused when
        // settled; it waits under Mallory's own key, where it can hide none of Alice's messages.
        val forged = legacyCommandToRecall(
            LegacyCommand(group, "mallory", "REVOKE_FLAG", mapOf("msgId" to "m2"), sentAt.plusSeconds(70)),
        )
        val forgedPending = bob.onRecall(forged, sentAt.plusSeconds(70))
        assertEquals("sender_mismatch", refusal { bob.settle(forged, forgedPending, held("m2", "alice")) })
        assertEquals(Arrival.Show, bob.onMessage(ArrivingMessage("m2", "g1", "alice"), sentAt.plusSeconds(71)))
        val byModerator = RecallNotification(group, "m9", "alice", "olga", Basis.MODERATOR, sentAt, null)
        assertEquals("not_sender", refusal { legacyCommandFromRecall(byModerator) })

        // Alice's legacy command for m3 reaches Bob before m3 does; then Bob's app restarts.
        val legacy = legacyCommandFromRecall(
            RecallNotification(group, "m3", "alice", "alice", Basis.SENDER, sentAt.plusSeconds(80), null),
        )
        assertEquals(mapOf("msgId" to "m3"), legacy.attributes)
        val translated = legacyCommandToRecall(legacy)
        assertEquals("m3", translated.messageId)
        assertEquals(RecallOutcome.Remembered, bob.settle(translated, bob.onRecall(translated, sentAt.plusSeconds(81))))
        assertEquals("not_recall_command", refusal { legacyCommandToRecall(legacy.copy(action = "TYPING")) })
        val saved = bob.export()
        assertEquals(3L, bob.rememberedCount())
        RecallState.restore("bob", null, saved, sentAt.plusSeconds(3600)).use { restarted ->
            assertEquals(3L, restarted.rememberedCount())
            assertTrue(restarted.onMessage(ArrivingMessage("m3", "g1", "alice"), sentAt.plusSeconds(3601)) is Arrival.Tombstone)
            // A late sync of m1 after the restart: still a tombstone.
            assertTrue(restarted.onMessage(ArrivingMessage("m1", "g1", "alice"), sentAt.plusSeconds(3602)) is Arrival.Tombstone)
        }
        listOf(alicePhone, aliceLaptop, bob, policy).forEach { it.close() }
    }

    @Test
    fun `limits and bad input are typed errors`() {
        val limits = defaultClientLimits()
        assertEquals(10_000, limits.maxRecalls)
        assertEquals("invalid_policy", refusal { RecallState("bob", limits.copy(maxRecalls = 0)) })
        assertEquals("invalid_argument", refusal { RecallState("") })
        assertEquals("malformed_input", refusal { RecallState.restore("bob", null, byteArrayOf(-1, 1), sentAt) })
        assertEquals("input_too_large", refusal { RecallState.restore("bob", null, ByteArray(5 shl 20), sentAt) })
        RecallState("bob").use { state ->
            assertEquals("invalid_argument", refusal { state.onMessage(ArrivingMessage("", "g1", "a"), sentAt) })
            // settle takes any recall and pending recall an app passes: it checks the recall
            // as onRecall does.
            val forged = RecallNotification(group, "m1", "alice", "mallory", Basis.SENDER, sentAt, null)
            assertEquals("operator_mismatch", refusal { state.settle(forged, PendingRecall(sentAt, true)) })
            assertEquals(0L, state.rememberedCount())
            assertEquals(0L, state.rememberedBytes())
        }
    }

    @Test
    fun `a page of recalls and a page of messages answer as the single calls in order`() {
        val batched = RecallState("bob")
        val single = RecallState("bob")
        val now = sentAt.plusSeconds(60)
        fun recall(id: String, sender: String = "alice", operator: String = sender) =
            RecallNotification(group, id, sender, operator, Basis.SENDER, sentAt, null)
        val recalls = listOf(
            recall("m1"), // overtakes m1: remembered
            recall("m2"), // held: applied
            recall("m3", operator = "mallory"), // forged operator: refused in phase one
            recall("m4", sender = "mallory"), // forged sender: refused when settled
            recall(""), // an invalid id: refused in its place
            recall("m1"), // m1 again, later in the page: it sees the first
        )
        val held = mapOf("m2" to held("m2", "alice"), "m4" to held("m4", "alice"))
        val taken = batched.onRecalls(recalls, now)
        val takenOneByOne = recalls.map {
            try {
                PendingResult.Pending(single.onRecall(it, now))
            } catch (refused: RecallException.Refused) {
                PendingResult.Refused(refused.reason)
            }
        }
        assertEquals(takenOneByOne, taken)
        val page = recalls.zip(taken).mapNotNull { (recall, answer) ->
            (answer as? PendingResult.Pending)?.let { ArrivingRecall(recall, it.pending, held[recall.messageId]) }
        }
        val answers = batched.settleAll(page)
        val oneByOne = page.map {
            try {
                RecallResult.Outcome(single.settle(it.recall, it.pending, it.held))
            } catch (refused: RecallException.Refused) {
                RecallResult.Refused(refused.reason)
            }
        }
        assertEquals(oneByOne, answers)
        val kinds = taken.map {
            when (it) {
                is PendingResult.Refused -> it.reason.id()
                is PendingResult.Pending -> "taken"
            }
        } + answers.map {
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
            listOf("taken", "taken", "operator_mismatch", "taken", "invalid_argument", "taken") +
                listOf("remembered", "applied", "sender_mismatch", "duplicate"),
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
        assertEquals(3L, batched.rememberedCount())
        assertTrue(single.export().contentEquals(batched.export()))
        assertEquals(emptyList<PendingResult>(), batched.onRecalls(emptyList(), later))
        assertEquals(emptyList<RecallResult>(), batched.settleAll(emptyList()))
        assertEquals(emptyList<ArrivalResult>(), batched.onMessages(emptyList(), later))
        listOf(batched, single).forEach { it.close() }
    }

    @Test
    fun `the state is shared across threads`() {
        RecallState("bob").use { state ->
            val pool = Executors.newFixedThreadPool(8)
            val results = (0 until 200).map { i ->
                pool.submit<RecallOutcome> {
                    val recall = RecallNotification(group, "m$i", "alice", "alice", Basis.SENDER, sentAt, null)
                    state.settle(recall, state.onRecall(recall, sentAt))
                }
            }
            results.forEach { assertEquals(RecallOutcome.Remembered, it.get()) }
            pool.shutdown()
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
            assertEquals(200L, state.rememberedCount())
        }
    }

    /**
     * The app's store for the race tests, following spec 6.8.3: one row per message id, and
     * every change one atomic update of the store. Showing is one conditional update that
     * shows, notifies and counts the message as unread only if the row still holds that
     * message (not a tombstone), built from the row; replacing with a tombstone is one update
     * that removes the content and undoes what the row records as done at that moment.
     */
    private class ChatRows {
        private class Row(val id: String, var text: String?) {
            var tombstone: Tombstone? = null
            var shown = false
            var countedUnread = false
            var notified = false
        }
        private val rows = HashMap<String, Row>()
        /** The posted notifications, by message id, with the text they show. */
        val notifications = HashMap<String, String>()
        var unread = 0
            private set

        @Synchronized fun insertHidden(id: String, text: String) { rows.getOrPut(id) { Row(id, text) } }

        /** Shows, notifies and counts the row only if it is still the message; false when not. */
        @Synchronized fun show(id: String): Boolean {
            val row = rows[id] ?: return false
            if (row.tombstone != null || row.shown) return false
            row.shown = true
            row.countedUnread = true
            unread++
            row.notified = true
            notifications[id] = row.text!! // built from the row, never from what arrived
            return true
        }

        /** The tombstone replaces the row, and what the row records as done is undone. */
        @Synchronized fun replace(id: String, with: Tombstone) {
            val row = rows.getOrPut(id) { Row(id, null) }
            row.text = null
            row.tombstone = with
            if (row.notified) notifications.remove(id).also { row.notified = false }
            if (row.countedUnread) unread--.also { row.countedUnread = false }
        }

        /** The lookup of 6.7.2: the committed row, as the held message. */
        @Synchronized fun held(id: String) = rows[id]?.let {
            HeldMessage(id, "g1", "alice", recalled = it.tombstone != null, unread = it.countedUnread,
                latest = it.shown, notificationShown = it.notified)
        }

        @Synchronized fun visible(id: String) = rows[id]?.text
        @Synchronized fun isTombstone(id: String) = rows[id]?.tombstone != null
    }

    @Test
    fun `a message and its recall on two threads leave no content, notification or unread count`() {
        val rounds = 2_000
        val kept = { i: Int -> i % 4 == 3 } // these messages are not recalled
        val store = ChatRows()
        val answers = ConcurrentHashMap<String, Int>()
        fun count(answer: String) = answers.merge(answer, 1, Int::plus)
        RecallState("bob").use { state ->
            val pool = Executors.newFixedThreadPool(2)
            val barrier = CyclicBarrier(2)
            val messages = pool.submit {
                for (i in 0 until rounds) {
                    barrier.await()
                    val message = ArrivingMessage("m$i", "g1", "alice")
                    // 6.8.1: store first, hidden; 6.8.2: then ask (admit does both, in order)
                    when (val arrival = state.admit(message, sentAt) { store.insertHidden(message.id, "secret $i") }) {
                        is Arrival.Show -> count(if (store.show(message.id)) "show" else "show, already a tombstone")
                        is Arrival.Tombstone -> store.replace(message.id, arrival.tombstone).also { count("tombstone") }
                    }
                }
            }
            val recalls = pool.submit {
                for (i in 0 until rounds) {
                    barrier.await()
                    if (kept(i)) continue
                    val recall = RecallNotification(group, "m$i", "alice", "alice", Basis.SENDER, sentAt, null)
                    // 6.7: onRecall, then the lookup, then settle (receiveBlocking does the three)
                    when (val outcome = state.receiveBlocking(recall, sentAt) { store.held(it.messageId) }) {
                        is RecallOutcome.Applied -> store.replace(recall.messageId, outcome.tombstone).also { count("applied") }
                        is RecallOutcome.Remembered -> count("remembered")
                        is RecallOutcome.Duplicate -> count("duplicate")
                    }
                }
            }
            messages.get(60, TimeUnit.SECONDS)
            recalls.get(60, TimeUnit.SECONDS)
            pool.shutdown()
            println("kotlin race, $rounds rounds: $answers")
            val recalled = (0 until rounds).filterNot(kept)
            for (i in recalled) {
                assertNull(store.visible("m$i"), "m$i is visible")
                assertTrue(store.isTombstone("m$i"), "m$i is no tombstone")
            }
            // No notification left for a recalled message, and the unread count exact: one per
            // message kept, none for a recalled one.
            val keptIds = (0 until rounds).filter(kept).map { "m$it" }
            assertEquals(keptIds.associateWith { "secret ${it.drop(1)}" }, store.notifications)
            assertEquals(keptIds.size, store.unread)
            assertEquals(recalled.size.toLong(), state.rememberedCount())
        }
    }
}
