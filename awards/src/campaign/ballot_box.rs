//! The ballot box: one current ballot per voter and category, replaced when the voter votes
//! again, and sealed when voting closes.
//!
//! While voting is open the box must know whose ballot is whose, or a changed ballot could not
//! replace the old one; it never tells. Its public surface gives counts only ([`Turnout`]), a
//! voter's own ballot (for the edge to show that voter, privately), and, for an open box only,
//! the votes with their voters. Sealing a secret box keeps the turnout and the ballots sorted
//! into a canonical order (so their order says nothing about who cast them or when) and drops
//! every voter id: from then on not even the stored form links a voter to a ballot. The stored
//! form (serde) is for storage only; before the seal it holds those links.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::campaign::rules::{BallotShape, Secrecy};
use crate::eligibility::Actor;
use crate::nomination::NominationId;

/// What a voter fills in for one category; its shape must match the category's method.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "choice")]
pub enum Vote {
    /// Plurality: one nominee.
    Single(NominationId),
    /// Approval: the nominees approved.
    Approve(Vec<NominationId>),
    /// Score and STAR: a score per nominee; nominees left out are blank.
    Score(Vec<(NominationId, u32)>),
    /// Ranked methods: nominees in order of preference, a rank per entry.
    Ranked(Vec<Vec<NominationId>>),
}

impl Vote {
    /// The vote in stored form (sorted, empty ranks dropped), checked against the method's
    /// shape and the nominees on the ballot. The error ends "the ballot for “…” …".
    pub fn validated(&self, shape: BallotShape, on_ballot: &[NominationId]) -> Result<Vote, String> {
        let unknown = |id: &NominationId| {
            (!on_ballot.contains(id)).then(|| {
                format!(
                    "names {id}, which is not on this ballot; expected nominees among {}",
                    list(on_ballot)
                )
            })
        };
        let vote = match (shape, self) {
            (BallotShape::Single, Self::Single(id)) => {
                if let Some(e) = unknown(id) {
                    return Err(e);
                }
                Self::Single(*id)
            }
            (BallotShape::Approval { max }, Self::Approve(ids)) => {
                let set = distinct(ids, "approves")?;
                if let Some(e) = set.iter().find_map(unknown) {
                    return Err(e);
                }
                if let Some(max) = max.filter(|&m| set.len() > m as usize) {
                    return Err(format!("approves {} nominees; expected at most {max}", set.len()));
                }
                Self::Approve(set.into_iter().collect())
            }
            (BallotShape::Score { max }, Self::Score(scores)) => {
                distinct(&scores.iter().map(|(id, _)| *id).collect::<Vec<_>>(), "scores")?;
                if let Some(e) = scores.iter().find_map(|(id, _)| unknown(id)) {
                    return Err(e);
                }
                if let Some((id, s)) = scores.iter().find(|(_, s)| *s > max) {
                    return Err(format!(
                        "gives {id} a score of {s}; expected scores from 0 to {max}"
                    ));
                }
                let mut sorted = scores.clone();
                sorted.sort_unstable();
                Self::Score(sorted)
            }
            (BallotShape::Ranked { equal_ranks }, Self::Ranked(ranks)) => {
                let all: Vec<NominationId> = ranks.iter().flatten().copied().collect();
                distinct(&all, "ranks")?;
                if let Some(e) = all.iter().find_map(unknown) {
                    return Err(e);
                }
                if !equal_ranks && ranks.iter().any(|r| r.len() > 1) {
                    return Err(
                        "ranks several nominees equal; expected one nominee per rank with this method"
                            .to_owned(),
                    );
                }
                let mut kept: Vec<Vec<NominationId>> =
                    ranks.iter().filter(|r| !r.is_empty()).cloned().collect();
                kept.iter_mut().for_each(|r| r.sort_unstable());
                Self::Ranked(kept)
            }
            (shape, _) => return Err(format!("has the wrong form; expected {}", describe(shape))),
        };
        if vote.is_blank() {
            return Err(format!("chooses nobody; expected {}", describe(shape)));
        }
        Ok(vote)
    }

    fn is_blank(&self) -> bool {
        match self {
            Self::Single(_) => false,
            Self::Approve(ids) => ids.is_empty(),
            Self::Score(scores) => scores.is_empty(),
            Self::Ranked(ranks) => ranks.is_empty(),
        }
    }
}

fn distinct(ids: &[NominationId], verb: &str) -> Result<BTreeSet<NominationId>, String> {
    let mut set = BTreeSet::new();
    for id in ids {
        if !set.insert(*id) {
            return Err(format!("{verb} {id} twice; expected each nominee at most once"));
        }
    }
    Ok(set)
}

fn list(ids: &[NominationId]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn describe(shape: BallotShape) -> String {
    match shape {
        BallotShape::Single => "one nominee".to_owned(),
        BallotShape::Approval { max: None } => "the nominees you approve of".to_owned(),
        BallotShape::Approval { max: Some(m) } => format!("up to {m} nominees you approve of"),
        BallotShape::Score { max } => format!("a score from 0 to {max} for the nominees you score"),
        BallotShape::Ranked { .. } => "nominees in order of preference".to_owned(),
    }
}

/// Participation, in counts only: no name, no vote.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Turnout {
    /// People who cast a ballot in at least one category.
    pub voters: usize,
    /// The size of the voter roll, when there is one.
    pub eligible: Option<usize>,
    /// Ballots counted per category slug.
    pub by_category: BTreeMap<String, usize>,
    /// Voters per region slug (as the region was when they last voted).
    pub by_region: BTreeMap<String, usize>,
    /// Voters whose region is not known.
    pub without_region: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct VoterEntry {
    region: Option<String>,
    /// The current ballot per category slug; casting again replaces it.
    votes: BTreeMap<String, Vote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Sealed {
    turnout: Turnout,
    /// Per category slug, every counted ballot, sorted.
    ballots: BTreeMap<String, Vec<Vote>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotBox {
    secrecy: Secrecy,
    /// Emptied when a secret box is sealed.
    voters: BTreeMap<String, VoterEntry>,
    sealed: Option<Sealed>,
}

impl BallotBox {
    pub fn new(secrecy: Secrecy) -> Self {
        Self {
            secrecy,
            voters: BTreeMap::new(),
            sealed: None,
        }
    }

    pub fn secrecy(&self) -> Secrecy {
        self.secrecy
    }

    pub fn is_sealed(&self) -> bool {
        self.sealed.is_some()
    }

    /// Puts `vote` in as `voter`'s ballot for `category`, replacing any earlier one; returns
    /// whether it replaced one. The campaign checks phase, eligibility and form first; a
    /// sealed box takes nothing and returns `false`.
    pub(crate) fn cast(&mut self, voter: &Actor, category: &str, vote: Vote) -> bool {
        if self.sealed.is_some() {
            return false;
        }
        let entry = self
            .voters
            .entry(voter.user.trim().to_owned())
            .or_insert_with(|| VoterEntry {
                region: None,
                votes: BTreeMap::new(),
            });
        entry.region = voter
            .region
            .as_deref()
            .map(|r| r.trim().to_lowercase())
            .filter(|r| !r.is_empty());
        entry.votes.insert(category.to_owned(), vote).is_some()
    }

    /// Takes `user`'s ballot for `category` out (after a declared recusal); returns whether
    /// there was one.
    pub(crate) fn remove(&mut self, user: &str, category: &str) -> bool {
        if self.sealed.is_some() {
            return false;
        }
        let Some(entry) = self.voters.get_mut(user.trim()) else {
            return false;
        };
        let had = entry.votes.remove(category).is_some();
        if entry.votes.is_empty() {
            self.voters.remove(user.trim());
        }
        had
    }

    /// `user`'s current ballot in `category`, for showing to that user alone (a secret box
    /// forgets it at the seal). The edge must never call this for anyone but the asker.
    pub fn own_vote(&self, user: &str, category: &str) -> Option<&Vote> {
        self.voters.get(user.trim())?.votes.get(category)
    }

    /// Who voted what in `category`, for an open box only; `None` for a secret one.
    pub fn open_votes(&self, category: &str) -> Option<Vec<(&str, &Vote)>> {
        (self.secrecy == Secrecy::Open).then(|| {
            self.voters
                .iter()
                .filter_map(|(user, entry)| entry.votes.get(category).map(|v| (user.as_str(), v)))
                .collect()
        })
    }

    /// Participation so far (or as sealed), in counts only.
    pub fn turnout(&self, eligible: Option<usize>) -> Turnout {
        if let Some(sealed) = &self.sealed {
            return sealed.turnout.clone();
        }
        let mut t = Turnout {
            eligible,
            ..Turnout::default()
        };
        for entry in self.voters.values().filter(|e| !e.votes.is_empty()) {
            t.voters += 1;
            match &entry.region {
                Some(r) => *t.by_region.entry(r.clone()).or_default() += 1,
                None => t.without_region += 1,
            }
            for category in entry.votes.keys() {
                *t.by_category.entry(category.clone()).or_default() += 1;
            }
        }
        t
    }

    /// Closes the box: keeps the turnout and the ballots, in canonical order, and for a secret
    /// box forgets who cast them. Sealing twice changes nothing.
    pub(crate) fn seal(&mut self, eligible: Option<usize>) {
        if self.sealed.is_some() {
            return;
        }
        let turnout = self.turnout(eligible);
        let mut ballots: BTreeMap<String, Vec<Vote>> = BTreeMap::new();
        for entry in self.voters.values() {
            for (category, vote) in &entry.votes {
                ballots.entry(category.clone()).or_default().push(vote.clone());
            }
        }
        ballots.values_mut().for_each(|v| v.sort_unstable());
        self.sealed = Some(Sealed { turnout, ballots });
        if self.secrecy == Secrecy::Secret {
            self.voters.clear();
        }
    }

    /// The anonymous ballots of `category` once sealed, in canonical order.
    pub fn sealed_ballots(&self, category: &str) -> Option<&[Vote]> {
        let sealed = self.sealed.as_ref()?;
        Some(sealed.ballots.get(category).map_or(&[][..], Vec::as_slice))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::Role;

    const N1: NominationId = NominationId(1);
    const N2: NominationId = NominationId(2);
    const N3: NominationId = NominationId(3);

    #[test]
    fn votes_are_checked_against_the_shape_and_stored_sorted() {
        let on = [N1, N2, N3];
        let ranked = BallotShape::Ranked { equal_ranks: false };
        let cases: Vec<(BallotShape, Vote, Result<Vote, &str>)> = vec![
            (BallotShape::Single, Vote::Single(N2), Ok(Vote::Single(N2))),
            (
                BallotShape::Single,
                Vote::Single(NominationId(9)),
                Err("#9, which is not on this ballot"),
            ),
            (
                BallotShape::Single,
                Vote::Approve(vec![N1]),
                Err("wrong form; expected one nominee"),
            ),
            (
                BallotShape::Approval { max: None },
                Vote::Approve(vec![N3, N1]),
                Ok(Vote::Approve(vec![N1, N3])),
            ),
            (
                BallotShape::Approval { max: Some(1) },
                Vote::Approve(vec![N3, N1]),
                Err("at most 1"),
            ),
            (
                BallotShape::Approval { max: None },
                Vote::Approve(vec![]),
                Err("chooses nobody"),
            ),
            (
                BallotShape::Score { max: 5 },
                Vote::Score(vec![(N2, 5), (N1, 0)]),
                Ok(Vote::Score(vec![(N1, 0), (N2, 5)])),
            ),
            (
                BallotShape::Score { max: 5 },
                Vote::Score(vec![(N2, 6)]),
                Err("score of 6"),
            ),
            (
                BallotShape::Score { max: 5 },
                Vote::Score(vec![(N2, 1), (N2, 2)]),
                Err("#2 twice"),
            ),
            (
                ranked,
                Vote::Ranked(vec![vec![N2], vec![], vec![N1]]),
                Ok(Vote::Ranked(vec![vec![N2], vec![N1]])),
            ),
            (ranked, Vote::Ranked(vec![vec![N2, N1]]), Err("equal")),
            (
                BallotShape::Ranked { equal_ranks: true },
                Vote::Ranked(vec![vec![N2, N1]]),
                Ok(Vote::Ranked(vec![vec![N1, N2]])),
            ),
            (ranked, Vote::Ranked(vec![vec![N1], vec![N1]]), Err("#1 twice")),
            (ranked, Vote::Ranked(vec![vec![]]), Err("chooses nobody")),
        ];
        for (shape, vote, expected) in cases {
            match (vote.validated(shape, &on), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want),
                (Err(got), Err(want)) => assert!(got.contains(want), "{got:?} should contain {want:?}"),
                (got, want) => panic!("{vote:?} under {shape:?}: got {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn sealing_a_secret_box_forgets_the_voters_and_keeps_the_counts() {
        let mut bx = BallotBox::new(Secrecy::Secret);
        let ana = Actor::new("@ana", Role::Peer).in_region("Africa");
        let bo = Actor::new("@bo", Role::Peer);
        assert!(!bx.cast(&ana, "c", Vote::Single(N1)));
        assert!(bx.cast(&ana, "c", Vote::Single(N2)));
        bx.cast(&bo, "c", Vote::Single(N1));
        assert_eq!(bx.open_votes("c"), None);
        bx.seal(Some(10));
        let json = serde_json::to_string(&bx).expect("json");
        assert!(!json.contains("@ana") && !json.contains("@bo"), "{json}");
        assert_eq!(
            bx.sealed_ballots("c"),
            Some(&[Vote::Single(N1), Vote::Single(N2)][..])
        );
        let t = bx.turnout(None);
        assert_eq!((t.voters, t.eligible, t.without_region), (2, Some(10), 1));
        assert_eq!(t.by_region.get("africa"), Some(&1));
        assert!(!bx.cast(&bo, "c", Vote::Single(N3)));
    }
}
