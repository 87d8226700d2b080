//! The iCalendar reader against real published calendars (read from `shared/`, never copied:
//! the Thunderbird calendars' licence is unknown), their quirks, hostile input and fuzzing
//! regressions.
//!
//! Every expected count below was established independently of the reader, by inspecting the
//! files with grep and a separate Python script (regex unfolding plus `dateutil.rrule` for
//! recurrences, counting DTSTART as the first occurrence); each says how.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Timelike, Utc};
use proptest::prelude::*;
use vigie_feeds::ical::{self, Calendar, Event, ReadOptions, TextEncoding, Time};

macro_rules! shared {
    ($path:literal) => {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/ics/",
            $path
        ))
        .expect(concat!("shared/data/ics/", $path, " is readable"))
    };
}

fn read(bytes: &[u8]) -> Calendar {
    ical::read(bytes, &ReadOptions::default()).unwrap_or_else(|e| panic!("read failed: {e}"))
}

fn read_str(text: &str) -> Calendar {
    read(text.as_bytes())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn by_uid<'a>(calendar: &'a Calendar, uid: &str) -> &'a Event {
    calendar
        .events
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("no event {uid}"))
}

fn calendar_of(events: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
}

// ---------------------------------------------------------------------------------------------
// Every shared file

#[test]
fn every_shared_calendar_is_read_with_the_independently_counted_events() {
    // (file, calendars, events, encoding). Calendars: `grep -c BEGIN:VCALENDAR`. Events: VEVENTs
    // without RRULE count once; an RRULE counts its occurrences between 1990-01-01 and
    // 2035-12-31 (the default horizon) per dateutil; RECURRENCE-ID overrides of a master replace
    // an occurrence. Mexican: 5 infinite yearly rules (from 2009: 27 occurrences; four from
    // 2010: 26 each) + 4 RDATE-only events whose RDATE falls on their DTSTART (1 each) + 6
    // overrides whose master is absent (kept as events) + 16 single events = 157.
    let table: [(&str, Vec<u8>, usize, usize, TextEncoding); 12] = [
        (
            "Irish",
            shared!("thunderbird-holidays/IrishHolidays2003-2011.ics"),
            58,
            190,
            TextEncoding::Utf8,
        ),
        (
            "Japan",
            shared!("thunderbird-holidays/JapanHolidays.ics"),
            1,
            457,
            TextEncoding::Utf8,
        ),
        (
            "Kenya",
            shared!("thunderbird-holidays/KenyaHolidays.ics"),
            1,
            33,
            TextEncoding::Utf8,
        ),
        (
            "Mexico",
            shared!("thunderbird-holidays/MexicanHolidays.ics"),
            1,
            157,
            TextEncoding::Latin1,
        ),
        (
            "Slovenia",
            shared!("thunderbird-holidays/SlovenianHolidays.ics"),
            1,
            443,
            TextEncoding::Utf8,
        ),
        (
            "Turkey",
            shared!("thunderbird-holidays/TurkeyHolidays.ics"),
            1,
            24,
            TextEncoding::Utf8,
        ),
        (
            "UK",
            shared!("thunderbird-holidays/UKHolidays.ics"),
            1,
            130,
            TextEncoding::Utf8,
        ),
        (
            "BOM",
            shared!("icalendar-test-fixtures/bom_calendar.ics"),
            1,
            0,
            TextEncoding::Utf8,
        ),
        (
            "broken DTSTART",
            shared!("icalendar-test-fixtures/broken_dtstart.ics"),
            1,
            0,
            TextEncoding::Utf8,
        ),
        (
            "issue 104",
            shared!("icalendar-test-fixtures/issue_104_broken_calendar.ics"),
            1,
            1,
            TextEncoding::Utf8,
        ),
        (
            "issue 218",
            shared!("icalendar-test-fixtures/issue_218_bad_tzid.ics"),
            1,
            1,
            TextEncoding::Utf8,
        ),
        (
            "issue 722",
            shared!("icalendar-test-fixtures/issue_722_missing_VTIMEZONE_custom.ics"),
            1,
            1,
            TextEncoding::Utf8,
        ),
    ];
    for (name, bytes, calendars, events, encoding) in table {
        let c = read(&bytes);
        assert_eq!(
            (c.calendars, c.events.len(), c.encoding),
            (calendars, events, encoding),
            "{name}"
        );
    }
}

#[test]
fn every_file_in_the_shared_folder_is_read_without_error() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/ics");
    let mut seen = 0;
    for dir in ["thunderbird-holidays", "icalendar-test-fixtures"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ics") {
                let bytes = std::fs::read(&path).unwrap();
                let c = ical::read(&bytes, &ReadOptions::default())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(c.warnings.iter().all(|w| w.line >= 1), "{}", path.display());
                seen += 1;
            }
        }
    }
    // `ls shared/data/ics/*/*.ics | wc -l`
    assert_eq!(seen, 12);
}

// ---------------------------------------------------------------------------------------------
// One quirk per real calendar

#[test]
fn irish_concatenated_calendars_are_all_read() {
    let c = read(&shared!("thunderbird-holidays/IrishHolidays2003-2011.ics"));
    // 58 `BEGIN:VCALENDAR`, 58 VEVENTs, 4 of them `FREQ=YEARLY` from 2002 without end (34
    // occurrences each in 2002..=2035) and 54 single days: 4 × 34 + 54 = 190.
    assert_eq!(c.calendars, 58);
    assert_eq!(c.events.len(), 190);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    // Folded property names (`DTSTART\n ;VALUE=DATE\n :20020101`) are unfolded.
    let new_year = by_uid(&c, "2306c192-11b0-11d8-b3f4-e5c2589ab385/20020101");
    assert_eq!(new_year.start, Time::Date(date(2002, 1, 1)));
    assert_eq!(new_year.summary, "New Year's Day");
    assert_eq!(new_year.location.as_deref(), Some("Eire"));
    assert_eq!(new_year.categories, vec!["Public Holiday".to_owned()]);
}

#[test]
fn uk_substitute_days_replace_the_rule_occurrence_they_override() {
    let c = read(&shared!("thunderbird-holidays/UKHolidays.ics"));
    // `grep -c RECURRENCE-ID UKHolidays.ics` = 42, all within the horizon and on an occurrence
    // of their master (13 `FREQ=YEARLY` rules from 2021 until 2030: 130 occurrences).
    assert_eq!(c.overrides_applied, 42);
    assert_eq!(c.events.len(), 130);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    // Christmas 2021 fell on a Saturday: RECURRENCE-ID 20211225 moves it to Monday 27 December.
    let christmas = by_uid(&c, "2f61e242-bf8f-457d-b754-7418d478be03/20211225");
    assert_eq!(christmas.summary, "Christmas Day (substitute)");
    assert_eq!(christmas.start, Time::Date(date(2021, 12, 27)));
    assert_eq!(christmas.end, Some(Time::Date(date(2021, 12, 28))));
    assert_eq!(christmas.recurrence_id.as_deref(), Some("20211225"));
    assert_eq!(christmas.master_uid, "2f61e242-bf8f-457d-b754-7418d478be03");
    // Boxing Day 2021 (Sunday) moves to Tuesday 28 December.
    let boxing = by_uid(&c, "518c9bd2-93eb-443b-ad5d-966416f95caf/20211226");
    assert_eq!(boxing.start, Time::Date(date(2021, 12, 28)));
    // A year without a substitute keeps the rule's day and the master's summary.
    let plain = by_uid(&c, "2f61e242-bf8f-457d-b754-7418d478be03/20231225");
    assert_eq!(
        (plain.start, plain.summary.as_str()),
        (Time::Date(date(2023, 12, 25)), "Christmas Day")
    );
    // No occurrence is duplicated by its override.
    let christmases = c
        .events
        .iter()
        .filter(|e| e.master_uid == christmas.master_uid)
        .count();
    assert_eq!(christmases, 10);
    // "2nd January" has `UNTIL=20300131T000000Z` on an all-day rule: a date-time UNTIL is read,
    // not refused, and its override of DTSTART itself (RECURRENCE-ID 20210102) applies.
    let second = by_uid(&c, "afb395d0-9659-4d70-a08b-07f8bdbe4778/20210102");
    assert_eq!(second.start, Time::Date(date(2021, 1, 4)));
    assert_eq!(
        c.events
            .iter()
            .filter(|e| e.master_uid == second.master_uid)
            .count(),
        10
    );
}

#[test]
fn mexican_latin1_text_is_decoded() {
    let bytes = shared!("thunderbird-holidays/MexicanHolidays.ics");
    assert!(std::str::from_utf8(&bytes).is_err(), "the file is not UTF-8");
    let c = read(&bytes);
    assert_eq!(c.encoding, TextEncoding::Latin1);
    // The accented word is in the DESCRIPTION of UID 417533e5… (its SUMMARY is "DIA FESTIVO").
    let e = by_uid(&c, "417533e5-b39f-4f29-ab8b-4bad180b2c97");
    assert_eq!(
        e.description.as_deref(),
        Some("Aniversario de la promulgación de la constitución política de México.")
    );
    assert!(
        c.events
            .iter()
            .any(|e| e.summary == "Día de la Batalla de Puebla")
    );
    // The fallback is reported once, at the first byte that is not UTF-8 (0xF3 of "ó", line 14).
    assert_eq!(c.warnings.len(), 1);
    assert_eq!((c.warnings[0].line, c.warnings[0].column), (14, Some(41)));
}

#[test]
fn slovenian_mixed_line_endings_read_like_the_normalised_file() {
    let bytes = shared!("thunderbird-holidays/SlovenianHolidays.ics");
    // `grep -c $'\r$'` = 781 of 796 lines: the file mixes CRLF and LF.
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    assert!(crlf > 0 && crlf < lf);
    let normalised = String::from_utf8(bytes.clone()).unwrap().replace("\r\n", "\n");
    let (mixed, clean) = (read(&bytes), read(normalised.as_bytes()));
    assert_eq!(mixed.events, clean.events);
    assert_eq!(mixed.events.len(), 443);
    assert_eq!(mixed.name.as_deref(), Some("Slovenski prazniki"));
    // And the same with old-Mac CR line endings.
    let cr = normalised.replace('\n', "\r");
    assert_eq!(read(cr.as_bytes()).events, clean.events);
}

#[test]
fn kenyan_escaped_commas_are_unescaped_and_all_day_ends_are_exclusive() {
    let c = read(&shared!("thunderbird-holidays/KenyaHolidays.ics"));
    let new_year = by_uid(&c, "156ad58d2a831189cfb9cb9f32b2e6c4-2025-all");
    // Folded over two lines with `\,` escapes: "mwak" + "a\, au Januari 1\, katika…".
    assert_eq!(
        new_year.description.as_deref(),
        Some(
            "Public holiday -  Siku ya Mwaka Mpya ni siku ya kwanza ya mwaka, au Januari 1, katika kalenda ya Gregori."
        )
    );
    assert_eq!(new_year.start, Time::Date(date(2025, 1, 1)));
    // DTEND;VALUE=DATE:20250102 is exclusive: a one-day holiday, kept as written.
    assert_eq!(new_year.end, Some(Time::Date(date(2025, 1, 2))));
    // Every one of the 33 events is one day long (DTEND − DTSTART = 1 day, by Python).
    assert!(c.events.iter().all(|e| {
        matches!((e.start, e.end), (Time::Date(s), Some(Time::Date(end))) if end == s.succ_opt().unwrap())
    }));
    assert!(
        c.events
            .iter()
            .all(|e| e.description.as_deref().is_some_and(|d| !d.contains('\\')))
    );
}

#[test]
fn japanese_tzid_on_a_date_is_ignored_and_the_date_kept() {
    let c = read(&shared!("thunderbird-holidays/JapanHolidays.ics"));
    // All 51 VEVENTs use `DTSTART;VALUE=DATE;TZID=/mozilla.org/20070129_1/Asia/Tokyo:…`.
    assert!(c.events.iter().all(|e| matches!(e.start, Time::Date(_))));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let new_year = by_uid(&c, "ae0b79be-fd56-43ce-a325-654f1135fe59/20070101");
    assert_eq!(new_year.summary, "元日 / Ganjitsu / New Year's Day");
    assert_eq!(
        (new_year.start, new_year.end),
        (Time::Date(date(2007, 1, 1)), Some(Time::Date(date(2007, 1, 2))))
    );
    // `FREQ=MONTHLY;INTERVAL=12;BYDAY=2MO` from 2007-01-08: Coming-of-age Day, 2nd Monday of
    // January; in 2024 that is 8 January.
    let seijin = by_uid(&c, "4dc6545c-f883-456d-a1ef-e01ea28b5a88/20240108");
    assert_eq!(seijin.start.date(), date(2024, 1, 8));
    // A folded SUMMARY keeps the space before the fold.
    assert!(
        c.events
            .iter()
            .any(|e| e.summary == "建国記念の日 / Kenkoku kinen no hi / National Foundation Day")
    );
}

#[test]
fn a_mozilla_tzid_on_a_date_time_resolves_to_its_iana_suffix() {
    let c = read_str(&calendar_of(
        "BEGIN:VEVENT\r\nUID:t\r\nDTSTART;TZID=/mozilla.org/20070129_1/Asia/Tokyo:20240101T090000\r\nEND:VEVENT\r\n",
    ));
    let Time::Zoned(t) = c.events[0].start else {
        panic!("{:?}", c.events[0].start)
    };
    assert_eq!(t.timezone(), chrono_tz::Asia::Tokyo);
    assert_eq!(
        t.with_timezone(&Utc),
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
    );
}

#[test]
fn turkish_dates_and_zoned_date_times_are_both_read() {
    let c = read(&shared!("thunderbird-holidays/TurkeyHolidays.ics"));
    // grep: 21 `DTSTART;VALUE=DATE`, 3 `DTSTART;TZID=Europe/Istanbul`.
    let dates = c
        .events
        .iter()
        .filter(|e| matches!(e.start, Time::Date(_)))
        .count();
    let zoned: Vec<_> = c
        .events
        .iter()
        .filter(|e| matches!(e.start, Time::Zoned(_)))
        .collect();
    assert_eq!((dates, zoned.len()), (21, 3));
    assert_eq!(c.name.as_deref(), Some("Turkish Holidays"));
    // The VTIMEZONE (Europe/Istanbul) counts, not X-WR-TIMEZONE:Europe/Berlin. 2012-10-28 01:00
    // was still summer time (+03:00) in Istanbul: 2012-10-27 22:00 UTC (Python's zoneinfo).
    let republic = by_uid(&c, "0c09b100-f2d0-4e2e-9927-16bd6223f1bc");
    assert_eq!(republic.summary, "Cumhuriyet Bayramı");
    let Time::Zoned(start) = republic.start else {
        panic!()
    };
    assert_eq!(start.timezone(), chrono_tz::Europe::Istanbul);
    assert_eq!(
        start.with_timezone(&Utc),
        Utc.with_ymd_and_hms(2012, 10, 27, 22, 0, 0).unwrap()
    );
    assert_eq!(republic.start.date(), date(2012, 10, 28));
    assert_eq!(republic.end.map(|e| e.naive_local().hour()), Some(13));
    // An escaped comma in a summary.
    assert!(
        c.events
            .iter()
            .any(|e| e.summary == "Commemoration of Atatürk, Youth and Sports Day")
    );
}

#[test]
fn a_byte_order_mark_is_stripped() {
    let bytes = shared!("icalendar-test-fixtures/bom_calendar.ics");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let c = read(&bytes);
    assert_eq!((c.calendars, c.events.len(), c.warnings.len()), (1, 0, 0));
    let with_event = [
        &b"\xEF\xBB\xBF"[..],
        calendar_of("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101\r\nEND:VEVENT\r\n").as_bytes(),
    ]
    .concat();
    assert_eq!(read(&with_event).events.len(), 1);
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    let text = calendar_of("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Élection\r\nDTSTART:20240101\r\nEND:VEVENT\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let c = read(&bytes);
    assert_eq!(c.encoding, TextEncoding::Utf16);
    assert_eq!(c.events[0].summary, "Élection");
}

// ---------------------------------------------------------------------------------------------
// Broken fixtures: events plus located warnings, or a located error; never a panic.

#[test]
fn a_broken_dtstart_skips_its_event_with_a_located_warning() {
    let c = read(&shared!("icalendar-test-fixtures/broken_dtstart.ics"));
    assert!(c.events.is_empty());
    assert_eq!(c.warnings.len(), 1);
    let w = &c.warnings[0];
    // `DTSTART:INVALID-DATE` is line 6; its value starts at column 9.
    assert_eq!((w.line, w.column), (6, Some(9)));
    assert_eq!(
        w.to_string(),
        "line 6, column 9: DTSTART \"INVALID-DATE\" is not a date or date-time; expected YYYYMMDD or YYYYMMDDTHHMMSS[Z]; the VEVENT at line 4 is skipped"
    );
}

#[test]
fn a_garbage_line_is_reported_and_the_event_before_it_kept() {
    let c = read(&shared!("icalendar-test-fixtures/issue_104_broken_calendar.ics"));
    assert_eq!(c.events.len(), 1);
    let e = &c.events[0];
    assert_eq!(e.summary, "Broken Eevnt");
    assert_eq!(
        e.start,
        Time::Utc(Utc.with_ymd_and_hms(2014, 4, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        e.end,
        Some(Time::Utc(Utc.with_ymd_and_hms(2014, 4, 1, 1, 0, 0).unwrap()))
    );
    assert_eq!(e.status.as_deref(), Some("CONFIRMED"));
    // The lone "X" is line 13; the event has no UID (line 4), so one is made up, stably.
    let lines: Vec<_> = c.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, vec![4, 13]);
    assert!(c.warnings[1].message.contains("\"X\""));
    assert!(e.uid.ends_with("@no-uid.invalid"));
    assert_eq!(
        e.uid,
        read(&shared!("icalendar-test-fixtures/issue_104_broken_calendar.ics")).events[0].uid
    );
}

#[test]
fn an_unknown_tzid_keeps_floating_times_with_a_located_warning() {
    let c = read(&shared!("icalendar-test-fixtures/issue_218_bad_tzid.ics"));
    assert_eq!(c.events.len(), 1);
    let e = &c.events[0];
    let local = date(2017, 2, 28).and_hms_opt(23, 0, 0).unwrap();
    assert_eq!(e.start, Time::Floating(local));
    assert_eq!(
        e.end,
        Some(Time::Floating(date(2017, 2, 28).and_hms_opt(23, 30, 0).unwrap()))
    );
    assert_eq!(c.warnings.len(), 1, "one warning per unknown TZID, not per use");
    assert!(c.warnings[0].message.contains("\"UTC+11\""));
    assert_eq!(c.warnings[0].line, 17);
}

#[test]
fn a_tzid_without_vtimezone_keeps_floating_times_with_a_located_warning() {
    let c = read(&shared!(
        "icalendar-test-fixtures/issue_722_missing_VTIMEZONE_custom.ics"
    ));
    assert_eq!(c.events.len(), 1);
    assert_eq!(
        c.events[0].start,
        Time::Floating(date(2014, 8, 29).and_hms_opt(8, 0, 0).unwrap())
    );
    let tz = c
        .warnings
        .iter()
        .find(|w| w.message.contains("CUSTOM_tzid"))
        .unwrap();
    assert_eq!((tz.line, tz.column), (3, Some(42)));
}

#[test]
fn input_without_a_calendar_is_a_located_error() {
    let err = ical::read(b"\n\nhello world\nBEGIN:VEVENT\n", &ReadOptions::default()).unwrap_err();
    assert_eq!(err.line, 3);
    assert!(
        err.to_string()
            .starts_with("line 3, column 1: found \"hello world\""),
        "{err}"
    );
    let empty = ical::read(b"", &ReadOptions::default()).unwrap_err();
    assert_eq!(empty.line, 1);
    let binary = ical::read(b"BEGIN:VCALENDAR\n\x89PNG\0\0", &ReadOptions::default()).unwrap_err();
    assert_eq!((binary.line, binary.column), (2, Some(5)));
}

#[test]
fn an_unterminated_event_is_skipped_and_the_next_one_read() {
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101\r\n",
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240102\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:no start\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20240104\r\n",
    )));
    let uids: Vec<_> = c.events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids, vec!["b"]);
    let lines: Vec<_> = c.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, vec![4, 11, 15]);
    assert!(
        c.warnings[0].message.contains("BEGIN:VEVENT at line 7"),
        "{}",
        c.warnings[0]
    );
    assert!(c.warnings[1].message.contains("no DTSTART"));
    assert!(
        c.warnings[2].message.contains("END:VCALENDAR at line 18"),
        "{}",
        c.warnings[2]
    );
}

#[test]
fn an_unterminated_calendar_keeps_its_complete_events() {
    let c = read_str("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20240101\nEND:VEVENT\n");
    assert_eq!((c.events.len(), c.warnings.len()), (1, 1));
    assert!(c.warnings[0].message.contains("VCALENDAR is not terminated"));
}

#[test]
fn todos_journals_and_alarms_are_skipped_whole() {
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VTODO\r\nUID:todo\r\nDTSTART:20240101\r\nSUMMARY:todo\r\nEND:VTODO\r\n",
        "BEGIN:VEVENT\r\nUID:e\r\nDTSTART:20240101\r\n",
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n",
        "SUMMARY:Event\r\nEND:VEVENT\r\n",
        "BEGIN:VJOURNAL\r\nUID:j\r\nDTSTART:20240101\r\nEND:VJOURNAL\r\n",
    )));
    assert_eq!(c.events.len(), 1);
    assert_eq!(
        (c.events[0].summary.as_str(), c.events[0].description.as_deref()),
        ("Event", None)
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

// ---------------------------------------------------------------------------------------------
// Properties

#[test]
fn text_properties_are_unescaped_and_x_properties_kept() {
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VEVENT\r\nUID:e@vigie\r\nDTSTART;VALUE=DATE:20240101\r\nDURATION:P2D\r\n",
        "SUMMARY:Élections\\, législatives\\; 1er tour\r\nDESCRIPTION:Ligne 1\\nLigne 2\\\\fin\r\n",
        "LOCATION:\r\nCATEGORIES:Election,Parliament\r\nCATEGORIES:A\\,B\r\n",
        "X-VIGIE-JURISDICTION:FR\r\nx-vigie-kind:legislative\r\nX-VIGIE-KIND:ignored\r\nEND:VEVENT\r\n",
    )));
    let e = &c.events[0];
    assert_eq!(e.summary, "Élections, législatives; 1er tour");
    assert_eq!(e.description.as_deref(), Some("Ligne 1\nLigne 2\\fin"));
    assert_eq!(e.location, None);
    assert_eq!(e.categories, vec!["Election", "Parliament", "A,B"]);
    assert_eq!(e.end, Some(Time::Date(date(2024, 1, 3))));
    let expected: BTreeMap<String, String> =
        [("X-VIGIE-JURISDICTION", "FR"), ("X-VIGIE-KIND", "legislative")]
            .map(|(k, v)| (k.into(), v.into()))
            .into();
    assert_eq!(e.extra, expected);
}

#[test]
fn a_bad_dtend_is_reported_and_ignored_but_the_event_kept() {
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240102T100000Z\r\nDTEND:2024-01-02\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240102T100000Z\r\nDTEND:20240101T100000Z\r\nEND:VEVENT\r\n",
    )));
    assert_eq!(c.events.len(), 2);
    assert!(c.events.iter().all(|e| e.end.is_none()));
    assert_eq!(c.warnings.len(), 2);
    assert_eq!(
        c.warnings[0].to_string(),
        "line 7, column 7: DTEND \"2024-01-02\" is not a date or date-time; expected YYYYMMDD or YYYYMMDDTHHMMSS[Z]; the end is ignored"
    );
}

#[test]
fn a_warning_in_a_folded_line_points_into_the_physical_line() {
    let c = read_str(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART\n ;VALUE=DATE\n :2021x\nEND:VEVENT\nEND:VCALENDAR\n",
    );
    assert_eq!((c.warnings[0].line, c.warnings[0].column), (6, Some(3)));
}

// ---------------------------------------------------------------------------------------------
// Recurrence

#[test]
fn exdates_remove_and_rdates_add_occurrences() {
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VEVENT\r\nUID:w\r\nDTSTART;TZID=Europe/Paris:20240101T090000\r\n",
        "RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Paris:20240108T090000\r\n",
        "EXDATE;VALUE=DATE:20240115\r\nRDATE:20240103T080000Z\r\nEND:VEVENT\r\n",
    )));
    let ids: Vec<_> = c
        .events
        .iter()
        .map(|e| e.recurrence_id.clone().unwrap())
        .collect();
    assert_eq!(ids, vec!["20240101T090000", "20240103T090000", "20240122T090000"]);
    assert_eq!(c.events[1].uid, "w/20240103T090000");
}

#[test]
fn an_override_with_a_utc_recurrence_id_replaces_a_zoned_occurrence() {
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VEVENT\r\nUID:m\r\nSUMMARY:Meeting\r\nDTSTART;TZID=Europe/Paris:20240101T090000\r\n",
        "DTEND;TZID=Europe/Paris:20240101T100000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:m\r\nSUMMARY:Moved\r\nRECURRENCE-ID:20240102T080000Z\r\n",
        "DTSTART;TZID=Europe/Paris:20240102T140000\r\nEND:VEVENT\r\n",
    )));
    assert_eq!(c.overrides_applied, 1);
    let summaries: Vec<_> = c.events.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(summaries, vec!["Meeting", "Moved", "Meeting"]);
    assert_eq!(c.events[1].uid, "m/20240102T090000");
    assert_eq!(c.events[2].end.map(|e| e.naive_local().hour()), Some(10));
}

#[test]
fn rrule_expansion_keeps_the_wall_clock_time_across_a_dst_change() {
    // Paris moved to summer time on Sunday 31 March 2024.
    let c = read_str(&calendar_of(concat!(
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART;TZID=Europe/Paris:20240328T090000\r\n",
        "DTEND;TZID=Europe/Paris:20240328T093000\r\nRRULE:FREQ=DAILY;COUNT=6\r\nEND:VEVENT\r\n",
    )));
    assert_eq!(c.events.len(), 6);
    for e in &c.events {
        let Time::Zoned(t) = e.start else {
            panic!("{:?}", e.start)
        };
        assert_eq!((t.hour(), t.minute()), (9, 0), "{}", e.start);
        let Some(Time::Zoned(end)) = e.end else { panic!() };
        assert_eq!((end.hour(), end.minute()), (9, 30));
    }
    let utc_hours: Vec<_> = c
        .events
        .iter()
        .map(|e| e.start.instant().unwrap().hour())
        .collect();
    assert_eq!(utc_hours, vec![8, 8, 8, 7, 7, 7]);
}

#[test]
fn a_hostile_secondly_rule_is_capped() {
    let text = calendar_of(
        "BEGIN:VEVENT\r\nUID:h\r\nDTSTART:20240101T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n",
    );
    let started = std::time::Instant::now();
    let c = read_str(&text);
    assert_eq!(c.events.len(), ReadOptions::default().max_instances_per_rule);
    assert!(
        c.warnings
            .iter()
            .any(|w| w.line == 7 && w.message.contains("more than 5000 occurrences"))
    );
    assert!(started.elapsed().as_secs() < 10);

    // Far before the horizon: iteration stops instead of walking 90 years of seconds.
    let early = text.replace("20240101T000000Z", "19000101T000000Z");
    let c = read_str(&early);
    assert!(c.events.is_empty());
    assert!(
        c.warnings
            .iter()
            .any(|w| w.message.contains("to reach the horizon")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn many_hostile_rules_are_capped_in_total() {
    let events: String = (0..5)
        .map(|i| format!("BEGIN:VEVENT\r\nUID:h{i}\r\nDTSTART:20240101T000000Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n"))
        .collect();
    let options = ReadOptions {
        max_instances_per_rule: 3_000,
        max_instances_total: 10_000,
        ..ReadOptions::default()
    };
    let c = ical::read(calendar_of(&events).as_bytes(), &options).unwrap();
    assert_eq!(c.events.len(), 10_000);
    assert!(
        c.warnings
            .iter()
            .any(|w| w.message.contains("10000 occurrences in all"))
    );
}

#[test]
fn the_horizon_bounds_recurrences_but_not_single_events() {
    let c = ical::read(
        calendar_of(concat!(
            "BEGIN:VEVENT\r\nUID:y\r\nDTSTART;VALUE=DATE:20000101\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:old\r\nDTSTART;VALUE=DATE:19500101\r\nEND:VEVENT\r\n",
        ))
        .as_bytes(),
        &ReadOptions {
            horizon_start: date(2020, 1, 1),
            horizon_end: date(2024, 12, 31),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let uids: Vec<_> = c.events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(
        uids,
        vec![
            "y/20200101",
            "y/20210101",
            "y/20220101",
            "y/20230101",
            "y/20240101",
            "old"
        ]
    );
}

#[test]
fn an_invalid_rrule_keeps_dtstart_with_a_located_warning() {
    let c = read_str(&calendar_of(
        "BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20240101\r\nRRULE:FREQ=FORTNIGHTLY\r\nEND:VEVENT\r\n",
    ));
    assert_eq!(c.events.len(), 1);
    assert_eq!(c.events[0].uid, "r/20240101");
    assert_eq!((c.warnings[0].line, c.warnings[0].column), (7, Some(7)));
}

// ---------------------------------------------------------------------------------------------
// Never a panic

fn uk_sample() -> Vec<u8> {
    // The head of the UK calendar: a rule, its overrides, CRLF.
    let uk = shared!("thunderbird-holidays/UKHolidays.ics");
    let mut head = uk[..4000].to_vec();
    head.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    head
}

fn small_options() -> ReadOptions {
    ReadOptions {
        max_instances_per_rule: 200,
        max_instances_total: 2_000,
        ..ReadOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ical::read(&bytes, &small_options());
        let mut wrapped = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n".to_vec();
        wrapped.extend_from_slice(&bytes);
        if let Ok(c) = ical::read(&wrapped, &small_options()) {
            prop_assert!(c.warnings.iter().all(|w| w.line >= 1));
        }
    }

    #[test]
    fn mutations_of_a_valid_calendar_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<u8>()), 1..12)
    ) {
        let mut bytes = uk_sample();
        for (at, op, byte) in edits {
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            match op {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => { bytes.remove(i); }
                2 if i < bytes.len() => bytes[i] = byte,
                _ => {
                    // Insert a fragment real files are made of.
                    let pieces: [&[u8]; 8] = [b"\r\n ", b";TZID=Europe/Paris", b":", b"\\", b"\r\nBEGIN:VEVENT\r\n",
                        b"\r\nEND:VEVENT\r\n", b"RRULE:FREQ=SECONDLY;BYSETPOS=-1;BYMONTHDAY=31\r\n", b"\""];
                    let piece = pieces[usize::from(byte) % pieces.len()];
                    bytes.splice(i..i, piece.iter().copied());
                }
            }
        }
        if let Ok(c) = ical::read(&bytes, &small_options()) {
            prop_assert!(c.events.len() <= 2_000 + 60);
        }
    }
}

/// Inputs that once broke, or that sit on an edge the fuzzer reaches: the ends of the year range
/// in zones with large offsets, rules that can never match, huge durations, stray quotes.
#[test]
fn fuzzing_regressions_read_without_panic() {
    let cases: &[&str] = &[
        "DTSTART;TZID=Pacific/Apia:99991231T235959\r\nDURATION:P3660000D\r\nRRULE:FREQ=DAILY",
        "DTSTART;TZID=Pacific/Kiritimati:00000101T000000\r\nRRULE:FREQ=HOURLY;COUNT=50;BYSETPOS=-1;BYMINUTE=0,30",
        "DTSTART:00000101\r\nRRULE:FREQ=YEARLY;BYSETPOS=-1;BYMONTH=2;BYMONTHDAY=30",
        "DTSTART;TZID=Etc/GMT+12:99991231T230000\r\nRRULE:FREQ=HOURLY;COUNT=100",
        "DTSTART:99991231T235959Z\r\nRRULE:FREQ=SECONDLY;INTERVAL=65535",
        "DTSTART:20240101\r\nRRULE:FREQ=YEARLY;BYWEEKNO=53,-53;BYDAY=-1SU,+53MO;BYSETPOS=366,-366;WKST=SU",
        "DTSTART:20240101T000000\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-31,31;BYYEARDAY=366;UNTIL=00000101",
        "DTSTART:20240101T000000Z\r\nRRULE:FREQ=WEEKLY;UNTIL=99991231;BYHOUR=23;BYMINUTE=59;BYSECOND=60",
        "DTSTART:20240331T023000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE:,,,\r\nRDATE;VALUE=PERIOD:20240101T000000Z/PT1H,/",
        "DTSTART;TZID=\"Europe/Paris:20240101T000000\r\nDTEND;TZID=\"\":20240101T000000",
        "DTSTART;TZID=Europe/Paris:20240331T023000\r\nRRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=10",
        "DTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nRECURRENCE-ID:20240229T000000Z",
        "DTSTART:20240101\r\nDURATION:-P1D\r\nDTEND:20231231",
    ];
    let wide = ReadOptions {
        horizon_start: NaiveDate::MIN,
        horizon_end: NaiveDate::MAX,
        max_instances_per_rule: 500,
        max_instances_total: 5_000,
    };
    for case in cases {
        let text = calendar_of(&format!("BEGIN:VEVENT\r\nUID:f\r\n{case}\r\nEND:VEVENT\r\n"));
        for options in [&ReadOptions::default(), &wide] {
            let c = ical::read(text.as_bytes(), options).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert!(c.events.len() <= 500, "{case}");
        }
    }
}
