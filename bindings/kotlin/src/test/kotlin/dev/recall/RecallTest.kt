// Every exported function and type of the Kotlin binding, through the real library.
package dev.recall

import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

val base: Instant = Instant.parse("2026-01-01T00:00:00.000Z")

fun groupRequest(actor: String, role: Role?, ext: String? = null) =
    RecallRequest(Conversation("g1", ConversationKind.GROUP), "m1", Actor(actor, role), ext)

fun message(
    sender: String = "alice",
    senderRole: Role? = Role.MEMBER,
    kind: MessageKind = MessageKind.TEXT,
    state: MessageState = MessageState.SENT,
    sentAt: Instant = base,
) = StoredMessage("m1", "g1", sender, senderRole, kind, state, sentAt)

/** Runs [body], expects a refusal, checks its fields agree, and returns its reason id. */
fun refusal(body: () -> Any?): String {
    val error = assertThrows<RecallException.Refused> { body() }
    assertEquals(reasonId(error.reason), error.reasonId)
    assertEquals(reasonCode(error.reason), error.code)
    assertTrue(error.description.isNotEmpty())
    return error.reasonId
}

class PolicyTest {
    @Test
    fun `defaults match the spec`() {
        RecallPolicy.defaults().use { policy ->
            val config = policy.config()
            assertEquals(120u, config.windowSecs)
            assertEquals(listOf(Role.OWNER, Role.ADMIN), config.moderators)
            assertTrue(config.moderatorsBypassWindow)
            assertEquals(Moderation.OUTRANK, config.moderation)
            assertEquals(listOf(MessageKind.COMMAND, MessageKind.NOTIFICATION), config.excludedKinds)
            assertEquals(200u, config.maxExtBytes)
        }
    }

    @Test
    fun `custom policy and its bounds`() {
        val config = RecallPolicy.defaults().config()
            .copy(windowSecs = 300u, moderation = Moderation.ANY, excludedKinds = listOf(MessageKind.VIDEO))
        RecallPolicy(config).use { policy ->
            assertEquals(300u, policy.config().windowSecs)
            assertEquals(
                listOf(MessageKind.VIDEO, MessageKind.COMMAND, MessageKind.NOTIFICATION),
                policy.config().excludedKinds,
            )
        }
        assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(windowSecs = 604_801u)) })
        assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(maxExtBytes = 4097u)) })
        assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(moderators = listOf(Role.MEMBER))) })
    }

    @Test
    fun `policy json`() {
        RecallPolicy.fromJson("""{"window_secs": 60}""").use { policy ->
            assertEquals(60u, policy.config().windowSecs)
            assertTrue(policy.toJson().contains(""""window_secs":60"""))
        }
        assertEquals("invalid_policy", refusal { RecallPolicy.fromJson("""{"window_sec": 60}""") })
        assertEquals("malformed_input", refusal { RecallPolicy.fromJson("{") })
        assertEquals("input_too_large", refusal { RecallPolicy.fromJson(" ".repeat(70_000) + "{}") })
    }
}

class DecisionTest {
    private val policy = RecallPolicy.defaults()

    @Test
    fun `sender within the window gets a deadline`() {
        val decision = policy.decide(groupRequest("alice", Role.MEMBER), message(), base.plusSeconds(120))
        assertEquals(Basis.SENDER, decision.basis)
        assertEquals(base.plusSeconds(120), decision.deadline)
    }

    @Test
    fun `window boundary to the millisecond`() {
        val late = base.plusMillis(120_001)
        assertEquals("window_expired", refusal { policy.decide(groupRequest("alice", Role.MEMBER), message(), late) })
    }

    @Test
    fun `moderator bypasses the window`() {
        val decision = policy.decide(groupRequest("olga", Role.OWNER), message(), base.plusSeconds(86_400))
        assertEquals(Basis.MODERATOR, decision.basis)
        assertNull(decision.deadline)
    }

    @Test
    fun `refusals are thrown with their reason`() {
        assertEquals("not_sender", refusal { policy.decide(groupRequest("bob", Role.MEMBER), message(), base) })
        assertEquals(
            "insufficient_role",
            refusal { policy.decide(groupRequest("adam", Role.ADMIN), message(senderRole = Role.OWNER), base) },
        )
        assertEquals("not_in_conversation", refusal { policy.decide(groupRequest("alice", null), message(), base) })
        assertEquals(
            "kind_not_recallable",
            refusal { policy.decide(groupRequest("alice", Role.MEMBER), message(kind = MessageKind.COMMAND), base) },
        )
        assertEquals(
            "already_recalled",
            refusal { policy.decide(groupRequest("alice", Role.MEMBER), message(state = MessageState.RECALLED), base) },
        )
    }

    @Test
    fun `the exception carries enum, id and code`() {
        val error = assertThrows<RecallException.Refused> {
            policy.decide(groupRequest("alice", Role.MEMBER), message(), base.plusSeconds(121))
        }
        assertEquals(Reason.WINDOW_EXPIRED, error.reason)
        assertEquals("window_expired", error.reasonId)
        assertEquals(11.toUShort(), error.code)
    }

    @Test
    fun `invalid ids, oversized ext and out-of-range times are typed errors`() {
        for (bad in listOf("", "a".repeat(257), "a\u0007", "a\u0085")) {
            assertEquals("invalid_argument", refusal { policy.decide(groupRequest(bad, Role.MEMBER), message(), base) })
        }
        val longExt = "中".repeat(67) // 201 bytes
        assertEquals(
            "ext_too_large",
            refusal { policy.decide(groupRequest("alice", Role.MEMBER, longExt), message(), base) },
        )
        for (outOfRange in listOf(Instant.parse("+12000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.MAX, Instant.MIN)) {
            assertEquals(
                "invalid_argument",
                refusal { policy.decide(groupRequest("alice", Role.MEMBER), message(), outOfRange) },
                outOfRange.toString(),
            )
        }
    }

    @Test
    fun `timestamps round to the nearest millisecond, halves up`() {
        // Timestamps cross as milliseconds: the deadline comes back as the millisecond that
        // sentAt rounds to, plus the 2-minute window.
        val cases = listOf(
            1_000_999_999L to 1001L, 1_000_499_999L to 1000L, 1_000_500_000L to 1001L,
            -1_000_500_000L to -1000L, -1_000_500_001L to -1001L, -400_000L to 0L,
        )
        for ((nanos, millis) in cases) {
            val sent = base.plusNanos(nanos)
            val decision = policy.decide(groupRequest("alice", Role.MEMBER), message(sentAt = sent), sent)
            assertEquals(base.plusMillis(millis + 120_000), decision.deadline, "$nanos ns")
        }
    }

    @Test
    fun `recall builds the notification`() {
        val notification = policy.recall(groupRequest("olga", Role.OWNER, "spam"), message(), base.plusSeconds(3600))
        assertEquals(Conversation("g1", ConversationKind.GROUP), notification.conversation)
        assertEquals("m1", notification.messageId)
        assertEquals("alice", notification.senderId)
        assertEquals("olga", notification.operatorId)
        assertEquals(Basis.MODERATOR, notification.basis)
        assertEquals(base.plusSeconds(3600), notification.recalledAt)
        assertEquals("spam", notification.ext)
    }

    @Test
    fun `decideEach answers a screen in one call`() {
        val messages = listOf(
            message(), message(sender = "bob"), message(state = MessageState.SENDING),
            StoredMessage("", "g1", "alice", null, MessageKind.TEXT, MessageState.SENT, base),
        )
        val answers = policy.decideEach(Conversation("g1", ConversationKind.GROUP), Actor("alice", Role.MEMBER), messages, base.plusSeconds(10))
        assertEquals(
            listOf(
                Eligibility.Allowed(Basis.SENDER, base.plusSeconds(120)),
                Eligibility.Refused(Reason.NOT_SENDER),
                Eligibility.Refused(Reason.NOT_SENT),
                Eligibility.Refused(Reason.INVALID_ARGUMENT),
            ),
            answers,
        )
        assertEquals(
            "invalid_argument",
            refusal { policy.decideEach(Conversation("", ConversationKind.GROUP), Actor("alice", Role.MEMBER), emptyList(), base) },
        )
        noop()
    }

    @Test
    fun `the policy is shared across threads`() {
        val pool = Executors.newFixedThreadPool(8)
        val results = (0 until 64).map { i ->
            pool.submit<Basis> {
                policy.decide(groupRequest("alice", Role.MEMBER), message(), base.plusSeconds(i.toLong())).basis
            }
        }
        results.forEach { assertEquals(Basis.SENDER, it.get()) }
        pool.shutdown()
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
    }
}

class WireTest {
    @Test
    fun `request round trips`() {
        val request = groupRequest("adam", Role.ADMIN, "广告")
        assertEquals(request, requestFromProtobuf(requestToProtobuf(request)))
        val json = requestToJson(request)
        assertTrue(json.contains(""""kind":"group""""))
        assertEquals(request, requestFromJson(json))
    }

    @Test
    fun `notification round trips`() {
        val notification = RecallPolicy.defaults().recall(groupRequest("alice", Role.MEMBER), message(), base.plusMillis(1500))
        assertEquals(notification, notificationFromProtobuf(notificationToProtobuf(notification)))
        val json = notificationToJson(notification)
        assertTrue(json.contains(""""recalled_at":"2026-01-01T00:00:01.500Z""""), json)
        assertEquals(notification, notificationFromJson(json))
    }

    @Test
    fun `rejection and reasons`() {
        assertEquals(Reason.NOT_SENDER, rejectionFromProtobuf(rejectionToProtobuf(Reason.NOT_SENDER)))
        assertEquals(Reason.WINDOW_EXPIRED, reasonFromId("window_expired"))
        assertNull(reasonFromId("nope"))
        assertEquals(21.toUShort(), reasonCode(Reason.INPUT_TOO_LARGE))
        assertEquals("malformed_input", reasonId(Reason.MALFORMED_INPUT))
    }

    @Test
    fun `garbage and oversized input are typed errors`() {
        assertEquals("malformed_input", refusal { requestFromProtobuf(byteArrayOf(-1, -1, -1)) })
        assertEquals("input_too_large", refusal { notificationFromProtobuf(ByteArray(9000)) })
        assertEquals("invalid_argument", refusal { rejectionFromProtobuf(byteArrayOf(0x08, 0x63)) })
        assertEquals("malformed_input", refusal { requestFromJson("not json") })
        assertEquals("invalid_argument", refusal { notificationFromJson("{}") })
        val notification = RecallNotification(
            Conversation("d1", ConversationKind.DIRECT), "m1", "a", "a", Basis.SENDER, base, "x".repeat(4097),
        )
        assertEquals("ext_too_large", refusal { notificationToProtobuf(notification) })
        assertEquals("invalid_argument", refusal { notificationToJson(notification.copy(ext = null, operatorId = "")) })
    }
}
