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
