//! What Vigie does with what a sync brings: commands become replies, undecryptable messages get
//! one sentence saying so (`undecryptable`), invitations are accepted or declined (`invite`).
//!
//! The sync loop hands every response to [`Bot::dispatch`], which only sorts and queues, so a
//! slow command never holds up the next sync. Each room has its own worker that runs its
//! commands in order, while rooms run side by side; replies are handed over in that order and
//! then sent concurrently, so a slow homeserver round trip does not hold up the next command
//! (replies may swap places only if the homeserver stores two concurrent sends out of order).
//!
//! A sync gives at most a page of a room's timeline; when more happened since the last sync (a
//! burst of commands), it says so (`limited`) and the worker first fetches the gap from the room's
//! history, so no command is lost. Before a command runs, its event id is recorded in the store
//! (the ids of a sync go to the event log together, as soon as the sync brings them); an event
//! recorded before (a sync re-delivered after a crash) is skipped, so no command ever runs twice.

mod callers;
mod invite;
mod undecryptable;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::relation::{Reply, Thread};
use matrix_sdk::ruma::events::room::encrypted::{self, OriginalSyncRoomEncryptedEvent};
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{
    MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId, UInt, UserId,
};
use matrix_sdk::sync::{JoinedRoomUpdate, State, SyncResponse};
use matrix_sdk::{Client, Room, RoomState};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{dm, policy, react};
use crate::chat::events::{EventLog, Taking};
use crate::chat::{Caller, Chat, Image, Notice, Platform};
use crate::config::Matrix;

/// The most events fetched to fill one gap in a room's timeline; a longer gap (a flood) is cut,
/// keeping the most recent events, and said in the logs.
const MAX_GAP: usize = 2_000;

/// The state shared by the sync loop, the room workers and the event handlers. Cheap to clone.
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
    tasks: TaskTracker,
    stop: CancellationToken,
    /// The slots replies share with the outbox (see `session::SEND_SLOTS`).
    sends: Arc<Semaphore>,
    /// Where each event is taken before it is acted on (once per event, a sync's worth at a time).
    events: EventLog,
    /// Power levels and direct chats, read once per change of a room's state.
    callers: callers::Callers,
}

/// A message Vigie acts on.
struct Incoming {
    event_id: OwnedEventId,
    sender: OwnedUserId,
    /// The root of the thread the message is in, if any: the reply goes to the same thread.
    thread: Option<OwnedEventId>,
    /// When the sync brought it: command latency is measured from here.
    received: Instant,
    /// Its id on its way to the event log, begun when the sync brought it (see `begin_taking`).
    taking: Option<Taking>,
}

enum Job {
    Command {
        incoming: Incoming,
        line: String,
    },
    Undecryptable(Incoming),
    /// A ✋ on a message, which may claim the window of an alert.
    Reaction(react::Reaction),
    /// An answer to a poll Vigie asked.
    PollResponse(super::poll::Response),
    /// Events the sync left out of a room's timeline: from `from` back to `to` (the previous
    /// sync's token).
    Gap {
        from: String,
        to: String,
        received: Instant,
    },
}

/// What one timeline event asks of Vigie.
enum Seen {
    Job(Job),
    /// An encrypted message not decrypted (yet): wait for its key.
    Encrypted(Raw<OriginalSyncRoomEncryptedEvent>, Incoming),
}

impl Bot {
    pub fn new(
        config: &Matrix,
        chat: Chat,
        own: OwnedUserId,
        tasks: TaskTracker,
        stop: CancellationToken,
        sends: Arc<Semaphore>,
    ) -> Self {
        let events = EventLog::start(chat.store().clone(), "matrix");
        Self(Arc::new(Inner {
            chat,
            own,
            ignore: config.ignore.iter().cloned().collect(),
            autojoin: config.autojoin.clone(),
            admin_power_level: config.admin_power_level,
            started: MilliSecondsSinceUnixEpoch::now(),
            queues: Mutex::new(HashMap::new()),
            events,
            callers: callers::Callers::default(),
            tasks,
            stop,
            sends,
        }))
    }

    /// Registers the event handlers on `client` (invitations; messages come through
    /// [`Bot::dispatch`]).
    pub fn register(&self, client: &Client) {
        client.add_event_handler_context(self.clone());
        client.add_event_handler(invite::on_invite);
    }

    /// Queues what a sync response asks of Vigie, room by room, in timeline order. `since` is the
    /// token the sync started from, if it came from this run (a gap from before the start is
    /// history, not commands).
    pub fn dispatch(&self, client: &Client, response: &SyncResponse, since: Option<&str>) {
        let received = Instant::now();
        // The SDK has stored this response's state: what was kept of a changed room is stale.
        for room_id in response.rooms.left.keys().chain(response.rooms.invited.keys()) {
            self.0.callers.forget(room_id);
        }
        for (room_id, update) in &response.rooms.joined {
            if changes_state(update) {
                self.0.callers.forget(room_id);
            }
        }
        for (room_id, update) in &response.rooms.joined {
            let Some(room) = client.get_room(room_id) else {
                continue;
            };
            if update.timeline.limited
                && let (Some(from), Some(to)) = (&update.timeline.prev_batch, since)
            {
                let gap = Job::Gap {
                    from: from.clone(),
                    to: to.to_owned(),
                    received,
                };
                self.enqueue(&room, gap);
            }
            for event in &update.timeline.events {
                match self.look_at(&room, event, received) {
                    Some(Seen::Job(job)) => self.enqueue(&room, self.begin_taking(job)),
                    Some(Seen::Encrypted(event, incoming)) => {
                        self.spawn_await_key(room.clone(), event, incoming)
                    }
                    None => {}
                }
            }
        }
    }

    /// What `event` asks of Vigie, if anything.
    fn look_at(&self, room: &Room, event: &TimelineEvent, received: Instant) -> Option<Seen> {
        let raw = event.raw();
        if event.kind.is_utd() {
            let event: OriginalSyncRoomEncryptedEvent = raw.deserialize_as_unchecked().ok()?;
            if !self.listens_to(room, &event.sender, event.origin_server_ts) {
                return None;
            }
            let thread = match &event.content.relates_to {
                Some(encrypted::Relation::Replacement(_)) => return None,
                Some(encrypted::Relation::Thread(thread)) => Some(thread.event_id.clone()),
                _ => None,
            };
            let incoming = Incoming {
                event_id: event.event_id.clone(),
                sender: event.sender.clone(),
                thread,
                received,
                taking: None,
            };
            return Some(Seen::Encrypted(raw.clone().cast_unchecked(), incoming));
        }
        match raw.get_field::<String>("type").ok()??.as_str() {
            "m.room.message" => {}
            "m.reaction" => {
                let reaction: OriginalSyncReactionEvent = raw.deserialize_as_unchecked().ok()?;
                if !self.listens_to(room, &reaction.sender, reaction.origin_server_ts) {
                    return None;
                }
                return react::claim(&reaction, received).map(|r| Seen::Job(Job::Reaction(r)));
            }
            kind if super::poll::is_response(kind) => {
                let response = super::poll::response(event)?;
                let listened = self.listens_to(room, &response.sender, response.sent);
                return listened.then_some(Seen::Job(Job::PollResponse(response)));
            }
            _ => return None,
        }
        let message: OriginalSyncRoomMessageEvent = raw.deserialize_as_unchecked().ok()?;
        if !self.listens_to(room, &message.sender, message.origin_server_ts) {
            return None;
        }
        self.command(room, &message, received).map(Seen::Job)
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
    /// body starts with the prefix or a slash, or any text message in a direct chat with Vigie.
    fn command(&self, room: &Room, event: &OriginalSyncRoomMessageEvent, received: Instant) -> Option<Job> {
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
        let line = policy::command_line(body, self.0.chat.prefix()).or_else(|| {
            // In a direct chat everything said is for Vigie: the prefix is optional.
            let line = body.trim();
            (dm::is_listed_direct_with(room, &event.sender) && !line.is_empty()).then_some(line)
        })?;
        Some(Job::Command {
            incoming: Incoming {
                event_id: event.event_id.clone(),
                sender: event.sender.clone(),
                thread,
                received,
                taking: None,
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
                match job {
                    Job::Gap { from, to, received } => bot.fill_gap(&room, from, to, received).await,
                    job => bot.run(&room, job).await,
                }
            }
        });
        sender
    }

    /// Fetches the events a sync left out of the room's timeline and acts on them in order.
    async fn fill_gap(&self, room: &Room, from: String, to: String, received: Instant) {
        let mut events = Vec::new();
        let mut from = Some(from);
        while let Some(token) = from.take() {
            let mut options = MessagesOptions::backward().from(token.as_str());
            options.to = Some(to.clone());
            options.limit = UInt::from(100u32);
            let page = match room.messages(options).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!(
                        room = %room.room_id(),
                        error = format!("{e:#}"),
                        "a gap in the room's timeline cannot be fetched; commands in it are lost"
                    );
                    break;
                }
            };
            if page.chunk.is_empty() {
                break;
            }
            events.extend(page.chunk);
            if events.len() >= MAX_GAP {
                tracing::warn!(
                    room = %room.room_id(),
                    kept = events.len(),
                    "a gap in the room's timeline is too long; older events are skipped"
                );
                break;
            }
            from = page.end;
        }
        tracing::debug!(
            room = %room.room_id(),
            events = events.len(),
            waited_us = micros(received.elapsed()),
            "filled a gap in the room's timeline"
        );
        // Vigie receives these events now, from the room's history: their latency starts here
        // (the time the homeserver took to give them is logged above as `waited_us`).
        let received = Instant::now();
        let mut jobs = Vec::new();
        for event in events.iter().rev() {
            match self.look_at(room, event, received) {
                Some(Seen::Job(job)) => jobs.push(self.begin_taking(job)),
                Some(Seen::Encrypted(event, incoming)) => self.spawn_await_key(room.clone(), event, incoming),
                None => {}
            }
        }
        for job in jobs {
            // Like the room's queue, the gap's commands stop being answered when Vigie stops.
            if self.0.stop.is_cancelled() {
                break;
            }
            self.run(room, job).await;
        }
    }

    /// `job` with its command's event id on its way to the event log: the ids of a sync (or of
    /// a gap) are recorded together, while the room's earlier commands run, instead of one by
    /// one as each command's turn comes. A command that never gets its turn (Vigie stopping)
    /// stays recorded and unanswered, as one would that Vigie stopped in the middle of.
    fn begin_taking(&self, mut job: Job) -> Job {
        if let Job::Command { incoming, .. } = &mut job {
            incoming.taking = Some(self.0.events.begin(incoming.event_id.as_str()));
        }
        job
    }

    /// Runs one job of a room's queue, once per event, and hands the reply over to be sent.
    async fn run(&self, room: &Room, job: Job) {
        let (mut incoming, line) = match job {
            Job::Command { incoming, line } => (incoming, Some(line)),
            Job::Undecryptable(incoming) => (incoming, None),
            Job::Reaction(reaction) => return react::answer(self, room, reaction).await,
            Job::PollResponse(response) => return super::poll::answer(&self.0.chat, &response).await,
            Job::Gap { .. } => return,
        };
        // Where the latency goes, logged with each answer: waiting in the room's queue, recording
        // the event, looking up the caller, running the command.
        let started = Instant::now();
        let queued_us = micros(started.duration_since(incoming.received));
        let first = match incoming.taking.take() {
            Some(taking) => taking.taken().await,
            None => self.0.events.take(incoming.event_id.as_str()).await,
        };
        let record_us = micros(started.elapsed());
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
        let looking_up = Instant::now();
        let caller = self.caller(room, &incoming.sender).await;
        let caller_us = micros(looking_up.elapsed());
        let handling = Instant::now();
        let mut image = None;
        let (command, content) = match line {
            Some(line) => {
                let mut reply = self.0.chat.handle(&caller, &line).await;
                if let Some(redaction) = reply.redact_command.take()
                    && !super::redact::redact_command(room, &incoming.event_id, &redaction.reason).await
                {
                    reply.markdown.push_str("\n\n");
                    reply.markdown.push_str(&redaction.unremoved);
                }
                image = reply.image;
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
        let handle_us = micros(handling.elapsed());
        // Replies are handed over in the order of the commands, then sent side by side: a reply
        // does not wait for the one before it to reach the homeserver. How many are in flight at
        // once is bounded by the send slots (see `session::SEND_SLOTS`).
        let latency_us = micros(incoming.received.elapsed());
        // A transaction id tied to the command: if the send is retried, the homeserver keeps one.
        let txn = OwnedTransactionId::from(format!(
            "vigie-{}",
            incoming.event_id.as_str().trim_start_matches('$')
        ));
        // A poll the command asked or closed is posted or ended in the room. Only `poll` and
        // `award close` start or end one, so other commands skip the lookup (the poll tick
        // settles anything else within seconds).
        if matches!(command.as_str(), "poll" | "award") {
            super::poll::settle_room(&self.0.chat, room).await;
        }
        let room = room.clone();
        let sends = self.0.sends.clone();
        self.0.tasks.spawn(async move {
            let sending = Instant::now();
            // Held for the text and its picture; the semaphore is never closed.
            let _slot = sends.acquire_owned().await.ok();
            let sent = room.send(content).with_transaction_id(txn).await;
            let send_us = micros(sending.elapsed());
            match sent {
                Ok(_) => {
                    tracing::debug!(
                        command,
                        latency_us,
                        queued_us,
                        record_us,
                        caller_us,
                        handle_us,
                        send_us,
                        room = %room.room_id(),
                        "command answered"
                    )
                }
                Err(e) => tracing::warn!(
                    command,
                    room = %room.room_id(),
                    event = %incoming.event_id,
                    error = format!("{e:#}"),
                    "the reply could not be sent"
                ),
            }
            // The picture follows its text, in the same place.
            if let Some(image) = image {
                let txn = OwnedTransactionId::from(format!(
                    "vigie-image-{}",
                    incoming.event_id.as_str().trim_start_matches('$')
                ));
                let name = image.name.clone();
                if let Err(e) = send_image(&room, image, Some(incoming.event_id.clone()), Some(txn)).await {
                    tracing::warn!(
                        command,
                        image = name,
                        room = %room.room_id(),
                        event = %incoming.event_id,
                        error = format!("{e:#}"),
                        "the reply's image could not be sent"
                    );
                }
            }
        });
    }

    /// The command layer.
    pub(super) fn chat(&self) -> &Chat {
        &self.0.chat
    }

    /// Who `user` is in `room`, for the command layer (power levels included).
    pub(super) async fn caller(&self, room: &Room, user: &UserId) -> Caller {
        let direct = self.0.callers.is_direct_with(room, user).await;
        let room_admin = match self.0.callers.power_level(room, user).await {
            // Whoever shares a direct chat with Vigie has its power there (the preset gives the
            // invited person the creator's level): that makes nobody an admin.
            Ok(_) if direct => false,
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
            direct,
        }
    }
}

/// Whether a sync's update of a joined room changes its state (power levels, members…): in its
/// state section or as a state event in its timeline.
fn changes_state(update: &JoinedRoomUpdate) -> bool {
    let (State::Before(state) | State::After(state)) = &update.state;
    !state.is_empty()
        || update.timeline.events.iter().any(|event| {
            event
                .raw()
                .get_field::<String>("state_key")
                .ok()
                .flatten()
                .is_some()
        })
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
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

/// Posts `image` in `room` as an `m.image` with its width, height and size, and its alt text as
/// the caption, mentioning nobody; as a reply to `in_reply_to` (in its thread, if it is in one)
/// when given. The SDK uploads the file, encrypted in an encrypted room. `txn` makes a retried
/// send post the picture once.
pub async fn send_image(
    room: &Room,
    image: Image,
    in_reply_to: Option<OwnedEventId>,
    txn: Option<OwnedTransactionId>,
) -> anyhow::Result<OwnedEventId> {
    use anyhow::Context as _;
    use matrix_sdk::attachment::{AttachmentConfig, AttachmentInfo, BaseImageInfo};
    use matrix_sdk::room::reply::{EnforceThread, Reply as ReplyTo};
    use matrix_sdk::ruma::events::room::message::{AddMentions, TextMessageEventContent};

    let (width, height) = crate::chart::png_size(&image.png)
        .with_context(|| format!("the image {} is not a PNG", image.name))?;
    let info = BaseImageInfo {
        width: Some(UInt::from(width)),
        height: Some(UInt::from(height)),
        size: UInt::new(image.png.len() as u64),
        blurhash: None,
        is_animated: Some(false),
    };
    let reply = in_reply_to.map(|event_id| ReplyTo {
        event_id,
        enforce_thread: EnforceThread::MaybeThreaded,
        add_mentions: AddMentions::No,
    });
    let caption = (!image.alt.is_empty()).then(|| TextMessageEventContent::plain(image.alt.as_str()));
    let mut config = AttachmentConfig::new()
        .info(AttachmentInfo::Image(info))
        .mentions(Some(Mentions::new()))
        .caption(caption)
        .reply(reply);
    if let Some(txn) = txn {
        config = config.txn_id(txn);
    }
    let sent = room
        .send_attachment(image.name.as_str(), &mime::IMAGE_PNG, image.png, config)
        .await
        .with_context(|| {
            format!(
                "the image {} could not be posted in {}",
                image.name,
                room.room_id()
            )
        })?;
    Ok(sent.event_id)
}
