//! Conditions of rule files: compiled, located when wrong, and evaluated on sample records.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use vigie_rules::condition::{Condition, ConditionError, Record, SourceSpan};
use vigie_rules::{
    ActionPlan, CalendarEvent, EventDate, EventKind, EventStatus, Jurisdiction, JurisdictionCode,
    JurisdictionLevel, Member, MemberStatus, Region,
};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The rule file position every test condition sits at: line 12, column 10.
fn at() -> SourceSpan {
    SourceSpan {
        file: "rules/pre-election.toml".into(),
        line: 12,
        column: 10,
    }
}

fn compile(text: &str) -> Condition {
    Condition::compile(text, &at()).unwrap_or_else(|errors| {
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{text}:\n{}", shown.join("\n"))
    })
}

fn errors(text: &str) -> Vec<ConditionError> {
    match Condition::compile(text, &at()) {
        Ok(_) => panic!("{text} compiled"),
        Err(errors) => errors,
    }
}

fn jurisdiction(code: &str, name: &str, level: JurisdictionLevel, region: Region) -> Jurisdiction {
    Jurisdiction {
        code: JurisdictionCode::parse(code).unwrap(),
        name: name.into(),
        level,
        region,
    }
}

fn event(code: &str, kind: EventKind, title: &str, date: EventDate, status: EventStatus) -> CalendarEvent {
    CalendarEvent {
        uid: format!("{code}-{kind}"),
        jurisdiction: JurisdictionCode::parse(code).unwrap(),
        kind,
        title: title.into(),
        date,
        status,
        caretaker: false,
        source: None,
        notes: None,
        attributes: BTreeMap::new(),
    }
}

fn member(j: &Jurisdiction, status: MemberStatus, plan: ActionPlan) -> Member {
    Member {
        code: j.code.clone(),
        name: j.name.clone(),
        level: j.level,
        region: j.region,
        status,
        status_since: None,
        joined: Some(2011),
        action_plan: plan,
        notes: None,
    }
}

/// A record's data, owned; [`Sample::record`] lends it to a condition.
#[derive(Debug)]
struct Sample {
    today: NaiveDate,
    event: Option<CalendarEvent>,
    predicted: bool,
    member: Option<Member>,
    jurisdiction: Option<Jurisdiction>,
}

impl Sample {
    fn record(&self) -> Record<'_> {
        Record {
            today: self.today,
            event: self.event.as_ref(),
            event_predicted: self.predicted,
            member: self.member.as_ref(),
            jurisdiction: self.jurisdiction.as_ref(),
            window: None,
        }
    }
}

const TODAY: &str = "2026-03-01";

/// Kenya: a legislative election 120 days ahead, an active member whose fifth action plan ends
/// in August 2026, five months away.
fn election_ahead() -> Sample {
    let kenya = jurisdiction(
        "KE",
        "Kenya",
        JurisdictionLevel::National,
        Region::AfricaMiddleEast,
    );
    let mut election = event(
        "KE",
        EventKind::Legislative,
        "Kenya general election",
        EventDate::day(day("2026-06-29")),
        EventStatus::Scheduled,
    );
    election.attributes.insert("early".into(), "1".into());
    election.attributes.insert("round".into(), "1".into());
    let plan = ActionPlan {
        number: Some(5),
        cohort: Some(2024),
        start: Some(EventDate::day(day("2024-01-01"))),
        end: EventDate::month(2026, 8),
    };
    Sample {
        today: day(TODAY),
        event: Some(election),
        predicted: false,
        member: Some(member(&kenya, MemberStatus::Active, plan)),
        jurisdiction: Some(kenya),
    }
}

/// Côte d'Ivoire: a presidential election known only to the month; not an OGP member here.
fn election_in_a_month() -> Sample {
    let civ = jurisdiction(
        "CI",
        "Côte d'Ivoire",
        JurisdictionLevel::National,
        Region::AfricaMiddleEast,
    );
    Sample {
        today: day(TODAY),
        event: Some(event(
            "CI",
            EventKind::Presidential,
            "Présidentielle",
            EventDate::month(2026, 9).unwrap(),
            EventStatus::Announced,
        )),
        predicted: false,
        member: None,
        jurisdiction: Some(civ),
    }
}

/// Germany: a regular election Vigie predicted, in an active member without plan dates.
fn predicted_election() -> Sample {
    let germany = jurisdiction("DE", "Germany", JurisdictionLevel::National, Region::Europe);
    Sample {
        today: day(TODAY),
        event: Some(event(
            "DE",
            EventKind::Legislative,
            "Bundestag",
            EventDate::estimated(day("2029-08-01"), day("2029-10-31")),
            EventStatus::Announced,
        )),
        predicted: true,
        member: Some(member(&germany, MemberStatus::Active, ActionPlan::default())),
        jurisdiction: Some(germany),
    }
}

/// Madrid, a local member under review since November 2025, looked at without an event.
fn member_under_review() -> Sample {
    let madrid = jurisdiction("ES-madrid", "Madrid", JurisdictionLevel::Local, Region::Europe);
    let mut m = member(&madrid, MemberStatus::UnderReview, ActionPlan::default());
    m.status_since = EventDate::month(2025, 11);
    Sample {
        today: day(TODAY),
        event: None,
        predicted: false,
        member: Some(m),
        jurisdiction: Some(madrid),
    }
}

fn sample(name: &str) -> Sample {
    match name {
        "ahead" => election_ahead(),
        "month" => election_in_a_month(),
        "predicted" => predicted_election(),
        "review" => member_under_review(),
        other => panic!("no sample {other}"),
    }
}

#[test]
fn conditions_evaluate_to_what_the_vocabulary_says() {
    let cases: &[(&str, &str, bool)] = &[
        // the brief's example: a national election within 120 days in an active member whose
        // action plan ends within six months
        (
            "event.is_election && jurisdiction.level == 'national' && days_until(event.start) <= 120 \
             && member != null && member.status == 'active' \
             && member.plan.end != null && months_until(member.plan.end) < 6",
            "ahead",
            true,
        ),
        ("days_until(event.start) == 120", "ahead", true),
        ("days_until(event.start) > 120", "ahead", false),
        ("days_since(event.start) == -120", "ahead", true),
        ("event.start.days_until() == 120", "ahead", true),
        ("months_until(member.plan.end) == 5", "ahead", true),
        (
            "member.plan.number == 5 && member.plan.start < today",
            "ahead",
            true,
        ),
        (
            "member.joined == 2011 && member.code == 'KE' && member.level == 'national'",
            "ahead",
            true,
        ),
        (
            "member.region == 'africa-middle-east' && jurisdiction.region == member.region",
            "ahead",
            true,
        ),
        (
            "event.kind == 'legislative' && event.country == 'KE' && event.jurisdiction == jurisdiction.code",
            "ahead",
            true,
        ),
        (
            "event.status in ['scheduled', 'announced'] && event.title.startsWith('Kenya')",
            "ahead",
            true,
        ),
        (
            "event.early && has(event.attributes.round) && event.attributes.round == '1'",
            "ahead",
            true,
        ),
        (
            "event.attributes.exists(k, k == 'early') && !has(event.attributes.turnout)",
            "ahead",
            true,
        ),
        (
            "is_exact(event) && !is_estimated(event) && !event.predicted",
            "ahead",
            true,
        ),
        ("event.caretaker", "ahead", false),
        (
            "today == date('2026-03-01') && today + days(120) == event.start",
            "ahead",
            true,
        ),
        (
            "[1, 2, 3].exists(x, x == days_until(event.start))",
            "ahead",
            false,
        ),
        (
            "type(event.title) == string && size(event.attributes) == 2",
            "ahead",
            true,
        ),
        ("event.title.matches('^Kenya .* election$')", "ahead", true),
        // the record's maps are maps like any other
        (
            "size(event) == 13 && 'kind' in event && !('nope' in event) && has(event.caretaker)",
            "ahead",
            true,
        ),
        (
            "event.exists(k, k == 'caretaker') && member.plan.all(k, k in ['number', 'start', 'end'])",
            "ahead",
            true,
        ),
        (
            "event == event && member.plan != member && type(member.plan) == map",
            "ahead",
            true,
        ),
        (
            "member.plan == {'number': 5, 'start': date('2024-01-01'), 'end': date('2026-08-31')}",
            "ahead",
            true,
        ),
        // a month-precision election in a jurisdiction that is not a member
        (
            "event.precision == 'month' && !is_exact(event) && !is_estimated(event)",
            "month",
            true,
        ),
        (
            "event.start == date('2026-09-01') && event.end == event.start + days(29)",
            "month",
            true,
        ),
        (
            "months_until(event.start) == 6 && months_until(event.end) == 6",
            "month",
            true,
        ),
        (
            "member == null && !(member != null && member.status == 'active')",
            "month",
            true,
        ),
        ("member.?status.orValue('none') == 'none'", "month", true),
        (
            "event.is_election && event.kind == 'presidential' && event.status == 'announced'",
            "month",
            true,
        ),
        // a predicted election
        (
            "event.predicted && is_estimated(event) && event.precision == 'estimated'",
            "predicted",
            true,
        ),
        ("is_exact(event)", "predicted", false),
        (
            "member.plan.end == null && member.plan.number == null",
            "predicted",
            true,
        ),
        (
            "days_until(event.start) > 365 && event.country == 'DE'",
            "predicted",
            true,
        ),
        // a member under review, no event
        ("event == null && member.status == 'under-review'", "review", true),
        ("member.status == 'active'", "review", false),
        ("days_since(member.status_since) == 120", "review", true),
        (
            "member.level == 'local' && jurisdiction.country == 'ES' && jurisdiction.code == 'ES-madrid'",
            "review",
            true,
        ),
    ];
    for (text, name, expected) in cases {
        let condition = compile(text);
        let data = sample(name);
        assert_eq!(
            condition.evaluate(&data.record()),
            Ok(*expected),
            "{text} on {name}"
        );
        assert_eq!(condition.text(), *text);
    }
}

#[test]
fn an_unknown_variable_is_shown_at_its_place_in_the_file() {
    let errors = errors(r#"evnt.kind == "legislative""#);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "rules/pre-election.toml:12:10: unknown variable `evnt`; expected one of event, member, jurisdiction, window, today\n\
         \x20            evnt.kind == \"legislative\"\n\
         \x20            ^"
    );
}

#[test]
fn the_real_file_line_can_replace_the_reconstructed_one() {
    let file = "[[rule]]\n".repeat(11) + "    when = 'evnt.kind == \"legislative\"'\n";
    let error = errors(r#"evnt.kind == "legislative""#)
        .remove(0)
        .with_file_text(&file);
    assert_eq!(
        error.to_string().lines().skip(1).collect::<Vec<_>>(),
        ["        when = 'evnt.kind == \"legislative\"'", "             ^"]
    );
}

/// (condition, expected line, expected column, words the message contains)
fn assert_located(cases: &[(&str, usize, usize, &str)]) {
    for (text, line, column, needle) in cases {
        let errors = errors(text);
        let first = &errors[0];
        assert_eq!((first.line, first.column), (*line, *column), "{text}: {first}");
        assert!(first.message.contains(needle), "{text}: {first}");
        assert_eq!(first.file, "rules/pre-election.toml");
    }
}

#[test]
fn syntax_errors_are_located_in_the_file() {
    assert_located(&[
        (r#"event.kind == "legislative" &&"#, 12, 40, "ends too soon"),
        (r#"event.kind = "legislative""#, 12, 21, "`=` cannot be used here"),
        (
            r#"event.kind == "legislative"#,
            12,
            24,
            "string starts here but is not closed",
        ),
        ("(event.is_election", 12, 28, "missing `)`"),
        ("event.is_election event.early", 12, 28, "unexpected `event`"),
        ("for", 12, 10, "reserved identifier"),
    ]);
}

#[test]
fn syntax_errors_in_multi_line_conditions_are_located_on_their_own_line() {
    let text = "event.is_election\n  && days_until(event.start) <= 120\n  && member.status == 'active' )";
    let found = errors(text);
    let column = text.lines().nth(2).unwrap().find(')').unwrap() + 1;
    assert_eq!((found[0].line, found[0].column), (14, column), "{}", found[0]);
    assert_eq!(found[0].source_line, "  && member.status == 'active' )");

    let found = errors("event.is_election &&\n");
    assert_eq!((found[0].line, found[0].column), (13, 1), "{}", found[0]);
}

#[test]
fn unknown_names_are_located_at_their_identifier() {
    assert_located(&[
        (
            "event.is_election && evnt.is_election",
            12,
            31,
            "unknown variable `evnt`",
        ),
        (
            "event.is_election\n    && membr.status == 'active'",
            13,
            8,
            "unknown variable `membr`",
        ),
        ("[1].exists(x, y > 0)", 12, 24, "unknown variable `y`"),
        (
            "dayz_until(event.start) < 5",
            12,
            10,
            "unknown function `dayz_until`",
        ),
        (
            "event.is_election && dayz_until (event.start) < 5",
            12,
            31,
            "expected a CEL standard function or one of days_until, days_since, months_until, date, is_exact, is_estimated, days",
        ),
        ("event.title.shout()", 12, 22, "unknown function `shout`"),
        (
            "math.greatest(1, 2) > 0",
            12,
            10,
            "unknown function `math.greatest`",
        ),
        (
            "event.knd == 'legislative'",
            12,
            16,
            "unknown field `knd` of `event`; expected one of kind, is_election, status",
        ),
        ("has(event.knd)", 12, 20, "unknown field `knd` of `event`"),
        (
            "member.plan.ends < today",
            12,
            22,
            "unknown field `ends` of `member.plan`",
        ),
        (
            "jurisdiction.region_name == 'x'",
            12,
            23,
            "unknown field `region_name` of `jurisdiction`",
        ),
        (
            "today.year == 2026",
            12,
            16,
            "`today` is a timestamp and has no field `year`",
        ),
        (
            "event.start.day == 1",
            12,
            22,
            "`event.start` is a timestamp and has no field `day`",
        ),
        (
            "days_until(event.start, today) > 0",
            12,
            10,
            "`days_until` takes one argument, a timestamp; it was given 2",
        ),
        ("Window{days: 3}.days == 3", 12, 10, "builds a message"),
    ]);
}

#[test]
fn every_unknown_name_is_reported_at_once() {
    let errors = errors("evnt.kind == 'x' && membr.status == 'y' && frobnicate(today)");
    let found: Vec<(usize, &str)> = errors
        .iter()
        .map(|e| (e.column, e.message.split(';').next().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (10, "unknown variable `evnt`"),
            (30, "unknown variable `membr`"),
            (53, "unknown function `frobnicate`"),
        ]
    );
}

#[test]
fn what_cel_itself_knows_is_accepted() {
    let data = election_ahead();
    for text in [
        "[event].exists(event, event != null)",
        "event.attributes.all(k, event.attributes[k] != '')",
        "int(event.attributes.round) == 1",
        "string(days_until(event.start)) == '120'",
        "optional.of(1).hasValue()",
        "event.start - days(130) < today && duration('24h') == days(1)",
        "timestamp('2026-06-29T00:00:00Z') == event.start",
        "event.start.getFullYear() == 2026",
        "type(member) == map",
        "type(event.start) == google.protobuf.Timestamp",
    ] {
        assert_eq!(compile(text).evaluate(&data.record()), Ok(true), "{text}");
    }
}

#[test]
fn empty_long_and_deeply_nested_conditions_are_refused_without_crashing() {
    let long = "event.is_election || ".repeat(200) + "true";
    let cases: Vec<(String, &str)> = vec![
        ("   ".into(), "the condition is empty"),
        (long, "at most 4000 are allowed"),
        (
            format!("{}true{}", "(".repeat(200), ")".repeat(200)),
            "nested too deeply",
        ),
        (
            format!("{}true{}", "[".repeat(150), "]".repeat(150)),
            "nested too deeply",
        ),
        (
            format!("{}1{} == 1", "size([".repeat(60), "])".repeat(60)),
            "nested too deeply",
        ),
        (format!("{} == 1", vec!["1"; 1500].join("+")), "nested too deeply"),
        (format!("event{}", ".title".repeat(600)), "nested too deeply"),
        (
            format!("{}true{}", "[1].exists(x, ".repeat(40), ")".repeat(40)),
            "nested too deeply",
        ),
    ];
    for (text, needle) in cases {
        let errors = Condition::compile(&text, &at()).expect_err(&text[..text.len().min(40)]);
        assert!(
            errors[0].message.contains(needle),
            "{}…: {}",
            &text[..text.len().min(40)],
            errors[0].message
        );
    }
    // as deep as a rule could want is fine, and so are chains the parser folds
    let data = election_ahead();
    for text in [
        format!("{}true{}", "(".repeat(15), ")".repeat(15)),
        format!("{}true", "!".repeat(3000)),
        format!("{}1 == 1", "-".repeat(3000)),
    ] {
        assert_eq!(compile(&text).evaluate(&data.record()), Ok(true));
    }
}

#[test]
fn the_deepest_conditions_that_compile_evaluate_on_a_small_stack() {
    let shapes: [fn(usize) -> String; 6] = [
        |n| format!("{}true{}", "[1].exists(x, ".repeat(n), ")".repeat(n)),
        |n| format!("{} == {n}", vec!["1"; n].join(" + ")),
        |n| format!("{}1{} == 1", "size([".repeat(n), "])".repeat(n)),
        |n| format!("{}true{}", "[".repeat(n), "]".repeat(n)) + " != []",
        |n| format!("{}false", "event.is_election ? true : ".repeat(n)),
        |n| format!("{}1{} == 1", "int(string(".repeat(n), "))".repeat(n)),
    ];
    for shape in shapes {
        let levels = (1..64)
            .take_while(|n| Condition::compile(&shape(*n), &at()).is_ok())
            .count();
        let deepest = shape(levels);
        let condition = compile(&deepest);
        // 2 MiB: the stack of a test thread or a tokio worker
        let outcome = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || condition.evaluate(&election_ahead().record()))
            .unwrap()
            .join()
            .unwrap();
        assert!(outcome.is_ok(), "{deepest}: {outcome:?}");
    }
}

#[test]
fn runtime_errors_name_the_culprit_and_never_panic() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "days_until(member.plan.end) < 30",
            "predicted",
            "`days_until(member.plan.end)` cannot be computed: `member.plan.end` is null for this record; check `member.plan.end != null` first",
        ),
        (
            "member.status == 'active'",
            "month",
            "`member` is null for this record, so its field `status` cannot be read; check `member != null` first",
        ),
        (
            "member.plan.end < today",
            "predicted",
            "`member.plan.end` is null for this record, so `<` cannot use it; check `member.plan.end != null` first",
        ),
        (
            "is_exact(member)",
            "month",
            "`is_exact(member)` cannot be computed: `member` is null for this record; check `member != null` first",
        ),
        (
            "event.attributes.round == '2'",
            "month",
            "no such key `round` in `event.attributes`; check `has(event.attributes.round)` first",
        ),
        (
            "event.attributes['round'] == '2'",
            "month",
            "no such key `round` in `event.attributes`; check `\"round\" in event.attributes` first",
        ),
        (
            "member.plan.end + days(1) > today",
            "predicted",
            "`member.plan.end` is null for this record, so `+` cannot use it; check `member.plan.end != null` first",
        ),
        (
            "event.title",
            "ahead",
            "the condition gives a string, not true or false",
        ),
        (
            "member.plan.end",
            "predicted",
            "the condition gives null, not true or false",
        ),
        ("1 / 0 == 1", "ahead", "the condition divides by zero"),
        (
            "date('2026-02-30') < today",
            "ahead",
            "`date` expects a day written \"YYYY-MM-DD\", such as \"2027-05-01\"; \"2026-02-30\" is not one",
        ),
        (
            "days_until(event.title) > 0",
            "ahead",
            "`days_until` expects a timestamp such as `event.start` or `date(\"2027-05-01\")`, not a string",
        ),
        (
            "is_estimated(today)",
            "ahead",
            "`is_estimated` expects an event, such as `event`, not a timestamp",
        ),
        (
            "event.start > 5",
            "ahead",
            "`>` cannot be applied to a timestamp and an int",
        ),
        (
            "days(9223372036854775807) > duration('1s')",
            "ahead",
            "`days` cannot make a duration of 9223372036854775807 days",
        ),
    ];
    for (text, name, message) in cases {
        let condition = compile(text);
        let data = sample(name);
        let error = condition.evaluate(&data.record()).expect_err(text);
        assert_eq!(error.message, *message, "{text} on {name}");
    }
}

#[test]
fn evaluation_is_deterministic() {
    let texts = [
        "event.is_election && days_until(event.start) <= 120",
        "months_until(member.plan.end) <= 6",
        "event.attributes.exists(k, event.attributes[k] == '1')",
        "member.status == 'active'",
    ];
    let samples = ["ahead", "month", "predicted", "review"].map(sample);
    for text in texts {
        let first = compile(text);
        let second = compile(text);
        for data in &samples {
            let once = first.evaluate(&data.record());
            for _ in 0..5 {
                assert_eq!(first.evaluate(&data.record()), once, "{text}");
                assert_eq!(second.evaluate(&data.record()), once, "{text}");
            }
        }
    }
}

#[test]
fn conditions_can_be_shared_between_threads() {
    fn shared<T: Send + Sync + Clone>() {}
    shared::<Condition>();
    let condition = compile("event.is_election");
    let data = election_ahead();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(condition.evaluate(&data.record()), Ok(true)));
        }
    });
}

// ---- properties ----

/// Conditions that compile, including ones that fail on some records.
const VALID: &[&str] = &[
    "event.is_election && days_until(event.start) <= 120",
    "member.status == 'active' && months_until(member.plan.end) <= 6",
    "is_exact(event) || is_estimated(event)",
    "event.attributes.exists(k, event.attributes[k] == '1') && event.early",
    "days_since(member.status_since) > 30 && member.joined > 2010",
    "jurisdiction.country == event.country && member.plan.number > 3",
    "event.end - event.start > days(27) && today < event.end",
    "has(event.attributes.round) && int(event.attributes.round) == 2",
    "event.title.matches('[a-z]+') && size(event.title) > 3",
    "member.?plan.?end.hasValue() && member.plan.end > today",
];

fn arb_date() -> impl Strategy<Value = EventDate> {
    (0i64..30_000, 0i64..400, 0u8..4).prop_map(|(offset, len, form)| {
        let first = day("1950-01-01") + chrono::Duration::days(offset);
        let last = first + chrono::Duration::days(len);
        match form {
            0 => EventDate::day(first),
            1 => EventDate::days(first, last),
            2 => EventDate::estimated(first, last),
            _ => EventDate::month(chrono::Datelike::year(&first), chrono::Datelike::month(&first)).unwrap(),
        }
    })
}

fn arb_jurisdiction() -> impl Strategy<Value = Jurisdiction> {
    (
        prop::sample::select(vec!["KE", "FR", "ES-madrid", "KE-30", "US-austin-tx"]),
        "\\PC{0,20}",
        any::<bool>(),
        prop::sample::select(Region::ALL.to_vec()),
    )
        .prop_map(|(code, name, local, region)| {
            let level = if local {
                JurisdictionLevel::Local
            } else {
                JurisdictionLevel::National
            };
            jurisdiction(code, &name, level, region)
        })
}

prop_compose! {
    fn arb_sample()(
        today in 0i64..40_000,
        event in prop::option::of((
            prop::sample::select(EventKind::ALL.to_vec()),
            prop::sample::select(EventStatus::ALL.to_vec()),
            "\\PC{0,30}",
            arb_date(),
            any::<bool>(),
            prop::collection::btree_map("[a-z]{1,8}", "\\PC{0,8}", 0..4),
        )),
        predicted in any::<bool>(),
        j in prop::option::of(arb_jurisdiction()),
        m in prop::option::of((
            prop::sample::select(MemberStatus::ALL.to_vec()),
            prop::option::of(arb_date()),
            prop::option::of(1900i32..2100),
            prop::option::of(0u32..20),
            prop::option::of(arb_date()),
            prop::option::of(arb_date()),
        )),
    ) -> Sample {
        let jurisdiction_of_member = j.clone().unwrap_or_else(|| jurisdiction("KE", "Kenya", JurisdictionLevel::National, Region::AfricaMiddleEast));
        Sample {
            today: day("1950-01-01") + chrono::Duration::days(today),
            event: event.map(|(kind, status, title, date, caretaker, attributes)| CalendarEvent {
                caretaker,
                attributes,
                ..self::event("KE", kind, &title, date, status)
            }),
            predicted,
            member: m.map(|(status, since, joined, number, start, end)| Member {
                status_since: since,
                joined,
                ..member(&jurisdiction_of_member, status, ActionPlan { number, cohort: None, start, end })
            }),
            jurisdiction: j,
        }
    }
}

/// Pieces of conditions, valid and not, for generated ones.
const TOKENS: &[&str] = &[
    "event",
    "member",
    "jurisdiction",
    "today",
    ".",
    "kind",
    "start",
    "end",
    "plan",
    "status",
    "attributes",
    "title",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "?",
    "&&",
    "||",
    "!",
    "==",
    "!=",
    "<",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "in",
    "null",
    "true",
    "1",
    "0",
    "-9223372036854775808",
    "1.5",
    "'x'",
    "\"early\"",
    "days_until(",
    "days_since(",
    "months_until(",
    "date(",
    "days(",
    "is_exact(",
    "is_estimated(",
    "has(",
    "size(",
    "int(",
    "string(",
    "timestamp(",
    "duration(",
    ".exists(x,",
    "x",
    ".map(x,",
    ".?",
    "'2026-02-30'",
    "'1s'",
    "9999999999999",
    "'9999-12-31T23:59:59Z'",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_text_compiles_or_fails_without_panicking(text in "\\PC{0,120}") {
        if let Ok(condition) = Condition::compile(&text, &at()) {
            let _ = condition.evaluate(&election_ahead().record());
        }
    }

    #[test]
    fn generated_conditions_compile_and_evaluate_without_panicking(
        tokens in prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 1..16),
        data in arb_sample(),
    ) {
        let text = tokens.join(" ");
        match Condition::compile(&text, &at()) {
            Ok(condition) => {
                if let Err(e) = condition.evaluate(&data.record()) {
                    prop_assert!(!e.message.contains("interpreter failed"), "{text}: {e}");
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.line >= 12 && e.column >= 1, "{text}: {e}");
                    prop_assert!(!e.message.contains("parser failed"), "{text}: {e}");
                }
            }
        }
    }

    #[test]
    fn compiled_conditions_never_panic_on_arbitrary_records(index in 0..VALID.len(), data in arb_sample()) {
        let condition = compile(VALID[index]);
        match condition.evaluate(&data.record()) {
            Ok(_) => {}
            Err(e) => {
                prop_assert!(!e.message.is_empty());
                prop_assert!(!e.message.contains("interpreter failed"), "{}: {e}", VALID[index]);
            }
        }
    }
}
