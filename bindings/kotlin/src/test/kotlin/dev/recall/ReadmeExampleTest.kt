// The Kotlin example of the README, compiled and run. tests/tests/readme.rs checks that the
// README shows exactly the lines between the markers.
package dev.recall

import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class ReadmeExampleTest {
    @Test
    fun `readme example`() {
        // What the example calls: the app's menu, its network and its log.
        val offered = mutableMapOf<String, Instant?>()
        val hidden = mutableListOf<String>()
        val sent = mutableListOf<ByteArray>()
        val logged = mutableListOf<String>()
        fun offerRecall(id: String, until: Instant?) { offered[id] = until }
        fun hideRecall(id: String) { hidden += id }
        fun send(bytes: ByteArray) { sent += bytes }
        fun log(line: String) { logged += line }

        // README:begin
        // Who acts: the signed-in user and their role in this group, from the app's own state.
        val me = Operator("alice", Role.MEMBER)
        val team = Conversation("team", ConversationKind.GROUP)
        val sentAt = Instant.parse("2026-01-01T00:00:00.000Z") // the server timestamps
        val screen = listOf(
            StoredMessage("m42", team, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt),
            StoredMessage("m43", team, "bob", Role.ADMIN, MessageKind.TEXT, MessageState.SENT, sentAt),
        )

        // or RecallPolicy(config), RecallPolicy.fromJson(json); `use` closes it (or call close())
        RecallPolicy.defaults().use { policy ->
            // The message menu: one call answers for the whole screen.
            val answers = policy.decideEach(team.id, me, screen, sentAt.plusSeconds(90), null)
            for ((message, answer) in screen.zip(answers)) {
                when (answer) {
                    is Eligibility.Allowed -> offerRecall(message.id, until = answer.deadline) // m42: sentAt + 2 min
                    is Eligibility.Refused -> hideRecall(message.id) // m43: answer.reason is Reason.NotSender
                }
            }

            // "Recall" tapped: check once more, then send the request to your server.
            val request = RecallRequest(team.id, "m42")
            try {
                policy.decide(request, me, screen[0], sentAt.plusSeconds(121))
                send(request.toProtobuf())
            } catch (e: RecallException.Refused) {
                log("recall refused: ${e.reason.id()} (${e.reason.code()})") // window_expired (11)
            }
        }
        // README:end
        assertEquals(mapOf("m42" to sentAt.plusSeconds(120)), offered)
        assertEquals(listOf("m43"), hidden)
        assertEquals(emptyList<ByteArray>(), sent)
        assertEquals(listOf("recall refused: window_expired (11)"), logged)
    }
}
