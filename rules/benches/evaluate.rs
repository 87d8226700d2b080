//! The default rules over 100,000 generated events in 200 jurisdictions, and the re-evaluation
//! after one changed event. Targets: under 200 ms for the whole, under 5 ms for the change, on
//! one core. Run with `cargo bench -p vigie-rules --bench evaluate`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use vigie_rules::rule::{DEFAULT_RULES, RuleSet, load_rules};
use vigie_rules::window::{FactEvent, Facts, evaluate, evaluate_jurisdiction};
use vigie_rules::{
    ActionPlan, CalendarEvent, EventDate, EventKey, EventKind, EventStatus, Jurisdiction, JurisdictionCode,
    JurisdictionLevel, Member, MemberStatus, Region,
};

/// mimalloc: the fastest allocator tried for evaluation (the `vigie` binary itself uses the
/// system allocator, for memory; see ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const JURISDICTIONS: usize = 200;
const EVENTS: usize = 100_000;

fn rules() -> RuleSet {
    let files: Vec<(String, String)> = DEFAULT_RULES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    load_rules(&files).expect("the default rules load")
}

/// Two-letter codes AA, AB, … as 200 distinct jurisdictions.
fn code(i: usize) -> JurisdictionCode {
    let a = (b'A' + (i / 26) as u8) as char;
    let b = (b'A' + (i % 26) as u8) as char;
    JurisdictionCode::parse(&format!("{a}{b}")).expect("a code")
}

/// A deterministic mix: elections of every kind at several precisions, cabinets, inaugurations
/// and other events, spread over 1990–2035; every other jurisdiction is an OGP member.
fn facts() -> Facts {
    let kinds = [
        EventKind::Legislative,
        EventKind::Presidential,
        EventKind::Local,
        EventKind::Regional,
        EventKind::Cabinet,
        EventKind::Inauguration,
        EventKind::Referendum,
        EventKind::Other,
    ];
    let start = NaiveDate::from_ymd_opt(1990, 1, 1).expect("a day");
    let mut events = Vec::with_capacity(EVENTS);
    for i in 0..EVENTS {
        let j = i % JURISDICTIONS;
        let kind = kinds[(i / JURISDICTIONS) % kinds.len()];
        let day = start + Days::new(((i * 7919) % (45 * 365)) as u64);
        let date = match i % 5 {
            0 => EventDate::month(
                day.format("%Y").to_string().parse().expect("year"),
                1 + (i % 12) as u32,
            )
            .expect("a month"),
            1 => EventDate::year(day.format("%Y").to_string().parse().expect("year")).expect("a year"),
            _ => EventDate::day(day),
        };
        let uid = format!("e{i}");
        events.push(FactEvent {
            key: EventKey {
                feed: "bench".into(),
                uid: uid.clone(),
            },
            event: CalendarEvent {
                uid,
                jurisdiction: code(j),
                kind,
                title: format!("{kind} {i}"),
                date,
                status: EventStatus::Scheduled,
                caretaker: i % 11 == 0,
                source: None,
                notes: None,
                attributes: BTreeMap::new(),
            },
            predicted: false,
        });
    }
    let jurisdictions = (0..JURISDICTIONS)
        .map(|j| Jurisdiction {
            code: code(j),
            name: format!("Country {j}"),
            level: JurisdictionLevel::National,
            region: Region::ALL[j % 4],
        })
        .collect();
    let members = (0..JURISDICTIONS)
        .step_by(2)
        .map(|j| Member {
            code: code(j),
            name: format!("Country {j}"),
            level: JurisdictionLevel::National,
            region: Region::ALL[j % 4],
            status: if j % 10 == 0 {
                MemberStatus::UnderReview
            } else {
                MemberStatus::Active
            },
            status_since: Some(EventDate::day(
                NaiveDate::from_ymd_opt(2024, 3, 1).expect("a day"),
            )),
            joined: Some(2012),
            action_plan: ActionPlan {
                number: Some(5),
                cohort: Some(2024),
                start: "2024-01".parse().ok(),
                end: "2027-12".parse().ok(),
            },
            notes: None,
        })
        .collect();
    Facts::new(events, members, jurisdictions, |_| 86)
}

fn bench(c: &mut Criterion) {
    let rules = rules();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a day");
    let mut group = c.benchmark_group("default rules");
    group.sample_size(20).measurement_time(Duration::from_secs(15));

    let all = facts();
    let windows = evaluate(&rules, &all, today).windows.len();
    eprintln!("{EVENTS} events, {JURISDICTIONS} jurisdictions: {windows} windows");
    group.bench_function("evaluate 100,000 events in 200 jurisdictions", |b| {
        b.iter(|| black_box(evaluate(&rules, &all, today)))
    });

    group.bench_function("re-evaluate after one changed event", |b| {
        b.iter_batched_ref(
            facts,
            |facts| {
                let mut changed = facts.events()[4242].clone();
                changed.event.date = EventDate::day(NaiveDate::from_ymd_opt(2027, 3, 14).expect("a day"));
                let touched = facts.upsert_event(changed);
                for j in &touched {
                    black_box(evaluate_jurisdiction(&rules, facts, j, today));
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
