//! The ParlGov tables bundled with Vigie, read in full.

use std::collections::BTreeMap;

use vigie_feeds::parlgov::{Tables, parse};
use vigie_feeds::{Countries, bundled};
use vigie_rules::{CalendarEvent, EventKind, EventStatus};

fn bundled_events() -> Vec<CalendarEvent> {
    let tables = Tables {
        country: bundled::file("parlgov/country.csv").unwrap(),
        election: bundled::file("parlgov/election.csv").unwrap(),
        cabinet: bundled::file("parlgov/cabinet.csv").unwrap(),
    };
    parse(&tables, &Countries::bundled().unwrap()).unwrap()
}

#[test]
fn every_election_and_cabinet_becomes_an_event() {
    let events = bundled_events();
    let mut by_kind: BTreeMap<EventKind, usize> = BTreeMap::new();
    for e in &events {
        *by_kind.entry(e.kind).or_default() += 1;
    }
    // data/parlgov/SOURCES.md: 844 parliamentary (type 13) and 183 European Parliament (type 1)
    // elections, the 1,027 rows of election.csv, and 1,619 cabinets.
    assert_eq!(by_kind.get(&EventKind::Legislative), Some(&844));
    assert_eq!(by_kind.get(&EventKind::European), Some(&183));
    assert_eq!(by_kind.get(&EventKind::Cabinet), Some(&1619));
    assert!(events.iter().all(|e| e.status == EventStatus::Held));
    // 150 cabinets are flagged caretaker and 257 elections early in the tables.
    assert_eq!(events.iter().filter(|e| e.caretaker).count(), 150);
    assert_eq!(
        events
            .iter()
            .filter(|e| e.attributes.get("early").map(String::as_str) == Some("1"))
            .count(),
        257
    );
}

#[test]
fn identities_are_stable_and_unique() {
    let events = bundled_events();
    let mut uids: Vec<&str> = events.iter().map(|e| e.uid.as_str()).collect();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), events.len());
    assert_eq!(bundled_events(), events, "reading twice gives the same events");
}

#[test]
fn dutch_elections_and_the_rutte_cabinets_are_where_they_belong() {
    let events = bundled_events();
    let nl = |kind: EventKind| -> Vec<String> {
        events
            .iter()
            .filter(|e| {
                e.jurisdiction.as_str() == "NL"
                    && e.kind == kind
                    && e.date.earliest().format("%Y").to_string().as_str() >= "2010"
            })
            .map(|e| e.date.to_string())
            .collect()
    };
    let mut elections = nl(EventKind::Legislative);
    elections.sort();
    assert_eq!(
        elections,
        ["2010-06-09", "2012-09-12", "2017-03-15", "2021-03-17"]
    );
    let rutte_vii = events.iter().find(|e| e.title.contains("Rutte VII")).unwrap();
    assert_eq!(
        rutte_vii.title, "Netherlands: cabinet Rutte VII takes office",
        "names are trimmed"
    );
    assert_eq!(rutte_vii.date.to_string(), "2022-01-10");
    assert!(!rutte_vii.caretaker);
}

#[test]
fn a_broken_table_is_reported_by_file_and_line() {
    let countries = Countries::bundled().unwrap();
    let tables = Tables {
        country: b"id,name_short\n8,NLD\n9,XXX\n",
        election: b"id,type_id,country_id,date,early,wikipedia,seats_total,previous_parliament_election_id,previous_cabinet_id\n1,13,8,2021-02-30,0,,150,,\n2,13,8,2021-03-17,0,,150,,\n3,99,8,2021-03-17,0,,150,,\n",
        cabinet: b"id,country_id,start_date,name,caretaker,wikipedia,previous_cabinet_id,previous_parliament_election_id\n1,7,2022-01-10,X,0,,,\n",
    };
    let err = parse(&tables, &countries).unwrap_err().to_string();
    for expected in [
        "country.csv line 3: \"XXX\" is not a known ISO 3166-1 alpha-3 code",
        "election.csv line 2: \"2021-02-30\" is not a date; expected YYYY-MM-DD",
        "election.csv line 4: type_id 99 is not an election type Vigie knows",
        "cabinet.csv line 2: country_id 7 is not in country.csv",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
}
