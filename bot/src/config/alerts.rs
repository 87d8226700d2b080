//! The `[alerts]` section: who hears about which windows, when, and what keeps them quiet.
//!
//! The routing tree, inhibition rules and quiet hours are `vigie_rules::alert` types read as they
//! are; escalation and digests have a form of their own here so that every key may be left out.
//! Everything is checked at load time, each error located at its key: receivers must be rooms or
//! people Vigie can reach, regions OGP regions, cron lines valid in their time zone.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde::Deserialize;
use vigie_rules::alert::digest::{CatchUp, Schedule};
use vigie_rules::alert::{EscalationPolicy, InhibitRule, Matcher, QuietHours, Route, duration};

use super::qualified_user;

/// `[alerts]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// Whether `vigie run` sends alerts at all (`VIGIE_ALERTS__ENABLED=false` turns them off).
    pub enabled: bool,
    /// The routing tree; without receivers anywhere, only rooms' subscriptions receive alerts.
    pub route: Route,
    /// The inhibition rules; when left out, a suspended or under-review member mutes its windows.
    pub inhibit: Option<Vec<InhibitRule>>,
    /// Quiet hours by receiver: notifications for that room wait until they end.
    pub quiet_hours: BTreeMap<String, QuietHours>,
    pub escalation: EscalationConfig,
    pub digests: Vec<DigestConfig>,
    /// How long a window stays open before its alert fires.
    #[serde(with = "duration::text")]
    pub pending_for: TimeDelta,
    /// Where messages that could not be delivered are reported (each once); without any, they
    /// are only logged.
    pub admin_receivers: Vec<String>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            route: Route::default(),
            inhibit: None,
            quiet_hours: BTreeMap::new(),
            escalation: EscalationConfig::default(),
            digests: Vec::new(),
            pending_for: TimeDelta::zero(),
            admin_receivers: Vec::new(),
        }
    }
}

impl AlertsConfig {
    /// The inhibition rules in force.
    pub fn inhibit_rules(&self) -> Vec<InhibitRule> {
        self.inhibit.clone().unwrap_or_else(InhibitRule::defaults)
    }

    /// The escalation policy, with defaults for what is left out and chairs keyed by region slug
    /// and written as platform-qualified users.
    pub fn escalation_policy(&self) -> EscalationPolicy {
        let d = EscalationPolicy::default();
        let e = &self.escalation;
        EscalationPolicy {
            after: e.after.unwrap_or(d.after),
            chairs: e
                .chairs
                .iter()
                .map(|(region, user)| {
                    let region = vigie_rules::Region::parse(region)
                        .map(|r| r.slug().to_owned())
                        .unwrap_or_else(|_| region.clone());
                    (region, qualified_user(user).unwrap_or_else(|| user.clone()))
                })
                .collect(),
            wider_after: e.wider_after.unwrap_or(d.wider_after),
            wider_room: e.wider_room.clone(),
        }
    }

    /// The digest schedules (those that do not parse were refused at load time).
    pub fn schedules(&self) -> Vec<(Schedule, &DigestConfig)> {
        self.digests
            .iter()
            .filter_map(|d| d.schedule().ok().map(|s| (s, d)))
            .collect()
    }
}

/// `[alerts.escalation]`: when nobody claims a firing window.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EscalationConfig {
    /// How long a window may stay unclaimed before its region's chair is mentioned (7d).
    #[serde(with = "duration::option_text")]
    pub after: Option<TimeDelta>,
    /// The chair of each region: `europe = "@chair:example.org"`.
    pub chairs: BTreeMap<String, String>,
    /// How long after that it goes to the wider room (7d).
    #[serde(with = "duration::option_text")]
    pub wider_after: Option<TimeDelta>,
    pub wider_room: Option<String>,
}

/// One `[[alerts.digests]]` schedule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    pub name: String,
    /// Five cron fields (minute hour day month weekday), read on the wall clock of `tz`.
    pub cron: String,
    #[serde(default = "utc")]
    pub tz: String,
    pub receivers: Vec<String>,
    /// `"skip"`, `"run-once"` (the default) or `{ run-all = { max = 3 } }`: what to send for runs
    /// missed while Vigie was down.
    #[serde(default)]
    pub catch_up: CatchUp,
    /// Only windows matching these; without any, the windows routed to each receiver.
    #[serde(default)]
    pub matchers: Vec<Matcher>,
}

fn utc() -> String {
    "UTC".to_owned()
}

impl DigestConfig {
    pub fn schedule(&self) -> Result<Schedule, String> {
        Schedule::parse(
            &self.name,
            &self.cron,
            &self.tz,
            self.receivers.clone(),
            self.catch_up,
        )
        .map_err(|e| e.to_string())
    }

    /// What the stored schedule is compared with: a change of any of it restarts the schedule.
    pub fn spec(&self) -> String {
        format!("{} | {} | {:?}", self.cron.trim(), self.tz.trim(), self.catch_up)
    }
}

/// Whether Vigie can send to `receiver`: `console`, a Matrix room (`matrix:!id:server`) or
/// person (`matrix:@name:server`), or a Discord channel (`discord:123…`).
pub fn is_receiver(receiver: &str) -> bool {
    let r = receiver.trim();
    if r != receiver || r.is_empty() || r.contains(char::is_whitespace) {
        return false;
    }
    if r == "console" {
        return true;
    }
    if let Some(id) = r.strip_prefix("matrix:") {
        if let Some(room) = id.strip_prefix('!') {
            // Rooms of version 12 and later have no server part: `!opaque`.
            return !room.is_empty() && !room.starts_with(':') && !room.ends_with(':');
        }
        return id.strip_prefix('@').is_some_and(|user| {
            user.split_once(':')
                .is_some_and(|(local, server)| !local.is_empty() && !server.is_empty())
        });
    }
    if let Some(id) = r.strip_prefix("discord:") {
        return !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    }
    false
}

const RECEIVER: &str = "expected console, a Matrix room such as matrix:!abc:example.org or a person such as matrix:@alice:example.org";

impl super::Loader<'_> {
    pub(super) fn check_alerts(&mut self, alerts: &AlertsConfig) {
        if let Err(e) = alerts.route.check() {
            let message = e.to_string();
            // The message starts with the route's path of keys: locate it there.
            let (key, rest) = message
                .split_once(' ')
                .map_or(("route".to_owned(), message.as_str()), |(k, r)| (k.to_owned(), r));
            self.error_at(&format!("alerts.{key}"), rest);
        }
        self.check_route_receivers(&alerts.route, "alerts.route");
        for receiver in alerts.quiet_hours.keys() {
            if !is_receiver(receiver) {
                self.error_at(
                    "alerts.quiet_hours",
                    format!("\"{receiver}\" is not a receiver; {RECEIVER}"),
                );
            }
        }
        for receiver in &alerts.admin_receivers {
            if !is_receiver(receiver) {
                self.error_at(
                    "alerts.admin_receivers",
                    format!("\"{receiver}\" is not a receiver; {RECEIVER}"),
                );
            }
        }
        let e = &alerts.escalation;
        for (key, value) in [("after", e.after), ("wider_after", e.wider_after)] {
            if value.is_some_and(|d| d <= TimeDelta::zero()) {
                self.error_at(
                    &format!("alerts.escalation.{key}"),
                    "must be longer than zero; expected a duration such as 7d",
                );
            }
        }
        for (region, chair) in &e.chairs {
            if vigie_rules::Region::parse(region).is_err() {
                self.error_at(
                    &format!("alerts.escalation.chairs.{region}"),
                    "is not an OGP region; expected africa-middle-east, americas, asia-pacific or europe",
                );
            } else if !qualified_user(chair)
                .is_some_and(|u| u.starts_with("matrix:") || u.starts_with("discord:"))
            {
                self.error_at(
                    &format!("alerts.escalation.chairs.{region}"),
                    format!("\"{chair}\" is not a user id; expected @name:server (Matrix) or discord:ID"),
                );
            }
        }
        if let Some(room) = &e.wider_room
            && !is_receiver(room)
        {
            self.error_at(
                "alerts.escalation.wider_room",
                format!("\"{room}\" is not a receiver; {RECEIVER}"),
            );
        }
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, d) in alerts.digests.iter().enumerate() {
            let at = |k: &str| format!("alerts.digests[{i}].{k}");
            if let Some(first) = names.insert(d.name.trim(), i) {
                self.error_at(
                    &at("name"),
                    format!(
                        "\"{}\" is already the name of alerts.digests[{first}]; expected unique names",
                        d.name
                    ),
                );
            }
            if let Err(message) = d.schedule() {
                let key = if message.contains("time zone") {
                    "tz"
                } else if message.contains("name") {
                    "name"
                } else if message.contains("catch-up") {
                    "catch_up"
                } else {
                    "cron"
                };
                self.error_at(&at(key), message);
            }
            if d.receivers.is_empty() {
                self.error_at(&at("receivers"), format!("is empty; {RECEIVER}"));
            }
            for receiver in &d.receivers {
                if !is_receiver(receiver) {
                    self.error_at(
                        &at("receivers"),
                        format!("\"{receiver}\" is not a receiver; {RECEIVER}"),
                    );
                }
            }
        }
    }

    fn check_route_receivers(&mut self, route: &Route, key: &str) {
        for receiver in &route.receivers {
            if !is_receiver(receiver) {
                self.error_at(
                    &format!("{key}.receivers"),
                    format!("\"{receiver}\" is not a receiver; {RECEIVER}"),
                );
            }
        }
        for (i, child) in route.routes.iter().enumerate() {
            self.check_route_receivers(child, &format!("{key}.routes[{i}]"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_receiver;

    #[test]
    fn receivers_are_rooms_people_or_the_console() {
        for ok in [
            "console",
            "matrix:!abc:example.org",
            "matrix:!GbbSjE3REzDMHtGLVbQ4Fsnr05565qfJ4UViX76JDwU",
            "matrix:@alice:example.org",
            "discord:123456789012345678",
        ] {
            assert!(is_receiver(ok), "{ok}");
        }
        for bad in [
            "",
            "!abc:example.org",
            "matrix:abc",
            "matrix:@abc",
            " console",
            "discord:x",
        ] {
            assert!(!is_receiver(bad), "{bad}");
        }
    }
}
