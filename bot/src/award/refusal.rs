//! A campaign's refusal ([`AwardError`]) as one localised sentence: each refusal has its
//! message in `bot/locales/*.ftl` (`award-err-…`), with the phase, the eligibility test and the
//! recusal reason localised too. The few refusals that carry a sentence of the awards crate
//! (a malformed nominee, rule or ballot the chat did not catch first) keep that sentence inside
//! a localised frame.

use fluent_bundle::FluentValue;
use vigie_awards::campaign::{Activity, AwardError, Phase, Transition};
use vigie_awards::eligibility::{Ineligible, RecusalReason};

use super::render::Words;
use crate::command::locale::arg;

fn transition_id(t: Transition) -> &'static str {
    match t {
        Transition::OpenNominations => "open-nominations",
        Transition::CloseNominations => "close-nominations",
        Transition::OpenVoting => "open-voting",
        Transition::CloseVoting => "close-voting",
        Transition::Certify => "certify",
        Transition::Remind(_) => "remind",
    }
}

fn activity_id(a: Activity) -> &'static str {
    match a {
        Activity::Nominate => "nominate",
        Activity::Second => "second",
        Activity::Vote => "vote",
    }
}

/// Why someone is recused, as the end of a sentence.
pub fn recusal_reason(ctx: Words<'_>, reason: &RecusalReason) -> String {
    match reason {
        RecusalReason::Declared => ctx.t("award-recusal-declared", &[]),
        RecusalReason::Nominee => ctx.t("award-recusal-nominee", &[]),
        RecusalReason::SameCountry { country } => {
            ctx.t("award-recusal-country", &[("country", arg(country.clone()))])
        }
        RecusalReason::SameOrganisation { organisation } => ctx.t(
            "award-recusal-organisation",
            &[("organisation", arg(organisation.clone()))],
        ),
    }
}

fn ineligible(ctx: Words<'_>, reason: &Ineligible) -> String {
    match reason {
        Ineligible::Role { have, need } => ctx.t(
            "award-ineligible-role",
            &[("have", arg(have.to_string())), ("need", arg(need.to_string()))],
        ),
        Ineligible::Region { have, allowed } => ctx.t(
            "award-ineligible-region",
            &[
                ("have", arg(have.clone().unwrap_or_else(|| "none".to_owned()))),
                ("allowed", arg(allowed.clone())),
            ],
        ),
        Ineligible::NotOnRoll => ctx.t("award-ineligible-roll", &[]),
    }
}

/// The one sentence for a refusal, in the caller's language.
pub fn sentence(ctx: Words<'_>, e: &AwardError) -> String {
    let phase = |p: &Phase| arg(super::render::phase_name(ctx, *p));
    let s = |v: &str| arg(v.to_owned());
    let id = |n: &vigie_awards::nomination::NominationId| arg(n.to_string());
    let args: Vec<(&str, FluentValue<'static>)>;
    let key = match e {
        AwardError::InvalidTitle { problem } => {
            args = vec![("problem", s(problem))];
            "award-err-title"
        }
        AwardError::AdminOnly { campaign, .. } => {
            args = vec![("campaign", s(campaign))];
            "award-err-admin-only"
        }
        AwardError::NotEligible {
            campaign,
            activity,
            reason,
        } => {
            args = vec![
                ("campaign", s(campaign)),
                ("activity", s(activity_id(*activity))),
                ("reason", arg(ineligible(ctx, reason))),
            ];
            "award-err-not-eligible"
        }
        AwardError::IllegalTransition {
            campaign,
            phase: p,
            transition,
        } => {
            args = vec![
                ("campaign", s(campaign)),
                ("phase", phase(p)),
                ("step", s(transition_id(*transition))),
            ];
            "award-err-illegal-step"
        }
        AwardError::RulesLocked { campaign } => {
            args = vec![("campaign", s(campaign))];
            "award-err-rules-locked"
        }
        AwardError::NominationsNotOpen {
            campaign, phase: p, ..
        } => {
            args = vec![("campaign", s(campaign)), ("phase", phase(p))];
            "award-err-nominations-not-open"
        }
        AwardError::NominationsClosed { campaign, closed, .. } => {
            args = vec![("campaign", s(campaign)), ("closed", s(closed))];
            "award-err-nominations-closed"
        }
        AwardError::VotingNotOpen { campaign, phase: p } => {
            args = vec![("campaign", s(campaign)), ("phase", phase(p))];
            "award-err-voting-not-open"
        }
        AwardError::VotingClosed { campaign, closed } => {
            args = vec![("campaign", s(campaign)), ("closed", s(closed))];
            "award-err-voting-closed"
        }
        AwardError::UnknownCategory {
            campaign,
            category,
            known,
        } => {
            args = vec![
                ("campaign", s(campaign)),
                ("category", s(category)),
                ("known", s(known)),
            ];
            "award-err-unknown-category"
        }
        AwardError::DuplicateCategory { campaign, category } => {
            args = vec![("campaign", s(campaign)), ("category", s(category))];
            "award-err-duplicate-category"
        }
        AwardError::CategoryInUse { category, count } => {
            args = vec![("category", s(category)), ("count", (*count).into())];
            "award-err-category-in-use"
        }
        AwardError::UnknownNomination { campaign, id: n } => {
            args = vec![("campaign", s(campaign)), ("id", id(n))];
            "award-err-unknown-nomination"
        }
        AwardError::DuplicateNomination {
            nominee,
            category,
            existing,
        } => {
            args = vec![
                ("nominee", s(nominee)),
                ("category", s(category)),
                ("id", id(existing)),
            ];
            "award-err-duplicate-nomination"
        }
        AwardError::NotYourNomination { id: n, verb } => {
            args = vec![("id", id(n)), ("verb", s(verb))];
            "award-err-not-yours"
        }
        AwardError::NominationNotActive { id: n, status, .. } => {
            args = vec![("id", id(n)), ("status", s(status))];
            "award-err-not-active"
        }
        AwardError::OwnNomination { id: n, relation } => {
            args = vec![
                ("id", id(n)),
                (
                    "relation",
                    s(if relation.starts_with("made") {
                        "made"
                    } else {
                        "nominee"
                    }),
                ),
            ];
            "award-err-own-nomination"
        }
        AwardError::AlreadySeconded { id: n } => {
            args = vec![("id", id(n))];
            "award-err-already-seconded"
        }
        AwardError::InvalidNominee(problem)
        | AwardError::InvalidCitation(problem)
        | AwardError::InvalidRule(problem) => {
            args = vec![("problem", s(problem))];
            "award-err-invalid"
        }
        AwardError::InvalidMethod { category, problem } => {
            args = vec![("category", s(category)), ("problem", s(problem))];
            "award-err-invalid-method"
        }
        AwardError::InvalidBallot { category, problem } => {
            args = vec![("category", s(category)), ("problem", s(problem))];
            "award-err-invalid-ballot"
        }
        AwardError::Recused {
            category,
            id: n,
            reason,
        } => {
            args = vec![
                ("category", s(category)),
                ("id", id(n)),
                ("reason", arg(recusal_reason(ctx, reason))),
            ];
            "award-err-recused"
        }
        AwardError::AlreadyRecused { id: n } => {
            args = vec![("id", id(n))];
            "award-err-already-recused"
        }
        AwardError::MethodNotDeclared { category } => {
            args = vec![("category", s(category))];
            "award-err-no-method"
        }
        AwardError::NoCommitment { campaign } => {
            args = vec![("campaign", s(campaign))];
            "award-err-no-commitment"
        }
        AwardError::QuorumWithoutRoll { percent } => {
            args = vec![("percent", (*percent).into())];
            "award-err-quorum-without-roll"
        }
        AwardError::SeedMismatch { commitment } => {
            args = vec![("commitment", s(commitment))];
            "award-err-seed-mismatch"
        }
        AwardError::SeedAlreadyRevealed { campaign } => {
            args = vec![("campaign", s(campaign))];
            "award-err-seed-revealed"
        }
        AwardError::SeedNotRevealed { campaign } => {
            args = vec![("campaign", s(campaign))];
            "award-err-seed-not-revealed"
        }
        AwardError::NotClosed {
            campaign, phase: p, ..
        } => {
            args = vec![("campaign", s(campaign)), ("phase", phase(p))];
            "award-err-not-closed"
        }
        AwardError::TooLate {
            campaign, phase: p, ..
        } => {
            args = vec![("campaign", s(campaign)), ("phase", phase(p))];
            "award-err-too-late"
        }
        AwardError::QuorumNotMet {
            category,
            ballots,
            required,
        } => {
            args = vec![
                ("category", s(category)),
                ("ballots", (*ballots).into()),
                ("required", (*required).into()),
            ];
            "award-err-quorum"
        }
        AwardError::EmptyBallot { category } => {
            args = vec![("category", s(category))];
            "award-err-empty-ballot"
        }
    };
    ctx.t(key, &args)
}
