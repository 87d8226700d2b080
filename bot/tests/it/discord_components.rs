//! Buttons and modals on Discord, end to end against the fake Discord of `discord_fake`: an alert
//! from the outbox is posted with Claim, Release and Snooze buttons; a peer's press claims the
//! window as the typed command would, a stranger's is refused privately, and a press delivered
//! twice is answered once; a campaign opened with `/award open` offers a Nominate button whose
//! modal, submitted, nominates. Every request and response body is checked against Discord's
//! OpenAPI description (`fake.violations()`).

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
use vigie_storage::{NewOutbox, Peer, Role};

use crate::discord_fake::{FakeDiscord, MEMBER_PERMISSIONS};

/// How long any one thing may take to happen.
const WAIT: Duration = Duration::from_secs(30);

/// Discord's ephemeral flag.
const EPHEMERAL: u64 = 1 << 6;

/// A steering-committee peer, an ordinary member of the server.
const PEER: u64 = 400_000_000_000_000_011;

/// A person who is neither a peer nor an admin.
const STRANGER: u64 = 400_000_000_000_000_012;

/// An admin of the server (the fake's default permissions), and a peer with the admin role.
const ADMIN: u64 = 400_000_000_000_000_013;

/// Vigie's Discord bot, running in this process on a store of its own.
struct Bot {
    chat: Chat,
    cancel: CancellationToken,
    task: JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Bot {
    /// A bot on a fresh store talking to `fake`, its windows evaluated (from the bundled feeds
    /// when `feeds`), connected to the gateway.
    async fn start(fake: &FakeDiscord, feeds: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = config(dir.path(), fake, feeds);
        let store = vigie_storage::Store::open(config.database_url()).await.unwrap();
        let engine: Arc<Engine> = Engine::new(config.clone(), store).await.unwrap();
        for feed in &config.feeds {
            engine.sync(feed).await.unwrap();
        }
        engine.evaluate(chrono::Utc::now().date_naive()).await.unwrap();
        let chat = Chat::new(engine, Metrics::new());
        for (user, role) in [(PEER, Role::Peer), (ADMIN, Role::Admin)] {
            chat.store()
                .put_peer(&Peer {
                    user: format!("discord:{user}"),
                    role,
                    region: None,
                    country: None,
                    organisation: None,
                    added_by: "test".into(),
                    added_at: chrono::Utc::now(),
                })
                .await
                .unwrap();
        }
        let discord = config.discord.clone().expect("[discord] is configured");
        let cancel = CancellationToken::new();
        let task = tokio::spawn(vigie::platform::discord::run(
            discord,
            chat.clone(),
            cancel.clone(),
        ));
        fake.wait_ready(WAIT).await;
        Self {
            chat,
            cancel,
            task,
            _dir: dir,
        }
    }

    async fn stop(self) {
        self.cancel.cancel();
        let ended = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the bot stops in time")
            .expect("the bot's task did not panic");
        assert!(ended.is_ok(), "the bot ended with an error: {ended:?}");
    }
}

/// The configuration of a Vigie that talks to `fake`, with its database in `dir`, and the
/// bundled feeds if `feeds`.
fn config(dir: &Path, fake: &FakeDiscord, feeds: bool) -> vigie::config::Config {
    let mut text = format!(
        r#"
[storage]
url = "sqlite:vigie.db"

[server]
enabled = false

[discord]
guilds = [{guild}]
api_url = "{url}"
"#,
        guild = FakeDiscord::GUILD_ID,
        url = fake.url(),
    );
    if feeds {
        text.push_str(
            r#"
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
        );
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    let token = ("VIGIE_DISCORD__TOKEN".to_owned(), FakeDiscord::TOKEN.to_string());
    load(ConfigSource::File(&path), [token]).expect("the test configuration is valid")
}

/// A fake Discord where [`PEER`] and [`STRANGER`] are ordinary members.
async fn fake() -> FakeDiscord {
    let fake = FakeDiscord::start().await;
    fake.set_permissions(PEER, MEMBER_PERMISSIONS);
    fake.set_permissions(STRANGER, MEMBER_PERMISSIONS);
    fake
}

fn open_window(chat: &Chat) -> String {
    chat.engine()
        .snapshot()
        .windows
        .iter()
        .find(|w| w.state.is_open())
        .expect("an open window in the bundled data")
        .id
        .to_string()
}

fn content(response: &Value) -> &str {
    response["data"]["content"].as_str().unwrap_or_default()
}

fn is_ephemeral(response: &Value) -> bool {
    response["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}

/// The `custom_id`s of a message's components, row by row.
fn custom_ids(components: &Value) -> Vec<Vec<String>> {
    components
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    row["components"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[track_caller]
fn assert_no_violations(fake: &FakeDiscord) {
    let violations = fake.violations();
    assert!(violations.is_empty(), "OpenAPI violations: {violations:#?}");
}

/// Queues an alert about `window` for the fake's channel, and returns it as posted.
async fn post_alert(fake: &FakeDiscord, bot: &Bot, window: &str) -> Value {
    let message = NewOutbox {
        receiver: format!("discord:{}", FakeDiscord::CHANNEL_ID),
        platform: "discord".into(),
        body_markdown: format!(
            "**New window** · `{window}` · open\nTo take a window: `window claim {window}`."
        ),
        reason: "new".into(),
        group_key: "test|discord|buttons".into(),
        image: None,
    };
    bot.chat
        .store()
        .commit_notifications(&[], &[], &[message], chrono::Utc::now())
        .await
        .unwrap();
    fake.wait_messages(FakeDiscord::CHANNEL_ID, 1, WAIT).await[0].clone()
}

#[tokio::test]
async fn an_alert_carries_buttons_and_a_peers_press_claims_its_window() {
    let fake = fake().await;
    let bot = Bot::start(&fake, true).await;
    let window = open_window(&bot.chat);
    let alert = post_alert(&fake, &bot, &window).await;
    assert_eq!(
        custom_ids(&alert["components"]),
        [[
            format!("window:claim:{window}"),
            format!("window:release:{window}"),
            format!("window:snooze:{window}:1d"),
            format!("window:snooze:{window}:7d"),
        ]],
        "{alert}"
    );
    for button in alert["components"][0]["components"].as_array().unwrap() {
        assert!(
            !button["label"].as_str().unwrap_or_default().is_empty(),
            "{button}"
        );
    }

    let claim = format!("window:claim:{window}");
    let id = 900_000_000_000_001_001;
    fake.send_interaction(fake.component_interaction(id, PEER, &claim, vec![], alert.clone()))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["type"], 4, "{response}");
    assert!(!is_ephemeral(&response), "{response}");
    assert!(
        content(&response).starts_with(&format!("<@{PEER}> ")) && content(&response).contains(&window),
        "{response}"
    );
    assert_eq!(
        response["data"]["allowed_mentions"]["parse"],
        json!([]),
        "{response}"
    );
    let follow_up = bot.chat.store().follow_up(&window).await.unwrap();
    assert_eq!(
        follow_up.and_then(|f| f.claimed_by),
        Some(format!("discord:{PEER}"))
    );
    // `window show` says so, as after a typed claim.
    let show = json!([{"name": "show", "type": 1, "options": [
        {"name": "id", "type": 3, "value": window}
    ]}]);
    let id = 900_000_000_000_001_002;
    fake.send_interaction(fake.command_interaction(id, STRANGER, "window", show))
        .await;
    let shown = fake.wait_interaction_response(id, WAIT).await;
    assert!(
        content(&shown).contains(&format!("Claimed by discord:{PEER}")),
        "{shown}"
    );

    // Snoozing for a week, then releasing, are the typed commands too.
    let id = 900_000_000_000_001_003;
    let snooze = format!("window:snooze:{window}:7d");
    fake.send_interaction(fake.component_interaction(id, PEER, &snooze, vec![], alert.clone()))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert!(!is_ephemeral(&response), "{response}");
    let snoozed = bot.chat.store().follow_up(&window).await.unwrap().unwrap();
    let until = snoozed.snoozed_until.expect("snoozed");
    assert!(until > chrono::Utc::now() + chrono::Duration::days(6), "{until}");
    // The moment is a Discord timestamp, which each reader sees in their own time zone.
    let minute = until.timestamp() - until.timestamp().rem_euclid(60);
    let content = response["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains(&format!("<t:{minute}:f>")), "{content}");
    let id = 900_000_000_000_001_004;
    let release = format!("window:release:{window}");
    fake.send_interaction(fake.component_interaction(id, PEER, &release, vec![], alert))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert!(!is_ephemeral(&response), "{response}");
    let released = bot.chat.store().follow_up(&window).await.unwrap().unwrap();
    assert_eq!(released.claimed_by, None);
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_strangers_press_is_refused_privately_and_a_press_delivered_twice_is_answered_once() {
    let fake = fake().await;
    let bot = Bot::start(&fake, true).await;
    let window = open_window(&bot.chat);
    let alert = post_alert(&fake, &bot, &window).await;
    let claim = format!("window:claim:{window}");

    let id = 900_000_000_000_002_001;
    fake.send_interaction(fake.component_interaction(id, STRANGER, &claim, vec![], alert.clone()))
        .await;
    let refused = fake.wait_interaction_response(id, WAIT).await;
    assert!(is_ephemeral(&refused), "{refused}");
    assert!(
        content(&refused).contains("peers add"),
        "not the refusal: {refused}"
    );
    assert_eq!(bot.chat.store().follow_up(&window).await.unwrap(), None);

    // The same press twice: one answer, one claim.
    let id = 900_000_000_000_002_002;
    let press = fake.component_interaction(id, PEER, &claim, vec![], alert.clone());
    fake.send_interaction(press.clone()).await;
    fake.send_interaction(press).await;
    fake.wait_interaction_response(id, WAIT).await;
    // A later press answered means the second delivery was handled (and skipped) by now.
    let id_after = 900_000_000_000_002_003;
    fake.send_interaction(fake.component_interaction(id_after, PEER, &claim, vec![], alert.clone()))
        .await;
    let again = fake.wait_interaction_response(id_after, WAIT).await;
    assert!(
        content(&again).contains("already claimed"),
        "the second press is a claim already made: {again}"
    );
    assert_eq!(fake.interaction_responses(id).len(), 1);

    // Made-up and malformed custom ids get one private sentence.
    for (n, custom_id) in [
        "window:explode:w-2aa8f74113a8",
        "window:claim:not-a-window",
        "nominate:999:nothing",
        "\u{1F389}",
    ]
    .into_iter()
    .enumerate()
    {
        let id = 900_000_000_000_002_010 + n as u64;
        fake.send_interaction(fake.component_interaction(id, PEER, custom_id, vec![], alert.clone()))
            .await;
        let response = fake.wait_interaction_response(id, WAIT).await;
        assert!(is_ephemeral(&response), "{custom_id}: {response}");
        let text = content(&response);
        assert!(
            !text.is_empty() && !text.trim().contains('\n'),
            "{custom_id}: {response}"
        );
    }
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_campaign_opened_on_discord_offers_a_modal_whose_submission_nominates() {
    let fake = fake().await;
    let bot = Bot::start(&fake, false).await;
    let open = json!([{"name": "open", "type": 1, "options": [
        {"name": "title", "type": 3, "value": "Discord Awards"},
        {"name": "categories", "type": 3, "value": "champion=Open Gov Champion"},
        {"name": "seconds", "type": 3, "value": "0"}
    ]}]);
    let id = 900_000_000_000_003_001;
    fake.send_interaction(fake.command_interaction(id, ADMIN, "award", open))
        .await;
    let opened = fake.wait_interaction_response(id, WAIT).await;
    assert!(!is_ephemeral(&opened), "{opened}");
    assert!(content(&opened).contains("Nominations are open"), "{opened}");
    assert_eq!(
        custom_ids(&opened["data"]["components"]),
        [["nominate:1:champion"]],
        "{opened}"
    );
    let announcement = fake.original(&format!("itoken-{id}")).expect("the announcement");

    // The button opens the modal.
    let id = 900_000_000_000_003_002;
    fake.send_interaction(fake.component_interaction(
        id,
        PEER,
        "nominate:1:champion",
        vec![],
        announcement.clone(),
    ))
    .await;
    let modal = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(modal["type"], 9, "not a modal: {modal}");
    assert_eq!(modal["data"]["custom_id"], "nominate:1:champion", "{modal}");
    let inputs: Vec<&str> = modal["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["components"][0]["custom_id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        inputs,
        ["nominee", "country", "organisation", "citation"],
        "{modal}"
    );

    // A mistake in it is one private sentence, and nominates nobody.
    let id = 900_000_000_000_003_003;
    let wrong = [
        ("nominee", "Jane Doe"),
        ("country", "!!"),
        ("organisation", ""),
        ("citation", "Led the open contracting reform."),
    ];
    fake.send_interaction(fake.modal_interaction(id, PEER, "nominate:1:champion", &wrong))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert!(is_ephemeral(&response), "{response}");
    assert!(content(&response).contains("!!"), "{response}");

    // Submitted, it nominates, as the typed command would.
    let id = 900_000_000_000_003_004;
    let fields = [
        ("nominee", "Jane Doe"),
        ("country", "KE"),
        ("organisation", ""),
        ("citation", "Led the open contracting reform."),
    ];
    fake.send_interaction(fake.modal_interaction(id, PEER, "nominate:1:champion", &fields))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["type"], 4, "{response}");
    assert!(!is_ephemeral(&response), "{response}");
    assert!(
        content(&response).starts_with(&format!("<@{PEER}> ")) && content(&response).contains("1#1"),
        "{response}"
    );
    let nominations = bot.chat.store().award_nominations("1", None).await.unwrap();
    assert_eq!(nominations.len(), 1, "{nominations:?}");
    assert_eq!(nominations[0].nominee.name, "Jane Doe");
    assert_eq!(nominations[0].nominee.jurisdiction, "KE");
    assert_eq!(nominations[0].nominator, format!("discord:{PEER}"));
    assert_eq!(nominations[0].citation, "Led the open contracting reform.");

    // Once voting opens, the button says so instead of opening a modal.
    let close = json!([{"name": "close", "type": 1, "options": [
        {"name": "campaign", "type": 3, "value": "1"}
    ]}]);
    let id = 900_000_000_000_003_005;
    fake.send_interaction(fake.command_interaction(id, ADMIN, "award", close))
        .await;
    fake.wait_interaction_response(id, WAIT).await;
    let id = 900_000_000_000_003_006;
    fake.send_interaction(fake.component_interaction(id, PEER, "nominate:1:champion", vec![], announcement))
        .await;
    let closed = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(closed["type"], 4, "{closed}");
    assert!(is_ephemeral(&closed), "{closed}");
    bot.stop().await;
    assert_no_violations(&fake);
}
