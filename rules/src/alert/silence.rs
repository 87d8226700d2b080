//! Silences: matchers and a time span during which matching alerts are not notified.
//!
//! As in Alertmanager, a silence mutes notifications, not alerts: the alerts keep their
//! lifecycle, and when the silence ends a still-firing alert is notified as new to its group.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::matcher::all_match;
use super::{Labels, Matcher};
use crate::ParseError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Silence {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub author: String,
    pub comment: String,
}

impl Silence {
    /// A checked silence from `starts_at` for `duration`, with an id (`s-` and ten hexadecimal
    /// digits) derived from what it is, so that re-submitting the same command makes the same id.
    pub fn new(
        matchers: Vec<Matcher>,
        starts_at: DateTime<Utc>,
        duration: TimeDelta,
        author: impl Into<String>,
        comment: impl Into<String>,
    ) -> Result<Self, ParseError> {
        let author = author.into();
        let mut hasher = Sha256::new();
        for m in &matchers {
            hasher.update(m.to_string().as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update(starts_at.to_rfc3339().as_bytes());
        hasher.update(author.as_bytes());
        let digest = hasher.finalize();
        let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        let silence = Self {
            id: format!("s-{hex}"),
            matchers,
            starts_at,
            ends_at: starts_at + duration,
            author,
            comment: comment.into(),
        };
        silence.check()?;
        Ok(silence)
    }

    /// Refuses a silence that would end before it starts, or that would catch every alert
    /// (no matcher, or only matchers an alert without the label satisfies, like `theme!="x"`).
    pub fn check(&self) -> Result<(), ParseError> {
        if self.ends_at <= self.starts_at {
            return Err(ParseError::new(
                "a silence must end after it starts; expected a duration longer than zero, such as 7d",
            ));
        }
        if self.matchers.iter().all(Matcher::matches_empty) {
            return Err(ParseError::new(
                "a silence must name what it silences; expected at least one matcher such as country=\"KE\" or window=\"w-3fa9c1d2e4b5\"",
            ));
        }
        Ok(())
    }

    /// In force at `now`: started, not yet ended.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.ends_at
    }

    /// Whether it mutes an alert with these labels at `now`.
    pub fn mutes(&self, labels: &Labels, now: DateTime<Utc>) -> bool {
        self.is_active(now) && all_match(&self.matchers, labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn silences_mute_matching_alerts_only_while_active() {
        let s = Silence::new(
            Matcher::parse_list("country=\"KE\"").unwrap(),
            at("2026-03-01T00:00:00Z"),
            TimeDelta::days(7),
            "@amina:example.org",
            "handled by the Nairobi office",
        )
        .unwrap();
        assert!(s.id.starts_with("s-") && s.id.len() == 12);
        let ke: Labels = [("country".to_owned(), "KE".to_owned())].into();
        let tz: Labels = [("country".to_owned(), "TZ".to_owned())].into();
        assert!(!s.mutes(&ke, at("2026-02-28T23:59:59Z")));
        assert!(s.mutes(&ke, at("2026-03-01T00:00:00Z")));
        assert!(!s.mutes(&tz, at("2026-03-02T00:00:00Z")));
        assert!(!s.mutes(&ke, at("2026-03-08T00:00:00Z")));
        assert!(s.is_expired(at("2026-03-08T00:00:00Z")));
    }

    #[test]
    fn silences_that_would_catch_everything_or_end_before_they_start_are_refused() {
        let now = at("2026-03-01T00:00:00Z");
        let all = Silence::new(
            Matcher::parse_list("theme!=\"x\"").unwrap(),
            now,
            TimeDelta::days(1),
            "a",
            "",
        );
        assert!(all.unwrap_err().to_string().contains("at least one matcher"));
        let none = Silence::new(vec![], now, TimeDelta::days(1), "a", "");
        assert!(none.is_err());
        let backwards = Silence::new(
            vec![Matcher::eq("country", "KE")],
            now,
            TimeDelta::zero(),
            "a",
            "",
        );
        assert!(backwards.unwrap_err().to_string().contains("end after it starts"));
    }
}
