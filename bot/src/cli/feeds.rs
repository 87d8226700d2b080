//! `vigie feeds` (health) and `vigie feeds sync [NAME]`.

use std::process::ExitCode;

use anyhow::bail;
use chrono::Utc;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use vigie_storage::Store;

use crate::config::Config;
use crate::sync::{Outcome, Syncer};

#[derive(Subcommand)]
pub enum Action {
    /// Fetch feeds now and store what changed; prints added, changed and removed counts.
    Sync {
        /// Only this feed (default: every enabled feed).
        name: Option<String>,
    },
}

pub async fn run(action: Option<Action>, config: &Config, store: Store) -> anyhow::Result<ExitCode> {
    match action {
        None => health(config, &store).await,
        Some(Action::Sync { name }) => sync(config, store, name.as_deref()).await,
    }
}

async fn health(config: &Config, store: &Store) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let known = store.feeds_health().await?;
    let mut t = super::table(&["FEED", "KIND", "ITEMS", "LAST SUCCESS", "LAST CHANGE", "STATE"]);
    for feed in &config.feeds {
        let h = known.iter().find(|h| h.name == feed.name);
        let state = match h {
            _ if !feed.enabled => "disabled".to_owned(),
            None => "never synced".to_owned(),
            Some(h) => match &h.last_error {
                Some(e) => format!("failing: {e}"),
                None if h.last_success.is_some() => "ok".to_owned(),
                None => "never succeeded".to_owned(),
            },
        };
        t.add_row(vec![
            feed.name.clone(),
            feed.kind.to_string(),
            h.map_or("-".into(), |h| h.items.to_string()),
            h.and_then(|h| h.last_success)
                .map_or("-".into(), |at| super::moment(at, now)),
            h.map_or("-".into(), |h| {
                format!("+{} ~{} -{}", h.added, h.changed, h.removed)
            }),
            state,
        ]);
    }
    for h in known.iter().filter(|h| config.feed(&h.name).is_none()) {
        t.add_row(vec![
            h.name.clone(),
            h.kind.clone(),
            h.items.to_string(),
            h.last_success.map_or("-".into(), |at| super::moment(at, now)),
            format!("+{} ~{} -{}", h.added, h.changed, h.removed),
            "no longer configured".to_owned(),
        ]);
    }
    println!("{t}");
    Ok(ExitCode::SUCCESS)
}

async fn sync(config: &Config, store: Store, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let feeds: Vec<_> = match only {
        Some(name) => match config.feed(name) {
            Some(f) => vec![f],
            None => {
                let names: Vec<&str> = config.feeds.iter().map(|f| f.name.as_str()).collect();
                bail!(
                    "there is no feed named \"{name}\"; expected one of {}",
                    names.join(", ")
                );
            }
        },
        None => config.feeds.iter().filter(|f| f.enabled).collect(),
    };
    let fetcher = vigie_feeds::Fetcher::new(config.http.settings())?;
    let syncer = Syncer::new(store, fetcher).await?;
    let bar = ProgressBar::new(feeds.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let mut failed = 0;
    let mut lines = Vec::new();
    for feed in feeds {
        bar.set_message(format!("syncing {}", feed.name));
        let outcome = syncer.sync(feed, Utc::now()).await?;
        let line = match &outcome {
            Outcome::Synced {
                counts,
                items,
                warnings,
            } => {
                let mut l = format!("{:<20} {items:>6} items  {counts}", feed.name);
                if counts.is_unchanged() {
                    l.push_str(" (no change)");
                }
                if !warnings.is_empty() {
                    l.push_str(&format!(", {} warnings (see the log)", warnings.len()));
                }
                l
            }
            Outcome::NotModified => format!("{:<20} not modified since the last sync (no change)", feed.name),
            Outcome::Failed(e) => {
                failed += 1;
                format!("{:<20} FAILED: {e}; the last good data is kept", feed.name)
            }
        };
        bar.inc(1);
        bar.println(&line);
        lines.push(line);
    }
    bar.finish_and_clear();
    if !console_is_terminal() {
        for l in &lines {
            println!("{l}");
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// When stderr is not a terminal the progress bar is hidden, and so are its printed lines.
fn console_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}
