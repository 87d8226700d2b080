//! Quick polls as native Discord polls (`[discord] native_polls`, on by default).
//!
//! A poll asked in a Discord channel (`crate::chat::poll`) is posted there as a message with a
//! native poll: its question, its options as answers in order, so that Discord's answer id `k`
//! is the `k`-th option (mapped by position to the option's number, never assumed equal), several
//! choices for a `--multiple` poll, and a duration of 24 hours, or until the poll's deadline when
//! it has one (rounded up, at most Discord's 32 days). A poll Discord cannot show (more than 10
//! options, an option over 55 characters, a question over 300) stays text, answered with `/vote`
//! like every poll; so does one whose channel refuses the post.
//!
//! Votes: Discord sends one answer per MESSAGE_POLL_VOTE_ADD or MESSAGE_POLL_VOTE_REMOVE. The
//! person's current choice is their stored ballot with that answer added or taken out, recorded
//! as their ballot through [`chat_poll::respond`] (the last ballot counts), one vote at a time.
//! A removal that leaves nothing chosen keeps the person's last ballot: a campaign's ballot
//! cannot be taken back (`respond` answers [`Responded::Empty`]), so the poll counts the last
//! answer they gave. At every READY, the voters of each open poll are read again from Discord
//! (each answer's voters, 100 a page), so votes given while Vigie was stopped count, and an
//! event processed out of order is corrected.
//!
//! What still has to be posted is read from the database (a poll without its message, a closed
//! poll not ended), after each `poll` or `award` command in a channel and on a short tick, so a
//! crash between the database and Discord only delays a post. Once the poll's campaign is closed
//! (by `poll close` or its schedule), the Discord poll is ended early and the results are posted
//! as a reply to it. Nonces tied to the poll (`vigie-poll-<id>`, `vigie-poll-end-<id>`) with
//! `enforce_nonce` make a retried post land once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serenity::all::{
    AnswerId, ChannelId, CreateAllowedMentions, CreateMessage, CreatePoll, CreatePollAnswer, MessageId,
    MessageReference, MessageReferenceKind, Nonce, UserId,
};
use serenity::http::{Http, HttpError};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;
use vigie_awards::campaign::Vote;
use vigie_storage::StoredPoll;

use super::{describe, reply};
use crate::chat::poll::{self as chat_poll, CATEGORY, Responded, Shown};
use crate::chat::{Chat, Platform};
use crate::command::Id;

/// How often polls still to post are looked for (a scheduled close, a post that failed).
const TICK: Duration = Duration::from_secs(10);
/// What Discord's polls allow.
const MAX_ANSWERS: usize = 10;
const MAX_ANSWER_CHARS: usize = 55;
const MAX_QUESTION_CHARS: usize = 300;
/// A poll's duration without a deadline, and the longest Discord allows, in hours.
const DEFAULT_HOURS: u64 = 24;
const MAX_HOURS: u64 = 768;
/// Voters read per request.
const PAGE: u8 = 100;
/// Pages read per answer at most: a server that keeps answering full pages cannot hold Vigie.
const MAX_PAGES: usize = 1_000;
/// The end recorded for a poll that stays text on Discord, so it is no longer looked at.
const NOT_NATIVE: &str = "text";
/// The room prefix of Discord channels.
const ROOM: &str = "discord:";

/// What the native polls share: votes and posts are taken one at a time, and the tick starts
/// once.
#[derive(Default)]
pub(super) struct Polls {
    votes: Mutex<()>,
    posts: Mutex<()>,
    ticking: AtomicBool,
}

/// Whether a command may have asked or closed a poll, so that the channel's polls are settled
/// after it: `poll`, `poll close` and `award close`.
pub(super) fn settles(id: Id) -> bool {
    matches!(id, Id::Poll | Id::PollClose | Id::AwardClose)
}

/// The channel of a `discord:<id>` room.
fn channel_of(room: &str) -> Option<ChannelId> {
    room.strip_prefix(ROOM)
        .and_then(|id| id.parse::<u64>().ok())
        .filter(|id| *id > 0)
        .map(ChannelId::new)
}

fn message_of(id: &str) -> Option<MessageId> {
    id.parse::<u64>().ok().filter(|id| *id > 0).map(MessageId::new)
}

/// Discord's answer id of the `index`-th option (0-based).
fn answer_id(index: usize) -> Option<AnswerId> {
    (index + 1).to_string().parse().ok()
}

/// The option's number that Discord's answer `answer` (1-based, by position) stands for.
fn option_of(shown: &Shown, answer: AnswerId) -> Option<&str> {
    let index = usize::try_from(answer.get()).ok()?.checked_sub(1)?;
    shown.options.get(index).map(|(number, _)| number.as_str())
}

/// Whether Discord can show the poll natively.
fn fits(shown: &Shown) -> bool {
    let question = shown.question.chars().count();
    (1..=MAX_QUESTION_CHARS).contains(&question)
        && (1..=MAX_ANSWERS).contains(&shown.options.len())
        && shown
            .options
            .iter()
            .all(|(_, text)| (1..=MAX_ANSWER_CHARS).contains(&text.chars().count()))
}

/// The poll's duration in hours: until `deadline` (rounded up) when there is one, else a day;
/// always within what Discord takes.
fn hours(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> u64 {
    let hours = match deadline {
        Some(at) => {
            let seconds = u64::try_from((at - now).num_seconds()).unwrap_or(0);
            seconds.div_ceil(3600)
        }
        None => DEFAULT_HOURS,
    };
    hours.clamp(1, MAX_HOURS)
}

/// The native poll of `shown`: answers in option order, several choices when it takes them.
fn create_poll(shown: &Shown, hours: u64) -> CreatePoll<serenity::builder::create_poll::Ready> {
    let answers = shown
        .options
        .iter()
        .map(|(_, text)| CreatePollAnswer::new().text(text.clone()))
        .collect();
    let poll = CreatePoll::new()
        .question(shown.question.clone())
        .answers(answers)
        .duration(Duration::from_secs(hours * 3600));
    if shown.multiple {
        poll.allow_multiselect()
    } else {
        poll
    }
}

/// The nonce of a poll's message, and of the reply that ends it: within Discord's 25 characters.
fn nonce(campaign: &str, end: bool) -> String {
    if end {
        format!("vigie-poll-end-{campaign}")
    } else {
        format!("vigie-poll-{campaign}")
    }
}

/// Whether Discord refused a request for good (a 4xx other than 429): trying again would not help.
fn refused(e: &serenity::Error) -> bool {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            r.status_code.is_client_error() && r.status_code.as_u16() != 429
        }
        _ => false,
    }
}

/// The option numbers a ballot chooses.
fn chosen(vote: &Vote) -> BTreeSet<String> {
    match vote {
        Vote::Single(id) => BTreeSet::from([id.0.to_string()]),
        Vote::Approve(ids) => ids.iter().map(|id| id.0.to_string()).collect(),
        Vote::Score(scores) => scores
            .iter()
            .filter(|(_, s)| *s > 0)
            .map(|(id, _)| id.0.to_string())
            .collect(),
        Vote::Ranked(ranks) => ranks.iter().flatten().map(|id| id.0.to_string()).collect(),
    }
}

/// A person's choice after one vote event: `current` with `option` added (the only choice of a
/// one-choice poll) or taken out; `None` when the event changes nothing.
fn after_vote(
    current: &BTreeSet<String>,
    option: &str,
    added: bool,
    multiple: bool,
) -> Option<BTreeSet<String>> {
    let mut next = current.clone();
    match (added, multiple) {
        (true, false) => next = BTreeSet::from([option.to_owned()]),
        (true, true) => {
            next.insert(option.to_owned());
        }
        (false, _) => {
            next.remove(option);
        }
    }
    (next != *current).then_some(next)
}

/// The options of `set`, in the poll's order.
fn in_order(shown: &Shown, set: &BTreeSet<String>) -> Vec<String> {
    shown
        .options
        .iter()
        .filter(|(number, _)| set.contains(number))
        .map(|(number, _)| number.clone())
        .collect()
}

/// A vote added (`added`) or removed on a Discord poll, as the gateway tells it.
pub(super) struct VoteEvent {
    pub user: UserId,
    pub channel: ChannelId,
    pub message: MessageId,
    pub answer: AnswerId,
    pub added: bool,
}

/// Records a vote event as the voter's ballot.
pub(super) async fn vote(polls: &Polls, chat: &Chat, event: VoteEvent) {
    let _one_at_a_time = polls.votes.lock().await;
    if let Err(e) = record_vote(polls, chat, &event).await {
        tracing::error!(
            message = %event.message,
            error = format!("{e:#}"),
            "a Discord poll vote could not be recorded"
        );
    }
}

async fn record_vote(polls: &Polls, chat: &Chat, event: &VoteEvent) -> anyhow::Result<()> {
    let store = chat.store();
    let message = event.message.to_string();
    let poll = match store.poll_by_start(&message).await? {
        Some(poll) => poll,
        // Someone else's poll, or Vigie's, voted on before its message id was recorded: a post
        // in progress holds `posts` until it is, so once that is free the id is known.
        None => {
            drop(polls.posts.lock().await);
            match store.poll_by_start(&message).await? {
                Some(poll) => poll,
                None => return Ok(()),
            }
        }
    };
    if channel_of(&poll.room) != Some(event.channel) {
        return Ok(());
    }
    if !poll.is_open() {
        tracing::debug!(poll = poll.campaign, "a vote after the poll closed is ignored");
        return Ok(());
    }
    let Some(shown) = chat_poll::show(chat, &poll.campaign).await? else {
        return Ok(());
    };
    let Some(option) = option_of(&shown, event.answer) else {
        tracing::debug!(poll = poll.campaign, answer = %event.answer, "a vote for an answer the poll does not have is ignored");
        return Ok(());
    };
    let voter = format!("{ROOM}{}", event.user);
    let current = store
        .own_ballot(&poll.campaign, &voter, CATEGORY)
        .await
        .context("reading a voter's ballot")?
        .map(|vote| chosen(&vote))
        .unwrap_or_default();
    let Some(next) = after_vote(&current, option, event.added, shown.multiple) else {
        return Ok(());
    };
    let answers = in_order(&shown, &next);
    counted(chat, &poll, &voter, &answers).await
}

/// Records `answers` as `voter`'s ballot in `poll`, and logs what became of it.
async fn counted(chat: &Chat, poll: &StoredPoll, voter: &str, answers: &[String]) -> anyhow::Result<()> {
    match chat_poll::respond(chat, &poll.campaign, voter, answers, Utc::now()).await? {
        Responded::Counted { replaced } => {
            tracing::debug!(poll = poll.campaign, replaced, "a Discord poll vote is counted");
        }
        Responded::Empty => tracing::debug!(
            poll = poll.campaign,
            "a Discord vote removal left no answer; a ballot cannot be taken back, so the last one stays"
        ),
        Responded::Refused(reason) => {
            tracing::debug!(poll = poll.campaign, reason, "a Discord poll vote was refused");
        }
    }
    Ok(())
}

/// Posts what the polls of `room` still need, after a command there.
pub(super) async fn settle_room(polls: &Polls, chat: &Chat, http: &Http, room: &str) {
    if let Err(e) = settle(polls, chat, http, Some(room)).await {
        tracing::warn!(
            room,
            error = format!("{e:#}"),
            "a Discord poll could not be posted"
        );
    }
}

/// Posts what polls still need, in `only` or in every channel: the message of a new poll, the
/// end and results of a closed one.
async fn settle(polls: &Polls, chat: &Chat, http: &Http, only: Option<&str>) -> anyhow::Result<()> {
    let _one_at_a_time = polls.posts.lock().await;
    for poll in chat.store().unended_polls(ROOM).await? {
        if only.is_some_and(|room| room != poll.room) {
            continue;
        }
        let Some(channel) = channel_of(&poll.room) else {
            continue;
        };
        if let Err(e) = settle_one(chat, http, &poll, channel).await {
            tracing::warn!(
                poll = poll.campaign,
                error = format!("{e:#}"),
                "a Discord poll could not be posted; trying again later"
            );
        }
    }
    Ok(())
}

async fn settle_one(chat: &Chat, http: &Http, poll: &StoredPoll, channel: ChannelId) -> anyhow::Result<()> {
    let store = chat.store();
    let start = match poll.start_event.as_deref() {
        Some(start) => match message_of(start) {
            Some(start) => start,
            None => anyhow::bail!("the poll's message id {start:?} is not a Discord id"),
        },
        None => {
            let Some(shown) = chat_poll::show(chat, &poll.campaign).await? else {
                return Ok(());
            };
            if !fits(&shown) {
                tracing::debug!(poll = poll.campaign, "a poll Discord cannot show stays text");
                store.set_poll_end(&poll.campaign, NOT_NATIVE).await?;
                return Ok(());
            }
            let deadline = store
                .award_campaign(&poll.campaign)
                .await?
                .and_then(|c| c.schedule().voting_close);
            let message = CreateMessage::new()
                .poll(create_poll(&shown, hours(deadline, Utc::now())))
                .nonce(Nonce::String(nonce(&poll.campaign, false)))
                .enforce_nonce(true)
                .allowed_mentions(CreateAllowedMentions::new());
            match channel.send_message(http, message).await {
                Ok(sent) => {
                    store.set_poll_start(&poll.campaign, &sent.id.to_string()).await?;
                    sent.id
                }
                Err(e) if refused(&e) => {
                    tracing::warn!(
                        poll = poll.campaign,
                        error = describe(&e),
                        "Discord refused the poll; it stays text"
                    );
                    store.set_poll_end(&poll.campaign, NOT_NATIVE).await?;
                    return Ok(());
                }
                Err(e) => anyhow::bail!("posting the poll: {}", describe(&e)),
            }
        }
    };
    if poll.is_open() {
        return Ok(());
    }
    // Ended early; one that already ended (its duration over) or was deleted is refused, and
    // its results are posted all the same.
    if let Err(e) = http.expire_poll(channel, start).await {
        if !refused(&e) {
            anyhow::bail!("ending the poll: {}", describe(&e));
        }
        tracing::debug!(
            poll = poll.campaign,
            error = describe(&e),
            "the Discord poll could not be ended early"
        );
    }
    let Some(results) =
        chat_poll::results_for_room(chat, &poll.campaign, &poll.room, Platform::Discord).await?
    else {
        return Ok(());
    };
    let reference = MessageReference::new(MessageReferenceKind::Default, channel)
        .message_id(start)
        .fail_if_not_exists(false);
    let message = CreateMessage::new()
        .content(reply::pieces(&results)[0].clone())
        .reference_message(reference)
        .nonce(Nonce::String(nonce(&poll.campaign, true)))
        .enforce_nonce(true)
        .allowed_mentions(CreateAllowedMentions::new());
    let end = match channel.send_message(http, message).await {
        Ok(sent) => sent.id.to_string(),
        Err(e) if refused(&e) => {
            tracing::warn!(
                poll = poll.campaign,
                error = describe(&e),
                "Discord refused the results of the poll; they were given in reply to the command"
            );
            NOT_NATIVE.to_owned()
        }
        Err(e) => anyhow::bail!("posting the results: {}", describe(&e)),
    };
    store.set_poll_end(&poll.campaign, &end).await?;
    Ok(())
}

/// Reads again the voters of every open native poll from Discord and records each person's
/// choice that differs from their ballot, so that votes given while Vigie was stopped count.
async fn reconcile(polls: &Polls, chat: &Chat, http: &Http) -> anyhow::Result<()> {
    for poll in chat.store().unended_polls(ROOM).await? {
        let (Some(channel), Some(start), true) = (
            channel_of(&poll.room),
            poll.start_event.as_deref().and_then(message_of),
            poll.is_open(),
        ) else {
            continue;
        };
        let Some(shown) = chat_poll::show(chat, &poll.campaign).await? else {
            continue;
        };
        let mut choices: BTreeMap<UserId, BTreeSet<String>> = BTreeMap::new();
        for (index, (number, _)) in shown.options.iter().enumerate() {
            let Some(answer) = answer_id(index) else {
                continue;
            };
            for user in voters(http, channel, start, answer).await? {
                choices.entry(user).or_default().insert(number.clone());
            }
        }
        let _one_at_a_time = polls.votes.lock().await;
        let ballots: BTreeMap<String, BTreeSet<String>> = chat
            .store()
            .open_ballots(&poll.campaign, CATEGORY)
            .await
            .context("reading a poll's ballots")?
            .unwrap_or_default()
            .into_iter()
            .map(|(voter, vote)| (voter, chosen(&vote)))
            .collect();
        let mut changed = 0usize;
        for (user, choice) in &choices {
            let voter = format!("{ROOM}{user}");
            if ballots.get(&voter) == Some(choice) {
                continue;
            }
            changed += 1;
            counted(chat, &poll, &voter, &in_order(&shown, choice)).await?;
        }
        tracing::debug!(
            poll = poll.campaign,
            voters = choices.len(),
            changed,
            "Discord poll votes read again"
        );
    }
    Ok(())
}

/// The people (not bots) who chose `answer`, every page of them.
async fn voters(
    http: &Http,
    channel: ChannelId,
    message: MessageId,
    answer: AnswerId,
) -> anyhow::Result<Vec<UserId>> {
    let mut all = Vec::new();
    let mut after = None;
    for _ in 0..MAX_PAGES {
        let page = http
            .get_poll_answer_voters(channel, message, answer, after, Some(PAGE))
            .await
            .map_err(|e| anyhow::anyhow!("reading the voters of a poll: {}", describe(&e)))?;
        all.extend(page.iter().filter(|u| !u.bot).map(|u| u.id));
        let last = page.last().map(|u| u.id);
        if page.len() < usize::from(PAGE) || last.is_none() || last == after {
            break;
        }
        after = last;
    }
    Ok(all)
}

/// At each READY: reads the open polls' votes again; the first also starts the tick that posts
/// what polls need every `TICK` until `stop`.
pub(super) fn on_ready(
    polls: &Arc<Polls>,
    chat: &Chat,
    http: &Arc<Http>,
    tasks: &tokio_util::task::TaskTracker,
    stop: &CancellationToken,
) {
    let (p, c, h) = (polls.clone(), chat.clone(), http.clone());
    tasks.spawn(async move {
        if let Err(e) = reconcile(&p, &c, &h).await {
            tracing::warn!(
                error = format!("{e:#}"),
                "Discord poll votes could not be read again"
            );
        }
    });
    if polls.ticking.swap(true, Ordering::SeqCst) {
        return;
    }
    let (p, c, h, stop) = (polls.clone(), chat.clone(), http.clone(), stop.clone());
    tasks.spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                _ = tick.tick() => {}
            }
            if let Err(e) = settle(&p, &c, &h, None).await {
                tracing::warn!(error = format!("{e:#}"), "Discord polls could not be settled");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(options: &[&str], multiple: bool) -> Shown {
        Shown {
            id: "4".into(),
            question: "Lunch?".into(),
            options: options
                .iter()
                .enumerate()
                .map(|(i, o)| ((i + 3).to_string(), (*o).to_owned()))
                .collect(),
            multiple,
        }
    }

    #[test]
    fn discord_answers_map_by_position_to_the_options_numbers() {
        let poll = shown(&["Pizza", "Soup"], false);
        let answer = |k: u8| k.to_string().parse::<AnswerId>().unwrap();
        assert_eq!(option_of(&poll, answer(1)), Some("3"));
        assert_eq!(option_of(&poll, answer(2)), Some("4"));
        assert_eq!(option_of(&poll, answer(0)), None);
        assert_eq!(option_of(&poll, answer(3)), None);
        assert_eq!(answer_id(0).map(AnswerId::get), Some(1));
    }

    #[test]
    fn the_poll_is_sent_as_discord_takes_it() {
        let body = serde_json::to_value(create_poll(&shown(&["Pizza", "Soup"], true), 5)).unwrap();
        assert_eq!(body["question"]["text"], "Lunch?");
        assert_eq!(body["answers"][1]["poll_media"]["text"], "Soup");
        assert_eq!(body["allow_multiselect"], true);
        assert_eq!(body["duration"], 5);
        assert!(fits(&shown(&["Pizza", "Soup"], false)));
        let long = "x".repeat(56);
        assert!(!fits(&shown(&["Pizza", &long], false)));
        let many: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(!fits(&shown(&many, false)));
        assert!(nonce("123456789", true).len() <= 25);
    }

    #[test]
    fn a_poll_lasts_a_day_or_until_its_deadline_within_discords_limits() {
        let now = Utc::now();
        assert_eq!(hours(None, now), 24);
        assert_eq!(hours(Some(now + chrono::Duration::minutes(90)), now), 2);
        assert_eq!(hours(Some(now - chrono::Duration::hours(1)), now), 1);
        assert_eq!(hours(Some(now + chrono::Duration::days(90)), now), 768);
    }

    #[test]
    fn a_vote_event_adds_or_takes_out_one_answer() {
        let set = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect::<BTreeSet<_>>();
        assert_eq!(after_vote(&set(&[]), "1", true, false), Some(set(&["1"])));
        assert_eq!(after_vote(&set(&["1"]), "2", true, false), Some(set(&["2"])));
        assert_eq!(
            after_vote(&set(&["2"]), "1", false, false),
            None,
            "an old answer taken out"
        );
        assert_eq!(after_vote(&set(&["1"]), "1", false, false), Some(set(&[])));
        assert_eq!(after_vote(&set(&["1"]), "2", true, true), Some(set(&["1", "2"])));
        assert_eq!(after_vote(&set(&["1", "2"]), "1", false, true), Some(set(&["2"])));
        assert_eq!(after_vote(&set(&["1"]), "1", true, true), None);
    }
}
