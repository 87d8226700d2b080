//! `vigie run`: the long-running service. For now it keeps every feed in sync on its refresh
//! schedule; chat platforms join it in later releases.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use vigie_storage::Store;

use crate::config::Config;
use crate::sync::{Outcome, Syncer};

/// How long shutdown may wait for a sync in progress.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

pub async fn run(config: Config, store: Store) -> anyhow::Result<ExitCode> {
    let cancel = CancellationToken::new();
    let signal = cancel.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        signal.cancel();
    });
    let fetcher = vigie_feeds::Fetcher::new(config.http.settings())?;
    let syncer = Syncer::new(store, fetcher).await?;
    tracing::info!(feeds = config.feeds.len(), config = %config.origin, "Vigie is running; Ctrl-C stops it");
    let worker = tokio::spawn(sync_loop(config, syncer, cancel.clone()));
    cancel.cancelled().await;
    match tokio::time::timeout(SHUTDOWN_GRACE, worker).await {
        Ok(Ok(result)) => result.map(|()| ExitCode::SUCCESS),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => {
            tracing::warn!("a sync was still running after {SHUTDOWN_GRACE:?}; stopping anyway");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Syncs each enabled feed when it is due: at start when it was never synced or its last
/// attempt is older than its refresh interval, then every interval.
async fn sync_loop(config: Config, syncer: Syncer, cancel: CancellationToken) -> anyhow::Result<()> {
    let mut due: HashMap<String, chrono::DateTime<Utc>> = HashMap::new();
    for feed in config.feeds.iter().filter(|f| f.enabled) {
        let last = syncer
            .store()
            .feed_health(&feed.name)
            .await?
            .and_then(|h| h.last_attempt);
        let next = last.map_or_else(Utc::now, |at| at + feed.refresh);
        due.insert(feed.name.clone(), next);
    }
    loop {
        let now = Utc::now();
        for feed in config.feeds.iter().filter(|f| f.enabled) {
            if cancel.is_cancelled() {
                return Ok(());
            }
            if due.get(&feed.name).is_some_and(|at| *at <= now) {
                match syncer.sync(feed, now).await {
                    Ok(Outcome::Synced { counts, items, .. }) => {
                        tracing::info!(feed = %feed.name, items, %counts, "feed synced");
                    }
                    Ok(Outcome::NotModified) => tracing::info!(feed = %feed.name, "feed not modified"),
                    Ok(Outcome::Failed(_)) => {} // logged and recorded by the syncer
                    Err(e) => {
                        tracing::error!(feed = %feed.name, error = format!("{e:#}"), "storing the feed failed")
                    }
                }
                due.insert(feed.name.clone(), now + feed.refresh);
            }
        }
        let next = due
            .values()
            .min()
            .copied()
            .unwrap_or(now + chrono::Duration::hours(1));
        let wait = (next - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO)
            .max(Duration::from_secs(1));
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
