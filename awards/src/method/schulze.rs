//! The Schulze method (METHODS.md §2.7; M. Schulze, *Social Choice and Welfare* 36, 2011).
//!
//! 1. The pairwise matrix `d[X][Y]` ([`super::pairwise`]; unranked candidates ranked jointly
//!    last, equal ranks no preference, withdrawn candidates skipped).
//! 2. Link strengths: with winning votes (the default) `p[X][Y] = d[X][Y]` when
//!    `d[X][Y] > d[Y][X]`, else 0; with margins `d[X][Y] − d[Y][X]`; with ratio
//!    `d[X][Y] / d[Y][X]`. (METHODS.md's winning votes compare `d[X][Y]` alone, as Condorcet
//!    PHP does; the paper's refinement by smaller opposition is not used.)
//! 3. Strongest paths by Floyd–Warshall: `p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))`.
//! 4. X ranks above Y iff `p[X][Y] > p[Y][X]` (a strict partial order, Schulze §4.1). The
//!    Schulze ranking lists, tier by tier, the candidates no remaining candidate ranks above;
//!    the first tier are the winners. Several winners are a tie, broken by the declared
//!    tie-breaking order ([`TieBreak`]), and every such decision is logged.
//!
//! With more than one seat the winners are the top of the tie-broken Schulze ranking (this is
//! not the proportional "Schulze STV").

use crate::ballot::{CandidateId, Profile};
use crate::method::pairwise::{self, Link, Matrix, Strength};
use crate::tie::TieBreak;
use crate::transcript::{Round, TallyError, Transcript, check_seats};

/// Options of a Schulze count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SchulzeOptions {
    /// How a defeat's strength is measured (winning votes by default).
    pub strength: Strength,
}

/// The strongest-path strengths `p[X][Y]` over the standing candidates of a matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    standing: Vec<CandidateId>,
    size: usize,
    /// Indexed by position in `standing`.
    cells: Vec<Link>,
}

impl Paths {
    /// `p[X][Y]`; zero for a candidate that does not stand.
    pub fn get(&self, x: CandidateId, y: CandidateId) -> Link {
        match (self.index(x), self.index(y)) {
            (Some(i), Some(j)) => self.cells[i * self.standing.len() + j],
            _ => Link::ZERO,
        }
    }

    /// Whether `x` ranks above `y` in the Schulze order (`p[X][Y] > p[Y][X]`).
    pub fn beats(&self, x: CandidateId, y: CandidateId) -> bool {
        self.get(x, y) > self.get(y, x)
    }

    /// The candidates these paths are over.
    pub fn standing(&self) -> &[CandidateId] {
        &self.standing
    }

    fn index(&self, c: CandidateId) -> Option<usize> {
        if c < self.size {
            self.standing.binary_search(&c).ok()
        } else {
            None
        }
    }

    /// The Schulze ranking as tiers, best first (candidates in a tier are tied).
    pub fn ranking(&self) -> Vec<Vec<CandidateId>> {
        let m = self.standing.len();
        let mut remaining: Vec<usize> = (0..m).collect();
        let mut tiers = Vec::new();
        while !remaining.is_empty() {
            let beaten = |j: usize| {
                remaining
                    .iter()
                    .any(|&i| self.cells[i * m + j] > self.cells[j * m + i])
            };
            let (mut tier, rest): (Vec<usize>, Vec<usize>) = remaining.iter().partition(|&&j| !beaten(j));
            if tier.is_empty() {
                // Unreachable (the relation is a strict partial order); never loop forever.
                tier = rest.clone();
            }
            tiers.push(tier.iter().map(|&i| self.standing[i]).collect());
            remaining = if tier.len() == remaining.len() {
                Vec::new()
            } else {
                rest
            };
        }
        tiers
    }

    /// The Schulze winners: the candidates nobody beats by strongest path.
    pub fn winners(&self) -> Vec<CandidateId> {
        self.ranking().into_iter().next().unwrap_or_default()
    }
}

/// The strongest paths of `matrix` (Floyd–Warshall widest paths, O(n³)).
pub fn strongest_paths(matrix: &Matrix, strength: Strength) -> Paths {
    let standing = matrix.standing().to_vec();
    let m = standing.len();
    let mut p = vec![Link::ZERO; m * m];
    for (i, &x) in standing.iter().enumerate() {
        for (j, &y) in standing.iter().enumerate() {
            if i != j {
                p[i * m + j] = matrix.link(x, y, strength);
            }
        }
    }
    for k in 0..m {
        for i in 0..m {
            let pik = p[i * m + k];
            if i == k || pik.is_zero() {
                continue;
            }
            for j in 0..m {
                if j != i && j != k {
                    let via = pik.min(p[k * m + j]);
                    if via > p[i * m + j] {
                        p[i * m + j] = via;
                    }
                }
            }
        }
    }
    Paths {
        standing,
        size: matrix.size(),
        cells: p,
    }
}

/// Counts `profile` by Schulze; `profile.seats` winners are taken from the top of the ranking.
pub fn count(profile: &Profile, options: SchulzeOptions, tie: &TieBreak) -> Result<Transcript, TallyError> {
    let matrix = pairwise::matrix(profile)?;
    let mut t = count_matrix(&matrix, &profile.candidates, profile.seats, options, tie)?;
    pairwise::note_profile(profile, &mut t);
    Ok(t)
}

/// Counts from a pairwise matrix already built (e.g. a published one).
pub fn count_matrix(
    matrix: &Matrix,
    candidates: &[String],
    seats: usize,
    options: SchulzeOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    let standing = matrix.standing();
    check_seats(seats, standing.len())?;
    let strength = options.strength;
    let mut t = Transcript::new("schulze", candidates.to_vec(), seats);
    t.notes.push(format!(
        "Link strength: {}; strongest paths by Floyd–Warshall; X ranks above Y when p[X,Y] > p[Y,X].",
        match strength {
            Strength::WinningVotes => "winning votes (p[X,Y] = d[X,Y] when d[X,Y] > d[Y,X], else 0)",
            Strength::Margins => "margins (p[X,Y] = d[X,Y] − d[Y,X] when positive, else 0)",
            Strength::Ratio => "ratio (p[X,Y] = d[X,Y]/d[Y,X] when X beats Y, else 0; n/0 is unopposed)",
        }
    ));
    let columns = pairwise::column_caption(candidates, standing);

    let mut r1 = Round::new(
        1,
        format!("Pairwise preferences d[X,Y]: row X over column Y ({columns})"),
    );
    r1.totals = pairwise::render_rows(standing, |x, y| matrix.get(x, y).to_string());
    t.rounds.push(r1);

    let paths = strongest_paths(matrix, strength);
    let mut r2 = Round::new(
        2,
        format!(
            "Strongest path strengths p[X,Y] ({}): row X, column Y ({columns})",
            strength.describe()
        ),
    );
    r2.totals = pairwise::render_rows(standing, |x, y| paths.get(x, y).to_string());
    t.rounds.push(r2);

    let tiers = paths.ranking();
    let (order, ties) = pairwise::break_tiers(&tiers, seats, tie);
    let mut r3 = Round::new(
        3,
        format!("Schulze ranking: {}", pairwise::ranking_text(candidates, &tiers)),
    );
    r3.totals = standing
        .iter()
        .map(|&x| {
            let beaten = standing.iter().filter(|&&y| paths.beats(x, y)).count();
            (x, format!("beats {beaten}"))
        })
        .collect();
    r3.elected = order[..seats].to_vec();
    r3.ties = ties;
    if !r3.ties.is_empty() {
        t.notes.push(format!(
            "Order after the tie-breaking order: {}.",
            order
                .iter()
                .map(|&c| pairwise::name(candidates, c))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    t.rounds.push(r3);
    t.winners = order[..seats].to_vec();
    Ok(t)
}

/// The Schulze ranking of `profile` as tiers, best first (no tie-breaking).
pub fn ranking(profile: &Profile, options: SchulzeOptions) -> Result<Vec<Vec<CandidateId>>, TallyError> {
    Ok(strongest_paths(&pairwise::matrix(profile)?, options.strength).ranking())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    fn three_cycle() -> Profile {
        // A>B>C ×2, B>C>A ×2, C>A>B ×1 (Schulze ex. 13): A and B tie.
        let mut p = Profile::new("t", vec!["A".into(), "B".into(), "C".into()], 1);
        p.ballots = crate::ballot::Ballots::from(vec![
            Ballot::ranking(2, &[0, 1, 2]),
            Ballot::ranking(2, &[1, 2, 0]),
            Ballot::ranking(1, &[2, 0, 1]),
        ]);
        p
    }

    #[test]
    fn a_tie_for_first_is_broken_by_the_declared_order_and_logged() {
        let p = three_cycle();
        assert_eq!(
            ranking(&p, SchulzeOptions::default()).unwrap(),
            vec![vec![0, 1], vec![2]]
        );
        let t = count(
            &p,
            SchulzeOptions::default(),
            &TieBreak::from_order(vec![1, 0, 2]),
        )
        .unwrap();
        assert_eq!(t.winners, vec![0]);
        let last = t.rounds.last().unwrap();
        assert_eq!(last.ties.len(), 1);
        assert_eq!(last.ties[0].tied, vec![0, 1]);
        let t = count(
            &p,
            SchulzeOptions::default(),
            &TieBreak::from_order(vec![0, 1, 2]),
        )
        .unwrap();
        assert_eq!(t.winners, vec![1]);
        assert!(
            t.to_text().contains("Schulze ranking: A = B > C"),
            "{}",
            t.to_text()
        );
    }

    #[test]
    fn several_seats_follow_the_ranking() {
        let mut p = three_cycle();
        p.seats = 3;
        let t = count(
            &p,
            SchulzeOptions::default(),
            &TieBreak::from_order(vec![0, 1, 2]),
        )
        .unwrap();
        assert_eq!(t.winners, vec![1, 0, 2]);
        p.seats = 4;
        assert!(count(&p, SchulzeOptions::default(), &TieBreak::from_order(vec![])).is_err());
    }

    #[test]
    fn transcript_shows_d_and_p() {
        let t = count(
            &three_cycle(),
            SchulzeOptions {
                strength: Strength::Margins,
            },
            &TieBreak::from_order(vec![]),
        )
        .unwrap();
        // d: A>B 3, B>A 2, B>C 4, C>B 1, C>A 3, A>C 2.
        assert_eq!(t.rounds[0].totals[0], (0, "- 3 2".to_string()));
        // margins: A→B 1, B→C 3, C→A 1; paths A→C 1, B→A 1, C→B 1.
        assert_eq!(t.rounds[1].totals[1], (1, "1 - 3".to_string()));
    }
}
