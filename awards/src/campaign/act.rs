//! The decisions behind each [`Action`](super::Action): every check first, then the change.

use chrono::{DateTime, Utc};

use super::rules::{RuleChange, TieRule, stamp, validated_commitment, validated_slug};
use super::{Activity, AwardError, Campaign, Category, Effect, Phase, Recusal, Vote};
use crate::eligibility::Actor;
use crate::nomination::{Nomination, NominationId, NominationStatus, Nominee, validated_citation};
use crate::tie::TieBreak;

/// Most seconds a campaign may require.
const MAX_SECONDS_REQUIRED: u32 = 100;

impl Campaign {
    pub(super) fn configure(&mut self, change: RuleChange) -> Result<Vec<Effect>, AwardError> {
        if self.phase >= Phase::VotingOpen {
            return Err(AwardError::RulesLocked {
                campaign: self.title.clone(),
            });
        }
        let rules = &mut self.rules;
        match change {
            RuleChange::AddCategory { slug, title } => {
                let slug = validated_slug(&slug).map_err(AwardError::InvalidRule)?;
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                if title.is_empty() || title.chars().count() > 200 {
                    return Err(AwardError::InvalidRule(format!(
                        "the title of category “{slug}” is {}; expected 1 to 200 characters",
                        if title.is_empty() { "empty" } else { "too long" }
                    )));
                }
                if rules.category(&slug).is_some() {
                    return Err(AwardError::DuplicateCategory {
                        campaign: self.title.clone(),
                        category: slug,
                    });
                }
                rules.categories.push(Category {
                    slug,
                    title,
                    method: None,
                    seats: 1,
                });
            }
            RuleChange::RemoveCategory { slug } => {
                let slug = slug.trim();
                let Some(index) = rules.categories.iter().position(|c| c.slug == slug) else {
                    return Err(self.unknown_category(slug));
                };
                let count = self.nominations.iter().filter(|n| n.category == slug).count();
                if count > 0 {
                    return Err(AwardError::CategoryInUse {
                        category: slug.to_owned(),
                        count,
                    });
                }
                rules.categories.remove(index);
            }
            RuleChange::DeclareMethod {
                category,
                method,
                seats,
            } => {
                let slug = category.trim();
                let Some(index) = rules.categories.iter().position(|c| c.slug == slug) else {
                    return Err(self.unknown_category(slug));
                };
                method.check(seats).map_err(|problem| AwardError::InvalidMethod {
                    category: slug.to_owned(),
                    problem,
                })?;
                rules.categories[index].method = Some(method);
                rules.categories[index].seats = seats;
            }
            RuleChange::Nominators(who) => rules.nominators = who.normalised(),
            RuleChange::Voters(who) => rules.voters = who.normalised(),
            RuleChange::Recusal(recusal) => rules.recusal = recusal,
            RuleChange::Secrecy(secrecy) => rules.secrecy = secrecy,
            RuleChange::Quorum(quorum) => {
                if quorum.min_percent_of_roll > 100 {
                    return Err(AwardError::InvalidRule(format!(
                        "a quorum of {}% of the roll is impossible; expected a share from 0 to 100",
                        quorum.min_percent_of_roll
                    )));
                }
                rules.quorum = quorum;
            }
            RuleChange::SecondsRequired(n) => {
                if self.phase >= Phase::NominationsClosed {
                    return Err(AwardError::InvalidRule(format!(
                        "nominations for “{}” have closed; the seconds required can change only until they close",
                        self.title
                    )));
                }
                if n > MAX_SECONDS_REQUIRED {
                    return Err(AwardError::InvalidRule(format!(
                        "{n} seconds is too many to require; expected 0 to {MAX_SECONDS_REQUIRED}"
                    )));
                }
                rules.seconds_required = n;
            }
            RuleChange::TieCommitment(hex) => {
                rules.tie_commitment = Some(validated_commitment(&hex).map_err(AwardError::InvalidRule)?);
            }
            RuleChange::TieRule(rule) => {
                if let TieRule::Jury { members } = &rule
                    && members.iter().all(|m| m.trim().is_empty())
                {
                    return Err(AwardError::InvalidRule(
                        "a tie jury has no members; expected the user ids of the jurors".to_owned(),
                    ));
                }
                rules.tie_rule = rule;
            }
            RuleChange::Schedule(schedule) => {
                schedule.check().map_err(AwardError::InvalidRule)?;
                self.schedule = schedule;
            }
        }
        Ok(vec![Effect::RulesChanged])
    }

    pub(super) fn reveal_seed(&mut self, seed: &str) -> Result<Vec<Effect>, AwardError> {
        if self.phase < Phase::VotingClosed {
            return Err(AwardError::NotClosed {
                campaign: self.title.clone(),
                phase: self.phase,
                what: "the tie-break seed is revealed",
            });
        }
        if self.seed.is_some() || self.phase == Phase::Certified {
            return Err(AwardError::SeedAlreadyRevealed {
                campaign: self.title.clone(),
            });
        }
        let commitment = self.rules.tie_commitment.clone().unwrap_or_default();
        if TieBreak::commitment(seed.as_bytes()) != commitment {
            return Err(AwardError::SeedMismatch { commitment });
        }
        self.seed = Some(seed.to_owned());
        Ok(vec![Effect::SeedRevealed {
            seed: seed.to_owned(),
        }])
    }

    /// Nominations are open at `now`: the phase, and the scheduled close if any.
    fn nominations_open(&self, verb: &'static str, now: DateTime<Utc>) -> Result<(), AwardError> {
        let closed_at = match self.phase {
            Phase::NominationsOpen => self.schedule.nominations_close.filter(|close| now >= *close),
            Phase::Draft => {
                return Err(AwardError::NominationsNotOpen {
                    campaign: self.title.clone(),
                    phase: self.phase,
                    verb,
                });
            }
            _ => Some(self.entered(Phase::NominationsClosed).unwrap_or(now)),
        };
        match closed_at {
            None => Ok(()),
            Some(at) => Err(AwardError::NominationsClosed {
                campaign: self.title.clone(),
                closed: stamp(at),
                verb,
            }),
        }
    }

    fn entered(&self, phase: Phase) -> Option<DateTime<Utc>> {
        self.history.iter().find(|h| h.phase == phase).map(|h| h.at)
    }

    fn find(&self, id: NominationId) -> Result<usize, AwardError> {
        self.nominations
            .iter()
            .position(|n| n.id == id)
            .ok_or(AwardError::UnknownNomination {
                campaign: self.title.clone(),
                id,
            })
    }

    fn category_slug(&self, category: &str) -> Result<String, AwardError> {
        let slug = category.trim().to_lowercase();
        match self.rules.category(&slug) {
            Some(c) => Ok(c.slug.clone()),
            None => Err(self.unknown_category(category)),
        }
    }

    fn duplicate_of(
        &self,
        category: &str,
        nominee: &Nominee,
        except: Option<NominationId>,
    ) -> Result<(), AwardError> {
        let key = nominee.duplicate_key();
        let clash = self.nominations.iter().find(|n| {
            n.is_active()
                && n.category == category
                && Some(n.id) != except
                && n.nominee.duplicate_key() == key
        });
        match clash {
            None => Ok(()),
            Some(n) => Err(AwardError::DuplicateNomination {
                nominee: n.nominee.to_string(),
                category: category.to_owned(),
                existing: n.id,
            }),
        }
    }

    pub(super) fn nominate(
        &mut self,
        actor: &Actor,
        category: &str,
        nominee: &Nominee,
        citation: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        self.nominations_open("made", now)?;
        self.eligible_to(Activity::Nominate, actor)?;
        let category = self.category_slug(category)?;
        let nominee = nominee.validated().map_err(AwardError::InvalidNominee)?;
        let citation = validated_citation(citation).map_err(AwardError::InvalidCitation)?;
        self.duplicate_of(&category, &nominee, None)?;
        let id = NominationId(u32::try_from(self.nominations.len() + 1).unwrap_or(u32::MAX));
        self.nominations.push(Nomination {
            id,
            category,
            nominee,
            citation,
            nominator: actor.user.trim().to_owned(),
            seconds: Default::default(),
            status: NominationStatus::Active,
            made_at: now,
            edited_at: None,
        });
        Ok(vec![Effect::Nominated { id }])
    }

    pub(super) fn edit(
        &mut self,
        actor: &Actor,
        id: NominationId,
        category: Option<&str>,
        nominee: Option<&Nominee>,
        citation: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        let index = self.find(id)?;
        self.nominations_open("edited", now)?;
        let n = &self.nominations[index];
        if n.nominator != actor.user.trim() && !actor.is_admin() {
            return Err(AwardError::NotYourNomination { id, verb: "edit" });
        }
        if !n.is_active() {
            return Err(AwardError::NominationNotActive {
                id,
                status: n.status.to_string(),
                verb: "edited",
            });
        }
        let category = category
            .map(|c| self.category_slug(c))
            .transpose()?
            .unwrap_or_else(|| n.category.clone());
        let nominee = match nominee {
            Some(nominee) => nominee.validated().map_err(AwardError::InvalidNominee)?,
            None => n.nominee.clone(),
        };
        let citation = match citation {
            Some(text) => validated_citation(text).map_err(AwardError::InvalidCitation)?,
            None => n.citation.clone(),
        };
        let seconds_cleared = (category != n.category || nominee != n.nominee) && !n.seconds.is_empty();
        self.duplicate_of(&category, &nominee, Some(id))?;
        let n = &mut self.nominations[index];
        if category != n.category || nominee != n.nominee {
            n.seconds.clear();
        }
        n.category = category;
        n.nominee = nominee;
        n.citation = citation;
        n.edited_at = Some(now);
        Ok(vec![Effect::NominationEdited { id, seconds_cleared }])
    }

    /// The nominator or the nominee until nominations close; an admin until voting closes (a
    /// nomination withdrawn after voting opens stays on the ballot as withdrawn and is skipped
    /// by the count).
    pub(super) fn withdraw(
        &mut self,
        actor: &Actor,
        id: NominationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        let index = self.find(id)?;
        let n = &self.nominations[index];
        let user = actor.user.trim();
        let own = n.nominator == user || n.nominee.user.as_deref() == Some(user);
        if !own && !actor.is_admin() {
            return Err(AwardError::NotYourNomination { id, verb: "withdraw" });
        }
        if actor.is_admin() && self.phase > Phase::NominationsOpen {
            self.voting_not_closed("withdrawing a nomination", now)?;
        } else {
            self.nominations_open("withdrawn", now)?;
        }
        let n = &self.nominations[index];
        if !n.is_active() {
            return Err(AwardError::NominationNotActive {
                id,
                status: n.status.to_string(),
                verb: "withdrawn",
            });
        }
        self.nominations[index].status = NominationStatus::Withdrawn {
            by: user.to_owned(),
            at: now,
        };
        Ok(vec![Effect::NominationWithdrawn { id }])
    }

    pub(super) fn second(
        &mut self,
        actor: &Actor,
        id: NominationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        let index = self.find(id)?;
        self.nominations_open("seconded", now)?;
        self.eligible_to(Activity::Second, actor)?;
        let n = &self.nominations[index];
        let user = actor.user.trim();
        if !n.is_active() {
            return Err(AwardError::NominationNotActive {
                id,
                status: n.status.to_string(),
                verb: "seconded",
            });
        }
        if n.nominator == user {
            return Err(AwardError::OwnNomination { id, relation: "made" });
        }
        if n.nominee.user.as_deref() == Some(user) {
            return Err(AwardError::OwnNomination {
                id,
                relation: "are the nominee of",
            });
        }
        if n.seconds.contains(user) {
            return Err(AwardError::AlreadySeconded { id });
        }
        let n = &mut self.nominations[index];
        n.seconds.insert(user.to_owned());
        Ok(vec![Effect::Seconded {
            id,
            seconds: n.seconds_count(),
            required: self.rules.seconds_required,
        }])
    }

    pub(super) fn declare_recusal(
        &mut self,
        actor: &Actor,
        id: NominationId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        let index = self.find(id)?;
        self.voting_not_closed("declaring a conflict", now)?;
        let user = actor.user.trim();
        if self.recusals.iter().any(|r| r.nomination == id && r.user == user) {
            return Err(AwardError::AlreadyRecused { id });
        }
        let category = self.nominations[index].category.clone();
        self.recusals.push(Recusal {
            user: user.to_owned(),
            nomination: id,
            at: now,
        });
        let ballot_removed = self
            .ballot_box
            .as_mut()
            .is_some_and(|bx| bx.remove(user, &category));
        Ok(vec![Effect::RecusalDeclared { id, ballot_removed }])
    }

    /// Before voting closes, by phase and by the scheduled close.
    fn voting_not_closed(&self, what: &'static str, now: DateTime<Utc>) -> Result<(), AwardError> {
        let past = self.schedule.voting_close.is_some_and(|close| now >= close);
        if self.phase >= Phase::VotingClosed || (self.phase == Phase::VotingOpen && past) {
            let phase = if past { Phase::VotingClosed } else { self.phase };
            return Err(AwardError::TooLate {
                campaign: self.title.clone(),
                phase,
                what,
            });
        }
        Ok(())
    }

    pub(super) fn vote(
        &mut self,
        actor: &Actor,
        category: &str,
        vote: &Vote,
        now: DateTime<Utc>,
    ) -> Result<Vec<Effect>, AwardError> {
        if self.phase != Phase::VotingOpen {
            return Err(AwardError::VotingNotOpen {
                campaign: self.title.clone(),
                phase: self.phase,
            });
        }
        if let Some(close) = self.schedule.voting_close.filter(|close| now >= *close) {
            return Err(AwardError::VotingClosed {
                campaign: self.title.clone(),
                closed: stamp(close),
            });
        }
        self.eligible_to(Activity::Vote, actor)?;
        let slug = self.category_slug(category)?;
        let on_ballot = self.standing(&slug);
        if on_ballot.is_empty() {
            return Err(AwardError::EmptyBallot { category: slug });
        }
        if let Some((id, reason)) = self.recusal_in(actor, &slug) {
            return Err(AwardError::Recused {
                category: slug,
                id,
                reason,
            });
        }
        let Some(method) = self.rules.category(&slug).and_then(|c| c.method.as_ref()) else {
            return Err(AwardError::MethodNotDeclared { category: slug });
        };
        let vote = vote
            .validated(method.ballot_shape(), &on_ballot)
            .map_err(|problem| AwardError::InvalidBallot {
                category: slug.clone(),
                problem,
            })?;
        let Some(bx) = self.ballot_box.as_mut() else {
            return Err(AwardError::VotingNotOpen {
                campaign: self.title.clone(),
                phase: self.phase,
            });
        };
        let replaced = bx.cast(actor, &slug, vote);
        Ok(vec![Effect::BallotRecorded {
            category: slug,
            replaced,
        }])
    }

    fn eligible_to(&self, activity: Activity, actor: &Actor) -> Result<(), AwardError> {
        let rule = match activity {
            Activity::Nominate | Activity::Second => &self.rules.nominators,
            Activity::Vote => &self.rules.voters,
        };
        rule.check(actor).map_err(|reason| AwardError::NotEligible {
            campaign: self.title.clone(),
            activity,
            reason,
        })
    }
}
