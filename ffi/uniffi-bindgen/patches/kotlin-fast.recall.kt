
// ---------------------------------------------------------------------------------------------
// The fast call path, appended by recall's scripts/bindgen (ffi/uniffi-bindgen/src/kotlin_fast.rs;
// the Rust side is ffi/src/fast.rs). Every exported function, method and constructor above
// crosses once, through uniffi's `uniffi_ffibuffer_*` functions, with its arguments serialized
// by uniffi's own converters into one per-thread native buffer: no JNA Structure, no
// rustbuffer_alloc/free or handle-clone crossing. The library is loaded once, by uniffi's
// JNA code; the fast path uses that same copy. The system property
// `uniffi.component.__CRATE__.callPath` chooses the path once per process: `jni` (the default:
// one JNI native, registered with RegisterNatives), `jna` (JNA direct mapping of the same
// entry) or `uniffi` (uniffi's own JNA calls, unchanged); `RecallCallPath` tells which.
// Nothing here needs a JDK-only API (Android's runtime has all of it).
// ---------------------------------------------------------------------------------------------

/**
 * The library as uniffi's `UniffiLib` loaded it: JNA's instance for the same name and options
 * as `Native.register(UniffiLib::class.java, ...)`, so the fast path never loads a second copy
 * (a copy extracted from the jar again, or one found elsewhere by name).
 */
private object UniffiFastLibrary {
    val instance: com.sun.jna.NativeLibrary

    init {
        // uniffi's load, contract version and checksums, as on uniffi's path.
        uniffiEnsureInitialized()
        instance = com.sun.jna.NativeLibrary.getInstance(
            findLibraryName(componentName = "__CRATE__"),
            java.util.Collections.singletonMap(com.sun.jna.Library.OPTION_CLASSLOADER, UniffiLib::class.java.classLoader),
        )
    }
}

/**
 * The JNI entry: `call` is bound by `__CRATE___fast_register` (JNI's `RegisterNatives`) to the
 * library JNA loaded, never looked up by name; kept by name (R8 rules).
 */
private object UniffiFastJni {
    @JvmStatic external fun call(io: Long): Int
}

/** The same entry through JNA direct mapping (`__CRATE___fast_call`); kept by name (R8 rules). */
private object UniffiFastJna {
    init {
        Native.register(UniffiFastJna::class.java, UniffiFastLibrary.instance)
    }

    @JvmStatic external fun __CRATE___fast_call(io: Long): Int
}

/** What the entry answers for a null buffer: it is linked and ready. */
private const val UNIFFI_FAST_READY = 7

/**
 * Binds [UniffiFastJni.call] in the library JNA loaded: `__CRATE___fast_register(JNIEnv*,
 * jclass)` is called once through JNA (which passes the thread's `JNIEnv*` for
 * `JNIEnv.CURRENT`, and the class as a JNI reference), and calls `RegisterNatives`. No
 * `System.load`: nothing is loaded again, nor from the working directory.
 */
internal fun uniffiFastRegisterJni(target: Class<*> = UniffiFastJni::class.java) {
    val register = UniffiFastLibrary.instance.getFunction("__CRATE___fast_register")
    val answer = register.invoke(
        Int::class.javaPrimitiveType,
        arrayOf(com.sun.jna.JNIEnv.CURRENT, target),
        java.util.Collections.singletonMap(com.sun.jna.Library.OPTION_ALLOW_OBJECTS, true),
    ) as Int
    check(answer == 0) { "RegisterNatives of ${target.name}.call(J)I answered $answer" }
    check(UniffiFastJni.call(0) == UNIFFI_FAST_READY) { "the library's JNI entry does not answer" }
}

private fun uniffiFastCheckJna() {
    check(UniffiFastJna.__CRATE___fast_call(0) == UNIFFI_FAST_READY) { "the library's fast entry does not answer" }
}

/** The path chosen, and why the default `jni` path was not (null when it was, or was not asked). */
internal class UniffiCallPathChoice(val path: String, val fallbackReason: String?)

/**
 * Chooses the call path from `asked` (the system property `uniffi.component.__CRATE__.callPath`):
 * unset, `jni`, or `jna` with the reason when the JNI entry cannot be bound; a path named
 * explicitly that cannot be used is an error, thrown at first use.
 */
internal fun uniffiChooseCallPath(asked: String?, registerJni: () -> Unit, checkJna: () -> Unit): UniffiCallPathChoice {
    val property = "uniffi.component.__CRATE__.callPath"
    return when (asked) {
        null, "jni" -> try {
            registerJni()
            UniffiCallPathChoice("jni", null)
        } catch (e: Throwable) {
            if (asked != null) throw IllegalStateException("$property=jni, but the JNI path cannot be used: $e", e)
            val reason = "the JNI path cannot be used: $e"
            try {
                checkJna()
            } catch (f: Throwable) {
                f.addSuppressed(e)
                throw f
            }
            UniffiCallPathChoice("jna", reason)
        }
        "jna" -> try {
            checkJna()
            UniffiCallPathChoice("jna", null)
        } catch (e: Throwable) {
            throw IllegalStateException("$property=jna, but the JNA path cannot be used: $e", e)
        }
        "uniffi" -> UniffiCallPathChoice("uniffi", null)
        else -> throw IllegalArgumentException("$property: $asked is not jni, jna or uniffi")
    }
}

/** The choice of this process, made once (at the first call), and logged (`dev.recall`, java.util.logging). */
private val uniffiCallPathChoice: UniffiCallPathChoice =
    uniffiChooseCallPath(System.getProperty("uniffi.component.__CRATE__.callPath"), { uniffiFastRegisterJni() }, ::uniffiFastCheckJna).also {
        val log = java.util.logging.Logger.getLogger("dev.recall")
        if (it.fallbackReason == null) {
            log.fine("recall: calls cross on the ${it.path} path")
        } else {
            log.warning("recall: calls cross on the ${it.path} path, not jni: ${it.fallbackReason}")
        }
    }

/** The call path of this process: `jni`, `jna` or `uniffi` ([RecallCallPath]). */
internal val uniffiCallPath: String = uniffiCallPathChoice.path

private val uniffiFastPath: Boolean = uniffiCallPath != "uniffi"
private val uniffiFastJni: Boolean = uniffiCallPath == "jni"

/**
 * How this process's calls reach the native library, chosen once, at the first call (or the
 * first read of [active]), and never changed.
 *
 * - `jni`: one JNI native per call, bound with `RegisterNatives` to the library JNA loaded (the
 *   default, and the fastest);
 * - `jna`: the same entry through JNA's direct mapping (about 60–120 ns more per call), taken
 *   when the JNI native cannot be bound ([fallbackReason] says why, and a warning is logged
 *   to the `dev.recall` java.util.logging logger);
 * - `uniffi`: uniffi's own JNA calls (microseconds per call), only when asked.
 *
 * The system property `uniffi.component.__CRATE__.callPath` (`jni`, `jna` or `uniffi`) names
 * the path; a path named there that cannot be used is an error at the first call.
 */
public object RecallCallPath {
    /** The path every call takes: `jni`, `jna` or `uniffi`. */
    @JvmStatic
    public val active: String get() = uniffiCallPath

    /** Why the default path, `jni`, is not [active]: the error that prevented it; null when it is, or when the property named the path. */
    @JvmStatic
    public val fallbackReason: String? get() = uniffiCallPathChoice.fallbackReason
}

/**
 * Writes and reads the 8-byte slots of uniffi's ffi-buffer layout (native byte order). A
 * pointer fills the first 4 bytes of its slot on 32-bit ABIs and all 8 on 64-bit ones.
 *
 * @suppress
 */
internal object UniffiFastSlots {
    /** Bytes in a native pointer on this ABI. */
    @JvmField val POINTER_SIZE: Int = Native.POINTER_SIZE

    fun putPointer(buf: ByteBuffer, offset: Int, address: Long, pointerSize: Int = POINTER_SIZE) {
        if (pointerSize == 4) {
            buf.putLong(offset, 0L)
            buf.putInt(offset, address.toInt())
        } else {
            buf.putLong(offset, address)
        }
    }

    fun getPointer(buf: ByteBuffer, offset: Int, pointerSize: Int = POINTER_SIZE): Long =
        if (pointerSize == 4) buf.getInt(offset).toLong() and 0xFFFF_FFFFL else buf.getLong(offset)
}

/**
 * One call's buffer: the header and slots of ffi/src/fast.rs in native byte order, then the
 * data area, where uniffi's converters write arguments and read results (big-endian, as in a
 * RustBuffer).
 *
 * Memory is bounded on every thread (issue 21). A platform thread keeps one small buffer
 * ([FIRST_SIZE], 8-byte aligned); a call whose arguments do not fit it gets a larger one from
 * `malloc`, doubled until they fit, and frees it when the call ends, so the thread goes back to
 * its small buffer. A virtual thread keeps nothing: it borrows a buffer from a small lock-free
 * pool ([POOL_SIZE] buffers, shared by the process) and gives it back, so 10^5 virtual threads
 * need no more buffers than run at once. The thread-local holds only JDK objects (the buffers,
 * their address, and a weak reference to this object), never an instance of a class of this
 * library: a thread that outlives the application (an application server's pool) does not pin
 * its class loader.
 *
 * @suppress
 */
internal class UniffiFastCall private constructor(
    /** The small buffer this object goes back to after each call (native byte order). */
    private val home: ByteBuffer,
    private val homeData: ByteBuffer,
    private val homeAddress: Long,
    /** Borrowed from the pool (a virtual thread's call, or a call made while lowering). */
    private val pooled: Boolean,
) {
    private var io: ByteBuffer = home
    /** The data area's view, big-endian, positioned where the next argument goes. */
    private var data: ByteBuffer = homeData
    private var address: Long = homeAddress
    /** The `malloc`ed block of a buffer grown for this call (0: none), freed when it ends. */
    private var grown: Long = 0
    private var slot: Int = 0
    private var mask: Long = 0
    private var returnAt: Int = 0
    /** The call has crossed: it must not be retried. */
    private var called: Boolean = false
    internal var busy: Boolean = false

    /** The size of the buffer the next call writes into (tests). */
    internal val capacity: Int get() = io.capacity()

    /** Starts a request. */
    fun begin() {
        slot = 0
        mask = 0
        called = false
        uniffiSeek(data, DATA_START, data.capacity())
    }

    /**
     * Doubles the buffer (to at least [GROWN_SIZE]) after an argument did not fit, before the
     * call is written again. The larger buffer is `malloc`ed, not a direct buffer: it is freed
     * as soon as the call ends ([release]), whatever `-XX:MaxDirectMemorySize` says.
     */
    fun grow(cause: java.nio.BufferOverflowException) {
        if (called || io.capacity() >= MAX_SIZE) throw cause
        val size = maxOf(GROWN_SIZE.toLong(), minOf(io.capacity().toLong() * 2, MAX_SIZE.toLong()))
        freeGrown()
        val block = Native.malloc(size + 8)
        if (block == 0L) throw OutOfMemoryError("a call buffer of $size bytes")
        grown = block
        val skip = (8 - (block and 7L)) and 7L
        use(Pointer(block).getByteBuffer(skip, size), block + skip)
    }

    private fun use(buffer: ByteBuffer, at: Long) {
        io = buffer.order(ByteOrder.nativeOrder())
        data = io.duplicate().order(ByteOrder.BIG_ENDIAN)
        address = at
    }

    private fun freeGrown() {
        if (grown != 0L) {
            // Nothing may touch the views of the block once it is freed: back to home first.
            io = home
            data = homeData
            address = homeAddress
            Native.free(grown)
            grown = 0
        }
    }

    /** Ends a call: frees a grown buffer and gives this one back (to its thread or the pool). */
    fun release() {
        freeGrown()
        busy = false
        if (pooled) poolPut(this)
    }

    private fun putSlot(value: Long) {
        if (slot >= MAX_ARG_SLOTS) throw InternalException("more than $MAX_ARG_SLOTS argument slots")
        io.putLong((HEADER + slot) * 8, value)
        slot += 1
    }

    fun i8(value: Byte) { putSlot(0L); io.put((HEADER + slot - 1) * 8, value) }
    fun i16(value: Short) { putSlot(0L); io.putShort((HEADER + slot - 1) * 8, value) }
    fun i32(value: Int) { putSlot(0L); io.putInt((HEADER + slot - 1) * 8, value) }
    fun i64(value: Long) = putSlot(value)
    fun f32(value: Float) { putSlot(0L); io.putFloat((HEADER + slot - 1) * 8, value) }
    fun f64(value: Double) { putSlot(0L); io.putDouble((HEADER + slot - 1) * 8, value) }

    /**
     * A RustBuffer argument: its bytes, written by the type's converter into the data area.
     * Only a string or a `FfiConverterRustBuffer` type comes here (the generator refuses any
     * other): nothing is allocated before the call, so writing it again after the buffer grew
     * leaks nothing.
     */
    fun <T> buffer(converter: FfiConverter<T, RustBuffer.ByValue>, value: T) {
        val start = data.position()
        @Suppress("UNCHECKED_CAST")
        when {
            converter === FfiConverterString -> writeUtf8(value as String)
            converter is FfiConverterRustBuffer<*> -> (converter as FfiConverterRustBuffer<T>).write(value, data)
            else -> throw InternalException("the fast path does not carry ${converter.javaClass.name} (a bug in recall's bindgen)")
        }
        mask = mask or (1L shl slot)
        putSlot(0L)
        putSlot((data.position() - start).toLong())
        putSlot(start.toLong())
    }

    /** A string argument: its UTF-8 bytes, no length (uniffi's lowering of a String). */
    private fun writeUtf8(value: String) {
        val start = data.position()
        for (i in 0 until value.length) {
            val ch = value[i]
            if (ch.code >= 0x80) {
                uniffiSeek(data, start)
                data.put(FfiConverterString.toUtf8(value))
                return
            }
            data.put(ch.code.toByte())
        }
    }

    /**
     * Crosses once: calls the function at `index` of the Rust side's table (ffi/src/fast_table.rs,
     * generated with this file), which knows its signature and, for a method, the receiver's
     * clone function. `returns` and `copyReturn` are what this code expects of it: the entry
     * checks them, and the argument slots and mask written, against the table (a mismatch is
     * BAD_REQUEST). Throws as uniffi does for an error (`error`: the converter of the error
     * type, or null when the function declares none) or a panic.
     */
    fun <E : Throwable> invoke(index: Int, returns: Int, copyReturn: Boolean, error: FfiConverter<E, RustBuffer.ByValue>?) {
        returnAt = (HEADER + slot) * 8
        io.putLong(0, index.toLong())
        io.putLong(8, 0L)
        io.putLong(16, slot.toLong())
        io.putLong(24, mask)
        io.putLong(32, returns.toLong())
        io.putLong(40, if (copyReturn) 1L else 0L)
        io.putLong(48, io.capacity().toLong())
        io.putLong(56, DATA_START.toLong())
        called = true
        val code = if (uniffiFastJni) UniffiFastJni.call(address) else UniffiFastJna.__CRATE___fast_call(address)
        if (code != 0) fail(code, returns, error)
    }

    private fun <E : Throwable> fail(code: Int, returns: Int, error: FfiConverter<E, RustBuffer.ByValue>?) {
        val statusAt = returnAt + returns * 8
        when (code) {
            UNIFFI_CALL_ERROR.toInt() ->
                if (error == null) {
                    freeLeft(statusAt + 8)
                    throw InternalException("Unexpected CALL_ERROR")
                } else {
                    throw liftFrom(error, statusAt + 8)
                }
            UNIFFI_CALL_UNEXPECTED_ERROR.toInt() -> {
                val message = liftFrom(FfiConverterString, statusAt + 8)
                throw InternalException(if (message.isEmpty()) "Rust panic" else message)
            }
            BAD_REQUEST -> throw InternalException("the fast call path refused its request (a bug in recall's bindgen)")
            else -> {
                // A code this version does not know (cancelled, or a later uniffi's): the error
                // buffer Rust may have left in the status slots is freed, not leaked.
                freeLeft(statusAt + 8)
                throw InternalException("Unknown rust call status: $code")
            }
        }
    }

    private fun freeLeft(at: Int) {
        if (io.getLong(56) < 0) RustBuffer.free(leftBuffer(at))
    }

    /** A RustBuffer Rust left in its slots at `at` (too large for the data area). */
    private fun leftBuffer(at: Int): RustBuffer.ByValue =
        RustBuffer.create(
            io.getLong(at).toULong(),
            io.getLong(at + 8).toULong(),
            Pointer(UniffiFastSlots.getPointer(io, at + 16)),
        )

    /** The returned primitive. */
    fun resultI8(): Byte = io.get(returnAt)
    fun resultI16(): Short = io.getShort(returnAt)
    fun resultI32(): Int = io.getInt(returnAt)
    fun resultI64(): Long = io.getLong(returnAt)
    fun resultF32(): Float = io.getFloat(returnAt)
    fun resultF64(): Double = io.getDouble(returnAt)

    /** The returned RustBuffer, lifted by the type's converter. */
    fun <T> result(converter: FfiConverter<T, RustBuffer.ByValue>): T = liftFrom(converter, returnAt)

    private fun <T> liftFrom(converter: FfiConverter<T, RustBuffer.ByValue>, at: Int): T {
        val len = io.getLong(56)
        // Too large for the data area: uniffi's converter lifts it from Rust's memory and frees it.
        if (len < 0) return converter.lift(leftBuffer(at))
        val end = DATA_START + len.toInt()
        uniffiSeek(data, DATA_START, end)
        @Suppress("UNCHECKED_CAST")
        return when {
            converter === FfiConverterString -> {
                val bytes = ByteArray(len.toInt())
                data.get(bytes)
                bytes.toString(Charsets.UTF_8) as T
            }
            converter is FfiConverterRustBuffer<*> -> {
                val value = converter.read(data) as T
                if (data.hasRemaining()) throw RuntimeException("junk remaining in buffer after lifting, something is very wrong!!")
                value
            }
            else -> {
                // Any other converter: through a RustBuffer of its own, as uniffi would.
                val rb = RustBuffer.alloc(len.toULong())
                val bytes = ByteArray(len.toInt())
                data.get(bytes)
                rb.data!!.write(0, bytes, 0, bytes.size)
                rb.len = len
                converter.lift(rb)
            }
        }
    }

    companion object {
        /** Header slots before the argument slots (ffi/src/fast.rs). */
        const val HEADER = 8
        /** Most argument slots a call may have (one bit each in the header's mask). */
        const val MAX_ARG_SLOTS = 64
        /**
         * Where the data area starts: after the header, 64 argument slots, 3 return slots and
         * 4 call-status slots (632 bytes), rounded up.
         */
        const val DATA_START = 640
        /** The answer of ffi/src/fast.rs to a request that does not fit its buffer. */
        const val BAD_REQUEST = 100
        /** A thread's buffer, and a pooled one: 2 KiB (1,408 bytes of data area). */
        const val FIRST_SIZE = 2 * 1024
        /** The first size of a buffer grown for one call; then doubled. */
        const val GROWN_SIZE = 16 * 1024
        const val MAX_SIZE = 1 shl 30
        /** Buffers the pool of virtual threads' calls keeps; more are dropped when given back. */
        const val POOL_SIZE = 32

        /**
         * `Thread.isVirtual()` (Java 21), looked up once: the binding is Java 11 bytecode and
         * cannot name it. Null before Java 21 and on Android, where no thread is virtual.
         */
        @JvmField internal val IS_VIRTUAL: java.lang.invoke.MethodHandle? = try {
            java.lang.invoke.MethodHandles.publicLookup().findVirtual(
                Thread::class.java,
                "isVirtual",
                java.lang.invoke.MethodType.methodType(java.lang.Boolean.TYPE),
            )
        } catch (e: Throwable) {
            // NoSuchMethodException before Java 21; whatever a runtime without it throws.
            null
        }

        /**
         * A platform thread's buffer: `[home, its big-endian view, its address, a weak
         * reference to the UniffiFastCall using it]`. A plain ThreadLocal holding JDK objects
         * only: the thread holds nothing of this library's classes strongly (see the class doc).
         * The UniffiFastCall, when the collector took it, is made again around the same buffer.
         */
        private val threads = ThreadLocal<Array<Any?>>()

        /** Buffers lent to virtual threads (and to calls made while lowering). */
        private val pool = java.util.concurrent.atomic.AtomicReferenceArray<UniffiFastCall?>(POOL_SIZE)

        /** A new object around a new small buffer, 8-byte aligned as the slots need. */
        private fun create(pooled: Boolean): UniffiFastCall {
            val raw = ByteBuffer.allocateDirect(FIRST_SIZE + 8)
            val base = Pointer.nativeValue(Native.getDirectBufferPointer(raw))
            val skip = ((8 - (base and 7L)) and 7L).toInt()
            uniffiSeek(raw, skip, skip + FIRST_SIZE)
            val io = raw.slice().order(ByteOrder.nativeOrder())
            return UniffiFastCall(io, io.duplicate().order(ByteOrder.BIG_ENDIAN), base + skip, pooled)
        }

        /** This thread's buffer; a pooled one on a virtual thread, or when this thread's is in use (a call made while lowering). */
        fun acquire(): UniffiFastCall {
            val isVirtual = IS_VIRTUAL
            if (isVirtual == null || !(isVirtual.invokeExact(Thread.currentThread()) as Boolean)) {
                val call = threadCall()
                if (!call.busy) {
                    call.busy = true
                    return call
                }
            }
            return poolTake().also { it.busy = true }
        }

        /** What this thread's ThreadLocal holds (tests: JDK objects only). */
        internal fun threadState(): Array<Any?>? = threads.get()

        private fun threadCall(): UniffiFastCall {
            val state = threads.get()
            if (state == null) {
                val call = create(pooled = false)
                threads.set(arrayOf(call.home, call.homeData, call.homeAddress, java.lang.ref.WeakReference(call)))
                return call
            }
            @Suppress("UNCHECKED_CAST")
            return (state[3] as java.lang.ref.WeakReference<UniffiFastCall>).get()
                ?: UniffiFastCall(state[0] as ByteBuffer, state[1] as ByteBuffer, state[2] as Long, pooled = false)
                    .also { state[3] = java.lang.ref.WeakReference(it) }
        }

        private fun poolTake(): UniffiFastCall {
            for (i in 0 until POOL_SIZE) {
                val call = pool.get(i)
                if (call != null && pool.compareAndSet(i, call, null)) return call
            }
            return create(pooled = true)
        }

        private fun poolPut(call: UniffiFastCall) {
            for (i in 0 until POOL_SIZE) {
                if (pool.get(i) == null && pool.compareAndSet(i, null, call)) return
            }
            // The pool is full: this one is dropped, and the collector frees its 2 KiB.
        }
    }
}

/**
 * Moves a buffer's position (and limit) through `java.nio.Buffer`: `ByteBuffer`'s own
 * `position(Int)` and `limit(Int)` exist only from Java 9 and Android API 28.
 */
private fun uniffiSeek(buf: java.nio.Buffer, position: Int, limit: Int = buf.limit()) {
    buf.limit(limit)
    buf.position(position)
}

/**
 * Runs `block` (write the arguments, invoke, lift) with this thread's buffer (a pooled one on a
 * virtual thread), in a larger one when an argument does not fit; a grown buffer is freed and
 * the buffer given back when the call ends.
 */
private inline fun <R> uniffiFastCall(block: (UniffiFastCall) -> R): R {
    val call = UniffiFastCall.acquire()
    try {
        while (true) {
            call.begin()
            try {
                return block(call)
            } catch (e: java.nio.BufferOverflowException) {
                call.grow(e)
            }
        }
    } finally {
        call.release()
    }
}

/** The index of each export in the Rust side's table of the functions the fast path calls (ffi/src/fast_table.rs). */
private object UniffiFastFns {
__FUNCTIONS__
}
