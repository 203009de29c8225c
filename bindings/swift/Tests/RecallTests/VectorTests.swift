// Replays every conformance vector under tests/vectors/ through the Swift binding; each must
// give the same outcome as in Rust (`cargo run --bin recall-vectors`).
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

    func testEveryVectorGivesTheRustOutcome() throws {
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
                let actual = Self.actual(vector)
                if expected == actual {
                    passed += 1
                } else {
                    failed += 1
                    XCTFail("\(file.lastPathComponent): \(name)\n  expected: \(expected)\n  got:      \(actual)")
                }
            }
        }
        print("swift vectors: \(passed) passed, \(failed) failed")
        XCTAssertGreaterThanOrEqual(passed, 80)
    }

    /// The outcome as text: "allowed sender until <ms>", "allowed moderator", "refused <id>".
    static func expected(_ vector: [String: Any]) -> String {
        let expect = vector["expect"] as! [String: Any]
        if expect["allowed"] as! Bool {
            let basis = expect["basis"] as! String
            guard let deadline = expect["deadline"] as? String else { return "allowed \(basis)" }
            return "allowed \(basis) until \(millis(parseDate(deadline)))"
        }
        return "refused \(expect["reason"] as! String)"
    }

    static func actual(_ vector: [String: Any]) -> String {
        do {
            // The policy first, as in Rust: an invalid policy wins over everything.
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
            let request = RecallRequest(
                conversation: Conversation(id: conversation["id"] as! String,
                                           kind: conversationKind(conversation["kind"] as! String)),
                messageId: message["id"] as! String,
                actor: Actor(userId: actor["user_id"] as! String, role: role(actor["role"])),
                ext: vector["ext"] as? String)
            let stored = StoredMessage(
                id: message["id"] as! String,
                conversationId: message["conversation_id"] as! String,
                senderId: message["sender_id"] as! String,
                senderRole: role(message["sender_role"]),
                kind: messageKind(message["kind"] as! String),
                state: messageState(message["state"] as! String),
                sentAt: parseDate(message["sent_at"] as! String))
            let decision = try policy.decide(request: request, message: stored,
                                             now: parseDate(vector["now"] as! String))
            let basis = decision.basis == .sender ? "sender" : "moderator"
            guard let deadline = decision.deadline else { return "allowed \(basis)" }
            return "allowed \(basis) until \(millis(deadline))"
        } catch let RecallError.Refused(_, reasonId, _, _) {
            return "refused \(reasonId)"
        } catch {
            return "unexpected error \(error)"
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func parseDate(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)!
    }

    static func role(_ value: Any?) -> Role? {
        switch value as? String {
        case "owner": return .owner
        case "admin": return .admin
        case "member": return .member
        default: return nil
        }
    }

    static func conversationKind(_ text: String) -> ConversationKind {
        ["direct": .direct, "group": .group, "room": .room][text]!
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
