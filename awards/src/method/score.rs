//! Score (range) voting and STAR (METHODS.md §2.3). Each ballot gives candidates scores in
//! `[min, max]`; candidates are ranked by the **sum** of their scores. A blank adds nothing to
//! the sum either way; [`Blank`] decides only whether it counts as a 0 in the mean shown in
//! the notes (Loomio shows points and mean). STAR (score then automatic runoff) takes the two
//! highest sums and elects the one scored higher on more ballots; a tied runoff goes to the
//! higher sum (the STAR Voting rules), then to the published order. In the runoff a blank
//! counts as 0.

use std::cmp::Ordering;

use crate::ballot::{CandidateId, ScoreBallot};
use crate::number::{Rational, exact_text};
use crate::tie::{BY_ORDER, TieBreak};
use crate::transcript::{Round, TallyError, TieNote, Transcript, check_seats, one_round};

/// How a blank (a candidate a ballot does not score) counts in the mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Blank {
    /// As a score of 0: the mean is over every ballot.
    #[default]
    Zero,
    /// Left out: the mean is over the ballots that scored the candidate.
    Excluded,
}

/// The score range and how blanks count. The default accepts any score from 0 up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreOptions {
    pub min: u32,
    pub max: Option<u32>,
    pub blank: Blank,
}

impl ScoreOptions {
    /// Scores from `min` to `max`, blanks as 0.
    pub fn range(min: u32, max: u32) -> Self {
        Self {
            min,
            max: Some(max),
            blank: Blank::Zero,
        }
    }
}

struct Sums {
    sums: Vec<u128>,
    /// Weight of the ballots that scored each candidate.
    scored: Vec<u128>,
    ballots: u128,
}

fn sums(ballots: &[ScoreBallot], candidates: usize, options: &ScoreOptions) -> Result<Sums, TallyError> {
    ScoreBallot::check(ballots, candidates)?;
    let mut s = Sums {
        sums: vec![0; candidates],
        scored: vec![0; candidates],
        ballots: 0,
    };
    for b in ballots {
        let w = u128::from(b.weight);
        s.ballots += w;
        let mut seen = Vec::new();
        for &(c, score) in &b.scores {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            if score < options.min || options.max.is_some_and(|m| score > m) {
                let range = match options.max {
                    Some(m) => format!("{} to {m}", options.min),
                    None => format!("{} or more", options.min),
                };
                return Err(TallyError::Invalid(format!(
                    "a ballot gives candidate #{c} a score of {score}; scores must be {range}"
                )));
            }
            s.sums[c] += w * u128::from(score);
            s.scored[c] += w;
        }
    }
    Ok(s)
}

fn mean_note(s: &Sums, candidates: &[String], blank: Blank) -> String {
    let means: Vec<String> = (0..candidates.len())
        .map(|c| {
            let over = match blank {
                Blank::Zero => s.ballots,
                Blank::Excluded => s.scored[c],
            };
            let mean = if over == 0 {
                "none".to_string()
            } else {
                exact_text(&Rational::new(s.sums[c].into(), over.into()))
            };
            format!("{} {mean}", candidates[c])
        })
        .collect();
    let how = match blank {
        Blank::Zero => "over all ballots, blanks as 0",
        Blank::Excluded => "over the ballots that scored each candidate",
    };
    format!("Mean scores ({how}): {}.", means.join("; "))
}

/// Score voting: the `seats` highest sums win.
pub fn count(
    ballots: &[ScoreBallot],
    candidates: &[String],
    seats: usize,
    options: &ScoreOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    check_seats(seats, candidates.len())?;
    let s = sums(ballots, candidates.len(), options)?;
    let totals = s.sums.iter().copied().enumerate().collect();
    let mut t = one_round("score", candidates, seats, totals, "Scores summed", tie);
    t.notes.push(mean_note(&s, candidates, options.blank));
    Ok(t)
}

/// STAR: the two highest sums go to a runoff, won by the one scored higher on more ballots.
/// Round 1 is the scoring round; round 2 the runoff, whose `exhausted` is the ballots that
/// scored both finalists equally.
pub fn star(
    ballots: &[ScoreBallot],
    candidates: &[String],
    options: &ScoreOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    check_seats(1, candidates.len())?;
    let s = sums(ballots, candidates.len(), options)?;
    let totals = s.sums.iter().copied().enumerate().collect();
    let finalists = candidates.len().min(2);
    let mut t = one_round("star", candidates, finalists, totals, "Scoring round", tie);
    t.seats = 1;
    t.notes.push(mean_note(&s, candidates, options.blank));
    let finalists = t.rounds[0].elected.clone();
    t.rounds[0].elected.clear();
    t.winners.clear();
    let [a, b] = finalists[..] else {
        // A single candidate: elected without a runoff.
        t.rounds[0].elected = finalists.clone();
        t.winners = finalists;
        return Ok(t);
    };
    t.rounds[0].action = format!(
        "Scoring round: {} and {} go to the runoff",
        candidates[a], candidates[b]
    );
    let (mut pa, mut pb, mut equal) = (0u128, 0u128, 0u128);
    for ballot in ballots {
        let w = u128::from(ballot.weight);
        let sa = ballot.score_of(a).unwrap_or(0);
        let sb = ballot.score_of(b).unwrap_or(0);
        match sa.cmp(&sb) {
            Ordering::Greater => pa += w,
            Ordering::Less => pb += w,
            Ordering::Equal => equal += w,
        }
    }
    let mut runoff = Round::new(2, "");
    runoff.totals = vec![(a, pa.to_string()), (b, pb.to_string())];
    runoff.exhausted = Some(equal.to_string());
    let winner = match pa.cmp(&pb).then(s.sums[a].cmp(&s.sums[b])) {
        Ordering::Greater => a,
        Ordering::Less => b,
        Ordering::Equal => {
            let w = tie.winner(&[a, b]);
            runoff.ties.push(TieNote {
                tied: vec![a.min(b), a.max(b)],
                chosen: w,
                how: BY_ORDER.into(),
            });
            w
        }
    };
    let loser: CandidateId = if winner == a { b } else { a };
    runoff.action = if pa == pb {
        format!("Runoff tied {pa}–{pb}; {} elected", candidates[winner])
    } else {
        format!(
            "Runoff: {} beats {} {}–{}",
            candidates[winner],
            candidates[loser],
            pa.max(pb),
            pa.min(pb)
        )
    };
    runoff.elected = vec![winner];
    t.rounds.push(runoff);
    t.winners = vec![winner];
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("C{i}")).collect()
    }

    fn ballot(weight: u64, scores: &[(CandidateId, u32)]) -> ScoreBallot {
        ScoreBallot {
            weight,
            scores: scores.to_vec(),
        }
    }

    #[test]
    fn blanks_change_the_mean_but_not_the_sum() {
        let ballots = [ballot(1, &[(0, 4), (1, 2)]), ballot(1, &[(1, 3)])];
        let tie = TieBreak::candidate_order(2);
        let zero = count(&ballots, &names(2), 1, &ScoreOptions::range(0, 5), &tie).unwrap();
        assert_eq!(zero.rounds[0].totals, vec![(0, "4".into()), (1, "5".into())]);
        assert!(zero.notes[1].contains("C0 2; C1 2.5"), "{:?}", zero.notes);
        let options = ScoreOptions {
            blank: Blank::Excluded,
            ..ScoreOptions::range(0, 5)
        };
        let excl = count(&ballots, &names(2), 1, &options, &tie).unwrap();
        assert!(excl.notes[1].contains("C0 4; C1 2.5"), "{:?}", excl.notes);
    }

    #[test]
    fn scores_out_of_range_are_refused() {
        let r = count(
            &[ballot(1, &[(0, 6)])],
            &names(1),
            1,
            &ScoreOptions::range(0, 5),
            &TieBreak::candidate_order(1),
        );
        assert_eq!(
            r.unwrap_err().to_string(),
            "a ballot gives candidate #0 a score of 6; scores must be 0 to 5"
        );
    }

    #[test]
    fn star_runoff_can_reverse_the_scoring_round() {
        // C0 has the higher sum (7 vs 4) but C1 is scored higher on 2 ballots of 3.
        let ballots = [
            ballot(1, &[(0, 5)]),
            ballot(2, &[(0, 1), (1, 2)]),
            ballot(1, &[(2, 1)]),
        ];
        let t = star(
            &ballots,
            &names(3),
            &ScoreOptions::range(0, 5),
            &TieBreak::candidate_order(3),
        )
        .unwrap();
        assert_eq!(
            t.rounds[0].totals,
            vec![(0, "7".into()), (1, "4".into()), (2, "1".into())]
        );
        assert_eq!(t.rounds[1].totals, vec![(0, "1".into()), (1, "2".into())]);
        assert_eq!(t.rounds[1].exhausted.as_deref(), Some("1"));
        assert_eq!(t.winners, vec![1]);
        let tied = [ballot(1, &[(0, 5), (1, 1)]), ballot(1, &[(0, 1), (1, 5)])];
        let t = star(
            &tied,
            &names(2),
            &ScoreOptions::range(0, 5),
            &TieBreak::candidate_order(2),
        )
        .unwrap();
        assert_eq!((t.winners.clone(), t.rounds[1].ties.len()), (vec![1], 1));
    }
}
