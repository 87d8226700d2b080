//! `vigie rules check` and `vigie rules test RULE`.

use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use clap::Subcommand;
use vigie_feeds::Countries;
use vigie_rules::JurisdictionCode;
use vigie_rules::rule::RuleSet;
use vigie_rules::window::evaluate;
use vigie_storage::Store;

use crate::config::Config;

#[derive(Subcommand)]
pub enum Action {
    /// Load every rule file and report every problem with file:line:col.
    Check,
    /// Show which records a rule matches, the windows it derives and why.
    Test {
        /// The rule's id.
        rule: String,
        /// Evaluate as of this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = super::parse_day)]
        at: Option<NaiveDate>,
        /// Only this country or local member.
        #[arg(long, value_parser = |s: &str| JurisdictionCode::parse(s).map_err(|e| e.to_string()))]
        country: Option<JurisdictionCode>,
    },
}

fn where_rules(config: &Config) -> String {
    match &config.rules.directory {
        Some(d) => d.display().to_string(),
        None => "the bundled default rules".to_owned(),
    }
}

/// Loads the rules, printing every problem; `None` when there were problems.
pub fn load(config: &Config) -> anyhow::Result<Option<RuleSet>> {
    match crate::window::rules(config.rules.directory.as_deref())? {
        Ok(rules) => Ok(Some(rules)),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("{} problems in {}", errors.len(), where_rules(config));
            Ok(None)
        }
    }
}

pub async fn run(action: Action, config: &Config, store: Option<Store>) -> anyhow::Result<ExitCode> {
    let Some(rules) = load(config)? else {
        return Ok(ExitCode::FAILURE);
    };
    match action {
        Action::Check => {
            println!("{} rules are valid in {}:", rules.len(), where_rules(config));
            for r in rules.rules() {
                println!("  {:<26} {}  ({})", r.id, r.description, r.origin);
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Test { rule, at, country } => {
            let Some(store) = store else {
                anyhow::bail!("testing a rule needs the database")
            };
            let Some(chosen) = rules.get(&rule) else {
                let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
                anyhow::bail!("there is no rule \"{rule}\"; expected one of {}", ids.join(", "));
            };
            let only = RuleSet::new(vec![chosen.clone()]);
            let at = at.unwrap_or_else(|| Utc::now().date_naive());
            let countries = Countries::bundled()?;
            let facts = crate::window::facts(&store, &countries, at).await?;
            let evaluation = evaluate(&only, &facts, at);
            let windows: Vec<_> = evaluation
                .windows
                .iter()
                .filter(|w| {
                    country
                        .as_ref()
                        .is_none_or(|c| w.jurisdiction.country() == c.country())
                })
                .collect();
            println!("Rule {} ({}), as of {at}:", chosen.id, chosen.origin);
            println!("  {}", chosen.description);
            if let Some(when) = &chosen.when {
                println!("  when: {}", when.text());
            }
            println!("  opens {}, closes {}", chosen.opens, chosen.closes);
            println!("\n{} records match:", windows.len());
            for w in &windows {
                println!(
                    "  {} {} [{}] {} .. {} ({}, {})",
                    w.id, w.jurisdiction, w.state, w.opens, w.closes, w.priority, w.title
                );
                for reason in w.reasons.iter().skip(1) {
                    println!("      + {reason}");
                }
            }
            if !evaluation.errors.is_empty() {
                println!(
                    "\n{} records could not be evaluated (skipped):",
                    evaluation.errors.len()
                );
                for e in &evaluation.errors {
                    println!("  {}: {}", e.record, e.message);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
