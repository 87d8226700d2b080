//! Calendar events: elections of each kind, runoffs, referendums, inaugurations, cabinet
//! formations and OGP process deadlines.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{EventDate, JurisdictionCode};

macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $slug:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $slug),+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::ParseError> {
                let t = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                match t.as_str() {
                    $($slug $(| $alias)* => Ok(Self::$variant),)+
                    _ => Err($crate::ParseError::new(format!(
                        concat!("\"{}\" is not ", $what, "; expected {}"),
                        s.trim(),
                        Self::expected()
                    ))),
                }
            }

            fn expected() -> String {
                let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                match all.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                    _ => all.join(""),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> Self {
                v.as_str().to_owned()
            }
        }
    };
}
pub(crate) use slug_enum;

slug_enum!(
    /// What kind of event a calendar entry is.
    EventKind, "an event kind" {
        Legislative => "legislative" | "parliament" | "parliamentary" | "general",
        Presidential => "presidential",
        Regional => "regional",
        Local => "local" | "municipal",
        European => "european" | "ep",
        Runoff => "runoff" | "second-round",
        Referendum => "referendum",
        Inauguration => "inauguration",
        Cabinet => "cabinet" | "government-formation",
        OgpDeadline => "ogp-deadline",
        Other => "other" | "holiday",
    }
);

impl EventKind {
    /// Elections of any kind, runoffs and referendums included.
    pub fn is_election(self) -> bool {
        matches!(
            self,
            Self::Legislative
                | Self::Presidential
                | Self::Regional
                | Self::Local
                | Self::European
                | Self::Runoff
                | Self::Referendum
        )
    }
}

slug_enum!(
    /// Where an event stands.
    EventStatus, "an event status" {
        Announced => "announced",
        Scheduled => "scheduled",
        Postponed => "postponed",
        Held => "held",
        Cancelled => "cancelled" | "canceled",
    }
);

/// The stable identity of an event: the feed it comes from and the identifier the feed gives it
/// (an iCalendar UID with its recurrence, a CSV `id`, a ParlGov row id). A re-sync that finds the
/// same key updates the event instead of adding another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventKey {
    pub feed: String,
    pub uid: String,
}

impl fmt::Display for EventKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.feed, self.uid)
    }
}

/// One event as a feed describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// Unique within its feed and stable across syncs.
    pub uid: String,
    pub jurisdiction: JurisdictionCode,
    pub kind: EventKind,
    pub title: String,
    pub date: EventDate,
    pub status: EventStatus,
    /// For cabinets: a caretaker government rather than a fully formed one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub caretaker: bool,
    /// Legal basis, official source or URL the event comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Feed-specific facts worth keeping (ParlGov ids, the `early` flag, a recurrence id…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_their_slugs_and_aliases() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()).unwrap(), *k);
        }
        assert_eq!(EventKind::parse("Parliamentary").unwrap(), EventKind::Legislative);
        assert_eq!(EventKind::parse("second round").unwrap(), EventKind::Runoff);
        let err = EventKind::parse("coronation").unwrap_err().to_string();
        assert!(
            err.starts_with("\"coronation\" is not an event kind; expected legislative, presidential"),
            "{err}"
        );
        assert!(err.ends_with("ogp-deadline or other"), "{err}");
    }

    #[test]
    fn only_votes_count_as_elections() {
        assert!(EventKind::Referendum.is_election());
        assert!(EventKind::Runoff.is_election());
        assert!(!EventKind::Cabinet.is_election());
        assert!(!EventKind::Inauguration.is_election());
    }
}
