//! Instant-runoff voting (IRV, "ranked-choice voting"): one winner, METHODS.md §2.5.
//!
//! Each round, every ballot that is not exhausted counts for its highest-ranked continuing
//! candidate. A candidate with more than half of the votes counted in the round (the RCTab
//! whole-number threshold ⌊active/2⌋ + 1) wins; otherwise the lowest candidate is excluded
//! (or, with batch elimination, every candidate who could not catch up even with all the votes
//! of those below), and the count goes on. Exhausted ballots leave the denominator.
//!
//! The ballot-handling rules that decide real elections are options ([`IrvOptions`]):
//! overvotes (a rank naming several candidates), skipped ranks, a candidate ranked twice, and
//! undeclared write-ins. Each ballot is read afresh every round from its first rank, exactly as
//! RCTab does, so an exhausted ballot stays exhausted and a rule such as "exhaust if the rank
//! names two continuing candidates" is applied to the candidates continuing when the ballot
//! reaches that rank.
//!
//! Ties for last place are broken backwards (the candidate lowest at the most recent earlier
//! round where the tied candidates differed; RCTab `previousRoundCountsThenRandom`), then by
//! the declared [`TieBreak`]. When two candidates remain tied, the same rule picks the winner.

use crate::ballot::{CandidateId, Profile};
use crate::tie::{TieBreak, backwards_highest, backwards_lowest};
use crate::transcript::{Round, TallyError, TieNote, Transcript, check_seats};

/// What to do with a rank that names two or more candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OvervoteRule {
    /// The ballot is exhausted when the count reaches that rank (RCTab `exhaustImmediately`,
    /// Minneapolis 2013).
    #[default]
    Exhaust,
    /// The rank is passed over as if it were blank (RCTab `alwaysSkipToNextRank`, 2017).
    Skip,
    /// The ballot is exhausted if the rank names two or more *continuing* candidates; with only
    /// one continuing it counts for that one (RCTab `exhaustIfMultipleContinuing`, Burlington).
    /// Once exhausted it stays exhausted.
    ExhaustIfMultipleContinuing,
}

/// What to do when a ballot ranks a candidate it already ranked higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicateRule {
    /// The repeated mark is simply passed over.
    #[default]
    Skip,
    /// The ballot is exhausted when the count reaches the repeated mark (RCTab
    /// `exhaustOnDuplicateCandidate`).
    Exhaust,
}

/// How many votes win a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Threshold {
    /// More than half of the votes counted for continuing candidates in this round:
    /// ⌊active/2⌋ + 1 (RCTab's whole-number threshold).
    #[default]
    Majority,
}

/// The ballot-handling rules of an IRV count. `Default` gives: overvotes exhaust the ballot,
/// any number of skipped ranks, repeated candidates passed over, one exclusion per round, no
/// undeclared write-ins.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IrvOptions {
    pub overvote: OvervoteRule,
    /// The largest number of consecutive skipped (empty) ranks a ballot may have before its
    /// next mark; more, and the ballot is exhausted when the count reaches that mark. `None`:
    /// no limit (RCTab `maxSkippedRanksAllowed`; 1 in Minneapolis).
    pub max_skipped_ranks: Option<usize>,
    pub duplicate: DuplicateRule,
    /// Exclude together every candidate in the largest bottom group whose combined votes are
    /// fewer than the next candidate's total (RCTab `batchElimination`).
    pub batch_elimination: bool,
    pub threshold: Threshold,
    /// Pseudo-candidates standing for undeclared write-ins: they can never win, and they are
    /// all excluded in the first round, before anyone can be elected (RCTab). One with no
    /// first-round votes is left out of the count altogether.
    pub write_ins: Vec<CandidateId>,
}

/// Why a ballot stopped counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inactive {
    Overvote,
    SkippedRanks,
    Repeated,
    NoMoreChoices,
}

const INACTIVE_KINDS: [(Inactive, &str); 4] = [
    (Inactive::Overvote, "overvote"),
    (Inactive::SkippedRanks, "skipped ranks"),
    (Inactive::Repeated, "repeated candidate"),
    (Inactive::NoMoreChoices, "no continuing choice left"),
];

#[derive(Debug, Clone, Copy)]
enum State {
    Blank,
    Counting(Option<CandidateId>),
    Exhausted(Inactive),
}

/// Counts `profile` by instant-runoff. One candidate is elected whatever `profile.seats` says;
/// withdrawn candidates are passed over on every ballot.
///
/// # Errors
/// No standing candidate, or a ballot naming a candidate that does not exist.
pub fn count(profile: &Profile, options: &IrvOptions, tie: &TieBreak) -> Result<Transcript, TallyError> {
    let n = profile.candidates.len();
    for ballot in &profile.ballots {
        if let Some(&c) = ballot.ranks.iter().flatten().find(|&&c| c >= n) {
            return Err(TallyError::UnknownCandidate {
                candidate: c,
                candidates: n,
            });
        }
    }
    if let Some(&c) = options.write_ins.iter().find(|&&c| c >= n) {
        return Err(TallyError::UnknownCandidate {
            candidate: c,
            candidates: n,
        });
    }
    let mut continuing: Vec<bool> = (0..n).map(|c| profile.is_standing(c)).collect();
    let declared = (0..n)
        .filter(|&c| continuing[c] && !options.write_ins.contains(&c))
        .count();
    check_seats(1, declared)?;

    let mut t = Transcript::new("irv", profile.candidates.clone(), 1);
    notes(&mut t, profile, options);
    let mut states: Vec<State> = profile
        .ballots
        .iter()
        .map(|b| {
            if b.weight == 0 || b.ranks.iter().all(Vec::is_empty) {
                State::Blank
            } else {
                State::Counting(None)
            }
        })
        .collect();
    let blank: u128 = profile
        .ballots
        .iter()
        .zip(&states)
        .filter(|(_, s)| matches!(s, State::Blank))
        .map(|(b, _)| u128::from(b.weight))
        .sum();
    if blank > 0 {
        t.notes
            .push(format!("{blank} blank ballots (no marks) are not counted."));
    }

    let mut history: Vec<Vec<u128>> = Vec::new();
    loop {
        let number = history.len() + 1;
        let (tally, inactive) = tally_round(profile, options, &continuing, &mut states);
        if number == 1 {
            for &w in &options.write_ins {
                if continuing[w] && tally[w] == 0 {
                    continuing[w] = false;
                    t.notes.push(format!(
                        "Undeclared write-in {} received no votes and is left out of the count.",
                        t.name(w)
                    ));
                }
            }
        }
        history.push(tally.clone());
        let active: u128 = (0..n).filter(|&c| continuing[c]).map(|c| tally[c]).sum();
        let threshold = match options.threshold {
            Threshold::Majority => active / 2 + 1,
        };
        let mut round = Round::new(number, "");
        round.totals = (0..n)
            .filter(|&c| continuing[c])
            .map(|c| (c, tally[c].to_string()))
            .collect();
        round.exhausted = Some(inactive.iter().map(|(_, v)| v).sum::<u128>().to_string());
        let mut action = format!("Threshold {threshold} (more than half of {active} votes)");

        let live_write_ins: Vec<CandidateId> = options
            .write_ins
            .iter()
            .copied()
            .filter(|&w| continuing[w])
            .collect();
        let cont: Vec<CandidateId> = (0..n)
            .filter(|&c| continuing[c] && !options.write_ins.contains(&c))
            .collect();
        let top = cont
            .iter()
            .copied()
            .max_by_key(|&c| (tally[c], std::cmp::Reverse(c)));
        let mut winner = None;
        if !live_write_ins.is_empty() {
            action += &format!(
                "; undeclared write-ins excluded first: {}",
                names(&t, &live_write_ins)
            );
            exclude(&mut continuing, &mut round, &live_write_ins);
        } else if cont.len() == 1 {
            winner = cont.first().copied();
            action += "; only one candidate continues";
        } else if let Some(top) = top.filter(|&c| tally[c] >= threshold) {
            winner = Some(top);
            action += &format!("; {} reaches it with {}", t.name(top), tally[top]);
        } else if cont.len() == 2 {
            // Two candidates left and neither has a majority: they are tied.
            let w = break_tie(&history[..history.len() - 1], &cont, true, tie, &mut round);
            action += &format!("; the last two are tied and {} wins the tie", t.name(w));
            winner = Some(w);
        } else {
            let batch = if options.batch_elimination {
                batch_losers(&cont, &tally)
            } else {
                Vec::new()
            };
            if batch.len() > 1 {
                action += &format!("; batch exclusion of {}", names(&t, &batch));
                exclude(&mut continuing, &mut round, &batch);
            } else {
                let low = cont.iter().map(|&c| tally[c]).min().unwrap_or(0);
                let lowest: Vec<CandidateId> = cont.iter().copied().filter(|&c| tally[c] == low).collect();
                let loser = break_tie(&history[..history.len() - 1], &lowest, false, tie, &mut round);
                action += &format!("; {} excluded with {low}", t.name(loser));
                exclude(&mut continuing, &mut round, &[loser]);
            }
        }
        let inactive_text: Vec<String> = inactive
            .iter()
            .filter(|(_, v)| *v > 0)
            .map(|(name, v)| format!("{v} {name}"))
            .collect();
        if !inactive_text.is_empty() {
            action += &format!(" (inactive ballots: {})", inactive_text.join(", "));
        }
        round.action = action;
        if let Some(w) = winner {
            round.elected.push(w);
            t.rounds.push(round);
            t.winners.push(w);
            return Ok(t);
        }
        t.rounds.push(round);
    }
}

fn notes(t: &mut Transcript, profile: &Profile, options: &IrvOptions) {
    t.notes.push(
        "Instant-runoff: a candidate with more than half of the round's counted votes \
         (floor(active/2) + 1) wins; exhausted ballots leave the count."
            .into(),
    );
    let overvote = match options.overvote {
        OvervoteRule::Exhaust => "a rank naming several candidates exhausts the ballot",
        OvervoteRule::Skip => "a rank naming several candidates is skipped",
        OvervoteRule::ExhaustIfMultipleContinuing => {
            "a rank naming two or more continuing candidates exhausts the ballot for good"
        }
    };
    let skipped = match options.max_skipped_ranks {
        Some(k) => format!("more than {k} skipped rank(s) in a row exhaust the ballot"),
        None => "skipped ranks are passed over".into(),
    };
    let duplicate = match options.duplicate {
        DuplicateRule::Skip => "a repeated candidate is passed over",
        DuplicateRule::Exhaust => "a repeated candidate exhausts the ballot",
    };
    t.notes
        .push(format!("Ballot rules: {overvote}; {skipped}; {duplicate}."));
    if options.batch_elimination {
        t.notes.push(
            "Batch elimination: every candidate of the largest bottom group whose combined \
             votes are fewer than the next candidate's is excluded at once."
                .into(),
        );
    }
    for &w in &profile.withdrawn {
        if w < t.candidates.len() {
            t.notes.push(format!(
                "{} withdrew and is passed over on every ballot.",
                t.name(w)
            ));
        }
    }
    t.notes.push(
        "Ties for last place are broken backwards (lowest at the most recent earlier round \
         where the tied candidates differed), then by the declared tie-break order."
            .into(),
    );
}

fn names(t: &Transcript, cs: &[CandidateId]) -> String {
    cs.iter().map(|&c| t.name(c)).collect::<Vec<_>>().join(", ")
}

fn exclude(continuing: &mut [bool], round: &mut Round, cs: &[CandidateId]) {
    for &c in cs {
        continuing[c] = false;
        round.excluded.push(c);
    }
}

/// Counts one round: each ballot keeps its candidate while that one continues, otherwise is
/// read again from the first rank. Returns the totals by candidate and the inactive ballots by
/// cause.
fn tally_round(
    profile: &Profile,
    options: &IrvOptions,
    continuing: &[bool],
    states: &mut [State],
) -> (Vec<u128>, Vec<(&'static str, u128)>) {
    let mut tally = vec![0u128; profile.candidates.len()];
    let mut inactive: Vec<(&'static str, u128)> = INACTIVE_KINDS.iter().map(|&(_, name)| (name, 0)).collect();
    for (ballot, state) in profile.ballots.iter().zip(states.iter_mut()) {
        let weight = u128::from(ballot.weight);
        if let State::Counting(current) = *state {
            let next = match current {
                Some(c) if continuing[c] => Ok(c),
                _ => scan(&ballot.ranks, continuing, options),
            };
            *state = match next {
                Ok(c) => State::Counting(Some(c)),
                Err(why) => State::Exhausted(why),
            };
        }
        match *state {
            State::Counting(Some(c)) => tally[c] += weight,
            State::Exhausted(why) => {
                if let Some(i) = INACTIVE_KINDS.iter().position(|&(k, _)| k == why) {
                    inactive[i].1 += weight;
                }
            }
            State::Blank | State::Counting(None) => {}
        }
    }
    (tally, inactive)
}

/// Reads a ballot from its first rank and returns the candidate it counts for, or why it is
/// exhausted (RCTab's order of checks: skipped ranks, repeated candidate, overvote).
fn scan(
    ranks: &[Vec<CandidateId>],
    continuing: &[bool],
    options: &IrvOptions,
) -> Result<CandidateId, Inactive> {
    let mut skipped = 0usize;
    let mut seen: Vec<CandidateId> = Vec::new();
    for rank in ranks {
        if rank.is_empty() {
            skipped += 1;
            continue;
        }
        if options.max_skipped_ranks.is_some_and(|max| skipped > max) {
            return Err(Inactive::SkippedRanks);
        }
        skipped = 0;
        let mut marks: Vec<CandidateId> = Vec::with_capacity(rank.len());
        for &c in rank {
            if !marks.contains(&c) {
                marks.push(c);
            }
        }
        for &c in &marks {
            if seen.contains(&c) {
                if options.duplicate == DuplicateRule::Exhaust {
                    return Err(Inactive::Repeated);
                }
            } else {
                seen.push(c);
            }
        }
        let live: Vec<CandidateId> = marks.iter().copied().filter(|&c| continuing[c]).collect();
        if marks.len() > 1 {
            match options.overvote {
                OvervoteRule::Exhaust => return Err(Inactive::Overvote),
                OvervoteRule::Skip => continue,
                OvervoteRule::ExhaustIfMultipleContinuing if live.len() > 1 => {
                    return Err(Inactive::Overvote);
                }
                OvervoteRule::ExhaustIfMultipleContinuing => {}
            }
        }
        if let Some(&c) = live.first() {
            return Ok(c);
        }
    }
    Err(Inactive::NoMoreChoices)
}

/// RCTab batch elimination: going up from the lowest total, the candidates seen so far are all
/// excluded whenever their combined votes are fewer than the next total. Returns every
/// candidate so excluded (possibly none).
fn batch_losers(cont: &[CandidateId], tally: &[u128]) -> Vec<CandidateId> {
    let mut sorted: Vec<CandidateId> = cont.to_vec();
    sorted.sort_by_key(|&c| (tally[c], c));
    let mut losers = Vec::new();
    let mut running = 0u128;
    let mut i = 0;
    while i < sorted.len() {
        let level = tally[sorted[i]];
        if running < level {
            losers = sorted[..i].to_vec();
        }
        while i < sorted.len() && tally[sorted[i]] == level {
            running += level;
            i += 1;
        }
    }
    losers
}

/// Picks the loser (or, with `for_winner`, the winner) of a tie: backwards through the earlier
/// rounds, then by the declared order. Records the tie in the round.
fn break_tie(
    earlier: &[Vec<u128>],
    tied: &[CandidateId],
    for_winner: bool,
    tie: &TieBreak,
    round: &mut Round,
) -> CandidateId {
    if let [only] = tied {
        return *only;
    }
    let back = |h: &[Vec<u128>]| {
        if for_winner {
            backwards_highest(h, tied)
        } else {
            backwards_lowest(h, tied)
        }
    };
    let narrowed = back(earlier);
    let (chosen, how) = if let [c] = narrowed[..] {
        // The round that decided it: the shortest recent stretch of rounds that breaks the tie.
        let decided = (0..earlier.len()).rev().find(|&s| back(&earlier[s..]).len() == 1);
        (c, format!("backwards (round {})", decided.map_or(0, |s| s + 1)))
    } else {
        let c = if for_winner {
            tie.winner(&narrowed)
        } else {
            tie.loser(&narrowed)
        };
        let how = if narrowed.len() < tied.len() {
            "backwards, then tie-break order"
        } else {
            "tie-break order"
        };
        (c, how.to_string())
    };
    round.ties.push(TieNote {
        tied: tied.to_vec(),
        chosen,
        how,
    });
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    fn profile(cands: &[&str], ballots: Vec<Ballot>) -> Profile {
        let mut p = Profile::new("t", cands.iter().map(|s| s.to_string()).collect(), 1);
        p.ballots = ballots;
        p
    }

    #[test]
    fn batch_excludes_the_largest_group_that_cannot_catch_up() {
        // Totals 1, 2, 4, 20: 1 < 2, 3 < 4, 7 < 20 → the three lowest go together.
        assert_eq!(batch_losers(&[0, 1, 2, 3], &[20, 4, 2, 1]), vec![3, 2, 1]);
        // 5, 5, 9: 0 < 5 (nothing seen yet), 10 ≥ 9 → no batch.
        assert!(batch_losers(&[0, 1, 2], &[5, 5, 9]).is_empty());
    }

    #[test]
    fn skipped_ranks_and_overvotes_follow_the_options() {
        let cont = vec![true, true, true];
        let ranks = vec![vec![], vec![], vec![1]];
        let mut o = IrvOptions {
            max_skipped_ranks: Some(1),
            ..IrvOptions::default()
        };
        assert_eq!(scan(&ranks, &cont, &o), Err(Inactive::SkippedRanks));
        o.max_skipped_ranks = Some(2);
        assert_eq!(scan(&ranks, &cont, &o), Ok(1));
        let over = vec![vec![0, 1], vec![2]];
        assert_eq!(scan(&over, &cont, &o), Err(Inactive::Overvote));
        o.overvote = OvervoteRule::Skip;
        assert_eq!(scan(&over, &cont, &o), Ok(2));
        o.overvote = OvervoteRule::ExhaustIfMultipleContinuing;
        assert_eq!(scan(&over, &[true, false, true], &o), Ok(0));
        assert_eq!(scan(&over, &[false, false, true], &o), Ok(2));
        let dup = vec![vec![0], vec![0], vec![1]];
        assert_eq!(scan(&dup, &[false, true, true], &o), Ok(1));
        o.duplicate = DuplicateRule::Exhaust;
        assert_eq!(scan(&dup, &[false, true, true], &o), Err(Inactive::Repeated));
    }

    #[test]
    fn an_exhausted_ballot_stays_exhausted() {
        // A=B at rank 1 exhausts the ballot in round 1; it never comes back to B.
        let p = profile(
            &["A", "B", "C"],
            vec![
                Ballot {
                    weight: 1,
                    ranks: vec![vec![0, 1]],
                },
                Ballot::ranking(2, &[1]),
                { Ballot::ranking(2, &[2]) },
            ],
        );
        let o = IrvOptions {
            overvote: OvervoteRule::ExhaustIfMultipleContinuing,
            ..IrvOptions::default()
        };
        let t = count(&p, &o, &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.rounds[0].exhausted.as_deref(), Some("1"));
        assert_eq!(t.total(2, 1), Some("2"));
    }

    #[test]
    fn a_last_two_tie_is_broken_backwards() {
        // Round 1: A 3, B 2, C 1 (C → B). Round 2: A 3, B 3: A was ahead in round 1.
        let p = profile(
            &["A", "B", "C"],
            vec![
                Ballot::ranking(3, &[0]),
                Ballot::ranking(2, &[1]),
                Ballot::ranking(1, &[2, 1]),
            ],
        );
        let t = count(&p, &IrvOptions::default(), &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.winners, vec![0]);
        assert_eq!(t.rounds[1].ties[0].how, "backwards (round 1)");
    }

    #[test]
    fn unknown_candidates_are_refused() {
        let p = profile(&["A"], vec![Ballot::ranking(1, &[3])]);
        assert!(count(&p, &IrvOptions::default(), &TieBreak::candidate_order(1)).is_err());
    }
}
