//! Invitations: accepted from the users and servers of `matrix.autojoin` (or, without it, from
//! known admins and peers), declined otherwise, and logged either way.

use std::time::Duration;

use matrix_sdk::event_handler::Ctx;
use matrix_sdk::ruma::OwnedUserId;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::{Room, RoomState};

use super::Bot;
use crate::platform::matrix::policy;

/// How many times joining an accepted invitation is tried (the homeserver may not have finished
/// processing the invitation when the sync announces it).
const JOIN_ATTEMPTS: u32 = 5;

pub(super) async fn on_invite(event: StrippedRoomMemberEvent, room: Room, Ctx(bot): Ctx<Bot>) {
    if event.state_key != bot.0.own
        || event.content.membership != MembershipState::Invite
        || room.state() != RoomState::Invited
    {
        return;
    }
    let tasks = bot.0.tasks.clone();
    tasks.spawn(async move { bot.answer_invite(room, event.sender).await });
}

impl Bot {
    async fn answer_invite(&self, room: Room, inviter: OwnedUserId) {
        let allowed = if self.0.autojoin.is_empty() {
            self.0.chat.knows(&format!("matrix:{inviter}")).await
        } else {
            policy::autojoin_allows(&self.0.autojoin, &inviter)
        };
        if !allowed {
            tracing::info!(
                room = %room.room_id(),
                inviter = %inviter,
                "declined an invitation: the inviter is not allowed by matrix.autojoin (or, without it, not an admin or peer)"
            );
            if let Err(e) = room.leave().await {
                tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "declining an invitation failed");
            }
            return;
        }
        let mut delay = Duration::from_secs(1);
        for attempt in 1..=JOIN_ATTEMPTS {
            match room.join().await {
                Ok(()) => {
                    tracing::info!(room = %room.room_id(), inviter = %inviter, "joined a room on invitation");
                    return;
                }
                Err(e) if attempt == JOIN_ATTEMPTS => {
                    tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "joining a room failed; giving up");
                }
                Err(e) => {
                    tracing::debug!(room = %room.room_id(), attempt, error = format!("{e:#}"), "joining a room failed; trying again");
                    tokio::select! {
                        () = self.0.stop.cancelled() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                    delay *= 2;
                }
            }
        }
    }
}
