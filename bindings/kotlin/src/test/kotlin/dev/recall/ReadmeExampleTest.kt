// The Kotlin example of the README, compiled and run. tests/tests/readme.rs checks that the
// README shows exactly the lines between the markers.
package dev.recall

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class ReadmeExampleTest {
    @Test
    fun `readme example`() {
        var offered: Instant? = null
        var refusedWith: Reason? = null
        // README:begin
        val policy = RecallPolicy.defaults() // or RecallPolicy(config), RecallPolicy.fromJson(json)
        val sentAt = Instant.parse("2026-01-01T00:00:00.000Z") // the server timestamp
        val message = StoredMessage(
            "m42", "team", "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt,
        )
        val request = RecallRequest(
            Conversation("team", ConversationKind.GROUP), "m42", Actor("alice", Role.MEMBER), null,
        )

        // Offer "Recall" in the message menu until the deadline.
        val decision = policy.decide(request, message, sentAt.plusSeconds(90))
        offered = decision.deadline // sentAt + 2 minutes

        // After the window, the same question is refused with a typed exception.
        try {
            policy.decide(request, message, sentAt.plusSeconds(121))
        } catch (e: RecallException.Refused) {
            refusedWith = e.reason // Reason.WINDOW_EXPIRED, "window_expired", 11
            println("refused: ${e.reasonId} (${e.code})")
        }
        // README:end
        assertEquals(sentAt.plusSeconds(120), offered)
        assertEquals(Reason.WINDOW_EXPIRED, refusedWith)
    }
}
