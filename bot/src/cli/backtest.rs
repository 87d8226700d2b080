//! `vigie backtest`: what the rules would have said, replayed day by day over history.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use vigie_feeds::Countries;
use vigie_rules::EventKind;
use vigie_rules::backtest::{Input, KnowledgeModel, Report, Summary, run};
use vigie_storage::Store;

use crate::config::Config;

#[derive(clap::Args)]
pub struct Args {
    /// First election day to assess (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_day, default_value = "2011-01-01")]
    from: NaiveDate,
    /// Last election day to assess (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_day, default_value = "2023-06-30")]
    to: NaiveDate,
    /// Days before a regular election that Vigie is assumed to know of it.
    #[arg(long, default_value_t = 365)]
    regular_lead: u32,
    /// Days before an early election (ParlGov early = 1) that Vigie is assumed to know of it.
    #[arg(long, default_value_t = 45)]
    early_lead: u32,
    /// The lead, in days, an election needs to count as covered.
    #[arg(long, default_value_t = 90)]
    min_lead: i64,
    /// Write one CSV row per election to this file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Print the whole report as JSON instead of a summary.
    #[arg(long)]
    json: bool,
}

pub async fn run_command(args: Args, config: &Config, store: Store) -> anyhow::Result<ExitCode> {
    if args.to < args.from {
        anyhow::bail!(
            "--to {} comes before --from {}; expected --to on or after --from",
            args.to,
            args.from
        );
    }
    let Some(rules) = super::rules::load(config)? else {
        return Ok(ExitCode::FAILURE);
    };
    let countries = Countries::bundled()?;
    let terms = crate::window::terms(&countries)?;
    let events = crate::window::stored_events(&store).await?;
    if !events.iter().any(|e| e.event.kind == EventKind::Cabinet) {
        anyhow::bail!("no cabinets are stored: run `vigie feeds sync parlgov` first");
    }
    // Formation lags as known before the replayed period, so the replay does not peek ahead.
    let lags = crate::window::formation_lags(&events, Some(args.from));
    let members = store.members(None).await?;
    let jurisdictions = store.jurisdictions().await?;
    let lag = move |c| lags.typical(c).p90_days;
    let input = Input {
        rules: &rules,
        events: &events,
        members: &members,
        jurisdictions: &jurisdictions,
        terms: &terms,
        formation_lag: &lag,
        model: KnowledgeModel {
            regular_lead_days: args.regular_lead,
            early_lead_days: args.early_lead,
        },
        min_lead_days: args.min_lead,
    };
    let started = std::time::Instant::now();
    let report = run(&input, args.from, args.to);
    tracing::info!(elapsed = ?started.elapsed(), "backtest replayed");
    if let Some(path) = &args.csv {
        std::fs::write(path, report.to_csv())
            .map_err(|e| anyhow::anyhow!("{} cannot be written: {e}", path.display()))?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report, args.csv.as_ref());
    }
    Ok(ExitCode::SUCCESS)
}

fn line(name: &str, s: &Summary, min_lead: i64) {
    let median = s.median_lead_days.map_or("-".to_owned(), |m| format!("{m} days"));
    println!(
        "  {name:<8} {:>4} elections  covered (window open ≥ {min_lead} days ahead): {:>4} ({:.1}%)  missed: {}  median lead: {median}",
        s.elections,
        s.covered,
        100.0 * s.coverage,
        s.missed,
    );
    if s.transitions > 0 {
        println!(
            "  {:<8} transition window open until the next cabinet and closed within 7 days after it: {}/{} ({:.1}%)",
            "",
            s.transitions_held,
            s.transitions,
            100.0 * s.transition_rate
        );
    }
}

fn print_summary(report: &Report, csv: Option<&PathBuf>) {
    println!(
        "Backtest of parliamentary elections from {} to {}:",
        report.from, report.to
    );
    line("regular", &report.regular, report.min_lead_days);
    line("early", &report.early, report.min_lead_days);
    println!(
        "  spurious windows (opened and closed with no election of their cycle near): {}",
        report.spurious.len()
    );
    let missed: Vec<String> = report
        .elections
        .iter()
        .filter(|e| e.lead_days.is_none_or(|l| l < report.min_lead_days) && !e.early)
        .map(|e| {
            format!(
                "{} {} (lead {})",
                e.country,
                e.day,
                e.lead_days.map_or("none".into(), |l| l.to_string())
            )
        })
        .collect();
    if !missed.is_empty() {
        println!("  regular elections short of the lead: {}", missed.join(", "));
    }
    let failed: Vec<String> = report
        .elections
        .iter()
        .filter(|e| e.transition_held == Some(false))
        .map(|e| {
            format!(
                "{} {} (cabinet {}, window closed {})",
                e.country,
                e.day,
                e.next_cabinet.map_or("-".into(), |d| d.to_string()),
                e.transition_closed.map_or("-".into(), |d| d.to_string())
            )
        })
        .collect();
    if !failed.is_empty() {
        println!("  transitions not held: {}", failed.join(", "));
    }
    if let Some(path) = csv {
        println!("One row per election in {}.", path.display());
    }
}
