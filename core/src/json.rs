//! JSON, the conventions of spec §8: snake_case names and values, RFC 3339 UTC timestamps
//! with milliseconds. The conformance vectors use the same shapes.

use crate::DecodeError;
use crate::{
    Actor, ArrivingMessage, ClientLimits, Decision, HeldMessage, LegacyCommand, Reason,
    RecallNotification, RecallOutcome, RecallPolicy, RecallRejection, RecallRequest, StoredMessage,
    Tombstone,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// The largest JSON text the decoders accept, in bytes.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// A type with a JSON shape: decoded from untrusted text with a typed refusal, encoded to
/// compact JSON.
pub trait Json: Serialize + DeserializeOwned {
    /// The reason for well-formed JSON whose content is invalid.
    const INVALID: Reason = Reason::InvalidArgument;

    /// Decodes untrusted JSON text.
    ///
    /// # Errors
    /// A [`DecodeError`] with serde's account of the fault: `input_too_large` past
    /// [`MAX_JSON_BYTES`]; `malformed_input` for text that is not JSON; [`Json::INVALID`] for
    /// JSON of the wrong shape or with invalid values (an unknown field, a bad id, timestamp
    /// or enum value, a policy out of bounds).
    fn from_json(text: &str) -> Result<Self, DecodeError> {
        if text.len() > MAX_JSON_BYTES {
            return Err(DecodeError::new(
                Reason::InputTooLarge,
                format!(
                    "{} bytes of JSON, past the {MAX_JSON_BYTES} a decoder reads",
                    text.len()
                ),
            ));
        }
        let value: Self = serde_json::from_str(text).map_err(|error| {
            let reason = match error.classify() {
                Category::Data => Self::INVALID,
                Category::Io | Category::Syntax | Category::Eof => Reason::MalformedInput,
            };
            DecodeError::new(reason, error.to_string())
        })?;
        value.check()?;
        Ok(value)
    }

    /// Checks what the shape alone cannot say; called after every successful decoding.
    ///
    /// # Errors
    /// The reason the value is invalid.
    fn check(&self) -> Result<(), Reason> {
        Ok(())
    }

    /// Encodes as compact JSON.
    #[must_use]
    fn to_json(&self) -> String {
        // These types serialize only strings, numbers, booleans, lists and objects with
        // string keys, which serde_json always accepts.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Json for RecallPolicy {
    const INVALID: Reason = Reason::InvalidPolicy;
}
impl Json for RecallRequest {
    fn check(&self) -> Result<(), Reason> {
        self.check_ext()
    }
}
impl Json for Actor {}
impl Json for StoredMessage {}
impl Json for Decision {}
impl Json for RecallNotification {
    fn check(&self) -> Result<(), Reason> {
        self.check_ext()
    }
}
impl Json for RecallRejection {}
impl Json for LegacyCommand {}
impl Json for HeldMessage {}
impl Json for ArrivingMessage {}
impl Json for Tombstone {
    fn check(&self) -> Result<(), Reason> {
        self.check_ext()
    }
}
impl Json for RecallOutcome {
    fn check(&self) -> Result<(), Reason> {
        match self {
            RecallOutcome::Applied { tombstone, .. } => tombstone.check(),
            RecallOutcome::Remembered | RecallOutcome::Duplicate => Ok(()),
        }
    }
}
impl Json for ClientLimits {
    const INVALID: Reason = Reason::InvalidPolicy;
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &str = r#"{"conversation_id":"g1","message_id":"m1","ext":"spam 广告"}"#;

    #[test]
    fn request_round_trips() {
        let request = RecallRequest::from_json(REQUEST).unwrap();
        assert_eq!(request.conversation_id.as_str(), "g1");
        assert_eq!(request.message_id.as_str(), "m1");
        assert_eq!(request.ext.as_deref(), Some("spam 广告"));
        assert_eq!(request.to_json(), REQUEST);
    }

    #[test]
    fn actor_round_trips_and_refuses_what_it_does_not_name() {
        // Spec 8.7.2: a JSON form only, for the deciding side's own input; like the other
        // shapes of local input (8.4), an unknown field or role is refused, never a default.
        let actor = Actor::from_json(r#"{"user_id":"bob","role":"admin"}"#).unwrap();
        assert_eq!(actor.to_json(), r#"{"user_id":"bob","role":"admin"}"#);
        assert_eq!(Actor::from_json(&actor.to_json()), Ok(actor));
        let no_role = Actor::from_json(r#"{"user_id":"bob"}"#).unwrap();
        assert_eq!(no_role.role, None);
        assert_eq!(
            Actor::from_json(r#"{"user_id":"bob","role":null}"#),
            Ok(no_role)
        );
        for bad in [
            r#"{"user_id":"bob","role":"moderator"}"#,
            r#"{"user_id":"bob","role":"admin","extra":1}"#,
            r#"{"user_id":"","role":"admin"}"#,
            r#"{"role":"admin"}"#,
        ] {
            assert_eq!(
                Actor::from_json(bad),
                Err(Reason::InvalidArgument.into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn stored_message_carries_its_conversation_with_its_kind() {
        // Spec 8.8.1: the kind from the server's records; one this version does not know reads
        // as unknown (8.3.1) and `decide` refuses it (rule 2). A shape of local input refuses
        // fields it does not name (8.4).
        let json = |kind: &str| {
            format!(
                r#"{{"id":"m1","conversation":{{"id":"g1","kind":"{kind}"}},"sender_id":"alice","sender_role":null,"kind":"text","state":"sent","sent_at":"2026-01-01T00:00:00.000Z"}}"#
            )
        };
        let message = StoredMessage::from_json(&json("group")).unwrap();
        assert_eq!(message.conversation.kind, crate::ConversationKind::Group);
        assert_eq!(message.to_json(), json("group"));
        let unknown = StoredMessage::from_json(&json("channel")).unwrap();
        assert_eq!(unknown.conversation.kind, crate::ConversationKind::Unknown);
        assert_eq!(unknown.to_json(), json("unknown"));
        let old_shape = json("group").replace(
            r#""conversation":{"id":"g1","kind":"group"}"#,
            r#""conversation_id":"g1""#,
        );
        assert_eq!(
            StoredMessage::from_json(&old_shape),
            Err(Reason::InvalidArgument.into())
        );
        let extra = json("group").replace(r#""id":"m1","#, r#""id":"m1","pinned":true,"#);
        assert_eq!(
            StoredMessage::from_json(&extra),
            Err(Reason::InvalidArgument.into())
        );
    }

    #[test]
    fn deserialize_refusals_are_typed() {
        assert_eq!(
            RecallRequest::from_json("{"),
            Err(Reason::MalformedInput.into())
        );
        assert_eq!(
            RecallRequest::from_json("nul"),
            Err(Reason::MalformedInput.into())
        );
        assert_eq!(
            RecallRequest::from_json("{}"),
            Err(Reason::InvalidArgument.into())
        );
        let bad_id = REQUEST.replace("\"g1\"", "\"\"");
        assert_eq!(
            RecallRequest::from_json(&bad_id),
            Err(Reason::InvalidArgument.into())
        );
        let no_message = REQUEST.replace(r#""message_id":"m1","#, "");
        assert_eq!(
            RecallRequest::from_json(&no_message),
            Err(Reason::InvalidArgument.into())
        );
        // The first drafts' shape names no conversation id (spec 8.7.3): refused, whatever
        // actor and role it claims.
        let old_shape = r#"{"conversation":{"id":"g1","kind":"group"},"message_id":"m1","actor":{"user_id":"bob","role":"admin"}}"#;
        assert_eq!(
            RecallRequest::from_json(old_shape),
            Err(Reason::InvalidArgument.into())
        );
        // A field given twice is refused even in a wire shape (spec 8.4).
        let twice = REQUEST.replace(
            r#""message_id":"m1","#,
            r#""message_id":"m1","message_id":"m2","#,
        );
        assert_eq!(
            RecallRequest::from_json(&twice),
            Err(Reason::InvalidArgument.into())
        );
        let big = format!("\"{}\"", "a".repeat(MAX_JSON_BYTES));
        assert_eq!(
            RecallRequest::from_json(&big),
            Err(Reason::InputTooLarge.into())
        );
        assert_eq!(
            RecallPolicy::from_json(r#"{"window_secs":-1}"#),
            Err(Reason::InvalidPolicy.into())
        );
        assert_eq!(
            RecallPolicy::from_json("{"),
            Err(Reason::MalformedInput.into())
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}{}", r#"{"ext":"#, "[".repeat(50_000));
        assert!(RecallRequest::from_json(&deep).is_err());
        let deep = "[".repeat(50_000);
        assert!(RecallNotification::from_json(&deep).is_err());
    }

    #[test]
    fn notification_ext_past_any_policy_is_refused() {
        let json = |ext: &str| {
            format!(
                r#"{{"conversation":{{"id":"d1","kind":"direct"}},"message_id":"m1","sender_id":"a","operator_id":"a","basis":"sender","recalled_at":"2026-01-01T00:00:00.000Z","ext":"{ext}"}}"#
            )
        };
        assert!(RecallNotification::from_json(&json(&"x".repeat(4096))).is_ok());
        assert_eq!(
            RecallNotification::from_json(&json(&"x".repeat(4097))),
            Err(Reason::ExtTooLarge.into())
        );
    }

    fn tombstone(ext: Option<String>) -> Tombstone {
        use crate::{Basis, Conversation, ConversationKind, RecalledBy, Timestamp};
        Tombstone {
            conversation: Conversation {
                id: "g1".try_into().unwrap(),
                kind: ConversationKind::Group,
            },
            message_id: "m1".try_into().unwrap(),
            sender_id: "alice".try_into().unwrap(),
            operator_id: "bob".try_into().unwrap(),
            recalled_by: RecalledBy::Moderator,
            basis: Basis::Moderator,
            recalled_at: Timestamp::from_unix_millis(0).unwrap(),
            ext,
        }
    }

    #[test]
    fn tombstone_and_outcome_ext_past_any_policy_is_refused() {
        use crate::Effects;
        let applied = |tombstone: Tombstone| RecallOutcome::Applied {
            tombstone,
            effects: Effects::default(),
        };
        // 4096 bytes (2048 two-byte characters) decode and round-trip.
        let at_cap = tombstone(Some("é".repeat(2048)));
        assert_eq!(Tombstone::from_json(&at_cap.to_json()), Ok(at_cap.clone()));
        let outcome = applied(at_cap);
        assert_eq!(RecallOutcome::from_json(&outcome.to_json()), Ok(outcome));
        // One byte more is `ext_too_large`, alone or inside an outcome.
        let past = tombstone(Some(format!("{}x", "é".repeat(2048))));
        assert_eq!(
            Tombstone::from_json(&past.to_json()),
            Err(Reason::ExtTooLarge.into())
        );
        assert_eq!(
            RecallOutcome::from_json(&applied(past).to_json()),
            Err(Reason::ExtTooLarge.into())
        );
        // Outcomes without a tombstone have nothing to check.
        for outcome in [RecallOutcome::Remembered, RecallOutcome::Duplicate] {
            assert_eq!(RecallOutcome::from_json(&outcome.to_json()), Ok(outcome));
        }
        let none = applied(tombstone(None));
        assert_eq!(RecallOutcome::from_json(&none.to_json()), Ok(none));
    }
}
