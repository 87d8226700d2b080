//! What every counting method returns: the winners in order of election and a round-by-round
//! record of the count (totals as exact text, who was elected or excluded, every tie and how
//! it was broken), so that a result can be published and checked by hand.

use std::fmt::Write as _;

use crate::ballot::CandidateId;
use crate::tie::{TieBreak, top_k};

/// The whole record of one count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Transcript {
    /// `"stv-scottish"`, `"irv"`, `"schulze"` …
    pub method: String,
    pub candidates: Vec<String>,
    pub seats: usize,
    pub rounds: Vec<Round>,
    /// In order of election.
    pub winners: Vec<CandidateId>,
    /// Non-round facts: quota, thresholds, tie-break commitment, conventions used.
    pub notes: Vec<String>,
}

/// One round (stage) of a count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Round {
    /// 1-based.
    pub number: usize,
    /// Each counted candidate's total at the end of the round, as exact text ("4313",
    /// "1234.56789", "17/3").
    pub totals: Vec<(CandidateId, String)>,
    /// Non-transferable / exhausted total, when the method has one.
    pub exhausted: Option<String>,
    pub elected: Vec<CandidateId>,
    pub excluded: Vec<CandidateId>,
    /// What happened, one sentence ("Surplus of Kiss transferred", "Tie for lowest broken
    /// backwards (round 3)").
    pub action: String,
    pub ties: Vec<TieNote>,
}

/// One tie and how it was broken.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TieNote {
    pub tied: Vec<CandidateId>,
    pub chosen: CandidateId,
    /// `"backwards (round 3)"`, `"seeded permutation"`, `"declared order"`.
    pub how: String,
}

impl Transcript {
    /// A transcript with no rounds, winners or notes yet.
    pub fn new(method: impl Into<String>, candidates: Vec<String>, seats: usize) -> Self {
        Self {
            method: method.into(),
            candidates,
            seats,
            rounds: Vec::new(),
            winners: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The candidate's name, or `#n` for an index out of range.
    pub fn name(&self, candidate: CandidateId) -> String {
        self.candidates
            .get(candidate)
            .cloned()
            .unwrap_or_else(|| format!("#{candidate}"))
    }

    /// The winners' names, in order of election.
    pub fn winner_names(&self) -> Vec<String> {
        self.winners.iter().map(|&c| self.name(c)).collect()
    }

    /// The total a candidate has at the end of `round` (1-based), as written in the transcript.
    pub fn total(&self, round: usize, candidate: CandidateId) -> Option<&str> {
        let round = self.rounds.iter().find(|r| r.number == round)?;
        round
            .totals
            .iter()
            .find(|(c, _)| *c == candidate)
            .map(|(_, t)| t.as_str())
    }

    /// A readable round-by-round table.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Method: {}", self.method);
        let _ = writeln!(out, "Seats: {}", self.seats);
        let _ = writeln!(out, "Candidates: {}", self.candidates.join("; "));
        for note in &self.notes {
            let _ = writeln!(out, "Note: {note}");
        }
        let width = self
            .rounds
            .iter()
            .flat_map(|r| r.totals.iter().map(|&(c, _)| self.name(c).chars().count()))
            .chain([9]) // "Exhausted"
            .max()
            .unwrap_or(9);
        for round in &self.rounds {
            let _ = writeln!(out, "\nRound {}: {}", round.number, round.action);
            for (c, total) in &round.totals {
                let mark = if round.elected.contains(c) {
                    "  elected"
                } else if round.excluded.contains(c) {
                    "  excluded"
                } else {
                    ""
                };
                let _ = writeln!(out, "  {:<width$}  {total:>12}{mark}", self.name(*c));
            }
            if let Some(ex) = &round.exhausted {
                let _ = writeln!(out, "  {:<width$}  {ex:>12}", "Exhausted");
            }
            for tie in &round.ties {
                let tied: Vec<String> = tie.tied.iter().map(|&c| self.name(c)).collect();
                let _ = writeln!(
                    out,
                    "  Tie between {}: {} chosen by {}",
                    tied.join(" / "),
                    self.name(tie.chosen),
                    tie.how
                );
            }
        }
        let _ = writeln!(out, "\nWinners: {}", self.winner_names().join(", "));
        out
    }
}

/// A count with a single round: each candidate's total, the `seats` highest elected (ties by
/// `tie`), `notes` plus the tie-break order as notes.
pub fn one_round<T: Ord + std::fmt::Display>(
    method: &str,
    candidates: &[String],
    seats: usize,
    totals: Vec<(CandidateId, T)>,
    action: &str,
    tie: &TieBreak,
) -> Transcript {
    let mut t = Transcript::new(method, candidates.to_vec(), seats);
    t.notes.push(tie.describe(candidates));
    let (winners, ties) = top_k(&totals, seats, tie);
    let mut round = Round::new(1, action);
    round.totals = totals.iter().map(|(c, v)| (*c, v.to_string())).collect();
    round.elected = winners.clone();
    round.ties = ties;
    t.rounds.push(round);
    t.winners = winners;
    t
}

impl Round {
    /// A round with this number and action and nothing else yet.
    pub fn new(number: usize, action: impl Into<String>) -> Self {
        Self {
            number,
            totals: Vec::new(),
            exhausted: None,
            elected: Vec::new(),
            excluded: Vec::new(),
            action: action.into(),
            ties: Vec::new(),
        }
    }
}

/// Why a count could not be made. Each message is one sentence naming the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    #[error("there are no candidates to count; give at least one candidate")]
    NoCandidates,
    #[error(
        "{seats} seats asked for but only {candidates} candidates stand; ask for 1 to {candidates} seats"
    )]
    Seats { seats: usize, candidates: usize },
    #[error("a ballot names candidate #{candidate} but there are only {candidates} candidates")]
    UnknownCandidate {
        candidate: CandidateId,
        candidates: usize,
    },
    #[error("{0}")]
    Invalid(String),
}

/// Checks that `seats` is between 1 and `standing` (the candidates that can win).
pub fn check_seats(seats: usize, standing: usize) -> Result<(), TallyError> {
    if standing == 0 {
        return Err(TallyError::NoCandidates);
    }
    if seats == 0 || seats > standing {
        return Err(TallyError::Seats {
            seats,
            candidates: standing,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_rounds_ties_and_winners() {
        let mut t = Transcript::new("plurality", vec!["Ann".into(), "Bob".into()], 1);
        t.notes.push("Ties broken by declared order.".into());
        let mut r = Round::new(1, "First preferences counted");
        r.totals = vec![(0, "3".into()), (1, "3".into())];
        r.elected = vec![1];
        r.ties.push(TieNote {
            tied: vec![0, 1],
            chosen: 1,
            how: "declared order".into(),
        });
        t.rounds.push(r);
        t.winners = vec![1];
        let text = t.to_text();
        assert!(text.contains("Round 1: First preferences counted"), "{text}");
        assert!(text.contains("Bob                   3  elected"), "{text}");
        assert!(
            text.contains("Tie between Ann / Bob: Bob chosen by declared order"),
            "{text}"
        );
        assert!(text.ends_with("Winners: Bob\n"), "{text}");
        assert_eq!(t.total(1, 1), Some("3"));
    }

    #[test]
    fn seats_must_fit_the_standing_candidates() {
        assert_eq!(check_seats(1, 0), Err(TallyError::NoCandidates));
        assert!(check_seats(0, 3).is_err());
        assert!(check_seats(4, 3).is_err());
        assert!(check_seats(3, 3).is_ok());
    }
}
