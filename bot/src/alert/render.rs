//! Messages in Markdown, in the receiver's language (the `alert-*` messages of
//! `bot/locales/*.ftl`). Every message says why it was sent: the reason (new, update, reminder,
//! resolved, escalation, digest, failed delivery) and the route or subscription with its
//! matchers.

use fluent_bundle::FluentValue;
use vigie_rules::alert::route::SUBSCRIPTION_PATH;
use vigie_rules::alert::{
    Alert, AlertSource, AlertState, Escalation, EscalationLevel, Matcher, Notification, Reason, duration,
};
use vigie_rules::window::Window;
use vigie_storage::OutboxRow;

use super::state::State;
use crate::command::locale::arg;
use crate::command::{Lang, Locales};

/// What rendering needs: the messages, the language, the command prefix.
pub(crate) struct View<'a> {
    pub locales: &'a Locales,
    pub lang: Lang,
    /// The command prefix followed by a space (`!vigie `), or nothing on the console.
    pub prefix: &'a str,
    /// Whether the receiver's platform has reactions, for the ✋ hint.
    pub reactions: bool,
}

impl View<'_> {
    fn t(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.locales.text(self.lang, id, args)
    }

    /// A localised label value (`state-open`, `priority-high`), or the value itself.
    fn label(&self, family: &str, value: &str) -> String {
        let id = format!("{family}-{value}");
        if self.locales.has(self.lang, &id) || self.locales.has(Lang::En, &id) {
            self.t(&id, &[])
        } else {
            value.to_owned()
        }
    }

    fn claim_hint(&self, window: &str) -> String {
        self.t(
            if self.reactions {
                "alert-hint-claim"
            } else {
                "alert-hint-claim-command"
            },
            &[("command", arg(format!("{}window claim {window}", self.prefix)))],
        )
    }
}

fn count<'a>(n: usize) -> FluentValue<'a> {
    FluentValue::from(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Matchers as people read them: `region="europe", country="KE"`.
fn matchers(m: &[Matcher]) -> String {
    m.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// How a person is written in a message: a Matrix mention links to them.
pub(crate) fn mention(user: &str) -> String {
    match user.strip_prefix("matrix:") {
        Some(id) => format!("[{id}](https://matrix.to/#/{id})"),
        None => crate::chat::display_user(user).to_owned(),
    }
}

/// A group notification.
pub(crate) fn notification(view: &View<'_>, n: &Notification, state: &State) -> String {
    let mut out = view.t(
        "alert-heading",
        &[
            ("reason", arg(n.reason.as_str())),
            ("count", count(n.alerts.len())),
        ],
    );
    out.push('\n');
    for a in &n.alerts {
        let mark = if n.reason == Reason::Update && n.changed.contains(&a.fingerprint) {
            if a.state == AlertState::Resolved {
                Some("alert-mark-resolved")
            } else {
                Some("alert-mark-changed")
            }
        } else {
            None
        };
        out.push_str(&item(view, a, mark, state));
        out.push('\n');
    }
    let reason = match n.reason {
        Reason::New => view.t("alert-why-new", &[("count", count(n.changed.len()))]),
        Reason::Update => view.t("alert-why-update", &[("count", count(n.changed.len()))]),
        Reason::Reminder => {
            let last = state
                .records
                .iter()
                .find(|r| r.group == n.group)
                .map_or(n.record.first_seen, |r| r.last_sent);
            view.t(
                "alert-why-reminder",
                &[("since", arg(last.format("%Y-%m-%d").to_string()))],
            )
        }
        Reason::Resolved => view.t("alert-why-resolved", &[]),
    };
    let by = if n.route_path == SUBSCRIPTION_PATH {
        view.t(
            "alert-why-subscription",
            &[("matchers", arg(matchers(&n.matchers)))],
        )
    } else if n.matchers.is_empty() {
        view.t("alert-why-route-all", &[("route", arg(n.route_path.as_str()))])
    } else {
        view.t(
            "alert-why-route",
            &[
                ("route", arg(n.route_path.as_str())),
                ("matchers", arg(matchers(&n.matchers))),
            ],
        )
    };
    let mut why = format!("{reason}; {by}");
    if !n.group_labels.is_empty() {
        let labels: Vec<String> = n
            .group_labels
            .iter()
            .map(|(k, v)| Matcher::eq(k.clone(), v.clone()).to_string())
            .collect();
        why.push_str("; ");
        why.push_str(&view.t("alert-why-grouped", &[("labels", arg(labels.join(", ")))]));
    }
    out.push_str(&format!("_{why}._"));
    if let Some(w) = n
        .alerts
        .iter()
        .filter(|a| a.is_firing())
        .find_map(|a| a.window.as_deref())
    {
        out.push('\n');
        out.push_str(&view.claim_hint(w));
    }
    out
}

/// One alert as a list item.
fn item(view: &View<'_>, a: &Alert, mark: Option<&str>, state: &State) -> String {
    let mark = mark
        .map(|id| format!("_{}_ · ", view.t(id, &[])))
        .unwrap_or_default();
    let mut line = format!("- {mark}**{}**", a.summary);
    match a.source() {
        AlertSource::Window => {
            if let Some(w) = &a.window {
                line.push_str(&format!(" · `{w}`"));
            }
            let shown = if a.state == AlertState::Resolved {
                view.t("alert-state-resolved", &[])
            } else {
                a.labels.get("phase").map_or_else(
                    || view.label("alert-state", a.visible_state().as_str()),
                    |p| view.label("state", p),
                )
            };
            line.push_str(&format!(" · {shown}"));
            if let Some(p) = a.labels.get("priority") {
                line.push_str(&format!(
                    " · {}",
                    view.t("alert-priority", &[("priority", arg(view.label("priority", p)))])
                ));
            }
            if a.is_firing()
                && let Some(w) = &a.window
            {
                line.push_str(" · ");
                line.push_str(&match state.claimed_by(w) {
                    Some(user) => view.t("alert-claimed", &[("user", arg(crate::chat::display_user(user)))]),
                    None => view.t("alert-unclaimed", &[]),
                });
            }
        }
        AlertSource::MemberStatus => {
            if let Some(s) = a.labels.get("status") {
                line.push_str(&format!(
                    " · {}",
                    view.t("alert-member-status", &[("status", arg(s.as_str()))])
                ));
            }
        }
    }
    if a.state == AlertState::Stale {
        line.push_str(&format!(" · {}", view.t("alert-stale", &[])));
    }
    line
}

/// An escalation: the chair mentioned, or the wider room told.
pub(crate) fn escalation(view: &View<'_>, e: &Escalation, after: chrono::TimeDelta) -> String {
    let since = e.alert.firing_since.unwrap_or(e.alert.updated_at);
    let days = (e.record.at - since).num_days().max(0);
    let window = e.alert.window.clone().unwrap_or_default();
    let base = [
        ("days", FluentValue::from(days)),
        ("summary", arg(e.alert.summary.as_str())),
        ("id", arg(window.as_str())),
    ];
    let (text, why) = match e.level {
        EscalationLevel::Chair => {
            let mut args = base.to_vec();
            args.push((
                "mention",
                arg(e
                    .mention
                    .iter()
                    .map(|m| mention(m))
                    .collect::<Vec<_>>()
                    .join(", ")),
            ));
            (
                view.t("alert-escalation-chair", &args),
                view.t(
                    "alert-escalation-why-chair",
                    &[("after", arg(duration::format(after)))],
                ),
            )
        }
        EscalationLevel::WiderRoom => (
            view.t("alert-escalation-wider", &base),
            view.t("alert-escalation-why-wider", &[]),
        ),
    };
    format!("{text}\n_{why}_\n{}", view.claim_hint(&window))
}

/// The head of a digest: its schedule's name (none for `digest now`) and why it is sent.
pub(crate) struct DigestHead {
    pub name: Option<String>,
    pub why: String,
}

/// The windows a digest lists, and whether they are every open window because nothing is routed
/// to the receiver.
pub(crate) struct DigestList<'a> {
    pub windows: Vec<&'a Window>,
    pub everything: bool,
}

/// A digest of open and closing windows.
pub(crate) fn digest(view: &View<'_>, head: &DigestHead, list: &DigestList<'_>, state: &State) -> String {
    let name = head.name.clone().unwrap_or_else(|| "none".to_owned());
    let mut out = view.t(
        "alert-digest-heading",
        &[("name", arg(name)), ("count", count(list.windows.len()))],
    );
    out.push('\n');
    if list.everything {
        out.push_str(&view.t("alert-digest-everything", &[]));
        out.push('\n');
    }
    for w in &list.windows {
        let claim = match state.claimed_by(w.id.as_str()) {
            Some(user) => view.t("alert-claimed", &[("user", arg(crate::chat::display_user(user)))]),
            None => view.t("alert-unclaimed", &[]),
        };
        let estimated = if w.estimated { "~" } else { "" };
        out.push_str(&format!(
            "- **{}** · `{}` · {}, {estimated}{} → {} · {} · {claim}\n",
            w.title,
            w.id,
            view.label("state", w.state.as_str()),
            w.opens,
            w.closes,
            view.t(
                "alert-priority",
                &[("priority", arg(view.label("priority", w.priority.as_str())))]
            ),
        ));
    }
    if list.windows.is_empty() {
        out.push_str(&view.t("alert-digest-none", &[]));
        out.push('\n');
    }
    out.push_str(&format!("_{}_", head.why));
    if let Some(w) = list.windows.first() {
        out.push('\n');
        out.push_str(&view.claim_hint(w.id.as_str()));
    }
    out
}

/// The report of a message given up, for an admin receiver.
pub(crate) fn failure(view: &View<'_>, row: &OutboxRow) -> String {
    let text = view.t(
        "alert-failure",
        &[
            ("receiver", arg(crate::chat::display_user(&row.receiver))),
            ("id", FluentValue::from(row.id)),
            ("reason", arg(row.reason.as_str())),
            ("attempts", FluentValue::from(i64::from(row.attempts))),
            ("error", arg(row.last_error.as_deref().unwrap_or("?"))),
        ],
    );
    format!("{text}\n_{}_", view.t("alert-failure-why", &[]))
}

/// The distinct window ids (`w-` and twelve hexadecimal digits, standing alone) in `text`, in
/// the order they first appear.
pub fn window_ids(text: &str) -> Vec<String> {
    let standalone = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
    let mut ids: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("w-") {
        let Some(hex) = text.get(at + 2..at + 14) else {
            continue;
        };
        let before = text[..at].chars().next_back();
        let after = text[at + 14..].chars().next();
        if hex.bytes().all(|b| b.is_ascii_hexdigit()) && standalone(before) && standalone(after) {
            let id = format!("w-{}", hex.to_ascii_lowercase());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_ids_are_found_once_each_in_order_and_standing_alone() {
        let text = "`w-bbbbbbbbbbbb` then `w-0123456789AB`, again w-bbbbbbbbbbbb.";
        assert_eq!(window_ids(text), ["w-bbbbbbbbbbbb", "w-0123456789ab"]);
        for none in [
            "",
            "aw-0123456789ab",
            "w-0123456789abc",
            "w-0123456789a",
            "w-",
            "w-é",
            "w-0123456789xz",
        ] {
            assert!(window_ids(none).is_empty(), "{none:?}");
        }
    }
}
