//! Vigie on Matrix: one account, logged in once and restored at every start (same device, so
//! encrypted rooms keep working), syncing until cancelled. Commands come as `!vigie …` or `/…`
//! text in rooms, encrypted or not; replies are `m.notice` replies (in the command's thread if it
//! had one) rendered from Markdown, mentioning the caller only.
//!
//! matrix-sdk types stay inside this module: the rest of Vigie sees a [`Caller`](crate::chat::Caller)
//! and answers with a [`Reply`](crate::chat::Reply). The module is compiled only with the `matrix`
//! cargo feature.
//!
//! - `session`: the store folder, the passphrase, login and session restore;
//! - `handler`: what a sync brings, per-room workers, gaps in timelines, replies; with
//!   `handler::undecryptable` (waiting for room keys) and `handler::invite`;
//! - `policy`: the pure decisions (is it a command, may Vigie join, is someone a room admin);
//! - `send`: delivering the outbox (alerts) to rooms and people, once each;
//! - `react`: a ✋ on an alert claims its window;
//! - `redact`: taking a secret ballot typed in a shared room out of it;
//! - `dm`: whether a room is a direct chat with one person (secret ballots, commands without
//!   the prefix).
//! - `poll`: quick polls as native Matrix polls (MSC3381), their responses counted as ballots.

mod dm;
mod handler;
mod policy;
mod poll;
mod react;
mod redact;
mod send;
mod session;

pub use handler::send_image;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::UInt;
use matrix_sdk::ruma::api::client::filter::FilterDefinition;
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter;
use matrix_sdk::ruma::api::error::ErrorKind;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::chat::Chat;
use crate::config::Matrix;

/// How long a sync request waits on the homeserver for something new (long polling).
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest wait between two failed syncs.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How long stopping waits for commands in progress to send their replies.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How many events of a room one sync brings at most.
const TIMELINE_LIMIT: u32 = 200;
/// How often the sync lag is refreshed while no sync answers.
const LAG_TICK: Duration = Duration::from_secs(5);

/// Runs Vigie's Matrix account until `cancel`: logs in (or restores the saved session), syncs,
/// answers commands, and, once caught up, delivers the outbox's Matrix messages (while this
/// instance leads `outbox:matrix`). Returns an error when the account cannot work (no login, store of
/// another account, session revoked); transient network errors are retried here.
pub async fn run(config: Matrix, chat: Chat, cancel: CancellationToken) -> anyhow::Result<()> {
    let client = tokio::select! {
        () = cancel.cancelled() => return Ok(()),
        client = session::connect(&config) => client?,
    };
    let own = client
        .user_id()
        .context("the Matrix client has no user after login")?
        .to_owned();
    // Workers stop with `run`, whichever way it ends.
    let stop = cancel.child_token();
    let _stop_on_return = stop.clone().drop_guard();
    let tasks = TaskTracker::new();
    let sends = Arc::new(Semaphore::new(session::SEND_SLOTS));
    let bot = handler::Bot::new(
        &config,
        chat.clone(),
        own,
        tasks.clone(),
        stop.clone(),
        sends.clone(),
    );
    bot.register(&client);

    let last_sync = Arc::new(Mutex::new(Instant::now()));
    tasks.spawn(report_lag(chat.clone(), last_sync.clone(), stop.clone()));
    let result = sync_loop(&client, &bot, &chat, &last_sync, &stop, &tasks, &sends).await;

    stop.cancel();
    tasks.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tasks.wait()).await.is_err() {
        tracing::warn!("Matrix commands were still running after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    result
}

/// Syncs until `stop`, retrying failed syncs with a growing wait, and hands each response to the
/// bot. The first sync does not wait for news (so Vigie is listening as soon as it has caught
/// up); the sync token is kept by the SDK in the store, so a restart resumes where the last run
/// left off.
async fn sync_loop(
    client: &Client,
    bot: &handler::Bot,
    chat: &Chat,
    last_sync: &Mutex<Instant>,
    stop: &CancellationToken,
    tasks: &TaskTracker,
    sends: &Arc<Semaphore>,
) -> anyhow::Result<()> {
    let mut listening = false;
    let mut failures: u32 = 0;
    // The token this run's last sync ended at: a gap after it may hold commands.
    let mut since: Option<String> = None;
    loop {
        let timeout = if listening { SYNC_TIMEOUT } else { Duration::ZERO };
        let settings = SyncSettings::default().timeout(timeout).filter(sync_filter());
        let synced = tokio::select! {
            () = stop.cancelled() => return Ok(()),
            synced = client.sync_once(settings) => synced,
        };
        match synced {
            Ok(response) => {
                bot.dispatch(client, &response, since.as_deref());
                since = Some(response.next_batch);
                failures = 0;
                *last_sync.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
                chat.metrics().set_sync_lag("matrix", Duration::ZERO);
                if !listening {
                    listening = true;
                    // Rooms are known now: messages to them can go out.
                    tasks.spawn(deliver_outbox(
                        client.clone(),
                        chat.clone(),
                        sends.clone(),
                        stop.clone(),
                    ));
                    tasks.spawn(poll::run(client.clone(), chat.clone(), stop.clone()));
                    tracing::info!(
                        user = ?client.user_id(),
                        device = ?client.device_id(),
                        rooms = client.joined_rooms().len(),
                        "Matrix: listening for commands"
                    );
                }
            }
            Err(e) if matches!(e.client_api_error_kind(), Some(ErrorKind::UnknownToken(_))) => {
                return Err(e).context("the homeserver no longer accepts Vigie's Matrix session");
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = Duration::from_secs(1u64 << failures.min(6)).min(MAX_BACKOFF);
                tracing::warn!(error = format!("{e:#}"), retry_in = ?wait, "a Matrix sync failed");
                tokio::select! {
                    () = stop.cancelled() => return Ok(()),
                    () = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
}

/// Delivers the outbox's Matrix messages until `stop`, while this instance leads `outbox:matrix`.
/// Each message takes one of the `sends` slots it shares with command replies.
async fn deliver_outbox(client: Client, chat: Chat, sends: Arc<Semaphore>, stop: CancellationToken) {
    let store = chat.store().clone();
    let owner = crate::alert::sender::owner("matrix");
    crate::alert::sender::deliver_loop(
        store,
        "matrix",
        owner,
        move |row| {
            let client = client.clone();
            let sends = sends.clone();
            async move {
                // The semaphore is never closed; were it, the message would go without a slot.
                let _slot = sends.acquire_owned().await.ok();
                send::deliver(&client, row).await
            }
        },
        stop,
    )
    .await;
}

/// What a sync asks for: up to `TIMELINE_LIMIT` events per room (more, and the bot fills the gap
/// from the room's history).
fn sync_filter() -> Filter {
    let mut definition = FilterDefinition::default();
    definition.room.timeline.limit = Some(UInt::from(TIMELINE_LIMIT));
    Filter::FilterDefinition(definition)
}

/// Keeps the sync-lag gauge true while no sync answers: a sync waits up to `SYNC_TIMEOUT` for
/// news, so only a silence longer than that (plus a margin) counts as lag.
async fn report_lag(chat: Chat, last_sync: Arc<Mutex<Instant>>, stop: CancellationToken) {
    let mut tick = tokio::time::interval(LAG_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        let since = last_sync.lock().unwrap_or_else(PoisonError::into_inner).elapsed();
        if since > SYNC_TIMEOUT + LAG_TICK * 2 {
            chat.metrics().set_sync_lag("matrix", since);
        }
    }
}
