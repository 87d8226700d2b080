//! Pairwise preferences, shared by the Condorcet methods ([`super::schulze`] and
//! [`super::ranked_pairs`]): the matrix `d[X][Y]` = total weight of the ballots that rank X
//! strictly above Y (METHODS.md §2.7 step 1), exact integers throughout.
//!
//! Conventions, as the published results require:
//! * a candidate a ballot does not rank counts as ranked **jointly below** every candidate it
//!   does rank ([`Unranked::Last`], the default; needed to reproduce Debian 2006). The other
//!   reading, [`Unranked::NoPreference`], is offered for comparison only;
//! * candidates sharing a rank are equal: no preference either way;
//! * a candidate named twice on a ballot counts at its first (best) rank only;
//! * withdrawn candidates are skipped on every ballot and take no part in the count;
//! * a ballot's weight counts that many identical ballots.
//!
//! Identical ballots are aggregated first (which changes nothing: d is a sum over ballots);
//! then each distinct ballot costs O(r²) for its `r` ranked candidates (only pairs of ranked candidates are visited; the "ranked over unranked"
//! preferences come from per-candidate totals: `d[X][Y] = ranked[X] − above[Y][X] −
//! equal[X][Y]`), with no allocation per ballot.

use std::cmp::Ordering;
use std::fmt;

use crate::ballot::{CandidateId, EQUAL, Profile, SKIP, mark_candidate, merge, unmerged};
use crate::tie::TieBreak;
use crate::transcript::{TallyError, TieNote};

/// How a candidate left off a ballot compares with the candidates that ballot ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unranked {
    /// Ranked jointly below all ranked candidates (the published convention; Debian's).
    #[default]
    Last,
    /// No preference between an unranked candidate and anyone (Condorcet PHP's "explicit").
    NoPreference,
}

/// How strong a pairwise defeat is, for Schulze and ranked pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strength {
    /// `d[X][Y]`, the votes for the winner of the pair (the default).
    #[default]
    WinningVotes,
    /// `d[X][Y] − d[Y][X]`.
    Margins,
    /// `d[X][Y] / d[Y][X]` (Schulze 2011 §2.1; unopposed defeats are infinitely strong).
    Ratio,
}

impl Strength {
    /// The strength of the link X → Y given `dxy = d[X][Y]` and `dyx = d[Y][X]`: zero unless
    /// X beats Y.
    pub fn link(self, dxy: u64, dyx: u64) -> Link {
        if dxy <= dyx {
            return Link::ZERO;
        }
        match self {
            Strength::WinningVotes => Link { num: dxy, den: 1 },
            Strength::Margins => Link {
                num: dxy - dyx,
                den: 1,
            },
            Strength::Ratio => Link { num: dxy, den: dyx },
        }
    }

    /// A name for transcripts.
    pub fn describe(self) -> &'static str {
        match self {
            Strength::WinningVotes => "winning votes",
            Strength::Margins => "margins",
            Strength::Ratio => "ratio",
        }
    }
}

/// An exact link strength `num / den`; `den == 0` (with `num > 0`) is an unopposed defeat under
/// [`Strength::Ratio`], stronger than any finite ratio. Compared by cross-multiplication.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub num: u64,
    pub den: u64,
}

impl Link {
    /// No link.
    pub const ZERO: Link = Link { num: 0, den: 1 };

    pub fn is_zero(&self) -> bool {
        self.num == 0
    }
}

impl Ord for Link {
    fn cmp(&self, other: &Self) -> Ordering {
        let a = u128::from(self.num) * u128::from(other.den);
        let b = u128::from(other.num) * u128::from(self.den);
        a.cmp(&b)
    }
}

impl PartialOrd for Link {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Link {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Link {}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// The pairwise matrix over all candidates of a profile; withdrawn candidates have empty rows
/// and columns and are not [`standing`](Matrix::standing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    size: usize,
    cells: Vec<u64>,
    standing: Vec<CandidateId>,
}

impl Matrix {
    /// A matrix given row by row (`rows[x][y] = d[X][Y]`; the diagonal is ignored), every
    /// candidate standing. For published matrices and tests.
    pub fn from_rows(rows: &[Vec<u64>]) -> Result<Self, TallyError> {
        let size = rows.len();
        if let Some((x, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != size) {
            return Err(TallyError::Invalid(format!(
                "row {} of the pairwise matrix has {} entries; give a square matrix of {size} by {size}",
                x + 1,
                row.len()
            )));
        }
        let mut cells = vec![0; size * size];
        for (x, row) in rows.iter().enumerate() {
            for (y, &v) in row.iter().enumerate() {
                if x != y {
                    cells[x * size + y] = v;
                }
            }
        }
        Ok(Self {
            size,
            cells,
            standing: (0..size).collect(),
        })
    }

    /// The number of candidates (standing or not).
    pub fn size(&self) -> usize {
        self.size
    }

    /// The candidates taking part, in candidate order.
    pub fn standing(&self) -> &[CandidateId] {
        &self.standing
    }

    /// `d[X][Y]`: the weight of ballots ranking `x` strictly above `y` (0 when out of range).
    pub fn get(&self, x: CandidateId, y: CandidateId) -> u64 {
        if x < self.size && y < self.size {
            self.cells[x * self.size + y]
        } else {
            0
        }
    }

    /// Whether `x` beats `y` head to head (`d[X][Y] > d[Y][X]`).
    pub fn beats(&self, x: CandidateId, y: CandidateId) -> bool {
        self.get(x, y) > self.get(y, x)
    }

    /// The link strength of `x` over `y`.
    pub fn link(&self, x: CandidateId, y: CandidateId, strength: Strength) -> Link {
        strength.link(self.get(x, y), self.get(y, x))
    }

    /// The standing candidate who beats every other standing candidate head to head.
    pub fn condorcet_winner(&self) -> Option<CandidateId> {
        self.standing
            .iter()
            .copied()
            .find(|&x| self.standing.iter().all(|&y| y == x || self.beats(x, y)))
    }

    /// The whole matrix as rows (`rows[x][y] = d[X][Y]`), withdrawn rows included as zeros.
    pub fn rows(&self) -> Vec<Vec<u64>> {
        self.cells
            .chunks(self.size.max(1))
            .take(self.size)
            .map(<[u64]>::to_vec)
            .collect()
    }
}

/// The pairwise matrix of `profile`, unranked candidates ranked jointly last.
pub fn matrix(profile: &Profile) -> Result<Matrix, TallyError> {
    matrix_with(profile, Unranked::Last)
}

/// The Condorcet winner of `profile` (unranked candidates ranked last), if there is one.
pub fn condorcet_winner(profile: &Profile) -> Result<Option<CandidateId>, TallyError> {
    Ok(matrix(profile)?.condorcet_winner())
}

/// The pairwise matrix of `profile` with the given treatment of unranked candidates.
///
/// Fails when a ballot or the withdrawn list names a candidate that does not exist, or when
/// the total weight of the ballots exceeds `u64::MAX`.
pub fn matrix_with(profile: &Profile, unranked: Unranked) -> Result<Matrix, TallyError> {
    count_matrix(profile, unranked, true)
}

/// As [`matrix_with`]; with `merge_identical` false every ballot line is counted on its own.
fn count_matrix(profile: &Profile, unranked: Unranked, merge_identical: bool) -> Result<Matrix, TallyError> {
    let n = profile.candidates.len();
    let unknown = |candidate| TallyError::UnknownCandidate {
        candidate,
        candidates: n,
    };
    let mut standing_mask = vec![true; n];
    for &w in &profile.withdrawn {
        *standing_mask.get_mut(w).ok_or_else(|| unknown(w))? = false;
    }

    let ballots = &profile.ballots;
    let mut total = 0u64;
    for b in ballots {
        total = total.checked_add(b.weight).ok_or_else(|| {
            TallyError::Invalid(
                "the ballots' total weight exceeds 18446744073709551615; split the count".into(),
            )
        })?;
    }
    // Identical ballots aggregated, in order of first appearance (so the counting pass below
    // reads memory in order). Cannot fail: the total fits.
    let marks = |i: usize| ballots.get(i).map_or(&[][..], |b| b.marks());
    let weight = |i: usize| ballots.get(i).map_or(0, |b| b.weight);
    let groups = if merge_identical {
        merge(ballots.len(), marks, weight).unwrap_or_default()
    } else {
        unmerged(ballots.len(), weight)
    };

    // above[x][y]: both ranked, x strictly above y; equal[x][y]: both ranked at one rank;
    // ranked[x]: ballots ranking x. Every sum is bounded by `total`.
    let mut above = vec![0u64; n * n];
    let mut equal = vec![0u64; n * n];
    let mut ranked = vec![0u64; n];
    let mut seen = vec![0usize; n];
    let mut order: Vec<(CandidateId, usize)> = Vec::with_capacity(n);
    for (stamp, &(i, weight)) in groups.iter().enumerate() {
        let stamp = stamp + 1;
        order.clear();
        // A new rank (or a skipped one) goes one level down; an equal mark stays.
        let mut level = 0usize;
        let mut strict = true;
        for &m in marks(i) {
            if m == SKIP {
                level += 1;
                continue;
            }
            if m & EQUAL == 0 {
                level += 1;
            } else {
                strict = false;
            }
            let c = mark_candidate(m);
            if c >= n {
                return Err(unknown(c));
            }
            if standing_mask[c] && seen[c] != stamp {
                seen[c] = stamp;
                order.push((c, level));
            }
        }
        for (i, &(x, lx)) in order.iter().enumerate() {
            ranked[x] += weight;
            let row = &mut above[x * n..(x + 1) * n];
            if strict {
                // Every candidate after x is ranked below x.
                for &(y, _) in &order[i + 1..] {
                    row[y] += weight;
                }
                continue;
            }
            for &(y, ly) in &order[i + 1..] {
                if ly > lx {
                    row[y] += weight;
                } else {
                    equal[x * n + y] += weight;
                    equal[y * n + x] += weight;
                }
            }
        }
    }

    let mut cells = vec![0u64; n * n];
    for x in 0..n {
        for y in 0..n {
            if x != y && standing_mask[x] && standing_mask[y] {
                cells[x * n + y] = match unranked {
                    Unranked::Last => ranked[x] - above[y * n + x] - equal[x * n + y],
                    Unranked::NoPreference => above[x * n + y],
                };
            }
        }
    }
    let standing = (0..n).filter(|&c| standing_mask[c]).collect();
    Ok(Matrix {
        size: n,
        cells,
        standing,
    })
}

/// Renders a square table over `standing` as one text row per candidate, cells right-aligned
/// to a common width, the diagonal shown as `-`. Used for the d and p rounds of transcripts.
pub(crate) fn render_rows<F>(standing: &[CandidateId], cell: F) -> Vec<(CandidateId, String)>
where
    F: Fn(CandidateId, CandidateId) -> String,
{
    let texts: Vec<Vec<String>> = standing
        .iter()
        .map(|&x| {
            standing
                .iter()
                .map(|&y| if x == y { "-".to_string() } else { cell(x, y) })
                .collect()
        })
        .collect();
    let width = texts.iter().flatten().map(String::len).max().unwrap_or(1);
    standing
        .iter()
        .zip(texts)
        .map(|(&x, row)| {
            let cells: Vec<String> = row.iter().map(|t| format!("{t:>width$}")).collect();
            (x, cells.join(" "))
        })
        .collect()
}

/// The names of `standing`, comma-separated, for "columns: …" captions.
pub(crate) fn column_caption(names: &[String], standing: &[CandidateId]) -> String {
    standing
        .iter()
        .map(|&c| name(names, c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A candidate's name, or `#n` when out of range.
pub(crate) fn name(names: &[String], c: CandidateId) -> String {
    names.get(c).cloned().unwrap_or_else(|| format!("#{c}"))
}

/// A weak order as text: `E > A = C > B`.
pub(crate) fn ranking_text(names: &[String], tiers: &[Vec<CandidateId>]) -> String {
    let tiers: Vec<String> = tiers
        .iter()
        .map(|t| t.iter().map(|&c| name(names, c)).collect::<Vec<_>>().join(" = "))
        .collect();
    tiers.join(" > ")
}

/// Flattens a weak order into a strict one with the tie-breaking order (the tie's winner
/// first), returning it with one [`TieNote`] for each place among the first `seats` that the
/// tie-break decided.
pub(crate) fn break_tiers(
    tiers: &[Vec<CandidateId>],
    seats: usize,
    tie: &TieBreak,
) -> (Vec<CandidateId>, Vec<TieNote>) {
    let mut order = Vec::new();
    let mut notes = Vec::new();
    for tier in tiers {
        let ranked = tie.rank_winners_first(tier);
        for (i, &c) in ranked.iter().enumerate() {
            if ranked.len() - i > 1 && order.len() < seats {
                let mut tied = ranked[i..].to_vec();
                tied.sort_unstable();
                notes.push(TieNote {
                    tied,
                    chosen: c,
                    how: "tie-breaking order".into(),
                });
            }
            order.push(c);
        }
    }
    (order, notes)
}

/// Puts first in `t`'s notes what the pairwise methods took from `profile`: how many ballots,
/// how unranked and equal ranks were read, and who was withdrawn.
pub(crate) fn note_profile(profile: &Profile, t: &mut crate::transcript::Transcript) {
    t.notes.insert(
        0,
        format!(
            "{} ballots counted; unranked candidates count as ranked jointly below all ranked \
             ones; equal ranks express no preference.",
            profile.total_weight()
        ),
    );
    if !profile.withdrawn.is_empty() {
        let names: Vec<String> = profile
            .withdrawn
            .iter()
            .map(|&c| name(&profile.candidates, c))
            .collect();
        t.notes.insert(
            1,
            format!("Withdrawn, skipped on every ballot: {}.", names.join(", ")),
        );
    }
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

    #[test]
    fn unranked_candidates_rank_below_ranked_ones() {
        // 0 > 1, candidate 2 unranked; plus 2 = 0 > 1 (equal first).
        let p = profile(
            3,
            vec![
                Ballot::ranking(3, &[0, 1]),
                Ballot {
                    weight: 2,
                    ranks: vec![vec![2, 0], vec![1]],
                },
            ],
        );
        let m = matrix(&p).unwrap();
        assert_eq!(m.rows(), vec![vec![0, 5, 3], vec![0, 0, 3], vec![0, 2, 0]]);
        let explicit = matrix_with(&p, Unranked::NoPreference).unwrap();
        assert_eq!(explicit.rows(), vec![vec![0, 5, 0], vec![0, 0, 0], vec![0, 2, 0]]);
        assert_eq!(m.condorcet_winner(), Some(0));
    }

    #[test]
    fn duplicates_withdrawn_and_skipped_ranks() {
        let mut p = profile(
            3,
            vec![Ballot {
                weight: 1,
                ranks: vec![vec![], vec![1], vec![0, 1], vec![2]],
            }],
        );
        p.withdrawn = vec![2];
        let m = matrix(&p).unwrap();
        assert_eq!(m.rows(), vec![vec![0, 0, 0], vec![1, 0, 0], vec![0, 0, 0]]);
        assert_eq!(m.standing(), &[0, 1]);
        assert_eq!(m.condorcet_winner(), Some(1));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let p = profile(2, vec![Ballot::ranking(1, &[0, 5])]);
        assert_eq!(
            matrix(&p),
            Err(TallyError::UnknownCandidate {
                candidate: 5,
                candidates: 2
            })
        );
        let mut p = profile(2, vec![Ballot::ranking(u64::MAX, &[0]), Ballot::ranking(1, &[1])]);
        assert!(matches!(matrix(&p), Err(TallyError::Invalid(_))));
        p.ballots.pop();
        p.withdrawn = vec![9];
        assert!(matrix(&p).is_err());
        assert!(Matrix::from_rows(&[vec![0, 1], vec![1]]).is_err());
    }

    #[test]
    fn links_compare_exactly() {
        let wv = Strength::WinningVotes.link(30, 15);
        assert_eq!(wv.to_string(), "30");
        assert!(Strength::Margins.link(15, 30).is_zero());
        let r1 = Strength::Ratio.link(40, 32);
        let r2 = Strength::Ratio.link(5, 4);
        assert_eq!(r1, r2);
        assert_eq!(r1.to_string(), "40/32");
        assert!(Strength::Ratio.link(1, 0) > Strength::Ratio.link(1000, 1));
        assert!(Link::ZERO < Strength::Ratio.link(2, 1));
    }

    /// The definition, ballot by ballot, without aggregation or the ranked-total shortcut.
    fn reference(p: &Profile, unranked: Unranked) -> Vec<Vec<u64>> {
        let n = p.candidates.len();
        let mut d = vec![vec![0; n]; n];
        for b in p.ballots.to_vec() {
            let mut level = vec![None; n];
            for (l, rank) in b.ranks.iter().enumerate() {
                for &c in rank {
                    if !p.withdrawn.contains(&c) && level[c].is_none() {
                        level[c] = Some(l);
                    }
                }
            }
            for x in 0..n {
                for y in 0..n {
                    let prefers = match (level[x], level[y], unranked) {
                        (Some(lx), Some(ly), _) => lx < ly,
                        (Some(_), None, Unranked::Last) => !p.withdrawn.contains(&y),
                        _ => false,
                    };
                    if x != y && prefers {
                        d[x][y] += b.weight;
                    }
                }
            }
        }
        d
    }

    proptest::proptest! {
        #[test]
        fn the_fast_count_matches_the_definition(
            n in 1usize..7,
            raw in proptest::collection::vec((0u64..4, proptest::collection::vec(proptest::collection::vec(0usize..7, 0..3), 0..5)), 0..40),
            withdraw in proptest::option::of(0usize..7),
        ) {
            let ballots = raw
                .into_iter()
                .map(|(weight, ranks)| Ballot {
                    weight,
                    ranks: ranks.into_iter().map(|r| r.into_iter().map(|c| c % n).collect()).collect(),
                })
                .collect();
            let mut p = profile(n, ballots);
            p.withdrawn = withdraw.filter(|&w| w < n).into_iter().collect();
            for mode in [Unranked::Last, Unranked::NoPreference] {
                proptest::prop_assert_eq!(matrix_with(&p, mode).unwrap().rows(), reference(&p, mode));
            }
        }
    }

    #[test]
    fn tiers_are_broken_by_the_tie_order() {
        let tie = TieBreak::from_order(vec![0, 1, 2, 3]);
        let (order, notes) = break_tiers(&[vec![0, 2], vec![1, 3]], 1, &tie);
        assert_eq!(order, vec![2, 0, 3, 1]);
        assert_eq!(
            notes,
            vec![TieNote {
                tied: vec![0, 2],
                chosen: 2,
                how: "tie-breaking order".into()
            }]
        );
    }

    proptest::proptest! {
        #[test]
        fn merging_identical_ballots_changes_no_matrix(p in crate::method::arbitrary::profile(6, false)) {
            for mode in [Unranked::Last, Unranked::NoPreference] {
                let merged = count_matrix(&p, mode, true).unwrap();
                proptest::prop_assert_eq!(merged.rows(), reference(&p, mode));
                proptest::prop_assert_eq!(merged, count_matrix(&p, mode, false).unwrap());
            }
        }
    }
}
