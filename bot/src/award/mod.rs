//! Award campaigns in `vigie run`: the schedule that opens and closes nominations and voting and
//! sends reminders, and the words campaigns are written with in rooms ([`render`]).
//!
//! The schedule is the campaign's own ([`vigie_awards::campaign::Campaign::due`]): each step
//! due at `now` is taken by [`Store::step_award_campaign`] in one transaction with its audit
//! entries and the outbox rows that announce it in the campaign's room (and, when a secret ballot
//! opens, its ballot to each eligible person in a chat of their own; for a reminder of the close
//! of voting, a message to each eligible person who has not voted; when voting closes, the
//! results with their chart, which the outbox carries as a picture). Nothing lives in
//! memory: a restart finds every campaign where it was, and a step already taken is no longer
//! due, so it is announced once. Exactly one replica runs the schedule (the `awards` lead); the
//! campaign's lock would keep two from taking one step twice anyway.

pub mod chart;
pub mod count;
pub mod refusal;
pub mod render;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use vigie_awards::campaign::{Campaign, Effect, Phase, Secrecy};
use vigie_awards::eligibility::Role as AwardRole;
use vigie_storage::{AwardStep, AwardStepped, LanguageScope, NewOutbox, OutboxImage, Role, Store};

use crate::alert::lead::{Lead, pause};
use crate::alert::platform_of;
use crate::command::{Lang, Locales};
use crate::config::Config;
use render::Words;

/// The longest the schedule sleeps between two looks at the campaigns.
const TICK: Duration = Duration::from_secs(60);
/// The name of the lead that runs the schedule.
pub const LEAD: &str = "awards";

/// The award side of `vigie run`. Cheap to share behind an `Arc`.
pub struct Awards {
    store: Store,
    locales: Locales,
    default_lang: Lang,
    /// The word that starts a command, for the hints in messages.
    prefix: String,
}

impl Awards {
    pub fn new(store: Store, config: &Config) -> Self {
        Self {
            store,
            locales: Locales::new(),
            default_lang: Lang::parse(&config.chat.language).unwrap_or_default(),
            prefix: config.chat.prefix.clone(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Takes every step due at `now` in every campaign; returns the campaigns that moved.
    pub async fn run_due(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<String>> {
        let campaigns = self
            .store
            .award_campaigns()
            .await
            .context("reading the award campaigns")?;
        let mut moved = Vec::new();
        for campaign in campaigns.iter().filter(|c| !c.due(now).is_empty()) {
            let id = campaign.id();
            let room = self.store.award_room(id).await?;
            let eligible = self.eligible(campaign).await?;
            let lang = match &room {
                Some(room) => room_language(&self.store, room, self.default_lang).await,
                None => self.default_lang,
            };
            let stepped = self
                .store
                .step_award_campaign(id, AwardStep::Due, &eligible, now, |s| {
                    announcements(&self.locales, lang, &self.prefix, s, &eligible, None)
                })
                .await
                .with_context(|| format!("taking the scheduled steps of award campaign {id}"))?;
            if let Some((step, refusal)) = &stepped.refused {
                tracing::warn!(campaign = id, %step, reason = %refusal, "a scheduled award step is refused; it is due again at the next tick");
            }
            if stepped.changed() {
                tracing::info!(campaign = id, phase = ?stepped.campaign.phase(), "award campaign moved on its schedule");
                moved.push(id.to_owned());
            }
        }
        Ok(moved)
    }

    /// The next time after `now` that anything falls due in a campaign still running, from the
    /// campaigns' schedules. A step due already but refused is tried again at the next tick.
    pub async fn next_due(&self, now: DateTime<Utc>) -> anyhow::Result<Option<DateTime<Utc>>> {
        let campaigns = self.store.award_campaigns().await?;
        Ok(campaigns.iter().filter_map(|c| next_step_after(c, now)).min())
    }

    /// The people who may vote, as far as Vigie knows them: the roll when there is one, else the
    /// peers (and admins) the campaign's voter rule admits.
    pub async fn eligible(&self, campaign: &Campaign) -> anyhow::Result<Vec<String>> {
        eligible_voters(&self.store, campaign).await
    }
}

/// The people who may vote in `campaign`, as far as Vigie knows them.
pub async fn eligible_voters(store: &Store, campaign: &Campaign) -> anyhow::Result<Vec<String>> {
    let rule = &campaign.rules().voters;
    if let Some(roll) = &rule.roll {
        return Ok(roll.iter().cloned().collect());
    }
    let peers = store.peers().await?;
    Ok(peers
        .into_iter()
        .filter(|p| {
            let role = match p.role {
                Role::Admin => AwardRole::Admin,
                Role::Peer => AwardRole::Peer,
            };
            role >= rule.min_role
                && rule
                    .regions
                    .as_ref()
                    .is_none_or(|rs| p.region.as_ref().is_some_and(|r| rs.contains(r)))
        })
        .map(|p| p.user)
        .collect())
}

/// When, after `now`, the schedule next has something to do in a campaign still running.
fn next_step_after(c: &Campaign, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let s = c.schedule();
    let mut times = Vec::new();
    match c.phase() {
        Phase::Draft => times.extend(s.nominations_open),
        Phase::NominationsOpen => times.extend(s.nominations_close),
        Phase::NominationsClosed => times.extend(s.voting_open),
        Phase::VotingOpen => times.extend(s.voting_close),
        Phase::VotingClosed | Phase::Certified => return None,
    }
    times.extend(s.reminders.iter().filter_map(|r| s.reminder_at(r)));
    times.into_iter().filter(|t| *t > now).min()
}

/// The language of a room: its choice, else the default.
pub async fn room_language(store: &Store, room: &str, default: Lang) -> Lang {
    match store.language(LanguageScope::Room, room).await {
        Ok(Some(code)) => Lang::parse(&code).unwrap_or(default),
        Ok(None) => default,
        Err(e) => {
            tracing::warn!(error = format!("{e:#}"), room, "reading a room's language failed");
            default
        }
    }
}

/// The outbox rows announcing a step: one message in the campaign's room (unless `except`, the
/// room that already hears it as a reply), with the results chart when voting closed; when a secret ballot opens, its ballot to each of the
/// `eligible` in a chat of their own (on Matrix, the direct chat the outbox opens or finds); and a
/// reminder to each eligible person who has not voted, also in their own chat.
pub fn announcements(
    locales: &Locales,
    lang: Lang,
    prefix: &str,
    stepped: &AwardStepped,
    eligible: &[String],
    except: Option<&str>,
) -> Vec<NewOutbox> {
    let Some(room) = stepped.room.as_deref() else {
        return Vec::new();
    };
    let w = Words { locales, lang };
    // No prefix on the console, nor in a person's own chat, where commands need none.
    let hint = |receiver: &str| {
        if receiver == "console" || is_person(receiver) {
            String::new()
        } else {
            format!("{prefix} ")
        }
    };
    let c = &stepped.campaign;
    let phase = format!("{:?}", c.phase());
    let mut out = Vec::new();
    let text = render::announcement(w, c, &stepped.effects, stepped.turnout.as_ref(), &hint(room));
    let reminded = stepped.effects.iter().any(|e| matches!(e, Effect::Remind { .. }));
    let key = if reminded {
        let at = stepped.effects.iter().find_map(|e| match e {
            Effect::Remind { due_at, .. } => Some(*due_at),
            _ => None,
        });
        format!(
            "award|{}|remind|{}|{}",
            c.id(),
            phase,
            at.map(|t| t.to_rfc3339()).unwrap_or_default()
        )
    } else {
        format!("award|{}|{}", c.id(), phase)
    };
    if !text.is_empty() && except != Some(room) {
        // The results go with their chart, as they do in answer to `award results`.
        let closed = stepped.effects.iter().any(|e| {
            matches!(
                e,
                Effect::PhaseChanged {
                    to: Phase::VotingClosed,
                    ..
                }
            )
        });
        let image = closed
            .then(|| chart::results_chart(w, c))
            .flatten()
            .map(|chart| OutboxImage {
                name: chart.name,
                png: chart.png,
                alt: chart.alt,
            });
        out.push(NewOutbox {
            receiver: room.to_owned(),
            platform: platform_of(room).to_owned(),
            body_markdown: text,
            reason: "award".to_owned(),
            group_key: key.clone(),
            image,
        });
    }
    let secret_opened = c.rules().secrecy == Secrecy::Secret
        && stepped.effects.iter().any(|e| {
            matches!(
                e,
                Effect::PhaseChanged {
                    to: Phase::VotingOpen,
                    ..
                }
            )
        });
    if secret_opened {
        for person in eligible.iter().filter(|p| is_person(p)) {
            out.push(personal_ballot(w, c, person, &hint(person)));
        }
    }
    for person in &stepped.not_voted {
        out.push(NewOutbox {
            receiver: person.clone(),
            platform: platform_of(person).to_owned(),
            body_markdown: render::personal_reminder(w, c, &hint(person)),
            reason: "award-reminder".to_owned(),
            group_key: key.clone(),
            image: None,
        });
    }
    out
}

/// Whether `receiver` is a person reached in a chat of their own (`matrix:@alice:example.org`,
/// a Discord user), rather than a room or the console's operator, who sees the room already.
fn is_person(receiver: &str) -> bool {
    match receiver.split_once(':') {
        Some(("matrix", id)) => id.starts_with('@'),
        Some(("discord", id)) => !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// The ballot of a secret campaign, sent to `person` in a chat of their own.
pub fn personal_ballot(w: Words<'_>, c: &Campaign, person: &str, hint: &str) -> NewOutbox {
    NewOutbox {
        receiver: person.to_owned(),
        platform: platform_of(person).to_owned(),
        body_markdown: render::personal_ballot(w, c, hint),
        reason: "award-ballot".to_owned(),
        group_key: format!("award|{}|ballot", c.id()),
        image: None,
    }
}

/// Runs the schedule while this instance leads `awards`, until `cancel`: at each step due, and
/// at least every [`TICK`].
pub async fn run(awards: Arc<Awards>, cancel: CancellationToken) {
    let lead = Lead::new(awards.store.clone(), LEAD);
    lead.while_leading(&cancel, |stop| {
        let awards = awards.clone();
        async move {
            loop {
                if let Err(e) = awards.run_due(Utc::now()).await {
                    tracing::error!(
                        error = format!("{e:#}"),
                        "the award schedule failed; trying again"
                    );
                }
                let wait = match awards.next_due(Utc::now()).await {
                    Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
                    _ => TICK,
                };
                if pause(&stop, wait.clamp(Duration::from_millis(200), TICK)).await {
                    return;
                }
            }
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use vigie_awards::campaign::{Action, Deadline, Reminder, RuleChange, Schedule, Transition};
    use vigie_awards::eligibility::Actor;

    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("a time")
    }

    #[test]
    fn the_schedule_sleeps_until_the_next_step_to_come_never_one_past() {
        let admin = Actor::new("console:operator", AwardRole::Admin);
        let mut c = Campaign::new("1", "Awards", at("2027-01-01T00:00:00Z")).expect("a campaign");
        let actions = [
            RuleChange::AddCategory {
                slug: "a".into(),
                title: "A".into(),
            },
            RuleChange::Schedule(Schedule {
                nominations_open: None,
                nominations_close: Some(at("2027-02-01T00:00:00Z")),
                voting_open: Some(at("2027-02-01T00:00:00Z")),
                voting_close: Some(at("2027-03-01T00:00:00Z")),
                reminders: vec![Reminder {
                    deadline: Deadline::VotingClose,
                    hours_before: 24,
                }],
            }),
        ];
        for change in actions {
            c.apply(&admin, Action::Configure { change }, at("2027-01-01T00:00:00Z"))
                .expect("configured");
        }
        c.apply(
            &admin,
            Action::Transition {
                transition: Transition::OpenNominations,
            },
            at("2027-01-01T00:00:00Z"),
        )
        .expect("opened");
        // While nominations are open: their close, not the reminder of a later phase… but the
        // earliest time to come counts, whatever it is.
        assert_eq!(
            next_step_after(&c, at("2027-01-02T00:00:00Z")),
            Some(at("2027-02-01T00:00:00Z"))
        );
        // Past every time of the phase: nothing to sleep for but the tick.
        assert_eq!(next_step_after(&c, at("2027-03-02T00:00:00Z")), None);
    }
}
