use std::time::Duration;

use super::*;
use crate::command::{Id, Lang, Locales, help};

fn ok(line: &str) -> Invocation {
    match parse(line) {
        Ok(inv) => inv,
        Err(e) => panic!("{line:?} should parse, got {e:?}"),
    }
}

fn err(line: &str) -> ParseError {
    match parse(line) {
        Ok(inv) => panic!("{line:?} should be refused, got {:?}", inv.spec.id),
        Err(e) => e,
    }
}

#[test]
fn each_command_is_found_by_its_words() {
    let cases = [
        ("help", Id::Help),
        ("HELP window", Id::Help),
        ("help window claim", Id::Help),
        ("/windows", Id::Windows),
        ("windows KE", Id::Windows),
        ("window show w-2aa8f74113a8", Id::WindowShow),
        ("window claim W-2AA8F74113A8", Id::WindowClaim),
        ("window note w-2aa8f74113a8 met the minister", Id::WindowNote),
        ("feeds", Id::Feeds),
        ("feeds sync", Id::FeedsSync),
        ("feeds sync parlgov", Id::FeedsSync),
        ("rules test pre-election --country KE", Id::RulesTest),
        ("subscribe country:ke", Id::Subscribe),
        (
            "peers add @alice:example.org role:admin region:africa",
            Id::PeersAdd,
        ),
        ("language fr --room", Id::Language),
        ("silence country=KE 7d campaign pause", Id::Silence),
        ("silences", Id::Silences),
        ("unsilence 3", Id::Unsilence),
        ("digest now", Id::DigestNow),
        ("why w-2aa8f74113a8", Id::Why),
        ("why w-2aa8f74113a8 !abc:example.org", Id::Why),
        ("audit", Id::Audit),
        ("audit w-2aa8f74113a8", Id::Audit),
    ];
    for (line, id) in cases {
        assert_eq!(ok(line).spec.id, id, "{line}");
    }
}

#[test]
fn options_are_typed_and_normalised() {
    let inv = ok("windows region:africa --within 30d --at 2021-01-01");
    assert_eq!(
        inv.get("scope"),
        Some(&Value::Scope(Scope::Region(Region::AfricaMiddleEast)))
    );
    assert_eq!(inv.duration("within"), Some(Duration::from_secs(30 * 86_400)));
    assert_eq!(inv.date("at"), NaiveDate::from_ymd_opt(2021, 1, 1));

    let inv = ok("window claim W-2AA8F74113A8");
    assert_eq!(inv.text("id"), Some("w-2aa8f74113a8"));

    let inv = ok("subscribe region:asia");
    assert_eq!(
        inv.get("topic"),
        Some(&Value::Topic(TopicKind::Region, "asia-pacific".into()))
    );

    let inv = ok("peers add @alice:example.org --role=admin");
    assert_eq!(inv.text("user"), Some("matrix:@alice:example.org"));
    assert_eq!(inv.get("role"), Some(&Value::Role(RoleValue::Admin)));

    assert_eq!(
        ok("windows ke").get("scope"),
        Some(&Value::Scope(Scope::Country(
            JurisdictionCode::parse("KE").unwrap()
        )))
    );
    assert_eq!(
        ok("windows political-transition").get("scope"),
        Some(&Value::Scope(Scope::Theme("political-transition".into())))
    );
}

#[test]
fn a_silence_reads_its_matchers_then_its_duration_then_its_reason() {
    let cases: &[(&str, &[&str], u64, &str)] = &[
        (
            "silence country=KE 7d \"campaign pause\"",
            &["country=\"KE\""],
            7 * 86_400,
            "campaign pause",
        ),
        (
            "silence region=~\"europe|americas\" 2w reason text",
            &["region=~\"europe|americas\""],
            14 * 86_400,
            "reason text",
        ),
        (
            "silence country=KE priority!=low 12h handled in Nairobi",
            &["country=\"KE\"", "priority!=\"low\""],
            12 * 3600,
            "handled in Nairobi",
        ),
        (
            "silence {country=\"KE\", region=\"africa-middle-east\"} 1d x",
            &["country=\"KE\"", "region=\"africa-middle-east\""],
            86_400,
            "x",
        ),
        (
            "silence country=KE, theme=~\"open data|climate\" 30d the reason: a=b stays text",
            &["country=\"KE\"", "theme=~\"open data|climate\""],
            30 * 86_400,
            "the reason: a=b stays text",
        ),
        (
            "silence \"window=w-2aa8f74113a8\" 3d done elsewhere",
            &["window=\"w-2aa8f74113a8\""],
            3 * 86_400,
            "done elsewhere",
        ),
    ];
    for (line, matchers, secs, reason) in cases {
        let inv = ok(line);
        let got: Vec<String> = inv
            .matchers("matchers")
            .unwrap_or_else(|| panic!("{line}: no matchers"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, *matchers, "{line}");
        assert_eq!(
            inv.duration("duration"),
            Some(Duration::from_secs(*secs)),
            "{line}"
        );
        assert_eq!(inv.text("reason"), Some(*reason), "{line}");
    }
}

#[test]
fn silence_ids_rooms_and_audit_targets_are_normalised() {
    let cases: &[(&str, &str, Value)] = &[
        ("unsilence 3", "id", Value::SilenceId(3)),
        ("unsilence #12", "id", Value::SilenceId(12)),
        ("unsilence silence:7", "id", Value::SilenceId(7)),
        (
            "why w-2aa8f74113a8 !abc:example.org",
            "room",
            Value::Room("matrix:!abc:example.org".into()),
        ),
        (
            "why w-2aa8f74113a8 matrix:!abc:example.org",
            "room",
            Value::Room("matrix:!abc:example.org".into()),
        ),
        (
            "why w-2aa8f74113a8 @alice:example.org",
            "room",
            Value::Room("matrix:@alice:example.org".into()),
        ),
        (
            "why w-2aa8f74113a8 console",
            "room",
            Value::Room("console".into()),
        ),
        (
            "why W-2AA8F74113A8",
            "window",
            Value::WindowId("w-2aa8f74113a8".into()),
        ),
        (
            "audit W-2AA8F74113A8",
            "target",
            Value::Target("w-2aa8f74113a8".into()),
        ),
        ("audit silence:4", "target", Value::Target("silence:4".into())),
        (
            "audit @alice:example.org",
            "target",
            Value::Target("matrix:@alice:example.org".into()),
        ),
        (
            "audit !abc:example.org",
            "target",
            Value::Target("matrix:!abc:example.org".into()),
        ),
    ];
    for (line, name, value) in cases {
        assert_eq!(ok(line).get(name), Some(value), "{line}");
    }
}

#[test]
fn free_text_is_the_rest_of_the_line_as_typed() {
    let cases = [
        (
            "window note w-2aa8f74113a8 Can't reach the minister; try   Tuesday",
            "Can't reach the minister; try   Tuesday",
        ),
        ("window note w-2aa8f74113a8 \"quoted, whole\"", "quoted, whole"),
        ("window note w-2aa8f74113a8 “curly quotes”", "curly quotes"),
        (
            "window note w-2aa8f74113a8 --within is just text",
            "--within is just text",
        ),
    ];
    for (line, text) in cases {
        assert_eq!(ok(line).text("text"), Some(text), "{line}");
    }
}

#[test]
fn quoted_words_group_and_an_unclosed_quote_is_refused() {
    assert_eq!(ok("help \"window claim\"").text("command"), Some("window claim"));
    assert_eq!(err("help \"window claim"), ParseError::UnclosedQuote);
}

#[test]
fn typos_get_a_suggestion() {
    let cases = [
        ("windwos", Some("windows")),
        ("subscibe country:KE", Some("subscribe")),
        ("hlep", Some("help")),
        ("frobnicate", None),
    ];
    for (line, suggestion) in cases {
        match err(line) {
            ParseError::UnknownCommand { suggestion: s, .. } => {
                assert_eq!(s.as_deref(), suggestion, "{line}")
            }
            other => panic!("{line}: {other:?}"),
        }
    }
    match err("window clam w-2aa8f74113a8") {
        ParseError::UnknownSubcommand { suggestion, .. } => {
            assert_eq!(suggestion.as_deref(), Some("claim"))
        }
        other => panic!("{other:?}"),
    }
    match err("windows --withn 30d") {
        ParseError::UnknownOption { suggestion, .. } => {
            assert_eq!(suggestion.as_deref(), Some("--within"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_values_are_refused_with_their_kind() {
    let cases = [
        ("window claim 12345", Kind::WindowId),
        ("window claim w-zzzzzzzzzzzz", Kind::WindowId),
        ("window snooze w-2aa8f74113a8 forever", Kind::Duration),
        ("window snooze w-2aa8f74113a8 0s", Kind::Duration),
        ("windows --at 2021-13-01", Kind::Date),
        ("windows --within soon", Kind::Duration),
        ("member Kenya", Kind::Country),
        ("subscribe planet:mars", Kind::Topic),
        ("subscribe region:atlantis", Kind::Topic),
        ("peers add alice", Kind::User),
        ("peers add @alice:example.org role:king", Kind::Role),
        ("language klingon", Kind::Language),
        ("help frobnicate", Kind::Command),
        ("silence KE 7d campaign pause", Kind::Matchers),
        ("silence country 7d campaign pause", Kind::Matchers),
        ("silence region=~\"europe|(\" 7d broken regex", Kind::Matchers),
        ("silence 7d=KE 7d digits first", Kind::Matchers),
        ("silence country=KE forever reason", Kind::Duration),
        ("unsilence abc", Kind::SilenceId),
        ("unsilence 0", Kind::SilenceId),
        ("unsilence -3", Kind::SilenceId),
        ("why 12345", Kind::WindowId),
        ("why w-2aa8f74113a8 #room:example.org", Kind::Room),
        ("why w-2aa8f74113a8 console:operator", Kind::Room),
        ("audit nonsense", Kind::Target),
        ("audit silence:x", Kind::Target),
    ];
    for (line, kind) in cases {
        match err(line) {
            ParseError::Invalid { kind: k, .. } => assert_eq!(k, kind, "{line}"),
            other => panic!("{line}: {other:?}"),
        }
    }
}

#[test]
fn missing_extra_repeated_and_valueless_options_are_refused() {
    assert!(matches!(
        err("window claim"),
        ParseError::Missing { arg: "id", .. }
    ));
    assert!(matches!(
        err("window"),
        ParseError::UnknownSubcommand { given: None, .. }
    ));
    assert!(matches!(err("feeds sync a b"), ParseError::TooMany { .. }));
    assert!(matches!(
        err("windows --within 3d --within 4d"),
        ParseError::Repeated { arg: "within", .. }
    ));
    assert!(matches!(
        err("windows --within"),
        ParseError::NoValue { arg: "within", .. }
    ));
    assert_eq!(err(""), ParseError::Empty);
    // A lone dash is a theme-shaped word, not a country code to index into.
    assert!(matches!(
        err("windows -"),
        ParseError::Invalid {
            kind: Kind::Scope,
            ..
        }
    ));
    assert_eq!(err("   "), ParseError::Empty);
    let cases = [
        ("silence", "matchers"),
        ("silence country=KE", "duration"),
        ("silence country=KE region=europe", "duration"),
        ("silence country=KE 7d", "reason"),
        ("unsilence", "id"),
        ("why", "window"),
    ];
    for (line, missing) in cases {
        match err(line) {
            ParseError::Missing { arg, .. } => assert_eq!(arg, missing, "{line}"),
            other => panic!("{line}: {other:?}"),
        }
    }
    assert!(matches!(
        err("digest"),
        ParseError::UnknownSubcommand { given: None, .. }
    ));
    assert!(matches!(err("digest now please"), ParseError::TooMany { .. }));
    assert!(matches!(err("unsilence 3 4"), ParseError::TooMany { .. }));
}

#[test]
fn every_refusal_is_one_sentence_in_every_language() {
    let locales = Locales::new();
    let lines = [
        "",
        "\"open",
        "windwos",
        "window",
        "window clam x",
        "window claim",
        "feeds sync a b",
        "windows --withn 3d",
        "windows --within",
        "windows --at 1 --at 2",
        "window claim 12",
        "silence KE 7d pause",
        "silence region=~\"(\" 7d pause",
        "silence country=KE",
        "unsilence x",
        "why w-2aa8f74113a8 #alias:example.org",
        "audit everything",
        "digest",
    ];
    for lang in Lang::ALL {
        for line in lines {
            let e = err(line);
            let text = help::error(&locales, lang, &e);
            assert!(
                !text.is_empty() && !text.contains("err-") && !text.contains("expect-"),
                "{lang} {line}: {text}"
            );
            assert_eq!(text.lines().count(), 1, "{lang} {line}: {text}");
            assert!(text.ends_with(['.', '?']), "{lang} {line}: {text}");
        }
    }
}

proptest::proptest! {
    #[test]
    fn any_line_parses_or_is_refused_without_panicking(line in "\\PC{0,200}") {
        let _ = parse(&line);
    }

    #[test]
    fn any_line_of_command_words_parses_or_is_refused(words in proptest::collection::vec(
        proptest::sample::select(vec!["window", "claim", "w-2aa8f74113a8", "--within", "7d", "\"", "“", "note", "feeds", "sync", "region:", "country:KE", "--", ":", "help", "peers", "add", "@a:b", "silence", "country=KE", "region=~\"a|b", "c\"", "{", "}", ",", "why", "audit", "unsilence", "digest", "now"]),
        0..8,
    )) {
        let _ = parse(&words.join(" "));
    }
}
