// Every exported function and type of the Kotlin binding, through the real library, and the
// hand-written additions of Idioms.kt.
package dev.recall

import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

val base: Instant = Instant.parse("2026-01-01T00:00:00.000Z")

val group = Conversation("g1", ConversationKind.GROUP)

/** What a client asks: recall m1 in g1. */
fun request(ext: String? = null) = RecallRequest("g1", "m1", ext)

fun message(
    sender: String = "alice",
    senderRole: Role? = Role.MEMBER,
    kind: MessageKind = MessageKind.TEXT,
    state: MessageState = MessageState.SENT,
    sentAt: Instant = base,
    conversation: Conversation = group,
) = StoredMessage("m1", conversation, sender, senderRole, kind, state, sentAt)

/** Runs [body], expects a refusal, checks its reason, id, code and detail agree, returns the id. */
fun refusal(body: () -> Any?): String {
    val error = assertThrows<RecallException.Refused> { body() }
    assertEquals(error.reason.id(), error.id)
    assertEquals(error.reason.code(), error.code)
    assertTrue(error.detail.isNotEmpty())
    assertTrue(error.reason.isKnown())
    return error.reason.id()
}

/** Every reason of spec §9 with its id and code. */
val reasonTable: List<Triple<Reason, String, Int>> = listOf(
    Triple(Reason.InvalidPolicy, "invalid_policy", 1),
    Triple(Reason.InvalidArgument, "invalid_argument", 2),
    Triple(Reason.NotFound, "not_found", 3),
    Triple(Reason.NotInConversation, "not_in_conversation", 4),
    Triple(Reason.ExtTooLarge, "ext_too_large", 5),
    Triple(Reason.NotSent, "not_sent", 6),
    Triple(Reason.AlreadyRecalled, "already_recalled", 7),
    Triple(Reason.KindNotRecallable, "kind_not_recallable", 8),
    Triple(Reason.NotSender, "not_sender", 9),
    Triple(Reason.InsufficientRole, "insufficient_role", 10),
    Triple(Reason.WindowExpired, "window_expired", 11),
    Triple(Reason.MalformedInput, "malformed_input", 20),
    Triple(Reason.InputTooLarge, "input_too_large", 21),
    Triple(Reason.SenderMismatch, "sender_mismatch", 30),
    Triple(Reason.OperatorMismatch, "operator_mismatch", 31),
    Triple(Reason.ConversationMismatch, "conversation_mismatch", 32),
    Triple(Reason.NotRecallCommand, "not_recall_command", 33),
)

class PolicyTest {
    @Test
    fun `defaults match the spec`() {
        RecallPolicy.defaults().use { policy ->
            val config = policy.config()
            assertEquals(120, config.windowSecs)
            assertEquals(listOf(Role.OWNER, Role.ADMIN), config.moderators)
            assertTrue(config.moderatorsBypassWindow)
            assertEquals(Moderation.OUTRANK, config.moderation)
            assertEquals(listOf(MessageKind.COMMAND, MessageKind.NOTIFICATION), config.excludedKinds)
            assertEquals(200, config.maxExtBytes)
        }
    }

    @Test
    fun `policy config record defaults are the spec's`() {
        val config = PolicyConfig(
            moderators = listOf(Role.OWNER, Role.ADMIN),
            moderation = Moderation.OUTRANK,
            excludedKinds = emptyList(),
        )
        assertEquals(120, config.windowSecs)
        assertTrue(config.moderatorsBypassWindow)
        assertEquals(200, config.maxExtBytes)
        RecallPolicy(config).use { policy ->
            RecallPolicy.defaults().use { defaults -> assertEquals(defaults.config(), policy.config()) }
        }
    }

    @Test
    fun `custom policy and its bounds`() {
        val config = RecallPolicy.defaults().use { it.config() }
            .copy(windowSecs = 300, moderation = Moderation.ANY, excludedKinds = listOf(MessageKind.VIDEO))
        RecallPolicy(config).use { policy ->
            assertEquals(300, policy.config().windowSecs)
            assertEquals(
                listOf(MessageKind.VIDEO, MessageKind.COMMAND, MessageKind.NOTIFICATION),
                policy.config().excludedKinds,
            )
        }
        RecallPolicy(config.copy(windowSecs = 0, maxExtBytes = 0)).close()
        RecallPolicy(config.copy(windowSecs = 604_800, maxExtBytes = 4096)).close()
        assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(windowSecs = 604_801)) })
        assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(maxExtBytes = 4097)) })
        assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(moderators = listOf(Role.MEMBER))) })
    }

    @Test
    fun `negative numbers are refused with invalid_policy`() {
        val config = RecallPolicy.defaults().use { it.config() }
        for (bad in listOf(-1, -120, Int.MIN_VALUE)) {
            assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(windowSecs = bad)) }, "window $bad")
            assertEquals("invalid_policy", refusal { RecallPolicy(config.copy(maxExtBytes = bad)) }, "ext $bad")
        }
        assertEquals("invalid_policy", refusal { RecallPolicy.fromJson("""{"window_secs": -1}""") })
    }

    @Test
    fun `policy json`() {
        RecallPolicy.fromJson("""{"window_secs": 60}""").use { policy ->
            assertEquals(60, policy.config().windowSecs)
            assertTrue(policy.toJson().contains(""""window_secs":60"""))
        }
        assertEquals("invalid_policy", refusal { RecallPolicy.fromJson("""{"window_sec": 60}""") })
        assertEquals("malformed_input", refusal { RecallPolicy.fromJson("{") })
        assertEquals("input_too_large", refusal { RecallPolicy.fromJson(" ".repeat(70_000) + "{}") })
    }

    @Test
    fun `use closes the policy and close is idempotent`() {
        val policy = RecallPolicy.defaults()
        val basis = policy.use { it.decide(request(), Operator("alice", Role.MEMBER), message(), base).basis }
        assertEquals(Basis.SENDER, basis)
        assertTrue(policy.uniffiIsDestroyed)
        assertThrows<IllegalStateException> { policy.config() }
        policy.close() // a second close does nothing

        val other = RecallPolicy.defaults()
        other.close()
        assertTrue(other.uniffiIsDestroyed)
        assertThrows<IllegalStateException> { other.decide(request(), Operator("alice", Role.MEMBER), message(), base) }
    }
}

class DecisionTest {
    private val policy = RecallPolicy.defaults()
    private val alice = Operator("alice", Role.MEMBER)

    @Test
    fun `sender within the window gets a deadline`() {
        val decision = policy.decide(request(), alice, message(), base.plusSeconds(120))
        assertEquals(Decision(Basis.SENDER, base.plusSeconds(120)), decision)
    }

    @Test
    fun `window boundary to the millisecond`() {
        assertEquals("window_expired", refusal { policy.decide(request(), alice, message(), base.plusMillis(120_001)) })
    }

    @Test
    fun `moderator bypasses the window`() {
        val decision = policy.decide(request(), Operator("olga", Role.OWNER), message(), base.plusSeconds(86_400))
        assertEquals(Basis.MODERATOR, decision.basis)
        assertNull(decision.deadline)
    }

    @Test
    fun `actor role defaults to none`() {
        assertEquals(Operator("alice", null), Operator("alice"))
        assertEquals(RecallRequest("g1", "m1", null), RecallRequest("g1", "m1"))
        assertEquals("not_in_conversation", refusal { policy.decide(request(), Operator("alice"), message(), base) })
        val direct = message(conversation = Conversation("d1", ConversationKind.DIRECT))
        assertEquals(Basis.SENDER, policy.decide(RecallRequest("d1", "m1"), Operator("alice"), direct, base).basis)
    }

    @Test
    fun `refusals are thrown with their reason`() {
        assertEquals("not_sender", refusal { policy.decide(request(), Operator("bob", Role.MEMBER), message(), base) })
        assertEquals(
            "insufficient_role",
            refusal { policy.decide(request(), Operator("adam", Role.ADMIN), message(senderRole = Role.OWNER), base) },
        )
        assertEquals("not_in_conversation", refusal { policy.decide(request(), Operator("alice", null), message(), base) })
        assertEquals("not_found", refusal { policy.decide(RecallRequest("g2", "m1"), alice, message(), base) })
        assertEquals("not_found", refusal { policy.decide(RecallRequest("g1", "m2"), alice, message(), base) })
        assertEquals("not_sent", refusal { policy.decide(request(), alice, message(state = MessageState.SENDING), base) })
        assertEquals(
            "kind_not_recallable",
            refusal { policy.decide(request(), alice, message(kind = MessageKind.COMMAND), base) },
        )
        assertEquals(
            "already_recalled",
            refusal { policy.decide(request(), alice, message(state = MessageState.RECALLED), base) },
        )
    }

    @Test
    fun `the exception carries the reason with its id and code`() {
        val error = assertThrows<RecallException.Refused> {
            policy.decide(request(), alice, message(), base.plusSeconds(121))
        }
        assertEquals(Reason.WindowExpired, error.reason)
        assertEquals("window_expired", error.reason.id())
        assertEquals(11, error.reason.code())
        assertEquals("window_expired", error.id)
        assertEquals(11, error.code)
        assertTrue(error.detail.contains("window_expired"), error.detail)
    }

    @Test
    fun `invalid ids, unknown kinds, oversized ext and out-of-range times are typed errors`() {
        for (bad in listOf("", "a".repeat(257), "a\u0007", "a\u0085")) {
            assertEquals("invalid_argument", refusal { policy.decide(request(), Operator(bad, Role.MEMBER), message(), base) })
            assertEquals("invalid_argument", refusal { policy.decide(RecallRequest(bad, "m1"), alice, message(), base) })
            assertEquals("invalid_argument", refusal { policy.decideEach(bad, alice, listOf(message()), base, null) })
        }
        val unknown = message(conversation = Conversation("g1", ConversationKind.UNKNOWN))
        assertEquals("invalid_argument", refusal { policy.decide(request(), alice, unknown, base) })
        assertEquals("invalid_argument", refusal { policy.recall(request(), alice, unknown, base) })
        val longExt = "中".repeat(67) // 201 bytes
        assertEquals("ext_too_large", refusal { policy.decide(request(longExt), alice, message(), base) })
        for (outOfRange in listOf(Instant.parse("+12000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"), Instant.MAX, Instant.MIN)) {
            assertEquals(
                "invalid_argument",
                refusal { policy.decide(request(), alice, message(), outOfRange) },
                outOfRange.toString(),
            )
        }
    }

    @Test
    fun `decide, recall and decideEach agree on an ext past 4096 bytes (spec 4_4)`() {
        // A message from another conversation, and an ext no policy allows: ext_too_large wins.
        val elsewhere = message(conversation = Conversation("g2", ConversationKind.GROUP))
        val ext = "x".repeat(5000)
        assertEquals("ext_too_large", refusal { policy.decide(request(ext), alice, elsewhere, base) })
        assertEquals("ext_too_large", refusal { policy.recall(request(ext), alice, elsewhere, base) })
        assertEquals(
            listOf(Eligibility.Refused(Reason.ExtTooLarge)),
            policy.decideEach("g1", alice, listOf(elsewhere), base, ext),
        )
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
            val decision = policy.decide(request(), alice, message(sentAt = sent), sent)
            assertEquals(base.plusMillis(millis + 120_000), decision.deadline, "$nanos ns")
        }
    }

    @Test
    fun `recall builds the notification`() {
        val notification = policy.recall(request("spam"), Operator("olga", Role.OWNER), message(), base.plusSeconds(3600))
        assertEquals(
            RecallNotification(group, "m1", "alice", "olga", Basis.MODERATOR, base.plusSeconds(3600), "spam"),
            notification,
        )
    }

    @Test
    fun `decideEach answers a screen in one call`() {
        val messages = listOf(
            message(), message(sender = "bob"), message(state = MessageState.SENDING),
            StoredMessage("", group, "alice", null, MessageKind.TEXT, MessageState.SENT, base),
        )
        val answers = policy.decideEach("g1", alice, messages, base.plusSeconds(10), null)
        assertEquals(
            listOf(
                Eligibility.Allowed(Basis.SENDER, base.plusSeconds(120)),
                Eligibility.Refused(Reason.NotSender),
                Eligibility.Refused(Reason.NotSent),
                Eligibility.Refused(Reason.InvalidArgument),
            ),
            answers,
        )
        assertEquals(emptyList<Eligibility>(), policy.decideEach("g1", alice, emptyList(), base, null))
        assertEquals("invalid_argument", refusal { policy.decideEach("", alice, emptyList(), base, null) })
        assertEquals("invalid_argument", refusal { policy.decideEach("g1", Operator(""), emptyList(), base, null) })
    }

    @Test
    fun `decideEach reads each sender's role and checks the ext`() {
        val adam = Operator("adam", Role.ADMIN)
        val messages = listOf(message(senderRole = Role.MEMBER), message(senderRole = Role.OWNER), message(senderRole = null))
        assertEquals(
            listOf(
                Eligibility.Allowed(Basis.MODERATOR, null),
                Eligibility.Refused(Reason.InsufficientRole),
                Eligibility.Allowed(Basis.MODERATOR, null),
            ),
            policy.decideEach("g1", adam, messages, base, null),
        )
        assertEquals(
            listOf(Eligibility.Refused(Reason.ExtTooLarge)),
            policy.decideEach("g1", alice, listOf(message()), base, "x".repeat(201)),
        )
        // The conversation asked for is the one checked: a message elsewhere is not_found.
        assertEquals(listOf(Eligibility.Refused(Reason.NotFound)), policy.decideEach("g2", alice, listOf(message()), base, null))
    }

    @Test
    fun `the policy is shared across threads`() {
        val pool = Executors.newFixedThreadPool(8)
        val results = (0 until 64).map { i ->
            pool.submit<Basis> {
                policy.decide(request(), alice, message(), base.plusSeconds(i.toLong())).basis
            }
        }
        results.forEach { assertEquals(Basis.SENDER, it.get()) }
        pool.shutdown()
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
    }
}

class WireTest {
    /** A protobuf field: its key, then a varint or a length-delimited value. */
    private fun varint(value: Long): ByteArray {
        val out = mutableListOf<Byte>()
        var v = value
        while (v >= 0x80) {
            out += ((v and 0x7f) or 0x80).toByte()
            v = v ushr 7
        }
        out += v.toByte()
        return out.toByteArray()
    }

    private fun field(number: Int, value: Long) = varint((number shl 3).toLong()) + varint(value)

    private fun field(number: Int, bytes: ByteArray) = varint(((number shl 3) or 2).toLong()) + varint(bytes.size.toLong()) + bytes

    private fun field(number: Int, text: String) = field(number, text.toByteArray())

    @Test
    fun `request round trips`() {
        val request = RecallRequest("g1", "m1", "广告")
        assertEquals(request, RecallRequest.fromProtobuf(request.toProtobuf()))
        val json = request.toJson()
        assertEquals("""{"conversation_id":"g1","message_id":"m1","ext":"广告"}""", json)
        assertEquals(request, RecallRequest.fromJson(json))
        assertEquals(request, recallRequestFromJson(json))
        val bare = RecallRequest("g1", "m1")
        assertEquals(bare, RecallRequest.fromProtobuf(bare.toProtobuf()))
        assertEquals(bare, RecallRequest.fromJson(bare.toJson()))
        assertEquals(RecallRequest("g1", "m1", ""), RecallRequest.fromJson(RecallRequest("g1", "m1", "").toJson()))
    }

    @Test
    fun `a request that still carries an actor is read without it`() {
        val json = """{"conversation_id":"g1","message_id":"m1","actor":{"user_id":"mallory","role":"owner"},"ext":null}"""
        assertEquals(RecallRequest("g1", "m1"), RecallRequest.fromJson(json))
        // Protobuf: retired field 1 (a conversation) and 3 (an actor: id and role owner).
        val bytes = field(1, field(1, "g9") + field(2, 2)) + field(2, "m1") +
            field(3, field(1, "mallory") + field(2, 3)) + field(5, "g1")
        assertEquals(RecallRequest("g1", "m1"), RecallRequest.fromProtobuf(bytes))
    }

    @Test
    fun `notification round trips`() {
        val notification = RecallPolicy.defaults().use { it.recall(request(), Operator("alice", Role.MEMBER), message(), base.plusMillis(1500)) }
        assertEquals(notification, RecallNotification.fromProtobuf(notification.toProtobuf()))
        val json = notification.toJson()
        assertTrue(json.contains(""""recalled_at":"2026-01-01T00:00:01.500Z""""), json)
        assertEquals(notification, RecallNotification.fromJson(json))
        assertEquals(notification, recallNotificationFromProtobuf(notification.toProtobuf()))
    }

    @Test
    fun `a notification with a kind and basis of a newer server decodes as unknown and round trips`() {
        val json = """{"conversation":{"id":"g1","kind":"channel"},"message_id":"m1","sender_id":"alice",""" +
            """"operator_id":"olga","basis":"delegate","recalled_at":"2026-01-01T00:00:00.000Z","ext":null,"new_field":1}"""
        val fromJson = RecallNotification.fromJson(json)
        assertEquals(
            RecallNotification(Conversation("g1", ConversationKind.UNKNOWN), "m1", "alice", "olga", Basis.UNKNOWN, base),
            fromJson,
        )
        val written = fromJson.toJson()
        assertTrue(written.contains(""""kind":"unknown""""), written)
        assertTrue(written.contains(""""basis":"unknown""""), written)
        assertEquals(fromJson, RecallNotification.fromJson(written))
        assertEquals(fromJson, RecallNotification.fromProtobuf(fromJson.toProtobuf()))

        // Protobuf: kind 9 and basis 7, numbers this version does not list; and 0 (absent).
        val bytes = field(1, field(1, "g1") + field(2, 9)) + field(2, "m1") + field(3, "alice") +
            field(4, "olga") + field(5, 7) + field(6, base.toEpochMilli())
        val fromProtobuf = RecallNotification.fromProtobuf(bytes)
        assertEquals(fromJson, fromProtobuf)
        assertEquals(fromProtobuf, RecallNotification.fromProtobuf(fromProtobuf.toProtobuf()))
        assertEquals(fromProtobuf, RecallNotification.fromJson(fromProtobuf.toJson()))
        val absent = field(1, field(1, "g1")) + field(2, "m1") + field(3, "alice") + field(4, "olga")
        val zero = RecallNotification.fromProtobuf(absent)
        assertEquals(ConversationKind.UNKNOWN, zero.conversation.kind)
        assertEquals(Basis.UNKNOWN, zero.basis)
        assertEquals(Instant.EPOCH, zero.recalledAt)
    }

    @Test
    fun `a rejection with a code of a newer server keeps its code`() {
        val reason = Reason.fromRejectionProtobuf(field(1, 34))
        assertEquals(Reason.Unknown(34), reason)
        assertEquals(34, reason.code())
        assertEquals("unknown", reason.id())
        assertFalse(reason.isKnown())
        assertTrue(reason.meaning().contains("34"), reason.meaning())
        assertEquals(reason, Reason.fromRejectionJson("""{"reason":"recalled_by_robot","code":34}"""))
        assertEquals("""{"reason":"unknown","code":34}""", reason.toRejectionJson())
        assertEquals(reason, Reason.fromRejectionJson(reason.toRejectionJson()))
        assertEquals(reason, Reason.fromRejectionProtobuf(reason.toRejectionProtobuf()))
        assertEquals(reason, Reason.fromCode(34))
        assertEquals(Reason.Unknown(65_535), Reason.fromCode(65_535))
        for (impossible in listOf(0, -1, 65_536, Int.MIN_VALUE)) assertNull(Reason.fromCode(impossible), "$impossible")
        assertNull(Reason.fromId("unknown"))
        assertEquals("invalid_argument", refusal { Reason.Unknown(0).toRejectionProtobuf() })
        assertEquals("invalid_argument", refusal { Reason.Unknown(70_000).toRejectionJson() })
        // Protobuf 0 (unspecified, or absent) and codes past 65535 are refused (spec 8.3).
        assertEquals("invalid_argument", refusal { Reason.fromRejectionProtobuf(ByteArray(0)) })
        assertEquals("invalid_argument", refusal { Reason.fromRejectionProtobuf(field(1, 65_536)) })
    }

    @Test
    fun `every reason's id and code match the spec's table`() {
        for ((reason, id, code) in reasonTable) {
            assertEquals(id, reason.id())
            assertEquals(code, reason.code())
            assertTrue(reason.isKnown(), id)
            assertTrue(reason.meaning().isNotEmpty(), id)
            assertEquals(reason, Reason.fromId(id))
            assertEquals(reason, Reason.fromCode(code))
            assertEquals(reason, reasonFromId(id))
            assertEquals("""{"reason":"$id","code":$code}""", reason.toRejectionJson())
            assertEquals(reason, Reason.fromRejectionJson(reason.toRejectionJson()))
            assertArrayEquals(field(1, code.toLong()), reason.toRejectionProtobuf(), id)
            assertEquals(reason, Reason.fromRejectionProtobuf(reason.toRejectionProtobuf()))
            // A code of the table is never unknown.
            assertEquals(reason, Reason.fromRejectionJson("""{"reason":"$id","code":$code}"""))
        }
        assertEquals(17, reasonTable.map { it.third }.toSet().size)
        for (code in 1..40) {
            val known = reasonTable.firstOrNull { it.third == code }?.first
            assertEquals(known ?: Reason.Unknown(code), Reason.fromCode(code), "$code")
        }
    }

    @Test
    fun `garbage and oversized input are typed errors`() {
        assertEquals("malformed_input", refusal { RecallRequest.fromProtobuf(byteArrayOf(-1, -1, -1)) })
        assertEquals("input_too_large", refusal { RecallNotification.fromProtobuf(ByteArray(9000)) })
        assertEquals("malformed_input", refusal { RecallRequest.fromJson("not json") })
        assertEquals("invalid_argument", refusal { RecallNotification.fromJson("{}") })
        assertEquals("invalid_argument", refusal { RecallRequest.fromJson("""{"conversation_id":"g1"}""") })
        assertEquals("invalid_argument", refusal { Reason.fromRejectionJson("""{"reason":"not_sender","code":11}""") })
        assertEquals("malformed_input", refusal { Reason.fromRejectionJson("[") })
        assertEquals("ext_too_large", refusal { RecallRequest("g1", "m1", "x".repeat(4097)).toProtobuf() })
        val notification = RecallNotification(
            Conversation("d1", ConversationKind.DIRECT), "m1", "a", "a", Basis.SENDER, base, "x".repeat(4097),
        )
        assertEquals("ext_too_large", refusal { notification.toProtobuf() })
        assertEquals("invalid_argument", refusal { notification.copy(ext = null, operatorId = "").toJson() })
    }
}
