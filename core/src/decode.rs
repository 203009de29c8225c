//! Why a decoder refused untrusted bytes or text (spec 8.6): the reason of the table, and the
//! decoder's own account of what it could not read, kept for the developer who reads the log.

use crate::{IdError, PolicyError, Reason, TimestampError};
use std::fmt;

/// A decoder's refusal: one of the decoding reasons (`malformed_input`, `input_too_large`,
/// `invalid_argument`, `invalid_policy`, `ext_too_large`), and what went wrong in English.
///
/// Two refusals are equal when their reasons are: the message is for humans and not part of
/// the contract (spec 9.2).
#[derive(Debug, Clone)]
pub struct DecodeError {
    reason: Reason,
    detail: String,
}

impl DecodeError {
    /// A refusal with `reason`, explained by `detail`.
    #[must_use]
    pub fn new(reason: Reason, detail: impl Into<String>) -> Self {
        DecodeError {
            reason,
            detail: detail.into(),
        }
    }

    /// The reason of the table (spec §9).
    #[must_use]
    pub const fn reason(&self) -> Reason {
        self.reason
    }

    /// What the decoder could not read, in English: for logs, never for users.
    #[must_use]
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl PartialEq for DecodeError {
    fn eq(&self, other: &Self) -> bool {
        self.reason == other.reason
    }
}

impl Eq for DecodeError {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason.id(), self.detail)
    }
}

impl std::error::Error for DecodeError {}

impl From<DecodeError> for Reason {
    fn from(error: DecodeError) -> Self {
        error.reason
    }
}

/// A reason alone (a check after decoding): its description is the detail.
impl From<Reason> for DecodeError {
    fn from(reason: Reason) -> Self {
        DecodeError::new(reason, reason.to_string())
    }
}

impl From<IdError> for DecodeError {
    fn from(error: IdError) -> Self {
        DecodeError::new(error.reason(), error.to_string())
    }
}

impl From<TimestampError> for DecodeError {
    fn from(error: TimestampError) -> Self {
        DecodeError::new(error.reason(), error.to_string())
    }
}

impl From<PolicyError> for DecodeError {
    fn from(error: PolicyError) -> Self {
        DecodeError::new(error.reason(), error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_by_reason_and_the_detail_is_for_humans() {
        let a = DecodeError::new(Reason::MalformedInput, "expected `,` at line 1 column 7");
        let b = DecodeError::from(Reason::MalformedInput);
        assert_eq!(a, b);
        assert_eq!(a.reason(), Reason::MalformedInput);
        assert_eq!(
            a.to_string(),
            "malformed_input: expected `,` at line 1 column 7"
        );
        assert_eq!(Reason::from(a), Reason::MalformedInput);
        let id = DecodeError::from(IdError::Empty);
        assert_eq!(
            (id.reason(), id.detail()),
            (Reason::InvalidArgument, "an id is never empty")
        );
        let policy = DecodeError::from(PolicyError::MemberModerates);
        assert_eq!(policy.reason(), Reason::InvalidPolicy);
        let at = DecodeError::from(TimestampError::OutOfRange);
        assert_eq!(at.reason(), Reason::InvalidArgument);
    }
}
