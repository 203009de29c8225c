// Hand-written (not generated): how an Instant becomes the millisecond the Rust core works in.
// The generated recall_ffi.kt calls it for every timestamp (ffi/uniffi.toml, custom_types).
package dev.recall

import java.time.Instant

/**
 * The millisecond since the Unix epoch that [instant] names, rounded to the nearest, halves up.
 * An instant that no Long of milliseconds can hold becomes one the core refuses with
 * `invalid_argument`, like any instant outside the years 0000 to 9999.
 */
internal fun recallEpochMillis(instant: Instant): Long =
    try {
        Math.addExact(Math.multiplyExact(instant.epochSecond, 1000L), (instant.nano + 500_000L) / 1_000_000L)
    } catch (e: ArithmeticException) {
        if (instant.epochSecond < 0) Long.MIN_VALUE else Long.MAX_VALUE
    }
