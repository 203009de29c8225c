// Replays every client scenario under tests/scenarios/ through the Kotlin binding; each step
// must give the same answer as in Rust (`cargo run --bin recall-scenarios`). Each scenario is
// replayed twice: step by step, then with consecutive recall steps and consecutive message
// steps at the same `now` passed as one page (`onRecalls` then `settleAll`, `onMessages`,
// spec 6.13). A recall step is both phases: `onRecall`, then `settle` with its held message. A page
// has one `now`, so steps at different times stay in pages of their own: merging them would
// move the clock of the earlier steps, which the age scenarios check.
package dev.recall

import java.io.File
import java.time.Instant
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ScenarioTest {
    private val dir = File(System.getProperty("recall.test.vectors") ?: "../../tests/vectors").resolveSibling("scenarios")

    @Test
    fun `every scenario gives the Rust answers`() = replay(pages = false)

    @Test
    fun `every scenario gives the Rust answers in pages`() = replay(pages = true)

    /** Steps answered inside a page of more than one, in the paged replay. */
    private var paged = 0

    private fun replay(pages: Boolean) {
        val files = dir.listFiles { file -> file.extension == "json" }.orEmpty().sortedBy { it.name }
        assertTrue(files.isNotEmpty(), "no scenario files in ${dir.absolutePath}")
        var passed = 0
        val failures = mutableListOf<String>()
        for (file in files) {
            val scenarios = JSONObject(file.readText()).getJSONArray("scenarios")
            for (i in 0 until scenarios.length()) {
                val scenario = scenarios.getJSONObject(i)
                val problems = run(scenario, pages)
                if (problems.isEmpty()) passed++
                else failures += "${file.name}: ${scenario.getString("name")}\n" + problems.joinToString("\n")
            }
        }
        println("kotlin scenarios${if (pages) " in pages ($paged steps in pages of 2 or more)" else ""}: $passed passed, ${failures.size} failed")
        assertTrue(failures.isEmpty(), failures.joinToString("\n"))
        assertTrue(passed >= 40, "only $passed scenarios")
    }

    private fun kind(step: JSONObject) = listOf("recall", "legacy_command", "message").firstOrNull { step.has(it) } ?: "restart"

    private fun run(scenario: JSONObject, pages: Boolean): List<String> {
        val me = scenario.getString("me")
        var limits = defaultClientLimits()
        scenario.optJSONObject("limits")?.let { given ->
            if (given.has("max_recalls")) limits = limits.copy(maxRecalls = given.getLong("max_recalls").toInt())
            if (given.has("max_age_secs")) limits = limits.copy(maxAgeSecs = given.getLong("max_age_secs").toInt())
            if (given.has("max_bytes")) limits = limits.copy(maxBytes = given.getLong("max_bytes").toInt())
        }
        var state = RecallState(me, limits)
        val failures = mutableListOf<String>()
        val steps = scenario.getJSONArray("steps")
        var index = 0
        while (index < steps.length()) {
            val step = steps.getJSONObject(index)
            val now = Instant.parse(step.getString("now"))
            val expect = step.getJSONObject("expect")
            val kind = kind(step)
            if (pages && (kind == "recall" || kind == "message")) {
                // The page: this step and the next ones of the same kind at the same time.
                var end = index + 1
                while (end < steps.length() && kind(steps.getJSONObject(end)) == kind &&
                    steps.getJSONObject(end).getString("now") == step.getString("now")
                ) end++
                val page = (index until end).map { steps.getJSONObject(it) }
                if (page.size > 1) paged += page.size
                val actuals = if (kind == "recall") {
                    // Phase one for the page, then phase two for the recalls it took, in order.
                    val recalls = page.map { notification(it.getJSONObject("recall")) }
                    val taken = state.onRecalls(recalls, now)
                    val looked = taken.indices.mapNotNull { i ->
                        (taken[i] as? PendingResult.Pending)?.let { ArrivingRecall(recalls[i], it.pending, held(page[i])) }
                    }
                    val settled = state.settleAll(looked).iterator()
                    taken.map { answer ->
                        when (answer) {
                            is PendingResult.Refused -> "rejected ${answer.reason.id()}"
                            is PendingResult.Pending -> when (val it = settled.next()) {
                                is RecallResult.Outcome -> answer { it.outcome }
                                is RecallResult.Refused -> "rejected ${it.reason.id()}"
                            }
                        }
                    }
                } else {
                    state.onMessages(page.map { arriving(it.getJSONObject("message")) }, now).map {
                        when (it) {
                            is ArrivalResult.Arrival -> arrival(it.arrival)
                            is ArrivalResult.Refused -> "rejected ${it.reason.id()}"
                        }
                    }
                }
                page.forEachIndexed { i, item ->
                    val expected = if (kind == "recall") outcome(item.getJSONObject("expect")) else arrival(item.getJSONObject("expect"))
                    if (expected != actuals[i]) {
                        failures += "  step ${index + i + 1} (in a page of ${page.size}):\n    expected: $expected\n    got:      ${actuals[i]}"
                    }
                }
                index = end
                continue
            }
            val (expected, actual) = when {
                step.has("recall") -> outcome(expect) to answer {
                    val recall = notification(step.getJSONObject("recall"))
                    state.settle(recall, state.onRecall(recall, now), held(step))
                }
                step.has("legacy_command") -> outcome(expect) to answer {
                    // Translated to its recall (spec 7.2), then both phases.
                    val recall = legacyCommandToRecall(legacy(step.getJSONObject("legacy_command")))
                    state.settle(recall, state.onRecall(recall, now), held(step))
                }
                step.has("message") -> arrival(expect) to arrival(state.onMessage(arriving(step.getJSONObject("message")), now))
                else -> {
                    val restored = RecallState.restore(me, limits, state.export(), now)
                    state.close()
                    state = restored
                    "remembered ${expect.getInt("remembered")}" to "remembered ${state.rememberedCount()}"
                }
            }
            if (expected != actual) failures += "  step ${index + 1}:\n    expected: $expected\n    got:      $actual"
            index++
        }
        state.close()
        return failures
    }

    private fun answer(body: () -> RecallOutcome): String = try {
        when (val outcome = body()) {
            is RecallOutcome.Applied -> "applied " + describe(outcome.tombstone) + " " + describe(outcome.effects)
            is RecallOutcome.Remembered -> "remembered"
            is RecallOutcome.Duplicate -> "duplicate"
        }
    } catch (refused: RecallException.Refused) {
        "rejected ${refused.reason.id()}"
    }

    private fun arriving(message: JSONObject) =
        ArrivingMessage(message.getString("id"), message.getString("conversation_id"), message.getString("sender_id"))

    private fun arrival(arrival: Arrival) = when (arrival) {
        is Arrival.Show -> "show"
        is Arrival.Tombstone -> "tombstone " + describe(arrival.tombstone)
    }

    private fun arrival(expect: JSONObject) =
        if (expect.getString("arrival") == "show") "show" else "tombstone " + tombstone(expect.getJSONObject("tombstone"))

    private fun outcome(expect: JSONObject): String = when (val kind = expect.getString("outcome")) {
        "applied" -> "applied " + tombstone(expect.getJSONObject("tombstone")) + " " + effects(expect.getJSONObject("effects"))
        "rejected" -> "rejected ${expect.getString("reason")}"
        else -> kind
    }

    private val effectKeys = listOf(
        "delete_attachments", "drop_from_search_index", "cancel_notification", "refresh_preview", "decrement_unread", "redact_quotes",
    )

    private fun effects(json: JSONObject) = effectKeys.joinToString("") { if (json.optBoolean(it, false)) "1" else "0" }

    private fun describe(e: Effects) = listOf(
        e.deleteAttachments, e.dropFromSearchIndex, e.cancelNotification, e.refreshPreview, e.decrementUnread, e.redactQuotes,
    ).joinToString("") { if (it) "1" else "0" }

    private fun tombstone(json: JSONObject): String {
        val conversation = json.getJSONObject("conversation")
        return listOf(
            conversation.getString("id"), conversation.getString("kind"), json.getString("message_id"), json.getString("sender_id"),
            json.getString("operator_id"), json.getString("recalled_by"), json.getString("basis"),
            Instant.parse(json.getString("recalled_at")).toEpochMilli().toString(),
            if (json.isNull("ext")) "nil" else json.getString("ext"),
        ).joinToString("|")
    }

    private fun describe(t: Tombstone) = listOf(
        t.conversation.id, t.conversation.kind.name.lowercase(), t.messageId, t.senderId, t.operatorId,
        t.recalledBy.name.lowercase(), t.basis.name.lowercase(), t.recalledAt.toEpochMilli().toString(), t.ext ?: "nil",
    ).joinToString("|")

    private fun conversation(json: JSONObject) =
        Conversation(json.getString("id"), ConversationKind.valueOf(json.getString("kind").uppercase()))

    private fun notification(json: JSONObject) = RecallNotification(
        conversation(json.getJSONObject("conversation")), json.getString("message_id"), json.getString("sender_id"),
        json.getString("operator_id"), Basis.valueOf(json.getString("basis").uppercase()),
        Instant.parse(json.getString("recalled_at")), if (json.isNull("ext")) null else json.getString("ext"),
    )

    private fun legacy(json: JSONObject): LegacyCommand {
        val attributes = json.optJSONObject("attributes")
        return LegacyCommand(
            conversation(json.getJSONObject("conversation")), json.getString("from"), json.getString("action"),
            attributes?.keySet()?.associateWith { attributes.getString(it) } ?: emptyMap(),
            Instant.parse(json.getString("sent_at")),
        )
    }

    private fun held(step: JSONObject): HeldMessage? {
        if (!step.has("held") || step.isNull("held")) return null
        val json = step.getJSONObject("held")
        return HeldMessage(
            json.getString("id"), json.getString("conversation_id"), json.getString("sender_id"),
            recalled = json.optBoolean("recalled"), unread = json.optBoolean("unread"), latest = json.optBoolean("latest"),
            hasAttachments = json.optBoolean("has_attachments"), notificationShown = json.optBoolean("notification_shown"),
        )
    }
}
