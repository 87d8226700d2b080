//! Award campaigns: each campaign with its nominations and ballots, changed only through the
//! pure decisions of [`vigie_awards::campaign`], and audited.
//!
//! # One action, one transaction
//!
//! Every change loads the campaign under its lock, applies the action with [`Campaign::apply`]
//! (or, for the schedule, [`Campaign::transition`]), writes what changed with the audit entry,
//! and commits; a refused action writes nothing. A ballot loads only its voter's earlier ballots
//! (the decision needs no one else's) and changes only its voter's rows, so on PostgreSQL
//! ballots of different voters are taken side by side, under the campaign's lock held shared
//! and the voter's held exclusively; any other change holds the campaign's lock exclusively, so
//! no ballot slips in while voting closes. A step of the lifecycle loads every ballot, since
//! closing the vote seals them. SQLite has one writer at a time.
//!
//! # The last ballot counts
//!
//! A voter has one row per category in `ballots`; casting again replaces it. A voter's ballots
//! are taken one at a time, each numbered above all their earlier ones (`seq`), and a row is
//! only replaced by a higher number: of two ballots by one voter, the one sent after the first
//! was answered is the one kept.
//!
//! # Secrecy
//!
//! The `campaigns` row never links a voter to a ballot (see `parts`), so reading it, or the
//! campaign from [`Store::award_campaign`], shows no vote: its ballot box is returned without
//! voters. Before the close, ballots are read only as counts ([`Store::award_turnout`]), by their
//! own voter ([`Store::own_ballot`]), or, in an open campaign only, with their voters
//! ([`Store::open_ballots`]). Closing the vote seals the box: the ballots are kept in the state in
//! a canonical order, and for a secret campaign every `ballots` row is deleted, so nothing links
//! a voter to a ballot any more. The audit log says who acted and when, and for a ballot only
//! its category: never the vote.

mod parts;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{Postgres, Sqlite, Transaction};
use vigie_awards::campaign::{Action, AwardError, Campaign, Effect, Transition, Turnout, Vote};
use vigie_awards::eligibility::Actor;
use vigie_awards::nomination::Nomination;

use self::parts::{BallotRow, Changes, Stored};
use crate::audit::write_audit;
use crate::column::{json, read_json, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store};

/// The audit log's actor for the steps the schedule takes.
pub const AWARD_SCHEDULE_ACTOR: &str = "schedule";

/// Why an award action or read did not happen: the campaign's own refusal (one sentence, to
/// show as it is), a campaign that does not exist, or storage failing.
#[derive(Debug, thiserror::Error)]
pub enum AwardStoreError {
    #[error(transparent)]
    Refused(#[from] AwardError),
    #[error("there is no award campaign “{id}”; expected the id of an existing campaign")]
    UnknownCampaign { id: String },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for AwardStoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Storage(StorageError::Query(e))
    }
}

/// What the schedule did to a campaign: the effects of the steps taken, in order, and the step
/// it stopped at, refused (due again at the next tick).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Advance {
    pub effects: Vec<Effect>,
    pub refused: Option<(Transition, AwardError)>,
}

/// A campaign id and a JSON text: its state, or one of its nominations.
type Keyed = (String, String);

/// Whose ballots to load with a campaign.
#[derive(Debug, Clone, Copy)]
enum Voters<'a> {
    None,
    One(&'a str),
    All,
}

/// The audit log's target for a campaign.
pub fn award_target(id: &str) -> String {
    format!("award:{id}")
}

fn unknown(id: &str) -> AwardStoreError {
    AwardStoreError::UnknownCampaign { id: id.to_owned() }
}

/// A read transaction that sees one snapshot of the database: SQLite's deferred transaction
/// does from its first read; PostgreSQL's default (read committed) would not.
trait Snapshot {
    type Db: sqlx::Database;

    async fn begin_read(&self) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl Snapshot for SqlitePool {
    type Db = Sqlite;

    async fn begin_read(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin().await
    }
}

impl Snapshot for PgPool {
    type Db = Postgres;

    async fn begin_read(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
    }
}

/// Write transactions on a campaign. SQLite has one writer at a time. On PostgreSQL a ballot
/// holds the campaign's advisory lock shared and its voter's exclusively, and any other change
/// holds the campaign's exclusively: ballots of different voters are taken side by side, those
/// of one voter one after the other, and nothing else happens to the campaign meanwhile (a
/// ballot changes only its voter's rows).
trait CampaignLock {
    type Db: sqlx::Database;

    /// Begins a transaction for a ballot of `voter`, or for any other change when `None`.
    async fn begin_change(
        &self,
        campaign: &str,
        voter: Option<&str>,
    ) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl CampaignLock for SqlitePool {
    type Db = Sqlite;

    async fn begin_change(
        &self,
        _campaign: &str,
        _voter: Option<&str>,
    ) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl CampaignLock for PgPool {
    type Db = Postgres;

    async fn begin_change(
        &self,
        campaign: &str,
        voter: Option<&str>,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        let key = format!("award:{campaign}");
        let campaign_lock = match voter {
            Some(_) => "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))",
            None => "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        };
        sqlx::query(campaign_lock).bind(&key).execute(&mut *tx).await?;
        if let Some(voter) = voter {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(format!("{key}:{voter}"))
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }
}

/// Reads a campaign's rows inside the transaction `$tx`: `None` when there is no such campaign.
macro_rules! load {
    ($tx:expr, $id:expr, $voters:expr) => {{
        let id: &str = $id;
        let voters: Voters<'_> = $voters;
        let state: Option<(String,)> = sqlx::query_as("SELECT state FROM campaigns WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?;
        match state {
            None => None,
            Some((state,)) => {
                let nominations: Vec<(String,)> =
                    sqlx::query_as("SELECT nomination FROM nominations WHERE campaign = $1 ORDER BY number")
                        .bind(id)
                        .fetch_all(&mut *$tx)
                        .await?;
                let ballots: Vec<BallotRow> = match voters {
                    Voters::None => Vec::new(),
                    Voters::One(voter) => {
                        sqlx::query_as(
                            "SELECT voter, category, region, vote, seq FROM ballots
                             WHERE campaign = $1 AND voter = $2",
                        )
                        .bind(id)
                        .bind(voter)
                        .fetch_all(&mut *$tx)
                        .await?
                    }
                    Voters::All => {
                        sqlx::query_as(
                            "SELECT voter, category, region, vote, seq FROM ballots WHERE campaign = $1",
                        )
                        .bind(id)
                        .fetch_all(&mut *$tx)
                        .await?
                    }
                };
                Some(Stored {
                    state,
                    nominations: nominations.into_iter().map(|(n,)| n).collect(),
                    ballots,
                })
            }
        }
    }};
}

/// Writes `$changes` to campaign `$id` inside the transaction `$tx`.
macro_rules! save {
    ($tx:expr, $id:expr, $changes:expr, $now:expr) => {{
        let id: &str = $id;
        let changes: &Changes = $changes;
        let now = timestamp($now);
        if let Some((title, phase, state)) = &changes.state {
            sqlx::query(
                "UPDATE campaigns SET title = $2, phase = $3, state = $4, updated_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(title)
            .bind(phase)
            .bind(state)
            .bind(&now)
            .execute(&mut *$tx)
            .await?;
        }
        for n in &changes.nominations {
            sqlx::query(
                "INSERT INTO nominations
                     (campaign, number, category, nominee, nominator, status, seconds, made_at, nomination)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (campaign, number) DO UPDATE SET category = excluded.category,
                     nominee = excluded.nominee, nominator = excluded.nominator,
                     status = excluded.status, seconds = excluded.seconds,
                     made_at = excluded.made_at, nomination = excluded.nomination",
            )
            .bind(id)
            .bind(n.number)
            .bind(&n.category)
            .bind(&n.nominee)
            .bind(&n.nominator)
            .bind(n.status)
            .bind(n.seconds)
            .bind(&n.made_at)
            .bind(&n.json)
            .execute(&mut *$tx)
            .await?;
        }
        for (voter, category) in &changes.deleted {
            sqlx::query("DELETE FROM ballots WHERE campaign = $1 AND category = $2 AND voter = $3")
                .bind(id)
                .bind(category)
                .bind(voter)
                .execute(&mut *$tx)
                .await?;
        }
        for b in &changes.ballots {
            // The voter's ballots are written one at a time, so the next number is above all of
            // theirs, and a row is only ever replaced by a later ballot.
            sqlx::query(
                "INSERT INTO ballots (campaign, category, voter, region, vote, cast_at, seq)
                 VALUES ($1, $2, $3, $4, $5, $6,
                     (SELECT COALESCE(MAX(seq), 0) + 1 FROM ballots WHERE campaign = $1 AND voter = $3))
                 ON CONFLICT (campaign, category, voter) DO UPDATE SET region = excluded.region,
                     vote = excluded.vote, cast_at = excluded.cast_at, seq = excluded.seq
                 WHERE ballots.seq < excluded.seq",
            )
            .bind(id)
            .bind(&b.category)
            .bind(&b.voter)
            .bind(&b.region)
            .bind(&b.vote)
            .bind(&now)
            .execute(&mut *$tx)
            .await?;
        }
        for (voter, region) in &changes.regions {
            sqlx::query("UPDATE ballots SET region = $3 WHERE campaign = $1 AND voter = $2")
                .bind(id)
                .bind(voter)
                .bind(region)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// The audit action and detail of an accepted action. A ballot's detail names its category
/// only, never the vote.
fn audit_of(
    action: &Action,
    effects: &[Effect],
    campaign: &Campaign,
) -> Result<(&'static str, Option<String>), StorageError> {
    let detail = match action {
        Action::Configure { change } => {
            return Ok(("award.configure", Some(json("a rule change", change)?)));
        }
        Action::Transition { transition } => return Ok(("award.transition", Some(transition.to_string()))),
        Action::RevealSeed { .. } => return Ok(("award.reveal-seed", None)),
        Action::Nominate { .. } => (
            "award.nominate",
            effects.iter().find_map(|e| match e {
                Effect::Nominated { id } => Some(match campaign.nomination(*id) {
                    Some(n) => format!("{id} in {}: {}", n.category, n.nominee),
                    None => id.to_string(),
                }),
                _ => None,
            }),
        ),
        Action::EditNomination { id, .. } => {
            let cleared = effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::NominationEdited {
                        seconds_cleared: true,
                        ..
                    }
                )
            });
            let note = if cleared { "; its seconds were cleared" } else { "" };
            ("award.edit-nomination", Some(format!("{id}{note}")))
        }
        Action::Withdraw { id } => ("award.withdraw", Some(id.to_string())),
        Action::Second { id } => ("award.second", Some(id.to_string())),
        Action::DeclareRecusal { id } => {
            let removed = effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::RecusalDeclared {
                        ballot_removed: true,
                        ..
                    }
                )
            });
            let note = if removed {
                "; the ballot cast in its category was taken out"
            } else {
                ""
            };
            ("award.recuse", Some(format!("{id}{note}")))
        }
        Action::Vote { .. } => (
            "award.vote",
            effects.iter().find_map(|e| match e {
                Effect::BallotRecorded { category, replaced } => Some(if *replaced {
                    format!("ballot in {category}, replacing the earlier one")
                } else {
                    format!("ballot in {category}")
                }),
                _ => None,
            }),
        ),
    };
    Ok(detail)
}

/// The category slug a reader names, or the campaign's refusal.
fn category_of(campaign: &Campaign, category: &str) -> Result<String, AwardError> {
    let slug = category.trim().to_lowercase();
    match campaign.rules().category(&slug) {
        Some(c) => Ok(c.slug.clone()),
        None => Err(AwardError::UnknownCategory {
            campaign: campaign.title().to_owned(),
            category: category.trim().to_owned(),
            known: campaign.rules().slugs(),
        }),
    }
}

impl Store {
    /// Creates a campaign in draft, audited as `award.create` by `creator`. Its id is the next
    /// number (`1`, `2`, …). A title the campaign refuses is [`AwardStoreError::Refused`].
    pub async fn create_award_campaign(
        &self,
        title: &str,
        creator: &str,
        now: DateTime<Utc>,
    ) -> Result<Campaign, AwardStoreError> {
        // Checks the title before taking any lock.
        Campaign::new("", title, now)?;
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write("awards").await?;
            let (number,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM campaigns")
                .fetch_one(&mut *tx)
                .await?;
            let id = number.to_string();
            let campaign = Campaign::new(id.as_str(), title, now)?;
            let parts = parts::split(&campaign)?;
            sqlx::query(
                "INSERT INTO campaigns (id, number, title, phase, state, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&id)
            .bind(number)
            .bind(&parts.title)
            .bind(&parts.phase)
            .bind(&parts.state)
            .bind(timestamp(now))
            .execute(&mut *tx)
            .await?;
            write_audit!(
                tx,
                now,
                creator,
                "award.create",
                &award_target(&id),
                Some(campaign.title())
            );
            tx.commit().await?;
            Ok(campaign)
        })
    }

    /// The campaign, with its nominations, and its ballot box without voters: before the close
    /// the box looks empty (read participation with [`Store::award_turnout`]); once sealed it
    /// holds the anonymous ballots.
    pub async fn award_campaign(&self, id: &str) -> Result<Option<Campaign>, StorageError> {
        let stored = on_pool!(self, |pool| {
            let mut tx = pool.begin_read().await?;
            load!(tx, id, Voters::None)
        });
        stored.map(|stored| parts::join(id, stored)).transpose()
    }

    /// Every campaign, as [`Store::award_campaign`] returns them, oldest first.
    pub async fn award_campaigns(&self) -> Result<Vec<Campaign>, StorageError> {
        let (campaigns, nominations): (Vec<Keyed>, Vec<Keyed>) = on_pool!(self, |pool| {
            let mut tx = pool.begin_read().await?;
            let campaigns = sqlx::query_as("SELECT id, state FROM campaigns ORDER BY number")
                .fetch_all(&mut *tx)
                .await?;
            let nominations =
                sqlx::query_as("SELECT campaign, nomination FROM nominations ORDER BY campaign, number")
                    .fetch_all(&mut *tx)
                    .await?;
            (campaigns, nominations)
        });
        let mut by_campaign: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (campaign, nomination) in nominations {
            by_campaign.entry(campaign).or_default().push(nomination);
        }
        campaigns
            .into_iter()
            .map(|(id, state)| {
                let stored = Stored {
                    state,
                    nominations: by_campaign.remove(&id).unwrap_or_default(),
                    ballots: Vec::new(),
                };
                parts::join(&id, stored)
            })
            .collect()
    }

    /// A campaign's nominations, of one category if given, by number.
    pub async fn award_nominations(
        &self,
        id: &str,
        category: Option<&str>,
    ) -> Result<Vec<Nomination>, AwardStoreError> {
        let rows: Option<Vec<(i64, String)>> = on_pool!(self, |pool| {
            let mut tx = pool.begin_read().await?;
            let found: Option<(String,)> = sqlx::query_as("SELECT id FROM campaigns WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            match found {
                None => None,
                Some(_) => Some(
                    sqlx::query_as(
                        "SELECT number, nomination FROM nominations
                         WHERE campaign = $1 AND ($2 IS NULL OR category = $2) ORDER BY number",
                    )
                    .bind(id)
                    .bind(category.map(|c| c.trim().to_lowercase()))
                    .fetch_all(&mut *tx)
                    .await?,
                ),
            }
        });
        let rows = rows.ok_or_else(|| unknown(id))?;
        rows.into_iter()
            .map(|(number, text)| {
                read_json(&format!("nomination #{number} of award campaign {id}"), &text)
                    .map_err(AwardStoreError::from)
            })
            .collect()
    }

    /// Applies what `actor` asks for at `now` (see [`Campaign::apply`]) in one transaction with
    /// its audit entry (`award.<action>`, target `award:<id>`), and returns the effects for the
    /// caller to carry out. A refusal is [`AwardStoreError::Refused`] and writes nothing.
    pub async fn apply_award_action(
        &self,
        id: &str,
        actor: &Actor,
        action: Action,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardStoreError> {
        let user = actor.user.trim();
        let voters = match action {
            Action::Transition { .. } => Voters::All,
            _ => Voters::One(user),
        };
        let ballot_of = matches!(action, Action::Vote { .. }).then_some(user);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_change(id, ballot_of).await?;
            let stored = load!(tx, id, voters).ok_or_else(|| unknown(id))?;
            let mut campaign = parts::join(id, stored)?;
            let before = parts::split(&campaign)?;
            let effects = campaign.apply(actor, action.clone(), now)?;
            let after = parts::split(&campaign)?;
            let cast = effects.iter().find_map(|e| match e {
                Effect::BallotRecorded { category, .. } => Some((user, category.as_str())),
                _ => None,
            });
            let changes = parts::changes(id, &before, &after, cast)?;
            save!(tx, id, &changes, now);
            let (name, detail) = audit_of(&action, &effects, &campaign)?;
            write_audit!(tx, now, user, name, &award_target(id), detail.as_deref());
            tx.commit().await?;
            Ok(effects)
        })
    }

    /// Casts `voter`'s ballot in `category`, replacing any earlier one: [`Action::Vote`] through
    /// [`Store::apply_award_action`].
    pub async fn cast_ballot(
        &self,
        id: &str,
        voter: &Actor,
        category: &str,
        vote: Vote,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardStoreError> {
        let action = Action::Vote {
            category: category.to_owned(),
            vote,
        };
        self.apply_award_action(id, voter, action, now).await
    }

    /// Takes the steps of the schedule due at `now` (see [`Campaign::due`]), in order, in one
    /// transaction, each audited as `award.transition` by [`AWARD_SCHEDULE_ACTOR`]; it stops at the
    /// first refusal, keeping the steps before it. Nothing due takes no lock.
    pub async fn advance_award_campaign(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Advance, AwardStoreError> {
        let campaign = self.award_campaign(id).await?.ok_or_else(|| unknown(id))?;
        if campaign.due(now).is_empty() {
            return Ok(Advance::default());
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_change(id, None).await?;
            let stored = load!(tx, id, Voters::All).ok_or_else(|| unknown(id))?;
            let mut campaign = parts::join(id, stored)?;
            let before = parts::split(&campaign)?;
            let mut advance = Advance::default();
            let mut taken = Vec::new();
            for transition in campaign.due(now) {
                match campaign.transition(transition, now) {
                    Ok(effects) => {
                        taken.push(transition);
                        advance.effects.extend(effects);
                    }
                    Err(refusal) => {
                        advance.refused = Some((transition, refusal));
                        break;
                    }
                }
            }
            if taken.is_empty() {
                return Ok(advance);
            }
            let changes = parts::changes(id, &before, &parts::split(&campaign)?, None)?;
            save!(tx, id, &changes, now);
            let target = award_target(id);
            for transition in taken {
                let detail = transition.to_string();
                write_audit!(
                    tx,
                    now,
                    AWARD_SCHEDULE_ACTOR,
                    "award.transition",
                    &target,
                    Some(detail.as_str())
                );
            }
            tx.commit().await?;
            Ok(advance)
        })
    }

    /// Reads a campaign with the ballots of `voters`, in one snapshot.
    async fn award_campaign_with(&self, id: &str, voters: Voters<'_>) -> Result<Campaign, AwardStoreError> {
        let stored = on_pool!(self, |pool| {
            let mut tx = pool.begin_read().await?;
            load!(tx, id, voters)
        });
        Ok(parts::join(id, stored.ok_or_else(|| unknown(id))?)?)
    }

    /// Participation in counts only, from when voting opens (`None` before); as sealed once
    /// voting has closed.
    pub async fn award_turnout(&self, id: &str) -> Result<Option<Turnout>, AwardStoreError> {
        Ok(self.award_campaign_with(id, Voters::All).await?.turnout())
    }

    /// `user`'s current ballot in `category`, for showing to that user alone; `None` when they
    /// have none, and always once a secret box is sealed.
    pub async fn own_ballot(
        &self,
        id: &str,
        user: &str,
        category: &str,
    ) -> Result<Option<Vote>, AwardStoreError> {
        let campaign = self.award_campaign_with(id, Voters::One(user.trim())).await?;
        let slug = category_of(&campaign, category)?;
        Ok(campaign
            .ballot_box()
            .and_then(|bx| bx.own_vote(user, &slug))
            .cloned())
    }

    /// Who voted what in `category`, by voter, in an open campaign only: `None` for a secret one
    /// (and before voting opens).
    pub async fn open_ballots(
        &self,
        id: &str,
        category: &str,
    ) -> Result<Option<Vec<(String, Vote)>>, AwardStoreError> {
        let campaign = self.award_campaign_with(id, Voters::All).await?;
        let slug = category_of(&campaign, category)?;
        Ok(campaign.ballot_box().and_then(|bx| {
            bx.open_votes(&slug).map(|votes| {
                votes
                    .into_iter()
                    .map(|(user, vote)| (user.to_owned(), vote.clone()))
                    .collect()
            })
        }))
    }

    /// The anonymous ballots of `category` in canonical order, once voting has closed; `None`
    /// before.
    pub async fn sealed_ballots(
        &self,
        id: &str,
        category: &str,
    ) -> Result<Option<Vec<Vote>>, AwardStoreError> {
        let campaign = self.award_campaign_with(id, Voters::None).await?;
        let slug = category_of(&campaign, category)?;
        Ok(campaign
            .ballot_box()
            .and_then(|bx| bx.sealed_ballots(&slug))
            .map(<[Vote]>::to_vec))
    }
}

mod announce;

pub use announce::{AwardStep, AwardStepped};

mod poll;

pub use poll::StoredPoll;
