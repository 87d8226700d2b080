//! A ballot as people type it, read by the shape its category's method needs:
//!
//! - one choice (plurality): `#2`
//! - approval: the nominees approved, `#1 #3` (or `#1, #3`)
//! - score and STAR: `#1=5 #2=3` (or `#1:5`); nominees left out are blank
//! - ranked methods: `#2 > #1 > #3`, or simply `#2 #1 #3` in order of preference; Schulze and
//!   ranked pairs also take equal ranks, `#2 = #1 > #3`
//!
//! `#` is optional (`2 > 1 > 3`). Each problem is named here, before the campaign sees the
//! ballot, so that the refusal is localised.

use vigie_awards::campaign::Vote;
use vigie_awards::campaign::rules::BallotShape;
use vigie_awards::nomination::NominationId;

/// What is wrong with a typed ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A word that is not a nomination (`#3`), or not `#3=5` for a score.
    NotNomination(String),
    /// Not the form the method takes (several choices for plurality, ranks for approval…).
    Form,
    /// Chooses nobody.
    Empty,
    /// Names a nomination that is not on this category's ballot.
    NotOnBallot(NominationId),
    /// Names a nomination twice.
    Twice(NominationId),
    /// A score above the highest.
    Score { id: NominationId, score: u32, max: u32 },
    /// Equal ranks with a method that takes one nominee per rank.
    EqualRanks,
    /// More approvals than allowed.
    TooMany { max: u32 },
}

fn nomination(word: &str) -> Option<NominationId> {
    let digits = word.strip_prefix('#').unwrap_or(word);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0).map(NominationId)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
}

fn ids(text: &str) -> Result<Vec<NominationId>, Problem> {
    words(text)
        .map(|w| nomination(w).ok_or_else(|| Problem::NotNomination(w.to_owned())))
        .collect()
}

/// Reads `text` as a ballot of `shape` over the nominations `on_ballot`.
pub(crate) fn read(text: &str, shape: BallotShape, on_ballot: &[NominationId]) -> Result<Vote, Problem> {
    let vote = match shape {
        BallotShape::Single => {
            if text.contains(['>', '=', ':']) {
                return Err(Problem::Form);
            }
            match ids(text)?.as_slice() {
                [] => return Err(Problem::Empty),
                [one] => Vote::Single(*one),
                _ => return Err(Problem::Form),
            }
        }
        BallotShape::Approval { max } => {
            if text.contains(['>', '=', ':']) {
                return Err(Problem::Form);
            }
            let all = ids(text)?;
            if let Some(max) = max.filter(|m| all.len() > *m as usize) {
                return Err(Problem::TooMany { max });
            }
            Vote::Approve(all)
        }
        BallotShape::Score { max } => {
            let mut marks = Vec::new();
            for w in words(text) {
                let (id, score) = w
                    .split_once(['=', ':'])
                    .and_then(|(id, s)| Some((nomination(id)?, s.parse::<u32>().ok()?)))
                    .ok_or_else(|| Problem::NotNomination(w.to_owned()))?;
                if score > max {
                    return Err(Problem::Score { id, score, max });
                }
                marks.push((id, score));
            }
            Vote::Score(marks)
        }
        BallotShape::Ranked { equal_ranks } => {
            if text.contains(':') {
                return Err(Problem::Form);
            }
            let ranks: Vec<Vec<NominationId>> = if text.contains('>') || text.contains('=') {
                let mut ranks = Vec::new();
                for rank in text.split('>') {
                    let mut group = Vec::new();
                    for part in rank.split('=') {
                        let found = ids(part)?;
                        if found.len() != 1 {
                            return Err(if found.is_empty() {
                                Problem::Form
                            } else {
                                Problem::NotNomination(part.trim().to_owned())
                            });
                        }
                        group.extend(found);
                    }
                    ranks.push(group);
                }
                ranks
            } else {
                ids(text)?.into_iter().map(|id| vec![id]).collect()
            };
            if !equal_ranks && ranks.iter().any(|r| r.len() > 1) {
                return Err(Problem::EqualRanks);
            }
            Vote::Ranked(ranks)
        }
    };
    let named: Vec<NominationId> = match &vote {
        Vote::Single(id) => vec![*id],
        Vote::Approve(all) => all.clone(),
        Vote::Score(marks) => marks.iter().map(|(id, _)| *id).collect(),
        Vote::Ranked(ranks) => ranks.iter().flatten().copied().collect(),
    };
    if named.is_empty() {
        return Err(Problem::Empty);
    }
    for (i, id) in named.iter().enumerate() {
        if named[..i].contains(id) {
            return Err(Problem::Twice(*id));
        }
        if !on_ballot.contains(id) {
            return Err(Problem::NotOnBallot(*id));
        }
    }
    Ok(vote)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ON: [NominationId; 3] = [NominationId(1), NominationId(2), NominationId(3)];

    fn n(i: u32) -> NominationId {
        NominationId(i)
    }

    #[test]
    fn rankings_read_with_arrows_equal_signs_or_in_order() {
        let ranked = BallotShape::Ranked { equal_ranks: true };
        assert_eq!(
            read("#2 > #1 > #3", ranked, &ON),
            Ok(Vote::Ranked(vec![vec![n(2)], vec![n(1)], vec![n(3)]]))
        );
        assert_eq!(
            read("2 3 1", ranked, &ON),
            Ok(Vote::Ranked(vec![vec![n(2)], vec![n(3)], vec![n(1)]]))
        );
        assert_eq!(
            read("#2 = #1 > #3", ranked, &ON),
            Ok(Vote::Ranked(vec![vec![n(2), n(1)], vec![n(3)]]))
        );
        let strict = BallotShape::Ranked { equal_ranks: false };
        assert_eq!(read("#2 = #1", strict, &ON), Err(Problem::EqualRanks));
        assert_eq!(read("#2 > #2", strict, &ON), Err(Problem::Twice(n(2))));
        assert_eq!(read("#2 > #9", strict, &ON), Err(Problem::NotOnBallot(n(9))));
        assert_eq!(
            read("#2 > Jane", strict, &ON),
            Err(Problem::NotNomination("Jane".into()))
        );
    }

    #[test]
    fn other_shapes_read_their_own_forms_only() {
        assert_eq!(read("#3", BallotShape::Single, &ON), Ok(Vote::Single(n(3))));
        assert_eq!(read("#3 #1", BallotShape::Single, &ON), Err(Problem::Form));
        assert_eq!(
            read("#1, #3", BallotShape::Approval { max: None }, &ON),
            Ok(Vote::Approve(vec![n(1), n(3)]))
        );
        assert_eq!(
            read("#1 #2 #3", BallotShape::Approval { max: Some(2) }, &ON),
            Err(Problem::TooMany { max: 2 })
        );
        assert_eq!(
            read("#1=5 #2:0", BallotShape::Score { max: 5 }, &ON),
            Ok(Vote::Score(vec![(n(1), 5), (n(2), 0)]))
        );
        assert_eq!(
            read("#1=6", BallotShape::Score { max: 5 }, &ON),
            Err(Problem::Score {
                id: n(1),
                score: 6,
                max: 5
            })
        );
        assert_eq!(read("", BallotShape::Score { max: 5 }, &ON), Err(Problem::Empty));
    }
}
