//! Ranked pairs (Tideman 1987; METHODS.md §2.8).
//!
//! 1. The pairwise matrix `d[X][Y]` ([`super::pairwise`]; unranked candidates ranked jointly
//!    last, equal ranks no preference, withdrawn candidates skipped).
//! 2. The majorities — X over Y whenever `d[X][Y] > d[Y][X]` — sorted strongest first: with
//!    winning votes (the default) by `d[X][Y]` descending and, for equal winning votes, by the
//!    smaller opposition `d[Y][X]` first; with margins by `d[X][Y] − d[Y][X]` descending; with
//!    ratio by `d[X][Y] / d[Y][X]` descending.
//! 3. Majorities of equal strength are ordered by the declared tie-breaking order
//!    ([`TieBreak`], playing Tideman's "TBRC"): the pair whose winner stands higher in that
//!    order (wins its ties) first; for the same winner, the pair whose loser stands lower first.
//! 4. Each majority in turn is locked unless it would close a cycle with those already locked;
//!    the winner is the source of the locked graph. The full ranking lists, tier by tier, the
//!    candidates with no locked defeat from a remaining candidate (candidates left unrelated
//!    by exact pairwise ties share a tier; the tie-breaking order then decides, and is logged).
//!
//! The transcript has one round for the matrix, one per majority (locked, or skipped with the
//! locked path it would contradict) and one for the ranking.

use std::cmp::Ordering;
use std::collections::VecDeque;

use crate::ballot::{CandidateId, Profile};
use crate::method::pairwise::{self, Link, Matrix, Strength};
use crate::tie::TieBreak;
use crate::transcript::{Round, TallyError, TieNote, Transcript, check_seats};

/// Options of a ranked-pairs count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RankedPairsOptions {
    /// How a majority's strength is measured (winning votes by default).
    pub strength: Strength,
}

/// One majority and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub winner: CandidateId,
    pub loser: CandidateId,
    /// `d[winner][loser]`.
    pub votes_for: u64,
    /// `d[loser][winner]`.
    pub votes_against: u64,
    pub strength: Link,
    pub locked: bool,
    /// For a skipped pair: the locked path `loser → … → winner` it would have contradicted.
    pub cycle: Vec<CandidateId>,
    /// Whether it ties in strength with the pair before it (so the tie-breaking order placed it).
    pub tied_with_previous: bool,
}

/// The outcome of locking: the majorities in the order processed, and the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locking {
    pub pairs: Vec<Pair>,
    /// Tiers, best first; candidates in a tier are not ordered by any locked pair.
    pub ranking: Vec<Vec<CandidateId>>,
}

/// Sorts the majorities of `matrix` and locks them.
pub fn lock(matrix: &Matrix, strength: Strength, tie: &TieBreak) -> Locking {
    let standing = matrix.standing();
    let m = standing.len();
    let idx = |c: CandidateId| standing.binary_search(&c).unwrap_or(0);

    let mut pairs: Vec<Pair> = Vec::new();
    for &x in standing {
        for &y in standing {
            if x != y && matrix.beats(x, y) {
                pairs.push(Pair {
                    winner: x,
                    loser: y,
                    votes_for: matrix.get(x, y),
                    votes_against: matrix.get(y, x),
                    strength: matrix.link(x, y, strength),
                    locked: false,
                    cycle: Vec::new(),
                    tied_with_previous: false,
                });
            }
        }
    }
    let by_strength = |a: &Pair, b: &Pair| {
        let order = b.strength.cmp(&a.strength);
        if strength == Strength::WinningVotes {
            order.then(a.votes_against.cmp(&b.votes_against))
        } else {
            order
        }
    };
    pairs.sort_by(|a, b| {
        by_strength(a, b)
            .then_with(|| tie.position(b.winner).cmp(&tie.position(a.winner)))
            .then_with(|| tie.position(a.loser).cmp(&tie.position(b.loser)))
    });
    for i in 1..pairs.len() {
        pairs[i].tied_with_previous = by_strength(&pairs[i - 1], &pairs[i]) == Ordering::Equal;
    }

    // reach[i][j]: a locked path from standing[i] to standing[j].
    let mut reach = vec![false; m * m];
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); m];
    for pair in &mut pairs {
        let (w, l) = (idx(pair.winner), idx(pair.loser));
        if reach[l * m + w] {
            pair.cycle = path(&next, l, w).into_iter().map(|i| standing[i]).collect();
            continue;
        }
        pair.locked = true;
        next[w].push(l);
        let sources: Vec<usize> = (0..m).filter(|&a| a == w || reach[a * m + w]).collect();
        let sinks: Vec<usize> = (0..m).filter(|&b| b == l || reach[l * m + b]).collect();
        for &a in &sources {
            for &b in &sinks {
                reach[a * m + b] = true;
            }
        }
    }

    let mut ranking = Vec::new();
    let mut remaining: Vec<usize> = (0..m).collect();
    while !remaining.is_empty() {
        let (tier, rest): (Vec<usize>, Vec<usize>) = remaining
            .iter()
            .partition(|&&j| !remaining.iter().any(|&i| next[i].contains(&j)));
        if tier.is_empty() {
            // Unreachable: the locked graph is acyclic. Never loop forever.
            ranking.push(rest.iter().map(|&i| standing[i]).collect());
            break;
        }
        ranking.push(tier.iter().map(|&i| standing[i]).collect());
        remaining = rest;
    }
    Locking { pairs, ranking }
}

/// A shortest path `from → … → to` in the locked graph (breadth first; `to` is reachable).
fn path(next: &[Vec<usize>], from: usize, to: usize) -> Vec<usize> {
    let mut parent = vec![usize::MAX; next.len()];
    let mut queue = VecDeque::from([from]);
    parent[from] = from;
    while let Some(a) = queue.pop_front() {
        if a == to {
            break;
        }
        for &b in &next[a] {
            if parent[b] == usize::MAX {
                parent[b] = a;
                queue.push_back(b);
            }
        }
    }
    let mut out = vec![to];
    let mut at = to;
    while at != from && parent[at] != usize::MAX {
        at = parent[at];
        out.push(at);
    }
    out.reverse();
    out
}

/// Counts `profile` by ranked pairs; `profile.seats` winners from the top of the ranking.
pub fn count(
    profile: &Profile,
    options: RankedPairsOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    let matrix = pairwise::matrix(profile)?;
    let mut t = count_matrix(&matrix, &profile.candidates, profile.seats, options, tie)?;
    pairwise::note_profile(profile, &mut t);
    Ok(t)
}

/// Counts from a pairwise matrix already built.
pub fn count_matrix(
    matrix: &Matrix,
    candidates: &[String],
    seats: usize,
    options: RankedPairsOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    let standing = matrix.standing();
    check_seats(seats, standing.len())?;
    let strength = options.strength;
    let name = |c| pairwise::name(candidates, c);
    let mut t = Transcript::new("ranked-pairs", candidates.to_vec(), seats);
    t.notes.push(format!(
        "Majorities sorted by {}; equal strengths ordered by the tie-breaking order (higher \
         winner first, then lower loser first); each locked unless it would close a cycle.",
        match strength {
            Strength::WinningVotes => "winning votes, then smaller opposition",
            Strength::Margins => "margin",
            Strength::Ratio => "ratio of votes for to votes against",
        }
    ));

    let columns = pairwise::column_caption(candidates, standing);
    let mut r1 = Round::new(
        1,
        format!("Pairwise preferences d[X,Y]: row X over column Y ({columns})"),
    );
    r1.totals = pairwise::render_rows(standing, |x, y| matrix.get(x, y).to_string());
    t.rounds.push(r1);

    let locking = lock(matrix, strength, tie);
    for (i, pair) in locking.pairs.iter().enumerate() {
        let score = match strength {
            Strength::WinningVotes => format!("{} to {}", pair.votes_for, pair.votes_against),
            _ => format!(
                "{} to {}, {} {}",
                pair.votes_for,
                pair.votes_against,
                strength.describe(),
                pair.strength
            ),
        };
        let action = if pair.locked {
            format!("Locked {} > {} ({score})", name(pair.winner), name(pair.loser))
        } else {
            let path: Vec<String> = pair.cycle.iter().map(|&c| name(c)).collect();
            format!(
                "Skipped {} > {} ({score}): it would close a cycle with {}, already locked",
                name(pair.winner),
                name(pair.loser),
                path.join(" > ")
            )
        };
        let mut round = Round::new(t.rounds.len() + 1, action);
        round.totals = vec![
            (pair.winner, pair.votes_for.to_string()),
            (pair.loser, pair.votes_against.to_string()),
        ];
        if !pair.tied_with_previous {
            let group_len = locking.pairs[i..]
                .iter()
                .skip(1)
                .take_while(|p| p.tied_with_previous)
                .count()
                + 1;
            if group_len > 1 {
                let group = &locking.pairs[i..i + group_len];
                let mut tied: Vec<CandidateId> = group.iter().flat_map(|p| [p.winner, p.loser]).collect();
                tied.sort_unstable();
                tied.dedup();
                let listed: Vec<String> = group
                    .iter()
                    .map(|p| format!("{} > {}", name(p.winner), name(p.loser)))
                    .collect();
                round.ties.push(TieNote {
                    tied,
                    chosen: pair.winner,
                    how: format!(
                        "tie-breaking order (equal-strength pairs taken as {})",
                        listed.join(", ")
                    ),
                });
            }
        }
        t.rounds.push(round);
    }

    let (order, ties) = pairwise::break_tiers(&locking.ranking, seats, tie);
    let mut last = Round::new(
        t.rounds.len() + 1,
        format!(
            "Ranked pairs ranking: {}",
            pairwise::ranking_text(candidates, &locking.ranking)
        ),
    );
    let locked: Vec<&Pair> = locking.pairs.iter().filter(|p| p.locked).collect();
    last.totals = standing
        .iter()
        .map(|&x| {
            (
                x,
                format!("locked over {}", locked.iter().filter(|p| p.winner == x).count()),
            )
        })
        .collect();
    last.elected = order[..seats].to_vec();
    last.ties = ties;
    if !last.ties.is_empty() {
        t.notes.push(format!(
            "Order after the tie-breaking order: {}.",
            order.iter().map(|&c| name(c)).collect::<Vec<_>>().join(", ")
        ));
    }
    t.rounds.push(last);
    t.winners = order[..seats].to_vec();
    Ok(t)
}

/// The ranked-pairs ranking of `profile` as tiers, best first.
pub fn ranking(
    profile: &Profile,
    options: RankedPairsOptions,
    tie: &TieBreak,
) -> Result<Vec<Vec<CandidateId>>, TallyError> {
    Ok(lock(&pairwise::matrix(profile)?, options.strength, tie).ranking)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    fn profile(names: &[&str], ballots: &[(u64, &[CandidateId])]) -> Profile {
        let mut p = Profile::new("t", names.iter().map(|s| s.to_string()).collect(), 1);
        p.ballots = ballots.iter().map(|&(w, r)| Ballot::ranking(w, r)).collect();
        p
    }

    #[test]
    fn skips_the_pair_that_closes_a_cycle() {
        // rp4: A>B ×68, B>C ×72, C>A ×52 with unranked last: B>C 140, C>A 124, A>B 120 → B.
        let p = profile(&["A", "B", "C"], &[(68, &[0, 1]), (72, &[1, 2]), (52, &[2, 0])]);
        let t = count(&p, RankedPairsOptions::default(), &TieBreak::from_order(vec![])).unwrap();
        assert_eq!(t.winners, vec![1]);
        assert_eq!(t.rounds[1].action, "Locked B > C (140 to 52)");
        assert_eq!(t.rounds[2].action, "Locked C > A (124 to 68)");
        assert_eq!(
            t.rounds[3].action,
            "Skipped A > B (120 to 72): it would close a cycle with B > C > A, already locked"
        );
        assert_eq!(t.rounds[4].action, "Ranked pairs ranking: B > C > A");
    }

    #[test]
    fn equal_strength_pairs_follow_the_tie_order() {
        // A perfect 3-cycle: every majority 2 to 1, all of equal strength.
        let p = profile(
            &["A", "B", "C"],
            &[(1, &[0, 1, 2]), (1, &[1, 2, 0]), (1, &[2, 0, 1])],
        );
        // Order [0, 1, 2]: C ranks highest, so C > A is locked first, then B > C; A > B skipped.
        let t = count(
            &p,
            RankedPairsOptions::default(),
            &TieBreak::from_order(vec![0, 1, 2]),
        )
        .unwrap();
        assert_eq!(t.winners, vec![1]);
        assert_eq!(t.rounds[1].ties.len(), 1);
        assert!(
            t.rounds[1].ties[0].how.contains("C > A, B > C, A > B"),
            "{:?}",
            t.rounds[1].ties
        );
        let t = count(
            &p,
            RankedPairsOptions::default(),
            &TieBreak::from_order(vec![2, 1, 0]),
        )
        .unwrap();
        assert_eq!(t.winners, vec![0]);
    }

    #[test]
    fn a_published_matrix_can_be_counted_directly() {
        // Wikipedia's d matrix for the 45-voter Schulze example, entered by hand.
        let d = [
            vec![0, 20, 26, 30, 22],
            vec![25, 0, 16, 33, 18],
            vec![19, 29, 0, 17, 24],
            vec![15, 12, 28, 0, 14],
            vec![23, 27, 21, 31, 0],
        ];
        let m = Matrix::from_rows(&d).unwrap();
        let names: Vec<String> = ["A", "B", "C", "D", "E"].map(String::from).to_vec();
        let tie = TieBreak::candidate_order(5);
        let options = crate::method::schulze::SchulzeOptions::default();
        let s = crate::method::schulze::count_matrix(&m, &names, 1, options, &tie).unwrap();
        let r = count_matrix(&m, &names, 2, RankedPairsOptions::default(), &tie).unwrap();
        assert_eq!(s.winner_names(), vec!["E"]);
        assert_eq!(r.winner_names(), vec!["A", "C"]);
        assert_eq!(r.rounds.last().unwrap().elected, vec![0, 2]);
    }

    #[test]
    fn unrelated_candidates_share_a_tier() {
        // A = B exactly, both over C.
        let p = profile(&["A", "B", "C"], &[(1, &[0, 1, 2]), (1, &[1, 0, 2])]);
        let tie = TieBreak::from_order(vec![1, 0, 2]);
        assert_eq!(
            ranking(&p, RankedPairsOptions::default(), &tie).unwrap(),
            vec![vec![0, 1], vec![2]]
        );
        let t = count(
            &p,
            RankedPairsOptions {
                strength: Strength::Margins,
            },
            &tie,
        )
        .unwrap();
        assert_eq!(t.winners, vec![0]);
        assert_eq!(t.rounds.last().unwrap().ties[0].tied, vec![0, 1]);
    }
}
