//! Why a campaign refused an action: one sentence naming the problem and what would work.
//! A refused action changes nothing.

use std::fmt;

use crate::campaign::{Phase, Transition};
use crate::eligibility::{Ineligible, RecusalReason};
use crate::nomination::NominationId;

/// What an eligibility test was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Nominate,
    Second,
    Vote,
}

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Nominate => "nominate",
            Self::Second => "second nominations",
            Self::Vote => "vote",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardError {
    #[error("the campaign title is {problem}; expected 1 to 200 characters")]
    InvalidTitle { problem: &'static str },
    #[error("only an admin may {action} in “{campaign}”; ask an admin of the room")]
    AdminOnly { campaign: String, action: &'static str },
    #[error("you may not {activity} in “{campaign}”: {reason}")]
    NotEligible {
        campaign: String,
        activity: Activity,
        reason: Ineligible,
    },
    #[error("“{campaign}” is {phase}, so it cannot {transition}; {}", phase.next_step())]
    IllegalTransition {
        campaign: String,
        phase: Phase,
        transition: Transition,
    },
    #[error(
        "the rules of “{campaign}” are locked since voting opened; rules can change only before voting opens"
    )]
    RulesLocked { campaign: String },
    #[error("“{campaign}” is {phase}; nominations can be {verb} only while nominations are open")]
    NominationsNotOpen {
        campaign: String,
        phase: Phase,
        verb: &'static str,
    },
    #[error(
        "nominations for “{campaign}” closed on {closed}; nominations can be {verb} only before they close"
    )]
    NominationsClosed {
        campaign: String,
        closed: String,
        verb: &'static str,
    },
    #[error("“{campaign}” is {phase}; ballots can be cast only while voting is open")]
    VotingNotOpen { campaign: String, phase: Phase },
    #[error(
        "voting in “{campaign}” closed on {closed}; ballots can be cast or changed only before it closes"
    )]
    VotingClosed { campaign: String, closed: String },
    #[error("“{campaign}” has no category “{category}”; expected one of: {known}")]
    UnknownCategory {
        campaign: String,
        category: String,
        known: String,
    },
    #[error("“{campaign}” already has a category “{category}”; expected a slug not yet used")]
    DuplicateCategory { campaign: String, category: String },
    #[error("category “{category}” has {count} nomination(s); only a category with none can be removed")]
    CategoryInUse { category: String, count: usize },
    #[error("“{campaign}” has no nomination {id}; expected the number of one listed by `nominations`")]
    UnknownNomination { campaign: String, id: NominationId },
    #[error(
        "{nominee} is already nominated in “{category}” as {existing}; second {existing} instead of nominating again"
    )]
    DuplicateNomination {
        nominee: String,
        category: String,
        existing: NominationId,
    },
    #[error("only the nominator of {id} or an admin may {verb} it")]
    NotYourNomination { id: NominationId, verb: &'static str },
    #[error("nomination {id} is {status}; only an active nomination can be {verb}")]
    NominationNotActive {
        id: NominationId,
        status: String,
        verb: &'static str,
    },
    #[error("you {relation} {id}; a second must come from someone else")]
    OwnNomination {
        id: NominationId,
        relation: &'static str,
    },
    #[error("you have already seconded {id}; each person seconds a nomination once")]
    AlreadySeconded { id: NominationId },
    #[error("{0}")]
    InvalidNominee(String),
    #[error("{0}")]
    InvalidCitation(String),
    #[error("category “{category}” {problem}")]
    InvalidMethod { category: String, problem: String },
    #[error("{0}")]
    InvalidRule(String),
    #[error("the ballot for “{category}” {problem}")]
    InvalidBallot { category: String, problem: String },
    #[error(
        "you are recused from {id} in “{category}” because {reason}; a recused voter does not vote in that category"
    )]
    Recused {
        category: String,
        id: NominationId,
        reason: RecusalReason,
    },
    #[error("you have already declared a conflict with {id}; a declaration stands until the campaign ends")]
    AlreadyRecused { id: NominationId },
    #[error(
        "category “{category}” has no counting method; declare one (plurality, approval, score, star, borda, irv, stv-scottish, stv-meek, schulze or ranked-pairs) before voting opens"
    )]
    MethodNotDeclared { category: String },
    #[error("“{campaign}” has no tie-break commitment; set the SHA-256 of a secret seed before voting opens")]
    NoCommitment { campaign: String },
    #[error(
        "a quorum of {percent}% of the voter roll needs a voter roll; set a roll, or use a minimum number of ballots"
    )]
    QuorumWithoutRoll { percent: u8 },
    #[error(
        "the seed does not match the commitment {commitment} published when voting opened; expected the exact seed whose SHA-256 that is"
    )]
    SeedMismatch { commitment: String },
    #[error("the tie-break seed of “{campaign}” is already revealed; it is revealed once")]
    SeedAlreadyRevealed { campaign: String },
    #[error("the tie-break seed of “{campaign}” is not revealed yet; reveal it before certifying")]
    SeedNotRevealed { campaign: String },
    #[error("“{campaign}” is {phase}; {what} only once voting has closed")]
    NotClosed {
        campaign: String,
        phase: Phase,
        what: &'static str,
    },
    #[error("“{campaign}” is {phase}; {what} is possible only before voting closes")]
    TooLate {
        campaign: String,
        phase: Phase,
        what: &'static str,
    },
    #[error(
        "category “{category}” had {ballots} ballot(s), short of its quorum of {required}; it has no result"
    )]
    QuorumNotMet {
        category: String,
        ballots: u64,
        required: u64,
    },
    #[error("category “{category}” has no nominee on its ballot; there is nothing to vote on in it")]
    EmptyBallot { category: String },
}
