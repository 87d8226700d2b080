//! The alert tests' support: a fresh database per test on each backend, a configuration, a
//! board of windows put there by hand, and senders with a fake delivery that counts its calls.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use vigie::alert::sender::{Delivery, SenderSettings, deliver_loop_with};
use vigie::alert::{Alerts, StepReport};
use vigie::config::{Config, ConfigSource, load};
use vigie::window::Snapshot;
use vigie_rules::rule::Priority;
use vigie_rules::window::{Window, WindowId, WindowState};
use vigie_rules::{EventKey, JurisdictionCode, Region};
use vigie_storage::{OutboxRow, Store};

// ---------------------------------------------------------------------------------------------
// Backends

/// A store on a database of its own, removed when the test ends.
pub struct Db {
    pub store: Store,
    _cleanup: Cleanup,
}

pub enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin, name } = self {
            let _ = psql(admin, &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub fn psql(url: &str, sql: &str) -> Result<(), String> {
    let out = std::process::Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .map_err(|e| format!("psql cannot run ({e}); the PostgreSQL tests need the psql client"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

static NEXT: AtomicU32 = AtomicU32::new(0);

pub async fn db(kind: Kind) -> Db {
    match kind {
        Kind::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
            Db {
                store: Store::open(&url).await.unwrap(),
                _cleanup: Cleanup::Sqlite(dir),
            }
        }
        Kind::Postgres => {
            let admin = std::env::var("VIGIE_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let name = format!(
                "vigie_test_{}_alerts_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            psql(&admin, &format!("CREATE DATABASE \"{name}\""))
                .unwrap_or_else(|e| panic!("creating a PostgreSQL test database at {admin} failed: {e}"));
            let cleanup = Cleanup::Postgres {
                admin: admin.clone(),
                name: name.clone(),
            };
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let url = format!("{base}/{name}");
            Db {
                store: Store::open(&url).await.unwrap(),
                _cleanup: cleanup,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A world: configuration, board and alerts over a store

pub const EU: &str = "matrix:!eu:example.org";
pub const ALL: &str = "matrix:!all:example.org";

pub const CONFIG: &str = r#"
[alerts]
[alerts.route]
receivers = ["matrix:!all:example.org"]
[[alerts.route.routes]]
matchers = ['region="europe"']
receivers = ["matrix:!eu:example.org"]
"#;

pub fn config(text: &str) -> Config {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    load(ConfigSource::File(&path), Vec::new())
        .unwrap_or_else(|e| panic!("the test configuration loads: {e}"))
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn window(country: &str, region: Region, state: WindowState) -> Window {
    Window {
        id: WindowId::new("pre-election", country),
        rule: "pre-election".into(),
        jurisdiction: JurisdictionCode::parse(country).unwrap(),
        region,
        title: format!("{country} parliamentary election"),
        opens: day("2026-03-01"),
        closing_from: day("2026-04-01"),
        closes: day("2026-04-10"),
        estimated: false,
        priority: Priority::High,
        kind: None,
        labels: Arc::new(BTreeMap::new()),
        reasons: vec!["a test window".into()],
        events: vec![EventKey {
            feed: "elections".into(),
            uid: format!("{country}-2026"),
        }],
        state,
    }
}

pub struct World {
    pub store: Store,
    pub config: Config,
    pub board: watch::Sender<Arc<Snapshot>>,
    pub alerts: Alerts,
}

impl World {
    pub fn new(store: &Store, text: &str, windows: Vec<Window>) -> Self {
        let config = config(text);
        let (board, reader) = watch::channel(Arc::new(snapshot(windows)));
        let alerts = Alerts::new(store.clone(), &config, reader);
        Self {
            store: store.clone(),
            config,
            board,
            alerts,
        }
    }

    /// Another instance (a restart, a reload, a second replica) over the same store and windows.
    pub fn again(&self) -> Alerts {
        Alerts::new(self.store.clone(), &self.config, self.board.subscribe())
    }

    /// An instance over the same store and windows with another configuration (a reload).
    pub fn again_with(&self, text: &str) -> Alerts {
        Alerts::new(self.store.clone(), &config(text), self.board.subscribe())
    }

    pub fn show(&self, windows: Vec<Window>) {
        self.board.send_replace(Arc::new(snapshot(windows)));
    }

    pub async fn step(&self, now: &str) -> StepReport {
        self.alerts.step_at(at(now)).await.unwrap()
    }

    pub async fn messages(&self, report: &StepReport) -> Vec<OutboxRow> {
        let mut out = Vec::new();
        for id in &report.queued {
            out.push(self.store.outbox_message(*id).await.unwrap().unwrap());
        }
        out
    }
}

pub fn snapshot(windows: Vec<Window>) -> Snapshot {
    Snapshot {
        today: day("2026-03-02"),
        evaluated_at: at("2026-03-02T00:00:00Z"),
        windows,
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Runs one sender per owner (concurrently) until the outbox is empty, counting the calls of the
/// fake delivery per message.
pub async fn deliver_all(store: &Store, owners: &[&str]) -> HashMap<i64, u32> {
    deliver_all_as(store, owners, None).await
}

/// [`deliver_all`] with a delivery that always ends as `outcome` (sent when `None`).
pub async fn deliver_all_as(store: &Store, owners: &[&str], outcome: Option<Delivery>) -> HashMap<i64, u32> {
    let calls: Arc<Mutex<HashMap<i64, u32>>> = Arc::default();
    let cancel = CancellationToken::new();
    let settings = SenderSettings {
        pace: Duration::from_millis(5),
        poll: Duration::from_millis(20),
        lead: false,
        ..SenderSettings::default()
    };
    let mut tasks = Vec::new();
    for owner in owners {
        let calls = calls.clone();
        let outcome = outcome.clone();
        tasks.push(tokio::spawn(deliver_loop_with(
            store.clone(),
            "matrix",
            (*owner).to_owned(),
            move |row: OutboxRow| {
                let calls = calls.clone();
                let outcome = outcome.clone();
                async move {
                    *calls.lock().unwrap().entry(row.id).or_default() += 1;
                    tokio::task::yield_now().await;
                    outcome.unwrap_or_else(|| Delivery::Sent(Some(format!("$event{}", row.id))))
                }
            },
            settings.clone(),
            cancel.clone(),
        )));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while store.outbox_pending_count().await.unwrap() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the outbox was not delivered in time"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    cancel.cancel();
    for t in tasks {
        t.await.unwrap();
    }
    calls.lock().unwrap().clone()
}

/// Waits for a condition, up to 20 s.
pub async fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the condition did not hold in time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
