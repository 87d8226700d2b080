//! The ParlGov tables: elections become election events, cabinets government-formation events.
//!
//! ParlGov (Döring, Quaas, Hesse and Manow, CC0) lists parliamentary and European Parliament
//! elections and every cabinet of 37 EU and OECD democracies. A cabinet has no end date: it ends
//! when the next one starts. Caretaker cabinets are flagged, and often start on election day.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use vigie_rules::{CalendarEvent, EventDate, EventKind, EventStatus, JurisdictionCode};

use crate::FeedError;
use crate::country::Countries;
use crate::record::Problems;
use crate::text::decode;

/// ParlGov's `info_id` codes for election types.
const ELECTION_TYPE_PARLIAMENT: &str = "13";
const ELECTION_TYPE_EUROPEAN: &str = "1";

/// The three tables ParlGov publishes that Vigie reads.
pub struct Tables<'a> {
    pub country: &'a [u8],
    pub election: &'a [u8],
    pub cabinet: &'a [u8],
}

/// The file names of the tables inside a ParlGov folder or URL.
pub const FILES: [&str; 3] = ["country.csv", "election.csv", "cabinet.csv"];

#[derive(serde::Deserialize)]
struct CountryRow {
    id: String,
    name_short: String,
}

#[derive(serde::Deserialize)]
struct ElectionRow {
    id: String,
    type_id: String,
    country_id: String,
    date: String,
    early: String,
    wikipedia: String,
    seats_total: String,
    previous_parliament_election_id: String,
    previous_cabinet_id: String,
}

#[derive(serde::Deserialize)]
struct CabinetRow {
    id: String,
    country_id: String,
    start_date: String,
    name: String,
    caretaker: String,
    wikipedia: String,
    previous_cabinet_id: String,
    previous_parliament_election_id: String,
}

fn rows<T: serde::de::DeserializeOwned>(
    table: &str,
    bytes: &[u8],
    problems: &mut Problems,
) -> Vec<(usize, T)> {
    let text = decode(bytes);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<T>().enumerate() {
        match row {
            Ok(r) => out.push((i + 2, r)),
            Err(e) => problems.push(format!(
                "{table} line {}: {e}",
                e.position().map_or(i + 2, |p| p.line() as usize)
            )),
        }
    }
    out
}

fn day(table: &str, line: usize, s: &str, problems: &mut Problems) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(format!(
                "{table} line {line}: \"{s}\" is not a date; expected YYYY-MM-DD"
            ));
            None
        }
    }
}

fn put(attributes: &mut BTreeMap<String, String>, key: &str, value: &str) {
    let v = value.trim();
    if !v.is_empty() {
        attributes.insert(key.to_owned(), v.to_owned());
    }
}

/// Reads the tables into events. Every problem is located as `table line N`.
pub fn parse(tables: &Tables<'_>, countries: &Countries) -> Result<Vec<CalendarEvent>, FeedError> {
    let mut problems = Problems::default();
    let mut country_of: HashMap<String, (JurisdictionCode, String)> = HashMap::new();
    for (line, row) in rows::<CountryRow>("country.csv", tables.country, &mut problems) {
        match countries.by_alpha3(&row.name_short) {
            Some(c) => {
                country_of.insert(
                    row.id.trim().to_owned(),
                    (JurisdictionCode::from(c.code), c.name.clone()),
                );
            }
            None => problems.push(format!(
                "country.csv line {line}: \"{}\" is not a known ISO 3166-1 alpha-3 code",
                row.name_short
            )),
        }
    }
    let mut events = Vec::new();
    let country = |table: &str, line: usize, id: &str, problems: &mut Problems| {
        let found = country_of.get(id.trim()).cloned();
        if found.is_none() {
            problems.push(format!(
                "{table} line {line}: country_id {id} is not in country.csv"
            ));
        }
        found
    };

    for (line, row) in rows::<ElectionRow>("election.csv", tables.election, &mut problems) {
        let kind = match row.type_id.trim() {
            ELECTION_TYPE_PARLIAMENT => EventKind::Legislative,
            ELECTION_TYPE_EUROPEAN => EventKind::European,
            other => {
                problems.push(format!(
                    "election.csv line {line}: type_id {other} is not an election type Vigie knows; expected 13 (parliament) or 1 (European Parliament)"
                ));
                continue;
            }
        };
        let (Some((jurisdiction, name)), Some(date)) = (
            country("election.csv", line, &row.country_id, &mut problems),
            day("election.csv", line, &row.date, &mut problems),
        ) else {
            continue;
        };
        let early = row.early.trim() == "1";
        let title = match kind {
            EventKind::European => format!("European Parliament election in {name}"),
            _ if early => format!("{name} parliamentary election (early)"),
            _ => format!("{name} parliamentary election"),
        };
        let mut attributes = BTreeMap::new();
        put(&mut attributes, "parlgov_id", &row.id);
        attributes.insert("early".into(), if early { "1" } else { "0" }.into());
        put(&mut attributes, "seats_total", &row.seats_total);
        put(
            &mut attributes,
            "previous_parliament_election_id",
            &row.previous_parliament_election_id,
        );
        put(&mut attributes, "previous_cabinet_id", &row.previous_cabinet_id);
        events.push(CalendarEvent {
            uid: format!("election-{}", row.id.trim()),
            jurisdiction,
            kind,
            title,
            date: EventDate::day(date),
            status: EventStatus::Held,
            caretaker: false,
            source: Some(non_empty(&row.wikipedia).unwrap_or("ParlGov").to_owned()),
            notes: None,
            attributes,
        });
    }

    for (line, row) in rows::<CabinetRow>("cabinet.csv", tables.cabinet, &mut problems) {
        let (Some((jurisdiction, name)), Some(date)) = (
            country("cabinet.csv", line, &row.country_id, &mut problems),
            day("cabinet.csv", line, &row.start_date, &mut problems),
        ) else {
            continue;
        };
        let caretaker = row.caretaker.trim() == "1";
        let cabinet = row.name.trim();
        let title = if caretaker {
            format!("{name}: caretaker cabinet {cabinet} takes office")
        } else {
            format!("{name}: cabinet {cabinet} takes office")
        };
        let mut attributes = BTreeMap::new();
        put(&mut attributes, "parlgov_id", &row.id);
        put(&mut attributes, "previous_cabinet_id", &row.previous_cabinet_id);
        put(
            &mut attributes,
            "previous_parliament_election_id",
            &row.previous_parliament_election_id,
        );
        events.push(CalendarEvent {
            uid: format!("cabinet-{}", row.id.trim()),
            jurisdiction,
            kind: EventKind::Cabinet,
            title,
            date: EventDate::day(date),
            status: EventStatus::Held,
            caretaker,
            source: Some(non_empty(&row.wikipedia).unwrap_or("ParlGov").to_owned()),
            notes: None,
            attributes,
        });
    }
    problems.finish(events)
}

fn non_empty(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}
