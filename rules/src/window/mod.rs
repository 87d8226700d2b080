//! Political opportunity windows: what the rules derive from events and members.
//!
//! A window has a stable identity (the same window across re-evaluations, even as its event's
//! date is refined or a predicted election is replaced by the announced one), dates, a state as
//! of the evaluation day, a priority and labels for routing, and the reasons it exists.

mod evaluate;
mod occurrence;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use evaluate::{Evaluation, FactEvent, Facts, RecordError, evaluate, evaluate_jurisdiction};
pub use occurrence::{Occurrence, occurrences};

use crate::rule::Priority;
use crate::{EventKey, EventKind, JurisdictionCode, Region};

/// A window's identity: `w-` and twelve hexadecimal digits of a hash of what the window is about
/// (its rule, jurisdiction and the occurrence or member cycle), never of its dates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WindowId(String);

impl WindowId {
    /// The identity of the window that `rule` derives about `about` (a stable description).
    pub fn new(rule: &str, about: &str) -> Self {
        Self::from_parts(rule, &[about])
    }

    /// The same identity as [`WindowId::new`] with `about` given in parts joined by `|`, without
    /// building the joined text: evaluation makes tens of thousands of these.
    pub fn from_parts(rule: &str, about: &[&str]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hasher = Sha256::new();
        hasher.update(rule.as_bytes());
        hasher.update([0x1f]);
        for (i, part) in about.iter().enumerate() {
            if i > 0 {
                hasher.update(b"|");
            }
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut id = String::with_capacity(14);
        id.push_str("w-");
        for b in digest.iter().take(6) {
            id.push(HEX[usize::from(b >> 4)] as char);
            id.push(HEX[usize::from(b & 0xf)] as char);
        }
        Self(id)
    }

    /// Reads an identity typed by a person (`w-3fa9c1d2e4b5`, or without the `w-`).
    pub fn parse(s: &str) -> Result<Self, crate::ParseError> {
        let t = s.trim().to_ascii_lowercase();
        let hex = t.strip_prefix("w-").unwrap_or(&t);
        if hex.len() == 12 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(format!("w-{hex}")))
        } else {
            Err(crate::ParseError::new(format!(
                "\"{}\" is not a window id; expected w- and twelve hexadecimal digits, such as w-3fa9c1d2e4b5",
                s.trim()
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WindowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a window stands on the evaluation day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WindowState {
    /// Its first day is still ahead.
    Upcoming,
    Open,
    /// Open, in its last days.
    Closing,
    Closed,
    /// The event behind it was cancelled.
    Cancelled,
    /// The event behind it was postponed: the window follows the new dates once known.
    Moved,
}

impl WindowState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Closing => "closing",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
            Self::Moved => "moved",
        }
    }

    /// Open or closing: a window people should act on now.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::Closing)
    }
}

impl fmt::Display for WindowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A political opportunity window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub id: WindowId,
    pub rule: String,
    pub jurisdiction: JurisdictionCode,
    pub region: Region,
    /// What the window is about, for people: "Netherlands parliamentary election".
    pub title: String,
    pub opens: NaiveDate,
    /// From this day the window is closing.
    pub closing_from: NaiveDate,
    pub closes: NaiveDate,
    /// Whether a date behind the window is an estimate (a month- or year-precise election, a
    /// predicted one, an unknown government formation).
    pub estimated: bool,
    pub priority: Priority,
    /// The kind of event behind the window (none for a window about a member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EventKind>,
    /// The rule's own labels (`theme`…), shared by all its windows; [`Window::labels`] adds the
    /// standard ones.
    pub labels: Arc<BTreeMap<String, String>>,
    /// Why the window exists, one sentence each: the rule, then each overlay that applied.
    pub reasons: Vec<String>,
    /// The events behind the window.
    pub events: Vec<EventKey>,
    pub state: WindowState,
}

impl Window {
    /// Every routing label: `country`, `jurisdiction`, `region`, `rule`, `priority`, `kind` (for
    /// windows about events) and the rule's own (`theme`…).
    pub fn labels(&self) -> BTreeMap<String, String> {
        let mut all = (*self.labels).clone();
        all.insert("country".to_owned(), self.jurisdiction.country().to_string());
        all.insert("jurisdiction".to_owned(), self.jurisdiction.to_string());
        all.insert("region".to_owned(), self.region.slug().to_owned());
        all.insert("rule".to_owned(), self.rule.clone());
        all.insert("priority".to_owned(), self.priority.to_string());
        if let Some(kind) = self.kind {
            all.insert("kind".to_owned(), kind.to_string());
        }
        all
    }

    /// The state on `day` from the window's dates (cancelled and moved windows keep theirs).
    pub fn state_on(&self, day: NaiveDate) -> WindowState {
        match self.state {
            WindowState::Cancelled | WindowState::Moved => self.state,
            _ => state_from_dates(self.opens, self.closing_from, self.closes, day),
        }
    }
}

pub(crate) fn state_from_dates(
    opens: NaiveDate,
    closing_from: NaiveDate,
    closes: NaiveDate,
    day: NaiveDate,
) -> WindowState {
    if day < opens {
        WindowState::Upcoming
    } else if day > closes {
        WindowState::Closed
    } else if day >= closing_from {
        WindowState::Closing
    } else {
        WindowState::Open
    }
}
