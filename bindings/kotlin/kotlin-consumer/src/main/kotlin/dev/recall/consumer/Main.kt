// A Kotlin 2.0 program using dev.recall:recall as an app and a server would: it compiles only
// if Kotlin 2.0 reads the jar's metadata (data objects, companions, extension functions), and
// runs only if the jar calls nothing newer than Kotlin 2.0's standard library. Prints each
// answer; exits 1 when one is not what the spec says.
package dev.recall.consumer

import dev.recall.Operator
import dev.recall.Arrival
import dev.recall.ArrivingMessage
import dev.recall.Basis
import dev.recall.Conversation
import dev.recall.ConversationKind
import dev.recall.HeldMessage
import dev.recall.MessageKind
import dev.recall.MessageState
import dev.recall.Reason
import dev.recall.RecallException
import dev.recall.RecallNotification
import dev.recall.RecallOutcome
import dev.recall.RecallPolicy
import dev.recall.RecallRequest
import dev.recall.RecallState
import dev.recall.RecalledBy
import dev.recall.Role
import dev.recall.StoredMessage
import dev.recall.admit
import dev.recall.fromId
import dev.recall.id
import dev.recall.receiveBlocking
import java.time.Instant
import kotlin.system.exitProcess

private var wrong = 0

private fun check(ok: Boolean, what: String) {
    println((if (ok) "ok: " else "WRONG: ") + what)
    if (!ok) wrong++
}

fun main() {
    // The standard library on the classpath is Kotlin 2.0's, not the jar's newer one.
    check(KotlinVersion.CURRENT < KotlinVersion(2, 1), "runs on Kotlin's standard library ${KotlinVersion.CURRENT}")
    val sentAt = Instant.parse("2026-01-01T00:00:00Z")
    val team = Conversation("team", ConversationKind.GROUP)
    val message = StoredMessage("m42", team, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt)
    val request = RecallRequest("team", "m42")
    val recall: RecallNotification = RecallPolicy.defaults().use { policy ->
        try {
            policy.decide(request, Operator("alice", Role.MEMBER), message, sentAt.plusSeconds(121))
            check(false, "refused after the window")
        } catch (e: RecallException.Refused) {
            check(e.reason == Reason.WindowExpired && e.reason.id() == "window_expired", "refused: ${e.reason}")
        }
        policy.recall(request, Operator("alice", Role.MEMBER), message, sentAt.plusSeconds(30))
    }
    check(RecallNotification.fromJson(recall.toJson()) == recall, "the notification round trips in JSON")
    check(RecallNotification.fromProtobuf(recall.toProtobuf()) == recall, "and in protobuf")
    check(recall.basis.id == "sender" && Basis.fromId("sender") == Basis.SENDER, "enum ids")

    RecallState("bob").use { state ->
        val outcome = state.receiveBlocking(recall, sentAt.plusSeconds(31)) { null }
        check(outcome == RecallOutcome.Remembered && outcome.toString() == "Remembered", "remembered: $outcome")
        val stored = mutableListOf<String>()
        val arrival = state.admit(ArrivingMessage("m42", "team", "alice"), sentAt.plusSeconds(32)) { stored += "m42" }
        val tombstone = (arrival as? Arrival.Tombstone)?.tombstone
        check(stored == listOf("m42") && tombstone?.recalledBy == RecalledBy.SENDER, "the message arrives as a tombstone")
        val again = state.receiveBlocking(recall) { HeldMessage("m42", "team", "alice", recalled = true) }
        check(again == RecallOutcome.Duplicate, "a redelivery is a duplicate: $again")
    }
    println(if (wrong == 0) "kotlin-consumer: all answers right" else "kotlin-consumer: $wrong wrong answer(s)")
    exitProcess(if (wrong == 0) 0 else 1)
}
