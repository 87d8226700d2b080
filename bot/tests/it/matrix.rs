//! Vigie on Matrix, end to end: the real `vigie` binary (`vigie run` with a `[matrix]` section)
//! on a real Synapse, driven by people who are matrix-sdk clients doing what a person does:
//! create rooms (encrypted or not), invite Vigie, type commands, read the replies.
//!
//! Every wait is on a condition with a deadline; replies are recognised by their relation to the
//! command event, and checked on stable facts (a notice, a window id, who claimed a window, a
//! French word), not on whole sentences.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::account::register;
use matrix_sdk::ruma::api::client::keys::get_keys;
use matrix_sdk::ruma::api::client::message::send_message_event;
use matrix_sdk::ruma::api::client::room::create_room;
use matrix_sdk::ruma::api::client::uiaa;
use matrix_sdk::ruma::events::relation::Thread;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
};
use matrix_sdk::ruma::events::{InitialStateEvent, MessageLikeEventType};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, TransactionId, UserId};
use matrix_sdk::{Client, Room, RoomMemberships, RoomState};
use serde_json::Value;

use crate::synapse::{PASSWORD, Synapse};

/// How long any one condition may take to come true.
const DEADLINE: Duration = Duration::from_secs(60);
/// How often a condition is looked at again.
const POLL: Duration = Duration::from_millis(100);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn vigie_answers_in_an_encrypted_room_and_comes_back_as_the_same_device_after_a_kill() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let peer = Person::new(synapse, "peer").await;
    let other = Person::new(synapse, "other").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), synapse, &bot, &[peer.id.as_str()]);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;

    let room = peer.create_room(true, &[&bot, other.id.as_str()]).await;
    other.join(&room).await;
    peer.sees_member(&vigie, &room, &bot, RoomState::Joined).await;
    let mut commands = Vec::new();

    // `windows` lists windows once Vigie has evaluated them (it may just be starting).
    let (command, reply) = vigie
        .eventually("a list of windows with an id", || async {
            let command = peer.say(&room, "!vigie windows").await;
            let reply = peer.reply_to(&vigie, &room, &command, &bot).await;
            window_id(reply.body()).map(|_| (command, reply))
        })
        .await;
    commands.push(command.clone());
    assert_eq!(reply.msgtype(), "m.notice", "{reply:?}");
    assert_eq!(reply.content()["format"], "org.matrix.custom.html", "{reply:?}");
    assert!(
        reply.content()["formatted_body"]
            .as_str()
            .is_some_and(|h| h.contains("<code>")),
        "{reply:?}"
    );
    assert_eq!(
        reply.content()["m.mentions"],
        serde_json::json!({"user_ids": [peer.id.as_str()]})
    );
    assert!(
        reply.event["type"] == "m.room.message" && reply.encrypted,
        "the reply is encrypted: {reply:?}"
    );
    let id = window_id(reply.body()).unwrap();

    let claim = peer.say(&room, &format!("!vigie window claim {id}")).await;
    let reply = peer.reply_to(&vigie, &room, &claim, &bot).await;
    assert!(reply.body().contains(&id), "{reply:?}");
    commands.push(claim);

    let subscribe = peer.say(&room, "!vigie subscribe country:KE").await;
    peer.reply_to(&vigie, &room, &subscribe, &bot).await;
    let subscriptions = peer.say(&room, "!vigie subscriptions").await;
    let reply = peer.reply_to(&vigie, &room, &subscriptions, &bot).await;
    assert!(reply.body().contains("KE"), "{reply:?}");
    commands.extend([subscribe, subscriptions]);

    // Bad input: one sentence naming the problem; nothing changes.
    let malformed = peer.say(&room, "!vigie window claim not-a-window").await;
    let reply = peer.reply_to(&vigie, &room, &malformed, &bot).await;
    assert!(
        reply.body().contains("not-a-window") && !reply.body().trim().contains('\n'),
        "{reply:?}"
    );
    commands.push(malformed);

    // A claim is for peers: someone else in the room is refused, and the claim stays the peer's.
    let refused = other.say(&room, &format!("!vigie window claim {id}")).await;
    other.reply_to(&vigie, &room, &refused, &bot).await;
    let show = peer.say(&room, &format!("!vigie window show {id}")).await;
    let reply = peer.reply_to(&vigie, &room, &show, &bot).await;
    assert!(reply.body().contains(peer.id.as_str()), "{reply:?}");
    assert!(!reply.body().contains(other.id.as_str()), "{reply:?}");
    commands.extend([refused, show]);

    let language = peer.say(&room, "!vigie language fr").await;
    peer.reply_to(&vigie, &room, &language, &bot).await;
    let help = peer.say(&room, "!vigie help").await;
    let reply = peer.reply_to(&vigie, &room, &help, &bot).await;
    assert!(reply.body().contains("Commandes"), "help in French: {reply:?}");
    commands.extend([language, help]);

    let devices = peer.devices_of(&bot).await;
    assert_eq!(devices.len(), 1, "{devices:?}");
    vigie.kill();
    drop(vigie);

    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    assert_eq!(
        peer.devices_of(&bot).await,
        devices,
        "Vigie came back as another device"
    );
    let again = peer.say(&room, "!vigie windows").await;
    let reply = peer.reply_to(&vigie, &room, &again, &bot).await;
    assert!(reply.encrypted && window_id(reply.body()).is_some(), "{reply:?}");
    commands.push(again);

    let answered = peer.replies_in_history(&room, &bot).await;
    for command in &commands {
        assert_eq!(
            answered.get(command),
            Some(&1),
            "replies to {command}: {answered:?}"
        );
    }
    assert!(
        answered.values().all(|n| *n == 1),
        "a command was answered twice: {answered:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn vigie_on_an_access_token_declines_strangers_honours_room_creators_and_answers_in_threads() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let localpart = synapse.unique("vigie");
    let bot = synapse.register(&localpart);
    let (token, device) = synapse.login(&localpart);
    let peer = Person::new(synapse, "peer").await;
    let creator = Person::new(synapse, "creator").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), synapse, &bot, &[peer.id.as_str()]);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__ACCESS_TOKEN", &token));
    vigie.listening().await;
    assert_eq!(
        peer.devices_of(&bot).await,
        [device],
        "Vigie uses the device of its token"
    );

    // A stranger's invitation is declined.
    let stranger_room = creator.create_room(false, &[&bot]).await;
    creator
        .sees_member(&vigie, &stranger_room, &bot, RoomState::Left)
        .await;

    // The same stranger's room, when a peer invites Vigie: the creator of a version 12 room has
    // infinite power there, so is an admin of the room and may claim.
    let room = creator.create_room(false, &[peer.id.as_str()]).await;
    peer.join(&room).await;
    peer.client
        .get_room(&room)
        .unwrap()
        .invite_user_by_id(&user(&bot))
        .await
        .unwrap();
    creator.sees_member(&vigie, &room, &bot, RoomState::Joined).await;

    let (_, reply) = vigie
        .eventually("a list of windows with an id", || async {
            let command = creator.say(&room, "/windows").await;
            let reply = creator.reply_to(&vigie, &room, &command, &bot).await;
            window_id(reply.body()).map(|_| (command, reply))
        })
        .await;
    assert!(!reply.encrypted, "{reply:?}");
    let id = window_id(reply.body()).unwrap();
    let claim = creator.say(&room, &format!("/window claim {id}")).await;
    creator.reply_to(&vigie, &room, &claim, &bot).await;
    let show = creator.say(&room, &format!("!vigie window show {id}")).await;
    let reply = creator.reply_to(&vigie, &room, &show, &bot).await;
    assert!(reply.body().contains(creator.id.as_str()), "{reply:?}");

    // A command in a thread is answered in that thread, as a reply to the command.
    let root = creator.say(&room, "Who follows the elections?").await;
    let mut in_thread = RoomMessageEventContent::text_plain("!vigie help");
    in_thread.relates_to = Some(Relation::Thread(Thread::plain(root.clone(), root.clone())));
    let command = creator.send(&room, in_thread).await;
    let reply = creator.reply_to(&vigie, &room, &command, &bot).await;
    let relation = &reply.content()["m.relates_to"];
    assert_eq!(relation["rel_type"], "m.thread", "{reply:?}");
    assert_eq!(relation["event_id"], root.as_str(), "{reply:?}");
    assert_ne!(relation["is_falling_back"], true, "{reply:?}");

    // An encrypted message Vigie cannot decrypt gets one sentence saying so.
    let undecryptable = creator.send_undecryptable(&room).await;
    let reply = creator.reply_to(&vigie, &room, &undecryptable, &bot).await;
    assert!(reply.body().contains("decrypt"), "{reply:?}");
    assert_eq!(reply.msgtype(), "m.notice");

    // Chat, notices and edits are not commands: nothing answers them, and the command sent
    // after them (answered in order) shows they were passed over.
    let chat = creator.say(&room, "windows are nice").await;
    let notice = creator
        .send(&room, RoomMessageEventContent::notice_plain("!vigie windows"))
        .await;
    let edit = creator
        .send(
            &room,
            RoomMessageEventContent::text_plain("!vigie windows").make_replacement(
                matrix_sdk::ruma::events::room::message::ReplacementMetadata::new(chat.clone(), None),
            ),
        )
        .await;
    let last = creator.say(&room, "!vigie help").await;
    creator.reply_to(&vigie, &room, &last, &bot).await;
    let answered = creator.replies_in_history(&room, &bot).await;
    for ignored in [&chat, &notice, &edit] {
        assert_eq!(answered.get(ignored), None, "{answered:?}");
    }
    assert!(answered.values().all(|n| *n == 1), "{answered:?}");
}

/// The first window id (`w-` and twelve hexadecimal digits) in `text`.
fn window_id(text: &str) -> Option<String> {
    text.match_indices("w-").find_map(|(at, _)| {
        let hex = text.get(at + 2..at + 14)?;
        let standalone = !text[at + 14..].starts_with(|c: char| c.is_ascii_alphanumeric());
        (hex.bytes().all(|b| b.is_ascii_hexdigit()) && standalone).then(|| format!("w-{hex}"))
    })
}

fn user(id: &str) -> OwnedUserId {
    UserId::parse(id).expect("a user id")
}

/// Writes Vigie's config.toml into `dir`: its Matrix account on `synapse`, `peers` as peers.
fn write_config(dir: &Path, synapse: &Synapse, bot: &str, peers: &[&str]) {
    let peers: String = peers
        .iter()
        .map(|p| format!("\n[[chat.peers]]\nuser = \"{p}\"\n"))
        .collect();
    let config = format!(
        r#"
[storage]
url = "sqlite:vigie.db"

[log]
# The SDK warns at every sync that it has no key backup to write to; Vigie keeps none.
level = "warn,vigie=info,matrix_sdk_crypto::backups=error"

[server]
enabled = false

[chat]
{peers}
[matrix]
homeserver = "{url}"
user = "{bot}"
store = "matrix-store"

[[feeds]]
name = "parlgov"
kind = "parlgov"
source = "bundled:parlgov"

[[feeds]]
name = "ogp-members"
kind = "members-csv"
source = "bundled:ogp-members.csv"

[[feeds]]
name = "elections"
kind = "events-csv"
source = "bundled:elections.csv"
"#,
        url = synapse.url,
    );
    std::fs::write(dir.join("config.toml"), config).unwrap();
}

/// A running `vigie run`, its logs collected as they come.
struct Vigie {
    child: Mutex<Child>,
    logs: Arc<Mutex<String>>,
}

impl Vigie {
    /// Runs `vigie run` in `dir`, logging in with `login` (`VIGIE_MATRIX__PASSWORD` or
    /// `VIGIE_MATRIX__ACCESS_TOKEN` and its value).
    fn start(dir: &Path, login: (&str, &str)) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vigie"));
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("VIGIE_")) {
            command.env_remove(key);
        }
        let mut child = command
            .arg("run")
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env(login.0, login.1)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vigie starts");
        let logs = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut logs = sink.lock().unwrap();
                logs.push_str(&line);
                logs.push('\n');
            }
        });
        Self {
            child: Mutex::new(child),
            logs,
        }
    }

    fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// Waits until Vigie has caught up with the homeserver and listens for commands.
    async fn listening(&self) {
        self.eventually("Vigie to listen on Matrix", || async {
            self.logs()
                .contains("Matrix: listening for commands")
                .then_some(())
        })
        .await;
    }

    /// Waits until `check` gives a value; on time-out, fails with Vigie's logs.
    async fn eventually<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            let exited = self.exit_status();
            assert!(
                tokio::time::Instant::now() < deadline && exited.is_none(),
                "no {what} after {DEADLINE:?} (vigie exit status: {exited:?}); vigie's logs:\n{}",
                self.logs()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    fn exit_status(&self) -> Option<std::process::ExitStatus> {
        self.child.lock().unwrap().try_wait().ok().flatten()
    }

    /// SIGKILL: no chance to save anything, as in a crash.
    fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Vigie {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A message a person's client received (decrypted when it could be).
#[derive(Debug, Clone)]
struct Seen {
    room: OwnedRoomId,
    event: Value,
    encrypted: bool,
}

impl Seen {
    fn sender(&self) -> &str {
        self.event["sender"].as_str().unwrap_or("")
    }

    fn content(&self) -> &Value {
        &self.event["content"]
    }

    fn body(&self) -> &str {
        self.content()["body"].as_str().unwrap_or("")
    }

    fn msgtype(&self) -> &str {
        self.content()["msgtype"].as_str().unwrap_or("")
    }

    fn in_reply_to(&self) -> Option<&str> {
        in_reply_to(&self.event)
    }
}

/// The event a message replies to, encrypted or not (`m.relates_to` stays in the clear).
fn in_reply_to(event: &Value) -> Option<&str> {
    event["content"]["m.relates_to"]["m.in_reply_to"]["event_id"].as_str()
}

/// A person with a Matrix client that syncs in the background.
struct Person {
    client: Client,
    id: OwnedUserId,
    seen: Arc<Mutex<Vec<Seen>>>,
    sync: tokio::task::JoinHandle<()>,
}

impl Person {
    /// Registers a new user on `synapse` (a name no other test uses) and starts syncing.
    async fn new(synapse: &Synapse, name: &str) -> Person {
        let localpart = synapse.unique(name);
        let client = Client::builder()
            .homeserver_url(&synapse.url)
            .build()
            .await
            .unwrap();
        let mut request = register::v3::Request::new();
        request.username = Some(localpart.clone());
        request.password = Some(PASSWORD.to_owned());
        request.auth = Some(uiaa::AuthData::Dummy(uiaa::Dummy::new()));
        client
            .matrix_auth()
            .register(request)
            .await
            .unwrap_or_else(|e| panic!("registering {localpart}: {e}\n{}", synapse.logs()));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let sink = seen.clone();
        client.add_event_handler(
            move |raw: Raw<OriginalSyncRoomMessageEvent>,
                  room: Room,
                  info: Option<matrix_sdk::deserialized_responses::EncryptionInfo>| {
                let sink = sink.clone();
                async move {
                    if let Ok(event) = raw.deserialize_as_unchecked::<Value>() {
                        sink.lock().unwrap().push(Seen {
                            room: room.room_id().to_owned(),
                            event,
                            encrypted: info.is_some(),
                        });
                    }
                }
            },
        );
        let syncing = client.clone();
        let sync = tokio::spawn(async move {
            loop {
                let settings = SyncSettings::default().timeout(Duration::from_secs(5));
                if syncing.sync_once(settings).await.is_err() {
                    tokio::time::sleep(POLL).await;
                }
            }
        });
        Person {
            id: user(&synapse.user_id(&localpart)),
            client,
            seen,
            sync,
        }
    }

    async fn create_room(&self, encrypted: bool, invite: &[&str]) -> OwnedRoomId {
        let mut request = create_room::v3::Request::new();
        request.invite = invite.iter().map(|u| user(u)).collect();
        request.preset = Some(create_room::v3::RoomPreset::PrivateChat);
        if encrypted {
            request.initial_state = vec![
                InitialStateEvent::with_empty_state_key(
                    RoomEncryptionEventContent::with_recommended_defaults(),
                )
                .to_raw_any(),
            ];
        }
        let room = self
            .client
            .create_room(request)
            .await
            .expect("the room is created");
        room.room_id().to_owned()
    }

    async fn join(&self, room: &OwnedRoomId) {
        self.client
            .join_room_by_id(room)
            .await
            .expect("the room is joined");
    }

    /// Waits until this person's client sees `member` in `room` with `state`.
    async fn sees_member(&self, vigie: &Vigie, room: &OwnedRoomId, member: &str, state: RoomState) {
        let member = user(member);
        vigie
            .eventually(&format!("{member} in state {state:?} in {room}"), || async {
                let room = self.client.get_room(room)?;
                let members = room.members_no_sync(RoomMemberships::all()).await.ok()?;
                let found = members.iter().find(|m| m.user_id() == member)?;
                let now = match found.membership() {
                    matrix_sdk::ruma::events::room::member::MembershipState::Join => RoomState::Joined,
                    matrix_sdk::ruma::events::room::member::MembershipState::Leave => RoomState::Left,
                    matrix_sdk::ruma::events::room::member::MembershipState::Invite => RoomState::Invited,
                    _ => return None,
                };
                (now == state).then_some(())
            })
            .await;
    }

    async fn send(&self, room: &OwnedRoomId, content: RoomMessageEventContent) -> OwnedEventId {
        let room = self.client.get_room(room).expect("a room of this person");
        room.send(content)
            .await
            .expect("the message is sent")
            .response
            .event_id
    }

    async fn say(&self, room: &OwnedRoomId, text: &str) -> OwnedEventId {
        self.send(room, RoomMessageEventContent::text_plain(text)).await
    }

    /// Sends an `m.room.encrypted` event of a Megolm session nobody shared with Vigie (the
    /// example of the specification), bypassing the SDK's encryption.
    async fn send_undecryptable(&self, room: &OwnedRoomId) -> OwnedEventId {
        let content = serde_json::json!({
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": "AwgAEnACgAkLmt6qF84IK++J7UDH2Za1YVchHyprqTqsg2yyOwAtHaZTwyNg37afzg8f3r9IsN9r4RNFg7MaZencUJe4qvELiDiopUjy5wYVDAtqdBzer5bWRD9ldxp1FLgbQvBcjkkywYjCsmsq6+hArLd9oAQZnGKn/qLsK+5uNX3PaWzDRC9wZPQvWYYPCTov3jCwXKTPsLKIiTrcCXDqMvnn8m+T3zF/I2zqxg158tnUwWWIw51UO",
            "device_id": "RJYKSTBOIE",
            "sender_key": "IlRMeOPX2e0MurIyfWEucYBRVOEEUMrOHqn/8mLqMjA",
            "session_id": "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ",
        });
        let request = send_message_event::v3::Request::new_raw(
            room.clone(),
            TransactionId::new(),
            MessageLikeEventType::RoomEncrypted,
            Raw::new(&content).unwrap().cast_unchecked(),
        );
        self.client
            .send(request)
            .await
            .expect("the event is sent")
            .event_id
    }

    /// Waits for `bot`'s reply to `command`.
    async fn reply_to(&self, vigie: &Vigie, room: &OwnedRoomId, command: &OwnedEventId, bot: &str) -> Seen {
        vigie
            .eventually(&format!("a reply to {command}"), || async {
                let seen = self.seen.lock().unwrap();
                seen.iter()
                    .find(|s| {
                        s.room == *room && s.sender() == bot && s.in_reply_to() == Some(command.as_str())
                    })
                    .cloned()
            })
            .await
    }

    /// How many messages of `bot` in the room's history, as the homeserver gives it, reply to
    /// each event.
    async fn replies_in_history(&self, room: &OwnedRoomId, bot: &str) -> HashMap<OwnedEventId, usize> {
        let room = self.client.get_room(room).unwrap();
        let mut counts = HashMap::new();
        let mut from: Option<String> = None;
        loop {
            let page = room
                .messages(MessagesOptions::backward().from(from.as_deref()))
                .await
                .expect("the room's history");
            for event in &page.chunk {
                let Ok(event) = event.raw().deserialize_as_unchecked::<Value>() else {
                    continue;
                };
                if event["sender"] == bot
                    && let Some(to) = in_reply_to(&event)
                {
                    *counts.entry(OwnedEventId::try_from(to).unwrap()).or_default() += 1;
                }
            }
            match page.end {
                Some(end) if !page.chunk.is_empty() => from = Some(end),
                _ => return counts,
            }
        }
    }

    /// The device ids of `user`, straight from the homeserver.
    async fn devices_of(&self, user_id: &str) -> Vec<String> {
        let mut request = get_keys::v3::Request::new();
        request.device_keys.insert(user(user_id), Vec::new());
        let keys = self.client.send(request).await.expect("the keys are queried");
        let mut devices: Vec<String> = keys
            .device_keys
            .get(&user(user_id))
            .map(|d| d.keys().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        devices.sort();
        devices
    }
}

impl Drop for Person {
    fn drop(&mut self) {
        self.sync.abort();
    }
}
