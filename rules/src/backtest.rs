//! Replaying history: what would the rules have said, day after day, knowing only what could be
//! known then?
//!
//! The knowledge model: at a simulated day D, Vigie knows every event dated on or before D
//! (elections held, cabinets formed), a regular election from `regular_lead_days` before its
//! day, an early election (ParlGov `early = 1`) only from `early_lead_days` before, and its own
//! predictions made from what it knows. Windows are evaluated with exactly that knowledge.
//!
//! Knowledge only changes on a few days (an election becomes known, an event passes), and between
//! those days a window's dates do not move, so the replay evaluates each country on those days
//! and on the days its windows open and close, not on every calendar day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::predict::{LegislativeTerm, predict_elections};
use crate::rule::RuleSet;
use crate::window::{FactEvent, Facts, Window, WindowId, evaluate_jurisdiction};
use crate::{CountryCode, EventKey, EventKind, Jurisdiction, JurisdictionCode, Member};

/// When an event becomes known to Vigie in the replay.
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeModel {
    /// A regular election is known this many days before its day.
    pub regular_lead_days: u32,
    /// An early election is known only this many days before its day.
    pub early_lead_days: u32,
}

impl Default for KnowledgeModel {
    fn default() -> Self {
        Self {
            regular_lead_days: 365,
            early_lead_days: 45,
        }
    }
}

/// The outcome for one election of the replayed period.
#[derive(Debug, Clone, Serialize)]
pub struct ElectionOutcome {
    pub country: CountryCode,
    pub election: EventKey,
    pub day: NaiveDate,
    pub early: bool,
    /// The first simulated day a window about this election was open, if any before its day.
    pub first_open: Option<NaiveDate>,
    /// Days from that first open day to election day (None: missed).
    pub lead_days: Option<i64>,
    /// The rule of that first window.
    pub first_rule: Option<String>,
    /// The next fully formed cabinet, if the data has one before the next election.
    pub next_cabinet: Option<NaiveDate>,
    /// Whether a transition window was open on every day from election day to the next cabinet
    /// (None when there is no transition rule or no next cabinet in the data).
    pub transition_held: Option<bool>,
    /// When the transition window closed, as known once the cabinet was known.
    pub transition_closed: Option<NaiveDate>,
}

/// A window that opened and closed with no election of its cycle near it.
#[derive(Debug, Clone, Serialize)]
pub struct SpuriousWindow {
    pub country: CountryCode,
    pub window: WindowId,
    pub rule: String,
    pub opened: NaiveDate,
    pub closed: NaiveDate,
}

/// Figures over a group of elections.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub elections: usize,
    /// Elections with a window open at least `min_lead_days` before election day.
    pub covered: usize,
    pub coverage: f64,
    pub missed: usize,
    pub median_lead_days: Option<i64>,
    /// Elections whose transition could be checked (a next cabinet exists in the data).
    pub transitions: usize,
    pub transitions_held: usize,
    pub transition_rate: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub min_lead_days: i64,
    pub regular: Summary,
    pub early: Summary,
    pub elections: Vec<ElectionOutcome>,
    pub spurious: Vec<SpuriousWindow>,
}

/// What the replay needs.
pub struct Input<'a> {
    pub rules: &'a RuleSet,
    /// Every event of history (ParlGov and any other feed), as stored.
    pub events: &'a [FactEvent],
    pub members: &'a [Member],
    pub jurisdictions: &'a [Jurisdiction],
    pub terms: &'a [LegislativeTerm],
    /// The typical formation lag used while a government is not known, per country.
    pub formation_lag: &'a (dyn Fn(CountryCode) -> u32 + Sync),
    pub model: KnowledgeModel,
    /// The lead an election needs to count as covered (90 days).
    pub min_lead_days: i64,
}

fn is_early(e: &FactEvent) -> bool {
    e.event.attributes.get("early").map(String::as_str) == Some("1")
}

/// The first day Vigie knows of `e`.
fn known_from(e: &FactEvent, model: KnowledgeModel) -> NaiveDate {
    let day = e.event.date.earliest();
    if e.event.kind.is_election() {
        let lead = if is_early(e) {
            model.early_lead_days
        } else {
            model.regular_lead_days
        };
        day.checked_sub_days(Days::new(u64::from(lead))).unwrap_or(day)
    } else {
        day
    }
}

/// Replays `from..=to` (election days in that range are assessed).
pub fn run(input: &Input<'_>, from: NaiveDate, to: NaiveDate) -> Report {
    let mut by_country: BTreeMap<CountryCode, Vec<&FactEvent>> = BTreeMap::new();
    for e in input.events.iter().filter(|e| e.event.jurisdiction.is_national()) {
        by_country
            .entry(e.event.jurisdiction.country())
            .or_default()
            .push(e);
    }
    let mut elections = Vec::new();
    let mut spurious = Vec::new();
    for (country, events) in &by_country {
        let (mut outcomes, mut wrong) = replay_country(input, *country, events, from, to);
        elections.append(&mut outcomes);
        spurious.append(&mut wrong);
    }
    elections.sort_by_key(|e| (e.day, e.country));
    let summarise = |early: bool| summary(elections.iter().filter(|e| e.early == early), input.min_lead_days);
    Report {
        from,
        to,
        min_lead_days: input.min_lead_days,
        regular: summarise(false),
        early: summarise(true),
        spurious,
        elections,
    }
}

fn summary<'a>(outcomes: impl Iterator<Item = &'a ElectionOutcome>, min_lead: i64) -> Summary {
    let mut s = Summary::default();
    let mut leads = Vec::new();
    for o in outcomes {
        s.elections += 1;
        match o.lead_days {
            Some(l) => {
                leads.push(l);
                if l >= min_lead {
                    s.covered += 1;
                }
            }
            None => s.missed += 1,
        }
        if let Some(held) = o.transition_held {
            s.transitions += 1;
            s.transitions_held += usize::from(held);
        }
    }
    leads.sort_unstable();
    s.median_lead_days = leads
        .get(leads.len().saturating_sub(1) / 2)
        .copied()
        .filter(|_| !leads.is_empty());
    s.coverage = ratio(s.covered, s.elections);
    s.transition_rate = ratio(s.transitions_held, s.transitions);
    s
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Windows of one country's national jurisdiction as known on `day`.
fn windows_on(input: &Input<'_>, country: CountryCode, events: &[&FactEvent], day: NaiveDate) -> Vec<Window> {
    let known: Vec<FactEvent> = events
        .iter()
        .filter(|e| known_from(e, input.model) <= day)
        .map(|e| (*e).clone())
        .collect();
    let predictions = predict_elections(known.iter().map(|e| (&e.key, &e.event)), input.terms, day);
    let mut all = known;
    all.extend(predictions.into_iter().map(crate::predict::Prediction::into_fact));
    let code = JurisdictionCode::from(country);
    let members: Vec<Member> = input.members.iter().filter(|m| m.code == code).cloned().collect();
    let jurisdictions: Vec<Jurisdiction> = input
        .jurisdictions
        .iter()
        .filter(|j| j.code == code)
        .cloned()
        .collect();
    let lag = (input.formation_lag)(country);
    let facts = Facts::new(all, members, jurisdictions, move |_| lag);
    evaluate_jurisdiction(input.rules, &facts, &code, day).windows
}

/// The id a window of `rule` has for the legislative election after `previous`.
fn cycle_id(rule: &str, country: CountryCode, previous: Option<NaiveDate>) -> WindowId {
    let cycle = previous.map_or_else(|| "first".to_owned(), |d| format!("after-{d}"));
    WindowId::new(rule, &format!("{country}|{}|{cycle}", EventKind::Legislative))
}

fn replay_country(
    input: &Input<'_>,
    country: CountryCode,
    events: &[&FactEvent],
    from: NaiveDate,
    to: NaiveDate,
) -> (Vec<ElectionOutcome>, Vec<SpuriousWindow>) {
    let mut legislative: Vec<&FactEvent> = events
        .iter()
        .copied()
        .filter(|e| e.event.kind == EventKind::Legislative)
        .collect();
    legislative.sort_by_key(|e| (e.event.date.earliest(), e.key.clone()));
    legislative.dedup_by_key(|e| e.event.date.earliest());
    let mut cabinets: Vec<NaiveDate> = events
        .iter()
        .filter(|e| e.event.kind == EventKind::Cabinet && !e.event.caretaker)
        .map(|e| e.event.date.earliest())
        .collect();
    cabinets.sort_unstable();

    // The rules that look at legislative elections, and those among them measured from the
    // government's formation (transition rules).
    let mut election_rules = Vec::new();
    let mut transition_rules = Vec::new();
    for r in input.rules.rules() {
        if let crate::rule::Subject::Events { kinds } = &r.subject
            && (kinds.is_empty() || kinds.contains(&EventKind::Legislative))
        {
            if r.closes.anchor == crate::rule::Anchor::GovernmentFormed {
                transition_rules.push(r.id.clone());
            } else {
                election_rules.push(r.id.clone());
            }
        }
    }

    // The days on which what Vigie knows about this country changes.
    let start = from
        .checked_sub_days(Days::new(u64::from(input.model.regular_lead_days) + 400))
        .unwrap_or(from);
    let end = to.checked_add_days(Days::new(800)).unwrap_or(to);
    let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
    days.insert(start);
    for e in events {
        for d in [
            known_from(e, input.model),
            e.event.date.earliest(),
            e.event.date.latest(),
        ] {
            if d >= start && d <= end {
                days.insert(d);
                days.extend(d.pred_opt());
            }
        }
    }
    // Evaluate on every change day and on the days windows open and close in between.
    let mut seen_days: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut snapshots: BTreeMap<NaiveDate, Vec<Window>> = BTreeMap::new();
    let mut queue: Vec<NaiveDate> = days.iter().copied().collect();
    while let Some(day) = queue.pop() {
        if !seen_days.insert(day) {
            continue;
        }
        let windows = windows_on(input, country, events, day);
        for w in &windows {
            for d in [w.opens, w.closes, w.closes.succ_opt().unwrap_or(w.closes)] {
                if d > day && d >= start && d <= end && !seen_days.contains(&d) {
                    // Only worth a look if knowledge is unchanged until then: the next change day.
                    let next_change = days
                        .range(day.succ_opt().unwrap_or(day)..)
                        .next()
                        .copied()
                        .unwrap_or(end);
                    if d < next_change {
                        queue.push(d);
                    }
                }
            }
        }
        snapshots.insert(day, windows);
    }

    let open_on = |day: NaiveDate| -> Vec<&Window> {
        // The snapshot in force on `day`: the last evaluation on or before it.
        snapshots
            .range(..=day)
            .next_back()
            .map(|(_, ws)| ws.iter().filter(|w| w.state_on(day).is_open()).collect())
            .unwrap_or_default()
    };

    let mut outcomes = Vec::new();
    for (i, e) in legislative.iter().enumerate() {
        let day = e.event.date.earliest();
        if day < from || day > to {
            continue;
        }
        let previous = i.checked_sub(1).map(|p| legislative[p].event.date.earliest());
        let ids: Vec<(WindowId, &String)> = election_rules
            .iter()
            .map(|r| (cycle_id(r, country, previous), r))
            .collect();
        // The first day a window about this election was open, before election day.
        let mut first: Option<(NaiveDate, String)> = None;
        for (&snap_day, windows) in snapshots.range(..=day) {
            let next_snap = snapshots
                .range(snap_day.succ_opt().unwrap_or(snap_day)..)
                .next()
                .map(|(d, _)| *d);
            for w in windows.iter().filter(|w| ids.iter().any(|(id, _)| *id == w.id)) {
                // Within this snapshot the window is open from max(opens, snap_day).
                let candidate = w.opens.max(snap_day);
                let valid = candidate <= day
                    && next_snap.is_none_or(|n| candidate < n)
                    && w.state_on(candidate).is_open();
                if valid && first.as_ref().is_none_or(|(f, _)| candidate < *f) {
                    first = Some((candidate, w.rule.clone()));
                }
            }
        }
        // A government formed after the next election belongs to that election's transition.
        let next_election = legislative.get(i + 1).map(|n| n.event.date.earliest());
        let next_cabinet = cabinets
            .iter()
            .copied()
            .find(|c| *c >= day && next_election.is_none_or(|n| *c < n));
        let (transition_held, transition_closed) = match (transition_rules.is_empty(), next_cabinet) {
            (false, Some(cabinet)) => {
                let ids: Vec<WindowId> = transition_rules
                    .iter()
                    .map(|r| cycle_id(r, country, previous))
                    .collect();
                let check_days: Vec<NaiveDate> = std::iter::once(day)
                    .chain(
                        snapshots
                            .range(day..=cabinet)
                            .flat_map(|(d, _)| [*d, d.pred_opt().unwrap_or(*d)]),
                    )
                    .chain(std::iter::once(cabinet))
                    .filter(|d| *d >= day && *d <= cabinet)
                    .collect();
                let held = check_days
                    .iter()
                    .all(|d| open_on(*d).iter().any(|w| ids.contains(&w.id)));
                let closed = snapshots
                    .range(cabinet..)
                    .next()
                    .and_then(|(_, ws)| ws.iter().find(|w| ids.contains(&w.id)).map(|w| w.closes));
                (
                    Some(held && closed.is_some_and(|c| c <= cabinet + Days::new(7))),
                    closed,
                )
            }
            _ => (None, None),
        };
        outcomes.push(ElectionOutcome {
            country,
            election: e.key.clone(),
            day,
            early: is_early(e),
            lead_days: first.as_ref().map(|(f, _)| (day - *f).num_days()),
            first_open: first.as_ref().map(|(f, _)| *f),
            first_rule: first.map(|(_, r)| r),
            next_cabinet,
            transition_held,
            transition_closed,
        });
    }

    // Spurious: an open period of an election window after which no election of its cycle came
    // within a month.
    let mut spurious = Vec::new();
    let mut periods: BTreeMap<WindowId, Vec<(NaiveDate, NaiveDate, String)>> = BTreeMap::new();
    let check: Vec<NaiveDate> = snapshots
        .keys()
        .copied()
        .filter(|d| *d >= from && *d <= to)
        .collect();
    for d in check {
        for w in open_on(d) {
            if !election_rules.contains(&w.rule) {
                continue;
            }
            let list = periods.entry(w.id.clone()).or_default();
            match list.last_mut() {
                Some((_, until, _)) if *until >= d.pred_opt().unwrap_or(d) || w.opens <= *until => {
                    *until = (*until).max(w.closes.min(to))
                }
                _ => list.push((w.opens.max(d), w.closes.min(to), w.rule.clone())),
            }
        }
    }
    let election_days: Vec<NaiveDate> = legislative.iter().map(|e| e.event.date.earliest()).collect();
    for (id, list) in periods {
        for (opened, closed, rule) in list {
            let near = election_days
                .iter()
                .any(|d| *d >= opened && *d <= closed + Days::new(30));
            if !near && closed < to {
                spurious.push(SpuriousWindow {
                    country,
                    window: id.clone(),
                    rule,
                    opened,
                    closed,
                });
            }
        }
    }
    (outcomes, spurious)
}

impl Report {
    /// One CSV row per election.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "country,election,day,early,first_open,lead_days,first_rule,next_cabinet,transition_held,transition_closed\n",
        );
        let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        for e in &self.elections {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}\n",
                e.country,
                e.election,
                e.day,
                u8::from(e.early),
                opt(e.first_open),
                e.lead_days.map(|l| l.to_string()).unwrap_or_default(),
                e.first_rule.clone().unwrap_or_default(),
                opt(e.next_cabinet),
                e.transition_held.map(|h| h.to_string()).unwrap_or_default(),
                opt(e.transition_closed),
            ));
        }
        out
    }
}
