//! Quick polls as native Matrix polls: the unstable MSC3381 event types, which Element renders.
//!
//! A poll asked in a Matrix room (`crate::chat::poll`) is posted there as an
//! `org.matrix.msc3381.poll.start` whose answer ids are the options' numbers, with the text
//! fallback clients without polls show. Each `org.matrix.msc3381.poll.response` (or stable
//! `m.poll.response`) relating to it becomes the sender's ballot as it arrives, so the database
//! holds every answer and a restart loses none. Per MSC3381, each person's latest response
//! counts (by the time the homeserver gave it: a response older than the one counted is
//! ignored), answers the poll does not offer are ignored, and a one-choice poll takes the first
//! answer. At start, the responses of every open poll are read again from the room's relations,
//! so answers given while Vigie was stopped count too. Once the poll's campaign is closed (by
//! `poll close` or its schedule), Vigie posts an `org.matrix.msc3381.poll.end` with the results.
//!
//! What still has to be posted is read from the database (a poll without its start event, a
//! closed poll without its end), after each command in the room and on a short tick, so a crash
//! between the database and the homeserver only delays a post. Transaction ids tied to the poll
//! make a retried post land once.

use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::room::RelationsOptions;
use matrix_sdk::ruma::api::Direction;
use matrix_sdk::ruma::{
    MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId, UInt,
};
use matrix_sdk::{Client, Room, RoomState};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::chat::poll::{self as chat_poll, Responded, Shown};
use crate::chat::{Chat, Platform};

/// The event types, unstable first (what Element sends and renders).
pub(super) const START: &str = "org.matrix.msc3381.poll.start";
const RESPONSE: &str = "org.matrix.msc3381.poll.response";
const END: &str = "org.matrix.msc3381.poll.end";
const STABLE_RESPONSE: &str = "m.poll.response";
/// MSC1767 text, the poll's fallback and its question's and answers' text.
const TEXT: &str = "org.matrix.msc1767.text";
/// How often polls still to post are looked for (a scheduled close, a post that failed).
const TICK: Duration = Duration::from_secs(10);
/// Relations fetched per request when reading a poll's responses again.
const PAGE: u32 = 100;

/// A response to a poll, as a timeline event carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Response {
    pub event_id: OwnedEventId,
    pub sender: OwnedUserId,
    pub sent: MilliSecondsSinceUnixEpoch,
    /// The poll start event it answers.
    pub poll: OwnedEventId,
    /// The answer ids chosen, in the order given.
    pub answers: Vec<String>,
}

/// Whether an event of type `kind` is a poll response.
pub(super) fn is_response(kind: &str) -> bool {
    kind == RESPONSE || kind == STABLE_RESPONSE
}

/// The poll response an event is, if it is one (decrypted, for an encrypted room).
pub(super) fn response(event: &TimelineEvent) -> Option<Response> {
    let value: Value = serde_json::from_str(event.raw().json().get()).ok()?;
    response_of(&value)
}

/// The poll response in an event's JSON: unstable (`org.matrix.msc3381.poll.response` with
/// `answers`) or stable (`m.poll.response` with `m.selections`), relating to its poll by an
/// `m.reference`.
fn response_of(event: &Value) -> Option<Response> {
    let kind = event.get("type")?.as_str()?;
    let content = event.get("content")?;
    let answers = match kind {
        RESPONSE => content.get(RESPONSE)?.get("answers")?,
        STABLE_RESPONSE => content.get("m.selections")?,
        _ => return None,
    };
    let relation = content.get("m.relates_to")?;
    if relation.get("rel_type")?.as_str()? != "m.reference" {
        return None;
    }
    let answers = answers
        .as_array()?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    Some(Response {
        event_id: serde_json::from_value(event.get("event_id")?.clone()).ok()?,
        sender: serde_json::from_value(event.get("sender")?.clone()).ok()?,
        sent: MilliSecondsSinceUnixEpoch(UInt::new(event.get("origin_server_ts")?.as_u64()?)?),
        poll: serde_json::from_value(relation.get("event_id")?.clone()).ok()?,
        answers,
    })
}

/// The content of the poll start event of `shown`: an open ("disclosed") poll whose answer ids
/// are the options' numbers, with `fallback` for clients without polls.
fn start_content(shown: &Shown, fallback: &str) -> Value {
    let answers: Vec<Value> = shown
        .options
        .iter()
        .map(|(id, text)| json!({ "id": id, TEXT: text }))
        .collect();
    let max = if shown.multiple { shown.options.len() } else { 1 };
    json!({
        START: {
            "question": { TEXT: shown.question, "body": shown.question },
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": max,
            "answers": answers,
        },
        TEXT: fallback,
        "body": fallback,
    })
}

/// The text clients without polls show: the question and the numbered options.
fn start_fallback(shown: &Shown) -> String {
    let mut text = shown.question.clone();
    for (id, option) in &shown.options {
        text.push_str(&format!("\n{id}. {option}"));
    }
    text
}

/// The content of the event that ends the poll started by `start`, saying `results`.
fn end_content(start: &str, results: &str) -> Value {
    json!({
        "m.relates_to": { "rel_type": "m.reference", "event_id": start },
        END: {},
        TEXT: results,
        "body": results,
    })
}

/// Records a response as its sender's ballot, unless a later one of theirs is counted already.
pub(super) async fn answer(chat: &Chat, response: &Response) {
    if let Err(e) = record(chat, response).await {
        tracing::error!(
            event = %response.event_id,
            error = format!("{e:#}"),
            "a poll response could not be recorded"
        );
    }
}

async fn record(chat: &Chat, response: &Response) -> anyhow::Result<()> {
    let store = chat.store();
    let Some(poll) = store.poll_by_start(response.poll.as_str()).await? else {
        return Ok(());
    };
    if !poll.is_open() {
        tracing::debug!(poll = poll.campaign, event = %response.event_id, "a response after the poll closed is ignored");
        return Ok(());
    }
    let voter = format!("matrix:{}", response.sender);
    let sent = i64::from(response.sent.0);
    if store
        .poll_response_time(&poll.campaign, &voter)
        .await?
        .is_some_and(|counted| counted >= sent)
    {
        return Ok(());
    }
    let at = DateTime::<Utc>::from_timestamp_millis(sent)
        .with_context(|| format!("the response {} has no valid time", response.event_id))?;
    match chat_poll::respond(chat, &poll.campaign, &voter, &response.answers, at).await? {
        Responded::Counted { replaced } => {
            store
                .set_poll_response(&poll.campaign, &voter, response.event_id.as_str(), sent)
                .await?;
            tracing::debug!(poll = poll.campaign, replaced, "a poll response is counted");
        }
        Responded::Empty => {
            tracing::debug!(poll = poll.campaign, event = %response.event_id, "a poll response chose no option of the poll; ignored");
        }
        Responded::Refused(reason) => {
            tracing::debug!(poll = poll.campaign, event = %response.event_id, reason, "a poll response was refused");
        }
    }
    Ok(())
}

/// Posts what the polls of `room` still need: the start of a new poll, the end of a closed one.
pub(super) async fn settle_room(chat: &Chat, room: &Room) {
    if let Err(e) = settle(chat, room.client(), Some(room.room_id().to_owned())).await {
        tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "a poll could not be posted");
    }
}

/// Posts what polls still need, in `only` or in every room.
async fn settle(chat: &Chat, client: Client, only: Option<OwnedRoomId>) -> anyhow::Result<()> {
    for poll in chat.store().unended_polls("matrix:").await? {
        let Some(room_id) = poll.room.strip_prefix("matrix:") else {
            continue;
        };
        if only.as_ref().is_some_and(|only| only.as_str() != room_id) {
            continue;
        }
        let Some(room) = OwnedRoomId::try_from(room_id)
            .ok()
            .and_then(|id| client.get_room(&id))
            .filter(|room| room.state() == RoomState::Joined)
        else {
            continue;
        };
        let start = match poll.start_event.clone() {
            Some(start) => start,
            None => {
                let Some(shown) = chat_poll::show(chat, &poll.campaign).await? else {
                    continue;
                };
                let content = start_content(&shown, &start_fallback(&shown));
                let txn = OwnedTransactionId::from(format!("vigie-poll-start-{}", poll.campaign));
                let sent = room
                    .send_raw(START, content)
                    .with_transaction_id(&txn)
                    .await
                    .with_context(|| format!("posting poll {} in {room_id}", poll.campaign))?;
                let event = sent.response.event_id.to_string();
                chat.store().set_poll_start(&poll.campaign, &event).await?;
                event
            }
        };
        if poll.is_open() {
            continue;
        }
        let Some(results) =
            chat_poll::results_for_room(chat, &poll.campaign, &poll.room, Platform::Matrix).await?
        else {
            continue;
        };
        let txn = OwnedTransactionId::from(format!("vigie-poll-end-{}", poll.campaign));
        let sent = room
            .send_raw(END, end_content(&start, &results))
            .with_transaction_id(&txn)
            .await
            .with_context(|| format!("ending poll {} in {room_id}", poll.campaign))?;
        chat.store()
            .set_poll_end(&poll.campaign, sent.response.event_id.as_str())
            .await?;
    }
    Ok(())
}

/// Reads again the responses of every open poll from its room's relations, so that those given
/// while Vigie was stopped count.
async fn reconcile(chat: &Chat, client: &Client) -> anyhow::Result<()> {
    for poll in chat.store().unended_polls("matrix:").await? {
        let (Some(start), true) = (poll.start_event.as_deref(), poll.is_open()) else {
            continue;
        };
        let Some(room) = poll
            .room
            .strip_prefix("matrix:")
            .and_then(|id| OwnedRoomId::try_from(id).ok())
            .and_then(|id| client.get_room(&id))
        else {
            continue;
        };
        let start = OwnedEventId::try_from(start)
            .with_context(|| format!("poll {} has a bad start event", poll.campaign))?;
        let mut from = None;
        let mut read = 0usize;
        loop {
            let options = RelationsOptions {
                from: from.take(),
                dir: Direction::Forward,
                limit: Some(UInt::from(PAGE)),
                ..RelationsOptions::default()
            };
            let page = room
                .relations(start.clone(), options)
                .await
                .with_context(|| format!("reading the responses to poll {}", poll.campaign))?;
            for event in &page.chunk {
                if let Some(response) = response(event)
                    && response.poll == start
                    && Some(response.sender.as_ref()) != client.user_id()
                {
                    read += 1;
                    record(chat, &response).await?;
                }
            }
            match page.next_batch_token {
                Some(token) if !page.chunk.is_empty() => from = Some(token),
                _ => break,
            }
        }
        tracing::debug!(
            poll = poll.campaign,
            responses = read,
            "poll responses read again from the room"
        );
    }
    Ok(())
}

/// Once rooms are known: reads the open polls' responses again, then posts what polls need
/// (starts, ends after a scheduled close) every `TICK` until `stop`.
pub(super) async fn run(client: Client, chat: Chat, stop: CancellationToken) {
    if let Err(e) = reconcile(&chat, &client).await {
        tracing::warn!(
            error = format!("{e:#}"),
            "poll responses could not be read again from the rooms"
        );
    }
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        if let Err(e) = settle(&chat, client.clone(), None).await {
            tracing::warn!(error = format!("{e:#}"), "a poll could not be posted");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstable_and_stable_responses_are_read_and_others_are_not() {
        let unstable = json!({
            "type": RESPONSE,
            "event_id": "$r1",
            "sender": "@ana:example.org",
            "origin_server_ts": 1_700_000_000_000u64,
            "content": {
                "m.relates_to": { "rel_type": "m.reference", "event_id": "$poll" },
                RESPONSE: { "answers": ["2", 7, "1"] }
            }
        });
        let r = response_of(&unstable).expect("a response");
        assert_eq!(r.poll.as_str(), "$poll");
        assert_eq!(r.sender.as_str(), "@ana:example.org");
        assert_eq!(r.answers, ["2", "1"], "non-text answers are dropped");
        assert_eq!(u64::from(r.sent.0), 1_700_000_000_000);

        let stable = json!({
            "type": STABLE_RESPONSE,
            "event_id": "$r2",
            "sender": "@bo:example.org",
            "origin_server_ts": 5,
            "content": {
                "m.relates_to": { "rel_type": "m.reference", "event_id": "$poll" },
                "m.selections": ["3"]
            }
        });
        assert_eq!(response_of(&stable).expect("a response").answers, ["3"]);

        let mut thread = unstable.clone();
        thread["content"]["m.relates_to"]["rel_type"] = json!("m.thread");
        assert_eq!(response_of(&thread), None, "only a reference answers a poll");
        let mut message = unstable;
        message["type"] = json!("m.room.message");
        assert_eq!(response_of(&message), None);
    }

    #[test]
    fn a_poll_starts_with_numbered_answers_and_ends_by_reference() {
        let shown = Shown {
            id: "4".into(),
            question: "Lunch?".into(),
            options: vec![("1".into(), "Pizza".into()), ("2".into(), "Soup".into())],
            multiple: false,
        };
        let fallback = start_fallback(&shown);
        assert_eq!(fallback, "Lunch?\n1. Pizza\n2. Soup");
        let start = start_content(&shown, &fallback);
        assert_eq!(start[START]["question"][TEXT], "Lunch?");
        assert_eq!(start[START]["kind"], "org.matrix.msc3381.poll.disclosed");
        assert_eq!(start[START]["max_selections"], 1);
        assert_eq!(start[START]["answers"][1], json!({ "id": "2", TEXT: "Soup" }));
        assert_eq!(start[TEXT], fallback);
        let several = start_content(
            &Shown {
                multiple: true,
                ..shown
            },
            "x",
        );
        assert_eq!(several[START]["max_selections"], 2);

        let end = end_content("$start", "Pizza won");
        assert_eq!(end["m.relates_to"]["rel_type"], "m.reference");
        assert_eq!(end["m.relates_to"]["event_id"], "$start");
        assert_eq!(end[END], json!({}));
        assert_eq!(end[TEXT], "Pizza won");
    }
}
