// Hand-written (not generated): a recall and a message taken in the only safe order (spec 6.7,
// 6.8), so that the right order is the easy one. The raw phases (`onRecall`, `settle`,
// `onMessage`, and their pages) stay for pages and advanced use.
import Foundation

extension RecallState {
    /// Takes a recall in both phases, in order: remembers it (`onRecall`), then calls `lookup`
    /// (only after that returned), then settles it with what `lookup` found.
    ///
    /// Do what the outcome says. `.applied`: replace the stored row with the tombstone in one
    /// update that removes the content and undoes what the row records as done at that moment
    /// (a notification posted, an unread counted, a preview, an index entry), so a show that
    /// raced ahead is undone; `.remembered` (the message has not arrived: `admit` will answer
    /// `.tombstone` for it) or `.duplicate`: nothing.
    ///
    /// Receiving the same recall again is harmless: a recall taken before is answered as the
    /// first time, so after a failed lookup, retry `receive` with the same recall and it is
    /// applied. Never drop a recall whose lookup failed: the message it names would stay
    /// visible, since the server does not send it again.
    ///
    /// `onRecall` and `settle` are synchronous, microsecond calls; `lookup` is your store's
    /// read, and may run anywhere.
    ///
    /// - Parameters:
    ///   - recall: The recall notification, live or from offline sync (a legacy command:
    ///     `RecallNotification(legacy:)` first).
    ///   - now: When it is taken; the current time by default.
    ///   - lookup: Reads the message you hold under the recall's conversation id and message
    ///     id from the committed store, as a `HeldMessage`, or nil when you hold none.
    /// - Returns: `.applied` with the tombstone and effects, `.remembered` or `.duplicate`.
    /// - Throws: `RecallError.refused` when the recall is refused (`.operatorMismatch`,
    ///   `.invalidArgument`, `.conversationMismatch`, `.senderMismatch`), and whatever `lookup`
    ///   throws, unchanged: a failed lookup is never swallowed, and the recall stays
    ///   remembered until you retry.
    public func receive(
        _ recall: RecallNotification,
        at now: Date = Date(),
        lookup: (RecallNotification) async throws -> HeldMessage?
    ) async throws -> RecallOutcome {
        let pending = try onRecall(recall, at: now)
        let held = try await lookup(recall)
        return try settle(recall, pending: pending, held: held)
    }

    /// Takes a recall in both phases, in order, for code that is not `async` (a thread or a
    /// dispatch queue): exactly `receive(_:at:lookup:)` with a synchronous `lookup`. Swift
    /// also picks this form for a synchronous closure in `async` code; the order is the same.
    ///
    /// - Parameters:
    ///   - recall: The recall notification, live or from offline sync.
    ///   - now: When it is taken; the current time by default.
    ///   - lookup: Reads the held message from the committed store, or nil.
    /// - Returns: `.applied` with the tombstone and effects, `.remembered` or `.duplicate`.
    /// - Throws: `RecallError.refused` as the `async` form, and whatever `lookup` throws.
    public func receive(
        _ recall: RecallNotification,
        at now: Date = Date(),
        lookup: (RecallNotification) throws -> HeldMessage?
    ) throws -> RecallOutcome {
        let pending = try onRecall(recall, at: now)
        let held = try lookup(recall)
        return try settle(recall, pending: pending, held: held)
    }

    /// Takes an arriving message in order: calls `store`, then asks (`onMessage`).
    ///
    /// `store` saves the message hidden (not shown, no notification, not counted unread),
    /// committed where a recall's lookup finds it. Then act on the answer. `.show`: show it
    /// with one conditional update of your store that shows, notifies, previews, indexes and
    /// counts the message as unread only if the stored row is still that message (not a
    /// tombstone), built from the row, never from what arrived. `.tombstone`: replace the row
    /// with the tombstone, silently.
    ///
    /// `onMessage` is a synchronous, microsecond call.
    ///
    /// - Parameters:
    ///   - message: The arriving message's ids.
    ///   - now: When it arrives; the current time by default.
    ///   - store: Saves the message hidden; nothing is asked when it throws.
    /// - Returns: `.show` or `.tombstone` with the tombstone to store in its place.
    /// - Throws: Whatever `store` throws, before anything is asked; `RecallError.refused` with
    ///   `.invalidArgument` for an invalid id or time.
    public func admit(_ message: ArrivingMessage, at now: Date = Date(), store: () throws -> Void) throws -> Arrival {
        try store()
        return try onMessage(message, at: now)
    }
}
