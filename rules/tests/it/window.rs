//! Windows derived by the default rules from synthetic facts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use vigie_rules::rule::{DEFAULT_RULES, RuleSet, load_rules};
use vigie_rules::window::{FactEvent, Facts, WindowState, evaluate};
use vigie_rules::{
    ActionPlan, CalendarEvent, EventDate, EventKey, EventKind, EventStatus, Jurisdiction, JurisdictionCode,
    JurisdictionLevel, Member, MemberStatus, Region,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn defaults() -> RuleSet {
    let files: Vec<(String, String)> = DEFAULT_RULES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    load_rules(&files).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
        )
    })
}

fn code(s: &str) -> JurisdictionCode {
    JurisdictionCode::parse(s).unwrap()
}

fn event(feed: &str, uid: &str, j: &str, kind: EventKind, date: &str) -> FactEvent {
    FactEvent {
        key: EventKey {
            feed: feed.into(),
            uid: uid.into(),
        },
        event: CalendarEvent {
            uid: uid.into(),
            jurisdiction: code(j),
            kind,
            title: format!("{j} {kind} {date}"),
            date: date.parse().unwrap(),
            status: EventStatus::Scheduled,
            caretaker: false,
            source: None,
            notes: None,
            attributes: BTreeMap::new(),
        },
        predicted: false,
    }
}

fn nation(j: &str, region: Region) -> Jurisdiction {
    Jurisdiction {
        code: code(j),
        name: j.into(),
        level: JurisdictionLevel::National,
        region,
    }
}

fn member(j: &str, status: MemberStatus, plan_end: Option<&str>) -> Member {
    Member {
        code: code(j),
        name: format!("Member {j}"),
        level: JurisdictionLevel::National,
        region: Region::Europe,
        status,
        status_since: Some(EventDate::day(d("2024-05-01"))),
        joined: Some(2011),
        action_plan: ActionPlan {
            number: Some(6),
            cohort: None,
            start: None,
            end: plan_end.map(|p| p.parse().unwrap()),
        },
        notes: None,
    }
}

fn facts(events: Vec<FactEvent>, members: Vec<Member>) -> Facts {
    Facts::new(
        events,
        members,
        vec![
            nation("NL", Region::Europe),
            nation("KE", Region::AfricaMiddleEast),
        ],
        |_| 86,
    )
}

#[test]
fn the_dutch_election_of_2021_opens_its_window_180_days_ahead() {
    let f = facts(
        vec![
            event(
                "parlgov",
                "election-1",
                "NL",
                EventKind::Legislative,
                "2017-03-15",
            ),
            event(
                "parlgov",
                "election-2",
                "NL",
                EventKind::Legislative,
                "2021-03-17",
            ),
            event("parlgov", "cabinet-9", "NL", EventKind::Cabinet, "2022-01-10"),
        ],
        vec![member("NL", MemberStatus::Active, None)],
    );
    let eval = evaluate(&defaults(), &f, d("2021-01-01"));
    assert!(eval.errors.is_empty(), "{:?}", eval.errors);
    let pre = eval
        .windows
        .iter()
        .find(|w| w.rule == "pre-election" && w.closes == d("2021-03-17"))
        .unwrap();
    assert_eq!(pre.opens, d("2020-09-18"), "180 days before 2021-03-17");
    assert_eq!(pre.state, WindowState::Open);
    assert!(!pre.estimated);
    assert_eq!(pre.priority.as_str(), "high", "a member raises the priority");
    assert!(
        pre.reasons.iter().any(|r| r.contains("OGP member")),
        "{:?}",
        pre.reasons
    );
    let transition = eval
        .windows
        .iter()
        .find(|w| w.rule == "government-transition" && w.opens == d("2021-03-17"))
        .unwrap();
    assert_eq!(
        transition.closes,
        d("2022-01-17"),
        "a week after Rutte IV took office"
    );
    assert_eq!(transition.state, WindowState::Upcoming);
    assert!(transition.events.iter().any(|k| k.uid == "cabinet-9"));
}

#[test]
fn a_month_precise_election_opens_from_its_earliest_day_and_is_estimated() {
    let f = facts(
        vec![event(
            "curated",
            "ke-2027",
            "KE",
            EventKind::Legislative,
            "2027-08",
        )],
        vec![],
    );
    let eval = evaluate(&defaults(), &f, d("2027-01-01"));
    let pre = eval.windows.iter().find(|w| w.rule == "pre-election").unwrap();
    assert_eq!(pre.opens, d("2027-02-02"), "180 days before 2027-08-01");
    assert_eq!(pre.closes, d("2027-08-31"));
    assert!(pre.estimated);
    assert_eq!(pre.priority.as_str(), "normal", "not a member here");
    assert_eq!(pre.state, WindowState::Upcoming);
}

#[test]
fn a_window_keeps_its_identity_when_its_date_is_refined_or_its_source_changes() {
    let rules = defaults();
    let previous = event("parlgov", "e-1", "KE", EventKind::Legislative, "2022-08-09");
    let id_with = |upcoming: FactEvent| {
        let eval = evaluate(
            &rules,
            &facts(vec![previous.clone(), upcoming], vec![]),
            d("2027-01-01"),
        );
        eval.windows
            .iter()
            .find(|w| w.rule == "pre-election" && w.closes > d("2023-01-01"))
            .unwrap()
            .id
            .clone()
    };
    let mut predicted = event(
        "vigie-predictions",
        "predicted-legislative-KE-after-2022-08-09",
        "KE",
        EventKind::Legislative,
        "~2027-06-09..2027-10-09",
    );
    predicted.predicted = true;
    let year = id_with(event("curated", "ke-2027", "KE", EventKind::Legislative, "2027"));
    assert_eq!(
        id_with(event(
            "curated",
            "ke-2027",
            "KE",
            EventKind::Legislative,
            "2027-08"
        )),
        year
    );
    assert_eq!(
        id_with(event(
            "curated",
            "ke-2027",
            "KE",
            EventKind::Legislative,
            "2027-08-10"
        )),
        year
    );
    assert_eq!(
        id_with(event(
            "iebc",
            "general-2027",
            "KE",
            EventKind::Legislative,
            "2027-08-10"
        )),
        year
    );
    assert_eq!(id_with(predicted), year);
}

#[test]
fn two_feeds_describing_one_election_give_one_window_from_the_most_precise() {
    let f = facts(
        vec![
            event("curated", "nl-2021", "NL", EventKind::Legislative, "2021-03"),
            event(
                "parlgov",
                "election-2",
                "NL",
                EventKind::Legislative,
                "2021-03-17",
            ),
        ],
        vec![],
    );
    let eval = evaluate(&defaults(), &f, d("2021-01-01"));
    let pre: Vec<_> = eval.windows.iter().filter(|w| w.rule == "pre-election").collect();
    assert_eq!(pre.len(), 1);
    assert_eq!(pre[0].closes, d("2021-03-17"));
    assert_eq!(pre[0].events.len(), 2, "both descriptions are reasons");
}

#[test]
fn cancelled_and_postponed_elections_give_cancelled_and_moved_windows() {
    let mut cancelled = event("c", "a", "KE", EventKind::Presidential, "2027-08-10");
    cancelled.event.status = EventStatus::Cancelled;
    let mut postponed = event("c", "b", "NL", EventKind::Presidential, "2027-09-10");
    postponed.event.status = EventStatus::Postponed;
    let eval = evaluate(
        &defaults(),
        &facts(vec![cancelled, postponed], vec![]),
        d("2027-05-01"),
    );
    let state = |j: &str| {
        eval.windows
            .iter()
            .find(|w| w.jurisdiction.as_str() == j && w.rule == "pre-election")
            .unwrap()
            .state
    };
    assert_eq!(state("KE"), WindowState::Cancelled);
    assert_eq!(state("NL"), WindowState::Moved);
}

#[test]
fn member_rules_follow_the_action_plan_and_raise_priority_when_under_review() {
    let eval = evaluate(
        &defaults(),
        &facts(
            vec![],
            vec![member("NL", MemberStatus::UnderReview, Some("2026-12"))],
        ),
        d("2026-10-01"),
    );
    let ending = eval
        .windows
        .iter()
        .find(|w| w.rule == "action-plan-ending")
        .unwrap();
    assert_eq!((ending.opens, ending.closes), (d("2026-06-30"), d("2026-12-31")));
    assert_eq!(ending.state, WindowState::Open);
    assert_eq!(ending.priority.as_str(), "high");
    let overdue = eval
        .windows
        .iter()
        .find(|w| w.rule == "action-plan-overdue")
        .unwrap();
    assert_eq!(
        (overdue.opens, overdue.closes),
        (d("2027-01-01"), d("2027-12-31"))
    );
    assert_eq!(overdue.priority.as_str(), "urgent");
    let status = eval.windows.iter().find(|w| w.rule == "member-status").unwrap();
    assert_eq!(status.opens, d("2024-05-01"));
    assert_eq!(status.state, WindowState::Closed);
}

#[test]
fn an_unknown_government_keeps_the_transition_window_open_for_a_while() {
    let f = facts(
        vec![event("p", "e", "NL", EventKind::Legislative, "2025-10-29")],
        vec![],
    );
    let rules = defaults();
    let on = |day: &str| {
        let eval = evaluate(&rules, &f, d(day));
        eval.windows
            .into_iter()
            .find(|w| w.rule == "government-transition")
            .unwrap()
    };
    assert_eq!(
        on("2025-11-01").closes,
        d("2026-01-30"),
        "election + 86 days (p90) + 7"
    );
    assert!(
        on("2026-05-01").state.is_open(),
        "still no government: the window waits"
    );
    assert_eq!(on("2030-01-01").state, WindowState::Closed, "but not for ever");
}

fn arbitrary_events() -> impl Strategy<Value = Vec<FactEvent>> {
    let one = (0usize..2, 0usize..4, 0i64..3000, 0u8..3).prop_map(|(j, k, offset, form)| {
        let jurisdiction = ["NL", "KE"][j];
        let kind = [
            EventKind::Legislative,
            EventKind::Presidential,
            EventKind::Cabinet,
            EventKind::Inauguration,
        ][k];
        let day = d("2015-01-01") + chrono::Duration::days(offset);
        let date = match form {
            0 => day.format("%Y-%m-%d").to_string(),
            1 => day.format("%Y-%m").to_string(),
            _ => day.format("%Y").to_string(),
        };
        event(
            "feed",
            &format!("{jurisdiction}-{kind}-{offset}-{form}"),
            jurisdiction,
            kind,
            &date,
        )
    });
    proptest::collection::vec(one, 0..25).prop_map(|mut v| {
        v.sort_by(|a, b| a.key.cmp(&b.key));
        v.dedup_by(|a, b| a.key == b.key);
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn evaluation_is_deterministic_and_every_window_has_a_reason(events in arbitrary_events(), day in 0i64..4000) {
        let rules = defaults();
        let today = d("2014-01-01") + chrono::Duration::days(day);
        let mut reversed = events.clone();
        reversed.reverse();
        let a = evaluate(&rules, &facts(events, vec![member("NL", MemberStatus::Active, Some("2020-06"))]), today);
        let b = evaluate(&rules, &facts(reversed, vec![member("NL", MemberStatus::Active, Some("2020-06"))]), today);
        prop_assert_eq!(&a, &b);
        for w in &a.windows {
            prop_assert!(!w.reasons.is_empty() && w.reasons[0].contains(&w.rule));
            prop_assert!(w.opens <= w.closing_from && w.closing_from <= w.closes);
            prop_assert!(rules.get(&w.rule).is_some());
        }
    }

    #[test]
    fn refining_a_date_keeps_the_window_identity(offset in 0i64..2000) {
        let rules = defaults();
        let day = d("2016-01-01") + chrono::Duration::days(offset);
        let previous = event("p", "prev", "NL", EventKind::Legislative, "2015-01-10");
        let ids = |date: String| {
            let eval = evaluate(&rules, &facts(vec![previous.clone(), event("c", "next", "NL", EventKind::Legislative, &date)], vec![]), d("2014-01-01"));
            let mut ids: Vec<_> = eval.windows.iter().filter(|w| w.opens > d("2015-06-01")).map(|w| (w.rule.clone(), w.id.clone())).collect();
            ids.sort();
            ids
        };
        let year = ids(day.format("%Y").to_string());
        prop_assert_eq!(&ids(day.format("%Y-%m").to_string()), &year);
        prop_assert_eq!(&ids(day.format("%Y-%m-%d").to_string()), &year);
    }
}

#[test]
fn changing_one_event_in_place_gives_what_a_full_evaluation_gives() {
    let rules = defaults();
    let today = d("2021-06-01");
    let events = vec![
        event(
            "parlgov",
            "election-1",
            "NL",
            EventKind::Legislative,
            "2017-03-15",
        ),
        event(
            "parlgov",
            "election-2",
            "NL",
            EventKind::Legislative,
            "2021-03-17",
        ),
        event("parlgov", "cabinet-9", "NL", EventKind::Cabinet, "2022-01-10"),
        event("curated", "ke-2027", "KE", EventKind::Legislative, "2027-08"),
    ];
    let mut incremental = facts(events.clone(), vec![]);
    let mut moved = event("parlgov", "cabinet-9", "NL", EventKind::Cabinet, "2021-12-01");
    moved.event.title = "Rutte IV, earlier".into();
    let touched = incremental.upsert_event(moved.clone());
    assert_eq!(
        touched,
        vec![code("NL")],
        "a cabinet touches its country's jurisdictions only"
    );
    assert_eq!(incremental.events().len(), 4, "the event was replaced, not added");

    let mut replaced = events;
    replaced[2] = moved;
    let full = evaluate(&rules, &facts(replaced, vec![]), today);
    let partial = vigie_rules::window::evaluate_jurisdiction(&rules, &incremental, &code("NL"), today);
    let nl: Vec<_> = full
        .windows
        .iter()
        .filter(|w| w.jurisdiction == code("NL"))
        .cloned()
        .collect();
    assert_eq!(partial.windows, nl);
    assert!(
        nl.iter()
            .any(|w| w.rule == "government-transition" && w.closes == d("2021-12-08"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_rule_file_text_loads_or_is_refused_without_panicking(text in "\\PC{0,300}") {
        let _ = load_rules(&[("any.toml".to_owned(), text)]);
    }

    #[test]
    fn mutated_default_rules_load_or_are_refused_without_panicking(cut in 0usize..4000, insert in "\\PC{0,8}") {
        let (name, text) = DEFAULT_RULES[0];
        let mut chars: Vec<char> = text.chars().collect();
        let at = cut.min(chars.len());
        chars.splice(at..at, insert.chars());
        let _ = load_rules(&[(name.to_owned(), chars.into_iter().collect())]);
    }
}

#[test]
fn a_rule_failing_on_one_record_reports_it_and_goes_on_with_the_others() {
    let text = r#"[[rule]]
id = "members-only"
description = "forgets that non-members have no member"
subject = "events"
kinds = ["legislative"]
when = 'member.status == "active"'
opens = "start - 30d"
closes = "end"
"#;
    let rules = load_rules(&[("careless.toml".to_owned(), text.to_owned())]).unwrap();
    let f = facts(
        vec![
            event("c", "nl", "NL", EventKind::Legislative, "2027-03-17"),
            event("c", "ke", "KE", EventKind::Legislative, "2027-08-10"),
        ],
        vec![member("NL", MemberStatus::Active, None)],
    );
    let eval = evaluate(&rules, &f, d("2027-01-01"));
    assert_eq!(eval.windows.len(), 1, "the member's window is there");
    assert_eq!(eval.windows[0].jurisdiction, code("NL"));
    assert_eq!(eval.errors.len(), 1, "{:?}", eval.errors);
    assert_eq!(eval.errors[0].rule, "members-only");
    assert_eq!(eval.errors[0].record, "c:ke");
    assert!(
        eval.errors[0].message.contains("`member` is null"),
        "{}",
        eval.errors[0].message
    );
}
