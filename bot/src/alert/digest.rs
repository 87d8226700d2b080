//! Scheduled digests: each `[[alerts.digests]]` schedule is stored with its next run as a UTC
//! instant ([`Store::upsert_schedule`]), so a run missed while Vigie was down is still due after
//! a restart. Whichever replica claims a due run ([`Store::claim_due_schedule`], exactly one wins)
//! sends what the schedule's catch-up policy says, records each run and receiver in the
//! notification log (`digest|<schedule>|<run>`) in the same transaction as the messages — so a
//! run taken over after a crash sends nothing twice — and sets the next run.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use vigie_rules::alert::lifecycle::window_labels;
use vigie_rules::alert::matcher::all_match;
use vigie_rules::alert::{Route, route_all};
use vigie_rules::window::{Window, WindowState};
use vigie_storage::{NewOutbox, SentRow};

use super::render::{self, DigestHead, DigestList};
use super::state::{DIGEST, State, own_record};
use super::{Alerts, Settings, platform_of};

/// How long a claimed run is this instance's alone.
const LEASE: Duration = Duration::from_secs(300);

impl Alerts {
    /// Stores each digest schedule (a new or changed one is due at its next run after `now`;
    /// an unchanged one keeps its stored next run).
    pub(crate) async fn prepare_digests(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        for d in &self.settings.digests {
            let next = d.schedule.next_after(now).unwrap_or(DateTime::<Utc>::MAX_UTC);
            let stored = self
                .store
                .upsert_schedule(&d.schedule.name, &d.spec, next)
                .await
                .with_context(|| format!("storing the digest schedule {}", d.schedule.name))?;
            tracing::debug!(digest = %d.schedule.name, next_run = %stored, "digest schedule ready");
        }
        Ok(())
    }

    /// Runs the digests due at `now` that this instance claims; returns the outbox ids queued.
    /// Of several instances calling at once, one runs each due schedule.
    pub async fn digests_at(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<i64>> {
        self.prepared
            .get_or_try_init(|| self.prepare_digests(now))
            .await?;
        let mut queued = Vec::new();
        for d in &self.settings.digests {
            let name = &d.schedule.name;
            let Some(next_run) = self
                .store
                .claim_due_schedule(name, &self.owner, now, LEASE)
                .await
                .with_context(|| format!("claiming the digest {name}"))?
            else {
                continue;
            };
            let (runs, following) = d.schedule.runs_due(next_run, now);
            if runs.is_empty() {
                tracing::info!(digest = %name, missed = %next_run, "a digest missed while Vigie was down is skipped, as its catch-up policy says");
            }
            let state = State::load(&self.store, now).await?;
            let snapshot = self.board.borrow().clone();
            let mut outbox = Vec::new();
            let mut sent: Vec<SentRow> = Vec::new();
            for run in &runs {
                let key = format!(
                    "{DIGEST}{name}|{}",
                    run.to_rfc3339_opts(SecondsFormat::Secs, true)
                );
                for receiver in &d.schedule.receivers {
                    if state.has_record(receiver, &key) {
                        continue;
                    }
                    let lang = self.language(receiver).await;
                    let list = windows_for(&self.settings, &state, &snapshot.windows, receiver, &d.matchers);
                    let why = self.locales.text(
                        lang,
                        "alert-digest-why",
                        &[
                            ("name", crate::command::locale::arg(name.as_str())),
                            ("cron", crate::command::locale::arg(d.schedule.cron.as_str())),
                            ("tz", crate::command::locale::arg(d.schedule.tz.name())),
                            (
                                "run",
                                crate::command::locale::arg(run.format("%Y-%m-%d %H:%M UTC").to_string()),
                            ),
                        ],
                    );
                    let head = DigestHead {
                        name: Some(name.clone()),
                        why,
                    };
                    outbox.push(NewOutbox {
                        receiver: receiver.clone(),
                        platform: platform_of(receiver).to_owned(),
                        body_markdown: render::digest(&self.view(lang, receiver), &head, &list, &state),
                        reason: "digest".to_owned(),
                        group_key: key.clone(),
                        image: None,
                    });
                    sent.push(own_record(receiver, key.clone(), &[], now));
                }
            }
            if !outbox.is_empty() {
                let ids = self
                    .store
                    .commit_notifications(&[], &sent, &outbox, now)
                    .await
                    .with_context(|| format!("queueing the digest {name}"))?;
                tracing::info!(digest = %name, runs = runs.len(), messages = ids.len(), "digest queued");
                queued.extend(ids);
            }
            let finished = self
                .store
                .finish_schedule(name, &self.owner, now, following)
                .await
                .with_context(|| format!("finishing the digest {name}"))?;
            if !finished {
                tracing::warn!(digest = %name, "the digest's claim ran out before it finished; another instance took it over");
            }
        }
        Ok(queued)
    }

    /// The next time a digest is due, from the stored schedules.
    pub(crate) async fn next_digest(&self) -> Option<DateTime<Utc>> {
        let rows = self.store.schedules().await.ok()?;
        rows.iter()
            .filter(|r| self.settings.digests.iter().any(|d| d.schedule.name == r.name))
            .map(|r| r.next_run)
            .min()
    }
}

/// The open and closing windows for `receiver`: those matching `matchers` when given; otherwise
/// those routed to it (by the tree or its subscriptions), or every one when nothing at all is
/// routed to it.
pub(crate) fn windows_for<'a>(
    settings: &Settings,
    state: &State,
    windows: &'a [Window],
    receiver: &str,
    matchers: &[vigie_rules::alert::Matcher],
) -> DigestList<'a> {
    let open = windows
        .iter()
        .filter(|w| matches!(w.state, WindowState::Open | WindowState::Closing));
    let follows =
        reaches(&settings.route, receiver) || state.subscriptions.iter().any(|s| s.receiver == receiver);
    let everything = matchers.is_empty() && !follows;
    let mut list: Vec<&Window> = open
        .filter(|w| {
            let labels = window_labels(w);
            if !matchers.is_empty() {
                all_match(matchers, &labels)
            } else if everything {
                true
            } else {
                route_all(&settings.route, &state.subscriptions, &labels)
                    .iter()
                    .any(|m| m.receivers.iter().any(|r| r == receiver))
            }
        })
        .collect();
    list.sort_by(|a, b| (a.closes, a.id.as_str()).cmp(&(b.closes, b.id.as_str())));
    DigestList {
        windows: list,
        everything,
    }
}

/// Whether any route of the tree names `receiver`.
fn reaches(route: &Route, receiver: &str) -> bool {
    route.receivers.iter().any(|r| r == receiver) || route.routes.iter().any(|c| reaches(c, receiver))
}
