//! The Borda count (METHODS.md §2.4). With n standing candidates, rank r (1-based) scores
//! n − r + 1 (Borda's original) or n − r ("starting at 0"). How truncated ballots count must be
//! declared, [`Truncation`]: unranked candidates get 0; or they share the average of the points
//! left (CPHP "implicit"); or "modified Borda", where the top score is the number of candidates
//! ranked. Candidates ranked equal share the average of the positions they occupy.
//!
//! Every score is the average of an arithmetic run of whole numbers, so it is a whole number or
//! a half; totals are kept exactly as counts of halves and written as `"3"` or `"3/2"`.

use std::fmt;

use crate::ballot::Profile;
use crate::tie::TieBreak;
use crate::transcript::{TallyError, Transcript, check_seats, one_round};

/// How candidates left off a ballot are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Truncation {
    /// Unranked candidates get 0.
    #[default]
    Zero,
    /// Unranked candidates share equally the points of the positions left.
    Average,
    /// Modified Borda: with m candidates ranked, rank r scores m − r + 1 (or m − r starting at
    /// 0); unranked candidates get 0.
    Modified,
}

/// The Borda convention. The default is Borda's original (n − r + 1) with unranked at 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BordaOptions {
    pub truncation: Truncation,
    /// Rank r scores n − r (last place 0) instead of n − r + 1.
    pub start_at_zero: bool,
}

/// A non-negative multiple of ½: `Half(3)` is 3/2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Half(u128);

impl fmt::Display for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}/2", self.0)
        }
    }
}

/// Twice the average of (top − p) over positions p in `first..=last`, i.e. 2·top − first − last.
fn doubled(top: u128, first: u128, last: u128) -> u128 {
    (2 * top).saturating_sub(first + last)
}

/// Counts Borda points; the `profile.seats` highest totals win, ties by the published order.
pub fn count(profile: &Profile, options: &BordaOptions, tie: &TieBreak) -> Result<Transcript, TallyError> {
    profile.check()?;
    let standing = profile.standing();
    check_seats(profile.seats, standing.len())?;
    let n = standing.len() as u128;
    let offset = u128::from(!options.start_at_zero);
    let mut halves = vec![0u128; profile.candidates.len()];
    for ballot in &profile.ballots {
        let w = u128::from(ballot.weight);
        let ranks = ballot.effective_ranks(&profile.withdrawn);
        let ranked: usize = ranks.iter().map(Vec::len).sum();
        let top = match options.truncation {
            Truncation::Modified => ranked as u128 + offset,
            Truncation::Zero | Truncation::Average => n + offset,
        };
        let mut position = 1u128;
        for rank in &ranks {
            let last = position + rank.len() as u128 - 1;
            let points = doubled(top, position, last);
            for &c in rank {
                halves[c] = halves[c].saturating_add(w.saturating_mul(points));
            }
            position = last + 1;
        }
        if options.truncation == Truncation::Average && position <= n {
            let points = doubled(top, position, n);
            for &c in &standing {
                if !ranks.iter().any(|r| r.contains(&c)) {
                    halves[c] = halves[c].saturating_add(w.saturating_mul(points));
                }
            }
        }
    }
    let totals = standing.iter().map(|&c| (c, Half(halves[c]))).collect();
    let mut t = one_round(
        "borda",
        &profile.candidates,
        profile.seats,
        totals,
        "Borda points counted",
        tie,
    );
    let scale = if options.start_at_zero {
        "n − r (last place 0)"
    } else {
        "n − r + 1"
    };
    let truncated = match options.truncation {
        Truncation::Zero => "unranked candidates score 0",
        Truncation::Average => "unranked candidates share the average of the points left",
        Truncation::Modified => "modified Borda: n is the number of candidates ranked, unranked score 0",
    };
    t.notes.push(format!(
        "Rank r scores {scale}; {truncated}; equal ranks share the average of their positions."
    ));
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    fn profile(n: usize, ballots: Vec<Ballot>) -> Profile {
        let mut p = Profile::new("t", (0..n).map(|i| format!("C{i}")).collect(), 1);
        p.ballots = ballots.into();
        p
    }

    fn totals(p: &Profile, truncation: Truncation, start_at_zero: bool) -> Vec<String> {
        let t = count(
            p,
            &BordaOptions {
                truncation,
                start_at_zero,
            },
            &TieBreak::candidate_order(p.candidates.len()),
        )
        .unwrap();
        t.rounds[0].totals.iter().map(|(_, v)| v.clone()).collect()
    }

    #[test]
    fn a_truncated_ballot_scores_by_each_convention() {
        let p = profile(3, vec![Ballot::ranking(1, &[0])]);
        assert_eq!(totals(&p, Truncation::Zero, false), ["3", "0", "0"]);
        assert_eq!(totals(&p, Truncation::Average, false), ["3", "3/2", "3/2"]);
        assert_eq!(totals(&p, Truncation::Modified, false), ["1", "0", "0"]);
        assert_eq!(totals(&p, Truncation::Average, true), ["2", "1/2", "1/2"]);
        assert_eq!(totals(&p, Truncation::Modified, true), ["0", "0", "0"]);
    }

    #[test]
    fn equal_ranks_share_their_positions() {
        let p = profile(
            3,
            vec![Ballot {
                weight: 2,
                ranks: vec![vec![1, 2], vec![0]],
            }],
        );
        assert_eq!(totals(&p, Truncation::Zero, false), ["2", "5", "5"]);
    }

    #[test]
    fn withdrawn_candidates_shrink_n() {
        let mut p = profile(3, vec![Ballot::ranking(1, &[2, 0, 1])]);
        p.withdrawn = vec![2];
        assert_eq!(totals(&p, Truncation::Zero, true), ["1", "0"]);
    }
}
