// A Loom server's use of the binding (issue 21): N virtual threads, each deciding one recall
// through the public API, under a small -XX:MaxDirectMemorySize. Run by
// scripts/check-virtual-threads on Java 21 or newer; compiled for Java 17, so virtual threads
// are reached through reflection (Executors.newVirtualThreadPerTaskExecutor, Thread.isVirtual).
// Fails (exit 1) on a wrong answer, a call not made on a virtual thread, or any exception, such
// as "Cannot reserve direct buffer memory".
package dev.recall.check;

import dev.recall.Basis;
import dev.recall.Conversation;
import dev.recall.ConversationKind;
import dev.recall.Decision;
import dev.recall.MessageKind;
import dev.recall.MessageState;
import dev.recall.Operator;
import dev.recall.RecallPolicy;
import dev.recall.RecallRequest;
import dev.recall.Role;
import dev.recall.StoredMessage;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public final class VirtualThreads {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Method isVirtual = Thread.class.getMethod("isVirtual");
        ExecutorService executor =
                (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        Instant sentAt = Instant.parse("2026-01-01T00:00:00Z");
        Conversation team = new Conversation("team-42", ConversationKind.GROUP);
        Operator alice = new Operator("alice", Role.MEMBER);
        Decision expected = new Decision(Basis.SENDER, sentAt.plusSeconds(120));
        AtomicInteger onVirtual = new AtomicInteger();
        long start = System.nanoTime();
        try (RecallPolicy policy = RecallPolicy.defaults()) {
            List<Future<Decision>> answers = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                // Every thread its own message: arguments differ, as a server's requests do.
                String id = "m-" + i;
                StoredMessage message =
                        new StoredMessage(id, team, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt);
                RecallRequest request = new RecallRequest(team.getId(), id);
                answers.add(executor.submit(() -> {
                    if ((Boolean) isVirtual.invoke(Thread.currentThread())) onVirtual.incrementAndGet();
                    return policy.decide(request, alice, message, sentAt.plusSeconds(90));
                }));
            }
            for (Future<Decision> answer : answers) {
                Decision got = answer.get();
                if (!expected.equals(got)) throw new AssertionError("decide answered " + got + ", not " + expected);
            }
        } finally {
            executor.shutdown();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (onVirtual.get() != threads) {
            throw new AssertionError(onVirtual.get() + " of " + threads + " calls ran on a virtual thread");
        }
        System.out.println("virtual threads: " + threads + " decide calls, each on its own virtual thread, all answered "
                + expected + " in " + millis + " ms (" + System.getProperty("java.version") + ", max direct memory "
                + maxDirect() + ")");
    }

    private static String maxDirect() {
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) return arg.substring(arg.indexOf('=') + 1);
        }
        return "default";
    }
}
