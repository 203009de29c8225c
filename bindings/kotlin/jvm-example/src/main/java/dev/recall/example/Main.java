package dev.recall.example;

import dev.recall.Operator;
import dev.recall.Basis;
import dev.recall.Conversation;
import dev.recall.ConversationKind;
import dev.recall.Decision;
import dev.recall.MessageKind;
import dev.recall.MessageState;
import dev.recall.Reason;
import dev.recall.RecallCallPath;
import dev.recall.RecallException;
import dev.recall.RecallPolicy;
import dev.recall.RecallRequest;
import dev.recall.Role;
import dev.recall.StoredMessage;
import java.time.Instant;

/**
 * A JVM server deciding recalls with dev.recall:recall and nothing else: the native library
 * comes out of the jar (JNA finds it under linux-x86-64/, linux-aarch64/, darwin-aarch64/...).
 * The request names only the message; who acts comes from the server's own session and
 * membership records (spec 4.1.1). Prints each answer; exits 1 when one is not what the spec
 * says.
 */
public final class Main {
    private static int wrong = 0;

    public static void main(String[] args) throws RecallException {
        Instant sentAt = Instant.parse("2026-01-01T00:00:00Z"); // the server's timestamp
        // The stored message, with its conversation's kind from the server's records.
        Conversation team = new Conversation("team", ConversationKind.GROUP);
        StoredMessage message = new StoredMessage(
                "m42", team, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, sentAt);
        // What a client sends: the message's ids (and an optional ext), nothing about who asks.
        RecallRequest request = new RecallRequest("team", "m42", null);
        // Who asks: the session's user, with the role the membership records give.
        Operator alice = new Operator("alice", Role.MEMBER);
        Operator bob = new Operator("bob", Role.MEMBER);

        try (RecallPolicy policy = RecallPolicy.defaults()) {
            // 90 s after sending, the sender may recall until sentAt + 2 minutes.
            Decision decision = policy.decide(request, alice, message, sentAt.plusSeconds(90));
            System.out.println("alice at +90 s: allowed, " + decision);
            check(decision.getBasis() == Basis.SENDER, "basis sender");
            check(sentAt.plusSeconds(120).equals(decision.getDeadline()), "deadline sentAt + 120 s");

            // At +121 s the window has passed: refused with a typed reason.
            refused(policy, request, alice, message, sentAt.plusSeconds(121), Reason.WindowExpired.INSTANCE,
                    "alice at +121 s");
            // Another member may not recall alice's message.
            refused(policy, request, bob, message, sentAt.plusSeconds(10), Reason.NotSender.INSTANCE, "bob at +10 s");
        }
        // How the calls reached the native library: jni, unless it could not be bound (then the
        // reason) or the system property uniffi.component.recall_ffi.callPath named another.
        String fallback = RecallCallPath.getFallbackReason();
        System.out.println("call path: " + RecallCallPath.getActive() + (fallback == null ? "" : " (" + fallback + ")"));
        System.out.println(wrong == 0 ? "jvm-example: all answers right" : "jvm-example: " + wrong + " wrong answer(s)");
        System.exit(wrong == 0 ? 0 : 1);
    }

    private static void refused(RecallPolicy policy, RecallRequest request, Operator actor, StoredMessage message,
            Instant now, Reason expected, String what) {
        try {
            Decision decision = policy.decide(request, actor, message, now);
            System.out.println(what + ": allowed, " + decision);
            check(false, "refused with " + expected.id());
        } catch (RecallException.Refused e) {
            Reason reason = e.getReason();
            System.out.println(what + ": refused, " + reason.id() + " (code " + reason.code() + ")");
            check(reason.equals(expected), "refused with " + expected.id());
        } catch (RecallException e) {
            System.out.println(what + ": " + e);
            check(false, "refused with " + expected.id());
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("  WRONG: expected " + what);
            wrong++;
        }
    }
}
