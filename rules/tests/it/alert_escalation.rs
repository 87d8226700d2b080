//! Escalation of unclaimed windows: the chair once, then the wider room once.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use vigie_rules::alert::escalation::next_escalation;
use vigie_rules::alert::{EscalationLevel, EscalationPolicy, EscalationRecord, escalations};

use crate::alert_fixture::{at, firing, resolved};

fn policy() -> EscalationPolicy {
    EscalationPolicy {
        after: TimeDelta::days(3),
        chairs: BTreeMap::from([(
            "africa-middle-east".to_owned(),
            "matrix:@chair:ogp.org".to_owned(),
        )]),
        wider_after: TimeDelta::days(4),
        wider_room: Some("matrix:!steering:ogp.org".into()),
    }
}

#[test]
fn an_unclaimed_window_mentions_the_chair_once_then_reaches_the_wider_room_once() {
    let t0 = at("2026-05-01T08:00:00Z");
    let alerts = [firing("kenya", &[("region", "africa-middle-east")], t0)];
    let nobody = |_: &str| false;
    let mut records: Vec<EscalationRecord> = Vec::new();
    // (days after firing, levels escalated then)
    for (days, expected) in [
        (0, vec![]),
        (2, vec![]),
        (3, vec![EscalationLevel::Chair]),
        (4, vec![]),
        (6, vec![]),
        (7, vec![EscalationLevel::WiderRoom]),
        (8, vec![]),
        (30, vec![]),
    ] {
        let now = t0 + TimeDelta::days(days);
        let got = escalations(&alerts, &nobody, &records, &policy(), now);
        assert_eq!(
            got.iter().map(|e| e.level).collect::<Vec<_>>(),
            expected,
            "day {days}"
        );
        for e in &got {
            match e.level {
                EscalationLevel::Chair => assert_eq!(e.mention, ["matrix:@chair:ogp.org"]),
                EscalationLevel::WiderRoom => assert_eq!(e.room.as_deref(), Some("matrix:!steering:ogp.org")),
            }
            assert!(
                e.why.starts_with(&format!("unclaimed for {days} day(s)")),
                "{}",
                e.why
            );
        }
        records.extend(got.into_iter().map(|e| e.record));
    }
    assert_eq!(
        next_escalation(&alerts, &nobody, &records, &policy(), t0 + TimeDelta::days(30)),
        None
    );
}

#[test]
fn a_claimed_window_or_one_without_a_chair_or_room_escalates_accordingly() {
    let t0 = at("2026-05-01T08:00:00Z");
    let late = t0 + TimeDelta::days(30);
    let africa = [firing("kenya", &[("region", "africa-middle-east")], t0)];
    let europe = [firing("france", &[("region", "europe")], t0)];
    let claimed = |w: &str| w == "kenya";
    assert!(
        escalations(&africa, &claimed, &[], &policy(), late).is_empty(),
        "claimed"
    );
    // No chair for Europe: the wider room after both delays.
    let nobody = |_: &str| false;
    assert_eq!(
        next_escalation(&europe, &nobody, &[], &policy(), t0),
        Some(t0 + TimeDelta::days(7))
    );
    let got = escalations(&europe, &nobody, &[], &policy(), late);
    assert_eq!(
        got.iter().map(|e| e.level).collect::<Vec<_>>(),
        [EscalationLevel::WiderRoom]
    );
    let quiet = EscalationPolicy::default();
    assert!(
        escalations(&africa, &nobody, &[], &quiet, late).is_empty(),
        "nothing configured"
    );
}

#[test]
fn a_window_that_fires_again_escalates_again_but_a_resolved_one_does_not() {
    let t0 = at("2026-05-01T08:00:00Z");
    let nobody = |_: &str| false;
    let first = firing("kenya", &[("region", "africa-middle-east")], t0);
    let record = EscalationRecord {
        fingerprint: first.fingerprint.clone(),
        level: EscalationLevel::Chair,
        at: t0 + TimeDelta::days(3),
    };
    let gone = [resolved(&first, t0 + TimeDelta::days(5))];
    assert!(escalations(&gone, &nobody, &[], &policy(), t0 + TimeDelta::days(40)).is_empty());
    let t1 = t0 + TimeDelta::days(20);
    let again = [firing("kenya", &[("region", "africa-middle-east")], t1)];
    let got = escalations(
        &again,
        &nobody,
        std::slice::from_ref(&record),
        &policy(),
        t1 + TimeDelta::days(3),
    );
    assert_eq!(
        got.iter().map(|e| e.level).collect::<Vec<_>>(),
        [EscalationLevel::Chair]
    );
}
