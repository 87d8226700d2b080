//! `vigie run`: the long-running service. It keeps every feed in sync on its refresh schedule,
//! re-reads the rule files when they change (keeping the last good rules when they break), and
//! re-evaluates and stores the windows whenever the facts, the rules or the day change. Chat
//! platforms join it in later releases.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use vigie_storage::Store;

use crate::config::Config;
use crate::sync::{Outcome, Syncer};
use crate::window::{LiveRules, Reload};

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
    let rules = LiveRules::load(config.rules.directory.as_deref())?;
    let fetcher = vigie_feeds::Fetcher::new(config.http.settings())?;
    let syncer = Syncer::new(store, fetcher).await?;
    tracing::info!(feeds = config.feeds.len(), config = %config.origin, "Vigie is running; Ctrl-C stops it");
    let worker = tokio::spawn(sync_loop(config, syncer, rules, cancel.clone()));
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

/// Syncs each enabled feed when it is due (at start when it was never synced or its last attempt
/// is older than its refresh interval, then every interval), checks the rule files, and
/// re-evaluates the windows when anything they depend on changed.
async fn sync_loop(
    config: Config,
    syncer: Syncer,
    mut rules: LiveRules,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
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
    let countries = vigie_feeds::Countries::bundled()?;
    let mut evaluated_on: Option<chrono::NaiveDate> = None;
    loop {
        let now = Utc::now();
        let mut changed = false;
        for feed in config.feeds.iter().filter(|f| f.enabled) {
            if cancel.is_cancelled() {
                return Ok(());
            }
            if due.get(&feed.name).is_some_and(|at| *at <= now) {
                match syncer.sync(feed, now).await {
                    Ok(Outcome::Synced { counts, items, .. }) => {
                        changed |= !counts.is_unchanged();
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
        match rules.reload() {
            Reload::Unchanged => {}
            Reload::Reloaded { rules } => {
                tracing::info!(rules, "rule files changed: the new rules are in force");
                changed = true;
            }
            Reload::Kept { errors } => {
                for e in &errors {
                    tracing::warn!(
                        "rule files changed but cannot be loaded; the last good rules stay in force: {e}"
                    );
                }
            }
        }
        let today = now.date_naive();
        if changed || evaluated_on != Some(today) {
            match evaluate_and_store(&syncer, &countries, &rules, today).await {
                Ok(()) => evaluated_on = Some(today),
                Err(e) => tracing::error!(error = format!("{e:#}"), "evaluating the windows failed"),
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
            .clamp(Duration::from_millis(200), config.rules.check_every);
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Evaluates every window as of `today` and stores what changed.
async fn evaluate_and_store(
    syncer: &Syncer,
    countries: &vigie_feeds::Countries,
    rules: &LiveRules,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let facts = crate::window::facts(syncer.store(), countries, today).await?;
    let evaluation = vigie_rules::window::evaluate(rules.rules(), &facts, today);
    for e in &evaluation.errors {
        tracing::warn!(rule = %e.rule, record = %e.record, "rule failed on a record, skipped: {}", e.message);
    }
    let counts = syncer
        .store()
        .sync_windows(&evaluation.windows, vigie_storage::WindowScope::All, Utc::now())
        .await?;
    tracing::info!(windows = evaluation.windows.len(), %counts, "windows evaluated");
    Ok(())
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
