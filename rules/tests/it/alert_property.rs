//! Properties of `due` over random alerts, routes, silences, quiet hours and clocks.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use vigie_rules::alert::{AlertState, Fingerprint, Matcher, QuietHours, Reason, Silence};

use crate::alert_fixture::{at, bumped, firing, resolved};
use crate::alert_notify::Sim;

const ROUTES: [&str; 4] = [
    r#"receivers = ["r:all"]"#,
    r#"
    receivers = ["r:all"]
    group_by = ["country"]
    group_wait = "0s"
    group_interval = "5m"
    repeat_interval = "1h"
    [[routes]]
    matchers = ['priority="urgent"']
    receivers = ["r:urgent", "r:chair"]
    continue = true
    [[routes]]
    matchers = ['region=~"a|b"']
    receivers = ["r:ab"]
    group_by = ["..."]
    "#,
    r#"
    receivers = ["r:all"]
    group_by = []
    repeat_interval = "2d"
    [[routes]]
    matchers = ['country!~"K.*"']
    group_interval = "30m"
    "#,
    r#"
    [[routes]]
    matchers = ['region="a"']
    receivers = ["r:a"]
    [[routes]]
    matchers = ['region="b"']
    receivers = ["r:b"]
    continue = true
    [[routes]]
    matchers = ['region!="a"']
    receivers = ["r:not-a"]
    "#,
];

#[derive(Debug, Clone)]
enum Event {
    /// Wait this many minutes.
    Wait(i64),
    /// Jump to the next time `due` said something becomes due.
    JumpToNext,
    /// A change people see to alert `n`.
    Bump(usize),
    Resolve(usize),
    /// A resolved alert fires again (a new episode).
    Refire(usize),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0i64..3000).prop_map(Event::Wait),
        Just(Event::JumpToNext),
        (0usize..6).prop_map(Event::Bump),
        (0usize..6).prop_map(Event::Resolve),
        (0usize..6).prop_map(Event::Refire),
    ]
}

type AlertSpec = (u8, u8, bool, bool);

fn spec() -> impl Strategy<Value = AlertSpec> {
    (0u8..3, 0u8..3, any::<bool>(), any::<bool>())
}

/// The set a message stood for: its receiver, group and each alert's state and version.
type Told = (String, String, Vec<(Fingerprint, AlertState, u64)>);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn due_never_panics_and_never_repeats_a_message_when_fed_its_own_records(
        routes in 0usize..ROUTES.len(),
        specs in prop::collection::vec(spec(), 1..6),
        silence in prop::option::of((0i64..2000, 1i64..3000, 0u8..3)),
        quiet in any::<bool>(),
        events in prop::collection::vec(event(), 1..40),
    ) {
        let t0 = at("2026-03-28T20:00:00Z");
        let mut sim = Sim::new(ROUTES[routes]);
        for (i, (region, country, urgent, _)) in specs.iter().enumerate() {
            let region = ["a", "b", "c"][usize::from(*region)];
            let country = ["KE", "TZ", "FR"][usize::from(*country)];
            let priority = if *urgent { "urgent" } else { "low" };
            let a = firing(&format!("w{i}"), &[("region", region), ("country", country), ("priority", priority)], t0);
            sim.set(a);
        }
        for (i, (_, _, _, starts_resolved)) in specs.iter().enumerate() {
            if *starts_resolved {
                let a = sim.alerts[i].clone();
                sim.alerts[i] = resolved(&a, t0);
            }
        }
        if let Some((start, length, country)) = silence {
            let m = Matcher::eq("country", ["KE", "TZ", "FR"][usize::from(country)]);
            sim.silences.push(
                Silence::new(vec![m], t0 + TimeDelta::minutes(start), TimeDelta::minutes(length), "a", "").unwrap(),
            );
        }
        if quiet {
            for r in ["r:all", "r:urgent", "r:a"] {
                sim.quiet.insert(r.into(), QuietHours::parse("Europe/Paris", "22:00", "07:00").unwrap());
            }
        }

        let mut now = t0;
        let mut next: Option<DateTime<Utc>> = None;
        let mut told: BTreeMap<Told, DateTime<Utc>> = BTreeMap::new();
        let mut last_sent: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
        for e in events {
            match e {
                Event::Wait(m) => now += TimeDelta::minutes(m),
                Event::JumpToNext => now = next.unwrap_or(now).max(now),
                Event::Bump(i) | Event::Resolve(i) | Event::Refire(i) if i >= sim.alerts.len() => {}
                Event::Bump(i) => {
                    let a = sim.alerts[i].clone();
                    if a.state == AlertState::Firing {
                        sim.alerts[i] = bumped(&a, now);
                    }
                }
                Event::Resolve(i) => {
                    let a = sim.alerts[i].clone();
                    if a.state == AlertState::Firing {
                        sim.alerts[i] = resolved(&a, now);
                    }
                }
                Event::Refire(i) => {
                    let a = sim.alerts[i].clone();
                    if a.state == AlertState::Resolved {
                        let mut again = bumped(&a, now);
                        again.state = AlertState::Firing;
                        again.firing_since = Some(now);
                        again.resolved_at = None;
                        sim.alerts[i] = again;
                    }
                }
            }
            let (sent, n) = sim.tick(now);
            prop_assert!(n.is_none_or(|n| n > now), "the next time is in the future: {n:?} at {now}");
            next = n;
            let mut groups = std::collections::BTreeSet::new();
            for msg in &sent {
                prop_assert!(groups.insert(msg.group.clone()), "one message per group per round");
                prop_assert!(!msg.alerts.is_empty());
                let set: Vec<(Fingerprint, AlertState, u64)> =
                    msg.record.alerts.iter().map(|(fp, (s, v))| (fp.clone(), *s, *v)).collect();
                let key = (msg.receiver.clone(), msg.group.to_string(), set);
                if msg.reason == Reason::Reminder {
                    let previous = last_sent[msg.group.as_str()];
                    prop_assert!(now - previous >= TimeDelta::hours(1), "a reminder waits its repeat interval");
                } else {
                    prop_assert!(!told.contains_key(&key), "sent twice: {key:?}");
                }
                told.insert(key, now);
                last_sent.insert(msg.group.to_string(), now);
            }
            let (again, _) = sim.tick(now);
            prop_assert!(again.is_empty(), "fed its own records, nothing more is due at the same instant");
        }
    }
}
