//! One `VEVENT` from its gathered properties to a [`ParsedEvent`]: `TZID`s resolved in its
//! calendar's zones, its end computed from `DTEND` or `DURATION`, a `UID` made up if missing.

use std::collections::BTreeMap;

use super::content_line::quote;
use super::value::{Duration, RawTime};
use super::zone::{self, Resolution, Zones};
use super::{Time, Warnings};

/// A `VEVENT` with its times resolved, before recurrence expansion.
#[derive(Debug)]
pub(crate) struct ParsedEvent {
    pub line: usize,
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub status: Option<String>,
    pub categories: Vec<String>,
    pub extra: BTreeMap<String, String>,
    pub start: Time,
    pub end: Option<Time>,
    /// `DURATION`, when it (rather than `DTEND`) gave the end.
    pub duration: Option<Duration>,
    pub rrules: Vec<RuleProp>,
    pub rdates: Vec<Time>,
    pub exdates: Vec<Time>,
    pub recurrence_id: Option<Time>,
}

/// An `RRULE` value as written, with the place of its value.
#[derive(Debug, Clone)]
pub(crate) struct RuleProp {
    pub value: String,
    pub line: usize,
    pub column: usize,
}

/// A `VEVENT` as gathered line by line, times parsed but not yet resolved.
#[derive(Default)]
pub(crate) struct RawEvent {
    pub line: usize,
    pub uid: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub status: Option<String>,
    pub categories: Vec<String>,
    pub extra: BTreeMap<String, String>,
    pub dtstart: Option<TimeProp>,
    pub dtend: Option<TimeProp>,
    pub duration: Option<Duration>,
    pub rrules: Vec<RuleProp>,
    pub rdates: Vec<TimeProp>,
    pub exdates: Vec<TimeProp>,
    pub recurrence_id: Option<TimeProp>,
    /// The first problem that makes the event unreadable.
    pub broken: Option<(usize, Option<usize>, String)>,
}

/// A DATE or DATE-TIME value and where it was written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeProp {
    pub raw: RawTime,
    /// Index into the calendar's interned `TZID`s; only for local date-times.
    pub tzid: Option<u32>,
    pub line: usize,
    pub column: usize,
}

/// Resolves an event's times in its calendar's zones; `tzids` are the calendar's interned
/// `TZID` values, which [`TimeProp::tzid`] indexes.
pub(crate) fn resolve(
    raw: RawEvent,
    zones: &mut Zones,
    tzids: &[String],
    warnings: &mut Warnings,
) -> ParsedEvent {
    let mut time = |prop: &TimeProp, warnings: &mut Warnings| resolve_time(prop, zones, tzids, warnings);
    // `finish_event` only keeps events with a DTSTART.
    let start = raw
        .dtstart
        .as_ref()
        .map_or(Time::Date(chrono::NaiveDate::MIN), |p| time(p, warnings));
    let mut end = raw.dtend.as_ref().map(|p| time(p, warnings));
    if let (Some(e), Some(p)) = (end, raw.dtend.as_ref())
        && is_before(&e, &start)
    {
        warnings.at(
            p.line,
            Some(p.column),
            format!(
                "DTEND {} is before DTSTART {}; expected a later end, so the end is ignored",
                e, start
            ),
        );
        end = None;
    }
    let mut duration = None;
    if end.is_none()
        && raw.dtend.is_none()
        && let Some(d) = raw.duration
    {
        if d.days < 0 || d.seconds < 0 {
            warnings.at(
                raw.line,
                None,
                "DURATION is negative; expected a positive duration, so it is ignored",
            );
        } else {
            end = add_duration(&start, d);
            duration = Some(d);
        }
    }
    let rdates = raw.rdates.iter().map(|p| time(p, warnings)).collect();
    let exdates = raw.exdates.iter().map(|p| time(p, warnings)).collect();
    let recurrence_id = raw.recurrence_id.as_ref().map(|p| time(p, warnings));
    let summary = raw.summary.unwrap_or_default();
    let uid = match raw.uid {
        Some(uid) if !uid.trim().is_empty() => uid,
        _ => {
            let uid = made_up_uid(&start, &summary);
            warnings.at(
                raw.line,
                None,
                format!("VEVENT has no UID; expected a UID property, so it is identified as {uid}"),
            );
            uid
        }
    };
    ParsedEvent {
        line: raw.line,
        uid,
        summary,
        description: raw.description.filter(|d| !d.is_empty()),
        location: raw.location.filter(|l| !l.is_empty()),
        status: raw.status.filter(|s| !s.is_empty()),
        categories: raw.categories,
        extra: raw.extra,
        start,
        end,
        duration,
        rrules: raw.rrules,
        rdates,
        exdates,
        recurrence_id,
    }
}

fn resolve_time(prop: &TimeProp, zones: &mut Zones, tzids: &[String], warnings: &mut Warnings) -> Time {
    match prop.raw {
        RawTime::Date(d) => Time::Date(d),
        RawTime::Utc(t) => Time::Utc(t.and_utc()),
        RawTime::Local(t) => {
            let Some(tzid) = prop.tzid.and_then(|i| tzids.get(i as usize)) else {
                return Time::Floating(t);
            };
            match zones.resolve(tzid) {
                Resolution::Zone(tz) => zone::zoned(tz, t).map_or(Time::Floating(t), Time::Zoned),
                Resolution::Unknown { first } => {
                    if first {
                        warnings.at(
                            prop.line,
                            Some(prop.column),
                            format!(
                                "TZID {} is not a known time zone; expected an IANA name such as Europe/Paris, so its times are kept as floating local times",
                                quote(tzid)
                            ),
                        );
                    }
                    Time::Floating(t)
                }
            }
        }
    }
}

/// Whether `a` is strictly before `b`, comparing instants when both have one and wall-clock
/// times otherwise.
pub(crate) fn is_before(a: &Time, b: &Time) -> bool {
    match (a.instant(), b.instant()) {
        (Some(a), Some(b)) => a < b,
        _ => a.naive_local() < b.naive_local(),
    }
}

/// `start` plus a DURATION: days on the wall clock, then seconds of exact time. A date plus
/// whole days stays a date.
pub(crate) fn add_duration(start: &Time, d: Duration) -> Option<Time> {
    let days = chrono::Days::new(d.days.unsigned_abs());
    let exact = d.exact()?;
    match start {
        Time::Date(date) if d.seconds == 0 => date.checked_add_days(days).map(Time::Date),
        Time::Date(_) | Time::Floating(_) => {
            let local = start.naive_local().checked_add_days(days)?;
            local.checked_add_signed(exact).map(Time::Floating)
        }
        Time::Utc(t) => t.checked_add_days(days)?.checked_add_signed(exact).map(Time::Utc),
        Time::Zoned(t) => {
            let local = t.naive_local().checked_add_days(days)?;
            let moved = zone::zoned(t.timezone(), local)?;
            moved.checked_add_signed(exact).map(Time::Zoned)
        }
    }
}

/// A stable identity for an event without a UID: FNV-1a over its start and summary.
fn made_up_uid(start: &Time, summary: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let basic = start.to_basic();
    for b in basic.bytes().chain([0]).chain(summary.bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{basic}-{hash:016x}@no-uid.invalid")
}
