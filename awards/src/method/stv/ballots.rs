//! The ballots an STV count works on, prepared once from a [`Profile`]: withdrawn candidates
//! and skipped ranks removed, a candidate ranked twice kept at its first rank only, and ballots
//! left with no preference dropped (they are not valid votes, as in Droop). Equal preferences
//! are refused: neither the Scottish rules nor the PR Foundation's Meek rule define them, and
//! the reference implementations disagree on them (METHODS.md §2.6).

use crate::ballot::{CandidateId, Profile};
use crate::transcript::{TallyError, check_seats};

/// Ballots ready for an STV count.
pub(super) struct Prepared {
    /// `(weight, preferences)`, one candidate per preference, none withdrawn, none repeated.
    pub groups: Vec<(u64, Vec<CandidateId>)>,
    /// The number of valid ballots (total weight of `groups`).
    pub valid: u64,
}

/// Checks the profile and prepares its ballots.
pub(super) fn prepare(profile: &Profile) -> Result<Prepared, TallyError> {
    let n = profile.candidates.len();
    check_seats(profile.seats, profile.standing().len())?;
    let mut groups = Vec::new();
    let mut valid = 0u64;
    for (line, ballot) in profile.ballots.iter().enumerate() {
        let mut prefs: Vec<CandidateId> = Vec::new();
        for (r, rank) in ballot.ranks.iter().enumerate() {
            if let Some(&c) = rank.iter().find(|&&c| c >= n) {
                return Err(TallyError::UnknownCandidate {
                    candidate: c,
                    candidates: n,
                });
            }
            let mut here: Vec<CandidateId> =
                rank.iter().copied().filter(|&c| profile.is_standing(c)).collect();
            here.sort_unstable();
            here.dedup();
            if here.len() > 1 {
                return Err(TallyError::Invalid(format!(
                    "ballot {} ranks several candidates equally at preference {}; an STV ballot \
                     must give each preference to one candidate",
                    line + 1,
                    r + 1
                )));
            }
            if let Some(&c) = here.first()
                && !prefs.contains(&c)
            {
                prefs.push(c);
            }
        }
        if ballot.weight > 0 && !prefs.is_empty() {
            valid = valid
                .checked_add(ballot.weight)
                .ok_or_else(|| TallyError::Invalid("the ballot weights add up to more than 2^64".into()))?;
            groups.push((ballot.weight, prefs));
        }
    }
    Ok(Prepared { groups, valid })
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
