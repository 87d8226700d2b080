//! `vigie members` and `vigie member CC`.

use std::process::ExitCode;

use chrono::Utc;
use vigie_rules::{EventDate, JurisdictionCode, Member, MemberStatus, Region};
use vigie_storage::{EventFilter, StatusSource, Store};

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only members with this status: active, under-review, inactive, suspended or withdrawn.
    #[arg(long, value_parser = |s: &str| MemberStatus::parse(s).map_err(|e| e.to_string()))]
    status: Option<MemberStatus>,
    /// Only members of this region: africa-middle-east, americas, asia-pacific or europe.
    #[arg(long, value_parser = |s: &str| Region::parse(s).map_err(|e| e.to_string()))]
    region: Option<Region>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The member's code: a country (KE) or a local member (ES-madrid).
    #[arg(value_parser = |s: &str| JurisdictionCode::parse(s).map_err(|e| e.to_string()))]
    code: JurisdictionCode,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Correct the member's status by hand: active, under-review, inactive, suspended or withdrawn.
    #[arg(long, value_parser = |s: &str| MemberStatus::parse(s).map_err(|e| e.to_string()))]
    set_status: Option<MemberStatus>,
    /// With --set-status: since when it holds (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, requires = "set_status", value_parser = |s: &str| s.parse::<EventDate>().map_err(|e| e.to_string()))]
    since: Option<EventDate>,
    /// With --set-status: why (kept in the member's history).
    #[arg(long, requires = "set_status")]
    note: Option<String>,
    /// With --set-status: who makes the change (kept in the member's history).
    #[arg(long, requires = "set_status", default_value = "admin (command line)")]
    by: String,
}

fn plan(m: &Member) -> String {
    let p = &m.action_plan;
    let range = match (&p.start, &p.end) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        (None, Some(e)) => format!("ends {e}"),
        (Some(s), None) => format!("from {s}"),
        (None, None) => String::new(),
    };
    match p.number {
        Some(n) if range.is_empty() => format!("plan {n}"),
        Some(n) => format!("plan {n}: {range}"),
        None => range,
    }
}

fn source(s: &StatusSource) -> String {
    match s {
        StatusSource::Feed(name) => format!("feed {name}"),
        StatusSource::Manual { actor } => actor.clone(),
    }
}

pub async fn list(args: ListArgs, store: Store) -> anyhow::Result<ExitCode> {
    let members: Vec<Member> = store
        .members(args.status)
        .await?
        .into_iter()
        .filter(|m| args.region.is_none_or(|r| m.region == r))
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&members)?);
        return Ok(ExitCode::SUCCESS);
    }
    if members.is_empty() {
        println!("No members match. Has `vigie feeds sync` been run?");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = super::table(&["CODE", "MEMBER", "LEVEL", "REGION", "STATUS", "ACTION PLAN"]);
    for m in &members {
        t.add_row(vec![
            m.code.to_string(),
            m.name.clone(),
            m.level.to_string(),
            m.region.to_string(),
            m.status.to_string(),
            plan(m),
        ]);
    }
    println!("{t}");
    println!("{} members", members.len());
    Ok(ExitCode::SUCCESS)
}

pub async fn show(args: ShowArgs, store: Store) -> anyhow::Result<ExitCode> {
    let Some(mut record) = store.member(&args.code).await? else {
        anyhow::bail!(
            "{} is not an OGP member Vigie knows; `vigie members` lists them",
            args.code
        );
    };
    if let Some(status) = args.set_status {
        let note = args.note.as_deref();
        store
            .set_member_status(&args.code, status, args.since, &args.by, note, Utc::now())
            .await?;
        println!("{} is now {status}.\n", args.code);
        record = store.member(&args.code).await?.unwrap_or(record);
    }
    let today = Utc::now().date_naive();
    let coming = store
        .events(&EventFilter {
            jurisdiction: Some(args.code.clone()),
            from: Some(today),
            ..EventFilter::default()
        })
        .await?;
    if args.json {
        let out = serde_json::json!({
            "member": record.member,
            "feed": record.feed,
            "removed_at": record.removed_at,
            "history": record.history.iter().map(|h| serde_json::json!({
                "from": h.from,
                "to": h.to,
                "since": h.since.map(|d| d.to_string()),
                "source": source(&h.source),
                "note": h.note,
                "at": h.at,
            })).collect::<Vec<_>>(),
            "coming_events": coming.iter().map(super::calendar::json).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let m = &record.member;
    println!(
        "{} ({}), {} member in {}",
        m.name,
        m.code,
        m.level,
        m.region.name()
    );
    let since = m.status_since.map(|d| format!(" since {d}")).unwrap_or_default();
    println!("Status: {}{since}", m.status);
    if let Some(joined) = m.joined {
        println!("Joined OGP: {joined}");
    }
    let p = plan(m);
    if !p.is_empty() {
        println!("Action plan: {p}");
    }
    if let Some(notes) = &m.notes {
        println!("Notes: {notes}");
    }
    if record.removed_at.is_some() {
        println!("(No longer listed by its feed {}.)", record.feed);
    }
    if !record.history.is_empty() {
        println!("\nStatus history:");
        for h in &record.history {
            let from = h.from.map(|f| format!("{f} → ")).unwrap_or_default();
            let since = h.since.map(|d| format!(", effective {d}")).unwrap_or_default();
            let note = h.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
            println!(
                "  {}  {from}{}{since}, by {}{note}",
                h.at.format("%Y-%m-%d"),
                h.to,
                source(&h.source)
            );
        }
    }
    println!("\nComing events:");
    if coming.is_empty() {
        println!("  none known");
    }
    for e in &coming {
        println!(
            "  {:<12} {:<13} {}",
            e.event.date.to_string(),
            e.event.kind.to_string(),
            e.event.title
        );
    }
    Ok(ExitCode::SUCCESS)
}
