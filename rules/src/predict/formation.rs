//! How long a new government takes to form after a legislative election, learnt from history.
//!
//! A transition window opened by an election should close when the new government is in place.
//! While no cabinet is known yet, the country's typical formation lag says when that is likely:
//! its median, and its 90th percentile for a window that should rather close late than early.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::is_predicted;
use crate::{CalendarEvent, CountryCode, EventKind, EventStatus, Precision};

/// A country's own figures are used from this many formations on; below, the overall ones.
const MIN_COUNTRY_OBSERVATIONS: usize = 3;

/// One election followed by the start of a fully formed cabinet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Formation {
    pub country: CountryCode,
    /// The uid of the election event.
    pub election: String,
    pub election_day: NaiveDate,
    /// The uid of the cabinet event.
    pub cabinet: String,
    pub cabinet_day: NaiveDate,
    pub days: u32,
}

/// Where the figures of a [`Lag`] come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LagBasis {
    /// The country's own formations.
    Country,
    /// Every country's formations: the country has too few of its own.
    Overall,
    /// No history was given: the figures of [`Lag::PARLGOV_SINCE_1990`].
    Builtin,
}

/// Typical days from a legislative election to its new government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Lag {
    pub median_days: u32,
    /// 90 % of formations were done within this many days.
    pub p90_days: u32,
    /// The longest formation observed.
    pub max_days: u32,
    /// How many formations the figures come from.
    pub observations: usize,
    pub basis: LagBasis,
}

impl Lag {
    /// The overall figures of the ParlGov parliamentary elections from 1990 to June 2023, by the
    /// rule of [`FormationLags::from_history`] (a test in `vigie-feeds` recomputes them from the
    /// bundled tables): the fallback when no history is loaded.
    pub const PARLGOV_SINCE_1990: Lag = Lag {
        median_days: 31,
        p90_days: 86,
        max_days: 544,
        observations: 349,
        basis: LagBasis::Builtin,
    };

    /// Figures from observed lags, sorted in increasing order; `None` when there are none.
    ///
    /// Quantiles are nearest-rank: the smallest observed lag that at least that share of the
    /// formations did not exceed. The median of an even count is therefore the lower of the two
    /// middle values, and every figure is a lag that really happened.
    fn from_sorted(sorted: &[u32], basis: LagBasis) -> Option<Lag> {
        let max_days = *sorted.last()?;
        let rank = |percent: usize| sorted[(percent * sorted.len()).div_ceil(100).max(1) - 1];
        Some(Lag {
            median_days: rank(50),
            p90_days: rank(90),
            max_days,
            observations: sorted.len(),
            basis,
        })
    }
}

/// Formation lags observed in history, per country and overall.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormationLags {
    formations: Vec<Formation>,
    /// Sorted lags per country.
    by_country: BTreeMap<CountryCode, Vec<u32>>,
    /// Sorted lags of every country.
    overall: Vec<u32>,
}

impl FormationLags {
    /// Measures, for each legislative election in `events`, the days from its (last) day to the
    /// start of the next cabinet of the same country that is not a caretaker, starting on or
    /// after the election day. Elections with no later cabinet are skipped.
    ///
    /// Only national events dated to the day count: elections that are not cancelled, postponed
    /// or predicted, and cabinets that are held. The same election or cabinet given by two feeds
    /// (same country and day) counts once. The caller chooses the period: pass only elections
    /// since 1990, say, with every cabinet.
    pub fn from_history<'a>(events: impl IntoIterator<Item = &'a CalendarEvent>) -> FormationLags {
        let dated = |e: &CalendarEvent| {
            e.jurisdiction.is_national() && e.date.precision() == Precision::Day && !is_predicted(e)
        };
        let mut elections: BTreeMap<(CountryCode, NaiveDate), &str> = BTreeMap::new();
        let mut cabinets: BTreeMap<(CountryCode, NaiveDate), &str> = BTreeMap::new();
        for e in events {
            if !dated(e) {
                continue;
            }
            let country = e.jurisdiction.country();
            match e.kind {
                EventKind::Legislative
                    if !matches!(e.status, EventStatus::Cancelled | EventStatus::Postponed) =>
                {
                    elections.entry((country, e.date.latest())).or_insert(&e.uid);
                }
                EventKind::Cabinet if !e.caretaker && e.status == EventStatus::Held => {
                    cabinets.entry((country, e.date.earliest())).or_insert(&e.uid);
                }
                _ => {}
            }
        }
        let mut formations = Vec::new();
        for (&(country, election_day), election) in &elections {
            let next = cabinets
                .range((country, election_day)..)
                .next()
                .filter(|((c, _), _)| *c == country);
            if let Some((&(_, cabinet_day), cabinet)) = next {
                let days = (cabinet_day - election_day).num_days();
                formations.push(Formation {
                    country,
                    election: (*election).to_owned(),
                    election_day,
                    cabinet: (*cabinet).to_owned(),
                    cabinet_day,
                    days: u32::try_from(days).unwrap_or(u32::MAX),
                });
            }
        }
        let mut by_country: BTreeMap<CountryCode, Vec<u32>> = BTreeMap::new();
        for f in &formations {
            by_country.entry(f.country).or_default().push(f.days);
        }
        by_country.values_mut().for_each(|lags| lags.sort_unstable());
        let mut overall: Vec<u32> = formations.iter().map(|f| f.days).collect();
        overall.sort_unstable();
        FormationLags {
            formations,
            by_country,
            overall,
        }
    }

    /// The typical lag for `country`: its own figures when it has at least three formations,
    /// else every country's, else (no history at all) [`Lag::PARLGOV_SINCE_1990`].
    pub fn typical(&self, country: CountryCode) -> Lag {
        self.by_country
            .get(&country)
            .filter(|lags| lags.len() >= MIN_COUNTRY_OBSERVATIONS)
            .and_then(|lags| Lag::from_sorted(lags, LagBasis::Country))
            .or_else(|| self.overall())
            .unwrap_or(Lag::PARLGOV_SINCE_1990)
    }

    /// Every country's figures together, when any formation was observed.
    pub fn overall(&self) -> Option<Lag> {
        Lag::from_sorted(&self.overall, LagBasis::Overall)
    }

    /// The country's own figures, however few its formations.
    pub fn of_country(&self, country: CountryCode) -> Option<Lag> {
        Lag::from_sorted(self.by_country.get(&country)?, LagBasis::Country)
    }

    /// The countries with at least one formation.
    pub fn countries(&self) -> BTreeSet<CountryCode> {
        self.by_country.keys().copied().collect()
    }

    /// Every formation observed, by country and election day.
    pub fn formations(&self) -> &[Formation] {
        &self.formations
    }
}
