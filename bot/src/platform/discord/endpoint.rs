//! Discord's interactions by HTTP (the `discord-http` cargo feature): with an "Interactions
//! Endpoint URL" set in the developer portal, Discord POSTs every interaction to Vigie's HTTP
//! listener (at `discord.interactions_path`) instead of sending it down the gateway, and the
//! response to the POST is the interaction's initial response.
//!
//! Anyone can POST there, so every request is checked before anything is read from it:
//! `X-Signature-Ed25519` must be the application key's signature of `X-Signature-Timestamp`
//! followed by the body (Discord itself sends badly signed requests to check that they get 401),
//! and the timestamp must be at most [`MAX_AGE`] old and at most [`MAX_AHEAD`] in the future, so a
//! captured request cannot be replayed later. One replayed sooner is acted on once: its
//! interaction id is taken from the event log first, the same log as the gateway's.
//!
//! Commands and autocompletion are answered by the gateway path's parts (options into an
//! [`Invocation`](crate::command::Invocation), the caller and language, the reply's pieces, what
//! is private). A command that has not finished after [`DEFER_AFTER`] gets a deferred response
//! ("Vigie is thinking…"), and its reply then replaces it over REST, with serenity's `Http`; so do
//! a reply with a picture (the HTTP response carries JSON only) and the pieces of a long reply
//! after the first.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use serenity::all::{
    CommandInteraction, CreateInteractionResponse, CreateInteractionResponseMessage, Interaction,
};
use serenity::http::{Http, HttpBuilder};
use tokio_util::task::TaskTracker;

use super::interaction::{Asked, DEFER_AFTER, caller, complete, follow_up, invocation, language, mentions};
use super::{autocomplete, describe, reply};
use crate::chat::Chat;
use crate::chat::events::EventLog;
use crate::config::{Discord, Interactions};
use crate::http::sentence;
use crate::metrics::Outcome;

/// The oldest a signed request may be, in seconds: Discord sends it at once.
pub const MAX_AGE: i64 = 5 * 60;

/// How far in the future a request may be dated, in seconds: the clocks of Discord and of this
/// machine may differ a little.
pub const MAX_AHEAD: i64 = 60;

/// The headers Discord signs a request with.
pub const SIGNATURE: &str = "x-signature-ed25519";
pub const TIMESTAMP: &str = "x-signature-timestamp";

/// Why a request was refused before being read: each is answered 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the request is not signed: expected X-Signature-Ed25519 and X-Signature-Timestamp")]
    Unsigned,
    #[error("X-Signature-Ed25519 is not a signature: expected 128 hexadecimal characters")]
    Malformed,
    #[error("the signature does not match the request")]
    Forged,
    #[error("X-Signature-Timestamp is not a time: expected seconds since 1970")]
    Undated,
    #[error("the request is more than 5 minutes old")]
    Stale,
    #[error("the request is dated in the future")]
    Ahead,
}

/// The application's public key, from its 64 hexadecimal characters; `None` if they are not a
/// key (not hexadecimal, not 32 bytes, not a point of the curve).
pub fn public_key(hex: &str) -> Option<VerifyingKey> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex.trim(), &mut bytes).ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether a request comes from Discord, now: `signature` (hexadecimal) verifies `timestamp`
/// followed by `body` under `key`, and `timestamp` (Unix seconds) is neither older than
/// [`MAX_AGE`] nor further ahead of `now` than [`MAX_AHEAD`]. The age is checked after the
/// signature, so that it is a time Discord wrote. Verification is the crate's constant-time one,
/// in its strict form (no malleable signatures, no weak keys).
pub fn verify(
    key: &VerifyingKey,
    signature: &str,
    timestamp: &str,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let mut bytes = [0u8; 64];
    hex::decode_to_slice(signature, &mut bytes).map_err(|_| Refusal::Malformed)?;
    let signature = Signature::from_bytes(&bytes);
    let mut signed = Vec::with_capacity(timestamp.len() + body.len());
    signed.extend_from_slice(timestamp.as_bytes());
    signed.extend_from_slice(body);
    key.verify_strict(&signed, &signature)
        .map_err(|_| Refusal::Forged)?;
    // Digits only (no sign, no spaces), and few enough that the subtraction cannot overflow.
    let at = Some(timestamp)
        .filter(|t| (1..=12).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or(Refusal::Undated)?;
    let age = now.timestamp() - at;
    if age > MAX_AGE {
        Err(Refusal::Stale)
    } else if age < -MAX_AHEAD {
        Err(Refusal::Ahead)
    } else {
        Ok(())
    }
}

/// Interaction types, as Discord numbers them.
const PING: u8 = 1;
const APPLICATION_COMMAND: u8 = 2;
const AUTOCOMPLETE: u8 = 4;

/// What the endpoint answers with.
struct Endpoint {
    key: VerifyingKey,
    chat: Chat,
    /// Where each interaction id is taken before it is acted on (the gateway's log too).
    events: EventLog,
    /// For what follows a response: edits, follow-ups. Its application id is set from the
    /// interactions themselves.
    http: Arc<Http>,
    /// Replies still being sent after their response, waited for at shutdown.
    tasks: TaskTracker,
}

/// The listener's routes for Discord: the interactions endpoint at `interactions_path` when
/// `config` takes interactions by HTTP, else none. `tasks` tracks the replies that outlive their
/// request.
pub fn routes(config: &Discord, chat: Chat, tasks: TaskTracker) -> anyhow::Result<Router> {
    if config.interactions != Interactions::Http {
        return Ok(Router::new());
    }
    let key = config
        .public_key
        .as_deref()
        .and_then(public_key)
        .context("discord.public_key is not the application's Ed25519 public key")?;
    let mut http = HttpBuilder::new(&config.token);
    if config.proxied() {
        http = http.proxy(config.api_url.as_str()).ratelimiter_disabled(true);
    }
    let endpoint = Arc::new(Endpoint {
        key,
        events: EventLog::start(chat.store().clone(), "discord"),
        chat,
        http: Arc::new(http.build()),
        tasks,
    });
    tracing::info!(path = %config.interactions_path, "Discord interactions are taken by HTTP");
    Ok(Router::new()
        .route(&config.interactions_path, post(receive).fallback(only_post))
        .with_state(endpoint))
}

/// The part of an interaction read before the rest: its type.
#[derive(serde::Deserialize)]
struct Head {
    #[serde(rename = "type")]
    kind: u8,
}

async fn receive(State(endpoint): State<Arc<Endpoint>>, headers: HeaderMap, body: Bytes) -> Response {
    let received = Instant::now();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let checked = match (header(SIGNATURE), header(TIMESTAMP)) {
        (Some(signature), Some(timestamp)) => verify(&endpoint.key, signature, timestamp, &body, Utc::now()),
        _ => Err(Refusal::Unsigned),
    };
    if let Err(refusal) = checked {
        // Discord's own probes end here, as does anyone else's request: not worth a warning.
        tracing::debug!(%refusal, "an interaction POST was refused");
        return sentence(StatusCode::UNAUTHORIZED, &refusal.to_string());
    }
    let kind = match serde_json::from_slice::<Head>(&body) {
        Ok(head) => head.kind,
        Err(_) => return unreadable(),
    };
    match kind {
        PING => json(br#"{"type":1}"#.to_vec()),
        APPLICATION_COMMAND | AUTOCOMPLETE => match serde_json::from_slice::<Interaction>(&body) {
            Ok(Interaction::Command(interaction)) => command(&endpoint, interaction, received).await,
            Ok(Interaction::Autocomplete(interaction)) => {
                let choices = autocomplete::choices(&endpoint.chat, &interaction.data).await;
                respond(&CreateInteractionResponse::Autocomplete(choices))
            }
            Ok(_) | Err(_) => unreadable(),
        },
        other => {
            tracing::warn!(
                kind = other,
                "a Discord interaction of a kind Vigie does not take by HTTP was refused"
            );
            sentence(
                StatusCode::BAD_REQUEST,
                "Vigie takes commands and autocompletion by HTTP, not this kind of interaction",
            )
        }
    }
}

fn unreadable() -> Response {
    sentence(
        StatusCode::BAD_REQUEST,
        "the body is not an interaction Vigie can read",
    )
}

async fn only_post() -> Response {
    let mut response = sentence(
        StatusCode::METHOD_NOT_ALLOWED,
        "Discord's interactions come by POST; expected POST",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

fn json(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// An interaction response as the HTTP response's body.
fn respond(response: &CreateInteractionResponse) -> Response {
    match serde_json::to_vec(response) {
        Ok(body) => json(body),
        Err(e) => {
            tracing::error!(error = %e, "an interaction response could not be written as JSON");
            sentence(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the response could not be written",
            )
        }
    }
}

fn deferred(private: bool) -> Response {
    respond(&CreateInteractionResponse::Defer(
        CreateInteractionResponseMessage::new().ephemeral(private),
    ))
}

/// Answers an application command, once: its reply as the response when it is ready within
/// [`DEFER_AFTER`] (what does not fit in it following over REST), else a deferred response that
/// the reply replaces.
async fn command(endpoint: &Arc<Endpoint>, interaction: CommandInteraction, received: Instant) -> Response {
    let id = interaction.id.to_string();
    match endpoint.events.take(&id).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(interaction = %id, "interaction already answered; skipped");
            return sentence(StatusCode::CONFLICT, "this interaction was answered already");
        }
        Err(e) => {
            tracing::error!(
                interaction = %id,
                error = format!("{e:#}"),
                "the interaction cannot be recorded, so it is not acted on (it could otherwise run twice)"
            );
            return sentence(
                StatusCode::SERVICE_UNAVAILABLE,
                "the interaction cannot be recorded now, so it is not acted on",
            );
        }
    }
    endpoint.http.set_application_id(interaction.application_id);
    let asked = Asked {
        by_http: true,
        ..Asked::command(&interaction)
    };
    let chat = endpoint.chat.clone();
    let caller = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_deref(),
    );
    let lang = language(&chat, &caller, &interaction.locale).await;
    let read = invocation(&interaction.data.name, &interaction.data.options);
    let invocation = read.as_ref().ok().cloned();
    // Decided before the outcome is known, for a deferred response: errors and personal commands.
    let private_before = reply::is_private(Outcome::Ok, invocation.as_ref()) || invocation.is_none();
    // Spawned, so that a command outlives a deferred response.
    let mut work = endpoint
        .tasks
        .spawn(async move { chat.handle_typed(&caller, lang, read).await });
    let defer_in = DEFER_AFTER.saturating_sub(received.elapsed());
    let answer = tokio::select! {
        answer = &mut work => answer,
        () = tokio::time::sleep(defer_in) => {
            let endpoint = Arc::clone(endpoint);
            endpoint.tasks.clone().spawn(async move {
                match work.await {
                    Ok(answer) => {
                        let private = reply::is_private(answer.outcome, invocation.as_ref());
                        let sent = complete(&endpoint.http, &asked, answer, private, private_before, Vec::new()).await;
                        log_sent(&asked, sent);
                    }
                    Err(e) => tracing::error!(error = %e, "a Discord command panicked"),
                }
            });
            return deferred(private_before);
        }
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(error = %e, "a Discord command panicked");
            return sentence(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the command failed (see Vigie's log)",
            );
        }
    };
    let private = reply::is_private(answer.outcome, invocation.as_ref());
    if answer.image.is_some() {
        // The response to the POST is JSON only: the picture comes with the edit.
        let http = Arc::clone(&endpoint.http);
        endpoint.tasks.spawn(async move {
            let sent = complete(&http, &asked, answer, private, private, Vec::new()).await;
            log_sent(&asked, sent);
        });
        return deferred(private);
    }
    let mut pieces = reply::pieces(&answer.markdown);
    let rest = pieces.split_off(1);
    let message = CreateInteractionResponseMessage::new()
        .content(pieces.swap_remove(0))
        .ephemeral(private)
        .allowed_mentions(mentions(&asked));
    if !rest.is_empty() {
        let http = Arc::clone(&endpoint.http);
        endpoint.tasks.spawn(async move {
            let sent = follow_up(&http, &asked, &rest, private, None).await;
            log_sent(&asked, sent);
        });
    } else {
        tracing::debug!(interaction = %id, "Discord command answered by HTTP");
    }
    respond(&CreateInteractionResponse::Message(message))
}

fn log_sent(asked: &Asked, sent: serenity::Result<()>) {
    match sent {
        Ok(()) => tracing::debug!(interaction = %asked.id, "Discord command answered"),
        Err(e) => tracing::warn!(
            interaction = %asked.id,
            error = describe(&e),
            "the reply to a Discord command could not be sent"
        ),
    }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};

    use super::*;

    fn signer() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn sign(timestamp: &str, body: &[u8]) -> String {
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body);
        hex::encode(signer().sign(&message).to_bytes())
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    #[test]
    fn a_request_signed_by_the_key_just_now_is_taken() {
        let key = signer().verifying_key();
        let body = br#"{"type":1}"#;
        for at in [1_780_000_000, 1_780_000_000 - MAX_AGE, 1_780_000_000 + MAX_AHEAD] {
            let timestamp = at.to_string();
            let signature = sign(&timestamp, body);
            assert_eq!(verify(&key, &signature, &timestamp, body, now()), Ok(()), "{at}");
            let upper = signature.to_uppercase();
            assert_eq!(verify(&key, &upper, &timestamp, body, now()), Ok(()));
        }
    }

    #[test]
    fn a_signature_of_anything_else_is_refused() {
        let key = signer().verifying_key();
        let timestamp = "1780000000";
        let signature = sign(timestamp, b"{\"type\":1}");
        let cases: [(&str, &str, &[u8]); 3] = [
            (&signature, timestamp, b"{\"type\":2}"),
            (&signature, "1780000001", b"{\"type\":1}"),
            (&sign(timestamp, b"{\"type\":2}"), timestamp, b"{\"type\":1}"),
        ];
        for (signature, timestamp, body) in cases {
            assert_eq!(
                verify(&key, signature, timestamp, body, now()),
                Err(Refusal::Forged)
            );
        }
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert_eq!(
            verify(&other, &signature, timestamp, b"{\"type\":1}", now()),
            Err(Refusal::Forged)
        );
    }

    #[test]
    fn a_signature_that_is_not_hexadecimal_is_refused() {
        let key = signer().verifying_key();
        let good = sign("1780000000", b"{}");
        let cases = [
            String::new(),
            good[..126].to_owned(),
            format!("{good}00"),
            format!("{}zz", &good[..126]),
            format!(" {}", &good[..127]),
            format!("{}é", &good[..125]),
        ];
        for signature in cases {
            assert_eq!(
                verify(&key, &signature, "1780000000", b"{}", now()),
                Err(Refusal::Malformed),
                "{signature:?}"
            );
        }
    }

    #[test]
    fn an_old_request_or_one_from_the_future_is_refused_even_well_signed() {
        let key = signer().verifying_key();
        let cases = [
            ((1_780_000_000 - MAX_AGE - 1).to_string(), Refusal::Stale),
            ("0".to_owned(), Refusal::Stale),
            ((1_780_000_000 + MAX_AHEAD + 1).to_string(), Refusal::Ahead),
            ("999999999999".to_owned(), Refusal::Ahead),
            (String::new(), Refusal::Undated),
            ("+1780000000".to_owned(), Refusal::Undated),
            ("1780000000.5".to_owned(), Refusal::Undated),
            ("2026-06-01T00:00:00Z".to_owned(), Refusal::Undated),
            ("9".repeat(13), Refusal::Undated),
        ];
        for (timestamp, refusal) in cases {
            let signature = sign(&timestamp, b"{}");
            assert_eq!(
                verify(&key, &signature, &timestamp, b"{}", now()),
                Err(refusal),
                "{timestamp:?}"
            );
        }
    }

    #[test]
    fn a_public_key_is_64_hexadecimal_characters_of_a_curve_point() {
        let key = hex::encode(signer().verifying_key().to_bytes());
        assert_eq!(public_key(&key), Some(signer().verifying_key()));
        assert_eq!(public_key(&key.to_uppercase()), Some(signer().verifying_key()));
        assert!(public_key(&key[..62]).is_none());
        assert!(public_key(&format!("{key}00")).is_none());
        assert!(public_key(&"g".repeat(64)).is_none());
        assert!(public_key("").is_none());
        // y = 2 is not the y of any point of Ed25519.
        let off_curve = format!("02{}", "0".repeat(62));
        assert!(public_key(&off_curve).is_none());
    }
}
