// Calls the external crate's functions with recall's types, so that recall's public converters
// run from the other file: `lower`/`lift` of its arguments and results, and `write`/`read` of
// the fields of its `Envelope` record (a reason, a sequence of conversation kinds, an optional
// notification and an optional policy object). The notification is left out (nil) so that this
// check depends on as little of recall's API as possible; its converters are still compiled.
import Bindings
import Foundation

func check(_ ok: Bool, _ what: String) {
    if !ok {
        print("external types: FAILED: \(what)")
        exit(1)
    }
}

let policy = RecallPolicy.defaults()
let sent = envelope(reason: .notFound, kind: .group, notification: nil, policy: policy)
check(sent.reason == .notFound, "reason read back")
check(sent.kinds == [.group, .group], "kinds read back")
check(sent.notification == nil, "no notification")
check(sent.policy != nil, "policy read back")

let back = echo(envelope: sent)
check(back.reason == .notFound && back.kinds == [.group, .group], "envelope written and read")
check(policyJson(envelope: back) == policy.toJson(), "policy written and read")
print("external types: recall's Swift and another crate's compile together and round-trip Reason, ConversationKind, RecallPolicy")
