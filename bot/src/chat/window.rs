//! `windows` and `window show|claim|release|note|done|snooze`: the windows people act on.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use vigie_rules::JurisdictionCode;
use vigie_rules::window::{Window, WindowState};
use vigie_storage::{Claim, FollowUp, Release};

use super::{Ctx, Handled, display_user};
use crate::command::Invocation;
use crate::command::locale::arg;
use crate::command::parse::{Scope, Value};

/// How far ahead `windows` looks without `--within`.
const DEFAULT_WITHIN_DAYS: u64 = 90;
/// How many windows one reply lists; more are counted.
const MAX_LINES: usize = 25;
/// The longest note kept.
const MAX_NOTE: usize = 2000;

pub(super) async fn list(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let (today, windows) = windows_at(ctx, inv.date("at")).await?;
    let within_days = inv
        .duration("within")
        .map_or(DEFAULT_WITHIN_DAYS, |d| d.as_secs().div_ceil(86_400));
    let horizon = today
        .checked_add_days(Days::new(within_days))
        .unwrap_or(NaiveDate::MAX);
    let scope = match inv.get("scope") {
        Some(Value::Scope(s)) => Some(s),
        _ => None,
    };
    let mut shown: Vec<&Window> = windows
        .windows
        .iter()
        .filter(|w| !matches!(w.state, WindowState::Closed | WindowState::Cancelled))
        .filter(|w| w.opens <= horizon && w.closes >= today)
        .filter(|w| scope.is_none_or(|s| in_scope(w, s)))
        .collect();
    shown.sort_by(|a, b| (a.opens, &a.jurisdiction, &a.id).cmp(&(b.opens, &b.jurisdiction, &b.id)));
    if shown.is_empty() {
        return Ok(ctx.t(
            "windows-none",
            &[("today", arg(today.to_string())), ("days", within_days.into())],
        ));
    }
    let follow_ups = if inv.date("at").is_none() {
        follow_ups(ctx).await?
    } else {
        HashMap::new()
    };
    let mut out = ctx.t(
        "windows-title",
        &[
            ("count", shown.len().into()),
            ("today", arg(today.to_string())),
            ("days", within_days.into()),
        ],
    );
    out.push('\n');
    for w in shown.iter().take(MAX_LINES) {
        out.push_str("- ");
        out.push_str(&line(ctx, w, follow_ups.get(w.id.as_str())));
        out.push('\n');
    }
    if shown.len() > MAX_LINES {
        out.push_str(&ctx.t("windows-more", &[("count", (shown.len() - MAX_LINES).into())]));
    }
    Ok(out.trim_end().to_owned())
}

/// The windows as of `at` (time travel, evaluated now) or as last evaluated (shared, not
/// copied: the board may hold thousands).
async fn windows_at(
    ctx: &Ctx<'_>,
    at: Option<NaiveDate>,
) -> Result<(NaiveDate, Arc<crate::window::Snapshot>), super::Refusal> {
    match at {
        Some(day) => {
            let windows = ctx.engine().evaluate_at(day).await?;
            Ok((
                day,
                Arc::new(crate::window::Snapshot {
                    today: day,
                    evaluated_at: ctx.now,
                    windows,
                }),
            ))
        }
        None => {
            let snapshot = ctx.engine().snapshot();
            Ok((snapshot.today, snapshot))
        }
    }
}

fn in_scope(w: &Window, scope: &Scope) -> bool {
    match scope {
        Scope::Country(c) => in_country(&w.jurisdiction, c),
        Scope::Region(r) => w.region == *r,
        Scope::Theme(t) => w.labels.get("theme").is_some_and(|v| v == t) || w.rule == *t,
    }
}

fn in_country(jurisdiction: &JurisdictionCode, filter: &JurisdictionCode) -> bool {
    if filter.is_national() {
        jurisdiction.country() == filter.country()
    } else {
        jurisdiction == filter
    }
}

async fn follow_ups(ctx: &Ctx<'_>) -> Result<HashMap<String, FollowUp>, super::Refusal> {
    Ok(ctx
        .store()
        .follow_ups()
        .await?
        .into_iter()
        .map(|f| (f.window.clone(), f))
        .collect())
}

/// One window on one line.
fn line(ctx: &Ctx<'_>, w: &Window, follow_up: Option<&FollowUp>) -> String {
    let approx = if w.estimated { "~" } else { "" };
    let mut out = ctx.t(
        "window-line",
        &[
            ("id", arg(w.id.to_string())),
            ("title", arg(w.title.clone())),
            ("state", arg(ctx.t(&format!("state-{}", w.state.as_str()), &[]))),
            ("opens", arg(format!("{approx}{}", w.opens))),
            ("closes", arg(format!("{approx}{}", w.closes))),
            (
                "priority",
                arg(ctx.t(&format!("priority-{}", w.priority.as_str()), &[])),
            ),
        ],
    );
    if let Some(f) = follow_up {
        if let Some(by) = &f.done_by {
            out.push_str(&ctx.t("window-line-done", &[("user", arg(display_user(by)))]));
        } else if let Some(by) = &f.claimed_by {
            out.push_str(&ctx.t("window-line-claimed", &[("user", arg(display_user(by)))]));
        }
    }
    out
}

/// The window `id` as last evaluated, or the sentence saying it does not exist.
async fn find(ctx: &Ctx<'_>, inv: &Invocation) -> Result<Window, super::Refusal> {
    let id = inv.text("id").unwrap_or_default();
    let snapshot = ctx.engine().snapshot();
    if let Some(w) = snapshot.window(id) {
        return Ok(w.clone());
    }
    // A window the rules no longer derive can still be followed up from its stored copy.
    if let Ok(wid) = vigie_rules::window::WindowId::parse(id)
        && let Some(stored) = ctx.store().window(&wid).await?
    {
        return Ok(stored.window);
    }
    Err(ctx.refuse(
        "window-unknown",
        &[("id", arg(id)), ("today", arg(snapshot.today.to_string()))],
    ))
}

pub(super) async fn show(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let w = find(ctx, inv).await?;
    let id = w.id.to_string();
    let follow_up = ctx.store().follow_up(&id).await?;
    let notes = ctx.store().notes(&id).await?;
    let mut out = format!("**{}** — {} ({})\n", w.id, w.title, w.jurisdiction);
    out.push_str(&ctx.t(
        "window-show-state",
        &[
            ("state", arg(ctx.t(&format!("state-{}", w.state.as_str()), &[]))),
            (
                "priority",
                arg(ctx.t(&format!("priority-{}", w.priority.as_str()), &[])),
            ),
            ("rule", arg(w.rule.clone())),
        ],
    ));
    out.push('\n');
    out.push_str(&ctx.t(
        "window-show-dates",
        &[
            ("opens", arg(w.opens.to_string())),
            ("closing", arg(w.closing_from.to_string())),
            ("closes", arg(w.closes.to_string())),
            ("estimated", arg(if w.estimated { "yes" } else { "no" })),
        ],
    ));
    out.push('\n');
    let labels: Vec<String> = w.labels().iter().map(|(k, v)| format!("{k}={v}")).collect();
    out.push_str(&ctx.t("window-show-labels", &[("labels", arg(labels.join(" ")))]));
    out.push('\n');
    out.push_str(&ctx.t("window-show-why", &[]));
    out.push('\n');
    for r in &w.reasons {
        out.push_str(&format!("- {r}\n"));
    }
    match &follow_up {
        Some(FollowUp {
            done_by: Some(by),
            done_at,
            ..
        }) => out.push_str(&ctx.t(
            "window-show-done",
            &[("user", arg(display_user(by))), ("at", arg(day(*done_at)))],
        )),
        Some(FollowUp {
            claimed_by: Some(by),
            claimed_at,
            ..
        }) => out.push_str(&ctx.t(
            "window-show-claimed",
            &[("user", arg(display_user(by))), ("at", arg(day(*claimed_at)))],
        )),
        _ => out.push_str(&ctx.t("window-show-unclaimed", &[("id", arg(id.clone()))])),
    }
    out.push('\n');
    if let Some(FollowUp {
        snoozed_until: Some(until),
        snoozed_by: Some(by),
        ..
    }) = &follow_up
        && *until > ctx.now
    {
        out.push_str(&ctx.t(
            "window-show-snoozed",
            &[
                ("until", arg(until.format("%Y-%m-%d %H:%M UTC").to_string())),
                ("user", arg(display_user(by))),
            ],
        ));
        out.push('\n');
    }
    if !notes.is_empty() {
        out.push_str(&ctx.t("window-show-notes", &[]));
        out.push('\n');
        for n in &notes {
            out.push_str(&format!(
                "- {} {}: {}\n",
                n.at.format("%Y-%m-%d"),
                display_user(&n.author),
                n.text
            ));
        }
    }
    Ok(out.trim_end().to_owned())
}

fn day(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|a| a.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

pub(super) async fn claim(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let w = find(ctx, inv).await?;
    let id = w.id.to_string();
    match ctx.store().claim_window(&id, &ctx.caller.user, ctx.now).await? {
        Claim::Claimed => Ok(ctx.t("claim-ok", &[("id", arg(id)), ("title", arg(w.title))])),
        Claim::AlreadyYours => Ok(ctx.t("claim-already-yours", &[("id", arg(id))])),
        Claim::ClaimedBy(other) => Err(ctx.refuse(
            "claim-taken",
            &[("id", arg(id)), ("user", arg(display_user(&other)))],
        )),
    }
}

pub(super) async fn release(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let w = find(ctx, inv).await?;
    let id = w.id.to_string();
    let force = ctx.level == crate::command::Level::Admin;
    match ctx
        .store()
        .release_window(&id, &ctx.caller.user, force, ctx.now)
        .await?
    {
        Release::Released => Ok(ctx.t("release-ok", &[("id", arg(id))])),
        Release::NotClaimed => Err(ctx.refuse("release-not-claimed", &[("id", arg(id))])),
        Release::ClaimedBy(other) => Err(ctx.refuse(
            "release-not-yours",
            &[("id", arg(id)), ("user", arg(display_user(&other)))],
        )),
    }
}

pub(super) async fn note(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let w = find(ctx, inv).await?;
    let text = inv.text("text").unwrap_or_default();
    if text.chars().count() > MAX_NOTE {
        return Err(ctx.refuse("note-too-long", &[("max", MAX_NOTE.into())]));
    }
    let id = w.id.to_string();
    ctx.store().add_note(&id, &ctx.caller.user, text, ctx.now).await?;
    Ok(ctx.t("note-ok", &[("id", arg(id))]))
}

pub(super) async fn done(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let w = find(ctx, inv).await?;
    let id = w.id.to_string();
    if ctx.store().done_window(&id, &ctx.caller.user, ctx.now).await? {
        Ok(ctx.t("done-ok", &[("id", arg(id))]))
    } else {
        Err(ctx.refuse("done-already", &[("id", arg(id))]))
    }
}

pub(super) async fn snooze(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let w = find(ctx, inv).await?;
    let id = w.id.to_string();
    let for_ = inv.duration("duration").unwrap_or_default();
    let until = chrono::Duration::from_std(for_)
        .ok()
        .and_then(|d| ctx.now.checked_add_signed(d))
        .ok_or_else(|| {
            ctx.refuse(
                "err-invalid",
                &[
                    ("given", arg(humantime::format_duration(for_).to_string())),
                    ("expected", arg(ctx.t("expect-duration", &[]))),
                ],
            )
        })?;
    ctx.store()
        .snooze_window(&id, &ctx.caller.user, until, ctx.now)
        .await?;
    Ok(ctx.t(
        "snooze-ok",
        &[
            ("id", arg(id)),
            ("until", arg(until.format("%Y-%m-%d %H:%M UTC").to_string())),
        ],
    ))
}
