// The JVM the suite runs on: its architecture and pointer width, printed with the call path,
// and the agreement of the JVM, JNA and the fast path's slot encoding on that width.
// scripts/test-32bit-jvm runs the suite on a 32-bit JVM against the i686 library and sets
// recall.test.dataModel=32, so a run that silently landed on a 64-bit JVM fails here.
package dev.recall

import com.sun.jna.Native
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class PlatformTest {
    @Test
    fun `the JVM, JNA and the fast path's slots agree on the pointer width`() {
        val model = System.getProperty("sun.arch.data.model")
        println(
            "kotlin jvm: os.arch=${System.getProperty("os.arch")} data model=$model " +
                "pointer size=${Native.POINTER_SIZE} call path=${RecallCallPath.active}",
        )
        assertEquals(model.toInt() / 8, Native.POINTER_SIZE, "sun.arch.data.model=$model")
        assertEquals(Native.POINTER_SIZE, UniffiFastSlots.POINTER_SIZE)
        System.getProperty("recall.test.dataModel")?.let { assertEquals(it, model, "the JVM the run asked for") }
    }
}
