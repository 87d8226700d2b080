//! Windows derived by the rules, kept with their history.
//!
//! Storage does not derive windows (that is `vigie_rules::window`, pure); it keeps what each
//! evaluation derived, so that what changed between two evaluations can be seen.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use vigie_rules::window::{Window, WindowId, WindowState};
use vigie_rules::{JurisdictionCode, Region};

use crate::column::{date, read_json, read_opt_timestamp, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store, SyncCounts};

/// Every window write takes this lock: a partial and a full evaluation may touch the same rows.
const LOCK: &str = "windows";

/// Above this many jurisdictions, a partial sync loads every stored window rather than binding
/// each code (SQLite's oldest parameter limit is 999).
const MAX_SCOPE_CODES: usize = 500;

/// Which stored windows an evaluation speaks for: those it may mark gone when it does not
/// derive them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowScope<'a> {
    /// A full evaluation: every stored window it did not derive is gone.
    All,
    /// An evaluation of these jurisdictions only (as `evaluate_jurisdiction` does, one code at a
    /// time): a country code covers the country's own windows, not those of its subdivisions or
    /// local members. Windows of other jurisdictions are left alone.
    Jurisdictions(&'a [JurisdictionCode]),
}

impl WindowScope<'_> {
    fn covers(&self, jurisdiction: &str) -> bool {
        match self {
            Self::All => true,
            Self::Jurisdictions(codes) => codes.iter().any(|c| c.as_str() == jurisdiction),
        }
    }
}

/// Which windows to list. The default lists every window the last evaluations still derive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowFilter {
    /// The jurisdiction; a country code also matches its subdivisions and local members.
    pub jurisdiction: Option<JurisdictionCode>,
    pub region: Option<Region>,
    /// Empty for every state.
    pub states: Vec<WindowState>,
    /// Whether to list windows that evaluations no longer derive.
    pub include_gone: bool,
    /// The id of the rule that derived the window.
    pub rule: Option<String>,
}

/// A window as stored, with when it was first derived, last changed and (if so) gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWindow {
    /// As the evaluation that last changed it derived it: its state is as of that evaluation.
    pub window: Window,
    pub first_seen: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When an evaluation stopped deriving it; `None` while it is derived.
    pub gone_at: Option<DateTime<Utc>>,
}

/// One change of a window: what it was and what it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowChange {
    pub at: DateTime<Utc>,
    /// `None` when the window was new.
    pub before: Option<Window>,
    /// `None` when the window was gone.
    pub after: Option<Window>,
}

/// id, body, first_seen, updated_at, gone_at
type WindowRow = (String, String, String, String, Option<String>);

/// The columns of a [`WindowRow`], followed by any conditions.
macro_rules! select_windows {
    ($($rest:literal)?) => {
        concat!("SELECT id, body, first_seen, updated_at, gone_at FROM windows", $(" ", $rest)?)
    };
}

fn from_row((id, body, first_seen, updated_at, gone_at): WindowRow) -> Result<StoredWindow, StorageError> {
    let what = |column: &str| format!("windows.{column} of {id}");
    Ok(StoredWindow {
        window: read_json(&what("body"), &body)?,
        first_seen: read_timestamp(&what("first_seen"), &first_seen)?,
        updated_at: read_timestamp(&what("updated_at"), &updated_at)?,
        gone_at: read_opt_timestamp(&what("gone_at"), gone_at.as_deref())?,
    })
}

/// What a sync needs to know of a stored window.
struct Current {
    jurisdiction: String,
    body: String,
    gone: bool,
}

/// What a sync writes, found by comparing the evaluation with what is stored.
#[derive(Default)]
struct Plan<'a> {
    /// Added, changed or restored: (window, its JSON).
    upserts: Vec<(&'a Window, &'a str)>,
    /// No longer derived: ids to mark gone.
    gone: Vec<&'a str>,
    /// (id, before, after)
    history: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    counts: SyncCounts,
}

fn plan<'a>(
    windows: &'a [Window],
    bodies: &'a [String],
    derived: &HashSet<&str>,
    scope: WindowScope<'_>,
    current: &'a HashMap<String, Current>,
) -> Plan<'a> {
    let mut plan = Plan::default();
    for (window, body) in windows.iter().zip(bodies) {
        match current.get(window.id.as_str()) {
            None => {
                plan.upserts.push((window, body));
                plan.history.push((window.id.as_str(), None, Some(body)));
                plan.counts.added += 1;
            }
            Some(c) if !c.gone && same_window(&c.body, body, window) => plan.counts.unchanged += 1,
            Some(c) => {
                plan.upserts.push((window, body));
                plan.history.push((window.id.as_str(), Some(&c.body), Some(body)));
                plan.counts.changed += 1;
            }
        }
    }
    for (id, c) in current {
        if !c.gone && !derived.contains(id.as_str()) && scope.covers(&c.jurisdiction) {
            plan.gone.push(id);
            plan.history.push((id, Some(&c.body), None));
            plan.counts.removed += 1;
        }
    }
    plan
}

/// The jurisdictions whose stored windows a sync must load: those it may mark gone and those it
/// writes (a window's id hashes its jurisdiction, so a stored window with the id of a derived one
/// has the same jurisdiction). `None` for every stored window.
fn jurisdictions_to_load<'a>(windows: &'a [Window], scope: WindowScope<'a>) -> Option<BTreeSet<&'a str>> {
    let WindowScope::Jurisdictions(codes) = scope else {
        return None;
    };
    let wanted: BTreeSet<&str> = codes
        .iter()
        .map(JurisdictionCode::as_str)
        .chain(windows.iter().map(|w| w.jurisdiction.as_str()))
        .collect();
    (wanted.len() <= MAX_SCOPE_CODES).then_some(wanted)
}

impl Store {
    /// Brings the stored windows up to date with one evaluation, in one transaction.
    ///
    /// Windows are keyed by their [`WindowId`]. A new id is added, with a history entry whose
    /// `before` is `None`; a known id whose content differs (dates, state, priority, reasons,
    /// labels, events, title…) is changed, keeping the window before and after; the same content
    /// writes nothing. Stored windows within `scope` that the evaluation no longer derives are
    /// marked gone (kept, with a history entry whose `after` is `None`) and counted as removed; a
    /// gone window that comes back is restored and counted as changed. An id listed twice fails
    /// the whole sync before anything is written.
    pub async fn sync_windows(
        &self,
        windows: &[Window],
        scope: WindowScope<'_>,
        now: DateTime<Utc>,
    ) -> Result<SyncCounts, StorageError> {
        let mut derived = HashSet::with_capacity(windows.len());
        if let Some(dup) = windows.iter().find(|w| !derived.insert(w.id.as_str())) {
            return Err(StorageError::DuplicateWindow { id: dup.id.clone() });
        }
        // Naming the window only on failure: this runs for every window of every evaluation.
        let bodies = windows
            .iter()
            .map(|w| {
                serde_json::to_string(w).map_err(|source| StorageError::Encode {
                    what: format!("window {}", w.id),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let to_load = jurisdictions_to_load(windows, scope);
        let now = timestamp(now);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            let mut query = sqlx::QueryBuilder::new("SELECT id, jurisdiction, body, gone_at FROM windows");
            if let Some(codes) = &to_load {
                query.push(" WHERE jurisdiction IN (");
                let mut list = query.separated(", ");
                for code in codes {
                    list.push_bind(*code);
                }
                // `IN ()` is not SQL: an empty scope with no windows loads nothing.
                if codes.is_empty() {
                    list.push("NULL");
                }
                query.push(")");
            }
            let rows: Vec<(String, String, String, Option<String>)> =
                query.build_query_as().fetch_all(&mut *tx).await?;
            let current: HashMap<String, Current> = rows
                .into_iter()
                .map(|(id, jurisdiction, body, gone_at)| {
                    let gone = gone_at.is_some();
                    (
                        id,
                        Current {
                            jurisdiction,
                            body,
                            gone,
                        },
                    )
                })
                .collect();
            let plan = plan(windows, &bodies, &derived, scope, &current);
            // 11 parameters a row: 64-row SQLite batches bind 704, under the 999 limit.
            let batch = pool.batch_rows();
            for chunk in plan.upserts.chunks(batch) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO windows (id, rule, jurisdiction, country, region, state, opens, closes, body,
                         first_seen, updated_at, gone_at) ",
                );
                query.push_values(chunk, |mut row, (window, body)| {
                    row.push_bind(window.id.as_str())
                        .push_bind(window.rule.as_str())
                        .push_bind(window.jurisdiction.as_str())
                        .push_bind(window.jurisdiction.country().as_str())
                        .push_bind(window.region.slug())
                        .push_bind(window.state.as_str())
                        .push_bind(date(window.opens))
                        .push_bind(date(window.closes))
                        .push_bind(*body)
                        .push_bind(now.as_str())
                        .push_bind(now.as_str())
                        .push("NULL");
                });
                // A change or a restoration keeps `first_seen`.
                query.push(
                    " ON CONFLICT (id) DO UPDATE SET rule = excluded.rule,
                         jurisdiction = excluded.jurisdiction, country = excluded.country,
                         region = excluded.region, state = excluded.state, opens = excluded.opens,
                         closes = excluded.closes, body = excluded.body, updated_at = excluded.updated_at,
                         gone_at = NULL",
                );
                query.build().execute(&mut *tx).await?;
            }
            for chunk in plan.gone.chunks(batch) {
                let mut query = sqlx::QueryBuilder::new("UPDATE windows SET gone_at = ");
                query
                    .push_bind(now.as_str())
                    .push(", updated_at = ")
                    .push_bind(now.as_str());
                query.push(" WHERE id IN (");
                let mut ids = query.separated(", ");
                for id in chunk {
                    ids.push_bind(*id);
                }
                query.push(")");
                query.build().execute(&mut *tx).await?;
            }
            for chunk in plan.history.chunks(batch) {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO window_history (window_id, at, before_body, after_body) ",
                );
                query.push_values(chunk, |mut row, (id, before, after)| {
                    row.push_bind(*id)
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

    /// The windows that match `filter`, ordered by opening day, then jurisdiction, then id.
    pub async fn windows(&self, filter: &WindowFilter) -> Result<Vec<StoredWindow>, StorageError> {
        let rows: Vec<WindowRow> = on_pool!(self, |pool| {
            let mut query = sqlx::QueryBuilder::new(select_windows!("WHERE 1 = 1"));
            match &filter.jurisdiction {
                Some(code) if code.is_national() => {
                    query.push(" AND country = ").push_bind(code.as_str());
                }
                Some(code) => {
                    query.push(" AND jurisdiction = ").push_bind(code.as_str());
                }
                None => {}
            }
            if let Some(region) = filter.region {
                query.push(" AND region = ").push_bind(region.slug());
            }
            if !filter.states.is_empty() {
                query.push(" AND state IN (");
                let mut states = query.separated(", ");
                for state in &filter.states {
                    states.push_bind(state.as_str());
                }
                query.push(")");
            }
            if let Some(rule) = &filter.rule {
                query.push(" AND rule = ").push_bind(rule.as_str());
            }
            if !filter.include_gone {
                query.push(" AND gone_at IS NULL");
            }
            query.push(" ORDER BY opens, jurisdiction, id");
            query.build_query_as().fetch_all(pool).await?
        });
        rows.into_iter().map(from_row).collect()
    }

    /// One window, gone or not.
    pub async fn window(&self, id: &WindowId) -> Result<Option<StoredWindow>, StorageError> {
        let row: Option<WindowRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_windows!("WHERE id = $1"))
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?
        });
        row.map(from_row).transpose()
    }

    /// The changes of a window, oldest first; the first is its addition.
    pub async fn window_history(&self, id: &WindowId) -> Result<Vec<WindowChange>, StorageError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT at, before_body, after_body FROM window_history WHERE window_id = $1 ORDER BY id",
            )
            .bind(id.as_str())
            .fetch_all(pool)
            .await?
        });
        let what = format!("history of window {id}");
        rows.into_iter()
            .map(|(at, before, after)| {
                Ok(WindowChange {
                    at: read_timestamp(&what, &at)?,
                    before: before.map(|b| read_json(&what, &b)).transpose()?,
                    after: after.map(|a| read_json(&what, &a)).transpose()?,
                })
            })
            .collect()
    }
}

/// Whether a stored body holds the same window: the same text (the usual case, no parsing), or
/// text that reads back to an equal window (written by a version that serialised differently).
fn same_window(stored: &str, body: &str, window: &Window) -> bool {
    stored == body || serde_json::from_str::<Window>(stored).is_ok_and(|s| &s == window)
}
