//! What every command needs to know of its room: the power levels (is the caller a room admin)
//! and, in a direct chat, whether Vigie and the caller are alone in it. Both are room state the
//! SDK keeps in its store; reading and decrypting them at every command made the lookup the
//! slowest step under load (the store's few connections are shared with the sync writing each
//! response). So they are read once per room and kept until a sync changes the room's state:
//! [`Callers::forget`] is called for every room whose state a sync touches, before the sync's
//! commands are queued, so a command never sees state older than the sync that brought it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use matrix_sdk::Room;
use matrix_sdk::ruma::events::room::power_levels::{RoomPowerLevels, UserPowerLevel};
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId, RoomId, UserId};

use super::super::dm;

#[derive(Default)]
pub(super) struct Callers {
    rooms: Mutex<HashMap<OwnedRoomId, Facts>>,
}

#[derive(Default)]
struct Facts {
    /// Bumped at every change: a lookup that began before a change does not keep what it read.
    generation: u64,
    power: Option<Arc<RoomPowerLevels>>,
    /// Whether nobody but Vigie and the user is joined or invited, by user (asked only of
    /// rooms listed as direct chats).
    alone_with: HashMap<OwnedUserId, bool>,
}

impl Callers {
    /// Forgets what is known of `room`: a sync changed its state.
    pub(super) fn forget(&self, room: &RoomId) {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(facts) = rooms.get_mut(room) {
            facts.generation = facts.generation.wrapping_add(1);
            facts.power = None;
            facts.alone_with.clear();
        }
    }

    /// `user`'s power level in `room`.
    pub(super) async fn power_level(&self, room: &Room, user: &UserId) -> anyhow::Result<UserPowerLevel> {
        let generation = match self.known(room, |facts| facts.power.as_ref().map(|p| p.for_user(user))) {
            Ok(level) => return Ok(level),
            Err(generation) => generation,
        };
        let power = Arc::new(room.power_levels().await?);
        let level = power.for_user(user);
        self.keep(room, generation, |facts| facts.power = Some(power));
        Ok(level)
    }

    /// Whether `room` is a direct chat between Vigie and `user` alone: listed as such (see
    /// [`dm::is_listed_direct_with`]) and nobody else in it ([`dm::alone_with`]); the member list
    /// is read once per change of the room's state.
    pub(super) async fn is_direct_with(&self, room: &Room, user: &UserId) -> bool {
        // The list of direct chats is account data the SDK keeps in memory: cheap, never kept here.
        if !dm::is_listed_direct_with(room, user) {
            return false;
        }
        let generation = match self.known(room, |facts| facts.alone_with.get(user).copied()) {
            Ok(alone) => return alone,
            Err(generation) => generation,
        };
        let Some(alone) = dm::alone_with(room, user).await else {
            return false;
        };
        self.keep(room, generation, |facts| {
            facts.alone_with.insert(user.to_owned(), alone);
        });
        alone
    }

    /// What `read` finds in what is kept of `room`, or, when nothing is kept, the room's
    /// generation to read it from the store under.
    fn known<T>(&self, room: &Room, read: impl FnOnce(&Facts) -> Option<T>) -> Result<T, u64> {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        let facts = rooms.entry(room.room_id().to_owned()).or_default();
        read(facts).ok_or(facts.generation)
    }

    /// Keeps what was read under `generation`, unless the room's state changed since.
    fn keep(&self, room: &Room, generation: u64, write: impl FnOnce(&mut Facts)) {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(facts) = rooms.get_mut(room.room_id())
            && facts.generation == generation
        {
            write(facts);
        }
    }
}
