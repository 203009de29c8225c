// JMH benchmarks of the Kotlin binding on virtual threads (Java 21 or newer; issue 21): one
// decision on a new virtual thread per operation, as a Loom server decides a request, against
// the same virtual thread doing nothing. `scripts/bench-kotlin --virtual` runs them, and
// RecallBench.decideBinding with JMH's own threads virtual (-Djmh.executor=VIRTUAL), on a Java
// 21+ runtime. Compiled for Java 17 like the rest: virtual threads are reached through a
// MethodHandle of Thread.startVirtualThread, looked up once.
package dev.recall.bench

import dev.recall.Conversation
import dev.recall.ConversationKind
import dev.recall.Decision
import dev.recall.MessageKind
import dev.recall.MessageState
import dev.recall.Operator
import dev.recall.RecallPolicy
import dev.recall.RecallRequest
import dev.recall.Role
import dev.recall.StoredMessage
import java.lang.invoke.MethodHandle
import java.lang.invoke.MethodHandles
import java.lang.invoke.MethodType
import java.time.Instant
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

/** The decided case of [RecallBench]: allowed, basis sender, with a deadline. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(2)
open class VirtualThreadBench {
    private lateinit var policy: RecallPolicy
    private lateinit var request: RecallRequest
    private lateinit var actor: Operator
    private lateinit var message: StoredMessage
    private lateinit var now: Instant
    private lateinit var expected: Decision
    /** `Thread.startVirtualThread(Runnable): Thread`. */
    private lateinit var startVirtualThread: MethodHandle

    @Setup(Level.Trial)
    fun setUp() {
        val feature = Runtime.version().feature()
        check(feature >= 21) { "virtual threads need Java 21 (this is $feature): run scripts/bench-kotlin --virtual" }
        startVirtualThread = MethodHandles.publicLookup().findStatic(
            Thread::class.java,
            "startVirtualThread",
            MethodType.methodType(Thread::class.java, Runnable::class.java),
        )
        policy = RecallPolicy.defaults()
        val sentAt = Instant.parse("2026-01-01T00:00:00.000Z")
        val conversation = Conversation("team-42", ConversationKind.GROUP)
        actor = Operator("alice", Role.MEMBER)
        message = StoredMessage("m-1001", conversation, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt)
        request = RecallRequest(conversation.id, "m-1001")
        now = sentAt.plusSeconds(90)
        expected = policy.decide(request, actor, message, now)
        check(decideOnNewVirtualThread() == expected) { "decide on a virtual thread: unexpected decision" }
    }

    @TearDown(Level.Trial)
    fun tearDown() {
        policy.close()
    }

    private fun onNewVirtualThread(task: Runnable) {
        val thread = startVirtualThread.invoke(task) as Thread
        thread.join()
    }

    /** One decision on a new virtual thread, joined: a Loom server's request. */
    @Benchmark
    fun decideOnNewVirtualThread(): Decision? {
        var answer: Decision? = null
        onNewVirtualThread(Runnable { answer = policy.decide(request, actor, message, now) })
        return answer
    }

    /** A new virtual thread that does nothing, joined: subtracted, it leaves decide's share. */
    @Benchmark
    fun newVirtualThreadOnly() = onNewVirtualThread(Runnable {})
}
