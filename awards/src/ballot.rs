//! Ballots and profiles: the input every counting method takes. A [`Profile`] holds ranked
//! ballots (what BLT and ABIF ranked files carry); a [`ScoreBallot`] holds marks with a score
//! each (score, STAR, approval as 0/1, plurality as a single mark). Candidates are plain indices
//! into the profile's candidate list, so every method and file format agrees on identity.
//!
//! A profile keeps its ranked ballots flat ([`Ballots`]): a ballot file of a million lines is
//! three allocations, not one per rank. [`Ballot`] is the owned form a ballot is built from
//! and read back as.

mod set;

pub use set::{BallotRef, Ballots, Iter, Rank};
pub(crate) use set::{EQUAL, MAX_MARK, SKIP, candidate as mark_candidate, mark, merge, unmerged};

use crate::transcript::TallyError;

/// A candidate: the 0-based index into [`Profile::candidates`].
pub type CandidateId = usize;

/// A ranked ballot: `ranks[0]` is the first preference. A rank with several candidates is an
/// equal preference (or, for IRV, an overvote); an empty rank is a skipped rank.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ballot {
    /// How many identical ballots this line stands for.
    pub weight: u64,
    pub ranks: Vec<Vec<CandidateId>>,
}

impl Ballot {
    /// A ballot with one candidate per rank, in order of preference.
    pub fn ranking(weight: u64, order: &[CandidateId]) -> Self {
        Self {
            weight,
            ranks: order.iter().map(|&c| vec![c]).collect(),
        }
    }

    /// The ranks without withdrawn candidates, duplicates of earlier mentions, or empty ranks:
    /// what a method counts when it skips withdrawn candidates and skipped ranks.
    pub fn effective_ranks(&self, withdrawn: &[CandidateId]) -> Vec<Vec<CandidateId>> {
        effective(self.ranks.iter().map(|r| r.iter().copied()), withdrawn)
    }

    /// The first non-empty rank, if any (skipped ranks are passed over).
    pub fn first_preference(&self) -> Option<&[CandidateId]> {
        self.ranks.iter().find(|rank| !rank.is_empty()).map(Vec::as_slice)
    }

    /// Every candidate this ballot mentions, in rank order, each once.
    pub fn mentioned(&self) -> Vec<CandidateId> {
        let mut seen = Vec::new();
        for &c in self.ranks.iter().flatten() {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        seen
    }
}

/// The ranks without withdrawn candidates, repeats of earlier mentions, or empty ranks.
fn effective<R, C>(ranks: R, withdrawn: &[CandidateId]) -> Vec<Vec<CandidateId>>
where
    R: Iterator<Item = C>,
    C: Iterator<Item = CandidateId>,
{
    let mut seen: Vec<CandidateId> = Vec::new();
    let mut out = Vec::new();
    for rank in ranks {
        let mut r = Vec::new();
        for c in rank {
            if !withdrawn.contains(&c) && !seen.contains(&c) {
                seen.push(c);
                r.push(c);
            }
        }
        if !r.is_empty() {
            out.push(r);
        }
    }
    out
}

/// A scored ballot (score, STAR, approval as 0/1, and plurality as one mark). Candidates not
/// listed were left blank; a method's options say whether a blank counts as 0 or is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreBallot {
    /// How many identical ballots this line stands for.
    pub weight: u64,
    pub scores: Vec<(CandidateId, u32)>,
}

impl ScoreBallot {
    /// An approval ballot: each listed candidate gets a score of 1.
    pub fn approving(weight: u64, approved: &[CandidateId]) -> Self {
        Self {
            weight,
            scores: approved.iter().map(|&c| (c, 1)).collect(),
        }
    }

    /// Fails on the first candidate index that is not below `candidates`.
    pub fn check(ballots: &[ScoreBallot], candidates: usize) -> Result<(), TallyError> {
        match ballots
            .iter()
            .flat_map(|b| &b.scores)
            .find(|(c, _)| *c >= candidates)
        {
            Some(&(candidate, _)) => Err(TallyError::UnknownCandidate {
                candidate,
                candidates,
            }),
            None => Ok(()),
        }
    }

    /// The score given to `candidate`, or `None` when it was left blank. When a candidate
    /// appears twice the first mark counts.
    pub fn score_of(&self, candidate: CandidateId) -> Option<u32> {
        self.scores.iter().find(|(c, _)| *c == candidate).map(|&(_, s)| s)
    }
}

/// An election: its candidates, the number of seats and the ranked ballots cast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub title: String,
    pub candidates: Vec<String>,
    pub seats: usize,
    pub ballots: Ballots,
    /// Withdrawn candidates: never counted, skipped on every ballot.
    pub withdrawn: Vec<CandidateId>,
    /// A pre-declared tie order (BLT `[tie …]`): earliest in the list loses first.
    pub tie_order: Option<Vec<CandidateId>>,
}

impl Profile {
    /// An empty profile with these candidates and seats, no ballots, nothing withdrawn.
    pub fn new(title: impl Into<String>, candidates: Vec<String>, seats: usize) -> Self {
        Self {
            title: title.into(),
            candidates,
            seats,
            ballots: Ballots::new(),
            withdrawn: Vec::new(),
            tie_order: None,
        }
    }

    /// The number of ballots cast, counting each ballot's weight (saturating).
    pub fn total_weight(&self) -> u64 {
        self.ballots.total_weight()
    }

    /// The candidate with exactly this name, if any.
    pub fn candidate(&self, name: &str) -> Option<CandidateId> {
        self.candidates.iter().position(|c| c == name)
    }

    /// Whether `candidate` stands: a valid index that was not withdrawn.
    pub fn is_standing(&self, candidate: CandidateId) -> bool {
        candidate < self.candidates.len() && !self.withdrawn.contains(&candidate)
    }

    /// Fails when a ballot, the withdrawn list or the tie order names a candidate index that
    /// is out of range.
    pub fn check(&self) -> Result<(), TallyError> {
        let n = self.candidates.len();
        let named = self.ballots.first_unknown(n);
        let others = self.withdrawn.iter().chain(self.tie_order.iter().flatten());
        match named.or_else(|| others.copied().find(|&c| c >= n)) {
            Some(candidate) => Err(TallyError::UnknownCandidate {
                candidate,
                candidates: n,
            }),
            None => Ok(()),
        }
    }

    /// `mask[c]`: whether candidate `c` stands.
    pub fn standing_mask(&self) -> Vec<bool> {
        let mut mask = vec![true; self.candidates.len()];
        for &w in &self.withdrawn {
            if let Some(m) = mask.get_mut(w) {
                *m = false;
            }
        }
        mask
    }

    /// The candidates that stand, in candidate order.
    pub fn standing(&self) -> Vec<CandidateId> {
        (0..self.candidates.len())
            .filter(|&c| self.is_standing(c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_weight_sums_ballot_weights() {
        let mut p = Profile::new("t", vec!["A".into(), "B".into()], 1);
        p.ballots.push(Ballot::ranking(3, &[0, 1]));
        p.ballots.push(Ballot::ranking(4, &[1]));
        assert_eq!(p.total_weight(), 7);
        assert_eq!(p.candidate("B"), Some(1));
        assert_eq!(p.candidate("C"), None);
    }

    #[test]
    fn first_preference_skips_empty_ranks() {
        let b = Ballot {
            weight: 1,
            ranks: vec![vec![], vec![2, 1], vec![0]],
        };
        assert_eq!(b.first_preference(), Some(&[2, 1][..]));
        assert_eq!(b.mentioned(), vec![2, 1, 0]);
    }

    #[test]
    fn withdrawn_candidates_do_not_stand() {
        let mut p = Profile::new("t", vec!["A".into(), "B".into(), "C".into()], 1);
        p.withdrawn.push(1);
        assert_eq!(p.standing(), vec![0, 2]);
        assert!(!p.is_standing(3));
    }

    #[test]
    fn effective_ranks_drop_withdrawn_repeated_and_skipped() {
        let b = Ballot {
            weight: 1,
            ranks: vec![vec![1], vec![], vec![0, 2], vec![0]],
        };
        assert_eq!(b.effective_ranks(&[2]), vec![vec![1], vec![0]]);
    }

    #[test]
    fn check_rejects_out_of_range_candidates() {
        let mut p = Profile::new("t", vec!["A".into()], 1);
        p.ballots.push(Ballot::ranking(1, &[0, 1]));
        assert_eq!(
            p.check(),
            Err(TallyError::UnknownCandidate {
                candidate: 1,
                candidates: 1
            })
        );
        assert!(ScoreBallot::check(&[ScoreBallot::approving(1, &[0])], 1).is_ok());
    }
}
