//! `vigie run`: the long-running service. It keeps every feed in sync on its refresh schedule,
//! re-reads the rule files when they change (keeping the last good rules when they break),
//! re-evaluates and stores the windows whenever the facts, the rules or the day change, serves
//! `/healthz`, `/metrics` and `/windows.ics`, answers commands on the chat platforms (Matrix
//! when `[matrix]` is configured, Discord when `[discord]` is, the terminal console when neither
//! is) and sends alerts: the alert step runs while this instance leads, and the platform delivers
//! the outbox. Replicas on PostgreSQL all evaluate windows and queue alerts; only the one leading
//! `chat:matrix` connects to Matrix, and only the one leading `chat:discord` to Discord.
//!
//! On SQLite one Vigie runs per database: a second `vigie run` on the same file refuses to start.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use vigie_storage::{Peer, Role, Store};

use crate::alert::Alerts;
use crate::chat::Chat;
use crate::config::{Config, qualified_user};
use crate::engine::Engine;
use crate::metrics::Metrics;
use crate::sync::Outcome;
use crate::window::Reload;

/// How long the ids of processed chat events are kept (a homeserver re-delivers within hours).
const PROCESSED_EVENTS_KEPT: chrono::Duration = chrono::Duration::days(30);

/// How long shutdown may wait for work in progress.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

pub async fn run(config: Config, store: Store) -> anyhow::Result<ExitCode> {
    // Held until Vigie stops: on SQLite, the right to run on this database.
    let instance = store.lock_instance().await?;
    if instance.path().is_some() {
        // The lock proves that no other Vigie runs here: the leases of the one before are void.
        match store.outbox_release_all().await? {
            0 => {}
            n => tracing::info!(
                messages = n,
                "messages leased by a Vigie that stopped are taken back"
            ),
        }
    }
    let cancel = CancellationToken::new();
    let signal = cancel.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        signal.cancel();
    });
    #[cfg(not(feature = "matrix"))]
    if config.matrix.is_some() {
        anyhow::bail!(
            "{} configures [matrix], but this build of Vigie has no Matrix support; build it with the `matrix` feature",
            config.origin
        );
    }
    #[cfg(not(feature = "discord"))]
    if config.discord.is_some() {
        anyhow::bail!(
            "{} configures [discord], but this build of Vigie has no Discord support; build it with the `discord` feature",
            config.origin
        );
    }
    seed_peers(&config, &store).await?;
    let engine = Engine::new(config.clone(), store.clone()).await?;
    let metrics = Metrics::new();
    let alerts = Alerts::from_engine(&engine);
    let chat = Chat::new(engine.clone(), metrics.clone()).with_alerts(alerts.clone());
    let tracker = TaskTracker::new();

    tracker.spawn(sync_loop(engine.clone(), cancel.clone()));
    tracker.spawn(crate::alert::run(alerts, cancel.clone()));
    // Award campaigns: scheduled steps and reminders, while this instance leads `awards`.
    let awards = Arc::new(crate::award::Awards::new(store.clone(), &config));
    tracker.spawn(crate::award::run(awards, cancel.clone()));
    if config.server.enabled {
        match tokio::net::TcpListener::bind(config.server.listen).await {
            Ok(listener) => {
                let state = crate::http::HttpState {
                    store: store.clone(),
                    metrics: metrics.clone(),
                    board: engine.board(),
                    windows_token: config.server.windows_token.clone(),
                };
                // Discord's interactions endpoint, when they come by HTTP: on every replica (the
                // event log keeps each interaction to one of them).
                #[cfg(feature = "discord-http")]
                let routes = match &config.discord {
                    Some(discord) => {
                        crate::platform::discord::endpoint::routes(discord, chat.clone(), tracker.clone())?
                    }
                    None => axum::Router::new(),
                };
                #[cfg(not(feature = "discord-http"))]
                let routes = axum::Router::new();
                let cancel = cancel.clone();
                tracker.spawn(async move {
                    if let Err(e) = crate::http::serve_with(listener, state, routes, cancel).await {
                        tracing::error!(error = %e, "the HTTP listener stopped");
                    }
                });
            }
            // Vigie is still useful without its endpoints: say so, and go on.
            Err(e) => tracing::error!(
                listen = %config.server.listen,
                error = %e,
                "the HTTP listener cannot start (set server.listen, or server.enabled = false); going on without it"
            ),
        }
    }
    #[cfg(feature = "discord")]
    if let Some(discord) = config.discord.clone() {
        // As on Matrix: one replica speaks for the bot, the one leading `chat:discord`.
        let chat = chat.clone();
        let cancel = cancel.clone();
        let lead = crate::alert::lead::Lead::new(store.clone(), "chat:discord");
        tracker.spawn(async move {
            lead.while_leading(&cancel, |stop| {
                let (discord, chat) = (discord.clone(), chat.clone());
                async move {
                    let restart = stop.clone();
                    crate::platform::supervise("discord", stop, move || {
                        crate::platform::discord::run(discord.clone(), chat.clone(), restart.clone())
                    })
                    .await;
                }
            })
            .await;
        });
    }
    match platform(&config) {
        Platform::Chat => {}
        Platform::Matrix => {
            #[cfg(feature = "matrix")]
            if let Some(matrix) = config.matrix.clone() {
                // One replica speaks on the account: the one leading `chat:matrix` logs in, syncs,
                // answers and delivers; it stops when it loses the lead and another one starts.
                let chat = chat.clone();
                let cancel = cancel.clone();
                let lead = crate::alert::lead::Lead::new(store.clone(), "chat:matrix");
                tracker.spawn(async move {
                    lead.while_leading(&cancel, |stop| {
                        let (matrix, chat) = (matrix.clone(), chat.clone());
                        async move {
                            let restart = stop.clone();
                            crate::platform::supervise("matrix", stop, move || {
                                crate::platform::matrix::run(matrix.clone(), chat.clone(), restart.clone())
                            })
                            .await;
                        }
                    })
                    .await;
                });
            }
        }
        Platform::Console => {
            let history = config.base_dir.join(".vigie").join("console-history");
            let chat = chat.clone();
            let cancel = cancel.clone();
            tracker.spawn(async move {
                if let Err(e) = crate::platform::console::run(chat, history, cancel.clone()).await {
                    tracing::error!(error = format!("{e:#}"), "the console stopped");
                }
            });
        }
    }
    tracing::info!(feeds = config.feeds.len(), config = %config.origin, "Vigie is running; Ctrl-C stops it");
    cancel.cancelled().await;
    tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("work was still running after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    Ok(ExitCode::SUCCESS)
}

enum Platform {
    Matrix,
    /// Another chat platform (Discord), started on its own.
    Chat,
    Console,
}

/// Matrix when it is configured; the terminal console only when no chat platform is.
fn platform(config: &Config) -> Platform {
    if config.matrix.is_some() {
        Platform::Matrix
    } else if config.discord.is_some() {
        Platform::Chat
    } else {
        Platform::Console
    }
}

/// Puts the admins and peers of `[chat]` in the database, leaving alone those that `peers`
/// commands already manage.
async fn seed_peers(config: &Config, store: &Store) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut peers: Vec<Peer> = Vec::new();
    for user in config.chat.admins.iter().filter_map(|u| qualified_user(u)) {
        peers.push(Peer {
            user,
            role: Role::Admin,
            region: None,
            country: None,
            organisation: None,
            added_by: "config".into(),
            added_at: now,
        });
    }
    for seed in &config.chat.peers {
        if let Some(user) = qualified_user(&seed.user) {
            peers.push(Peer {
                user,
                role: Role::parse(&seed.role).unwrap_or(Role::Peer),
                region: seed
                    .region
                    .as_deref()
                    .and_then(|r| vigie_rules::Region::parse(r).ok())
                    .map(|r| r.slug().to_owned()),
                country: seed
                    .country
                    .as_deref()
                    .and_then(|c| vigie_rules::CountryCode::parse(c).ok()),
                organisation: seed.organisation.as_deref().and_then(crate::command::award::name),
                added_by: "config".into(),
                added_at: now,
            });
        }
    }
    let added = store.seed_peers(&peers).await?;
    if added > 0 {
        tracing::info!(added, "admins and peers from the configuration added");
    }
    Ok(())
}

/// Syncs each enabled feed when it is due (at start when it was never synced or its last attempt
/// is older than its refresh interval, then every interval), checks the rule files, and
/// re-evaluates the windows when anything they depend on changed (or a command asked).
async fn sync_loop(engine: Arc<Engine>, cancel: CancellationToken) {
    if let Err(e) = sync_loop_inner(&engine, &cancel).await {
        tracing::error!(error = format!("{e:#}"), "the sync loop stopped");
        cancel.cancel();
    }
}

async fn sync_loop_inner(engine: &Engine, cancel: &CancellationToken) -> anyhow::Result<()> {
    let config = engine.config();
    let mut due: HashMap<String, chrono::DateTime<Utc>> = HashMap::new();
    for feed in config.feeds.iter().filter(|f| f.enabled) {
        let last = engine
            .store()
            .feed_health(&feed.name)
            .await?
            .and_then(|h| h.last_attempt);
        let next = last.map_or_else(Utc::now, |at| at + feed.refresh);
        due.insert(feed.name.clone(), next);
    }
    let mut evaluated_on: Option<chrono::NaiveDate> = None;
    let mut woken = false;
    loop {
        let now = Utc::now();
        let mut changed = woken;
        for feed in config.feeds.iter().filter(|f| f.enabled) {
            if cancel.is_cancelled() {
                return Ok(());
            }
            if due.get(&feed.name).is_some_and(|at| *at <= now) {
                match engine.sync(feed).await {
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
        match engine.reload_rules().await {
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
        if evaluated_on != Some(today) {
            // Chat event ids are kept long enough for any re-delivery after a crash, not forever.
            match engine
                .store()
                .forget_events_before(now - PROCESSED_EVENTS_KEPT)
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(forgotten = n, "old processed chat events forgotten"),
                Err(e) => tracing::warn!(error = format!("{e:#}"), "forgetting old chat events failed"),
            }
        }
        if changed || evaluated_on != Some(today) {
            match engine.evaluate(today).await {
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
        woken = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = tokio::time::sleep(wait) => false,
            _ = engine.woken() => true,
        };
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
