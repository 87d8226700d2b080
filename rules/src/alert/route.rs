//! The routing tree, with Alertmanager's semantics: an alert walks down from the root; at each
//! route the children are tried in order, the first that matches takes the alert (unless it says
//! `continue`, in which case the next ones are tried too), and when no child matches the route
//! itself delivers it. Receivers and grouping settings are inherited from the parent when a route
//! leaves them out; the root inherits defaults made for a slow calendar.
//!
//! Rooms' subscriptions (`subscribe country:KE`) act as extra leaves beside the tree: a room that
//! follows a country hears about its alerts even when no configured route sends them there.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::matcher::all_match;
use super::{INTERNAL_PREFIX, Labels, Matcher, duration};
use crate::{ParseError, Region};

/// `group_by = ["..."]` groups by every label: each alert is its own group.
pub const GROUP_BY_ALL: &str = "...";

/// The route path of subscriptions' leaves.
pub const SUBSCRIPTION_PATH: &str = "subscriptions";

/// One node of the routing tree, as written in the `[alerts]` section of `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Room ids (`matrix:!x:server`) or people (`matrix:@a:server`); inherited when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receivers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<Matcher>,
    /// Whether the next siblings are tried after this route matched.
    #[serde(default, rename = "continue", skip_serializing_if = "std::ops::Not::not")]
    pub continue_: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<Vec<String>>,
    #[serde(
        default,
        with = "duration::option_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_wait: Option<TimeDelta>,
    #[serde(
        default,
        with = "duration::option_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_interval: Option<TimeDelta>,
    #[serde(
        default,
        with = "duration::option_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub repeat_interval: Option<TimeDelta>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
}

impl Route {
    /// Checks the settings a deserialiser cannot: every interval longer than zero (a zero wait is
    /// allowed), no empty label in `group_by`. The error names the route by its path of keys.
    pub fn check(&self) -> Result<(), ParseError> {
        self.check_at("route")
    }

    fn check_at(&self, at: &str) -> Result<(), ParseError> {
        for (name, value) in [
            ("group_interval", self.group_interval),
            ("repeat_interval", self.repeat_interval),
        ] {
            if value.is_some_and(|d| d <= TimeDelta::zero()) {
                return Err(ParseError::new(format!(
                    "{at}.{name} must be longer than zero; expected a duration such as 1h or 7d"
                )));
            }
        }
        if self.group_wait.is_some_and(|d| d < TimeDelta::zero()) {
            return Err(ParseError::new(format!(
                "{at}.group_wait must not be negative; expected a duration such as 1m"
            )));
        }
        if let Some(by) = &self.group_by
            && by.iter().any(|l| l.trim().is_empty())
        {
            return Err(ParseError::new(format!(
                "{at}.group_by has an empty label name; expected label names such as [\"region\"]"
            )));
        }
        for (i, child) in self.routes.iter().enumerate() {
            child.check_at(&format!("{at}.routes[{i}]"))?;
        }
        Ok(())
    }
}

/// A route's grouping settings once inheritance is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteSettings {
    pub group_by: Vec<String>,
    /// How long a new group waits for more alerts before its first notification.
    #[serde(with = "duration::text")]
    pub group_wait: TimeDelta,
    /// How long a group waits after a notification before telling what changed.
    #[serde(with = "duration::text")]
    pub group_interval: TimeDelta,
    /// How long a group that still fires waits before a reminder.
    #[serde(with = "duration::text")]
    pub repeat_interval: TimeDelta,
}

impl Default for RouteSettings {
    /// For a calendar that moves in days: one message per region, a minute to gather what one
    /// sync found, changes at most hourly, a reminder weekly.
    fn default() -> Self {
        Self {
            group_by: vec!["region".to_owned()],
            group_wait: TimeDelta::minutes(1),
            group_interval: TimeDelta::hours(1),
            repeat_interval: TimeDelta::days(7),
        }
    }
}

impl RouteSettings {
    /// These settings, overridden by what `route` states.
    pub fn inherit(&self, route: &Route) -> Self {
        Self {
            group_by: route.group_by.clone().unwrap_or_else(|| self.group_by.clone()),
            group_wait: route.group_wait.unwrap_or(self.group_wait),
            group_interval: route.group_interval.unwrap_or(self.group_interval),
            repeat_interval: route.repeat_interval.unwrap_or(self.repeat_interval),
        }
    }

    /// The labels an alert is grouped by under these settings (missing ones read as "").
    pub fn group_labels(&self, labels: &Labels) -> Labels {
        if self.group_by.iter().any(|l| l == GROUP_BY_ALL) {
            return labels
                .iter()
                .filter(|(k, _)| !k.starts_with(INTERNAL_PREFIX))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
        }
        self.group_by
            .iter()
            .map(|l| (l.clone(), labels.get(l).cloned().unwrap_or_default()))
            .collect()
    }
}

/// A route that takes an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched<'a> {
    /// `0` for the root, `0.2.1` for the second child of its third child; [`SUBSCRIPTION_PATH`]
    /// for a subscription. Stable while the configuration is.
    pub route_path: String,
    pub receivers: &'a [String],
    pub settings: RouteSettings,
    /// Every matcher on the way from the root (or the subscriptions that matched): why the
    /// alert was sent there.
    pub matchers: Vec<Matcher>,
}

/// The routes of the tree that take an alert with these labels.
pub fn route<'a>(root: &'a Route, labels: &Labels) -> Vec<Matched<'a>> {
    let mut out = Vec::new();
    if all_match(&root.matchers, labels) {
        let settings = RouteSettings::default().inherit(root);
        walk(
            root,
            "0".to_owned(),
            &root.receivers,
            &settings,
            root.matchers.clone(),
            labels,
            &mut out,
        );
    }
    out
}

fn walk<'a>(
    node: &'a Route,
    path: String,
    receivers: &'a [String],
    settings: &RouteSettings,
    matchers: Vec<Matcher>,
    labels: &Labels,
    out: &mut Vec<Matched<'a>>,
) {
    let mut taken = false;
    for (i, child) in node.routes.iter().enumerate() {
        if !all_match(&child.matchers, labels) {
            continue;
        }
        let child_receivers = if child.receivers.is_empty() {
            receivers
        } else {
            &child.receivers
        };
        let mut child_matchers = matchers.clone();
        child_matchers.extend(child.matchers.iter().cloned());
        walk(
            child,
            format!("{path}.{i}"),
            child_receivers,
            &settings.inherit(child),
            child_matchers,
            labels,
            out,
        );
        taken = true;
        if !child.continue_ {
            break;
        }
    }
    if !taken {
        out.push(Matched {
            route_path: path,
            receivers,
            settings: settings.clone(),
            matchers,
        });
    }
}

/// A room or person following one label value: `country:KE`, `region:africa`, `theme:climate`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Subscription {
    pub receiver: String,
    pub label: String,
    pub value: String,
}

impl Subscription {
    /// The matcher it stands for. Values are read as people type them: a country code in any
    /// case, a region by any of its short names.
    pub fn matcher(&self) -> Matcher {
        let value = match self.label.as_str() {
            "country" | "jurisdiction" => {
                let v = self.value.trim();
                match v.split_once('-') {
                    Some((c, rest)) => format!("{}-{rest}", c.to_ascii_uppercase()),
                    None => v.to_ascii_uppercase(),
                }
            }
            "region" => Region::parse(&self.value)
                .map(|r| r.slug().to_owned())
                .unwrap_or_else(|_| self.value.trim().to_owned()),
            _ => self.value.trim().to_owned(),
        };
        Matcher::eq(self.label.trim(), value)
    }
}

/// The tree's routes, then one leaf per receiver whose subscriptions match and that the tree does
/// not already reach: a room hears about an alert once, in the tree's group when it has one.
pub fn route_all<'a>(
    root: &'a Route,
    subscriptions: &'a [Subscription],
    labels: &Labels,
) -> Vec<Matched<'a>> {
    let mut out = route(root, labels);
    let mut leaves: Vec<(&'a Subscription, Vec<Matcher>)> = Vec::new();
    for sub in subscriptions {
        let m = sub.matcher();
        if !m.matches(labels) || out.iter().any(|r| r.receivers.contains(&sub.receiver)) {
            continue;
        }
        match leaves.iter_mut().find(|(s, _)| s.receiver == sub.receiver) {
            Some((_, ms)) if !ms.contains(&m) => ms.push(m),
            Some(_) => {}
            None => leaves.push((sub, vec![m])),
        }
    }
    leaves.sort_by(|a, b| a.0.receiver.cmp(&b.0.receiver));
    let settings = RouteSettings::default().inherit(root);
    out.extend(leaves.into_iter().map(|(sub, mut matchers)| {
        matchers.sort();
        Matched {
            route_path: SUBSCRIPTION_PATH.to_owned(),
            receivers: std::slice::from_ref(&sub.receiver),
            settings: settings.clone(),
            matchers,
        }
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_read_from_toml_with_durations_and_continue() {
        let text = r#"
            receivers = ["matrix:!all:example.org"]
            group_by = ["region"]
            [[routes]]
            matchers = ['region="europe"']
            receivers = ["matrix:!eu:example.org"]
            group_wait = "5m"
            continue = true
        "#;
        let root: Route = toml::from_str(text).unwrap();
        assert_eq!(root.routes[0].group_wait, Some(TimeDelta::minutes(5)));
        assert!(root.routes[0].continue_);
        root.check().unwrap();
        let bad: Result<Route, _> = toml::from_str("matchers = ['region']");
        assert!(bad.unwrap_err().to_string().contains("expected label=\"value\""));
        let zero: Route = toml::from_str("[[routes]]\nrepeat_interval = \"0s\"").unwrap();
        assert!(
            zero.check()
                .unwrap_err()
                .to_string()
                .starts_with("route.routes[0].repeat_interval")
        );
    }
}
