//! Ties, broken by a rule declared before voting. Every method first tries what the rules of
//! that method say (for STV, looking backwards at earlier stages), then falls back on one
//! published permutation of the candidates, [`TieBreak`]: either a declared order (BLT `[tie]`,
//! or candidate order) or one derived from a seed whose SHA-256 was published before voting
//! opened, so that anyone can recompute every tie after the seed is revealed.

use sha2::{Digest, Sha256};

use crate::ballot::CandidateId;
use crate::transcript::TieNote;

/// How a tie broken by [`TieBreak`] is described in a transcript.
pub const BY_ORDER: &str = "published tie-break order";

/// The permutation of candidates used for every tie that backwards comparison cannot break:
/// the candidate EARLIEST in `order` loses (is excluded) first; the LATEST wins.
///
/// A candidate missing from `order` is placed after every listed one, missing candidates
/// among themselves in candidate order (so an empty order means candidate order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieBreak {
    pub order: Vec<CandidateId>,
}

impl TieBreak {
    /// H = SHA-256(seed), published before voting opens (lower-case hex).
    pub fn commitment(seed: &[u8]) -> String {
        hex(&Sha256::digest(seed))
    }

    /// The permutation from SHA-256(seed ‖ election_id ‖ counter), as METHODS.md §2.9
    /// recommends. Exactly: for each candidate index `i` in `0..candidates`, its key is
    ///
    /// ```text
    /// key(i) = SHA-256( seed bytes ‖ election_id as UTF-8 ‖ i as 8-byte big-endian unsigned )
    /// ```
    ///
    /// and `order` lists the candidates by ascending key, comparing the 32 digest bytes
    /// lexicographically (a collision, which does not happen in practice, falls back on the
    /// smaller index first). The candidate with the smallest key loses every tie it is in.
    pub fn from_seed(seed: &[u8], election_id: &str, candidates: usize) -> Self {
        let mut keyed: Vec<([u8; 32], CandidateId)> = (0..candidates)
            .map(|i| {
                let mut h = Sha256::new();
                h.update(seed);
                h.update(election_id.as_bytes());
                h.update((i as u64).to_be_bytes());
                (h.finalize().into(), i)
            })
            .collect();
        keyed.sort();
        Self {
            order: keyed.into_iter().map(|(_, i)| i).collect(),
        }
    }

    /// BLT `[tie]` order, or candidate order when none was declared.
    pub fn from_order(order: Vec<CandidateId>) -> Self {
        Self { order }
    }

    /// Candidate order: candidate 0 loses every tie it is in.
    pub fn candidate_order(candidates: usize) -> Self {
        Self {
            order: (0..candidates).collect(),
        }
    }

    /// One sentence for a transcript's notes: the order, loser first.
    pub fn describe(&self, names: &[String]) -> String {
        let mut all: Vec<CandidateId> = (0..names.len()).collect();
        all.sort_by_key(|&c| self.position(c));
        let list: Vec<&str> = all.iter().map(|&c| names[c].as_str()).collect();
        format!(
            "Ties not settled by the count are broken by the published order {}: the earliest loses.",
            list.join(" < ")
        )
    }

    /// Where `candidate` stands in the order (missing candidates after all listed ones).
    pub fn position(&self, candidate: CandidateId) -> (usize, CandidateId) {
        match self.order.iter().position(|&c| c == candidate) {
            Some(p) => (p, 0),
            None => (self.order.len(), candidate),
        }
    }

    /// The candidate of `tied` that loses: the earliest in the order. An empty `tied` gives 0.
    pub fn loser(&self, tied: &[CandidateId]) -> CandidateId {
        tied.iter()
            .copied()
            .min_by_key(|&c| self.position(c))
            .unwrap_or_default()
    }

    /// The candidate of `tied` that wins: the latest in the order. An empty `tied` gives 0.
    pub fn winner(&self, tied: &[CandidateId]) -> CandidateId {
        tied.iter()
            .copied()
            .max_by_key(|&c| self.position(c))
            .unwrap_or_default()
    }

    /// `tied` sorted from the tie's winner to its loser: the order in which a method electing
    /// several of them at once should take them.
    pub fn rank_winners_first(&self, tied: &[CandidateId]) -> Vec<CandidateId> {
        let mut v = tied.to_vec();
        v.sort_by_key(|&c| std::cmp::Reverse(self.position(c)));
        v
    }
}

/// The `k` candidates with the highest totals, highest first, and a note for every tie that
/// decided who is among them. Candidates with equal totals are taken in [`TieBreak`] order,
/// winner first; when such a group does not fit in the places left, one [`TieNote`] is written
/// for each place it fills.
pub fn top_k<T: Ord>(
    totals: &[(CandidateId, T)],
    k: usize,
    tie: &TieBreak,
) -> (Vec<CandidateId>, Vec<TieNote>) {
    let mut sorted: Vec<&(CandidateId, T)> = totals.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1));
    let mut winners = Vec::new();
    let mut notes = Vec::new();
    let mut rest = sorted.as_slice();
    while winners.len() < k && !rest.is_empty() {
        let len = rest.iter().take_while(|(_, t)| *t == rest[0].1).count();
        let group: Vec<CandidateId> = rest[..len].iter().map(|(c, _)| *c).collect();
        rest = &rest[len..];
        let mut pool = tie.rank_winners_first(&group);
        let places = k - winners.len();
        if pool.len() <= places {
            winners.extend(pool);
            continue;
        }
        for _ in 0..places {
            let chosen = pool.remove(0);
            let mut tied = pool.clone();
            tied.push(chosen);
            tied.sort_unstable();
            notes.push(TieNote {
                tied,
                chosen,
                how: BY_ORDER.into(),
            });
            winners.push(chosen);
        }
    }
    (winners, notes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Backwards tie-breaking: among `tied`, keep those lowest at the most recent earlier stage where
/// the tied candidates' totals differed (`history[stage][candidate]`, oldest stage first).
/// Returns the narrowed set (len 1 = broken). `highest` variant for surpluses.
///
/// When several remain lowest at that stage, the search goes on further back among them
/// alone. Pass only the stages before the one where the tie arose. A stage that does not
/// hold a total for every tied candidate is passed over.
pub fn backwards_lowest<T: Ord>(history: &[Vec<T>], tied: &[CandidateId]) -> Vec<CandidateId> {
    backwards(history, tied, false)
}

/// As [`backwards_lowest`], keeping those highest (for the order of surplus transfers).
pub fn backwards_highest<T: Ord>(history: &[Vec<T>], tied: &[CandidateId]) -> Vec<CandidateId> {
    backwards(history, tied, true)
}

fn backwards<T: Ord>(history: &[Vec<T>], tied: &[CandidateId], highest: bool) -> Vec<CandidateId> {
    let mut set = tied.to_vec();
    for stage in history.iter().rev() {
        if set.len() <= 1 {
            break;
        }
        let Some(values) = set.iter().map(|&c| stage.get(c)).collect::<Option<Vec<&T>>>() else {
            continue;
        };
        let best = if highest {
            values.iter().max()
        } else {
            values.iter().min()
        };
        let Some(&best) = best else { continue };
        set = set
            .iter()
            .zip(&values)
            .filter(|(_, v)| **v == best)
            .map(|(&c, _)| c)
            .collect();
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitment_is_the_hex_sha256_of_the_seed() {
        assert_eq!(
            TieBreak::commitment(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn seeded_order_is_a_deterministic_permutation() {
        let a = TieBreak::from_seed(b"seed", "award-2025/best-reformer", 7);
        let b = TieBreak::from_seed(b"seed", "award-2025/best-reformer", 7);
        assert_eq!(a, b);
        let mut sorted = a.order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..7).collect::<Vec<_>>());
        let other = TieBreak::from_seed(b"seed", "award-2025/other", 7);
        let third = TieBreak::from_seed(b"other seed", "award-2025/best-reformer", 7);
        assert!(a != other || a != third, "the seed and election id both matter");
    }

    #[test]
    fn seeded_order_matches_the_documented_derivation() {
        // Recomputed by hand from the doc comment: candidate i's key is
        // SHA-256("s" ‖ "e" ‖ i as u64 big-endian); ascending keys.
        let key = |i: u64| {
            let mut bytes = b"se".to_vec();
            bytes.extend_from_slice(&i.to_be_bytes());
            TieBreak::commitment(&bytes)
        };
        let mut expected: Vec<usize> = (0..5).collect();
        expected.sort_by_key(|&i| key(i as u64));
        assert_eq!(TieBreak::from_seed(b"s", "e", 5).order, expected);
    }

    #[test]
    fn earliest_in_the_order_loses_and_latest_wins() {
        let t = TieBreak::from_order(vec![2, 0, 1]);
        assert_eq!(t.loser(&[0, 1, 2]), 2);
        assert_eq!(t.winner(&[0, 1, 2]), 1);
        assert_eq!(t.loser(&[0, 1]), 0);
        assert_eq!(t.rank_winners_first(&[2, 1, 0]), vec![1, 0, 2]);
    }

    #[test]
    fn unlisted_candidates_come_after_listed_ones_in_candidate_order() {
        let t = TieBreak::from_order(vec![3]);
        assert_eq!(t.loser(&[1, 3, 0]), 3);
        assert_eq!(t.winner(&[1, 3, 0]), 1);
        assert_eq!(TieBreak::from_order(vec![]).loser(&[2, 1]), 1);
    }

    #[test]
    fn backwards_looks_at_the_most_recent_stage_where_totals_differed() {
        // Stages: 1: A=5 B=3 C=4; 2: A=6 B=6 C=4; 3: A=7 B=7 C=7.
        let history = vec![vec![5, 3, 4], vec![6, 6, 4], vec![7, 7, 7]];
        assert_eq!(backwards_lowest(&history, &[0, 1, 2]), vec![2]);
        // Stage 2 keeps A and B highest, stage 1 then prefers A.
        assert_eq!(backwards_highest(&history, &[0, 1, 2]), vec![0]);
        // A and B equal at stages 2 and 3: stage 1 decides.
        assert_eq!(backwards_lowest(&history, &[0, 1]), vec![1]);
        assert_eq!(backwards_highest(&history[1..], &[0, 1]), vec![0, 1]);
    }

    #[test]
    fn top_k_breaks_only_the_ties_that_decide_a_place() {
        let t = TieBreak::candidate_order(5);
        let totals = [(0, 5), (1, 9), (2, 5), (3, 5), (4, 9)];
        let (w, notes) = top_k(&totals, 2, &t);
        assert_eq!((w, notes.len()), (vec![4, 1], 0));
        let (w, notes) = top_k(&totals, 4, &t);
        assert_eq!(w, vec![4, 1, 3, 2]);
        assert_eq!(
            notes[0],
            TieNote {
                tied: vec![0, 2, 3],
                chosen: 3,
                how: BY_ORDER.into()
            }
        );
        assert_eq!(notes[1].tied, vec![0, 2]);
        assert_eq!(top_k(&totals, 9, &t).0.len(), 5);
    }

    #[test]
    fn backwards_narrows_further_back_among_those_still_tied() {
        let history = vec![vec![1, 2, 9], vec![3, 3, 9]];
        assert_eq!(backwards_highest(&history, &[0, 1, 2]), vec![2]);
        assert_eq!(backwards_lowest(&history, &[0, 1, 2]), vec![0]);
        assert_eq!(backwards_lowest::<u32>(&[], &[0, 1]), vec![0, 1]);
    }
}
