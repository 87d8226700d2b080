//! Vigie's calendar-event schema, in CSV or JSON (documented in `data/README.md`).
//!
//! Columns: `id,jurisdiction,kind,title,date,date_end,precision,status,caretaker,source,notes`,
//! plus any `x_…` columns (CSV) or an `attributes` object (JSON) kept as attributes.

use std::collections::HashMap;

use vigie_rules::{CalendarEvent, EventDate, EventKind, EventStatus, JurisdictionCode};

use crate::country::Countries;
use crate::record::{self, Problems, Row, take};
use crate::{FeedError, Format};

const COLUMNS: &[&str] = &[
    "id",
    "jurisdiction",
    "kind",
    "title",
    "date",
    "date_end",
    "precision",
    "status",
    "caretaker",
    "source",
    "notes",
];
const REQUIRED: &[&str] = &["id", "jurisdiction", "kind", "date"];

/// Reads a whole events file; any bad row fails the file with every problem located.
pub fn parse(bytes: &[u8], format: Format, countries: &Countries) -> Result<Vec<CalendarEvent>, FeedError> {
    let rows = match format {
        Format::Csv => record::csv_rows(bytes, COLUMNS, REQUIRED)?,
        Format::Json => record::json_rows(bytes, "events", COLUMNS)?,
    };
    let mut problems = Problems::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        match event(row, countries) {
            Ok(e) => {
                if let Some(first) = seen.insert(e.uid.clone(), row.location.clone()) {
                    problems.push(format!(
                        "{}: the id \"{}\" is already used at {first}",
                        row.at("id"),
                        e.uid
                    ));
                } else {
                    events.push(e);
                }
            }
            Err(list) => list.into_iter().for_each(|p| problems.push(p)),
        }
    }
    problems.finish(events)
}

fn event(row: &Row, countries: &Countries) -> Result<CalendarEvent, Vec<String>> {
    let mut errors = Vec::new();

    let uid = take(&mut errors, row.required("id").map(str::to_owned));
    let jurisdiction = take(
        &mut errors,
        row.required("jurisdiction").and_then(|j| {
            let code = JurisdictionCode::parse(j).map_err(|e| format!("{}: {e}", row.at("jurisdiction")))?;
            match countries.get(code.country()) {
                Some(_) => Ok(code),
                None => Err(format!(
                    "{}: \"{}\" is not a known ISO 3166-1 country; expected a code listed in countries.csv",
                    row.at("jurisdiction"),
                    code.country()
                )),
            }
        }),
    );
    let kind = take(
        &mut errors,
        row.required("kind")
            .and_then(|k| EventKind::parse(k).map_err(|e| format!("{}: {e}", row.at("kind")))),
    );
    let date = take(
        &mut errors,
        row.required("date").and_then(|d| {
            EventDate::from_parts(d, row.get("date_end"), row.get("precision"))
                .map_err(|e| format!("{}: {e}", row.at("date")))
        }),
    );
    let status = take(
        &mut errors,
        match row.get("status") {
            None => Ok(EventStatus::Scheduled),
            Some(s) => EventStatus::parse(s).map_err(|e| format!("{}: {e}", row.at("status"))),
        },
    );
    let caretaker = take(&mut errors, record::flag(row, "caretaker"));

    match (uid, jurisdiction, kind, date, status, caretaker) {
        (Some(uid), Some(jurisdiction), Some(kind), Some(date), Some(status), Some(caretaker))
            if errors.is_empty() =>
        {
            let title = row.get("title").map(str::to_owned).unwrap_or_else(|| {
                let place = countries
                    .get(jurisdiction.country())
                    .map_or(jurisdiction.to_string(), |c| c.name.clone());
                format!("{place}: {kind}")
            });
            Ok(CalendarEvent {
                uid,
                jurisdiction,
                kind,
                title,
                date,
                status,
                caretaker,
                source: row.get("source").map(str::to_owned),
                notes: row.get("notes").map(str::to_owned),
                attributes: row.extra.clone(),
            })
        }
        _ => Err(errors),
    }
}
