//! What a category hands to the counting methods once voting has closed: its candidates (the
//! ballot fixed when voting opened), the anonymous ballots, identical ones merged with a weight,
//! and what the tie-break needs.

use crate::ballot::{Ballot, CandidateId, Profile, ScoreBallot};
use crate::campaign::{AwardError, Campaign, Method, Phase, Vote};
use crate::nomination::NominationId;

/// A category ready to count. `profile` carries the candidates, seats and withdrawn
/// nominations for every method; its ballots are the ranked ones (plurality marks become
/// one-rank ballots, as [`crate::method::plurality`] reads first preferences); `scores` holds
/// approval (as 1s), score and STAR ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyInput {
    pub category: String,
    pub method: Method,
    /// `nominations[c]` is the nomination behind candidate `c`.
    pub nominations: Vec<NominationId>,
    pub profile: Profile,
    pub scores: Vec<ScoreBallot>,
    /// The election id for [`crate::tie::TieBreak::from_seed`]: `campaign-id/category-slug`.
    pub election_id: String,
    /// The revealed seed, once revealed.
    pub seed: Option<String>,
}

impl Campaign {
    /// The category's ballots for counting, once voting has closed and if it met its quorum.
    pub fn tally_input(&self, category: &str) -> Result<TallyInput, AwardError> {
        if self.phase < Phase::VotingClosed {
            return Err(AwardError::NotClosed {
                campaign: self.title.clone(),
                phase: self.phase,
                what: "results can be counted",
            });
        }
        let slug = category.trim().to_lowercase();
        let Some(cat) = self.rules.category(&slug) else {
            return Err(self.unknown_category(category));
        };
        let Some(method) = cat.method.clone() else {
            return Err(AwardError::MethodNotDeclared { category: slug });
        };
        let (ballots, required) = self.quorum(&slug).unwrap_or((0, 0));
        if ballots < required {
            return Err(AwardError::QuorumNotMet {
                category: slug,
                ballots,
                required,
            });
        }
        let nominations = self.ballot(&slug).to_vec();
        let index = |id: &NominationId| nominations.iter().position(|n| n == id);
        let names = nominations
            .iter()
            .map(|id| {
                self.nomination(*id)
                    .map_or_else(|| id.to_string(), |n| n.nominee.name.clone())
            })
            .collect();
        let mut profile = Profile::new(
            format!("{} — {}", self.title, cat.title),
            names,
            cat.seats as usize,
        );
        profile.withdrawn = (0..nominations.len())
            .filter(|&c| !self.nomination(nominations[c]).is_some_and(|n| n.is_active()))
            .collect();
        let mut scores = Vec::new();
        let sealed = self
            .ballot_box
            .as_ref()
            .and_then(|b| b.sealed_ballots(&slug))
            .unwrap_or(&[]);
        for (vote, weight) in runs(sealed) {
            match vote {
                Vote::Single(id) => {
                    let ranks = index(id).map(|c| vec![vec![c]]).unwrap_or_default();
                    profile.ballots.push(Ballot { weight, ranks });
                }
                Vote::Ranked(ranks) => {
                    let ranks = ranks
                        .iter()
                        .map(|r| r.iter().filter_map(index).collect())
                        .collect();
                    profile.ballots.push(Ballot { weight, ranks });
                }
                Vote::Approve(ids) => {
                    let approved: Vec<CandidateId> = ids.iter().filter_map(index).collect();
                    scores.push(ScoreBallot::approving(weight, &approved));
                }
                Vote::Score(marks) => {
                    let marks = marks
                        .iter()
                        .filter_map(|(id, s)| Some((index(id)?, *s)))
                        .collect();
                    scores.push(ScoreBallot {
                        weight,
                        scores: marks,
                    });
                }
            }
        }
        Ok(TallyInput {
            category: slug.clone(),
            method,
            nominations,
            profile,
            scores,
            election_id: format!("{}/{slug}", self.id),
            seed: self.seed.clone(),
        })
    }
}

/// Equal neighbours of a sorted list, with their count.
fn runs(sorted: &[Vote]) -> Vec<(&Vote, u64)> {
    let mut out: Vec<(&Vote, u64)> = Vec::new();
    for vote in sorted {
        match out.last_mut() {
            Some((last, n)) if *last == vote => *n += 1,
            _ => out.push((vote, 1)),
        }
    }
    out
}
