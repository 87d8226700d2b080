//! What a chat platform keeps between runs, by name: small values that are neither chat events
//! nor domain data (Discord: the hash of the application commands registered in each scope).

use chrono::{DateTime, Utc};

use crate::column::timestamp;
use crate::{StorageError, Store};

impl Store {
    /// The value `platform` keeps under `name`, if any.
    pub async fn platform_state(&self, platform: &str, name: &str) -> Result<Option<String>, StorageError> {
        let row: Option<(String,)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT value FROM platform_state WHERE platform = $1 AND name = $2")
                .bind(platform)
                .bind(name)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(value,)| value))
    }

    /// Keeps `value` under `name` for `platform`, replacing what was there.
    pub async fn set_platform_state(
        &self,
        platform: &str,
        name: &str,
        value: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO platform_state (platform, name, value, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (platform, name) DO UPDATE SET value = excluded.value,
                     updated_at = excluded.updated_at",
            )
            .bind(platform)
            .bind(name)
            .bind(value)
            .bind(timestamp(at))
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
