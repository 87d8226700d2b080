//! Digest schedules: when a room receives its periodic summary.
//!
//! A schedule is a 5-field cron line read on the wall clock of a named time zone
//! (`0 9 * * MON` in Europe/Paris is Monday 09:00 in Paris, summer or winter). The pure question
//! "when is the next run after this instant?" is answered in UTC so the edge can store and compare
//! instants; the question "the bot was down, what do we send now?" is answered by the catch-up
//! policy in [`Schedule::runs_due`]. Parsing and matching come from `croner`; the `cron` crate is
//! not used because it skips or repeats jobs across daylight-saving changes.
//!
//! Daylight-saving changes follow Vixie cron, the behaviour people expect from a crontab:
//! - when the minute and the hour are written out (`30 2 * * *`, `0 9,17 * * 1-5`), each matching
//!   wall-clock time runs once, at the first instant the clock shows it or later: a time skipped
//!   when clocks spring forward runs at the end of the gap, a time repeated when clocks fall back
//!   runs at its first occurrence only;
//! - when the minute or the hour holds a `*` (`0 * * * *`, `*/15 * * * *`), the schedule follows
//!   real time: runs inside a skipped hour do not happen (no real time passes there) and runs inside
//!   a repeated hour happen on both passes, so an hourly digest stays hourly.

use std::collections::VecDeque;
use std::str::FromStr;

use chrono::{DateTime, Datelike, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use serde::{Deserialize, Serialize};

/// How late a run may start and still count as on time under [`CatchUp::Skip`].
///
/// A scheduler wakes a little after the due instant (a tick, a lease, a restart), and a digest a
/// few minutes late is not stale: only runs missed by more than this are skipped.
pub const ON_TIME_GRACE: TimeDelta = TimeDelta::minutes(5);

/// The cron fields, in order, named for people.
const FIELDS: [&str; 5] = ["minute", "hour", "day", "month", "weekday"];

/// Longest run of wall-clock matches a search passes over when the clock has been set back: a
/// repeated stretch of at most two days with a match every minute.
const MAX_REPEATED_MATCHES: usize = 2 * 24 * 60;

/// Longest stretch of wall-clock time a zone skips when it springs forward, in minutes (Samoa
/// skipped a whole day in 2011; keep a margin).
const MAX_GAP_MINUTES: i64 = 2 * 24 * 60;

/// What to do about runs that fell due while the bot was not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum CatchUp {
    /// Drop missed runs; only a run due within [`ON_TIME_GRACE`] of now is performed.
    Skip,
    /// Perform one run, the most recent one missed, whatever the number missed.
    #[default]
    RunOnce,
    /// Perform every missed run, oldest first, keeping only the `max` most recent ones.
    RunAll { max: u32 },
}

/// A digest schedule: which cron line, read in which zone, sends to whom, and how it catches up.
///
/// Built by [`Schedule::parse`] (or by deserialising, which parses): the fields are public for
/// reading, and `cron` is the text the pattern was parsed from, so change a schedule by parsing a
/// new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScheduleSpec", into = "ScheduleSpec")]
pub struct Schedule {
    pub name: String,
    pub cron: String,
    pub tz: Tz,
    pub receivers: Vec<String>,
    pub catch_up: CatchUp,
    pattern: Pattern,
}

/// The parsed cron line and the daylight-saving behaviour its fields call for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// Minute and hour written out: each matching wall-clock time runs once.
    WallClock(Cron),
    /// A `*` in the minute or the hour: runs follow real time.
    RealTime(Cron),
}

/// A schedule that cannot be built, with one sentence naming the problem and the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("a digest schedule has no name; expected a short name such as weekly-europe")]
    MissingName,
    #[error(
        "\"{cron}\" is not a cron schedule: {problem}; expected 5 fields minute (0-59) hour (0-23) \
         day (1-31) month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), such as 0 9 * * MON"
    )]
    InvalidCron { cron: String, problem: String },
    #[error(
        "\"{cron}\" never runs because no date matches it; expected days that exist in their \
         month, such as 0 9 28 2 * rather than 0 9 30 2 *"
    )]
    NeverRuns { cron: String },
    #[error(
        "\"{tz}\" is not a known time zone; expected an IANA name such as Europe/Paris or America/New_York"
    )]
    UnknownZone { tz: String },
    #[error(
        "catch-up run-all with max 0 would never run a missed digest; expected a max of 1 or more, \
         or catch-up skip"
    )]
    NothingToCatchUp,
}

impl Schedule {
    /// Checks every part of a schedule: a name, a 5-field cron line (or one of the macros
    /// `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@hourly`) that matches some date,
    /// an IANA time zone, and a catch-up policy that can run something.
    pub fn parse(
        name: &str,
        cron: &str,
        tz: &str,
        receivers: Vec<String>,
        catch_up: CatchUp,
    ) -> Result<Self, DigestError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(DigestError::MissingName);
        }
        let cron = cron.trim();
        let pattern = parse_pattern(cron)?;
        let tz = Tz::from_str(tz.trim()).map_err(|_| DigestError::UnknownZone { tz: tz.to_owned() })?;
        if catch_up == (CatchUp::RunAll { max: 0 }) {
            return Err(DigestError::NothingToCatchUp);
        }
        Ok(Self {
            name: name.to_owned(),
            cron: cron.to_owned(),
            tz,
            receivers,
            catch_up,
            pattern,
        })
    }

    /// The first run strictly after `after`, in UTC, or `None` when there is none before the year
    /// 5000 (croner's horizon) or `after` lies before the year 1.
    ///
    /// The cron line is read on the wall clock of the schedule's zone; see the module
    /// documentation for what happens when that clock jumps.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // Beyond these years croner refuses to search, and chrono cannot shift the extreme
        // instants into a zone.
        if !(croner::YEAR_LOWER_LIMIT..croner::YEAR_UPPER_LIMIT).contains(&after.year()) {
            return None;
        }
        match &self.pattern {
            Pattern::RealTime(cron) => cron
                .find_next_occurrence(&after.with_timezone(&self.tz), false)
                .ok()
                .map(|run| run.with_timezone(&Utc))
                .filter(|run| *run > after),
            Pattern::WallClock(cron) => self.next_on_wall_clock(cron, after),
        }
    }

    /// The runs to perform now and the following due instant.
    ///
    /// `next_run` is the stored due instant (the value this function or [`Self::next_after`]
    /// returned last time); it counts as a run even if the cron line changed since. The runs due
    /// are `next_run` and every later run up to `now`; the catch-up policy picks among them:
    /// [`CatchUp::Skip`] keeps the most recent one only if it is at most [`ON_TIME_GRACE`] old,
    /// [`CatchUp::RunOnce`] keeps the most recent one, [`CatchUp::RunAll`] keeps the `max` most
    /// recent ones, oldest first. The following due instant is the first run after `now`
    /// ([`DateTime::<Utc>::MAX_UTC`] once the schedule has no run left, past the year 4999).
    /// Nothing is due while `next_run` is still ahead: the answer is then no runs and `next_run`.
    pub fn runs_due(
        &self,
        next_run: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> (Vec<DateTime<Utc>>, DateTime<Utc>) {
        if next_run > now {
            return (Vec::new(), next_run);
        }
        let keep = match self.catch_up {
            CatchUp::Skip | CatchUp::RunOnce => 1,
            CatchUp::RunAll { max } => usize::try_from(max).unwrap_or(usize::MAX),
        };
        let mut runs = self.last_runs(next_run, now, keep);
        if self.catch_up == CatchUp::Skip && runs.last().is_some_and(|run| now - *run > ON_TIME_GRACE) {
            runs.clear();
        }
        let following = self.next_after(now).unwrap_or(DateTime::<Utc>::MAX_UTC);
        (runs, following)
    }

    /// The `keep` most recent runs among `next_run` and the runs after it up to `now`, oldest
    /// first.
    ///
    /// The walk starts at a point that moves back in doubling steps until it holds `keep` runs
    /// (or reaches `next_run`), so months of downtime on a frequent schedule cost about the runs
    /// kept, not the runs missed.
    fn last_runs(&self, next_run: DateTime<Utc>, now: DateTime<Utc>, keep: usize) -> Vec<DateTime<Utc>> {
        if keep == 0 {
            return Vec::new();
        }
        let mut span = TimeDelta::hours(1);
        loop {
            let start = now.checked_sub_signed(span).filter(|start| *start > next_run);
            let mut runs = VecDeque::new();
            let mut cursor = start.unwrap_or(next_run);
            if start.is_none() {
                runs.push_back(next_run);
            }
            while let Some(run) = self.next_after(cursor).filter(|run| *run <= now) {
                if runs.len() == keep {
                    runs.pop_front();
                }
                runs.push_back(run);
                cursor = run;
            }
            if start.is_none() || runs.len() == keep {
                return runs.into();
            }
            span = span.checked_mul(2).unwrap_or(TimeDelta::MAX);
        }
    }

    /// [`Self::next_after`] for a pattern whose matching wall-clock times run once each.
    ///
    /// Every wall-clock time up to `after`'s has been reached by `after`. After the clock was set
    /// back, later wall-clock times were reached too (the first pass of a repeated hour), so the
    /// first matches found may already be done: they are passed over.
    fn next_on_wall_clock(&self, cron: &Cron, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut wall = after.with_timezone(&self.tz).naive_local();
        for _ in 0..MAX_REPEATED_MATCHES {
            wall = cron.find_next_occurrence(&wall, false).ok()?;
            let run = self.first_reached(wall)?;
            if run > after {
                return Some(run);
            }
        }
        None
    }

    /// The first instant at which the zone's clock shows `wall` or later: `wall` itself when it
    /// happens once, its first pass when it happens twice, the end of the gap when it is skipped.
    fn first_reached(&self, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self.tz.from_local_datetime(&wall) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
            LocalResult::None => self.end_of_gap(wall),
        }
    }

    /// The instant a spring-forward gap containing `wall` ends: found a minute at a time, then a
    /// second at a time, since zones publish no transition list through chrono.
    fn end_of_gap(&self, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        let valid = |at: NaiveDateTime| self.tz.from_local_datetime(&at).earliest();
        let first_valid_minute = (1..=MAX_GAP_MINUTES)
            .map(|minutes| wall + TimeDelta::minutes(minutes))
            .find(|at| valid(*at).is_some())?;
        (0..60)
            .rev()
            .map(|seconds| first_valid_minute - TimeDelta::seconds(seconds))
            .find_map(valid)
            .map(|at| at.with_timezone(&Utc))
    }
}

/// Parses a 5-field cron line or a macro, naming the field at fault when it is refused.
fn parse_pattern(cron: &str) -> Result<Pattern, DigestError> {
    let invalid = |problem: String| DigestError::InvalidCron {
        cron: cron.to_owned(),
        problem,
    };
    let parser = CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .build();
    let fields: Vec<&str> = cron.split_whitespace().collect();
    if cron.starts_with('@') {
        if fields.len() != 1 || parser.parse(cron).is_err() {
            return Err(invalid(format!(
                "{cron} is not one of the macros @yearly, @annually, @monthly, @weekly, @daily, @hourly"
            )));
        }
    } else if fields.is_empty() {
        return Err(invalid("it is empty".to_owned()));
    } else if fields.len() != 5 {
        return Err(invalid(format!("it has {} fields", fields.len())));
    }
    let parsed = parser.parse(cron).map_err(|error| {
        // croner names no field: the culprit is the one whose replacement by `*` makes the line valid.
        let culprit = (0..fields.len()).find(|&at| {
            let mut fixed = fields.clone();
            fixed[at] = "*";
            parser.parse(&fixed.join(" ")).is_ok()
        });
        invalid(match culprit {
            Some(at) => format!("the {} field \"{}\" is not valid", FIELDS[at], fields[at]),
            None => format!("croner refused it ({error})"),
        })
    })?;
    // Every line without a year field that matches some date matches one within 400 years of
    // any start (the Gregorian calendar repeats), and croner searches far further.
    let start = NaiveDateTime::default();
    if parsed.find_next_occurrence(&start, true).is_err() {
        return Err(DigestError::NeverRuns {
            cron: cron.to_owned(),
        });
    }
    let written_out = !parsed.pattern.minutes.from_wildcard && !parsed.pattern.hours.from_wildcard;
    Ok(if written_out {
        Pattern::WallClock(parsed)
    } else {
        Pattern::RealTime(parsed)
    })
}

/// The stored and configured form: the cron text and the zone's IANA name.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleSpec {
    name: String,
    cron: String,
    tz: String,
    receivers: Vec<String>,
    #[serde(default)]
    catch_up: CatchUp,
}

impl TryFrom<ScheduleSpec> for Schedule {
    type Error = DigestError;

    fn try_from(spec: ScheduleSpec) -> Result<Self, Self::Error> {
        Self::parse(&spec.name, &spec.cron, &spec.tz, spec.receivers, spec.catch_up)
    }
}

impl From<Schedule> for ScheduleSpec {
    fn from(schedule: Schedule) -> Self {
        Self {
            name: schedule.name,
            cron: schedule.cron,
            tz: schedule.tz.name().to_owned(),
            receivers: schedule.receivers,
            catch_up: schedule.catch_up,
        }
    }
}
