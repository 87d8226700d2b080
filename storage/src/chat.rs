//! Chat housekeeping: the language each room and user prefers, and the platform events already
//! taken for processing.

use chrono::{DateTime, Utc};

use crate::column::timestamp;
use crate::{StorageError, Store};

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

/// Takes one platform event: inserts it unless it is there, in one statement, so two concurrent
/// takes of one event cannot both see it absent. One row affected: taken by this call.
const TAKE_EVENT: &str = "INSERT INTO chat_events (platform, event_id, at) VALUES ($1, $2, $3)
     ON CONFLICT (platform, event_id) DO NOTHING";

impl Store {
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
            sqlx::query(TAKE_EVENT)
                .bind(platform)
                .bind(event_id)
                .bind(timestamp(at))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(written > 0)
    }

    /// [`Store::record_event`] for many events in one transaction: for each of `event_ids`, in
    /// order, true if this call took it (an id twice in `event_ids` is taken once). Under load
    /// a platform records a whole sync's events at once: one commit instead of one per event,
    /// and no queue of writers waiting on SQLite's lock.
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
        // Inserted in id order, so that two batches sharing ids lock them in the same order and
        // cannot deadlock on PostgreSQL (a stable sort: of one id twice, the first is taken).
        let mut order: Vec<usize> = (0..event_ids.len()).collect();
        order.sort_by_key(|&i| event_ids[i]);
        let taken = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut taken = vec![false; event_ids.len()];
            for &i in &order {
                let written = sqlx::query(TAKE_EVENT)
                    .bind(platform)
                    .bind(event_ids[i])
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                taken[i] = written > 0;
            }
            tx.commit().await?;
            taken
        });
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
