//! Secret ballots as private forms: `/vote campaign:N` without a ballot answers with a message
//! only the voter sees (ephemeral), holding the menus its category's method needs: "1st choice",
//! "2nd choice"… for ranked methods (four ranks a page, more on the next pages), one menu of
//! several choices for approval, one menu per nominee for a score (four a page), one menu for a
//! single choice; and **Cast ballot**. A campaign with several categories first asks which.
//!
//! Stateless: the ballot being filled in is in the components themselves. Every `custom_id`
//! carries the whole draft, and each choice is answered by redrawing the message
//! (`UPDATE_MESSAGE`) from the draft it makes, so nothing lives in memory or in the database until
//! the ballot is cast, and a restart between two choices changes nothing. Casting runs the typed
//! `vote CAMPAIGN CATEGORY: MARKS` through the chat, as a ballot in a direct chat with Vigie
//! (only the voter sees this form): same eligibility, recusal and storage, the last ballot counts.
//! No draft or ballot is ever logged.
//!
//! `ballot:CAMPAIGN:CATEGORY:COUNT:DRAFT:ACTION`, where CATEGORY is the category's place in the
//! campaign's rules (locked once voting opens), COUNT the number of nominees on the ballot when it
//! was drawn (a withdrawal since makes the draft stale), DRAFT the nominees by their place on the
//! ballot, one base-36 digit each (in order for a ranking; for a score, one digit per nominee, its
//! score or `-`), and ACTION `r3` (the 4th-choice menu), `o` (the choice), `a` (the approvals),
//! `s2` (the 3rd nominee's score), `p1` (the 2nd page), `x` (start over) or `cast`.
//! `ballot:CAMPAIGN:cat` picks the category. Anything else gets one sentence and changes nothing.

use std::time::Instant;

use chrono::Utc;
use serenity::all::{
    CommandInteraction, ComponentInteraction, ComponentInteractionDataKind, Context,
    CreateInteractionResponse, CreateInteractionResponseFollowup, EditInteractionResponse, ModalInteraction,
};
use vigie_awards::campaign::rules::BallotShape;
use vigie_awards::campaign::{Action, AwardError, Campaign, Vote};
use vigie_awards::eligibility::Actor;

use super::interaction::{Asked, DEFER_AFTER, caller, language, say_privately, take};
use super::{Inner, describe};
use crate::award::refusal;
use crate::award::render::Words;
use crate::chat::Caller;
use crate::command::locale::{Args, arg};
use crate::command::{Given, Id, Lang, help, spec, typed};
use crate::metrics::Outcome;

mod form;
use form::{Draft, MAX_CONTENT, Paper, Route, Screen, Step, clip, number};

/// Whether a slash command asks for a ballot form: `/vote` with a campaign and no ballot.
pub(super) fn is_blank_vote(interaction: &CommandInteraction) -> bool {
    interaction.data.name == "vote"
        && !interaction
            .data
            .options
            .iter()
            .any(|o| o.name == "ballot" && o.value.as_str().is_some_and(|b| !b.trim().is_empty()))
}

/// Answers `/vote campaign:N` with the ballot form, privately, or with why there is none.
pub(super) async fn on_vote(bot: &Inner, ctx: &Context, interaction: CommandInteraction) {
    if !take(bot, interaction.id).await {
        return;
    }
    let asked = Asked::command(&interaction);
    let who = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_deref(),
    );
    let lang = language(&bot.chat, &who, &interaction.locale).await;
    let campaign = match super::interaction::invocation(&interaction.data.name, &interaction.data.options) {
        Ok(inv) => inv.campaign("campaign").unwrap_or_default(),
        Err(e) => return say_privately(ctx, &asked, help::error(bot.chat.locales(), lang, &e)).await,
    };
    match form(bot, &who, lang, campaign, None).await {
        Ok(screen) => {
            let message = screen.message().ephemeral(true);
            if let Err(e) = interaction
                .create_response(&ctx.http, CreateInteractionResponse::Message(message))
                .await
            {
                tracing::warn!(interaction = %asked.id, error = describe(&e), "a ballot form could not be sent");
            }
        }
        Err(sentence) => say_privately(ctx, &asked, sentence).await,
    }
}

/// Answers a choice, a page, a fresh start or the cast of a ballot form, once.
pub(super) async fn on_component(bot: &Inner, ctx: &Context, interaction: ComponentInteraction) {
    let received = Instant::now();
    if !take(bot, interaction.id).await {
        return;
    }
    let asked = Asked::component(&interaction);
    let who = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_ref(),
    );
    let lang = language(&bot.chat, &who, &interaction.locale).await;
    let t = |id: &str, args: &Args<'_>| bot.chat.locales().text(lang, id, args);
    let values = match &interaction.data.kind {
        ComponentInteractionDataKind::Button => Vec::new(),
        ComponentInteractionDataKind::StringSelect { values } => values.clone(),
        _ => return say_privately(ctx, &asked, t("discord-ballot-unknown", &[])).await,
    };
    let Some(route) = Route::read(&interaction.data.custom_id) else {
        tracing::debug!(interaction = %asked.id, "a ballot component Vigie does not know was used");
        return say_privately(ctx, &asked, t("discord-ballot-unknown", &[])).await;
    };
    let next = match route {
        Route::Category { campaign } => match values.as_slice() {
            [one] => match number(one) {
                Some(category) => form(bot, &who, lang, campaign, Some(category)).await,
                None => Err(t("discord-ballot-unknown", &[])),
            },
            _ => Err(t("discord-ballot-unknown", &[])),
        },
        Route::Ballot { key, draft, action } => {
            let paper = match paper(bot, lang, key.campaign, key.category).await {
                Ok(paper) => paper,
                Err(sentence) => return say_privately(ctx, &asked, sentence).await,
            };
            if paper.nominees.len() != key.count {
                let id = arg(key.campaign.to_string());
                return say_privately(ctx, &asked, t("discord-ballot-changed", &[("id", id)])).await;
            }
            let Some(draft) = Draft::decode(draft, paper.shape, key.count) else {
                return say_privately(ctx, &asked, t("discord-ballot-unknown", &[])).await;
            };
            if action == Step::Cast {
                return cast(
                    bot,
                    ctx,
                    &interaction,
                    &asked,
                    who,
                    lang,
                    &paper,
                    &draft,
                    received,
                )
                .await;
            }
            match draft.after(action, &values, paper.shape, key.count) {
                Some((draft, page)) => Ok(paper.screen(bot.chat.locales(), lang, &draft, page, None)),
                None => Err(t("discord-ballot-unknown", &[])),
            }
        }
    };
    match next {
        Ok(screen) => {
            let update = CreateInteractionResponse::UpdateMessage(screen.message());
            if let Err(e) = interaction.create_response(&ctx.http, update).await {
                tracing::warn!(interaction = %asked.id, error = describe(&e), "a ballot form could not be redrawn");
            }
        }
        Err(sentence) => say_privately(ctx, &asked, sentence).await,
    }
}

/// Ballots use no modal: a form submitted under `ballot:` is not Vigie's.
pub(super) async fn on_modal(bot: &Inner, ctx: &Context, interaction: ModalInteraction) {
    if !take(bot, interaction.id).await {
        return;
    }
    let who = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_ref(),
    );
    let lang = language(&bot.chat, &who, &interaction.locale).await;
    let text = bot.chat.locales().text(lang, "discord-ballot-unknown", &[]);
    say_privately(ctx, &Asked::modal(&interaction), text).await;
}

/// Casts the draft as the typed ballot would be cast; the form stays, with the answer above it,
/// so that the voter may change the ballot and cast it again.
#[allow(clippy::too_many_arguments)]
async fn cast(
    bot: &Inner,
    ctx: &Context,
    interaction: &ComponentInteraction,
    asked: &Asked,
    who: Caller,
    lang: Lang,
    paper: &Paper,
    draft: &Draft,
    received: Instant,
) {
    let locales = bot.chat.locales();
    let Some(marks) = draft.marks(paper.shape, &paper.nominees) else {
        return say_privately(ctx, asked, locales.text(lang, "discord-ballot-nothing", &[])).await;
    };
    let given = [
        ("campaign", Given::Text(paper.campaign.to_string())),
        ("ballot", Given::Text(format!("{}: {marks}", paper.slug))),
    ];
    let invocation = match typed(spec(Id::Vote), given) {
        Ok(invocation) => invocation,
        Err(e) => return say_privately(ctx, asked, help::error(locales, lang, &e)).await,
    };
    // Only the voter sees this form: it is their direct chat with Vigie.
    let voter = Caller { direct: true, ..who };
    let work = bot.chat.run(&voter, lang, &invocation);
    tokio::pin!(work);
    let mut deferred = false;
    let reply = tokio::select! {
        reply = &mut work => reply,
        () = tokio::time::sleep(DEFER_AFTER.saturating_sub(received.elapsed())) => {
            deferred = true;
            if let Err(e) = interaction.create_response(&ctx.http, CreateInteractionResponse::Acknowledge).await {
                tracing::warn!(interaction = %asked.id, error = describe(&e), "a ballot's cast could not be acknowledged");
            }
            work.await
        }
    };
    bot.chat
        .metrics()
        .record_command("vote", reply.outcome, received.elapsed());
    let sent = match (reply.outcome == Outcome::Ok, deferred) {
        (true, false) => {
            let screen = paper.screen(locales, lang, draft, 0, Some(&reply.markdown));
            interaction
                .create_response(
                    &ctx.http,
                    CreateInteractionResponse::UpdateMessage(screen.message()),
                )
                .await
        }
        (true, true) => {
            let screen = paper.screen(locales, lang, draft, 0, Some(&reply.markdown));
            let edit = EditInteractionResponse::new()
                .content(screen.content)
                .components(screen.rows);
            interaction.edit_response(&ctx.http, edit).await.map(drop)
        }
        (false, false) => return say_privately(ctx, asked, reply.markdown).await,
        (false, true) => {
            let message = CreateInteractionResponseFollowup::new()
                .content(clip(&reply.markdown, MAX_CONTENT))
                .ephemeral(true);
            interaction.create_followup(&ctx.http, message).await.map(drop)
        }
    };
    if let Err(e) = sent {
        tracing::warn!(interaction = %asked.id, error = describe(&e), "the answer to a cast ballot could not be sent");
    }
}

/// The form for `campaign`: its category's ballot (`category`, or the only one), or the choice
/// of a category; or the one sentence saying why this person has no ballot there.
async fn form(
    bot: &Inner,
    who: &Caller,
    lang: Lang,
    campaign: u32,
    category: Option<usize>,
) -> Result<Screen, String> {
    let locales = bot.chat.locales();
    let words = Words { locales, lang };
    let c = campaign_of(bot, lang, campaign).await?;
    let voter = bot
        .chat
        .award_actor(who)
        .await
        .map_err(|e| internal(bot, lang, e))?;
    let categories = &c.rules().categories;
    let index = match category {
        Some(i) if i < categories.len() => i,
        Some(_) => return Err(locales.text(lang, "discord-ballot-unknown", &[])),
        None if categories.len() == 1 => 0,
        None => {
            // Whatever stops this person voting in every category is said now; what concerns
            // one category (a recusal, nobody on its ballot) once it is chosen.
            let slug = categories
                .first()
                .map(|cat| cat.slug.as_str())
                .unwrap_or_default();
            return match probe(&c, &voter, slug) {
                Err(
                    e @ (AwardError::NotEligible { .. }
                    | AwardError::VotingNotOpen { .. }
                    | AwardError::VotingClosed { .. }),
                ) => Err(refusal::sentence(words, &e)),
                _ => Ok(Screen::categories(locales, lang, &c)),
            };
        }
    };
    let paper = Paper::of(&c, index, words)?;
    probe(&c, &voter, &paper.slug).map_err(|e| refusal::sentence(words, &e))?;
    if !paper.fits() {
        return Err(paper.too_big(locales, lang));
    }
    Ok(paper.screen(
        locales,
        lang,
        &Draft::empty(paper.shape, paper.nominees.len()),
        0,
        None,
    ))
}

/// The ballot of a campaign's category, as the form shows it.
async fn paper(bot: &Inner, lang: Lang, campaign: u32, category: usize) -> Result<Paper, String> {
    let c = campaign_of(bot, lang, campaign).await?;
    if category >= c.rules().categories.len() {
        return Err(bot.chat.locales().text(lang, "discord-ballot-unknown", &[]));
    }
    let locales = bot.chat.locales();
    let paper = Paper::of(&c, category, Words { locales, lang })?;
    // A form never drawn for it (see `form`): a forged one gets the same answer.
    if !paper.fits() {
        return Err(paper.too_big(locales, lang));
    }
    Ok(paper)
}

async fn campaign_of(bot: &Inner, lang: Lang, id: u32) -> Result<Campaign, String> {
    match bot.chat.store().award_campaign(&id.to_string()).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => {
            Err(bot
                .chat
                .locales()
                .text(lang, "award-err-unknown-campaign", &[("id", arg(id.to_string()))]))
        }
        Err(e) => Err(internal(bot, lang, e.into())),
    }
}

/// Whether the campaign would take a ballot from `voter` in `category` now, asked of a copy of it
/// with a ballot of the right shape: phase, deadline, eligibility, recusal, a method, nominees.
fn probe(c: &Campaign, voter: &Actor, category: &str) -> Result<(), AwardError> {
    let shape = c
        .rules()
        .category(category)
        .and_then(|cat| cat.method.as_ref())
        .map(|m| m.ballot_shape());
    let vote = match (c.standing(category).first(), shape) {
        (Some(&first), Some(BallotShape::Single)) => Vote::Single(first),
        (Some(&first), Some(BallotShape::Score { .. })) => Vote::Score(vec![(first, 0)]),
        (Some(&first), Some(BallotShape::Ranked { .. })) => Vote::Ranked(vec![vec![first]]),
        (Some(&first), _) => Vote::Approve(vec![first]),
        (None, _) => Vote::Approve(Vec::new()),
    };
    let action = Action::Vote {
        category: category.to_owned(),
        vote,
    };
    match c.clone().apply(voter, action, Utc::now()) {
        // The form itself keeps a ballot to its method's shape.
        Ok(_) | Err(AwardError::InvalidBallot { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The sentence for a failure on Vigie's side, with the reference of its log line.
fn internal(bot: &Inner, lang: Lang, e: anyhow::Error) -> String {
    bot.chat.internal(lang, "vote", e).markdown
}
