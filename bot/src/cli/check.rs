//! `vigie check`: the configuration was loaded (or refused) before this runs.

use std::process::ExitCode;

use crate::config::Config;

pub fn report(config: &Config, rules: usize) -> ExitCode {
    let backend = if config.database_url().starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let enabled = config.feeds.iter().filter(|f| f.enabled).count();
    let rules_from = match &config.rules.directory {
        Some(d) => d.display().to_string(),
        None => "the bundled defaults".to_owned(),
    };
    println!(
        "{} is valid: storage on {backend}, {} feeds ({enabled} enabled), {rules} rules from {rules_from}.",
        config.origin,
        config.feeds.len()
    );
    for f in &config.feeds {
        let state = if f.enabled { "" } else { " (disabled)" };
        println!(
            "  {:<20} {:<13} every {:<8} {}{state}",
            f.name,
            f.kind.as_str(),
            humantime::format_duration(f.refresh).to_string(),
            f.source
        );
    }
    ExitCode::SUCCESS
}
