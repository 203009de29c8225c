// Hand-written (not generated): the decoders as companion functions of the types they build
// (`RecallRequest.fromProtobuf(bytes)`), over the generated free functions of recall_ffi.kt,
// which uniffi cannot attach to records and enums itself; and `settle(recall, pending, held)`
// over the generated `settle(ArrivingRecall)`.
package dev.recall

/** Decodes an untrusted protobuf request; an actor or role an old client still sends is ignored. */
@Throws(RecallException::class)
fun RecallRequest.Companion.fromProtobuf(bytes: ByteArray): RecallRequest = recallRequestFromProtobuf(bytes)

/** Decodes an untrusted JSON request; fields it does not name (an old client's actor) are ignored. */
@Throws(RecallException::class)
fun RecallRequest.Companion.fromJson(json: String): RecallRequest = recallRequestFromJson(json)

/** Decodes an untrusted protobuf notification; a newer kind or basis arrives as `UNKNOWN`. */
@Throws(RecallException::class)
fun RecallNotification.Companion.fromProtobuf(bytes: ByteArray): RecallNotification = recallNotificationFromProtobuf(bytes)

/** Decodes an untrusted JSON notification; a newer kind or basis arrives as `UNKNOWN`. */
@Throws(RecallException::class)
fun RecallNotification.Companion.fromJson(json: String): RecallNotification = recallNotificationFromJson(json)

/** The reason of an untrusted protobuf rejection; a newer server's arrives as [Reason.Unknown]. */
@Throws(RecallException::class)
fun Reason.Companion.fromRejectionProtobuf(bytes: ByteArray): Reason = reasonFromRejectionProtobuf(bytes)

/** The reason of an untrusted JSON rejection; a newer server's arrives as [Reason.Unknown]. */
@Throws(RecallException::class)
fun Reason.Companion.fromRejectionJson(json: String): Reason = reasonFromRejectionJson(json)

/** The reason with this code ([Reason.Unknown] past the table); null for 0, negative or past 65535. */
fun Reason.Companion.fromCode(code: Int): Reason? = reasonFromCode(code)

/** The reason of the table with this snake_case id, e.g. `window_expired`; null for any other. */
fun Reason.Companion.fromId(id: String): Reason? = reasonFromId(id)

/** The stable numeric code of the refusal's reason, e.g. 11 for `window_expired`. */
val RecallException.Refused.code: Int get() = reason.code()

/** The stable snake_case id of the refusal's reason, e.g. `window_expired`. */
val RecallException.Refused.id: String get() = reason.id()

/**
 * Phase two of a recall: [recall] is the recall passed to [RecallState.onRecall], [pending] what
 * it answered, and [held] the message you hold under the recall's conversation id and message
 * id, looked up after `onRecall` returned, or null. Do what the outcome says: `Applied`, replace
 * the held message with the tombstone and carry out the effects; `Remembered` or `Duplicate`,
 * nothing. (The generated `settle` takes the three as one [ArrivingRecall], which crosses as one
 * buffer.)
 *
 * Throws `conversation_mismatch` when [held] is another message or in another conversation,
 * and `sender_mismatch` when someone else sent it (the recall stays remembered for its own
 * message); `operator_mismatch` or `invalid_argument` for a recall `onRecall` would refuse.
 */
@Throws(RecallException::class)
fun RecallState.settle(recall: RecallNotification, pending: PendingRecall, held: HeldMessage? = null): RecallOutcome =
    settle(ArrivingRecall(recall, pending, held))
