//! The administrator's command line: one module per command family.

pub mod backtest;
pub mod calendar;
pub mod candidates;
pub mod check;
pub mod feeds;
pub mod members;
pub mod rules;
pub mod run;
pub mod tally;
pub mod windows;

use chrono::{DateTime, NaiveDate, Utc};

/// Reads a `YYYY-MM-DD` argument.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{s}\" is not a date; expected YYYY-MM-DD, such as 2021-03-17"))
}

/// A table in the terminal's width, without borders.
pub fn table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::NOTHING)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(
            header
                .iter()
                .map(|h| comfy_table::Cell::new(h).add_attribute(comfy_table::Attribute::Bold)),
        );
    t
}

/// A moment for people: `2026-11-27 14:03 UTC (3 h ago)`.
pub fn moment(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let ago = now.signed_duration_since(at);
    let rel = if ago.num_seconds() < 60 {
        "just now".to_owned()
    } else if ago.num_minutes() < 60 {
        format!("{} min ago", ago.num_minutes())
    } else if ago.num_hours() < 48 {
        format!("{} h ago", ago.num_hours())
    } else {
        format!("{} days ago", ago.num_days())
    };
    format!("{} ({rel})", at.format("%Y-%m-%d %H:%M UTC"))
}
