//! The engine of `vigie run`: the feeds, the live rules and the windows they derive, shared by
//! the run loop, every chat platform and the HTTP endpoints. Chat commands that change what the
//! engine knows (`feeds sync`, `rules reload`) go through it, so the windows everyone sees are
//! re-evaluated once and published once.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use tokio::sync::{Mutex, Notify, broadcast, watch};
use vigie_feeds::Countries;
use vigie_rules::rule::RuleError;
use vigie_rules::window::{Window, WindowState, evaluate};
use vigie_storage::Store;

use crate::config::{Config, Feed};
use crate::sync::{Outcome, Syncer};
use crate::window::{Board, BoardReader, LiveRules, Reload, Snapshot};

/// A change of a window worth telling people about as it happens.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub window: Window,
    /// The state before, or `None` for a window the rules derive for the first time.
    pub before: Option<WindowState>,
}

pub struct Engine {
    config: Config,
    syncer: Syncer,
    rules: Mutex<LiveRules>,
    board: Board,
    announcements: broadcast::Sender<Announcement>,
    /// Rung when something the windows depend on changed, so the run loop re-evaluates now.
    wake: Notify,
    /// Serialises evaluations, so two triggers at once publish in order.
    evaluating: Mutex<()>,
}

impl Engine {
    pub async fn new(config: Config, store: Store) -> anyhow::Result<Arc<Self>> {
        let rules = LiveRules::load(config.rules.directory.as_deref())?;
        let fetcher = vigie_feeds::Fetcher::new(config.http.settings())?;
        let syncer = Syncer::new(store, fetcher).await?;
        let (board, _) = watch::channel(Arc::new(Snapshot::empty(Utc::now().date_naive())));
        let (announcements, _) = broadcast::channel(1024);
        Ok(Arc::new(Self {
            config,
            syncer,
            rules: Mutex::new(rules),
            board,
            announcements,
            wake: Notify::new(),
            evaluating: Mutex::new(()),
        }))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        self.syncer.store()
    }

    pub fn countries(&self) -> &Countries {
        self.syncer.countries()
    }

    /// The windows as last evaluated.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.board.borrow().clone()
    }

    /// Waits until the windows have been evaluated once since the start (at most `limit`), so
    /// that the first commands after a start do not answer from an empty board.
    pub async fn ready(&self, limit: std::time::Duration) {
        let mut board = self.board.subscribe();
        let first = board.wait_for(|s| s.evaluated_at != chrono::DateTime::<Utc>::MIN_UTC);
        if tokio::time::timeout(limit, first).await.is_err() {
            tracing::warn!("the windows are not evaluated yet; answering from what is known");
        }
    }

    pub fn board(&self) -> BoardReader {
        self.board.subscribe()
    }

    /// New windows and changes of state, as they are evaluated.
    pub fn announcements(&self) -> broadcast::Receiver<Announcement> {
        self.announcements.subscribe()
    }

    /// Asks the run loop to re-evaluate the windows now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Syncs one feed now; the run loop re-evaluates if anything changed.
    pub async fn sync(&self, feed: &Feed) -> anyhow::Result<Outcome> {
        let outcome = self.syncer.sync(feed, Utc::now()).await?;
        if matches!(&outcome, Outcome::Synced { counts, .. } if !counts.is_unchanged()) {
            self.wake();
        }
        Ok(outcome)
    }

    /// Re-reads the rule files; new rules are in force at once, broken ones leave the last
    /// good ones in force.
    pub async fn reload_rules(&self) -> Reload {
        let reload = self.rules.lock().await.reload();
        if matches!(reload, Reload::Reloaded { .. }) {
            self.wake();
        }
        reload
    }

    /// How many rules are in force.
    pub async fn rules_in_force(&self) -> usize {
        self.rules.lock().await.rules().len()
    }

    /// The rules in force (cheap: rule sets share their parts).
    pub async fn rules(&self) -> vigie_rules::rule::RuleSet {
        self.rules.lock().await.rules().clone()
    }

    /// Loads the rule files as they are on disk now, without putting them in force.
    pub fn check_rules(&self) -> anyhow::Result<Result<vigie_rules::rule::RuleSet, Vec<RuleError>>> {
        crate::window::rules(self.config.rules.directory.as_deref())
    }

    /// Evaluates the windows as of `today`, stores what changed, publishes the snapshot and
    /// announces new windows and changes of state.
    pub async fn evaluate(&self, today: NaiveDate) -> anyhow::Result<()> {
        let _serial = self.evaluating.lock().await;
        let rules = self.rules().await;
        let facts = crate::window::facts(self.store(), self.countries(), today).await?;
        let evaluation = evaluate(&rules, &facts, today);
        for e in &evaluation.errors {
            tracing::warn!(rule = %e.rule, record = %e.record, "rule failed on a record, skipped: {}", e.message);
        }
        let counts = self
            .store()
            .sync_windows(&evaluation.windows, vigie_storage::WindowScope::All, Utc::now())
            .await?;
        tracing::info!(windows = evaluation.windows.len(), %counts, "windows evaluated");
        let before = self.snapshot();
        let next = Arc::new(Snapshot {
            today,
            evaluated_at: Utc::now(),
            windows: evaluation.windows,
        });
        // The first evaluation after a start is not news: it is what was already known.
        if before.evaluated_at != chrono::DateTime::<Utc>::MIN_UTC {
            let old: std::collections::HashMap<&str, WindowState> =
                before.windows.iter().map(|w| (w.id.as_str(), w.state)).collect();
            for w in &next.windows {
                let was = old.get(w.id.as_str()).copied();
                if was != Some(w.state) && w.state != WindowState::Closed {
                    // Nobody listening is fine: announcements are a courtesy of the console.
                    let _ = self.announcements.send(Announcement {
                        window: w.clone(),
                        before: was,
                    });
                }
            }
        }
        self.board.send_replace(next);
        Ok(())
    }

    /// Time travel: the windows as of `day`, evaluated with the rules in force, not stored.
    pub async fn evaluate_at(&self, day: NaiveDate) -> anyhow::Result<Vec<Window>> {
        let rules = self.rules().await;
        let facts = crate::window::facts(self.store(), self.countries(), day).await?;
        Ok(evaluate(&rules, &facts, day).windows)
    }
}
