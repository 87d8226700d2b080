//! Approval voting and budgeted approval for participatory budgeting (METHODS.md §2.2). Each
//! ballot approves a set of candidates (a score above 0 is an approval); a candidate's total is
//! the number of ballots approving it. [`count`] elects the `k` highest; [`budgeted`] is
//! Pabulib's `greedy` rule: go down the projects by approvals, funding each one whose cost still
//! fits in what is left of the budget, and skipping (not stopping at) one that does not.

use crate::ballot::{CandidateId, ScoreBallot};
use crate::tie::{TieBreak, top_k};
use crate::transcript::{Round, TallyError, Transcript, check_seats, one_round};

/// Limits on how many candidates a ballot may approve; a ballot outside them is void.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApprovalOptions {
    pub min: Option<usize>,
    pub max: Option<usize>,
}

/// Approval voting with no limits on the number of approvals: the `k` highest win.
pub fn count(
    ballots: &[ScoreBallot],
    candidates: &[String],
    k: usize,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    count_with(ballots, candidates, k, &ApprovalOptions::default(), tie)
}

/// Approval voting with limits on the number of approvals per ballot.
pub fn count_with(
    ballots: &[ScoreBallot],
    candidates: &[String],
    k: usize,
    options: &ApprovalOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    check_seats(k, candidates.len())?;
    let (totals, void) = approvals(ballots, candidates.len(), options)?;
    let mut t = one_round("approval", candidates, k, totals, "Approvals counted", tie);
    note_void(&mut t, void);
    Ok(t)
}

/// Counts approvals per candidate, and the weight of void ballots.
fn approvals(
    ballots: &[ScoreBallot],
    candidates: usize,
    options: &ApprovalOptions,
) -> Result<(Vec<(CandidateId, u128)>, u128), TallyError> {
    ScoreBallot::check(ballots, candidates)?;
    let mut totals = vec![0u128; candidates];
    let mut void = 0u128;
    for b in ballots {
        let mut approved: Vec<CandidateId> =
            b.scores.iter().filter(|(_, s)| *s > 0).map(|&(c, _)| c).collect();
        approved.sort_unstable();
        approved.dedup();
        let n = approved.len();
        if options.min.is_some_and(|m| n < m) || options.max.is_some_and(|m| n > m) {
            void += u128::from(b.weight);
            continue;
        }
        for c in approved {
            totals[c] += u128::from(b.weight);
        }
    }
    Ok((totals.into_iter().enumerate().collect(), void))
}

fn note_void(t: &mut Transcript, void: u128) {
    if void > 0 {
        t.rounds[0].exhausted = Some(void.to_string());
        t.notes.push(format!(
            "{void} ballots approved too few or too many candidates and were void."
        ));
    }
}

/// Budgeted approval with no limits on the number of approvals; see [`budgeted_with`].
pub fn budgeted(
    ballots: &[ScoreBallot],
    candidates: &[String],
    costs: &[u64],
    budget: u64,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    budgeted_with(
        ballots,
        candidates,
        costs,
        budget,
        &ApprovalOptions::default(),
        tie,
    )
}

/// Budgeted approval, greedy, skip-not-stop: projects in descending order of approvals (ties
/// by the published order, winner first) are funded while their cost fits in what remains of
/// `budget`. `costs[c]` is candidate `c`'s cost. Round 1 holds the approvals; each later round
/// considers one project.
pub fn budgeted_with(
    ballots: &[ScoreBallot],
    candidates: &[String],
    costs: &[u64],
    budget: u64,
    options: &ApprovalOptions,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    if candidates.is_empty() {
        return Err(TallyError::NoCandidates);
    }
    if costs.len() != candidates.len() {
        return Err(TallyError::Invalid(format!(
            "{} costs were given for {} projects; give one cost per project",
            costs.len(),
            candidates.len()
        )));
    }
    let (totals, void) = approvals(ballots, candidates.len(), options)?;
    let (order, ties) = top_k(&totals, candidates.len(), tie);
    let mut t = Transcript::new("approval-budgeted-greedy", candidates.to_vec(), 0);
    t.notes.push(tie.describe(candidates));
    t.notes.push(format!(
        "Budget {budget}; projects funded greedily by approvals, skipping any that does not fit."
    ));
    let mut first = Round::new(1, "Approvals counted");
    first.totals = totals.iter().map(|(c, v)| (*c, v.to_string())).collect();
    first.ties = ties;
    t.rounds.push(first);
    note_void(&mut t, void);

    let mut left = budget;
    for (i, &c) in order.iter().enumerate() {
        let cost = costs[c];
        let mut round = Round::new(i + 2, "");
        if cost <= left {
            left -= cost;
            round.action = format!("{} funded at {cost}; {left} left", candidates[c]);
            round.elected.push(c);
            t.winners.push(c);
        } else {
            round.action = format!(
                "{} skipped: its cost {cost} exceeds the {left} left",
                candidates[c]
            );
            round.excluded.push(c);
        }
        t.rounds.push(round);
    }
    t.seats = t.winners.len();
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("P{i}")).collect()
    }

    #[test]
    fn greedy_skips_a_project_that_does_not_fit_and_goes_on() {
        // Approvals: P0 3, P1 2, P2 1. Budget 10: P0 (6) funded, P1 (5) skipped, P2 (4) funded.
        let ballots = [
            ScoreBallot::approving(1, &[0, 1, 2]),
            ScoreBallot::approving(1, &[0, 1]),
            ScoreBallot::approving(1, &[0]),
        ];
        let t = budgeted(&ballots, &names(3), &[6, 5, 4], 10, &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.winners, vec![0, 2]);
        assert_eq!(t.rounds[2].action, "P1 skipped: its cost 5 exceeds the 4 left");
        assert_eq!(t.rounds[2].excluded, vec![1]);
    }

    #[test]
    fn ballots_outside_the_limits_are_void() {
        let ballots = [
            ScoreBallot::approving(4, &[0, 1, 2]),
            ScoreBallot::approving(1, &[2]),
        ];
        let options = ApprovalOptions {
            min: None,
            max: Some(2),
        };
        let t = count_with(&ballots, &names(3), 1, &options, &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.winners, vec![2]);
        assert_eq!(t.rounds[0].exhausted.as_deref(), Some("4"));
    }

    #[test]
    fn costs_must_match_projects() {
        let r = budgeted(&[], &names(2), &[1], 5, &TieBreak::candidate_order(2));
        assert!(r.is_err());
    }
}
