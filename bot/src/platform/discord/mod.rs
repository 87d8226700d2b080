//! Vigie on Discord, in gateway mode: serenity's client keeps the websocket to Discord's gateway
//! (reconnecting and resuming by itself), and Vigie answers its application (slash) commands.
//! Compiled only with the `discord` cargo feature; serenity's types never leave this module: the
//! rest of Vigie sees a [`Caller`](crate::chat::Caller) and answers with a
//! [`Reply`](crate::chat::Reply).
//!
//! - `register`: at every READY, the commands rendered by [`crate::command::discord`] are
//!   registered (one bulk overwrite per guild, or globally) only when their definition hash
//!   differs from the one stored for that scope: Discord allows 200 creates per guild per day,
//!   and a bot reconnects far more often than its commands change;
//! - `interaction`: an interaction id is recorded before anything is done with it (a double
//!   delivery is answered once), its typed options become an
//!   [`Invocation`](crate::command::Invocation), and the reply goes back within Discord's three
//!   seconds (deferred, then edited, when the command takes longer);
//! - `component`: buttons on Vigie's messages, routed by their `custom_id` alone so that they
//!   survive restarts: Claim, Release and Snooze on alerts run the same `window` commands as
//!   typed, with the presser's permissions; `modal`: "Nominate" buttons on a campaign open for
//!   nominations open a modal whose submission runs `nominate`;
//! - `autocomplete`: suggestions while an option is typed (commands, countries, scopes and
//!   topics, feeds, rules, windows);
//! - `reply`: the pure rendering decisions (pieces within Discord's 2000 characters, what is
//!   private, who is a room admin);
//! - `send`: the outbox's messages to `discord:<channel id>` receivers, with a nonce derived
//!   from the outbox id so that a retry never posts twice, and an alert's buttons.
//! - `poll` (`[discord] native_polls`): quick polls posted as native Discord polls, their votes
//!   (MESSAGE_POLL_VOTE_ADD/REMOVE, read again at READY) counted as ballots, ended early with the
//!   results in reply when the poll closes;
//! - `endpoint` (the `discord-http` feature): interactions POSTed by Discord to Vigie's HTTP
//!   listener, their Ed25519 signature and age checked, answered through the same parts.
//!
//! With `api_url` other than Discord's own, every REST call goes there (a local fake Discord in
//! tests); serenity's rate limiter is then off, since it would rebuild requests without the proxy
//! and call discord.com.

mod autocomplete;
mod ballot;
mod component;
#[cfg(feature = "discord-http")]
pub mod endpoint;
mod interaction;
mod modal;
mod poll;
mod register;
mod reply;
mod send;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serenity::all::{
    Context, EventHandler, GatewayIntents, Interaction, MessagePollVoteAddEvent, MessagePollVoteRemoveEvent,
    Ready,
};
use serenity::http::HttpBuilder;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::chat::Chat;
use crate::chat::events::EventLog;
use crate::config::Discord;

/// How long stopping waits for commands in progress to send their replies.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Runs Vigie's Discord bot until `cancel`: connects to the gateway, registers the commands when
/// they changed, and answers interactions. Returns an error when the bot cannot connect at all
/// (a refused token); serenity retries transient gateway failures itself.
pub async fn run(config: Discord, chat: Chat, cancel: CancellationToken) -> anyhow::Result<()> {
    let mut http = HttpBuilder::new(&config.token);
    if config.proxied() {
        http = http.proxy(config.api_url.as_str()).ratelimiter_disabled(true);
    }
    let tasks = TaskTracker::new();
    // Everything started here stops with `run`, whichever way it ends.
    let stop = cancel.child_token();
    let handler = Handler(Arc::new(Inner {
        events: EventLog::start(chat.store().clone(), "discord"),
        registration: register::Registration::new(config.guilds.clone()),
        chat: chat.clone(),
        tasks: tasks.clone(),
        polls: config.native_polls.then(Arc::default),
        stop: stop.clone(),
    }));
    // Interactions come whatever the intents; GUILDS tells which servers the bot is in, and
    // GUILD_MESSAGE_POLLS brings the votes on native polls.
    let mut intents = GatewayIntents::GUILDS;
    if config.native_polls {
        intents |= GatewayIntents::GUILD_MESSAGE_POLLS;
    }
    let mut client = serenity::client::ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(handler)
        .await
        .context("the Discord client cannot be set up")?;
    let shards = client.shard_manager.clone();
    // Alerts go out over REST, connected to the gateway or not, while this instance leads
    // `outbox:discord`.
    tasks.spawn(send::deliver_outbox(
        client.http.clone(),
        chat.clone(),
        stop.clone(),
    ));
    let result = tokio::select! {
        started = client.start() => started.context("the Discord gateway connection ended"),
        () = cancel.cancelled() => {
            shards.shutdown_all().await;
            Ok(())
        }
    };
    stop.cancel();
    tasks.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tasks.wait()).await.is_err() {
        tracing::warn!("Discord commands were still running after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    if result.is_ok() && !cancel.is_cancelled() {
        anyhow::bail!("the Discord gateway connection ended");
    }
    result
}

/// A serenity error in one sentence, without the request's URL: an interaction's URL holds its
/// token, which must not reach the logs.
fn describe(e: &serenity::Error) -> String {
    use serenity::http::HttpError;
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            format!("Discord answered {}: {}", response.status_code, e)
        }
        serenity::Error::Http(HttpError::Request(r)) if r.is_timeout() => "the request timed out".into(),
        serenity::Error::Http(HttpError::Request(r)) if r.is_connect() => {
            "Discord could not be reached".into()
        }
        serenity::Error::Http(HttpError::Request(_)) => "the request failed on its way".into(),
        other => other.to_string(),
    }
}

/// What the event handler shares between events. Cheap to clone.
#[derive(Clone)]
struct Handler(Arc<Inner>);

impl Handler {
    /// Runs `answer` as a tracked task, so that a stop waits for a reply in progress; a panic in
    /// it is logged, naming `what` was being answered.
    async fn tracked(&self, what: &str, answer: impl Future<Output = ()> + Send + 'static) {
        if let Err(e) = self.0.tasks.spawn(answer).await {
            tracing::error!(error = %e, "answering a Discord {what} panicked");
        }
    }

    /// Applies a vote on a native poll, when native polls are on.
    async fn poll_vote(&self, vote: poll::VoteEvent) {
        if let Some(polls) = &self.0.polls {
            poll::vote(polls, &self.0.chat, vote).await;
        }
    }
}

struct Inner {
    chat: Chat,
    /// Where each interaction id is taken before it is acted on.
    events: EventLog,
    registration: register::Registration,
    /// Answers in progress, waited for at shutdown.
    tasks: TaskTracker,
    /// Native polls, unless `native_polls = false`.
    polls: Option<Arc<poll::Polls>>,
    /// Stops what runs beside the gateway (the outbox, the poll tick).
    stop: CancellationToken,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        ctx.http.set_application_id(ready.application.id);
        tracing::info!(
            user = %ready.user.id,
            guilds = ready.guilds.len(),
            "Discord: connected to the gateway"
        );
        if let Some(polls) = &self.0.polls {
            poll::on_ready(polls, &self.0.chat, &ctx.http, &self.0.tasks, &self.0.stop);
        }
        self.0
            .registration
            .ensure(&ctx.http, &self.0.chat, ready.application.id)
            .await;
    }

    async fn poll_vote_add(&self, _ctx: Context, event: MessagePollVoteAddEvent) {
        let vote = poll::VoteEvent {
            user: event.user_id,
            channel: event.channel_id,
            message: event.message_id,
            answer: event.answer_id,
            added: true,
        };
        self.poll_vote(vote).await;
    }

    async fn poll_vote_remove(&self, _ctx: Context, event: MessagePollVoteRemoveEvent) {
        let vote = poll::VoteEvent {
            user: event.user_id,
            channel: event.channel_id,
            message: event.message_id,
            answer: event.answer_id,
            added: false,
        };
        self.poll_vote(vote).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let handler = self.clone();
        match interaction {
            // `/vote campaign:N` without a ballot: the private ballot form.
            Interaction::Command(command) if ballot::is_blank_vote(&command) => {
                self.tracked("ballot form", async move {
                    ballot::on_vote(&handler.0, &ctx, command).await
                })
                .await
            }
            Interaction::Command(command) => {
                self.tracked("command", async move {
                    interaction::answer(&handler.0, &ctx, command).await
                })
                .await
            }
            Interaction::Autocomplete(typing) => autocomplete::answer(&self.0, &ctx, typing).await,
            Interaction::Component(press) => {
                self.tracked("button", async move {
                    component::answer(&handler.0, &ctx, press).await
                })
                .await
            }
            Interaction::Modal(submitted) => {
                self.tracked("modal", async move {
                    modal::answer(&handler.0, &ctx, submitted).await
                })
                .await
            }
            other => tracing::debug!(
                interaction = %other.id(),
                "a Discord interaction of a kind Vigie does not handle yet was ignored"
            ),
        }
    }
}
