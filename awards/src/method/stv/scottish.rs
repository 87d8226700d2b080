//! Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), rules
//! 45–52, a weighted inclusive Gregory method counted to five decimal places (METHODS.md §2.6).
//!
//! * Quota (rule 46): ⌊valid ballots / (seats + 1)⌋ + 1, a whole number.
//! * A candidate whose votes reach the quota at the end of a stage is elected (rule 47).
//! * Surpluses (rules 48–49) are transferred one per stage, largest first. **Every** ballot
//!   paper credited to the candidate moves on to its next continuing preference with the new
//!   value `value × surplus / votes`, computed from the exact product and truncated to five
//!   decimal places; papers with no further continuing preference become non-transferable.
//!   The candidate keeps exactly the quota. A candidate who reaches exactly the quota has no
//!   surplus, so no stage is spent on them (Droop's reference count spends an empty stage).
//! * Only when no surplus is left, the continuing candidate with the fewest votes is excluded
//!   and all their papers move on at their current values (rule 50).
//! * Ties (equal surpluses, or equal lowest for exclusion; rules 49(2)–(3) and 51): the
//!   candidate highest (lowest) at the most recent earlier stage where the tied candidates had
//!   a single highest (lowest) one, as in Droop's `scotland.py`; failing that, by lot, which
//!   here is the declared [`TieBreak`]: the candidate earliest in its order has their surplus
//!   transferred first, or is excluded.
//! * The count stops when every seat is filled or when the continuing candidates are no more
//!   than the seats left, who are then all elected (rule 52).
//!
//! This reproduces Droop's reference reports for all 21 Glasgow wards of 2007, stage by stage.
//!
//! Identical ballots are counted as one group of papers with their number (see
//! [`super::ballots`]), and each candidate keeps the list of the groups credited to them, so a
//! transfer touches only the papers it moves.

use super::ballots::{Prepared, names, prepare_with};
use crate::ballot::{CandidateId, Profile};
use crate::number::Fixed;
use crate::tie::TieBreak;
use crate::transcript::{Round, TallyError, TieNote, Transcript};

/// Votes and ballot-paper values: five decimal places, truncated.
type Votes = Fixed<5>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Hopeful,
    Elected,
    Excluded,
    Withdrawn,
}

/// Identical ballot papers: they always move together and carry the same value.
#[derive(Debug, Clone, Copy)]
struct Papers {
    weight: u64,
    /// Index in the count's `prefs` of the candidate they are credited to; `end` when
    /// non-transferable.
    at: usize,
    /// Where their preferences end in `prefs`.
    end: usize,
    value: Votes,
}

struct Count<'a> {
    names: &'a [String],
    prefs: &'a [u32],
    seats: usize,
    quota: Votes,
    status: Vec<Status>,
    votes: Vec<Votes>,
    /// `piles[c]`: the papers credited to candidate `c`, kept by value so that a transfer
    /// reads a pile in order.
    piles: Vec<Vec<Papers>>,
    nontransferable: Votes,
    /// Every candidate's votes at the end of each stage, oldest first.
    history: Vec<Vec<Votes>>,
    /// Elected candidates whose surplus is still to be transferred.
    pending: Vec<CandidateId>,
    winners: Vec<CandidateId>,
    rounds: Vec<Round>,
}

/// Counts `profile` by the Scottish STV rules, filling `profile.seats` seats.
///
/// # Errors
/// No standing candidate, more seats than standing candidates, a ballot naming an unknown
/// candidate, or a ballot ranking candidates equally.
pub fn count(profile: &Profile, tie: &TieBreak) -> Result<Transcript, TallyError> {
    count_with(profile, tie, true)
}

/// As [`count`]; with `merge_identical` false every ballot line is counted as its own group.
fn count_with(profile: &Profile, tie: &TieBreak, merge_identical: bool) -> Result<Transcript, TallyError> {
    let prepared = prepare_with(profile, merge_identical)?;
    let n = profile.candidates.len();
    let seats = profile.seats;
    let quota = Votes::from_int(prepared.valid / (seats as u64 + 1) + 1);
    let status = (0..n)
        .map(|c| {
            if profile.is_standing(c) {
                Status::Hopeful
            } else {
                Status::Withdrawn
            }
        })
        .collect();
    let mut count = Count {
        names: &profile.candidates,
        prefs: prepared.all_prefs(),
        seats,
        quota,
        status,
        votes: vec![Votes::zero(); n],
        piles: vec![Vec::new(); n],
        nontransferable: Votes::zero(),
        history: Vec::new(),
        pending: Vec::new(),
        winners: Vec::new(),
        rounds: Vec::new(),
    };
    for p in papers(&prepared) {
        // Every group has a first preference (prepare drops empty ballots).
        if let Some(&first) = count.prefs.get(p.at) {
            let c = first as usize;
            count.votes[c] += p.value.mul_int(p.weight);
            count.piles[c].push(p);
        }
    }
    count.end_stage(Round::new(1, "First preferences counted"));
    while !count.complete() {
        let mut round = Round::new(count.rounds.len() + 1, "");
        if let Some(c) = count.pick(&count.pending.clone(), true, tie, &mut round) {
            count.pending.retain(|&p| p != c);
            round.action = count.transfer_surplus(c);
        } else {
            let hopeful = count.with_status(Status::Hopeful);
            let low = hopeful.iter().map(|&c| count.votes[c]).min().unwrap_or_default();
            let lowest: Vec<CandidateId> = hopeful.into_iter().filter(|&c| count.votes[c] == low).collect();
            let Some(c) = count.pick(&lowest, false, tie, &mut round) else {
                break;
            };
            round.action = count.exclude(c);
            round.excluded.push(c);
        }
        count.end_stage(round);
    }
    count.fill_last_vacancies();

    let mut t = Transcript::new("stv-scottish", profile.candidates.clone(), seats);
    t.notes.push(format!(
        "Scottish STV (SSI 2007/42 rules 45-52): {} valid ballots, {seats} seats, quota {} \
         (floor({}/{}) + 1); values truncated to 5 decimal places.",
        prepared.valid,
        quota,
        prepared.valid,
        seats + 1
    ));
    t.notes.push(
        "Ties: the most recent earlier stage at which one tied candidate was highest (surplus) \
         or lowest (exclusion), then by lot: the candidate earliest in the tie-break order."
            .into(),
    );
    for &w in &profile.withdrawn {
        if w < n {
            t.notes.push(format!(
                "{} withdrew and is passed over on every ballot.",
                t.name(w)
            ));
        }
    }
    t.rounds = count.rounds;
    t.winners = count.winners;
    Ok(t)
}

/// One group of papers per distinct ballot, at value 1, credited to its first preference.
fn papers(prepared: &Prepared) -> impl Iterator<Item = Papers> + '_ {
    prepared.groups.iter().map(|&(i, weight)| {
        let (at, end) = prepared.span(i);
        Papers {
            weight,
            at,
            end,
            value: Votes::one(),
        }
    })
}

impl Count<'_> {
    fn with_status(&self, s: Status) -> Vec<CandidateId> {
        (0..self.status.len()).filter(|&c| self.status[c] == s).collect()
    }

    fn seats_left(&self) -> usize {
        self.seats.saturating_sub(self.winners.len())
    }

    /// Rule 52 and a full council: nothing left to decide.
    fn complete(&self) -> bool {
        self.seats_left() == 0 || self.with_status(Status::Hopeful).len() <= self.seats_left()
    }

    /// Records the stage: its totals, then elects every hopeful candidate at the quota,
    /// highest first.
    fn end_stage(&mut self, mut round: Round) {
        self.history.push(self.votes.clone());
        let mut reached: Vec<CandidateId> = self
            .with_status(Status::Hopeful)
            .into_iter()
            .filter(|&c| self.votes[c] >= self.quota)
            .collect();
        reached.sort_by_key(|&c| (std::cmp::Reverse(self.votes[c]), c));
        for &c in &reached {
            self.status[c] = Status::Elected;
            self.winners.push(c);
            if self.votes[c] > self.quota {
                self.pending.push(c);
            }
        }
        if !reached.is_empty() {
            round.action += &format!("; {} elected", names(self.names, &reached));
        }
        round.elected = reached;
        round.totals = (0..self.status.len())
            .filter(|&c| self.status[c] != Status::Withdrawn)
            .map(|c| (c, self.votes[c].to_string()))
            .collect();
        round.exhausted = Some(self.nontransferable.to_string());
        self.rounds.push(round);
    }

    /// Rule 52: when the continuing candidates are no more than the seats left, they are all
    /// elected (in order of votes) at the last stage.
    fn fill_last_vacancies(&mut self) {
        let mut rest = self.with_status(Status::Hopeful);
        if rest.is_empty() || rest.len() > self.seats_left() {
            return;
        }
        rest.sort_by_key(|&c| (std::cmp::Reverse(self.votes[c]), c));
        for &c in &rest {
            self.status[c] = Status::Elected;
            self.winners.push(c);
        }
        if let Some(last) = self.rounds.last_mut() {
            last.action += &format!(
                "; {} elected to fill the remaining seats (rule 52)",
                names(self.names, &rest)
            );
            last.elected.extend(&rest);
        }
    }

    /// Among `tied` (all with equal votes), the candidate whose surplus goes first
    /// (`highest`) or who is excluded: backwards through the stages, then by lot.
    fn pick(
        &self,
        tied: &[CandidateId],
        highest: bool,
        tie: &TieBreak,
        round: &mut Round,
    ) -> Option<CandidateId> {
        let top = if highest {
            tied.iter().map(|&c| self.votes[c]).max()?
        } else {
            tied.iter().map(|&c| self.votes[c]).min()?
        };
        let tied: Vec<CandidateId> = tied.iter().copied().filter(|&c| self.votes[c] == top).collect();
        if let [only] = tied[..] {
            return Some(only);
        }
        let (chosen, how) = match backwards(&self.history, &tied, highest) {
            Some((c, stage)) => (c, format!("backwards (stage {stage})")),
            None => (tie.loser(&tied), "by lot (tie-break order)".to_string()),
        };
        round.ties.push(TieNote { tied, chosen, how });
        Some(chosen)
    }

    /// Rules 48–49: every paper credited to `c` moves on at `value × surplus / votes`.
    fn transfer_surplus(&mut self, c: CandidateId) -> String {
        let total = self.votes[c];
        let surplus = total - self.quota;
        // Papers of one pile mostly share a few values: remember the last one worked out.
        let mut last = (Votes::zero(), transfer_value(Votes::zero(), surplus, total));
        for mut p in std::mem::take(&mut self.piles[c]) {
            if p.value != last.0 {
                last = (p.value, transfer_value(p.value, surplus, total));
            }
            p.value = last.1;
            self.move_on(p);
        }
        self.votes[c] = self.quota;
        format!(
            "Surplus of {} ({surplus}) transferred, each paper at its value x {surplus} / {total}",
            self.names[c]
        )
    }

    /// Rule 50: `c` is excluded and every paper credited to them moves on at its value.
    fn exclude(&mut self, c: CandidateId) -> String {
        let had = self.votes[c];
        self.status[c] = Status::Excluded;
        for p in std::mem::take(&mut self.piles[c]) {
            self.move_on(p);
        }
        self.votes[c] = Votes::zero();
        format!(
            "{} excluded with {had}, papers transferred at their current values",
            self.names[c]
        )
    }

    /// Moves papers `p` to their next hopeful preference, or to the non-transferable pile.
    fn move_on(&mut self, mut p: Papers) {
        p.at += 1;
        while p.at < p.end && self.status[self.prefs[p.at] as usize] != Status::Hopeful {
            p.at += 1;
        }
        let amount = p.value.mul_int(p.weight);
        if p.at < p.end {
            let next = self.prefs[p.at] as usize;
            self.votes[next] += amount;
            self.piles[next].push(p);
        } else {
            self.nontransferable += amount;
        }
    }
}

/// Rule 48(3): `value × surplus / total`, from the exact product, truncated to 5 places.
fn transfer_value(value: Votes, surplus: Votes, total: Votes) -> Votes {
    match value.units().checked_mul(surplus.units()) {
        Some(product) => Votes::from_units(product / total.units().max(1)),
        None => {
            Votes::from_rational_trunc(&(value.to_rational() * surplus.to_rational() / total.to_rational()))
        }
    }
}

/// Rules 49(2) and 51(2), as Droop reads them: going back from the most recent stage, the
/// first stage at which exactly one of `tied` is highest (lowest) decides. Returns that
/// candidate and the stage number.
fn backwards(history: &[Vec<Votes>], tied: &[CandidateId], highest: bool) -> Option<(CandidateId, usize)> {
    history.iter().enumerate().rev().find_map(|(stage, votes)| {
        let values = tied.iter().map(|&c| votes[c]);
        let best = if highest { values.max()? } else { values.min()? };
        match tied.iter().filter(|&&c| votes[c] == best).collect::<Vec<_>>()[..] {
            [&only] => Some((only, stage + 1)),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    #[test]
    fn transfer_value_truncates_the_exact_quotient() {
        let v = |s: &str| Votes::parse(s).unwrap();
        // 1 × 2/3 = 0.666666… → 0.66666.
        assert_eq!(transfer_value(v("1"), v("2"), v("3")).to_string(), "0.66666");
        // Droop's muldiv: no rounding of the intermediate product.
        assert_eq!(
            transfer_value(v("0.33333"), v("1.5"), v("2")).to_string(),
            "0.24999"
        );
    }

    #[test]
    fn backwards_needs_a_single_extreme_candidate() {
        let v = |n: u64| Votes::from_int(n);
        let history = vec![
            vec![v(1), v(2), v(3)],
            vec![v(4), v(4), v(5)],
            vec![v(6), v(6), v(6)],
        ];
        // Stage 2: A and B share the lowest → stage 1 decides: A.
        assert_eq!(backwards(&history, &[0, 1, 2], false), Some((0, 1)));
        assert_eq!(backwards(&history, &[0, 1, 2], true), Some((2, 2)));
        assert_eq!(backwards(&history[2..], &[0, 1], true), None);
    }

    #[test]
    fn a_small_count_by_hand() {
        // 42.blt: Castor 4, Pollux 0, Helen 2; quota 3; Castor's surplus of 1 goes to Pollux
        // at 0.25 per paper; Pollux (1) is excluded; Helen fills the last seat.
        let mut p = Profile::new("42", vec!["Castor".into(), "Pollux".into(), "Helen".into()], 2);
        p.ballots = crate::ballot::Ballots::from(vec![Ballot::ranking(4, &[0, 1]), Ballot::ranking(2, &[2])]);
        let t = count(&p, &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.winners, vec![0, 2]);
        assert_eq!(t.total(2, 1), Some("1.00000"));
        assert_eq!(t.total(3, 1), Some("0.00000"));
        assert_eq!(t.rounds[2].exhausted.as_deref(), Some("1.00000"));
    }

    #[test]
    fn equal_preferences_are_refused() {
        let mut p = Profile::new("eq", vec!["A".into(), "B".into()], 1);
        p.ballots = crate::ballot::Ballots::from(vec![Ballot {
            weight: 1,
            ranks: vec![vec![0, 1]],
        }]);
        assert!(matches!(
            count(&p, &TieBreak::candidate_order(2)),
            Err(TallyError::Invalid(_))
        ));
    }

    proptest::proptest! {
        #[test]
        fn merging_identical_ballots_changes_no_count(p in crate::method::arbitrary::profile(6, true)) {
            let tie = TieBreak::candidate_order(p.candidates.len());
            let merged = count_with(&p, &tie, true);
            proptest::prop_assert_eq!(&merged, &count_with(&p, &tie, false));
            let mut q = p.clone();
            q.ballots = p.ballots.iter().rev().map(|b| b.to_ballot()).collect();
            proptest::prop_assert_eq!(merged, count_with(&q, &tie, false));
        }

        #[test]
        fn merged_equal_preferences_are_still_refused(p in crate::method::arbitrary::profile(4, false)) {
            let tie = TieBreak::candidate_order(p.candidates.len());
            proptest::prop_assert_eq!(count_with(&p, &tie, true), count_with(&p, &tie, false));
        }
    }
}
