//! Windows from the stored facts: loading rule files, assembling what the rules look at
//! (events, Vigie's own predictions, members, jurisdictions, formation lags) and evaluating.

use std::path::Path;

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate};
use vigie_feeds::{Countries, bundled, term_file};
use vigie_rules::EventKind;
use vigie_rules::predict::{FormationLags, LegislativeTerm, Prediction, predict_elections};
use vigie_rules::rule::{DEFAULT_RULES, RuleError, RuleSet, load_rules};
use vigie_rules::window::{FactEvent, Facts};
use vigie_storage::{EventFilter, Store};

/// Formation lags are measured on elections from this year: earlier history holds oddities
/// (Germany 1933 to 1949) that say nothing of today's practice.
const LAGS_SINCE_YEAR: i32 = 1990;

/// Reads the rule files of `dir` (every `*.toml`, in name order), or the bundled defaults.
pub fn rule_files(dir: Option<&Path>) -> anyhow::Result<Vec<(String, String)>> {
    let Some(dir) = dir else {
        return Ok(DEFAULT_RULES
            .iter()
            .map(|(n, t)| (format!("bundled:{n}"), (*t).to_owned()))
            .collect());
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("the rules directory {} cannot be read", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(&p).with_context(|| format!("{} cannot be read", p.display()))?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

/// Loads and checks the rules in force.
pub fn rules(dir: Option<&Path>) -> anyhow::Result<Result<RuleSet, Vec<RuleError>>> {
    Ok(load_rules(&rule_files(dir)?))
}

/// The regular terms of legislatures, bundled with Vigie.
pub fn terms(countries: &Countries) -> anyhow::Result<Vec<LegislativeTerm>> {
    Ok(term_file::parse(
        bundled::file("legislative-terms.csv").unwrap_or_default(),
        countries,
    )?)
}

/// Every stored event (removed ones aside), as the rules see it.
pub async fn stored_events(store: &Store) -> anyhow::Result<Vec<FactEvent>> {
    Ok(store
        .events(&EventFilter::default())
        .await?
        .into_iter()
        .map(|s| FactEvent {
            key: s.key,
            event: s.event,
            predicted: false,
        })
        .collect())
}

/// Government-formation lags from the legislative elections and cabinets of 1990 onwards, and
/// only those before `until` when given (a replay must not peek ahead).
pub fn formation_lags(events: &[FactEvent], until: Option<NaiveDate>) -> FormationLags {
    FormationLags::from_history(
        events
            .iter()
            .filter(|e| matches!(e.event.kind, EventKind::Legislative | EventKind::Cabinet))
            .filter(|e| e.event.date.earliest().year() >= LAGS_SINCE_YEAR)
            .filter(|e| until.is_none_or(|u| e.event.date.earliest() < u))
            .map(|e| &e.event),
    )
}

/// Everything the rules look at, as stored now, with Vigie's predictions as of `at`.
pub async fn facts(store: &Store, countries: &Countries, at: NaiveDate) -> anyhow::Result<Facts> {
    let mut events = stored_events(store).await?;
    let terms = terms(countries)?;
    let predictions = predict_elections(events.iter().map(|e| (&e.key, &e.event)), &terms, at);
    let lags = formation_lags(&events, None);
    events.extend(predictions.into_iter().map(Prediction::into_fact));
    let members = store.members(None).await?;
    let jurisdictions = store.jurisdictions().await?;
    Ok(Facts::new(events, members, jurisdictions, move |country| {
        lags.typical(country).p90_days
    }))
}

/// The rules in force in a running Vigie: reloaded when their files change, and kept as they were
/// when the new files are broken.
pub struct LiveRules {
    dir: Option<std::path::PathBuf>,
    rules: RuleSet,
    /// What the files said when last read, to notice a change.
    fingerprint: Vec<(String, String)>,
}

/// What a reload did.
#[derive(Debug)]
pub enum Reload {
    Unchanged,
    Reloaded {
        rules: usize,
    },
    /// The files changed but do not load: the last good rules stay in force.
    Kept {
        errors: Vec<String>,
    },
}

impl LiveRules {
    /// Loads the rules; at start, broken rules are an error (there is nothing good to keep).
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let files = rule_files(dir)?;
        match load_rules(&files) {
            Ok(rules) => Ok(Self {
                dir: dir.map(Path::to_path_buf),
                rules,
                fingerprint: files,
            }),
            Err(errors) => {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                anyhow::bail!("the rules cannot be loaded:\n{}", list.join("\n"))
            }
        }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Reads the files again; takes them if they changed and load, keeps the last good rules
    /// otherwise.
    pub fn reload(&mut self) -> Reload {
        let files = match rule_files(self.dir.as_deref()) {
            Ok(f) => f,
            Err(e) => {
                return Reload::Kept {
                    errors: vec![format!("{e:#}")],
                };
            }
        };
        if files == self.fingerprint {
            return Reload::Unchanged;
        }
        match load_rules(&files) {
            Ok(rules) => {
                self.rules = rules;
                self.fingerprint = files;
                Reload::Reloaded {
                    rules: self.rules.len(),
                }
            }
            Err(errors) => {
                // Remember the broken text too, so the same errors are reported once, not at every
                // check.
                self.fingerprint = files;
                Reload::Kept {
                    errors: errors.iter().map(ToString::to_string).collect(),
                }
            }
        }
    }
}

/// The windows as last evaluated by `vigie run`, shared with the chat commands and the HTTP
/// calendar: reading it costs nothing, and it changes only when the facts, the rules or the day
/// change.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The day the windows were evaluated for.
    pub today: NaiveDate,
    pub evaluated_at: chrono::DateTime<chrono::Utc>,
    /// Ordered by jurisdiction, then by the day they open.
    pub windows: Vec<vigie_rules::window::Window>,
}

impl Snapshot {
    /// The snapshot before the first evaluation: no windows.
    pub fn empty(today: NaiveDate) -> Self {
        Self {
            today,
            evaluated_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            windows: Vec::new(),
        }
    }

    pub fn window(&self, id: &str) -> Option<&vigie_rules::window::Window> {
        self.windows.iter().find(|w| w.id.as_str() == id)
    }
}

/// Where the run loop publishes each new [`Snapshot`].
pub type Board = tokio::sync::watch::Sender<std::sync::Arc<Snapshot>>;
/// What readers of the snapshot hold.
pub type BoardReader = tokio::sync::watch::Receiver<std::sync::Arc<Snapshot>>;
