//! A fake Discord on 127.0.0.1 for the tests: the REST API under `/api/v10` and the websocket
//! gateway at `/ws`, enough of both for the unmodified serenity client to run a bot against it.
//!
//! The fake encodes our own understanding of Discord, so it is checked against an independent
//! source: every request body it receives and every response body it answers is validated
//! against Discord's official OpenAPI description ([`crate::discord_openapi`]), and whatever does
//! not validate is kept in [`FakeDiscord::violations`] (a test ends by asserting there are none).
//! Gateway payloads are not in that description: they are modelled on serenity's model types.
//!
//! A request the fake cannot serve gets a Discord-shaped error and a recorded violation, never a
//! panic: only the test-facing helpers panic, with a message saying what was awaited.

// Test support: each end-to-end test uses a part of it.
#![allow(dead_code)]

mod gateway;
mod interaction;
mod model;
mod resource;
mod rest;
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

pub use model::{ADMIN_PERMISSIONS, MEMBER_PERMISSIONS};

/// One REST request the fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Without `/api/v10` and without the query.
    pub path: String,
    /// The JSON body (for a multipart request, its `payload_json`); `Null` if none.
    pub body: Value,
    /// The query string, if any (`wait=true`).
    pub query: Option<String>,
    /// The files of a multipart request.
    pub files: Vec<File>,
    /// The status the fake answered.
    pub status: u16,
}

/// A file uploaded with a multipart request.
#[derive(Clone, Debug)]
pub struct File {
    /// The form field (`files[0]`).
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The fake Discord. Dropping it stops its server.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// What the server's tasks and the test share.
pub(crate) struct Shared {
    port: u16,
    state: Mutex<State>,
    /// Woken whenever the state changes, for the waits of the test.
    changed: Notify,
}

/// A failure the test asked for: the next `remaining` requests matching get `status`.
struct Failure {
    method: String,
    path_prefix: String,
    status: u16,
    remaining: usize,
}

/// An interaction sent to the bot, to check how it is answered.
struct Interaction {
    token: String,
    channel_id: u64,
    /// The message a component interaction came from.
    message_id: Option<u64>,
    /// When it went down the websocket (answers are due within the deadline from then).
    sent_at: Instant,
    acknowledged: bool,
}

#[derive(Default)]
struct State {
    counter: u64,
    requests: Vec<Recorded>,
    /// Indices of requests already handed to `wait_for_request`.
    taken: HashSet<usize>,
    violations: Vec<String>,
    failures: Vec<Failure>,
    /// Guild text channels and DM channels, by id.
    channels: BTreeMap<u64, Value>,
    dm_channels: HashMap<u64, u64>,
    messages: BTreeMap<u64, Vec<Value>>,
    /// (poll message, answer id) → the users who chose it, in id order (as Discord pages them).
    poll_votes: BTreeMap<(u64, u64), std::collections::BTreeSet<u64>>,
    /// (channel, nonce) → (when, message id), for `enforce_nonce`.
    nonces: HashMap<(u64, String), (Instant, u64)>,
    global_commands: Vec<Value>,
    guild_commands: Vec<Value>,
    interactions: HashMap<u64, Interaction>,
    responses: HashMap<u64, Vec<Value>>,
    /// Interaction token → the original response message.
    originals: HashMap<String, Value>,
    followups: HashMap<String, Vec<Value>>,
    permissions: HashMap<u64, u64>,
    ack_deadline: Option<Duration>,
    /// The gateway's address, `ws://127.0.0.1:PORT/ws`.
    ws_url: String,
    gateway: gateway::Gateway,
}

impl State {
    fn next_id(&mut self) -> u64 {
        self.counter += 1;
        model::snowflake(self.counter)
    }

    fn violation(&mut self, text: String) {
        self.violations.push(text);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not hide its own message behind a
        // poisoning one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `check` finds something, or panics after `timeout` saying it waited for `what`.
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: impl FnOnce() -> String,
        mut check: impl FnMut(&mut State) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&mut self.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let state = self.lock();
                let seen: Vec<String> = state
                    .requests
                    .iter()
                    .map(|r| format!("  {} {} → {}", r.method, r.path, r.status))
                    .collect();
                panic!(
                    "the fake Discord waited {timeout:?} for {}; it received:\n{}\nviolations: {:?}",
                    what(),
                    seen.join("\n"),
                    state.violations
                );
            }
        }
    }
}

impl FakeDiscord {
    pub const APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
    pub const GUILD_ID: u64 = 1_100_000_000_000_000_002;
    pub const CHANNEL_ID: u64 = 1_100_000_000_000_000_003;
    pub const BOT_USER_ID: u64 = 1_100_000_000_000_000_004;
    /// A bot token of Discord's shape (base64 user id, timestamp, HMAC), which the fake accepts
    /// as `Authorization: Bot <TOKEN>` and in the gateway's IDENTIFY.
    pub const TOKEN: &'static str =
        "MTEwMDAwMDAwMDAwMDAwMDAwNA.GfAkEd.VmlnaWUtZmFrZS1kaXNjb3JkLXRva2VuLTAwMQ";
    /// How long Discord gives a bot to answer an interaction.
    pub const ACK_DEADLINE: Duration = Duration::from_secs(3);
    /// The name of [`Self::CHANNEL_ID`].
    pub const CHANNEL_NAME: &'static str = "open-government";

    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let port = listener.local_addr().expect("the fake's address").port();
        let mut state = State {
            ack_deadline: Some(Self::ACK_DEADLINE),
            ws_url: format!("ws://127.0.0.1:{port}/ws"),
            ..State::default()
        };
        state.channels.insert(
            Self::CHANNEL_ID,
            model::guild_channel(Self::CHANNEL_ID, Self::CHANNEL_NAME),
        );
        let shared = Arc::new(Shared {
            port,
            state: Mutex::new(state),
            changed: Notify::new(),
        });
        let app = axum::Router::new()
            .route("/ws", axum::routing::get(gateway::upgrade))
            .fallback(rest::handle)
            .layer(axum::extract::DefaultBodyLimit::max(26 * 1024 * 1024))
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("the fake Discord stopped: {e}");
            }
        });
        FakeDiscord { shared, server }
    }

    /// `http://127.0.0.1:PORT`: what serenity's `HttpBuilder::proxy` gets (with
    /// `ratelimiter_disabled(true)`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.shared.port)
    }

    /// The gateway's address, `ws://127.0.0.1:PORT/ws`.
    pub fn gateway_url(&self) -> String {
        self.shared.lock().ws_url.clone()
    }

    /// Every REST request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }

    /// The earliest request with `method` whose path starts with `path_prefix` that no earlier
    /// call returned, waiting for it if need be: two calls in a row return two requests.
    pub async fn wait_for_request(&self, method: &str, path_prefix: &str, timeout: Duration) -> Recorded {
        self.shared
            .wait_until(
                timeout,
                || format!("a request {method} {path_prefix}…"),
                |state| {
                    let at = state.requests.iter().enumerate().position(|(i, r)| {
                        !state.taken.contains(&i)
                            && r.method.eq_ignore_ascii_case(method)
                            && r.path.starts_with(path_prefix)
                    })?;
                    state.taken.insert(at);
                    Some(state.requests[at].clone())
                },
            )
            .await
    }

    /// Waits until a gateway session is live: READY sent after an IDENTIFY, or RESUMED after a
    /// RESUME, on a connection that is still open.
    pub async fn wait_ready(&self, timeout: Duration) {
        self.shared
            .wait_until(
                timeout,
                || "a gateway session to be ready".to_owned(),
                |state| state.gateway.is_live().then_some(()),
            )
            .await;
    }

    /// How many sessions were started with IDENTIFY, and how many resumed, so far.
    pub fn gateway_sessions(&self) -> (usize, usize) {
        let state = self.shared.lock();
        (state.gateway.identified, state.gateway.resumed)
    }

    /// The `d` of the last IDENTIFY, its token removed.
    pub fn last_identify(&self) -> Option<Value> {
        self.shared.lock().gateway.last_identify.clone()
    }

    /// Sends a DISPATCH (op 0, `t` = `event`, next sequence number) to the session. Without a
    /// session yet, it waits for one (up to 30 s); while the session is disconnected, the event
    /// waits to be replayed when the client resumes, as Discord does.
    pub async fn dispatch(&self, event: &str, data: Value) {
        if !self.shared.lock().gateway.has_session() {
            self.shared
                .wait_until(
                    Duration::from_secs(30),
                    || format!("a gateway session to dispatch {event} to"),
                    |state| state.gateway.has_session().then_some(()),
                )
                .await;
        }
        let mut state = self.shared.lock();
        if let Some(problem) = serenity_problem(event, &data) {
            state.violation(problem);
        }
        if event == "INTERACTION_CREATE"
            && let Some(id) = rest::snowflake_of(&data["id"])
            && let Some(token) = data["token"].as_str()
        {
            // From now on its answers are accepted, within the deadline.
            state.interactions.insert(
                id,
                Interaction {
                    token: token.to_owned(),
                    channel_id: rest::snowflake_of(&data["channel_id"]).unwrap_or(Self::CHANNEL_ID),
                    message_id: rest::snowflake_of(&data["message"]["id"]),
                    sent_at: Instant::now(),
                    acknowledged: false,
                },
            );
        }
        state.gateway.dispatch(event, data);
    }

    /// `user_id` chooses answer `answer_id` of the poll of message `message_id` (or, `added`
    /// false, takes it back), as Discord records it, without telling the bot: what happens while
    /// it is stopped.
    pub fn set_poll_vote(&self, user_id: u64, message_id: u64, answer_id: u64, added: bool) {
        let mut state = self.shared.lock();
        let voters = state.poll_votes.entry((message_id, answer_id)).or_default();
        if added {
            voters.insert(user_id);
        } else {
            voters.remove(&user_id);
        }
    }

    /// `user_id` chooses answer `answer_id` of the poll of message `message_id` in the channel
    /// (or, `added` false, takes it back), and the gateway tells the bot with
    /// MESSAGE_POLL_VOTE_ADD or MESSAGE_POLL_VOTE_REMOVE, as Discord does.
    pub async fn poll_vote(
        &self,
        user_id: u64,
        channel_id: u64,
        message_id: u64,
        answer_id: u64,
        added: bool,
    ) {
        self.set_poll_vote(user_id, message_id, answer_id, added);
        let event = if added {
            "MESSAGE_POLL_VOTE_ADD"
        } else {
            "MESSAGE_POLL_VOTE_REMOVE"
        };
        let data = json!({
            "user_id": user_id.to_string(),
            "channel_id": channel_id.to_string(),
            "message_id": message_id.to_string(),
            "guild_id": Self::GUILD_ID.to_string(),
            "answer_id": answer_id,
        });
        self.dispatch(event, data).await;
    }

    /// Closes the websocket abruptly (no close frame): the client must reconnect, with RESUME
    /// (session id and sequence → missed events, then RESUMED) or a fresh IDENTIFY.
    pub async fn drop_gateway(&self) {
        self.shared.lock().gateway.drop_connection();
        self.shared.changed.notify_waiters();
    }

    /// Every request and response body that did not validate against Discord's OpenAPI
    /// description (operation, JSON pointer, error), every route the fake does not serve, and
    /// every interaction answered late.
    pub fn violations(&self) -> Vec<String> {
        self.shared.lock().violations.clone()
    }

    /// The next `times` requests with `method` whose path starts with `path_prefix` are answered
    /// `status` with Discord's error body for it (429: `retry_after` 0.2 s, not global, with the
    /// rate-limit headers).
    pub fn fail_next(&self, method: &str, path_prefix: &str, status: u16, times: usize) {
        self.shared.lock().failures.push(Failure {
            method: method.to_uppercase(),
            path_prefix: path_prefix.to_owned(),
            status,
            remaining: times,
        });
    }

    /// The channel permissions interactions give `user_id` (by default [`ADMIN_PERMISSIONS`]).
    pub fn set_permissions(&self, user_id: u64, permissions: u64) {
        self.shared.lock().permissions.insert(user_id, permissions);
    }

    /// How late an interaction may be answered before it is a violation (Discord: 3 s); `None`
    /// for no limit.
    pub fn set_ack_deadline(&self, deadline: Option<Duration>) {
        self.shared.lock().ack_deadline = deadline;
    }

    /// Dispatches `INTERACTION_CREATE` with `interaction`, and from then on accepts its answers.
    pub async fn send_interaction(&self, interaction: Value) {
        assert!(
            rest::snowflake_of(&interaction["id"]).is_some() && interaction["token"].is_string(),
            "an interaction has an id and a token: {interaction}"
        );
        self.dispatch("INTERACTION_CREATE", interaction).await;
    }

    /// Every body POSTed to `/interactions/{interaction_id}/{token}/callback`, in order (a
    /// second one was refused, as Discord refuses it).
    pub fn interaction_responses(&self, interaction_id: u64) -> Vec<Value> {
        self.shared
            .lock()
            .responses
            .get(&interaction_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The first answer to an interaction, waiting for it.
    pub async fn wait_interaction_response(&self, interaction_id: u64, timeout: Duration) -> Value {
        self.shared
            .wait_until(
                timeout,
                || format!("an answer to interaction {interaction_id}"),
                |state| {
                    state
                        .responses
                        .get(&interaction_id)
                        .and_then(|r| r.first().cloned())
                },
            )
            .await
    }

    /// The messages in a channel (created with `POST /channels/{id}/messages`, as edited since),
    /// oldest first.
    pub fn messages(&self, channel_id: u64) -> Vec<Value> {
        self.shared
            .lock()
            .messages
            .get(&channel_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until the channel has at least `count` messages, and returns them all.
    pub async fn wait_messages(&self, channel_id: u64, count: usize, timeout: Duration) -> Vec<Value> {
        self.shared
            .wait_until(
                timeout,
                || format!("{count} message(s) in channel {channel_id}"),
                |state| {
                    state
                        .messages
                        .get(&channel_id)
                        .filter(|m| m.len() >= count)
                        .cloned()
                },
            )
            .await
    }

    /// The follow-up messages sent with an interaction's token (`POST /webhooks/{app}/{token}`).
    pub fn followups(&self, token: &str) -> Vec<Value> {
        self.shared
            .lock()
            .followups
            .get(token)
            .cloned()
            .unwrap_or_default()
    }

    /// The original response to an interaction, as created and edited since.
    pub fn original(&self, token: &str) -> Option<Value> {
        self.shared.lock().originals.get(token).cloned()
    }

    /// The DM channel the bot opened with `user_id`, if it did.
    pub fn dm_channel(&self, user_id: u64) -> Option<u64> {
        self.shared.lock().dm_channels.get(&user_id).copied()
    }

    /// The application commands registered in the guild, as Discord stores them.
    pub fn guild_commands(&self) -> Vec<Value> {
        self.shared.lock().guild_commands.clone()
    }

    /// The global application commands, as Discord stores them.
    pub fn global_commands(&self) -> Vec<Value> {
        self.shared.lock().global_commands.clone()
    }
}

/// Why serenity 0.12.5 would not hand the dispatch `event` with `data` to the bot: a payload it
/// cannot parse is dropped by the client without a word, so the fake says it instead.
pub(crate) fn serenity_problem(event: &str, data: &Value) -> Option<String> {
    use serenity::model::event::{Event, GatewayEvent};
    if event == "INTERACTION_CREATE"
        && let Err(e) = serde_json::from_value::<serenity::model::application::Interaction>(data.clone())
    {
        return Some(format!(
            "gateway: serenity 0.12.5 cannot parse this interaction: {e}"
        ));
    }
    let payload = json!({"op": 0, "t": event, "s": 1, "d": data});
    match serde_json::from_value::<GatewayEvent>(payload) {
        Err(e) => Some(format!("gateway: serenity 0.12.5 cannot parse this {event}: {e}")),
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => Some(format!(
            "gateway: serenity 0.12.5 reads this {event} as an event it does not know"
        )),
        Ok(_) => None,
    }
}

/// Discord's error body for `status`, and its code, for a request on `path`.
pub(crate) fn error_body(status: u16, path: &str) -> Value {
    let (code, message) = match status {
        400 => (50035, "Invalid Form Body"),
        401 => (0, "401: Unauthorized"),
        403 => (50013, "Missing Permissions"),
        404 if path.starts_with("/interactions/") => (10062, "Unknown interaction"),
        404 if path.starts_with("/webhooks/") && path.contains("/messages/") => (10008, "Unknown Message"),
        404 if path.starts_with("/webhooks/") => (10015, "Unknown Webhook"),
        404 if path.starts_with("/channels/") && path.contains("/messages/") => (10008, "Unknown Message"),
        404 if path.starts_with("/channels/") => (10003, "Unknown Channel"),
        404 => (0, "404: Not Found"),
        405 => (0, "405: Method Not Allowed"),
        429 => (0, "You are being rate limited."),
        500 => (0, "500: Internal Server Error"),
        502 => (0, "502: Bad Gateway"),
        _ => (0, "Error"),
    };
    let mut body = json!({"message": message, "code": code});
    if status == 429 {
        body["retry_after"] = json!(rest::RETRY_AFTER_SECONDS);
        body["global"] = json!(false);
    }
    body
}

/// Keeps the mpsc type in one place: what a gateway connection is told to do.
pub(crate) type Outbox = mpsc::UnboundedSender<gateway::Outbound>;
