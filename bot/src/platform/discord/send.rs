//! Delivering the outbox's Discord messages (alerts, digests, award announcements) to
//! `discord:<channel id>` receivers, and personal messages (ballots, reminders) to
//! `discord:<user id>` receivers in their direct messages, while this instance leads
//! `outbox:discord`.
//!
//! Each message is sent with a nonce derived from its outbox id (`vigie-outbox-<id>`, and
//! `vigie-outbox-<id>.<n>` for the later pieces of a message longer than Discord allows) and
//! `enforce_nonce`: Discord then answers a second send with the same nonce, within minutes, with
//! the message already created instead of a new one, so a retry after a timeout or a 5xx does
//! not post twice. A message with a picture carries it on its last piece, as does an alert its
//! buttons (Claim, Release, Snooze for each window it names; see `component`), labelled in the
//! receiver's language.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    ChannelId, CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateMessage, Nonce, UserId,
};
use serenity::http::{Http, HttpError};
use tokio_util::sync::CancellationToken;
use vigie_storage::OutboxRow;

use super::{component, describe, reply};
use crate::alert::sender::Delivery;
use crate::chat::Chat;
use crate::command::Lang;

/// The wait before a retry when Discord did not say how long.
const RETRY: Duration = Duration::from_secs(5);

/// Delivers the outbox's Discord messages until `stop`.
pub async fn deliver_outbox(http: Arc<Http>, chat: Chat, stop: CancellationToken) {
    let store = chat.store().clone();
    let owner = crate::alert::sender::owner("discord");
    crate::alert::sender::deliver_loop(
        store,
        "discord",
        owner,
        move |row| {
            let http = http.clone();
            let chat = chat.clone();
            async move {
                let buttons = buttons(&chat, &row).await;
                deliver(&http, row, buttons).await
            }
        },
        stop,
    )
    .await;
}

/// The buttons of an outbox message: an alert's or a digest's, for the windows it names, in
/// the receiver's language; none for other messages.
async fn buttons(chat: &Chat, row: &OutboxRow) -> Vec<CreateActionRow> {
    if !component::offers_window_buttons(&row.reason) {
        return Vec::new();
    }
    let default = Lang::parse(&chat.engine().config().chat.language).unwrap_or_default();
    let lang = crate::award::room_language(chat.store(), &row.receiver, default).await;
    component::window_buttons(chat.locales(), lang, &row.body_markdown)
}

/// The id of a `discord:<id>` receiver: a channel, or a person reached in their direct messages.
pub fn receiver_id(receiver: &str) -> Option<u64> {
    let id: u64 = receiver.strip_prefix("discord:")?.parse().ok()?;
    (id > 0).then_some(id)
}

/// The nonce of piece `n` of outbox message `id`: at most 25 characters, as Discord requires.
pub fn nonce(id: i64, n: usize) -> String {
    let nonce = if n == 0 {
        format!("vigie-outbox-{id}")
    } else {
        format!("vigie-outbox-{id}.{n}")
    };
    if nonce.len() <= 25 {
        nonce
    } else {
        // Only for ids beyond ten digits: shorter, still unique per message and piece.
        format!("vo-{id:x}.{n}")
    }
}

/// Sends one outbox message; what became of it. A `discord:<id>` receiver is a channel (where
/// alerts are routed) or a person (an award ballot or reminder): Discord ids never name both, so
/// an id Discord does not know as a channel is tried as a person's direct messages. `buttons`
/// go on the last piece.
pub async fn deliver(http: &Http, row: OutboxRow, buttons: Vec<CreateActionRow>) -> Delivery {
    let Some(id) = receiver_id(&row.receiver) else {
        return Delivery::Failed(format!(
            "{} is not a Discord channel or person; expected discord:<id>",
            row.receiver
        ));
    };
    let pieces = reply::pieces(&row.body_markdown);
    let last = pieces.len() - 1;
    let mut channel = ChannelId::new(id);
    let mut direct = false;
    let mut first = None;
    let mut n = 0;
    while let Some(piece) = pieces.get(n) {
        let mut message = CreateMessage::new()
            .content(piece.clone())
            .nonce(Nonce::String(nonce(row.id, n)))
            .enforce_nonce(true)
            // An alert mentions nobody, whatever its text names.
            .allowed_mentions(CreateAllowedMentions::new());
        if n == last
            && let Some(image) = &row.image
        {
            let mut file = CreateAttachment::bytes(image.png.clone(), image.name.clone());
            if !image.alt.is_empty() {
                file = file.description(image.alt.clone());
            }
            message = message.add_file(file);
        }
        if n == last && !buttons.is_empty() {
            message = message.components(buttons.clone());
        }
        match channel.send_message(http, message).await {
            Ok(sent) => {
                first.get_or_insert_with(|| sent.id.to_string());
                n += 1;
            }
            Err(e) if n == 0 && !direct && unknown_channel(&e) => {
                direct = true;
                match UserId::new(id).create_dm_channel(http).await {
                    Ok(dm) => channel = dm.id,
                    Err(e) => return outcome(&e),
                }
            }
            Err(e) => return outcome(&e),
        }
    }
    Delivery::Sent(first)
}

/// Whether Discord said the channel does not exist (error 10003, Unknown Channel).
fn unknown_channel(e: &serenity::Error) -> bool {
    matches!(
        e,
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r))
            if r.status_code.as_u16() == 404 && r.error.code == 10003
    )
}

/// What a failed send means for the outbox.
fn outcome(e: &serenity::Error) -> Delivery {
    let error = describe(e);
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            match status {
                429 => Delivery::RateLimited { after: RETRY, error },
                // Discord's own trouble: the message may have been created.
                500..=599 => Delivery::InDoubt { after: RETRY, error },
                // Unknown channel, missing access or permissions, a body Discord refuses.
                _ => Delivery::Failed(error),
            }
        }
        // Not connected: nothing went out.
        serenity::Error::Http(HttpError::Request(r)) if r.is_connect() => {
            Delivery::Retry { after: RETRY, error }
        }
        // The request may have gone out: a nonce retry finds it.
        _ => Delivery::InDoubt { after: RETRY, error },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receiver_is_a_discord_id_or_nothing() {
        assert_eq!(
            receiver_id("discord:123456789012345678"),
            Some(123456789012345678)
        );
        assert_eq!(receiver_id("discord:0"), None);
        assert_eq!(receiver_id("discord:abc"), None);
        assert_eq!(receiver_id("matrix:!room:example.org"), None);
        assert_eq!(receiver_id("discord:"), None);
    }

    #[test]
    fn nonces_are_per_message_and_piece_and_fit_discord() {
        assert_eq!(nonce(42, 0), "vigie-outbox-42");
        assert_eq!(nonce(42, 2), "vigie-outbox-42.2");
        assert_ne!(nonce(42, 1), nonce(421, 0));
        for (id, n) in [(i64::MAX, 0), (i64::MAX, 4), (9_999_999_999, 4)] {
            assert!(nonce(id, n).len() <= 25, "{}", nonce(id, n));
        }
        assert_ne!(nonce(i64::MAX, 0), nonce(i64::MAX, 1));
    }
}
