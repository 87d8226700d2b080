//! Digest schedules: cron lines read on a zone's wall clock, across daylight-saving changes, and
//! what runs after downtime under each catch-up policy.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use vigie_rules::alert::digest::{CatchUp, DigestError, ON_TIME_GRACE, Schedule};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn schedule(cron: &str, tz: &str, catch_up: CatchUp) -> Schedule {
    Schedule::parse(
        "digest",
        cron,
        tz,
        vec!["matrix:!room:example.org".into()],
        catch_up,
    )
    .unwrap_or_else(|e| panic!("{cron} in {tz}: {e}"))
}

/// Every run in `(from, to]`, following `next_after` as a scheduler does.
fn runs_between(schedule: &Schedule, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut runs = Vec::new();
    let mut at = from;
    while let Some(run) = schedule.next_after(at).filter(|run| *run <= to) {
        runs.push(run);
        at = run;
    }
    runs
}

fn utcs(list: &[&str]) -> Vec<DateTime<Utc>> {
    list.iter().map(|s| utc(s)).collect()
}

/// (what, cron, zone, from, to, the runs in UTC worked out by hand from the zones' published
/// changes: Europe on 29 March and 25 October 2026 at 01:00 UTC, the United States on 8 March at
/// 07:00 UTC and 1 November 2026 at 06:00 UTC).
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const ACROSS_CHANGES: &[Case] = &[
    (
        "daily 09:00 in Paris, spring: 08:00 UTC in winter time, 07:00 UTC in summer time",
        "0 9 * * *",
        "Europe/Paris",
        "2026-03-27T00:00:00Z",
        "2026-03-31T00:00:00Z",
        &[
            "2026-03-27T08:00:00Z",
            "2026-03-28T08:00:00Z",
            "2026-03-29T07:00:00Z",
            "2026-03-30T07:00:00Z",
        ],
    ),
    (
        "daily 09:00 in Paris, autumn",
        "0 9 * * *",
        "Europe/Paris",
        "2026-10-23T00:00:00Z",
        "2026-10-27T00:00:00Z",
        &[
            "2026-10-23T07:00:00Z",
            "2026-10-24T07:00:00Z",
            "2026-10-25T08:00:00Z",
            "2026-10-26T08:00:00Z",
        ],
    ),
    (
        "02:30 in Paris is skipped on 29 March: it runs once, when the clock jumps to 03:00",
        "30 2 * * *",
        "Europe/Paris",
        "2026-03-27T12:00:00Z",
        "2026-03-30T12:00:00Z",
        &[
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:00:00Z",
            "2026-03-30T00:30:00Z",
        ],
    ),
    (
        "02:30 in Paris happens twice on 25 October: it runs once, on the first pass",
        "30 2 * * *",
        "Europe/Paris",
        "2026-10-23T12:00:00Z",
        "2026-10-26T12:00:00Z",
        &[
            "2026-10-24T00:30:00Z",
            "2026-10-25T00:30:00Z",
            "2026-10-26T01:30:00Z",
        ],
    ),
    (
        "daily 09:00 in New York, spring: 14:00 UTC in standard time, 13:00 UTC in daylight time",
        "0 9 * * *",
        "America/New_York",
        "2026-03-06T20:00:00Z",
        "2026-03-09T20:00:00Z",
        &[
            "2026-03-07T14:00:00Z",
            "2026-03-08T13:00:00Z",
            "2026-03-09T13:00:00Z",
        ],
    ),
    (
        "daily 09:00 in New York, autumn",
        "0 9 * * *",
        "America/New_York",
        "2026-10-30T20:00:00Z",
        "2026-11-02T20:00:00Z",
        &[
            "2026-10-31T13:00:00Z",
            "2026-11-01T14:00:00Z",
            "2026-11-02T14:00:00Z",
        ],
    ),
    (
        "02:30 in New York is skipped on 8 March: it runs once at 03:00 daylight time",
        "30 2 * * *",
        "America/New_York",
        "2026-03-06T20:00:00Z",
        "2026-03-09T20:00:00Z",
        &[
            "2026-03-07T07:30:00Z",
            "2026-03-08T07:00:00Z",
            "2026-03-09T06:30:00Z",
        ],
    ),
    (
        "01:30 in New York happens twice on 1 November: it runs once, on the first pass",
        "30 1 * * *",
        "America/New_York",
        "2026-10-30T20:00:00Z",
        "2026-11-02T20:00:00Z",
        &[
            "2026-10-31T05:30:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-02T06:30:00Z",
        ],
    ),
    (
        "hours written as a list follow the wall clock too: 02:00 skipped runs at the jump, 01:00 and 02:00 once each",
        "0 1,2 * * *",
        "Europe/Paris",
        "2026-03-28T12:00:00Z",
        "2026-03-29T12:00:00Z",
        &["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"],
    ),
    (
        "hours written as a list run once each in a repeated hour",
        "0 1,2 * * *",
        "Europe/Paris",
        "2026-10-24T12:00:00Z",
        "2026-10-25T12:00:00Z",
        &["2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z"],
    ),
    (
        "two times in the same skipped hour run once, at the jump",
        "0,30 2 * * *",
        "Europe/Paris",
        "2026-03-28T12:00:00Z",
        "2026-03-29T12:00:00Z",
        &["2026-03-29T01:00:00Z"],
    ),
    (
        "an hourly line follows real time in spring: no hour passes in the gap",
        "0 * * * *",
        "Europe/Paris",
        "2026-03-28T23:30:00Z",
        "2026-03-29T02:30:00Z",
        &[
            "2026-03-29T00:00:00Z",
            "2026-03-29T01:00:00Z",
            "2026-03-29T02:00:00Z",
        ],
    ),
    (
        "an hourly line follows real time in autumn: the repeated hour runs on both passes",
        "0 * * * *",
        "Europe/Paris",
        "2026-10-24T22:30:00Z",
        "2026-10-25T02:30:00Z",
        &[
            "2026-10-24T23:00:00Z",
            "2026-10-25T00:00:00Z",
            "2026-10-25T01:00:00Z",
            "2026-10-25T02:00:00Z",
        ],
    ),
    (
        "every 30 minutes stays every 30 real minutes across the spring gap",
        "*/30 * * * *",
        "America/New_York",
        "2026-03-08T06:15:00Z",
        "2026-03-08T07:45:00Z",
        &[
            "2026-03-08T06:30:00Z",
            "2026-03-08T07:00:00Z",
            "2026-03-08T07:30:00Z",
        ],
    ),
    (
        "weekly on Monday 09:00 in Paris, across the spring change",
        "0 9 * * MON",
        "Europe/Paris",
        "2026-03-18T00:00:00Z",
        "2026-04-07T00:00:00Z",
        &[
            "2026-03-23T08:00:00Z",
            "2026-03-30T07:00:00Z",
            "2026-04-06T07:00:00Z",
        ],
    ),
    (
        "weekdays Monday to Friday at 08:00 in New York",
        "0 8 * * mon-fri",
        "America/New_York",
        "2026-03-05T00:00:00Z",
        "2026-03-11T00:00:00Z",
        &[
            "2026-03-05T13:00:00Z",
            "2026-03-06T13:00:00Z",
            "2026-03-09T12:00:00Z",
            "2026-03-10T12:00:00Z",
        ],
    ),
    (
        "@daily is midnight on the wall clock",
        "@daily",
        "Europe/Paris",
        "2026-03-27T12:00:00Z",
        "2026-03-30T12:00:00Z",
        &[
            "2026-03-27T23:00:00Z",
            "2026-03-28T23:00:00Z",
            "2026-03-29T22:00:00Z",
        ],
    ),
    (
        "@weekly is Sunday midnight",
        "@weekly",
        "Europe/Paris",
        "2026-03-20T00:00:00Z",
        "2026-04-06T00:00:00Z",
        &[
            "2026-03-21T23:00:00Z",
            "2026-03-28T23:00:00Z",
            "2026-04-04T22:00:00Z",
        ],
    ),
    (
        "@monthly is the first of the month at midnight",
        "@MONTHLY",
        "America/New_York",
        "2026-01-15T00:00:00Z",
        "2026-04-15T00:00:00Z",
        &[
            "2026-02-01T05:00:00Z",
            "2026-03-01T05:00:00Z",
            "2026-04-01T04:00:00Z",
        ],
    ),
    (
        "the last day of the month",
        "0 18 L * *",
        "UTC",
        "2026-01-15T00:00:00Z",
        "2026-04-15T00:00:00Z",
        &[
            "2026-01-31T18:00:00Z",
            "2026-02-28T18:00:00Z",
            "2026-03-31T18:00:00Z",
        ],
    ),
];

#[test]
fn runs_follow_the_wall_clock_of_the_zone_across_daylight_saving_changes() {
    for (what, cron, tz, from, to, expected) in ACROSS_CHANGES {
        let schedule = schedule(cron, tz, CatchUp::RunOnce);
        assert_eq!(
            runs_between(&schedule, utc(from), utc(to)),
            utcs(expected),
            "{what}"
        );
    }
}

#[test]
fn a_daily_schedule_runs_exactly_once_each_local_day_through_a_whole_year() {
    for (cron, tz) in [
        ("0 9 * * *", "Europe/Paris"),
        ("30 2 * * *", "Europe/Paris"),
        ("30 1 * * *", "America/New_York"),
        ("30 2 * * *", "America/New_York"),
        ("0 2 * * *", "Australia/Lord_Howe"),
    ] {
        let schedule = schedule(cron, tz, CatchUp::RunOnce);
        let zone: Tz = tz.parse().unwrap();
        let runs = runs_between(
            &schedule,
            utc("2025-12-31T12:00:00Z"),
            utc("2026-12-31T12:00:00Z"),
        );
        let days: Vec<_> = runs
            .iter()
            .map(|run| run.with_timezone(&zone).date_naive())
            .collect();
        let mut distinct = days.clone();
        distinct.dedup();
        assert_eq!(days, distinct, "{cron} in {tz} ran twice on a day");
        assert_eq!(days.len(), 365, "{cron} in {tz} missed a day");
    }
}

#[test]
fn a_run_is_strictly_after_the_instant_asked_about() {
    let daily = schedule("0 9 * * *", "Europe/Paris", CatchUp::RunOnce);
    for (after, next) in [
        ("2026-01-10T08:00:00Z", "2026-01-11T08:00:00Z"),
        ("2026-01-10T07:59:59.999Z", "2026-01-10T08:00:00Z"),
        ("2026-01-10T08:00:00.001Z", "2026-01-11T08:00:00Z"),
    ] {
        assert_eq!(daily.next_after(utc(after)), Some(utc(next)), "after {after}");
    }
}

#[test]
fn a_search_starting_on_the_second_pass_of_a_repeated_hour_does_not_go_back() {
    // 02:40 on the second pass (CET) is 01:40 UTC; 02:50 already ran on the first pass (CEST).
    let schedule = schedule("50 2 * * *", "Europe/Paris", CatchUp::RunOnce);
    assert_eq!(
        schedule.next_after(utc("2026-10-25T01:40:00Z")),
        Some(utc("2026-10-26T01:50:00Z"))
    );
}

/// (what, policy, now, runs to perform) for a daily 09:00 Paris digest (08:00 UTC in January)
/// that was due on 5 January and whose bot came back on 8 January.
const AFTER_DOWNTIME: &[(&str, CatchUp, &str, &[&str])] = &[
    (
        "skip drops the missed runs",
        CatchUp::Skip,
        "2026-01-08T10:00:00Z",
        &[],
    ),
    (
        "skip still performs a run due within the grace",
        CatchUp::Skip,
        "2026-01-08T08:04:00Z",
        &["2026-01-08T08:00:00Z"],
    ),
    (
        "run-once performs the most recent missed run",
        CatchUp::RunOnce,
        "2026-01-08T10:00:00Z",
        &["2026-01-08T08:00:00Z"],
    ),
    (
        "run-all performs every missed run, oldest first",
        CatchUp::RunAll { max: 10 },
        "2026-01-08T10:00:00Z",
        &[
            "2026-01-05T08:00:00Z",
            "2026-01-06T08:00:00Z",
            "2026-01-07T08:00:00Z",
            "2026-01-08T08:00:00Z",
        ],
    ),
    (
        "run-all keeps the most recent max runs",
        CatchUp::RunAll { max: 2 },
        "2026-01-08T10:00:00Z",
        &["2026-01-07T08:00:00Z", "2026-01-08T08:00:00Z"],
    ),
    (
        "run-all between two runs performs those missed",
        CatchUp::RunAll { max: 10 },
        "2026-01-08T07:00:00Z",
        &[
            "2026-01-05T08:00:00Z",
            "2026-01-06T08:00:00Z",
            "2026-01-07T08:00:00Z",
        ],
    ),
];

#[test]
fn three_days_of_downtime_run_what_the_catch_up_policy_says() {
    let next_run = utc("2026-01-05T08:00:00Z");
    for (what, catch_up, now, expected) in AFTER_DOWNTIME {
        let schedule = schedule("0 9 * * *", "Europe/Paris", *catch_up);
        let (runs, following) = schedule.runs_due(next_run, utc(now));
        assert_eq!(runs, utcs(expected), "{what}");
        assert_eq!(following, schedule.next_after(utc(now)).unwrap(), "{what}");
        assert!(following > utc(now), "{what}");
    }
}

#[test]
fn a_run_woken_on_time_is_performed_under_every_policy() {
    let next_run = utc("2026-01-05T08:00:00Z");
    for catch_up in [CatchUp::Skip, CatchUp::RunOnce, CatchUp::RunAll { max: 3 }] {
        let schedule = schedule("0 9 * * *", "Europe/Paris", catch_up);
        for late in [TimeDelta::zero(), TimeDelta::seconds(2), ON_TIME_GRACE] {
            assert_eq!(
                schedule.runs_due(next_run, next_run + late),
                (vec![next_run], utc("2026-01-06T08:00:00Z")),
                "{catch_up:?} {late}"
            );
        }
    }
}

#[test]
fn nothing_is_due_before_the_next_run() {
    let schedule = schedule("0 9 * * *", "Europe/Paris", CatchUp::RunAll { max: 3 });
    let next_run = utc("2026-01-05T08:00:00Z");
    assert_eq!(
        schedule.runs_due(next_run, utc("2026-01-05T07:59:59Z")),
        (vec![], next_run)
    );
}

#[test]
fn a_year_of_downtime_on_a_minute_schedule_keeps_only_the_most_recent_runs() {
    let schedule = schedule("* * * * *", "Europe/Paris", CatchUp::RunAll { max: 3 });
    let (runs, following) = schedule.runs_due(utc("2025-01-01T00:00:00Z"), utc("2026-01-01T00:00:30Z"));
    assert_eq!(
        runs,
        utcs(&[
            "2025-12-31T23:58:00Z",
            "2025-12-31T23:59:00Z",
            "2026-01-01T00:00:00Z"
        ])
    );
    assert_eq!(following, utc("2026-01-01T00:01:00Z"));
}

const REFUSED: &[(&str, &str, &str)] = &[
    (
        "",
        "Europe/Paris",
        "\"\" is not a cron schedule: it is empty; expected 5 fields minute (0-59) hour (0-23) day (1-31) \
         month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), such as 0 9 * * MON",
    ),
    (
        "0 9 * *",
        "Europe/Paris",
        "\"0 9 * *\" is not a cron schedule: it has 4 fields; expected 5 fields minute (0-59) hour (0-23) \
         day (1-31) month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), such as 0 9 * * MON",
    ),
    (
        "0 0 9 * * MON",
        "Europe/Paris",
        "\"0 0 9 * * MON\" is not a cron schedule: it has 6 fields; expected 5 fields minute (0-59) hour \
         (0-23) day (1-31) month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), such as 0 9 * * MON",
    ),
    (
        "61 9 * * *",
        "Europe/Paris",
        "\"61 9 * * *\" is not a cron schedule: the minute field \"61\" is not valid; expected 5 fields \
         minute (0-59) hour (0-23) day (1-31) month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), such as \
         0 9 * * MON",
    ),
    (
        "0 9 * * FUNDAY",
        "Europe/Paris",
        "\"0 9 * * FUNDAY\" is not a cron schedule: the weekday field \"FUNDAY\" is not valid; expected 5 \
         fields minute (0-59) hour (0-23) day (1-31) month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), \
         such as 0 9 * * MON",
    ),
    (
        "@reboot",
        "Europe/Paris",
        "\"@reboot\" is not a cron schedule: @reboot is not one of the macros @yearly, @annually, \
         @monthly, @weekly, @daily, @hourly; expected 5 fields minute (0-59) hour (0-23) day (1-31) \
         month (1-12 or JAN-DEC) weekday (0-7 or SUN-SAT), such as 0 9 * * MON",
    ),
    (
        "0 9 30 2 *",
        "Europe/Paris",
        "\"0 9 30 2 *\" never runs because no date matches it; expected days that exist in their month, \
         such as 0 9 28 2 * rather than 0 9 30 2 *",
    ),
    (
        "0 9 * * MON",
        "Europe/Pariss",
        "\"Europe/Pariss\" is not a known time zone; expected an IANA name such as Europe/Paris or \
         America/New_York",
    ),
];

#[test]
fn invalid_lines_and_zones_are_refused_with_one_sentence() {
    for (cron, tz, message) in REFUSED {
        let error = Schedule::parse("weekly", cron, tz, vec![], CatchUp::RunOnce).unwrap_err();
        assert_eq!(error.to_string(), *message, "{cron} in {tz}");
    }
}

#[test]
fn every_refusal_names_the_input_and_the_expected_form_in_one_sentence() {
    let lines = [
        "0 24 * * *",
        "0 9 32 * *",
        "0 9 * 13 *",
        "0/5 * * * *",
        "every monday",
        "0 9 * * 8",
        "0 9 * * MON 2026",
        "@sometimes",
        "* * * * * * * *",
        "0 9 ? * MON#6",
    ];
    for cron in lines {
        let error = Schedule::parse("weekly", cron, "UTC", vec![], CatchUp::RunOnce).unwrap_err();
        assert!(
            matches!(error, DigestError::InvalidCron { .. }),
            "{cron}: {error:?}"
        );
        assert_one_sentence(&error.to_string(), cron);
    }
    for tz in ["", "Paris", "CET+1", "Europe/Pari"] {
        let error = Schedule::parse("weekly", "0 9 * * MON", tz, vec![], CatchUp::RunOnce).unwrap_err();
        assert_eq!(error, DigestError::UnknownZone { tz: tz.into() });
        assert_one_sentence(&error.to_string(), tz);
    }
    for (error, name, catch_up) in [
        (DigestError::MissingName, " ", CatchUp::RunOnce),
        (
            DigestError::NothingToCatchUp,
            "weekly",
            CatchUp::RunAll { max: 0 },
        ),
    ] {
        let refused = Schedule::parse(name, "0 9 * * MON", "UTC", vec![], catch_up).unwrap_err();
        assert_eq!(refused, error);
        assert_one_sentence(&refused.to_string(), "");
    }
}

fn assert_one_sentence(message: &str, input: &str) {
    assert!(
        message.contains(&format!("\"{input}\"")) || input.is_empty(),
        "{message}"
    );
    assert!(message.contains("expected"), "{message}");
    assert!(
        !message.contains(". ") && !message.ends_with('.') && !message.contains('\n'),
        "{message}"
    );
}

#[test]
fn a_schedule_is_stored_as_its_cron_text_and_zone_name() {
    let schedule = Schedule::parse(
        "weekly-europe",
        " 0 9 * * MON ",
        "Europe/Paris",
        vec!["matrix:!europe:example.org".into()],
        CatchUp::RunAll { max: 3 },
    )
    .unwrap();
    let json = serde_json::to_value(&schedule).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "name": "weekly-europe",
            "cron": "0 9 * * MON",
            "tz": "Europe/Paris",
            "receivers": ["matrix:!europe:example.org"],
            "catch_up": { "run-all": { "max": 3 } },
        })
    );
    let back: Schedule = serde_json::from_value(json).unwrap();
    assert_eq!(back, schedule);
    assert_eq!(
        back.next_after(utc("2026-03-25T00:00:00Z")),
        Some(utc("2026-03-30T07:00:00Z"))
    );
}

#[test]
fn a_schedule_reads_from_config_toml_and_is_checked_while_reading() {
    let schedule: Schedule = toml::from_str(
        "name = \"daily\"\ncron = \"@daily\"\ntz = \"America/New_York\"\nreceivers = [\"matrix:!a:b\"]\n",
    )
    .unwrap();
    assert_eq!(schedule.catch_up, CatchUp::RunOnce);
    assert_eq!(schedule.tz, chrono_tz::America::New_York);
    for (text, needle) in [
        (
            "name = \"d\"\ncron = \"0 25 * * *\"\ntz = \"UTC\"\nreceivers = []\n",
            "the hour field \"25\" is not valid",
        ),
        (
            "name = \"d\"\ncron = \"0 9 * * *\"\ntz = \"Mars/Olympus\"\nreceivers = []\n",
            "\"Mars/Olympus\" is not a known time zone",
        ),
        (
            "name = \"d\"\ncron = \"0 9 * * *\"\ntz = \"UTC\"\nreceivers = []\ncatch_up = \"skip\"\nextra = 1\n",
            "unknown field `extra`",
        ),
        (
            "name = \"d\"\ncron = \"0 9 * * *\"\ntz = \"UTC\"\nreceivers = []\ncatch_up = \"sometimes\"\n",
            "unknown variant `sometimes`",
        ),
    ] {
        let error = toml::from_str::<Schedule>(text).unwrap_err().to_string();
        assert!(error.contains(needle), "{error}");
    }
}

/// Zones sampled by the property tests: ones with ordinary changes, one with a 30-minute change,
/// one with changes at midnight, one that skipped a whole day, and one without changes.
const ZONES: &[&str] = &[
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Pacific/Apia",
    "Asia/Tehran",
    "Europe/London",
    "UTC",
];

const EVERY: &[(&str, i64)] = &[
    ("* * * * *", 2 * 3600),
    ("*/15 * * * *", 2 * 3600),
    ("0 * * * *", 3 * 3600),
    ("@hourly", 3 * 3600),
    ("0 9 * * *", 48 * 3600),
    ("30 2 * * *", 48 * 3600),
    ("0 0 * * *", 48 * 3600),
    ("0 1,2,3 * * *", 48 * 3600),
];

/// Pieces of cron fields, valid and not, for lines that get past the field count.
const FIELD_LIKE: &[&str] = &[
    "*", "?", "0", "5", "30", "59", "60", "2", "23", "24", "1", "31", "32", "12", "13", "*/5", "*/0",
    "0-59/7", "1-5", "5-1", "1,15", "L", "15W", "5#2", "5#L", "MON", "mon-fri", "+MON", "FEB", "7", "0/5",
    "@daily", "@hourly", "-", ",", "x",
];

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 1980 to 2100: zones with whole-minute offsets, as far as the zone data reaches.
    (315_532_800i64..4_102_444_800).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn next_after_keeps_moving_forward_for_every_minute_hour_and_day(
        (cron, longest) in prop::sample::select(EVERY),
        tz in prop::sample::select(ZONES),
        start in instant(),
    ) {
        let schedule = schedule(cron, tz, CatchUp::RunOnce);
        let mut at = start;
        for _ in 0..30 {
            let next = schedule.next_after(at);
            prop_assert!(next.is_some(), "{cron} in {tz} after {at}: None");
            let next = next.unwrap();
            prop_assert!(next > at, "{cron} in {tz}: {next} after {at}");
            prop_assert!((next - at).num_seconds() <= longest, "{cron} in {tz}: {next} after {at}");
            at = next;
        }
    }

    #[test]
    fn a_single_wall_clock_time_runs_where_croner_puts_it(
        minute in 0u32..60,
        hour in 0u32..24,
        tz in prop::sample::select(ZONES),
        start in instant(),
    ) {
        let cron = format!("{minute} {hour} * * *");
        let schedule = schedule(&cron, tz, CatchUp::RunOnce);
        let zone: Tz = tz.parse().unwrap();
        let croner: croner::Cron = cron.parse().unwrap();
        let mut at = start;
        for _ in 0..10 {
            let ours = schedule.next_after(at).unwrap();
            let theirs = croner.find_next_occurrence(&at.with_timezone(&zone), false).unwrap();
            prop_assert_eq!(ours, theirs.with_timezone(&Utc), "{} in {} after {}", cron, tz, at);
            at = ours;
        }
    }

    #[test]
    fn listed_wall_clock_times_run_where_croner_puts_each_one(
        minutes in prop::collection::btree_set(0u32..60, 1..4),
        hours in prop::collection::btree_set(0u32..24, 1..4),
        tz in prop::sample::select(ZONES),
        start in instant(),
    ) {
        // Croner runs a single written-out time once across changes; a list runs each of its
        // times that way, so its runs are the union of the single times' runs.
        let list = |values: &std::collections::BTreeSet<u32>| {
            values.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
        };
        let cron = format!("{} {} * * *", list(&minutes), list(&hours));
        let schedule = schedule(&cron, tz, CatchUp::RunOnce);
        let zone: Tz = tz.parse().unwrap();
        let singles: Vec<croner::Cron> = minutes
            .iter()
            .flat_map(|minute| hours.iter().map(move |hour| format!("{minute} {hour} * * *").parse().unwrap()))
            .collect();
        let mut at = start;
        for _ in 0..6 {
            let ours = schedule.next_after(at).unwrap();
            let theirs = singles
                .iter()
                .map(|single| single.find_next_occurrence(&at.with_timezone(&zone), false).unwrap())
                .min()
                .unwrap();
            prop_assert_eq!(ours, theirs.with_timezone(&Utc), "{} in {} after {}", cron, tz, at);
            at = ours;
        }
    }

    #[test]
    fn catching_up_keeps_the_tail_of_the_runs_missed(
        (cron, _) in prop::sample::select(EVERY),
        tz in prop::sample::select(ZONES),
        start in instant(),
        down in 0i64..(10 * 24 * 3600),
        max in 1u32..6,
    ) {
        let next_run = schedule(cron, tz, CatchUp::RunOnce).next_after(start).unwrap();
        let now = next_run + TimeDelta::seconds(down);
        let mut missed = vec![next_run];
        missed.extend(runs_between(&schedule(cron, tz, CatchUp::RunOnce), next_run, now));
        let latest = *missed.last().unwrap();
        let following = schedule(cron, tz, CatchUp::RunOnce).next_after(now).unwrap();

        let tail = missed[missed.len().saturating_sub(max as usize)..].to_vec();
        prop_assert_eq!(schedule(cron, tz, CatchUp::RunAll { max }).runs_due(next_run, now), (tail, following));
        prop_assert_eq!(schedule(cron, tz, CatchUp::RunOnce).runs_due(next_run, now), (vec![latest], following));
        let on_time = if now - latest <= ON_TIME_GRACE { vec![latest] } else { vec![] };
        prop_assert_eq!(schedule(cron, tz, CatchUp::Skip).runs_due(next_run, now), (on_time, following));
    }

    #[test]
    fn any_text_is_parsed_or_refused_without_panicking(cron in "\\PC{0,40}", tz in "\\PC{0,20}") {
        if let Ok(schedule) = Schedule::parse("any", &cron, &tz, vec![], CatchUp::RunOnce) {
            let after = utc("2026-03-29T00:30:00Z");
            prop_assert!(schedule.next_after(after).is_none_or(|next| next > after));
        }
    }

    #[test]
    fn cron_like_text_is_parsed_or_refused_without_panicking(
        fields in prop::collection::vec(prop::sample::select(FIELD_LIKE), 0..7),
        tz in prop::sample::select(ZONES),
        start in instant(),
    ) {
        let cron = fields.join(" ");
        if let Ok(schedule) = Schedule::parse("any", &cron, tz, vec![], CatchUp::RunOnce) {
            prop_assert!(schedule.next_after(start).is_none_or(|next| next > start));
            let _ = schedule.runs_due(start, start + TimeDelta::days(3));
        }
    }
}

#[test]
fn the_edges_of_time_give_no_run_instead_of_a_panic() {
    let schedule = schedule("0 9 * * *", "Pacific/Kiritimati", CatchUp::RunAll { max: 2 });
    assert_eq!(schedule.next_after(DateTime::<Utc>::MAX_UTC), None);
    assert_eq!(schedule.next_after(DateTime::<Utc>::MIN_UTC), None);
    assert_eq!(schedule.next_after(utc("4999-12-31T23:00:00Z")), None);
    let (runs, following) = schedule.runs_due(utc("4999-12-30T19:00:00Z"), utc("4999-12-31T23:00:00Z"));
    // Croner searches up to the first day of the year 5000 on the zone's wall clock.
    assert_eq!(runs, utcs(&["4999-12-30T19:00:00Z", "4999-12-31T19:00:00Z"]));
    assert_eq!(following, DateTime::<Utc>::MAX_UTC);
}
