//! Status candidates: entries of Atom/RSS feeds that may announce a change of a member's status,
//! waiting for an admin to confirm or dismiss them.

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};
use vigie_rules::{EventDate, JurisdictionCode, MemberStatus, StatusCandidate};

use crate::column::{read, read_opt, read_opt_timestamp, read_timestamp, timestamp};
use crate::member::set_status_by_hand;
use crate::store::Driver;
use crate::{StorageError, Store, SyncCounts};

/// Where a status candidate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateState {
    Pending,
    Confirmed,
    Dismissed,
}

impl CandidateState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }

    fn parse(s: &str) -> Result<Self, String> {
        match s {
            "pending" => Ok(Self::Pending),
            "confirmed" => Ok(Self::Confirmed),
            "dismissed" => Ok(Self::Dismissed),
            other => Err(format!(
                "\"{other}\" is not a candidate state; expected pending, confirmed or dismissed"
            )),
        }
    }
}

impl fmt::Display for CandidateState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status candidate as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCandidate {
    /// Stable: admins decide a candidate by this id.
    pub id: i64,
    pub feed: String,
    pub candidate: StatusCandidate,
    pub state: CandidateState,
    pub first_seen: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: i64,
    feed: String,
    entry_id: String,
    title: String,
    link: Option<String>,
    published: Option<String>,
    member: Option<String>,
    status: Option<String>,
    automatic: bool,
    state: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    first_seen: String,
}

/// The columns of a [`CandidateRow`], followed by any conditions.
macro_rules! select_candidates {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, feed, entry_id, title, link, published, member, status, automatic, state,
                    decided_by, decided_at, first_seen
             FROM status_candidates",
            $(" ", $rest)?
        )
    };
}

impl CandidateRow {
    fn into_stored(self) -> Result<StoredCandidate, StorageError> {
        let what = format!("status candidate {}", self.id);
        Ok(StoredCandidate {
            candidate: StatusCandidate {
                published: read_opt_timestamp(&what, self.published.as_deref())?,
                member: read_opt(&what, self.member.as_deref(), JurisdictionCode::parse)?,
                status: read_opt(&what, self.status.as_deref(), MemberStatus::parse)?,
                entry_id: self.entry_id,
                title: self.title,
                link: self.link,
                automatic: self.automatic,
            },
            state: read(&what, &self.state, CandidateState::parse)?,
            first_seen: read_timestamp(&what, &self.first_seen)?,
            decided_at: read_opt_timestamp(&what, self.decided_at.as_deref())?,
            decided_by: self.decided_by,
            id: self.id,
            feed: self.feed,
        })
    }
}

impl Store {
    /// Adds the entries of `feed` not seen before as pending candidates, in one transaction.
    /// Entries already stored (by feed and entry id) are left exactly as they are, decided or not,
    /// and keep their id; nothing is ever deleted, so `removed` is always 0.
    pub async fn sync_status_candidates(
        &self,
        feed: &str,
        items: &[StatusCandidate],
        now: DateTime<Utc>,
    ) -> Result<SyncCounts, StorageError> {
        let mut seen = HashSet::with_capacity(items.len());
        if let Some(dup) = items.iter().find(|c| !seen.insert(c.entry_id.as_str())) {
            return Err(StorageError::DuplicateEntry {
                feed: feed.to_owned(),
                entry_id: dup.entry_id.clone(),
            });
        }
        let now = timestamp(now);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&format!("candidates:{feed}")).await?;
            let mut counts = SyncCounts::default();
            for c in items {
                let written = sqlx::query(
                    "INSERT INTO status_candidates (feed, entry_id, title, link, published, member, status,
                         automatic, state, first_seen)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)
                     ON CONFLICT (feed, entry_id) DO NOTHING",
                )
                .bind(feed)
                .bind(&c.entry_id)
                .bind(&c.title)
                .bind(c.link.as_deref())
                .bind(c.published.map(timestamp))
                .bind(c.member.as_ref().map(JurisdictionCode::as_str))
                .bind(c.status.map(MemberStatus::as_str))
                .bind(c.automatic)
                .bind(&now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if written == 0 {
                    counts.unchanged += 1;
                } else {
                    counts.added += 1;
                }
            }
            tx.commit().await?;
            Ok(counts)
        })
    }

    /// Candidates waiting for a decision, oldest first.
    pub async fn pending_status_candidates(&self) -> Result<Vec<StoredCandidate>, StorageError> {
        let rows: Vec<CandidateRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_candidates!("WHERE state = 'pending' ORDER BY id"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(CandidateRow::into_stored).collect()
    }

    /// One candidate, decided or not.
    pub async fn status_candidate(&self, id: i64) -> Result<Option<StoredCandidate>, StorageError> {
        let row: Option<CandidateRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_candidates!("WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(CandidateRow::into_stored).transpose()
    }

    /// Confirms or dismisses a pending candidate, in one transaction. Confirming a candidate that
    /// names a member and a status sets that status as [`Store::set_member_status`] does, by
    /// `actor`, since the day the entry was published. Fails if the candidate is unknown or was
    /// already decided, or if it names a member that does not exist (then nothing is written).
    pub async fn decide_status_candidate(
        &self,
        id: i64,
        confirm: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        // The member lock: confirming may change a member.
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write("members").await?;
            let row: Option<CandidateRow> = sqlx::query_as(select_candidates!("WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(StorageError::UnknownCandidate { id });
            };
            let stored = row.into_stored()?;
            if stored.state != CandidateState::Pending {
                return Err(StorageError::AlreadyDecided {
                    id,
                    state: stored.state.to_string(),
                    by: stored.decided_by.unwrap_or_else(|| "someone".to_owned()),
                });
            }
            let c = &stored.candidate;
            if confirm && let (Some(code), Some(status)) = (&c.member, c.status) {
                let since = c.published.map(|p| EventDate::day(p.date_naive()));
                let note = match &c.link {
                    Some(link) => format!("{} ({link})", c.title),
                    None => c.title.clone(),
                };
                set_status_by_hand!(tx, code, status, since, actor, Some(note.as_str()), now);
            }
            let state = if confirm {
                CandidateState::Confirmed
            } else {
                CandidateState::Dismissed
            };
            sqlx::query(
                "UPDATE status_candidates SET state = $2, decided_by = $3, decided_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(state.as_str())
            .bind(actor)
            .bind(timestamp(now))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
