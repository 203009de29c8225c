// The call path the suite runs on (pom.xml runs it on each: the fast path, then uniffi's own),
// the slot encoding of pointers on 32- and 64-bit ABIs, calls whose arguments or results
// outgrow a thread's call buffer, and that buffer's bounds (given back after a call that grew it;
// borrowed from a pool by a call made while one is in progress).
package dev.recall

import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.time.Instant
import kotlin.concurrent.thread
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class CallPathTest {
    private val sentAt: Instant = Instant.parse("2026-01-01T00:00:00.000Z")

    @Test
    fun `the suite runs on the path it asked for`() {
        val asked = System.getProperty("uniffi.component.recall_ffi.callPath") ?: "jni"
        assertEquals(asked, uniffiCallPath)
        println("kotlin call path: $uniffiCallPath")
    }

    @Test
    fun `the active path is public, and a path named by the property is not a fallback`() {
        assertEquals(uniffiCallPath, RecallCallPath.active)
        if (System.getProperty("uniffi.component.recall_ffi.callPath") != null) {
            assertNull(RecallCallPath.fallbackReason)
        }
    }

    @Test
    fun `a forced jni path that cannot be registered fails loudly, and the default falls back saying why`() {
        // The real registration, into the library JNA loaded, of a class without `call(J)I`:
        // RegisterNatives refuses, the JVM's exception is cleared, and the answer says so.
        val refused = assertThrows(IllegalStateException::class.java) { uniffiFastRegisterJni(String::class.java) }
        assertTrue(refused.message!!.contains("RegisterNatives of java.lang.String.call(J)I answered -"), refused.message)

        val cannot = { uniffiFastRegisterJni(String::class.java) }
        val forced = assertThrows(IllegalStateException::class.java) { uniffiChooseCallPath("jni", cannot) {} }
        assertTrue(forced.message!!.startsWith("uniffi.component.recall_ffi.callPath=jni, but the JNI path cannot be used"), forced.message)

        val fallback = uniffiChooseCallPath(null, cannot) {}
        assertEquals("jna", fallback.path)
        assertTrue(fallback.fallbackReason!!.contains("RegisterNatives"), fallback.fallbackReason)

        assertEquals("jni", uniffiChooseCallPath(null, {}) {}.path)
        assertNull(uniffiChooseCallPath(null, {}) {}.fallbackReason)
        val noJna = assertThrows(IllegalStateException::class.java) {
            uniffiChooseCallPath("jna", {}) { throw UnsatisfiedLinkError("no entry") }
        }
        assertTrue(noJna.message!!.contains("no entry"), noJna.message)
        assertThrows(IllegalArgumentException::class.java) { uniffiChooseCallPath("fast", {}) {} }
        assertEquals("uniffi", uniffiChooseCallPath("uniffi", { error("not asked") }) { error("not asked") }.path)
    }

    @Test
    fun `a pointer fills the first 4 bytes of its slot on 32-bit ABIs and all 8 on 64-bit ones`() {
        for (order in listOf(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            val buf = ByteBuffer.allocate(24).order(order)
            buf.putLong(8, -1L)
            UniffiFastSlots.putPointer(buf, 8, 0xCAFE_F00DL, pointerSize = 4)
            assertEquals(0xCAFE_F00DL, UniffiFastSlots.getPointer(buf, 8, pointerSize = 4))
            assertEquals(0xCAFE_F00D.toInt(), buf.getInt(8), "the pointer is the slot's first 4 bytes ($order)")
            assertEquals(0, buf.getInt(12), "the rest of the slot is cleared ($order)")

            UniffiFastSlots.putPointer(buf, 16, 0x7F12_3456_789A_BCDEL, pointerSize = 8)
            assertEquals(0x7F12_3456_789A_BCDEL, UniffiFastSlots.getPointer(buf, 16, pointerSize = 8))
            assertEquals(0x7F12_3456_789A_BCDEL, buf.getLong(16))
        }
        assertTrue(UniffiFastSlots.POINTER_SIZE == 4 || UniffiFastSlots.POINTER_SIZE == 8)
    }

    @Test
    fun `arguments and results larger than a thread's first buffer`() {
        // A fresh thread has a fresh 2 KiB buffer.
        var failure: Throwable? = null
        thread {
            try {
                val limits = defaultClientLimits()
                val state = RecallState("bob", limits)
                val group = Conversation("g1", ConversationKind.GROUP)
                // Recalls remembered in pages that fit the buffer, then exported: a result
                // larger than the buffer, which Rust leaves for uniffi's converter to lift.
                for (page in 0 until 20) {
                    val recalls = List(100) { i ->
                        val id = "recalled-message-${page * 100 + i}"
                        RecallNotification(group, id, "alice", "alice", Basis.SENDER, sentAt, "ü".repeat(10))
                    }
                    state.onRecalls(recalls, sentAt)
                }
                assertEquals(2000L, state.rememberedCount())
                val bytes = state.export()
                assertTrue(bytes.size > 16 * 1024, "${bytes.size} bytes")
                // Nothing grew: a result too large is lifted from Rust's memory.
                assertEquals(UniffiFastCall.FIRST_SIZE, threadBuffer())
                // Arguments larger than the buffer: it grows, and the call is written again.
                val restored = RecallState.restore("bob", limits, bytes, sentAt)
                assertEquals(2000L, restored.rememberedCount())
                val page = List(3000) { i -> ArrivingMessage("message-number-$i", "g1", "alice") }
                assertEquals(3000, state.onMessages(page, sentAt).size)
                // The buffer grown for those calls is given back when each ends.
                assertEquals(UniffiFastCall.FIRST_SIZE, threadBuffer())
                // A typed error whose argument does not fit the first buffer either.
                val big = "{\"window_secs\": \"" + "x".repeat(70_000) + "\"}"
                val e = assertThrows(RecallException.Refused::class.java) { RecallPolicy.fromJson(big) }
                assertEquals(Reason.InputTooLarge, e.reason)
            } catch (t: Throwable) {
                failure = t
            }
        }.join()
        failure?.let { throw it }
    }

    /** The size of this thread's buffer, as the next call finds it. */
    private fun threadBuffer(): Int {
        val call = UniffiFastCall.acquire()
        try {
            return call.capacity
        } finally {
            call.release()
        }
    }

    @Test
    fun `a call made while another is in progress borrows a buffer and gives it back`() {
        var failure: Throwable? = null
        thread {
            try {
                val outer = UniffiFastCall.acquire()
                try {
                    val inner = UniffiFastCall.acquire()
                    assertTrue(inner !== outer, "a call in progress keeps its buffer")
                    assertEquals(UniffiFastCall.FIRST_SIZE, inner.capacity)
                    inner.release()
                    // Calls made meanwhile (here the binding's own) borrow from the pool.
                    val group = Conversation("g1", ConversationKind.GROUP)
                    val message = StoredMessage("m1", group, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt)
                    val decision = RecallPolicy.defaults().use { policy ->
                        policy.decide(RecallRequest("g1", "m1"), Operator("bob", Role.ADMIN), message, sentAt)
                    }
                    assertEquals(Decision(Basis.MODERATOR, null), decision)
                } finally {
                    outer.release()
                }
                val again = UniffiFastCall.acquire()
                assertTrue(again === outer, "the thread's buffer is reused")
                again.release()
            } catch (t: Throwable) {
                failure = t
            }
        }.join()
        failure?.let { throw it }
    }

    @Test
    fun `a thread holds no object of the binding's classes, so it does not pin their class loader`() {
        var failure: Throwable? = null
        thread {
            try {
                RecallPolicy.defaults().use { it.config() }
                UniffiFastCall.acquire().release() // on uniffi's path too
                val state = UniffiFastCall.threadState()
                assertTrue(state != null, "the thread has its buffer")
                for (value in state!!) {
                    // The JDK's classes only (the boot loader): a ByteBuffer, a Long, a WeakReference.
                    assertEquals(null, value!!.javaClass.classLoader, "${value.javaClass} in the thread's ThreadLocal")
                }
            } catch (t: Throwable) {
                failure = t
            }
        }.join()
        failure?.let { throw it }
    }

    @Test
    fun `virtual threads are recognized where the JVM has them`() {
        val feature = Runtime.version().feature()
        assertEquals(feature >= 21, UniffiFastCall.IS_VIRTUAL != null, "Java $feature")
    }
}
