//! Deriving windows: every rule over every record, as of one day.
//!
//! Evaluation is a pure function of the rules, the facts and the day, deterministic, and it never
//! aborts: a rule that fails on one record reports that record and goes on with the next.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate};

use super::occurrence::{Occurrence, occurrences, order};
use super::{Window, WindowId, WindowState, state_from_dates};
use crate::condition::{Record, WindowDates};
use crate::rule::{Anchor, Bound, Rule, RuleSet, Subject};
use crate::{
    CalendarEvent, CountryCode, EventKey, EventKind, EventStatus, Jurisdiction, JurisdictionCode, Member,
    Precision,
};

/// An event as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactEvent {
    pub key: EventKey,
    pub event: CalendarEvent,
    /// Vigie's own estimate of a regular election, not an event from a feed.
    pub predicted: bool,
}

/// Everything the rules look at, indexed for evaluation by jurisdiction.
pub struct Facts {
    events: Vec<FactEvent>,
    members: BTreeMap<JurisdictionCode, Member>,
    jurisdictions: BTreeMap<JurisdictionCode, Jurisdiction>,
    by_jurisdiction: BTreeMap<JurisdictionCode, Vec<usize>>,
    by_key: HashMap<EventKey, usize>,
    /// Start days of fully formed (non-caretaker) cabinets, per country, sorted, with their key.
    cabinets: HashMap<CountryCode, Vec<(NaiveDate, usize)>>,
    /// The typical days from an election to a new government (a high quantile), per country.
    formation_lag: Box<dyn Fn(CountryCode) -> u32 + Send + Sync>,
}

impl Facts {
    pub fn new(
        events: Vec<FactEvent>,
        members: Vec<Member>,
        jurisdictions: Vec<Jurisdiction>,
        formation_lag: impl Fn(CountryCode) -> u32 + Send + Sync + 'static,
    ) -> Self {
        let mut facts = Self {
            events: Vec::new(),
            members: members.into_iter().map(|m| (m.code.clone(), m)).collect(),
            jurisdictions: jurisdictions.into_iter().map(|j| (j.code.clone(), j)).collect(),
            by_jurisdiction: BTreeMap::new(),
            by_key: HashMap::new(),
            cabinets: HashMap::new(),
            formation_lag: Box::new(formation_lag),
        };
        facts.events = events;
        facts.reindex();
        facts
    }

    fn reindex(&mut self) {
        self.by_jurisdiction.clear();
        self.by_key.clear();
        self.cabinets.clear();
        // A key given twice keeps its last event: facts hold one event per key.
        let mut unique: Vec<FactEvent> = Vec::with_capacity(self.events.len());
        for e in std::mem::take(&mut self.events) {
            match self.by_key.get(&e.key) {
                Some(&i) => unique[i] = e,
                None => {
                    self.by_key.insert(e.key.clone(), unique.len());
                    unique.push(e);
                }
            }
        }
        self.events = unique;
        for (i, e) in self.events.iter().enumerate() {
            self.by_jurisdiction
                .entry(e.event.jurisdiction.clone())
                .or_default()
                .push(i);
        }
        let events = &self.events;
        for list in self.by_jurisdiction.values_mut() {
            list.sort_by(|&a, &b| order(&events[a], &events[b]));
        }
        let countries: BTreeSet<CountryCode> = self
            .events
            .iter()
            .filter(|e| Self::is_formed_cabinet(e))
            .map(|e| e.event.jurisdiction.country())
            .collect();
        for country in countries {
            self.reindex_cabinets(country);
        }
    }

    /// Replaces (or adds) one event and returns the jurisdictions whose windows may change: its
    /// own (old and new), and for a cabinet every jurisdiction of its country that has events.
    /// Only the indices of the jurisdictions and country involved are rebuilt.
    pub fn upsert_event(&mut self, event: FactEvent) -> Vec<JurisdictionCode> {
        let previous = self.by_key.get(&event.key).copied();
        let mut touched: BTreeSet<JurisdictionCode> = BTreeSet::new();
        touched.insert(event.event.jurisdiction.clone());
        let index = match previous {
            Some(i) => {
                let old = std::mem::replace(&mut self.events[i], event);
                if old.event.jurisdiction != self.events[i].event.jurisdiction {
                    if let Some(list) = self.by_jurisdiction.get_mut(&old.event.jurisdiction) {
                        list.retain(|&j| j != i);
                    }
                    self.by_jurisdiction
                        .entry(self.events[i].event.jurisdiction.clone())
                        .or_default()
                        .push(i);
                }
                touched.insert(old.event.jurisdiction.clone());
                if old.event.kind == EventKind::Cabinet {
                    self.reindex_cabinets(old.event.jurisdiction.country());
                }
                i
            }
            None => {
                let i = self.events.len();
                self.by_key.insert(event.key.clone(), i);
                self.by_jurisdiction
                    .entry(event.event.jurisdiction.clone())
                    .or_default()
                    .push(i);
                self.events.push(event);
                i
            }
        };
        // Keep the touched jurisdictions' events in occurrence order.
        let events = &self.events;
        for code in &touched {
            if let Some(list) = self.by_jurisdiction.get_mut(code) {
                list.sort_by(|&a, &b| order(&events[a], &events[b]));
            }
        }
        let e = &self.events[index].event;
        if e.kind == EventKind::Cabinet {
            let country = e.jurisdiction.country();
            self.reindex_cabinets(country);
            touched.extend(
                self.by_jurisdiction
                    .keys()
                    .filter(|j| j.country() == country)
                    .cloned(),
            );
        }
        touched.into_iter().collect()
    }

    fn is_formed_cabinet(e: &FactEvent) -> bool {
        e.event.kind == EventKind::Cabinet && !e.event.caretaker && e.event.status != EventStatus::Cancelled
    }

    /// Rebuilds one country's list of cabinets, by day then key.
    fn reindex_cabinets(&mut self, country: CountryCode) {
        let mut list: Vec<(NaiveDate, usize)> = self
            .by_jurisdiction
            .iter()
            .filter(|(j, _)| j.country() == country)
            .flat_map(|(_, ids)| ids.iter().copied())
            .filter(|&i| Self::is_formed_cabinet(&self.events[i]))
            .map(|i| (self.events[i].event.date.earliest(), i))
            .collect();
        let events = &self.events;
        list.sort_by(|a, b| (a.0, &events[a.1].key).cmp(&(b.0, &events[b.1].key)));
        self.cabinets.insert(country, list);
    }

    /// Every jurisdiction that has events or a member, in order.
    pub fn jurisdictions(&self) -> Vec<JurisdictionCode> {
        let mut all: BTreeSet<JurisdictionCode> = self.by_jurisdiction.keys().cloned().collect();
        all.extend(self.members.keys().cloned());
        all.into_iter().collect()
    }

    pub fn events(&self) -> &[FactEvent] {
        &self.events
    }

    pub fn member(&self, code: &JurisdictionCode) -> Option<&Member> {
        self.members.get(code)
    }

    /// The jurisdiction, or for an unregistered subdivision the country it belongs to.
    fn jurisdiction(&self, code: &JurisdictionCode) -> Option<&Jurisdiction> {
        self.jurisdictions
            .get(code)
            .or_else(|| self.jurisdictions.get(&JurisdictionCode::from(code.country())))
    }
}

/// A rule that could not be evaluated on one record; the others went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub rule: String,
    /// The event key or member code.
    pub record: String,
    pub message: String,
}

/// What an evaluation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Ordered by jurisdiction, then opening day, then id.
    pub windows: Vec<Window>,
    pub errors: Vec<RecordError>,
}

/// Every window the rules derive from the facts, with its state on `today`.
pub fn evaluate(rules: &RuleSet, facts: &Facts, today: NaiveDate) -> Evaluation {
    let mut out = Evaluation::default();
    // About one window for every two or three events: growing a vector of large windows copies
    // them, and reserving far too much costs fresh pages.
    out.windows.reserve(facts.events.len() / 2);
    for code in facts.jurisdictions() {
        evaluate_into(rules, facts, &code, today, &mut out);
    }
    out
}

/// The windows of one jurisdiction only: what changes when one of its events changes.
pub fn evaluate_jurisdiction(
    rules: &RuleSet,
    facts: &Facts,
    code: &JurisdictionCode,
    today: NaiveDate,
) -> Evaluation {
    let mut out = Evaluation::default();
    evaluate_into(rules, facts, code, today, &mut out);
    out
}

/// The dates a rule's bounds are measured from, for one record.
#[derive(Default)]
struct Anchors {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    government_formed: Option<(NaiveDate, bool, Option<EventKey>)>,
    plan_start: Option<(NaiveDate, bool)>,
    plan_end: Option<(NaiveDate, bool)>,
    status_since: Option<(NaiveDate, bool)>,
}

impl Anchors {
    /// The anchor's day and whether it is an estimate.
    fn get(&self, anchor: Anchor) -> Option<(NaiveDate, bool)> {
        match anchor {
            Anchor::Start => self.start.map(|d| (d, false)),
            Anchor::End => self.end.map(|d| (d, false)),
            Anchor::GovernmentFormed => self.government_formed.as_ref().map(|(d, est, _)| (*d, *est)),
            Anchor::PlanStart => self.plan_start,
            Anchor::PlanEnd => self.plan_end,
            Anchor::StatusSince => self.status_since,
        }
    }

    fn for_member(member: Option<&Member>) -> Self {
        let estimated = |d: &crate::EventDate| d.precision() != Precision::Day;
        let Some(m) = member else { return Self::default() };
        Self {
            plan_start: m.action_plan.start.map(|d| (d.earliest(), estimated(&d))),
            plan_end: m.action_plan.end.map(|d| (d.latest(), estimated(&d))),
            status_since: m.status_since.map(|d| (d.earliest(), estimated(&d))),
            ..Self::default()
        }
    }
}

fn evaluate_into(
    rules: &RuleSet,
    facts: &Facts,
    code: &JurisdictionCode,
    today: NaiveDate,
    out: &mut Evaluation,
) {
    let first = out.windows.len();
    evaluate_rules(rules, facts, code, today, out);
    // Jurisdictions are evaluated in order; within one, order by opening day then id (a small,
    // local sort instead of a sort of every window).
    out.windows[first..].sort_by(|a, b| (a.opens, &a.id).cmp(&(b.opens, &b.id)));
}

fn evaluate_rules(
    rules: &RuleSet,
    facts: &Facts,
    code: &JurisdictionCode,
    today: NaiveDate,
    out: &mut Evaluation,
) {
    let jurisdiction = facts.jurisdiction(code);
    let member = facts.members.get(code);
    let Some(region) = jurisdiction.map(|j| j.region).or(member.map(|m| m.region)) else {
        return;
    };
    let events: Vec<&FactEvent> = facts
        .by_jurisdiction
        .get(code)
        .map(|ids| ids.iter().map(|&i| &facts.events[i]).collect())
        .unwrap_or_default();
    let occurrences = occurrences(&events);
    let cx = Context {
        facts,
        code,
        jurisdiction,
        member,
        region,
        today,
    };
    for rule in rules.rules() {
        match &rule.subject {
            Subject::Events { kinds } => {
                for (i, occ) in occurrences.iter().enumerate() {
                    if !kinds.is_empty() && !kinds.contains(&occ.kind) {
                        continue;
                    }
                    // Occurrences are ordered by kind, then date: the next of the kind is adjacent.
                    let next = occurrences.get(i + 1).filter(|o| o.kind == occ.kind);
                    cx.event_window(rule, occ, next, out);
                }
            }
            Subject::Members => cx.member_window(rule, out),
        }
    }
}

struct Context<'a> {
    facts: &'a Facts,
    code: &'a JurisdictionCode,
    jurisdiction: Option<&'a Jurisdiction>,
    member: Option<&'a Member>,
    region: crate::Region,
    today: NaiveDate,
}

/// At most this long after an election does a transition window wait for a government Vigie
/// does not know of, in multiples of the country's typical (90th percentile) formation lag.
const FORMATION_WAIT_FACTOR: u32 = 2;
/// …and at least this many days.
const FORMATION_WAIT_MIN_DAYS: u32 = 365;

impl Context<'_> {
    fn record<'r>(&'r self, event: Option<&'r FactEvent>) -> Record<'r> {
        Record {
            today: self.today,
            event: event.map(|e| &e.event),
            event_predicted: event.is_some_and(|e| e.predicted),
            member: self.member,
            jurisdiction: self.jurisdiction,
            window: None,
        }
    }

    /// When the government formed after the election `occ`: the first fully formed cabinet of
    /// the country from the election's first day (and before the next election of the kind), or
    /// an estimate that keeps the window open while the formation is not known, within reason.
    fn government_formed(
        &self,
        occ: &Occurrence<'_>,
        next: Option<&Occurrence<'_>>,
    ) -> (NaiveDate, bool, Option<EventKey>) {
        let start = occ.representative.event.date.earliest();
        let end = occ.representative.event.date.latest();
        let country = self.code.country();
        let limit = next.map(|n| n.representative.event.date.earliest());
        let known = self.facts.cabinets.get(&country).and_then(|list| {
            list.iter()
                .find(|(d, _)| *d >= start && limit.is_none_or(|l| *d < l))
                .copied()
        });
        if let Some((day, i)) = known {
            return (day, false, Some(self.facts.events[i].key.clone()));
        }
        let lag = (self.facts.formation_lag)(country);
        let typical = end.checked_add_days(Days::new(u64::from(lag))).unwrap_or(end);
        let wait = lag
            .saturating_mul(FORMATION_WAIT_FACTOR)
            .max(FORMATION_WAIT_MIN_DAYS);
        let longest = end.checked_add_days(Days::new(u64::from(wait))).unwrap_or(end);
        // Not formed yet as far as Vigie knows: not before today, within the longest wait.
        let estimate = typical.max(self.today.min(longest));
        (estimate, true, None)
    }

    fn event_window(
        &self,
        rule: &Rule,
        occ: &Occurrence<'_>,
        next: Option<&Occurrence<'_>>,
        out: &mut Evaluation,
    ) {
        let rep = occ.representative;
        let record = self.record(Some(rep));
        if !self.holds(rule, &record, &rep.key.to_string(), out) {
            return;
        }
        let mut anchors = Anchors::for_member(self.member);
        anchors.start = Some(rep.event.date.earliest());
        anchors.end = Some(rep.event.date.latest());
        if rule.opens.anchor == Anchor::GovernmentFormed || rule.closes.anchor == Anchor::GovernmentFormed {
            anchors.government_formed = Some(self.government_formed(occ, next));
        }
        let mut keys: Vec<EventKey> = occ.events.iter().map(|e| e.key.clone()).collect();
        if let Some((_, _, Some(cabinet))) = &anchors.government_formed {
            keys.push(cabinet.clone());
        }
        let date_estimated = rep.predicted || rep.event.date.precision() != Precision::Day;
        let state = match rep.event.status {
            EventStatus::Cancelled => Some(WindowState::Cancelled),
            EventStatus::Postponed => Some(WindowState::Moved),
            _ => None,
        };
        let id = WindowId::from_parts(&rule.id, &[self.code.as_str(), occ.kind.as_str(), &occ.cycle]);
        let kind = Some(occ.kind);
        self.build(
            rule,
            &record,
            &anchors,
            date_estimated,
            state,
            id,
            rep.event.title.clone(),
            keys,
            kind,
            out,
        );
    }

    fn member_window(&self, rule: &Rule, out: &mut Evaluation) {
        let Some(member) = self.member else { return };
        let record = self.record(None);
        if !self.holds(rule, &record, member.code.as_str(), out) {
            return;
        }
        let anchors = Anchors::for_member(Some(member));
        // The cycle a member window belongs to: the plan (by number, else its dates) or the
        // status, so the window keeps its identity while dates are refined.
        let uses = |a: Anchor| rule.opens.anchor == a || rule.closes.anchor == a;
        let plan = &member.action_plan;
        let cycle = if uses(Anchor::PlanStart) || uses(Anchor::PlanEnd) {
            match (plan.number, plan.cohort, plan.start) {
                (Some(n), _, _) => format!("plan-{n}"),
                (None, Some(c), _) => format!("plan-cohort-{c}"),
                (None, None, Some(s)) => format!("plan-from-{}", s.earliest()),
                _ => format!(
                    "plan-to-{}",
                    plan.end.map(|d| d.latest().to_string()).unwrap_or_default()
                ),
            }
        } else {
            let since = member
                .status_since
                .map(|d| d.earliest().to_string())
                .unwrap_or_default();
            format!("status-{}-{since}", member.status)
        };
        let id = WindowId::from_parts(&rule.id, &[member.code.as_str(), &cycle]);
        let title = format!("{}: {}", member.name, rule.description);
        self.build(
            rule,
            &record,
            &anchors,
            false,
            None,
            id,
            title,
            Vec::new(),
            None,
            out,
        );
    }

    /// Whether the rule's condition holds for the record; a failure is reported, not fatal.
    fn holds(&self, rule: &Rule, record: &Record<'_>, what: &str, out: &mut Evaluation) -> bool {
        let Some(when) = &rule.when else { return true };
        match when.evaluate(record) {
            Ok(b) => b,
            Err(e) => {
                out.errors.push(RecordError {
                    rule: rule.id.clone(),
                    record: what.to_owned(),
                    message: e.to_string(),
                });
                false
            }
        }
    }

    fn bound(&self, bound: &Bound, anchors: &Anchors) -> Option<(NaiveDate, bool)> {
        let (day, estimated) = anchors.get(bound.anchor)?;
        Some((bound.offset.apply(day)?, estimated))
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        rule: &Rule,
        record: &Record<'_>,
        anchors: &Anchors,
        date_estimated: bool,
        forced_state: Option<WindowState>,
        id: WindowId,
        title: String,
        events: Vec<EventKey>,
        kind: Option<EventKind>,
        out: &mut Evaluation,
    ) {
        // A record without the dates the rule measures from has no window: no window exists
        // without a reason.
        let (Some((opens, open_est)), Some((closes, close_est))) = (
            self.bound(&rule.opens, anchors),
            self.bound(&rule.closes, anchors),
        ) else {
            return;
        };
        let (Some(opens), Some(closes)) = (rule.hold.apply(opens), rule.keep_open_for.apply(closes)) else {
            return;
        };
        if closes < opens {
            return;
        }
        let closing_from = sub_offset(closes, rule.closing).max(opens);
        let mut priority = rule.priority;
        let mut reasons = vec![rule.reason(opens, closes)];
        let with_window = Record {
            window: Some(WindowDates { opens, closes }),
            ..*record
        };
        for overlay in &rule.overlays {
            match overlay.when.evaluate(&with_window) {
                Ok(true) => {
                    priority = priority.raised(overlay.raise);
                    reasons.push(overlay.reason.clone());
                }
                Ok(false) => {}
                Err(e) => out.errors.push(RecordError {
                    rule: rule.id.clone(),
                    record: id.to_string(),
                    message: format!("overlay \"{}\": {e}", overlay.reason),
                }),
            }
        }
        let state = forced_state.unwrap_or_else(|| state_from_dates(opens, closing_from, closes, self.today));
        out.windows.push(Window {
            id,
            rule: rule.id.clone(),
            jurisdiction: self.code.clone(),
            region: self.region,
            title,
            opens,
            closing_from,
            closes,
            estimated: date_estimated || open_est || close_est,
            priority,
            kind,
            labels: rule.labels.clone(),
            reasons,
            events,
            state,
        });
    }
}

/// `day` minus an offset (the offset read as a length of time).
fn sub_offset(day: NaiveDate, offset: crate::rule::Offset) -> NaiveDate {
    let negated = crate::rule::Offset {
        days: -offset.days,
        months: -offset.months,
    };
    negated.apply(day).unwrap_or(day)
}
