//! The lifecycle: its phases and steps, what the schedule makes due, and taking a step.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AwardError, BallotBox, Campaign, Deadline, Effect, PhaseChange, Reminder};
use crate::nomination::{NominationId, NominationStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Draft,
    NominationsOpen,
    NominationsClosed,
    VotingOpen,
    VotingClosed,
    Certified,
}

impl Phase {
    /// What may happen next, as the end of a sentence.
    pub fn next_step(self) -> &'static str {
        match self {
            Self::Draft => "the next step is to open nominations",
            Self::NominationsOpen => "the next step is to close nominations",
            Self::NominationsClosed => "the next step is to open voting",
            Self::VotingOpen => "the next step is to close voting",
            Self::VotingClosed => "the next step is to certify the results",
            Self::Certified => "a certified campaign is final",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Draft => "in draft",
            Self::NominationsOpen => "open for nominations",
            Self::NominationsClosed => "closed for nominations, before voting",
            Self::VotingOpen => "open for voting",
            Self::VotingClosed => "closed for voting",
            Self::Certified => "certified",
        })
    }
}

/// A step of the lifecycle, or a reminder; what [`Campaign::due`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "transition")]
pub enum Transition {
    OpenNominations,
    CloseNominations,
    OpenVoting,
    CloseVoting,
    /// Only ever taken by an admin; never due on its own.
    Certify,
    Remind(Reminder),
}

impl Transition {
    /// The phase it starts from and the one it leads to (a reminder stays put).
    pub fn phases(self) -> (Phase, Phase) {
        match self {
            Self::OpenNominations => (Phase::Draft, Phase::NominationsOpen),
            Self::CloseNominations => (Phase::NominationsOpen, Phase::NominationsClosed),
            Self::OpenVoting => (Phase::NominationsClosed, Phase::VotingOpen),
            Self::CloseVoting => (Phase::VotingOpen, Phase::VotingClosed),
            Self::Certify => (Phase::VotingClosed, Phase::Certified),
            Self::Remind(r) => match r.deadline {
                Deadline::NominationsClose => (Phase::NominationsOpen, Phase::NominationsOpen),
                Deadline::VotingClose => (Phase::VotingOpen, Phase::VotingOpen),
            },
        }
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OpenNominations => f.write_str("open nominations"),
            Self::CloseNominations => f.write_str("close nominations"),
            Self::OpenVoting => f.write_str("open voting"),
            Self::CloseVoting => f.write_str("close voting"),
            Self::Certify => f.write_str("be certified"),
            Self::Remind(r) => write!(
                f,
                "send the reminder {} hours before {}",
                r.hours_before, r.deadline
            ),
        }
    }
}

impl Campaign {
    /// The transitions and reminders due at `now`, in the order to apply them. Several phases
    /// may be due at once (after downtime); reminders come first and only before their deadline.
    pub fn due(&self, now: DateTime<Utc>) -> Vec<Transition> {
        let mut due = Vec::new();
        for reminder in &self.schedule.reminders {
            let t = Transition::Remind(*reminder);
            let in_phase = t.phases().0 == self.phase;
            let window = self
                .schedule
                .reminder_at(reminder)
                .zip(self.schedule.deadline(reminder.deadline));
            if in_phase
                && !self.reminders_sent.contains(reminder)
                && window.is_some_and(|(at, deadline)| at <= now && now < deadline)
            {
                due.push(t);
            }
        }
        let mut phase = self.phase;
        loop {
            let (at, t) = match phase {
                Phase::Draft => (self.schedule.nominations_open, Transition::OpenNominations),
                Phase::NominationsOpen => (self.schedule.nominations_close, Transition::CloseNominations),
                Phase::NominationsClosed => (self.schedule.voting_open, Transition::OpenVoting),
                Phase::VotingOpen => (self.schedule.voting_close, Transition::CloseVoting),
                Phase::VotingClosed | Phase::Certified => break,
            };
            if at.is_none_or(|at| at > now) {
                break;
            }
            due.push(t);
            phase = t.phases().1;
        }
        due
    }

    /// Applies a transition for the scheduler, which [`Campaign::due`] decided; there is no
    /// actor to check. People take steps through [`Campaign::apply`] with
    /// [`Action::Transition`](super::Action::Transition), which needs an admin.
    pub fn transition(&mut self, t: Transition, now: DateTime<Utc>) -> Result<Vec<Effect>, AwardError> {
        let (from, to) = t.phases();
        if self.phase != from {
            return Err(AwardError::IllegalTransition {
                campaign: self.title.clone(),
                phase: self.phase,
                transition: t,
            });
        }
        let mut effects = Vec::new();
        match t {
            Transition::Remind(reminder) => {
                let pending =
                    self.schedule.reminders.contains(&reminder) && !self.reminders_sent.contains(&reminder);
                let Some(at) = self.schedule.deadline(reminder.deadline).filter(|_| pending) else {
                    return Err(AwardError::IllegalTransition {
                        campaign: self.title.clone(),
                        phase: self.phase,
                        transition: t,
                    });
                };
                self.reminders_sent.insert(reminder);
                return Ok(vec![Effect::Remind {
                    deadline: reminder.deadline,
                    due_at: at,
                }]);
            }
            Transition::OpenNominations => {
                if self.rules.categories.is_empty() {
                    return Err(AwardError::InvalidRule(format!(
                        "“{}” has no category yet; add one before opening nominations",
                        self.title
                    )));
                }
            }
            Transition::CloseNominations => {
                let required = self.rules.seconds_required;
                for n in self.nominations.iter_mut().filter(|n| n.is_active()) {
                    let seconds = n.seconds_count();
                    if seconds < required {
                        n.status = NominationStatus::Lapsed { seconds, required };
                        effects.push(Effect::NominationLapsed { id: n.id });
                    }
                }
            }
            Transition::OpenVoting => return self.open_voting(now),
            Transition::CloseVoting => {
                let roll = self.rules.voters.roll_size();
                if let Some(bx) = self.ballot_box.as_mut() {
                    bx.seal(roll);
                }
                for category in &self.rules.categories {
                    if let Some((ballots, required)) = self.quorum(&category.slug)
                        && ballots < required
                    {
                        effects.push(Effect::QuorumNotMet {
                            category: category.slug.clone(),
                            ballots,
                            required,
                        });
                    }
                }
            }
            Transition::Certify => {
                if self.seed.is_none() {
                    return Err(AwardError::SeedNotRevealed {
                        campaign: self.title.clone(),
                    });
                }
            }
        }
        self.enter(to, now);
        effects.insert(0, Effect::PhaseChanged { from, to });
        Ok(effects)
    }

    fn open_voting(&mut self, now: DateTime<Utc>) -> Result<Vec<Effect>, AwardError> {
        for category in &self.rules.categories {
            let Some(method) = &category.method else {
                return Err(AwardError::MethodNotDeclared {
                    category: category.slug.clone(),
                });
            };
            method
                .check(category.seats)
                .map_err(|problem| AwardError::InvalidMethod {
                    category: category.slug.clone(),
                    problem,
                })?;
        }
        let Some(commitment) = self.rules.tie_commitment.clone() else {
            return Err(AwardError::NoCommitment {
                campaign: self.title.clone(),
            });
        };
        let percent = self.rules.quorum.min_percent_of_roll;
        if percent > 0 && self.rules.voters.roll.is_none() {
            return Err(AwardError::QuorumWithoutRoll { percent });
        }
        let mut effects = vec![
            Effect::PhaseChanged {
                from: Phase::NominationsClosed,
                to: Phase::VotingOpen,
            },
            Effect::CommitmentPublished { commitment },
        ];
        self.ballots = self
            .rules
            .categories
            .iter()
            .map(|c| {
                let ids: Vec<NominationId> = self
                    .nominations
                    .iter()
                    .filter(|n| n.category == c.slug && n.is_active())
                    .map(|n| n.id)
                    .collect();
                (c.slug.clone(), ids)
            })
            .collect();
        for (slug, ids) in &self.ballots {
            if ids.is_empty() {
                effects.push(Effect::EmptyCategory {
                    category: slug.clone(),
                });
            }
        }
        self.ballot_box = Some(BallotBox::new(self.rules.secrecy));
        self.enter(Phase::VotingOpen, now);
        Ok(effects)
    }

    fn enter(&mut self, phase: Phase, now: DateTime<Utc>) {
        self.phase = phase;
        self.history.push(PhaseChange { phase, at: now });
    }
}
