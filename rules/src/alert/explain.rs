//! The `why` command: will this alert be notified in that room, when, and what mutes it. The
//! answer comes from the same plan [`super::due`] follows, so it cannot disagree with it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::notify::{NotifyInput, Reason, plan};
use super::{Alert, AlertState, Fingerprint, GroupKey, Matcher, RouteSettings, route_all};

/// Something that keeps an alert from a receiver, or delays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Mute {
    Silenced {
        id: String,
        author: String,
        comment: String,
        ends_at: DateTime<Utc>,
    },
    Inhibited {
        by: Fingerprint,
        why: String,
    },
    /// The receiver's quiet hours delay it until then.
    QuietHours {
        until: DateTime<Utc>,
    },
}

/// The answer, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Verdict {
    /// No alert has this fingerprint.
    UnknownAlert,
    /// No route or subscription sends it to this receiver.
    NotRouted,
    /// It does not fire yet; it will be notified when it does.
    Pending,
    /// A silence or an inhibition keeps it from every receiver (see the mutes).
    Muted,
    /// It will be in a message at `at` (now or earlier: at the next delivery round).
    Due { at: DateTime<Utc>, reason: Reason },
    /// The receiver was told about its current version at `at`.
    Sent {
        at: DateTime<Utc>,
        next_reminder: Option<DateTime<Utc>>,
    },
    /// It resolved before the receiver was told it fired: nothing to send.
    Finished,
}

/// A route that sends the alert to the receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch {
    pub route_path: String,
    pub matchers: Vec<Matcher>,
    pub group: GroupKey,
    pub settings: RouteSettings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub fingerprint: Fingerprint,
    pub receiver: String,
    pub alert: Option<Alert>,
    /// The routes that send it to this receiver.
    pub routes: Vec<RouteMatch>,
    /// The other receivers it is sent to.
    pub elsewhere: Vec<String>,
    pub mutes: Vec<Mute>,
    pub verdict: Verdict,
}

/// Whether and when the alert with `fingerprint` will be notified to `receiver`.
pub fn explain(
    input: &NotifyInput,
    fingerprint: &Fingerprint,
    receiver: &str,
    now: DateTime<Utc>,
) -> Explanation {
    let mut out = Explanation {
        fingerprint: fingerprint.clone(),
        receiver: receiver.to_owned(),
        alert: None,
        routes: Vec::new(),
        elsewhere: Vec::new(),
        mutes: Vec::new(),
        verdict: Verdict::UnknownAlert,
    };
    let Some(alert) = input.alerts.iter().rev().find(|a| &a.fingerprint == fingerprint) else {
        return out;
    };
    out.alert = Some(alert.clone());
    for m in route_all(input.route, input.subscriptions, &alert.labels) {
        let group_labels = m.settings.group_labels(&alert.labels);
        for r in m.receivers {
            if r == receiver {
                out.routes.push(RouteMatch {
                    group: GroupKey::new(&m.route_path, r, &group_labels),
                    route_path: m.route_path.clone(),
                    matchers: m.matchers.clone(),
                    settings: m.settings.clone(),
                });
            } else if !out.elsewhere.contains(r) {
                out.elsewhere.push(r.clone());
            }
        }
    }
    out.elsewhere.sort();
    out.mutes = input.mutes(alert, now);
    out.verdict = if out.routes.is_empty() {
        Verdict::NotRouted
    } else if !alert.is_firing() && alert.state != AlertState::Resolved {
        Verdict::Pending
    } else if !out.mutes.is_empty() {
        Verdict::Muted
    } else {
        verdict(input, alert, &out.routes, now, &mut out.mutes)
    };
    out
}

fn verdict(
    input: &NotifyInput,
    alert: &Alert,
    routes: &[RouteMatch],
    now: DateTime<Utc>,
    mutes: &mut Vec<Mute>,
) -> Verdict {
    let plans = plan(input, now);
    let mut best: Option<(Verdict, Option<DateTime<Utc>>)> = None;
    for g in plans.iter().filter(|g| routes.iter().any(|r| r.group == g.key)) {
        let decision = g.decision.as_ref();
        let in_decision = decision.filter(|d| d.payload.iter().any(|a| a.fingerprint == alert.fingerprint));
        let told = g.record.and_then(|r| r.alerts.get(&alert.fingerprint));
        let this = match in_decision {
            Some(d) if d.reason != Reason::Reminder => (
                Verdict::Due {
                    at: d.at,
                    reason: d.reason,
                },
                d.quiet_until,
            ),
            _ => match (told, g.record) {
                (Some((_, v)), Some(r)) if *v == alert.version => (
                    Verdict::Sent {
                        at: r.last_sent,
                        next_reminder: in_decision.map(|d| d.at),
                    },
                    in_decision.and_then(|d| d.quiet_until),
                ),
                _ => (Verdict::Finished, None),
            },
        };
        let rank = |v: &Verdict| match v {
            Verdict::Due { at, .. } => (0, Some(*at)),
            Verdict::Sent { at, .. } => (1, Some(*at)),
            _ => (2, None),
        };
        if best.as_ref().is_none_or(|(b, _)| rank(&this.0) < rank(b)) {
            best = Some(this);
        }
    }
    let (verdict, quiet) = best.unwrap_or((Verdict::Finished, None));
    if let Some(until) = quiet {
        mutes.push(Mute::QuietHours { until });
    }
    verdict
}
