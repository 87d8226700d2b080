//! `subscribe`, `unsubscribe`, `subscriptions`, `peers list|add|remove` and `language`: who is
//! who, and what each room follows.

use vigie_storage::{LanguageScope, Peer, Role, Subscription, SubscriptionKind};

use super::{Ctx, Handled, display_user};
use crate::command::locale::arg;
use crate::command::parse::{RoleValue, TopicKind, Value};
use crate::command::{Invocation, Level};

fn topic(inv: &Invocation) -> Option<(SubscriptionKind, String)> {
    match inv.get("topic")? {
        Value::Topic(kind, value) => Some((
            match kind {
                TopicKind::Country => SubscriptionKind::Country,
                TopicKind::Region => SubscriptionKind::Region,
                TopicKind::Theme => SubscriptionKind::Theme,
            },
            value.clone(),
        )),
        _ => None,
    }
}

fn shown(kind: SubscriptionKind, value: &str) -> String {
    format!("`{}:{value}`", kind.as_str())
}

pub(super) async fn subscribe(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let Some((kind, value)) = topic(inv) else {
        return Err(ctx.refuse("err-empty", &[]));
    };
    let added = ctx
        .store()
        .subscribe(&Subscription {
            room: ctx.caller.room.clone(),
            kind,
            value: value.clone(),
            created_by: ctx.caller.user.clone(),
            created_at: ctx.now,
        })
        .await?;
    let id = if added {
        "subscribe-ok"
    } else {
        "subscribe-already"
    };
    Ok(ctx.t(id, &[("topic", arg(shown(kind, &value)))]))
}

pub(super) async fn unsubscribe(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let Some((kind, value)) = topic(inv) else {
        return Err(ctx.refuse("err-empty", &[]));
    };
    let removed = ctx
        .store()
        .unsubscribe(&ctx.caller.room, kind, &value, &ctx.caller.user, ctx.now)
        .await?;
    if removed {
        Ok(ctx.t("unsubscribe-ok", &[("topic", arg(shown(kind, &value)))]))
    } else {
        Err(ctx.refuse("unsubscribe-absent", &[("topic", arg(shown(kind, &value)))]))
    }
}

pub(super) async fn subscriptions(ctx: &Ctx<'_>) -> Handled {
    let subs = ctx.store().subscriptions(Some(&ctx.caller.room)).await?;
    if subs.is_empty() {
        return Ok(ctx.t("subscriptions-none", &[]));
    }
    let mut out = ctx.t("subscriptions-title", &[("count", subs.len().into())]);
    out.push('\n');
    for s in &subs {
        out.push_str(&format!(
            "- {} ({}, {})\n",
            shown(s.kind, &s.value),
            display_user(&s.created_by),
            s.created_at.format("%Y-%m-%d")
        ));
    }
    Ok(out.trim_end().to_owned())
}

/// A peer's country and organisation as `peers` shows them (`country KE, organisation Open Data
/// Kenya`); `None` when neither is known.
fn affiliation(ctx: &Ctx<'_>, peer: &Peer) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(country) = peer.country {
        parts.push(ctx.t("peer-country", &[("country", arg(country.to_string()))]));
    }
    if let Some(organisation) = &peer.organisation {
        parts.push(ctx.t(
            "peer-organisation",
            &[("organisation", arg(organisation.clone()))],
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

pub(super) async fn peers(ctx: &Ctx<'_>) -> Handled {
    let peers = ctx.store().peers().await?;
    if peers.is_empty() {
        return Ok(ctx.t("peers-none", &[]));
    }
    let mut out = ctx.t("peers-title", &[("count", peers.len().into())]);
    out.push('\n');
    for p in &peers {
        let mut line = ctx.t(
            "peer-line",
            &[
                ("user", arg(display_user(&p.user))),
                ("role", arg(p.role.as_str())),
                (
                    "region",
                    arg(p.region.clone().unwrap_or_else(|| "none".to_owned())),
                ),
            ],
        );
        if let Some(more) = affiliation(ctx, p) {
            line.push_str(", ");
            line.push_str(&more);
        }
        out.push_str(&format!("- {line}\n"));
    }
    Ok(out.trim_end().to_owned())
}

pub(super) async fn peers_add(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let user = inv.text("user").unwrap_or_default().to_owned();
    let role = match inv.get("role") {
        Some(Value::Role(RoleValue::Admin)) => Role::Admin,
        _ => Role::Peer,
    };
    let region = match inv.get("region") {
        Some(Value::Region(r)) => Some(r.slug().to_owned()),
        _ => None,
    };
    // A peer is from a country, not a subdivision: automatic recusal compares countries.
    let country = match inv.country("country") {
        Some(code) if code.is_national() => Some(code.country()),
        Some(code) => {
            return Err(ctx.refuse("peers-err-country", &[("given", arg(code.to_string()))]));
        }
        None => None,
    };
    let peer = Peer {
        user: user.clone(),
        role,
        region: region.clone(),
        country,
        organisation: inv.name("organisation").map(str::to_owned),
        added_by: ctx.caller.user.clone(),
        added_at: ctx.now,
    };
    ctx.store().put_peer(&peer).await?;
    let mut out = ctx.t(
        "peers-added",
        &[
            ("user", arg(display_user(&user))),
            ("role", arg(role.as_str())),
            ("region", arg(region.unwrap_or_else(|| "none".to_owned()))),
        ],
    );
    if let Some(more) = affiliation(ctx, &peer) {
        out.push(' ');
        out.push_str(&ctx.t("peers-added-affiliation", &[("affiliation", arg(more))]));
    }
    Ok(out)
}

pub(super) async fn peers_remove(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let user = inv.text("user").unwrap_or_default();
    if user == ctx.caller.user {
        return Err(ctx.refuse("peers-remove-self", &[]));
    }
    if ctx.store().remove_peer(user, &ctx.caller.user, ctx.now).await? {
        Ok(ctx.t("peers-removed", &[("user", arg(display_user(user)))]))
    } else {
        Err(ctx.refuse("peers-absent", &[("user", arg(display_user(user)))]))
    }
}

pub(super) async fn language(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let room = inv.switch("room");
    let Some(Value::Language(lang)) = inv.get("language") else {
        let user = ctx
            .store()
            .language(LanguageScope::User, &ctx.caller.user)
            .await?;
        let room_lang = ctx
            .store()
            .language(LanguageScope::Room, &ctx.caller.room)
            .await?;
        return Ok(ctx.t(
            "language-show",
            &[
                ("language", arg(ctx.t(&format!("lang-{}", ctx.lang.code()), &[]))),
                ("user", arg(user.unwrap_or_else(|| "—".to_owned()))),
                ("room", arg(room_lang.unwrap_or_else(|| "—".to_owned()))),
            ],
        ));
    };
    if room && ctx.level < Level::Admin {
        return Err(ctx.refuse(
            "err-refused",
            &[("command", arg("language --room")), ("level", arg("admin"))],
        ));
    }
    let (scope, id) = if room {
        (LanguageScope::Room, ctx.caller.room.as_str())
    } else {
        (LanguageScope::User, ctx.caller.user.as_str())
    };
    ctx.store()
        .set_language(scope, id, Some(lang.code()), ctx.now)
        .await?;
    // Said in the new language: it is the first sentence the person reads in it.
    let said = ctx.chat.locales().text(
        *lang,
        if room {
            "language-set-room"
        } else {
            "language-set-user"
        },
        &[(
            "language",
            arg(ctx
                .chat
                .locales()
                .text(*lang, &format!("lang-{}", lang.code()), &[])),
        )],
    );
    Ok(said)
}
