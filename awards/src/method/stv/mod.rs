//! Single transferable vote: the Scottish rules (weighted inclusive Gregory, SSI 2007/42) and
//! Meek (the PR Foundation reference rule).

mod ballots;
pub mod meek;
pub mod scottish;
