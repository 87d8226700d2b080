//! When a room hears about a group of alerts: Alertmanager's notification pipeline as one pure
//! function of the alerts, the configuration, what was already sent, and `now`.
//!
//! Each firing alert is routed (tree and subscriptions), then grouped per route, receiver and
//! `group_by` values. Silenced and inhibited alerts are left out (what the receiver was already
//! told about them is kept, so a silence that ends does not repeat it). A group then gets:
//! - its first message (`new`) `group_wait` after its earliest alert began firing;
//! - an `update` when alerts joined it, changed version or resolved since its last message, no
//!   sooner than `group_interval` after that message, nor than `group_wait` after the change;
//! - a `resolved` message when everything it last told about has resolved;
//! - a `reminder` every `repeat_interval` while it still fires and nothing changed.
//!
//! Quiet hours of a receiver delay all of these to the end of the quiet period. What was sent is
//! kept per group as a [`SentRecord`] (each notification carries the record to store once it is
//! delivered), so the same state is never sent twice and a restart changes nothing.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::explain::Mute;
pub use super::explain::{Explanation, explain};
use super::inhibit::inhibited_by;
use super::matcher::describe;
use super::route::SUBSCRIPTION_PATH;
use super::{
    Alert, AlertState, Fingerprint, InhibitRule, Labels, Matcher, QuietHours, Route, RouteSettings, Silence,
    Subscription, duration, route_all,
};

/// A group's identity: its route, receiver and `group_by` values, as text that is stable while
/// the configuration is: `0.1|matrix:!eu:example.org|region="europe"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupKey(String);

impl GroupKey {
    pub fn new(route_path: &str, receiver: &str, group_labels: &Labels) -> Self {
        let values: Vec<String> = group_labels
            .iter()
            .map(|(k, v)| Matcher::eq(k.clone(), v.clone()).to_string())
            .collect();
        Self(format!("{route_path}|{receiver}|{}", values.join(",")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A group key as stored.
impl From<String> for GroupKey {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a receiver was last told about a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRecord {
    pub group: GroupKey,
    pub receiver: String,
    pub last_sent: DateTime<Utc>,
    /// Each alert of the last message, as `firing` or `resolved`, with its version then.
    pub alerts: BTreeMap<Fingerprint, (AlertState, u64)>,
    /// When the group first had an alert firing.
    pub first_seen: DateTime<Utc>,
}

impl SentRecord {
    fn firing(&self) -> impl Iterator<Item = (&Fingerprint, u64)> {
        self.alerts
            .iter()
            .filter(|(_, (s, _))| *s == AlertState::Firing)
            .map(|(fp, (_, v))| (fp, *v))
    }
}

/// Why a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// The group's first message (or its first since everything in it resolved).
    New,
    /// Alerts joined, changed or resolved since the last message.
    Update,
    /// Nothing changed; the group still fires.
    Reminder,
    /// Everything the group last told about has resolved.
    Resolved,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Update => "update",
            Self::Reminder => "reminder",
            Self::Resolved => "resolved",
        }
    }

    /// Reads a slug as [`Reason::as_str`] writes it.
    pub fn parse(s: &str) -> Result<Self, crate::ParseError> {
        [Self::New, Self::Update, Self::Reminder, Self::Resolved]
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                crate::ParseError::new(format!(
                    "\"{}\" is not a notification reason; expected new, update, reminder or resolved",
                    s.trim()
                ))
            })
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message to one receiver about one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub receiver: String,
    pub group: GroupKey,
    pub reason: Reason,
    /// The group's firing alerts, then those it announces as resolved, each by fingerprint.
    pub alerts: Vec<Alert>,
    /// The alerts that are new, changed or resolved since the last message (none in a reminder).
    pub changed: Vec<Fingerprint>,
    /// In English, for logs: the reason, the route and its matchers, the group.
    pub why: String,
    /// The same, as data, for a localised rendering.
    pub route_path: String,
    pub matchers: Vec<Matcher>,
    pub group_labels: Labels,
    /// People to mention (left for the caller: escalation fills its own).
    pub mention: Vec<String>,
    /// The record to store, in the same transaction as the outbox row.
    pub record: SentRecord,
}

/// Everything [`due`] looks at besides `now`.
#[derive(Debug, Clone, Copy)]
pub struct NotifyInput<'a> {
    pub alerts: &'a [Alert],
    pub route: &'a Route,
    pub subscriptions: &'a [Subscription],
    pub silences: &'a [Silence],
    pub inhibit_rules: &'a [InhibitRule],
    /// Quiet hours by receiver.
    pub quiet_hours: &'a BTreeMap<String, QuietHours>,
    pub sent: &'a [SentRecord],
}

impl NotifyInput<'_> {
    /// What mutes an alert at `now` for every receiver: active silences matching it, and the
    /// first inhibition that applies.
    pub fn mutes(&self, alert: &Alert, now: DateTime<Utc>) -> Vec<Mute> {
        let mut out: Vec<Mute> = self
            .silences
            .iter()
            .filter(|s| s.mutes(&alert.labels, now))
            .map(|s| Mute::Silenced {
                id: s.id.clone(),
                author: s.author.clone(),
                comment: s.comment.clone(),
                ends_at: s.ends_at,
            })
            .collect();
        if let Some((source, _)) = inhibited_by(alert, self.alerts, self.inhibit_rules) {
            out.push(Mute::Inhibited {
                by: source.fingerprint.clone(),
                why: super::inhibited(alert, self.alerts, self.inhibit_rules).unwrap_or_default(),
            });
        }
        out
    }
}

/// The notifications due at `now`, and the next time anything becomes due (a group's wait, a
/// reminder, the end of quiet hours or of a silence), if any.
pub fn due(input: &NotifyInput, now: DateTime<Utc>) -> (Vec<Notification>, Option<DateTime<Utc>>) {
    let plans = plan(input, now);
    let mut next: Option<DateTime<Utc>> = None;
    let mut later = |t: DateTime<Utc>| {
        if t > now && next.is_none_or(|n| t < n) {
            next = Some(t);
        }
    };
    for s in input.silences {
        if s.is_active(now) && input.alerts.iter().any(|a| s.mutes(&a.labels, now)) {
            later(s.ends_at);
        }
    }
    let mut out = Vec::new();
    for mut g in plans {
        let Some(d) = g.decision.take() else { continue };
        if d.at > now {
            later(d.at);
            continue;
        }
        let mut alerts = d.carried.clone();
        alerts.extend(d.payload.iter().map(|a| {
            let state = if a.is_firing() {
                AlertState::Firing
            } else {
                AlertState::Resolved
            };
            (a.fingerprint.clone(), (state, a.version))
        }));
        let record = SentRecord {
            group: g.key.clone(),
            receiver: g.receiver.to_owned(),
            last_sent: now,
            alerts,
            first_seen: g.record.map_or(d.group_start, |r| r.first_seen),
        };
        later(now + g.settings.repeat_interval);
        out.push(Notification {
            why: why(d.reason, &g, d.changed.len()),
            receiver: g.receiver.to_owned(),
            group: g.key,
            reason: d.reason,
            alerts: d.payload.into_iter().cloned().collect(),
            changed: d.changed,
            route_path: g.route_path,
            matchers: g.matchers,
            group_labels: g.group_labels,
            mention: Vec::new(),
            record,
        });
    }
    (out, next)
}

/// One group as routed now, and what to do about it.
pub(crate) struct GroupPlan<'a> {
    pub key: GroupKey,
    pub receiver: &'a str,
    pub route_path: String,
    pub matchers: Vec<Matcher>,
    pub settings: RouteSettings,
    pub group_labels: Labels,
    /// Every firing or resolved alert routed here, muted or not.
    pub members: Vec<&'a Alert>,
    pub record: Option<&'a SentRecord>,
    pub decision: Option<Decision<'a>>,
}

pub(crate) struct Decision<'a> {
    pub reason: Reason,
    /// When it is due, after quiet hours.
    pub at: DateTime<Utc>,
    /// The end of the quiet hours that delayed it, if they did.
    pub quiet_until: Option<DateTime<Utc>>,
    pub payload: Vec<&'a Alert>,
    pub changed: Vec<Fingerprint>,
    pub group_start: DateTime<Utc>,
    /// What the receiver was told about alerts muted now: kept, so that the end of a silence or
    /// an inhibition does not announce again what the receiver already knows.
    pub carried: BTreeMap<Fingerprint, (AlertState, u64)>,
}

/// Every group with a firing or resolved alert, in key order.
pub(crate) fn plan<'a>(input: &NotifyInput<'a>, now: DateTime<Utc>) -> Vec<GroupPlan<'a>> {
    let alerts: BTreeMap<&Fingerprint, &'a Alert> = input
        .alerts
        .iter()
        .filter(|a| a.is_firing() || a.state == AlertState::Resolved)
        .map(|a| (&a.fingerprint, a))
        .collect();
    let records: BTreeMap<&GroupKey, &'a SentRecord> = input.sent.iter().map(|r| (&r.group, r)).collect();
    let mut groups: BTreeMap<GroupKey, GroupPlan<'a>> = BTreeMap::new();
    for alert in alerts.values() {
        for m in route_all(input.route, input.subscriptions, &alert.labels) {
            let group_labels = m.settings.group_labels(&alert.labels);
            for receiver in m.receivers {
                let key = GroupKey::new(&m.route_path, receiver, &group_labels);
                groups
                    .entry(key.clone())
                    .or_insert_with(|| GroupPlan {
                        record: records.get(&key).copied(),
                        key,
                        receiver,
                        route_path: m.route_path.clone(),
                        matchers: m.matchers.clone(),
                        settings: m.settings.clone(),
                        group_labels: group_labels.clone(),
                        members: Vec::new(),
                        decision: None,
                    })
                    .members
                    .push(alert);
            }
        }
    }
    let muted: BTreeMap<&Fingerprint, bool> = alerts
        .iter()
        .map(|(fp, a)| (*fp, !input.mutes(a, now).is_empty()))
        .collect();
    let mut out: Vec<GroupPlan<'a>> = groups.into_values().collect();
    for g in &mut out {
        let live: Vec<&'a Alert> = g
            .members
            .iter()
            .copied()
            .filter(|a| !muted.get(&a.fingerprint).copied().unwrap_or(false))
            .collect();
        let carried = g
            .record
            .map(|r| {
                g.members
                    .iter()
                    .filter(|a| muted.get(&a.fingerprint).copied().unwrap_or(false))
                    .filter_map(|a| r.alerts.get_key_value(&a.fingerprint))
                    .map(|(fp, told)| (fp.clone(), *told))
                    .collect()
            })
            .unwrap_or_default();
        g.decision =
            decide(g, &live, input.quiet_hours.get(g.receiver), now).map(|d| Decision { carried, ..d });
    }
    out
}

fn decide<'a>(
    g: &GroupPlan<'a>,
    live: &[&'a Alert],
    quiet: Option<&QuietHours>,
    now: DateTime<Utc>,
) -> Option<Decision<'a>> {
    let told: BTreeMap<&Fingerprint, u64> = g.record.map(|r| r.firing().collect()).unwrap_or_default();
    let firing: Vec<&'a Alert> = live.iter().copied().filter(|a| a.is_firing()).collect();
    let resolved: Vec<&'a Alert> = live
        .iter()
        .copied()
        .filter(|a| a.state == AlertState::Resolved && told.contains_key(&a.fingerprint))
        .collect();
    let changed_alerts: Vec<&'a Alert> = firing
        .iter()
        .copied()
        .filter(|a| told.get(&a.fingerprint) != Some(&a.version))
        .chain(resolved.iter().copied())
        .collect();
    let group_start = firing
        .iter()
        .map(|a| a.firing_since.unwrap_or(a.updated_at))
        .min()
        .unwrap_or(now);
    let s = &g.settings;
    let (reason, raw_at) = if !changed_alerts.is_empty() {
        if told.is_empty() {
            (Reason::New, group_start + s.group_wait)
        } else {
            let reason = if firing.is_empty() {
                Reason::Resolved
            } else {
                Reason::Update
            };
            let first_change = changed_alerts
                .iter()
                .map(|a| match a.state {
                    AlertState::Resolved => a.resolved_at.unwrap_or(a.updated_at),
                    _ => a.updated_at,
                })
                .min()
                .unwrap_or(now);
            let last_sent = g.record.map_or(now, |r| r.last_sent);
            (
                reason,
                (last_sent + s.group_interval).max(first_change + s.group_wait),
            )
        }
    } else if let (Some(r), false) = (g.record, firing.is_empty()) {
        (Reason::Reminder, r.last_sent + s.repeat_interval)
    } else {
        return None;
    };
    let (at, quiet_until) = match quiet {
        Some(q) if q.contains(raw_at.max(now)) => {
            let end = q.next_end(raw_at.max(now));
            (end, Some(end))
        }
        _ => (raw_at, None),
    };
    let mut changed: Vec<Fingerprint> = changed_alerts.iter().map(|a| a.fingerprint.clone()).collect();
    changed.sort();
    if reason == Reason::Reminder {
        changed.clear();
    }
    Some(Decision {
        reason,
        at,
        quiet_until,
        payload: firing.into_iter().chain(resolved).collect(),
        changed,
        group_start,
        carried: BTreeMap::new(),
    })
}

fn why(reason: Reason, g: &GroupPlan, changed: usize) -> String {
    let what = match reason {
        Reason::New => format!("{changed} new alert(s) in this group"),
        Reason::Update => format!("{changed} alert(s) new, changed or resolved since the last message"),
        Reason::Reminder => format!(
            "a reminder: still firing {} after the last message",
            duration::format(g.settings.repeat_interval)
        ),
        Reason::Resolved => "everything in this group has resolved".to_owned(),
    };
    let by = if g.route_path == SUBSCRIPTION_PATH {
        format!("a subscription of {} to {}", g.receiver, describe(&g.matchers))
    } else {
        format!("route {} matching {}", g.route_path, describe(&g.matchers))
    };
    let grouped: Vec<String> = g
        .group_labels
        .iter()
        .map(|(k, v)| Matcher::eq(k.clone(), v.clone()).to_string())
        .collect();
    let grouped = if grouped.is_empty() {
        "nothing".to_owned()
    } else {
        grouped.join(", ")
    };
    format!(
        "{reason}: {what}; sent to {} by {by}; grouped by {grouped}",
        g.receiver
    )
}
