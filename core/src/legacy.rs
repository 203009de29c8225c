//! Legacy command recall (spec §7): older apps recall by sending a pass-through (CMD) message
//! with action `REVOKE_FLAG` and the extension attribute `msgId`.
//!
//! Such a command carries no server authority: the server only attests who sent it. So it
//! becomes a recall with basis `sender` whose sender and operator are the command's sender,
//! and the client state accepts it only for a message that this user sent, in the command's
//! conversation (else `sender_mismatch` / `conversation_mismatch`).

use crate::{
    Basis, Conversation, ConversationKind, IdError, MessageId, Mismatch, Reason,
    RecallNotification, Timestamp, UserId,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The action of a recall command.
pub const REVOKE_ACTION: &str = "REVOKE_FLAG";
/// The attribute naming the message to withdraw.
pub const MESSAGE_ID_ATTRIBUTE: &str = "msgId";
/// The most attributes a command may carry.
pub const MAX_ATTRIBUTES: usize = 32;

/// A pass-through command message as the server delivered it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LegacyCommand {
    /// The conversation the command was sent in.
    pub conversation: Conversation,
    /// Who sent the command, as attested by the server.
    pub from: UserId,
    /// The command's action; `REVOKE_FLAG` for a recall.
    pub action: String,
    /// The command's extension attributes; `msgId` names the message to withdraw.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// The server timestamp of the command.
    pub sent_at: Timestamp,
}

/// Why a legacy command cannot become a recall, or a recall a legacy command (spec §7). Each
/// variant maps to one reason of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum LegacyError {
    /// The action is not `REVOKE_FLAG` (`not_recall_command`).
    #[error("the command's action is not REVOKE_FLAG")]
    NotRecallCommand,
    /// More than 32 attributes (`invalid_argument`).
    #[error("a command carries at most 32 attributes, this one has {0}")]
    TooManyAttributes(usize),
    /// No `msgId` attribute (`invalid_argument`).
    #[error("the command has no msgId attribute")]
    MissingMessageId,
    /// A `msgId` that is not a valid id (`invalid_argument`).
    #[error("the command's msgId is not an id: {0}")]
    InvalidMessageId(IdError),
    /// A recall that is not its sender's own, which no command can express (`not_sender`).
    #[error("a legacy command can only carry a sender's own recall")]
    NotSendersOwn,
    /// The recall it became was refused by the client's checks (spec 6.5).
    #[error(transparent)]
    Mismatch(#[from] Mismatch),
}

impl LegacyError {
    /// The reason of the table (spec §9).
    #[must_use]
    pub const fn reason(self) -> Reason {
        match self {
            LegacyError::NotRecallCommand => Reason::NotRecallCommand,
            LegacyError::TooManyAttributes(_)
            | LegacyError::MissingMessageId
            | LegacyError::InvalidMessageId(_) => Reason::InvalidArgument,
            LegacyError::NotSendersOwn => Reason::NotSender,
            LegacyError::Mismatch(mismatch) => mismatch.reason(),
        }
    }
}

impl From<LegacyError> for Reason {
    fn from(error: LegacyError) -> Self {
        error.reason()
    }
}

impl LegacyCommand {
    /// Translates the command to the recall it asks for: basis `sender`, sender and operator
    /// both the command's sender, recalled at the command's timestamp.
    ///
    /// # Errors
    /// Checked in this order, the same whichever way the command was decoded (spec §7):
    /// [`LegacyError::NotRecallCommand`] when the action is not exactly `REVOKE_FLAG`,
    /// whatever the attributes hold; then (`invalid_argument`) more than 32 attributes, or a
    /// `msgId` missing, empty or not a valid id. Never `operator_mismatch`: a legacy recall is
    /// always its sender's own.
    pub fn to_recall(&self) -> Result<RecallNotification, LegacyError> {
        if self.action != REVOKE_ACTION {
            return Err(LegacyError::NotRecallCommand);
        }
        if self.attributes.len() > MAX_ATTRIBUTES {
            return Err(LegacyError::TooManyAttributes(self.attributes.len()));
        }
        let message_id = self
            .attributes
            .get(MESSAGE_ID_ATTRIBUTE)
            .ok_or(LegacyError::MissingMessageId)?;
        Ok(RecallNotification {
            conversation: self.conversation.clone(),
            message_id: MessageId::new(message_id.as_str())
                .map_err(LegacyError::InvalidMessageId)?,
            sender_id: self.from.clone(),
            operator_id: self.from.clone(),
            basis: Basis::Sender,
            recalled_at: self.sent_at,
            ext: None,
        })
    }

    /// The command an old app understands for `recall`, so that it withdraws the message too.
    ///
    /// # Errors
    /// [`LegacyError::NotSendersOwn`] (`not_sender`) when the recall is not the sender's own:
    /// a legacy command carries no authority, so a moderator's recall cannot be expressed as
    /// one.
    pub fn from_recall(recall: &RecallNotification) -> Result<Self, LegacyError> {
        if recall.basis != Basis::Sender || recall.operator_id != recall.sender_id {
            return Err(LegacyError::NotSendersOwn);
        }
        Ok(LegacyCommand {
            conversation: recall.conversation.clone(),
            from: recall.sender_id.clone(),
            action: REVOKE_ACTION.to_owned(),
            attributes: BTreeMap::from([(
                MESSAGE_ID_ATTRIBUTE.to_owned(),
                recall.message_id.as_str().to_owned(),
            )]),
            sent_at: recall.recalled_at,
        })
    }
}

impl RecallNotification {
    /// Checks what a client can check of a recall by itself, before it looks at the message:
    /// a recall with basis `sender` was made by the sender, and direct chats have no
    /// moderators.
    ///
    /// # Errors
    /// `operator_mismatch` when the operator cannot have made this recall.
    pub fn check_operator(&self) -> Result<(), Reason> {
        let by_sender = self.operator_id == self.sender_id;
        match (self.basis, self.conversation.kind) {
            (Basis::Sender, _) if !by_sender => Err(Reason::OperatorMismatch),
            (Basis::Moderator, ConversationKind::Direct) => Err(Reason::OperatorMismatch),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn command(action: &str, message_id: Option<&str>) -> LegacyCommand {
        let mut attributes = BTreeMap::new();
        if let Some(id) = message_id {
            attributes.insert("msgId".to_owned(), id.to_owned());
        }
        LegacyCommand {
            conversation: Conversation {
                id: "g1".try_into().unwrap(),
                kind: ConversationKind::Group,
            },
            from: "alice".try_into().unwrap(),
            action: action.to_owned(),
            attributes,
            sent_at: Timestamp::parse("2026-01-01T00:01:00Z").unwrap(),
        }
    }

    #[test]
    fn a_revoke_command_becomes_the_senders_own_recall_and_back() {
        let recall = command("REVOKE_FLAG", Some("m1")).to_recall().unwrap();
        assert_eq!(recall.message_id.as_str(), "m1");
        assert_eq!(recall.sender_id, recall.operator_id);
        assert_eq!(recall.basis, Basis::Sender);
        assert_eq!(
            recall.recalled_at,
            Timestamp::parse("2026-01-01T00:01:00Z").unwrap()
        );
        assert_eq!(
            LegacyCommand::from_recall(&recall),
            Ok(command("REVOKE_FLAG", Some("m1")))
        );
    }

    #[test]
    fn other_commands_and_bad_attributes_are_refused() {
        assert_eq!(
            command("TYPING", Some("m1"))
                .to_recall()
                .map_err(Reason::from),
            Err(Reason::NotRecallCommand)
        );
        assert_eq!(
            command("revoke_flag", Some("m1"))
                .to_recall()
                .map_err(Reason::from),
            Err(Reason::NotRecallCommand)
        );
        assert_eq!(
            command("REVOKE_FLAG", None)
                .to_recall()
                .map_err(Reason::from),
            Err(Reason::InvalidArgument)
        );
        assert_eq!(
            command("REVOKE_FLAG", Some(""))
                .to_recall()
                .map_err(Reason::from),
            Err(Reason::InvalidArgument)
        );
        let mut crowded = command("REVOKE_FLAG", Some("m1"));
        for i in 0..MAX_ATTRIBUTES {
            crowded.attributes.insert(format!("k{i}"), String::new());
        }
        assert_eq!(
            crowded.to_recall().map_err(Reason::from),
            Err(Reason::InvalidArgument)
        );
    }

    #[test]
    fn another_action_wins_over_too_many_attributes_on_every_path() {
        use crate::wire::Protobuf;
        let mut crowded = command("TYPING", None);
        for i in 0..=MAX_ATTRIBUTES {
            crowded.attributes.insert(format!("k{i}"), String::new());
        }
        let from_protobuf = LegacyCommand::from_protobuf(&crowded.to_protobuf()).unwrap();
        let from_json = LegacyCommand::from_json(&crowded.to_json()).unwrap();
        for decoded in [crowded, from_protobuf, from_json] {
            assert_eq!(decoded.attributes.len(), MAX_ATTRIBUTES + 1);
            assert_eq!(
                decoded.to_recall().map_err(Reason::from),
                Err(Reason::NotRecallCommand)
            );
        }
    }

    #[test]
    fn a_moderators_recall_has_no_legacy_form() {
        let mut recall = command("REVOKE_FLAG", Some("m1")).to_recall().unwrap();
        recall.basis = Basis::Moderator;
        recall.operator_id = "olga".try_into().unwrap();
        assert_eq!(
            LegacyCommand::from_recall(&recall).map_err(Reason::from),
            Err(Reason::NotSender)
        );
        // The sender under the moderator basis (an admin's own message) has none either.
        recall.operator_id = recall.sender_id.clone();
        assert_eq!(
            LegacyCommand::from_recall(&recall).map_err(Reason::from),
            Err(Reason::NotSender)
        );
    }

    #[test]
    fn a_sender_recall_made_by_someone_else_has_no_legacy_form() {
        let mut recall = command("REVOKE_FLAG", Some("m1")).to_recall().unwrap();
        recall.operator_id = "mallory".try_into().unwrap();
        assert_eq!(
            LegacyCommand::from_recall(&recall).map_err(Reason::from),
            Err(Reason::NotSender)
        );
    }

    #[test]
    fn operator_checks() {
        let mut recall = command("REVOKE_FLAG", Some("m1")).to_recall().unwrap();
        assert_eq!(recall.check_operator(), Ok(()));
        recall.operator_id = "mallory".try_into().unwrap();
        assert_eq!(recall.check_operator(), Err(Reason::OperatorMismatch));
        recall.basis = Basis::Moderator;
        assert_eq!(recall.check_operator(), Ok(()));
        recall.conversation.kind = ConversationKind::Direct;
        assert_eq!(recall.check_operator(), Err(Reason::OperatorMismatch));
    }

    #[test]
    fn deserialize_a_command_of_an_unknown_kind_and_keep_its_recall() {
        // Spec 8.3.1: a kind of a newer peer reads as unknown, in JSON and protobuf, and the
        // recall is applied; 6.5.1 refuses only what it can prove wrong.
        use crate::wire::{Protobuf, proto};
        let json = r#"{"conversation":{"id":"g1","kind":"channel"},"from":"alice","action":"REVOKE_FLAG","attributes":{"msgId":"m1"},"sent_at":"2026-01-01T00:01:00.000Z"}"#;
        let mut expected = command("REVOKE_FLAG", Some("m1"));
        expected.conversation.kind = ConversationKind::Unknown;
        let mut wire = command("REVOKE_FLAG", Some("m1")).to_proto();
        wire.conversation = Some(proto::Conversation {
            id: "g1".into(),
            kind: 7,
        });
        let decoded = LegacyCommand::try_from(wire).unwrap();
        assert_eq!(decoded, expected);
        assert_eq!(LegacyCommand::from_json(json), Ok(expected.clone()));
        assert_eq!(
            LegacyCommand::from_protobuf(&decoded.to_protobuf()),
            Ok(expected.clone())
        );
        let recall = decoded.to_recall().unwrap();
        assert_eq!(recall.conversation.kind, ConversationKind::Unknown);
        assert_eq!(recall.check_operator(), Ok(()));
        let mut by_moderator = recall.clone();
        by_moderator.basis = Basis::Moderator;
        by_moderator.operator_id = "olga".try_into().unwrap();
        assert_eq!(by_moderator.check_operator(), Ok(()));
        let mut forged = recall;
        forged.operator_id = "olga".try_into().unwrap();
        assert_eq!(forged.check_operator(), Err(Reason::OperatorMismatch));
    }

    #[test]
    fn deserialize_a_command() {
        let json = r#"{"conversation":{"id":"g1","kind":"group"},"from":"alice","action":"REVOKE_FLAG","attributes":{"msgId":"m1"},"sent_at":"2026-01-01T00:01:00.000Z"}"#;
        let parsed = LegacyCommand::from_json(json).unwrap();
        assert_eq!(parsed, command("REVOKE_FLAG", Some("m1")));
        assert_eq!(parsed.to_json(), json);
    }
}
