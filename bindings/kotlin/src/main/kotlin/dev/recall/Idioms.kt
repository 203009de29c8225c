// Hand-written (not generated): what uniffi cannot attach to the generated types itself. The
// decoders (`RecallRequest.fromProtobuf(bytes)`, `Tombstone.fromJson(json)`) are members of the
// generated companions (ffi/uniffi-bindgen/src/kotlin_fast/idioms.rs); here are the refusal's
// code and id, the string ids of the enums, and `settle(recall, pending, held)` over the
// generated `settle(ArrivingRecall)`. Java sees these functions as statics of `Recalls`.
@file:JvmName("Recalls")
@file:JvmMultifileClass

package dev.recall

/** The stable numeric code of the refusal's reason, e.g. 11 for [Reason.WindowExpired]. */
val RecallException.Refused.code: Int get() = reason.code()

/** The stable snake_case id of the refusal's reason, e.g. `window_expired` for [Reason.WindowExpired]. */
val RecallException.Refused.id: String get() = reason.id()

/**
 * Phase two of a recall, for pages and advanced use ([receive] does both phases in order).
 *
 * @param recall the recall passed to [RecallState.onRecall].
 * @param pending what `onRecall` answered.
 * @param held the message you hold under the recall's conversation id and message id, looked
 *   up after `onRecall` returned, or null when you hold none.
 * @return what to do: [RecallOutcome.Applied], replace the held message with the tombstone and
 *   carry out the effects; [RecallOutcome.Remembered] or [RecallOutcome.Duplicate], nothing.
 *   (The generated `settle` takes the three as one [ArrivingRecall], which crosses as one
 *   buffer.)
 * @throws RecallException.Refused [Reason.ConversationMismatch] when [held] is another message
 *   or in another conversation, [Reason.SenderMismatch] when someone else sent it (the recall
 *   stays remembered for its own message); [Reason.OperatorMismatch] or
 *   [Reason.InvalidArgument] for a recall `onRecall` would refuse.
 */
@Throws(RecallException::class)
@JvmOverloads
fun RecallState.settle(recall: RecallNotification, pending: PendingRecall, held: HeldMessage? = null): RecallOutcome =
    settle(ArrivingRecall(recall, pending, held))

// The spec's JSON ids of the enums (spec 8.8): the constant's name in lowercase, e.g.
// `RecalledBy.YOU.id == "you"`, and `fromId` back (null for a string that is no id).

/** The spec's JSON id: `you`, `sender` or `moderator`. */
val RecalledBy.id: String get() = name.lowercase()

/** The spec's JSON id: `sender`, `moderator`, or `unknown` for a basis of a newer version. */
val Basis.id: String get() = name.lowercase()

/** The spec's JSON id: `direct`, `group`, `room`, or `unknown` for a kind of a newer version. */
val ConversationKind.id: String get() = name.lowercase()

/** The spec's JSON id: `member`, `admin` or `owner`. */
val Role.id: String get() = name.lowercase()

/** The spec's JSON id, e.g. `text`, `image`, `command`. */
val MessageKind.id: String get() = name.lowercase()

/** The spec's JSON id: `sending`, `sent`, `failed` or `recalled`. */
val MessageState.id: String get() = name.lowercase()

/** The spec's JSON id: `outrank` or `any`. */
val Moderation.id: String get() = name.lowercase()

/** The case with this JSON id ([RecalledBy.id]), or null. @param id e.g. `you`. */
fun RecalledBy.Companion.fromId(id: String): RecalledBy? = RecalledBy.entries.firstOrNull { it.id == id }

/** The case with this JSON id ([Basis.id]; `unknown` is [Basis.UNKNOWN]), or null. @param id e.g. `sender`. */
fun Basis.Companion.fromId(id: String): Basis? = Basis.entries.firstOrNull { it.id == id }

/** The case with this JSON id ([ConversationKind.id]), or null. @param id e.g. `group`. */
fun ConversationKind.Companion.fromId(id: String): ConversationKind? = ConversationKind.entries.firstOrNull { it.id == id }

/** The case with this JSON id ([Role.id]), or null. @param id e.g. `admin`. */
fun Role.Companion.fromId(id: String): Role? = Role.entries.firstOrNull { it.id == id }

/** The case with this JSON id ([MessageKind.id]), or null. @param id e.g. `image`. */
fun MessageKind.Companion.fromId(id: String): MessageKind? = MessageKind.entries.firstOrNull { it.id == id }

/** The case with this JSON id ([MessageState.id]), or null. @param id e.g. `sent`. */
fun MessageState.Companion.fromId(id: String): MessageState? = MessageState.entries.firstOrNull { it.id == id }

/** The case with this JSON id ([Moderation.id]), or null. @param id e.g. `outrank`. */
fun Moderation.Companion.fromId(id: String): Moderation? = Moderation.entries.firstOrNull { it.id == id }
