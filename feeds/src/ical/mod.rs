//! A tolerant, fast iCalendar (RFC 5545) reader.
//!
//! [`read`] turns the bytes of a `.ics` file into [`Event`]s, expanding recurring events within a
//! horizon chosen by the caller. Real calendars break the standard in many small ways, so the
//! reader survives them instead of rejecting the file:
//!
//! - a UTF-8 byte-order mark is stripped; bytes that are not UTF-8 are read as Windows-1252
//!   (a superset of Latin-1); UTF-16 with a byte-order mark is decoded too;
//! - CRLF, LF and lone CR line endings may be mixed; folded lines are unfolded;
//! - several `VCALENDAR` objects concatenated in one file are all read;
//! - a `TZID` on a `DATE` value is ignored and the date kept; a `TZID` that is an IANA name, ends
//!   with one (`/mozilla.org/20070129_1/Asia/Tokyo`) or names a `VTIMEZONE` whose
//!   `X-LIC-LOCATION` is one is resolved with chrono-tz; any other stays a floating local time;
//! - a broken `VEVENT` (no `DTSTART`, a bad date, an unterminated component…) is skipped and
//!   reported as a located [`Warning`]; only input with no `VCALENDAR` at all, or that is not
//!   text, is an [`Error`].
//!
//! The reader never panics and allocates no more than the input's size plus the instance caps
//! of [`ReadOptions`] allow.
//!
//! The pipeline: [`text`] decodes and splits the input into unfolded lines, [`content_line`]
//! splits a line into name, parameters and value, [`value`] reads dates, times and durations,
//! [`component`] walks `BEGIN`/`END` blocks and gathers raw events, [`event`] resolves their
//! times ([`zone`] resolves `TZID`s), and [`recurrence`] expands recurring events ([`rule`]
//! reads `RRULE`s) and applies their overrides.

mod component;
mod content_line;
mod event;
mod recurrence;
mod rule;
mod text;
mod value;
mod zone;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// How [`read`] expands recurring events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// First day (inclusive) on which occurrences of a recurring event are kept.
    pub horizon_start: NaiveDate,
    /// Last day (inclusive) on which occurrences of a recurring event are kept.
    pub horizon_end: NaiveDate,
    /// Most occurrences kept for one recurring event within the horizon; the rest are dropped
    /// with a warning, so a hostile `FREQ=SECONDLY` cannot exhaust memory.
    pub max_instances_per_rule: usize,
    /// Most occurrences of recurring events kept for the whole input, whatever the number of
    /// rules: a file of many hostile rules stays bounded too. Single events do not count.
    pub max_instances_total: usize,
}

impl Default for ReadOptions {
    /// Expands between 1990-01-01 and 2035-12-31, at most 5,000 occurrences per rule and
    /// 1,000,000 in all.
    fn default() -> Self {
        Self {
            horizon_start: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN),
            horizon_end: NaiveDate::from_ymd_opt(2035, 12, 31).unwrap_or(NaiveDate::MAX),
            max_instances_per_rule: 5_000,
            max_instances_total: 1_000_000,
        }
    }
}

/// The character encoding the input was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Not valid UTF-8, so read as Windows-1252, the superset of ISO-8859-1 (Latin-1) that
    /// producers of such files actually use.
    Latin1,
    /// UTF-16 (either byte order), recognised by its byte-order mark.
    Utf16,
}

/// What [`read`] found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Number of `VCALENDAR` objects in the file (concatenated calendars are all read).
    pub calendars: usize,
    /// The encoding the bytes were decoded from.
    pub encoding: TextEncoding,
    /// Events in file order; a recurring event is replaced by its occurrences within the
    /// horizon, in chronological order, at its place.
    pub events: Vec<Event>,
    /// Problems that did not stop the reading, in file order.
    pub warnings: Vec<Warning>,
    /// Number of `RECURRENCE-ID` overrides that replaced an occurrence of their master.
    pub overrides_applied: usize,
    /// The calendar's display name (`X-WR-CALNAME` of the first calendar that has one).
    pub name: Option<String>,
}

/// One event, or one occurrence of a recurring event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable identity of this occurrence: the `UID` for a single event; for an occurrence of a
    /// recurring event, the `UID`, a slash and its recurrence date-time in basic form
    /// (`uid@x/20240101`, `uid@x/20240101T090000Z`). An event without a `UID` gets one made from
    /// its `DTSTART` and `SUMMARY`, with a warning.
    pub uid: String,
    /// The `UID` of the event as written in the file.
    pub master_uid: String,
    /// For an occurrence or an override, its recurrence date-time in basic form: `YYYYMMDD` for
    /// a date, `YYYYMMDDTHHMMSSZ` in UTC, `YYYYMMDDTHHMMSS` in local time (zoned or floating).
    pub recurrence_id: Option<String>,
    /// `SUMMARY`, unescaped; empty when the event has none.
    pub summary: String,
    /// `DESCRIPTION`, unescaped; `None` when absent or empty.
    pub description: Option<String>,
    /// `LOCATION`, unescaped; `None` when absent or empty.
    pub location: Option<String>,
    /// `STATUS` as written (`CONFIRMED`, `TENTATIVE`, `CANCELLED`…).
    pub status: Option<String>,
    /// Every `CATEGORIES` value, unescaped, in order.
    pub categories: Vec<String>,
    /// `DTSTART`, or the start of this occurrence.
    pub start: Time,
    /// Exclusive end as in RFC 5545: `DTEND`, or `DTSTART` plus `DURATION`.
    pub end: Option<Time>,
    /// Line of the `BEGIN:VEVENT` in the original file (of the override, for an override).
    pub line: usize,
    /// `X-` properties by upper-case name, unescaped as text; the first of repeated ones wins.
    pub extra: BTreeMap<String, String>,
}

/// A point in time as iCalendar writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Time {
    /// A whole day (`VALUE=DATE`), without time or zone.
    Date(NaiveDate),
    /// A UTC date-time (`…Z`).
    Utc(DateTime<Utc>),
    /// A local date-time in a known time zone (`TZID=…`).
    Zoned(DateTime<Tz>),
    /// A local date-time in no known zone: no `TZID`, or one that could not be resolved.
    Floating(NaiveDateTime),
}

impl Time {
    /// The calendar day of this time in its own zone (UTC for [`Time::Utc`]).
    pub fn date(&self) -> NaiveDate {
        match self {
            Time::Date(d) => *d,
            Time::Utc(t) => t.date_naive(),
            Time::Zoned(t) => t.date_naive(),
            Time::Floating(t) => t.date(),
        }
    }

    /// The wall-clock date and time in its own zone (midnight for a date).
    pub fn naive_local(&self) -> NaiveDateTime {
        match self {
            Time::Date(d) => d.and_time(chrono::NaiveTime::MIN),
            Time::Utc(t) => t.naive_utc(),
            Time::Zoned(t) => t.naive_local(),
            Time::Floating(t) => *t,
        }
    }

    /// The instant, when this time denotes one (UTC or zoned).
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        match self {
            Time::Utc(t) => Some(*t),
            Time::Zoned(t) => Some(t.with_timezone(&Utc)),
            Time::Date(_) | Time::Floating(_) => None,
        }
    }

    /// This time in iCalendar basic form, as used in [`Event::recurrence_id`].
    pub fn to_basic(&self) -> String {
        let mut out = String::with_capacity(16);
        value::write_basic(self, &mut out);
        out
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Time::Date(d) => write!(f, "{d}"),
            Time::Utc(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%SZ")),
            Time::Zoned(t) => write!(f, "{} {}", t.format("%Y-%m-%dT%H:%M:%S%:z"), t.timezone().name()),
            Time::Floating(t) => write!(f, "{} (floating)", t.format("%Y-%m-%dT%H:%M:%S")),
        }
    }
}

/// A problem that did not stop the reading, located in the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line in the original file (before unfolding).
    pub line: usize,
    /// 1-based column in characters, where it is meaningful.
    pub column: Option<usize>,
    /// One sentence naming the problem and the expected form.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, self.line, self.column, &self.message)
    }
}

/// Why nothing at all could be read: the input is not text, or holds no `VCALENDAR`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Located(*line, *column, message))]
pub struct Error {
    /// 1-based line in the original file.
    pub line: usize,
    /// 1-based column in characters, where it is meaningful.
    pub column: Option<usize>,
    /// One sentence naming the problem and the expected form.
    pub message: String,
}

struct Located<'a>(usize, Option<usize>, &'a String);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, self.0, self.1, self.2)
    }
}

fn write_located(
    f: &mut fmt::Formatter<'_>,
    line: usize,
    column: Option<usize>,
    message: &str,
) -> fmt::Result {
    match column {
        Some(column) => write!(f, "line {line}, column {column}: {message}"),
        None => write!(f, "line {line}: {message}"),
    }
}

/// Reads an iCalendar file.
///
/// Every `VEVENT` of every `VCALENDAR` in `bytes` becomes an [`Event`], except broken ones,
/// which are reported in [`Calendar::warnings`]. A recurring event (`RRULE`, `RDATE`) becomes
/// its occurrences whose day lies within `options`' horizon, minus its `EXDATE`s, each
/// replaced by its `RECURRENCE-ID` override when there is one; single events are kept whatever
/// their date.
///
/// # Errors
///
/// Only when nothing can be read: the bytes are not text (they hold a NUL byte), or they hold
/// no `BEGIN:VCALENDAR`. The error is located at the offending line.
pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<Calendar, Error> {
    let decoded = text::decode(bytes)?;
    let mut warnings = Warnings::default();
    if let Some(w) = decoded.warning {
        warnings.push(w);
    }
    let parsed = component::parse(&decoded.text, &mut warnings)?;
    let expanded = recurrence::expand_all(parsed.events, options, &mut warnings);
    Ok(Calendar {
        calendars: parsed.calendars,
        encoding: decoded.encoding,
        events: expanded.events,
        warnings: warnings.finish(),
        overrides_applied: expanded.overrides_applied,
        name: parsed.name,
    })
}

/// Warnings gathered while reading, kept in file order and capped so that a file of garbage
/// cannot make the list outgrow the input many times over.
#[derive(Default)]
pub(crate) struct Warnings {
    list: Vec<Warning>,
    dropped: usize,
}

impl Warnings {
    const MAX: usize = 1_000;

    pub(crate) fn push(&mut self, warning: Warning) {
        if self.list.len() < Self::MAX {
            self.list.push(warning);
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn at(&mut self, line: usize, column: Option<usize>, message: impl Into<String>) {
        if self.list.len() < Self::MAX {
            self.list.push(Warning {
                line,
                column,
                message: message.into(),
            });
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self) -> Vec<Warning> {
        // Warnings come from several passes (lines, then recurrence expansion): put them back in
        // file order, keeping the order of those on the same line.
        self.list.sort_by_key(|w| (w.line, w.column.unwrap_or(0)));
        if self.dropped > 0 {
            let line = self.list.last().map_or(1, |w| w.line);
            self.list.push(Warning {
                line,
                column: None,
                message: format!(
                    "{} more warnings were not recorded; expected at most {} per file",
                    self.dropped,
                    Self::MAX
                ),
            });
        }
        self.list
    }
}
