//! `calendar`, `member`, `feeds`, `feeds sync` and `rules check|reload|test`: what Vigie knows
//! and where it comes from.

use chrono::{Days, Months};
use vigie_rules::rule::RuleSet;
use vigie_rules::window::evaluate;
use vigie_storage::EventFilter;

use super::{Ctx, Handled};
use crate::command::Invocation;
use crate::command::locale::arg;
use crate::sync::Outcome;
use crate::window::Reload;

/// How many events or records one reply lists.
const MAX_LINES: usize = 25;

pub(super) async fn calendar(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let today = ctx.now.date_naive();
    let from = inv.date("from").unwrap_or(today);
    let to = match inv.date("to") {
        Some(to) => to,
        None => from.checked_add_months(Months::new(12)).unwrap_or(from),
    };
    if to < from {
        return Err(ctx.refuse(
            "calendar-backwards",
            &[("from", arg(from.to_string())), ("to", arg(to.to_string()))],
        ));
    }
    let country = inv.country("country").cloned();
    let events = ctx
        .store()
        .events(&EventFilter {
            jurisdiction: country.clone(),
            from: Some(from),
            to: Some(to),
            ..EventFilter::default()
        })
        .await?;
    let where_ = country.map(|c| c.to_string()).unwrap_or_else(|| "*".to_owned());
    let args = [
        ("country", arg(where_)),
        ("from", arg(from.to_string())),
        ("to", arg(to.to_string())),
        ("count", events.len().into()),
    ];
    if events.is_empty() {
        return Ok(ctx.t("calendar-none", &args));
    }
    let mut out = ctx.t("calendar-title", &args);
    out.push('\n');
    for e in events.iter().take(MAX_LINES) {
        out.push_str(&format!(
            "- {} **{}** ({}) — {}, {}\n",
            e.event.date, e.event.title, e.event.jurisdiction, e.event.kind, e.event.status
        ));
    }
    if events.len() > MAX_LINES {
        out.push_str(&ctx.t("calendar-more", &[("count", (events.len() - MAX_LINES).into())]));
    }
    Ok(out.trim_end().to_owned())
}

pub(super) async fn member(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let Some(code) = inv.country("country").cloned() else {
        return Err(ctx.refuse("err-empty", &[]));
    };
    let Some(record) = ctx.store().member(&code).await? else {
        return Err(ctx.refuse("member-unknown", &[("country", arg(code.to_string()))]));
    };
    let m = &record.member;
    let mut out = ctx.t(
        "member-title",
        &[
            ("name", arg(m.name.clone())),
            ("code", arg(m.code.to_string())),
            ("level", arg(m.level.to_string())),
            ("region", arg(ctx.t(&format!("region-{}", m.region.slug()), &[]))),
        ],
    );
    out.push('\n');
    let since = m
        .status_since
        .map(|d| d.to_string())
        .unwrap_or_else(|| "?".to_owned());
    out.push_str(&ctx.t(
        "member-status",
        &[("status", arg(m.status.to_string())), ("since", arg(since))],
    ));
    out.push('\n');
    if let (Some(start), Some(end)) = (&m.action_plan.start, &m.action_plan.end) {
        out.push_str(&ctx.t(
            "member-plan",
            &[("start", arg(start.to_string())), ("end", arg(end.to_string()))],
        ));
        out.push('\n');
    }
    if record.history.len() > 1 {
        out.push_str(&ctx.t("member-history", &[]));
        out.push('\n');
        for h in record.history.iter().rev().take(5) {
            let from = h.from.map(|f| format!("{f} → ")).unwrap_or_default();
            out.push_str(&format!("- {} {from}{}\n", h.at.format("%Y-%m-%d"), h.to));
        }
    }
    let today = ctx.now.date_naive();
    let coming = ctx
        .store()
        .events(&EventFilter {
            jurisdiction: Some(code),
            from: Some(today),
            to: today.checked_add_days(Days::new(3 * 366)),
            ..EventFilter::default()
        })
        .await?;
    out.push_str(&ctx.t("member-events", &[("count", coming.len().into())]));
    out.push('\n');
    for e in coming.iter().take(10) {
        out.push_str(&format!(
            "- {} **{}** — {}\n",
            e.event.date, e.event.title, e.event.kind
        ));
    }
    Ok(out.trim_end().to_owned())
}

pub(super) async fn feeds(ctx: &Ctx<'_>) -> Handled {
    let known = ctx.store().feeds_health().await?;
    let mut out = ctx.t("feeds-title", &[]);
    out.push('\n');
    for feed in &ctx.engine().config().feeds {
        let health = known.iter().find(|h| h.name == feed.name);
        let state = match health {
            None => ctx.t("feed-never", &[]),
            Some(h) if h.last_error.is_some() => ctx.t("feed-failing", &[]),
            Some(_) => ctx.t("feed-ok", &[]),
        };
        let success = health
            .and_then(|h| h.last_success)
            .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| "—".to_owned());
        out.push_str(&format!(
            "- {}\n",
            ctx.t(
                "feed-line",
                &[
                    ("name", arg(feed.name.clone())),
                    ("kind", arg(feed.kind.to_string())),
                    ("state", arg(state)),
                    ("items", health.map_or(0, |h| h.items).into()),
                    ("success", arg(success)),
                ],
            )
        ));
        if let Some(error) = health.and_then(|h| h.last_error.as_deref()) {
            out.push_str(&format!("  {}\n", ctx.t("feed-error", &[("error", arg(error))])));
        }
    }
    Ok(out.trim_end().to_owned())
}

pub(super) async fn feeds_sync(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let config = ctx.engine().config();
    let chosen: Vec<_> = match inv.text("feed") {
        Some(name) => match config.feed(name) {
            Some(feed) => vec![feed],
            None => {
                let names: Vec<&str> = config.feeds.iter().map(|f| f.name.as_str()).collect();
                return Err(ctx.refuse(
                    "feeds-unknown",
                    &[("name", arg(name)), ("names", arg(names.join(", ")))],
                ));
            }
        },
        None => config.feeds.iter().filter(|f| f.enabled).collect(),
    };
    let mut out = String::new();
    for feed in chosen {
        let outcome = match ctx.engine().sync(feed).await {
            Ok(Outcome::Synced { counts, items, .. }) => ctx.t(
                "feeds-sync-synced",
                &[
                    ("items", items.into()),
                    ("added", counts.added.into()),
                    ("changed", counts.changed.into()),
                    ("removed", counts.removed.into()),
                ],
            ),
            Ok(Outcome::NotModified) => ctx.t("feeds-sync-not-modified", &[]),
            Ok(Outcome::Failed(error)) => ctx.t("feeds-sync-failed", &[("error", arg(error.to_string()))]),
            Err(e) => return Err(e.into()),
        };
        out.push_str(&format!("- `{}`: {outcome}\n", feed.name));
    }
    Ok(out.trim_end().to_owned())
}

pub(super) async fn rules_check(ctx: &Ctx<'_>) -> Handled {
    match ctx.engine().check_rules()? {
        Ok(rules) => {
            let mut out = ctx.t("rules-ok", &[("count", rules.len().into())]);
            out.push('\n');
            for r in rules.rules() {
                out.push_str(&format!("- `{}` — {}\n", r.id, r.description));
            }
            Ok(out.trim_end().to_owned())
        }
        Err(errors) => {
            let mut out = ctx.t("rules-errors", &[("count", errors.len().into())]);
            out.push('\n');
            for e in errors.iter().take(MAX_LINES) {
                out.push_str(&format!("```\n{e}\n```\n"));
            }
            Err(super::Refusal::User(out.trim_end().to_owned()))
        }
    }
}

pub(super) async fn rules_reload(ctx: &Ctx<'_>) -> Handled {
    match ctx.engine().reload_rules().await {
        Reload::Unchanged => Ok(ctx.t(
            "rules-unchanged",
            &[("count", ctx.engine().rules_in_force().await.into())],
        )),
        Reload::Reloaded { rules } => Ok(ctx.t("rules-reloaded", &[("count", rules.into())])),
        Reload::Kept { errors } => {
            let mut out = ctx.t("rules-kept", &[("count", errors.len().into())]);
            out.push('\n');
            for e in errors.iter().take(MAX_LINES) {
                out.push_str(&format!("```\n{e}\n```\n"));
            }
            Err(super::Refusal::User(out.trim_end().to_owned()))
        }
    }
}

pub(super) async fn rules_test(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let rules = ctx.engine().rules().await;
    let name = inv.text("rule").unwrap_or_default();
    let Some(chosen) = rules.get(name) else {
        let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
        return Err(ctx.refuse(
            "rules-test-unknown",
            &[("rule", arg(name)), ("names", arg(ids.join(", ")))],
        ));
    };
    let only = RuleSet::new(vec![chosen.clone()]);
    let today = ctx.now.date_naive();
    let facts = crate::window::facts(ctx.store(), ctx.engine().countries(), today).await?;
    let evaluation = evaluate(&only, &facts, today);
    let country = inv.country("country");
    let windows: Vec<_> = evaluation
        .windows
        .iter()
        .filter(|w| country.is_none_or(|c| w.jurisdiction.country() == c.country()))
        .collect();
    let mut out = ctx.t(
        "rules-test-title",
        &[
            ("rule", arg(chosen.id.clone())),
            ("count", windows.len().into()),
            ("today", arg(today.to_string())),
        ],
    );
    out.push('\n');
    out.push_str(&format!("{}\n", chosen.description));
    for w in windows.iter().take(MAX_LINES) {
        out.push_str(&format!(
            "- `{}` {} — {}, {} → {}\n",
            w.id, w.title, w.state, w.opens, w.closes
        ));
    }
    if windows.len() > MAX_LINES {
        out.push_str(&ctx.t("windows-more", &[("count", (windows.len() - MAX_LINES).into())]));
    }
    Ok(out.trim_end().to_owned())
}
