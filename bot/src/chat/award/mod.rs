//! `award open|list|show|close|certify|results|export`, `nominate`, `second`, `withdraw`,
//! `nominations`, `vote`, `recuse` and `turnout`: award campaigns run in the room.
//!
//! Every decision is the campaign's ([`vigie_awards::campaign`]); a handler reads what was typed,
//! says who acts ([`Actor`]: the caller with their role, and the region, country and organisation
//! Vigie knows for them as a peer, which automatic recusal compares with each nominee's), and
//! lets storage apply it in one audited transaction. A refusal is the campaign's reason as one localised sentence, and
//! nothing changes. A ballot's content never appears in a reply, a log line or the audit log:
//! the reply says only that it was recorded. A secret ballot is cast where only Vigie reads it:
//! in a direct chat with Vigie ([`Caller::direct`](super::Caller)) or on the console; typed in a
//! shared room, it is refused unread and the ballot goes to the voter's direct chat.

mod ballot;

use std::fmt::Write as _;

use vigie_awards::campaign::rules::{BallotShape, stamp};
use vigie_awards::campaign::{
    Action, Activity, AwardError, Campaign, Deadline, Effect, Method, Phase, Reminder, RuleChange, Schedule,
    Secrecy, Transition,
};
use vigie_awards::eligibility::{Actor, Eligibility, Role as AwardRole};
use vigie_awards::nomination::{NominationId, NominationStatus, Nominee};
use vigie_awards::tie::TieBreak;
use vigie_storage::{AwardStep, AwardStoreError};

use super::{Ctx, Handled, Image, Platform, Refusal, display_user};
use crate::award::refusal;
use crate::award::render::{self, Words};
use crate::command::award::NominationRef;
use crate::command::locale::arg;
use crate::command::{Invocation, Level};

/// How much of a citation `nominations` shows.
const CITATION_SHOWN: usize = 160;

fn words<'a>(ctx: &'a Ctx<'_>) -> Words<'a> {
    Words {
        locales: ctx.chat.locales(),
        lang: ctx.lang,
    }
}

/// The prefix to write before a command in a hint: none on the console, nor in a direct chat
/// with Vigie, where commands need none.
fn hint(ctx: &Ctx<'_>) -> String {
    if ctx.caller.room == "console" || ctx.caller.direct {
        String::new()
    } else {
        format!("{} ", ctx.chat.prefix())
    }
}

/// A storage refusal as the reply: the campaign's reason, or an unknown campaign, in one
/// sentence; anything else is internal.
fn refused(ctx: &Ctx<'_>, e: AwardStoreError) -> Refusal {
    match e {
        AwardStoreError::Refused(e) => Refusal::User(refusal::sentence(words(ctx), &e)),
        AwardStoreError::UnknownCampaign { id } => {
            ctx.refuse("award-err-unknown-campaign", &[("id", arg(id))])
        }
        AwardStoreError::Storage(e) => Refusal::Internal(e.into()),
    }
}

/// The caller as the campaign sees them: their role here, and the region, country and
/// organisation Vigie knows for them (from `peers add`, or the configuration).
async fn actor(ctx: &Ctx<'_>) -> Result<Actor, Refusal> {
    Ok(actor_of(ctx.store(), &ctx.caller.user, ctx.level).await?)
}

/// `user` at `level` as a campaign sees them (see [`actor`]).
pub(super) async fn actor_of(
    store: &vigie_storage::Store,
    user: &str,
    level: Level,
) -> Result<Actor, vigie_storage::StorageError> {
    let role = match level {
        Level::Anyone => AwardRole::Anyone,
        Level::Peer => AwardRole::Peer,
        Level::Admin => AwardRole::Admin,
    };
    let mut actor = Actor::new(user.to_owned(), role);
    if let Some(peer) = store.peer(user).await? {
        actor.region = peer.region;
        actor.country = peer.country.map(|c| c.as_str().to_owned());
        actor.organisation = peer.organisation;
    }
    Ok(actor)
}

/// The campaign a command names.
async fn campaign(ctx: &Ctx<'_>, inv: &Invocation) -> Result<Campaign, Refusal> {
    let id = inv.campaign("campaign").unwrap_or_default().to_string();
    match ctx.store().award_campaign(&id).await? {
        Some(c) => Ok(c),
        None => Err(ctx.refuse("award-err-unknown-campaign", &[("id", arg(id))])),
    }
}

/// The campaign and number of a nomination written `1#3`, or `#3` in the only campaign open for
/// `phases`.
async fn nomination_in(
    ctx: &Ctx<'_>,
    r: NominationRef,
    phases: &[Phase],
) -> Result<(String, NominationId), Refusal> {
    let id = NominationId(r.number);
    if let Some(c) = r.campaign {
        return Ok((c.to_string(), id));
    }
    let open: Vec<Campaign> = ctx
        .store()
        .award_campaigns()
        .await?
        .into_iter()
        .filter(|c| phases.contains(&c.phase()))
        .collect();
    match open.as_slice() {
        [one] => Ok((one.id().to_owned(), id)),
        _ => Err(ctx.refuse(
            "award-err-which-campaign",
            &[("number", r.number.into()), ("count", open.len().into())],
        )),
    }
}

async fn apply(ctx: &Ctx<'_>, id: &str, action: Action) -> Result<Vec<Effect>, Refusal> {
    let actor = actor(ctx).await?;
    ctx.store()
        .apply_award_action(id, &actor, action, ctx.now)
        .await
        .map_err(|e| refused(ctx, e))
}

/// A tie-break seed nobody can guess: 256 bits from the operating system's random source, as
/// hexadecimal. Only its SHA-256 is published until voting closes.
fn draw_seed() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        anyhow::anyhow!("the operating system gave no random bytes for a tie-break seed: {e}")
    })?;
    let mut out = String::with_capacity(64);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    Ok(out)
}

pub(in crate::chat) async fn open(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let title = inv.text("title").unwrap_or_default().trim().to_owned();
    let seats = inv.count("seats").unwrap_or(1);
    let method = inv.method("method").cloned().unwrap_or(if seats > 1 {
        Method::StvScottish
    } else {
        Method::Schulze {
            strength: Default::default(),
        }
    });
    let resolve = |name: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, Refusal> {
        let Some(moment) = inv.moment(name) else {
            return Ok(None);
        };
        match moment.resolve(ctx.now).filter(|at| *at > ctx.now) {
            Some(at) => Ok(Some(at)),
            None => Err(ctx.refuse("award-err-past", &[("option", arg(format!("--{name}")))])),
        }
    };
    let nominations_close = resolve("nominations-close")?;
    let voting_open = resolve("voting-open")?.or(nominations_close);
    let voting_close = resolve("voting-close")?;
    let order = [nominations_close, voting_open, voting_close];
    let set: Vec<_> = order.iter().flatten().collect();
    if set.windows(2).any(|pair| pair[0] > pair[1])
        || voting_open.zip(voting_close).is_some_and(|(o, c)| o >= c)
    {
        return Err(ctx.refuse("award-err-schedule-order", &[]));
    }
    let reminders = match inv.duration("remind") {
        None => Vec::new(),
        Some(_) if voting_close.is_none() => return Err(ctx.refuse("award-err-remind-needs-close", &[])),
        Some(d) => vec![Reminder {
            deadline: Deadline::VotingClose,
            hours_before: u32::try_from(d.as_secs().div_ceil(3600)).unwrap_or(u32::MAX),
        }],
    };
    let roll = inv.users("roll");
    let quorum = inv.quorum("quorum");
    if let Some(q) = quorum
        && q.min_percent_of_roll > 0
        && roll.is_none()
    {
        // The campaign would refuse it only when voting opens: say so now.
        return Err(ctx.refuse(
            "award-err-quorum-without-roll",
            &[("percent", q.min_percent_of_roll.into())],
        ));
    }
    // (slug, title, method, seats): a category's own method and seats, or the campaign's.
    let categories: Vec<(String, String, Method, u32)> = match inv.categories("categories") {
        Some(list) => list
            .iter()
            .map(|c| {
                (
                    c.slug.clone(),
                    c.title.clone().unwrap_or_else(|| c.slug.replace('-', " ")),
                    c.method.clone().unwrap_or_else(|| method.clone()),
                    c.seats.unwrap_or(seats),
                )
            })
            .collect(),
        None => vec![("award".to_owned(), title.clone(), method.clone(), seats)],
    };
    let mut actions = Vec::new();
    for (slug, category_title, method, seats) in &categories {
        actions.push(Action::Configure {
            change: RuleChange::AddCategory {
                slug: slug.clone(),
                title: category_title.clone(),
            },
        });
        actions.push(Action::Configure {
            change: RuleChange::DeclareMethod {
                category: slug.clone(),
                method: method.clone(),
                seats: *seats,
            },
        });
    }
    if let Some(quorum) = quorum {
        actions.push(Action::Configure {
            change: RuleChange::Quorum(quorum),
        });
    }
    if let Some(recusal) = inv.recusal("recuse-same") {
        actions.push(Action::Configure {
            change: RuleChange::Recusal(recusal),
        });
    }
    let seconds = inv.count("seconds").unwrap_or(1);
    actions.push(Action::Configure {
        change: RuleChange::SecondsRequired(seconds),
    });
    let secrecy = if inv.switch("public") {
        Secrecy::Open
    } else {
        Secrecy::Secret
    };
    actions.push(Action::Configure {
        change: RuleChange::Secrecy(secrecy),
    });
    let region = inv.region("region");
    if roll.is_some() || region.is_some() {
        actions.push(Action::Configure {
            change: RuleChange::Voters(Eligibility {
                // On a roll, the roll decides; otherwise peers, from the region if given.
                min_role: if roll.is_some() {
                    AwardRole::Anyone
                } else {
                    AwardRole::Peer
                },
                regions: region.map(|r| [r.slug().to_owned()].into()),
                roll: roll.map(|users| users.iter().cloned().collect()),
            }),
        });
    }
    if set.len() + reminders.len() > 0 {
        actions.push(Action::Configure {
            change: RuleChange::Schedule(Schedule {
                nominations_open: None,
                nominations_close,
                voting_open,
                voting_close,
                reminders,
            }),
        });
    }
    let seed = draw_seed()?;
    actions.push(Action::Configure {
        change: RuleChange::TieCommitment(TieBreak::commitment(seed.as_bytes())),
    });
    actions.push(Action::Transition {
        transition: Transition::OpenNominations,
    });
    let creator = actor(ctx).await?;
    let c = ctx
        .store()
        .open_award_campaign(&title, &creator, &ctx.caller.room, &seed, &actions, ctx.now)
        .await
        .map_err(|e| refused(ctx, e))?;
    let w = words(ctx);
    let mut out = render::announcement(
        w,
        &c,
        &[Effect::PhaseChanged {
            from: Phase::Draft,
            to: Phase::NominationsOpen,
        }],
        None,
        &hint(ctx),
    );
    out.push('\n');
    out.push_str(&rules_summary(ctx, &c));
    Ok(out)
}

/// Categories, method, secrecy, seconds, voters and schedule, a line each.
fn rules_summary(ctx: &Ctx<'_>, c: &Campaign) -> String {
    let r = c.rules();
    let mut out = String::new();
    for cat in &r.categories {
        let method = cat.method.as_ref().map_or("?", |m| m.name());
        let _ = writeln!(
            out,
            "- {}",
            ctx.t(
                "award-show-category",
                &[
                    ("slug", arg(cat.slug.clone())),
                    ("title", arg(cat.title.clone())),
                    ("method", arg(method)),
                    ("seats", cat.seats.into()),
                    ("form", arg(ctx.t(form_id(cat.method.as_ref()), &[]))),
                ],
            )
        );
    }
    let secret = if r.secrecy == Secrecy::Secret { "yes" } else { "no" };
    let _ = writeln!(
        out,
        "- {}",
        ctx.t(
            "award-show-rules",
            &[("secret", arg(secret)), ("seconds", r.seconds_required.into())]
        )
    );
    let voters = match (&r.voters.roll, &r.voters.regions) {
        (Some(roll), _) => ctx.t("award-show-roll", &[("count", roll.len().into())]),
        (None, Some(regions)) => ctx.t(
            "award-show-regions",
            &[(
                "regions",
                arg(regions.iter().cloned().collect::<Vec<_>>().join(", ")),
            )],
        ),
        (None, None) => ctx.t("award-show-peers", &[]),
    };
    let _ = writeln!(out, "- {voters}");
    let _ = writeln!(out, "- {}", render::quorum_rule(words(ctx), c));
    let recusal = r.recusal;
    let same = match (recusal.same_country, recusal.same_organisation) {
        (true, true) => "both",
        (true, false) => "country",
        (false, true) => "organisation",
        (false, false) => "none",
    };
    let _ = writeln!(out, "- {}", ctx.t("award-show-recusal", &[("same", arg(same))]));
    let s = c.schedule();
    let when =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or_else(|| ctx.t("award-by-admin", &[]), stamp);
    let _ = writeln!(
        out,
        "- {}",
        ctx.t(
            "award-show-schedule",
            &[
                ("nominations", arg(when(s.nominations_close))),
                ("open", arg(when(s.voting_open))),
                ("close", arg(when(s.voting_close))),
            ],
        )
    );
    for reminder in &s.reminders {
        let _ = writeln!(
            out,
            "- {}",
            ctx.t("award-show-reminder", &[("hours", reminder.hours_before.into())])
        );
    }
    if let Some(commitment) = &r.tie_commitment {
        let _ = writeln!(
            out,
            "- {}",
            ctx.t(
                "award-announce-commitment",
                &[("commitment", arg(commitment.clone()))]
            )
        );
    }
    out.trim_end().to_owned()
}

/// The message that says how to fill in a ballot of the method.
fn form_id(method: Option<&Method>) -> &'static str {
    match method.map(Method::ballot_shape) {
        Some(BallotShape::Single) => "award-form-single",
        Some(BallotShape::Approval { .. }) => "award-form-approval",
        Some(BallotShape::Score { .. }) => "award-form-score",
        Some(BallotShape::Ranked { .. }) | None => "award-form-ranked",
    }
}

pub(in crate::chat) async fn list(ctx: &Ctx<'_>) -> Handled {
    let campaigns = ctx.store().award_campaigns().await?;
    if campaigns.is_empty() {
        return Ok(ctx.t("award-list-none", &[]));
    }
    let w = words(ctx);
    let mut out = ctx.t("award-list-title", &[("count", campaigns.len().into())]);
    out.push('\n');
    for c in &campaigns {
        let active = c.nominations().iter().filter(|n| n.is_active()).count();
        let _ = writeln!(
            out,
            "- {}",
            ctx.t(
                "award-list-line",
                &[
                    ("campaign", arg(render::campaign_name(w, c))),
                    ("phase", arg(render::phase_name(w, c.phase()))),
                    ("nominations", active.into()),
                ],
            )
        );
    }
    Ok(out.trim_end().to_owned())
}

pub(in crate::chat) async fn show(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    let w = words(ctx);
    let mut out = ctx.t(
        "award-show-title",
        &[
            ("campaign", arg(render::campaign_name(w, &c))),
            ("phase", arg(render::phase_name(w, c.phase()))),
            (
                "nominations",
                c.nominations().iter().filter(|n| n.is_active()).count().into(),
            ),
        ],
    );
    out.push('\n');
    out.push_str(&rules_summary(ctx, &c));
    if let Some(seed) = c.seed() {
        out.push('\n');
        out.push_str(&ctx.t("award-show-seed", &[("seed", arg(seed))]));
    }
    Ok(out)
}

pub(in crate::chat) async fn close(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    let steps: &[Transition] = match c.phase() {
        Phase::Draft => &[Transition::OpenNominations],
        Phase::NominationsOpen => &[Transition::CloseNominations, Transition::OpenVoting],
        Phase::NominationsClosed => &[Transition::OpenVoting],
        Phase::VotingOpen => &[Transition::CloseVoting],
        Phase::VotingClosed | Phase::Certified => {
            return Err(ctx.refuse(
                "award-err-closed",
                &[("campaign", arg(render::campaign_name(words(ctx), &c)))],
            ));
        }
    };
    take_steps(ctx, &c, steps).await
}

/// `award certify ID`: an admin makes the results of a closed campaign final, audited as its
/// other steps are; a certified campaign takes no further step.
pub(in crate::chat) async fn certify(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    take_steps(ctx, &c, &[Transition::Certify]).await
}

/// Takes `steps` of campaign `c` as the caller, one transaction each with its audit entry and
/// its announcement to the campaign's room (unless the caller is there: the reply says it).
async fn take_steps(ctx: &Ctx<'_>, c: &Campaign, steps: &[Transition]) -> Handled {
    let id = c.id().to_owned();
    let actor = actor(ctx).await?;
    let eligible = crate::award::eligible_voters(ctx.store(), c).await?;
    let room_lang = match ctx.store().award_room(&id).await.map_err(|e| refused(ctx, e))? {
        Some(room) => crate::award::room_language(ctx.store(), &room, ctx.lang).await,
        None => ctx.lang,
    };
    let locales = ctx.chat.locales();
    let prefix = ctx.chat.prefix().to_owned();
    let mut out = String::new();
    for step in steps {
        let stepped = ctx
            .store()
            .step_award_campaign(
                &id,
                AwardStep::Admin {
                    actor: actor.clone(),
                    transition: *step,
                },
                &eligible,
                ctx.now,
                |s| {
                    crate::award::announcements(
                        locales,
                        room_lang,
                        &prefix,
                        s,
                        &eligible,
                        Some(&ctx.caller.room),
                    )
                },
            )
            .await
            .map_err(|e| refused(ctx, e))?;
        let said = render::announcement(
            words(ctx),
            &stepped.campaign,
            &stepped.effects,
            stepped.turnout.as_ref(),
            &hint(ctx),
        );
        if !said.is_empty() {
            out.push_str(&said);
            out.push('\n');
        }
    }
    Ok(out.trim_end().to_owned())
}

/// The results as text, with their chart when a category was counted.
pub(in crate::chat) async fn results(
    ctx: &Ctx<'_>,
    inv: &Invocation,
) -> Result<(String, Option<Image>), Refusal> {
    let c = campaign(ctx, inv).await?;
    if c.phase() < Phase::VotingClosed {
        return Err(ctx.refuse(
            "award-err-not-closed",
            &[
                ("campaign", arg(c.title())),
                ("phase", arg(render::phase_name(words(ctx), c.phase()))),
            ],
        ));
    }
    let w = words(ctx);
    Ok((render::results(w, &c), crate::award::chart::results_chart(w, &c)))
}

pub(in crate::chat) async fn export(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    if c.phase() < Phase::VotingClosed {
        return Err(ctx.refuse(
            "award-err-not-closed",
            &[
                ("campaign", arg(c.title())),
                ("phase", arg(render::phase_name(words(ctx), c.phase()))),
            ],
        ));
    }
    Ok(render::export(words(ctx), &c))
}

pub(in crate::chat) async fn nominate(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    let category = inv.category("category").unwrap_or_default().to_owned();
    let country = inv
        .country("country")
        .map(ToString::to_string)
        .unwrap_or_default();
    let name = inv.name("nominee").unwrap_or_default();
    let mut nominee = if inv.switch("institution") {
        Nominee::institution(name, country)
    } else {
        Nominee::person(name, country)
    };
    if let Some(org) = inv.name("organisation") {
        nominee = nominee.with_organisation(org);
    }
    if let Some(user) = inv.text("user") {
        nominee = nominee.with_user(user);
    }
    let citation = inv.text("citation").unwrap_or_default().trim().to_owned();
    if citation.chars().count() > vigie_awards::nomination::MAX_CITATION_CHARS {
        return Err(ctx.refuse(
            "award-err-citation-long",
            &[("max", vigie_awards::nomination::MAX_CITATION_CHARS.into())],
        ));
    }
    let replaces = inv.nomination("replaces");
    if let Some(r) = replaces
        && r.campaign.is_some_and(|other| other.to_string() != c.id())
    {
        return Err(ctx.refuse("award-err-replaces-elsewhere", &[("id", arg(c.id()))]));
    }
    let action = match replaces {
        Some(r) => Action::EditNomination {
            id: NominationId(r.number),
            category: Some(category),
            nominee: Some(nominee),
            citation: Some(citation),
        },
        None => Action::Nominate {
            category,
            nominee,
            citation,
        },
    };
    let effects = apply(ctx, c.id(), action).await?;
    let after = ctx.store().award_campaign(c.id()).await?;
    let id = effects.iter().find_map(|e| match e {
        Effect::Nominated { id } => Some(*id),
        Effect::NominationEdited { id, .. } => Some(*id),
        _ => None,
    });
    let (Some(id), Some(after)) = (id, after) else {
        return Err(Refusal::Internal(anyhow::anyhow!(
            "a nomination was accepted without its number"
        )));
    };
    let Some(n) = after.nomination(id) else {
        return Err(Refusal::Internal(anyhow::anyhow!(
            "nomination {id} vanished after it was made"
        )));
    };
    let cleared = effects.iter().any(|e| {
        matches!(
            e,
            Effect::NominationEdited {
                seconds_cleared: true,
                ..
            }
        )
    });
    let key = if replaces.is_some() {
        "award-nominate-edited"
    } else {
        "award-nominate-ok"
    };
    let mut out = ctx.t(
        key,
        &[
            ("id", arg(format!("{}{id}", c.id()))),
            ("nominee", arg(n.nominee.to_string())),
            ("category", arg(n.category.clone())),
            ("required", after.rules().seconds_required.into()),
            ("prefix", arg(hint(ctx))),
        ],
    );
    if cleared {
        out.push(' ');
        out.push_str(&ctx.t("award-nominate-seconds-cleared", &[]));
    }
    Ok(out)
}

pub(in crate::chat) async fn second(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let r = inv.nomination("nomination").unwrap_or(NominationRef {
        campaign: None,
        number: 0,
    });
    let (campaign, id) = nomination_in(ctx, r, &[Phase::NominationsOpen]).await?;
    let effects = apply(ctx, &campaign, Action::Second { id }).await?;
    let (seconds, required) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Seconded {
                seconds, required, ..
            } => Some((*seconds, *required)),
            _ => None,
        })
        .unwrap_or_default();
    Ok(ctx.t(
        "award-second-ok",
        &[
            ("id", arg(format!("{campaign}{id}"))),
            ("seconds", seconds.into()),
            ("required", required.into()),
        ],
    ))
}

pub(in crate::chat) async fn withdraw(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let r = inv.nomination("nomination").unwrap_or(NominationRef {
        campaign: None,
        number: 0,
    });
    let (campaign, id) = nomination_in(
        ctx,
        r,
        &[
            Phase::NominationsOpen,
            Phase::NominationsClosed,
            Phase::VotingOpen,
        ],
    )
    .await?;
    apply(ctx, &campaign, Action::Withdraw { id }).await?;
    Ok(ctx.t("award-withdraw-ok", &[("id", arg(format!("{campaign}{id}")))]))
}

pub(in crate::chat) async fn nominations(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    let category = inv.category("category");
    if let Some(slug) = category
        && c.rules().category(slug).is_none()
    {
        return Err(ctx.refuse(
            "award-err-unknown-category",
            &[
                ("campaign", arg(c.title())),
                ("category", arg(slug)),
                ("known", arg(c.rules().slugs())),
            ],
        ));
    }
    let list: Vec<_> = c
        .nominations()
        .iter()
        .filter(|n| category.is_none_or(|slug| n.category == slug))
        .collect();
    let w = words(ctx);
    if list.is_empty() {
        return Ok(ctx.t(
            "award-nominations-none",
            &[("campaign", arg(render::campaign_name(w, &c)))],
        ));
    }
    let mut out = ctx.t(
        "award-nominations-title",
        &[
            ("campaign", arg(render::campaign_name(w, &c))),
            ("count", list.len().into()),
        ],
    );
    out.push('\n');
    for n in list {
        let status = match &n.status {
            NominationStatus::Active => ctx.t("award-status-active", &[]),
            NominationStatus::Withdrawn { .. } => ctx.t("award-status-withdrawn", &[]),
            NominationStatus::Lapsed { .. } => ctx.t("award-status-lapsed", &[]),
        };
        let mut citation: String = n.citation.chars().take(CITATION_SHOWN).collect();
        if n.citation.chars().count() > CITATION_SHOWN {
            citation.push('…');
        }
        let _ = writeln!(
            out,
            "- {}",
            ctx.t(
                "award-nominations-line",
                &[
                    ("id", arg(format!("{}{}", c.id(), n.id))),
                    ("nominee", arg(n.nominee.to_string())),
                    ("category", arg(n.category.clone())),
                    ("nominator", arg(display_user(&n.nominator))),
                    ("seconds", n.seconds_count().into()),
                    ("required", c.rules().seconds_required.into()),
                    ("status", arg(status)),
                    ("citation", arg(citation)),
                ],
            )
        );
    }
    Ok(out.trim_end().to_owned())
}

pub(in crate::chat) async fn vote(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    if c.rules().secrecy == Secrecy::Secret
        && ctx.caller.platform != Platform::Console
        && !ctx.caller.direct
        && c.phase() == Phase::VotingOpen
    {
        return Err(secret_elsewhere(ctx, &c).await);
    }
    let text = inv.text("ballot").unwrap_or_default().trim();
    // An optional category first: `champion: #2 > #1` or `champion #2 > #1`.
    let (category, rest) = match text.split_once([':', ' ']) {
        Some((first, rest)) if c.rules().category(&first.to_lowercase()).is_some() => {
            (first.to_lowercase(), rest.trim_start_matches(':').trim())
        }
        _ if c.rules().category(&text.to_lowercase()).is_some() => (text.to_lowercase(), ""),
        _ => match c.rules().categories.as_slice() {
            [only] => (only.slug.clone(), text),
            _ => {
                return Err(ctx.refuse(
                    "award-err-vote-category",
                    &[("known", arg(c.rules().slugs())), ("id", arg(c.id()))],
                ));
            }
        },
    };
    if c.phase() != Phase::VotingOpen {
        // The campaign's own refusal, before reading a ballot it would not take anyway.
        let actor = actor(ctx).await?;
        let probe = vigie_awards::campaign::Vote::Approve(Vec::new());
        return Err(
            match c.clone().apply(
                &actor,
                Action::Vote {
                    category,
                    vote: probe,
                },
                ctx.now,
            ) {
                Err(e) => Refusal::User(refusal::sentence(words(ctx), &e)),
                Ok(_) => Refusal::Internal(anyhow::anyhow!("a ballot was taken outside voting")),
            },
        );
    }
    let Some(method) = c.rules().category(&category).and_then(|cat| cat.method.clone()) else {
        return Err(ctx.refuse("award-err-no-method", &[("category", arg(category))]));
    };
    let on_ballot = c.standing(&category);
    let vote = ballot::read(rest, method.ballot_shape(), &on_ballot).map_err(|problem| {
        let form = ctx.t(form_id(Some(&method)), &[]);
        let listed = on_ballot
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        match problem {
            ballot::Problem::NotNomination(word) => {
                ctx.refuse("award-ballot-word", &[("word", arg(word)), ("form", arg(form))])
            }
            ballot::Problem::Form => ctx.refuse(
                "award-ballot-form",
                &[("method", arg(method.name())), ("form", arg(form))],
            ),
            ballot::Problem::Empty => ctx.refuse("award-ballot-empty", &[("form", arg(form))]),
            ballot::Problem::NotOnBallot(id) => ctx.refuse(
                "award-ballot-not-on",
                &[
                    ("id", arg(id.to_string())),
                    ("category", arg(category.clone())),
                    ("listed", arg(listed)),
                ],
            ),
            ballot::Problem::Twice(id) => ctx.refuse("award-ballot-twice", &[("id", arg(id.to_string()))]),
            ballot::Problem::Score { id, score, max } => ctx.refuse(
                "award-ballot-score",
                &[
                    ("id", arg(id.to_string())),
                    ("score", score.into()),
                    ("max", max.into()),
                ],
            ),
            ballot::Problem::EqualRanks => {
                ctx.refuse("award-ballot-equal", &[("method", arg(method.name()))])
            }
            ballot::Problem::TooMany { max } => ctx.refuse("award-ballot-too-many", &[("max", max.into())]),
        }
    })?;
    let effects = apply(
        ctx,
        c.id(),
        Action::Vote {
            category: category.clone(),
            vote,
        },
    )
    .await?;
    let replaced = effects
        .iter()
        .any(|e| matches!(e, Effect::BallotRecorded { replaced: true, .. }));
    Ok(ctx.t(
        "award-vote-ok",
        &[
            ("category", arg(category)),
            ("replaced", arg(if replaced { "yes" } else { "no" })),
            ("campaign", arg(render::campaign_name(words(ctx), &c))),
        ],
    ))
}

/// The refusal of a secret ballot typed where others read it: nothing of it is read, and the
/// ballot goes to the voter in their direct chat with Vigie (the outbox opens it, or finds the
/// one they have), where they can vote.
async fn secret_elsewhere(ctx: &Ctx<'_>, c: &Campaign) -> Refusal {
    // Someone who may not vote hears why, and gets no ballot.
    let voter = match actor(ctx).await {
        Ok(voter) => voter,
        Err(refusal) => return refusal,
    };
    if let Err(reason) = c.rules().voters.check(&voter) {
        let e = AwardError::NotEligible {
            campaign: c.title().to_owned(),
            activity: Activity::Vote,
            reason,
        };
        return Refusal::User(refusal::sentence(words(ctx), &e));
    }
    let person = &ctx.caller.user;
    let message = crate::award::personal_ballot(words(ctx), c, person, "");
    if let Err(e) = ctx
        .store()
        .commit_notifications(&[], &[], &[message], ctx.now)
        .await
    {
        return Refusal::Internal(e.into());
    }
    tracing::info!(
        campaign = c.id(),
        "a secret ballot typed in a shared room was refused; the ballot goes to the voter's direct chat"
    );
    ctx.refuse(
        "award-vote-in-direct",
        &[("campaign", arg(render::campaign_name(words(ctx), c)))],
    )
}

pub(in crate::chat) async fn recuse(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    let r = inv.nomination("nomination").unwrap_or(NominationRef {
        campaign: None,
        number: 0,
    });
    if r.campaign.is_some_and(|other| other.to_string() != c.id()) {
        return Err(ctx.refuse("award-err-replaces-elsewhere", &[("id", arg(c.id()))]));
    }
    let id = NominationId(r.number);
    let effects = apply(ctx, c.id(), Action::DeclareRecusal { id }).await?;
    let removed = effects.iter().any(|e| {
        matches!(
            e,
            Effect::RecusalDeclared {
                ballot_removed: true,
                ..
            }
        )
    });
    let category = c.nomination(id).map(|n| n.category.clone()).unwrap_or_default();
    Ok(ctx.t(
        "award-recuse-ok",
        &[
            ("id", arg(format!("{}{id}", c.id()))),
            ("category", arg(category)),
            ("removed", arg(if removed { "yes" } else { "no" })),
        ],
    ))
}

pub(in crate::chat) async fn turnout(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let c = campaign(ctx, inv).await?;
    match ctx
        .store()
        .award_turnout(c.id())
        .await
        .map_err(|e| refused(ctx, e))?
    {
        Some(t) => Ok(render::turnout(words(ctx), &c, &t)),
        None => Err(ctx.refuse(
            "award-err-turnout-before",
            &[
                ("campaign", arg(render::campaign_name(words(ctx), &c))),
                ("phase", arg(render::phase_name(words(ctx), c.phase()))),
            ],
        )),
    }
}
