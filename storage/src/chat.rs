//! Chat housekeeping: the language each room and user prefers, and the platform events already
//! taken for processing.

use chrono::{DateTime, Utc};

use crate::column::{read, timestamp};
use crate::peer::parse_role;
use crate::{Role, StorageError, Store};

/// Whose language preference it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LanguageScope {
    /// A room (`matrix:!room:example.org`): what Vigie posts there.
    Room,
    /// A user (`matrix:@alice:example.org`): what Vigie answers that user alone.
    User,
}

impl LanguageScope {
    /// The slug, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Room => "room",
            Self::User => "user",
        }
    }
}

/// What every command needs to know of its caller before it runs, read in one query: the
/// caller's role, if a peer, and the languages chosen for the caller and for the room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallerProfile {
    /// The peer's role; `None` for someone who is not a peer (or was removed).
    pub role: Option<Role>,
    /// The language the caller chose, if any.
    pub user_language: Option<String>,
    /// The language chosen for the room, if any.
    pub room_language: Option<String>,
}

impl Store {
    /// The role of `user` and the languages of `user` and `room`, in one round trip (what
    /// [`Store::peer`] and two [`Store::language`] calls would read).
    pub async fn caller_profile(&self, user: &str, room: &str) -> Result<CallerProfile, StorageError> {
        let (role, user_language, room_language): (Option<String>, Option<String>, Option<String>) =
            on_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT
                        (SELECT role FROM peers WHERE user_id = $1 AND removed_at IS NULL),
                        (SELECT language FROM language_preferences
                         WHERE scope = 'user' AND subject = $1),
                        (SELECT language FROM language_preferences
                         WHERE scope = 'room' AND subject = $2)",
                )
                .bind(user)
                .bind(room)
                .fetch_one(pool)
                .await?
            });
        let role = match role {
            Some(role) => Some(read(&format!("peer {user}"), &role, parse_role)?),
            None => None,
        };
        Ok(CallerProfile {
            role,
            user_language,
            room_language,
        })
    }

    /// The language tag (`fr`, `es-419`…) chosen for a room or user, if any.
    pub async fn language(&self, scope: LanguageScope, id: &str) -> Result<Option<String>, StorageError> {
        let row: Option<(String,)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT language FROM language_preferences WHERE scope = $1 AND subject = $2")
                .bind(scope.as_str())
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(language,)| language))
    }

    /// Sets the language of a room or user, or with `None` clears it (the default applies again).
    /// Not audited: a preference changes what Vigie says, not what anyone may do.
    pub async fn set_language(
        &self,
        scope: LanguageScope,
        id: &str,
        lang: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            match lang {
                Some(lang) => {
                    sqlx::query(
                        "INSERT INTO language_preferences (scope, subject, language, updated_at)
                         VALUES ($1, $2, $3, $4)
                         ON CONFLICT (scope, subject) DO UPDATE SET language = excluded.language,
                             updated_at = excluded.updated_at",
                    )
                    .bind(scope.as_str())
                    .bind(id)
                    .bind(lang)
                    .bind(timestamp(at))
                    .execute(pool)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM language_preferences WHERE scope = $1 AND subject = $2")
                        .bind(scope.as_str())
                        .bind(id)
                        .execute(pool)
                        .await?;
                }
            }
        });
        Ok(())
    }

    /// Records that a platform event (e.g. a Matrix event id) was taken for processing. true the
    /// first time, false if it was recorded before — so that no command ever runs twice, even
    /// after a crash and a re-delivered sync.
    ///
    /// One statement that inserts unless the event is there, so two concurrent recordings of one
    /// event cannot both see it absent: exactly one gets `true`.
    pub async fn record_event(
        &self,
        platform: &str,
        event_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let written = on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO chat_events (platform, event_id, at) VALUES ($1, $2, $3)
                 ON CONFLICT (platform, event_id) DO NOTHING",
            )
            .bind(platform)
            .bind(event_id)
            .bind(timestamp(at))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(written > 0)
    }

    /// [`Store::record_event`] for many events in one statement: for each of `event_ids`, in
    /// order, true if this call took it (an id twice in `event_ids` is taken once, the first
    /// time). Under load a platform records a whole sync's events at once: one round trip and
    /// one commit instead of one per event, and no queue of writers waiting on SQLite's lock.
    pub async fn record_events(
        &self,
        platform: &str,
        event_ids: &[&str],
        at: DateTime<Utc>,
    ) -> Result<Vec<bool>, StorageError> {
        if event_ids.is_empty() {
            return Ok(Vec::new());
        }
        let at = timestamp(at);
        // One statement for the batch, its ids sorted and each once: two batches sharing ids
        // insert them in the same order and cannot deadlock on PostgreSQL. The statement returns
        // the ids it inserted; of one id given twice, the first is the one taken.
        let mut unique: Vec<&str> = event_ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let inserted: Vec<(String,)> = on_pool!(self, |pool| {
            let mut query = sqlx::QueryBuilder::new("INSERT INTO chat_events (platform, event_id, at) ");
            query.push_values(&unique, |mut row, id| {
                row.push_bind(platform).push_bind(*id).push_bind(at.as_str());
            });
            query.push(" ON CONFLICT (platform, event_id) DO NOTHING RETURNING event_id");
            query.build_query_as().fetch_all(pool).await?
        });
        let mut inserted: std::collections::HashSet<String> = inserted.into_iter().map(|(id,)| id).collect();
        let taken = event_ids.iter().map(|id| inserted.remove(*id)).collect();
        Ok(taken)
    }

    /// Forgets the events recorded before `before`, once platforms no longer re-deliver them;
    /// returns how many were forgotten.
    pub async fn forget_events_before(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        let deleted = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM chat_events WHERE at < $1")
                .bind(timestamp(before))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }
}
