//! Campaigns run from a chat room: opened in one transaction with all their rules, and moved
//! along their lifecycle (by the schedule or by an admin) in one transaction with the messages
//! that announce the step, so a step is announced exactly once.
//!
//! The room a campaign was opened in and the tie-break seed Vigie drew for it live in columns of
//! their own, outside the campaign's state: the state is what anyone may read, the seed is
//! secret until voting closes. When a step closes the vote, the seed is revealed in the same
//! transaction (the published commitment is its SHA-256), so the results can be counted and
//! posted at once.

use chrono::{DateTime, Utc};
use vigie_awards::campaign::{Action, AwardError, Campaign, Effect, Phase, Transition, Turnout};
use vigie_awards::eligibility::{Actor, Role};

use super::parts::{self, BallotRow, Changes, Stored};
use super::{AWARD_SCHEDULE_ACTOR, AwardStoreError, CampaignLock, Voters, audit_of, award_target, unknown};
use crate::Store;
use crate::audit::write_audit;
use crate::column::timestamp;
use crate::outbox::NewOutbox;
use crate::store::Driver;

/// Who moves a campaign along.
#[derive(Debug, Clone)]
pub enum AwardStep {
    /// What the schedule says is due at `now` ([`Campaign::due`]), in order, stopping at the
    /// first refusal.
    Due,
    /// An admin takes this step now.
    Admin { actor: Actor, transition: Transition },
}

/// What a step did, for announcing it.
#[derive(Debug, Clone)]
pub struct AwardStepped {
    /// The campaign after the step, as every reader sees it: its ballot box without voters.
    pub campaign: Campaign,
    /// Participation in counts only, after the step (from when voting opens).
    pub turnout: Option<Turnout>,
    /// The effects of every step taken, in order (a revealed seed included).
    pub effects: Vec<Effect>,
    /// The scheduled step that was refused, if any (due again later).
    pub refused: Option<(Transition, AwardError)>,
    /// The room the campaign was opened in, if it was opened in one.
    pub room: Option<String>,
    /// Of the people the caller named as eligible, those with no ballot in any category when a
    /// reminder was taken: given to `announce` only, and always empty in what the step returns,
    /// so that who has not voted goes nowhere but to those people's own reminders.
    pub not_voted: Vec<String>,
}

impl AwardStepped {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        !self.effects.is_empty()
    }
}

impl Store {
    /// Creates a campaign and applies `actions` to it as `creator` (an admin), all in one
    /// transaction: either the whole campaign exists with its rules, or nothing was written.
    /// `room` is where the schedule announces its steps; `seed` is the tie-break seed, kept
    /// secret until voting closes. Each action is audited like [`Store::apply_award_action`].
    pub async fn open_award_campaign(
        &self,
        title: &str,
        creator: &Actor,
        room: &str,
        seed: &str,
        actions: &[Action],
        now: DateTime<Utc>,
    ) -> Result<Campaign, AwardStoreError> {
        self.create_campaign(title, creator, room, seed, actions, now, false)
            .await
    }

    /// A new campaign in one transaction (see [`Store::open_award_campaign`]): its row, the
    /// nominations `actions` made, its audit entries, and with `poll` its row in `polls`.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn create_campaign(
        &self,
        title: &str,
        creator: &Actor,
        room: &str,
        seed: &str,
        actions: &[Action],
        now: DateTime<Utc>,
        poll: bool,
    ) -> Result<Campaign, AwardStoreError> {
        // Everything is checked before any lock: a refusal writes nothing.
        let mut trial = Campaign::new("", title, now)?;
        for action in actions {
            trial.apply(creator, action.clone(), now)?;
        }
        let user = creator.user.trim();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write("awards").await?;
            let (number,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM campaigns")
                .fetch_one(&mut *tx)
                .await?;
            let id = number.to_string();
            let mut campaign = Campaign::new(id.as_str(), title, now)?;
            let mut audits = Vec::new();
            for action in actions {
                let effects = campaign.apply(creator, action.clone(), now)?;
                audits.push(audit_of(action, &effects, &campaign)?);
            }
            let parts = parts::split(&campaign)?;
            sqlx::query(
                "INSERT INTO campaigns (id, number, title, phase, state, created_at, updated_at, room, tie_seed)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
            )
            .bind(&id)
            .bind(number)
            .bind(&parts.title)
            .bind(&parts.phase)
            .bind(&parts.state)
            .bind(timestamp(now))
            .bind(room)
            .bind(seed)
            .execute(&mut *tx)
            .await?;
            for n in parts.nominations.values() {
                let n = parts::nomination_row(&id, n)?;
                sqlx::query(
                    "INSERT INTO nominations
                         (campaign, number, category, nominee, nominator, status, seconds, made_at, nomination)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&id)
                .bind(n.number)
                .bind(&n.category)
                .bind(&n.nominee)
                .bind(&n.nominator)
                .bind(n.status)
                .bind(n.seconds)
                .bind(&n.made_at)
                .bind(&n.json)
                .execute(&mut *tx)
                .await?;
            }
            if poll {
                sqlx::query("INSERT INTO polls (campaign, room, created_at) VALUES ($1, $2, $3)")
                    .bind(&id)
                    .bind(room)
                    .bind(timestamp(now))
                    .execute(&mut *tx)
                    .await?;
            }
            let target = award_target(&id);
            write_audit!(tx, now, user, "award.create", &target, Some(campaign.title()));
            for (name, detail) in &audits {
                write_audit!(tx, now, user, name, &target, detail.as_deref());
            }
            tx.commit().await?;
            Ok(campaign)
        })
    }

    /// The room campaign `id` was opened in, if any.
    pub async fn award_room(&self, id: &str) -> Result<Option<String>, AwardStoreError> {
        let row: Option<(Option<String>,)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT room FROM campaigns WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(room,)| room).ok_or_else(|| unknown(id))
    }

    /// Takes a step of campaign `id` (see [`AwardStep`]) and queues the messages `announce`
    /// writes for it, in one transaction with the audit entries: a step is announced once, and a
    /// crash loses neither. When voting closes, the stored seed is revealed in the same
    /// transaction. `eligible` are the people who may vote, as the caller knows them (the roll,
    /// or the peers): a reminder reports those of them who have not voted, to `announce` only.
    /// Nothing due, or a refused admin step, writes nothing.
    pub async fn step_award_campaign<F>(
        &self,
        id: &str,
        step: AwardStep,
        eligible: &[String],
        now: DateTime<Utc>,
        announce: F,
    ) -> Result<AwardStepped, AwardStoreError>
    where
        F: FnOnce(&AwardStepped) -> Vec<NewOutbox>,
    {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_change(id, None).await?;
            let stored = load!(tx, id, Voters::All).ok_or_else(|| unknown(id))?;
            let (room, seed): (Option<String>, Option<String>) =
                sqlx::query_as("SELECT room, tie_seed FROM campaigns WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let mut campaign = parts::join(id, stored)?;
            let before = parts::split(&campaign)?;
            let mut effects = Vec::new();
            let mut refused = None;
            // (actor, action name, detail) of each audit entry.
            let mut audits: Vec<(String, &'static str, Option<String>)> = Vec::new();
            let mut not_voted = Vec::new();
            let mut reminded = false;
            match step {
                AwardStep::Due => {
                    for transition in campaign.due(now) {
                        match campaign.transition(transition, now) {
                            Ok(taken) => {
                                reminded |= matches!(transition, Transition::Remind(_));
                                effects.extend(taken);
                                audits.push((
                                    AWARD_SCHEDULE_ACTOR.to_owned(),
                                    "award.transition",
                                    Some(transition.to_string()),
                                ));
                            }
                            Err(refusal) => {
                                refused = Some((transition, refusal));
                                break;
                            }
                        }
                    }
                }
                AwardStep::Admin { actor, transition } => {
                    let action = Action::Transition { transition };
                    let taken = campaign.apply(&actor, action.clone(), now)?;
                    let (name, detail) = audit_of(&action, &taken, &campaign)?;
                    audits.push((actor.user.trim().to_owned(), name, detail));
                    effects.extend(taken);
                }
            }
            if reminded && let Some(bx) = campaign.ballot_box() {
                let slugs: Vec<String> = campaign
                    .rules()
                    .categories
                    .iter()
                    .map(|c| c.slug.clone())
                    .collect();
                not_voted = eligible
                    .iter()
                    .filter(|user| slugs.iter().all(|slug| bx.own_vote(user, slug).is_none()))
                    .cloned()
                    .collect();
            }
            let closed = effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::PhaseChanged {
                        to: Phase::VotingClosed,
                        ..
                    }
                )
            });
            if closed
                && campaign.seed().is_none()
                && let Some(seed) = seed
            {
                let revealer = Actor::new(AWARD_SCHEDULE_ACTOR, Role::Admin);
                let action = Action::RevealSeed { seed };
                match campaign.apply(&revealer, action.clone(), now) {
                    Ok(taken) => {
                        let (name, detail) = audit_of(&action, &taken, &campaign)?;
                        audits.push((AWARD_SCHEDULE_ACTOR.to_owned(), name, detail));
                        effects.extend(taken);
                    }
                    // A campaign whose commitment was set by hand keeps its seed unrevealed.
                    Err(e) => {
                        tracing::warn!(campaign = id, error = %e, "the stored tie-break seed was not revealed")
                    }
                }
            }
            let after = parts::split(&campaign)?;
            let turnout = campaign.turnout();
            // Announcements see the campaign without voters, as every other reader does.
            let shown_campaign = parts::join(
                id,
                Stored {
                    state: after.state.clone(),
                    nominations: after
                        .nominations
                        .values()
                        .map(|n| parts::nomination_row(id, n).map(|row| row.json))
                        .collect::<Result<_, _>>()?,
                    ballots: Vec::new(),
                },
            )?;
            let mut stepped = AwardStepped {
                campaign: shown_campaign,
                turnout,
                effects,
                refused,
                room,
                not_voted,
            };
            if !stepped.changed() {
                return Ok(stepped);
            }
            let changes = parts::changes(id, &before, &after, None)?;
            save!(tx, id, &changes, now);
            let target = award_target(id);
            for (actor, name, detail) in &audits {
                write_audit!(tx, now, actor, name, &target, detail.as_deref());
            }
            let shown = announce(&stepped);
            let created = timestamp(now);
            for message in &shown {
                sqlx::query(
                    "INSERT INTO outbox (receiver, platform, body_markdown, reason, group_key,
                         created_at, state, attempts, next_attempt_at, image_png, image_name,
                         image_alt)
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $6, $7, $8, $9)",
                )
                .bind(&message.receiver)
                .bind(&message.platform)
                .bind(&message.body_markdown)
                .bind(&message.reason)
                .bind(&message.group_key)
                .bind(&created)
                .bind(message.image.as_ref().map(|i| i.png.as_slice()))
                .bind(message.image.as_ref().map(|i| i.name.as_str()))
                .bind(message.image.as_ref().map(|i| i.alt.as_str()))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            stepped.not_voted.clear();
            Ok(stepped)
        })
    }
}
