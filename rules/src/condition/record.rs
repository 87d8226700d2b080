//! The record a condition is evaluated against, and its CEL values.
//!
//! Conditions run over every event for every rule, so the record's maps are not built up front:
//! `event`, `member`, `member.plan` and `jurisdiction` are views of the domain values that make a
//! field's CEL value only when the condition reads it, borrowing the record's strings. Binding a
//! record allocates nothing; reading a field allocates that field's value.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use cel::ExecutionError;
use cel::common::traits::{self, Container, Indexer, Iterable, Sizer};
use cel::common::types::{
    CelBool, CelInt, CelMap, CelMapKey, CelNull, CelString, CelTimestamp, Kind, MAP_TYPE, Type,
};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use chrono::{DateTime, FixedOffset, NaiveDate};

use super::vocabulary::{self, Field};
use crate::{ActionPlan, CalendarEvent, EventDate, Jurisdiction, Member};

/// What a condition sees: the day of the evaluation and the event, member and jurisdiction it is
/// about. Each may be absent: a rule about members has no event, a jurisdiction that is not an OGP
/// member has no member; the condition then sees `null`.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The evaluation's day: `today` in conditions, and what the date helpers count from.
    pub today: NaiveDate,
    pub event: Option<&'a CalendarEvent>,
    /// Whether the event is Vigie's own estimate rather than an announced date.
    pub event_predicted: bool,
    pub member: Option<&'a Member>,
    pub jurisdiction: Option<&'a Jurisdiction>,
    /// The window being derived: set for overlays, which may compare dates with it.
    pub window: Option<WindowDates>,
}

/// The first and last day of the window an overlay looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowDates {
    pub opens: NaiveDate,
    pub closes: NaiveDate,
}

/// The variable the date helpers read the evaluation's day from. No CEL identifier can start with
/// `@`, so a condition can neither read nor shadow it.
pub(super) const TODAY: &str = "@today";

static NULL: CelNull = CelNull;

/// A record's variables, handed to the interpreter on lookup.
pub(super) struct Bindings<'a> {
    today: DateTime<FixedOffset>,
    event: Option<View<'a>>,
    member: Option<View<'a>>,
    jurisdiction: Option<View<'a>>,
    window: Option<View<'a>>,
}

impl<'a> Bindings<'a> {
    pub fn new(record: &Record<'a>) -> Self {
        Self {
            today: midnight(record.today),
            event: record.event.map(|e| View::Event(e, record.event_predicted)),
            member: record.member.map(View::Member),
            jurisdiction: record.jurisdiction.map(View::Jurisdiction),
            window: record.window.map(View::Window),
        }
    }
}

impl VariableResolver for Bindings<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        let view = match variable {
            "today" | TODAY => return Some(CowVal::owned(CelTimestamp::from(self.today))),
            "event" => &self.event,
            "member" => &self.member,
            "jurisdiction" => &self.jurisdiction,
            "window" => &self.window,
            _ => return None,
        };
        Some(match view {
            Some(view) => CowVal::Borrowed(view),
            None => CowVal::Borrowed(&NULL),
        })
    }
}

/// 00:00 UTC of `day`, the instant a condition sees for a day.
pub(super) fn midnight(day: NaiveDate) -> DateTime<FixedOffset> {
    day.and_time(chrono::NaiveTime::MIN).and_utc().fixed_offset()
}

/// One of the record's maps, as a view of the domain value it shows.
#[derive(Debug, Clone, Copy)]
enum View<'a> {
    /// An event, and whether Vigie predicted it.
    Event(&'a CalendarEvent, bool),
    Member(&'a Member),
    Plan(&'a ActionPlan),
    Jurisdiction(&'a Jurisdiction),
    Window(WindowDates),
}

/// Each view's keys as CEL strings, which iterating a map lends out.
struct Keys {
    event: Vec<CelString<'static>>,
    member: Vec<CelString<'static>>,
    plan: Vec<CelString<'static>>,
    jurisdiction: Vec<CelString<'static>>,
    window: Vec<CelString<'static>>,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let keys = |fields: &[Field]| fields.iter().map(|f| CelString::from(f.name)).collect();
    Keys {
        event: keys(vocabulary::EVENT),
        member: keys(vocabulary::MEMBER),
        plan: keys(vocabulary::PLAN),
        jurisdiction: keys(vocabulary::JURISDICTION),
        window: keys(vocabulary::WINDOW),
    }
});

fn string(s: &str) -> Box<dyn Val + '_> {
    Box::new(CelString::from(s))
}

fn bool(b: bool) -> Box<dyn Val + 'static> {
    Box::new(CelBool::from(b))
}

fn day(day: Option<NaiveDate>) -> Box<dyn Val + 'static> {
    match day {
        Some(d) => Box::new(CelTimestamp::from(midnight(d))),
        None => Box::new(CelNull),
    }
}

fn int(i: Option<i64>) -> Box<dyn Val + 'static> {
    match i {
        Some(i) => Box::new(CelInt::from(i)),
        None => Box::new(CelNull),
    }
}

/// The country part of a jurisdiction code (`ES` of `ES-madrid`), borrowed from it.
fn country(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

fn attributes(attributes: &BTreeMap<String, String>) -> Box<dyn Val + '_> {
    let map: HashMap<CelMapKey<'_>, Box<dyn Val + '_>> = attributes
        .iter()
        .map(|(k, v)| (CelMapKey::from(k.as_str()), string(v)))
        .collect();
    Box::new(CelMap::from(map))
}

impl<'a> View<'a> {
    fn keys(&self) -> &'static [CelString<'static>] {
        match self {
            Self::Event(..) => &KEYS.event,
            Self::Member(_) => &KEYS.member,
            Self::Plan(_) => &KEYS.plan,
            Self::Jurisdiction(_) => &KEYS.jurisdiction,
            Self::Window(_) => &KEYS.window,
        }
    }

    /// The value of the field `name`, made now.
    fn field(&self, name: &str) -> Option<Box<dyn Val + 'a>> {
        Some(match (*self, name) {
            (Self::Event(e, _), "kind") => string(e.kind.as_str()),
            (Self::Event(e, _), "is_election") => bool(e.kind.is_election()),
            (Self::Event(e, _), "status") => string(e.status.as_str()),
            (Self::Event(e, _), "title") => string(&e.title),
            (Self::Event(e, _), "jurisdiction") => string(e.jurisdiction.as_str()),
            (Self::Event(e, _), "country") => string(country(e.jurisdiction.as_str())),
            (Self::Event(e, _), "start") => day(Some(e.date.earliest())),
            (Self::Event(e, _), "end") => day(Some(e.date.latest())),
            (Self::Event(e, _), "precision") => string(e.date.precision().as_str()),
            (Self::Event(_, predicted), "predicted") => bool(predicted),
            (Self::Event(e, _), "early") => bool(
                e.attributes
                    .get("early")
                    .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes")),
            ),
            (Self::Event(e, _), "caretaker") => bool(e.caretaker),
            (Self::Event(e, _), "attributes") => attributes(&e.attributes),
            (Self::Member(m), "code") => string(m.code.as_str()),
            (Self::Member(m), "name") => string(&m.name),
            (Self::Member(m), "level") => string(m.level.as_str()),
            (Self::Member(m), "region") => string(m.region.slug()),
            (Self::Member(m), "status") => string(m.status.as_str()),
            (Self::Member(m), "status_since") => day(m.status_since.as_ref().map(EventDate::earliest)),
            (Self::Member(m), "joined") => int(m.joined.map(i64::from)),
            (Self::Member(m), "plan") => Box::new(View::Plan(&m.action_plan)),
            (Self::Plan(p), "number") => int(p.number.map(i64::from)),
            (Self::Plan(p), "start") => day(p.start.as_ref().map(EventDate::earliest)),
            (Self::Plan(p), "end") => day(p.end.as_ref().map(EventDate::latest)),
            (Self::Jurisdiction(j), "code") => string(j.code.as_str()),
            (Self::Jurisdiction(j), "name") => string(&j.name),
            (Self::Jurisdiction(j), "level") => string(j.level.as_str()),
            (Self::Jurisdiction(j), "region") => string(j.region.slug()),
            (Self::Jurisdiction(j), "country") => string(country(j.code.as_str())),
            (Self::Window(w), "opens") => day(Some(w.opens)),
            (Self::Window(w), "closes") => day(Some(w.closes)),
            _ => return None,
        })
    }
}

impl<'a> Val for View<'a> {
    fn get_type(&self) -> &Type {
        &MAP_TYPE
    }

    fn cel_type() -> &'static Type {
        &MAP_TYPE
    }

    fn as_container(&self) -> Option<&dyn Container> {
        Some(self)
    }

    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn Indexer + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }

    fn as_iterable<'b, 'v>(&'b self) -> Option<&'b (dyn Iterable + 'v)>
    where
        Self: 'v,
    {
        Some(self)
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        Some(self)
    }

    /// Equal to any map with the same keys and equal values. (A map literal on the left of `==`
    /// only compares with map literals: that is cel's own rule for its maps.)
    fn equals(&self, other: &dyn Val) -> bool {
        if other.get_type().kind() != Kind::Map
            || other.as_sizer().map(|s| *s.size().inner()) != Some(self.keys().len() as i64)
        {
            return false;
        }
        let Some(other) = other.as_indexer() else {
            return false;
        };
        self.keys()
            .iter()
            .all(|key| match (self.field(key.inner()), other.get(key)) {
                (Some(mine), Ok(theirs)) => mine.equals(theirs.as_ref()),
                _ => false,
            })
    }

    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
    where
        Self: 'v,
    {
        Box::new(*self)
    }
}

impl Indexer for View<'_> {
    fn get<'b, 'v>(&'b self, key: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
    where
        Self: 'v,
    {
        let Some(name) = key.downcast_ref::<CelString>() else {
            return Err(ExecutionError::UnexpectedType {
                got: key.get_type().name().to_owned(),
                want: "string".to_owned(),
            });
        };
        self.field(name.inner())
            .map(CowVal::Owned)
            .ok_or_else(|| ExecutionError::no_such_key(name.inner()))
    }

    fn steal<'v>(self: Box<Self>, key: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
    where
        Self: 'v,
    {
        self.get(key).map(CowVal::into_owned)
    }
}

impl Container for View<'_> {
    fn contains(&self, key: &dyn Val) -> Result<bool, ExecutionError> {
        Ok(key
            .downcast_ref::<CelString>()
            .is_some_and(|k| self.keys().iter().any(|known| known.inner() == k.inner())))
    }
}

impl Iterable for View<'_> {
    fn iter<'b, 'v>(&'b self) -> Box<dyn traits::Iterator<'b, 'v> + 'b>
    where
        Self: 'v,
    {
        Box::new(KeyIterator(self.keys().iter()))
    }
}

struct KeyIterator(std::slice::Iter<'static, CelString<'static>>);

impl<'b, 'v> traits::Iterator<'b, 'v> for KeyIterator {
    fn next(&mut self) -> Option<&'b (dyn Val + 'v)> {
        self.0.next().map(|k| k as &dyn Val)
    }
}

impl Sizer for View<'_> {
    fn size(&self) -> CelInt {
        CelInt::from(self.keys().len() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventKind, EventStatus, JurisdictionCode, JurisdictionLevel, MemberStatus, Region};

    #[test]
    fn every_field_of_the_vocabulary_has_a_value() {
        let code = JurisdictionCode::parse("ES-madrid").unwrap();
        let event = CalendarEvent {
            uid: "x".into(),
            jurisdiction: code.clone(),
            kind: EventKind::Local,
            title: "Municipales".into(),
            date: EventDate::day(NaiveDate::from_ymd_opt(2027, 5, 23).unwrap()),
            status: EventStatus::Scheduled,
            caretaker: false,
            source: None,
            notes: None,
            attributes: BTreeMap::new(),
        };
        let member = Member {
            code: code.clone(),
            name: "Madrid".into(),
            level: JurisdictionLevel::Local,
            region: Region::Europe,
            status: MemberStatus::Active,
            status_since: None,
            joined: None,
            action_plan: ActionPlan::default(),
            notes: None,
        };
        let jurisdiction = Jurisdiction {
            code,
            name: "Madrid".into(),
            level: JurisdictionLevel::Local,
            region: Region::Europe,
        };
        for (view, fields) in [
            (View::Event(&event, false), vocabulary::EVENT),
            (View::Member(&member), vocabulary::MEMBER),
            (View::Plan(&member.action_plan), vocabulary::PLAN),
            (View::Jurisdiction(&jurisdiction), vocabulary::JURISDICTION),
            (
                View::Window(WindowDates {
                    opens: NaiveDate::MIN,
                    closes: NaiveDate::MAX,
                }),
                vocabulary::WINDOW,
            ),
        ] {
            for field in fields {
                assert!(view.field(field.name).is_some(), "{view:?}: {}", field.name);
            }
            assert_eq!(view.keys().len(), fields.len());
            assert!(view.field("nonsense").is_none());
        }
        assert_eq!(
            View::Event(&event, false)
                .field("country")
                .unwrap()
                .downcast_ref::<CelString>()
                .map(|s| s.inner().to_owned()),
            Some("ES".to_owned())
        );
    }
}
