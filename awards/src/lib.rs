//! Vigie's awards: campaigns with categories and a schedule, nominations with seconds,
//! eligibility and voter rolls, conflict-of-interest recusal, ballots, and the tallies that
//! count them exactly (plurality, approval, score and STAR, Borda, instant-runoff, STV by the
//! Scottish rules and by Meek, Schulze, ranked pairs), each with a round-by-round transcript and
//! a published, deterministic tie-break. Ballot files are read and written as BLT (and read as
//! ABIF and Pabulib).
//!
//! Pure: no I/O crates (no tokio, sqlx, reqwest, chat SDKs). Storage and chat are the edges'.

pub mod abif;
pub mod ballot;
pub mod blt;
pub mod campaign;
pub mod eligibility;
pub mod method;
pub mod nomination;
pub mod number;
pub mod pabulib;
pub mod tie;
pub mod transcript;
