//! Inhibition: a firing alert mutes other alerts that it makes moot, as Alertmanager's
//! `inhibit_rules` do. By default a suspended or under-review member mutes the alerts about its
//! own windows: peers should not be told to seize an opportunity in a country whose membership is
//! on hold.

use serde::{Deserialize, Serialize};

use super::matcher::{all_match, describe};
use super::{Alert, MEMBER_ALERT, Matcher, WINDOW_ALERT};

/// A firing alert matching `source` mutes every other alert matching `target` that has the same
/// values for the `equal` labels (a label missing on both sides counts as equal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InhibitRule {
    pub source: Vec<Matcher>,
    pub target: Vec<Matcher>,
    #[serde(default)]
    pub equal: Vec<String>,
}

impl InhibitRule {
    /// A suspended or under-review member mutes its other windows: a national member those of
    /// its whole country (equal `country`), a local member only its own (equal `jurisdiction`),
    /// so that Madrid's review does not mute Spain's general election.
    pub fn defaults() -> Vec<InhibitRule> {
        let rule = |level: &str, equal: &str| InhibitRule {
            source: vec![
                Matcher::eq("alertname", MEMBER_ALERT),
                Matcher::new("status", super::MatchOp::Re, "suspended|under-review").expect("a valid regex"),
                Matcher::eq("level", level),
            ],
            target: vec![Matcher::eq("alertname", WINDOW_ALERT)],
            equal: vec![equal.to_owned()],
        };
        vec![rule("national", "country"), rule("local", "jurisdiction")]
    }

    /// Whether `source` (firing) mutes `target` under this rule.
    pub fn applies(&self, source: &Alert, target: &Alert) -> bool {
        source.fingerprint != target.fingerprint
            && source.is_firing()
            && all_match(&self.source, &source.labels)
            && all_match(&self.target, &target.labels)
            && self.equal.iter().all(|l| {
                source.labels.get(l).map_or("", String::as_str)
                    == target.labels.get(l).map_or("", String::as_str)
            })
    }
}

/// The first firing alert and rule that mute `target`, if any.
pub fn inhibited_by<'a>(
    target: &Alert,
    firing: &'a [Alert],
    rules: &'a [InhibitRule],
) -> Option<(&'a Alert, &'a InhibitRule)> {
    rules
        .iter()
        .find_map(|rule| firing.iter().find(|s| rule.applies(s, target)).map(|s| (s, rule)))
}

/// Why `target` is muted by one of `firing` (alerts that do not fire are ignored), in one
/// sentence: "inhibited by …".
pub fn inhibited(target: &Alert, firing: &[Alert], rules: &[InhibitRule]) -> Option<String> {
    inhibited_by(target, firing, rules).map(|(source, rule)| {
        let equal = if rule.equal.is_empty() {
            String::new()
        } else {
            format!(" with the same {}", rule.equal.join(", "))
        };
        format!(
            "inhibited by \"{}\" ({}), which matches {}{equal}",
            source.summary,
            source.fingerprint,
            describe(&rule.source)
        )
    })
}
