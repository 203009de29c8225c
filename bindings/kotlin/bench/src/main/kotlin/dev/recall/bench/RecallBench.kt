// JMH benchmarks of the Kotlin binding: what one recall decision costs an Android app or a JVM
// server through the binding (on the call path scripts/bench-kotlin --path chooses: the fast
// path's JNI entry by default, its JNA direct mapping, or uniffi's own JNA calls), against the
// same decision written in plain Kotlin, and a screen of 50 messages decided in one crossing;
// and, on a state remembering 10^5 recalls, the client state's onMessage and a recall's two
// phases (onRecall, settle) one by one, each phase alone, and a page of 100 in one crossing per phase
// (onMessages; onRecalls, settleAll: offline sync, spec 6.13). The empty exported call (noop,
// only in a library built with the cargo feature `bench`) is NoopBench.kt, compiled against the
// bench-only bindings scripts/bench-kotlin generates. Run by scripts/bench-kotlin; the figures
// are in BENCHMARKS.md.
package dev.recall.bench

import dev.recall.Operator
import dev.recall.Arrival
import dev.recall.ArrivalResult
import dev.recall.ArrivingMessage
import dev.recall.ArrivingRecall
import dev.recall.Basis
import dev.recall.Conversation
import dev.recall.ConversationKind
import dev.recall.Decision
import dev.recall.Eligibility
import dev.recall.HeldMessage
import dev.recall.LimitsConfig
import dev.recall.MessageKind
import dev.recall.MessageState
import dev.recall.PendingRecall
import dev.recall.PendingResult
import dev.recall.Reason
import dev.recall.RecallNotification
import dev.recall.RecallOutcome
import dev.recall.RecallPolicy
import dev.recall.RecallRequest
import dev.recall.RecallResult
import dev.recall.RecallState
import dev.recall.Role
import dev.recall.StoredMessage
import dev.recall.settle
import java.time.Instant
import java.util.EnumSet
import java.util.concurrent.TimeUnit
import org.openjdk.jmh.annotations.Benchmark
import org.openjdk.jmh.annotations.BenchmarkMode
import org.openjdk.jmh.annotations.Fork
import org.openjdk.jmh.annotations.Level
import org.openjdk.jmh.annotations.Measurement
import org.openjdk.jmh.annotations.Mode
import org.openjdk.jmh.annotations.OutputTimeUnit
import org.openjdk.jmh.annotations.Scope
import org.openjdk.jmh.annotations.Setup
import org.openjdk.jmh.annotations.State
import org.openjdk.jmh.annotations.TearDown
import org.openjdk.jmh.annotations.Warmup

/** How many messages a screen holds in [RecallBench.decideEachScreen50]. */
const val SCREEN = 50

/** How many messages or recalls a sync page holds in [RecallBench.onMessagesPage100]. */
const val PAGE = 100

/** How many recalls the client state remembers while its calls are measured. */
const val REMEMBERED = 100_000

/**
 * The four decision figures, then the client state's. Every input is built once, in [setUp],
 * and reused by every invocation: what is measured is the call, not the building of its
 * arguments.
 *
 * The decided case is the common allowed one: in a group, a member recalls her own text
 * message 90 s after sending it (default policy: 2-minute window) → basis `sender`, with a
 * deadline. The client state's messages have no recall (`show`, what nearly every message of
 * a sync gets); its recalls come with the message held, so every answer is `applied` with a
 * tombstone and effects (the costliest to carry back), the same on every invocation. JMH
 * state classes must be `open` (JMH subclasses them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(2)
open class RecallBench {
    private lateinit var policy: RecallPolicy
    private lateinit var plainPolicy: PlainPolicy
    private lateinit var request: RecallRequest
    private lateinit var message: StoredMessage
    private lateinit var now: Instant
    private lateinit var conversation: Conversation
    private lateinit var actor: Operator
    private lateinit var screen: List<StoredMessage>
    private lateinit var state: RecallState
    private lateinit var arriving: ArrivingMessage
    private lateinit var arrivingPage: List<ArrivingMessage>
    private lateinit var recall: RecallNotification
    private lateinit var held: HeldMessage
    private lateinit var pending: PendingRecall
    private lateinit var recallPage: List<RecallNotification>
    private lateinit var heldPage: Map<String, HeldMessage>

    @Setup(Level.Trial)
    fun setUp() {
        policy = RecallPolicy.defaults()
        plainPolicy = PlainPolicy()
        val sentAt = Instant.parse("2026-01-01T00:00:00.000Z")
        conversation = Conversation("team-42", ConversationKind.GROUP)
        actor = Operator("alice", Role.MEMBER)
        message = StoredMessage("m-1001", conversation, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt)
        request = RecallRequest(conversation.id, "m-1001")
        now = sentAt.plusSeconds(90)
        // A screen of the actor's own recent text messages, one a second: every answer is
        // "allowed, with a deadline", the costliest answer to carry back (an upper bound).
        screen = List(SCREEN) { i ->
            StoredMessage(
                "m-${1001 + i}", conversation, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT,
                sentAt.plusSeconds(i.toLong()),
            )
        }
        // The three ways must agree before anything is timed.
        val expected = Decision(Basis.SENDER, sentAt.plusSeconds(120))
        check(policy.decide(request, actor, message, now) == expected) { "binding: unexpected decision" }
        check(plainDecide(plainPolicy, request, actor, message, now) == expected) { "plain: unexpected decision" }
        val answers = policy.decideEach(conversation.id, actor, screen, now, null)
        check(answers.size == SCREEN && answers.all { it is Eligibility.Allowed }) { "decideEach: $answers" }

        // A state that remembers 10^5 recalls (of messages not held yet), as after a long sync:
        // phase one alone remembers a recall.
        state = RecallState("bob", LimitsConfig(maxRecalls = 1_000_000, maxAgeSecs = 31_536_000, maxBytes = 268_435_456))
        for (start in 0 until REMEMBERED step 1000) {
            state.onRecalls(
                List(1000) { i -> RecallNotification(conversation, "old-${start + i}", "alice", "alice", Basis.SENDER, sentAt, null) },
                now,
            )
        }
        check(state.rememberedCount() == REMEMBERED.toLong()) { "remembered: ${state.rememberedCount()}" }
        arrivingPage = List(PAGE) { i -> ArrivingMessage("m-${2001 + i}", "team-42", "alice") }
        arriving = arrivingPage[0]
        recallPage = List(PAGE) { i -> RecallNotification(conversation, "m-${3001 + i}", "alice", "alice", Basis.SENDER, now, null) }
        heldPage = recallPage.associate {
            it.messageId to HeldMessage(it.messageId, "team-42", "alice", unread = true, notificationShown = true)
        }
        recall = recallPage[0]
        held = heldPage.getValue(recall.messageId)
        pending = state.onRecall(recall, now)
        check(state.onMessage(arriving, now) == Arrival.Show) { "onMessage: not shown" }
        val arrivals = state.onMessages(arrivingPage, now)
        check(arrivals.all { it == ArrivalResult.Arrival(Arrival.Show) }) { "onMessages: $arrivals" }
        check(onRecallBinding() is RecallOutcome.Applied) { "onRecall, settle: not applied" }
        val outcomes = onRecallsPage100()
        check(outcomes.all { it is RecallResult.Outcome && it.outcome is RecallOutcome.Applied }) { "onRecalls, settleAll: $outcomes" }
    }

    @TearDown(Level.Trial)
    fun tearDown() {
        policy.close()
        state.close()
    }

    /** (a) One decision through the binding. */
    @Benchmark
    fun decideBinding(): Decision = policy.decide(request, actor, message, now)

    /** (b) The same decision in plain Kotlin, as an app would write it without the library. */
    @Benchmark
    fun decidePlainKotlin(): Decision = plainDecide(plainPolicy, request, actor, message, now)

    // (c) The empty exported call, noopCall: see NoopBench.kt (named in the header).

    /** (d) A screen of [SCREEN] messages in one crossing; per message = score / [SCREEN]. */
    @Benchmark
    fun decideEachScreen50(): List<Eligibility> = policy.decideEach(conversation.id, actor, screen, now, null)

    /** (e) One arriving message with no recall, through the client state. */
    @Benchmark
    fun onMessageBinding(): Arrival = state.onMessage(arriving, now)

    /** (f) A sync page of [PAGE] such messages in one crossing; per message = score / [PAGE]. */
    @Benchmark
    fun onMessagesPage100(): List<ArrivalResult> = state.onMessages(arrivingPage, now)

    /** (g) One recall of a held message, both phases (two crossings): applied. */
    @Benchmark
    fun onRecallBinding(): RecallOutcome = state.settle(recall, state.onRecall(recall, now), held)

    /** (g1) Phase one alone: the recall taken (already remembered: not first). */
    @Benchmark
    fun onRecallOnly(): PendingRecall = state.onRecall(recall, now)

    /** (g2) Phase two alone: settled with its held message, taken once in [setUp]: applied. */
    @Benchmark
    fun settleOnly(): RecallOutcome = state.settle(recall, pending, held)

    /** (h) A sync page of [PAGE] such recalls, one crossing per phase; per recall = score / [PAGE]. */
    @Benchmark
    fun onRecallsPage100(): List<RecallResult> = state.settleAll(
        state.onRecalls(recallPage, now).mapIndexed { i, answer ->
            val recall = recallPage[i]
            ArrivingRecall(recall, (answer as PendingResult.Pending).pending, heldPage[recall.messageId])
        },
    )
}

/** The policy of spec §3 with its defaults, as plain Kotlin. */
class PlainPolicy(
    val windowMillis: Long = 120_000,
    val moderators: Set<Role> = EnumSet.of(Role.OWNER, Role.ADMIN),
    val moderatorsBypassWindow: Boolean = true,
    val moderationAny: Boolean = false,
    val excludedKinds: Set<MessageKind> = EnumSet.of(MessageKind.COMMAND, MessageKind.NOTIFICATION),
    val maxExtBytes: Int = 200,
)

/** A refusal of the plain implementation (no stack trace: refusals are expected). */
class PlainRefusal(val reason: Reason) : RuntimeException(reason.javaClass.simpleName, null, false, false)

/** Spec §2: 1..=256 UTF-8 bytes, no control character. */
fun plainValidId(id: String): Boolean {
    if (id.isEmpty() || id.length > 256) return false
    var bytes = 0
    for (c in id) {
        if (Character.isISOControl(c)) return false
        bytes += when {
            c.code < 0x80 -> 1
            c.code < 0x800 -> 2
            Character.isSurrogate(c) -> 2 // a pair is 4 bytes
            else -> 3
        }
    }
    return bytes <= 256
}

fun plainUtf8Length(s: String): Int {
    var bytes = 0
    for (c in s) {
        bytes += when {
            c.code < 0x80 -> 1
            c.code < 0x800 -> 2
            Character.isSurrogate(c) -> 2
            else -> 3
        }
    }
    return bytes
}

/**
 * Spec §4, rules 2–9 in order (rule 1 holds: the policy is built valid), written the way an app
 * developer would without the library. The same inputs as the binding's `decide`.
 */
fun plainDecide(policy: PlainPolicy, request: RecallRequest, actor: Operator, message: StoredMessage, now: Instant): Decision {
    val conversation = message.conversation
    // 2. ids, and a conversation kind this version knows
    if (!plainValidId(request.conversationId) || !plainValidId(request.messageId) || !plainValidId(actor.userId) ||
        !plainValidId(message.id) || !plainValidId(conversation.id) || !plainValidId(message.senderId) ||
        conversation.kind == ConversationKind.UNKNOWN
    ) {
        throw PlainRefusal(Reason.InvalidArgument)
    }
    // 3. the message asked for, in the request's conversation
    if (message.id != request.messageId || conversation.id != request.conversationId) {
        throw PlainRefusal(Reason.NotFound)
    }
    val direct = conversation.kind == ConversationKind.DIRECT
    // 4. group/room: the actor has a role
    if (!direct && actor.role == null) throw PlainRefusal(Reason.NotInConversation)
    // 5. ext
    val ext = request.ext
    if (ext != null && plainUtf8Length(ext) > policy.maxExtBytes) throw PlainRefusal(Reason.ExtTooLarge)
    // 6. state
    when (message.state) {
        MessageState.SENT -> {}
        MessageState.SENDING, MessageState.FAILED -> throw PlainRefusal(Reason.NotSent)
        MessageState.RECALLED -> throw PlainRefusal(Reason.AlreadyRecalled)
    }
    // 7. kind
    if (message.kind in policy.excludedKinds) throw PlainRefusal(Reason.KindNotRecallable)
    // 8. authority
    val isSender = actor.userId == message.senderId
    val basis: Basis = if (direct) {
        if (!isSender) throw PlainRefusal(Reason.NotSender)
        Basis.SENDER
    } else {
        val role = actor.role!!
        val moderator = role in policy.moderators
        val senderRole = message.senderRole ?: Role.MEMBER
        when {
            moderator && (isSender || policy.moderationAny || role.ordinal > senderRole.ordinal) -> Basis.MODERATOR
            isSender -> Basis.SENDER
            moderator -> throw PlainRefusal(Reason.InsufficientRole)
            else -> throw PlainRefusal(Reason.NotSender)
        }
    }
    // 9. window (inclusive, to the millisecond)
    if (basis == Basis.MODERATOR && policy.moderatorsBypassWindow) return Decision(basis, null)
    val sentAt = message.sentAt.toEpochMilli()
    val elapsed = maxOf(0L, now.toEpochMilli() - sentAt)
    if (elapsed > policy.windowMillis) throw PlainRefusal(Reason.WindowExpired)
    return Decision(basis, Instant.ofEpochMilli(sentAt + policy.windowMillis))
}
