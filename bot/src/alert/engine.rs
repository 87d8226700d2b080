//! The alert step and the loop that repeats it while this instance leads.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;
use vigie_rules::MemberStatus;
use vigie_rules::alert::lifecycle::member_fingerprint;
use vigie_rules::alert::{
    Alert, AlertInputs, AlertState, Fingerprint, MEMBER_ALERT, MemberChange, Notification, Reason, apply,
    due, step,
};
use vigie_storage::{NewOutbox, OutboxState, SentRow};

use super::lead::{Lead, pause};
use super::state::{FAILURE, State, own_record, stored_alerts, to_row, to_sent};
use super::{Alerts, platform_of, render};
use crate::command::Lang;

/// The longest wait between two steps.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// The shortest: a message due "now" is queued at the next step, not in a busy loop.
const MIN_WAIT: Duration = Duration::from_secs(1);
/// How far back failed deliveries are looked for, to report them.
const FAILURES_SINCE: TimeDelta = TimeDelta::days(7);
/// How long sent messages, resolved alerts and the notification log are kept.
const KEPT: TimeDelta = TimeDelta::days(400);

/// What one step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepReport {
    /// Alerts that changed (new, updated, resolved, stale).
    pub changes: usize,
    /// The outbox ids queued, in order.
    pub queued: Vec<i64>,
    /// When something falls due next, if known.
    pub next: Option<DateTime<Utc>>,
    /// The windows were not evaluated yet: nothing was decided.
    pub waiting: bool,
}

impl Alerts {
    /// One step at `now`: the alert lifecycle, the notifications, escalations and failure
    /// reports due, committed in one transaction, then the digests due.
    pub async fn step_at(&self, now: DateTime<Utc>) -> anyhow::Result<StepReport> {
        let _one = self.stepping.lock().await;
        let snapshot = self.board.borrow().clone();
        if snapshot.evaluated_at == DateTime::<Utc>::MIN_UTC {
            // Before the first evaluation every window would look gone.
            return Ok(StepReport {
                waiting: true,
                ..StepReport::default()
            });
        }
        let previous = stored_alerts(&self.store).await?;
        let member_changes = self.member_changes(&previous).await?;
        let failing: Vec<String> = self
            .store
            .feeds_health()
            .await
            .context("reading the feeds' health")?
            .into_iter()
            .filter(|h| h.last_error.is_some())
            .map(|h| h.name)
            .collect();
        let inputs = AlertInputs {
            windows: &snapshot.windows,
            member_changes: &member_changes,
            failing_feeds: &failing,
            pending_for: self.settings.pending_for,
        };
        let changes = step(&previous, &inputs, now);
        let alerts = apply(&previous, &changes);
        let state = State::load(&self.store, now).await?;
        let input = state.input(&self.settings, &alerts);
        let (notifications, mut next) = due(&input, now);

        let mut langs: HashMap<String, Lang> = HashMap::new();
        let mut outbox: Vec<NewOutbox> = Vec::new();
        let mut sent: Vec<SentRow> = Vec::new();
        let mut told = Told::new(&state);
        for n in &notifications {
            sent.push(to_sent(&n.record));
            if told.already(n) {
                // Told under another group: a route renamed or regrouped by a configuration
                // change, or a second route to the same room. The record moves on; no message.
                tracing::debug!(group = %n.group, "the receiver already knows what this message says");
                continue;
            }
            let held = n.reason == Reason::Reminder
                && n.alerts.iter().any(|a| a.window.is_some())
                && n.alerts
                    .iter()
                    .filter_map(|a| a.window.as_deref())
                    .all(|w| state.snoozed(w, now));
            if held {
                // Snoozed: the reminder is counted as given, so the next one is a full interval away.
                tracing::debug!(group = %n.group, "a reminder is held back: its windows are snoozed");
                continue;
            }
            let lang = match langs.get(&n.receiver) {
                Some(l) => *l,
                None => {
                    let l = self.language(&n.receiver).await;
                    langs.insert(n.receiver.clone(), l);
                    l
                }
            };
            tracing::info!(receiver = %n.receiver, why = %n.why, "alert notification queued");
            outbox.push(NewOutbox {
                receiver: n.receiver.clone(),
                platform: platform_of(&n.receiver).to_owned(),
                body_markdown: render::notification(&self.view(lang, &n.receiver), n, &state),
                reason: n.reason.as_str().to_owned(),
                group_key: n.group.to_string(),
                image: None,
            });
        }
        let escalated = self.escalations(&alerts, &input, &state, now).await;
        next = earliest(next, escalated.next);
        outbox.extend(escalated.outbox);
        sent.extend(escalated.sent);
        let (reports, report_records) = self.failure_reports(&state, now).await?;
        outbox.extend(reports);
        sent.extend(report_records);

        let mut report = StepReport {
            changes: changes.len(),
            ..StepReport::default()
        };
        if !changes.is_empty() || !sent.is_empty() || !outbox.is_empty() {
            let rows: Vec<_> = changes.iter().filter_map(|c| c.alert()).map(to_row).collect();
            report.queued = self
                .store
                .commit_notifications(&rows, &sent, &outbox, now)
                .await
                .context("recording the alerts and queueing their messages")?;
        }
        report.queued.extend(self.digests_at(now).await?);
        report.next = earliest(next, self.next_digest().await);
        Ok(report)
    }

    /// The step at the current time.
    pub async fn step(&self) -> anyhow::Result<StepReport> {
        self.step_at(Utc::now()).await
    }

    /// The status of every member that is not active, and of every member whose status alert is
    /// still open (so that it resolves when the member is active again), each with the change
    /// that brought it.
    async fn member_changes(&self, previous: &[Alert]) -> anyhow::Result<Vec<MemberChange>> {
        let open: BTreeSet<&str> = previous
            .iter()
            .filter(|a| a.labels.get("alertname").map(String::as_str) == Some(MEMBER_ALERT))
            .filter(|a| a.state != AlertState::Resolved)
            .map(|a| a.fingerprint.as_str())
            .collect();
        let members = self.store.members(None).await.context("reading the members")?;
        let mut out = Vec::new();
        for m in members {
            if m.status == MemberStatus::Active && !open.contains(member_fingerprint(&m.code).as_str()) {
                continue;
            }
            let last = self
                .store
                .member(&m.code)
                .await
                .with_context(|| format!("reading the history of {}", m.code))?
                .and_then(|r| r.history.last().cloned());
            let (from, at) = match last {
                Some(change) if change.to == m.status => (change.from, change.at),
                _ => (None, DateTime::<Utc>::MIN_UTC),
            };
            out.push(MemberChange {
                member: m.code,
                name: m.name,
                region: m.region,
                level: m.level,
                from,
                to: m.status,
                at,
            });
        }
        Ok(out)
    }

    /// Reports of messages given up, each once to each admin receiver.
    async fn failure_reports(
        &self,
        state: &State,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(Vec<NewOutbox>, Vec<SentRow>)> {
        let mut outbox = Vec::new();
        let mut sent = Vec::new();
        if self.settings.admin_receivers.is_empty() {
            return Ok((outbox, sent));
        }
        let failures = self
            .store
            .outbox_failures(now - FAILURES_SINCE)
            .await
            .context("reading the failed deliveries")?;
        for row in failures
            .iter()
            .filter(|r| r.state == OutboxState::Failed && r.reason != "failure")
        {
            let key = format!("{FAILURE}{}", row.id);
            for admin in &self.settings.admin_receivers {
                if state.has_record(admin, &key) {
                    continue;
                }
                let lang = self.language(admin).await;
                outbox.push(NewOutbox {
                    receiver: admin.clone(),
                    platform: platform_of(admin).to_owned(),
                    body_markdown: render::failure(&self.view(lang, admin), row),
                    reason: "failure".to_owned(),
                    group_key: key.clone(),
                    image: None,
                });
                sent.push(own_record(admin, key.clone(), &[], now));
            }
        }
        Ok((outbox, sent))
    }

    /// Forgets what is old: messages sent or given up, resolved alerts, notification records.
    async fn prune(&self, now: DateTime<Utc>) {
        let before = now - KEPT;
        let outcome = async {
            let outbox = self.store.prune_outbox(before).await?;
            let alerts = self.store.prune_alerts(before).await?;
            let log = self.store.prune_notification_log(before).await?;
            Ok::<_, vigie_storage::StorageError>((outbox, alerts, log))
        }
        .await;
        match outcome {
            Ok((0, 0, 0)) => {}
            Ok((outbox, alerts, log)) => tracing::info!(outbox, alerts, log, "old alert records forgotten"),
            Err(e) => tracing::warn!(error = format!("{e:#}"), "forgetting old alert records failed"),
        }
    }

    /// Steps until `stop`: after each evaluation of the windows, when something falls due, and
    /// at least every minute.
    async fn lead(&self, stop: CancellationToken) {
        let mut board = self.board.clone();
        let mut pruned_on = None;
        loop {
            let now = Utc::now();
            let next = match self.step_at(now).await {
                Ok(report) => {
                    if !report.queued.is_empty() || report.changes > 0 {
                        tracing::debug!(
                            changes = report.changes,
                            queued = report.queued.len(),
                            "alert step"
                        );
                    }
                    report.next
                }
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "the alert step failed; trying again");
                    None
                }
            };
            if pruned_on != Some(now.date_naive()) {
                self.prune(now).await;
                pruned_on = Some(now.date_naive());
            }
            let wait = next
                .and_then(|n| (n - Utc::now()).to_std().ok())
                .unwrap_or(MAX_WAIT)
                .clamp(MIN_WAIT, MAX_WAIT);
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
                changed = board.changed() => {
                    if changed.is_err() && pause(&stop, wait).await {
                        return;
                    }
                }
            }
        }
    }
}

/// What each receiver was told about each alert, under any group: so that a receiver is not
/// told again what it knows because the group it hears it in changed.
struct Told(HashMap<(String, Fingerprint), (AlertState, u64)>);

impl Told {
    fn new(state: &State) -> Self {
        let mut all = HashMap::new();
        for r in &state.records {
            for (fp, told) in &r.alerts {
                all.insert((r.receiver.clone(), fp.clone()), *told);
            }
        }
        Self(all)
    }

    /// Whether `n` (not a reminder) tells its receiver only what it already knows; records what
    /// it tells otherwise.
    fn already(&mut self, n: &Notification) -> bool {
        let as_told = |a: &Alert| {
            let state = if a.is_firing() {
                AlertState::Firing
            } else {
                AlertState::Resolved
            };
            (state, a.version)
        };
        let changed: Vec<&Alert> = n
            .alerts
            .iter()
            .filter(|a| n.changed.contains(&a.fingerprint))
            .collect();
        let known = n.reason != Reason::Reminder
            && !changed.is_empty()
            && changed
                .iter()
                .all(|a| self.0.get(&(n.receiver.clone(), a.fingerprint.clone())) == Some(&as_told(a)));
        for a in &n.alerts {
            self.0
                .insert((n.receiver.clone(), a.fingerprint.clone()), as_told(a));
        }
        known
    }
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Runs the alert step until `cancel`, while this instance leads `alerts` (on PostgreSQL one
/// replica does; the others stand by and take over within seconds when it stops).
pub async fn run(alerts: Arc<Alerts>, cancel: CancellationToken) {
    if !alerts.settings.enabled {
        tracing::info!("alerts are off ([alerts] enabled = false)");
        return;
    }
    let lead = Lead::new(alerts.store.clone(), "alerts");
    lead.while_leading(&cancel, |stop| {
        let alerts = alerts.clone();
        async move { alerts.lead(stop).await }
    })
    .await;
}
