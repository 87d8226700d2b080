//! Follow-ups: which peer has claimed a window, until when it is snoozed, whether it is done, and
//! the notes peers leave on it.
//!
//! Windows are referenced by id only, without a foreign key: a window may be claimed from an
//! alert before an evaluation stores it. Each write on a window holds that window's lock, so two
//! peers acting on one window at once are served one after the other and see each other's
//! change.

use chrono::{DateTime, Utc};

use crate::audit::write_audit;
use crate::column::{read_opt_timestamp, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store};

/// Who follows up a window, and how far they got. A window nobody acted on has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The window's id (`w-2aa8f74113a8`).
    pub window: String,
    /// The peer who holds the window; `None` once released.
    pub claimed_by: Option<String>,
    /// When the current claim was made.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Until when reminders about the window are held back.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Who snoozed the window last.
    pub snoozed_by: Option<String>,
    /// Who marked the window done; `None` while it is open.
    pub done_by: Option<String>,
    /// When the window was marked done.
    pub done_at: Option<DateTime<Utc>>,
}

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The window was free and is now the claimer's.
    Claimed,
    /// The claimer already held it: nothing changed.
    AlreadyYours,
    /// Someone else holds it (the user is given): nothing changed.
    ClaimedBy(String),
}

/// What a release did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// The claim is gone: the window is free.
    Released,
    /// Nobody held the window: nothing changed.
    NotClaimed,
    /// Someone else holds it (the user is given) and the release was not forced: nothing changed.
    ClaimedBy(String),
}

/// A note left on a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Increases with each note: notes are listed in its order.
    pub id: i64,
    /// The window's id.
    pub window: String,
    /// The platform-qualified user who wrote it.
    pub author: String,
    /// As written, unchanged.
    pub text: String,
    /// When it was written.
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct FollowUpRow {
    window_id: String,
    claimed_by: Option<String>,
    claimed_at: Option<String>,
    snoozed_until: Option<String>,
    snoozed_by: Option<String>,
    done_by: Option<String>,
    done_at: Option<String>,
}

/// The columns of a [`FollowUpRow`], followed by any conditions.
macro_rules! select_follow_ups {
    ($($rest:literal)?) => {
        concat!(
            "SELECT window_id, claimed_by, claimed_at, snoozed_until, snoozed_by, done_by, done_at
             FROM follow_ups",
            $(" ", $rest)?
        )
    };
}

impl FollowUpRow {
    fn into_follow_up(self) -> Result<FollowUp, StorageError> {
        let what = format!("follow-up of window {}", self.window_id);
        Ok(FollowUp {
            claimed_at: read_opt_timestamp(&what, self.claimed_at.as_deref())?,
            snoozed_until: read_opt_timestamp(&what, self.snoozed_until.as_deref())?,
            done_at: read_opt_timestamp(&what, self.done_at.as_deref())?,
            window: self.window_id,
            claimed_by: self.claimed_by,
            snoozed_by: self.snoozed_by,
            done_by: self.done_by,
        })
    }
}

/// id, window_id, author, body, at
type NoteRow = (i64, String, String, String, String);

/// The lock of one window's follow-up and notes.
fn lock(window: &str) -> String {
    format!("follow-up:{window}")
}

impl Store {
    /// The follow-up of a window, if anyone acted on it.
    pub async fn follow_up(&self, window: &str) -> Result<Option<FollowUp>, StorageError> {
        let row: Option<FollowUpRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_follow_ups!("WHERE window_id = $1"))
                .bind(window)
                .fetch_optional(pool)
                .await?
        });
        row.map(FollowUpRow::into_follow_up).transpose()
    }

    /// Every window someone acted on, by window id.
    pub async fn follow_ups(&self) -> Result<Vec<FollowUp>, StorageError> {
        let rows: Vec<FollowUpRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_follow_ups!("ORDER BY window_id"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(FollowUpRow::into_follow_up).collect()
    }

    /// Claims a free window for `user`, audited as `window.claim`. Of two peers claiming one
    /// window at once, exactly one gets [`Claim::Claimed`] and the other learns who holds it.
    pub async fn claim_window(
        &self,
        window: &str,
        user: &str,
        at: DateTime<Utc>,
    ) -> Result<Claim, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&lock(window)).await?;
            let holder: Option<(Option<String>,)> =
                sqlx::query_as("SELECT claimed_by FROM follow_ups WHERE window_id = $1")
                    .bind(window)
                    .fetch_optional(&mut *tx)
                    .await?;
            match holder.and_then(|(holder,)| holder) {
                Some(holder) if holder == user => return Ok(Claim::AlreadyYours),
                Some(holder) => return Ok(Claim::ClaimedBy(holder)),
                None => {}
            }
            sqlx::query(
                "INSERT INTO follow_ups (window_id, claimed_by, claimed_at) VALUES ($1, $2, $3)
                 ON CONFLICT (window_id) DO UPDATE SET claimed_by = excluded.claimed_by,
                     claimed_at = excluded.claimed_at",
            )
            .bind(window)
            .bind(user)
            .bind(timestamp(at))
            .execute(&mut *tx)
            .await?;
            write_audit!(tx, at, user, "window.claim", window, None);
            tx.commit().await?;
            Ok(Claim::Claimed)
        })
    }

    /// Releases `user`'s claim on a window, or with `force` (an admin's decision) anyone's,
    /// audited as `window.release` (naming the former holder when it was someone else).
    pub async fn release_window(
        &self,
        window: &str,
        user: &str,
        force: bool,
        at: DateTime<Utc>,
    ) -> Result<Release, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&lock(window)).await?;
            let holder: Option<(Option<String>,)> =
                sqlx::query_as("SELECT claimed_by FROM follow_ups WHERE window_id = $1")
                    .bind(window)
                    .fetch_optional(&mut *tx)
                    .await?;
            let detail = match holder.and_then(|(holder,)| holder) {
                None => return Ok(Release::NotClaimed),
                Some(holder) if holder == user => None,
                Some(holder) if force => Some(format!("claim of {holder}")),
                Some(holder) => return Ok(Release::ClaimedBy(holder)),
            };
            sqlx::query("UPDATE follow_ups SET claimed_by = NULL, claimed_at = NULL WHERE window_id = $1")
                .bind(window)
                .execute(&mut *tx)
                .await?;
            write_audit!(tx, at, user, "window.release", window, detail.as_deref());
            tx.commit().await?;
            Ok(Release::Released)
        })
    }

    /// Holds back reminders about a window until `until`, audited as `window.snooze`. Snoozing
    /// again replaces the previous snooze; the same snooze by the same user changes nothing and
    /// writes no audit.
    pub async fn snooze_window(
        &self,
        window: &str,
        user: &str,
        until: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let until = timestamp(until);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&lock(window)).await?;
            let current: Option<(Option<String>, Option<String>)> =
                sqlx::query_as("SELECT snoozed_until, snoozed_by FROM follow_ups WHERE window_id = $1")
                    .bind(window)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((Some(current_until), Some(current_by))) = &current
                && *current_until == until
                && current_by == user
            {
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO follow_ups (window_id, snoozed_until, snoozed_by) VALUES ($1, $2, $3)
                 ON CONFLICT (window_id) DO UPDATE SET snoozed_until = excluded.snoozed_until,
                     snoozed_by = excluded.snoozed_by",
            )
            .bind(window)
            .bind(&until)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            write_audit!(tx, at, user, "window.snooze", window, Some(until.as_str()));
            tx.commit().await?;
            Ok(())
        })
    }

    /// Marks a window done, audited as `window.done`; `false`, with nothing written, if it was
    /// already done. The claim, if any, is kept: it says who followed the window up.
    pub async fn done_window(
        &self,
        window: &str,
        user: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&lock(window)).await?;
            let done: Option<(Option<String>,)> =
                sqlx::query_as("SELECT done_at FROM follow_ups WHERE window_id = $1")
                    .bind(window)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((Some(_),)) = done {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO follow_ups (window_id, done_by, done_at) VALUES ($1, $2, $3)
                 ON CONFLICT (window_id) DO UPDATE SET done_by = excluded.done_by, done_at = excluded.done_at",
            )
            .bind(window)
            .bind(user)
            .bind(timestamp(at))
            .execute(&mut *tx)
            .await?;
            write_audit!(tx, at, user, "window.done", window, None);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Leaves a note on a window, audited as `window.note` (the audit names the note by its id).
    pub async fn add_note(
        &self,
        window: &str,
        author: &str,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Note, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&lock(window)).await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO window_notes (window_id, author, body, at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(window)
            .bind(author)
            .bind(text)
            .bind(timestamp(at))
            .fetch_one(&mut *tx)
            .await?;
            let detail = format!("note {id}");
            write_audit!(tx, at, author, "window.note", window, Some(detail.as_str()));
            tx.commit().await?;
            Ok(Note {
                id,
                window: window.to_owned(),
                author: author.to_owned(),
                text: text.to_owned(),
                at,
            })
        })
    }

    /// The notes left on a window, oldest first.
    pub async fn notes(&self, window: &str) -> Result<Vec<Note>, StorageError> {
        let rows: Vec<NoteRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, window_id, author, body, at FROM window_notes WHERE window_id = $1 ORDER BY id",
            )
            .bind(window)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(id, window, author, text, at)| {
                Ok(Note {
                    at: read_timestamp(&format!("note {id} of window {window}"), &at)?,
                    id,
                    window,
                    author,
                    text,
                })
            })
            .collect()
    }
}
