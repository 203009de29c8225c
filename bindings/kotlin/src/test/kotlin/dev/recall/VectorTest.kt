// Replays every conformance vector under tests/vectors/ through the Kotlin binding three ways —
// decide, recall and decideEach — and requires each to give the vector's outcome, as
// ffi/tests/vectors.rs does in Rust: the three can never disagree.
package dev.recall

import java.io.File
import java.time.Instant
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class VectorTest {
    private val dir = File(System.getProperty("recall.test.vectors") ?: "../../tests/vectors")

    @Test
    fun `every vector agrees across decide, recall and decideEach`() {
        val files = dir.listFiles { file -> file.extension == "json" }.orEmpty().sortedBy { it.name }
        assertTrue(files.isNotEmpty(), "no vector files in ${dir.absolutePath}")
        var passed = 0
        val failures = mutableListOf<String>()
        for (file in files) {
            val vectors = JSONObject(file.readText()).getJSONArray("vectors")
            for (i in 0 until vectors.length()) {
                val vector = vectors.getJSONObject(i)
                val expected = expected(vector)
                val actual = threeWays(vector)
                if (actual.all { it == expected }) passed++
                else failures += "${file.name}: ${vector.getString("name")}\n  expected: $expected\n  got decide/recall/decideEach: $actual"
            }
        }
        println("kotlin vectors: $passed passed three ways, ${failures.size} failed")
        assertTrue(failures.isEmpty(), failures.joinToString("\n"))
        assertTrue(passed >= 381, "only $passed vectors")
    }

    /** The outcome as text: "allowed sender until <ms>", "allowed moderator", "refused <id>". */
    private fun expected(vector: JSONObject): String {
        val expect = vector.getJSONObject("expect")
        if (!expect.getBoolean("allowed")) return "refused ${expect.getString("reason")}"
        val basis = if (expect.getString("basis") == "sender") Basis.SENDER else Basis.MODERATOR
        val deadline = if (expect.isNull("deadline")) null else Instant.parse(expect.getString("deadline"))
        return allowed(basis, deadline)
    }

    private fun allowed(basis: Basis, deadline: Instant?): String {
        val name = when (basis) {
            Basis.SENDER -> "sender"
            Basis.MODERATOR -> "moderator"
            Basis.UNKNOWN -> "unknown"
        }
        return if (deadline == null) "allowed $name" else "allowed $name until ${deadline.toEpochMilli()}"
    }

    private data class Inputs(
        val request: RecallRequest,
        val actor: Operator,
        val message: StoredMessage,
        val now: Instant,
        val policy: RecallPolicy,
    )

    /** The vector's inputs, as spec 10.4 builds them: the policy first (it wins over everything). */
    private fun inputs(vector: JSONObject): Inputs {
        val policy = when (val spec = vector.get("policy")) {
            is JSONObject -> RecallPolicy.fromJson(spec.toString())
            else -> RecallPolicy.defaults()
        }
        val conversation = vector.getJSONObject("conversation")
        val message = vector.getJSONObject("message")
        val actor = vector.getJSONObject("actor")
        // A kind this binding does not know is the unknown kind (spec 8.3.1): decide refuses it.
        val kind = when (conversation.getString("kind")) {
            "direct" -> ConversationKind.DIRECT
            "group" -> ConversationKind.GROUP
            "room" -> ConversationKind.ROOM
            else -> ConversationKind.UNKNOWN
        }
        val request = RecallRequest(
            conversation.getString("id"),
            message.getString("id"),
            if (vector.isNull("ext")) null else vector.getString("ext"),
        )
        val stored = StoredMessage(
            message.getString("id"),
            Conversation(message.getString("conversation_id"), kind),
            message.getString("sender_id"),
            role(message, "sender_role"),
            MessageKind.valueOf(message.getString("kind").uppercase()),
            MessageState.valueOf(message.getString("state").uppercase()),
            Instant.parse(message.getString("sent_at")),
        )
        return Inputs(
            request,
            Operator(actor.getString("user_id"), role(actor, "role")),
            stored,
            Instant.parse(vector.getString("now")),
            policy,
        )
    }

    /** The outcomes of decide, recall and decideEach. */
    private fun threeWays(vector: JSONObject): List<String> {
        val inputs = try {
            inputs(vector)
        } catch (refused: RecallException.Refused) {
            return List(3) { "refused ${refused.reason.id()}" }
        }
        return inputs.policy.use { policy ->
            val (request, actor, message, now) = inputs
            val decided = outcome {
                val decision = policy.decide(request, actor, message, now)
                allowed(decision.basis, decision.deadline)
            }
            val recalled = outcome {
                val notification = policy.recall(request, actor, message, now)
                // A notification carries the decision's basis; its deadline is decide's to say.
                val deadline = try {
                    policy.decide(request, actor, message, now).deadline
                } catch (refused: RecallException.Refused) {
                    null
                }
                allowed(notification.basis, deadline)
            }
            val each = outcome {
                when (val answer = policy.decideEach(request.conversationId, actor, listOf(message), now, request.ext).single()) {
                    is Eligibility.Allowed -> allowed(answer.basis, answer.deadline)
                    is Eligibility.Refused -> "refused ${answer.reason.id()}"
                }
            }
            listOf(decided, recalled, each)
        }
    }

    private fun outcome(body: () -> String): String = try {
        body()
    } catch (refused: RecallException.Refused) {
        "refused ${refused.reason.id()}"
    }

    private fun role(obj: JSONObject, key: String): Role? =
        if (obj.isNull(key)) {
            null
        } else {
            when (obj.getString(key)) {
                "member" -> Role.MEMBER
                "admin" -> Role.ADMIN
                else -> Role.OWNER
            }
        }
}
