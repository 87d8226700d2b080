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
//! Identical ballots are counted once with their number, and each candidate keeps the list
//! of ballots counting for them, so a round reads only the ballots of the candidates just
//! excluded; which is the same as reading every ballot afresh, since a ballot counting for a
//! continuing candidate would find that candidate again. A ballot that only ever names one
//! candidate per rank, skips no rank and repeats no one reads on from where it stopped, as
//! every candidate before that point is out of the count for good.
//!
//! Ties for last place are broken backwards (the candidate lowest at the most recent earlier
//! round where the tied candidates differed; RCTab `previousRoundCountsThenRandom`), then by
//! the declared [`TieBreak`]. When two candidates remain tied, the same rule picks the winner.

use crate::ballot::{CandidateId, EQUAL, Profile, SKIP, mark_candidate, merge, unmerged};
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
    Overvote = 0,
    SkippedRanks = 1,
    Repeated = 2,
    NoMoreChoices = 3,
}

/// The causes in the order the transcript gives them, indexed by `Inactive as usize`.
const INACTIVE_NAMES: [&str; 4] = [
    "overvote",
    "skipped ranks",
    "repeated candidate",
    "no continuing choice left",
];

/// Counts `profile` by instant-runoff. One candidate is elected whatever `profile.seats` says;
/// withdrawn candidates are passed over on every ballot.
///
/// # Errors
/// No standing candidate, or a ballot naming a candidate that does not exist.
pub fn count(profile: &Profile, options: &IrvOptions, tie: &TieBreak) -> Result<Transcript, TallyError> {
    count_with(profile, options, tie, true)
}

/// As [`count`]; with `merge_identical` false every ballot line is counted on its own.
fn count_with(
    profile: &Profile,
    options: &IrvOptions,
    tie: &TieBreak,
    merge_identical: bool,
) -> Result<Transcript, TallyError> {
    let n = profile.candidates.len();
    if let Some(c) = profile.ballots.first_unknown(n) {
        return Err(TallyError::UnknownCandidate {
            candidate: c,
            candidates: n,
        });
    }
    if let Some(&c) = options.write_ins.iter().find(|&&c| c >= n) {
        return Err(TallyError::UnknownCandidate {
            candidate: c,
            candidates: n,
        });
    }
    let mut continuing: Vec<bool> = profile.standing_mask();
    let declared = (0..n)
        .filter(|&c| continuing[c] && !options.write_ins.contains(&c))
        .count();
    check_seats(1, declared)?;

    let mut t = Transcript::new("irv", profile.candidates.clone(), 1);
    notes(&mut t, profile, options);
    let mut board = Board::new(profile, options, merge_identical, &continuing);
    if board.blank > 0 {
        t.notes.push(format!(
            "{} blank ballots (no marks) are not counted.",
            board.blank
        ));
    }

    let mut history: Vec<Vec<u128>> = Vec::new();
    loop {
        let number = history.len() + 1;
        let tally = &board.tally;
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
        round.exhausted = Some(board.inactive.iter().sum::<u128>().to_string());
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
        let mut excluded: Vec<CandidateId> = Vec::new();
        if !live_write_ins.is_empty() {
            action += &format!(
                "; undeclared write-ins excluded first: {}",
                names(&t, &live_write_ins)
            );
            excluded = live_write_ins;
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
                batch_losers(&cont, tally)
            } else {
                Vec::new()
            };
            if batch.len() > 1 {
                action += &format!("; batch exclusion of {}", names(&t, &batch));
                excluded = batch;
            } else {
                let low = cont.iter().map(|&c| tally[c]).min().unwrap_or(0);
                let lowest: Vec<CandidateId> = cont.iter().copied().filter(|&c| tally[c] == low).collect();
                let loser = break_tie(&history[..history.len() - 1], &lowest, false, tie, &mut round);
                action += &format!("; {} excluded with {low}", t.name(loser));
                excluded = vec![loser];
            }
        }
        let inactive_text: Vec<String> = INACTIVE_NAMES
            .iter()
            .zip(&board.inactive)
            .filter(|(_, v)| **v > 0)
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
        for &c in &excluded {
            continuing[c] = false;
            round.excluded.push(c);
        }
        board.transfer(&excluded, &continuing);
        t.rounds.push(round);
    }
}

/// The ballots as the count goes: identical ones merged, each counting for a candidate (on
/// that candidate's pile) or inactive.
struct Board<'a> {
    options: &'a IrvOptions,
    /// Every ballot's marks, one after another (see [`crate::ballot::Ballots`]).
    marks: &'a [u32],
    /// `piles[c]`: the ballots counting for `c`. Kept by value, so a transfer reads a pile
    /// in order.
    piles: Vec<Vec<Paper>>,
    tally: Vec<u128>,
    /// Inactive ballots by cause (`Inactive as usize`).
    inactive: [u128; 4],
    /// Ballots with no marks at all, never counted.
    blank: u128,
    /// Scratch space for [`scan`].
    scratch: Scratch,
}

/// One distinct ballot and how many were cast.
#[derive(Debug, Clone, Copy)]
struct Paper {
    /// Its marks are `marks[start..end]`.
    start: usize,
    end: usize,
    /// For a simple ballot: the index in `marks` of the candidate it counts for.
    at: usize,
    weight: u64,
    /// Whether it names one candidate per rank, skips no rank and repeats no one.
    simple: bool,
}

impl<'a> Board<'a> {
    /// The board, each distinct ballot that names someone on the pile of its first continuing
    /// choice (round 1).
    fn new(
        profile: &'a Profile,
        options: &'a IrvOptions,
        merge_identical: bool,
        continuing: &[bool],
    ) -> Self {
        let set = &profile.ballots;
        let n = profile.candidates.len();
        let marks = |i: usize| set.get(i).map_or(&[][..], |b| b.marks());
        let weight = |i: usize| set.get(i).map_or(0, |b| b.weight);
        let groups = if merge_identical {
            // A total beyond 64 bits is still counted, one line at a time.
            merge(set.len(), marks, weight).unwrap_or_else(|| unmerged(set.len(), weight))
        } else {
            unmerged(set.len(), weight)
        };
        let mut board = Board {
            options,
            marks: set.all_marks(),
            piles: vec![Vec::new(); n],
            tally: vec![0; n],
            inactive: [0; 4],
            blank: 0,
            scratch: Scratch::default(),
        };
        let mut seen = vec![0usize; n];
        for (g, &(i, w)) in groups.iter().enumerate() {
            let (start, end) = set.span(i);
            let m = &board.marks[start..end];
            if m.iter().all(|&x| x == SKIP) {
                board.blank += u128::from(w);
                continue;
            }
            let stamp = g + 1;
            let simple = m.iter().all(|&x| {
                // `x < n` (checked) unless it is a skip or an equal mark, which is not simple.
                x & EQUAL == 0 && std::mem::replace(&mut seen[x as usize], stamp) != stamp
            });
            let paper = Paper {
                start,
                end,
                at: start,
                weight: w,
                simple,
            };
            board.place(paper, start, continuing);
        }
        board
    }

    /// The candidates in `excluded` are out: their ballots move on.
    fn transfer(&mut self, excluded: &[CandidateId], continuing: &[bool]) {
        for &c in excluded {
            self.tally[c] = 0;
            for paper in std::mem::take(&mut self.piles[c]) {
                // A simple ballot reads on after its last choice; any other is read afresh.
                let from = if paper.simple { paper.at + 1 } else { paper.start };
                self.place(paper, from, continuing);
            }
        }
    }

    /// Puts a ballot on the pile of the candidate it counts for, reading from mark `from`.
    fn place(&mut self, mut paper: Paper, from: usize, continuing: &[bool]) {
        let found = if paper.simple {
            let rest = self.marks.get(from..paper.end).unwrap_or(&[]);
            match rest.iter().position(|&m| continuing[m as usize]) {
                Some(i) => {
                    paper.at = from + i;
                    Ok(self.marks[paper.at] as usize)
                }
                None => Err(Inactive::NoMoreChoices),
            }
        } else {
            scan(
                &self.marks[paper.start..paper.end],
                continuing,
                self.options,
                &mut self.scratch,
            )
        };
        let weight = u128::from(paper.weight);
        match found {
            Ok(c) => {
                self.tally[c] += weight;
                self.piles[c].push(paper);
            }
            Err(why) => self.inactive[why as usize] += weight,
        }
    }
}

/// Buffers [`scan`] reuses from one ballot to the next.
#[derive(Debug, Default)]
struct Scratch {
    seen: Vec<CandidateId>,
    marks: Vec<CandidateId>,
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

/// Reads a ballot (its marks, see [`crate::ballot::Ballots`]) from its first rank and returns
/// the candidate it counts for, or why it is exhausted (RCTab's order of checks: skipped
/// ranks, repeated candidate, overvote).
fn scan(
    ballot: &[u32],
    continuing: &[bool],
    options: &IrvOptions,
    scratch: &mut Scratch,
) -> Result<CandidateId, Inactive> {
    let mut skipped = 0usize;
    let seen = &mut scratch.seen;
    let marks = &mut scratch.marks;
    seen.clear();
    let mut i = 0;
    while i < ballot.len() {
        if ballot[i] == SKIP {
            skipped += 1;
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < ballot.len() && ballot[i] != SKIP && ballot[i] & EQUAL != 0 {
            i += 1;
        }
        if options.max_skipped_ranks.is_some_and(|max| skipped > max) {
            return Err(Inactive::SkippedRanks);
        }
        skipped = 0;
        marks.clear();
        for &m in &ballot[start..i] {
            let c = mark_candidate(m);
            if !marks.contains(&c) {
                marks.push(c);
            }
        }
        for &c in marks.iter() {
            if seen.contains(&c) {
                if options.duplicate == DuplicateRule::Exhaust {
                    return Err(Inactive::Repeated);
                }
            } else {
                seen.push(c);
            }
        }
        let mut live = marks.iter().copied().filter(|&c| continuing[c]);
        let first = live.next();
        if marks.len() > 1 {
            match options.overvote {
                OvervoteRule::Exhaust => return Err(Inactive::Overvote),
                OvervoteRule::Skip => continue,
                OvervoteRule::ExhaustIfMultipleContinuing if live.next().is_some() => {
                    return Err(Inactive::Overvote);
                }
                OvervoteRule::ExhaustIfMultipleContinuing => {}
            }
        }
        if let Some(c) = first {
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
        p.ballots = ballots.into();
        p
    }

    #[test]
    fn batch_excludes_the_largest_group_that_cannot_catch_up() {
        // Totals 1, 2, 4, 20: 1 < 2, 3 < 4, 7 < 20 → the three lowest go together.
        assert_eq!(batch_losers(&[0, 1, 2, 3], &[20, 4, 2, 1]), vec![3, 2, 1]);
        // 5, 5, 9: 0 < 5 (nothing seen yet), 10 ≥ 9 → no batch.
        assert!(batch_losers(&[0, 1, 2], &[5, 5, 9]).is_empty());
    }

    /// A ballot's marks, as a profile stores them.
    fn marks(ranks: &[Vec<CandidateId>]) -> Vec<u32> {
        let mut set = crate::ballot::Ballots::new();
        set.push_ranks(1, ranks);
        set.get(0).map(|b| b.marks().to_vec()).unwrap_or_default()
    }

    #[test]
    fn skipped_ranks_and_overvotes_follow_the_options() {
        let scan = |ranks: &[Vec<CandidateId>], cont: &[bool], o: &IrvOptions| {
            scan(&marks(ranks), cont, o, &mut Scratch::default())
        };
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
        assert_eq!(scan(&over, &[true, true, true], &o), Err(Inactive::Overvote));
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

    proptest::proptest! {
        #[test]
        fn merging_identical_ballots_changes_no_count(
            p in crate::method::arbitrary::profile(5, false),
            overvote in proptest::sample::select(vec![
                OvervoteRule::Exhaust,
                OvervoteRule::Skip,
                OvervoteRule::ExhaustIfMultipleContinuing,
            ]),
            max_skipped_ranks in proptest::option::of(0usize..2),
            duplicate in proptest::sample::select(vec![DuplicateRule::Skip, DuplicateRule::Exhaust]),
            batch_elimination: bool,
            write_in: bool,
        ) {
            let options = IrvOptions {
                overvote,
                max_skipped_ranks,
                duplicate,
                batch_elimination,
                write_ins: if write_in { vec![p.candidates.len() - 1] } else { Vec::new() },
                ..IrvOptions::default()
            };
            let tie = TieBreak::candidate_order(p.candidates.len());
            let merged = count_with(&p, &options, &tie, true);
            proptest::prop_assert_eq!(&merged, &count_with(&p, &options, &tie, false));
            // And the ballots in reverse order.
            let mut q = p.clone();
            q.ballots = p.ballots.iter().rev().map(|b| b.to_ballot()).collect();
            proptest::prop_assert_eq!(merged, count_with(&q, &options, &tie, false));
        }
    }
}
