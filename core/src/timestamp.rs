//! Server timestamps: UTC, millisecond precision (spec §2, §8).
//!
//! A [`Timestamp`] counts milliseconds since the Unix epoch and stays within the years
//! 0000..=9999 that RFC 3339 can write, so every timestamp can be printed and every
//! difference of two fits in an `i64`.

use crate::Reason;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// A point in time, UTC, in milliseconds since 1970-01-01T00:00:00.000Z.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

/// Why a value is not a timestamp (spec 2.3, 8.5). Every variant is the reason
/// `invalid_argument`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// Outside 0000-01-01T00:00:00.000Z..=9999-12-31T23:59:59.999Z.
    #[error("a timestamp lies in the years 0000 to 9999")]
    OutOfRange,
    /// Text that is not an RFC 3339 date-time (a leap second included).
    #[error("a timestamp is an RFC 3339 date-time, e.g. 2026-01-01T00:02:00.000Z")]
    NotRfc3339,
    /// A fraction of a second finer than a millisecond.
    #[error("a timestamp is millisecond-precise: digits after the third of a fraction are 0")]
    FinerThanMillisecond,
}

impl TimestampError {
    /// The reason of the table (spec §9): always `invalid_argument`.
    #[must_use]
    pub const fn reason(self) -> Reason {
        Reason::InvalidArgument
    }
}

impl From<TimestampError> for Reason {
    fn from(error: TimestampError) -> Self {
        error.reason()
    }
}

impl Timestamp {
    /// 0000-01-01T00:00:00.000Z, the earliest timestamp.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200_000);
    /// 9999-12-31T23:59:59.999Z, the latest timestamp.
    pub const MAX: Timestamp = Timestamp(253_402_300_799_999);

    /// The timestamp `ms` milliseconds after the Unix epoch.
    ///
    /// # Errors
    /// [`TimestampError::OutOfRange`] (`invalid_argument`) outside
    /// [`Timestamp::MIN`]..=[`Timestamp::MAX`].
    pub const fn from_unix_millis(ms: i64) -> Result<Self, TimestampError> {
        if ms < Self::MIN.0 || ms > Self::MAX.0 {
            return Err(TimestampError::OutOfRange);
        }
        Ok(Timestamp(ms))
    }

    /// Milliseconds since the Unix epoch.
    #[must_use]
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// Milliseconds from `earlier` to `self`, negative when `earlier` is later.
    #[must_use]
    pub const fn millis_since(self, earlier: Timestamp) -> i64 {
        self.0 - earlier.0
    }

    /// `self` plus `ms` milliseconds, held at [`Timestamp::MAX`].
    #[must_use]
    pub const fn saturating_add_millis(self, ms: i64) -> Timestamp {
        let sum = self.0.saturating_add(ms);
        if sum > Self::MAX.0 {
            Self::MAX
        } else if sum < Self::MIN.0 {
            Self::MIN
        } else {
            Timestamp(sum)
        }
    }

    /// Parses RFC 3339 text, e.g. `2026-01-01T00:02:00.000Z`. Any offset is accepted and
    /// converted to UTC; fractions finer than a millisecond must be zero.
    ///
    /// # Errors
    /// [`TimestampError`] (`invalid_argument`) when the text is not RFC 3339, carries
    /// sub-millisecond precision, or falls outside the years 0000..=9999 in UTC.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let at = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| TimestampError::NotRfc3339)?;
        let nanos = at.unix_timestamp_nanos();
        if nanos % 1_000_000 != 0 {
            return Err(TimestampError::FinerThanMillisecond);
        }
        let ms = i64::try_from(nanos / 1_000_000).map_err(|_| TimestampError::OutOfRange)?;
        Self::from_unix_millis(ms)
    }

    fn to_offset_date_time(self) -> OffsetDateTime {
        // In range by construction, so the conversion cannot fail.
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .to_offset(UtcOffset::UTC)
    }
}

/// RFC 3339 in UTC with exactly three fraction digits: `2026-01-01T00:02:00.000Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.to_offset_date_time();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.millisecond()
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(text: &str) -> Result<Self, TimestampError> {
        Self::parse(text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_rfc3339_utc_with_milliseconds() {
        let at = Timestamp::from_unix_millis(1_767_225_720_001).unwrap();
        assert_eq!(at.to_string(), "2026-01-01T00:02:00.001Z");
        assert_eq!(Timestamp::MIN.to_string(), "0000-01-01T00:00:00.000Z");
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59.999Z");
        let before_epoch = Timestamp::from_unix_millis(-1).unwrap();
        assert_eq!(before_epoch.to_string(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn parses_any_offset_to_utc() {
        let utc = Timestamp::parse("2026-01-01T00:02:00.000Z").unwrap();
        assert_eq!(Timestamp::parse("2026-01-01T08:02:00+08:00").unwrap(), utc);
        assert_eq!(
            Timestamp::parse("2026-01-01T00:02:00.000000Z").unwrap(),
            utc
        );
        for text in [Timestamp::MIN.to_string(), Timestamp::MAX.to_string()] {
            assert_eq!(Timestamp::parse(&text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn refuses_bad_text_and_sub_millisecond_precision() {
        for bad in [
            "",
            "2026-01-01",
            "2026-13-01T00:00:00Z",
            "2026-01-01T00:00:00.0001Z",
            "9999-12-31T23:59:59.999-01:00",
            "yesterday",
        ] {
            let refused = Timestamp::parse(bad).map_err(Reason::from);
            assert_eq!(refused, Err(Reason::InvalidArgument), "{bad}");
        }
    }

    #[test]
    fn range_is_checked_and_addition_saturates() {
        assert!(Timestamp::from_unix_millis(Timestamp::MAX.unix_millis() + 1).is_err());
        assert!(Timestamp::from_unix_millis(Timestamp::MIN.unix_millis() - 1).is_err());
        assert_eq!(Timestamp::MAX.saturating_add_millis(1), Timestamp::MAX);
        assert_eq!(
            Timestamp::MIN.saturating_add_millis(i64::MIN),
            Timestamp::MIN
        );
    }

    #[test]
    fn addition_is_exact_in_range_and_held_at_each_bound() {
        let at = |ms: i64| Timestamp::from_unix_millis(ms).unwrap();
        let (min, max) = (Timestamp::MIN.unix_millis(), Timestamp::MAX.unix_millis());
        // Inside the range the sum is exact, forwards and backwards.
        assert_eq!(at(0).saturating_add_millis(120_000), at(120_000));
        assert_eq!(at(0).saturating_add_millis(-120_000), at(-120_000));
        assert_eq!(at(0).saturating_add_millis(0), at(0));
        // Landing exactly on a bound gives the bound; one millisecond past is held there.
        assert_eq!(at(0).saturating_add_millis(max), Timestamp::MAX);
        assert_eq!(at(0).saturating_add_millis(max + 1), Timestamp::MAX);
        assert_eq!(at(0).saturating_add_millis(min), Timestamp::MIN);
        assert_eq!(at(0).saturating_add_millis(min - 1), Timestamp::MIN);
        // One step inside a bound is not the bound.
        assert_eq!(Timestamp::MAX.saturating_add_millis(-1), at(max - 1));
        assert_eq!(Timestamp::MIN.saturating_add_millis(1), at(min + 1));
        // Sums past i64 itself are held too, and a jump across the whole range lands on the
        // other bound.
        assert_eq!(
            Timestamp::MAX.saturating_add_millis(i64::MAX),
            Timestamp::MAX
        );
        assert_eq!(
            Timestamp::MAX.saturating_add_millis(i64::MIN),
            Timestamp::MIN
        );
        assert_eq!(
            Timestamp::MIN.saturating_add_millis(i64::MAX),
            Timestamp::MAX
        );
    }

    #[test]
    fn debug_prints_the_rfc3339_text() {
        let at = Timestamp::from_unix_millis(1_767_225_720_001).unwrap();
        assert_eq!(format!("{at:?}"), "Timestamp(2026-01-01T00:02:00.001Z)");
        assert_eq!(
            format!("{:?}", Some(Timestamp::MIN)),
            "Some(Timestamp(0000-01-01T00:00:00.000Z))"
        );
    }
}
