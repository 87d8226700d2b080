//! The counting methods. Each takes a profile of ballots and its options and returns the
//! winners with a round-by-round [`crate::transcript::Transcript`].

#[cfg(test)]
pub(crate) mod arbitrary;

pub mod approval;
pub mod borda;
pub mod irv;
pub mod pairwise;
pub mod plurality;
pub mod ranked_pairs;
pub mod schulze;
pub mod score;
pub mod stv;
