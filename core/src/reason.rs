//! Why a recall is refused: one table of stable ids and codes (spec §9).
//!
//! The snake_case id and the numeric code of a reason are part of the API: they never change
//! meaning, and a retired code is never reused. Codes 1–19 are the eligibility rules of §4,
//! 20–29 decoding of untrusted input, 30–39 the client side (§6, §7).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares [`Reason`] and its table from one list, so id, code and text cannot drift apart.
macro_rules! reasons {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $id:literal, $text:literal; )*) => {
        /// Why a recall, or the input describing it, is refused: the one table of stable ids
        /// and codes (spec §9), plus the reasons of newer peers.
        ///
        /// | id | code | meaning |
        /// |---|---|---|
        $( #[doc = concat!("| `", $id, "` | ", $code, " | ", $text, " |")] )*
        ///
        /// The table grows in later versions: a code this version does not know, decoded from
        /// a newer server's rejection, is [`Reason::Unknown`] with that code (spec 9.2).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, thiserror::Error)]
        #[non_exhaustive]
        pub enum Reason {
            $( $(#[$doc])* #[error($text)] $variant, )*
            /// A reason of a newer version of the contract, with its code (never a code of
            /// the table: [`Reason::with_code`] builds it).
            #[error("a reason this version does not know (code {0})")]
            Unknown(u16),
        }

        impl Reason {
            /// Every reason of the table, in code order.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant),*];

            /// The stable snake_case id, e.g. `"window_expired"`; `"unknown"` for
            /// [`Reason::Unknown`].
            #[must_use]
            pub const fn id(self) -> &'static str {
                match self { $(Reason::$variant => $id,)* Reason::Unknown(_) => "unknown" }
            }

            /// The stable numeric code, e.g. `11` for `window_expired`.
            #[must_use]
            pub const fn code(self) -> u16 {
                match self { $(Reason::$variant => $code,)* Reason::Unknown(code) => code }
            }

            /// The reason of the table with this snake_case id, if any.
            #[must_use]
            pub fn from_id(id: &str) -> Option<Self> {
                match id { $($id => Some(Reason::$variant),)* _ => None }
            }

            /// The reason of the table with this numeric code, if any.
            #[must_use]
            pub const fn from_code(code: u32) -> Option<Self> {
                match code { $($code => Some(Reason::$variant),)* _ => None }
            }
        }
    };
}

reasons! {
    /// Rule 1: a policy field is out of bounds, unknown or of the wrong type.
    InvalidPolicy = 1, "invalid_policy", "the recall policy is invalid";
    /// Rule 2: an id, timestamp or enum value is invalid or missing.
    InvalidArgument = 2, "invalid_argument", "an id, timestamp or value is invalid";
    /// Rule 3: the message is not the one asked for, or lives in another conversation.
    NotFound = 3, "not_found", "no such message in this conversation";
    /// Rule 4: the actor holds no role in the group or room.
    NotInConversation = 4, "not_in_conversation", "the actor is not a member of the conversation";
    /// Rule 5: `ext` is longer than the policy's `max_ext_bytes`.
    ExtTooLarge = 5, "ext_too_large", "the ext payload is too large";
    /// Rule 6: the message is still sending, or failed to send.
    NotSent = 6, "not_sent", "the message was not sent successfully";
    /// Rule 6: the message was recalled before.
    AlreadyRecalled = 7, "already_recalled", "the message is already recalled";
    /// Rule 7: the message's kind can never be recalled under the policy.
    KindNotRecallable = 8, "kind_not_recallable", "this kind of message cannot be recalled";
    /// Rule 8: the actor is neither the sender nor a moderator.
    NotSender = 9, "not_sender", "only the sender may recall this message";
    /// Rule 8: the actor is a moderator whose role does not outrank the sender's.
    InsufficientRole = 10, "insufficient_role", "the actor's role does not outrank the sender's";
    /// Rule 9: the recall window has passed.
    WindowExpired = 11, "window_expired", "the recall window has passed";
    /// Decoding: bytes or text that are not a well-formed message of the expected type.
    MalformedInput = 20, "malformed_input", "the input is not a well-formed message";
    /// Decoding: input larger than the decoder accepts.
    InputTooLarge = 21, "input_too_large", "the input exceeds the size limit";
    /// Client: the recall names another sender than the message's.
    SenderMismatch = 30, "sender_mismatch", "the recall's sender is not the message's sender";
    /// Client: the operator cannot have made this recall (a sender recall by someone else, or a
    /// moderator in a direct chat).
    OperatorMismatch = 31, "operator_mismatch", "the recall's operator cannot have recalled this message";
    /// Client: the held message lives in another conversation than the recall names.
    ConversationMismatch = 32, "conversation_mismatch", "the message is not in the recall's conversation";
    /// Client: a legacy command whose action is not `REVOKE_FLAG`.
    NotRecallCommand = 33, "not_recall_command", "the command is not a recall command";
}

impl Reason {
    /// The reason with this code as a peer sent it (spec 9.2): the table's reason, or
    /// [`Reason::Unknown`] for a code the table does not have; `None` for 0, which no reason
    /// has.
    #[must_use]
    pub const fn with_code(code: u16) -> Option<Self> {
        match Reason::from_code(code as u32) {
            Some(reason) => Some(reason),
            None if code == 0 => None,
            None => Some(Reason::Unknown(code)),
        }
    }

    /// Whether this version knows the reason (it is in the table).
    #[must_use]
    pub const fn is_known(self) -> bool {
        !matches!(self, Reason::Unknown(_))
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Reason::from_id(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown reason `{id}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes_are_unique_and_round_trip() {
        let mut codes = std::collections::HashSet::new();
        for &reason in Reason::ALL {
            assert!(
                codes.insert(reason.code()),
                "duplicate code {}",
                reason.code()
            );
            assert_eq!(Reason::from_id(reason.id()), Some(reason));
            assert_eq!(Reason::from_code(u32::from(reason.code())), Some(reason));
            assert!(
                reason
                    .id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
        }
        assert_eq!(Reason::from_code(0), None);
        assert_eq!(Reason::from_id("nope"), None);
    }

    #[test]
    fn an_unknown_code_keeps_its_code() {
        assert_eq!(Reason::with_code(34), Some(Reason::Unknown(34)));
        assert_eq!(Reason::Unknown(34).code(), 34);
        assert_eq!(Reason::Unknown(34).id(), "unknown");
        assert!(!Reason::Unknown(34).is_known());
        assert_eq!(Reason::with_code(11), Some(Reason::WindowExpired));
        assert!(Reason::WindowExpired.is_known());
        assert_eq!(Reason::with_code(0), None);
        assert_eq!(Reason::with_code(u16::MAX), Some(Reason::Unknown(u16::MAX)));
        assert_eq!(Reason::from_id("unknown"), None);
    }

    #[test]
    fn codes_are_stable() {
        // These numbers are part of the API: this test must never be edited, only extended.
        let table = [
            ("invalid_policy", 1),
            ("invalid_argument", 2),
            ("not_found", 3),
            ("not_in_conversation", 4),
            ("ext_too_large", 5),
            ("not_sent", 6),
            ("already_recalled", 7),
            ("kind_not_recallable", 8),
            ("not_sender", 9),
            ("insufficient_role", 10),
            ("window_expired", 11),
            ("malformed_input", 20),
            ("input_too_large", 21),
            ("sender_mismatch", 30),
            ("operator_mismatch", 31),
            ("conversation_mismatch", 32),
            ("not_recall_command", 33),
        ];
        for (id, code) in table {
            assert_eq!(Reason::from_id(id).map(Reason::code), Some(code), "{id}");
        }
        assert_eq!(table.len(), Reason::ALL.len());
    }

    #[test]
    fn serialize_as_snake_case_id() {
        assert_eq!(
            serde_json::to_string(&Reason::WindowExpired).unwrap(),
            "\"window_expired\""
        );
        let back: Reason = serde_json::from_str("\"not_found\"").unwrap();
        assert_eq!(back, Reason::NotFound);
        assert!(serde_json::from_str::<Reason>("\"bogus\"").is_err());
    }
}
