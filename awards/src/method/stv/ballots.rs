//! The ballots an STV count works on, prepared once from a [`Profile`]: withdrawn candidates
//! and skipped ranks removed, a candidate ranked twice kept at its first rank only, and ballots
//! left with no preference dropped (they are not valid votes, as in Droop). Equal preferences
//! are refused: neither the Scottish rules nor the PR Foundation's Meek rule define them, and
//! the reference implementations disagree on them (METHODS.md §2.6).
//!
//! Ballots left with the same preferences are then merged into one group with their summed
//! weight. This changes no result: both rules treat each ballot paper by its preferences and
//! its value alone, and papers with the same preferences start with the same value (1) and
//! follow the same path, so a group of `w` papers carries `w` times the value of one, which
//! is exactly what adding them one by one gives (the arithmetic is exact integer units; every
//! rounding applies to the value of one paper, never to a group's total).

use crate::ballot::{CandidateId, EQUAL, Profile, SKIP, mark, mark_candidate, merge, unmerged};
use crate::transcript::{TallyError, check_seats};

/// Ballots ready for an STV count.
pub(super) struct Prepared {
    /// Every valid ballot's preferences, one after another: one candidate per preference,
    /// none withdrawn, none repeated. Ballot `i`'s end at `ends[i]`.
    prefs: Vec<u32>,
    ends: Vec<usize>,
    /// The distinct preference lists: `(ballot i whose preferences they are, total weight)`,
    /// in order of first appearance.
    pub groups: Vec<(usize, u64)>,
    /// The number of valid ballots (total weight of `groups`).
    pub valid: u64,
}

impl Prepared {
    /// The preferences of ballot `i` (the first member of a group).
    pub fn prefs(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.prefs[start..self.ends[i]]
    }

    /// Where ballot `i`'s preferences start and end in [`Prepared::all_prefs`].
    pub fn span(&self, i: usize) -> (usize, usize) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (start, self.ends[i])
    }

    /// Every ballot's preferences, one after another.
    pub fn all_prefs(&self) -> &[u32] {
        &self.prefs
    }
}

/// Checks the profile and prepares its ballots, identical ones merged (with
/// `merge_identical` false, every ballot line is its own group).
pub(super) fn prepare_with(profile: &Profile, merge_identical: bool) -> Result<Prepared, TallyError> {
    let n = profile.candidates.len();
    check_seats(profile.seats, profile.standing().len())?;
    let standing = profile.standing_mask();
    let all = profile.ballots.all_marks();
    let mut prefs: Vec<u32> = Vec::with_capacity(all.len());
    let mut ends: Vec<usize> = Vec::with_capacity(profile.ballots.len());
    let mut weights: Vec<u64> = Vec::with_capacity(profile.ballots.len());
    let mut valid = 0u64;
    // seen[c] == line + 1: candidate c already has a preference on ballot `line`.
    let mut seen = vec![0usize; n];
    let mut here: Vec<CandidateId> = Vec::new();
    for (line, ballot) in profile.ballots.iter().enumerate() {
        let stamp = line + 1;
        let start = prefs.len();
        let marks = ballot.marks();
        let mut r = 0;
        let mut i = 0;
        while i < marks.len() {
            let first = marks[i];
            if first == SKIP {
                r += 1;
                i += 1;
                continue;
            }
            let rank_start = i;
            i += 1;
            while i < marks.len() && marks[i] != SKIP && marks[i] & EQUAL != 0 {
                i += 1;
            }
            if i == rank_start + 1 {
                // One candidate at this rank: the common case.
                let c = mark_candidate(first);
                if c >= n {
                    return Err(TallyError::UnknownCandidate {
                        candidate: c,
                        candidates: n,
                    });
                }
                if standing[c] && seen[c] != stamp {
                    seen[c] = stamp;
                    prefs.push(first);
                }
                r += 1;
                continue;
            }
            here.clear();
            for &m in &marks[rank_start..i] {
                let c = mark_candidate(m);
                if c >= n {
                    return Err(TallyError::UnknownCandidate {
                        candidate: c,
                        candidates: n,
                    });
                }
                if standing[c] && !here.contains(&c) {
                    here.push(c);
                }
            }
            if here.len() > 1 {
                return Err(TallyError::Invalid(format!(
                    "ballot {} ranks several candidates equally at preference {}; an STV ballot \
                     must give each preference to one candidate",
                    line + 1,
                    r + 1
                )));
            }
            if let Some(&c) = here.first()
                && seen[c] != stamp
            {
                seen[c] = stamp;
                prefs.push(mark(c));
            }
            r += 1;
        }
        if ballot.weight > 0 && prefs.len() > start {
            valid = valid
                .checked_add(ballot.weight)
                .ok_or_else(|| TallyError::Invalid("the ballot weights add up to more than 2^64".into()))?;
            ends.push(prefs.len());
            weights.push(ballot.weight);
        } else {
            prefs.truncate(start);
        }
    }
    let mut prepared = Prepared {
        prefs,
        ends,
        groups: Vec::new(),
        valid,
    };
    let items = prepared.ends.len();
    prepared.groups = if merge_identical {
        // Cannot fail: the weights add up to `valid`.
        merge(items, |i| prepared.prefs(i), |i| weights[i]).unwrap_or_default()
    } else {
        unmerged(items, |i| weights[i])
    };
    Ok(prepared)
}

/// `name, name and name` for a transcript sentence.
pub(super) fn names(candidates: &[String], cs: &[CandidateId]) -> String {
    let names: Vec<&str> = cs
        .iter()
        .map(|&c| candidates.get(c).map_or("?", String::as_str))
        .collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
