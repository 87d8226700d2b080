//! What Vigie does with the events of a sync: commands become replies, undecryptable messages
//! get one sentence saying so, invitations are accepted or declined.
//!
//! Event handlers run inside the sync: they only filter and queue, so a slow command never holds
//! up the next sync. Each room has its own worker that runs its commands in order, while rooms run
//! side by side; replies are handed over in that order and then sent concurrently, so a slow
//! homeserver round trip does not hold up the next command (replies may swap places only if the
//! homeserver stores two concurrent sends out of order). Before a command runs, its event id is
//! recorded in the store; an event recorded before (a sync re-delivered after a crash) is
//! skipped, so no command ever runs twice.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::Utc;
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::relation::{Reply, Thread};
use matrix_sdk::ruma::events::room::encrypted::{self, EncryptedEventScheme, OriginalSyncRoomEncryptedEvent};
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{
    MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId, UserId,
};
use matrix_sdk::stream::StreamExt;
use matrix_sdk::{Client, Room, RoomState};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::policy;
use crate::chat::{Caller, Chat, Notice, Platform};
use crate::config::Matrix;

/// How long an undecryptable message waits for its room key (which may come in a later sync
/// than the message) before Vigie says it cannot read it.
const KEY_GRACE: Duration = Duration::from_secs(10);

/// How many times joining an accepted invitation is tried (the homeserver may not have finished
/// processing the invitation when the sync announces it).
const JOIN_ATTEMPTS: u32 = 5;

/// How many replies may be on their way to the homeserver at once.
const MAX_SENDS: usize = 64;

/// The state shared by every event handler and room worker. Cheap to clone.
#[derive(Clone)]
pub struct Bot(Arc<Inner>);

struct Inner {
    chat: Chat,
    own: OwnedUserId,
    ignore: HashSet<String>,
    autojoin: Vec<String>,
    admin_power_level: i64,
    started: MilliSecondsSinceUnixEpoch,
    queues: Mutex<HashMap<OwnedRoomId, mpsc::UnboundedSender<Job>>>,
    /// Replies being sent, across rooms, at most `MAX_SENDS`.
    sends: Arc<Semaphore>,
    tasks: TaskTracker,
    stop: CancellationToken,
}

/// A message Vigie acts on.
struct Incoming {
    event_id: OwnedEventId,
    sender: OwnedUserId,
    /// The root of the thread the message is in, if any: the reply goes to the same thread.
    thread: Option<OwnedEventId>,
    /// When the event handler saw it: command latency is measured from here.
    received: Instant,
}

enum Job {
    Command { incoming: Incoming, line: String },
    Undecryptable(Incoming),
}

/// What trying to decrypt a message again gave.
enum Decryption {
    /// The key came: the message's command, if it is one.
    Decrypted(Option<Job>),
    Failed,
}

impl Bot {
    pub fn new(
        config: &Matrix,
        chat: Chat,
        own: OwnedUserId,
        tasks: TaskTracker,
        stop: CancellationToken,
    ) -> Self {
        Self(Arc::new(Inner {
            chat,
            own,
            ignore: config.ignore.iter().cloned().collect(),
            autojoin: config.autojoin.clone(),
            admin_power_level: config.admin_power_level,
            started: MilliSecondsSinceUnixEpoch::now(),
            queues: Mutex::new(HashMap::new()),
            sends: Arc::new(Semaphore::new(MAX_SENDS)),
            tasks,
            stop,
        }))
    }

    /// Registers the event handlers on `client`.
    pub fn register(&self, client: &Client) {
        client.add_event_handler_context(self.clone());
        client.add_event_handler(on_message);
        client.add_event_handler(on_encrypted);
        client.add_event_handler(on_invite);
    }

    /// Whether a message from `sender` sent at `sent` is one to look at: not Vigie's own, not
    /// from an ignored user (another bot), not from before Vigie started.
    fn listens_to(&self, room: &Room, sender: &UserId, sent: MilliSecondsSinceUnixEpoch) -> bool {
        room.state() == RoomState::Joined
            && sender != self.0.own
            && !self.0.ignore.contains(sender.as_str())
            && !policy::is_before_start(sent, self.0.started)
    }

    /// The command of a message, if it is one: a text message (not a notice, not an edit) whose
    /// body starts with the prefix or a slash.
    fn command(&self, event: &OriginalSyncRoomMessageEvent, received: Instant) -> Option<Job> {
        let MessageType::Text(text) = &event.content.msgtype else {
            return None;
        };
        let mut body = text.body.as_str();
        let thread = match &event.content.relates_to {
            Some(Relation::Replacement(_)) => return None,
            Some(Relation::Thread(thread)) => Some(thread.event_id.clone()),
            Some(Relation::Reply(_)) => {
                body = policy::without_reply_fallback(body);
                None
            }
            _ => None,
        };
        let line = policy::command_line(body, self.0.chat.prefix())?;
        Some(Job::Command {
            incoming: Incoming {
                event_id: event.event_id.clone(),
                sender: event.sender.clone(),
                thread,
                received,
            },
            line: line.to_owned(),
        })
    }

    /// Puts `job` on the queue of `room`, starting the room's worker if it has none.
    fn enqueue(&self, room: &Room, job: Job) {
        let mut queues = self.0.queues.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = queues
            .entry(room.room_id().to_owned())
            .or_insert_with(|| self.start_worker(room.clone()));
        if queue.send(job).is_err() {
            tracing::debug!(room = %room.room_id(), "Vigie is stopping; a command was left unanswered");
        }
    }

    fn start_worker(&self, room: Room) -> mpsc::UnboundedSender<Job> {
        let (sender, mut jobs) = mpsc::unbounded_channel();
        let bot = self.clone();
        self.0.tasks.spawn(async move {
            loop {
                let job = tokio::select! {
                    biased;
                    () = bot.0.stop.cancelled() => break,
                    job = jobs.recv() => match job {
                        Some(job) => job,
                        None => break,
                    },
                };
                bot.run(&room, job).await;
            }
        });
        sender
    }

    /// Runs one job of a room's queue, once per event, and hands the reply over to be sent.
    async fn run(&self, room: &Room, job: Job) {
        let (incoming, line) = match job {
            Job::Command { incoming, line } => (incoming, Some(line)),
            Job::Undecryptable(incoming) => (incoming, None),
        };
        let first = self
            .0
            .chat
            .store()
            .record_event("matrix", incoming.event_id.as_str(), Utc::now())
            .await;
        match first {
            Ok(true) => {}
            Ok(false) => {
                tracing::debug!(event = %incoming.event_id, "event already processed; skipped");
                return;
            }
            Err(e) => {
                tracing::error!(
                    event = %incoming.event_id,
                    error = format!("{e:#}"),
                    "the event cannot be recorded, so it is not acted on (it could otherwise run twice)"
                );
                return;
            }
        }
        let caller = self.caller(room, &incoming.sender).await;
        let (command, content) = match line {
            Some(line) => {
                let reply = self.0.chat.handle(&caller, &line).await;
                (
                    policy::command_name(&line),
                    RoomMessageEventContent::notice_markdown(reply.markdown),
                )
            }
            None => {
                let sentence = self.0.chat.notice(&caller, Notice::Undecryptable).await;
                (
                    "(undecryptable)".to_owned(),
                    RoomMessageEventContent::notice_plain(sentence),
                )
            }
        };
        let content = reply_to(content, &incoming);
        // Replies are handed over in the order of the commands, but sent side by side: a reply
        // does not wait for the one before it to reach the homeserver. Waiting for a free send
        // slot is part of the latency.
        let Ok(slot) = self.0.sends.clone().acquire_owned().await else {
            return;
        };
        let latency_us = u64::try_from(incoming.received.elapsed().as_micros()).unwrap_or(u64::MAX);
        // A transaction id tied to the command: if the send is retried, the homeserver keeps one.
        let txn = OwnedTransactionId::from(format!(
            "vigie-{}",
            incoming.event_id.as_str().trim_start_matches('$')
        ));
        let room = room.clone();
        self.0.tasks.spawn(async move {
            let sent = room.send(content).with_transaction_id(txn).await;
            drop(slot);
            match sent {
                Ok(_) => tracing::debug!(command, latency_us, room = %room.room_id(), "command answered"),
                Err(e) => tracing::warn!(
                    command,
                    room = %room.room_id(),
                    event = %incoming.event_id,
                    error = format!("{e:#}"),
                    "the reply could not be sent"
                ),
            }
        });
    }

    async fn caller(&self, room: &Room, user: &UserId) -> Caller {
        let room_admin = match room.get_user_power_level(user).await {
            Ok(level) => policy::is_room_admin(level, self.0.admin_power_level),
            Err(e) => {
                tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "the room's power levels are unknown");
                false
            }
        };
        Caller {
            platform: Platform::Matrix,
            user: format!("matrix:{user}"),
            room: format!("matrix:{}", room.room_id()),
            room_admin,
        }
    }

    /// Waits a little for the room key of an undecryptable message, then acts on the message if
    /// the key came, or says it cannot be read.
    async fn await_key(&self, room: Room, raw: Raw<OriginalSyncRoomEncryptedEvent>, incoming: Incoming) {
        let Ok(event) = raw.deserialize() else { return };
        let EncryptedEventScheme::MegolmV1AesSha2(megolm) = &event.content.scheme else {
            self.enqueue(&room, Job::Undecryptable(incoming));
            return;
        };
        let client = room.client();
        // Listen before trying, so that a key arriving in between is not missed.
        let keys = client.encryption().room_keys_received_stream().await;
        let deadline = tokio::time::Instant::now() + KEY_GRACE;
        if let Some(mut keys) = keys {
            'retry: loop {
                if let Decryption::Decrypted(job) =
                    self.retry_decryption(&room, &raw, incoming.received).await
                {
                    if let Some(job) = job {
                        self.enqueue(&room, job);
                    }
                    return;
                }
                loop {
                    tokio::select! {
                        () = self.0.stop.cancelled() => return,
                        () = tokio::time::sleep_until(deadline) => break 'retry,
                        update = keys.next() => match update {
                            None => break 'retry,
                            // A lagging stream may have lost our key: try again anyway.
                            Some(Err(_)) => continue 'retry,
                            Some(Ok(infos)) if infos.iter().any(|k| k.session_id == megolm.session_id) => {
                                continue 'retry
                            }
                            Some(Ok(_)) => {}
                        },
                    }
                }
            }
        }
        match self.retry_decryption(&room, &raw, incoming.received).await {
            Decryption::Decrypted(Some(job)) => self.enqueue(&room, job),
            Decryption::Decrypted(None) => {}
            Decryption::Failed => {
                tracing::info!(room = %room.room_id(), event = %incoming.event_id, "a message cannot be decrypted");
                self.enqueue(&room, Job::Undecryptable(incoming));
            }
        }
    }

    /// Tries to decrypt an encrypted message again (its key may have come since).
    async fn retry_decryption(
        &self,
        room: &Room,
        raw: &Raw<OriginalSyncRoomEncryptedEvent>,
        received: Instant,
    ) -> Decryption {
        let event = match room.decrypt_event(raw, None).await {
            Ok(event) if !event.kind.is_utd() => event,
            _ => return Decryption::Failed,
        };
        // Decrypted: whether it is a command or not, the waiting is over.
        let job = event
            .raw()
            .deserialize_as_unchecked::<OriginalSyncRoomMessageEvent>()
            .ok()
            .and_then(|message| self.command(&message, received));
        Decryption::Decrypted(job)
    }

    async fn answer_invite(&self, room: Room, inviter: OwnedUserId) {
        let allowed = if self.0.autojoin.is_empty() {
            self.0.chat.knows(&format!("matrix:{inviter}")).await
        } else {
            policy::autojoin_allows(&self.0.autojoin, &inviter)
        };
        if !allowed {
            tracing::info!(
                room = %room.room_id(),
                inviter = %inviter,
                "declined an invitation: the inviter is not allowed by matrix.autojoin (or, without it, not an admin or peer)"
            );
            if let Err(e) = room.leave().await {
                tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "declining an invitation failed");
            }
            return;
        }
        let mut delay = Duration::from_secs(1);
        for attempt in 1..=JOIN_ATTEMPTS {
            match room.join().await {
                Ok(()) => {
                    tracing::info!(room = %room.room_id(), inviter = %inviter, "joined a room on invitation");
                    return;
                }
                Err(e) if attempt == JOIN_ATTEMPTS => {
                    tracing::warn!(room = %room.room_id(), error = format!("{e:#}"), "joining a room failed; giving up");
                }
                Err(e) => {
                    tracing::debug!(room = %room.room_id(), attempt, error = format!("{e:#}"), "joining a room failed; trying again");
                    tokio::select! {
                        () = self.0.stop.cancelled() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                    delay *= 2;
                }
            }
        }
    }
}

/// `content` as a reply to `to`: in its thread if it was in one, mentioning its sender and
/// nobody else (no room mention, whatever the text says).
fn reply_to(mut content: RoomMessageEventContent, to: &Incoming) -> RoomMessageEventContent {
    content.relates_to = Some(match &to.thread {
        Some(root) => Relation::Thread(Thread::reply(root.clone(), to.event_id.clone())),
        None => Relation::Reply(Reply::with_event_id(to.event_id.clone())),
    });
    content.mentions = Some(Mentions::with_user_ids([to.sender.clone()]));
    content
}

async fn on_message(event: OriginalSyncRoomMessageEvent, room: Room, Ctx(bot): Ctx<Bot>) {
    let received = Instant::now();
    if !bot.listens_to(&room, &event.sender, event.origin_server_ts) {
        return;
    }
    if let Some(job) = bot.command(&event, received) {
        bot.enqueue(&room, job);
    }
}

/// Called for the encrypted messages the SDK could not decrypt (decrypted ones come to
/// `on_message` as ordinary messages).
async fn on_encrypted(raw: Raw<OriginalSyncRoomEncryptedEvent>, room: Room, Ctx(bot): Ctx<Bot>) {
    let received = Instant::now();
    let Ok(event) = raw.deserialize() else { return };
    if !bot.listens_to(&room, &event.sender, event.origin_server_ts) {
        return;
    }
    let thread = match &event.content.relates_to {
        Some(encrypted::Relation::Replacement(_)) => return,
        Some(encrypted::Relation::Thread(thread)) => Some(thread.event_id.clone()),
        _ => None,
    };
    let incoming = Incoming {
        event_id: event.event_id,
        sender: event.sender,
        thread,
        received,
    };
    let tasks = bot.0.tasks.clone();
    tasks.spawn(async move { bot.await_key(room, raw, incoming).await });
}

async fn on_invite(event: StrippedRoomMemberEvent, room: Room, Ctx(bot): Ctx<Bot>) {
    if event.state_key != bot.0.own
        || event.content.membership != MembershipState::Invite
        || room.state() != RoomState::Invited
    {
        return;
    }
    let tasks = bot.0.tasks.clone();
    tasks.spawn(async move { bot.answer_invite(room, event.sender).await });
}
