//! `vigie windows` and `vigie window ID`: the windows the rules derive, as of today or any day.

use std::process::ExitCode;

use chrono::{Days, NaiveDate, Utc};
use vigie_feeds::Countries;
use vigie_rules::window::{Window, WindowId, WindowState, evaluate};
use vigie_rules::{JurisdictionCode, Region};
use vigie_storage::Store;

use crate::config::Config;

#[derive(clap::Args)]
pub struct ListArgs {
    /// Only this country (NL) or local member (ES-madrid); a country includes its local members.
    #[arg(long, value_parser = |s: &str| JurisdictionCode::parse(s).map_err(|e| e.to_string()))]
    country: Option<JurisdictionCode>,
    /// Only this region: africa-middle-east, americas, asia-pacific or europe.
    #[arg(long, value_parser = |s: &str| Region::parse(s).map_err(|e| e.to_string()))]
    region: Option<Region>,
    /// Only windows open now or opening within this time (90d, 12w, 6m).
    #[arg(long, value_parser = parse_within)]
    within: Option<u64>,
    /// Evaluate as of this day (YYYY-MM-DD) instead of today: time travel.
    #[arg(long, value_parser = super::parse_day)]
    at: Option<NaiveDate>,
    /// Include closed and cancelled windows.
    #[arg(long)]
    all: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The window's id, as `vigie windows` lists it (w-…).
    #[arg(value_parser = |s: &str| WindowId::parse(s).map_err(|e| e.to_string()))]
    id: WindowId,
    /// Evaluate as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = super::parse_day)]
    at: Option<NaiveDate>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Reads `90d`, `12w`, `6m` or `1y` into days.
fn parse_within(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let bad = || format!("\"{t}\" is not a duration; expected a number and d, w, m or y, such as 90d");
    let unit = t.chars().last().ok_or_else(bad)?;
    let n: u64 = t[..t.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
    let days = match unit {
        'd' => n,
        'w' => n * 7,
        'm' => n * 31,
        'y' => n * 366,
        _ => return Err(bad()),
    };
    if days > 36_600 {
        Err(format!(
            "\"{t}\" is more than a century; expected a shorter duration"
        ))
    } else {
        Ok(days)
    }
}

async fn evaluated(config: &Config, store: &Store, at: NaiveDate) -> anyhow::Result<Vec<Window>> {
    let rules = match crate::window::rules(config.rules.directory.as_deref())? {
        Ok(rules) => rules,
        Err(errors) => {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            anyhow::bail!(
                "the rules cannot be loaded; `vigie rules check` shows why:\n{}",
                list.join("\n")
            );
        }
    };
    let countries = Countries::bundled()?;
    let facts = crate::window::facts(store, &countries, at).await?;
    let evaluation = evaluate(&rules, &facts, at);
    for e in &evaluation.errors {
        tracing::warn!(rule = %e.rule, record = %e.record, "rule failed on a record, skipped: {}", e.message);
    }
    Ok(evaluation.windows)
}

pub async fn list(args: ListArgs, config: &Config, store: Store) -> anyhow::Result<ExitCode> {
    let at = args.at.unwrap_or_else(|| Utc::now().date_naive());
    let horizon = args.within.and_then(|d| at.checked_add_days(Days::new(d)));
    let mut windows: Vec<Window> = evaluated(config, &store, at)
        .await?
        .into_iter()
        .filter(|w| {
            args.country
                .as_ref()
                .is_none_or(|c| in_country(&w.jurisdiction, c))
        })
        .filter(|w| args.region.is_none_or(|r| w.region == r))
        .filter(|w| args.all || !matches!(w.state, WindowState::Closed | WindowState::Cancelled))
        .filter(|w| horizon.is_none_or(|h| w.opens <= h && w.closes >= at))
        .collect();
    windows.sort_by(|a, b| (a.opens, &a.jurisdiction, &a.id).cmp(&(b.opens, &b.jurisdiction, &b.id)));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&windows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if windows.is_empty() {
        println!("No windows match as of {at}.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = super::table(&[
        "ID", "STATE", "OPENS", "CLOSES", "WHERE", "PRIORITY", "RULE", "ABOUT",
    ]);
    for w in &windows {
        let approx = if w.estimated { "~" } else { "" };
        t.add_row(vec![
            w.id.to_string(),
            w.state.to_string(),
            format!("{approx}{}", w.opens),
            format!("{approx}{}", w.closes),
            w.jurisdiction.to_string(),
            w.priority.to_string(),
            w.rule.clone(),
            w.title.clone(),
        ]);
    }
    println!("{t}");
    println!(
        "{} windows as of {at} (~ marks dates that rest on an estimate)",
        windows.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn in_country(jurisdiction: &JurisdictionCode, filter: &JurisdictionCode) -> bool {
    if filter.is_national() {
        jurisdiction.country() == filter.country()
    } else {
        jurisdiction == filter
    }
}

pub async fn show(args: ShowArgs, config: &Config, store: Store) -> anyhow::Result<ExitCode> {
    let at = args.at.unwrap_or_else(|| Utc::now().date_naive());
    let windows = evaluated(config, &store, at).await?;
    let stored = store.window(&args.id).await?;
    let history = store.window_history(&args.id).await?;
    let Some(w) = windows
        .into_iter()
        .find(|w| w.id == args.id)
        .or_else(|| stored.as_ref().map(|s| s.window.clone()))
    else {
        anyhow::bail!(
            "there is no window {} as of {at}; `vigie windows --all` lists them",
            args.id
        );
    };
    if args.json {
        let changes: Vec<serde_json::Value> = history
            .iter()
            .map(|c| serde_json::json!({ "at": c.at, "change": describe(c.before.as_ref(), c.after.as_ref()) }))
            .collect();
        let out =
            serde_json::json!({ "window": w, "history": changes, "gone_at": stored.and_then(|s| s.gone_at) });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} — {} ({})", w.id, w.title, w.jurisdiction);
    println!("State on {at}: {}", w.state);
    let approx = if w.estimated {
        " (rests on an estimated date)"
    } else {
        ""
    };
    println!(
        "Opens {}, closing from {}, closes {}{approx}",
        w.opens, w.closing_from, w.closes
    );
    println!("Priority: {}", w.priority);
    let labels: Vec<String> = w.labels().iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("Labels: {}", labels.join(" "));
    println!("Why:");
    for r in &w.reasons {
        println!("  - {r}");
    }
    if !w.events.is_empty() {
        println!("Events:");
        for e in &w.events {
            println!("  - {e}");
        }
    }
    if let Some(gone) = stored.as_ref().and_then(|s| s.gone_at) {
        println!(
            "No longer derived by the rules since {}.",
            gone.format("%Y-%m-%d %H:%M UTC")
        );
    }
    if !history.is_empty() {
        println!("History (as stored by `vigie run`):");
        for c in &history {
            println!(
                "  {}  {}",
                c.at.format("%Y-%m-%d %H:%M UTC"),
                describe(c.before.as_ref(), c.after.as_ref())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line for a stored change of a window.
fn describe(before: Option<&Window>, after: Option<&Window>) -> String {
    match (before, after) {
        (None, Some(a)) => format!("derived: {} from {} to {}", a.state, a.opens, a.closes),
        (Some(_), None) => "no longer derived by the rules".to_owned(),
        (Some(b), Some(a)) => {
            let mut parts = Vec::new();
            if b.state != a.state {
                parts.push(format!("{} → {}", b.state, a.state));
            }
            if (b.opens, b.closes) != (a.opens, a.closes) {
                parts.push(format!(
                    "dates {}..{} → {}..{}",
                    b.opens, b.closes, a.opens, a.closes
                ));
            }
            if b.priority != a.priority {
                parts.push(format!("priority {} → {}", b.priority, a.priority));
            }
            if parts.is_empty() {
                parts.push("reasons or labels changed".to_owned());
            }
            parts.join(", ")
        }
        (None, None) => "unchanged".to_owned(),
    }
}
