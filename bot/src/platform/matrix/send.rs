//! Delivering the outbox on Matrix: one message of the outbox becomes one `m.notice` (rendered
//! from its Markdown) in the room it is routed to, or in a direct-message room with the person it
//! is routed to.
//!
//! Each message is sent with the transaction id `vigie-outbox-<id>`: if Vigie crashes after the
//! homeserver stored the message but before the outbox says so, the message is leased again and
//! sent again with the same id, and the homeserver answers with the first event instead of
//! posting a second one. That holds only on the same device (the homeserver keys transactions on
//! the access token): a replica that takes over with a device of its own would post it twice.
//! So every message also carries its outbox id in its content ([`OUTBOX_FIELD`], inside the
//! encrypted payload in an encrypted room), and a message *in doubt* (an earlier attempt may have
//! arrived unrecorded) is first looked for in the room's recent history: an event of Vigie's own
//! user carrying that id, no older than the first attempt, means it was delivered, with that
//! event's id. In an encrypted room the new device reads the old device's messages with the room
//! key the old device shared with every device of the account when it sent them (the SDK's
//! default: all devices, Vigie's own other devices included); the key arrives with the new
//! device's first sync. An own message in the window that still cannot be decrypted could be the
//! one: the message waits for its key for [`KEY_PATIENCE`] after its first attempt, then is
//! sent again (a duplicate is better than a lost alert), with a warning.
//!
//! A message with a picture (award results with their chart) is its text, then the picture as an
//! `m.image` replying to the text, with the transaction id `vigie-outbox-<id>-image`; the
//! message is marked sent once both are in the room. The picture cannot carry [`OUTBOX_FIELD`]
//! (the SDK's attachment upload builds the event), so its reply to the text is what marks it: a
//! message in doubt whose text is found has its picture looked for the same way, as an own
//! event replying to that text, and posted only if it is not there. A failure after the text
//! went out leaves the message in doubt, so the text is never posted twice (see
//! `deliver_image`).
//!
//! The SDK's own retries are turned off for these sends: the outbox sender decides when to try
//! again, so that a rate-limited or unreachable homeserver does not hold a message past its
//! lease; a rate limit holds back every room ([`Delivery::RateLimited`]). A picture goes through
//! the SDK's attachment upload (`send_image`), which keeps its own retries: the sender's deadline
//! still bounds it, and a picture cut short leaves its message in doubt.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use matrix_sdk::config::RequestConfig;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::filter::RoomEventFilter;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::direct::{DirectEventContent, OwnedDirectUserIdentifier};
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::{OwnedEventId, OwnedTransactionId, OwnedUserId, RoomId, UInt, UserId};
use matrix_sdk::{Client, Room, RoomState};
use vigie_storage::{OutboxImage, OutboxRow};

use crate::alert::sender::Delivery;
use crate::chat::Image;

/// How long to wait when the homeserver rate-limits Vigie without saying for how long.
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(5);

/// How long to wait for Vigie to join a room it is invited to before trying again.
const INVITED_WAIT: Duration = Duration::from_secs(5);

/// The field of a message's content that carries its outbox id (a string).
pub const OUTBOX_FIELD: &str = "org.vigie.outbox";

/// How many of Vigie's own messages in a room are read back, at most, looking for a message in
/// doubt (the search stops earlier, at the message's first attempt).
const LOOKBACK: usize = 1_000;
/// Events per page of history.
const LOOKBACK_PAGE: u32 = 100;
/// How much the homeserver's clock may be behind Vigie's when comparing an event's time with a
/// first attempt.
const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// How long a message in doubt waits for the key of an own message it cannot decrypt.
const KEY_PATIENCE: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// How long between two looks while waiting for that key.
const KEY_WAIT: Duration = Duration::from_secs(15);

/// Sends one message of the outbox to its receiver: `matrix:!room` (a room Vigie is in, by its
/// id: `!abc:example.org`, or a bare hash from room version 12 on) or `matrix:@user:server` (a
/// direct-message room with that person, made if there is none).
///
/// Messages to one person must not be delivered concurrently: the first one may create the
/// direct-message room, which the next one then finds (the outbox sender delivers one message
/// of a receiver at a time).
pub async fn deliver(client: &Client, mut row: OutboxRow) -> Delivery {
    let room = match target(&row.receiver) {
        Some(Target::Room(id)) => match client.get_room(id) {
            Some(room) if room.state() == RoomState::Joined => room,
            // The invitation came with the last sync; the join is on its way (or the decline).
            Some(room) if room.state() == RoomState::Invited => {
                return Delivery::Retry {
                    after: INVITED_WAIT,
                    error: format!("Vigie is invited to room {id} but has not joined it yet"),
                };
            }
            _ => return Delivery::Failed(format!("Vigie is not in room {id}; invite it there")),
        },
        Some(Target::Person(user)) => match direct_room(client, user).await {
            Ok(room) => room,
            Err(delivery) => return delivery,
        },
        None => {
            return Delivery::Failed(format!(
                "\"{}\" is not a Matrix room (matrix:!id) or person (matrix:@user:server)",
                row.receiver
            ));
        }
    };
    // The text, unless it is found delivered already.
    let mut found = None;
    if row.in_doubt {
        let wanted = row.id.to_string();
        let carries_id = |content: &serde_json::Value| {
            content.get(OUTBOX_FIELD).and_then(|v| v.as_str()) == Some(wanted.as_str())
        };
        match in_history(&room, &row, carries_id).await {
            Ok(Some(event_id)) => {
                tracing::info!(id = row.id, room = %room.room_id(), %event_id, "message in doubt found in its room: not sent again");
                found = Some(event_id);
            }
            Ok(None) => {}
            Err(delivery) => return delivery,
        }
    }
    let text_id = match found {
        Some(event_id) => event_id,
        None => {
            let content = match content(&row) {
                Ok(content) => content,
                Err(e) => {
                    return Delivery::Failed(format!("the message cannot be written as a Matrix event: {e}"));
                }
            };
            let txn = OwnedTransactionId::from(format!("vigie-outbox-{}", row.id));
            let sent = room
                .send_raw("m.room.message", content)
                .with_transaction_id(&txn)
                .with_request_config(RequestConfig::new().disable_retry())
                .await;
            match sent {
                Ok(sent) => sent.response.event_id.to_string(),
                Err(e) => return classify(&e, room.room_id().as_str()),
            }
        }
    };
    match row.image.take() {
        Some(image) => deliver_image(&room, &row, image, text_id).await,
        None => Delivery::Sent(Some(text_id)),
    }
}

/// Posts the picture of a message whose text is in the room as `text_id`: an `m.image` replying
/// to the text, with the transaction id `vigie-outbox-<id>-image`. `send_attachment` cannot add
/// [`OUTBOX_FIELD`] to the event, so what marks the picture as this message's is its reply to
/// the text: a message in doubt whose text is found is looked for, once more, as an own event
/// replying to that text before its picture is posted. The text being posted already, any
/// failure but a refusal leaves the message in doubt, so that the next attempt finds the text
/// (and the picture, if it arrived) instead of posting them again; the message is marked sent,
/// with the text's event id, only once both are in the room.
async fn deliver_image(room: &Room, row: &OutboxRow, image: OutboxImage, text_id: String) -> Delivery {
    let Ok(text_event) = OwnedEventId::try_from(text_id.as_str()) else {
        return Delivery::Failed(format!(
            "the homeserver gave the text an event id that is not one: {text_id}"
        ));
    };
    if row.in_doubt {
        let replies_to_text = |content: &serde_json::Value| {
            content
                .pointer("/m.relates_to/m.in_reply_to/event_id")
                .and_then(|v| v.as_str())
                == Some(text_id.as_str())
        };
        match in_history(room, row, replies_to_text).await {
            Ok(Some(event_id)) => {
                tracing::info!(id = row.id, room = %room.room_id(), %event_id, "the picture of a message in doubt found in its room: not sent again");
                return Delivery::Sent(Some(text_id));
            }
            Ok(None) => {}
            Err(delivery) => return still_in_doubt(delivery, &text_id),
        }
    }
    let image = Image {
        name: image.name,
        png: image.png,
        alt: image.alt,
    };
    let txn = OwnedTransactionId::from(format!("vigie-outbox-{}-image", row.id));
    match super::send_image(room, image, Some(text_event), Some(txn)).await {
        Ok(_) => Delivery::Sent(Some(text_id)),
        Err(e) => {
            let delivery = match e.downcast_ref::<matrix_sdk::Error>() {
                Some(sdk) => classify(sdk, room.room_id().as_str()),
                None => Delivery::Failed(format!("{e:#}")),
            };
            still_in_doubt(delivery, &text_id)
        }
    }
}

/// What a failure to post the picture means once the text is in the room (as `text_id`): a
/// refusal gives the message up, saying so; anything else is tried again in doubt, so that the
/// text is looked for rather than posted twice.
fn still_in_doubt(delivery: Delivery, text_id: &str) -> Delivery {
    match delivery {
        Delivery::Failed(error) => Delivery::Failed(format!(
            "the text was posted ({text_id}) but its picture was refused: {error}"
        )),
        Delivery::Retry { after, error }
        | Delivery::RateLimited { after, error }
        | Delivery::InDoubt { after, error } => Delivery::InDoubt {
            after,
            error: format!("the text was posted ({text_id}) but not its picture yet: {error}"),
        },
        sent @ Delivery::Sent(_) => sent,
    }
}

/// Looks for the part of a message in doubt that `wanted` recognises by its content, among
/// Vigie's own events in the room since the message's first attempt: `Some(event id)` when it
/// is there. An own event that cannot be decrypted yet could be it: the message then waits for
/// its key ([`KEY_PATIENCE`]) and is tried again, or, past that, is sent again with a warning.
async fn in_history(
    room: &Room,
    row: &OutboxRow,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> Result<Option<String>, Delivery> {
    match earlier_delivery(room, row.id, row.first_attempt_at, wanted).await {
        Ok(Earlier::Found(event_id)) => Ok(Some(event_id)),
        Ok(Earlier::NotFound) => Ok(None),
        Ok(Earlier::Undecryptable)
            if row
                .first_attempt_at
                .is_some_and(|first| Utc::now() - first < KEY_PATIENCE) =>
        {
            Err(Delivery::Retry {
                after: KEY_WAIT,
                error: format!(
                    "a message of Vigie's in room {} cannot be decrypted yet: waiting for its key to tell whether this one was delivered",
                    room.room_id()
                ),
            })
        }
        Ok(Earlier::Undecryptable) => {
            tracing::warn!(
                id = row.id,
                room = %room.room_id(),
                "a message of Vigie's that may be this one still cannot be decrypted; sending it again"
            );
            Ok(None)
        }
        Err(e) => Err(classify(&e, room.room_id().as_str())),
    }
}

/// The event of a message: an `m.notice` rendered from its Markdown, mentioning only the people
/// it links to (an escalation's chair) and never the whole room, whatever the text says, with
/// its outbox id in [`OUTBOX_FIELD`].
fn content(row: &OutboxRow) -> Result<serde_json::Value, serde_json::Error> {
    let mut content = RoomMessageEventContent::notice_markdown(&row.body_markdown);
    content.mentions = Some(Mentions::with_user_ids(mentioned_users(&row.body_markdown)));
    let mut json = serde_json::to_value(&content)?;
    if let Some(fields) = json.as_object_mut() {
        fields.insert(OUTBOX_FIELD.to_owned(), row.id.to_string().into());
    }
    Ok(json)
}

/// What the room's history says of a message in doubt.
#[derive(Debug, PartialEq, Eq)]
enum Earlier {
    /// Delivered already, as this event.
    Found(String),
    NotFound,
    /// Not found, but an own message of the same span cannot be decrypted (yet).
    Undecryptable,
}

/// Looks back through Vigie's own messages in `room`, newest first, for one whose content is
/// `wanted` (for the text of outbox message `id`, carrying its id), down to `since` (the
/// message's first attempt, less the clock skew allowed) and at most [`LOOKBACK`] messages.
async fn earlier_delivery(
    room: &Room,
    id: i64,
    since: Option<DateTime<Utc>>,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> Result<Earlier, matrix_sdk::Error> {
    let own = room.own_user_id().to_owned();
    let oldest = since.map(|t| (t - CLOCK_SKEW).timestamp_millis());
    let mut filter = RoomEventFilter::default();
    filter.senders = Some(vec![own.clone()]);
    filter.types = Some(vec!["m.room.message".to_owned(), "m.room.encrypted".to_owned()]);
    let mut from: Option<String> = None;
    let mut read = 0;
    let mut undecryptable = false;
    loop {
        let mut options = MessagesOptions::backward();
        options.from = from.clone();
        options.limit = UInt::from(LOOKBACK_PAGE);
        options.filter = filter.clone();
        let page = room.messages(options).await?;
        for event in &page.chunk {
            read += 1;
            let at = event
                .timestamp()
                .map(|t| i64::try_from(u64::from(t.0)).unwrap_or(i64::MAX));
            if let (Some(at), Some(oldest)) = (at, oldest)
                && at < oldest
            {
                return Ok(found_nothing(undecryptable));
            }
            if event.sender().as_ref() != Some(&own) {
                continue;
            }
            if event.kind.is_utd() {
                undecryptable = true;
                continue;
            }
            let content = event
                .raw()
                .get_field::<serde_json::Value>("content")
                .ok()
                .flatten();
            if content.as_ref().is_some_and(&wanted)
                && let Some(event_id) = event.event_id()
            {
                return Ok(Earlier::Found(event_id.to_string()));
            }
        }
        match page.end {
            Some(end) if !page.chunk.is_empty() && read < LOOKBACK => from = Some(end),
            _ => break,
        }
    }
    if read >= LOOKBACK {
        tracing::warn!(
            id,
            room = %room.room_id(),
            "looked through {LOOKBACK} of Vigie's messages without reaching the first attempt of a message in doubt"
        );
    }
    Ok(found_nothing(undecryptable))
}

fn found_nothing(undecryptable: bool) -> Earlier {
    if undecryptable {
        Earlier::Undecryptable
    } else {
        Earlier::NotFound
    }
}

/// Whom a receiver names.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    Room(&'a RoomId),
    Person(&'a UserId),
}

fn target(receiver: &str) -> Option<Target<'_>> {
    let id = receiver.strip_prefix("matrix:")?;
    if id.starts_with('!') {
        <&RoomId>::try_from(id).ok().map(Target::Room)
    } else {
        <&UserId>::try_from(id).ok().map(Target::Person)
    }
}

/// The direct-message room with `user`: one Vigie already has, where the person is still a
/// member or invited; otherwise a new encrypted one, inviting them (the SDK records it in the
/// account's `m.direct` list).
async fn direct_room(client: &Client, user: &UserId) -> Result<Room, Delivery> {
    for room in client.get_dm_rooms(user) {
        if still_shared(&room, user).await? {
            return Ok(room);
        }
    }
    // The SDK learns of a direct room Vigie just made at a later sync; the homeserver's account
    // data knows at once, so a second message right after the first finds the room there.
    let listed = client
        .account()
        .fetch_account_data_static::<DirectEventContent>()
        .await
        .map_err(|e| classify(&e, user.as_str()))?
        .and_then(|raw| raw.deserialize().ok())
        .and_then(|direct| {
            direct
                .get(&OwnedDirectUserIdentifier::from(user.to_owned()))
                .cloned()
        })
        .unwrap_or_default();
    for room in listed.iter().filter_map(|id| client.get_room(id)) {
        if still_shared(&room, user).await? {
            return Ok(room);
        }
    }
    tracing::info!(user = %user, "opening a direct-message room");
    client
        .create_dm(user)
        .await
        .map_err(|e| classify(&e, user.as_str()))
}

/// Whether Vigie is in `room` and `user` is there too or invited.
async fn still_shared(room: &Room, user: &UserId) -> Result<bool, Delivery> {
    if room.state() != RoomState::Joined {
        return Ok(false);
    }
    match room.get_member(user).await {
        Ok(member) => {
            Ok(member
                .is_some_and(|m| matches!(m.membership(), MembershipState::Join | MembershipState::Invite)))
        }
        Err(e) => Err(classify(&e, room.room_id().as_str())),
    }
}

/// What a failed request means for the message: wait as long as the homeserver asks when
/// rate-limited; give up when Vigie is refused or the room is gone; try again later (after the
/// sender's backoff) when the network or the homeserver failed, looking for the message first
/// (the request may have arrived).
fn classify(error: &matrix_sdk::Error, place: &str) -> Delivery {
    let text = format!("{error:#}");
    if let matrix_sdk::Error::WrongRoomState(_) = error {
        return Delivery::Failed(format!("Vigie is not in room {place}: {text}"));
    }
    if let Some(api) = error.as_client_api_error() {
        return match api.error_kind() {
            Some(ErrorKind::LimitExceeded(limit)) => Delivery::RateLimited {
                after: retry_after(limit.retry_after.as_ref()),
                error: format!("the homeserver rate-limits Vigie: {text}"),
            },
            // The session is being renewed (the sync loop logs in again).
            Some(ErrorKind::UnknownToken(_) | ErrorKind::MissingToken) => Delivery::Retry {
                after: Duration::ZERO,
                error: format!("the homeserver does not accept Vigie's session now: {text}"),
            },
            Some(ErrorKind::Forbidden | ErrorKind::NotFound) => {
                Delivery::Failed(format!("the homeserver refused the message in {place}: {text}"))
            }
            _ if api.status_code.is_server_error() => Delivery::InDoubt {
                after: Duration::ZERO,
                error: format!("the homeserver failed: {text}"),
            },
            _ if api.status_code.as_u16() == 429 => Delivery::RateLimited {
                after: DEFAULT_RATE_LIMIT_WAIT,
                error: format!("the homeserver rate-limits Vigie: {text}"),
            },
            _ => Delivery::Failed(format!("the homeserver refused the message in {place}: {text}")),
        };
    }
    // The network, a timeout, a store or encryption hiccup: worth another attempt, and the
    // request may have arrived.
    Delivery::InDoubt {
        after: Duration::ZERO,
        error: text,
    }
}

fn retry_after(after: Option<&RetryAfter>) -> Duration {
    match after {
        Some(RetryAfter::Delay(delay)) => *delay,
        Some(RetryAfter::DateTime(at)) => at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO),
        None => DEFAULT_RATE_LIMIT_WAIT,
    }
}

/// The Matrix users a message mentions on purpose: those written as links to them
/// (`[@alice:example.org](https://matrix.to/#/@alice:example.org)`, as escalations name the
/// chair), in order, once each. A user merely named in the text (who claimed a window) is not
/// notified.
fn mentioned_users(text: &str) -> Vec<OwnedUserId> {
    const LINK: &str = "https://matrix.to/#/";
    let mut users = Vec::new();
    for (at, _) in text.match_indices(LINK) {
        let rest = &text[at + LINK.len()..];
        let id = rest
            .split(|c: char| c == ')' || c == '?' || c.is_whitespace())
            .next()
            .unwrap_or("");
        if let Ok(user) = UserId::parse(id)
            && !users.contains(&user)
        {
            users.push(user);
        }
    }
    users
}

#[cfg(test)]
mod tests {
    use matrix_sdk::ruma::api::error::{LimitExceededErrorData, UnknownTokenErrorData};
    use matrix_sdk::ruma::{room_id, user_id};

    use super::*;

    /// An error answer of the homeserver, as the SDK reports it.
    fn api_error(status: u16, kind: ErrorKind) -> matrix_sdk::Error {
        use matrix_sdk::ruma::api::client::uiaa::UiaaResponse;
        use matrix_sdk::ruma::api::error::{ErrorBody, FromHttpResponseError, StandardErrorBody};
        use matrix_sdk::ruma::exports::http::StatusCode;
        let error = matrix_sdk::ruma::api::error::Error::new(
            StatusCode::from_u16(status).unwrap(),
            ErrorBody::Standard(StandardErrorBody::new(kind, "test".into())),
        );
        matrix_sdk::Error::Http(Box::new(matrix_sdk::HttpError::Api(Box::new(
            FromHttpResponseError::Server(UiaaResponse::MatrixError(error)),
        ))))
    }

    #[test]
    fn receivers_name_a_room_or_a_person() {
        assert_eq!(
            target("matrix:!abc:example.org"),
            Some(Target::Room(room_id!("!abc:example.org")))
        );
        assert_eq!(
            target("matrix:@alice:example.org"),
            Some(Target::Person(user_id!("@alice:example.org")))
        );
        assert_eq!(target("!abc:example.org"), None);
        assert_eq!(target("console"), None);
        assert_eq!(target("matrix:#alias:example.org"), None);
        // Room version 12 ids are a hash, without a server.
        assert_eq!(
            target("matrix:!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM"),
            Some(Target::Room(room_id!(
                "!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM"
            )))
        );
        assert_eq!(target("matrix:@no-server"), None);
    }

    #[test]
    fn rate_limits_are_waited_out_refusals_given_up_and_failures_retried() {
        let mut limit = LimitExceededErrorData::new();
        limit.retry_after = Some(RetryAfter::Delay(Duration::from_millis(1_500)));
        let place = "!r:example.org";
        let cases = [
            (
                api_error(429, ErrorKind::LimitExceeded(limit)),
                "rate-limited 1500ms",
            ),
            (
                api_error(429, ErrorKind::LimitExceeded(LimitExceededErrorData::new())),
                "rate-limited 5000ms",
            ),
            (api_error(429, ErrorKind::Unknown), "rate-limited 5000ms"),
            (api_error(403, ErrorKind::Forbidden), "failed"),
            (api_error(404, ErrorKind::NotFound), "failed"),
            (api_error(400, ErrorKind::InvalidParam), "failed"),
            (api_error(502, ErrorKind::Unknown), "in doubt 0ms"),
            (api_error(500, ErrorKind::Unknown), "in doubt 0ms"),
            (matrix_sdk::Error::Timeout, "in doubt 0ms"),
            (
                api_error(401, ErrorKind::UnknownToken(UnknownTokenErrorData::new())),
                "retry 0ms",
            ),
        ];
        for (error, expected) in cases {
            let got = match classify(&error, place) {
                Delivery::Sent(_) => "sent".to_owned(),
                Delivery::Retry { after, .. } => format!("retry {}ms", after.as_millis()),
                Delivery::RateLimited { after, .. } => format!("rate-limited {}ms", after.as_millis()),
                Delivery::InDoubt { after, .. } => format!("in doubt {}ms", after.as_millis()),
                Delivery::Failed(_) => "failed".to_owned(),
            };
            assert_eq!(got, expected, "{error:?}");
        }
    }

    #[test]
    fn a_message_carries_its_outbox_id_and_mentions_only_the_people_it_links_to() {
        let row = OutboxRow {
            id: 4_217,
            receiver: "matrix:!r:example.org".into(),
            platform: "matrix".into(),
            body_markdown: "Ask [@chair:example.org](https://matrix.to/#/@chair:example.org) **now** @room"
                .into(),
            reason: "escalation".into(),
            group_key: "escalation|x|1".into(),
            created_at: Utc::now(),
            state: vigie_storage::OutboxState::Leased,
            attempts: 1,
            next_attempt_at: Utc::now(),
            lease_owner: None,
            lease_until: None,
            sent_at: None,
            platform_id: None,
            last_error: None,
            last_error_at: None,
            first_attempt_at: None,
            in_doubt: false,
            image: None,
        };
        let json = content(&row).unwrap();
        assert_eq!(json[OUTBOX_FIELD], "4217");
        assert_eq!(json["msgtype"], "m.notice");
        assert_eq!(json["format"], "org.matrix.custom.html");
        assert!(
            json["formatted_body"]
                .as_str()
                .unwrap()
                .contains("<strong>now</strong>")
        );
        assert_eq!(
            json["m.mentions"]["user_ids"],
            serde_json::json!(["@chair:example.org"])
        );
        assert!(json["m.mentions"].get("room").is_none());
        // What the homeserver gets reads back as the notice it was.
        let back: RoomMessageEventContent = serde_json::from_value(json).unwrap();
        assert_eq!(back.body(), row.body_markdown);
    }

    #[test]
    fn messages_mention_the_people_they_link_to_and_never_the_room() {
        let body = "- **Kenya: presidential election** · `w-0123456789ab` · claimed by @claimer:example.org\n\
                    Nobody claimed it in 7 days: [@chair:example.org](https://matrix.to/#/@chair:example.org), \
                    [@other:example.org](https://matrix.to/#/@other:example.org) and \
                    [@chair:example.org](https://matrix.to/#/@chair:example.org) again. @room";
        assert_eq!(
            mentioned_users(body),
            [
                user_id!("@chair:example.org").to_owned(),
                user_id!("@other:example.org").to_owned()
            ]
        );
        assert!(mentioned_users("Nobody here, not even @room.").is_empty());
        assert!(mentioned_users("A room: https://matrix.to/#/!abc:example.org").is_empty());
    }
}
