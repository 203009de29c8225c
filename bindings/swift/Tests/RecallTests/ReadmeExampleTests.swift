// The Swift example of the README, compiled and run. tests/tests/readme.rs checks that the
// README shows exactly the lines between the markers.
import Foundation
import XCTest
import Recall

final class ReadmeExampleTests: XCTestCase {
    func testReadmeExample() throws {
        // What the example calls: the app's menu, its network and its log.
        var offered: [String: Date?] = [:]
        var hidden: [String] = []
        var sent: [Data] = []
        var logged: [String] = []
        func offerRecall(_ id: String, until deadline: Date?) { offered[id] = deadline }
        func hideRecall(_ id: String) { hidden.append(id) }
        func send(_ bytes: Data) { sent.append(bytes) }
        func log(_ line: String) { logged.append(line) }

        // README:begin
        // Who acts: the signed-in user and their role in this group, from the app's own state.
        let me = Operator(userId: "alice", role: .member)
        let team = Conversation(id: "team", kind: .group)
        let sentAt = Date(timeIntervalSince1970: 1_767_225_600) // the server timestamps
        let screen = [
            StoredMessage(id: "m42", conversation: team, senderId: "alice", senderRole: .member,
                          kind: .text, state: .sent, sentAt: sentAt),
            StoredMessage(id: "m43", conversation: team, senderId: "bob", senderRole: .admin,
                          kind: .text, state: .sent, sentAt: sentAt),
        ]
        let policy = RecallPolicy.defaults() // or RecallPolicy(config:), RecallPolicy.fromJson(json:)

        // The message menu: one call answers for the whole screen.
        let answers = try policy.decideEach(in: team.id, by: me, messages: screen, at: sentAt.addingTimeInterval(90))
        for (message, answer) in zip(screen, answers) {
            switch answer {
            case let .allowed(_, deadline): offerRecall(message.id, until: deadline) // m42: sentAt + 2 min
            case .refused: hideRecall(message.id) // m43: refused(reason: .notSender)
            }
        }

        // "Recall" tapped: check once more, then send the request to your server.
        let request = RecallRequest(conversationId: team.id, messageId: "m42")
        do {
            _ = try policy.decide(request, by: me, on: screen[0], at: sentAt.addingTimeInterval(121))
            send(try request.toProtobuf())
        } catch let error as RecallError {
            log("recall refused: \(error.reason)") // window_expired (11); error.reason.id, .code
        }
        // README:end
        XCTAssertEqual(offered, ["m42": sentAt.addingTimeInterval(120)])
        XCTAssertEqual(hidden, ["m43"])
        XCTAssertEqual(sent, [])
        XCTAssertEqual(logged, ["recall refused: window_expired (11)"])
    }
}
