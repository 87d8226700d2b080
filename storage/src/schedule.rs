//! Schedules (digests and other periodic jobs) shared by replicas: each keeps its next run, and
//! the replica that claims a due run holds it for a lease, so a run happens once however many
//! replicas watch the clock — and again after the lease if its runner died before finishing.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::column::{read_opt_timestamp, read_timestamp, timestamp};
use crate::outbox::later;
use crate::store::Driver;
use crate::{StorageError, Store};

/// A schedule as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub name: String,
    /// The schedule as configured (its cron expression, time zone…): when it changes, the stored
    /// next run is replaced.
    pub spec: String,
    /// When it is due next.
    pub next_run: DateTime<Utc>,
    /// When it last ran.
    pub last_run: Option<DateTime<Utc>>,
    /// Who runs it now, if anyone.
    pub leased_by: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
}

/// name, spec, next_run, last_run, leased_by, lease_until
type ScheduleColumns = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn read_schedule(
    (name, spec, next_run, last_run, leased_by, lease_until): ScheduleColumns,
) -> Result<ScheduleRow, StorageError> {
    let what = format!("schedule {name}");
    Ok(ScheduleRow {
        next_run: read_timestamp(&what, &next_run)?,
        last_run: read_opt_timestamp(&what, last_run.as_deref())?,
        lease_until: read_opt_timestamp(&what, lease_until.as_deref())?,
        name,
        spec,
        leased_by,
    })
}

/// The columns of [`ScheduleColumns`], followed by any conditions.
macro_rules! select_schedules {
    ($($rest:literal)?) => {
        concat!(
            "SELECT name, spec, next_run, last_run, leased_by, lease_until FROM schedules",
            $(" ", $rest)?
        )
    };
}

impl Store {
    /// Makes sure the schedule `name` exists with `spec`: a new schedule, or one whose spec
    /// changed, is due at `next_run`; one already stored with the same spec keeps its own next
    /// run (so a run missed while Vigie was down is still due). Returns the stored next run.
    pub async fn upsert_schedule(
        &self,
        name: &str,
        spec: &str,
        next_run: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StorageError> {
        let next_run = timestamp(next_run);
        let (stored,): (String,) = on_pool!(self, |pool| {
            let mut tx = pool.begin_write(&format!("schedule:{name}")).await?;
            sqlx::query(
                "INSERT INTO schedules (name, spec, next_run) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, next_run = excluded.next_run
                 WHERE schedules.spec <> excluded.spec",
            )
            .bind(name)
            .bind(spec)
            .bind(&next_run)
            .execute(&mut *tx)
            .await?;
            let stored = sqlx::query_as("SELECT next_run FROM schedules WHERE name = $1")
                .bind(name)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            stored
        });
        read_timestamp(&format!("schedule {name}"), &stored)
    }

    /// The schedule `name`, if stored.
    pub async fn schedule(&self, name: &str) -> Result<Option<ScheduleRow>, StorageError> {
        let row: Option<ScheduleColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_schedules!("WHERE name = $1"))
                .bind(name)
                .fetch_optional(pool)
                .await?
        });
        row.map(read_schedule).transpose()
    }

    /// Every stored schedule, by name.
    pub async fn schedules(&self) -> Result<Vec<ScheduleRow>, StorageError> {
        let rows: Vec<ScheduleColumns> = on_pool!(self, |pool| {
            sqlx::query_as(select_schedules!("ORDER BY name"))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(read_schedule).collect()
    }

    /// Claims the schedule's due run for `owner` until `now + lease`: the run's time if it is due
    /// at `now` and nobody holds an unexpired lease on it, `None` otherwise. Of several callers at
    /// once, exactly one gets the run.
    pub async fn claim_due_schedule(
        &self,
        name: &str,
        owner: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<DateTime<Utc>>, StorageError> {
        let until = timestamp(later(now, lease));
        let now = timestamp(now);
        // One statement: PostgreSQL re-checks the condition on a row another caller just updated,
        // SQLite runs one writer at a time.
        let due: Option<(String,)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "UPDATE schedules SET leased_by = $2, lease_until = $3
                 WHERE name = $1 AND next_run <= $4 AND (lease_until IS NULL OR lease_until <= $4)
                 RETURNING next_run",
            )
            .bind(name)
            .bind(owner)
            .bind(&until)
            .bind(&now)
            .fetch_optional(pool)
            .await?
        });
        due.map(|(next_run,)| read_timestamp(&format!("schedule {name}"), &next_run))
            .transpose()
    }

    /// Records that `owner` ran the schedule at `ran_at`, sets its next run and frees it. `false`,
    /// with nothing written, unless `owner` holds it (its lease expired and another took it).
    pub async fn finish_schedule(
        &self,
        name: &str,
        owner: &str,
        ran_at: DateTime<Utc>,
        next_run: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE schedules SET last_run = $3, next_run = $4, leased_by = NULL, lease_until = NULL
                 WHERE name = $1 AND leased_by = $2",
            )
            .bind(name)
            .bind(owner)
            .bind(timestamp(ran_at))
            .bind(timestamp(next_run))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }
}
