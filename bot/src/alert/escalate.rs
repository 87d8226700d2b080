//! Escalations: a firing window nobody took (claimed, done or snoozed) is brought to its region's
//! chair, mentioned in the rooms the alert goes to, then to a wider room. Each step is recorded
//! in the notification log as `escalation|<fingerprint>|<level>` with the time it was taken, in
//! the same transaction as its messages. Silenced or inhibited alerts do not escalate, and a step
//! waits while a room it goes to is in its quiet hours.

use chrono::{DateTime, Utc};
use vigie_rules::alert::escalation::next_escalation;
use vigie_rules::alert::{Alert, EscalationLevel, NotifyInput, escalations, route_all};
use vigie_storage::{NewOutbox, SentRow};

use super::render;
use super::state::{ESCALATION, State, own_record};
use super::{Alerts, platform_of};

/// The messages and records of the escalations due at `now`.
pub(crate) struct Escalated {
    pub outbox: Vec<NewOutbox>,
    pub sent: Vec<SentRow>,
    pub next: Option<DateTime<Utc>>,
}

impl Alerts {
    pub(crate) async fn escalations(
        &self,
        alerts: &[Alert],
        input: &NotifyInput<'_>,
        state: &State,
        now: DateTime<Utc>,
    ) -> Escalated {
        let policy = &self.settings.escalation;
        let mut out = Escalated {
            outbox: Vec::new(),
            sent: Vec::new(),
            next: None,
        };
        if policy.chairs.is_empty() && policy.wider_room.is_none() {
            return out;
        }
        let audible: Vec<Alert> = alerts
            .iter()
            .filter(|a| input.mutes(a, now).is_empty())
            .cloned()
            .collect();
        let taken = |window: &str| state.taken(window, now);
        let already = state.escalation_records();
        out.next = next_escalation(&audible, &taken, &already, policy, now);
        for e in escalations(&audible, &taken, &already, policy, now) {
            let rooms: Vec<String> = match e.level {
                EscalationLevel::Chair => {
                    let mut rooms: Vec<String> =
                        route_all(&self.settings.route, input.subscriptions, &e.alert.labels)
                            .iter()
                            .flat_map(|m| m.receivers.iter().cloned())
                            .collect();
                    rooms.sort();
                    rooms.dedup();
                    if rooms.is_empty() {
                        // Routed nowhere: the chair hears it directly.
                        rooms = e.mention.clone();
                    }
                    rooms
                }
                EscalationLevel::WiderRoom => e.room.iter().cloned().collect(),
            };
            let quiet = rooms
                .iter()
                .filter_map(|r| self.settings.quiet.get(r))
                .find(|q| q.contains(now));
            if let Some(q) = quiet {
                let end = q.next_end(now);
                out.next = Some(out.next.map_or(end, |n| n.min(end)));
                continue;
            }
            tracing::info!(fingerprint = %e.alert.fingerprint, level = %e.level, why = %e.why, "escalating an unclaimed window");
            let key = format!("{ESCALATION}{}|{}", e.alert.fingerprint, e.level);
            for room in &rooms {
                let lang = self.language(room).await;
                out.outbox.push(NewOutbox {
                    receiver: room.clone(),
                    platform: platform_of(room).to_owned(),
                    body_markdown: render::escalation(&self.view(lang, room), &e, policy.after),
                    reason: "escalation".to_owned(),
                    group_key: key.clone(),
                    image: None,
                });
            }
            let whom = e.mention.first().or(e.room.as_ref()).cloned().unwrap_or_default();
            out.sent.push(own_record(&whom, key, &[&e.alert], now));
        }
        out
    }
}
