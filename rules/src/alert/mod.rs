//! Alert decisions, after Prometheus Alertmanager, for rooms of people on a slow political calendar.
//!
//! Windows and member-status changes become [`Alert`]s with a lifecycle ([`lifecycle::step`]:
//! pending → firing → resolved, or stale while a feed behind them is failing). A routing tree
//! ([`route::Route`], with subscriptions as extra leaves) sends each alert to rooms and people, in
//! groups; silences, inhibition and quiet hours mute or delay them; [`notify::due`] decides which
//! group notifications are due now and when the next one will be; [`escalation::escalations`]
//! decides when an unclaimed window is brought to a chair or a wider room.
//!
//! Everything here is pure: time is passed in, and each decision is returned as data (changes,
//! notifications, escalations, each with the record to store once performed). No I/O crate.

pub mod digest;
pub mod duration;
pub mod escalation;
pub mod explain;
pub mod inhibit;
pub mod lifecycle;
pub mod matcher;
pub mod notify;
pub mod quiet;
pub mod route;
pub mod silence;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use escalation::{Escalation, EscalationLevel, EscalationPolicy, EscalationRecord, escalations};
pub use explain::{Explanation, Mute, Verdict, explain};
pub use inhibit::{InhibitRule, inhibited};
pub use lifecycle::{AlertChange, AlertInputs, MemberChange, apply, step};
pub use matcher::{MatchOp, Matcher};
pub use notify::{GroupKey, Notification, NotifyInput, Reason, SentRecord, due};
pub use quiet::QuietHours;
pub use route::{Matched, Route, RouteSettings, Subscription, route, route_all};
pub use silence::Silence;

use crate::ParseError;

/// An alert's labels, by name: what routes, groups, silences and inhibitions look at.
pub type Labels = BTreeMap<String, String>;

/// The `alertname` of alerts about windows.
pub const WINDOW_ALERT: &str = "window";
/// The `alertname` of alerts about a member's status.
pub const MEMBER_ALERT: &str = "member-status";

/// Labels whose name starts with this are Vigie's bookkeeping (the feeds behind a window): they
/// are kept with the alert but are not something people see, so changing them bumps no version.
pub const INTERNAL_PREFIX: &str = "__";

/// An alert's identity: sixteen hexadecimal digits of a SHA-256 of the labels that identify it
/// (for a window, `alertname` and the window id), so it is the same across restarts and across
/// changes of its dates, priority or other labels.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// The fingerprint of exactly these labels, in name order.
    pub fn of(labels: &Labels) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hasher = Sha256::new();
        for (name, value) in labels {
            hasher.update(name.as_bytes());
            hasher.update([0x1f]);
            hasher.update(value.as_bytes());
            hasher.update([0x1e]);
        }
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(16);
        for b in digest.iter().take(8) {
            hex.push(HEX[usize::from(b >> 4)] as char);
            hex.push(HEX[usize::from(b & 0xf)] as char);
        }
        Self(hex)
    }

    /// Reads a fingerprint typed by a person: sixteen hexadecimal digits.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let t = s.trim().to_ascii_lowercase();
        if t.len() == 16 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(t))
        } else {
            Err(ParseError::new(format!(
                "\"{}\" is not an alert fingerprint; expected sixteen hexadecimal digits, such as 3fa9c1d2e4b5a697",
                s.trim()
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Fingerprint {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A fingerprint as stored: trusted, not checked again.
impl From<String> for Fingerprint {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    /// Known, not yet acted on: an upcoming window, or an open one waiting out its rule's `for`.
    Pending,
    Firing,
    Resolved,
    /// A feed behind it is failing: it keeps its last state (firing when `firing_since` is set)
    /// for routing and is never resolved on stale data.
    Stale,
}

impl AlertState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Firing => "firing",
            Self::Resolved => "resolved",
            Self::Stale => "stale",
        }
    }

    /// Reads a slug as [`AlertState::as_str`] writes it.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pending" => Ok(Self::Pending),
            "firing" => Ok(Self::Firing),
            "resolved" => Ok(Self::Resolved),
            "stale" => Ok(Self::Stale),
            _ => Err(ParseError::new(format!(
                "\"{}\" is not an alert state; expected pending, firing, resolved or stale",
                s.trim()
            ))),
        }
    }
}

impl FromStr for AlertState {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for AlertState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlertSource {
    Window,
    MemberStatus,
}

/// Something people should hear about: a window, or a member's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub fingerprint: Fingerprint,
    /// The window's labels (`country`, `jurisdiction`, `region`, `rule`, `priority`, `kind`,
    /// `theme`…) plus `alertname`, `phase` and `window`; or, for a member, `alertname`, `member`,
    /// `country`, `jurisdiction`, `region`, `level` and `status`.
    pub labels: Labels,
    /// One line for people.
    pub summary: String,
    pub state: AlertState,
    /// When it became pending.
    pub active_since: DateTime<Utc>,
    pub firing_since: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The last change of anything people see (summary, labels, state).
    pub updated_at: DateTime<Utc>,
    /// Bumped at each change people see, so that a group can tell an update from a repeat.
    pub version: u64,
    /// The window's id when the alert is about a window.
    pub window: Option<String>,
}

impl Alert {
    pub fn source(&self) -> AlertSource {
        if self.labels.get("alertname").map(String::as_str) == Some(MEMBER_ALERT) {
            AlertSource::MemberStatus
        } else {
            AlertSource::Window
        }
    }

    /// Whether it counts as firing for routing and inhibition: firing, or stale after firing.
    pub fn is_firing(&self) -> bool {
        match self.state {
            AlertState::Firing => true,
            AlertState::Stale => self.firing_since.is_some() && self.resolved_at.is_none(),
            AlertState::Pending | AlertState::Resolved => false,
        }
    }

    /// The state people would see if no feed were failing: a stale alert's last state.
    pub fn visible_state(&self) -> AlertState {
        match self.state {
            AlertState::Stale if self.is_firing() => AlertState::Firing,
            AlertState::Stale => AlertState::Pending,
            s => s,
        }
    }

    /// The labels people see (without Vigie's bookkeeping ones).
    pub fn visible_labels(&self) -> impl Iterator<Item = (&String, &String)> {
        self.labels
            .iter()
            .filter(|(k, _)| !k.starts_with(INTERNAL_PREFIX))
    }
}
