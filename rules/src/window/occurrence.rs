//! Occurrences: one real-world event, however many feeds describe it.
//!
//! ParlGov and a curated calendar may both list the same election, and a predicted election may
//! sit beside the one announced later. Events of one jurisdiction and kind whose dates overlap
//! (within a few days) are one occurrence, represented by its most precise event. Each
//! occurrence is named by its place in the sequence ("the legislative election after the one of
//! 2021-03-17"), which does not change when its date is refined: that name is what window
//! identities are built from.

use chrono::{Days, NaiveDate};

use super::FactEvent;
use crate::{EventKind, EventStatus, Precision};

/// How far apart two descriptions of one event may be and still be merged.
const SAME_EVENT_SLACK_DAYS: u64 = 15;

/// One event in the world, as one or several feeds describe it.
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    pub kind: EventKind,
    /// The most trustworthy description: not cancelled, not predicted, most precise.
    pub representative: &'a FactEvent,
    /// Every description merged into this occurrence, the representative included.
    pub events: Vec<&'a FactEvent>,
    /// `first`, or `after-YYYY-MM-DD`: the start of the previous occurrence of the same kind.
    pub cycle: String,
}

fn rank(e: &FactEvent) -> (bool, bool, u8, &str, &str) {
    let precision = match e.event.date.precision() {
        Precision::Day => 0,
        Precision::Month => 1,
        Precision::Year => 2,
        Precision::Estimated => 3,
    };
    (
        e.event.status == EventStatus::Cancelled,
        e.predicted,
        precision,
        &e.key.feed,
        &e.key.uid,
    )
}

/// The order occurrences are built in: kind, then dates, then key.
pub(crate) fn order(a: &FactEvent, b: &FactEvent) -> std::cmp::Ordering {
    (
        a.event.kind,
        a.event.date.earliest(),
        a.event.date.latest(),
        &a.key,
    )
        .cmp(&(
            b.event.kind,
            b.event.date.earliest(),
            b.event.date.latest(),
            &b.key,
        ))
}

/// Groups the events of one jurisdiction into occurrences, ordered by kind then date. Events
/// already in [`order`] (as `Facts` keeps them) are not sorted again.
pub fn occurrences<'a>(events: &[&'a FactEvent]) -> Vec<Occurrence<'a>> {
    let mut sorted: Vec<&'a FactEvent> = events.to_vec();
    if !sorted.is_sorted_by(|a, b| order(a, b).is_le()) {
        sorted.sort_by(|a, b| order(a, b));
    }
    let mut groups: Vec<(EventKind, NaiveDate, Vec<&'a FactEvent>)> = Vec::new();
    for e in sorted {
        let reach = |latest: NaiveDate| {
            latest
                .checked_add_days(Days::new(SAME_EVENT_SLACK_DAYS))
                .unwrap_or(latest)
        };
        match groups.last_mut() {
            Some((kind, latest, group))
                if *kind == e.event.kind && reach(*latest) >= e.event.date.earliest() =>
            {
                *latest = (*latest).max(e.event.date.latest());
                group.push(e);
            }
            _ => groups.push((e.event.kind, e.event.date.latest(), vec![e])),
        }
    }
    let mut out: Vec<Occurrence<'a>> = Vec::with_capacity(groups.len());
    for (kind, _, group) in groups {
        let representative = group
            .iter()
            .copied()
            .min_by(|a, b| rank(a).cmp(&rank(b)))
            .unwrap_or(group[0]);
        let cycle = match out.last() {
            Some(prev) if prev.kind == kind => format!("after-{}", prev.representative.event.date.earliest()),
            _ => "first".to_owned(),
        };
        out.push(Occurrence {
            kind,
            representative,
            events: group,
            cycle,
        });
    }
    out
}
