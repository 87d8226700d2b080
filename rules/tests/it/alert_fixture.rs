//! Builders shared by the alert tests: windows, alerts, times.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use vigie_rules::alert::lifecycle::window_labels;
use vigie_rules::alert::{Alert, AlertState, Fingerprint, Labels};
use vigie_rules::rule::Priority;
use vigie_rules::window::{Window, WindowId, WindowState};
use vigie_rules::{EventKey, JurisdictionCode, Region};

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A window about `about` in `jurisdiction`, read from `feed`.
pub fn window(about: &str, jurisdiction: &str, state: WindowState, feed: &str) -> Window {
    let code = JurisdictionCode::parse(jurisdiction).unwrap();
    let region = match &jurisdiction[..2] {
        "KE" | "TZ" | "NG" => Region::AfricaMiddleEast,
        "US" | "BR" | "CO" => Region::Americas,
        "PH" | "ID" => Region::AsiaPacific,
        _ => Region::Europe,
    };
    Window {
        id: WindowId::new("election-outreach", about),
        rule: "election-outreach".into(),
        jurisdiction: code,
        region,
        title: format!("{about} election"),
        opens: day("2026-05-01"),
        closing_from: day("2026-06-01"),
        closes: day("2026-06-15"),
        estimated: false,
        priority: Priority::Normal,
        kind: None,
        labels: Arc::new(BTreeMap::from([(
            "theme".to_owned(),
            "political-transition".to_owned(),
        )])),
        reasons: vec!["a national election is coming".into()],
        events: vec![EventKey {
            feed: feed.into(),
            uid: about.into(),
        }],
        state,
    }
}

/// A firing alert built directly, with its labels, fired at `since`, at version 1.
pub fn firing(name: &str, pairs: &[(&str, &str)], since: DateTime<Utc>) -> Alert {
    let mut l = labels(pairs);
    l.entry("alertname".into()).or_insert_with(|| "window".into());
    l.insert("window".into(), name.into());
    Alert {
        fingerprint: Fingerprint::of(&labels(&[("alertname", "window"), ("window", name)])),
        labels: l,
        summary: format!("{name} election"),
        state: AlertState::Firing,
        active_since: since,
        firing_since: Some(since),
        resolved_at: None,
        updated_at: since,
        version: 1,
        window: Some(name.into()),
    }
}

/// The same alert after a change people see at `when`.
pub fn bumped(a: &Alert, when: DateTime<Utc>) -> Alert {
    Alert {
        version: a.version + 1,
        updated_at: when,
        summary: format!("{} (changed)", a.summary),
        ..a.clone()
    }
}

/// The same alert, resolved at `when`.
pub fn resolved(a: &Alert, when: DateTime<Utc>) -> Alert {
    Alert {
        state: AlertState::Resolved,
        resolved_at: Some(when),
        version: a.version + 1,
        updated_at: when,
        ..a.clone()
    }
}

pub fn minutes(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

/// The labels an alert about this window carries.
pub fn alert_labels(w: &Window) -> Labels {
    window_labels(w)
}
