//! The fake's websocket gateway: HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeats and their
//! ACKs, RESUME → missed dispatches then RESUMED, sequence numbers increasing across a session.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::{FakeDiscord, Outbox, Shared, State as FakeState, model};

/// Shorter than Discord's 41.25 s so that tests see heartbeats and their ACKs.
const HEARTBEAT_INTERVAL_MS: u64 = 5_000;

/// What a connection is told to do by the rest of the fake.
pub(crate) enum Outbound {
    Text(String),
    /// A close frame with a gateway close code, then the end of the connection.
    Close(u16, &'static str),
    /// The end of the connection without a close frame, as when a network drops.
    Drop,
}

/// The session and the connection currently carrying it.
#[derive(Default)]
pub(crate) struct Gateway {
    connections: u64,
    session_id: Option<String>,
    seq: u64,
    /// Every dispatch of the session (sequence, payload, interaction id), for RESUME to replay
    /// the missed ones.
    history: Vec<(u64, String, Option<u64>)>,
    /// The connection the session is live on, after READY or RESUMED.
    live: Option<(u64, Outbox)>,
    pub identified: usize,
    pub resumed: usize,
    pub heartbeats: usize,
    /// The `d` of the last IDENTIFY, token removed.
    pub last_identify: Option<Value>,
}

impl Gateway {
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    pub fn has_session(&self) -> bool {
        self.session_id.is_some()
    }

    /// Numbers and sends a dispatch, or keeps it for a RESUME if the session is disconnected.
    pub fn dispatch(&mut self, event: &str, data: Value) {
        self.seq += 1;
        let interaction = (event == "INTERACTION_CREATE")
            .then(|| super::rest::snowflake_of(&data["id"]))
            .flatten();
        let payload = json!({"op": 0, "t": event, "s": self.seq, "d": data}).to_string();
        self.history.push((self.seq, payload.clone(), interaction));
        if let Some((_, outbox)) = &self.live
            && outbox.send(Outbound::Text(payload)).is_err()
        {
            self.live = None;
        }
    }

    pub fn drop_connection(&mut self) {
        if let Some((_, outbox)) = self.live.take() {
            // The connection may have ended already: then there is nothing to drop.
            let _ = outbox.send(Outbound::Drop);
        }
    }
}

pub(crate) async fn upgrade(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| connection(shared, socket))
}

async fn connection(shared: Arc<Shared>, mut socket: WebSocket) {
    let (outbox, mut inbox) = mpsc::unbounded_channel();
    let id = {
        let mut state = shared.lock();
        state.gateway.connections += 1;
        state.gateway.connections
    };
    let hello = json!({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": null, "t": null});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    receive(&mut shared.lock(), id, &outbox, text.as_str());
                    shared.changed.notify_waiters();
                }
                Some(Ok(Message::Binary(_))) => {
                    shared.lock().violation(
                        "gateway: the client sent a binary frame (Discord expects JSON text)".into(),
                    );
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            Some(out) = inbox.recv() => match out {
                Outbound::Text(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Outbound::Close(code, reason) => {
                    let frame = CloseFrame { code, reason: reason.into() };
                    // The client may be gone already; the connection ends either way.
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
                Outbound::Drop => break,
            },
        }
    }
    drop(socket);
    let mut state = shared.lock();
    if state.gateway.live.as_ref().is_some_and(|(c, _)| *c == id) {
        state.gateway.live = None;
    }
    drop(state);
    shared.changed.notify_waiters();
}

/// Handles one payload from the client.
fn receive(state: &mut FakeState, connection: u64, outbox: &Outbox, text: &str) {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        state.violation(format!(
            "gateway: the client sent something that is not JSON: {text:.200}"
        ));
        let _ = outbox.send(Outbound::Close(4002, "Error while decoding payload."));
        return;
    };
    let data = &payload["d"];
    match payload["op"].as_u64() {
        Some(1) => {
            state.gateway.heartbeats += 1;
            let _ = outbox.send(Outbound::Text(
                json!({"op": 11, "s": null, "t": null, "d": null}).to_string(),
            ));
        }
        Some(2) => identify(state, connection, outbox, data),
        Some(6) => resume(state, connection, outbox, data),
        // Presence updates, voice state updates and member requests change nothing here.
        Some(3 | 4 | 8 | 31) => {}
        other => {
            state.violation(format!("gateway: unknown opcode {other:?} in {text:.200}"));
            let _ = outbox.send(Outbound::Close(4001, "Unknown opcode."));
        }
    }
}

fn token_is_good(data: &Value) -> bool {
    data["token"]
        .as_str()
        .is_some_and(|t| t.trim_start_matches("Bot ") == FakeDiscord::TOKEN)
}

fn identify(state: &mut FakeState, connection: u64, outbox: &Outbox, data: &Value) {
    if !token_is_good(data) {
        state.violation("gateway: IDENTIFY with a token the fake does not know".into());
        let _ = outbox.send(Outbound::Close(4004, "Authentication failed."));
        return;
    }
    if state.gateway.live.as_ref().is_some_and(|(c, _)| *c == connection) {
        let _ = outbox.send(Outbound::Close(4005, "Already authenticated."));
        return;
    }
    for required in ["properties", "intents"] {
        if data.get(required).is_none() {
            state.violation(format!("gateway: IDENTIFY without {required}"));
        }
    }
    let mut identify = data.clone();
    if let Some(fields) = identify.as_object_mut() {
        fields.remove("token");
    }
    state.gateway.last_identify = Some(identify);
    state.counter += 1;
    let session_id = format!("{:032x}", model::snowflake(state.counter));
    let gateway = &mut state.gateway;
    gateway.identified += 1;
    gateway.session_id = Some(session_id.clone());
    gateway.seq = 0;
    gateway.history.clear();
    gateway.live = Some((connection, outbox.clone()));
    let resume_url = state.ws_url.clone();
    let channels: Vec<Value> = state
        .channels
        .values()
        .filter(|c| c["type"] == 0)
        .cloned()
        .collect();
    state
        .gateway
        .dispatch("READY", model::ready(&session_id, &resume_url));
    state
        .gateway
        .dispatch("GUILD_CREATE", model::guild_create(&channels));
}

fn resume(state: &mut FakeState, connection: u64, outbox: &Outbox, data: &Value) {
    let gateway = &mut state.gateway;
    let known = gateway.session_id.is_some() && data["session_id"].as_str() == gateway.session_id.as_deref();
    if !token_is_good(data) || !known {
        // Not resumable: the client must IDENTIFY again.
        let _ = outbox.send(Outbound::Text(
            json!({"op": 9, "d": false, "s": null, "t": null}).to_string(),
        ));
        return;
    }
    let from = data["seq"].as_u64().unwrap_or(0);
    let mut replayed = Vec::new();
    for (seq, payload, interaction) in &gateway.history {
        if *seq > from {
            let _ = outbox.send(Outbound::Text(payload.clone()));
            replayed.extend(*interaction);
        }
    }
    gateway.live = Some((connection, outbox.clone()));
    gateway.resumed += 1;
    gateway.dispatch("RESUMED", json!({}));
    // The bot's time to answer counts from when it could see the interaction.
    for id in replayed {
        if let Some(interaction) = state.interactions.get_mut(&id) {
            interaction.sent_at = std::time::Instant::now();
        }
    }
}
