//! Escalation when nobody claims a window: after `after` the region's chair is mentioned where the
//! alert is sent; `wider_after` later it is posted to a wider room. Each step happens at most
//! once per firing episode, as its [`EscalationRecord`] says.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Alert, Fingerprint, duration};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// How long a firing window may stay unclaimed before the region's chair is mentioned.
    #[serde(with = "duration::text")]
    pub after: TimeDelta,
    /// The chair to mention, by region slug.
    #[serde(default)]
    pub chairs: BTreeMap<String, String>,
    /// How long after the chair (or the time the chair would have been mentioned) the alert goes
    /// to the wider room.
    #[serde(with = "duration::text")]
    pub wider_after: TimeDelta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wider_room: Option<String>,
}

impl Default for EscalationPolicy {
    /// A week unclaimed, then another week; no chairs or wider room until configured.
    fn default() -> Self {
        Self {
            after: TimeDelta::days(7),
            chairs: BTreeMap::new(),
            wider_after: TimeDelta::days(7),
            wider_room: None,
        }
    }
}

/// The escalation steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EscalationLevel {
    /// Mention the region's chair in the alert's own rooms.
    Chair,
    /// Post to the wider room.
    WiderRoom,
}

impl EscalationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Chair => "chair",
            Self::WiderRoom => "wider-room",
        }
    }

    /// Reads a slug as [`EscalationLevel::as_str`] writes it.
    pub fn parse(s: &str) -> Result<Self, crate::ParseError> {
        [Self::Chair, Self::WiderRoom]
            .into_iter()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| {
                crate::ParseError::new(format!(
                    "\"{}\" is not an escalation level; expected chair or wider-room",
                    s.trim()
                ))
            })
    }
}

impl fmt::Display for EscalationLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An escalation step that was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRecord {
    pub fingerprint: Fingerprint,
    pub level: EscalationLevel,
    pub at: DateTime<Utc>,
}

/// An escalation step to take now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub alert: Alert,
    pub level: EscalationLevel,
    /// The chair, for [`EscalationLevel::Chair`]; the caller posts in the alert's rooms.
    pub mention: Vec<String>,
    /// The wider room, for [`EscalationLevel::WiderRoom`].
    pub room: Option<String>,
    /// In English, for logs: how long it has been unclaimed.
    pub why: String,
    /// The record to store once the message is queued.
    pub record: EscalationRecord,
}

/// The escalation steps due at `now` for firing window alerts whose window `claimed` says
/// nobody took (the caller counts a claimed, done or snoozed window as taken).
pub fn escalations(
    alerts: &[Alert],
    claimed: &dyn Fn(&str) -> bool,
    already: &[EscalationRecord],
    policy: &EscalationPolicy,
    now: DateTime<Utc>,
) -> Vec<Escalation> {
    let mut out = Vec::new();
    for (alert, step) in steps(alerts, claimed, already, policy) {
        if step.at > now {
            continue;
        }
        let since = alert.firing_since.unwrap_or(alert.updated_at);
        let days = (now - since).num_days();
        let (mention, room, whom) = match step.level {
            EscalationLevel::Chair => {
                let chair = step.target.clone();
                (
                    vec![chair.clone()],
                    None,
                    format!("mentioning the region's chair {chair}"),
                )
            }
            EscalationLevel::WiderRoom => {
                let room = step.target.clone();
                (Vec::new(), Some(room.clone()), format!("posting to {room}"))
            }
        };
        out.push(Escalation {
            why: format!("unclaimed for {days} day(s) since it fired; {whom}"),
            record: EscalationRecord {
                fingerprint: alert.fingerprint.clone(),
                level: step.level,
                at: now,
            },
            alert: alert.clone(),
            level: step.level,
            mention,
            room,
        });
    }
    out
}

/// When the next escalation step becomes due after `now`, if any.
pub fn next_escalation(
    alerts: &[Alert],
    claimed: &dyn Fn(&str) -> bool,
    already: &[EscalationRecord],
    policy: &EscalationPolicy,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    steps(alerts, claimed, already, policy)
        .into_iter()
        .map(|(_, s)| s.at)
        .filter(|at| *at > now)
        .min()
}

struct Step {
    level: EscalationLevel,
    at: DateTime<Utc>,
    target: String,
}

/// The steps not yet taken in each unclaimed firing window's current episode, with their times.
fn steps<'a>(
    alerts: &'a [Alert],
    claimed: &dyn Fn(&str) -> bool,
    already: &[EscalationRecord],
    policy: &EscalationPolicy,
) -> Vec<(&'a Alert, Step)> {
    let mut out = Vec::new();
    for alert in alerts {
        let (Some(window), Some(since)) = (&alert.window, alert.firing_since) else {
            continue;
        };
        if !alert.is_firing() || claimed(window) {
            continue;
        }
        // A record from an earlier episode (before the alert resolved and fired again) is not
        // this episode's.
        let taken = |level| {
            already
                .iter()
                .find(|r| r.fingerprint == alert.fingerprint && r.level == level && r.at >= since)
        };
        let chair_at = since + policy.after;
        let chair_taken = taken(EscalationLevel::Chair);
        let chair = alert.labels.get("region").and_then(|r| policy.chairs.get(r));
        if let (None, Some(chair)) = (chair_taken, chair) {
            out.push((
                alert,
                Step {
                    level: EscalationLevel::Chair,
                    at: chair_at,
                    target: chair.clone(),
                },
            ));
        }
        if let (None, Some(room)) = (taken(EscalationLevel::WiderRoom), &policy.wider_room) {
            let from = chair_taken.map_or(chair_at, |r| r.at.max(chair_at));
            let at = from + policy.wider_after;
            // Without a chair to wait for, the wider room comes after both delays; with one,
            // never before the chair was actually mentioned.
            if chair.is_none() || chair_taken.is_some() {
                out.push((
                    alert,
                    Step {
                        level: EscalationLevel::WiderRoom,
                        at,
                        target: room.clone(),
                    },
                ));
            }
        }
    }
    out
}
