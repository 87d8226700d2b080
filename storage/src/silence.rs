//! Silences: matchers that mute the alerts they match for a time, created and ended by people
//! (audited as `silence.add` and `silence.expire`, target `silence:<id>`). An ended silence is
//! kept, with who ended it and when.

use chrono::{DateTime, Utc};

use crate::audit::write_audit;
use crate::column::{json, read_json, read_opt_timestamp, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store};

/// A silence to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSilence {
    /// The matchers as written (`country="KE"`, `region=~"europe|africa"`); all must match.
    pub matchers: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The platform-qualified user who created it.
    pub author: String,
    pub comment: String,
}

/// A stored silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilenceRow {
    /// Given by the store, increasing: short enough to type in a command.
    pub id: i64,
    pub matchers: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub author: String,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    /// When it was ended by hand before `ends_at`.
    pub expired_at: Option<DateTime<Utc>>,
    /// Who ended it by hand.
    pub expired_by: Option<String>,
}

impl SilenceRow {
    /// Whether it mutes at `now`: started, not ended and not ended by hand.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.expired_at.is_none() && self.starts_at <= now && now < self.ends_at
    }

    /// The audit log's target for this silence.
    pub fn audit_target(&self) -> String {
        target(self.id)
    }
}

/// What ending a silence did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsilence {
    /// The silence was ended now.
    Expired,
    /// It had already ended or been ended: nothing changed.
    AlreadyOver,
    /// No silence has this id.
    Unknown,
}

#[derive(sqlx::FromRow)]
struct SilenceColumns {
    id: i64,
    matchers: String,
    starts_at: String,
    ends_at: String,
    author: String,
    comment: String,
    created_at: String,
    expired_at: Option<String>,
    expired_by: Option<String>,
}

/// The columns of [`SilenceColumns`], followed by any conditions.
macro_rules! select_silences {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, matchers, starts_at, ends_at, author, comment, created_at, expired_at,
                 expired_by
             FROM silences",
            $(" ", $rest)?
        )
    };
}

impl SilenceColumns {
    fn into_row(self) -> Result<SilenceRow, StorageError> {
        let what = format!("silence {}", self.id);
        Ok(SilenceRow {
            matchers: read_json(&format!("matchers of {what}"), &self.matchers)?,
            starts_at: read_timestamp(&what, &self.starts_at)?,
            ends_at: read_timestamp(&what, &self.ends_at)?,
            created_at: read_timestamp(&what, &self.created_at)?,
            expired_at: read_opt_timestamp(&what, self.expired_at.as_deref())?,
            id: self.id,
            author: self.author,
            comment: self.comment,
            expired_by: self.expired_by,
        })
    }
}

fn target(id: i64) -> String {
    format!("silence:{id}")
}

impl Store {
    /// Creates a silence, audited as `silence.add` (the detail gives its matchers, end and
    /// comment).
    pub async fn create_silence(
        &self,
        silence: &NewSilence,
        now: DateTime<Utc>,
    ) -> Result<SilenceRow, StorageError> {
        let matchers = json("matchers of a new silence", &silence.matchers)?;
        let detail = format!(
            "{} until {}: {}",
            silence.matchers.join(" "),
            timestamp(silence.ends_at),
            silence.comment
        );
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin_write("silences").await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO silences (matchers, starts_at, ends_at, author, comment, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&matchers)
            .bind(timestamp(silence.starts_at))
            .bind(timestamp(silence.ends_at))
            .bind(&silence.author)
            .bind(&silence.comment)
            .bind(timestamp(now))
            .fetch_one(&mut *tx)
            .await?;
            write_audit!(
                tx,
                now,
                &silence.author,
                "silence.add",
                &target(id),
                Some(detail.as_str())
            );
            tx.commit().await?;
            id
        });
        Ok(SilenceRow {
            id,
            matchers: silence.matchers.clone(),
            starts_at: silence.starts_at,
            ends_at: silence.ends_at,
            author: silence.author.clone(),
            comment: silence.comment.clone(),
            created_at: now,
            expired_at: None,
            expired_by: None,
        })
    }

    /// The silence with this id, if any.
    pub async fn silence(&self, id: i64) -> Result<Option<SilenceRow>, StorageError> {
        let row: Option<SilenceColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_silences!("WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(SilenceColumns::into_row).transpose()
    }

    /// Every silence, ended ones included, by id.
    pub async fn silences(&self) -> Result<Vec<SilenceRow>, StorageError> {
        let rows: Vec<SilenceColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_silences!("ORDER BY id"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(SilenceColumns::into_row).collect()
    }

    /// The silences not over at `now` — muting now or starting later — by id.
    pub async fn active_silences(&self, now: DateTime<Utc>) -> Result<Vec<SilenceRow>, StorageError> {
        let now = timestamp(now);
        let rows: Vec<SilenceColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_silences!(
                "WHERE expired_at IS NULL AND ends_at > $1 ORDER BY id"
            ))
            .bind(&now)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(SilenceColumns::into_row).collect()
    }

    /// Ends a silence now, audited as `silence.expire`; a silence already over is left alone and
    /// nothing is audited.
    pub async fn expire_silence(
        &self,
        id: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Unsilence, StorageError> {
        let at = timestamp(now);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write("silences").await?;
            let current: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT ends_at, expired_at FROM silences WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match current {
                None => return Ok(Unsilence::Unknown),
                Some((ends_at, expired_at)) if expired_at.is_some() || ends_at <= at => {
                    return Ok(Unsilence::AlreadyOver);
                }
                Some(_) => {}
            }
            sqlx::query("UPDATE silences SET expired_at = $2, expired_by = $3 WHERE id = $1")
                .bind(id)
                .bind(&at)
                .bind(by)
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, now, by, "silence.expire", &target(id), None);
            tx.commit().await?;
            Ok(Unsilence::Expired)
        })
    }
}
