//! Vigie's domain model, free of I/O.
//!
//! This crate holds the vocabulary every other crate speaks: jurisdictions (ISO 3166 countries,
//! subdivisions and OGP local members), OGP members with their status history and action-plan
//! dates, and calendar events with an honest date interval and precision. Later it will hold rule
//! files, window derivation and alert decisions too.
//!
//! It must not depend on any I/O crate (no tokio, sqlx, reqwest or chat SDK): everything here is
//! a pure function of its inputs, so it can be tested exhaustively and reused by every edge.

pub mod alert;
pub mod backtest;
pub mod condition;
pub mod date;
pub mod event;
pub mod jurisdiction;
pub mod member;
pub mod predict;
pub mod rule;
pub mod window;

pub use date::{DateParseError, EventDate, Precision};
pub use event::{CalendarEvent, EventKey, EventKind, EventStatus};
pub use jurisdiction::{CountryCode, Jurisdiction, JurisdictionCode, JurisdictionLevel, Region};
pub use member::{ActionPlan, Member, MemberStatus, StatusCandidate};

/// A value that could not be parsed, with one sentence naming the problem and the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
