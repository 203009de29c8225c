// RecallBench: what one recall decision costs a Swift app through the binding, against the
// same decision written in plain Swift, the empty exported call, and a screen of 50 messages
// decided in one crossing. Build with `swift build -c release` (-O); scripts/bench-swift runs
// it. The figures are in docs/bench-bindings.md.
//
//   RecallBench [rounds=15] [round-ms=200] [json=PATH] [parts] [profile=decide|each|noop [count=N]]
//
// The noop benchmark is compiled only with `-Xswiftc -DRECALL_BENCH_NOOP`, against bindings of a
// library built with the cargo feature `bench` (the committed bindings export no `noop()`).
//
// `parts` adds why scripts/bindgen patches the generated reader: uniffi 0.32's way of reading
// an answer (`readInt` through Foundation's `Data`), against reading the same bytes from a raw
// pointer, as the patched binding does (ffi/uniffi-bindgen/src/swift_patch.rs).
//
// Harness: each benchmark is warmed up (at least 0.5 s, doubling the iteration count until one
// round takes round-ms), then timed in `rounds` rounds of N iterations; it reports the median,
// the fastest and the slowest round in ns per operation (wall clock), and the median of the
// rounds' thread CPU time per operation ("cpu ns": the same unless other processes took the CPU).
//
// The inputs are built once and reused. `now` cycles through 64 precomputed instants (90 s
// after sending, plus 0..63 ms) so that the optimizer cannot hoist a pure decision out of the
// timing loop; every answer is folded into a global sink.
import Foundation
import Recall

// MARK: - the plain-Swift decision (spec §4), as an app would write it without the library

struct PlainPolicy {
    var windowMillis: Int64 = 120_000
    var moderators: Set<Role> = [.owner, .admin]
    var moderatorsBypassWindow = true
    var moderationAny = false
    var excludedKinds: Set<MessageKind> = [.command, .notification]
    var maxExtBytes = 200
}

struct PlainRefusal: Error {
    let reason: Reason
}

/// Spec §2: 1..=256 UTF-8 bytes, no control character (U+0000–U+001F, U+007F–U+009F).
@inline(__always)
func plainValidId(_ id: String) -> Bool {
    let bytes = id.utf8.count
    guard bytes >= 1, bytes <= 256 else { return false }
    for scalar in id.unicodeScalars {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return false }
    }
    return true
}

@inline(__always)
func rank(_ role: Role) -> Int {
    switch role {
    case .member: return 1
    case .admin: return 2
    case .owner: return 3
    }
}

@inline(__always)
func millis(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded())
}

/// Spec §4, rules 2–9 in order (rule 1 holds: the policy is built valid).
@inline(never)
func plainDecide(_ policy: PlainPolicy, _ request: RecallRequest, _ actor: Actor, _ message: StoredMessage,
                 _ now: Date) throws -> Decision {
    let conversation = message.conversation
    // 2. ids, and a conversation kind this version knows
    guard plainValidId(request.conversationId), plainValidId(request.messageId), plainValidId(actor.userId),
          plainValidId(message.id), plainValidId(conversation.id), plainValidId(message.senderId),
          conversation.kind != .unknown
    else { throw PlainRefusal(reason: .invalidArgument) }
    // 3. the message asked for, in the request's conversation
    guard message.id == request.messageId, conversation.id == request.conversationId else {
        throw PlainRefusal(reason: .notFound)
    }
    let direct = conversation.kind == .direct
    // 4. group/room: the actor has a role
    if !direct && actor.role == nil { throw PlainRefusal(reason: .notInConversation) }
    // 5. ext
    if let ext = request.ext, ext.utf8.count > policy.maxExtBytes { throw PlainRefusal(reason: .extTooLarge) }
    // 6. state
    switch message.state {
    case .sent: break
    case .sending, .failed: throw PlainRefusal(reason: .notSent)
    case .recalled: throw PlainRefusal(reason: .alreadyRecalled)
    }
    // 7. kind
    if policy.excludedKinds.contains(message.kind) { throw PlainRefusal(reason: .kindNotRecallable) }
    // 8. authority
    let isSender = actor.userId == message.senderId
    let basis: Basis
    if direct {
        guard isSender else { throw PlainRefusal(reason: .notSender) }
        basis = .sender
    } else {
        let role = actor.role!
        let moderator = policy.moderators.contains(role)
        let senderRank = rank(message.senderRole ?? .member)
        if moderator && (isSender || policy.moderationAny || rank(role) > senderRank) {
            basis = .moderator
        } else if isSender {
            basis = .sender
        } else if moderator {
            throw PlainRefusal(reason: .insufficientRole)
        } else {
            throw PlainRefusal(reason: .notSender)
        }
    }
    // 9. window (inclusive, to the millisecond)
    if basis == .moderator && policy.moderatorsBypassWindow { return Decision(basis: basis, deadline: nil) }
    let sentAt = millis(message.sentAt)
    let elapsed = max(0, millis(now) - sentAt)
    if elapsed > policy.windowMillis { throw PlainRefusal(reason: .windowExpired) }
    return Decision(basis: basis, deadline: Date(timeIntervalSince1970: Double(sentAt + policy.windowMillis) / 1000))
}

// MARK: - inputs, built once

let screenSize = 50
let sentAt = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z
let policy = RecallPolicy.defaults()
let plainPolicy = PlainPolicy()
let conversation = Conversation(id: "team-42", kind: .group)
let actor = Actor(userId: "alice", role: .member)
// The common allowed case: in a group, a member recalls her own text message 90 s after sending.
let message = StoredMessage(id: "m-\(1001)", conversation: conversation, senderId: "alice", senderRole: .member,
                            kind: .text, state: .sent, sentAt: sentAt)
let request = RecallRequest(conversationId: conversation.id, messageId: "m-\(1001)")
let nows: [Date] = (0..<64).map { sentAt.addingTimeInterval(90 + Double($0) / 1000) }
// A screen of the actor's own recent text messages, one a second: every answer is "allowed,
// with a deadline", the costliest answer to carry back (an upper bound).
let screen: [StoredMessage] = (0..<screenSize).map { i in
    StoredMessage(id: "m-\(1001 + i)", conversation: conversation, senderId: "alice", senderRole: .member,
                  kind: .text, state: .sent, sentAt: sentAt.addingTimeInterval(Double(i)))
}

var sink = 0

@inline(__always)
func fold(_ decision: Decision) {
    sink &+= decision.basis == .sender ? 1 : 2
    if let deadline = decision.deadline { sink &+= Int(deadline.timeIntervalSince1970) }
}

// MARK: - the four benchmarks (each runs `n` operations)

@inline(never)
func benchDecideBinding(_ n: Int) {
    for i in 0..<n {
        fold(try! policy.decide(request: request, actor: actor, message: message, now: nows[i & 63]))
    }
}

@inline(never)
func benchDecidePlainSwift(_ n: Int) {
    for i in 0..<n {
        fold(try! plainDecide(plainPolicy, request, actor, message, nows[i & 63]))
    }
}

// `noop()` is exported only by a library built with the cargo feature `bench`, and the committed
// bindings have none: compile this with `-Xswiftc -DRECALL_BENCH_NOOP` against bench bindings.
#if RECALL_BENCH_NOOP
@inline(never)
func benchNoop(_ n: Int) {
    for _ in 0..<n {
        noop()
    }
}
#endif

@inline(never)
func benchDecideEach50(_ n: Int) {
    for i in 0..<n {
        let answers = try! policy.decideEach(conversationId: conversation.id, actor: actor, messages: screen, now: nows[i & 63],
                                        ext: nil)
        sink &+= answers.count
    }
}

// MARK: - parts (where the time goes)

/// uniffi 0.32's reader, as it generates it (ffi/uniffi-bindgen/patches/swift-reader.uniffi.swift).
@inline(__always)
func uniffiStyleReadInt<T: FixedWidthInteger>(_ reader: inout (data: Data, offset: Data.Index)) -> T {
    let range = reader.offset..<reader.offset + MemoryLayout<T>.size
    precondition(reader.data.count >= range.upperBound)
    var value: T = 0
    let _ = withUnsafeMutableBytes(of: &value, { reader.data.copyBytes(to: $0, from: range) })
    reader.offset = range.upperBound
    return value.bigEndian
}

/// 64 copies of a `Decision` as Rust returns it: basis (i32), Some (i8), seconds (i64),
/// nanoseconds (u32); iteration i reads copy i % 64, so no read can be hoisted out of the loop.
let decisionSize = 17
let decisionBytes: [UInt8] = (0..<64).flatMap { (i: Int) -> [UInt8] in
    [0, 0, 0, 1, 1, 0, 0, 0, 0, 0x69, 0x55, 0xB8, 0x78, 0, 0, 0, UInt8(i)]
}

/// Reading a `Decision`'s four fields the way uniffi's reader does: `Data(bytesNoCopy:)`, then
/// `Data.copyBytes(to:from:)` per field.
@inline(never)
func benchReadDecisionViaData(_ n: Int) {
    decisionBytes.withUnsafeBytes { raw in
        for i in 0..<n {
            let base = UnsafeMutableRawPointer(mutating: raw.baseAddress! + (i & 63) * decisionSize)
            var reader = (data: Data(bytesNoCopy: base, count: decisionSize, deallocator: .none), offset: 0)
            let basis: Int32 = uniffiStyleReadInt(&reader)
            let some: Int8 = uniffiStyleReadInt(&reader)
            let seconds: Int64 = uniffiStyleReadInt(&reader)
            let nanos: UInt32 = uniffiStyleReadInt(&reader)
            sink &+= Int(basis) &+ Int(some) &+ Int(seconds) &+ Int(nanos)
        }
    }
}

/// The same four fields read from the raw pointer, as the patched reader does.
@inline(never)
func benchReadDecisionRaw(_ n: Int) {
    decisionBytes.withUnsafeBytes { all in
        for i in 0..<n {
            let raw = UnsafeRawBufferPointer(rebasing: all[((i & 63) * decisionSize)...])
            let basis = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: Int32.self))
            let some = raw.load(fromByteOffset: 4, as: Int8.self)
            let seconds = Int64(bigEndian: raw.loadUnaligned(fromByteOffset: 5, as: Int64.self))
            let nanos = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 13, as: UInt32.self))
            sink &+= Int(basis) &+ Int(some) &+ Int(seconds) &+ Int(nanos)
        }
    }
}

// MARK: - harness

func nanos(_ clock: clockid_t = CLOCK_MONOTONIC) -> UInt64 {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// This thread's CPU time: what the operation cost even when other processes took the CPU
/// away for a while (wall time then counts their time too).
func cpuNanos() -> UInt64 { nanos(CLOCK_THREAD_CPUTIME_ID) }

struct Result {
    let name: String
    let iterations: Int
    let median: Double
    let min: Double
    let max: Double
    /// The median of the rounds' thread CPU time per operation.
    let cpuMedian: Double
}

func measure(_ name: String, ops: Int = 1, rounds: Int, roundMillis: Int, _ body: (Int) -> Void) -> Result {
    let roundNanos = UInt64(roundMillis) * 1_000_000
    // Warm up: double n until one call of body(n) takes a round, for at least 0.5 s in all.
    var n = 1
    let warmStart = nanos()
    while true {
        let t0 = nanos()
        body(n)
        let dt = nanos() - t0
        if dt >= roundNanos && nanos() - warmStart >= 500_000_000 { break }
        if dt < roundNanos { n *= 2 }
    }
    var perOp: [Double] = []
    var cpuPerOp: [Double] = []
    for _ in 0..<rounds {
        let c0 = cpuNanos()
        let t0 = nanos()
        body(n)
        let dt = nanos() - t0
        let dc = cpuNanos() - c0
        perOp.append(Double(dt) / Double(n) / Double(ops))
        cpuPerOp.append(Double(dc) / Double(n) / Double(ops))
    }
    perOp.sort()
    cpuPerOp.sort()
    return Result(name: name, iterations: n, median: perOp[perOp.count / 2], min: perOp.first!, max: perOp.last!,
                  cpuMedian: cpuPerOp[cpuPerOp.count / 2])
}

var rounds = 15
var roundMillis = 200
var jsonPath: String?
var withParts = false
var profiled: String?
var profiledCount: Int?
for arg in CommandLine.arguments.dropFirst() {
    if arg == "parts" { withParts = true; continue }
    let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { fatalError("unknown argument \(arg); expected rounds=N, round-ms=N, json=PATH, parts") }
    switch parts[0] {
    case "rounds": rounds = Int(parts[1])!
    case "round-ms": roundMillis = Int(parts[1])!
    case "json": jsonPath = parts[1]
    case "profile": profiled = parts[1]
    case "count": profiledCount = Int(parts[1])!
    default: fatalError("unknown argument \(arg)")
    }
}

// The three ways must agree before anything is timed.
let expected = Decision(basis: .sender, deadline: sentAt.addingTimeInterval(120))
precondition(try! policy.decide(request: request, actor: actor, message: message, now: nows[0]) == expected, "binding")
precondition(try! plainDecide(plainPolicy, request, actor, message, nows[0]) == expected, "plain")
let answers = try! policy.decideEach(conversationId: conversation.id, actor: actor, messages: screen, now: nows[0], ext: nil)
precondition(answers.count == screenSize && answers.allSatisfy {
    if case .allowed = $0 { return true } else { return false }
}, "decideEach")

// `profile=decide|each|noop`: only that benchmark, for 5 s (or exactly `count=N` operations),
// and no report: for `perf record`, or instruction counts with valgrind.
if let name = profiled {
    var bodies = ["decide": benchDecideBinding, "each": benchDecideEach50]
    #if RECALL_BENCH_NOOP
    bodies["noop"] = benchNoop
    #endif
    guard let body = bodies[name] else { fatalError("profile=\(name): expected one of \(bodies.keys.sorted())") }
    if let count = profiledCount {
        body(count)
    } else {
        let end = nanos() + 5_000_000_000
        while nanos() < end { body(1000) }
    }
    exit(0)
}

print("RecallBench: \(rounds) rounds of \(roundMillis) ms per benchmark, ns per operation")
var results = [
    measure("decide (binding)", rounds: rounds, roundMillis: roundMillis, benchDecideBinding),
    measure("decide (plain Swift)", rounds: rounds, roundMillis: roundMillis, benchDecidePlainSwift),
]
#if RECALL_BENCH_NOOP
results.append(measure("noop()", rounds: rounds, roundMillis: roundMillis, benchNoop))
#endif
let each = measure("decideEach, 50 messages: per call", rounds: rounds, roundMillis: roundMillis, benchDecideEach50)
results.append(each)
// Per message: the same rounds divided by 50.
var all = results + [Result(name: "decideEach, 50 messages: per message", iterations: each.iterations,
                            median: each.median / Double(screenSize), min: each.min / Double(screenSize),
                            max: each.max / Double(screenSize), cpuMedian: each.cpuMedian / Double(screenSize))]
if withParts {
    all.append(measure("part: read a Decision via Data (uniffi)", rounds: rounds, roundMillis: roundMillis,
                       benchReadDecisionViaData))
    all.append(measure("part: read a Decision from a raw pointer (patched)", rounds: rounds, roundMillis: roundMillis,
                       benchReadDecisionRaw))
}

func fmt(_ x: Double) -> String { String(format: "%.1f", x) }
let width = all.map(\.name.count).max()!
print("\("benchmark".padding(toLength: width, withPad: " ", startingAt: 0))  median ns     min ns     max ns    cpu ns   iterations/round")
for r in all {
    let cols = [fmt(r.median), fmt(r.min), fmt(r.max), fmt(r.cpuMedian)].map { String(repeating: " ", count: max(0, 9 - $0.count)) + $0 }
    print("\(r.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(cols.joined(separator: "  "))   \(r.iterations)")
}
let budget = results[0].median <= 1000
print("budget: a decision through Swift <= 1 us: \(budget ? "met" : "MISSED") (median \(fmt(results[0].median)) ns)")
print("(sink \(sink))")

if let path = jsonPath {
    let objects: [[String: Any]] = all.map {
        ["name": $0.name, "iterations_per_round": $0.iterations, "rounds": rounds, "unit": "ns/op",
         "median": $0.median, "min": $0.min, "max": $0.max, "cpu_median": $0.cpuMedian]
    }
    let data = try! JSONSerialization.data(withJSONObject: ["benchmarks": objects], options: [.prettyPrinted, .sortedKeys])
    try! data.write(to: URL(fileURLWithPath: path))
}
