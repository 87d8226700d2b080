//! Estimated elections and formation lags, on synthetic events.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use vigie_rules::predict::{FormationLags, Lag, LagBasis, LegislativeTerm, is_predicted, predict_elections};
use vigie_rules::{
    CalendarEvent, CountryCode, EventDate, EventKey, EventKind, EventStatus, JurisdictionCode,
};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

fn term(country: &str, years: u32, max_months: Option<u32>, rule: Option<&str>) -> LegislativeTerm {
    LegislativeTerm {
        country: cc(country),
        chamber: "House".into(),
        term_years: years,
        max_term_months: max_months,
        fixed_date_rule: rule.map(str::to_owned),
        source: "Constitution art. 1".into(),
    }
}

fn event(jurisdiction: &str, kind: EventKind, date: &str, status: EventStatus) -> CalendarEvent {
    CalendarEvent {
        uid: format!("{}-{kind}-{date}", jurisdiction.to_lowercase()),
        jurisdiction: JurisdictionCode::parse(jurisdiction).unwrap(),
        kind,
        title: format!("{jurisdiction} {kind}"),
        date: date.parse().unwrap(),
        status,
        caretaker: false,
        source: None,
        notes: None,
        attributes: BTreeMap::new(),
    }
}

fn held(country: &str, date: &str) -> CalendarEvent {
    event(country, EventKind::Legislative, date, EventStatus::Held)
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

fn predict(
    known: &[(EventKey, CalendarEvent)],
    terms: &[LegislativeTerm],
    today: &str,
) -> Vec<vigie_rules::predict::Prediction> {
    predict_elections(known.iter().map(|(k, e)| (k, e)), terms, day(today))
}

#[test]
fn a_last_election_in_march_2021_with_a_four_year_term_is_estimated_in_2025_give_or_take_two_months() {
    let known = keyed(
        "parlgov",
        vec![held("NL", "2017-03-15"), held("NL", "2021-03-17")],
    );
    let predictions = predict(&known, &[term("NL", 4, None, None)], "2023-07-01");
    let [p] = predictions.as_slice() else {
        panic!("{predictions:?}")
    };
    let e = &p.event;
    assert_eq!(e.uid, "predicted-legislative-NL-after-2021-03-17");
    assert_eq!(e.date, "~2025-01-17..2025-05-17".parse::<EventDate>().unwrap());
    assert_eq!(e.date.to_string(), "~2025-01-17..2025-05-17");
    assert_eq!(
        (e.kind, e.status),
        (EventKind::Legislative, EventStatus::Scheduled)
    );
    assert_eq!(e.jurisdiction.as_str(), "NL");
    assert_eq!(e.title, "NL: next regular legislative election (estimated)");
    assert_eq!(
        e.source.as_deref(),
        Some("Vigie estimate: last election 2021-03-17 + 4 years (Constitution art. 1)")
    );
    assert!(is_predicted(e));
    assert_eq!(
        e.attributes.get("based_on").map(String::as_str),
        Some("parlgov:nl-legislative-2021-03-17")
    );
    assert_eq!(p.based_on.to_string(), "parlgov:nl-legislative-2021-03-17");
    assert_eq!(p.terms_ahead, 1);
}

#[test]
fn the_interval_follows_the_term_its_legal_maximum_and_its_fixed_date_rule() {
    // (why, term, last election, today, expected estimate, terms ahead)
    let cases = [
        (
            "regular term: the anniversary give or take two months",
            term("NL", 4, None, None),
            "2021-03-17",
            "2023-07-01",
            "~2025-01-17..2025-05-17",
            1,
        ),
        (
            "a legal maximum caps the end",
            term("GB", 5, Some(60), None),
            "2019-12-12",
            "2023-07-01",
            "~2024-10-12..2024-12-12",
            1,
        ),
        (
            "a maximum beyond the slack changes nothing",
            term("IE", 5, Some(66), None),
            "2020-02-08",
            "2023-07-01",
            "~2024-12-08..2025-04-08",
            1,
        ),
        (
            "a fixed-date rule naming a month gives that month",
            term("SE", 4, None, Some("second Sunday of September")),
            "2022-09-11",
            "2023-07-01",
            "~2026-09-01..2026-09-30",
            1,
        ),
        (
            "a rule naming two months gives both",
            term(
                "HU",
                4,
                None,
                Some("April or May of the fourth year after the previous election"),
            ),
            "2022-04-03",
            "2023-07-01",
            "~2026-04-01..2026-05-31",
            1,
        ),
        (
            "a rule naming no month narrows the slack to one month",
            term(
                "BE",
                5,
                None,
                Some("same day as the European Parliament elections"),
            ),
            "2019-05-26",
            "2023-07-01",
            "~2024-04-26..2024-06-26",
            1,
        ),
        (
            "a month rule is capped by the legal maximum too",
            term(
                "CA",
                4,
                Some(48),
                Some("third Monday of October in the fourth calendar year"),
            ),
            "2021-10-15",
            "2023-07-01",
            "~2025-10-01..2025-10-15",
            1,
        ),
        (
            "an estimate already past rolls forward by whole terms",
            term("NL", 4, None, None),
            "2017-03-15",
            "2023-07-01",
            "~2025-01-15..2025-05-15",
            2,
        ),
        (
            "an estimate still open on the day is kept",
            term("NL", 4, None, None),
            "2019-05-01",
            "2023-05-20",
            "~2023-03-01..2023-07-01",
            1,
        ),
        (
            "a month rule rolls forward in its month",
            term("SE", 4, None, Some("second Sunday of September")),
            "2014-09-14",
            "2023-07-01",
            "~2026-09-01..2026-09-30",
            3,
        ),
        (
            "a capped term rolls forward from an on-time election",
            term("GB", 5, Some(60), None),
            "2010-05-06",
            "2016-01-01",
            "~2020-03-06..2020-05-06",
            2,
        ),
    ];
    for (why, term, last, today, expected, terms_ahead) in cases {
        let country = term.country.to_string();
        let known = keyed("f", vec![held(&country, last)]);
        let predictions = predict(&known, &[term], today);
        let [p] = predictions.as_slice() else {
            panic!("{why}: {predictions:?}")
        };
        assert_eq!(
            (p.event.date.to_string(), p.terms_ahead),
            (expected.to_owned(), terms_ahead),
            "{why}"
        );
        assert!(
            p.event.date.earliest() > day(last),
            "{why}: never before the last election"
        );
        assert!(
            p.event.date.latest() >= day(today),
            "{why}: never wholly in the past"
        );
        assert_eq!(
            p.event.uid,
            format!("predicted-legislative-{country}-after-{last}"),
            "{why}"
        );
    }
}

#[test]
fn a_rolled_forward_estimate_says_so() {
    let known = keyed("f", vec![held("NL", "2017-03-15")]);
    let [p] = predict(&known, &[term("NL", 4, None, None)], "2023-07-01")
        .try_into()
        .unwrap();
    assert_eq!(
        p.event.source.as_deref(),
        Some("Vigie estimate: last election 2017-03-15 + 2 × 4 years (Constitution art. 1)")
    );
    assert!(
        p.event
            .notes
            .unwrap()
            .contains("No election is known since 2017-03-15")
    );
}

#[test]
fn a_real_election_known_after_the_last_one_supersedes_the_estimate() {
    let nl = |date: &str, status: EventStatus| event("NL", EventKind::Legislative, date, status);
    let mut predicted = nl("2025-03", EventStatus::Scheduled);
    predicted.attributes.insert("predicted".into(), "1".into());
    // (why, the later event, whether an estimate remains)
    let cases = [
        (
            "an announced day",
            nl("2023-11-22", EventStatus::Announced),
            false,
        ),
        ("a scheduled month", nl("2025-03", EventStatus::Scheduled), false),
        (
            "a postponed election",
            nl("2024-03-20", EventStatus::Postponed),
            false,
        ),
        (
            "an election held since",
            nl("2023-11-22", EventStatus::Held),
            false,
        ),
        (
            "a cancelled election",
            nl("2023-11-22", EventStatus::Cancelled),
            true,
        ),
        ("Vigie's own earlier estimate", predicted, true),
        (
            "a local election",
            event("NL", EventKind::Local, "2026-03-18", EventStatus::Scheduled),
            true,
        ),
        (
            "a subnational legislative election",
            event("NL-NH", EventKind::Legislative, "2023-03-15", EventStatus::Held),
            true,
        ),
    ];
    for (why, later, remains) in cases {
        let mut known = keyed("parlgov", vec![held("NL", "2021-03-17")]);
        known.extend(keyed("curated", vec![later]));
        let predictions = predict(&known, &[term("NL", 4, None, None)], "2023-07-01");
        assert_eq!(predictions.len(), usize::from(remains), "{why}: {predictions:?}");
        if let Some(p) = predictions.first() {
            assert_eq!(p.event.uid, "predicted-legislative-NL-after-2021-03-17", "{why}");
        }
    }
}

#[test]
fn a_scheduled_election_whose_day_has_passed_counts_as_the_last_one() {
    // Curated calendars often still say "scheduled" after the vote.
    let known = keyed(
        "curated",
        vec![
            held("NL", "2021-03-17"),
            event("NL", EventKind::Legislative, "2023-11-22", EventStatus::Scheduled),
        ],
    );
    let terms = [term("NL", 4, None, None)];
    let before = predict(&known, &terms, "2023-07-01");
    assert!(before.is_empty(), "the 2023 election is still ahead: {before:?}");
    let after = predict(&known, &terms, "2024-01-01");
    assert_eq!(after[0].event.uid, "predicted-legislative-NL-after-2023-11-22");
    assert_eq!(after[0].event.date.to_string(), "~2027-09-22..2028-01-22");
}

#[test]
fn a_cancelled_election_is_not_the_last_one() {
    let known = keyed(
        "f",
        vec![
            held("NL", "2021-03-17"),
            event("NL", EventKind::Legislative, "2022-03-16", EventStatus::Cancelled),
        ],
    );
    let predictions = predict(&known, &[term("NL", 4, None, None)], "2023-07-01");
    assert_eq!(
        predictions[0].event.uid,
        "predicted-legislative-NL-after-2021-03-17"
    );
}

#[test]
fn a_country_without_a_term_or_without_an_election_gets_no_estimate() {
    let known = keyed("f", vec![held("NL", "2021-03-17"), held("BE", "2019-05-26")]);
    let predictions = predict(
        &known,
        &[term("BE", 5, None, None), term("DE", 4, None, None)],
        "2023-07-01",
    );
    let countries: Vec<&str> = predictions
        .iter()
        .map(|p| p.event.jurisdiction.as_str())
        .collect();
    assert_eq!(countries, ["BE"], "NL has no term, DE no election");
    assert!(predict(&known, &[], "2023-07-01").is_empty());
    assert!(
        predict(&known, &[term("NL", 0, None, None)], "2023-07-01").is_empty(),
        "a zero term is no term"
    );
    assert!(predict(&[], &[term("NL", 4, None, None)], "2023-07-01").is_empty());
}

#[test]
fn an_election_known_only_in_the_future_gives_no_estimate() {
    let known = keyed(
        "curated",
        vec![event(
            "KE",
            EventKind::Legislative,
            "2027-08-10",
            EventStatus::Scheduled,
        )],
    );
    assert!(predict(&known, &[term("KE", 5, None, None)], "2026-01-01").is_empty());
}

#[test]
fn uids_stay_the_same_when_only_the_estimates_dates_change() {
    let known = keyed(
        "parlgov",
        vec![held("NL", "2017-03-15"), held("NL", "2021-03-17")],
    );
    let uid = |terms: &[LegislativeTerm], today: &str| {
        let p = predict(&known, terms, today);
        (p[0].event.uid.clone(), p[0].event.date)
    };
    let (a, date_a) = uid(&[term("NL", 4, None, None)], "2023-07-01");
    let (b, date_b) = uid(&[term("NL", 5, Some(60), Some("in March"))], "2023-07-01");
    let (c, date_c) = uid(&[term("NL", 4, None, None)], "2026-01-01");
    assert_ne!(date_a, date_b);
    assert_ne!(date_a, date_c);
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a, "predicted-legislative-NL-after-2021-03-17");

    // A newer election is a new basis, hence a new estimate.
    let mut newer = known.clone();
    newer.extend(keyed("curated", vec![held("NL", "2023-11-22")]));
    let p = predict(&newer, &[term("NL", 4, None, None)], "2024-01-01");
    assert_eq!(p[0].event.uid, "predicted-legislative-NL-after-2023-11-22");
}

#[test]
fn the_same_election_from_two_feeds_gives_one_estimate_from_a_stable_basis() {
    let mut known = keyed("parlgov", vec![held("NL", "2021-03-17")]);
    known.extend(keyed("curated", vec![held("NL", "2021-03-17")]));
    for order in [known.clone(), known.iter().rev().cloned().collect()] {
        let p = predict(&order, &[term("NL", 4, None, None)], "2023-07-01");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].based_on.feed, "curated");
    }
}

#[test]
fn a_country_listed_twice_keeps_its_first_term() {
    let known = keyed("f", vec![held("NL", "2021-03-17")]);
    let p = predict(
        &known,
        &[term("NL", 4, None, None), term("NL", 5, None, None)],
        "2023-07-01",
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].event.date.to_string(), "~2025-01-17..2025-05-17");
}

fn cabinet(country: &str, date: &str, caretaker: bool) -> CalendarEvent {
    CalendarEvent {
        caretaker,
        ..event(country, EventKind::Cabinet, date, EventStatus::Held)
    }
}

#[test]
fn a_formation_ends_at_the_next_cabinet_that_is_not_a_caretaker() {
    let events = [
        held("NL", "2021-03-17"),
        cabinet("NL", "2021-03-17", true),
        cabinet("BE", "2021-04-01", false),
        cabinet("NL", "2022-01-10", false),
        cabinet("NL", "2022-06-01", false),
        // On election day, a cabinet that is not a caretaker counts (a government re-formed at once).
        held("AU", "2022-05-21"),
        cabinet("AU", "2022-05-21", false),
        // No cabinet after it: skipped.
        held("NL", "2023-11-22"),
        cabinet("NL", "2023-11-22", true),
    ];
    let lags = FormationLags::from_history(&events);
    let found: Vec<(&str, &str, u32)> = lags
        .formations()
        .iter()
        .map(|f| (f.election.as_str(), f.cabinet.as_str(), f.days))
        .collect();
    assert_eq!(
        found,
        [
            ("au-legislative-2022-05-21", "au-cabinet-2022-05-21", 0),
            ("nl-legislative-2021-03-17", "nl-cabinet-2022-01-10", 299),
        ]
    );
}

#[test]
fn only_dated_national_real_events_count_as_history() {
    let mut predicted = held("NL", "2020-01-01");
    predicted.attributes.insert("predicted".into(), "1".into());
    let events = [
        predicted,
        event("NL", EventKind::Legislative, "2020-02", EventStatus::Held),
        event("NL", EventKind::Legislative, "2020-03-01", EventStatus::Cancelled),
        event("NL-NH", EventKind::Legislative, "2020-03-02", EventStatus::Held),
        event("NL", EventKind::Cabinet, "2020-04-01", EventStatus::Scheduled),
        held("NL", "2021-03-17"),
        held("NL", "2021-03-17"),
        cabinet("NL", "2022-01-10", false),
    ];
    let lags = FormationLags::from_history(&events);
    assert_eq!(lags.formations().len(), 1, "{:?}", lags.formations());
    assert_eq!(lags.formations()[0].days, 299);
}

#[test]
fn the_typical_lag_is_the_countrys_own_from_three_formations_else_everyones() {
    let mut events = Vec::new();
    // NL: 100, 200, 300 days. BE: 10, 20 days. DE: 5 days.
    for (country, election, cabinet_day) in [
        ("NL", "2010-01-01", "2010-04-11"),
        ("NL", "2014-01-01", "2014-07-20"),
        ("NL", "2018-01-01", "2018-10-28"),
        ("BE", "2010-01-01", "2010-01-11"),
        ("BE", "2014-01-01", "2014-01-21"),
        ("DE", "2013-01-01", "2013-01-06"),
    ] {
        events.push(held(country, election));
        events.push(cabinet(country, cabinet_day, false));
    }
    let lags = FormationLags::from_history(&events);
    let nl = lags.typical(cc("NL"));
    assert_eq!(
        nl,
        Lag {
            median_days: 200,
            p90_days: 300,
            max_days: 300,
            observations: 3,
            basis: LagBasis::Country
        }
    );
    // Overall, six lags 5, 10, 20, 100, 200, 300: nearest-rank median is the lower middle one.
    let overall = Lag {
        median_days: 20,
        p90_days: 300,
        max_days: 300,
        observations: 6,
        basis: LagBasis::Overall,
    };
    assert_eq!(lags.typical(cc("BE")), overall);
    assert_eq!(lags.typical(cc("FR")), overall, "no formation of its own");
    assert_eq!(lags.of_country(cc("BE")).unwrap().median_days, 10);
    assert_eq!(lags.overall(), Some(overall));

    let none = FormationLags::from_history(std::iter::empty());
    assert_eq!(none.typical(cc("NL")), Lag::PARLGOV_SINCE_1990);
    assert_eq!(none.overall(), None);
}

#[test]
fn quantiles_are_nearest_rank() {
    // (lags, median, p90)
    let cases: [(&[u32], u32, u32); 5] = [
        (&[7], 7, 7),
        (&[1, 2], 1, 2),
        (&[1, 2, 3], 2, 3),
        (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 9),
        (&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10),
    ];
    for (lags, median, p90) in cases {
        let mut events = Vec::new();
        for (i, lag) in lags.iter().enumerate() {
            let election = day("2000-01-01") + chrono::Days::new(1000 * i as u64);
            events.push(held("NL", &election.to_string()));
            let formed = election + chrono::Days::new(u64::from(*lag));
            events.push(cabinet("NL", &formed.to_string(), false));
        }
        let lag = FormationLags::from_history(&events).typical(cc("NL"));
        assert_eq!((lag.median_days, lag.p90_days), (median, p90), "{lags:?}");
    }
}

proptest::proptest! {
    #[test]
    fn an_estimate_follows_the_last_election_and_is_never_wholly_past(
        last_offset in 0u64..20_000,
        gap in 0u64..15_000,
        years in 1u32..=6,
        max_extra in proptest::option::of(0u32..24),
        rule in proptest::option::of(proptest::sample::select(vec![
            "first Sunday of October",
            "April or May",
            "same day as the European Parliament elections",
            "January",
            "December",
        ])),
    ) {
        let last = day("1950-01-01") + chrono::Days::new(last_offset);
        let today = last + chrono::Days::new(gap);
        let known = keyed("f", vec![held("NL", &last.to_string())]);
        let term = term("NL", years, max_extra.map(|m| years * 12 + m), rule);
        let predictions = predict(&known, &[term], &today.to_string());
        proptest::prop_assert_eq!(predictions.len(), 1);
        let p = &predictions[0];
        proptest::prop_assert!(p.event.date.earliest() > last);
        proptest::prop_assert!(p.event.date.latest() >= today);
        proptest::prop_assert_eq!(p.event.date.precision(), vigie_rules::Precision::Estimated);
        proptest::prop_assert_eq!(&p.event.uid, &format!("predicted-legislative-NL-after-{last}"));
    }
}
