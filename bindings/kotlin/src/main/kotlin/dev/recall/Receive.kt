// Hand-written (not generated): the two orders the contract needs (spec 6.7, 6.8), made the
// easy path. `receive` takes a recall (onRecall, then the lookup, then settle) and `admit`
// takes a message (store, then onMessage). The raw calls stay for pages and advanced use.
// Java sees these functions as statics of `Recalls`.
@file:JvmName("Recalls")
@file:JvmMultifileClass

package dev.recall

import java.time.Instant
import java.util.function.Function

/**
 * Takes a recall that arrived (live or from offline sync) in the order the contract needs
 * (spec 6.7): [RecallState.onRecall] first, so that from then on the message it names arrives
 * as a tombstone; then [lookup], only after `onRecall` returned; then `settle` with what the
 * lookup found.
 *
 * On [RecallOutcome.Applied], replace the stored row with the tombstone in ONE update of the
 * row that removes its content and undoes what the row records as done at that moment: a
 * notification posted, an unread counted, a preview, a search index entry. Read those from the
 * row inside the update, not from the outcome's effects alone, so that a show that raced ahead
 * of the lookup (see [admit]) is undone too. [RecallOutcome.Remembered] and
 * [RecallOutcome.Duplicate]: nothing to do.
 *
 * Safe to retry: when [lookup] throws, the exception reaches the caller (it is never
 * swallowed) and the recall stays remembered. Calling `receive` again with the same recall (a
 * retry, or the server's redelivery) is idempotent: it answers `Applied` once the lookup finds
 * the message, `Duplicate` when there is nothing (more) to do. Never drop a recall whose lookup
 * failed: a recall seen again is a duplicate for the state, so only a retry applies it.
 *
 * The calls into the state take about a microsecond and never block on I/O; [lookup] is
 * yours, and may suspend.
 *
 * @param recall the recall, as decoded from the server ([RecallNotification.fromProtobuf],
 *   [RecallNotification.fromJson]) or translated from a legacy command.
 * @param now the time of arrival (the device's clock).
 * @param lookup reads the app's committed store for the message under the recall's
 *   conversation id and message id, and answers it as a [HeldMessage] (its flags read from the
 *   row: a tombstone already, unread, latest, attachments, notification shown), or null when
 *   the store does not hold it.
 * @return what to do, as above.
 * @throws RecallException.Refused for a recall the state refuses ([Reason.OperatorMismatch],
 *   [Reason.InvalidArgument]) or a held message that is not the recalled one
 *   ([Reason.ConversationMismatch], [Reason.SenderMismatch]); and whatever [lookup] throws.
 */
@Throws(RecallException::class)
suspend fun RecallState.receive(
    recall: RecallNotification,
    now: Instant = Instant.now(),
    lookup: suspend (RecallNotification) -> HeldMessage?,
): RecallOutcome {
    val pending = onRecall(recall, now)
    val held = lookup(recall)
    return settle(ArrivingRecall(recall, pending, held))
}

/**
 * [receive] for a caller that does not suspend (Java, or a worker thread): the same order, the
 * same answers, the same retry rule; [lookup] runs on the calling thread. From Java:
 * `Recalls.receiveBlocking(state, recall, r -> store.held(r))`.
 *
 * @param recall the recall, as decoded from the server or translated from a legacy command.
 * @param now the time of arrival (the device's clock).
 * @param lookup reads the app's committed store for the message under the recall's
 *   conversation id and message id, after `onRecall` returned; null when not held.
 * @return what to do: on [RecallOutcome.Applied], replace the row with the tombstone in one
 *   update that undoes what the row records as done (see [receive]).
 * @throws RecallException.Refused as [receive]; and whatever [lookup] throws.
 */
@Throws(RecallException::class)
@JvmOverloads
fun RecallState.receiveBlocking(
    recall: RecallNotification,
    now: Instant = Instant.now(),
    lookup: Function<RecallNotification, HeldMessage?>,
): RecallOutcome {
    val pending = onRecall(recall, now)
    val held = lookup.apply(recall)
    return settle(ArrivingRecall(recall, pending, held))
}

/**
 * Takes a message that arrived in the order the contract needs (spec 6.8): [store] first,
 * then [RecallState.onMessage].
 *
 * [store] stores the message hidden (not shown, not notified, not counted as unread), where
 * the lookup of [receive] finds it. Then:
 * - on [Arrival.Show], show it with ONE conditional update of the store that shows, notifies,
 *   previews, indexes and counts the message as unread only if the stored row is still that
 *   message (not a tombstone), built from the row, never from what arrived. A recall that
 *   settled in between has replaced the row, and the update then does nothing;
 * - on [Arrival.Tombstone], replace the row with the tombstone, silently.
 *
 * The call into the state takes well under a microsecond and never blocks on I/O.
 *
 * @param message the arriving message's ids (its content stays in the app).
 * @param now the time of arrival (the device's clock).
 * @param store stores the message hidden; it may suspend where the caller may.
 * @return whether to show the message or store its tombstone instead.
 * @throws RecallException.Refused [Reason.InvalidArgument] for an invalid id (after [store]
 *   ran: the row stays hidden); and whatever [store] throws (then `onMessage` is not called).
 */
@Throws(RecallException::class)
inline fun RecallState.admit(message: ArrivingMessage, now: Instant = Instant.now(), store: () -> Unit): Arrival {
    store()
    return onMessage(message, now)
}

/**
 * [admit] for Java: [store] (a `Runnable`) first, then `onMessage`; the same rule for showing.
 * From Java: `Recalls.admitBlocking(state, message, () -> db.insertHidden(row))`.
 *
 * @param message the arriving message's ids.
 * @param now the time of arrival (the device's clock).
 * @param store stores the message hidden, where the lookup of [receiveBlocking] finds it.
 * @return whether to show the message (one conditional update, see [admit]) or store its
 *   tombstone instead.
 * @throws RecallException.Refused [Reason.InvalidArgument] for an invalid id.
 */
@Throws(RecallException::class)
@JvmOverloads
fun RecallState.admitBlocking(message: ArrivingMessage, now: Instant = Instant.now(), store: Runnable): Arrival {
    store.run()
    return onMessage(message, now)
}
