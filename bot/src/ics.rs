//! The iCalendar (RFC 5545) export of windows that peers subscribe to in their calendar apps:
//! one all-day event per window not yet closed, filtered by region or country.
//!
//! Each event's UID is the window's id, which never depends on its dates, so a calendar app
//! updates the event when a date is refined instead of adding a second one. The text is written
//! here rather than with the `icalendar` crate: its 0.17 writer lets the last continuation of a
//! folded line reach 76 octets, leaves carriage returns unescaped and writes durations as
//! seconds, and each of those is a line of code to get right here.

use std::fmt::Write as _;

use chrono::{DateTime, Days, NaiveDate, Utc};
use vigie_feeds::Countries;
use vigie_rules::Region;
use vigie_rules::rule::Priority;
use vigie_rules::window::{Window, WindowState};

/// The calendar's name as calendar apps show it.
pub const CALENDAR_NAME: &str = "Vigie — political opportunity windows";

/// How often subscribers should fetch the calendar again (RFC 7986 `REFRESH-INTERVAL`).
const REFRESH: &str = "PT6H";

/// The longest content line, in octets, without its CRLF (RFC 5545 section 3.1).
const MAX_LINE: usize = 75;

/// Which windows a calendar holds. The default holds them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarFilter {
    pub region: Option<Region>,
    /// An ISO 3166-1 alpha-2 code in capitals; a country includes its regions and local members.
    pub country: Option<String>,
}

/// A filter that cannot be read: one sentence saying what was wrong and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

impl CalendarFilter {
    /// Reads the `region` and `country` query parameters. `token` is accepted and ignored (the
    /// HTTP layer checks it); any other parameter, a repeated one or an unknown region or country
    /// is an error. An empty value counts as absent, as HTML forms send them.
    ///
    /// A country is an ISO 3166-1 alpha-2 or alpha-3 code or an English name (`KE`, `ken`,
    /// `Kenya`); a region is an OGP region's slug or a short form (`africa`, `asia`).
    pub fn parse<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        countries: &Countries,
    ) -> Result<Self, FilterError> {
        let mut filter = Self::default();
        let (mut region_seen, mut country_seen) = (false, false);
        for (key, value) in params {
            let value = value.trim();
            let seen = match key {
                "region" => &mut region_seen,
                "country" => &mut country_seen,
                "token" => continue,
                _ => {
                    return Err(FilterError(format!(
                        "unknown parameter \"{key}\"; expected region, country or token"
                    )));
                }
            };
            if std::mem::replace(seen, true) {
                return Err(FilterError(format!(
                    "{key} is given more than once; expected it at most once"
                )));
            }
            if value.is_empty() {
                continue;
            }
            if key == "region" {
                let region = Region::parse(value).map_err(|_| {
                    FilterError(format!(
                        "region \"{value}\" is not an OGP region; expected africa-middle-east, americas, asia-pacific or europe"
                    ))
                })?;
                filter.region = Some(region);
            } else {
                let country = countries.lookup(value).ok_or_else(|| {
                    FilterError(format!(
                        "country \"{value}\" is not a known country; expected an ISO 3166-1 code such as KE or NLD, or an English name such as Kenya"
                    ))
                })?;
                filter.country = Some(country.code.as_str().to_owned());
            }
        }
        Ok(filter)
    }

    /// Whether `window` passes the filter (its state aside).
    pub fn matches(&self, window: &Window) -> bool {
        self.region.is_none_or(|r| window.region == r)
            && self
                .country
                .as_deref()
                .is_none_or(|c| window.jurisdiction.country().as_str() == c)
    }
}

/// Whether a window belongs in the calendar: it is still ahead or open. Closed windows are over;
/// cancelled and moved ones have no dates to show (dropping them removes them from subscribers'
/// calendars).
fn listed(window: &Window) -> bool {
    matches!(
        window.state,
        WindowState::Upcoming | WindowState::Open | WindowState::Closing
    )
}

/// The calendar of the windows that pass `filter` and are upcoming, open or closing.
///
/// `now` is written as each event's DTSTAMP and LAST-MODIFIED. Give the time the windows were
/// evaluated rather than the clock, and the text changes only when the windows do (which is what
/// lets HTTP answer "not modified").
pub fn windows_calendar(windows: &[Window], filter: &CalendarFilter, now: DateTime<Utc>) -> String {
    let mut cal = Writer::default();
    cal.raw("BEGIN", "VCALENDAR");
    cal.raw("VERSION", "2.0");
    cal.text(
        "PRODID",
        &format!("-//Vigie//Vigie {}//EN", env!("CARGO_PKG_VERSION")),
    );
    cal.raw("CALSCALE", "GREGORIAN");
    cal.raw("METHOD", "PUBLISH");
    cal.text("NAME", CALENDAR_NAME);
    cal.text("X-WR-CALNAME", CALENDAR_NAME);
    cal.text("X-WR-CALDESC", &describe_filter(filter));
    cal.raw("REFRESH-INTERVAL;VALUE=DURATION", REFRESH);
    cal.raw("X-PUBLISHED-TTL", REFRESH);
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for w in windows.iter().filter(|w| listed(w) && filter.matches(w)) {
        event(&mut cal, w, &stamp);
    }
    cal.raw("END", "VCALENDAR");
    cal.out
}

fn describe_filter(filter: &CalendarFilter) -> String {
    let scope = match (filter.region, filter.country.as_deref()) {
        (None, None) => String::new(),
        (Some(r), None) => format!(", in {}", r.name()),
        (None, Some(c)) => format!(", in {c}"),
        (Some(r), Some(c)) => format!(", in {c} and {}", r.name()),
    };
    format!("Political opportunity windows derived by Vigie's rules, while they are upcoming or open{scope}.")
}

fn event(cal: &mut Writer, w: &Window, stamp: &str) {
    cal.raw("BEGIN", "VEVENT");
    cal.text("UID", &format!("{}@vigie", w.id));
    cal.raw("DTSTAMP", stamp);
    cal.raw("LAST-MODIFIED", stamp);
    cal.raw("DTSTART;VALUE=DATE", &date(w.opens));
    // DTEND of an all-day event is exclusive: the day after the window's last day.
    let end = w.closes.checked_add_days(Days::new(1)).unwrap_or(w.closes);
    cal.raw("DTEND;VALUE=DATE", &date(end));
    cal.text(
        "SUMMARY",
        &format!("{} — {}, {} priority", w.title, w.rule, w.priority),
    );
    cal.text("DESCRIPTION", &description(w));
    let labels = w.labels();
    let categories: Vec<&str> = ["region", "priority", "theme"]
        .iter()
        .filter_map(|k| labels.get(*k).map(String::as_str))
        .collect();
    cal.text_list("CATEGORIES", &categories);
    cal.raw("PRIORITY", ical_priority(w.priority));
    // Estimated dates are a tentative event: apps show them as such.
    cal.raw("STATUS", if w.estimated { "TENTATIVE" } else { "CONFIRMED" });
    // A window lasts weeks: it must not mark anyone busy.
    cal.raw("TRANSP", "TRANSPARENT");
    cal.raw("END", "VEVENT");
}

fn description(w: &Window) -> String {
    let mut text = String::new();
    for reason in &w.reasons {
        text.push_str(reason);
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    let _ = writeln!(
        text,
        "Opens {}, closing from {}, closes {}{}.",
        w.opens,
        w.closing_from,
        w.closes,
        if w.estimated {
            " (the dates rest on an estimate)"
        } else {
            ""
        }
    );
    let _ = writeln!(text, "Window {} ({}, rule {}).", w.id, w.jurisdiction, w.rule);
    let _ = write!(text, "To take it on, tell Vigie: window claim {}", w.id);
    text
}

/// RFC 5545 PRIORITY: 1 is the highest, 9 the lowest; 5 is the middle.
fn ical_priority(p: Priority) -> &'static str {
    match p {
        Priority::Urgent => "1",
        Priority::High => "3",
        Priority::Normal => "5",
        Priority::Low => "9",
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Writes content lines, escaped and folded.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// A line whose value is written as given (dates, keywords, numbers).
    fn raw(&mut self, name: &str, value: &str) {
        fold(&format!("{name}:{value}"), &mut self.out);
    }

    /// A TEXT value.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape(value));
    }

    /// A list of TEXT values (CATEGORIES): each escaped, separated by bare commas.
    fn text_list(&mut self, name: &str, values: &[&str]) {
        if values.is_empty() {
            return;
        }
        let escaped: Vec<String> = values.iter().map(|v| escape(v)).collect();
        self.raw(name, &escaped.join(","));
    }
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11). Line breaks of any kind become `\n`; other
/// control characters, which TEXT cannot hold, are dropped.
fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded to at most 75 octets per line (a continuation's leading space counts),
/// never splitting a UTF-8 character nor starting a continuation with a space, each line ending
/// in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut start = 0;
    let mut room = MAX_LINE;
    while line.len() - start > room {
        let mut end = start + room;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        // A continuation starting with a space is correct, but some readers strip every leading
        // space when unfolding and would glue two words: break before the previous character.
        if line[end..].starts_with([' ', '\t'])
            && let Some((i, _)) = line[start..end].char_indices().next_back()
            && i > 0
        {
            end = start + i;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        room = MAX_LINE - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use chrono::TimeZone;
    use vigie_rules::JurisdictionCode;
    use vigie_rules::window::WindowId;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn window(about: &str, jurisdiction: &str, region: Region, state: WindowState) -> Window {
        Window {
            id: WindowId::new("pre-election", about),
            rule: "pre-election".to_owned(),
            jurisdiction: JurisdictionCode::parse(jurisdiction).unwrap(),
            region,
            title: format!("{about} election"),
            opens: day("2026-03-01"),
            closing_from: day("2026-08-01"),
            closes: day("2026-08-31"),
            estimated: false,
            priority: Priority::High,
            kind: None,
            labels: Arc::new(BTreeMap::from([(
                "theme".to_owned(),
                "political-transition".to_owned(),
            )])),
            reasons: vec!["a national election is coming".to_owned()],
            events: Vec::new(),
            state,
        }
    }

    /// The content lines of `text`, unfolded (RFC 5545 section 3.1).
    fn unfold(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .replace("\r\n\t", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Reverses [`escape`].
    fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                },
                (c, false) => out.push(c),
            }
        }
        out
    }

    fn values<'a>(lines: &'a [String], name: &str) -> Vec<&'a str> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .collect()
    }

    #[test]
    fn filters_are_read_from_query_parameters_or_refused_in_one_sentence() {
        let countries = Countries::bundled().unwrap();
        let ok = |region: Option<Region>, country: Option<&str>| {
            Ok(CalendarFilter {
                region,
                country: country.map(str::to_owned),
            })
        };
        let err = |s: &str| Err(FilterError(s.to_owned()));
        type Case = (
            Vec<(&'static str, &'static str)>,
            Result<CalendarFilter, FilterError>,
        );
        let cases: Vec<Case> = vec![
            (vec![], ok(None, None)),
            (vec![("token", "secret")], ok(None, None)),
            (vec![("region", "europe")], ok(Some(Region::Europe), None)),
            (
                vec![("region", " Africa ")],
                ok(Some(Region::AfricaMiddleEast), None),
            ),
            (vec![("region", "")], ok(None, None)),
            (vec![("country", "ke")], ok(None, Some("KE"))),
            (vec![("country", "NLD")], ok(None, Some("NL"))),
            (
                vec![("country", "Kenya"), ("region", "africa-middle-east")],
                ok(Some(Region::AfricaMiddleEast), Some("KE")),
            ),
            (
                vec![("region", "afrika")],
                err(
                    "region \"afrika\" is not an OGP region; expected africa-middle-east, americas, asia-pacific or europe",
                ),
            ),
            (
                vec![("country", "Atlantis")],
                err(
                    "country \"Atlantis\" is not a known country; expected an ISO 3166-1 code such as KE or NLD, or an English name such as Kenya",
                ),
            ),
            (
                vec![("regoin", "europe")],
                err("unknown parameter \"regoin\"; expected region, country or token"),
            ),
            (
                vec![("region", "europe"), ("region", "americas")],
                err("region is given more than once; expected it at most once"),
            ),
        ];
        for (params, want) in cases {
            assert_eq!(
                CalendarFilter::parse(params.clone(), &countries),
                want,
                "{params:?}"
            );
        }
    }

    #[test]
    fn text_values_escape_what_rfc_5545_reserves() {
        let cases = [
            ("plain", "plain"),
            ("a, b; c", "a\\, b\\; c"),
            ("back\\slash", "back\\\\slash"),
            ("one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"),
            ("bell\u{7}\ttab", "bell\ttab"),
            ("Côte d’Ivoire — ok", "Côte d’Ivoire — ok"),
        ];
        for (text, want) in cases {
            assert_eq!(escape(text), want, "{text:?}");
            if !text.contains(['\r', '\u{7}']) {
                assert_eq!(unescape(&escape(text)), text, "{text:?}");
            }
        }
    }

    #[test]
    fn folded_lines_stay_within_75_octets_and_unfold_to_the_original() {
        let cases = [
            String::new(),
            "x".repeat(75),
            "x".repeat(76),
            "x".repeat(149),
            "x".repeat(150),
            "x".repeat(400),
            "é".repeat(100),
            format!(
                "SUMMARY:{}",
                "Côte d’Ivoire — élection présidentielle, ".repeat(9)
            ),
            "🗳️".repeat(60),
            format!("{} {}", "x".repeat(75), "y".repeat(80)),
            format!("{} {}", "x".repeat(74), "y".repeat(80)),
            "one word after another, ".repeat(12),
            " ".repeat(200),
        ];
        for line in cases {
            let mut out = String::new();
            fold(&line, &mut out);
            assert!(out.ends_with("\r\n"), "{out:?}");
            for (i, physical) in out.trim_end_matches("\r\n").split("\r\n").enumerate() {
                let glued = i > 0 && physical[1..].starts_with(' ') && !line.trim().is_empty();
                assert!(!glued, "a continuation starts with a space: {out:?}");
                assert!(
                    physical.len() <= MAX_LINE,
                    "{} octets: {physical:?}",
                    physical.len()
                );
            }
            assert_eq!(
                unfold(&out),
                if line.is_empty() {
                    vec![]
                } else {
                    vec![line.clone()]
                }
            );
        }
    }

    #[test]
    fn only_windows_not_yet_closed_that_pass_the_filter_become_events() {
        let windows = [
            window("Kenya", "KE", Region::AfricaMiddleEast, WindowState::Upcoming),
            window(
                "Nairobi",
                "KE-nairobi",
                Region::AfricaMiddleEast,
                WindowState::Open,
            ),
            window("Ghana", "GH", Region::AfricaMiddleEast, WindowState::Closing),
            window("Mali", "ML", Region::AfricaMiddleEast, WindowState::Closed),
            window("Chad", "TD", Region::AfricaMiddleEast, WindowState::Cancelled),
            window("Peru", "PE", Region::Americas, WindowState::Moved),
            window("Chile", "CL", Region::Americas, WindowState::Open),
            window("Spain", "ES", Region::Europe, WindowState::Upcoming),
        ];
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 6, 0, 0).unwrap();
        let africa = CalendarFilter {
            region: Some(Region::AfricaMiddleEast),
            country: None,
        };
        let kenya = CalendarFilter {
            region: None,
            country: Some("KE".to_owned()),
        };
        let cases = [
            (
                CalendarFilter::default(),
                vec!["Kenya", "Nairobi", "Ghana", "Chile", "Spain"],
            ),
            (africa, vec!["Kenya", "Nairobi", "Ghana"]),
            (kenya, vec!["Kenya", "Nairobi"]),
        ];
        for (filter, want) in cases {
            let text = windows_calendar(&windows, &filter, now);
            let lines = unfold(&text);
            let uids: Vec<String> = want
                .iter()
                .map(|about| format!("{}@vigie", WindowId::new("pre-election", about)))
                .collect();
            assert_eq!(values(&lines, "UID"), uids, "{filter:?}");
        }
    }

    #[test]
    fn an_event_carries_the_window_dates_identity_and_hint() {
        let mut w = window("Kenya", "KE", Region::AfricaMiddleEast, WindowState::Open);
        w.title = "Kenya; general election, 2027 \\ all levels".to_owned();
        w.reasons.push(
            "the member's action plan ends within a year, so the next plan is the new government's"
                .to_owned(),
        );
        w.estimated = true;
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 6, 0, 0).unwrap();
        let text = windows_calendar(&[w.clone()], &CalendarFilter::default(), now);
        assert!(text.split_inclusive('\n').all(|l| l.ends_with("\r\n")), "{text}");
        let lines = unfold(&text);
        let one = |name: &str| -> String {
            let v = values(&lines, name);
            assert_eq!(v.len(), 1, "{name} in {lines:#?}");
            v[0].to_owned()
        };
        assert_eq!(values(&lines, "BEGIN"), ["VCALENDAR", "VEVENT"]);
        assert_eq!(values(&lines, "END"), ["VEVENT", "VCALENDAR"]);
        assert_eq!(one("METHOD"), "PUBLISH");
        assert_eq!(one("X-WR-CALNAME"), CALENDAR_NAME);
        assert_eq!(one("REFRESH-INTERVAL;VALUE=DURATION"), "PT6H");
        assert_eq!(one("X-PUBLISHED-TTL"), "PT6H");
        assert_eq!(one("UID"), format!("{}@vigie", w.id));
        assert_eq!(one("DTSTART;VALUE=DATE"), "20260301");
        assert_eq!(one("DTEND;VALUE=DATE"), "20260901");
        assert_eq!(one("DTSTAMP"), "20260501T060000Z");
        assert_eq!(one("LAST-MODIFIED"), "20260501T060000Z");
        assert_eq!(one("STATUS"), "TENTATIVE");
        assert_eq!(one("PRIORITY"), "3");
        assert_eq!(one("CATEGORIES"), "africa-middle-east,high,political-transition");
        assert_eq!(
            unescape(&one("SUMMARY")),
            "Kenya; general election, 2027 \\ all levels — pre-election, high priority"
        );
        let description = unescape(&one("DESCRIPTION"));
        for part in [
            "a national election is coming\nthe member's action plan ends",
            "(the dates rest on an estimate)",
            &format!("Window {} (KE, rule pre-election)", w.id),
            &format!("window claim {}", w.id),
        ] {
            assert!(description.contains(part), "{part:?} in {description:?}");
        }
    }
}
