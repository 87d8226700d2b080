//! `vigie candidates`: member-status changes proposed by status feeds, for an admin to decide.

use std::process::ExitCode;

use chrono::Utc;
use clap::Subcommand;
use vigie_storage::Store;

#[derive(Subcommand)]
pub enum Action {
    /// Apply a proposed change: the member's status changes and its history records who did it.
    Confirm(Decision),
    /// Set a proposal aside without changing anything.
    Dismiss(Decision),
}

#[derive(clap::Args)]
pub struct Decision {
    /// The proposal's number, as `vigie candidates` lists it.
    id: i64,
    /// Who decides (recorded in the member's history).
    #[arg(long, default_value = "admin (command line)")]
    by: String,
}

pub async fn run(action: Option<Action>, store: Store) -> anyhow::Result<ExitCode> {
    let (decision, confirm) = match action {
        None => return list(store).await,
        Some(Action::Confirm(d)) => (d, true),
        Some(Action::Dismiss(d)) => (d, false),
    };
    let Some(candidate) = store.status_candidate(decision.id).await? else {
        anyhow::bail!(
            "there is no proposal {}; `vigie candidates` lists the pending ones",
            decision.id
        );
    };
    let c = &candidate.candidate;
    if confirm && (c.member.is_none() || c.status.is_none()) {
        anyhow::bail!(
            "proposal {} names no member and status to apply; set the status with `vigie member CODE --set-status STATUS`, then dismiss the proposal",
            decision.id
        );
    }
    store
        .decide_status_candidate(decision.id, confirm, &decision.by, Utc::now())
        .await?;
    match (confirm, &c.member, c.status) {
        (true, Some(member), Some(status)) => {
            println!("Proposal {} confirmed: {member} is now {status}.", decision.id)
        }
        _ => println!("Proposal {} dismissed; nothing changed.", decision.id),
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(store: Store) -> anyhow::Result<ExitCode> {
    let pending = store.pending_status_candidates().await?;
    if pending.is_empty() {
        println!("No proposed status changes are waiting.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = super::table(&["ID", "FEED", "PUBLISHED", "PROPOSES", "ENTRY"]);
    for p in &pending {
        let c = &p.candidate;
        let proposes = match (&c.member, c.status) {
            (Some(m), Some(s)) => format!("{m} → {s}"),
            _ => "(nothing recognised)".to_owned(),
        };
        let entry = match &c.link {
            Some(link) => format!("{} <{link}>", c.title),
            None => c.title.clone(),
        };
        t.add_row(vec![
            p.id.to_string(),
            p.feed.clone(),
            c.published
                .map_or("-".into(), |d| d.format("%Y-%m-%d").to_string()),
            proposes,
            entry,
        ]);
    }
    println!("{t}");
    println!(
        "{} waiting; `vigie candidates confirm ID` or `vigie candidates dismiss ID`",
        pending.len()
    );
    Ok(ExitCode::SUCCESS)
}
