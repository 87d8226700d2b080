//! The next regular legislative election of a country, estimated from its last one.
//!
//! The estimate is honest about what it does not know. Its interval is:
//!
//! - with a fixed-date rule that names a month ("first Sunday of October", "April or May of the
//!   fourth year"), the named month or months of the year one term after the last election: the
//!   law fixes the month, and the day is left to the rule's text;
//! - with a fixed-date rule that names no month ("same day as the European Parliament
//!   elections"), one term after the last election, give or take one month;
//! - otherwise one term after the last election, give or take two months (governments often
//!   choose a date near, not on, the anniversary).
//!
//! A legal maximum (`max_term_months`) caps the interval's end, and the interval never starts on
//! or before the last election. Early elections are not predicted: the estimate is of the
//! *regular* election, and says so in its title.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};

use super::{LegislativeTerm, PREDICTED_ATTRIBUTE, is_predicted};
use crate::{CalendarEvent, CountryCode, EventDate, EventKey, EventKind, EventStatus, JurisdictionCode};

/// How far either side of the anniversary a regular election may fall, with no fixed-date rule.
const SLACK_MONTHS: u32 = 2;
/// The same with a fixed-date rule whose month cannot be read from its words.
const FIXED_RULE_SLACK_MONTHS: u32 = 1;
/// A bound on rolling forward, far beyond any real gap in a calendar (a century of 1-year terms).
const MAX_TERMS_AHEAD: u32 = 100;

/// An estimated election and the known election it was estimated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    /// The estimated election: kind legislative, status scheduled, an estimated date and the
    /// attribute `predicted = "1"`.
    pub event: CalendarEvent,
    /// The last known election of the country.
    pub based_on: EventKey,
    /// How many regular terms after that election the estimate lies: 1, or more when a whole
    /// term has passed since it with no newer election known.
    pub terms_ahead: u32,
}

impl Prediction {
    /// The prediction as an event the rules look at, under the feed [`super::PREDICTIONS_FEED`].
    pub fn into_fact(self) -> crate::window::FactEvent {
        crate::window::FactEvent {
            key: EventKey {
                feed: super::PREDICTIONS_FEED.to_owned(),
                uid: self.event.uid.clone(),
            },
            event: self.event,
            predicted: true,
        }
    }
}

/// Estimates the next regular legislative election of every country that has a term in `terms`.
///
/// `known` is every event the caller knows, from any feed, exactly as known on `today` (a
/// backtest passes the events visible on its simulated day; nothing here looks further). Only
/// national legislative elections count, and never Vigie's own estimates ([`super::is_predicted`]).
///
/// For each country:
/// - its *last election* is the latest one, held, scheduled or announced, that has taken place
///   by `today` (held, or its latest possible day on or before `today`: curated calendars often
///   still say "scheduled" after the vote);
/// - if any election not cancelled is known after it (scheduled, announced, postponed), that real
///   date supersedes any estimate, and the country gets none;
/// - otherwise the estimate lies one regular term after the last election (see the module's
///   documentation for the interval), or as many terms as it takes for the interval to end on
///   or after `today`, when the calendar has missed elections since.
///
/// The uid, `predicted-legislative-<CC>-after-<YYYY-MM-DD>`, names the country and the last
/// election only, so it stays the same while the estimate's dates move (a new term file, a later
/// `today`) and changes when a newer election becomes known.
pub fn predict_elections<'a>(
    known: impl IntoIterator<Item = (&'a EventKey, &'a CalendarEvent)>,
    terms: &[LegislativeTerm],
    today: NaiveDate,
) -> Vec<Prediction> {
    let mut by_country: BTreeMap<CountryCode, Vec<(&EventKey, &CalendarEvent)>> = BTreeMap::new();
    for (key, event) in known {
        if event.kind == EventKind::Legislative
            && event.jurisdiction.is_national()
            && event.status != EventStatus::Cancelled
            && !is_predicted(event)
        {
            by_country
                .entry(event.jurisdiction.country())
                .or_default()
                .push((key, event));
        }
    }
    let mut seen = Vec::new();
    let mut predictions = Vec::new();
    for term in terms {
        // A country listed twice keeps its first term, as the term file's reader insists.
        if seen.contains(&term.country) {
            continue;
        }
        seen.push(term.country);
        let Some(elections) = by_country.get(&term.country) else {
            continue;
        };
        if let Some(p) = predict_one(term, elections, today) {
            predictions.push(p);
        }
    }
    predictions.sort_by(|a, b| a.event.jurisdiction.cmp(&b.event.jurisdiction));
    predictions
}

fn has_taken_place(event: &CalendarEvent, today: NaiveDate) -> bool {
    event.date.earliest() <= today
        && match event.status {
            EventStatus::Held => true,
            EventStatus::Scheduled | EventStatus::Announced => event.date.latest() <= today,
            EventStatus::Postponed | EventStatus::Cancelled => false,
        }
}

fn predict_one(
    term: &LegislativeTerm,
    elections: &[(&EventKey, &CalendarEvent)],
    today: NaiveDate,
) -> Option<Prediction> {
    if term.term_years == 0 {
        return None;
    }
    // The same election may come from two feeds: the smaller key wins, so the choice is stable.
    let (last_key, last) = elections
        .iter()
        .filter(|(_, e)| has_taken_place(e, today))
        .max_by_key(|(key, e)| (e.date.latest(), e.date.earliest(), Reverse(*key)))?;
    if elections
        .iter()
        .any(|(_, e)| e.date.latest() > last.date.latest())
    {
        return None;
    }
    let mut terms_ahead = 1;
    let mut estimate = estimate(term, &last.date, terms_ahead)?;
    while estimate.date.latest() < today && terms_ahead < MAX_TERMS_AHEAD {
        terms_ahead += 1;
        estimate = self::estimate(term, &last.date, terms_ahead)?;
    }
    let country = term.country;
    let last_day = last.date.earliest().format("%Y-%m-%d");
    let years = match terms_ahead {
        1 => format!("{} years", term.term_years),
        n => format!("{n} × {} years", term.term_years),
    };
    let mut notes = estimate.how;
    if terms_ahead > 1 {
        notes.push_str(&format!(
            " No election is known since {last_day}: the estimate is {terms_ahead} regular terms after it."
        ));
    }
    let mut attributes = BTreeMap::new();
    attributes.insert(PREDICTED_ATTRIBUTE.to_owned(), "1".to_owned());
    attributes.insert("based_on".to_owned(), last_key.to_string());
    Some(Prediction {
        event: CalendarEvent {
            uid: format!("predicted-legislative-{country}-after-{last_day}"),
            jurisdiction: JurisdictionCode::from(country),
            kind: EventKind::Legislative,
            title: format!("{country}: next regular legislative election (estimated)"),
            date: estimate.date,
            status: EventStatus::Scheduled,
            caretaker: false,
            source: Some(format!(
                "Vigie estimate: last election {last_day} + {years} ({})",
                term.source
            )),
            notes: Some(notes),
            attributes,
        },
        based_on: (*last_key).clone(),
        terms_ahead,
    })
}

struct Estimate {
    date: EventDate,
    /// One sentence saying how the interval was chosen.
    how: String,
}

/// The interval `terms_ahead` regular terms after the election on `last`.
fn estimate(term: &LegislativeTerm, last: &EventDate, terms_ahead: u32) -> Option<Estimate> {
    let months_ahead = term.term_years.checked_mul(12)?.checked_mul(terms_ahead)?;
    let anchor_from = last.earliest().checked_add_months(Months::new(months_ahead))?;
    let anchor_to = last.latest().checked_add_months(Months::new(months_ahead))?;
    // The legal maximum runs from the election before the one estimated, which is the last known
    // election itself, or, when rolled forward, an unknown one assumed to be on time.
    let cap = match term.max_term_months {
        Some(max) => {
            let months = (months_ahead - term.term_years * 12).checked_add(max)?;
            Some(last.latest().checked_add_months(Months::new(months))?)
        }
        None => None,
    };
    let after_last = last.latest().checked_add_days(Days::new(1))?;
    let bounded = |from: NaiveDate, to: NaiveDate| -> Option<(NaiveDate, NaiveDate)> {
        let to = cap.map_or(to, |cap| to.min(cap));
        let from = from.max(after_last);
        (from <= to).then_some((from, to))
    };

    let rule = term
        .fixed_date_rule
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(rule) = rule
        && let Some((first, last_month)) = months_named(rule)
    {
        let year = anchor_from.year();
        let from = NaiveDate::from_ymd_opt(year, first, 1)?;
        let to = NaiveDate::from_ymd_opt(year, last_month, 1)?
            .checked_add_months(Months::new(1))?
            .pred_opt()?;
        if let Some((from, to)) = bounded(from, to) {
            return Some(Estimate {
                date: EventDate::estimated(from, to),
                how: format!(
                    "Estimated from the fixed-date rule \"{rule}\": the month or months it names, in the year of the regular term's end."
                ),
            });
        }
    }
    let slack = if rule.is_some() {
        FIXED_RULE_SLACK_MONTHS
    } else {
        SLACK_MONTHS
    };
    let from = anchor_from.checked_sub_months(Months::new(slack))?;
    let to = anchor_to.checked_add_months(Months::new(slack))?;
    let capped = if cap.is_some_and(|cap| cap < to) {
        ", and no later than the legal maximum"
    } else {
        ""
    };
    // A cap before the slack's start (a maximum shorter than the term, which the term file
    // refuses) still gives a one-day interval rather than none.
    let (from, to) = bounded(from, to).unwrap_or_else(|| {
        let day = cap.map_or(to, |cap| to.min(cap)).max(after_last);
        (day, day)
    });
    Some(Estimate {
        date: EventDate::estimated(from, to),
        how: format!(
            "Estimated as the regular term's end, give or take {slack} month{}{capped}.",
            if slack == 1 { "" } else { "s" }
        ),
    })
}

/// The earliest and latest months that a rule's words name, in calendar order.
fn months_named(rule: &str) -> Option<(u32, u32)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // "may" is also a verb: only the capitalised word names the month.
    let named: Vec<u32> = rule
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| *word != "may")
        .filter_map(|word| MONTHS.iter().position(|m| m.eq_ignore_ascii_case(word)))
        .map(|i| i as u32 + 1)
        .collect();
    Some((*named.iter().min()?, *named.iter().max()?))
}

#[cfg(test)]
mod tests {
    use super::months_named;

    #[test]
    fn rules_name_their_months_in_calendar_order() {
        for (rule, expected) in [
            ("first Sunday of October", Some((10, 10))),
            (
                "April or May of the fourth year after the previous election",
                Some((4, 5)),
            ),
            (
                "Tuesday after the first Monday of November in even years",
                Some((11, 11)),
            ),
            ("same day as the European Parliament elections", None),
            (
                "third Tuesday of Cheshvan (Hebrew calendar) in the year the term ends",
                None,
            ),
            ("between 46 and 48 months after the start of the term", None),
            ("Mayday", None),
            ("elections may be held in june", Some((6, 6))),
        ] {
            assert_eq!(months_named(rule), expected, "{rule}");
        }
    }
}
