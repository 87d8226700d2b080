//! `silence`, `silences`, `unsilence`, `digest now`, `why` and `audit`: what keeps an alert from a
//! room, what would bring it, and who changed what.

use vigie_rules::alert::{Matcher, Mute, Silence, Verdict};
use vigie_storage::{NewSilence, Unsilence};

use super::{Ctx, Handled, Refusal, display_user};
use crate::command::Invocation;
use crate::command::locale::arg;

/// The longest reason kept for a silence.
const MAX_REASON: usize = 500;
/// How many audit entries one reply lists.
const AUDIT_LINES: u32 = 20;

/// A time as replies write it.
fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Matchers as typed again: `country="KE", region=~"europe|americas"`.
fn written(matchers: &[Matcher]) -> String {
    let all: Vec<String> = matchers.iter().map(|m| format!("`{m}`")).collect();
    all.join(", ")
}

/// A room or a person as replies name them: "this room" for the caller's own room.
fn receiver_name(ctx: &Ctx<'_>, receiver: &str) -> String {
    if receiver == ctx.caller.room {
        ctx.t("why-this-room", &[])
    } else {
        format!("`{}`", display_user(receiver))
    }
}

pub(super) async fn silence(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let matchers = inv.matchers("matchers").unwrap_or_default().to_vec();
    let for_ = inv.duration("duration").unwrap_or_default();
    let reason = inv.text("reason").unwrap_or_default().trim().to_owned();
    if reason.chars().count() > MAX_REASON {
        return Err(ctx.refuse("silence-reason-too-long", &[("max", MAX_REASON.into())]));
    }
    let span = chrono::TimeDelta::from_std(for_)
        .ok()
        .filter(|d| ctx.now.checked_add_signed(*d).is_some())
        .ok_or_else(|| {
            ctx.refuse(
                "err-invalid",
                &[
                    ("given", arg(humantime::format_duration(for_).to_string())),
                    ("expected", arg(ctx.t("expect-duration", &[]))),
                ],
            )
        })?;
    // The same check the alert engine applies to every silence it reads: a silence must name
    // what it silences, never everything.
    if Silence::new(matchers.clone(), ctx.now, span, &ctx.caller.user, &reason).is_err() {
        return Err(ctx.refuse("silence-too-wide", &[("matchers", arg(written(&matchers)))]));
    }
    let row = ctx
        .store()
        .create_silence(
            &NewSilence {
                matchers: matchers.iter().map(ToString::to_string).collect(),
                starts_at: ctx.now,
                ends_at: ctx.now + span,
                author: ctx.caller.user.clone(),
                comment: reason,
            },
            ctx.now,
        )
        .await?;
    Ok(ctx.t(
        "silence-ok",
        &[
            ("id", row.id.into()),
            ("until", arg(when(row.ends_at))),
            ("matchers", arg(written(&matchers))),
        ],
    ))
}

pub(super) async fn silences(ctx: &Ctx<'_>) -> Handled {
    let silences = ctx.store().active_silences(ctx.now).await?;
    if silences.is_empty() {
        return Ok(ctx.t("silences-none", &[]));
    }
    let mut out = ctx.t("silences-title", &[("count", silences.len().into())]);
    out.push('\n');
    for s in &silences {
        let matchers: Vec<String> = s.matchers.iter().map(|m| format!("`{m}`")).collect();
        out.push_str("- ");
        out.push_str(&ctx.t(
            "silence-line",
            &[
                ("id", s.id.into()),
                ("matchers", arg(matchers.join(", "))),
                ("until", arg(when(s.ends_at))),
                ("author", arg(display_user(&s.author))),
                ("reason", arg(s.comment.clone())),
            ],
        ));
        out.push('\n');
    }
    Ok(out.trim_end().to_owned())
}

pub(super) async fn unsilence(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let id = inv.silence_id("id").unwrap_or_default();
    match ctx.store().expire_silence(id, &ctx.caller.user, ctx.now).await? {
        Unsilence::Expired => Ok(ctx.t("unsilence-ok", &[("id", id.into())])),
        Unsilence::AlreadyOver => Err(ctx.refuse("unsilence-over", &[("id", id.into())])),
        Unsilence::Unknown => Err(ctx.refuse("unsilence-unknown", &[("id", id.into())])),
    }
}

pub(super) async fn digest_now(ctx: &Ctx<'_>) -> Handled {
    let Some(alerts) = ctx.chat.alerts() else {
        return Err(ctx.refuse("alerting-off", &[]));
    };
    Ok(alerts.digest_now(&ctx.caller.room, ctx.now).await?)
}

pub(super) async fn why(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let id = inv.text("window").unwrap_or_default().to_owned();
    let receiver = inv.text("room").unwrap_or(&ctx.caller.room).to_owned();
    let Some(alerts) = ctx.chat.alerts() else {
        return Err(ctx.refuse("alerting-off", &[]));
    };
    let explanation = alerts.explain(&id, &receiver, ctx.now).await?;
    let room = receiver_name(ctx, &receiver);
    let args = |extra: Vec<(&'static str, fluent_bundle::FluentValue<'static>)>| {
        let mut all = vec![("id", arg(id.clone())), ("room", arg(room.clone()))];
        all.extend(extra);
        all
    };
    let mut out = match &explanation.verdict {
        Verdict::UnknownAlert => {
            if !window_known(ctx, &id).await? {
                let today = ctx.engine().snapshot().today;
                return Err(ctx.refuse(
                    "window-unknown",
                    &[("id", arg(id.clone())), ("today", arg(today.to_string()))],
                ));
            }
            return Ok(ctx.t("why-no-alert", &args(vec![])));
        }
        Verdict::NotRouted => ctx.t("why-not-routed", &args(vec![])),
        Verdict::Pending => ctx.t("why-pending", &args(vec![])),
        Verdict::Muted => ctx.t("why-muted", &args(vec![])),
        Verdict::Due { at, reason } => ctx.t(
            "why-due",
            &args(vec![("at", arg(when(*at))), ("reason", arg(reason.as_str()))]),
        ),
        Verdict::Sent { at, next_reminder } => ctx.t(
            "why-sent",
            &args(vec![
                ("at", arg(when(*at))),
                ("next", arg(next_reminder.map_or_else(|| "none".to_owned(), when))),
            ]),
        ),
        Verdict::Finished => ctx.t("why-finished", &args(vec![])),
    };
    out.push('\n');
    if !explanation.routes.is_empty() {
        let routes: Vec<String> = explanation
            .routes
            .iter()
            .map(|r| {
                let matchers = if r.matchers.is_empty() {
                    ctx.t("why-everything", &[])
                } else {
                    written(&r.matchers)
                };
                format!("`{}` ({matchers})", r.route_path)
            })
            .collect();
        out.push_str(&ctx.t("why-routes", &[("routes", arg(routes.join("; ")))]));
        out.push('\n');
    }
    if !explanation.mutes.is_empty() {
        out.push_str(&ctx.t("why-mutes", &[]));
        out.push('\n');
        for m in &explanation.mutes {
            out.push_str("- ");
            out.push_str(&mute(ctx, m, &room));
            out.push('\n');
        }
    }
    if !explanation.elsewhere.is_empty() {
        let others: Vec<String> = explanation
            .elsewhere
            .iter()
            .map(|r| format!("`{}`", display_user(r)))
            .collect();
        out.push_str(&ctx.t("why-elsewhere", &[("receivers", arg(others.join(", ")))]));
        out.push('\n');
    }
    Ok(out.trim_end().to_owned())
}

fn mute(ctx: &Ctx<'_>, m: &Mute, room: &str) -> String {
    match m {
        Mute::Silenced {
            id,
            author,
            comment,
            ends_at,
        } => ctx.t(
            "why-mute-silence",
            &[
                ("id", arg(id.trim_start_matches("silence:").to_owned())),
                ("author", arg(display_user(author))),
                ("until", arg(when(*ends_at))),
                ("reason", arg(comment.clone())),
            ],
        ),
        Mute::Inhibited { by, why } => ctx.t(
            "why-mute-inhibited",
            &[("by", arg(by.to_string())), ("why", arg(why.clone()))],
        ),
        Mute::QuietHours { until } => ctx.t(
            "why-mute-quiet",
            &[("room", arg(room)), ("until", arg(when(*until)))],
        ),
    }
}

/// Whether the window is known: derived now, or stored from before.
async fn window_known(ctx: &Ctx<'_>, id: &str) -> Result<bool, Refusal> {
    if ctx.engine().snapshot().window(id).is_some() {
        return Ok(true);
    }
    Ok(match vigie_rules::window::WindowId::parse(id) {
        Ok(wid) => ctx.store().window(&wid).await?.is_some(),
        Err(_) => false,
    })
}

/// Whether an entry's detail would tell how someone voted: such details are never shown.
fn private(action: &str) -> bool {
    action
        .split(['.', '_', '-'])
        .any(|part| matches!(part, "vote" | "votes" | "ballot" | "ballots"))
}

pub(super) async fn audit(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let target = inv.text("target");
    let shown = target.map_or_else(|| "none".to_owned(), |t| format!("`{}`", display_user(t)));
    let entries = ctx.store().audit_log(target, AUDIT_LINES).await?;
    if entries.is_empty() {
        return Ok(ctx.t("audit-none", &[("target", arg(shown))]));
    }
    let mut out = ctx.t(
        "audit-title",
        &[("target", arg(shown)), ("count", entries.len().into())],
    );
    out.push('\n');
    for e in &entries {
        out.push_str("- ");
        out.push_str(&ctx.t(
            "audit-line",
            &[
                ("at", arg(when(e.at))),
                ("actor", arg(display_user(&e.actor))),
                ("action", arg(e.action.clone())),
                ("target", arg(display_user(&e.target))),
            ],
        ));
        if let Some(detail) = e.detail.as_deref().filter(|_| !private(&e.action)) {
            out.push_str(": ");
            out.push_str(detail);
        }
        out.push('\n');
    }
    Ok(out.trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::private;

    #[test]
    fn how_someone_voted_is_never_shown() {
        for (action, hidden) in [
            ("award.vote", true),
            ("ballot.cast", true),
            ("campaign.votes", true),
            ("window.claim", false),
            ("silence.add", false),
            ("peer.remove", false),
        ] {
            assert_eq!(private(action), hidden, "{action}");
        }
    }
}
