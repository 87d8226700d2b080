//! The bundled legislative terms, and the estimates and formation lags they give with the
//! bundled ParlGov tables and curated elections.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use vigie_feeds::parlgov::{self, Tables};
use vigie_feeds::{Countries, FeedError, Format, bundled, event_file, term_file};
use vigie_rules::predict::{FormationLags, Lag, LagBasis, LegislativeTerm, predict_elections};
use vigie_rules::{CalendarEvent, CountryCode, EventKey, EventKind};

fn countries() -> Countries {
    Countries::bundled().unwrap()
}

fn terms() -> Vec<LegislativeTerm> {
    term_file::parse(bundled::file("legislative-terms.csv").unwrap(), &countries()).unwrap()
}

fn parlgov_events() -> Vec<(EventKey, CalendarEvent)> {
    let tables = Tables {
        country: bundled::file("parlgov/country.csv").unwrap(),
        election: bundled::file("parlgov/election.csv").unwrap(),
        cabinet: bundled::file("parlgov/cabinet.csv").unwrap(),
    };
    keyed("parlgov", parlgov::parse(&tables, &countries()).unwrap())
}

fn curated_events() -> Vec<(EventKey, CalendarEvent)> {
    let events =
        event_file::parse(bundled::file("elections.csv").unwrap(), Format::Csv, &countries()).unwrap();
    keyed("elections", events)
}

fn keyed(feed: &str, events: Vec<CalendarEvent>) -> Vec<(EventKey, CalendarEvent)> {
    events
        .into_iter()
        .map(|e| {
            let key = EventKey {
                feed: feed.into(),
                uid: e.uid.clone(),
            };
            (key, e)
        })
        .collect()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

/// The last ParlGov parliamentary election of each country.
fn last_parlgov_elections(events: &[(EventKey, CalendarEvent)]) -> BTreeMap<CountryCode, NaiveDate> {
    let mut last = BTreeMap::new();
    for (_, e) in events.iter().filter(|(_, e)| e.kind == EventKind::Legislative) {
        let day = last.entry(e.jurisdiction.country()).or_insert(e.date.latest());
        *day = (*day).max(e.date.latest());
    }
    last
}

#[test]
fn the_bundled_terms_parse_with_every_parlgov_country_present() {
    let terms = terms();
    let listed: BTreeSet<CountryCode> = terms.iter().map(|t| t.country).collect();
    assert_eq!(listed.len(), terms.len(), "one row per country");
    let parlgov: BTreeSet<CountryCode> = last_parlgov_elections(&parlgov_events()).into_keys().collect();
    assert_eq!(parlgov.len(), 37);
    let missing: Vec<&CountryCode> = parlgov.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "ParlGov countries without a term: {missing:?}"
    );

    let gb = terms.iter().find(|t| t.country == cc("GB")).unwrap();
    assert_eq!((gb.term_years, gb.max_term_months), (5, Some(60)));
    assert_eq!(gb.chamber, "House of Commons");
    let se = terms.iter().find(|t| t.country == cc("SE")).unwrap();
    assert_eq!(se.fixed_date_rule.as_deref(), Some("second Sunday of September"));
    let nl = terms.iter().find(|t| t.country == cc("NL")).unwrap();
    assert_eq!(
        (nl.term_years, nl.max_term_months, nl.fixed_date_rule.as_deref()),
        (4, None, None)
    );
    assert!(
        terms
            .iter()
            .all(|t| !t.source.is_empty() && !t.chamber.is_empty())
    );
}

#[test]
fn bad_term_rows_are_refused_with_their_location() {
    const HEADER: &str = "country,chamber,term_years,max_term_months,fixed_date_rule,source\n";
    let cases = [
        (
            "XX,House,4,,,Constitution\n",
            "line 2, column country: \"XX\" is not a known ISO 3166-1 country",
        ),
        (
            "NLD,House,4,,,Constitution\n",
            "line 2, column country: \"NLD\" is not a country code",
        ),
        (
            "NL,House,0,,,Constitution\n",
            "line 2, column term_years: \"0\" is not a term; expected a whole number of years from 1 to 10",
        ),
        (
            "NL,House,four,,,Constitution\n",
            "line 2, column term_years: \"four\" is not a term",
        ),
        (
            "NL,House,4,36 months,,Constitution\n",
            "line 2, column max_term_months: \"36 months\" is not a maximum term",
        ),
        (
            "GB,House of Commons,5,48,,Act\n",
            "line 2, column max_term_months: the maximum of 48 months is shorter than the regular term of 5 years",
        ),
        (
            "NL,House,4,,,\n",
            "line 2, column source: `source` is empty; it is required",
        ),
        (
            "NL,,4,,,Constitution\n",
            "line 2, column chamber: `chamber` is empty; it is required",
        ),
        (
            "NL,House,4,,,Constitution\nBE,Chamber,5,,,Constitution\nnl,House,5,,,Constitution\n",
            "line 4, column country: NL already has a term at line 2; expected one row per country",
        ),
        (
            "NL,House,4,,Constitution\n",
            "line 2: the row has 5 fields; expected 6",
        ),
    ];
    for (rows, expected) in cases {
        let text = format!("{HEADER}{rows}");
        let err = term_file::parse(text.as_bytes(), &countries()).unwrap_err();
        let FeedError::Invalid(problems) = &err else {
            panic!("{rows}: {err:?}")
        };
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{rows}: expected {expected:?} in {problems:?}"
        );
    }

    let err = term_file::parse(b"country,chamber,term_year,source\nNL,House,4,C\n", &countries())
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 1: unknown column `term_year`"), "{err}");
    assert!(
        err.contains("the required column `term_years` is missing"),
        "{err}"
    );
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    let text = "country,chamber,term_years,max_term_months,fixed_date_rule,source\n\
                XX,House,0,,,C\n\
                NL,House,4,,,C\n";
    let FeedError::Invalid(problems) = term_file::parse(text.as_bytes(), &countries()).unwrap_err() else {
        panic!()
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn estimates_as_of_july_2023_exist_for_every_parlgov_country_after_its_last_election() {
    let events = parlgov_events();
    let today = day("2023-07-01");
    let predictions = predict_elections(events.iter().map(|(k, e)| (k, e)), &terms(), today);
    let last = last_parlgov_elections(&events);
    let predicted: BTreeSet<CountryCode> = predictions
        .iter()
        .map(|p| p.event.jurisdiction.country())
        .collect();
    assert_eq!(predicted, last.keys().copied().collect::<BTreeSet<_>>());
    for p in &predictions {
        let country = p.event.jurisdiction.country();
        let last_day = last[&country];
        assert!(
            p.event.date.earliest() > last_day,
            "{country}: {} after {last_day}",
            p.event.date
        );
        assert!(
            p.event.date.latest() >= today,
            "{country}: {} is past",
            p.event.date
        );
        assert_eq!(
            p.event.uid,
            format!("predicted-legislative-{country}-after-{last_day}"),
            "{country}"
        );
        assert_eq!(p.based_on.feed, "parlgov");
    }
    let date_of = |c: &str| {
        let p = predictions
            .iter()
            .find(|p| p.event.jurisdiction.as_str() == c)
            .unwrap();
        (p.event.date.to_string(), p.terms_ahead)
    };
    // The last Dutch election in the tables is 2021-03-17; its regular successor was due in
    // March 2025 (the real one came early, on 2023-11-22).
    assert_eq!(date_of("NL"), ("~2025-01-17..2025-05-17".to_owned(), 1));
    // The Riksdag's fixed rule names September; the 2026 election is on 13 September.
    assert_eq!(date_of("SE"), ("~2026-09-01..2026-09-30".to_owned(), 1));
    // The United Kingdom's five-year maximum caps the estimate.
    assert_eq!(date_of("GB"), ("~2024-10-12..2024-12-12".to_owned(), 1));
    // The tables miss Malta's 2022 election: the estimate rolls forward a term.
    assert_eq!(date_of("MT"), ("~2027-04-03..2027-06-03".to_owned(), 2));
}

#[test]
fn a_curated_upcoming_election_supersedes_the_estimate_for_its_country() {
    let mut events = parlgov_events();
    let curated = curated_events();
    let with_curated_election: BTreeSet<CountryCode> = curated
        .iter()
        .filter(|(_, e)| e.kind == EventKind::Legislative)
        .map(|(_, e)| e.jurisdiction.country())
        .collect();
    events.extend(curated);
    let today = day("2026-01-01");
    let predictions = predict_elections(events.iter().map(|(k, e)| (k, e)), &terms(), today);
    let predicted: BTreeSet<CountryCode> = predictions
        .iter()
        .map(|p| p.event.jurisdiction.country())
        .collect();
    let parlgov: BTreeSet<CountryCode> = last_parlgov_elections(&parlgov_events()).into_keys().collect();
    // Countries with only a future curated election (Kenya…) have no last election to start from.
    let expected: BTreeSet<CountryCode> = parlgov.difference(&with_curated_election).copied().collect();
    assert!(!expected.is_empty() && expected.len() < parlgov.len());
    assert_eq!(predicted, expected);
}

/// ParlGov's parliamentary elections since 1990 with every cabinet.
fn lags_since_1990() -> FormationLags {
    let events = parlgov_events();
    let since = day("1990-01-01");
    FormationLags::from_history(
        events
            .iter()
            .map(|(_, e)| e)
            .filter(|e| e.kind == EventKind::Cabinet || e.date.earliest() >= since),
    )
}

// The figures below were computed independently with Python's csv module on
// data/parlgov/{election,cabinet,country}.csv: for each parliamentary election (type_id 13) since
// 1990-01-01, the days to the first cabinet of the same country with caretaker = 0 and a start
// date on or after the election day, elections without one skipped; quantiles nearest-rank
// (sorted[ceil(p·n) − 1]). They agree with /work/shared/data/README.md on the median (31 days),
// the Dutch median (111) and the Belgian maximum (541), but the tables give 349 elections (not
// 342) and a p90 of 86 days (not 78), p95 131 (not 111): the README's figures come from a
// slightly different selection.
#[test]
fn formation_lags_since_1990_match_the_parlgov_tables() {
    let lags = lags_since_1990();
    let overall = lags.overall().unwrap();
    assert_eq!(
        overall,
        Lag {
            median_days: 31,
            p90_days: 86,
            max_days: 544,
            observations: 349,
            basis: LagBasis::Overall
        }
    );
    assert_eq!(
        Lag {
            basis: LagBasis::Builtin,
            ..overall
        },
        Lag::PARLGOV_SINCE_1990,
        "the built-in fallback is these figures"
    );
    let nl = lags.typical(cc("NL"));
    assert_eq!(
        (nl.median_days, nl.p90_days, nl.max_days, nl.observations),
        (111, 299, 299, 9)
    );
    assert_eq!(nl.basis, LagBasis::Country);
    let be = lags.typical(cc("BE"));
    assert_eq!((be.median_days, be.max_days, be.observations), (55, 541, 8));
    // The Belgian maximum: the 2010-06-13 election and the Di Rupo cabinet of 2011-12-06.
    let longest = lags
        .formations()
        .iter()
        .filter(|f| f.country == cc("BE"))
        .max_by_key(|f| f.days)
        .unwrap();
    assert_eq!(
        (longest.election_day, longest.cabinet_day, longest.days),
        (day("2010-06-13"), day("2011-12-06"), 541)
    );
    assert_eq!(lags.countries().len(), 37);
}

#[test]
fn formation_lags_over_all_of_parlgov_are_quicker_than_since_1990() {
    // Same Python computation, every parliamentary election: 844 formations, median 27, p90 89.
    let events = parlgov_events();
    let lags = FormationLags::from_history(events.iter().map(|(_, e)| e));
    let overall = lags.overall().unwrap();
    assert_eq!(
        (overall.median_days, overall.p90_days, overall.observations),
        (27, 89, 844)
    );
}
