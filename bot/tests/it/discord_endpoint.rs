//! Discord's interactions by HTTP (`discord-http`): Vigie's HTTP listener on a real socket takes
//! interactions POSTed as Discord POSTs them, signed with a key generated here from a fixed seed.
//! Requests that are not signed by the application's key, or signed too long ago, get 401; a
//! replayed interaction is acted on once; a command and an autocompletion are answered in the
//! response body, which is checked against Discord's OpenAPI description (the body of
//! `create_interaction_response`, which the HTTP response stands for).

use std::time::Duration;

use chrono::Utc;
use ed25519_dalek::{Signer, SigningKey};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use vigie::chat::Chat;
use vigie::config::{ConfigSource, load};
use vigie::engine::Engine;
use vigie::http::{HttpState, serve_with};
use vigie::metrics::Metrics;
use vigie::platform::discord::endpoint::{self, MAX_AGE, MAX_AHEAD};

use crate::discord_fake::FakeDiscord;
use crate::discord_openapi::{coerce_integer_like, openapi, problems};

/// Discord's ephemeral flag.
const EPHEMERAL: u64 = 1 << 6;

/// A person who is neither a peer nor an admin.
const STRANGER: u64 = 400_000_000_000_000_001;

/// The application's key pair: fixed, so that a failure reproduces.
fn application_key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

/// Vigie's listener with the interactions endpoint, over a fresh store, and the fake Discord
/// its REST calls go to (and whose interactions the test sends).
struct Served {
    url: String,
    client: reqwest::Client,
    chat: Chat,
    fake: FakeDiscord,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Served {
    /// Served, with the windows evaluated.
    async fn start() -> Self {
        let served = Self::unevaluated().await;
        served
            .chat
            .engine()
            .evaluate(Utc::now().date_naive())
            .await
            .unwrap();
        served
    }

    /// Served before the first evaluation, which commands wait for (as right after a start).
    async fn unevaluated() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let fake = FakeDiscord::start().await;
        let dir = tempfile::tempdir().unwrap();
        let public_key: String = application_key()
            .verifying_key()
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let text = format!(
            r#"
[storage]
url = "sqlite:vigie.db"

[server]
listen = "127.0.0.1:0"

[discord]
guilds = [{guild}]
api_url = "{url}"
interactions = "http"
public_key = "{public_key}"
"#,
            guild = FakeDiscord::GUILD_ID,
            url = fake.url(),
        );
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let token = ("VIGIE_DISCORD__TOKEN".to_owned(), FakeDiscord::TOKEN.to_owned());
        let config = load(ConfigSource::File(&path), [token]).expect("the test configuration is valid");
        let discord = config.discord.clone().expect("[discord] is configured");
        assert_eq!(discord.interactions_path, "/discord/interactions");
        let store = vigie_storage::Store::open(config.database_url()).await.unwrap();
        let engine = Engine::new(config, store.clone()).await.unwrap();
        let chat = Chat::new(engine, Metrics::new());
        let routes = endpoint::routes(&discord, chat.clone(), TaskTracker::new()).unwrap();
        let state = HttpState {
            store,
            metrics: chat.metrics().clone(),
            board: chat.engine().board(),
            windows_token: None,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}{}",
            listener.local_addr().unwrap(),
            discord.interactions_path
        );
        let cancel = CancellationToken::new();
        let task = tokio::spawn(serve_with(listener, state, routes, cancel.clone()));
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Self {
            url,
            client,
            chat,
            fake,
            cancel,
            task,
            _dir: dir,
        }
    }

    /// POSTs `body` with the given signature headers (`None` leaves a header out).
    async fn post(&self, body: &[u8], signature: Option<&str>, timestamp: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request.header("X-Signature-Ed25519", signature);
        }
        if let Some(timestamp) = timestamp {
            request = request.header("X-Signature-Timestamp", timestamp);
        }
        request.send().await.expect("the listener answers")
    }

    /// POSTs `body` signed by `key` at `at` (Unix seconds), as Discord does.
    async fn post_signed_at(&self, key: &SigningKey, at: i64, body: &[u8]) -> reqwest::Response {
        let timestamp = at.to_string();
        let signature = sign(key, &timestamp, body);
        self.post(body, Some(&signature), Some(&timestamp)).await
    }

    /// POSTs `interaction` signed by the application's key, now.
    async fn post_signed(&self, interaction: &Value) -> reqwest::Response {
        let body = serde_json::to_vec(interaction).unwrap();
        self.post_signed_at(&application_key(), Utc::now().timestamp(), &body)
            .await
    }

    /// Stops the listener and waits (with a deadline) for it to finish.
    async fn stop(self) {
        self.cancel.cancel();
        let stopped = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the listener stops within 10 s of being cancelled");
        stopped.unwrap().expect("the listener stops without an error");
    }
}

/// The hexadecimal signature of `timestamp` followed by `body`.
fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
    let mut message = timestamp.as_bytes().to_vec();
    message.extend_from_slice(body);
    key.sign(&message)
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Asserts a 200 with a JSON body that validates as an interaction response (the request body
/// of `POST /interactions/{id}/{token}/callback` in Discord's description), and returns it.
async fn interaction_response(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let bytes = response.bytes().await.expect("a body");
    let body: Value = serde_json::from_slice(&bytes).expect("a JSON body");
    let api = openapi();
    let operation = api
        .operation("POST", "/interactions/1/token/callback")
        .expect("create_interaction_response");
    let validator = api.validator(&api.request_schema(&operation).expect("a request body"));
    let mut checked = body.clone();
    coerce_integer_like(&validator, &mut checked);
    let found = problems(&validator, &checked);
    assert!(
        found.is_empty(),
        "the response breaks {operation}:\n{}\n{body:#}",
        found.join("\n")
    );
    body
}

/// How many times `command` ran with outcome `outcome`, as /metrics counts it.
fn runs(chat: &Chat, command: &str, outcome: &str) -> u64 {
    let text = chat.metrics().encode();
    let series = format!("vigie_commands_total{{command=\"{command}\",outcome=\"{outcome}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&series))
        .map_or(0, |n| n.trim().parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ping_is_answered_with_a_pong() {
    let served = Served::start().await;
    let ping = json!({"id": "1100000000000000101", "application_id": FakeDiscord::APPLICATION_ID.to_string(), "type": 1, "token": "t", "version": 1});
    let body = interaction_response(served.post_signed(&ping).await).await;
    assert_eq!(body, json!({"type": 1}));
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_not_signed_by_the_application_key_gets_401() {
    let served = Served::start().await;
    let body = br#"{"type":1}"#;
    let now = Utc::now().timestamp();
    let timestamp = now.to_string();
    let good = sign(&application_key(), &timestamp, body);
    let intruder = SigningKey::from_bytes(&[9; 32]);
    let refused = [
        // Another key, as Discord's own probes use.
        served.post_signed_at(&intruder, now, body).await,
        // The application's signature, of another body or time.
        served.post(br#"{"type":2}"#, Some(&good), Some(&timestamp)).await,
        served.post(body, Some(&good), Some(&(now - 1).to_string())).await,
        // Not a signature at all, or none.
        served.post(body, Some("not-hexadecimal"), Some(&timestamp)).await,
        served.post(body, None, Some(&timestamp)).await,
        served.post(body, Some(&good), None).await,
        served.post(body, None, None).await,
    ];
    for (i, response) in refused.into_iter().enumerate() {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "request {i}");
        let text = response.text().await.unwrap();
        assert_eq!(text.lines().count(), 1, "one sentence: {text:?}");
    }
    // The same request, well signed, is taken.
    let taken = served.post(body, Some(&good), Some(&timestamp)).await;
    assert_eq!(taken.status(), StatusCode::OK);
    // Anything but a POST is refused as such.
    let get = served.client.get(&served.url).send().await.unwrap();
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        get.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_signed_request_from_too_long_ago_or_from_the_future_gets_401() {
    let served = Served::start().await;
    let interaction = served
        .fake
        .command_interaction(1100000000000000201, STRANGER, "windows", Value::Null);
    let body = serde_json::to_vec(&interaction).unwrap();
    let now = Utc::now().timestamp();
    for at in [now - MAX_AGE - 30, now + MAX_AHEAD + 30, 0] {
        let response = served.post_signed_at(&application_key(), at, &body).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "signed at {at}");
    }
    assert_eq!(
        runs(&served.chat, "windows", "ok"),
        0,
        "refused requests run nothing"
    );
    // Within the window, the same interaction is answered.
    let response = served.post_signed_at(&application_key(), now - 60, &body).await;
    assert_eq!(interaction_response(response).await["type"], 4);
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_interaction_is_acted_on_once() {
    let served = Served::start().await;
    let interaction = served
        .fake
        .command_interaction(1100000000000000301, STRANGER, "windows", Value::Null);
    let body = serde_json::to_vec(&interaction).unwrap();
    let at = Utc::now().timestamp();
    let first = served.post_signed_at(&application_key(), at, &body).await;
    assert_eq!(interaction_response(first).await["type"], 4);
    // The very same request again (a replay within the freshness window), then freshly signed.
    let again = served.post_signed_at(&application_key(), at, &body).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let resigned = served.post_signed(&interaction).await;
    assert_eq!(resigned.status(), StatusCode::CONFLICT);
    assert_eq!(runs(&served.chat, "windows", "ok"), 1);
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_answered_in_the_response_body_as_discord_describes_it() {
    let served = Served::start().await;
    let windows = served
        .fake
        .command_interaction(1100000000000000401, STRANGER, "windows", Value::Null);
    let body = interaction_response(served.post_signed(&windows).await).await;
    assert_eq!(body["type"], 4, "{body}");
    let content = body["data"]["content"].as_str().expect("content");
    assert!(!content.is_empty() && content.chars().count() <= 2000);
    assert_eq!(
        body["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "public: {body}"
    );
    let mentions = &body["data"]["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "{body}");
    assert_eq!(
        mentions["users"],
        json!([STRANGER.to_string()]),
        "only the caller: {body}"
    );

    let help = served.fake.command_interaction(
        1100000000000000402,
        STRANGER,
        "help",
        json!([{"name": "command", "type": 3, "value": "windows"}]),
    );
    let body = interaction_response(served.post_signed(&help).await).await;
    assert_eq!(body["type"], 4, "{body}");
    assert!(
        body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("windows")),
        "{body}"
    );

    // A mistake is answered privately, like on the gateway.
    let bad = served.fake.command_interaction(
        1100000000000000403,
        STRANGER,
        "windows",
        json!([{"name": "scope", "type": 3, "value": "!!"}]),
    );
    let body = interaction_response(served.post_signed(&bad).await).await;
    assert_eq!(body["type"], 4, "{body}");
    assert_eq!(
        body["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        EPHEMERAL,
        "{body}"
    );

    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocompletion_is_answered_in_the_response_body() {
    let served = Served::start().await;
    let typing = json!([{"name": "scope", "type": 3, "value": "ken", "focused": true}]);
    let interaction = served
        .fake
        .autocomplete_interaction(1100000000000000501, STRANGER, "windows", typing);
    let body = interaction_response(served.post_signed(&interaction).await).await;
    assert_eq!(body["type"], 8, "{body}");
    let choices = body["data"]["choices"].as_array().expect("choices");
    assert_eq!(choices.first().map(|c| &c["value"]), Some(&json!("KE")), "{body}");
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_an_interaction_gets_400_not_a_panic() {
    let served = Served::start().await;
    let now = Utc::now().timestamp();
    for body in [
        &b""[..],
        b"not json",
        b"{}",
        br#"{"type":"1"}"#,
        br#"{"type":999}"#,
        br#"{"type":2}"#,
        br#"{"type":2,"id":"x","data":{"name":"windows"}}"#,
        br#"{"type":3,"id":"1"}"#,
    ] {
        let response = served.post_signed_at(&application_key(), now, body).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_still_running_after_2_s_is_deferred_then_its_reply_edited_in_over_rest() {
    let served = Served::unevaluated().await;
    let id = 1100000000000000601;
    let windows = served
        .fake
        .command_interaction(id, STRANGER, "windows", Value::Null);
    let sent = std::time::Instant::now();
    let body = interaction_response(served.post_signed(&windows).await).await;
    assert!(
        sent.elapsed() < FakeDiscord::ACK_DEADLINE,
        "answered after {:?}",
        sent.elapsed()
    );
    assert_eq!(body["type"], 5, "deferred: {body}");
    assert_eq!(
        body["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL,
        0,
        "public: {body}"
    );
    served
        .chat
        .engine()
        .evaluate(Utc::now().date_naive())
        .await
        .unwrap();
    // The reply replaces the deferred response through the interaction's webhook.
    let edit = served
        .fake
        .wait_for_request(
            "PATCH",
            &format!(
                "/webhooks/{}/itoken-{id}/messages/@original",
                FakeDiscord::APPLICATION_ID
            ),
            Duration::from_secs(30),
        )
        .await;
    let content = edit.body["content"].as_str().unwrap_or_default();
    assert!(!content.is_empty(), "{}", edit.body);
    assert_eq!(
        edit.body["allowed_mentions"]["users"],
        json!([STRANGER.to_string()]),
        "{}",
        edit.body
    );
    assert_eq!(runs(&served.chat, "windows", "ok"), 1);
    // Every request body Vigie sent validates (the fake checks them against the same description).
    assert_eq!(served.fake.violations(), Vec::<String>::new());
    served.stop().await;
}
