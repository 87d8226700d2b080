//! Meek STV, exactly as the PR Foundation's reference rule (as encoded in Droop's
//! `meek_prf.py`; METHODS.md §2.6), in fixed-point arithmetic with nine decimal places.
//!
//! * A. Every hopeful candidate has keep factor kf = 1; withdrawn and excluded ones 0;
//!   ω = 10⁻⁶ (see [`MeekOptions`]).
//! * B.1. A round starts while the hopeful candidates outnumber the seats left.
//! * B.2.a. Each ballot starts with weight w = 1; going down its preferences, each candidate
//!   with a non-zero keep factor receives w·kf, **rounded up** to nine places, and w is reduced
//!   by that amount, until w is 0 or the preferences run out.
//! * B.2.b. Quota q = (total of all candidates' votes) / (seats + 1), truncated to nine places,
//!   plus 10⁻⁹.
//! * B.2.c. Every hopeful candidate with v ≥ q is elected.
//! * B.2.d. Total surplus s = Σ(v − q) over the elected candidates, at least 0.
//! * B.2.e. If someone was elected, the round ends (the next starts afresh). Otherwise the
//!   iteration ends when s < ω, or when s ≥ the previous iteration's s.
//! * B.2.f. Otherwise each elected candidate's kf becomes kf·q (rounded up) / v (rounded up),
//!   and B.2.a follows.
//! * B.3. The hopeful candidate with the fewest votes is excluded; every hopeful candidate with
//!   v ≤ lowest + s counts as tied with them, and the declared [`TieBreak`] picks the loser
//!   (the earliest in its order).
//! * C. When the rounds end, the remaining hopeful candidates fill the seats left, if any.
//!
//! Precision matters: on *Voting matters* 12 (`SC-Vm-12.blt`) this rule elects A, B, Y, while
//! Meek with ω = 10⁻⁹ elects A, B, X.

use super::ballots::{Prepared, names, prepare_with};
use crate::ballot::{CandidateId, Profile};
use crate::number::Fixed;
use crate::tie::TieBreak;
use crate::transcript::{Round, TallyError, TieNote, Transcript};

/// Votes, weights and keep factors: nine decimal places.
type Value = Fixed<9>;

/// The one parameter the reference rule fixes that users sometimes change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeekOptions {
    /// ω = 10^-omega_dp ends an iteration once the total surplus is below it. The PR
    /// Foundation reference uses 6; at most 9 (one unit of the arithmetic).
    pub omega_dp: u32,
}

impl Default for MeekOptions {
    fn default() -> Self {
        Self { omega_dp: 6 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Hopeful,
    Elected,
    Excluded,
    Withdrawn,
}

/// Why an iteration stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Iterate,
    Elected,
    Omega,
    Stable,
}

struct Count {
    seats: usize,
    prepared: Prepared,
    ballots: Value,
    status: Vec<Status>,
    kf: Vec<Value>,
    votes: Vec<Value>,
    quota: Value,
    /// Total surplus, in units (signed before it is clamped at 0).
    surplus: Value,
    winners: Vec<CandidateId>,
}

/// Counts `profile` by the PR Foundation reference Meek rule, filling `profile.seats` seats.
///
/// # Errors
/// No standing candidate, more seats than standing candidates, a ballot naming an unknown
/// candidate, a ballot ranking candidates equally, or `omega_dp` above 9.
pub fn count(profile: &Profile, options: &MeekOptions, tie: &TieBreak) -> Result<Transcript, TallyError> {
    count_with(profile, options, tie, true)
}

/// As [`count`]; with `merge_identical` false every ballot line is counted as its own group.
fn count_with(
    profile: &Profile,
    options: &MeekOptions,
    tie: &TieBreak,
    merge_identical: bool,
) -> Result<Transcript, TallyError> {
    if options.omega_dp > 9 {
        return Err(TallyError::Invalid(format!(
            "omega 10^-{} is finer than the arithmetic's 9 decimal places; use 0 to 9",
            options.omega_dp
        )));
    }
    let prepared = prepare_with(profile, merge_identical)?;
    let valid = prepared.valid;
    let n = profile.candidates.len();
    let seats = profile.seats;
    let omega = Value::from_units(10u128.pow(9 - options.omega_dp));
    let status: Vec<Status> = (0..n)
        .map(|c| {
            if profile.is_standing(c) {
                Status::Hopeful
            } else {
                Status::Withdrawn
            }
        })
        .collect();
    let kf = status
        .iter()
        .map(|&s| {
            if s == Status::Hopeful {
                Value::one()
            } else {
                Value::zero()
            }
        })
        .collect();
    let mut count = Count {
        seats,
        prepared,
        ballots: Value::from_int(valid),
        status,
        kf,
        votes: vec![Value::zero(); n],
        quota: Value::zero(),
        surplus: Value::zero(),
        winners: Vec::new(),
    };
    let mut t = Transcript::new("stv-meek", profile.candidates.clone(), seats);
    t.notes.push(format!(
        "Meek STV, PR Foundation reference rule: {} valid ballots, {seats} seats; fixed-point \
         arithmetic with 9 decimal places, omega = 10^-{}; quota = votes / {} truncated, plus \
         0.000000001.",
        valid,
        options.omega_dp,
        seats + 1
    ));
    t.notes.push(
        "Ties for exclusion: every hopeful candidate within the total surplus of the lowest \
         is tied with them; the earliest in the tie-break order is excluded. Totals are those at \
         the end of each round's iterations; the exhausted line is the ballot weight no \
         candidate keeps."
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

    while count.hopeful().len() > count.seats_left() && count.seats_left() > 0 {
        let mut round = Round::new(t.rounds.len() + 1, "");
        let mut last_surplus = count.ballots;
        let mut elected = Vec::new();
        let mut iterations = 0usize;
        let stop = loop {
            iterations += 1;
            let (stop, newly) = count.iterate(last_surplus, omega);
            elected.extend(newly);
            if stop != Stop::Iterate {
                break stop;
            }
            last_surplus = count.surplus;
        };
        let plural = if iterations == 1 { "" } else { "s" };
        let mut action = format!(
            "After {iterations} iteration{plural}: quota {}, total surplus {}",
            count.quota, count.surplus
        );
        round.totals = count.totals();
        round.exhausted = Some(count.residual());
        match stop {
            Stop::Elected => {
                action += &format!("; {} elected", names(&profile.candidates, &elected));
                round.elected = elected;
            }
            _ => {
                let why = if stop == Stop::Omega {
                    "below omega"
                } else {
                    "no longer falling"
                };
                let loser = count.exclude_lowest(tie, &mut round);
                action += &format!(
                    " ({why}); {} excluded",
                    profile.candidates.get(loser).map_or("?", String::as_str)
                );
            }
        }
        round.action = action;
        t.rounds.push(round);
    }

    // C: elect the remaining hopeful candidates if seats are left.
    let mut rest = count.hopeful();
    if !rest.is_empty() && rest.len() <= count.seats_left() {
        rest.sort_by_key(|&c| (std::cmp::Reverse(count.votes[c]), c));
        count.winners.extend(&rest);
        if t.rounds.is_empty() {
            count.distribute();
            let mut round = Round::new(1, "First preferences counted");
            round.totals = count.totals();
            round.exhausted = Some(count.residual());
            t.rounds.push(round);
        }
        if let Some(last) = t.rounds.last_mut() {
            last.action += &format!(
                "; {} elected to fill the remaining seats",
                names(&profile.candidates, &rest)
            );
            last.elected.extend(&rest);
        }
    }
    t.winners = count.winners;
    Ok(t)
}

impl Count {
    fn hopeful(&self) -> Vec<CandidateId> {
        (0..self.status.len())
            .filter(|&c| self.status[c] == Status::Hopeful)
            .collect()
    }

    fn seats_left(&self) -> usize {
        self.seats.saturating_sub(self.winners.len())
    }

    /// Every standing candidate's votes, as text.
    fn totals(&self) -> Vec<(CandidateId, String)> {
        (0..self.status.len())
            .filter(|&c| self.status[c] != Status::Withdrawn)
            .map(|c| (c, self.votes[c].to_string()))
            .collect()
    }

    /// The ballot weight no candidate keeps (negative only if keep factors overshoot).
    fn residual(&self) -> String {
        let kept: Value = self.votes.iter().sum();
        match self.ballots.checked_sub(&kept) {
            Some(r) => r.to_string(),
            None => format!("-{}", kept - self.ballots),
        }
    }

    /// B.2.a: distributes every ballot by the current keep factors.
    fn distribute(&mut self) {
        self.votes.iter_mut().for_each(|v| *v = Value::zero());
        for &(i, weight) in &self.prepared.groups {
            let mut w = Value::one();
            for &c in self.prepared.prefs(i) {
                let c = c as usize;
                let kf = self.kf[c];
                if kf.is_zero() {
                    continue;
                }
                let keep = w.mul_ceil(&kf);
                self.votes[c] += keep.mul_int(weight);
                match w.checked_sub(&keep) {
                    Some(rest) if !rest.is_zero() => w = rest,
                    _ => break,
                }
            }
        }
    }

    /// One iteration, B.2.a–f. Returns why it stopped (or `Iterate`) and who was elected.
    fn iterate(&mut self, last_surplus: Value, omega: Value) -> (Stop, Vec<CandidateId>) {
        self.distribute();
        let total: Value = self.votes.iter().sum();
        self.quota = total.div_int_trunc(self.seats as u64 + 1) + Value::from_units(1);
        let mut newly: Vec<CandidateId> = self
            .hopeful()
            .into_iter()
            .filter(|&c| self.votes[c] >= self.quota)
            .collect();
        newly.sort_by_key(|&c| (std::cmp::Reverse(self.votes[c]), c));
        for &c in &newly {
            self.status[c] = Status::Elected;
            self.winners.push(c);
        }
        let elected: Vec<CandidateId> = (0..self.status.len())
            .filter(|&c| self.status[c] == Status::Elected)
            .collect();
        let surplus: i128 = elected
            .iter()
            .map(|&c| signed(self.votes[c]) - signed(self.quota))
            .sum();
        self.surplus = Value::from_units(u128::try_from(surplus.max(0)).unwrap_or(0));
        if !newly.is_empty() {
            return (Stop::Elected, newly);
        }
        if self.surplus < omega {
            return (Stop::Omega, newly);
        }
        if self.surplus >= last_surplus {
            return (Stop::Stable, newly);
        }
        for &c in &elected {
            if !self.votes[c].is_zero() {
                self.kf[c] = self.kf[c].mul_ceil(&self.quota).div_ceil(&self.votes[c]);
            }
        }
        (Stop::Iterate, newly)
    }

    /// B.3: excludes the lowest hopeful candidate; those within the surplus of the lowest are
    /// tied with them.
    fn exclude_lowest(&mut self, tie: &TieBreak, round: &mut Round) -> CandidateId {
        let hopeful = self.hopeful();
        let low = hopeful.iter().map(|&c| self.votes[c]).min().unwrap_or_default();
        let tied: Vec<CandidateId> = hopeful
            .into_iter()
            .filter(|&c| self.votes[c] <= low + self.surplus)
            .collect();
        let loser = tie.loser(&tied);
        if tied.len() > 1 {
            round.ties.push(TieNote {
                tied,
                chosen: loser,
                how: format!(
                    "tie-break order (within the surplus {} of the lowest)",
                    self.surplus
                ),
            });
        }
        self.status[loser] = Status::Excluded;
        self.kf[loser] = Value::zero();
        round.excluded.push(loser);
        loser
    }
}

fn signed(v: Value) -> i128 {
    i128::try_from(v.units()).unwrap_or(i128::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::Ballot;

    #[test]
    fn keep_values_round_up_and_the_quota_adds_one_unit() {
        // 42.blt under the reference rule: round 1 elects Castor with 4; round 2 ends with
        // Castor 2.000000004, Helen 2, Pollux 1.999999996 and excludes Pollux.
        let mut p = Profile::new("42", vec!["Castor".into(), "Pollux".into(), "Helen".into()], 2);
        p.ballots = crate::ballot::Ballots::from(vec![Ballot::ranking(4, &[0, 1]), Ballot::ranking(2, &[2])]);
        let t = count(&p, &MeekOptions::default(), &TieBreak::candidate_order(3)).unwrap();
        assert_eq!(t.winners, vec![0, 2]);
        assert_eq!(t.total(1, 0), Some("4.000000000"));
        assert_eq!(t.total(2, 0), Some("2.000000004"));
        assert_eq!(t.total(2, 1), Some("1.999999996"));
        assert_eq!(t.rounds[1].excluded, vec![1]);
        assert!(
            t.rounds[1].action.contains("quota 2.000000001"),
            "{}",
            t.rounds[1].action
        );
    }

    #[test]
    fn omega_finer_than_the_arithmetic_is_refused() {
        let p = Profile::new("x", vec!["A".into()], 1);
        let o = MeekOptions { omega_dp: 10 };
        assert!(count(&p, &o, &TieBreak::candidate_order(1)).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        #[test]
        fn merging_identical_ballots_changes_no_count(p in crate::method::arbitrary::profile(5, true)) {
            let tie = TieBreak::candidate_order(p.candidates.len());
            let options = MeekOptions::default();
            proptest::prop_assert_eq!(
                count_with(&p, &options, &tie, true),
                count_with(&p, &options, &tie, false)
            );
        }
    }
}
