//! How domain values are written to columns and read back.
//!
//! Every reader returns [`StorageError::Corrupt`] naming the column rather than panicking, so a
//! row edited by hand (or by a newer version) is reported, not fatal.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StorageError;

/// A timestamp as fixed-width UTC RFC 3339 text with nanoseconds: text order is time order.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub(crate) fn read_timestamp(what: &str, text: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::corrupt(what, format!("\"{text}\" is not an RFC 3339 timestamp ({e})")))
}

pub(crate) fn read_opt_timestamp(
    what: &str,
    text: Option<&str>,
) -> Result<Option<DateTime<Utc>>, StorageError> {
    text.map(|t| read_timestamp(what, t)).transpose()
}

/// A day as ISO `YYYY-MM-DD`.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads any value the domain parses from text (codes, slugs, dates).
pub(crate) fn read<T, E>(
    what: &str,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, StorageError>
where
    E: std::fmt::Display,
{
    parse(text).map_err(|e| StorageError::corrupt(what, e))
}

pub(crate) fn read_opt<T, E>(
    what: &str,
    text: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, StorageError>
where
    E: std::fmt::Display,
{
    text.map(|t| read(what, t, parse)).transpose()
}

/// An integer column read into a narrower type.
pub(crate) fn read_int<T: TryFrom<i64>>(what: &str, value: i64) -> Result<T, StorageError> {
    T::try_from(value).map_err(|_| StorageError::corrupt(what, format!("{value} is out of range")))
}

pub(crate) fn json<T: Serialize>(what: &str, value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(|source| StorageError::Encode {
        what: what.to_owned(),
        source,
    })
}

pub(crate) fn read_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(|e| StorageError::corrupt(what, e))
}

/// A count for a signed 64-bit column (counts never come near the limit).
pub(crate) fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_fixed_width_and_round_trip() {
        let t = DateTime::parse_from_rfc3339("2025-03-01T09:05:00.5+02:00")
            .unwrap()
            .with_timezone(&Utc);
        let text = timestamp(t);
        assert_eq!(text, "2025-03-01T07:05:00.500000000Z");
        assert_eq!(read_timestamp("t", &text).unwrap(), t);
        let whole = DateTime::parse_from_rfc3339("2025-03-01T07:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(timestamp(whole).len(), text.len());
    }

    #[test]
    fn unreadable_values_name_the_column() {
        let err = read_timestamp("events.updated_at", "yesterday")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("events.updated_at") && err.contains("yesterday"),
            "{err}"
        );
    }
}
