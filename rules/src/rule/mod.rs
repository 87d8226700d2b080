//! Rule files: TOML documents of `[[rule]]` tables, each deciding when a window opens and closes.
//!
//! ```toml
//! [[rule]]
//! id = "pre-election"
//! description = "A national election is coming in an OGP member"
//! subject = "events"                      # events (one record per event) or members
//! kinds = ["legislative", "presidential"] # events only: the kinds the rule considers
//! when = 'member != null && member.status == "active"'   # CEL, see crate::condition
//! opens = "start - 180d"                  # ANCHOR ± DURATION
//! closes = "end"
//! closing = "14d"                         # the last 14 days are "closing"
//! priority = "high"                       # low, normal, high or urgent
//! labels = { theme = "political-transition" }
//! for = "0d"                              # the window opens this long after its start
//! keep_open_for = "0d"                    # and stays open this long after its end
//!
//! [[rule.overlay]]                        # raises the priority when its condition holds
//! when = 'member.status == "under-review"'
//! raise = 1
//! reason = "the member is under procedural review"
//! ```
//!
//! Loading checks everything and reports each problem at its file, line and column with the
//! line and a caret: TOML syntax, unknown or missing fields, bad values, CEL syntax, unknown CEL
//! variables and functions, duplicate ids across files.

pub mod bound;
mod load;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use bound::{Anchor, Bound, Offset};
pub use load::{RuleError, load_rules};

use crate::EventKind;
use crate::condition::Condition;

/// How urgent a window is; overlays raise it step by step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    /// `steps` higher, at most urgent.
    pub fn raised(self, steps: u8) -> Self {
        let all = [Self::Low, Self::Normal, Self::High, Self::Urgent];
        let i = all.iter().position(|p| *p == self).unwrap_or(0);
        all[(i + steps as usize).min(all.len() - 1)]
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one rule looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// Each calendar event of these kinds (all kinds when empty), with its jurisdiction and the
    /// jurisdiction's member, if any.
    Events { kinds: Vec<EventKind> },
    /// Each OGP member, with its jurisdiction.
    Members,
}

/// A condition that raises a window's priority.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub when: Condition,
    pub raise: u8,
    pub reason: String,
}

/// Where a rule was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub description: String,
    pub subject: Subject,
    pub when: Option<Condition>,
    pub opens: Bound,
    pub closes: Bound,
    pub closing: Offset,
    pub priority: Priority,
    pub labels: std::sync::Arc<BTreeMap<String, String>>,
    pub hold: Offset,
    pub keep_open_for: Offset,
    pub overlays: Vec<Overlay>,
    pub origin: Origin,
    /// The fixed parts of the sentence that explains this rule's windows, made once.
    pub(crate) reason_parts: std::sync::OnceLock<[String; 3]>,
}

impl Rule {
    /// "rule ID (DESCRIPTION): opens DAY (BOUND), closes DAY (BOUND)": the first reason of each
    /// of its windows. Evaluation writes tens of thousands, so the fixed parts are made once.
    pub(crate) fn reason(&self, opens: chrono::NaiveDate, closes: chrono::NaiveDate) -> String {
        let [head, middle, tail] = self.reason_parts.get_or_init(|| {
            [
                format!("rule {} ({}): opens ", self.id, self.description),
                format!(" ({}), closes ", self.opens),
                format!(" ({})", self.closes),
            ]
        });
        let mut out = String::with_capacity(head.len() + middle.len() + tail.len() + 20);
        out.push_str(head);
        push_day(&mut out, opens);
        out.push_str(middle);
        push_day(&mut out, closes);
        out.push_str(tail);
        out
    }
}

/// Writes `YYYY-MM-DD` without the formatting machinery.
fn push_day(out: &mut String, day: chrono::NaiveDate) {
    use chrono::Datelike;
    let (y, m, d) = (day.year(), day.month(), day.day());
    if !(0..=9999).contains(&y) {
        out.push_str(&day.to_string());
        return;
    }
    let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10];
    for n in digits {
        out.push(char::from(b'0' + n as u8));
    }
    for n in [m, d] {
        out.push('-');
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
}

/// Every rule in force, in a stable order (by id).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    pub fn new(mut rules: Vec<Rule>) -> Self {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Self { rules }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The rule files Vigie ships, used when the configuration names no rules directory.
pub const DEFAULT_RULES: &[(&str, &str)] = &[
    ("elections.toml", include_str!("../../defaults/elections.toml")),
    ("members.toml", include_str!("../../defaults/members.toml")),
];
