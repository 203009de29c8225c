// The empty exported call, the floor of one crossing: scripts/bench-kotlin's budget compares
// decideBinding with it. `noop()` is exported only by a library built with the cargo feature
// `bench`, and the committed bindings have none, so this file sits outside the compiled sources
// (bench/pom.xml compiles src/main/kotlin): add src/noop/kotlin to the kotlin-maven-plugin's
// sourceDirs when compiling against bindings generated with that feature.
package dev.recall.bench

import dev.recall.noop
import java.util.concurrent.TimeUnit
import org.openjdk.jmh.annotations.Benchmark
import org.openjdk.jmh.annotations.BenchmarkMode
import org.openjdk.jmh.annotations.Fork
import org.openjdk.jmh.annotations.Measurement
import org.openjdk.jmh.annotations.Mode
import org.openjdk.jmh.annotations.OutputTimeUnit
import org.openjdk.jmh.annotations.Scope
import org.openjdk.jmh.annotations.State
import org.openjdk.jmh.annotations.Warmup

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(2)
open class NoopBench {
    /** (c) The empty exported call: the floor of one crossing. */
    @Benchmark
    fun noopCall() = noop()
}
