// Where a decision's time goes in the Kotlin binding: the pieces every generated call is made
// of, measured alone. Not part of the main run; `scripts/bench-kotlin --parts` runs them.
// The benchmark module compiles the generated binding as part of itself, so its `internal`
// helpers (the call-status structure, RustBuffer) are reachable here.
package dev.recall.bench

import dev.recall.Conversation
import dev.recall.ConversationKind
import dev.recall.FfiConverterTypeRecallTimestamp
import dev.recall.FfiConverterTypeRecallRequest
import dev.recall.FfiConverterTypeStoredMessage
import dev.recall.MessageKind
import dev.recall.MessageState
import dev.recall.RecallRequest
import dev.recall.Role
import dev.recall.RustBuffer
import dev.recall.StoredMessage
import dev.recall.UniffiRustCallStatus
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
import org.openjdk.jmh.annotations.Warmup

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
open class CrossingParts {
    private lateinit var request: RecallRequest
    private lateinit var message: StoredMessage
    private lateinit var now: Instant

    @Setup(Level.Trial)
    fun setUp() {
        val sentAt = Instant.parse("2026-01-01T00:00:00.000Z")
        val conversation = Conversation("team-42", ConversationKind.GROUP)
        message = StoredMessage("m-1001", conversation, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt)
        request = RecallRequest(conversation.id, "m-1001")
        now = sentAt.plusSeconds(90)
    }

    /** The JNA structure every crossing creates for its call status (no call). */
    @Benchmark
    fun callStatusStructure(): Any = UniffiRustCallStatus()

    /** rustbuffer_alloc + rustbuffer_free: two bare crossings, as lowering and lifting make. */
    @Benchmark
    fun rustBufferAllocFree() = RustBuffer.free(RustBuffer.alloc(64UL))

    /** Lowering `now`: milliseconds in a Long (recallEpochMillis), no crossing. */
    @Benchmark
    fun lowerTimestamp(): Long = FfiConverterTypeRecallTimestamp.lower(now)

    /** Lowering the request (serialization into a RustBuffer), then freeing it. */
    @Benchmark
    fun lowerRequest() = RustBuffer.free(FfiConverterTypeRecallRequest.lower(request))

    /** Lowering the stored message, then freeing it. */
    @Benchmark
    fun lowerMessage() = RustBuffer.free(FfiConverterTypeStoredMessage.lower(message))
}
