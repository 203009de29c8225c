//! The recall policy of spec §3: policy as data, with named defaults and checked bounds.
//!
//! [`RecallPolicy`] is small and `Copy`; it can only be built from a [`PolicyConfig`] that
//! passes [`RecallPolicy::new`], so the rules never see an invalid policy (rule 1).

use crate::{MessageKind, Reason, Role};
use serde::{Deserialize, Serialize};

/// Who may a moderator recall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Only messages whose sender's current role is strictly lower than the moderator's.
    #[default]
    Outrank,
    /// Anyone's message.
    Any,
}

/// The fields of a policy as written by people: every field optional in JSON, defaults
/// from spec §3. Turn it into a [`RecallPolicy`] with [`RecallPolicy::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// How long a sender may recall their own message, in seconds: 0..=604800.
    pub window_secs: u32,
    /// Roles that may recall others' messages in groups and rooms: owner and/or admin.
    pub moderators: Vec<Role>,
    /// Whether a moderator's recall ignores the window.
    pub moderators_bypass_window: bool,
    /// Which senders a moderator may overrule.
    pub moderation: Moderation,
    /// Kinds never recallable; `command` and `notification` are always added.
    pub excluded_kinds: Vec<MessageKind>,
    /// Largest `ext`, in UTF-8 bytes: 0..=4096.
    pub max_ext_bytes: u32,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        RecallPolicy::DEFAULT.config()
    }
}

/// A validated recall policy. Build one with [`RecallPolicy::new`], or use
/// [`RecallPolicy::DEFAULT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PolicyConfig", into = "PolicyConfig")]
pub struct RecallPolicy {
    window_secs: u32,
    /// Bit `1 << role as u8` per moderator role.
    moderators: u8,
    moderators_bypass_window: bool,
    moderation: Moderation,
    /// Bit `1 << kind as u16` per excluded kind.
    excluded_kinds: u16,
    max_ext_bytes: u16,
}

/// Kinds excluded whatever a policy says (spec §3, `excluded_kinds`).
const ALWAYS_EXCLUDED: u16 =
    (1 << MessageKind::Command as u16) | (1 << MessageKind::Notification as u16);

/// Why a policy configuration is refused (spec 3.1, 3.2). Every variant is the reason
/// `invalid_policy`; a policy read from JSON refuses with a decoding error of that reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// `window_secs` past 604,800 (7 days).
    #[error("window_secs is at most 604800 (7 days), not {0}")]
    WindowTooLong(u32),
    /// `max_ext_bytes` past 4096.
    #[error("max_ext_bytes is at most 4096, not {0}")]
    ExtBoundTooLarge(u32),
    /// `moderators` names `member`.
    #[error("moderators may name owner and admin, never member")]
    MemberModerates,
}

impl PolicyError {
    /// The reason of the table (spec §9): always `invalid_policy`.
    #[must_use]
    pub const fn reason(self) -> Reason {
        Reason::InvalidPolicy
    }
}

impl From<PolicyError> for Reason {
    fn from(error: PolicyError) -> Self {
        error.reason()
    }
}

impl RecallPolicy {
    /// Upper bound of `window_secs`: 7 days.
    pub const MAX_WINDOW_SECS: u32 = 604_800;
    /// Upper bound of `max_ext_bytes`.
    pub const MAX_EXT_BYTES: u32 = 4096;

    /// The defaults of spec §3: a 2-minute window; owner and admin moderate, bypass the
    /// window and must outrank the sender; commands and notifications excluded; `ext` up to
    /// 200 bytes.
    pub const DEFAULT: RecallPolicy = RecallPolicy {
        window_secs: 120,
        moderators: (1 << Role::Owner as u8) | (1 << Role::Admin as u8),
        moderators_bypass_window: true,
        moderation: Moderation::Outrank,
        excluded_kinds: ALWAYS_EXCLUDED,
        max_ext_bytes: 200,
    };

    /// Checks a configuration and builds the policy.
    ///
    /// # Errors
    /// [`PolicyError`] (`invalid_policy`) when `window_secs` exceeds 604800, `max_ext_bytes`
    /// exceeds 4096, or `moderators` names `member`.
    pub fn new(config: &PolicyConfig) -> Result<Self, PolicyError> {
        if config.window_secs > Self::MAX_WINDOW_SECS {
            return Err(PolicyError::WindowTooLong(config.window_secs));
        }
        let max_ext_bytes = match u16::try_from(config.max_ext_bytes) {
            Ok(bytes) if config.max_ext_bytes <= Self::MAX_EXT_BYTES => bytes,
            _ => return Err(PolicyError::ExtBoundTooLarge(config.max_ext_bytes)),
        };
        let mut moderators = 0;
        for &role in &config.moderators {
            if role == Role::Member {
                return Err(PolicyError::MemberModerates);
            }
            moderators |= 1 << role as u8;
        }
        let excluded_kinds = config
            .excluded_kinds
            .iter()
            .fold(ALWAYS_EXCLUDED, |set, &kind| set | 1 << kind as u16);
        Ok(RecallPolicy {
            window_secs: config.window_secs,
            moderators,
            moderators_bypass_window: config.moderators_bypass_window,
            moderation: config.moderation,
            excluded_kinds,
            max_ext_bytes,
        })
    }

    /// The configuration this policy was built from, normalized: roles highest first, kinds
    /// in declaration order, `command` and `notification` included.
    #[must_use]
    pub fn config(&self) -> PolicyConfig {
        PolicyConfig {
            window_secs: self.window_secs,
            moderators: Role::ALL
                .into_iter()
                .rev()
                .filter(|&r| self.is_moderator(r))
                .collect(),
            moderators_bypass_window: self.moderators_bypass_window,
            moderation: self.moderation,
            excluded_kinds: MessageKind::ALL
                .into_iter()
                .filter(|&k| self.excludes(k))
                .collect(),
            max_ext_bytes: u32::from(self.max_ext_bytes),
        }
    }

    /// How long a sender may recall their own message, in seconds.
    #[must_use]
    pub const fn window_secs(&self) -> u32 {
        self.window_secs
    }

    /// Whether `role` may recall others' messages in groups and rooms.
    #[must_use]
    pub const fn is_moderator(&self, role: Role) -> bool {
        self.moderators & (1 << role as u8) != 0
    }

    /// Whether a moderator's recall ignores the window.
    #[must_use]
    pub const fn moderators_bypass_window(&self) -> bool {
        self.moderators_bypass_window
    }

    /// Which senders a moderator may overrule.
    #[must_use]
    pub const fn moderation(&self) -> Moderation {
        self.moderation
    }

    /// Whether messages of `kind` can never be recalled.
    #[must_use]
    pub const fn excludes(&self, kind: MessageKind) -> bool {
        self.excluded_kinds & (1 << kind as u16) != 0
    }

    /// Largest `ext`, in UTF-8 bytes.
    #[must_use]
    pub const fn max_ext_bytes(&self) -> u16 {
        self.max_ext_bytes
    }
}

impl Default for RecallPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<PolicyConfig> for RecallPolicy {
    type Error = PolicyError;
    fn try_from(config: PolicyConfig) -> Result<Self, PolicyError> {
        Self::new(&config)
    }
}

impl From<RecallPolicy> for PolicyConfig {
    fn from(policy: RecallPolicy) -> Self {
        policy.config()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matches_spec_table() {
        let p = RecallPolicy::DEFAULT;
        assert_eq!(p.window_secs(), 120);
        assert!(p.is_moderator(Role::Owner) && p.is_moderator(Role::Admin));
        assert!(!p.is_moderator(Role::Member));
        assert!(p.moderators_bypass_window());
        assert_eq!(p.moderation(), Moderation::Outrank);
        let excluded: Vec<_> = MessageKind::ALL
            .into_iter()
            .filter(|&k| p.excludes(k))
            .collect();
        assert_eq!(excluded, [MessageKind::Command, MessageKind::Notification]);
        assert_eq!(p.max_ext_bytes(), 200);
        assert_eq!(RecallPolicy::new(&PolicyConfig::default()), Ok(p));
    }

    #[test]
    fn bounds_are_inclusive() {
        let ok = |config: PolicyConfig| RecallPolicy::new(&config).is_ok();
        let base = PolicyConfig::default;
        assert!(ok(PolicyConfig {
            window_secs: 0,
            ..base()
        }));
        assert!(ok(PolicyConfig {
            window_secs: 604_800,
            ..base()
        }));
        assert!(!ok(PolicyConfig {
            window_secs: 604_801,
            ..base()
        }));
        assert!(ok(PolicyConfig {
            max_ext_bytes: 0,
            ..base()
        }));
        assert!(ok(PolicyConfig {
            max_ext_bytes: 4096,
            ..base()
        }));
        assert!(!ok(PolicyConfig {
            max_ext_bytes: 4097,
            ..base()
        }));
        assert!(!ok(PolicyConfig {
            max_ext_bytes: u32::MAX,
            ..base()
        }));
        assert!(ok(PolicyConfig {
            moderators: vec![],
            ..base()
        }));
        assert!(!ok(PolicyConfig {
            moderators: vec![Role::Member],
            ..base()
        }));
    }

    #[test]
    fn command_and_notification_are_always_excluded() {
        let p = RecallPolicy::new(&PolicyConfig {
            excluded_kinds: vec![],
            ..Default::default()
        });
        let p = p.unwrap();
        assert!(p.excludes(MessageKind::Command) && p.excludes(MessageKind::Notification));
        assert!(!p.excludes(MessageKind::Text));
    }

    #[test]
    fn deserialize_partial_object_takes_defaults() {
        let p: RecallPolicy = serde_json::from_str(r#"{"window_secs": 300}"#).unwrap();
        assert_eq!(p.window_secs(), 300);
        assert_eq!(p.max_ext_bytes(), 200);
        let p: RecallPolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, RecallPolicy::DEFAULT);
    }

    #[test]
    fn deserialize_refuses_unknown_fields_and_bad_values() {
        for bad in [
            r#"{"window_sec": 300}"#,
            r#"{"window_secs": -1}"#,
            r#"{"window_secs": "120"}"#,
            r#"{"window_secs": 604801}"#,
            r#"{"moderators": ["member"]}"#,
            r#"{"moderation": "sometimes"}"#,
        ] {
            assert!(serde_json::from_str::<RecallPolicy>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn serialize_round_trips_normalized() {
        let config = PolicyConfig {
            window_secs: 60,
            moderators: vec![Role::Admin, Role::Owner, Role::Admin],
            moderators_bypass_window: false,
            moderation: Moderation::Any,
            excluded_kinds: vec![MessageKind::Video],
            max_ext_bytes: 0,
        };
        let p = RecallPolicy::new(&config).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"window_secs":60,"moderators":["owner","admin"],"moderators_bypass_window":false,"moderation":"any","excluded_kinds":["video","command","notification"],"max_ext_bytes":0}"#
        );
        assert_eq!(serde_json::from_str::<RecallPolicy>(&json).unwrap(), p);
    }
}
