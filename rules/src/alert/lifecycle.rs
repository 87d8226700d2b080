//! The alert lifecycle: from the alerts known before, the windows as now evaluated, the member
//! status changes just recorded and the feeds that are failing, the changes to make.
//!
//! A window alert is pending while its window is upcoming (or moved, waiting for new dates),
//! firing once it is open or closing (after the rule's `for`, if any), and resolved when the
//! window is closed, cancelled or no longer derived. A member-status alert fires when a member
//! leaves the active status and resolves when it is active again.
//!
//! Data from a failing feed is stale: an alert whose window rests on such a feed is marked stale
//! and is never resolved or sent back to pending until the feed recovers (it may still start
//! firing: the last good dates say the window opened). Its version only moves when something
//! people see changes (summary, visible labels, state), so a feed going down and up again is not
//! news.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Alert, AlertState, Fingerprint, Labels, MEMBER_ALERT, WINDOW_ALERT};
use crate::window::{Window, WindowState};
use crate::{JurisdictionCode, JurisdictionLevel, MemberStatus, Region};

/// The internal label listing the feeds behind a window, so that a window that disappears while
/// one of them is failing is marked stale rather than resolved.
pub const FEEDS_LABEL: &str = "__feeds";

/// What the lifecycle looks at, besides the previous alerts and `now`.
#[derive(Debug, Clone, Copy)]
pub struct AlertInputs<'a> {
    /// Every window as evaluated now (a window missing here is gone).
    pub windows: &'a [Window],
    /// The member status changes recorded since the last step.
    pub member_changes: &'a [MemberChange],
    /// The names of the feeds whose last sync failed.
    pub failing_feeds: &'a [String],
    /// How long a window stays open before its alert fires (the rule's `for`; zero by default).
    pub pending_for: TimeDelta,
}

/// A change of a member's status, as storage records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChange {
    pub member: JurisdictionCode,
    pub name: String,
    pub region: Region,
    pub level: JurisdictionLevel,
    /// `None` for the status a member first appeared with.
    pub from: Option<MemberStatus>,
    pub to: MemberStatus,
    pub at: DateTime<Utc>,
}

/// One change to store, each with the alert as it now is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertChange {
    New(Alert),
    Updated {
        before: Alert,
        after: Alert,
    },
    Resolved(Alert),
    /// It became stale: a feed behind it is failing.
    Stale(Alert),
    /// Never returned by [`step`], which lists changes only; kept for callers that pair
    /// every previous alert with an entry.
    Unchanged,
}

impl AlertChange {
    /// The alert after the change.
    pub fn alert(&self) -> Option<&Alert> {
        match self {
            Self::New(a) | Self::Resolved(a) | Self::Stale(a) => Some(a),
            Self::Updated { after, .. } => Some(after),
            Self::Unchanged => None,
        }
    }
}

/// The fingerprint of a window's alert: `alertname` and the window id only.
pub fn window_fingerprint(window: &str) -> Fingerprint {
    Fingerprint::of(&labels([("alertname", WINDOW_ALERT), ("window", window)]))
}

/// The fingerprint of a member's status alert: `alertname` and the member's code only.
pub fn member_fingerprint(member: &JurisdictionCode) -> Fingerprint {
    Fingerprint::of(&labels([
        ("alertname", MEMBER_ALERT),
        ("member", member.as_str()),
    ]))
}

/// A window's alert labels: its routing labels, `alertname`, `window`, `phase` (its state) and
/// the internal list of feeds behind it.
pub fn window_labels(w: &Window) -> Labels {
    let mut all = w.labels();
    all.insert("alertname".into(), WINDOW_ALERT.into());
    all.insert("window".into(), w.id.to_string());
    all.insert("phase".into(), w.state.as_str().into());
    let feeds: BTreeSet<&str> = w.events.iter().map(|e| e.feed.as_str()).collect();
    if !feeds.is_empty() {
        all.insert(
            FEEDS_LABEL.into(),
            feeds.into_iter().collect::<Vec<_>>().join(","),
        );
    }
    all
}

/// The changes from `previous` given what is true `now`, ordered by fingerprint. Alerts absent
/// from the result are unchanged.
pub fn step(previous: &[Alert], inputs: &AlertInputs, now: DateTime<Utc>) -> Vec<AlertChange> {
    let before: BTreeMap<&Fingerprint, &Alert> = previous.iter().map(|a| (&a.fingerprint, a)).collect();
    let failing: BTreeSet<&str> = inputs.failing_feeds.iter().map(String::as_str).collect();
    let mut proposals: BTreeMap<Fingerprint, Proposal> = BTreeMap::new();

    for w in inputs.windows {
        let labels = window_labels(w);
        let stale = w.events.iter().any(|e| failing.contains(e.feed.as_str()));
        let target = match w.state {
            WindowState::Upcoming | WindowState::Moved => Target::Pending,
            WindowState::Open | WindowState::Closing => Target::Firing,
            WindowState::Closed | WindowState::Cancelled => Target::Resolved,
        };
        let estimated = if w.estimated { "~" } else { "" };
        proposals.insert(
            window_fingerprint(w.id.as_str()),
            Proposal {
                summary: format!("{} ({estimated}{} → {})", w.title, w.opens, w.closes),
                labels,
                window: Some(w.id.to_string()),
                target,
                stale,
                pending_for: inputs.pending_for,
            },
        );
    }
    for a in previous {
        let gone = a.labels.get("alertname").map(String::as_str) == Some(WINDOW_ALERT)
            && a.state != AlertState::Resolved
            && !proposals.contains_key(&a.fingerprint);
        if gone {
            let stale = a
                .labels
                .get(FEEDS_LABEL)
                .is_some_and(|f| f.split(',').any(|feed| failing.contains(feed)));
            proposals.insert(
                a.fingerprint.clone(),
                Proposal {
                    summary: a.summary.clone(),
                    labels: a.labels.clone(),
                    window: a.window.clone(),
                    target: Target::Resolved,
                    stale,
                    pending_for: inputs.pending_for,
                },
            );
        }
    }
    // The latest change of each member wins (by time, then by order given).
    let mut latest: BTreeMap<&JurisdictionCode, &MemberChange> = BTreeMap::new();
    for c in inputs.member_changes {
        if latest.get(&c.member).is_none_or(|l| l.at <= c.at) {
            latest.insert(&c.member, c);
        }
    }
    for c in latest.into_values() {
        let summary = match c.from {
            Some(from) => format!("{}: {from} → {}", c.name, c.to),
            None => format!("{}: {}", c.name, c.to),
        };
        let mut l = labels([
            ("alertname", MEMBER_ALERT),
            ("member", c.member.as_str()),
            ("jurisdiction", c.member.as_str()),
            ("region", c.region.slug()),
            ("level", c.level.as_str()),
            ("status", c.to.as_str()),
        ]);
        l.insert("country".into(), c.member.country().to_string());
        proposals.insert(
            member_fingerprint(&c.member),
            Proposal {
                summary,
                labels: l,
                window: None,
                target: if c.to == MemberStatus::Active {
                    Target::Resolved
                } else {
                    Target::Firing
                },
                stale: false,
                pending_for: TimeDelta::zero(),
            },
        );
    }

    proposals
        .into_iter()
        .filter_map(|(fp, p)| next(before.get(&fp).copied(), fp, p, now))
        .collect()
}

/// The alert set after `changes`, ordered by fingerprint.
pub fn apply(previous: &[Alert], changes: &[AlertChange]) -> Vec<Alert> {
    let mut all: BTreeMap<Fingerprint, Alert> = previous
        .iter()
        .map(|a| (a.fingerprint.clone(), a.clone()))
        .collect();
    for a in changes.iter().filter_map(AlertChange::alert) {
        all.insert(a.fingerprint.clone(), a.clone());
    }
    all.into_values().collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Pending,
    Firing,
    Resolved,
}

struct Proposal {
    summary: String,
    labels: Labels,
    window: Option<String>,
    target: Target,
    stale: bool,
    pending_for: TimeDelta,
}

fn next(
    prev: Option<&Alert>,
    fingerprint: Fingerprint,
    p: Proposal,
    now: DateTime<Utc>,
) -> Option<AlertChange> {
    let Some(prev) = prev.filter(|a| a.state != AlertState::Resolved) else {
        // A new alert, or a resolved one coming back: a new episode under the same identity.
        if p.target == Target::Resolved {
            return None;
        }
        let firing = p.target == Target::Firing && p.pending_for <= TimeDelta::zero();
        let after = Alert {
            fingerprint,
            labels: p.labels,
            summary: p.summary,
            state: match (p.stale, firing) {
                (true, _) => AlertState::Stale,
                (false, true) => AlertState::Firing,
                (false, false) => AlertState::Pending,
            },
            active_since: now,
            firing_since: firing.then_some(now),
            resolved_at: None,
            updated_at: now,
            version: prev.map_or(1, |b| b.version + 1),
            window: p.window,
        };
        return Some(match prev {
            Some(before) => AlertChange::Updated {
                before: before.clone(),
                after,
            },
            None => AlertChange::New(after),
        });
    };

    let was_firing = prev.firing_since.is_some();
    let fires_now = p.target == Target::Firing && (was_firing || now - prev.active_since >= p.pending_for);
    let (labels, summary) = if p.target == Target::Resolved {
        // A resolved alert keeps what it was, so that it is routed where it fired.
        (prev.labels.clone(), prev.summary.clone())
    } else {
        (p.labels, p.summary)
    };
    let mut after = Alert {
        labels,
        summary,
        window: p.window.or_else(|| prev.window.clone()),
        ..prev.clone()
    };
    if p.stale {
        after.state = AlertState::Stale;
        if fires_now && !was_firing {
            after.firing_since = Some(now);
        }
    } else {
        match p.target {
            Target::Resolved => {
                after.state = AlertState::Resolved;
                after.resolved_at = Some(now);
            }
            Target::Firing if fires_now => {
                after.state = AlertState::Firing;
                after.firing_since = prev.firing_since.or(Some(now));
            }
            Target::Firing | Target::Pending => {
                after.state = AlertState::Pending;
                after.firing_since = None;
            }
        }
    }
    let visible = after.summary != prev.summary
        || !after.visible_labels().eq(prev.visible_labels())
        || after.visible_state() != prev.visible_state();
    if visible {
        after.version = prev.version + 1;
        after.updated_at = now;
    }
    if after == *prev {
        return None;
    }
    Some(match after.state {
        AlertState::Resolved => AlertChange::Resolved(after),
        AlertState::Stale if prev.state != AlertState::Stale => AlertChange::Stale(after),
        _ => AlertChange::Updated {
            before: prev.clone(),
            after,
        },
    })
}

fn labels<const N: usize>(pairs: [(&str, &str); N]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}
