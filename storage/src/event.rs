//! Calendar events, kept with their revisions.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use vigie_rules::{CalendarEvent, EventKey, EventKind, JurisdictionCode};

use crate::column::{date, json, read_json, read_opt_timestamp, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store, SyncCounts};

/// Which events to list. The default lists every event still in its feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// The jurisdiction; a country code also matches its subdivisions and local members.
    pub jurisdiction: Option<JurisdictionCode>,
    /// Events whose interval `[earliest, latest]` meets `[from, to]` (either end may be open).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Empty for every kind.
    pub kinds: Vec<EventKind>,
    pub feed: Option<String>,
    /// Whether to list events their feed no longer lists.
    pub include_removed: bool,
}

/// An event as stored, with when it was first seen, last changed and (if so) removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub key: EventKey,
    pub event: CalendarEvent,
    pub first_seen: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When its feed stopped listing it; `None` while it is listed.
    pub removed_at: Option<DateTime<Utc>>,
}

/// One change of an event: what it was and what it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub at: DateTime<Utc>,
    /// `None` if the event did not exist before.
    pub before: Option<CalendarEvent>,
    /// `None` if its feed stopped listing it.
    pub after: Option<CalendarEvent>,
}

/// feed, uid, body, first_seen, updated_at, removed_at
type EventRow = (String, String, String, String, String, Option<String>);

/// The columns of an [`EventRow`], followed by any conditions.
macro_rules! select_events {
    ($($rest:literal)?) => {
        concat!("SELECT feed, uid, body, first_seen, updated_at, removed_at FROM events", $(" ", $rest)?)
    };
}

fn from_row(
    (feed, uid, body, first_seen, updated_at, removed_at): EventRow,
) -> Result<StoredEvent, StorageError> {
    let what = |column: &str| format!("events.{column} of {feed} / {uid}");
    Ok(StoredEvent {
        event: read_json(&what("body"), &body)?,
        first_seen: read_timestamp(&what("first_seen"), &first_seen)?,
        updated_at: read_timestamp(&what("updated_at"), &updated_at)?,
        removed_at: read_opt_timestamp(&what("removed_at"), removed_at.as_deref())?,
        key: EventKey { feed, uid },
    })
}

/// What a sync needs to know of a stored event.
struct Current {
    body: String,
    removed: bool,
}

/// What a sync writes, found by comparing the feed with what is stored.
#[derive(Default)]
struct Plan<'a> {
    /// Added, changed or restored: (event, its JSON).
    upserts: Vec<(&'a CalendarEvent, &'a str)>,
    /// No longer listed: uids to mark removed.
    removals: Vec<&'a str>,
    /// (uid, before, after)
    revisions: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    counts: SyncCounts,
}

fn plan<'a>(
    events: &'a [CalendarEvent],
    bodies: &'a [String],
    listed: &HashSet<&str>,
    current: &'a HashMap<String, Current>,
) -> Plan<'a> {
    let mut plan = Plan::default();
    for (event, body) in events.iter().zip(bodies) {
        match current.get(&event.uid) {
            None => {
                plan.upserts.push((event, body));
                plan.counts.added += 1;
            }
            Some(c) if !c.removed && same_event(&c.body, body, event) => plan.counts.unchanged += 1,
            Some(c) => {
                plan.upserts.push((event, body));
                plan.revisions.push((&event.uid, Some(&c.body), Some(body)));
                plan.counts.changed += 1;
            }
        }
    }
    for (uid, c) in current {
        if !c.removed && !listed.contains(uid.as_str()) {
            plan.removals.push(uid);
            plan.revisions.push((uid, Some(&c.body), None));
            plan.counts.removed += 1;
        }
    }
    plan
}

impl Store {
    /// Brings the events of `feed` up to date, in one transaction.
    ///
    /// Events are keyed by (feed, uid). A new uid is added; a known uid whose content differs is
    /// changed, keeping a revision with the event before and after; the same content writes
    /// nothing. Events of `feed` missing from `events` are marked removed (kept, with a revision
    /// whose `after` is `None`); a removed event that comes back is restored and counted as
    /// changed. A uid listed twice fails the whole sync before anything is written.
    pub async fn sync_events(
        &self,
        feed: &str,
        events: &[CalendarEvent],
        now: DateTime<Utc>,
    ) -> Result<SyncCounts, StorageError> {
        let mut listed = HashSet::with_capacity(events.len());
        if let Some(dup) = events.iter().find(|e| !listed.insert(e.uid.as_str())) {
            return Err(StorageError::DuplicateUid {
                feed: feed.to_owned(),
                uid: dup.uid.clone(),
            });
        }
        let bodies = events
            .iter()
            .map(|e| json(&format!("event {feed} / {}", e.uid), e))
            .collect::<Result<Vec<_>, _>>()?;
        let now = timestamp(now);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&format!("events:{feed}")).await?;
            let rows: Vec<(String, String, Option<String>)> =
                sqlx::query_as("SELECT uid, body, removed_at FROM events WHERE feed = $1")
                    .bind(feed)
                    .fetch_all(&mut *tx)
                    .await?;
            let current: HashMap<String, Current> = rows
                .into_iter()
                .map(|(uid, body, removed_at)| {
                    let removed = removed_at.is_some();
                    (uid, Current { body, removed })
                })
                .collect();
            let plan = plan(events, &bodies, &listed, &current);
            let batch = pool.batch_rows();
            for chunk in plan.upserts.chunks(batch) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO events (feed, uid, jurisdiction, country, kind, earliest, latest, body,
                         first_seen, updated_at, removed_at) ",
                );
                query.push_values(chunk, |mut row, (event, body)| {
                    row.push_bind(feed)
                        .push_bind(event.uid.as_str())
                        .push_bind(event.jurisdiction.as_str())
                        .push_bind(event.jurisdiction.country().as_str())
                        .push_bind(event.kind.as_str())
                        .push_bind(date(event.date.earliest()))
                        .push_bind(date(event.date.latest()))
                        .push_bind(*body)
                        .push_bind(now.as_str())
                        .push_bind(now.as_str())
                        .push("NULL");
                });
                // An update or a restoration keeps `first_seen`.
                query.push(
                    " ON CONFLICT (feed, uid) DO UPDATE SET jurisdiction = excluded.jurisdiction,
                         country = excluded.country, kind = excluded.kind, earliest = excluded.earliest,
                         latest = excluded.latest, body = excluded.body, updated_at = excluded.updated_at,
                         removed_at = NULL",
                );
                query.build().execute(&mut *tx).await?;
            }
            for chunk in plan.removals.chunks(batch) {
                let mut query = sqlx::QueryBuilder::new("UPDATE events SET removed_at = ");
                query
                    .push_bind(now.as_str())
                    .push(", updated_at = ")
                    .push_bind(now.as_str());
                query.push(" WHERE feed = ").push_bind(feed).push(" AND uid IN (");
                let mut uids = query.separated(", ");
                for uid in chunk {
                    uids.push_bind(*uid);
                }
                query.push(")");
                query.build().execute(&mut *tx).await?;
            }
            for chunk in plan.revisions.chunks(batch) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO event_revisions (feed, uid, at, before_body, after_body) ",
                );
                query.push_values(chunk, |mut row, (uid, before, after)| {
                    row.push_bind(feed)
                        .push_bind(*uid)
                        .push_bind(now.as_str())
                        .push_bind(*before)
                        .push_bind(*after);
                });
                query.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(plan.counts)
        })
    }

    /// The events that match `filter`, ordered by earliest date, then jurisdiction, then uid.
    pub async fn events(&self, filter: &EventFilter) -> Result<Vec<StoredEvent>, StorageError> {
        let rows: Vec<EventRow> = on_pool!(self, |pool| {
            let mut query = sqlx::QueryBuilder::new(select_events!("WHERE 1 = 1"));
            match &filter.jurisdiction {
                Some(code) if code.is_national() => {
                    query.push(" AND country = ").push_bind(code.as_str());
                }
                Some(code) => {
                    query.push(" AND jurisdiction = ").push_bind(code.as_str());
                }
                None => {}
            }
            if let Some(from) = filter.from {
                query.push(" AND latest >= ").push_bind(date(from));
            }
            if let Some(to) = filter.to {
                query.push(" AND earliest <= ").push_bind(date(to));
            }
            if !filter.kinds.is_empty() {
                query.push(" AND kind IN (");
                let mut kinds = query.separated(", ");
                for kind in &filter.kinds {
                    kinds.push_bind(kind.as_str());
                }
                query.push(")");
            }
            if let Some(feed) = &filter.feed {
                query.push(" AND feed = ").push_bind(feed.as_str());
            }
            if !filter.include_removed {
                query.push(" AND removed_at IS NULL");
            }
            query.push(" ORDER BY earliest, jurisdiction, uid, feed");
            query.build_query_as().fetch_all(pool).await?
        });
        rows.into_iter().map(from_row).collect()
    }

    /// One event, removed or not.
    pub async fn event(&self, key: &EventKey) -> Result<Option<StoredEvent>, StorageError> {
        let row: Option<EventRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_events!("WHERE feed = $1 AND uid = $2"))
                .bind(&key.feed)
                .bind(&key.uid)
                .fetch_optional(pool)
                .await?
        });
        row.map(from_row).transpose()
    }

    /// The revisions of an event, oldest first.
    pub async fn revisions(&self, key: &EventKey) -> Result<Vec<Revision>, StorageError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT at, before_body, after_body FROM event_revisions
                 WHERE feed = $1 AND uid = $2 ORDER BY id",
            )
            .bind(&key.feed)
            .bind(&key.uid)
            .fetch_all(pool)
            .await?
        });
        let what = format!("revision of {} / {}", key.feed, key.uid);
        rows.into_iter()
            .map(|(at, before, after)| {
                Ok(Revision {
                    at: read_timestamp(&what, &at)?,
                    before: before.map(|b| read_json(&what, &b)).transpose()?,
                    after: after.map(|a| read_json(&what, &a)).transpose()?,
                })
            })
            .collect()
    }
}

/// Whether a stored body holds the same event: the same text (the usual case, no parsing), or
/// text that reads back to an equal event (written by a version that serialised differently).
fn same_event(stored: &str, body: &str, event: &CalendarEvent) -> bool {
    stored == body || serde_json::from_str::<CalendarEvent>(stored).is_ok_and(|s| &s == event)
}
