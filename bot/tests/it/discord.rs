//! Vigie's Discord platform end to end, against the fake Discord of `discord_fake` (REST and the
//! websocket gateway on 127.0.0.1): the unmodified serenity client connects to it, registers the
//! commands, and answers the interactions the test sends as a person would. Every request body
//! Vigie sends and every response body the fake answers is checked against Discord's OpenAPI
//! description (`fake.violations()`).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use vigie::chat::Chat;
use vigie::config::{ConfigSource, load};
use vigie::engine::Engine;
use vigie::metrics::Metrics;

use crate::discord_fake::{FakeDiscord, MEMBER_PERMISSIONS};

/// How long any one thing may take to happen.
pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// Discord's ephemeral flag.
const EPHEMERAL: u64 = 1 << 6;

/// A person who is neither a peer nor an admin.
const STRANGER: u64 = 400_000_000_000_000_001;

/// Vigie's Discord bot, running in this process on a store of its own. The other Discord tests
/// start theirs the same way.
pub(crate) struct Bot {
    pub(crate) chat: Chat,
    cancel: CancellationToken,
    task: JoinHandle<anyhow::Result<()>>,
}

/// The configuration of a Vigie that talks to `fake`, with its database in `dir`; `more` is
/// added at the end of its `[discord]` section.
fn config(dir: &Path, fake: &FakeDiscord, more: &str) -> vigie::config::Config {
    let text = format!(
        r#"
[storage]
url = "sqlite:vigie.db"

[server]
enabled = false

[discord]
guilds = [{guild}]
api_url = "{url}"
{more}"#,
        guild = FakeDiscord::GUILD_ID,
        url = fake.url(),
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    let token = ("VIGIE_DISCORD__TOKEN".to_owned(), FakeDiscord::TOKEN.to_string());
    load(ConfigSource::File(&path), [token]).expect("the test configuration is valid")
}

/// A chat over a fresh store in `dir` (no feeds: nothing to wait for), its windows evaluated.
async fn chat(dir: &Path, fake: &FakeDiscord) -> Chat {
    chat_with(dir, fake, "").await
}

/// [`chat`], with `more` at the end of the `[discord]` section of its configuration.
pub(crate) async fn chat_with(dir: &Path, fake: &FakeDiscord, more: &str) -> Chat {
    let chat = unevaluated_chat(dir, fake, more).await;
    chat.engine().evaluate(today()).await.unwrap();
    chat
}

/// A chat whose windows are not evaluated yet: its commands wait for the first evaluation, as
/// right after a start.
async fn unevaluated_chat(dir: &Path, fake: &FakeDiscord, more: &str) -> Chat {
    let config = config(dir, fake, more);
    let store = vigie_storage::Store::open(config.database_url()).await.unwrap();
    let engine: Arc<Engine> = Engine::new(config, store).await.unwrap();
    Chat::new(engine, Metrics::new())
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

impl Bot {
    /// Starts the bot with `chat`, and waits until it is connected to the gateway.
    pub(crate) async fn start(chat: Chat, fake: &FakeDiscord) -> Self {
        let discord = chat
            .engine()
            .config()
            .discord
            .clone()
            .expect("[discord] is configured");
        let cancel = CancellationToken::new();
        let before = sessions(fake);
        let task = tokio::spawn(vigie::platform::discord::run(
            discord,
            chat.clone(),
            cancel.clone(),
        ));
        new_session(fake, before).await;
        Self { chat, cancel, task }
    }

    /// Stops the bot and waits until it has finished.
    pub(crate) async fn stop(self) -> Chat {
        self.cancel.cancel();
        let ended = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the bot stops in time")
            .expect("the bot's task did not panic");
        assert!(ended.is_ok(), "the bot ended with an error: {ended:?}");
        self.chat
    }
}

/// How many gateway sessions were started or resumed so far.
fn sessions(fake: &FakeDiscord) -> usize {
    let (identified, resumed) = fake.gateway_sessions();
    identified + resumed
}

/// Waits until a session after the first `before` is live.
async fn new_session(fake: &FakeDiscord, before: usize) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while sessions(fake) <= before {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no new gateway session within {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.wait_ready(WAIT).await;
}

/// A fake Discord where [`STRANGER`] is an ordinary member (not an admin of the channel).
async fn fake() -> FakeDiscord {
    let fake = FakeDiscord::start().await;
    fake.set_permissions(STRANGER, MEMBER_PERMISSIONS);
    fake
}

/// A started fake Discord and a bot connected to it, with the folder of its database.
async fn connected() -> (FakeDiscord, Bot, tempfile::TempDir) {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake).await;
    let bot = Bot::start(chat, &fake).await;
    (fake, bot, dir)
}

/// The path of the bulk overwrite of the guild's commands.
fn guild_commands() -> String {
    format!(
        "/applications/{}/guilds/{}/commands",
        FakeDiscord::APPLICATION_ID,
        FakeDiscord::GUILD_ID
    )
}

/// The registrations of the commands the fake received.
fn registrations(fake: &FakeDiscord) -> usize {
    let path = guild_commands();
    fake.requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path == path)
        .count()
}

fn content(response: &Value) -> &str {
    response["data"]["content"].as_str().unwrap_or_default()
}

fn is_ephemeral(response: &Value) -> bool {
    response["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}

/// How many responses to an interaction were POSTed, failed or not.
fn callbacks(fake: &FakeDiscord, interaction: u64) -> usize {
    let prefix = format!("/interactions/{interaction}/");
    fake.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with(&prefix))
        .count()
}

#[track_caller]
fn assert_no_violations(fake: &FakeDiscord) {
    let violations = fake.violations();
    assert!(violations.is_empty(), "OpenAPI violations: {violations:#?}");
}

#[tokio::test]
async fn the_commands_are_registered_once_and_not_again_after_a_restart() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = Bot::start(chat(dir.path(), &fake).await, &fake).await;
    let put = fake.wait_for_request("PUT", &guild_commands(), WAIT).await;
    let sent = put.body.as_array().expect("a bulk overwrite sends an array");
    assert!(
        sent.iter().any(|c| c["name"] == "windows"),
        "no /windows among {} commands",
        sent.len()
    );
    assert_eq!(registrations(&fake), 1);

    // The same definitions after a restart: nothing is sent, and commands still work.
    let chat = bot.stop().await;
    let bot = Bot::start(chat, &fake).await;
    let interaction = fake.command_interaction(900000000000000001, STRANGER, "windows", json!([]));
    fake.send_interaction(interaction).await;
    fake.wait_interaction_response(900000000000000001, WAIT).await;
    assert_eq!(
        registrations(&fake),
        1,
        "registered again with the same definitions"
    );
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_slash_command_gets_its_reply_mentioning_nobody_else() {
    let (fake, bot, _dir) = connected().await;
    let interaction = fake.command_interaction(900000000000000011, STRANGER, "windows", json!([]));
    fake.send_interaction(interaction).await;
    let response = fake.wait_interaction_response(900000000000000011, WAIT).await;
    assert_eq!(response["type"], 4, "{response}");
    assert!(!content(&response).is_empty(), "{response}");
    assert!(content(&response).chars().count() <= 2000);
    assert!(!is_ephemeral(&response), "{response}");
    let mentions = &response["data"]["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "{response}");
    assert_eq!(mentions["users"], json!([STRANGER.to_string()]), "{response}");
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_malformed_option_or_a_peer_command_from_a_stranger_gets_a_private_sentence() {
    let (fake, bot, _dir) = connected().await;
    let bad = json!([{"name": "scope", "type": 3, "value": "!!"}]);
    fake.send_interaction(fake.command_interaction(900000000000000021, STRANGER, "windows", bad))
        .await;
    let response = fake.wait_interaction_response(900000000000000021, WAIT).await;
    assert!(is_ephemeral(&response), "{response}");
    assert!(content(&response).contains("!!"), "{response}");

    let claim = json!([{"name": "claim", "type": 1, "options": [
        {"name": "id", "type": 3, "value": "w-2aa8f74113a8"}
    ]}]);
    fake.send_interaction(fake.command_interaction(900000000000000022, STRANGER, "window", claim))
        .await;
    let response = fake.wait_interaction_response(900000000000000022, WAIT).await;
    assert!(is_ephemeral(&response), "{response}");
    assert!(
        content(&response).contains("peers add"),
        "not the refusal: {response}"
    );
    // Refused: nothing was claimed.
    assert!(bot.chat.store().audit_log(None, 10).await.unwrap().is_empty());
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn an_interaction_delivered_twice_is_answered_once() {
    let (fake, bot, _dir) = connected().await;
    let interaction = fake.command_interaction(900000000000000031, STRANGER, "windows", json!([]));
    fake.send_interaction(interaction.clone()).await;
    fake.send_interaction(interaction).await;
    fake.wait_interaction_response(900000000000000031, WAIT).await;
    // A later command answered means the second delivery was handled (and skipped) by now: the
    // bot takes interaction ids in order.
    fake.send_interaction(fake.command_interaction(900000000000000032, STRANGER, "help", json!([])))
        .await;
    fake.wait_interaction_response(900000000000000032, WAIT).await;
    assert_eq!(fake.interaction_responses(900000000000000031).len(), 1);
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn after_the_gateway_drops_the_bot_reconnects_and_still_answers() {
    let (fake, bot, _dir) = connected().await;
    let before = sessions(&fake);
    fake.drop_gateway().await;
    new_session(&fake, before).await;
    fake.send_interaction(fake.command_interaction(900000000000000041, STRANGER, "windows", json!([])))
        .await;
    let response = fake.wait_interaction_response(900000000000000041, WAIT).await;
    assert!(!content(&response).is_empty(), "{response}");
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_failed_callback_is_tried_again_or_survived_and_the_next_command_is_answered() {
    let (fake, bot, _dir) = connected().await;
    // Once: the response is sent again, and arrives.
    fake.fail_next("POST", "/interactions/900000000000000050", 500, 1);
    fake.send_interaction(fake.command_interaction(900000000000000050, STRANGER, "windows", json!([])))
        .await;
    let response = fake.wait_interaction_response(900000000000000050, WAIT).await;
    assert!(!content(&response).is_empty(), "{response}");
    assert_eq!(
        callbacks(&fake, 900000000000000050),
        2,
        "not sent again after a 500"
    );
    // Always: given up, and the bot goes on.
    fake.fail_next("POST", "/interactions/900000000000000051", 500, 5);
    fake.send_interaction(fake.command_interaction(900000000000000051, STRANGER, "windows", json!([])))
        .await;
    for _ in 0..2 {
        fake.wait_for_request("POST", "/interactions/900000000000000051/", WAIT)
            .await;
    }
    fake.send_interaction(fake.command_interaction(900000000000000052, STRANGER, "windows", json!([])))
        .await;
    let response = fake.wait_interaction_response(900000000000000052, WAIT).await;
    assert!(!content(&response).is_empty(), "{response}");
    assert_eq!(callbacks(&fake, 900000000000000051), 2, "tried more than twice");
    assert!(!bot.task.is_finished(), "the bot stopped after a failed callback");
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn an_alert_in_the_outbox_is_posted_once_in_its_channel_with_its_nonce() {
    let (fake, bot, _dir) = connected().await;
    let receiver = format!("discord:{}", FakeDiscord::CHANNEL_ID);
    let id = queue(
        &bot,
        receiver,
        "**A window opens** in Kenya: @everyone should hear",
    )
    .await;
    let path = format!("/channels/{}/messages", FakeDiscord::CHANNEL_ID);
    let request = fake.wait_for_request("POST", &path, WAIT).await;
    let nonce = format!("vigie-outbox-{id}");
    assert_eq!(request.body["nonce"], json!(nonce), "{}", request.body);
    assert_eq!(request.body["enforce_nonce"], json!(true), "{}", request.body);
    assert_eq!(
        request.body["allowed_mentions"]["parse"],
        json!([]),
        "{}",
        request.body
    );
    wait_outbox(&bot, id, vigie_storage::OutboxState::Sent).await;
    let posted = fake.messages(FakeDiscord::CHANNEL_ID);
    assert_eq!(posted.len(), 1, "{posted:#?}");
    bot.stop().await;
    assert_no_violations(&fake);
}

/// Puts one message for `receiver` in the outbox; its id.
async fn queue(bot: &Bot, receiver: String, text: &str) -> i64 {
    let message = vigie_storage::NewOutbox {
        receiver,
        platform: "discord".into(),
        body_markdown: text.into(),
        reason: "alert".into(),
        group_key: format!("test|{text}"),
        image: None,
    };
    let ids = bot
        .chat
        .store()
        .commit_notifications(&[], &[], &[message], chrono::Utc::now())
        .await
        .unwrap();
    ids[0]
}

/// Waits until outbox message `id` is in `state`, or fails the test with its row.
async fn wait_outbox(bot: &Bot, id: i64, state: vigie_storage::OutboxState) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let row = bot.chat.store().outbox_message(id).await.unwrap().unwrap();
        if row.state == state {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox message {id} is not {state:?}: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_outbox_waits_out_429_and_500_and_gives_up_on_403_and_404() {
    let (fake, bot, _dir) = connected().await;
    let channel = format!("discord:{}", FakeDiscord::CHANNEL_ID);
    let path = format!("/channels/{}/messages", FakeDiscord::CHANNEL_ID);
    // The messages of the channel that carry `nonce`, and the requests that tried to post one.
    let posted = |nonce: &str| {
        fake.messages(FakeDiscord::CHANNEL_ID)
            .iter()
            .filter(|m| m["nonce"] == json!(nonce))
            .count()
    };
    let tries = |nonce: &str| {
        fake.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == path && r.body["nonce"] == json!(nonce))
            .count()
    };

    use vigie_storage::OutboxState::{Failed, Sent};
    // (Discord's answer to the first post, a second refusal, what becomes of the message,
    // messages posted, posts tried)
    let cases = [
        // Rate limited: waited out, then posted once.
        (429, None, Sent, 1, 2),
        // Discord's own error: the message may exist, so it is sent again with the same nonce,
        // and posted once.
        (500, None, Sent, 1, 2),
        // Missing permissions: not tried again, nothing posted.
        (403, None, Failed, 0, 1),
        // A channel Discord does not know, and no person of that id either: failed, once.
        (404, Some("/users/@me/channels"), Failed, 0, 1),
    ];
    for (status, then, state, posted_n, tries_n) in cases {
        fake.fail_next("POST", &path, status, 1);
        if let Some(then) = then {
            fake.fail_next("POST", then, 404, 1);
        }
        let id = queue(&bot, channel.clone(), &format!("after a {status}")).await;
        wait_outbox(&bot, id, state).await;
        let nonce = format!("vigie-outbox-{id}");
        assert_eq!(posted(&nonce), posted_n, "after a {status}");
        assert_eq!(tries(&nonce), tries_n, "after a {status}");
    }

    // The next message goes through as usual.
    let after = queue(
        &bot,
        format!("discord:{}", FakeDiscord::CHANNEL_ID),
        "all is well",
    )
    .await;
    wait_outbox(&bot, after, vigie_storage::OutboxState::Sent).await;
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_personal_message_to_a_discord_user_goes_to_their_direct_messages() {
    let (fake, bot, _dir) = connected().await;
    let message = vigie_storage::NewOutbox {
        receiver: format!("discord:{STRANGER}"),
        platform: "discord".into(),
        body_markdown: "Your ballot for **Open Gov Champions** is ready.".into(),
        reason: "award-ballot".into(),
        group_key: "award|1|ballot".into(),
        image: None,
    };
    bot.chat
        .store()
        .commit_notifications(&[], &[], &[message], chrono::Utc::now())
        .await
        .unwrap();
    fake.wait_for_request("POST", "/users/@me/channels", WAIT).await;
    let dm = fake
        .dm_channel(STRANGER)
        .expect("a direct chat opened with the person");
    let posted = fake.wait_messages(dm, 1, WAIT).await;
    assert!(
        posted[0]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("ballot"),
        "{posted:#?}"
    );
    assert!(fake.messages(FakeDiscord::CHANNEL_ID).is_empty());
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_command_slower_than_two_seconds_is_deferred_then_its_reply_edited_in() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    // Until the first evaluation, commands wait: longer than Discord does.
    let chat = unevaluated_chat(dir.path(), &fake, "").await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let id = 900000000000000061;
    fake.send_interaction(fake.command_interaction(id, STRANGER, "windows", json!([])))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["type"], 5, "not deferred: {response}");
    assert!(!is_ephemeral(&response), "{response}");
    chat.engine().evaluate(today()).await.unwrap();
    let token = format!("itoken-{id}");
    let edit = fake
        .wait_for_request(
            "PATCH",
            &format!(
                "/webhooks/{}/{token}/messages/@original",
                FakeDiscord::APPLICATION_ID
            ),
            WAIT,
        )
        .await;
    assert!(
        !edit.body["content"].as_str().unwrap_or_default().is_empty(),
        "{}",
        edit.body
    );
    assert_eq!(edit.body["allowed_mentions"]["parse"], json!([]), "{}", edit.body);
    let original = fake.original(&token).expect("the original response");
    assert_eq!(original["content"], edit.body["content"]);
    assert_eq!(fake.interaction_responses(id).len(), 1);
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_server_admin_is_an_admin_and_replies_follow_the_discord_language() {
    let (fake, bot, _dir) = connected().await;
    // Anyone with Manage Server or Administrator (the fake's default) may list the peers.
    let admin = 400_000_000_000_000_002;
    let list = json!([{"name": "list", "type": 1, "options": []}]);
    fake.send_interaction(fake.command_interaction(900000000000000071, admin, "peers", list.clone()))
        .await;
    let response = fake.wait_interaction_response(900000000000000071, WAIT).await;
    assert!(!is_ephemeral(&response), "refused an admin: {response}");
    fake.send_interaction(fake.command_interaction(900000000000000072, STRANGER, "peers", list))
        .await;
    let response = fake.wait_interaction_response(900000000000000072, WAIT).await;
    assert!(is_ephemeral(&response), "a member listed the peers: {response}");

    // The same command from a French Discord client, then from an English one.
    let mut french = fake.command_interaction(900000000000000073, STRANGER, "help", json!([]));
    french["locale"] = json!("fr");
    fake.send_interaction(french).await;
    let french = fake.wait_interaction_response(900000000000000073, WAIT).await;
    fake.send_interaction(fake.command_interaction(900000000000000074, STRANGER, "help", json!([])))
        .await;
    let english = fake.wait_interaction_response(900000000000000074, WAIT).await;
    assert_ne!(content(&french), content(&english));
    let expected = bot
        .chat
        .locales()
        .text(vigie::command::Lang::Fr, "help-title", &[]);
    assert!(content(&french).contains(&expected), "not French: {french}");
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_slow_refusal_replaces_its_public_deferral_with_a_private_follow_up() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = unevaluated_chat(dir.path(), &fake, "").await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let id = 900000000000000081;
    let claim = json!([{"name": "claim", "type": 1, "options": [
        {"name": "id", "type": 3, "value": "w-2aa8f74113a8"}
    ]}]);
    fake.send_interaction(fake.command_interaction(id, STRANGER, "window", claim))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["type"], 5, "not deferred: {response}");
    assert!(!is_ephemeral(&response), "{response}");
    chat.engine().evaluate(today()).await.unwrap();
    let token = format!("itoken-{id}");
    let webhook = format!("/webhooks/{}/{token}", FakeDiscord::APPLICATION_ID);
    fake.wait_for_request("DELETE", &format!("{webhook}/messages/@original"), WAIT)
        .await;
    let followup = fake.wait_for_request("POST", &webhook, WAIT).await;
    let flags = followup.body["flags"].as_u64().unwrap_or(0);
    assert_ne!(flags & EPHEMERAL, 0, "a public refusal: {}", followup.body);
    assert!(
        followup.body["content"]
            .as_str()
            .unwrap_or_default()
            .contains("peers add"),
        "{}",
        followup.body
    );
    assert!(
        fake.original(&token).is_none(),
        "the public deferral is still there"
    );
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn an_autocompletion_suggests_what_matches_what_is_typed() {
    let (fake, bot, _dir) = connected().await;
    let id = 900000000000000091;
    let typing = json!([{"name": "scope", "type": 3, "value": "ken", "focused": true}]);
    fake.send_interaction(fake.autocomplete_interaction(id, STRANGER, "windows", typing))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["type"], 8, "{response}");
    let choices = response["data"]["choices"].as_array().expect("choices");
    assert_eq!(
        choices.first().map(|c| &c["value"]),
        Some(&json!("KE")),
        "{response}"
    );
    assert!(choices.len() <= 25);

    // An option that takes no suggestions gets none.
    let id = 900000000000000092;
    let typing = json!([{"name": "snooze", "type": 1, "options": [
        {"name": "id", "type": 3, "value": "w-2aa8f74113a8"},
        {"name": "duration", "type": 3, "value": "7", "focused": true}
    ]}]);
    fake.send_interaction(fake.autocomplete_interaction(id, STRANGER, "window", typing))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["data"]["choices"], json!([]), "{response}");
    bot.stop().await;
    assert_no_violations(&fake);
}
