//! Vigie's CSV and JSON schemas for events and members.

use vigie_feeds::{Countries, Format, bundled, event_file, member_file};
use vigie_rules::{EventKind, EventStatus, JurisdictionLevel, MemberStatus, Precision, Region};

fn countries() -> Countries {
    Countries::bundled().unwrap()
}

#[test]
fn the_bundled_registry_knows_every_iso_country_with_a_region() {
    let c = countries();
    assert_eq!(c.len(), 249);
    assert_eq!(c.by_alpha3("NLD").unwrap().code.as_str(), "NL");
    assert_eq!(c.lookup("kenya").unwrap().region, Region::AfricaMiddleEast);
    assert_eq!(c.lookup("BRA").unwrap().name, "Brazil");
}

#[test]
fn the_bundled_elections_and_members_files_are_valid() {
    let events =
        event_file::parse(bundled::file("elections.csv").unwrap(), Format::Csv, &countries()).unwrap();
    assert!(events.len() >= 60, "{}", events.len());
    assert!(
        events.iter().all(|e| e.kind.is_election() && e.source.is_some()),
        "every row cites a source"
    );
    let estimated = events
        .iter()
        .filter(|e| e.date.precision() == Precision::Estimated)
        .count();
    let exact = events
        .iter()
        .filter(|e| e.date.precision() == Precision::Day)
        .count();
    assert!(estimated > 0 && exact > 0);

    let members = member_file::parse(
        bundled::file("ogp-members.csv").unwrap(),
        Format::Csv,
        &countries(),
    )
    .unwrap();
    let national = members
        .iter()
        .filter(|m| m.level == JurisdictionLevel::National)
        .count();
    let local = members.len() - national;
    assert!(
        national >= 70 && local >= 15,
        "{national} national, {local} local"
    );
    let kenya = members.iter().find(|m| m.code.as_str() == "KE").unwrap();
    assert_eq!(
        (kenya.region, kenya.status),
        (Region::AfricaMiddleEast, MemberStatus::Active)
    );
}

#[test]
fn csv_and_json_describe_the_same_events() {
    let csv = "id,jurisdiction,kind,title,date,date_end,precision,status,caretaker,source,notes,x_round\n\
               ke-2027,KE,legislative,Kenyan general election,2027-08-10,,,scheduled,,Constitution art. 101,,1\n\
               fr-2027,fr,presidential,,2027-04,2027-05,,announced,no,,\"two rounds, April and May\",\n\
               de-2029,DE,legislative,German federal election,2029,,estimated,scheduled,,,,\n";
    let json = r#"{"events": [
        {"id": "ke-2027", "jurisdiction": "KE", "kind": "legislative", "title": "Kenyan general election", "date": "2027-08-10", "status": "scheduled", "source": "Constitution art. 101", "attributes": {"round": "1"}},
        {"id": "fr-2027", "jurisdiction": "FR", "kind": "presidential", "date": "2027-04", "date_end": "2027-05", "status": "announced", "caretaker": false, "notes": "two rounds, April and May"},
        {"id": "de-2029", "jurisdiction": "DE", "kind": "legislative", "title": "German federal election", "date": "2029", "precision": "estimated", "notes": null}
    ]}"#;
    let from_csv = event_file::parse(csv.as_bytes(), Format::Csv, &countries()).unwrap();
    let from_json = event_file::parse(json.as_bytes(), Format::Json, &countries()).unwrap();
    assert_eq!(from_csv, from_json);
    assert_eq!(
        from_csv[1].title, "France: presidential",
        "a missing title is made from the place and kind"
    );
    assert_eq!(from_csv[1].date.to_string(), "2027-04..2027-05");
    assert_eq!(from_csv[1].status, EventStatus::Announced);
    assert_eq!(from_csv[2].date.to_string(), "~2029-01-01..2029-12-31");
    assert_eq!(from_csv[0].attributes.get("round").map(String::as_str), Some("1"));
    assert_eq!(from_csv[0].kind, EventKind::Legislative);
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_column() {
    let csv = "id,jurisdiction,kind,date,status\n\
               a,KE,legislative,2027-08-10,scheduled\n\
               b,KEN,legislative,2027,scheduled\n\
               c,FR,coronation,2027-02-30,maybe\n\
               a,DE,legislative,2029,\n\
               ,DE,legislative,,\n";
    let err = event_file::parse(csv.as_bytes(), Format::Csv, &countries())
        .unwrap_err()
        .to_string();
    for expected in [
        "line 3, column jurisdiction: \"KEN\" is not a jurisdiction code",
        "line 4, column kind: \"coronation\" is not an event kind",
        "line 4, column date: \"2027-02-30\" is not a day of the calendar",
        "line 4, column status: \"maybe\" is not an event status",
        "line 5, column id: the id \"a\" is already used at line 2",
        "line 6, column id: `id` is empty; it is required",
        "line 6, column date: `date` is empty; it is required",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn the_header_is_checked_against_the_schema() {
    let err = event_file::parse(
        b"id,jurisdiction,kind,dte\na,KE,legislative,2027\n",
        Format::Csv,
        &countries(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("line 1: unknown column `dte`; expected columns id, jurisdiction"),
        "{err}"
    );
    assert!(
        err.contains("line 1: the required column `date` is missing"),
        "{err}"
    );
    let ragged = event_file::parse(
        b"id,jurisdiction,kind,date\na,KE,legislative\n",
        Format::Csv,
        &countries(),
    );
    assert!(
        ragged
            .unwrap_err()
            .to_string()
            .contains("line 2: the row has 3 fields; expected 4 like the header")
    );
}

#[test]
fn json_problems_are_located_by_path() {
    let bad = [
        (
            r#"{"events": [{"id": "a", "jurisdiction": "KE", "kind": "local", "date": "2027", "colour": "red"}]}"#,
            "events[0].colour: unknown field",
        ),
        (
            r#"{"events": [{"id": "a", "jurisdiction": "KE", "kind": "local", "date": 2027.5}]}"#,
            "events[0].date: \"2027.5\" is not a date",
        ),
        (r#"{"events": [1]}"#, "events[0]: expected an object"),
        (r#"{"items": []}"#, "the JSON object has no `events` array"),
        (
            "{\"events\": [\n  {\"id\": }\n]}",
            "line 2, column 10: the file is not JSON",
        ),
    ];
    for (json, expected) in bad {
        let err = event_file::parse(json.as_bytes(), Format::Json, &countries())
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{json}: {err}");
    }
}

#[test]
fn member_rows_are_checked_for_consistency() {
    let csv = "code,name,country,status,plan_start,plan_end,joined\n\
               KE,Kenya,KE,active,2023-01,2027-12,2011\n\
               ES-madrid,Madrid,FR,active,,,\n\
               GH,Ghana,,dormant,2024,2023,twenty\n";
    let err = member_file::parse(csv.as_bytes(), Format::Csv, &countries())
        .unwrap_err()
        .to_string();
    for expected in [
        "line 3, column country: \"FR\" does not match the member code ES-madrid; expected ES",
        "line 4, column status: \"dormant\" is not a member status",
        "line 4, column plan_end: the plan ends before it starts",
        "line 4, column joined: \"twenty\" is not a year",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    let ok = member_file::parse(
        b"code,name,status\nES-madrid,Madrid,active\n",
        Format::Csv,
        &countries(),
    )
    .unwrap();
    assert_eq!(
        (ok[0].level, ok[0].region),
        (JurisdictionLevel::Local, Region::Europe),
        "level and region follow the code"
    );
}

#[test]
fn latin1_files_are_decoded() {
    let latin1 = b"code,name,status\nMX,M\xe9xico,active\n";
    let members = member_file::parse(latin1, Format::Csv, &countries()).unwrap();
    assert_eq!(members[0].name, "México");
}
