//! Reading rows of Vigie's documented CSV and JSON schemas, whatever the file format.
//!
//! Both formats are read into the same string rows, so the rules for a value (what a date looks
//! like, which kinds exist) are written once, and every problem is reported with where it is:
//! `line 12, column date` for CSV, `events[3].date` for JSON.

use std::collections::BTreeMap;

use crate::FeedError;
use crate::text::decode;

/// At most this many problems are listed for one file; the rest are counted.
const MAX_PROBLEMS: usize = 20;

/// One row: its location for messages, the known fields, and the `x_` extras.
#[derive(Debug, Default)]
pub(crate) struct Row {
    pub location: String,
    pub fields: BTreeMap<String, String>,
    pub extra: BTreeMap<String, String>,
}

impl Row {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    pub fn required(&self, field: &str) -> Result<&str, String> {
        self.get(field)
            .ok_or_else(|| format!("{}: `{field}` is empty; it is required", self.at(field)))
    }

    /// Where a field of this row is, for messages.
    pub fn at(&self, field: &str) -> String {
        if self.location.starts_with("line") {
            format!("{}, column {field}", self.location)
        } else {
            format!("{}.{field}", self.location)
        }
    }
}

/// Collects problems up to a limit, then fails the whole file: a feed with bad rows keeps its
/// last good data rather than losing the rows that could not be read.
#[derive(Default)]
pub(crate) struct Problems {
    list: Vec<String>,
    more: usize,
}

impl Problems {
    pub fn push(&mut self, p: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    pub fn finish<T>(mut self, value: T) -> Result<T, FeedError> {
        if self.list.is_empty() {
            return Ok(value);
        }
        if self.more > 0 {
            self.list.push(format!("and {} more problems", self.more));
        }
        Err(FeedError::Invalid(self.list))
    }
}

/// Reads CSV rows with a header, checking the columns against the schema.
pub(crate) fn csv_rows(bytes: &[u8], known: &[&str], required: &[&str]) -> Result<Vec<Row>, FeedError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FeedError::Invalid(vec![format!("line 1: the header cannot be read: {e}")]))?
        .clone();
    let mut problems = Problems::default();
    if !headers.iter().any(|h| known.contains(&h)) {
        let shown: String = headers
            .iter()
            .collect::<Vec<_>>()
            .join(",")
            .chars()
            .take(60)
            .collect();
        return Err(FeedError::Invalid(vec![format!(
            "line 1: the header \"{shown}\" names none of the schema's columns; expected a CSV header with {}",
            known.join(", ")
        )]));
    }
    for h in headers.iter() {
        if !known.contains(&h) && !h.starts_with("x_") {
            problems.push(format!(
                "line 1: unknown column `{h}`; expected columns {} (and x_… for extras)",
                known.join(", ")
            ));
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == *r) {
            problems.push(format!("line 1: the required column `{r}` is missing"));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let mut row = Row {
                    location: format!("line {line}"),
                    ..Row::default()
                };
                for (h, v) in headers.iter().zip(record.iter()) {
                    if let Some(x) = h.strip_prefix("x_") {
                        if !v.trim().is_empty() {
                            row.extra.insert(x.to_owned(), v.trim().to_owned());
                        }
                    } else {
                        row.fields.insert(h.to_owned(), v.to_owned());
                    }
                }
                rows.push(row);
            }
            Err(e) => problems.push(csv_error(&e)),
        }
    }
    if rows.is_empty() && problems.list.is_empty() {
        problems.push("the file has a header but no rows".into());
    }
    problems.finish(rows)
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {}: the row has {len} fields; expected {expected_len} like the header",
            pos.as_ref().map_or(0, |p| p.line())
        ),
        _ => match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => e.to_string(),
        },
    }
}

/// Reads JSON rows: either an array of objects or an object holding that array under `key`.
pub(crate) fn json_rows(bytes: &[u8], key: &str, known: &[&str]) -> Result<Vec<Row>, FeedError> {
    let text = decode(bytes);
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        FeedError::Invalid(vec![format!(
            "line {}, column {}: the file is not JSON: {e}",
            e.line(),
            e.column()
        )])
    })?;
    let items = match &value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(map) => match map.get(key) {
            Some(serde_json::Value::Array(items)) => items,
            _ => {
                return Err(FeedError::Invalid(vec![format!(
                    "the JSON object has no `{key}` array; expected {{\"{key}\": [ … ]}} or a top-level array"
                )]));
            }
        },
        _ => {
            return Err(FeedError::Invalid(vec![format!(
                "the JSON is neither an array nor an object; expected {{\"{key}\": [ … ]}}"
            )]));
        }
    };
    let mut problems = Problems::default();
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let location = format!("{key}[{i}]");
        let serde_json::Value::Object(map) = item else {
            problems.push(format!("{location}: expected an object"));
            continue;
        };
        let mut row = Row {
            location,
            ..Row::default()
        };
        for (k, v) in map {
            let text = match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                other if k == "attributes" => {
                    if let serde_json::Value::Object(attrs) = other {
                        for (ak, av) in attrs {
                            let av = av.as_str().map_or_else(|| av.to_string(), str::to_owned);
                            row.extra.insert(ak.clone(), av);
                        }
                    }
                    continue;
                }
                _ => {
                    problems.push(format!("{}: expected a string, number or boolean", row.at(k)));
                    continue;
                }
            };
            if k == "attributes" {
                problems.push(format!("{}: expected an object of strings", row.at(k)));
            } else if known.contains(&k.as_str()) {
                row.fields.insert(k.clone(), text);
            } else {
                problems.push(format!(
                    "{}: unknown field; expected {} or attributes",
                    row.at(k),
                    known.join(", ")
                ));
            }
        }
        rows.push(row);
    }
    problems.finish(rows)
}

/// Reads a yes/no cell.
pub(crate) fn flag(row: &Row, field: &str) -> Result<bool, String> {
    match row.get(field).map(str::to_ascii_lowercase).as_deref() {
        None | Some("0" | "false" | "no" | "n") => Ok(false),
        Some("1" | "true" | "yes" | "y") => Ok(true),
        Some(other) => Err(format!(
            "{}: \"{other}\" is not a yes/no value; expected true or false",
            row.at(field)
        )),
    }
}

/// Keeps a value, or records its problem: rows report every bad field, not just the first.
pub(crate) fn take<T>(errors: &mut Vec<String>, result: Result<T, String>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}
