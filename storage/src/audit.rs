//! The audit log: one row for every change a person makes through chat, written in the same
//! transaction as the change, so that the log never claims a change that did not happen nor misses
//! one that did. Nothing is written for a request that changes nothing.

use chrono::{DateTime, Utc};

use crate::column::read_timestamp;
use crate::{StorageError, Store};

/// One change made by a person, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Increases with each entry: it orders entries recorded at the same time.
    pub id: i64,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made the change: a platform-qualified user, or `config` for peers seeded from the
    /// configuration.
    pub actor: String,
    /// What was done, as `subject.verb`: `peer.add`, `peer.change`, `peer.remove`,
    /// `subscription.add`, `subscription.remove`, `window.claim`, `window.release`,
    /// `window.snooze`, `window.done`, `window.note`.
    pub action: String,
    /// What it was done to: the window id, the user or the room.
    pub target: String,
    /// What a reader needs beyond the action: the role given, the subscription, the snooze's end…
    pub detail: Option<String>,
}

/// id, at, actor, action, target, detail
type AuditRow = (i64, String, String, String, String, Option<String>);

/// Appends an entry to the audit log inside the transaction `$tx`, so that it commits or rolls
/// back with the change it records.
macro_rules! write_audit {
    ($tx:expr, $at:expr, $actor:expr, $action:expr, $target:expr, $detail:expr) => {{
        let actor: &str = $actor;
        let target: &str = $target;
        let detail: Option<&str> = $detail;
        ::sqlx::query(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($crate::column::timestamp($at))
        .bind(actor)
        .bind($action)
        .bind(target)
        .bind(detail)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use write_audit;

impl Store {
    /// The latest `limit` entries of the audit log, about `target` only if given, newest first.
    pub async fn audit_log(&self, target: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>, StorageError> {
        let rows: Vec<AuditRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, at, actor, action, target, detail FROM audit_log
                 WHERE ($1 IS NULL OR target = $1) ORDER BY at DESC, id DESC LIMIT $2",
            )
            .bind(target)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(id, at, actor, action, target, detail)| {
                Ok(AuditEntry {
                    at: read_timestamp(&format!("audit_log.at of entry {id}"), &at)?,
                    id,
                    actor,
                    action,
                    target,
                    detail,
                })
            })
            .collect()
    }
}
