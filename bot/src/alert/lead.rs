//! Leadership: the work that must run on exactly one replica (the alert step, each platform's
//! sender) runs only while this instance holds a named lead.
//!
//! On PostgreSQL the lead is a session advisory lock held by a connection of its own
//! ([`Store::try_lead`]); a replica that does not hold it tries again every
//! [`RETRY`], so when the leader dies another one takes over within seconds. The holder checks
//! its lock every [`CHECK`], under a timeout (a silent network must not leave two leaders): once
//! the check fails, the work is told to stop and the lock is tried for again. On SQLite one
//! process runs per database (`vigie run` takes [`Store::lock_instance`] at start), and within it
//! each name is granted to one holder at a time.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use vigie_storage::Store;

/// How often a replica that does not lead tries again.
pub const RETRY: Duration = Duration::from_secs(2);
/// How often the leader checks that it still leads.
pub const CHECK: Duration = Duration::from_secs(5);
/// How long that check may take before it counts as lost.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(3);
/// How long work told to stop (leadership lost) may take to finish what it has in hand.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// A named lead on a store.
#[derive(Clone)]
pub struct Lead {
    store: Store,
    name: String,
}

impl Lead {
    pub fn new(store: Store, name: impl Into<String>) -> Self {
        Self {
            store,
            name: name.into(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs `work` whenever this instance leads, until `cancel`. `work` gets a token cancelled
    /// when leadership is lost (or on `cancel`); it should then finish soon. When it returns on
    /// its own while still leading, it is started again after [`RETRY`].
    pub async fn while_leading<F, Fut>(&self, cancel: &CancellationToken, mut work: F)
    where
        F: FnMut(CancellationToken) -> Fut,
        Fut: Future<Output = ()>,
    {
        let mut waiting_said = false;
        while !cancel.is_cancelled() {
            let mut guard = match self.store.try_lead(&self.name).await {
                Ok(Some(guard)) => guard,
                Ok(None) => {
                    if !waiting_said {
                        tracing::info!(lead = %self.name, "another replica leads; standing by");
                        waiting_said = true;
                    }
                    if pause(cancel, RETRY).await {
                        return;
                    }
                    continue;
                }
                Err(e) => {
                    tracing::warn!(lead = %self.name, error = format!("{e:#}"), "trying to lead failed; trying again");
                    if pause(cancel, RETRY).await {
                        return;
                    }
                    continue;
                }
            };
            waiting_said = false;
            tracing::info!(lead = %self.name, "leading");
            let stop = cancel.child_token();
            let job = work(stop.clone());
            tokio::pin!(job);
            let lost = async {
                loop {
                    tokio::time::sleep(CHECK).await;
                    let alive = tokio::time::timeout(CHECK_TIMEOUT, guard.still_leading())
                        .await
                        .unwrap_or(false);
                    if !alive {
                        return;
                    }
                }
            };
            tokio::select! {
                () = &mut job => {}
                () = lost => {
                    tracing::warn!(lead = %self.name, "leadership lost; stopping the leader's work");
                    stop.cancel();
                    if tokio::time::timeout(STOP_GRACE, &mut job).await.is_err() {
                        tracing::warn!(lead = %self.name, "the leader's work did not stop in time; dropped");
                    }
                }
            }
            stop.cancel();
            guard.release().await;
            if pause(cancel, RETRY).await {
                return;
            }
        }
    }
}

/// Sleeps `wait`, or less if `cancel` comes first; `true` when cancelled.
pub(crate) async fn pause(cancel: &CancellationToken, wait: Duration) -> bool {
    tokio::select! {
        () = cancel.cancelled() => true,
        () = tokio::time::sleep(wait) => false,
    }
}
