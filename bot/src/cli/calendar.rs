//! `vigie calendar`: calendar events, filtered.

use std::process::ExitCode;

use chrono::NaiveDate;
use vigie_rules::{EventKind, JurisdictionCode};
use vigie_storage::{EventFilter, Store, StoredEvent};

#[derive(clap::Args)]
pub struct Args {
    /// A country (NL) or a subdivision or local member (ES-madrid); a country includes its
    /// local members.
    #[arg(long, value_parser = parse_code)]
    country: Option<JurisdictionCode>,
    /// Events on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_day)]
    from: Option<NaiveDate>,
    /// Events on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_day)]
    to: Option<NaiveDate>,
    /// Only this kind; repeat for several. `election` stands for every kind of vote.
    #[arg(long, value_parser = parse_kind)]
    kind: Vec<Vec<EventKind>>,
    /// Include events that disappeared from their feed.
    #[arg(long)]
    removed: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn parse_code(s: &str) -> Result<JurisdictionCode, String> {
    JurisdictionCode::parse(s).map_err(|e| e.to_string())
}

fn parse_kind(s: &str) -> Result<Vec<EventKind>, String> {
    if s.trim().eq_ignore_ascii_case("election") {
        return Ok(EventKind::ALL
            .iter()
            .copied()
            .filter(|k| k.is_election())
            .collect());
    }
    EventKind::parse(s)
        .map(|k| vec![k])
        .map_err(|e| format!("{e}, or election"))
}

pub async fn run(args: Args, store: Store) -> anyhow::Result<ExitCode> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && to < from
    {
        anyhow::bail!("--to {to} comes before --from {from}; expected --to on or after --from");
    }
    let filter = EventFilter {
        jurisdiction: args.country,
        from: args.from,
        to: args.to,
        kinds: args.kind.into_iter().flatten().collect(),
        feed: None,
        include_removed: args.removed,
    };
    let events = store.events(&filter).await?;
    if args.json {
        let out: Vec<serde_json::Value> = events.iter().map(json).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    if events.is_empty() {
        println!("No events match.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = super::table(&["DATE", "WHERE", "KIND", "STATUS", "EVENT", "ID"]);
    for e in &events {
        let mut status = e.event.status.to_string();
        if e.removed_at.is_some() {
            status.push_str(" (removed from feed)");
        }
        t.add_row(vec![
            e.event.date.to_string(),
            e.event.jurisdiction.to_string(),
            e.event.kind.to_string(),
            status,
            e.event.title.clone(),
            e.key.to_string(),
        ]);
    }
    println!("{t}");
    println!("{} events", events.len());
    Ok(ExitCode::SUCCESS)
}

pub fn json(e: &StoredEvent) -> serde_json::Value {
    serde_json::json!({
        "id": e.key.to_string(),
        "feed": e.key.feed,
        "uid": e.event.uid,
        "jurisdiction": e.event.jurisdiction,
        "kind": e.event.kind,
        "title": e.event.title,
        "date": {
            "text": e.event.date.to_string(),
            "earliest": e.event.date.earliest(),
            "latest": e.event.date.latest(),
            "precision": e.event.date.precision(),
        },
        "status": e.event.status,
        "caretaker": e.event.caretaker,
        "source": e.event.source,
        "notes": e.event.notes,
        "attributes": e.event.attributes,
        "first_seen": e.first_seen,
        "updated_at": e.updated_at,
        "removed_at": e.removed_at,
    })
}
