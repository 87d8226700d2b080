//! ✋ on an alert claims its window: a person reacts with a raised hand to a message Vigie sent
//! from the outbox, and Vigie runs `window claim ID` for them, as if they had typed it, then
//! answers in the alert's thread. A message about several windows (or none) gets one sentence
//! saying to claim with `window claim ID` instead.
//!
//! The reaction's event id is recorded before anything runs, as for commands, so a reaction
//! re-delivered after a crash claims nothing twice. Reactions to anything else, Vigie's own
//! reactions and reactions from before the start are passed over (see `handler`).

use std::time::Instant;

use chrono::Utc;
use matrix_sdk::Room;
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::relation::Thread;
use matrix_sdk::ruma::events::room::message::{Relation, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedEventId, OwnedTransactionId, OwnedUserId};

use super::handler::Bot;
use crate::command::locale::arg;

/// The message id of the sentence for a ✋ on a message that names no single window.
const CLAIM_HOW: &str = "alert-react-claim-how";

/// A ✋ reaction to look at.
#[derive(Debug)]
pub(super) struct Reaction {
    pub event_id: OwnedEventId,
    pub sender: OwnedUserId,
    /// The message reacted to.
    pub target: OwnedEventId,
    /// When the sync brought it.
    pub received: Instant,
}

/// The claim a reaction event asks for, if it is a raised hand.
pub(super) fn claim(event: &OriginalSyncReactionEvent, received: Instant) -> Option<Reaction> {
    let annotation = &event.content.relates_to;
    is_raised_hand(&annotation.key).then(|| Reaction {
        event_id: event.event_id.clone(),
        sender: event.sender.clone(),
        target: annotation.event_id.clone(),
        received,
    })
}

/// Whether a reaction's key is a raised hand: ✋, with or without the emoji presentation
/// selector, in any skin tone.
pub(super) fn is_raised_hand(key: &str) -> bool {
    let Some(rest) = key.strip_prefix('\u{270B}') else {
        return false;
    };
    let rest = rest.strip_prefix('\u{FE0F}').unwrap_or(rest);
    let mut tone = rest.chars();
    match (tone.next(), tone.next()) {
        (None, _) => true,
        (Some(c), None) => ('\u{1F3FB}'..='\u{1F3FF}').contains(&c),
        _ => false,
    }
}

/// Acts on a ✋ on a message of `room`: claims the window of the alert it was put on, once.
pub(super) async fn answer(bot: &Bot, room: &Room, reaction: Reaction) {
    let chat = bot.chat();
    let store = chat.store();
    // Only reactions to Vigie's outbox messages mean something; others are not even recorded.
    let alert = match store
        .outbox_by_platform_id("matrix", reaction.target.as_str())
        .await
    {
        Ok(Some(alert)) => alert,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(event = %reaction.event_id, error = format!("{e:#}"), "the message reacted to cannot be looked up");
            return;
        }
    };
    match store
        .record_event("matrix", reaction.event_id.as_str(), Utc::now())
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(event = %reaction.event_id, "reaction already processed; skipped");
            return;
        }
        Err(e) => {
            tracing::error!(
                event = %reaction.event_id,
                error = format!("{e:#}"),
                "the reaction cannot be recorded, so it is not acted on (it could otherwise run twice)"
            );
            return;
        }
    }
    let caller = bot.caller(room, &reaction.sender).await;
    let ids = crate::alert::window_ids(&alert.body_markdown);
    let markdown = match ids.first() {
        Some(id) if ids.len() == 1 => chat.handle(&caller, &format!("window claim {id}")).await.markdown,
        _ => {
            let lang = chat.language(&caller).await;
            chat.locales()
                .text(lang, CLAIM_HOW, &[("prefix", arg(chat.prefix()))])
        }
    };
    let mut content = RoomMessageEventContent::notice_markdown(markdown);
    content.relates_to = Some(Relation::Thread(Thread::reply(
        reaction.target.clone(),
        reaction.target.clone(),
    )));
    content.mentions = Some(Mentions::with_user_ids([reaction.sender.clone()]));
    let txn = OwnedTransactionId::from(format!(
        "vigie-{}",
        reaction.event_id.as_str().trim_start_matches('$')
    ));
    match room.send(content).with_transaction_id(txn).await {
        Ok(_) => tracing::debug!(
            room = %room.room_id(),
            outbox = alert.id,
            latency_us = u64::try_from(reaction.received.elapsed().as_micros()).unwrap_or(u64::MAX),
            "claim by reaction answered"
        ),
        Err(e) => tracing::warn!(
            room = %room.room_id(),
            event = %reaction.event_id,
            error = format!("{e:#}"),
            "the answer to a reaction could not be sent"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_hand_in_any_presentation_or_skin_tone_claims() {
        for key in ["✋", "✋\u{FE0F}", "✋🏻", "✋🏿", "✋\u{FE0F}🏽"] {
            assert!(is_raised_hand(key), "{key:?}");
        }
        for key in ["👍", "🤚", "✋✋", "✋x", "x✋", "", "✋🏽🏽", "raised hand"] {
            assert!(!is_raised_hand(key), "{key:?}");
        }
    }
}
