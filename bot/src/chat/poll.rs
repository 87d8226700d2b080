//! `poll QUESTION | OPTION | OPTION …`, `poll close` and `poll results`: quick open polls in a
//! room.
//!
//! A poll is an award campaign with one category, counted by plurality (approval with
//! `--multiple`), with open ballots that anyone in the room may cast; its options are the
//! campaign's nominations, made by the poll's creator, and voting opens at once. So the database
//! is the record, the last ballot of each person counts, and a restart loses nothing. On the
//! console the options are numbered and people answer with `vote`; platforms with native polls
//! (Matrix) show it as one and turn the responses into ballots through [`respond`].

use std::fmt::Write as _;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use vigie_awards::campaign::{
    Action, Campaign, Effect, Method, Phase, RuleChange, Schedule, Secrecy, Transition, Vote,
};
use vigie_awards::eligibility::{Actor, Eligibility, Role as AwardRole};
use vigie_awards::nomination::{MAX_NAME_CHARS, NominationId, Nominee, normalise_name};
use vigie_awards::tie::TieBreak;
use vigie_storage::{AwardStep, AwardStoreError, StoredPoll};

use super::{Caller, Chat, Ctx, Handled, Platform, Refusal};
use crate::award::refusal;
use crate::award::render::Words;
use crate::command::locale::{Args, arg};
use crate::command::{Invocation, Lang, Level, Locales};

/// The one category of a poll.
pub const CATEGORY: &str = "poll";
/// Most options a poll may have (what Matrix clients show).
const MAX_OPTIONS: usize = 20;
/// The jurisdiction of an option: ISO 3166's "unknown" code, since an option is not a nominee
/// from a country.
const NO_JURISDICTION: &str = "ZZ";

/// A poll as a platform shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The poll's number.
    pub id: String,
    pub question: String,
    /// Each option's number (its answer id) and text, in order.
    pub options: Vec<(String, String)>,
    /// Whether a person may choose several options.
    pub multiple: bool,
}

fn words<'a>(locales: &'a Locales, lang: Lang) -> Words<'a> {
    Words { locales, lang }
}

fn refused(ctx: &Ctx<'_>, e: AwardStoreError) -> Refusal {
    match e {
        AwardStoreError::Refused(e) => {
            Refusal::User(refusal::sentence(words(ctx.chat.locales(), ctx.lang), &e))
        }
        AwardStoreError::UnknownCampaign { id } => ctx.refuse("poll-err-unknown", &[("id", arg(id))]),
        AwardStoreError::Storage(e) => Refusal::Internal(e.into()),
    }
}

/// The prefix to write before a command in a hint: none on the console.
fn hint(ctx: &Ctx<'_>) -> String {
    if ctx.caller.platform == Platform::Console {
        String::new()
    } else {
        format!("{} ", ctx.chat.prefix())
    }
}

/// The question and options of `text`, separated by `|`, or the sentence saying what is wrong.
fn read_question(ctx: &Ctx<'_>, text: &str) -> Result<(String, Vec<String>), Refusal> {
    let mut parts = text
        .split('|')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "));
    let question = parts.next().unwrap_or_default();
    let options: Vec<String> = parts.collect();
    if question.is_empty() || options.len() < 2 || options.iter().any(String::is_empty) {
        return Err(ctx.refuse("poll-err-form", &[]));
    }
    if options.len() > MAX_OPTIONS {
        return Err(ctx.refuse(
            "poll-err-too-many",
            &[("count", options.len().into()), ("max", MAX_OPTIONS.into())],
        ));
    }
    let too_long = std::iter::once(&question)
        .chain(&options)
        .find(|t| t.chars().count() > MAX_NAME_CHARS);
    if let Some(text) = too_long {
        let start: String = text.chars().take(20).collect();
        return Err(ctx.refuse(
            "poll-err-long",
            &[("start", arg(start)), ("max", MAX_NAME_CHARS.into())],
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = options.iter().find(|o| !seen.insert(normalise_name(o))) {
        return Err(ctx.refuse("poll-err-twice", &[("option", arg(twice.clone()))]));
    }
    Ok((question, options))
}

/// A tie-break commitment for the campaign: polls show counts, so the seed is never needed to
/// break a tie, but voting opens only with one. Drawn like an award's.
fn seed() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(64);
    for i in 0u64..4 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(Utc::now().timestamp_nanos_opt().unwrap_or_default() as u128);
        let _ = write!(out, "{:016x}", h.finish());
    }
    out
}

pub(in crate::chat) async fn create(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let (question, options) = read_question(ctx, inv.text("question").unwrap_or_default())?;
    let multiple = inv.switch("multiple");
    let closes = match inv.moment("closes") {
        None => None,
        Some(moment) => match moment.resolve(ctx.now).filter(|at| *at > ctx.now) {
            Some(at) => Some(at),
            None => return Err(ctx.refuse("award-err-past", &[("option", arg("--closes"))])),
        },
    };
    let method = if multiple {
        Method::Approval { max_approvals: None }
    } else {
        Method::Plurality
    };
    let seed = seed();
    let mut actions = vec![
        Action::Configure {
            change: RuleChange::AddCategory {
                slug: CATEGORY.to_owned(),
                title: question.clone(),
            },
        },
        Action::Configure {
            change: RuleChange::DeclareMethod {
                category: CATEGORY.to_owned(),
                method,
                seats: 1,
            },
        },
        Action::Configure {
            change: RuleChange::SecondsRequired(0),
        },
        Action::Configure {
            change: RuleChange::Secrecy(Secrecy::Open),
        },
        Action::Configure {
            change: RuleChange::Voters(Eligibility::anyone()),
        },
        Action::Configure {
            change: RuleChange::TieCommitment(TieBreak::commitment(seed.as_bytes())),
        },
    ];
    if closes.is_some() {
        actions.push(Action::Configure {
            change: RuleChange::Schedule(Schedule {
                voting_close: closes,
                ..Schedule::default()
            }),
        });
    }
    actions.push(Action::Transition {
        transition: Transition::OpenNominations,
    });
    for option in &options {
        actions.push(Action::Nominate {
            category: CATEGORY.to_owned(),
            nominee: Nominee::institution(option.clone(), NO_JURISDICTION),
            citation: question.clone(),
        });
    }
    actions.push(Action::Transition {
        transition: Transition::CloseNominations,
    });
    actions.push(Action::Transition {
        transition: Transition::OpenVoting,
    });
    // The creator runs their own poll: the campaign sees them as its admin (the command's level
    // already said who may ask one).
    let creator = Actor::new(ctx.caller.user.clone(), AwardRole::Admin);
    let c = ctx
        .store()
        .open_poll(&question, &creator, &ctx.caller.room, &seed, &actions, ctx.now)
        .await
        .map_err(|e| refused(ctx, e))?;
    let shown = shown(&c);
    let mut out = ctx.t(
        "poll-opened",
        &[("id", arg(c.id())), ("question", arg(question.clone()))],
    );
    out.push('\n');
    for (number, text) in &shown.options {
        let _ = writeln!(out, "{number}. {text}");
    }
    let example = if multiple { "1 2" } else { "1" };
    out.push_str(&ctx.t(
        "poll-how",
        &[
            ("prefix", arg(hint(ctx))),
            ("id", arg(c.id())),
            ("example", arg(example)),
            ("multiple", arg(if multiple { "yes" } else { "no" })),
        ],
    ));
    out.push(' ');
    out.push_str(&match closes {
        Some(at) => ctx.t(
            "poll-closes-at",
            &[("at", arg(vigie_awards::campaign::rules::stamp(at)))],
        ),
        None => ctx.t(
            "poll-closes-by-hand",
            &[("prefix", arg(hint(ctx))), ("id", arg(c.id()))],
        ),
    });
    Ok(out)
}

/// The poll a command names, with its campaign.
async fn named(ctx: &Ctx<'_>, inv: &Invocation) -> Result<(StoredPoll, Campaign), Refusal> {
    let id = inv.campaign("poll").unwrap_or_default().to_string();
    let unknown = || ctx.refuse("poll-err-unknown", &[("id", arg(id.clone()))]);
    let poll = ctx.store().poll(&id).await?.ok_or_else(unknown)?;
    let campaign = ctx.store().award_campaign(&id).await?.ok_or_else(unknown)?;
    Ok((poll, campaign))
}

/// Who asked the poll: the maker of its options.
fn creator(c: &Campaign) -> Option<&str> {
    c.nominations().first().map(|n| n.nominator.as_str())
}

pub(in crate::chat) async fn close(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let (_, c) = named(ctx, inv).await?;
    if creator(&c) != Some(ctx.caller.user.as_str()) && ctx.level < Level::Admin {
        return Err(ctx.refuse("poll-err-not-yours", &[("id", arg(c.id()))]));
    }
    if c.phase() != Phase::VotingOpen {
        return Err(ctx.refuse(
            "poll-err-closed",
            &[("id", arg(c.id())), ("prefix", arg(hint(ctx)))],
        ));
    }
    let actor = Actor::new(ctx.caller.user.clone(), AwardRole::Admin);
    let stepped = ctx
        .store()
        .step_award_campaign(
            c.id(),
            AwardStep::Admin {
                actor,
                transition: Transition::CloseVoting,
            },
            &[],
            ctx.now,
            // The reply says it, and platforms with native polls end theirs.
            |_| Vec::new(),
        )
        .await
        .map_err(|e| refused(ctx, e))?;
    let closed = stepped.effects.iter().any(|e| {
        matches!(
            e,
            Effect::PhaseChanged {
                to: Phase::VotingClosed,
                ..
            }
        )
    });
    if !closed {
        return Err(Refusal::Internal(anyhow::anyhow!(
            "poll {} was not closed by its closing step",
            c.id()
        )));
    }
    let votes = ballots(ctx.chat, &stepped.campaign).await?;
    Ok(results_text(
        ctx.chat.locales(),
        ctx.lang,
        &stepped.campaign,
        &votes,
    ))
}

pub(in crate::chat) async fn results(ctx: &Ctx<'_>, inv: &Invocation) -> Handled {
    let (_, c) = named(ctx, inv).await?;
    let votes = ballots(ctx.chat, &c).await?;
    Ok(results_text(ctx.chat.locales(), ctx.lang, &c, &votes))
}

/// The ballots of a poll: open ones while it is open, the sealed ones once closed.
async fn ballots(chat: &Chat, c: &Campaign) -> anyhow::Result<Vec<Vote>> {
    let store = chat.store();
    let votes = if c.phase() == Phase::VotingOpen {
        store
            .open_ballots(c.id(), CATEGORY)
            .await
            .context("reading a poll's open ballots")?
            .unwrap_or_default()
            .into_iter()
            .map(|(_, vote)| vote)
            .collect()
    } else {
        store
            .sealed_ballots(c.id(), CATEGORY)
            .await
            .context("reading a poll's sealed ballots")?
            .unwrap_or_default()
    };
    Ok(votes)
}

/// How many ballots choose each option, in the options' order.
pub fn counts(options: &[NominationId], votes: &[Vote]) -> Vec<u64> {
    options
        .iter()
        .map(|id| {
            votes
                .iter()
                .filter(|vote| match vote {
                    Vote::Single(one) => one == id,
                    Vote::Approve(ids) => ids.contains(id),
                    Vote::Score(scores) => scores.iter().any(|(n, s)| n == id && *s > 0),
                    Vote::Ranked(ranks) => ranks.first().is_some_and(|first| first.contains(id)),
                })
                .count() as u64
        })
        .collect()
}

/// The poll's counts as text: a title saying whether it is open, a line per option, the
/// leading options marked.
pub fn results_text(locales: &Locales, lang: Lang, c: &Campaign, votes: &[Vote]) -> String {
    let t = |id: &str, args: &Args<'_>| locales.text(lang, id, args);
    let open = c.phase() == Phase::VotingOpen;
    let mut out = t(
        if open {
            "poll-results-open"
        } else {
            "poll-results-closed"
        },
        &[
            ("id", arg(c.id())),
            ("question", arg(c.title())),
            ("ballots", votes.len().into()),
        ],
    );
    out.push('\n');
    let ids = c.ballot(CATEGORY).to_vec();
    let counts = counts(&ids, votes);
    let top = counts.iter().copied().max().unwrap_or(0);
    for (id, count) in ids.iter().zip(&counts) {
        let name = c
            .nomination(*id)
            .map_or_else(String::new, |n| n.nominee.name.clone());
        let line = t(
            "poll-results-line",
            &[
                ("number", arg(id.0.to_string())),
                ("option", arg(name)),
                ("count", (*count).into()),
                (
                    "leading",
                    arg(if top > 0 && *count == top { "yes" } else { "no" }),
                ),
            ],
        );
        let _ = writeln!(out, "- {line}");
    }
    out.trim_end().to_owned()
}

/// The poll `id` as platforms show it, if it is a poll.
pub async fn show(chat: &Chat, id: &str) -> anyhow::Result<Option<Shown>> {
    let Some(c) = chat.store().award_campaign(id).await? else {
        return Ok(None);
    };
    Ok(Some(shown(&c)))
}

fn shown(c: &Campaign) -> Shown {
    let multiple = c
        .rules()
        .category(CATEGORY)
        .is_some_and(|cat| matches!(cat.method, Some(Method::Approval { .. })));
    let options = c
        .ballot(CATEGORY)
        .iter()
        .map(|id| {
            let text = c
                .nomination(*id)
                .map_or_else(String::new, |n| n.nominee.name.clone());
            (id.0.to_string(), text)
        })
        .collect();
    Shown {
        id: c.id().to_owned(),
        question: c.title().to_owned(),
        options,
        multiple,
    }
}

/// The results of poll `id` in the language of `room`, for the message that ends it on its
/// platform; `None` when there is no such campaign.
pub async fn results_for_room(
    chat: &Chat,
    id: &str,
    room: &str,
    platform: Platform,
) -> anyhow::Result<Option<String>> {
    let Some(c) = chat.store().award_campaign(id).await? else {
        return Ok(None);
    };
    let caller = Caller {
        platform,
        user: String::new(),
        room: room.to_owned(),
        room_admin: false,
        ..Caller::console()
    };
    let lang = chat.language(&caller).await;
    let votes = ballots(chat, &c).await?;
    Ok(Some(results_text(chat.locales(), lang, &c, &votes)))
}

/// What became of a platform's poll response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Responded {
    /// Recorded as the voter's ballot (replacing an earlier one or not).
    Counted { replaced: bool },
    /// It chose nothing the poll offers: ignored.
    Empty,
    /// The poll refused it (closed, for instance); the reason, for the logs.
    Refused(String),
}

/// Records `voter`'s response to poll `id`, sent at `at`, choosing the answers `answers` (the
/// options' numbers), as their ballot. As MSC3381 counts: answers the poll does not offer are
/// ignored, and of the rest only the first counts in a one-choice poll.
pub async fn respond(
    chat: &Chat,
    id: &str,
    voter: &str,
    answers: &[String],
    at: DateTime<Utc>,
) -> anyhow::Result<Responded> {
    let Some(c) = chat.store().award_campaign(id).await? else {
        return Ok(Responded::Refused(format!("there is no poll {id}")));
    };
    let offered = c.standing(CATEGORY);
    let mut chosen: Vec<NominationId> = Vec::new();
    for answer in answers {
        let Ok(number) = answer.trim().parse::<u32>() else {
            continue;
        };
        let id = NominationId(number);
        if offered.contains(&id) && !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    let multiple = shown(&c).multiple;
    let vote = match (multiple, chosen.first()) {
        (_, None) => return Ok(Responded::Empty),
        (false, Some(first)) => Vote::Single(*first),
        (true, Some(_)) => Vote::Approve(chosen),
    };
    let actor = Actor::new(voter, AwardRole::Anyone);
    match chat.store().cast_ballot(id, &actor, CATEGORY, vote, at).await {
        Ok(effects) => Ok(Responded::Counted {
            replaced: effects
                .iter()
                .any(|e| matches!(e, Effect::BallotRecorded { replaced: true, .. })),
        }),
        Err(AwardStoreError::Refused(e)) => Ok(Responded::Refused(e.to_string())),
        Err(e) => Err(e).context("recording a poll response"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_each_ballot_shape() {
        let options = [NominationId(1), NominationId(2), NominationId(3)];
        let votes = [
            Vote::Single(NominationId(2)),
            Vote::Approve(vec![NominationId(1), NominationId(2)]),
            Vote::Single(NominationId(2)),
        ];
        assert_eq!(counts(&options, &votes), [1, 3, 0]);
        assert_eq!(counts(&options, &[]), [0, 0, 0]);
    }
}
