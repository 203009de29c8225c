// Replays every conformance vector under tests/vectors/ through the Kotlin binding; each must
// give the same outcome as in Rust (`cargo run --bin recall-vectors`).
package dev.recall

import java.io.File
import java.time.Instant
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class VectorTest {
    private val dir = File(System.getProperty("recall.test.vectors") ?: "../../tests/vectors")

    @Test
    fun `every vector gives the Rust outcome`() {
        val files = dir.listFiles { file -> file.extension == "json" }.orEmpty().sortedBy { it.name }
        assertTrue(files.isNotEmpty(), "no vector files in ${dir.absolutePath}")
        var passed = 0
        val failures = mutableListOf<String>()
        for (file in files) {
            val vectors = JSONObject(file.readText()).getJSONArray("vectors")
            for (i in 0 until vectors.length()) {
                val vector = vectors.getJSONObject(i)
                val expected = expected(vector)
                val actual = actual(vector)
                if (expected == actual) passed++
                else failures += "${file.name}: ${vector.getString("name")}\n  expected: $expected\n  got:      $actual"
            }
        }
        println("kotlin vectors: $passed passed, ${failures.size} failed")
        assertTrue(failures.isEmpty(), failures.joinToString("\n"))
        assertTrue(passed >= 80, "only $passed vectors")
    }

    /** The outcome as text: "allowed sender until <ms>", "allowed moderator", "refused <id>". */
    private fun expected(vector: JSONObject): String {
        val expect = vector.getJSONObject("expect")
        if (!expect.getBoolean("allowed")) return "refused ${expect.getString("reason")}"
        val basis = expect.getString("basis")
        val deadline = expect.optString("deadline", "")
        return if (deadline.isEmpty()) "allowed $basis" else "allowed $basis until ${Instant.parse(deadline).toEpochMilli()}"
    }

    private fun actual(vector: JSONObject): String = try {
        // The policy first, as in Rust: an invalid policy wins over everything.
        val policy = when (val spec = vector.get("policy")) {
            is JSONObject -> RecallPolicy.fromJson(spec.toString())
            else -> RecallPolicy.defaults()
        }
        val conversation = vector.getJSONObject("conversation")
        val actor = vector.getJSONObject("actor")
        val message = vector.getJSONObject("message")
        val request = RecallRequest(
            Conversation(conversation.getString("id"), ConversationKind.valueOf(conversation.getString("kind").uppercase())),
            message.getString("id"),
            Actor(actor.getString("user_id"), role(actor, "role")),
            if (vector.isNull("ext")) null else vector.getString("ext"),
        )
        val stored = StoredMessage(
            message.getString("id"),
            message.getString("conversation_id"),
            message.getString("sender_id"),
            role(message, "sender_role"),
            MessageKind.valueOf(message.getString("kind").uppercase()),
            MessageState.valueOf(message.getString("state").uppercase()),
            Instant.parse(message.getString("sent_at")),
        )
        val decision = policy.use { it.decide(request, stored, Instant.parse(vector.getString("now"))) }
        val basis = decision.basis.name.lowercase()
        decision.deadline?.let { "allowed $basis until ${it.toEpochMilli()}" } ?: "allowed $basis"
    } catch (refused: RecallException.Refused) {
        "refused ${refused.reasonId}"
    }

    private fun role(obj: JSONObject, key: String): Role? =
        if (obj.isNull(key)) null else Role.valueOf(obj.getString(key).uppercase())
}
