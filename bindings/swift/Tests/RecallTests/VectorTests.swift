// Replays every conformance vector under tests/vectors/ through the Swift binding three ways —
// decide, recall and decideEach — and requires each to give the vector's outcome, as
// ffi/tests/vectors.rs does in Rust: the three can never disagree.
import Foundation
import XCTest
import Recall

final class VectorTests: XCTestCase {
    /// The repository's tests/vectors, found from this file's path (or RECALL_VECTORS_DIR).
    static var vectorsDir: URL {
        if let dir = ProcessInfo.processInfo.environment["RECALL_VECTORS_DIR"] {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/vectors")
    }

    func testEveryVectorAgreesAcrossDecideRecallAndDecideEach() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.vectorsDir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(files.isEmpty, "no vector files in \(Self.vectorsDir.path)")
        var passed = 0
        var failed = 0
        for file in files {
            let root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
            for case let vector as [String: Any] in root["vectors"] as! [Any] {
                let name = vector["name"] as! String
                let expected = Self.expected(vector)
                let actual = Self.threeWays(vector)
                if actual.allSatisfy({ $0 == expected }) {
                    passed += 1
                } else {
                    failed += 1
                    XCTFail("\(file.lastPathComponent): \(name)\n  expected: \(expected)\n  got decide/recall/decideEach: \(actual)")
                }
            }
        }
        print("swift vectors: \(passed) passed three ways, \(failed) failed")
        XCTAssertGreaterThanOrEqual(passed, 381)
    }

    /// The outcome as text: "allowed sender until <ms>", "allowed moderator", "refused <id>".
    static func expected(_ vector: [String: Any]) -> String {
        let expect = vector["expect"] as! [String: Any]
        guard expect["allowed"] as! Bool else { return "refused \(expect["reason"] as! String)" }
        let basis: Basis = expect["basis"] as? String == "sender" ? .sender : .moderator
        return allowed(basis, (expect["deadline"] as? String).map(parseDate))
    }

    static func allowed(_ basis: Basis, _ deadline: Date?) -> String {
        let name: String
        switch basis {
        case .sender: name = "sender"
        case .moderator: name = "moderator"
        case .unknown: name = "unknown"
        }
        guard let deadline else { return "allowed \(name)" }
        return "allowed \(name) until \(millis(deadline))"
    }

    static func refused(_ error: Error) -> String {
        guard let error = error as? RecallError else { return "unexpected error \(error)" }
        return "refused \(error.reason.id)"
    }

    /// The vector's inputs, as spec 10.4 builds them: the policy first (it wins over everything).
    static func inputs(_ vector: [String: Any]) throws
        -> (policy: RecallPolicy, request: RecallRequest, actor: Operator, message: StoredMessage, now: Date) {
        let policy: RecallPolicy
        if let object = vector["policy"] as? [String: Any] {
            let json = try JSONSerialization.data(withJSONObject: object)
            policy = try RecallPolicy.fromJson(json: String(decoding: json, as: UTF8.self))
        } else {
            policy = RecallPolicy.defaults()
        }
        let conversation = vector["conversation"] as! [String: Any]
        let actor = vector["actor"] as! [String: Any]
        let message = vector["message"] as! [String: Any]
        let request = RecallRequest(conversationId: conversation["id"] as! String,
                                    messageId: message["id"] as! String,
                                    ext: vector["ext"] as? String)
        let stored = StoredMessage(
            id: message["id"] as! String,
            conversation: Conversation(id: message["conversation_id"] as! String,
                                       kind: conversationKind(conversation["kind"] as! String)),
            senderId: message["sender_id"] as! String,
            senderRole: role(message["sender_role"]),
            kind: messageKind(message["kind"] as! String),
            state: messageState(message["state"] as! String),
            sentAt: parseDate(message["sent_at"] as! String))
        return (policy, request, Operator(userId: actor["user_id"] as! String, role: role(actor["role"])), stored,
                parseDate(vector["now"] as! String))
    }

    /// The outcomes of decide, recall and decideEach.
    static func threeWays(_ vector: [String: Any]) -> [String] {
        let (policy, request, actor, message, now): (RecallPolicy, RecallRequest, Operator, StoredMessage, Date)
        do {
            (policy, request, actor, message, now) = try inputs(vector)
        } catch {
            return Array(repeating: refused(error), count: 3)
        }
        let decided: String
        do {
            let decision = try policy.decide(request, by: actor, on: message, at: now)
            decided = allowed(decision.basis, decision.deadline)
        } catch {
            decided = refused(error)
        }
        let recalled: String
        do {
            let notification = try policy.recall(request, by: actor, on: message, at: now)
            // A notification carries the decision's basis; its deadline is decide's to say.
            let deadline = (try? policy.decide(request, by: actor, on: message, at: now))?.deadline
            recalled = allowed(notification.basis, deadline)
        } catch {
            recalled = refused(error)
        }
        let each: String
        do {
            let answers = try policy.decideEach(in: request.conversationId, by: actor,
                                                messages: [message], at: now, ext: request.ext)
            switch answers.first {
            case let .allowed(basis, deadline)?: each = allowed(basis, deadline)
            case let .refused(reason)?: each = "refused \(reason.id)"
            case nil: each = "no answer"
            }
        } catch {
            each = refused(error)
        }
        return [decided, recalled, each]
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func parseDate(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)!
    }

    static func role(_ value: Any?) -> Role? {
        switch value as? String {
        case nil: return nil
        case "member": return .member
        case "admin": return .admin
        default: return .owner
        }
    }

    /// A kind this binding does not know is the unknown kind (spec 8.3.1): decide refuses it.
    static func conversationKind(_ text: String) -> ConversationKind {
        ["direct": .direct, "group": .group, "room": .room][text] ?? .unknown
    }

    static func messageKind(_ text: String) -> MessageKind {
        let kinds: [String: MessageKind] = [
            "text": .text, "image": .image, "audio": .audio, "video": .video, "file": .file,
            "location": .location, "custom": .custom, "command": .command, "notification": .notification,
        ]
        return kinds[text]!
    }

    static func messageState(_ text: String) -> MessageState {
        ["sending": .sending, "sent": .sent, "failed": .failed, "recalled": .recalled][text]!
    }
}
