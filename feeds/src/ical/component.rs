//! Walks `BEGIN`/`END` blocks: splits concatenated `VCALENDAR`s, gathers each `VEVENT`'s
//! properties, reads `VTIMEZONE` only for its `TZID` and `X-LIC-LOCATION`, and skips every
//! other component (`VTODO`, `VJOURNAL`, `VALARM`…) whole.
//!
//! Times are parsed as their lines are read, so a bad value is located precisely, but `TZID`s
//! are resolved when the calendar ends, since RFC 5545 lets a `VTIMEZONE` come after the events
//! that use it.

use std::collections::HashMap;

use super::content_line::{ContentLine, quote, split_list, unescape};
use super::event::{self, ParsedEvent, RawEvent, RuleProp, TimeProp};
use super::text::{self, Lines, LogicalLine};
use super::value::{self, DATE_FORMS, RawTime};
use super::zone::Zones;
use super::{Error, Warnings};

pub(crate) struct Parsed {
    pub calendars: usize,
    pub name: Option<String>,
    pub events: Vec<ParsedEvent>,
}

/// Reads the components of `text`.
pub(crate) fn parse(text: &str, warnings: &mut Warnings) -> Result<Parsed, Error> {
    let mut parser = Parser {
        text,
        warnings,
        state: State::default(),
    };
    let mut buf = String::new();
    for line in Lines::new(text) {
        let content: &str = if line.folded {
            text::unfold_into(text, &line, &mut buf);
            &buf
        } else {
            &text[line.start..line.end]
        };
        parser.line(&line, content);
    }
    parser.finish()
}

#[derive(Default)]
struct State {
    calendars: usize,
    name: Option<String>,
    events: Vec<ParsedEvent>,
    calendar: Option<OpenCalendar>,
    event: Option<RawEvent>,
    timezone: Option<OpenTimezone>,
    /// Names of the nested components being skipped, innermost last.
    skip: Vec<String>,
    /// The first non-blank line, quoted, for the error when there is no calendar at all.
    first_line: Option<(usize, String)>,
    /// Whether text outside any calendar was reported since the last calendar ended.
    outside_reported: bool,
}

struct OpenCalendar {
    line: usize,
    zones: Zones,
    /// `TZID` values used by the calendar's events, interned: `TimeProp::tzid` indexes this.
    tzids: Vec<String>,
    tzid_index: HashMap<String, u32>,
    events: Vec<RawEvent>,
}

struct OpenTimezone {
    line: usize,
    tzid: Option<String>,
    location: Option<String>,
}

struct Parser<'t, 'w> {
    text: &'t str,
    warnings: &'w mut Warnings,
    state: State,
}

/// What ended a component early, for messages.
#[derive(Clone, Copy)]
enum Cut<'a> {
    Begin(&'a str, usize),
    End(&'a str, usize),
    Eof,
}

impl std::fmt::Display for Cut<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cut::Begin(name, line) => write!(f, "BEGIN:{name} at line {line}"),
            Cut::End(name, line) => write!(f, "END:{name} at line {line}"),
            Cut::Eof => f.write_str("the end of the file"),
        }
    }
}

impl Parser<'_, '_> {
    fn line(&mut self, line: &LogicalLine, content: &str) {
        if content.trim().is_empty() {
            return;
        }
        if self.state.first_line.is_none() {
            self.state.first_line = Some((line.line, quote(content.trim())));
        }
        let cl = match ContentLine::parse(content) {
            Ok(cl) => cl,
            Err(bad) => {
                if self.state.calendar.is_none() {
                    self.outside(line);
                } else if self.state.skip.is_empty() {
                    let (l, c) = text::locate(self.text, line, bad.offset);
                    self.warnings
                        .at(l, Some(c), format!("{}; the line is ignored", bad.message));
                }
                return;
            }
        };
        let mut upper = [0u8; 32];
        let name = upper_name(cl.name, &mut upper);
        match name {
            "BEGIN" => self.begin(line, cl.value.trim()),
            "END" => self.end(line, cl.value.trim()),
            _ if !self.state.skip.is_empty() => {}
            _ => self.property(line, &cl, name),
        }
    }

    fn outside(&mut self, line: &LogicalLine) {
        if !self.state.outside_reported {
            self.state.outside_reported = true;
            self.warnings.at(
                line.line,
                None,
                "text outside any VCALENDAR is ignored; expected BEGIN:VCALENDAR".to_owned(),
            );
        }
    }

    fn begin(&mut self, line: &LogicalLine, component: &str) {
        let is = |name: &str| component.eq_ignore_ascii_case(name);
        if !self.state.skip.is_empty() {
            let outer =
                is("VCALENDAR") || (self.state.calendar.is_some() && (is("VEVENT") || is("VTIMEZONE")));
            if !outer {
                if self.state.skip.len() < 10_000 {
                    self.state.skip.push(component.to_ascii_uppercase());
                }
                return;
            }
            // These never nest in another component: what was being skipped was not terminated.
            self.warnings.at(
                line.line,
                None,
                format!(
                    "BEGIN:{} is not terminated before BEGIN:{}; expected END:{}",
                    self.state.skip[0],
                    component.to_ascii_uppercase(),
                    self.state.skip[0]
                ),
            );
            self.state.skip.clear();
        }
        if is("VCALENDAR") {
            self.close_event(Cut::Begin("VCALENDAR", line.line));
            self.close_timezone();
            if let Some(open) = &self.state.calendar {
                let begun = open.line;
                self.warnings.at(
                    begun,
                    None,
                    format!(
                        "VCALENDAR is not terminated before BEGIN:VCALENDAR at line {}; expected END:VCALENDAR",
                        line.line
                    ),
                );
                self.close_calendar();
            }
            self.state.calendars += 1;
            self.state.calendar = Some(OpenCalendar {
                line: line.line,
                zones: Zones::default(),
                tzids: Vec::new(),
                tzid_index: HashMap::new(),
                events: Vec::new(),
            });
            return;
        }
        if self.state.calendar.is_none() {
            // A component outside any calendar: report it once and skip it whole.
            self.outside(line);
            self.state.skip.push(component.to_ascii_uppercase());
            return;
        }
        if is("VEVENT") {
            self.close_event(Cut::Begin("VEVENT", line.line));
            self.close_timezone();
            self.state.event = Some(RawEvent {
                line: line.line,
                ..RawEvent::default()
            });
        } else if is("VTIMEZONE") && self.state.event.is_none() {
            self.close_timezone();
            self.state.timezone = Some(OpenTimezone {
                line: line.line,
                tzid: None,
                location: None,
            });
        } else {
            self.state.skip.push(component.to_ascii_uppercase());
        }
    }

    fn end(&mut self, line: &LogicalLine, component: &str) {
        if !self.state.skip.is_empty() {
            if let Some(depth) = self
                .state
                .skip
                .iter()
                .rposition(|s| s.eq_ignore_ascii_case(component))
            {
                self.state.skip.truncate(depth);
                return;
            }
            let outer = ["VEVENT", "VTIMEZONE", "VCALENDAR"]
                .iter()
                .any(|c| component.eq_ignore_ascii_case(c));
            if !outer || self.state.calendar.is_none() {
                return;
            }
            // An END of an enclosing component: what was being skipped was never terminated.
            self.warnings.at(
                line.line,
                None,
                format!(
                    "BEGIN:{} is not terminated before END:{component}; expected END:{}",
                    self.state.skip[0], self.state.skip[0]
                ),
            );
            self.state.skip.clear();
        }
        let is = |name: &str| component.eq_ignore_ascii_case(name);
        if is("VEVENT") && self.state.event.is_some() {
            self.finish_event();
        } else if is("VTIMEZONE") && self.state.timezone.is_some() {
            self.close_timezone();
        } else if is("VCALENDAR") && self.state.calendar.is_some() {
            self.close_event(Cut::End("VCALENDAR", line.line));
            self.close_timezone();
            self.close_calendar();
        } else if self.state.calendar.is_some() {
            self.warnings.at(
                line.line,
                None,
                format!(
                    "END:{} closes no open component; the line is ignored",
                    quote(component)
                ),
            );
        } else {
            self.outside(line);
        }
    }

    fn property(&mut self, line: &LogicalLine, cl: &ContentLine<'_>, name: &str) {
        if self.state.event.is_some() {
            self.event_property(line, cl, name);
        } else if let Some(tz) = &mut self.state.timezone {
            match name {
                "TZID" if tz.tzid.is_none() => tz.tzid = Some(cl.value.trim().to_owned()),
                "X-LIC-LOCATION" if tz.location.is_none() => tz.location = Some(cl.value.trim().to_owned()),
                _ => {}
            }
        } else if self.state.calendar.is_some() {
            if name == "X-WR-CALNAME" && self.state.name.is_none() {
                self.state.name = Some(unescape(cl.value).into_owned());
            }
        } else {
            self.outside(line);
        }
    }

    fn event_property(&mut self, line: &LogicalLine, cl: &ContentLine<'_>, name: &str) {
        let Some(ev) = self.state.event.as_mut() else {
            return;
        };
        let text = |field: &mut Option<String>| {
            if field.is_none() {
                *field = Some(unescape(cl.value).into_owned());
            }
        };
        match name {
            "UID" => text(&mut ev.uid),
            "SUMMARY" => text(&mut ev.summary),
            "DESCRIPTION" => text(&mut ev.description),
            "LOCATION" => text(&mut ev.location),
            "STATUS" => text(&mut ev.status),
            "CATEGORIES" => {
                ev.categories.extend(
                    split_list(cl.value)
                        .filter(|(_, c)| !c.trim().is_empty())
                        .map(|(_, c)| unescape(c).into_owned()),
                );
            }
            "DTSTART" | "DTEND" | "RECURRENCE-ID" => {
                let (l, c) = text::locate(self.text, line, cl.value_offset);
                let parsed = self.time_prop(cl, cl.value, l, c);
                let Some(ev) = self.state.event.as_mut() else {
                    return;
                };
                let slot = match name {
                    "DTSTART" => &mut ev.dtstart,
                    "DTEND" => &mut ev.dtend,
                    _ => &mut ev.recurrence_id,
                };
                match parsed {
                    Ok(prop) => {
                        if slot.is_none() {
                            *slot = Some(prop);
                        }
                    }
                    Err(message) if name == "DTEND" => {
                        self.warnings
                            .at(l, Some(c), format!("{message}; the end is ignored"));
                    }
                    Err(message) => {
                        if ev.broken.is_none() {
                            ev.broken = Some((l, Some(c), message));
                        }
                    }
                }
            }
            "DURATION" => match value::parse_duration(cl.value) {
                Some(d) if ev.duration.is_none() => ev.duration = Some(d),
                Some(_) => {}
                None => {
                    let (l, c) = text::locate(self.text, line, cl.value_offset);
                    self.warnings.at(
                        l,
                        Some(c),
                        format!(
                            "DURATION {} is not a duration; expected a form such as P1D, PT1H30M or P2W; it is ignored",
                            quote(cl.value.trim())
                        ),
                    );
                }
            },
            "RRULE" => {
                let (l, c) = text::locate(self.text, line, cl.value_offset);
                ev.rrules.push(RuleProp {
                    value: cl.value.trim().to_owned(),
                    line: l,
                    column: c,
                });
            }
            "RDATE" | "EXDATE" => {
                let (l, c) = text::locate(self.text, line, cl.value_offset);
                for (offset, item) in split_list(cl.value) {
                    // A PERIOD (start/end or start/duration) recurs at its start.
                    let item = item.split('/').next().unwrap_or(item);
                    if item.trim().is_empty() {
                        continue;
                    }
                    match self.time_prop(cl, item, l, c + offset) {
                        Ok(prop) => {
                            let Some(ev) = self.state.event.as_mut() else {
                                return;
                            };
                            if name == "RDATE" {
                                &mut ev.rdates
                            } else {
                                &mut ev.exdates
                            }
                            .push(prop);
                        }
                        Err(message) => {
                            self.warnings
                                .at(l, Some(c + offset), format!("{message}; this date is ignored"));
                        }
                    }
                }
            }
            _ if cl.name.len() > 2 && cl.name.as_bytes()[..2].eq_ignore_ascii_case(b"X-") => {
                ev.extra
                    .entry(cl.name.to_ascii_uppercase())
                    .or_insert_with(|| unescape(cl.value).into_owned());
            }
            _ => {}
        }
    }

    /// Parses a DATE or DATE-TIME value of property `cl`; the message names the property.
    fn time_prop(
        &mut self,
        cl: &ContentLine<'_>,
        item: &str,
        line: usize,
        column: usize,
    ) -> Result<TimeProp, String> {
        let Some(raw) = value::parse_time(item) else {
            let what = if cl.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) {
                "a date"
            } else {
                "a date or date-time"
            };
            return Err(format!(
                "{} {} is not {what}; {DATE_FORMS}",
                cl.name.to_ascii_uppercase(),
                quote(item.trim())
            ));
        };
        // A TZID on a DATE (forbidden, but seen) or on a UTC time means nothing: ignore it.
        let tzid = match (raw, cl.param("TZID")) {
            (RawTime::Local(_), Some(tzid)) if !tzid.trim().is_empty() => self.intern(tzid.trim()),
            _ => None,
        };
        Ok(TimeProp {
            raw,
            tzid,
            line,
            column,
        })
    }

    fn intern(&mut self, tzid: &str) -> Option<u32> {
        let calendar = self.state.calendar.as_mut()?;
        if let Some(&i) = calendar.tzid_index.get(tzid) {
            return Some(i);
        }
        let i = u32::try_from(calendar.tzids.len()).ok()?;
        calendar.tzids.push(tzid.to_owned());
        calendar.tzid_index.insert(tzid.to_owned(), i);
        Some(i)
    }

    fn finish_event(&mut self) {
        let Some(ev) = self.state.event.take() else { return };
        if let Some((line, column, message)) = &ev.broken {
            self.warnings.at(
                *line,
                *column,
                format!("{message}; the VEVENT at line {} is skipped", ev.line),
            );
            return;
        }
        if ev.dtstart.is_none() {
            self.warnings.at(
                ev.line,
                None,
                "VEVENT has no DTSTART; expected a DTSTART property, so the event is skipped",
            );
            return;
        }
        if let Some(calendar) = &mut self.state.calendar {
            calendar.events.push(ev);
        }
    }

    /// Drops an event that `cut` interrupted.
    fn close_event(&mut self, cut: Cut<'_>) {
        if let Some(ev) = self.state.event.take() {
            self.warnings.at(
                ev.line,
                None,
                format!(
                    "VEVENT is not terminated before {cut}; expected END:VEVENT, so the event is skipped"
                ),
            );
        }
    }

    fn close_timezone(&mut self) {
        if let Some(tz) = self.state.timezone.take()
            && let Some(calendar) = &mut self.state.calendar
        {
            match tz.tzid {
                Some(tzid) => calendar.zones.add_vtimezone(tzid, tz.location),
                None => self.warnings.at(
                    tz.line,
                    None,
                    "VTIMEZONE has no TZID; expected a TZID property, so it is ignored",
                ),
            }
        }
    }

    fn close_calendar(&mut self) {
        self.state.skip.clear();
        self.state.outside_reported = false;
        let Some(mut calendar) = self.state.calendar.take() else {
            return;
        };
        let raws = std::mem::take(&mut calendar.events);
        for raw in raws {
            let event = event::resolve(raw, &mut calendar.zones, &calendar.tzids, self.warnings);
            self.state.events.push(event);
        }
    }

    fn finish(mut self) -> Result<Parsed, Error> {
        self.close_event(Cut::Eof);
        self.close_timezone();
        if let Some(calendar) = &self.state.calendar {
            let begun = calendar.line;
            self.warnings.at(
                begun,
                None,
                "VCALENDAR is not terminated; expected END:VCALENDAR before the end of the file",
            );
            self.close_calendar();
        }
        if self.state.calendars == 0 {
            return Err(match self.state.first_line {
                None => Error {
                    line: 1,
                    column: None,
                    message: "the input is empty; expected an iCalendar file starting with BEGIN:VCALENDAR"
                        .into(),
                },
                Some((line, found)) => Error {
                    line,
                    column: Some(1),
                    message: format!(
                        "found {found} but no VCALENDAR in the whole input; expected BEGIN:VCALENDAR"
                    ),
                },
            });
        }
        Ok(Parsed {
            calendars: self.state.calendars,
            name: self.state.name,
            events: self.state.events,
        })
    }
}

/// Upper-cases a property name into `buf`; names too long for it are returned as they are
/// (they can only be `X-` names, which are handled apart).
fn upper_name<'a>(name: &'a str, buf: &'a mut [u8; 32]) -> &'a str {
    if name.len() > buf.len() {
        return name;
    }
    let out = &mut buf[..name.len()];
    out.copy_from_slice(name.as_bytes());
    out.make_ascii_uppercase();
    // The name is ASCII (letters, digits, '-'), so this cannot fail.
    std::str::from_utf8(out).unwrap_or(name)
}
