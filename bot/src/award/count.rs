//! Counting a closed category: its declared method, mapped onto the awards crate's counting
//! functions with their published defaults, and the tie-break from the revealed seed.

use vigie_awards::ballot::ScoreBallot;
use vigie_awards::campaign::rules::{BordaTruncation, PairwiseStrength};
use vigie_awards::campaign::{Method, TallyInput};
use vigie_awards::method::borda::{self, BordaOptions, Truncation};
use vigie_awards::method::irv::{self, IrvOptions};
use vigie_awards::method::pairwise::Strength;
use vigie_awards::method::ranked_pairs::{self, RankedPairsOptions};
use vigie_awards::method::schulze::{self, SchulzeOptions};
use vigie_awards::method::score::{self, ScoreOptions};
use vigie_awards::method::stv::{meek, scottish};
use vigie_awards::method::{approval, plurality};
use vigie_awards::tie::TieBreak;
use vigie_awards::transcript::Transcript;

/// The tie-break of a category: the permutation from the revealed seed; before the seed is
/// revealed, candidate order (said in the transcript's notes).
pub fn tie_break(input: &TallyInput) -> TieBreak {
    let n = input.profile.candidates.len();
    match &input.seed {
        Some(seed) => TieBreak::from_seed(seed.as_bytes(), &input.election_id, n),
        None => TieBreak::candidate_order(n),
    }
}

fn strength(s: PairwiseStrength) -> Strength {
    match s {
        PairwiseStrength::WinningVotes => Strength::WinningVotes,
        PairwiseStrength::Margins => Strength::Margins,
    }
}

/// Counts a category with its declared method. The error is the method's, as one sentence.
pub fn count(input: &TallyInput) -> Result<Transcript, String> {
    let tie = tie_break(input);
    let p = &input.profile;
    // A withdrawn nominee stays a candidate (its index is its place on the ballot) but no mark
    // for it counts.
    let scores: Vec<ScoreBallot> = input
        .scores
        .iter()
        .map(|b| ScoreBallot {
            weight: b.weight,
            scores: b
                .scores
                .iter()
                .copied()
                .filter(|(c, _)| !p.withdrawn.contains(c))
                .collect(),
        })
        .collect();
    let result = match &input.method {
        Method::Plurality => plurality::count(p, p.seats, &tie),
        Method::Approval { .. } => approval::count(&scores, &p.candidates, p.seats, &tie),
        Method::Score { max } => score::count(
            &scores,
            &p.candidates,
            p.seats,
            &ScoreOptions::range(0, *max),
            &tie,
        ),
        Method::Star { max } => score::star(&scores, &p.candidates, &ScoreOptions::range(0, *max), &tie),
        Method::Borda {
            truncation,
            start_at_zero,
        } => {
            let truncation = match truncation {
                BordaTruncation::Zero => Truncation::Zero,
                BordaTruncation::Average => Truncation::Average,
                BordaTruncation::Modified => Truncation::Modified,
            };
            let options = BordaOptions {
                truncation,
                start_at_zero: *start_at_zero,
            };
            borda::count(p, &options, &tie)
        }
        Method::Irv { batch_elimination } => {
            let options = IrvOptions {
                batch_elimination: *batch_elimination,
                ..IrvOptions::default()
            };
            irv::count(p, &options, &tie)
        }
        Method::StvScottish => scottish::count(p, &tie),
        Method::StvMeek => meek::count(p, &meek::MeekOptions::default(), &tie),
        Method::Schulze { strength: s } => schulze::count(
            p,
            SchulzeOptions {
                strength: strength(*s),
            },
            &tie,
        ),
        Method::RankedPairs { strength: s } => ranked_pairs::count(
            p,
            RankedPairsOptions {
                strength: strength(*s),
            },
            &tie,
        ),
    };
    let mut t = result.map_err(|e| e.to_string())?;
    let mut notes = Vec::new();
    if input.seed.is_none() {
        notes.push(
            "The tie-break seed is not revealed yet: ties not settled by the count fall to candidate order."
                .to_owned(),
        );
    }
    let described = tie.describe(&p.candidates);
    if !t.notes.contains(&described) {
        notes.push(described);
    }
    t.notes.splice(0..0, notes);
    Ok(t)
}
