//! The regular terms of legislatures, `data/legislative-terms.csv` (documented in
//! `data/README.md`), from which Vigie estimates the next regular election.
//!
//! Columns: `country,chamber,term_years,max_term_months,fixed_date_rule,source`, one row per
//! country; any `x_…` column is allowed and ignored.

use std::collections::HashMap;

use vigie_rules::CountryCode;
use vigie_rules::predict::LegislativeTerm;

use crate::FeedError;
use crate::country::Countries;
use crate::record::{self, Problems, Row, take};

const COLUMNS: &[&str] = &[
    "country",
    "chamber",
    "term_years",
    "max_term_months",
    "fixed_date_rule",
    "source",
];
const REQUIRED: &[&str] = &["country", "chamber", "term_years", "source"];

/// The longest regular term accepted, in years: a larger number is a typo (months for years).
const MAX_TERM_YEARS: u32 = 10;

/// Reads a whole terms file; any bad row fails the file with every problem located.
pub fn parse(bytes: &[u8], countries: &Countries) -> Result<Vec<LegislativeTerm>, FeedError> {
    let rows = record::csv_rows(bytes, COLUMNS, REQUIRED)?;
    let mut problems = Problems::default();
    let mut seen: HashMap<CountryCode, String> = HashMap::new();
    let mut terms = Vec::with_capacity(rows.len());
    for row in &rows {
        match term(row, countries) {
            Ok(t) => {
                if let Some(first) = seen.insert(t.country, row.location.clone()) {
                    problems.push(format!(
                        "{}: {} already has a term at {first}; expected one row per country",
                        row.at("country"),
                        t.country
                    ));
                } else {
                    terms.push(t);
                }
            }
            Err(list) => list.into_iter().for_each(|p| problems.push(p)),
        }
    }
    problems.finish(terms)
}

fn term(row: &Row, countries: &Countries) -> Result<LegislativeTerm, Vec<String>> {
    let mut errors = Vec::new();

    let country = take(
        &mut errors,
        row.required("country").and_then(|c| {
            let code = CountryCode::parse(c).map_err(|e| format!("{}: {e}", row.at("country")))?;
            match countries.get(code) {
                Some(_) => Ok(code),
                None => Err(format!(
                    "{}: \"{code}\" is not a known ISO 3166-1 country; expected a code listed in countries.csv",
                    row.at("country")
                )),
            }
        }),
    );
    let chamber = take(&mut errors, row.required("chamber").map(str::to_owned));
    let term_years = take(
        &mut errors,
        row.required("term_years").and_then(|t| match t.parse::<u32>() {
            Ok(years) if (1..=MAX_TERM_YEARS).contains(&years) => Ok(years),
            _ => Err(format!(
                "{}: \"{t}\" is not a term; expected a whole number of years from 1 to {MAX_TERM_YEARS}",
                row.at("term_years")
            )),
        }),
    );
    let max_term_months = take(
        &mut errors,
        match row.get("max_term_months") {
            None => Ok(None),
            Some(m) => match m.parse::<u32>() {
                Ok(months) if (1..=MAX_TERM_YEARS * 12).contains(&months) => Ok(Some(months)),
                _ => Err(format!(
                    "{}: \"{m}\" is not a maximum term; expected a whole number of months from 1 to {}, or nothing",
                    row.at("max_term_months"),
                    MAX_TERM_YEARS * 12
                )),
            },
        },
    );
    let source = take(&mut errors, row.required("source").map(str::to_owned));

    match (country, chamber, term_years, max_term_months, source) {
        (Some(country), Some(chamber), Some(term_years), Some(max_term_months), Some(source))
            if errors.is_empty() =>
        {
            if let Some(max) = max_term_months
                && max < term_years * 12
            {
                return Err(vec![format!(
                    "{}: the maximum of {max} months is shorter than the regular term of {term_years} years; expected at least {} months",
                    row.at("max_term_months"),
                    term_years * 12
                )]);
            }
            Ok(LegislativeTerm {
                country,
                chamber,
                term_years,
                max_term_months,
                fixed_date_rule: row.get("fixed_date_rule").map(str::to_owned),
                source,
            })
        }
        _ => Err(errors),
    }
}
