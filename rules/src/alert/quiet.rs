//! Quiet hours: a span of the day, in a receiver's own time zone, during which notifications wait.
//!
//! Each quiet period runs from `start` on one local day to `end` on the same day, or the next one
//! when the span wraps midnight (22:00–07:00). Times are read on the local calendar, so a period
//! lasts an hour less or more on the nights the clocks change: a time that does not exist (in the
//! spring gap) means the first instant after the gap, and a time that occurs twice (in the autumn
//! overlap) means its first occurrence. The repeated hour is therefore not quiet twice.

use chrono::offset::LocalResult;
use chrono::{DateTime, Days, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    /// An IANA time zone name: `Europe/Paris`, `America/New_York`.
    #[serde(serialize_with = "write_tz", deserialize_with = "read_tz")]
    pub tz: Tz,
    #[serde(serialize_with = "write_time", deserialize_with = "read_time")]
    pub start: NaiveTime,
    /// May be earlier than `start`: the span then wraps midnight. Equal to `start`: never quiet.
    #[serde(serialize_with = "write_time", deserialize_with = "read_time")]
    pub end: NaiveTime,
}

impl QuietHours {
    /// Reads a time zone name and two `HH:MM` times.
    pub fn parse(tz: &str, start: &str, end: &str) -> Result<Self, ParseError> {
        Ok(Self {
            tz: parse_tz(tz)?,
            start: parse_time(start)?,
            end: parse_time(end)?,
        })
    }

    /// Whether notifications wait at `at`.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.period_around(at).is_some()
    }

    /// When the quiet period around `at` ends: `at` itself when it is not quiet.
    pub fn next_end(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.period_around(at).map_or(at, |(_, end)| end)
    }

    /// The quiet period `[start, end)` that contains `at`, in UTC.
    pub fn period_around(&self, at: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if self.start == self.end {
            return None;
        }
        let today = at.with_timezone(&self.tz).date_naive();
        let wraps = self.end < self.start;
        [today.checked_sub_days(Days::new(1)), Some(today)]
            .into_iter()
            .flatten()
            .find_map(|day| {
                let end_day = if wraps {
                    day.checked_add_days(Days::new(1))?
                } else {
                    day
                };
                let start = resolve(self.tz, day.and_time(self.start));
                let end = resolve(self.tz, end_day.and_time(self.end));
                (start <= at && at < end).then_some((start, end))
            })
    }
}

/// The instant a local time names: the first of two in an overlap, the first instant after the
/// gap for a time the clocks skip.
fn resolve(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => {
            // Gaps are at most a few hours and start on a minute: walk whole minutes forward.
            let mut t = local
                .with_second(0)
                .unwrap_or(local)
                .with_nanosecond(0)
                .unwrap_or(local);
            for _ in 0..48 * 60 {
                t += TimeDelta::minutes(1);
                if let Some(found) = tz.from_local_datetime(&t).earliest() {
                    return found.with_timezone(&Utc);
                }
            }
            local.and_utc()
        }
    }
}

fn parse_tz(s: &str) -> Result<Tz, ParseError> {
    s.trim().parse::<Tz>().map_err(|_| {
        ParseError::new(format!(
            "\"{}\" is not a time zone; expected an IANA name such as Europe/Paris or America/New_York",
            s.trim()
        ))
    })
}

fn parse_time(s: &str) -> Result<NaiveTime, ParseError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        ParseError::new(format!(
            "\"{}\" is not a time of day; expected HH:MM on a 24-hour clock, such as 22:00",
            s.trim()
        ))
    })
}

fn write_tz<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn read_tz<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    parse_tz(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}

fn write_time<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%H:%M").to_string())
}

fn read_time<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    parse_time(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_read_from_toml_and_refuse_unknown_zones_in_one_sentence() {
        let q: QuietHours =
            toml::from_str("tz = \"Europe/Paris\"\nstart = \"22:00\"\nend = \"07:00\"").unwrap();
        assert_eq!(q, QuietHours::parse("Europe/Paris", "22:00", "07:00").unwrap());
        let e = QuietHours::parse("Europe/Atlantis", "22:00", "07:00")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected an IANA name"), "{e}");
        let e = QuietHours::parse("UTC", "25:00", "07:00")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected HH:MM"), "{e}");
    }
}
