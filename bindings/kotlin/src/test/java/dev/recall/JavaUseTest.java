// The binding as Java code uses it: a server deciding recalls and encoding what it sends, and
// an app taking recalls and messages with the helpers of Receive.kt. Compiled by javac (the
// Java 11 language; the jar's own classes are Java 11 bytecode), run by the same test command.
package dev.recall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaUseTest {
    private static final Instant SENT_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final Conversation TEAM = new Conversation("team", ConversationKind.GROUP);
    private static final StoredMessage MESSAGE =
            new StoredMessage("m42", TEAM, "alice", Role.MEMBER, MessageKind.TEXT, MessageState.SENT, SENT_AT);

    @Test
    void aServerDecidesAndEncodes() throws RecallException {
        try (RecallPolicy defaults = RecallPolicy.defaults();
                RecallPolicy strict = RecallPolicy.fromJson("{\"window_secs\": 60}")) {
            assertEquals(120, defaults.config().getWindowSecs());
            assertEquals(60, strict.config().getWindowSecs());
            RecallRequest request = new RecallRequest("team", "m42"); // ext defaulted
            assertNull(request.getExt());
            Operator alice = new Operator("alice", Role.MEMBER);

            Decision decision = defaults.decide(request, alice, MESSAGE, SENT_AT.plusSeconds(90));
            assertSame(Basis.SENDER, decision.getBasis());
            assertEquals(SENT_AT.plusSeconds(120), decision.getDeadline());

            // Refused: the reason with its stable id and code, readable in a log.
            try {
                strict.decide(request, alice, MESSAGE, SENT_AT.plusSeconds(90));
                fail("the window has passed");
            } catch (RecallException.Refused e) {
                Reason reason = e.getReason();
                assertEquals("window_expired", reason.id());
                assertEquals(11, reason.code());
                assertEquals(Reason.WindowExpired.INSTANCE, reason);
                assertSame(reason, Reason.fromId("window_expired"));
                assertSame(reason, Reason.fromCode(11));
                assertEquals("window_expired", Recalls.getId(e));
                assertEquals(11, Recalls.getCode(e));
                assertEquals("window_expired (11)", reason.toString());
                assertEquals("window_expired (11): the recall window has passed", e.getMessage());
                assertEquals(e.getDetail(), e.getMessage());
            }

            // The notification to deliver, in protobuf and in JSON, and back.
            RecallNotification notification = defaults.recall(request, alice, MESSAGE, SENT_AT.plusSeconds(30));
            assertEquals(notification, RecallNotification.fromProtobuf(notification.toProtobuf()));
            String json = notification.toJson();
            assertTrue(json.contains("\"basis\":\"sender\""), json);
            assertEquals(notification, RecallNotification.fromJson(json));
            assertEquals("sender", Recalls.getId(notification.getBasis()));
            assertSame(Basis.SENDER, Recalls.fromId(Basis.Companion, "sender"));

            // A request from a client, decoded and checked.
            assertEquals(request, RecallRequest.fromJson(request.toJson()));
            assertEquals(request, RecallRequest.fromProtobuf(request.toProtobuf()));
            byte[] rejection = Reason.NotSender.INSTANCE.toRejectionProtobuf();
            assertSame(Reason.NotSender.INSTANCE, Reason.fromRejectionProtobuf(rejection));
        }
    }

    @Test
    void aThrowingConstructorThrowsACheckedRecallException() {
        // javac accepts these catch blocks only because the constructors declare RecallException.
        try {
            new RecallState("");
            fail("an empty id");
        } catch (RecallException e) {
            assertEquals("invalid_argument", ((RecallException.Refused) e).getReason().id());
        }
        try (RecallPolicy policy = RecallPolicy.fromJson("{\"window_secs\": 60}")) {
            PolicyConfig config = policy.config();
            new RecallPolicy(new PolicyConfig(-1, config.getModerators(), config.getModeratorsBypassWindow(),
                    config.getModeration(), config.getExcludedKinds(), config.getMaxExtBytes()));
            fail("a negative window");
        } catch (RecallException e) {
            assertEquals("invalid_policy", ((RecallException.Refused) e).getReason().id());
        }
        RecallException.Refused e = assertThrows(RecallException.Refused.class,
                () -> new RecallState("bob", new LimitsConfig(0)));
        assertSame(Reason.InvalidPolicy.INSTANCE, e.getReason());
    }

    /** The app's message table: one row per id, each change atomic (spec 6.8.3). */
    private static final class Rows {
        final Map<String, String> text = new HashMap<>();
        final Map<String, Tombstone> tombstones = new HashMap<>();
        final List<String> notified = new ArrayList<>();
        int unread;

        synchronized void insertHidden(String id, String body) { text.put(id, body); }

        synchronized void show(String id) { // only if the row is still the message
            if (text.containsKey(id) && !tombstones.containsKey(id) && !notified.contains(id)) {
                notified.add(id);
                unread++;
            }
        }

        synchronized void replace(String id, Tombstone tombstone) { // and undo what the row records
            text.remove(id);
            tombstones.put(id, tombstone);
            if (notified.remove(id)) unread--;
        }

        synchronized HeldMessage held(String id) {
            if (!text.containsKey(id) && !tombstones.containsKey(id)) return null;
            boolean shown = notified.contains(id);
            return new HeldMessage(id, "team", "alice", tombstones.containsKey(id), shown, shown, false, shown);
        }
    }

    @Test
    void anAppTakesRecallsAndMessagesInOrder() throws RecallException {
        Rows rows = new Rows();
        RecallNotification recall;
        try (RecallPolicy policy = RecallPolicy.defaults()) {
            recall = policy.recall(new RecallRequest("team", "m42"), new Operator("alice", Role.MEMBER), MESSAGE,
                    SENT_AT.plusSeconds(30));
        }
        byte[] saved;
        try (RecallState state = new RecallState("bob")) {
            // m1 arrives and is shown.
            ArrivingMessage m1 = new ArrivingMessage("m1", "team", "alice");
            Arrival arrival = Recalls.admitBlocking(state, m1, SENT_AT, () -> rows.insertHidden("m1", "hello"));
            assertSame(Arrival.Show.INSTANCE, arrival);
            assertEquals("Show", arrival.toString());
            rows.show("m1");

            // m42's recall overtakes it: remembered, then m42 arrives as a tombstone.
            RecallOutcome outcome = Recalls.receiveBlocking(state, recall, r -> rows.held(r.getMessageId()));
            assertSame(RecallOutcome.Remembered.INSTANCE, outcome);
            assertEquals("Remembered", outcome.toString());
            saved = state.export();

            Arrival late = Recalls.admitBlocking(state, new ArrivingMessage("m42", "team", "alice"),
                    () -> rows.insertHidden("m42", "oops"));
            assertTrue(late instanceof Arrival.Tombstone);
            Tombstone tombstone = ((Arrival.Tombstone) late).getTombstone();
            rows.replace("m42", tombstone);
            assertSame(RecalledBy.SENDER, tombstone.getRecalledBy());
            assertEquals("sender", Recalls.getId(tombstone.getRecalledBy()));
            // The app keeps its tombstones (spec 6.10): JSON and protobuf, and back.
            String tombstoneJson = tombstone.toJson();
            assertTrue(tombstoneJson.contains("\"recalled_by\":\"sender\""), tombstoneJson);
            assertEquals(tombstone, Tombstone.fromJson(tombstoneJson));
            assertEquals(tombstone, Tombstone.fromProtobuf(tombstone.toProtobuf()));
            assertEquals(List.of("m1"), rows.notified);
            assertEquals(1, rows.unread);
        }

        // After a restart: the remembered recall is still there, and the retried recall settles.
        try (RecallState restarted = RecallState.restore("bob", new LimitsConfig(), saved, SENT_AT.plusSeconds(60))) {
            assertEquals(1L, restarted.rememberedCount());
            assertArrayEquals(saved, restarted.export());
            RecallOutcome again = Recalls.receiveBlocking(restarted, recall, SENT_AT.plusSeconds(61),
                    r -> rows.held(r.getMessageId()));
            assertSame(RecallOutcome.Duplicate.INSTANCE, again);
        }
    }
}
