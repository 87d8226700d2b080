//! Recurring events: `RRULE`, `RDATE` and `EXDATE` expanded within the caller's horizon, and
//! `RECURRENCE-ID` overrides put in place of the occurrence they replace.
//!
//! The rules themselves are expanded by the `rrule` crate: it implements all of RFC 5545's rule
//! parts (`BYSETPOS`, `BYWEEKNO`, negative `BYDAY`…) and iterates on the wall clock of a
//! chrono-tz zone, so a daily 09:00 meeting stays at 09:00 across a DST change. We drive its
//! builder from our own reading of the value ([`super::rule`]). `RDATE` and
//! `EXDATE` are applied here rather than by the crate, which compares them by timestamp and so
//! misses a `DATE` exception on a `DATE-TIME` rule. Iteration is bounded twice: by the number
//! of occurrences kept (the caller's caps) and by the number pulled before the horizon starts.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone};
use rrule::{RRule, RRuleSet, Validated};

use super::content_line::quote;
use super::event::{ParsedEvent, RuleProp, add_duration};
use super::rule::build_rule;
use super::value::Duration;
use super::zone;
use super::{Event, ReadOptions, Time, Warnings};

pub(crate) struct Expanded {
    pub events: Vec<Event>,
    pub overrides_applied: usize,
}

/// Replaces recurring events by their occurrences and applies overrides, keeping file order.
pub(crate) fn expand_all(
    events: Vec<ParsedEvent>,
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Expanded {
    // Which overrides belong to which master (the first event with their UID and no RECURRENCE-ID).
    let mut overrides_of: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut attached = vec![false; events.len()];
    {
        let mut masters: HashMap<&str, usize> = HashMap::with_capacity(events.len());
        for (i, e) in events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.recurrence_id.is_none())
        {
            if let Some(&first) = masters.get(e.uid.as_str()) {
                warnings.at(
                    e.line,
                    None,
                    format!(
                        "UID {} is already used by the VEVENT at line {}; expected one event per UID besides RECURRENCE-ID overrides, so both are kept",
                        quote(&e.uid),
                        events[first].line
                    ),
                );
            } else {
                masters.insert(&e.uid, i);
            }
        }
        for (i, e) in events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.recurrence_id.is_some())
        {
            if let Some(&m) = masters.get(e.uid.as_str()) {
                overrides_of.entry(m).or_default().push(i);
                attached[i] = true;
            }
        }
    }

    let mut expander = Expander {
        options,
        warnings,
        out: Vec::with_capacity(events.len()),
        applied: 0,
        total_left: options.max_instances_total,
        total_reported: false,
    };
    let mut slots: Vec<Option<ParsedEvent>> = events.into_iter().map(Some).collect();
    for i in 0..slots.len() {
        if attached[i] {
            continue; // taken by its master
        }
        let Some(event) = slots[i].take() else { continue };
        if let Some(rid) = event.recurrence_id {
            // An override whose master is not in the file: an event of its own.
            let basic = rid.to_basic();
            let uid = format!("{}/{basic}", event.uid);
            expander.out.push(into_event(event, uid, Some(basic)));
            continue;
        }
        let overrides = overrides_of
            .remove(&i)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|j| slots[j].take())
            .collect();
        expander.master(event, overrides);
    }
    Expanded {
        events: expander.out,
        overrides_applied: expander.applied,
    }
}

struct Expander<'o, 'w> {
    options: &'o ReadOptions,
    warnings: &'w mut Warnings,
    out: Vec<Event>,
    applied: usize,
    total_left: usize,
    total_reported: bool,
}

impl Expander<'_, '_> {
    fn master(&mut self, master: ParsedEvent, overrides: Vec<ParsedEvent>) {
        let recurring = !master.rrules.is_empty() || !master.rdates.is_empty();
        if !recurring {
            self.single(master, overrides);
            return;
        }
        let per_rule = self.options.max_instances_per_rule;
        let cap = per_rule.min(self.total_left);
        let (occurrences, truncated) = self.occurrences(&master, cap);
        self.total_left -= occurrences.len().min(self.total_left);
        if truncated && cap < per_rule {
            if !self.total_reported {
                self.total_reported = true;
                self.warnings.at(
                    master.line,
                    None,
                    format!(
                        "recurring events reached {} occurrences in all; expected at most max_instances_total, so this and later events lose occurrences",
                        self.options.max_instances_total
                    ),
                );
            }
        } else if truncated {
            let (line, column) = master
                .rrules
                .first()
                .map_or((master.line, None), |r| (r.line, Some(r.column)));
            self.warnings.at(
                line,
                column,
                format!(
                    "the recurring event at line {} has more than {cap} occurrences within the horizon; expected at most max_instances_per_rule, so only the first {cap} are kept",
                    master.line
                ),
            );
        }

        let mut by_rid: HashMap<Time, usize> = HashMap::with_capacity(overrides.len());
        for (k, o) in overrides.iter().enumerate() {
            if let Some(rid) = o.recurrence_id {
                by_rid.entry(coerce(&rid, &master.start)).or_insert(k);
            }
        }
        let mut overrides: Vec<Option<ParsedEvent>> = overrides.into_iter().map(Some).collect();
        let span = Span::of(&master);
        for t in occurrences {
            let basic = t.to_basic();
            let uid = format!("{}/{basic}", master.uid);
            if let Some(o) = by_rid.remove(&t).and_then(|k| overrides[k].take()) {
                self.applied += 1;
                self.out.push(into_event(o, uid, Some(basic)));
                continue;
            }
            let end = span.as_ref().and_then(|s| s.end_of(&t, master.end.as_ref()));
            self.out.push(Event {
                uid,
                master_uid: master.uid.clone(),
                recurrence_id: Some(basic),
                summary: master.summary.clone(),
                description: master.description.clone(),
                location: master.location.clone(),
                status: master.status.clone(),
                categories: master.categories.clone(),
                start: t,
                end,
                line: master.line,
                extra: master.extra.clone(),
            });
        }
        for o in overrides.into_iter().flatten() {
            let Some(rid) = o.recurrence_id else { continue };
            let rid = coerce(&rid, &master.start);
            if self.in_horizon(&rid) {
                self.unmatched(o, &master, rid);
            }
        }
    }

    /// A non-recurring event, perhaps replaced by an override of its only occurrence.
    fn single(&mut self, master: ParsedEvent, overrides: Vec<ParsedEvent>) {
        let mut replaced = false;
        for o in overrides {
            let Some(rid) = o.recurrence_id else { continue };
            let rid = coerce(&rid, &master.start);
            if !replaced && rid == master.start {
                replaced = true;
                self.applied += 1;
                let uid = master.uid.clone();
                self.out.push(into_event(o, uid, Some(rid.to_basic())));
            } else {
                self.unmatched(o, &master, rid);
            }
        }
        if !replaced {
            let uid = master.uid.clone();
            self.out.push(into_event(master, uid, None));
        }
    }

    fn unmatched(&mut self, o: ParsedEvent, master: &ParsedEvent, rid: Time) {
        self.warnings.at(
            o.line,
            None,
            format!(
                "RECURRENCE-ID {} matches no occurrence of the event at line {}; expected one of its dates, so it is kept as an event of its own",
                rid, master.line
            ),
        );
        let basic = rid.to_basic();
        let uid = format!("{}/{basic}", o.uid);
        self.out.push(into_event(o, uid, Some(basic)));
    }

    fn in_horizon(&self, t: &Time) -> bool {
        (self.options.horizon_start..=self.options.horizon_end).contains(&t.date())
    }

    /// The occurrences of a recurring event within the horizon, sorted, at most `cap`, and
    /// whether there were more.
    fn occurrences(&mut self, master: &ParsedEvent, cap: usize) -> (Vec<Time>, bool) {
        let mut out = Vec::new();
        if cap == 0 {
            return (out, true);
        }
        if self.in_horizon(&master.start) {
            out.push(master.start);
        }
        let Some(dt_start) = to_rrule(&master.start) else {
            return (out, false);
        };
        let mut rules = Vec::with_capacity(master.rrules.len());
        for prop in &master.rrules {
            match build_rule(&prop.value, &master.start, dt_start) {
                Ok(rule) => rules.push(rule),
                Err(reason) => self.warnings.at(
                    prop.line,
                    Some(prop.column),
                    format!(
                        "RRULE {} is not a valid rule ({reason}); expected a form such as FREQ=YEARLY;BYMONTH=5;BYDAY=1MO, so only its other dates are kept",
                        quote(&prop.value)
                    ),
                ),
            }
        }
        if !rules.is_empty() {
            let first = &master.rrules[0];
            let expanded = catch_unwind(AssertUnwindSafe(|| {
                self.expand_rules(rules, dt_start, &master.start, cap, &mut out, first)
            }));
            // The rrule crate is third-party code with many internal `expect`s: should one ever
            // fire, the rest of the file still deserves to be read.
            if expanded.is_err() {
                self.warnings.at(
                    first.line,
                    Some(first.column),
                    format!(
                        "RRULE {} could not be expanded; expected a rule the rrule crate can iterate, so only its other dates are kept",
                        quote(&first.value)
                    ),
                );
            }
        }
        for r in &master.rdates {
            let r = coerce(r, &master.start);
            if self.in_horizon(&r) {
                out.push(r);
            }
        }
        out.sort_by_key(sort_key);
        out.dedup();
        if !master.exdates.is_empty() {
            let excluded: HashSet<Time> = master.exdates.iter().map(|x| coerce(x, &master.start)).collect();
            out.retain(|t| !excluded.contains(t));
        }
        let truncated = out.len() > cap;
        out.truncate(cap);
        (out, truncated)
    }

    fn expand_rules(
        &mut self,
        rules: Vec<RRule<Validated>>,
        dt_start: DateTime<rrule::Tz>,
        start: &Time,
        cap: usize,
        out: &mut Vec<Time>,
        first: &RuleProp,
    ) {
        let set = rules
            .into_iter()
            .fold(RRuleSet::new(dt_start).limit(), RRuleSet::rrule);
        // Occurrences before the horizon cost time too: a FREQ=SECONDLY rule from 1900 would
        // take hours to reach 1990. Stop pulling after a generous multiple of the cap.
        let pull_limit = cap.saturating_mul(16).max(100_000);
        let mut kept = 0;
        for (pulled, dt) in (&set).into_iter().enumerate() {
            let t = from_rrule(dt, start);
            if t.date() > self.options.horizon_end {
                return;
            }
            if pulled >= pull_limit {
                self.warnings.at(
                    first.line,
                    Some(first.column),
                    format!(
                        "RRULE {} needs more than {pull_limit} occurrences to reach the horizon; expected a rule starting closer to it, so later occurrences are dropped",
                        quote(&first.value)
                    ),
                );
                return;
            }
            if t.date() < self.options.horizon_start {
                continue;
            }
            // DTSTART is already in `out`; one more than the cap lets `occurrences` report it.
            if kept > cap {
                return;
            }
            kept += 1;
            out.push(t);
        }
    }
}

fn into_event(e: ParsedEvent, uid: String, recurrence_id: Option<String>) -> Event {
    Event {
        uid,
        master_uid: e.uid,
        recurrence_id,
        summary: e.summary,
        description: e.description,
        location: e.location,
        status: e.status,
        categories: e.categories,
        start: e.start,
        end: e.end,
        line: e.line,
        extra: e.extra,
    }
}

fn sort_key(t: &Time) -> chrono::NaiveDateTime {
    t.instant().map_or_else(|| t.naive_local(), |i| i.naive_utc())
}

/// `t` as the same kind of time as `like` (the event's DTSTART), so that an `EXDATE`, `RDATE` or
/// `RECURRENCE-ID` written as a date matches a date-time occurrence on that day, and a UTC one
/// matches a zoned occurrence at that instant.
fn coerce(t: &Time, like: &Time) -> Time {
    let at_like_time = |date: chrono::NaiveDate| date.and_time(like.naive_local().time());
    match like {
        Time::Date(_) => Time::Date(t.date()),
        Time::Utc(_) => match t {
            Time::Utc(_) | Time::Zoned(_) => Time::Utc(t.instant().unwrap_or_default()),
            Time::Date(d) => Time::Utc(at_like_time(*d).and_utc()),
            Time::Floating(n) => Time::Utc(n.and_utc()),
        },
        Time::Zoned(z) => {
            let tz = z.timezone();
            let local = match t {
                Time::Utc(_) | Time::Zoned(_) => {
                    return Time::Zoned(t.instant().unwrap_or_default().with_timezone(&tz));
                }
                Time::Date(d) => at_like_time(*d),
                Time::Floating(n) => *n,
            };
            zone::zoned(tz, local).map_or(Time::Floating(local), Time::Zoned)
        }
        Time::Floating(_) => match t {
            Time::Date(d) => Time::Floating(at_like_time(*d)),
            _ => Time::Floating(t.naive_local()),
        },
    }
}

/// How long each occurrence lasts, from the master's `DURATION` or `DTEND`.
enum Span {
    Duration(Duration),
    Days(i64),
    Exact(TimeDelta),
    WallClock(TimeDelta),
}

impl Span {
    fn of(master: &ParsedEvent) -> Option<Span> {
        if let Some(d) = master.duration {
            return Some(Span::Duration(d));
        }
        let end = master.end.as_ref()?;
        Some(match (&master.start, end) {
            (Time::Date(a), Time::Date(b)) => Span::Days((*b - *a).num_days()),
            (a, b) => match (a.instant(), b.instant()) {
                (Some(a), Some(b)) => Span::Exact(b - a),
                _ => Span::WallClock(b.naive_local() - a.naive_local()),
            },
        })
    }

    /// The end of the occurrence starting at `t`, of the same kind as the master's end.
    fn end_of(&self, t: &Time, like: Option<&Time>) -> Option<Time> {
        match self {
            Span::Duration(d) => add_duration(t, *d),
            Span::Days(n) => t
                .date()
                .checked_add_signed(TimeDelta::try_days(*n)?)
                .map(Time::Date),
            Span::Exact(delta) => {
                let end = t.instant()?.checked_add_signed(*delta)?;
                Some(match like {
                    Some(Time::Zoned(z)) => Time::Zoned(end.with_timezone(&z.timezone())),
                    _ => Time::Utc(end),
                })
            }
            Span::WallClock(delta) => {
                let end = t.naive_local().checked_add_signed(*delta)?;
                Some(match like {
                    Some(Time::Date(_)) => Time::Date(end.date()),
                    Some(Time::Utc(_)) => Time::Utc(end.and_utc()),
                    Some(Time::Zoned(z)) => {
                        zone::zoned(z.timezone(), end).map_or(Time::Floating(end), Time::Zoned)
                    }
                    _ => Time::Floating(end),
                })
            }
        }
    }
}

/// DTSTART as the rrule crate wants it: dates and floating times on a UTC wall clock.
fn to_rrule(start: &Time) -> Option<DateTime<rrule::Tz>> {
    let utc = rrule::Tz::UTC;
    Some(match start {
        Time::Date(d) => utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)),
        Time::Utc(t) => t.with_timezone(&utc),
        Time::Zoned(t) => t.with_timezone(&rrule::Tz::Tz(t.timezone())),
        Time::Floating(n) => utc.from_utc_datetime(n),
    })
}

fn from_rrule(dt: DateTime<rrule::Tz>, like: &Time) -> Time {
    match like {
        Time::Date(_) => Time::Date(dt.naive_utc().date()),
        Time::Utc(_) => Time::Utc(dt.with_timezone(&chrono::Utc)),
        Time::Zoned(z) => Time::Zoned(dt.with_timezone(&z.timezone())),
        Time::Floating(_) => Time::Floating(dt.naive_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_exception_matches_a_date_time_occurrence_that_day() {
        let start = Time::Utc(
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
                .and_utc(),
        );
        let ex = Time::Date(chrono::NaiveDate::from_ymd_opt(2024, 1, 8).unwrap());
        let expected = chrono::NaiveDate::from_ymd_opt(2024, 1, 8)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc();
        assert_eq!(coerce(&ex, &start), Time::Utc(expected));
    }
}
