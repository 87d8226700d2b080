//! Award campaigns: the lifecycle, the schedule, and every decision about nominations, seconds,
//! recusals and ballots, as pure functions of the campaign, the actor and `now`.
//!
//! # Lifecycle
//!
//! `draft → nominations open → nominations closed → voting open → voting closed → certified`,
//! one step at a time, never back. The schedule moves it: [`Campaign::due`] says which
//! [`Transition`]s (and reminders) are due at `now`, and the edge applies each with
//! [`Campaign::transition`], in order, stopping at the first refusal (a refusal, such as
//! voting that cannot open because a category has no method, is due again on the next tick
//! until an admin fixes it). An admin may take any step early with [`Action::Transition`].
//! Deadlines are enforced by `now` as well as by phase, so a late scheduler cannot let a
//! ballot or a withdrawal in after its deadline.
//!
//! # Purity
//!
//! Every decision takes the campaign, the [`Actor`] and `now` and returns the [`Effect`]s for
//! the edge to carry out (announce, remind, store), or an [`AwardError`]. Methods take
//! `&mut self` for speed, but a refused action leaves the campaign exactly as it was: each
//! check runs before anything changes, and a property test holds it to that. The campaign is
//! plain data (serde), so storage keeps it whole.
//!
//! # Rules lock when voting opens
//!
//! Categories, counting methods and seats, eligibility, recusal rules, secrecy, quorum, the
//! tie-break commitment and the jury rule, and the schedule may change until voting opens, and
//! not after (the seconds required, until nominations close). Opening voting needs a method declared for every category and a tie-break
//! commitment (SHA-256 of a secret seed), which is published then; the seed is revealed after
//! voting closes and must match before the campaign can be certified. The ballot of each
//! category is fixed when voting opens: the nominations that had their seconds, in number order.
//! An admin may still withdraw one until voting closes; it stays on the ballot as withdrawn and
//! the count skips it.
//!
//! # Recusal covers the category
//!
//! A voter recused from a nomination, by declaration or by rule ([`RecusalRules`]: the voter is
//! the nominee, or shares the nominee's country or organisation), does not vote in that
//! nomination's category at all; a ballot cast before a declaration is taken out. Striking the
//! nominee from the voter's ballot instead would not remove the conflict: in a contest every
//! mark for a rival counts against the nominee, and for each ballot type the struck nominee
//! would still be treated as the voter's lowest choice (unranked in Borda, Schulze and ranked
//! pairs scores below every ranked nominee; a blank in score or STAR is a zero; not approving is
//! disapproving; a plurality or instant-runoff mark for a rival is one vote fewer for the
//! nominee). Abstaining in the category is the only neutral choice. Admins keep automatic
//! recusal narrow through the rules (same country is off by default).
//!
//! # Secrecy
//!
//! See [`ballot_box`]: a secret box shows counts only and forgets voters when it is sealed at
//! the close of voting; an open box may show votes with their voters. Either way a voter has
//! one ballot per category and the last one cast counts.

mod act;
pub mod ballot_box;
mod error;
mod lifecycle;
pub mod rules;
mod tally;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use ballot_box::{BallotBox, Turnout, Vote};
pub use error::{Activity, AwardError};
pub use lifecycle::{Phase, Transition};
pub use rules::{
    Category, Deadline, Method, Quorum, Reminder, RuleChange, Rules, Schedule, Secrecy, TieRule,
};
pub use tally::TallyInput;

use crate::eligibility::{Actor, RecusalReason, RecusalRules};
use crate::nomination::{Nomination, NominationId, Nominee};

/// Something the edge should do (announce, remind, store) because a decision was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "effect")]
pub enum Effect {
    PhaseChanged {
        from: Phase,
        to: Phase,
    },
    /// Remind people that `deadline` falls at `due_at`.
    Remind {
        deadline: Deadline,
        due_at: DateTime<Utc>,
    },
    /// Publish the tie-break commitment (when voting opens).
    CommitmentPublished {
        commitment: String,
    },
    SeedRevealed {
        seed: String,
    },
    RulesChanged,
    Nominated {
        id: NominationId,
    },
    NominationEdited {
        id: NominationId,
        seconds_cleared: bool,
    },
    NominationWithdrawn {
        id: NominationId,
    },
    Seconded {
        id: NominationId,
        seconds: u32,
        required: u32,
    },
    /// Nominations closed before it had its seconds.
    NominationLapsed {
        id: NominationId,
    },
    /// A category with nobody on its ballot when voting opened: it has no vote.
    EmptyCategory {
        category: String,
    },
    RecusalDeclared {
        id: NominationId,
        ballot_removed: bool,
    },
    BallotRecorded {
        category: String,
        replaced: bool,
    },
    QuorumNotMet {
        category: String,
        ballots: u64,
        required: u64,
    },
}

/// What an actor asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum Action {
    /// Admin: change the rules or schedule (before voting opens).
    Configure {
        change: RuleChange,
    },
    /// Admin: take a step of the lifecycle now.
    Transition {
        transition: Transition,
    },
    /// Admin: reveal the tie-break seed after voting closes.
    RevealSeed {
        seed: String,
    },
    Nominate {
        category: String,
        nominee: Nominee,
        citation: String,
    },
    /// The nominator or an admin, before nominations close; `None` keeps a field.
    EditNomination {
        id: NominationId,
        category: Option<String>,
        nominee: Option<Nominee>,
        citation: Option<String>,
    },
    Withdraw {
        id: NominationId,
    },
    Second {
        id: NominationId,
    },
    DeclareRecusal {
        id: NominationId,
    },
    Vote {
        category: String,
        vote: Vote,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChange {
    pub phase: Phase,
    pub at: DateTime<Utc>,
}

/// A declared conflict of interest; public, as declarations are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recusal {
    pub user: String,
    pub nomination: NominationId,
    pub at: DateTime<Utc>,
}

/// An award campaign and everything decided in it so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    id: String,
    title: String,
    phase: Phase,
    history: Vec<PhaseChange>,
    rules: Rules,
    schedule: Schedule,
    nominations: Vec<Nomination>,
    recusals: Vec<Recusal>,
    /// Per category slug, the nominations on its ballot, fixed when voting opens; a
    /// nomination's index here is its `CandidateId` in the tally.
    ballots: Vec<(String, Vec<NominationId>)>,
    ballot_box: Option<BallotBox>,
    reminders_sent: BTreeSet<Reminder>,
    seed: Option<String>,
}

impl Campaign {
    /// A new campaign in draft with default rules and no schedule. `id` is storage's.
    pub fn new(id: impl Into<String>, title: &str, now: DateTime<Utc>) -> Result<Self, AwardError> {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() || title.chars().count() > 200 {
            let problem = if title.is_empty() { "empty" } else { "too long" };
            return Err(AwardError::InvalidTitle { problem });
        }
        Ok(Self {
            id: id.into(),
            title,
            phase: Phase::Draft,
            history: vec![PhaseChange {
                phase: Phase::Draft,
                at: now,
            }],
            rules: Rules::default(),
            schedule: Schedule::default(),
            nominations: Vec::new(),
            recusals: Vec::new(),
            ballots: Vec::new(),
            ballot_box: None,
            reminders_sent: BTreeSet::new(),
            seed: None,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn phase(&self) -> Phase {
        self.phase
    }
    pub fn history(&self) -> &[PhaseChange] {
        &self.history
    }
    pub fn rules(&self) -> &Rules {
        &self.rules
    }
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }
    pub fn nominations(&self) -> &[Nomination] {
        &self.nominations
    }
    pub fn nomination(&self, id: NominationId) -> Option<&Nomination> {
        self.nominations.iter().find(|n| n.id == id)
    }
    pub fn recusals(&self) -> &[Recusal] {
        &self.recusals
    }
    /// The box, from when voting opens.
    pub fn ballot_box(&self) -> Option<&BallotBox> {
        self.ballot_box.as_ref()
    }
    /// The revealed tie-break seed.
    pub fn seed(&self) -> Option<&str> {
        self.seed.as_deref()
    }

    /// Participation in counts only, from when voting opens.
    pub fn turnout(&self) -> Option<Turnout> {
        Some(self.ballot_box.as_ref()?.turnout(self.rules.voters.roll_size()))
    }

    /// The nominations on `category`'s ballot, fixed when voting opened (withdrawn ones too).
    pub fn ballot(&self, category: &str) -> &[NominationId] {
        self.ballots
            .iter()
            .find(|(c, _)| c == category)
            .map_or(&[], |(_, ids)| ids.as_slice())
    }

    /// The nominations a voter may choose from in `category`: on the ballot and still active.
    pub fn standing(&self, category: &str) -> Vec<NominationId> {
        let ballot = self.ballot(category);
        ballot
            .iter()
            .copied()
            .filter(|id| self.nomination(*id).is_some_and(Nomination::is_active))
            .collect()
    }

    /// Why `voter` may not vote in `category`, if recused there: the first nomination on its
    /// ballot they are recused from, and the reason.
    pub fn recusal_in(&self, voter: &Actor, category: &str) -> Option<(NominationId, RecusalReason)> {
        self.standing(category)
            .into_iter()
            .find_map(|id| Some((id, self.recusal_from(voter, id)?)))
    }

    fn recusal_from(&self, voter: &Actor, id: NominationId) -> Option<RecusalReason> {
        if self
            .recusals
            .iter()
            .any(|r| r.nomination == id && r.user == voter.user.trim())
        {
            return Some(RecusalReason::Declared);
        }
        let rules: &RecusalRules = &self.rules.recusal;
        rules.automatic(voter, &self.nomination(id)?.nominee)
    }

    /// Ballots counted in `category` and the quorum it needed, once voting has closed.
    pub fn quorum(&self, category: &str) -> Option<(u64, u64)> {
        let bx = self.ballot_box.as_ref().filter(|b| b.is_sealed())?;
        let ballots = bx.sealed_ballots(category).map_or(0, |b| b.len() as u64);
        Some((ballots, self.rules.quorum.required(self.rules.voters.roll_size())))
    }

    /// Applies what `actor` asks for at `now`: all of it, with the effects to carry out, or
    /// none of it, with the one-sentence reason.
    pub fn apply(
        &mut self,
        actor: &Actor,
        action: Action,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        match action {
            Action::Configure { change } => {
                self.admin(actor, "change the rules")?;
                self.configure(change)
            }
            Action::Transition { transition } => {
                self.admin(actor, "move the campaign to its next step")?;
                self.transition(transition, now)
            }
            Action::RevealSeed { seed } => {
                self.admin(actor, "reveal the tie-break seed")?;
                self.reveal_seed(&seed)
            }
            Action::Nominate {
                category,
                nominee,
                citation,
            } => self.nominate(actor, &category, &nominee, &citation, now),
            Action::EditNomination {
                id,
                category,
                nominee,
                citation,
            } => self.edit(
                actor,
                id,
                category.as_deref(),
                nominee.as_ref(),
                citation.as_deref(),
                now,
            ),
            Action::Withdraw { id } => self.withdraw(actor, id, now),
            Action::Second { id } => self.second(actor, id, now),
            Action::DeclareRecusal { id } => self.declare_recusal(actor, id, now),
            Action::Vote { category, vote } => self.vote(actor, &category, &vote, now),
        }
    }

    fn admin(&self, actor: &Actor, action: &'static str) -> Result<(), AwardError> {
        if actor.is_admin() {
            Ok(())
        } else {
            Err(AwardError::AdminOnly {
                campaign: self.title.clone(),
                action,
            })
        }
    }

    fn unknown_category(&self, category: &str) -> AwardError {
        AwardError::UnknownCategory {
            campaign: self.title.clone(),
            category: category.trim().to_owned(),
            known: self.rules.slugs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_effects_round_trip_through_json() {
        let actions = [
            Action::Configure {
                change: RuleChange::SecondsRequired(2),
            },
            Action::Configure {
                change: RuleChange::DeclareMethod {
                    category: "c".into(),
                    method: Method::StvMeek,
                    seats: 2,
                },
            },
            Action::Transition {
                transition: Transition::Remind(Reminder {
                    deadline: Deadline::VotingClose,
                    hours_before: 24,
                }),
            },
            Action::Vote {
                category: "c".into(),
                vote: Vote::Ranked(vec![vec![NominationId(2)]]),
            },
        ];
        for action in actions {
            let json = serde_json::to_string(&action).expect("json");
            assert_eq!(
                serde_json::from_str::<Action>(&json).expect("back"),
                action,
                "{json}"
            );
        }
    }

    #[test]
    fn phases_are_described_as_states() {
        assert_eq!(Phase::NominationsOpen.to_string(), "open for nominations");
        assert!(Phase::Draft < Phase::Certified);
    }
}
