//! OGP members and the history of their status.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use vigie_rules::{ActionPlan, EventDate, JurisdictionCode, JurisdictionLevel, Member, MemberStatus, Region};

use crate::column::{read, read_int, read_opt, read_opt_timestamp, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store, SyncCounts};

/// Every member write takes this lock: members are keyed by code across feeds.
const LOCK: &str = "members";

/// A member as stored: what its feed (or an admin) last said, and how its status evolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub member: Member,
    /// The feed that last listed the member.
    pub feed: String,
    pub first_seen: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When its feed stopped listing it; `None` while it is listed.
    pub removed_at: Option<DateTime<Utc>>,
    /// Oldest first. The first entry is the status the member first appeared with (`from: None`).
    pub history: Vec<StatusChange>,
}

/// One change of a member's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// `None` for the status a member first appeared with.
    pub from: Option<MemberStatus>,
    pub to: MemberStatus,
    /// Since when the new status holds, as far as the source says.
    pub since: Option<EventDate>,
    pub source: StatusSource,
    pub note: Option<String>,
    /// When the change was recorded.
    pub at: DateTime<Utc>,
}

/// Who changed a member's status.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StatusSource {
    /// A sync of the named feed.
    Feed(String),
    /// An admin, by hand (or by confirming a status candidate).
    Manual { actor: String },
}

/// The `source` column of a manual change; the actor has its own column.
pub(crate) const MANUAL: &str = "manual";

#[derive(sqlx::FromRow)]
struct MemberRow {
    code: String,
    name: String,
    level: String,
    region: String,
    status: String,
    status_since: Option<String>,
    feed_status: String,
    joined: Option<i64>,
    plan_number: Option<i64>,
    plan_cohort: Option<i64>,
    plan_start: Option<String>,
    plan_end: Option<String>,
    notes: Option<String>,
    feed: String,
    first_seen: String,
    updated_at: String,
    removed_at: Option<String>,
}

/// The columns of a [`MemberRow`], followed by any conditions.
macro_rules! select_members {
    ($($rest:literal)?) => {
        concat!(
            "SELECT code, name, level, region, status, status_since, feed_status, joined, plan_number, plan_cohort,
                    plan_start, plan_end, notes, feed, first_seen, updated_at, removed_at
             FROM members",
            $(" ", $rest)?
        )
    };
}

impl MemberRow {
    fn member(&self) -> Result<Member, StorageError> {
        let date = |what, text: &Option<String>| read_opt(what, text.as_deref(), EventDate::from_str);
        fn int<T: TryFrom<i64>>(what: &str, value: Option<i64>) -> Result<Option<T>, StorageError> {
            value.map(|v| read_int(what, v)).transpose()
        }
        Ok(Member {
            code: read("members.code", &self.code, JurisdictionCode::parse)?,
            name: self.name.clone(),
            level: read("members.level", &self.level, JurisdictionLevel::parse)?,
            region: read("members.region", &self.region, Region::parse)?,
            status: read("members.status", &self.status, MemberStatus::parse)?,
            status_since: date("members.status_since", &self.status_since)?,
            joined: int("members.joined", self.joined)?,
            action_plan: ActionPlan {
                number: int("members.plan_number", self.plan_number)?,
                cohort: int("members.plan_cohort", self.plan_cohort)?,
                start: date("members.plan_start", &self.plan_start)?,
                end: date("members.plan_end", &self.plan_end)?,
            },
            notes: self.notes.clone(),
        })
    }
}

/// from_status, to_status, since, source, actor, note, at
type HistoryRow = (
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn change_from_row(
    (from, to, since, source, actor, note, at): HistoryRow,
) -> Result<StatusChange, StorageError> {
    let what = "member_status_history";
    Ok(StatusChange {
        from: read_opt(what, from.as_deref(), MemberStatus::parse)?,
        to: read(what, &to, MemberStatus::parse)?,
        since: read_opt(what, since.as_deref(), EventDate::from_str)?,
        source: match actor {
            Some(actor) => StatusSource::Manual { actor },
            None => StatusSource::Feed(source),
        },
        note,
        at: read_timestamp(what, &at)?,
    })
}

/// Writes every column of a member (insert or update) for `feed`, clearing `removed_at`;
/// `$feed_status` is the status the feed itself gives.
macro_rules! write_member {
    ($tx:expr, $m:expr, $feed_status:expr, $feed:expr, $now:expr) => {{
        let m: &::vigie_rules::Member = $m;
        let feed_status: ::vigie_rules::MemberStatus = $feed_status;
        let plan = &m.action_plan;
        ::sqlx::query(
            "INSERT INTO members (code, name, level, region, country, status, status_since, joined,
                 plan_number, plan_cohort, plan_start, plan_end, notes, feed, first_seen, updated_at, removed_at,
                 feed_status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, NULL, $16)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                 region = excluded.region, country = excluded.country, status = excluded.status,
                 status_since = excluded.status_since, feed_status = excluded.feed_status,
                 joined = excluded.joined,
                 plan_number = excluded.plan_number, plan_cohort = excluded.plan_cohort,
                 plan_start = excluded.plan_start, plan_end = excluded.plan_end, notes = excluded.notes,
                 feed = excluded.feed, updated_at = excluded.updated_at, removed_at = NULL",
        )
        .bind(m.code.as_str())
        .bind(&m.name)
        .bind(m.level.as_str())
        .bind(m.region.slug())
        .bind(m.code.country().as_str())
        .bind(m.status.as_str())
        .bind(m.status_since.map(|d| d.to_string()))
        .bind(m.joined.map(i64::from))
        .bind(plan.number.map(i64::from))
        .bind(plan.cohort.map(i64::from))
        .bind(plan.start.map(|d| d.to_string()))
        .bind(plan.end.map(|d| d.to_string()))
        .bind(m.notes.as_deref())
        .bind($feed)
        .bind($crate::column::timestamp($now))
        .bind(feed_status.as_str())
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Appends a row to a member's status history.
macro_rules! write_status_change {
    ($tx:expr, $code:expr, $from:expr, $to:expr, $since:expr, $source:expr, $actor:expr, $note:expr, $now:expr) => {{
        let from: Option<&str> = $from;
        let to: ::vigie_rules::MemberStatus = $to;
        let since: Option<::vigie_rules::EventDate> = $since;
        let actor: Option<&str> = $actor;
        let note: Option<&str> = $note;
        ::sqlx::query(
            "INSERT INTO member_status_history (code, from_status, to_status, since, source, actor, note, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($code)
        .bind(from)
        .bind(to.as_str())
        .bind(since.map(|d| d.to_string()))
        .bind($source)
        .bind(actor)
        .bind(note)
        .bind($crate::column::timestamp($now))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Sets a member's status by hand inside the transaction `$tx`, recording the change with its
/// actor; fails with [`StorageError::UnknownMember`] if no member has the code.
macro_rules! set_status_by_hand {
    ($tx:expr, $code:expr, $status:expr, $since:expr, $actor:expr, $note:expr, $now:expr) => {{
        let code: &::vigie_rules::JurisdictionCode = $code;
        let status: ::vigie_rules::MemberStatus = $status;
        let since: Option<::vigie_rules::EventDate> = $since;
        let now: ::chrono::DateTime<::chrono::Utc> = $now;
        let old: Option<(String,)> = ::sqlx::query_as("SELECT status FROM members WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&mut *$tx)
            .await?;
        let Some((old,)) = old else {
            return Err($crate::StorageError::UnknownMember { code: code.clone() });
        };
        ::sqlx::query("UPDATE members SET status = $2, status_since = $3, updated_at = $4 WHERE code = $1")
            .bind(code.as_str())
            .bind(status.as_str())
            .bind(since.map(|d| d.to_string()))
            .bind($crate::column::timestamp(now))
            .execute(&mut *$tx)
            .await?;
        $crate::member::write_status_change!(
            $tx,
            code.as_str(),
            Some(old.as_str()),
            status,
            since,
            $crate::member::MANUAL,
            Some($actor),
            $note,
            now
        );
    }};
}
pub(crate) use {set_status_by_hand, write_status_change};

/// What a sync needs to know of a stored member.
struct Current {
    /// `None` when the stored row is unreadable: the feed's version then replaces it.
    member: Option<Member>,
    status: String,
    /// What the feed said last; it differs from `status` while an admin's correction stands.
    feed_status: String,
    feed: String,
    removed: bool,
}

impl Store {
    /// Brings the members listed by `feed` up to date, in one transaction.
    ///
    /// Members are keyed by code. A new member is added with its first status in the history; a
    /// change of status appends a history row (source = `feed`, at = `now`). Members that `feed`
    /// listed before and no longer lists are not deleted: they are counted as removed and get a
    /// `removed_at`; a member listed again is restored (and counted as changed).
    ///
    /// A status an admin set by hand stands while the feed keeps repeating the status it gave
    /// before the correction; when the feed gives a new status, the feed's status is taken.
    pub async fn sync_members(
        &self,
        feed: &str,
        members: &[Member],
        now: DateTime<Utc>,
    ) -> Result<SyncCounts, StorageError> {
        let mut seen = HashSet::with_capacity(members.len());
        if let Some(dup) = members.iter().find(|m| !seen.insert(m.code.as_str())) {
            return Err(StorageError::DuplicateMember {
                feed: feed.to_owned(),
                code: dup.code.clone(),
            });
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            let rows: Vec<MemberRow> = sqlx::query_as(select_members!()).fetch_all(&mut *tx).await?;
            let current: HashMap<String, Current> = rows
                .into_iter()
                .map(|row| {
                    let current = Current {
                        member: row.member().ok(),
                        status: row.status,
                        feed_status: row.feed_status,
                        feed: row.feed,
                        removed: row.removed_at.is_some(),
                    };
                    (row.code, current)
                })
                .collect();
            let mut counts = SyncCounts::default();
            for m in members {
                let code = m.code.as_str();
                match current.get(code) {
                    None => {
                        write_member!(tx, m, m.status, feed, now);
                        write_status_change!(tx, code, None, m.status, m.status_since, feed, None, None, now);
                        counts.added += 1;
                    }
                    Some(c) => {
                        // An admin's correction stands until the feed itself says something new
                        // about the status: the feed repeating its old value does not undo it.
                        let corrected = c.status != c.feed_status && c.feed == feed;
                        let effective = match &c.member {
                            Some(stored) if corrected && m.status.as_str() == c.feed_status => Member {
                                status: stored.status,
                                status_since: stored.status_since,
                                ..m.clone()
                            },
                            _ => m.clone(),
                        };
                        let same = !c.removed && c.feed == feed && c.member.as_ref() == Some(&effective);
                        if same {
                            counts.unchanged += 1;
                            continue;
                        }
                        write_member!(tx, &effective, m.status, feed, now);
                        if c.status != effective.status.as_str() {
                            let from = Some(c.status.as_str());
                            write_status_change!(
                                tx,
                                code,
                                from,
                                effective.status,
                                effective.status_since,
                                feed,
                                None,
                                None,
                                now
                            );
                        }
                        counts.changed += 1;
                    }
                }
            }
            for (code, c) in &current {
                if c.feed == feed && !c.removed && !seen.contains(code.as_str()) {
                    sqlx::query("UPDATE members SET removed_at = $2, updated_at = $2 WHERE code = $1")
                        .bind(code)
                        .bind(timestamp(now))
                        .execute(&mut *tx)
                        .await?;
                    counts.removed += 1;
                }
            }
            tx.commit().await?;
            Ok(counts)
        })
    }

    /// Changes a member's status by hand (an admin's decision), recording `actor` and `note` in its
    /// history. Fails if no member has the code.
    pub async fn set_member_status(
        &self,
        code: &JurisdictionCode,
        status: MemberStatus,
        since: Option<EventDate>,
        actor: &str,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            set_status_by_hand!(tx, code, status, since, actor, note, now);
            tx.commit().await?;
            Ok(())
        })
    }

    /// A member with its feed, removal and status history, removed or not.
    pub async fn member(&self, code: &JurisdictionCode) -> Result<Option<MemberRecord>, StorageError> {
        let (row, history): (Option<MemberRow>, Vec<HistoryRow>) = on_pool!(self, |pool| {
            let row = sqlx::query_as(select_members!("WHERE code = $1"))
                .bind(code.as_str())
                .fetch_optional(pool)
                .await?;
            let history = sqlx::query_as(
                "SELECT from_status, to_status, since, source, actor, note, at
                 FROM member_status_history WHERE code = $1 ORDER BY id",
            )
            .bind(code.as_str())
            .fetch_all(pool)
            .await?;
            (row, history)
        });
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(MemberRecord {
            member: row.member()?,
            first_seen: read_timestamp("members.first_seen", &row.first_seen)?,
            updated_at: read_timestamp("members.updated_at", &row.updated_at)?,
            removed_at: read_opt_timestamp("members.removed_at", row.removed_at.as_deref())?,
            feed: row.feed,
            history: history
                .into_iter()
                .map(change_from_row)
                .collect::<Result<_, _>>()?,
        }))
    }

    /// Members still listed by their feed, with the given status if any; national members first,
    /// then by code.
    pub async fn members(&self, status: Option<MemberStatus>) -> Result<Vec<Member>, StorageError> {
        let rows: Vec<MemberRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_members!(
                "WHERE removed_at IS NULL AND ($1 IS NULL OR status = $1)"
            ))
            .bind(status.map(MemberStatus::as_str))
            .fetch_all(pool)
            .await?
        });
        let mut members = rows
            .iter()
            .map(MemberRow::member)
            .collect::<Result<Vec<_>, _>>()?;
        // The level's order is the domain's (national before local), not the text's.
        members.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));
        Ok(members)
    }
}
