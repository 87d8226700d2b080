//! Vigie's OGP-members schema, in CSV or JSON (documented in `data/README.md`).
//!
//! Columns: `code,name,level,country,region,status,status_since,joined,action_plan,cohort,
//! plan_start,plan_end,notes`.

use std::collections::HashMap;

use vigie_rules::{ActionPlan, EventDate, JurisdictionCode, JurisdictionLevel, Member, MemberStatus, Region};

use crate::country::Countries;
use crate::record::{self, Problems, Row, take};
use crate::{FeedError, Format};

const COLUMNS: &[&str] = &[
    "code",
    "name",
    "level",
    "country",
    "region",
    "status",
    "status_since",
    "joined",
    "action_plan",
    "cohort",
    "plan_start",
    "plan_end",
    "notes",
];
const REQUIRED: &[&str] = &["code", "name", "status"];

pub fn parse(bytes: &[u8], format: Format, countries: &Countries) -> Result<Vec<Member>, FeedError> {
    let rows = match format {
        Format::Csv => record::csv_rows(bytes, COLUMNS, REQUIRED)?,
        Format::Json => record::json_rows(bytes, "members", COLUMNS)?,
    };
    let mut problems = Problems::default();
    let mut seen: HashMap<JurisdictionCode, String> = HashMap::new();
    let mut members = Vec::with_capacity(rows.len());
    for row in &rows {
        match member(row, countries) {
            Ok(m) => {
                if let Some(first) = seen.insert(m.code.clone(), row.location.clone()) {
                    problems.push(format!(
                        "{}: the member {} is already listed at {first}",
                        row.at("code"),
                        m.code
                    ));
                } else {
                    members.push(m);
                }
            }
            Err(list) => list.into_iter().for_each(|p| problems.push(p)),
        }
    }
    problems.finish(members)
}

fn optional_date(row: &Row, field: &str) -> Result<Option<EventDate>, String> {
    row.get(field)
        .map(|d| {
            d.parse::<EventDate>()
                .map_err(|e| format!("{}: {e}", row.at(field)))
        })
        .transpose()
}

fn optional_number<T: std::str::FromStr>(row: &Row, field: &str, what: &str) -> Result<Option<T>, String> {
    row.get(field)
        .map(|n| {
            n.parse::<T>()
                .map_err(|_| format!("{}: \"{n}\" is not {what}", row.at(field)))
        })
        .transpose()
}

fn member(row: &Row, countries: &Countries) -> Result<Member, Vec<String>> {
    let mut errors = Vec::new();

    let code = take(
        &mut errors,
        row.required("code")
            .and_then(|c| JurisdictionCode::parse(c).map_err(|e| format!("{}: {e}", row.at("code")))),
    );
    let country = code.as_ref().and_then(|code| {
        let known = countries.get(code.country());
        if known.is_none() {
            errors.push(format!(
                "{}: \"{}\" is not a known ISO 3166-1 country; expected a code listed in countries.csv",
                row.at("code"),
                code.country()
            ));
        }
        if let Some(declared) = row.get("country")
            && !declared.eq_ignore_ascii_case(code.country().as_str())
        {
            errors.push(format!(
                "{}: \"{declared}\" does not match the member code {code}; expected {}",
                row.at("country"),
                code.country()
            ));
        }
        known
    });
    let name = take(&mut errors, row.required("name").map(str::to_owned));
    let level = take(
        &mut errors,
        match row.get("level") {
            Some(l) => JurisdictionLevel::parse(l).map_err(|e| format!("{}: {e}", row.at("level"))),
            None => Ok(if code.as_ref().is_some_and(JurisdictionCode::is_national) {
                JurisdictionLevel::National
            } else {
                JurisdictionLevel::Local
            }),
        },
    );
    let region = take(
        &mut errors,
        match (row.get("region"), country) {
            (Some(r), _) => Region::parse(r).map_err(|e| format!("{}: {e}", row.at("region"))),
            (None, Some(c)) => Ok(c.region),
            (None, None) => Err(format!(
                "{}: the region is empty and the country unknown",
                row.at("region")
            )),
        },
    );
    let status = take(
        &mut errors,
        row.required("status")
            .and_then(|s| MemberStatus::parse(s).map_err(|e| format!("{}: {e}", row.at("status")))),
    );
    let status_since = take(&mut errors, optional_date(row, "status_since"));
    let joined = take(&mut errors, optional_number::<i32>(row, "joined", "a year"));
    let number = take(
        &mut errors,
        optional_number::<u32>(row, "action_plan", "a plan number"),
    );
    let cohort = take(&mut errors, optional_number::<i32>(row, "cohort", "a year"));
    let start = take(&mut errors, optional_date(row, "plan_start"));
    let end = take(&mut errors, optional_date(row, "plan_end"));
    if let (Some(Some(s)), Some(Some(e))) = (&start, &end)
        && e.latest() < s.earliest()
    {
        errors.push(format!(
            "{}: the plan ends before it starts; expected plan_end after plan_start",
            row.at("plan_end")
        ));
    }

    match (
        code,
        name,
        level,
        region,
        status,
        status_since,
        joined,
        number,
        cohort,
        start,
        end,
    ) {
        (
            Some(code),
            Some(name),
            Some(level),
            Some(region),
            Some(status),
            Some(status_since),
            Some(joined),
            Some(number),
            Some(cohort),
            Some(start),
            Some(end),
        ) if errors.is_empty() => Ok(Member {
            code,
            name,
            level,
            region,
            status,
            status_since,
            joined,
            action_plan: ActionPlan {
                number,
                cohort,
                start,
                end,
            },
            notes: row.get("notes").map(str::to_owned),
        }),
        _ => Err(errors),
    }
}
