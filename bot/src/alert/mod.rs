//! Alerts in `vigie run`: the edge around the pure decisions of `vigie_rules::alert`.
//!
//! One step ([`Alerts::step_at`], with `now` passed in so tests drive the clock) reads what is
//! true — the windows as last evaluated, members whose status is not active, failing feeds, the
//! stored alerts, subscriptions, silences and what each receiver was told — and asks the pure
//! side what changed and who must hear about it. Each message is rendered in its receiver's
//! language, saying why it was sent (new, update, reminder, resolved; the route or subscription
//! and its matchers), and queued in the outbox in the same transaction that records the alert
//! changes and what the receiver has now been told ([`Store::commit_notifications`]). The records
//! are the memory: a restart or a configuration reload finds them and sends nothing twice.
//!
//! Besides group notifications a step queues escalations (a window nobody claimed: its region's
//! chair is mentioned, then a wider room is told), scheduled digests and reports of messages that
//! could not be delivered. These keep their own records in the notification log, under group keys
//! that no route produces:
//! - `escalation|<fingerprint>|<level>` (receiver: the chair or the wider room), when it was taken;
//! - `digest|<schedule>|<run instant>` (receiver: the digest's room), one per run and receiver;
//! - `failure|<outbox id>` (receiver: the admin receiver told about it).
//!
//! [`run`] repeats the step while this instance leads `alerts` (one replica on PostgreSQL), after
//! each evaluation of the windows, when the next message falls due, and at least every minute.
//! Senders ([`sender`]) deliver the outbox, one per platform.

mod digest;
mod engine;
mod escalate;
pub mod lead;
mod render;
pub use render::window_ids;
pub mod sender;
mod state;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{Mutex, OnceCell};
use vigie_rules::alert::digest::Schedule;
use vigie_rules::alert::lifecycle::window_fingerprint;
use vigie_rules::alert::{
    EscalationPolicy, Explanation, Fingerprint, InhibitRule, Matcher, QuietHours, Route, explain,
};
use vigie_storage::{LanguageScope, Store};

use crate::command::{Lang, Locales};
use crate::config::Config;
use crate::engine::Engine;
use crate::window::BoardReader;

pub use engine::{StepReport, run};

/// The alert side of `vigie run`. Cheap to share behind an `Arc`.
pub struct Alerts {
    store: Store,
    board: BoardReader,
    settings: Settings,
    locales: Locales,
    default_lang: Lang,
    /// The word that starts a command and a space, for the hints in messages.
    prefix: String,
    /// This instance's name in schedule claims.
    owner: String,
    /// Steps of this instance run one at a time.
    stepping: Mutex<()>,
    /// The digest schedules are stored once, at the first step.
    prepared: OnceCell<()>,
}

/// The `[alerts]` configuration, resolved.
pub(crate) struct Settings {
    pub enabled: bool,
    pub route: Route,
    pub inhibit: Vec<InhibitRule>,
    pub quiet: BTreeMap<String, QuietHours>,
    pub escalation: EscalationPolicy,
    pub digests: Vec<Digest>,
    pub pending_for: TimeDelta,
    pub admin_receivers: Vec<String>,
}

/// A digest schedule with what it lists.
pub(crate) struct Digest {
    pub schedule: Schedule,
    /// What the stored schedule is compared with.
    pub spec: String,
    pub matchers: Vec<Matcher>,
}

impl Alerts {
    /// The alerts of a configuration over a store, reading windows from `board`.
    pub fn new(store: Store, config: &Config, board: BoardReader) -> Self {
        static INSTANCES: AtomicU32 = AtomicU32::new(0);
        let a = &config.alerts;
        let settings = Settings {
            enabled: a.enabled,
            route: a.route.clone(),
            inhibit: a.inhibit_rules(),
            quiet: a.quiet_hours.clone(),
            escalation: a.escalation_policy(),
            digests: a
                .schedules()
                .into_iter()
                .map(|(schedule, d)| Digest {
                    schedule,
                    spec: d.spec(),
                    matchers: d.matchers.clone(),
                })
                .collect(),
            pending_for: a.pending_for,
            admin_receivers: a.admin_receivers.clone(),
        };
        let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
        Self {
            store,
            board,
            settings,
            locales: Locales::new(),
            default_lang: Lang::parse(&config.chat.language).unwrap_or_default(),
            prefix: format!("{} ", config.chat.prefix),
            owner: format!("{}#{instance}", sender::owner("alerts")),
            stepping: Mutex::new(()),
            prepared: OnceCell::new(),
        }
    }

    /// The alerts of the engine's configuration, store and windows.
    pub fn from_engine(engine: &Engine) -> Arc<Self> {
        Arc::new(Self::new(engine.store().clone(), engine.config(), engine.board()))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether `[alerts]` is enabled.
    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    /// For the `why` command: whether and when the alert of window `window` (or the alert with
    /// this fingerprint) will be notified to `receiver`, and what mutes or delays it. Reads the
    /// alerts as the last step left them.
    pub async fn explain(
        &self,
        window: &str,
        receiver: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Explanation> {
        let fingerprint = Fingerprint::parse(window).unwrap_or_else(|_| window_fingerprint(window.trim()));
        let state = state::State::load(&self.store, now).await?;
        let alerts = state::stored_alerts(&self.store).await?;
        let input = state.input(&self.settings, &alerts);
        Ok(explain(&input, &fingerprint, receiver, now))
    }

    /// For the `digest now` command: the digest of `receiver` (a room, or `console`) as of
    /// `now`, in its language: the open and closing windows routed to it (every open window
    /// when nothing is routed to it), with who claimed each.
    pub async fn digest_now(&self, receiver: &str, now: DateTime<Utc>) -> anyhow::Result<String> {
        let state = state::State::load(&self.store, now).await?;
        let lang = self.language(receiver).await;
        let snapshot = self.board.borrow().clone();
        let list = digest::windows_for(&self.settings, &state, &snapshot.windows, receiver, &[]);
        let why = self.locales.text(lang, "alert-digest-now-why", &[]);
        Ok(render::digest(
            &self.view(lang, receiver),
            &render::DigestHead { name: None, why },
            &list,
            &state,
        ))
    }

    /// The language messages to `receiver` are written in: the person's or the room's choice,
    /// else the configured default.
    pub(crate) async fn language(&self, receiver: &str) -> Lang {
        let scope = if receiver.starts_with("matrix:@") {
            LanguageScope::User
        } else {
            LanguageScope::Room
        };
        match self.store.language(scope, receiver).await {
            Ok(Some(code)) => Lang::parse(&code).unwrap_or(self.default_lang),
            Ok(None) => self.default_lang,
            Err(e) => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    receiver,
                    "reading a receiver's language failed"
                );
                self.default_lang
            }
        }
    }

    /// How messages to `receiver` are written: its language, and whether its platform has
    /// reactions (a raised hand claims a window on Matrix).
    pub(crate) fn view(&self, lang: Lang, receiver: &str) -> render::View<'_> {
        render::View {
            locales: &self.locales,
            lang,
            prefix: if receiver == "console" { "" } else { &self.prefix },
            reactions: platform_of(receiver) == "matrix",
        }
    }
}

/// The platform whose sender delivers to `receiver`: `matrix` for `matrix:…`, `console` for
/// the console, and the prefix before the first `:` otherwise.
pub fn platform_of(receiver: &str) -> &str {
    match receiver.split_once(':') {
        Some((platform, _)) => platform,
        None => receiver,
    }
}
