//! Quick polls: award campaigns asked in a room, with the platform events that show them.
//!
//! A poll's options, ballots and results are its campaign's ([`Store::open_award_campaign`],
//! [`Store::cast_ballot`]); this module keeps only what a platform needs besides: the room, the
//! event that started the poll there and the one that ended it, and for each voter the time of
//! the platform response counted last, so that reading the room's responses again (after a
//! restart) never lets an earlier response replace a later one.

use chrono::{DateTime, Utc};
use vigie_awards::campaign::{Action, Campaign};
use vigie_awards::eligibility::Actor;

use super::AwardStoreError;
use crate::{StorageError, Store};

/// A poll as stored: its campaign, room, phase and platform events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPoll {
    /// The campaign's id: the poll's number.
    pub campaign: String,
    /// Platform-qualified: `matrix:!abc:example.org`, `console`.
    pub room: String,
    /// The campaign's phase as stored (`voting-open`, `voting-closed`…).
    pub phase: String,
    /// The event that shows the poll on its platform, once posted.
    pub start_event: Option<String>,
    /// The event that ended it there, once posted.
    pub end_event: Option<String>,
}

impl StoredPoll {
    /// Whether its campaign still takes ballots.
    pub fn is_open(&self) -> bool {
        self.phase == "voting-open"
    }
}

type PollRow = (String, String, String, Option<String>, Option<String>);

fn poll_of((campaign, room, phase, start_event, end_event): PollRow) -> StoredPoll {
    StoredPoll {
        campaign,
        room,
        phase,
        start_event,
        end_event,
    }
}

/// The query of [`PollRow`]s, ending with `$rest`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT p.campaign, p.room, c.phase, p.start_event, p.end_event
             FROM polls p JOIN campaigns c ON c.id = p.campaign ",
            $rest
        )
    };
}

impl Store {
    /// Creates a campaign, applies `actions` to it as `creator` (its options nominated, voting
    /// opened) and records it as a poll asked in `room`, all in one transaction: either the whole
    /// poll exists, or nothing was written. Each action is audited like
    /// [`Store::apply_award_action`]; `seed` is kept as [`Store::open_award_campaign`] keeps it.
    pub async fn open_poll(
        &self,
        question: &str,
        creator: &Actor,
        room: &str,
        seed: &str,
        actions: &[Action],
        now: DateTime<Utc>,
    ) -> Result<Campaign, AwardStoreError> {
        self.create_campaign(question, creator, room, seed, actions, now, true)
            .await
    }

    /// The poll of campaign `campaign`, if that campaign is a poll.
    pub async fn poll(&self, campaign: &str) -> Result<Option<StoredPoll>, StorageError> {
        let row: Option<PollRow> = on_pool!(self, |pool| {
            sqlx::query_as(select!("WHERE p.campaign = $1"))
                .bind(campaign)
                .fetch_optional(pool)
                .await
                .map_err(StorageError::Query)?
        });
        Ok(row.map(poll_of))
    }

    /// The poll shown by the platform event `event`, if any.
    pub async fn poll_by_start(&self, event: &str) -> Result<Option<StoredPoll>, StorageError> {
        let row: Option<PollRow> = on_pool!(self, |pool| {
            sqlx::query_as(select!("WHERE p.start_event = $1"))
                .bind(event)
                .fetch_optional(pool)
                .await
                .map_err(StorageError::Query)?
        });
        Ok(row.map(poll_of))
    }

    /// The polls of rooms whose id starts with `room_prefix` (`matrix:`) that have not been
    /// ended on their platform yet, oldest first.
    pub async fn unended_polls(&self, room_prefix: &str) -> Result<Vec<StoredPoll>, StorageError> {
        let rows: Vec<PollRow> = on_pool!(self, |pool| {
            sqlx::query_as(select!(
                "WHERE p.end_event IS NULL AND p.room LIKE $1 ORDER BY c.number"
            ))
            // Room ids have no `%` or `_` wildcards in their platform prefix.
            .bind(format!("{room_prefix}%"))
            .fetch_all(pool)
            .await
            .map_err(StorageError::Query)?
        });
        Ok(rows.into_iter().map(poll_of).collect())
    }

    /// Records the platform event that shows poll `campaign`.
    pub async fn set_poll_start(&self, campaign: &str, event: &str) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE polls SET start_event = $2 WHERE campaign = $1")
                .bind(campaign)
                .bind(event)
                .execute(pool)
                .await
                .map_err(StorageError::Query)?;
        });
        Ok(())
    }

    /// Records the platform event that ended poll `campaign`.
    pub async fn set_poll_end(&self, campaign: &str, event: &str) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE polls SET end_event = $2 WHERE campaign = $1")
                .bind(campaign)
                .bind(event)
                .execute(pool)
                .await
                .map_err(StorageError::Query)?;
        });
        Ok(())
    }

    /// When `voter`'s response counted last in poll `campaign` was sent (milliseconds since
    /// 1970), if one was.
    pub async fn poll_response_time(&self, campaign: &str, voter: &str) -> Result<Option<i64>, StorageError> {
        let row: Option<(i64,)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT sent_at FROM poll_responses WHERE campaign = $1 AND voter = $2")
                .bind(campaign)
                .bind(voter)
                .fetch_optional(pool)
                .await
                .map_err(StorageError::Query)?
        });
        Ok(row.map(|(at,)| at))
    }

    /// Records `event`, sent at `sent_at`, as `voter`'s response counted last in poll
    /// `campaign`; an earlier response than the one recorded changes nothing.
    pub async fn set_poll_response(
        &self,
        campaign: &str,
        voter: &str,
        event: &str,
        sent_at: i64,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO poll_responses (campaign, voter, event_id, sent_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (campaign, voter) DO UPDATE SET event_id = excluded.event_id,
                     sent_at = excluded.sent_at
                 WHERE poll_responses.sent_at < excluded.sent_at",
            )
            .bind(campaign)
            .bind(voter)
            .bind(event)
            .bind(sent_at)
            .execute(pool)
            .await
            .map_err(StorageError::Query)?;
        });
        Ok(())
    }
}
