//! Random profiles for property tests of the methods: few distinct ballots, each repeated
//! many times (in any order, with any weights, 0 included), so that merging identical ballots
//! has something to merge; ranks may name several candidates, be skipped or repeat a
//! candidate, and a candidate may be withdrawn.

use proptest::prelude::*;

use crate::ballot::{Ballot, CandidateId, Profile};

/// A ballot over `n` candidates: up to `n + 1` ranks, most naming one candidate; with
/// `strict`, never several candidates at one rank.
fn ballot(n: usize, strict: bool) -> impl Strategy<Value = Vec<Vec<CandidateId>>> {
    let rank = if strict {
        prop_oneof![
            6 => (0..n).prop_map(|c| vec![c]),
            1 => Just(Vec::new()),
        ]
        .boxed()
    } else {
        prop_oneof![
            6 => (0..n).prop_map(|c| vec![c]),
            1 => Just(Vec::new()),
            1 => prop::collection::vec(0..n, 2..4),
        ]
        .boxed()
    };
    prop::collection::vec(rank, 0..=n + 1)
}

/// A profile of 2 to `max` candidates and 1 to `max` seats (at most the standing ones): a
/// pool of up to 5 distinct ballots, drawn up to 40 times with weights from 0 to 3.
pub(crate) fn profile(max: usize, strict: bool) -> impl Strategy<Value = Profile> {
    (2..=max).prop_flat_map(move |n| {
        (
            prop::collection::vec(ballot(n, strict), 1..=5),
            prop::collection::vec((any::<prop::sample::Index>(), 0u64..4), 0..40),
            prop::option::of(0..n),
            1..n,
        )
            .prop_map(move |(pool, draws, withdrawn, seats)| {
                let mut p = Profile::new("prop", (0..n).map(|i| format!("C{i}")).collect(), seats);
                p.withdrawn = withdrawn.into_iter().collect();
                p.ballots = draws
                    .into_iter()
                    .map(|(i, weight)| Ballot {
                        weight,
                        ranks: i.get(&pool).clone(),
                    })
                    .collect();
                p
            })
    })
}
