//! When rooms hear about groups of alerts: grouping and timing with a fake clock, resolved
//! messages, silences, inhibition, quiet hours, and the `why` explanation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use vigie_rules::alert::{
    Alert, InhibitRule, Mute, Notification, NotifyInput, QuietHours, Reason, Route, SentRecord, Silence,
    Subscription, Verdict, due, explain,
};

use crate::alert_fixture::{at, bumped, firing, minutes, resolved};

/// A delivery loop on a fake clock: each tick sends what is due and stores the records.
pub struct Sim {
    pub alerts: Vec<Alert>,
    pub route: Route,
    pub subscriptions: Vec<Subscription>,
    pub silences: Vec<Silence>,
    pub inhibit: Vec<InhibitRule>,
    pub quiet: BTreeMap<String, QuietHours>,
    pub sent: Vec<SentRecord>,
}

impl Sim {
    pub fn new(route: &str) -> Self {
        Self {
            alerts: Vec::new(),
            route: toml::from_str(route).unwrap(),
            subscriptions: Vec::new(),
            silences: Vec::new(),
            inhibit: InhibitRule::defaults(),
            quiet: BTreeMap::new(),
            sent: Vec::new(),
        }
    }

    pub fn input(&self) -> NotifyInput<'_> {
        NotifyInput {
            alerts: &self.alerts,
            route: &self.route,
            subscriptions: &self.subscriptions,
            silences: &self.silences,
            inhibit_rules: &self.inhibit,
            quiet_hours: &self.quiet,
            sent: &self.sent,
        }
    }

    /// Sends what is due at `now`, as delivery would, and stores the records.
    pub fn tick(&mut self, now: DateTime<Utc>) -> (Vec<Notification>, Option<DateTime<Utc>>) {
        let (sent, next) = due(&self.input(), now);
        for n in &sent {
            self.sent.retain(|r| r.group != n.group);
            self.sent.push(n.record.clone());
        }
        (sent, next)
    }

    pub fn set(&mut self, alert: Alert) {
        self.alerts.retain(|a| a.fingerprint != alert.fingerprint);
        self.alerts.push(alert);
    }
}

const ONE_ROOM: &str = r#"
    receivers = ["matrix:!peers:ogp.org"]
    group_wait = "1m"
    group_interval = "1h"
    repeat_interval = "7d"
"#;

/// What was sent, in short: (reason, receiver, the alerts' window names).
fn brief(sent: &[Notification]) -> Vec<(Reason, String, Vec<String>)> {
    sent.iter()
        .map(|n| {
            let mut names: Vec<String> = n.alerts.iter().map(|a| a.labels["window"].clone()).collect();
            names.sort();
            (n.reason, n.receiver.clone(), names)
        })
        .collect()
}

fn reasons(sent: &[Notification]) -> Vec<Reason> {
    sent.iter().map(|n| n.reason).collect()
}

#[test]
fn a_new_group_waits_group_wait_and_gathers_what_fired_meanwhile() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(ONE_ROOM);
    sim.set(firing("kenya", &[("region", "africa-middle-east")], t0));
    let (sent, next) = sim.tick(t0);
    assert!(sent.is_empty());
    assert_eq!(next, Some(t0 + minutes(1)));
    sim.set(firing(
        "nigeria",
        &[("region", "africa-middle-east")],
        t0 + chrono::TimeDelta::seconds(30),
    ));
    let (sent, next) = sim.tick(t0 + minutes(1));
    assert_eq!(
        brief(&sent),
        [(
            Reason::New,
            "matrix:!peers:ogp.org".into(),
            vec!["kenya".into(), "nigeria".into()]
        )]
    );
    assert_eq!(sent[0].changed.len(), 2);
    assert_eq!(
        next,
        Some(t0 + minutes(1) + chrono::TimeDelta::days(7)),
        "the next thing due is the reminder"
    );
}

#[test]
fn group_wait_interval_and_repeat_follow_the_fake_clock() {
    let t0 = at("2026-05-01T08:00:00Z");
    let kenya = firing("kenya", &[("region", "africa-middle-east")], t0);
    let mut sim = Sim::new(ONE_ROOM);
    sim.set(kenya.clone());
    // (minutes after t0, what happens first, expected reasons)
    let changed = bumped(&kenya, t0 + minutes(10));
    let steps: Vec<(i64, Option<Alert>, Vec<Reason>)> = vec![
        (0, None, vec![]),
        (1, None, vec![Reason::New]),
        (2, None, vec![]),
        (10, Some(changed.clone()), vec![]),
        // The change waits for group_interval after the last message (at 1 min).
        (60, None, vec![]),
        (61, None, vec![Reason::Update]),
        (62, None, vec![]),
        (61 + 7 * 24 * 60 - 1, None, vec![]),
        (61 + 7 * 24 * 60, None, vec![Reason::Reminder]),
        (61 + 7 * 24 * 60 + 1, None, vec![]),
        (61 + 14 * 24 * 60, None, vec![Reason::Reminder]),
    ];
    for (m, change, expected) in steps {
        if let Some(a) = change {
            sim.set(a);
        }
        let (sent, _) = sim.tick(t0 + minutes(m));
        assert_eq!(reasons(&sent), expected, "at +{m} min");
        if expected == [Reason::Update] {
            assert_eq!(sent[0].changed, std::slice::from_ref(&changed.fingerprint));
        }
        if expected == [Reason::Reminder] {
            assert!(sent[0].changed.is_empty());
        }
    }
}

#[test]
fn a_resolved_alert_is_announced_once_and_only_if_it_was_told_firing() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(ONE_ROOM);
    let kenya = firing("kenya", &[("region", "africa-middle-east")], t0);
    let nigeria = firing("nigeria", &[("region", "africa-middle-east")], t0);
    sim.set(kenya.clone());
    assert_eq!(reasons(&sim.tick(t0 + minutes(1)).0), [Reason::New]);
    sim.set(resolved(&kenya, t0 + minutes(5)));
    // Nigeria fires and resolves before anyone was told.
    sim.set(resolved(&nigeria, t0 + minutes(6)));
    let (sent, next) = sim.tick(t0 + minutes(6));
    assert!(sent.is_empty());
    assert_eq!(next, Some(t0 + minutes(61)));
    let (sent, _) = sim.tick(t0 + minutes(61));
    assert_eq!(
        brief(&sent),
        [(
            Reason::Resolved,
            "matrix:!peers:ogp.org".into(),
            vec!["kenya".into()]
        )]
    );
    assert_eq!(sent[0].changed, std::slice::from_ref(&kenya.fingerprint));
    let (sent, next) = sim.tick(t0 + minutes(10_000_000));
    assert!(sent.is_empty(), "resolved once: {sent:?}");
    assert_eq!(next, None);
}

#[test]
fn a_silenced_alert_is_not_sent_and_is_sent_as_new_when_the_silence_expires() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(ONE_ROOM);
    sim.set(firing(
        "kenya",
        &[("region", "africa-middle-east"), ("country", "KE")],
        t0,
    ));
    let matchers = vigie_rules::alert::Matcher::parse_list("country=\"KE\"").unwrap();
    sim.silences.push(
        Silence::new(
            matchers,
            t0,
            chrono::TimeDelta::days(2),
            "@amina:ogp.org",
            "in hand",
        )
        .unwrap(),
    );
    let (sent, next) = sim.tick(t0 + minutes(1));
    assert!(sent.is_empty());
    assert_eq!(
        next,
        Some(t0 + chrono::TimeDelta::days(2)),
        "the silence's end is the next thing due"
    );
    let (sent, _) = sim.tick(t0 + chrono::TimeDelta::days(2));
    assert_eq!(reasons(&sent), [Reason::New]);
}

#[test]
fn a_silence_that_ends_does_not_repeat_what_the_room_already_knows() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(ONE_ROOM);
    let kenya = firing(
        "kenya",
        &[("region", "africa-middle-east"), ("country", "KE")],
        t0,
    );
    let nigeria = firing(
        "nigeria",
        &[("region", "africa-middle-east"), ("country", "NG")],
        t0,
    );
    sim.set(kenya.clone());
    sim.set(nigeria.clone());
    assert_eq!(reasons(&sim.tick(t0 + minutes(1)).0), [Reason::New]);
    let matchers = vigie_rules::alert::Matcher::parse_list("country=\"KE\"").unwrap();
    sim.silences.push(
        Silence::new(
            matchers,
            t0 + minutes(2),
            chrono::TimeDelta::days(2),
            "@amina:ogp.org",
            "",
        )
        .unwrap(),
    );
    sim.set(bumped(&nigeria, t0 + minutes(3)));
    let (sent, _) = sim.tick(t0 + minutes(61));
    assert_eq!(
        brief(&sent),
        [(
            Reason::Update,
            "matrix:!peers:ogp.org".into(),
            vec!["nigeria".into()]
        )]
    );
    let (sent, next) = sim.tick(t0 + minutes(2) + chrono::TimeDelta::days(2));
    assert!(
        sent.is_empty(),
        "Kenya is unchanged since the room was told: {sent:?}"
    );
    assert_eq!(next, Some(t0 + minutes(61) + chrono::TimeDelta::days(7)));
    let (sent, _) = sim.tick(t0 + minutes(61) + chrono::TimeDelta::days(7));
    assert_eq!(
        brief(&sent),
        [(
            Reason::Reminder,
            "matrix:!peers:ogp.org".into(),
            vec!["kenya".into(), "nigeria".into()]
        )]
    );
}

#[test]
fn a_suspended_member_inhibits_windows_of_the_same_country_only() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(ONE_ROOM);
    let region = ("region", "africa-middle-east");
    sim.set(firing(
        "kenya",
        &[region, ("country", "KE"), ("jurisdiction", "KE")],
        t0,
    ));
    sim.set(firing(
        "tanzania",
        &[region, ("country", "TZ"), ("jurisdiction", "TZ")],
        t0,
    ));
    let mut member = firing(
        "member-KE",
        &[
            ("alertname", "member-status"),
            region,
            ("country", "KE"),
            ("jurisdiction", "KE"),
            ("status", "suspended"),
            ("level", "national"),
        ],
        t0,
    );
    member.window = None;
    sim.set(member.clone());
    let (sent, _) = sim.tick(t0 + minutes(1));
    assert_eq!(sent.len(), 1);
    let mut names: Vec<&str> = sent[0]
        .alerts
        .iter()
        .map(|a| a.labels["window"].as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["member-KE", "tanzania"],
        "Kenya's window is muted, Tanzania's is not"
    );
    let kenya = sim.alerts[0].fingerprint.clone();
    let why = explain(&sim.input(), &kenya, "matrix:!peers:ogp.org", t0 + minutes(2));
    assert_eq!(why.verdict, Verdict::Muted);
    assert!(
        matches!(&why.mutes[..], [Mute::Inhibited { by, why }] if *by == member.fingerprint && why.contains("same country")),
        "{:?}",
        why.mutes
    );
}

#[test]
fn quiet_hours_delay_a_message_to_their_end_in_the_receivers_zone() {
    let t0 = at("2026-05-01T21:00:00Z"); // 23:00 in Paris
    let mut sim = Sim::new(ONE_ROOM);
    sim.quiet.insert(
        "matrix:!peers:ogp.org".into(),
        QuietHours::parse("Europe/Paris", "22:00", "07:00").unwrap(),
    );
    sim.set(firing("kenya", &[("region", "africa-middle-east")], t0));
    let (sent, next) = sim.tick(t0 + minutes(1));
    assert!(sent.is_empty());
    assert_eq!(next, Some(at("2026-05-02T05:00:00Z")));
    let kenya = sim.alerts[0].fingerprint.clone();
    let why = explain(&sim.input(), &kenya, "matrix:!peers:ogp.org", t0 + minutes(1));
    assert_eq!(
        why.verdict,
        Verdict::Due {
            at: at("2026-05-02T05:00:00Z"),
            reason: Reason::New
        }
    );
    assert_eq!(
        why.mutes,
        [Mute::QuietHours {
            until: at("2026-05-02T05:00:00Z")
        }]
    );
    assert_eq!(reasons(&sim.tick(at("2026-05-02T05:00:00Z")).0), [Reason::New]);
}

#[test]
fn groups_split_by_group_by_and_continue_routes_reach_each_receiver() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(
        r#"
        receivers = ["matrix:!all:ogp.org"]
        group_by = ["country"]
        [[routes]]
        matchers = ['priority="urgent"']
        receivers = ["matrix:!urgent:ogp.org"]
        group_by = []
        continue = true
        [[routes]]
        # No matchers: everything that reaches it, with its parent's receivers and grouping.
        "#,
    );
    sim.set(firing("kenya", &[("country", "KE"), ("priority", "urgent")], t0));
    sim.set(firing(
        "kenya-local",
        &[("country", "KE"), ("priority", "urgent")],
        t0,
    ));
    sim.set(firing(
        "tanzania",
        &[("country", "TZ"), ("priority", "urgent")],
        t0,
    ));
    let (sent, _) = sim.tick(t0 + minutes(1));
    let mut got: Vec<(String, String, usize)> = sent
        .iter()
        .map(|n| (n.receiver.clone(), n.group.to_string(), n.alerts.len()))
        .collect();
    got.sort();
    let expected = [
        ("matrix:!all:ogp.org", "0.1|matrix:!all:ogp.org|country=\"KE\"", 2),
        ("matrix:!all:ogp.org", "0.1|matrix:!all:ogp.org|country=\"TZ\"", 1),
        ("matrix:!urgent:ogp.org", "0.0|matrix:!urgent:ogp.org|", 3),
    ];
    assert_eq!(got, expected.map(|(r, g, n)| (r.to_owned(), g.to_owned(), n)));
}

#[test]
fn every_notification_says_why_with_its_route_matchers_and_group() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(
        r#"
        receivers = ["matrix:!all:ogp.org"]
        [[routes]]
        matchers = ['region="europe"', 'priority=~"high|urgent"']
        receivers = ["matrix:!eu:ogp.org"]
        "#,
    );
    sim.subscriptions.push(Subscription {
        receiver: "matrix:!france:ogp.org".into(),
        label: "country".into(),
        value: "fr".into(),
    });
    sim.set(firing(
        "france",
        &[("region", "europe"), ("priority", "high"), ("country", "FR")],
        t0,
    ));
    let (sent, _) = sim.tick(t0 + minutes(1));
    let whys: BTreeMap<String, String> = sent.iter().map(|n| (n.receiver.clone(), n.why.clone())).collect();
    assert_eq!(
        whys["matrix:!eu:ogp.org"],
        "new: 1 new alert(s) in this group; sent to matrix:!eu:ogp.org by route 0.0 matching \
         region=\"europe\", priority=~\"high|urgent\"; grouped by region=\"europe\""
    );
    assert_eq!(
        whys["matrix:!france:ogp.org"],
        "new: 1 new alert(s) in this group; sent to matrix:!france:ogp.org by a subscription of \
         matrix:!france:ogp.org to country=\"FR\"; grouped by region=\"europe\""
    );
    let eu = sent.iter().find(|n| n.receiver == "matrix:!eu:ogp.org").unwrap();
    assert_eq!((eu.route_path.as_str(), eu.matchers.len()), ("0.0", 2));
}

#[test]
fn explain_tells_whether_when_and_why_for_each_situation() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(
        r#"
        receivers = ["matrix:!all:ogp.org"]
        [[routes]]
        matchers = ['region="europe"']
        receivers = ["matrix:!eu:ogp.org"]
        "#,
    );
    let france = firing("france", &[("region", "europe")], t0);
    let mut pending = firing("spain", &[("region", "europe")], t0);
    pending.state = vigie_rules::alert::AlertState::Pending;
    pending.firing_since = None;
    sim.set(france.clone());
    sim.set(pending.clone());
    let eu = "matrix:!eu:ogp.org";
    let ask = |sim: &Sim, fp: &vigie_rules::alert::Fingerprint, room: &str, now| {
        explain(&sim.input(), fp, room, now).verdict
    };
    assert_eq!(
        ask(&sim, &france.fingerprint, eu, t0),
        Verdict::Due {
            at: t0 + minutes(1),
            reason: Reason::New
        }
    );
    assert_eq!(
        ask(&sim, &france.fingerprint, "matrix:!all:ogp.org", t0),
        Verdict::NotRouted
    );
    assert_eq!(ask(&sim, &pending.fingerprint, eu, t0), Verdict::Pending);
    let unknown = vigie_rules::alert::Fingerprint::parse("0123456789abcdef").unwrap();
    assert_eq!(ask(&sim, &unknown, eu, t0), Verdict::UnknownAlert);
    sim.tick(t0 + minutes(1));
    assert_eq!(
        ask(&sim, &france.fingerprint, eu, t0 + minutes(2)),
        Verdict::Sent {
            at: t0 + minutes(1),
            next_reminder: Some(t0 + minutes(1) + chrono::TimeDelta::days(7))
        }
    );
    let e = explain(&sim.input(), &france.fingerprint, eu, t0);
    assert_eq!(e.routes[0].route_path, "0.0");
    assert!(e.elsewhere.is_empty());
}

#[test]
fn feeding_its_own_records_back_sends_nothing_more_at_the_same_instant() {
    let t0 = at("2026-05-01T08:00:00Z");
    let mut sim = Sim::new(ONE_ROOM);
    for name in ["a", "b", "c"] {
        sim.set(firing(name, &[("region", name)], t0));
    }
    let (first, _) = sim.tick(t0 + minutes(1));
    assert_eq!(first.len(), 3);
    let json = serde_json::to_string(&first[0].record).unwrap();
    assert_eq!(
        serde_json::from_str::<SentRecord>(&json).unwrap(),
        first[0].record,
        "{json}"
    );
    let (again, next) = sim.tick(t0 + minutes(1));
    assert!(again.is_empty());
    assert!(next.is_some_and(|n| n > t0 + minutes(1)));
}
