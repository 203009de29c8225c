// Replays every client scenario under tests/scenarios/ through the Swift binding; each step
// must give the same answer as in Rust (`cargo run --bin recall-scenarios`). Each scenario is
// replayed twice: step by step, then with consecutive recall steps and consecutive message
// steps at the same `now` passed as one page (`onRecalls` then `settleAll`, `onMessages`,
// spec 6.13). A recall step is both phases: `onRecall`, then `settle` with the recall, the
// pending recall and its held message; a page zips its recalls with the answers of
// `onRecalls` into `ArrivingRecall`s for `settleAll`. A legacy command step is translated
// first (`legacyCommandToRecall`, whose refusal is the step's answer), then taken and settled
// the same way. A page has one `now`, so steps at different times stay in pages of their own:
// merging them would move the clock of the earlier steps, which the age scenarios check.
import Foundation
import XCTest
import Recall

final class ScenarioTests: XCTestCase {
    typealias Object = [String: Any]

    func testEveryScenarioGivesTheRustAnswers() throws {
        try replay(pages: false)
    }

    func testEveryScenarioGivesTheRustAnswersInPages() throws {
        try replay(pages: true)
    }

    func replay(pages: Bool) throws {
        let dir = VectorTests.vectorsDir.deletingLastPathComponent().appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(files.isEmpty, "no scenario files in \(dir.path)")
        var passed = 0
        var failed = 0
        var paged = 0
        for file in files {
            let root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! Object
            for case let scenario as Object in root["scenarios"] as! [Any] {
                let failures = try Self.run(scenario, pages: pages, paged: &paged)
                if failures.isEmpty {
                    passed += 1
                } else {
                    failed += 1
                    XCTFail("\(file.lastPathComponent): \(scenario["name"]!)\n" + failures.joined(separator: "\n"))
                }
            }
        }
        print("swift scenarios\(pages ? " in pages (\(paged) steps in pages of 2 or more)" : ""): \(passed) passed, \(failed) failed")
        XCTAssertGreaterThanOrEqual(passed, 40)
    }

    static func kind(_ step: Object) -> String {
        ["recall", "legacy_command", "message"].first { step[$0] != nil } ?? "restart"
    }

    static func run(_ scenario: Object, pages: Bool, paged: inout Int) throws -> [String] {
        let me = scenario["me"] as! String
        var limits = LimitsConfig()
        if let given = scenario["limits"] as? Object {
            if let n = given["max_recalls"] as? NSNumber { limits.maxRecalls = n.intValue }
            if let n = given["max_age_secs"] as? NSNumber { limits.maxAgeSecs = n.intValue }
            if let n = given["max_bytes"] as? NSNumber { limits.maxBytes = n.intValue }
        }
        var state = try RecallState(me: me, limits: limits)
        var failures: [String] = []
        let steps = scenario["steps"] as! [Object]
        var index = 0
        while index < steps.count {
            let step = steps[index]
            let now = VectorTests.parseDate(step["now"] as! String)
            let expect = step["expect"] as! Object
            let kind = Self.kind(step)
            if pages && (kind == "recall" || kind == "message") {
                // The page: this step and the next ones of the same kind at the same time.
                var end = index + 1
                while end < steps.count && Self.kind(steps[end]) == kind
                    && steps[end]["now"] as! String == step["now"] as! String {
                    end += 1
                }
                let page = Array(steps[index..<end])
                if page.count > 1 { paged += page.count }
                let actuals: [String]
                if kind == "recall" {
                    // Phase one for the page, then phase two for the recalls it took, in order.
                    let recalls = page.map { notification($0["recall"] as! Object) }
                    let taken = try state.onRecalls(recalls, at: now)
                    guard taken.count == page.count else {
                        failures.append("  step \(index + 1): onRecalls answered \(taken.count) for a page of \(page.count)")
                        index = end
                        continue
                    }
                    let looked = zip(zip(recalls, taken), page).compactMap { (item, step) -> ArrivingRecall? in
                        let (recall, first) = item
                        guard case let .pending(pending) = first else { return nil }
                        return ArrivingRecall(recall: recall, pending: pending, held: held(step["held"]))
                    }
                    var settled = try state.settleAll(looked).makeIterator()
                    actuals = taken.map { (first: PendingResult) -> String in
                        switch first {
                        case let .refused(reason): return "rejected \(reason.id)"
                        case .pending:
                            switch settled.next()! {
                            case let .outcome(outcome): return answer { outcome }
                            case let .refused(reason): return "rejected \(reason.id)"
                            }
                        }
                    }
                } else {
                    let items = page.map { arriving($0["message"] as! Object) }
                    actuals = try state.onMessages(items, at: now).map { (result: ArrivalResult) -> String in
                        switch result {
                        case let .arrival(arrival): return describe(arrival)
                        case let .refused(reason): return "rejected \(reason.id)"
                        }
                    }
                }
                for (offset, item) in page.enumerated() {
                    let expect = item["expect"] as! Object
                    let expected = kind == "recall" ? outcome(expect) : arrival(expect)
                    if expected != actuals[offset] {
                        failures.append("  step \(index + offset + 1) (in a page of \(page.count)):\n    expected: \(expected)\n"
                                        + "    got:      \(actuals[offset])")
                    }
                }
                index = end
                continue
            }
            let expected: String
            let actual: String
            if let recall = step["recall"] as? Object {
                expected = outcome(expect)
                actual = answer {
                    let recall = notification(recall)
                    return try state.settle(recall, pending: state.onRecall(recall, at: now),
                                            held: held(step["held"]))
                }
            } else if let command = step["legacy_command"] as? Object {
                expected = outcome(expect)
                actual = answer {
                    let recall = try RecallNotification(legacy: legacy(command))
                    return try state.settle(recall, pending: state.onRecall(recall, at: now),
                                            held: held(step["held"]))
                }
            } else if let message = step["message"] as? Object {
                expected = arrival(expect)
                actual = describe(try state.onMessage(arriving(message), at: now))
            } else {
                state = try RecallState.restore(me: me, limits: limits, bytes: state.export(), at: now)
                expected = "remembered \((expect["remembered"] as! NSNumber).intValue)"
                actual = "remembered \(state.rememberedCount)"
            }
            if expected != actual {
                failures.append("  step \(index + 1):\n    expected: \(expected)\n    got:      \(actual)")
            }
            index += 1
        }
        return failures
    }

    static func arriving(_ message: Object) -> ArrivingMessage {
        ArrivingMessage(id: message["id"] as! String, conversationId: message["conversation_id"] as! String,
                        senderId: message["sender_id"] as! String)
    }

    static func describe(_ arrival: Arrival) -> String {
        switch arrival {
        case .show: return "show"
        case let .tombstone(t): return "tombstone " + describe(t)
        }
    }

    static func arrival(_ expect: Object) -> String {
        expect["arrival"] as! String == "show" ? "show" : "tombstone " + tombstone(expect["tombstone"] as! Object)
    }

    static func answer(_ body: () throws -> RecallOutcome) -> String {
        do {
            switch try body() {
            case let .applied(t, e): return "applied " + describe(t) + " " + describe(e)
            case .remembered: return "remembered"
            case .duplicate: return "duplicate"
            }
        } catch let RecallError.refused(reason, _) {
            return "rejected \(reason.id)"
        } catch {
            return "unexpected error \(error)"
        }
    }

    static func outcome(_ expect: Object) -> String {
        switch expect["outcome"] as! String {
        case "applied": return "applied " + tombstone(expect["tombstone"] as! Object) + " " + effects(expect["effects"] as! Object)
        case "rejected": return "rejected \(expect["reason"] as! String)"
        case let other: return other
        }
    }

    static let effectKeys = ["delete_attachments", "drop_from_search_index", "cancel_notification",
                             "refresh_preview", "decrement_unread", "redact_quotes"]

    static func effects(_ json: Object) -> String {
        effectKeys.map { (json[$0] as? Bool ?? false) ? "1" : "0" }.joined()
    }

    static func describe(_ e: Effects) -> String {
        [e.deleteAttachments, e.dropFromSearchIndex, e.cancelNotification, e.refreshPreview, e.decrementUnread,
         e.redactQuotes].map { $0 ? "1" : "0" }.joined()
    }

    static func tombstone(_ json: Object) -> String {
        let conversation = json["conversation"] as! Object
        return [conversation["id"] as! String, conversation["kind"] as! String, json["message_id"] as! String,
                json["sender_id"] as! String, json["operator_id"] as! String, json["recalled_by"] as! String,
                json["basis"] as! String, String(VectorTests.millis(VectorTests.parseDate(json["recalled_at"] as! String))),
                json["ext"] as? String ?? "nil"].joined(separator: "|")
    }

    static func describe(_ t: Tombstone) -> String {
        let kinds: [ConversationKind: String] = [.direct: "direct", .group: "group", .room: "room"]
        let by: [RecalledBy: String] = [.you: "you", .sender: "sender", .moderator: "moderator"]
        return [t.conversation.id, kinds[t.conversation.kind]!, t.messageId, t.senderId, t.operatorId, by[t.recalledBy]!,
                t.basis == .sender ? "sender" : "moderator", String(VectorTests.millis(t.recalledAt)),
                t.ext ?? "nil"].joined(separator: "|")
    }

    static func conversation(_ json: Object) -> Conversation {
        Conversation(id: json["id"] as! String, kind: VectorTests.conversationKind(json["kind"] as! String))
    }

    static func notification(_ json: Object) -> RecallNotification {
        RecallNotification(conversation: conversation(json["conversation"] as! Object), messageId: json["message_id"] as! String,
                           senderId: json["sender_id"] as! String, operatorId: json["operator_id"] as! String,
                           basis: json["basis"] as! String == "sender" ? .sender : .moderator,
                           recalledAt: VectorTests.parseDate(json["recalled_at"] as! String), ext: json["ext"] as? String)
    }

    static func legacy(_ json: Object) -> LegacyCommand {
        LegacyCommand(conversation: conversation(json["conversation"] as! Object), from: json["from"] as! String,
                      action: json["action"] as! String, attributes: json["attributes"] as? [String: String] ?? [:],
                      sentAt: VectorTests.parseDate(json["sent_at"] as! String))
    }

    static func held(_ value: Any?) -> HeldMessage? {
        guard let json = value as? Object else { return nil }
        func flag(_ key: String) -> Bool { json[key] as? Bool ?? false }
        return HeldMessage(id: json["id"] as! String, conversationId: json["conversation_id"] as! String,
                           senderId: json["sender_id"] as! String, recalled: flag("recalled"), unread: flag("unread"),
                           latest: flag("latest"), hasAttachments: flag("has_attachments"),
                           notificationShown: flag("notification_shown"))
    }
}
