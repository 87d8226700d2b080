//! What a step reads from storage, and the conversions between stored rows and the pure types.

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use chrono::{DateTime, Utc};
use vigie_rules::alert::{
    Alert, AlertState, EscalationLevel, EscalationRecord, Fingerprint, GroupKey, Matcher, NotifyInput,
    SentRecord, Silence, Subscription,
};
use vigie_storage::{AlertRow, FollowUp, SentAlert, SentRow, SilenceRow, Store};

use super::Settings;

/// The group keys of the records a step keeps besides group notifications (see the module
/// documentation of [`super`]).
pub const ESCALATION: &str = "escalation|";
pub const DIGEST: &str = "digest|";
pub const FAILURE: &str = "failure|";

/// Everything a step reads besides the alerts and the windows.
pub(crate) struct State {
    pub subscriptions: Vec<Subscription>,
    pub silences: Vec<Silence>,
    /// The whole notification log.
    pub sent: Vec<SentRow>,
    /// The notification log's group records (escalations, digests and failures left out).
    pub records: Vec<SentRecord>,
    /// Follow-ups by window id.
    pub follow_ups: HashMap<String, FollowUp>,
}

impl State {
    pub async fn load(store: &Store, now: DateTime<Utc>) -> anyhow::Result<Self> {
        let subscriptions = store
            .subscriptions(None)
            .await
            .context("reading the subscriptions")?
            .into_iter()
            .map(|s| Subscription {
                receiver: s.room,
                label: s.kind.as_str().to_owned(),
                value: s.value,
            })
            .collect();
        let silences = store
            .active_silences(now)
            .await
            .context("reading the silences")?
            .iter()
            .filter_map(silence)
            .collect();
        let sent = store
            .sent_records()
            .await
            .context("reading the notification log")?;
        let records = sent
            .iter()
            .filter(|r| is_group(&r.group_key))
            .map(to_record)
            .collect();
        let follow_ups = store
            .follow_ups()
            .await
            .context("reading the follow-ups")?
            .into_iter()
            .map(|f| (f.window.clone(), f))
            .collect();
        Ok(Self {
            subscriptions,
            silences,
            sent,
            records,
            follow_ups,
        })
    }

    /// What the pure notification decisions look at, for `alerts`.
    pub fn input<'a>(&'a self, settings: &'a Settings, alerts: &'a [Alert]) -> NotifyInput<'a> {
        NotifyInput {
            alerts,
            route: &settings.route,
            subscriptions: &self.subscriptions,
            silences: &self.silences,
            inhibit_rules: &settings.inhibit,
            quiet_hours: &settings.quiet,
            sent: &self.records,
        }
    }

    /// Whether someone took the window: claimed, done, or snoozed until after `now`.
    pub fn taken(&self, window: &str, now: DateTime<Utc>) -> bool {
        self.follow_ups.get(window).is_some_and(|f| {
            f.claimed_by.is_some() || f.done_by.is_some() || f.snoozed_until.is_some_and(|t| t > now)
        })
    }

    /// Whether reminders about the window are held back at `now`.
    pub fn snoozed(&self, window: &str, now: DateTime<Utc>) -> bool {
        self.follow_ups
            .get(window)
            .and_then(|f| f.snoozed_until)
            .is_some_and(|t| t > now)
    }

    /// Who holds the window, if anyone.
    pub fn claimed_by(&self, window: &str) -> Option<&str> {
        self.follow_ups.get(window).and_then(|f| f.claimed_by.as_deref())
    }

    /// Whether the notification log has this record.
    pub fn has_record(&self, receiver: &str, group_key: &str) -> bool {
        self.sent
            .iter()
            .any(|r| r.receiver == receiver && r.group_key == group_key)
    }

    /// The escalation steps taken, from their records.
    pub fn escalation_records(&self) -> Vec<EscalationRecord> {
        self.sent
            .iter()
            .filter_map(|r| {
                let rest = r.group_key.strip_prefix(ESCALATION)?;
                let (fp, level) = rest.split_once('|')?;
                Some(EscalationRecord {
                    fingerprint: Fingerprint::from(fp.to_owned()),
                    level: EscalationLevel::parse(level).ok()?,
                    at: r.last_sent,
                })
            })
            .collect()
    }
}

/// Whether a notification log key is a group's (not one of the step's own records).
fn is_group(key: &str) -> bool {
    ![ESCALATION, DIGEST, FAILURE].iter().any(|p| key.starts_with(p))
}

/// A stored silence as the pure side reads it; one whose matchers no longer parse is skipped.
fn silence(row: &SilenceRow) -> Option<Silence> {
    let matchers: Result<Vec<Matcher>, _> = row.matchers.iter().map(|m| Matcher::parse(m)).collect();
    match matchers {
        Ok(matchers) => Some(Silence {
            id: row.id.to_string(),
            matchers,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            author: row.author.clone(),
            comment: row.comment.clone(),
        }),
        Err(e) => {
            tracing::warn!(silence = row.id, error = %e, "a stored silence has matchers that do not parse; it is ignored");
            None
        }
    }
}

/// The stored alerts; a row that does not read back is skipped with a warning.
pub(crate) async fn stored_alerts(store: &Store) -> anyhow::Result<Vec<Alert>> {
    let rows = store.alerts().await.context("reading the alerts")?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

pub(crate) fn from_row(row: AlertRow) -> Option<Alert> {
    let state = match AlertState::parse(&row.state) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(fingerprint = %row.fingerprint, error = %e, "a stored alert has an unknown state; it is ignored");
            return None;
        }
    };
    Some(Alert {
        fingerprint: Fingerprint::from(row.fingerprint),
        labels: row.labels,
        summary: row.summary,
        state,
        active_since: row.active_since,
        firing_since: row.firing_since,
        resolved_at: row.resolved_at,
        updated_at: row.updated_at,
        version: row.version,
        window: row.window,
    })
}

pub(crate) fn to_row(alert: &Alert) -> AlertRow {
    AlertRow {
        fingerprint: alert.fingerprint.to_string(),
        state: alert.state.as_str().to_owned(),
        labels: alert.labels.clone(),
        summary: alert.summary.clone(),
        window: alert.window.clone(),
        active_since: alert.active_since,
        firing_since: alert.firing_since,
        resolved_at: alert.resolved_at,
        updated_at: alert.updated_at,
        version: alert.version,
    }
}

pub(crate) fn to_record(row: &SentRow) -> SentRecord {
    SentRecord {
        group: GroupKey::from(row.group_key.clone()),
        receiver: row.receiver.clone(),
        last_sent: row.last_sent,
        alerts: row
            .alerts
            .iter()
            .filter_map(|(fp, a)| {
                let state = AlertState::parse(&a.state).ok()?;
                Some((Fingerprint::from(fp.clone()), (state, a.version)))
            })
            .collect(),
        first_seen: row.first_seen,
    }
}

pub(crate) fn to_sent(record: &SentRecord) -> SentRow {
    SentRow {
        receiver: record.receiver.clone(),
        group_key: record.group.to_string(),
        last_sent: record.last_sent,
        alerts: record
            .alerts
            .iter()
            .map(|(fp, (state, version))| {
                (
                    fp.to_string(),
                    SentAlert {
                        state: state.as_str().to_owned(),
                        version: *version,
                    },
                )
            })
            .collect(),
        first_seen: record.first_seen,
    }
}

/// A record of one of the step's own messages (escalation, digest, failure report).
pub(crate) fn own_record(receiver: &str, key: String, alerts: &[&Alert], now: DateTime<Utc>) -> SentRow {
    SentRow {
        receiver: receiver.to_owned(),
        group_key: key,
        last_sent: now,
        alerts: alerts
            .iter()
            .map(|a| {
                (
                    a.fingerprint.to_string(),
                    SentAlert {
                        state: a.state.as_str().to_owned(),
                        version: a.version,
                    },
                )
            })
            .collect::<BTreeMap<_, _>>(),
        first_seen: now,
    }
}
