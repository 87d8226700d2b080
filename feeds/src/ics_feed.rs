//! From iCalendar events to calendar events.
//!
//! An iCalendar file says nothing of jurisdictions or election kinds, so the feed's
//! configuration gives defaults, and an event may override them with `X-VIGIE-JURISDICTION`,
//! `X-VIGIE-KIND` and `X-VIGIE-STATUS` properties.

use chrono::NaiveDate;
use vigie_rules::{CalendarEvent, EventDate, EventKind, EventStatus, JurisdictionCode};

use crate::country::Countries;
use crate::{FeedError, ical};

/// How one iCalendar feed is read.
#[derive(Debug, Clone)]
pub struct IcsSettings {
    /// The jurisdiction of events that do not name one.
    pub jurisdiction: Option<JurisdictionCode>,
    /// The kind of events that do not name one.
    pub default_kind: EventKind,
    /// Recurring events are expanded between these days.
    pub horizon_start: NaiveDate,
    pub horizon_end: NaiveDate,
}

impl Default for IcsSettings {
    fn default() -> Self {
        let defaults = ical::ReadOptions::default();
        Self {
            jurisdiction: None,
            default_kind: EventKind::Other,
            horizon_start: defaults.horizon_start,
            horizon_end: defaults.horizon_end,
        }
    }
}

pub(crate) fn parse(
    bytes: &[u8],
    settings: &IcsSettings,
    countries: &Countries,
) -> Result<(Vec<CalendarEvent>, Vec<String>), FeedError> {
    let options = ical::ReadOptions {
        horizon_start: settings.horizon_start,
        horizon_end: settings.horizon_end,
        ..ical::ReadOptions::default()
    };
    let calendar = ical::read(bytes, &options).map_err(|e| FeedError::Invalid(vec![e.to_string()]))?;
    let mut warnings: Vec<String> = calendar.warnings.iter().map(ToString::to_string).collect();
    let mut events = Vec::with_capacity(calendar.events.len());
    for e in calendar.events {
        let at = format!("line {} ({})", e.line, e.uid);
        let jurisdiction = match e.extra.get("X-VIGIE-JURISDICTION") {
            Some(j) => match JurisdictionCode::parse(j) {
                Ok(code) => Some(code),
                Err(err) => {
                    warnings.push(format!("{at}: X-VIGIE-JURISDICTION: {err}; the event is skipped"));
                    continue;
                }
            },
            None => settings.jurisdiction.clone(),
        };
        let Some(jurisdiction) = jurisdiction else {
            warnings.push(format!(
                "{at}: the event names no jurisdiction and the feed has no default; set `jurisdiction` on the feed or X-VIGIE-JURISDICTION on the event"
            ));
            continue;
        };
        if countries.get(jurisdiction.country()).is_none() {
            warnings.push(format!(
                "{at}: \"{}\" is not a known country; the event is skipped",
                jurisdiction.country()
            ));
            continue;
        }
        let kind = match e.extra.get("X-VIGIE-KIND").map(|k| EventKind::parse(k)) {
            Some(Ok(k)) => k,
            Some(Err(err)) => {
                warnings.push(format!(
                    "{at}: X-VIGIE-KIND: {err}; the feed's default kind is used"
                ));
                settings.default_kind
            }
            None => settings.default_kind,
        };
        let status = match e.extra.get("X-VIGIE-STATUS").map(|s| EventStatus::parse(s)) {
            Some(Ok(s)) => s,
            _ => match e.status.as_deref().map(str::to_ascii_uppercase).as_deref() {
                Some("CANCELLED") => EventStatus::Cancelled,
                Some("TENTATIVE") => EventStatus::Announced,
                _ => EventStatus::Scheduled,
            },
        };
        let first = e.start.date();
        // DTEND is exclusive: an all-day event ending on the 2nd covers the 1st only.
        let last = match &e.end {
            Some(ical::Time::Date(end)) => end.pred_opt().unwrap_or(*end).max(first),
            // A timed event ending at midnight does not take up the day that starts then.
            Some(end) if end.naive_local().time() == chrono::NaiveTime::MIN && end.date() > first => {
                end.date().pred_opt().unwrap_or(first)
            }
            Some(end) => end.date().max(first),
            None => first,
        };
        let mut attributes = std::collections::BTreeMap::new();
        if let Some(r) = &e.recurrence_id {
            attributes.insert("recurrence_id".into(), r.clone());
        }
        if let Some(l) = e.location.as_deref().filter(|l| !l.is_empty()) {
            attributes.insert("location".into(), l.to_owned());
        }
        if !e.categories.is_empty() {
            attributes.insert("categories".into(), e.categories.join(","));
        }
        events.push(CalendarEvent {
            uid: e.uid,
            jurisdiction,
            kind,
            title: e.summary,
            date: EventDate::days(first, last),
            status,
            caretaker: false,
            source: e.extra.get("X-VIGIE-SOURCE").cloned(),
            notes: e.description.filter(|d| !d.is_empty()),
            attributes,
        });
    }
    Ok((events, warnings))
}
