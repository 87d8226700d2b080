//! Direct chats with Vigie: a room is *direct* with a person when Vigie's `m.direct` account data
//! lists it for that person alone (a room Vigie opened with `is_direct`, or one it joined on an
//! invitation marked `is_direct`, which the SDK records) and nobody else is in it or invited.
//! There, what someone types is read by Vigie only: a secret ballot may be cast, and commands
//! need no prefix. A third person in the room makes it a shared room again for ballots, whatever
//! the list says.
//!
//! Vigie opens such a room when it writes to a person (`send`, for `matrix:@user` receivers of
//! the outbox): encrypted, the person invited, recorded in `m.direct`, and found again after a
//! restart.

use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::events::direct::DirectUserIdentifier;
use matrix_sdk::{Room, RoomMemberships};

/// Whether Vigie's `m.direct` list names `room` as its direct chat with `user` and nobody else
/// (cheap: no member list is read).
pub(super) fn is_listed_direct_with(room: &Room, user: &UserId) -> bool {
    let targets = room.direct_targets();
    targets.len() == 1 && targets.contains(<&DirectUserIdentifier>::from(user))
}

/// Whether nobody but Vigie and `user` is joined to or invited in `room` (the member list as the
/// last sync left it; without lazy loading, a sync carries every membership, so the list is
/// whole); `None` (logged) when the member list cannot be read, which callers take as a shared
/// room. A room is a direct chat with `user` when it is listed so and they are alone in it.
pub(super) async fn alone_with(room: &Room, user: &UserId) -> Option<bool> {
    match room.members_no_sync(RoomMemberships::ACTIVE).await {
        Ok(members) => Some(
            members
                .iter()
                .all(|m| m.user_id() == user || m.user_id() == room.own_user_id()),
        ),
        Err(e) => {
            tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "the members of a direct chat are unknown; it is treated as shared");
            None
        }
    }
}
