//! Estimates where calendars are silent: the next regular legislative election of a country, and
//! how long a new government usually takes to form after an election.
//!
//! Calendars are incomplete: a feed may know a country's last election and nothing after it.
//! [`predict_elections`] fills the gap from the last known election and the regular term of the
//! lower house ([`LegislativeTerm`], read by the feeds from `data/legislative-terms.csv`); the
//! result is an ordinary [`CalendarEvent`] with an *estimated* date, marked with the attribute
//! `predicted = "1"` so that nothing mistakes it for an announcement. [`FormationLags`] measures,
//! from history (ParlGov's elections and cabinets), the days from an election to the next fully
//! formed cabinet, so a transition window can close when a government is likely to be in place.
//!
//! Both are pure functions of the events they are given and of the evaluation day; the backtest
//! calls them with the events visible on a simulated day.

mod election;
mod formation;

use serde::{Deserialize, Serialize};

use crate::{CalendarEvent, CountryCode};

pub use election::{Prediction, predict_elections};
pub use formation::{Formation, FormationLags, Lag, LagBasis};

/// The attribute that marks an event Vigie estimated rather than read from a source.
pub const PREDICTED_ATTRIBUTE: &str = "predicted";

/// The feed name under which Vigie's own predicted elections appear among events.
pub const PREDICTIONS_FEED: &str = "vigie-predictions";

/// Whether Vigie estimated this event (see [`predict_elections`]) rather than read it from a
/// source: such events never count as known elections, nor as history.
pub fn is_predicted(event: &CalendarEvent) -> bool {
    event.attributes.get(PREDICTED_ATTRIBUTE).map(String::as_str) == Some("1")
}

/// The regular term of a country's lower (or only) house of parliament.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegislativeTerm {
    pub country: CountryCode,
    /// The house whose term this is ("House of Representatives (Tweede Kamer)").
    pub chamber: String,
    /// The regular term in years.
    pub term_years: u32,
    /// The constitutional or legal maximum from one election to the next, when known (60 for the
    /// United Kingdom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_term_months: Option<u32>,
    /// The rule that fixes the day, in words ("first Sunday of October"), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_date_rule: Option<String>,
    /// The constitutional article or law the term comes from.
    pub source: String,
}
