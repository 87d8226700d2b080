//! Plurality (first past the post) and block plurality (METHODS.md §2.1). Plurality counts each
//! ranked ballot's first preference: the first rank, passing over skipped ranks and withdrawn
//! candidates; a first rank naming several candidates is an overvote and is not counted. Block
//! plurality counts every mark of a ballot that marks at most as many candidates as there are
//! seats. The `seats` highest totals win; ties are broken by the published order.

use crate::ballot::{CandidateId, Profile, ScoreBallot};
use crate::tie::TieBreak;
use crate::transcript::{TallyError, Transcript, check_seats, one_round};

/// Counts first preferences; the `seats` highest win.
pub fn count(profile: &Profile, seats: usize, tie: &TieBreak) -> Result<Transcript, TallyError> {
    profile.check()?;
    let standing = profile.standing();
    check_seats(seats, standing.len())?;
    let mut totals = vec![0u128; profile.candidates.len()];
    let (mut overvotes, mut blanks) = (0u128, 0u128);
    for b in &profile.ballots {
        let w = u128::from(b.weight);
        match b.effective_ranks(&profile.withdrawn).first().map(Vec::as_slice) {
            Some(&[c]) => totals[c] += w,
            Some(_) => overvotes += w,
            None => blanks += w,
        }
    }
    let totals: Vec<(CandidateId, u128)> = standing.iter().map(|&c| (c, totals[c])).collect();
    let method = if seats == 1 { "plurality" } else { "plurality-top" };
    let mut t = one_round(
        method,
        &profile.candidates,
        seats,
        totals,
        "First preferences counted",
        tie,
    );
    let not_counted = overvotes + blanks;
    if not_counted > 0 {
        t.rounds[0].exhausted = Some(not_counted.to_string());
        t.notes.push(format!(
            "{not_counted} ballots were not counted: {overvotes} named several candidates first (overvote), \
             {blanks} named none."
        ));
    }
    Ok(t)
}

/// Block plurality: each ballot marks (score above 0) up to `seats` candidates and each mark
/// counts one; a ballot marking more is void. The `seats` highest win.
pub fn block(
    ballots: &[ScoreBallot],
    candidates: &[String],
    seats: usize,
    tie: &TieBreak,
) -> Result<Transcript, TallyError> {
    ScoreBallot::check(ballots, candidates.len())?;
    check_seats(seats, candidates.len())?;
    let mut totals = vec![0u128; candidates.len()];
    let mut void = 0u128;
    for b in ballots {
        let mut marked: Vec<CandidateId> = b.scores.iter().filter(|(_, s)| *s > 0).map(|&(c, _)| c).collect();
        marked.sort_unstable();
        marked.dedup();
        if marked.len() > seats {
            void += u128::from(b.weight);
            continue;
        }
        for c in marked {
            totals[c] += u128::from(b.weight);
        }
    }
    let totals = totals.into_iter().enumerate().collect();
    let mut t = one_round("block-plurality", candidates, seats, totals, "Marks counted", tie);
    if void > 0 {
        t.rounds[0].exhausted = Some(void.to_string());
        t.notes.push(format!(
            "{void} ballots marked more than {seats} candidates and were void."
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("C{i}")).collect()
    }

    #[test]
    fn overvotes_and_withdrawn_candidates_are_handled() {
        let mut p = Profile::new("t", names(3), 1);
        p.withdrawn = vec![2];
        p.ballots = crate::ballot::Ballots::from(vec![
            Ballot::ranking(2, &[2, 1]),
            Ballot {
                weight: 3,
                ranks: vec![vec![], vec![0, 1]],
            },
            Ballot::ranking(1, &[0]),
        ]);
        let t = count(&p, 1, &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.rounds[0].totals, vec![(0, "1".into()), (1, "2".into())]);
        assert_eq!(t.rounds[0].exhausted.as_deref(), Some("3"));
        assert_eq!(t.winners, vec![1]);
    }

    #[test]
    fn block_voids_ballots_with_too_many_marks() {
        let ballots = [
            ScoreBallot::approving(2, &[0, 1]),
            ScoreBallot::approving(5, &[0, 1, 2]),
        ];
        let t = block(&ballots, &names(3), 2, &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.rounds[0].exhausted.as_deref(), Some("5"));
        assert_eq!(t.winners, vec![1, 0]);
        assert_eq!(t.rounds[0].ties.len(), 0);
    }

    #[test]
    fn seats_beyond_the_candidates_are_refused() {
        let p = Profile::new("t", names(2), 1);
        assert!(count(&p, 3, &TieBreak::candidate_order(2)).is_err());
    }
}
