//! Running chat commands, whatever the platform: a line of text (or a Discord interaction turned
//! into an [`Invocation`]) from a [`Caller`] becomes one [`Reply`] in Markdown, in the caller's
//! language. Permissions are checked here, once for every platform; platforms only say who is
//! speaking, where, and whether the room itself makes them an admin.
//!
//! Bad input is a reply with one sentence, and changes nothing. An internal error is logged with
//! its whole chain and the room gets a short sentence with a reference to find it in the logs.

mod alert;
mod award;
pub mod events;
mod info;
pub mod poll;
mod room;
mod window;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use chrono::{DateTime, Utc};
use vigie_storage::{LanguageScope, Role, Store};

use crate::alert::Alerts;
use crate::command::locale::{Args, arg};
use crate::command::{self, Id, Invocation, Lang, Level, Locales, ParseError, help};
use crate::engine::Engine;
use crate::metrics::{Metrics, Outcome};

/// How long a command that arrives right after a start waits for the first evaluation.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Which platform a command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Console,
    Matrix,
    Discord,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Console => "console",
            Self::Matrix => "matrix",
            Self::Discord => "discord",
        }
    }
}

/// Who runs a command, and where.
#[derive(Debug, Clone)]
pub struct Caller {
    pub platform: Platform,
    /// Platform-qualified: `matrix:@alice:example.org`, `discord:1234…`, `console:operator`.
    pub user: String,
    /// Platform-qualified: `matrix:!abc:example.org`, `console`.
    pub room: String,
    /// The platform makes this person an admin in this room (Matrix power level, Discord
    /// Manage Server permission).
    pub room_admin: bool,
    /// The room is a direct chat between this person and Vigie alone (a Matrix room marked
    /// direct with them, nobody else in it): what is said there is not read by others, so a
    /// secret ballot may be cast there.
    pub direct: bool,
}

impl Caller {
    /// The person at the terminal: an admin.
    pub fn console() -> Self {
        Self {
            platform: Platform::Console,
            user: "console:operator".into(),
            room: "console".into(),
            room_admin: true,
            direct: false,
        }
    }
}

/// The answer to one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Markdown; platforms render it natively (HTML with a plain fallback on Matrix).
    pub markdown: String,
    pub outcome: Outcome,
    /// A picture posted after the text (award results as a chart), if the command drew one.
    pub image: Option<Image>,
    /// The command's own message should leave the room (a secret ballot typed where others
    /// read it): a platform that can remove it does; one that cannot adds
    /// [`Redaction::unremoved`] to the reply.
    pub redact_command: Option<Redaction>,
}

/// Taking a command's message out of its room, in the caller's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// Why, as the room sees it (Matrix shows it with the removed message).
    pub reason: String,
    /// The sentence added to the reply when the message could not be removed: the person is
    /// asked to remove it.
    pub unremoved: String,
}

impl Reply {
    /// This reply with `image` posted after its text.
    pub fn with_image(mut self, image: Image) -> Self {
        self.image = Some(image);
        self
    }
}

/// A picture that goes with a reply: platforms post it after the text, in the same place.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    /// The file name people see and download: `results-open-gov-2026.png`.
    pub name: String,
    /// The picture, PNG-encoded (see [`crate::chart`]).
    pub png: Vec<u8>,
    /// What the picture shows, in words, for people who cannot see it.
    pub alt: String,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Image")
            .field("name", &self.name)
            .field("png", &format_args!("{} bytes", self.png.len()))
            .field("alt", &self.alt)
            .finish()
    }
}

/// Sentences for platform situations that are not commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// An encrypted message Vigie could not decrypt.
    Undecryptable,
}

/// Runs commands. Cheap to clone.
#[derive(Clone)]
pub struct Chat(Arc<Inner>);

struct Inner {
    engine: Arc<Engine>,
    locales: Locales,
    metrics: Metrics,
    default_lang: Lang,
    prefix: String,
    /// The alert side, for `why` and `digest now`; without it they say alerts are not running.
    alerts: OnceLock<Arc<Alerts>>,
}

/// What a handler gives back: the text, or a refusal or user error already worded.
pub(crate) type Handled = Result<String, Refusal>;

/// A command that did not do what was asked, with the sentence saying why.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Bad input or a state that does not allow it (one sentence; nothing changed).
    User(String),
    /// Something broke inside Vigie.
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for Refusal {
    fn from(e: anyhow::Error) -> Self {
        Self::Internal(e)
    }
}

impl From<vigie_storage::StorageError> for Refusal {
    fn from(e: vigie_storage::StorageError) -> Self {
        Self::Internal(e.into())
    }
}

/// Everything a handler needs about one command being run.
pub(crate) struct Ctx<'a> {
    pub chat: &'a Chat,
    pub caller: &'a Caller,
    pub lang: Lang,
    pub level: Level,
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    pub fn t(&self, id: &str, args: &Args<'_>) -> String {
        self.chat.0.locales.text(self.lang, id, args)
    }

    pub fn engine(&self) -> &Engine {
        &self.chat.0.engine
    }

    pub fn store(&self) -> &Store {
        self.chat.0.engine.store()
    }

    /// A refusal with the sentence `id`.
    pub fn refuse(&self, id: &str, args: &Args<'_>) -> Refusal {
        Refusal::User(self.t(id, args))
    }
}

impl Chat {
    pub fn new(engine: Arc<Engine>, metrics: Metrics) -> Self {
        let chat = &engine.config().chat;
        let default_lang = Lang::parse(&chat.language).unwrap_or_default();
        let prefix = chat.prefix.clone();
        Self(Arc::new(Inner {
            engine,
            locales: Locales::new(),
            metrics,
            default_lang,
            prefix,
            alerts: OnceLock::new(),
        }))
    }

    /// Gives `why` and `digest now` the alert side. Every clone of this chat sees it; only the
    /// first call counts.
    pub fn with_alerts(self, alerts: Arc<Alerts>) -> Self {
        if self.0.alerts.set(alerts).is_err() {
            tracing::warn!("the chat already has its alerts; the new ones are ignored");
        }
        self
    }

    /// The alert side, when `vigie run` gave it and `[alerts]` is enabled.
    pub(crate) fn alerts(&self) -> Option<&Arc<Alerts>> {
        self.0.alerts.get().filter(|a| a.enabled())
    }

    pub fn store(&self) -> &Store {
        self.0.engine.store()
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.0.engine
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn locales(&self) -> &Locales {
        &self.0.locales
    }

    /// The word that starts a command in a room.
    pub fn prefix(&self) -> &str {
        &self.0.prefix
    }

    /// Runs one command line (the text after the prefix). Never panics; errors are replies.
    pub async fn handle(&self, caller: &Caller, line: &str) -> Reply {
        let started = Instant::now();
        self.0.engine.ready(READY_WAIT).await;
        let (lang, level) = self.standing(caller).await;
        self.answer_read(started, caller, lang, Some(level), command::parse(line))
            .await
    }

    /// Runs a command a platform read itself (Discord gives options typed) the way `handle` runs
    /// a line: once the windows are evaluated, with its metrics; `read` is the invocation, or
    /// why its options could not be read (answered with the same sentence as a typed line).
    pub async fn handle_typed(
        &self,
        caller: &Caller,
        lang: Lang,
        read: Result<Invocation, ParseError>,
    ) -> Reply {
        let started = Instant::now();
        self.0.engine.ready(READY_WAIT).await;
        self.answer_read(started, caller, lang, None, read).await
    }

    /// The reply to what `handle` or `handle_typed` read, counted in the metrics from `started`;
    /// `level` is the caller's, when it was read already.
    async fn answer_read(
        &self,
        started: Instant,
        caller: &Caller,
        lang: Lang,
        level: Option<anyhow::Result<Level>>,
        read: Result<Invocation, ParseError>,
    ) -> Reply {
        let (name, reply) = match read {
            Ok(invocation) => {
                let level = match level {
                    Some(level) => level,
                    None => self.level(caller).await,
                };
                (
                    invocation.spec.name(),
                    self.run_as(caller, lang, level, &invocation).await,
                )
            }
            Err(e) => (
                "(unparsed)".to_owned(),
                Reply {
                    markdown: help::error(&self.0.locales, lang, &e),
                    outcome: Outcome::UserError,
                    image: None,
                    redact_command: None,
                },
            ),
        };
        self.0
            .metrics
            .record_command(&name, reply.outcome, started.elapsed());
        reply
    }

    /// Runs a command already read, without waiting for the windows or counting it in the
    /// metrics (`handle` and `handle_typed` do both).
    pub async fn run(&self, caller: &Caller, lang: Lang, invocation: &Invocation) -> Reply {
        let level = self.level(caller).await;
        self.run_as(caller, lang, level, invocation).await
    }

    /// `run`, for a caller whose level was read already.
    async fn run_as(
        &self,
        caller: &Caller,
        lang: Lang,
        level: anyhow::Result<Level>,
        invocation: &Invocation,
    ) -> Reply {
        let mut reply = self.answer(caller, lang, level, invocation).await;
        if self.secret_ballot_in_room(caller, invocation).await {
            reply.redact_command = Some(Redaction {
                reason: self.0.locales.text(lang, "award-redact-reason", &[]),
                unremoved: self.0.locales.text(lang, "award-redact-yourself", &[]),
            });
        }
        reply
    }

    /// Whether `invocation` is a ballot of a secret campaign typed in a room others read (not
    /// the console, not the caller's direct chat with Vigie): whatever the answer, the message
    /// should leave the room.
    async fn secret_ballot_in_room(&self, caller: &Caller, invocation: &Invocation) -> bool {
        if invocation.spec.id != Id::Vote || caller.platform == Platform::Console || caller.direct {
            return false;
        }
        let Some(id) = invocation.campaign("campaign") else {
            return false;
        };
        match self.store().award_campaign(&id.to_string()).await {
            Ok(Some(c)) => c.rules().secrecy == vigie_awards::campaign::Secrecy::Secret,
            Ok(None) => false,
            Err(e) => {
                // Unknown: better removed than read.
                tracing::warn!(
                    error = format!("{e:#}"),
                    "reading a campaign to keep a ballot secret failed"
                );
                true
            }
        }
    }

    async fn answer(
        &self,
        caller: &Caller,
        lang: Lang,
        level: anyhow::Result<Level>,
        invocation: &Invocation,
    ) -> Reply {
        let level = match level {
            Ok(level) => level,
            Err(e) => return self.internal(lang, &invocation.spec.name(), e),
        };
        if level < invocation.spec.level {
            let markdown = self.0.locales.text(
                lang,
                "err-refused",
                &[
                    ("command", arg(invocation.spec.name())),
                    ("level", arg(invocation.spec.level.as_str())),
                ],
            );
            return Reply {
                markdown,
                outcome: Outcome::Refused,
                image: None,
                redact_command: None,
            };
        }
        let ctx = Ctx {
            chat: self,
            caller,
            lang,
            level,
            now: Utc::now(),
        };
        // The one command that draws a picture: `award results` (its chart).
        let mut image = None;
        let result = match invocation.spec.id {
            Id::Help => Ok(match invocation.text("command") {
                Some(name) => help::details(&self.0.locales, lang, name),
                None => help::overview(&self.0.locales, lang),
            }),
            Id::Windows => window::list(&ctx, invocation).await,
            Id::WindowShow => window::show(&ctx, invocation).await,
            Id::WindowClaim => window::claim(&ctx, invocation).await,
            Id::WindowRelease => window::release(&ctx, invocation).await,
            Id::WindowNote => window::note(&ctx, invocation).await,
            Id::WindowDone => window::done(&ctx, invocation).await,
            Id::WindowSnooze => window::snooze(&ctx, invocation).await,
            Id::Calendar => info::calendar(&ctx, invocation).await,
            Id::Member => info::member(&ctx, invocation).await,
            Id::Feeds => info::feeds(&ctx).await,
            Id::FeedsSync => info::feeds_sync(&ctx, invocation).await,
            Id::RulesCheck => info::rules_check(&ctx).await,
            Id::RulesReload => info::rules_reload(&ctx).await,
            Id::RulesTest => info::rules_test(&ctx, invocation).await,
            Id::Subscribe => room::subscribe(&ctx, invocation).await,
            Id::Unsubscribe => room::unsubscribe(&ctx, invocation).await,
            Id::Subscriptions => room::subscriptions(&ctx).await,
            Id::PeersList => room::peers(&ctx).await,
            Id::PeersAdd => room::peers_add(&ctx, invocation).await,
            Id::PeersRemove => room::peers_remove(&ctx, invocation).await,
            Id::Language => room::language(&ctx, invocation).await,
            Id::Silence => alert::silence(&ctx, invocation).await,
            Id::Silences => alert::silences(&ctx).await,
            Id::Unsilence => alert::unsilence(&ctx, invocation).await,
            Id::DigestNow => alert::digest_now(&ctx).await,
            Id::Why => alert::why(&ctx, invocation).await,
            Id::Audit => alert::audit(&ctx, invocation).await,
            Id::AwardOpen => award::open(&ctx, invocation).await,
            Id::AwardList => award::list(&ctx).await,
            Id::AwardShow => award::show(&ctx, invocation).await,
            Id::AwardClose => award::close(&ctx, invocation).await,
            Id::AwardCertify => award::certify(&ctx, invocation).await,
            Id::AwardResults => award::results(&ctx, invocation).await.map(|(text, chart)| {
                image = chart;
                text
            }),
            Id::AwardExport => award::export(&ctx, invocation).await,
            Id::Nominate => award::nominate(&ctx, invocation).await,
            Id::Second => award::second(&ctx, invocation).await,
            Id::Withdraw => award::withdraw(&ctx, invocation).await,
            Id::Nominations => award::nominations(&ctx, invocation).await,
            Id::Vote => award::vote(&ctx, invocation).await,
            Id::Recuse => award::recuse(&ctx, invocation).await,
            Id::Turnout => award::turnout(&ctx, invocation).await,
            Id::Poll => poll::create(&ctx, invocation).await,
            Id::PollClose => poll::close(&ctx, invocation).await,
            Id::PollResults => poll::results(&ctx, invocation).await,
        };
        match result {
            Ok(markdown) => Reply {
                markdown,
                outcome: Outcome::Ok,
                image,
                redact_command: None,
            },
            Err(Refusal::User(markdown)) => Reply {
                markdown,
                outcome: Outcome::UserError,
                image: None,
                redact_command: None,
            },
            Err(Refusal::Internal(e)) => self.internal(lang, &invocation.spec.name(), e),
        }
    }

    /// The caller as an award campaign sees them: their level here, and the region, country
    /// and organisation Vigie knows for them (what a typed ballot is cast as).
    pub async fn award_actor(&self, caller: &Caller) -> anyhow::Result<vigie_awards::eligibility::Actor> {
        let level = self.level(caller).await?;
        Ok(award::actor_of(self.store(), &caller.user, level).await?)
    }

    /// The reply to `command` failing on Vigie's side: a sentence with a reference that ties it
    /// to the error in the logs.
    pub(crate) fn internal(&self, lang: Lang, command: &str, e: anyhow::Error) -> Reply {
        let reference = format!("{:08x}", rand_reference());
        tracing::error!(command, reference, error = format!("{e:#}"), "a command failed");
        Reply {
            markdown: self
                .0
                .locales
                .text(lang, "err-internal", &[("reference", arg(reference))]),
            outcome: Outcome::Failed,
            image: None,
            redact_command: None,
        }
    }

    /// One localised sentence for a platform situation, in the caller's language.
    pub async fn notice(&self, caller: &Caller, notice: Notice) -> String {
        let lang = self.language(caller).await;
        let id = match notice {
            Notice::Undecryptable => "notice-undecryptable",
        };
        self.0.locales.text(lang, id, &[])
    }

    /// Whether this user is a known admin or peer (invitations from them are accepted).
    pub async fn knows(&self, user: &str) -> bool {
        matches!(self.store().peer(user).await, Ok(Some(_)))
    }

    /// What the caller may do: the console is an admin; then the peers table; then the room.
    pub async fn level(&self, caller: &Caller) -> anyhow::Result<Level> {
        if caller.platform == Platform::Console {
            return Ok(Level::Admin);
        }
        let role = self.store().peer(&caller.user).await?.map(|p| p.role);
        Ok(self.level_of(caller, role))
    }

    /// The caller's language and level, read in one query (what a command needs before it runs:
    /// `language` and `level` would read three times).
    async fn standing(&self, caller: &Caller) -> (Lang, anyhow::Result<Level>) {
        let profile = match self.store().caller_profile(&caller.user, &caller.room).await {
            Ok(profile) => profile,
            // The command answers with the reference of this error, in the default language.
            Err(e) => {
                let e = anyhow::Error::new(e).context("reading the caller's role and languages failed");
                return (self.0.default_lang, Err(e));
            }
        };
        let lang = [&profile.user_language, &profile.room_language]
            .into_iter()
            .flatten()
            .find_map(|code| Lang::parse(code))
            .unwrap_or(self.0.default_lang);
        (lang, Ok(self.level_of(caller, profile.role)))
    }

    /// The level of `caller`, a peer with `role` if any: the console is an admin; then the peers
    /// table; then the room.
    fn level_of(&self, caller: &Caller, role: Option<Role>) -> Level {
        if caller.platform == Platform::Console {
            return Level::Admin;
        }
        let stored = role.map(|role| match role {
            Role::Admin => Level::Admin,
            Role::Peer => Level::Peer,
        });
        let room = caller.room_admin.then_some(Level::Admin);
        stored.max(room).unwrap_or(Level::Anyone)
    }

    /// The caller's language: theirs, else the room's, else the configured default.
    pub async fn language(&self, caller: &Caller) -> Lang {
        for (scope, id) in [
            (LanguageScope::User, caller.user.as_str()),
            (LanguageScope::Room, caller.room.as_str()),
        ] {
            match self.store().language(scope, id).await {
                Ok(Some(code)) => {
                    if let Some(lang) = Lang::parse(&code) {
                        return lang;
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = format!("{e:#}"), "reading a language preference failed"),
            }
        }
        self.0.default_lang
    }
}

/// A short random number that ties a sentence in a room to a line in the logs.
fn rand_reference() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Utc::now().timestamp_nanos_opt().unwrap_or_default() as u128);
    h.finish() as u32
}

/// How a person is shown: `@alice:example.org` for `matrix:@alice:example.org`.
pub fn display_user(user: &str) -> &str {
    user.strip_prefix("matrix:")
        .or_else(|| user.strip_prefix("console:"))
        .unwrap_or(user)
}
