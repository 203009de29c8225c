//! Validated ids: a user, a conversation, a message (spec §2).
//!
//! An id is a UTF-8 string of 1..=256 bytes with no control character. The only way to get
//! one is through a constructor that checks this, so the rules never see an invalid id.
//! An id owns its text (`Box<str>`): made from a `String` it keeps that string's memory, and
//! turned back into one it gives it back, so ids cross the FFI and the decoders without a copy
//! (decision 40). Cloning one copies it.

use crate::Reason;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The largest id, in UTF-8 bytes.
pub const MAX_ID_BYTES: usize = 256;

/// Why text is not an id (spec 2.2). Every variant is the reason `invalid_argument`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The text is empty.
    #[error("an id is never empty")]
    Empty,
    /// The text is longer than [`MAX_ID_BYTES`].
    #[error("an id is at most 256 bytes, this one has {0}")]
    TooLong(usize),
    /// The text holds a control character (U+0000–U+001F, U+007F–U+009F).
    #[error("an id holds no control character")]
    ControlCharacter,
}

impl IdError {
    /// The reason of the table (spec §9): always `invalid_argument`.
    #[must_use]
    pub const fn reason(self) -> Reason {
        Reason::InvalidArgument
    }
}

impl From<IdError> for Reason {
    fn from(error: IdError) -> Self {
        error.reason()
    }
}

/// Checks the id rule of spec §2: 1..=256 bytes, no control character.
pub(crate) fn check(id: &str) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if id.len() > MAX_ID_BYTES {
        return Err(IdError::TooLong(id.len()));
    }
    if has_control(id.as_bytes()) {
        return Err(IdError::ControlCharacter);
    }
    Ok(())
}

/// Whether UTF-8 text holds a control character: `char::is_control`, the general category
/// Cc, which is U+0000–U+001F and U+007F–U+009F. In UTF-8 these are the bytes below 0x20,
/// the byte 0x7F, and 0xC2 followed by 0x80–0x9F; no other character's encoding contains
/// them (0xC2 only ever leads a two-byte character).
///
/// Ids are almost always ASCII, so the text is read eight bytes at a time (the last word padded
/// with `a`), looking for a byte below 0x20 or equal to 0x7F with the usual word tricks; text
/// that holds any byte of 0x80 or more is then read again, byte by byte.
fn has_control(utf8: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = ONES * 0x80;
    // Both tests answer "is any byte…" exactly: a borrow out of a byte happens only when that
    // byte itself matches, so a borrow never makes a match alone.
    let flags = |word: u64| {
        let below_space = word.wrapping_sub(ONES * 0x20) & !word;
        let not_del = word ^ (ONES * 0x7F);
        let del = not_del.wrapping_sub(ONES) & !not_del;
        ((below_space | del) & HIGH, word & HIGH)
    };
    let (mut control, mut non_ascii) = (0, 0);
    let mut words = utf8.chunks_exact(8);
    for word in words.by_ref() {
        let (c, n) = flags(u64::from_le_bytes(word.try_into().unwrap_or([b'a'; 8])));
        control |= c;
        non_ascii |= n;
    }
    let mut last = [b'a'; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    let (c, n) = flags(u64::from_le_bytes(last));
    control |= c;
    non_ascii |= n;
    if non_ascii == 0 {
        return control != 0;
    }
    let mut found = false;
    let mut after_c2 = false;
    for &byte in utf8 {
        found |= (byte < 0x20) | (byte == 0x7F) | (after_c2 & (byte & 0xE0 == 0x80));
        after_c2 = byte == 0xC2;
    }
    found
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            /// Checks and wraps an id.
            ///
            /// # Errors
            /// [`IdError`] (`invalid_argument`) when the id is empty, longer than 256 bytes
            /// or holds a control character.
            pub fn new(id: impl AsRef<str>) -> Result<Self, IdError> {
                check(id.as_ref())?;
                Ok(Self(Box::from(id.as_ref())))
            }

            /// The id as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Wraps text that was a valid id before (a part of a key built from ids).
            pub(crate) fn from_checked(id: &str) -> Self {
                debug_assert!(check(id).is_ok());
                Self(id.into())
            }
        }

        /// Checks and wraps an id, keeping the string's memory (no copy).
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(id: String) -> Result<Self, IdError> {
                check(&id)?;
                Ok(Self(id.into_boxed_str()))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(id: &str) -> Result<Self, IdError> {
                Self::new(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(id: &str) -> Result<Self, IdError> {
                Self::new(id)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.into_string()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let id = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::new(id).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type! {
    /// A user: the sender of a message, or the operator of a recall.
    UserId
}
id_type! {
    /// A conversation: a direct chat, a group or a room.
    ConversationId
}
id_type! {
    /// A message, unique within its conversation.
    MessageId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ids_of_1_to_256_bytes() {
        assert!(UserId::new("a").is_ok());
        assert!(UserId::new("a".repeat(256)).is_ok());
        assert!(
            UserId::new("é".repeat(128)).is_ok(),
            "256 bytes in 128 chars"
        );
        assert!(
            UserId::new("alice smith 中文").is_ok(),
            "spaces and non-ASCII are allowed"
        );
    }

    #[test]
    fn finds_exactly_the_control_characters() {
        let mut utf8 = [0u8; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let alone = c.encode_utf8(&mut utf8).as_bytes();
            assert_eq!(has_control(alone), c.is_control(), "{c:?}");
            let framed = format!("\u{a0}{c}\u{a0}"); // U+00A0 is 0xC2 0xA0: a lead 0xC2 nearby
            assert_eq!(
                has_control(framed.as_bytes()),
                c.is_control(),
                "{c:?} framed"
            );
        }
    }

    #[test]
    fn finds_an_ascii_control_at_any_place_of_a_word() {
        for len in 1..=25 {
            for place in 0..len {
                for byte in 0..=0x7Fu8 {
                    let mut id = vec![b'~'; len];
                    id[place] = byte;
                    let control = byte < 0x20 || byte == 0x7F;
                    assert_eq!(has_control(&id), control, "{byte:#x} at {place} of {len}");
                    id.iter_mut()
                        .filter(|b| **b == b'~')
                        .for_each(|b| *b = b' ');
                    assert_eq!(
                        has_control(&id),
                        control,
                        "{byte:#x} at {place} of {len}, spaces"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Text mixing ASCII, the C0 and C1 controls, their UTF-8 neighbours and wider
        /// characters, at every length around the word size: the same answer as `char`'s.
        #[test]
        fn agrees_with_char_is_control(
            id in "[a\\x00-\\x21\\x7e\\x7f\\u{80}-\\u{a1}\\u{ff}\\u{100}\\u{4e2d}\\u{1f642}]{0,40}"
        ) {
            proptest::prop_assert_eq!(has_control(id.as_bytes()), id.chars().any(char::is_control));
        }
    }

    #[test]
    fn refuses_empty_long_and_control_ids() {
        for bad in [
            String::new(),
            "a".repeat(257),
            "中".repeat(86),
            "a\u{0}".into(),
            "a\n".into(),
            "a\u{7f}".into(),
            "a\u{85}".into(),
        ] {
            let refused = MessageId::new(bad.clone()).map_err(Reason::from);
            assert_eq!(refused, Err(Reason::InvalidArgument), "{bad:?}");
        }
    }

    #[test]
    fn each_refusal_says_why() {
        assert_eq!(UserId::new(""), Err(IdError::Empty));
        assert_eq!(UserId::new("a".repeat(257)), Err(IdError::TooLong(257)));
        assert_eq!(UserId::new("a\u{85}"), Err(IdError::ControlCharacter));
        assert_eq!(
            IdError::TooLong(257).to_string(),
            "an id is at most 256 bytes, this one has 257"
        );
    }

    #[test]
    fn deserialize_checks_the_id() {
        let id: ConversationId = serde_json::from_str("\"g1\"").unwrap();
        assert_eq!(id.as_str(), "g1");
        assert!(serde_json::from_str::<ConversationId>("\"\"").is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"g1\"");
    }
}
