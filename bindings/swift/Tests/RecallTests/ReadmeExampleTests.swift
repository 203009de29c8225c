// The Swift example of the README, compiled and run. tests/tests/readme.rs checks that the
// README shows exactly the lines between the markers.
import Foundation
import XCTest
import Recall

final class ReadmeExampleTests: XCTestCase {
    func testReadmeExample() throws {
        var offered: Date?
        var refusedWith: Reason?
        // README:begin
        let policy = RecallPolicy.defaults() // or RecallPolicy(config:), RecallPolicy.fromJson(json:)
        let sentAt = Date(timeIntervalSince1970: 1_767_225_600) // the server timestamp
        let message = StoredMessage(
            id: "m42", conversationId: "team", senderId: "alice", senderRole: .member,
            kind: .text, state: .sent, sentAt: sentAt)
        let request = RecallRequest(
            conversation: Conversation(id: "team", kind: .group),
            messageId: "m42", actor: Actor(userId: "alice", role: .member), ext: nil)

        // Offer "Recall" in the message menu until the deadline.
        let decision = try policy.decide(request: request, message: message,
                                         now: sentAt.addingTimeInterval(90))
        offered = decision.deadline // sentAt + 2 minutes

        // After the window, the same question is refused with a typed reason.
        do {
            _ = try policy.decide(request: request, message: message,
                                  now: sentAt.addingTimeInterval(121))
        } catch RecallError.Refused(let reason, let reasonId, let code, _) {
            refusedWith = reason // .windowExpired, "window_expired", 11
            print("refused: \(reasonId) (\(code))")
        }
        // README:end
        XCTAssertEqual(offered, sentAt.addingTimeInterval(120))
        XCTAssertEqual(refusedWith, .windowExpired)
    }
}
