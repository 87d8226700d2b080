//! The alert lifecycle: windows and member changes in, alert changes out.

use chrono::TimeDelta;
use vigie_rules::alert::lifecycle::{member_fingerprint, window_fingerprint};
use vigie_rules::alert::{Alert, AlertChange, AlertInputs, AlertState, MemberChange, apply, step};
use vigie_rules::rule::Priority;
use vigie_rules::window::{Window, WindowState};
use vigie_rules::{JurisdictionCode, JurisdictionLevel, MemberStatus, Region};

use crate::alert_fixture::{alert_labels, at, day, window};

fn inputs<'a>(windows: &'a [Window], failing: &'a [String]) -> AlertInputs<'a> {
    AlertInputs {
        windows,
        member_changes: &[],
        failing_feeds: failing,
        pending_for: TimeDelta::zero(),
    }
}

/// Runs one step and returns the new alert set with the changes.
fn run(previous: &[Alert], input: &AlertInputs, now: &str) -> (Vec<Alert>, Vec<AlertChange>) {
    let changes = step(previous, input, at(now));
    (apply(previous, &changes), changes)
}

fn kind(c: &AlertChange) -> &'static str {
    match c {
        AlertChange::New(_) => "new",
        AlertChange::Updated { .. } => "updated",
        AlertChange::Resolved(_) => "resolved",
        AlertChange::Stale(_) => "stale",
        AlertChange::Unchanged => "unchanged",
    }
}

#[test]
fn window_states_map_to_pending_firing_or_nothing_for_a_window_first_seen() {
    for (state, expected) in [
        (WindowState::Upcoming, Some(AlertState::Pending)),
        (WindowState::Moved, Some(AlertState::Pending)),
        (WindowState::Open, Some(AlertState::Firing)),
        (WindowState::Closing, Some(AlertState::Firing)),
        (WindowState::Closed, None),
        (WindowState::Cancelled, None),
    ] {
        let w = [window("Kenya", "KE", state, "iec")];
        let (alerts, _) = run(&[], &inputs(&w, &[]), "2026-05-01T08:00:00Z");
        assert_eq!(alerts.first().map(|a| a.state), expected, "{state}");
    }
}

#[test]
fn a_window_alert_goes_pending_then_firing_then_resolved_with_one_version_per_step() {
    let none: [String; 0] = [];
    let mut alerts = Vec::new();
    let mut seen = Vec::new();
    for (state, now, change, alert_state, version) in [
        (
            WindowState::Upcoming,
            "2026-04-01T08:00:00Z",
            "new",
            AlertState::Pending,
            1,
        ),
        (
            WindowState::Open,
            "2026-05-01T08:00:00Z",
            "updated",
            AlertState::Firing,
            2,
        ),
        (
            WindowState::Closing,
            "2026-06-01T08:00:00Z",
            "updated",
            AlertState::Firing,
            3,
        ),
        (
            WindowState::Closed,
            "2026-06-16T08:00:00Z",
            "resolved",
            AlertState::Resolved,
            4,
        ),
    ] {
        let w = [window("Kenya", "KE", state, "iec")];
        let (next, changes) = run(&alerts, &inputs(&w, &none), now);
        assert_eq!(changes.iter().map(kind).collect::<Vec<_>>(), [change], "{state}");
        let a = &next[0];
        assert_eq!((a.state, a.version), (alert_state, version), "{state}");
        assert_eq!(a.updated_at, at(now));
        seen.push(a.clone());
        alerts = next;
    }
    assert_eq!(seen[1].firing_since, Some(at("2026-05-01T08:00:00Z")));
    assert_eq!(seen[3].resolved_at, Some(at("2026-06-16T08:00:00Z")));
    assert_eq!(seen[3].labels.get("phase").map(String::as_str), Some("closing"));
}

#[test]
fn a_step_with_nothing_new_changes_nothing() {
    let w = [window("Kenya", "KE", WindowState::Open, "iec")];
    let (alerts, _) = run(&[], &inputs(&w, &[]), "2026-05-01T08:00:00Z");
    let (again, changes) = run(&alerts, &inputs(&w, &[]), "2026-05-02T08:00:00Z");
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(again, alerts);
}

#[test]
fn fingerprints_are_stable_across_date_and_priority_changes() {
    let w = window("Kenya", "KE", WindowState::Open, "iec");
    let (alerts, _) = run(
        &[],
        &inputs(std::slice::from_ref(&w), &[]),
        "2026-05-01T08:00:00Z",
    );
    let mut moved = w.clone();
    moved.closes = day("2026-07-01");
    moved.priority = Priority::Urgent;
    let (after, changes) = run(&alerts, &inputs(&[moved], &[]), "2026-05-03T08:00:00Z");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].fingerprint, alerts[0].fingerprint);
    assert_eq!(after[0].fingerprint, window_fingerprint(w.id.as_str()));
    assert_eq!(after[0].fingerprint.as_str().len(), 16);
    assert_eq!((after[0].version, kind(&changes[0])), (2, "updated"));
    assert_eq!(
        after[0].labels.get("priority").map(String::as_str),
        Some("urgent")
    );
    assert!(after[0].summary.contains("2026-07-01"), "{}", after[0].summary);
}

#[test]
fn a_window_no_longer_derived_is_resolved() {
    let w = [window("Kenya", "KE", WindowState::Open, "iec")];
    let (alerts, _) = run(&[], &inputs(&w, &[]), "2026-05-01T08:00:00Z");
    let (after, changes) = run(&alerts, &inputs(&[], &[]), "2026-05-02T08:00:00Z");
    assert_eq!(kind(&changes[0]), "resolved");
    assert_eq!(after[0].state, AlertState::Resolved);
    assert_eq!(
        after[0].labels, alerts[0].labels,
        "a resolved alert keeps the labels it fired with"
    );
}

#[test]
fn an_alert_whose_feed_is_failing_goes_stale_and_is_never_resolved_on_stale_data() {
    let failing = vec!["iec".to_owned()];
    let open = [window("Kenya", "KE", WindowState::Open, "iec")];
    let closed = [window("Kenya", "KE", WindowState::Closed, "iec")];
    let (firing, _) = run(&[], &inputs(&open, &[]), "2026-05-01T08:00:00Z");
    for (case, windows) in [
        ("closed", &closed[..]),
        ("gone", &[][..]),
        ("still open", &open[..]),
    ] {
        let (after, changes) = run(&firing, &inputs(windows, &failing), "2026-06-20T08:00:00Z");
        assert_eq!(changes.iter().map(kind).collect::<Vec<_>>(), ["stale"], "{case}");
        let a = &after[0];
        assert_eq!(a.state, AlertState::Stale, "{case}");
        assert!(a.is_firing(), "{case}: a stale alert keeps routing as it fired");
        assert_eq!(a.version, 1, "{case}: going stale is not news");
        assert_eq!(a.resolved_at, None, "{case}");
        // The feed recovers: the truth applies.
        let (recovered, changes) = run(&after, &inputs(windows, &[]), "2026-06-21T08:00:00Z");
        let expected = if case == "still open" {
            (AlertState::Firing, 1, "updated")
        } else {
            (AlertState::Resolved, 2, "resolved")
        };
        assert_eq!(
            (recovered[0].state, recovered[0].version, kind(&changes[0])),
            expected,
            "{case}"
        );
    }
}

#[test]
fn an_open_window_waits_out_its_rule_for_before_firing() {
    let w = [window("Kenya", "KE", WindowState::Open, "iec")];
    let wait = AlertInputs {
        pending_for: TimeDelta::days(2),
        ..inputs(&w, &[])
    };
    let (alerts, _) = run(&[], &wait, "2026-05-01T08:00:00Z");
    assert_eq!(alerts[0].state, AlertState::Pending);
    let (alerts, _) = run(&alerts, &wait, "2026-05-02T08:00:00Z");
    assert_eq!(alerts[0].state, AlertState::Pending);
    let (alerts, _) = run(&alerts, &wait, "2026-05-03T08:00:00Z");
    assert_eq!(
        (alerts[0].state, alerts[0].firing_since),
        (AlertState::Firing, Some(at("2026-05-03T08:00:00Z")))
    );
}

#[test]
fn a_resolved_window_that_opens_again_fires_under_the_same_fingerprint() {
    let open = [window("Kenya", "KE", WindowState::Open, "iec")];
    let closed = [window("Kenya", "KE", WindowState::Closed, "iec")];
    let (a, _) = run(&[], &inputs(&open, &[]), "2026-05-01T08:00:00Z");
    let (a, _) = run(&a, &inputs(&closed, &[]), "2026-06-16T08:00:00Z");
    let (a, changes) = run(&a, &inputs(&open, &[]), "2026-06-20T08:00:00Z");
    assert_eq!(kind(&changes[0]), "updated");
    assert_eq!(
        (a[0].state, a[0].version, a[0].resolved_at),
        (AlertState::Firing, 3, None)
    );
    assert_eq!(a[0].firing_since, Some(at("2026-06-20T08:00:00Z")));
}

#[test]
fn a_member_leaving_active_status_fires_and_resolves_when_active_again() {
    let change = |from, to, when: &str| MemberChange {
        member: JurisdictionCode::parse("KE").unwrap(),
        name: "Kenya".into(),
        region: Region::AfricaMiddleEast,
        level: JurisdictionLevel::National,
        from,
        to,
        at: at(when),
    };
    let mut alerts = Vec::new();
    for (changes, now, expected) in [
        (
            vec![change(None, MemberStatus::Active, "2026-01-01T00:00:00Z")],
            "2026-01-01T00:00:00Z",
            None,
        ),
        (
            vec![change(
                Some(MemberStatus::Active),
                MemberStatus::UnderReview,
                "2026-02-01T00:00:00Z",
            )],
            "2026-02-01T00:00:00Z",
            Some((AlertState::Firing, "under-review", 1)),
        ),
        (
            vec![
                change(
                    Some(MemberStatus::UnderReview),
                    MemberStatus::Active,
                    "2026-03-01T00:00:00Z",
                ),
                change(
                    Some(MemberStatus::UnderReview),
                    MemberStatus::Suspended,
                    "2026-03-02T00:00:00Z",
                ),
            ],
            "2026-03-02T00:00:00Z",
            Some((AlertState::Firing, "suspended", 2)),
        ),
        (
            vec![change(
                Some(MemberStatus::Suspended),
                MemberStatus::Active,
                "2026-04-01T00:00:00Z",
            )],
            "2026-04-01T00:00:00Z",
            Some((AlertState::Resolved, "suspended", 3)),
        ),
    ] {
        let input = AlertInputs {
            windows: &[],
            member_changes: &changes,
            failing_feeds: &[],
            pending_for: TimeDelta::zero(),
        };
        let (next, _) = run(&alerts, &input, now);
        let got = next.first().map(|a| {
            assert_eq!(
                a.fingerprint,
                member_fingerprint(&JurisdictionCode::parse("KE").unwrap())
            );
            (a.state, a.labels["status"].as_str(), a.version)
        });
        assert_eq!(got, expected, "{now}");
        alerts = next;
    }
    assert_eq!(alerts[0].labels["alertname"], "member-status");
    assert_eq!(alerts[0].labels["country"], "KE");
}

#[test]
fn alert_labels_carry_routing_labels_and_the_feeds_behind_the_window() {
    let l = alert_labels(&window("Kenya", "KE", WindowState::Open, "iec"));
    for (k, v) in [
        ("alertname", "window"),
        ("country", "KE"),
        ("region", "africa-middle-east"),
        ("priority", "normal"),
        ("theme", "political-transition"),
        ("phase", "open"),
        ("__feeds", "iec"),
    ] {
        assert_eq!(l.get(k).map(String::as_str), Some(v), "{k}");
    }
}

#[test]
fn alerts_read_back_from_json_as_they_were_written() {
    let w = [window("Kenya", "KE", WindowState::Open, "iec")];
    let (alerts, _) = run(&[], &inputs(&w, &[]), "2026-05-01T08:00:00Z");
    let json = serde_json::to_string(&alerts[0]).unwrap();
    assert!(json.contains("\"state\":\"firing\""), "{json}");
    let back: Alert = serde_json::from_str(&json).unwrap();
    assert_eq!(back, alerts[0]);
}
