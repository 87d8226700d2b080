use std::collections::BTreeMap;
use std::time::Instant;

use vigie_rules::rule::Priority;
use vigie_rules::window::{Window, WindowId, WindowState};
use vigie_rules::{EventKey, EventKind, Region};
use vigie_storage::{StorageError, StoredWindow, SyncCounts, WindowFilter, WindowScope};

use crate::support::{TestDb, at, code, day};

/// A window as the rules would derive it, opening on `opens` and closing 60 days later.
fn window(rule: &str, jurisdiction: &str, region: Region, opens: &str) -> Window {
    let opens = day(opens);
    let jurisdiction = code(jurisdiction);
    let labels = std::sync::Arc::new(BTreeMap::from([(
        "theme".to_owned(),
        "political-transition".to_owned(),
    )]));
    Window {
        id: WindowId::new(rule, &format!("{jurisdiction} after the election of 2021")),
        rule: rule.to_owned(),
        title: format!("{jurisdiction} {rule}"),
        region,
        opens,
        closing_from: opens + chrono::Days::new(50),
        closes: opens + chrono::Days::new(60),
        estimated: false,
        priority: Priority::Normal,
        kind: Some(EventKind::Legislative),
        labels,
        reasons: vec![format!("rule {rule}: opens 90 days before the election")],
        events: vec![EventKey {
            feed: "ifes".to_owned(),
            uid: format!("{jurisdiction}-2027"),
        }],
        state: WindowState::Upcoming,
        jurisdiction,
    }
}

fn sample() -> Vec<Window> {
    vec![
        window("pre-election", "KE", Region::AfricaMiddleEast, "2027-05-12"),
        window("pre-election", "NL", Region::Europe, "2025-07-31"),
        window("local-election", "KE-30", Region::AfricaMiddleEast, "2027-05-12"),
        window("plan-cocreation", "ES-madrid", Region::Europe, "2026-01-15"),
    ]
}

fn ids(windows: &[StoredWindow]) -> Vec<&str> {
    windows.iter().map(|w| w.window.id.as_str()).collect()
}

fn ids_of<'a>(windows: impl IntoIterator<Item = &'a Window>) -> Vec<&'a str> {
    windows.into_iter().map(|w| w.id.as_str()).collect()
}

pub async fn a_first_sync_adds_every_window(db: TestDb) {
    let now = at("2025-01-01T06:00:00Z");
    let all = sample();
    let counts = db.store.sync_windows(&all, WindowScope::All, now).await.unwrap();
    assert_eq!(
        counts,
        SyncCounts {
            added: 4,
            ..SyncCounts::default()
        }
    );
    let stored = db.store.windows(&WindowFilter::default()).await.unwrap();
    assert_eq!(ids(&stored), ids_of([&all[1], &all[3], &all[0], &all[2]]));

    let ke = db.store.window(&all[0].id).await.unwrap().unwrap();
    assert_eq!(ke.window, all[0]);
    assert_eq!((ke.first_seen, ke.updated_at, ke.gone_at), (now, now, None));
    let history = db.store.window_history(&all[0].id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].at,
            history[0].before.as_ref(),
            history[0].after.as_ref()
        ),
        (now, None, Some(&all[0]))
    );
}

pub async fn a_resync_of_the_same_windows_changes_nothing(db: TestDb) {
    db.store
        .sync_windows(&sample(), WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut reordered = sample();
    reordered.reverse();
    let counts = db
        .store
        .sync_windows(&reordered, WindowScope::All, at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
    assert_eq!(counts.unchanged, 4);
    for stored in db.store.windows(&WindowFilter::default()).await.unwrap() {
        assert_eq!(
            stored.updated_at,
            at("2025-01-01T06:00:00Z"),
            "{}",
            stored.window.id
        );
        assert_eq!(db.store.window_history(&stored.window.id).await.unwrap().len(), 1);
    }
}

pub async fn a_changed_state_keeps_the_window_before_and_after_in_its_history(db: TestDb) {
    let before = sample();
    db.store
        .sync_windows(&before, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut after = sample();
    after[1].state = WindowState::Open;
    let counts = db
        .store
        .sync_windows(&after, WindowScope::All, at("2025-08-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (counts.changed, counts.unchanged, counts.added, counts.removed),
        (1, 3, 0, 0)
    );

    let nl = db.store.window(&after[1].id).await.unwrap().unwrap();
    assert_eq!(nl.window, after[1]);
    assert_eq!(nl.first_seen, at("2025-01-01T06:00:00Z"));
    assert_eq!(nl.updated_at, at("2025-08-01T06:00:00Z"));
    let history = db.store.window_history(&after[1].id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].at, at("2025-08-01T06:00:00Z"));
    assert_eq!(history[1].before.as_ref(), Some(&before[1]));
    assert_eq!(history[1].after.as_ref(), Some(&after[1]));
    // The state filter follows the new state.
    let open = WindowFilter {
        states: vec![WindowState::Open, WindowState::Closing],
        ..WindowFilter::default()
    };
    assert_eq!(ids(&db.store.windows(&open).await.unwrap()), ids_of([&after[1]]));
}

pub async fn any_change_of_content_is_a_change(db: TestDb) {
    let all = sample();
    db.store
        .sync_windows(&all, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let edits: Vec<fn(&mut Window)> = vec![
        |w| w.opens = w.opens.pred_opt().unwrap(),
        |w| w.closing_from = w.closing_from.succ_opt().unwrap(),
        |w| w.closes = w.closes.succ_opt().unwrap(),
        |w| w.estimated = true,
        |w| w.priority = Priority::Urgent,
        |w| w.title = "Renamed".to_owned(),
        |w| w.reasons.push("the member is under review".to_owned()),
        |w| {
            std::sync::Arc::make_mut(&mut w.labels).insert("theme".to_owned(), "elections".to_owned());
        },
        |w| w.events.clear(),
    ];
    let mut current = all.clone();
    for (i, edit) in edits.iter().enumerate() {
        edit(&mut current[0]);
        let counts = db
            .store
            .sync_windows(&current, WindowScope::All, at("2025-02-01T06:00:00Z"))
            .await
            .unwrap();
        assert_eq!((counts.changed, counts.unchanged), (1, 3), "edit {i}");
    }
    let history = db.store.window_history(&all[0].id).await.unwrap();
    assert_eq!(history.len(), 1 + edits.len());
    assert_eq!(history.last().unwrap().after.as_ref(), Some(&current[0]));
}

pub async fn a_window_missing_from_a_full_evaluation_is_marked_gone_not_deleted(db: TestDb) {
    let all = sample();
    db.store
        .sync_windows(&all, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let counts = db
        .store
        .sync_windows(&all[1..], WindowScope::All, at("2025-02-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.removed, counts.unchanged), (1, 3), "{counts:?}");

    let gone = db
        .store
        .window(&all[0].id)
        .await
        .unwrap()
        .expect("kept, not deleted");
    assert_eq!(gone.gone_at, Some(at("2025-02-01T06:00:00Z")));
    assert_eq!(gone.window, all[0]);
    assert_eq!(
        ids(&db.store.windows(&WindowFilter::default()).await.unwrap()),
        ids_of([&all[1], &all[3], &all[2]])
    );
    let with_gone = WindowFilter {
        include_gone: true,
        ..WindowFilter::default()
    };
    assert_eq!(db.store.windows(&with_gone).await.unwrap().len(), 4);
    let history = db.store.window_history(&all[0].id).await.unwrap();
    assert_eq!(
        (history[1].before.as_ref(), history[1].after.as_ref()),
        (Some(&all[0]), None)
    );

    // Still missing: already gone, nothing more happens.
    let counts = db
        .store
        .sync_windows(&all[1..], WindowScope::All, at("2025-03-01T06:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
    assert_eq!(db.store.window_history(&all[0].id).await.unwrap().len(), 2);
    // An evaluation that derives nothing marks everything gone.
    let counts = db
        .store
        .sync_windows(&[], WindowScope::All, at("2025-04-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.removed, 3);
}

pub async fn a_gone_window_that_returns_is_restored_and_counted_as_changed(db: TestDb) {
    let all = sample();
    db.store
        .sync_windows(&all, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .sync_windows(&all[1..], WindowScope::All, at("2025-02-01T06:00:00Z"))
        .await
        .unwrap();
    let counts = db
        .store
        .sync_windows(&all, WindowScope::All, at("2025-03-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (counts.changed, counts.unchanged, counts.added),
        (1, 3, 0),
        "{counts:?}"
    );

    let back = db.store.window(&all[0].id).await.unwrap().unwrap();
    assert_eq!(back.gone_at, None);
    assert_eq!(back.first_seen, at("2025-01-01T06:00:00Z"));
    assert_eq!(back.updated_at, at("2025-03-01T06:00:00Z"));
    let steps: Vec<_> = db
        .store
        .window_history(&all[0].id)
        .await
        .unwrap()
        .iter()
        .map(|c| (c.at, c.before.is_some(), c.after.is_some()))
        .collect();
    assert_eq!(
        steps,
        [
            (at("2025-01-01T06:00:00Z"), false, true),
            (at("2025-02-01T06:00:00Z"), true, false),
            (at("2025-03-01T06:00:00Z"), true, true),
        ]
    );
    assert_eq!(db.store.windows(&WindowFilter::default()).await.unwrap().len(), 4);
}

pub async fn a_partial_sync_leaves_other_jurisdictions_windows_alone(db: TestDb) {
    let all = sample();
    db.store
        .sync_windows(&all, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    // Kenya re-evaluated: its national window changes, nothing else is derived.
    let mut kenya = all[0].clone();
    kenya.opens = day("2027-05-19");
    let counts = db
        .store
        .sync_windows(
            std::slice::from_ref(&kenya),
            WindowScope::Jurisdictions(&[code("KE")]),
            at("2025-02-01T06:00:00Z"),
        )
        .await
        .unwrap();
    // Nairobi (KE-30) is a jurisdiction of its own, not re-evaluated with Kenya.
    assert_eq!(
        counts,
        SyncCounts {
            changed: 1,
            ..SyncCounts::default()
        }
    );
    assert_eq!(db.store.windows(&WindowFilter::default()).await.unwrap().len(), 4);

    // The Netherlands re-evaluated with no window left: only its window goes.
    let counts = db
        .store
        .sync_windows(
            &[],
            WindowScope::Jurisdictions(&[code("NL"), code("FR")]),
            at("2025-03-01T06:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        counts,
        SyncCounts {
            removed: 1,
            ..SyncCounts::default()
        }
    );
    let nl = db.store.window(&all[1].id).await.unwrap().unwrap();
    assert_eq!(nl.gone_at, Some(at("2025-03-01T06:00:00Z")));
    let listed = db.store.windows(&WindowFilter::default()).await.unwrap();
    assert_eq!(ids(&listed), ids_of([&all[3], &all[2], &kenya]));
    assert!(listed.iter().all(|w| w.gone_at.is_none()));

    // Nairobi re-evaluated: Kenya's changed window is unchanged, and another derived window
    // outside the scope is stored without making anything else gone.
    let spain = window("pre-election", "ES", Region::Europe, "2027-02-20");
    let counts = db
        .store
        .sync_windows(
            &[all[2].clone(), spain.clone()],
            WindowScope::Jurisdictions(&[code("KE-30")]),
            at("2025-04-01T06:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        (counts.unchanged, counts.added, counts.removed),
        (1, 1, 0),
        "{counts:?}"
    );
    assert_eq!(db.store.window(&kenya.id).await.unwrap().unwrap().window, kenya);
}

pub async fn windows_are_filtered_by_country_region_state_and_rule(db: TestDb) {
    let mut windows = sample();
    windows.push(window(
        "pre-election",
        "KE-kisumu",
        Region::AfricaMiddleEast,
        "2027-05-12",
    ));
    windows.push(window("pre-election", "ES", Region::Europe, "2027-02-20"));
    windows[1].state = WindowState::Open;
    windows[3].state = WindowState::Closing;
    db.store
        .sync_windows(&windows, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let found = |filter: WindowFilter| {
        let store = db.store.clone();
        async move {
            ids(&store.windows(&filter).await.unwrap())
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    let of = |jurisdiction: &str| WindowFilter {
        jurisdiction: Some(code(jurisdiction)),
        ..WindowFilter::default()
    };
    // Same opening day: ordered by jurisdiction, then id.
    assert_eq!(
        found(of("KE")).await,
        ids_of([&windows[0], &windows[2], &windows[4]])
    );
    assert_eq!(found(of("KE-30")).await, ids_of([&windows[2]]));
    assert_eq!(found(of("ES")).await, ids_of([&windows[3], &windows[5]]));
    assert!(found(of("FR")).await.is_empty());

    let in_europe = WindowFilter {
        region: Some(Region::Europe),
        ..WindowFilter::default()
    };
    assert_eq!(
        found(in_europe).await,
        ids_of([&windows[1], &windows[3], &windows[5]])
    );
    let upcoming = WindowFilter {
        states: vec![WindowState::Upcoming],
        ..WindowFilter::default()
    };
    assert_eq!(
        found(upcoming).await,
        ids_of([&windows[5], &windows[0], &windows[2], &windows[4]])
    );
    let open_in_spain = WindowFilter {
        states: vec![WindowState::Open, WindowState::Closing],
        ..of("ES")
    };
    assert_eq!(found(open_in_spain).await, ids_of([&windows[3]]));
    let by_rule = WindowFilter {
        rule: Some("pre-election".to_owned()),
        region: Some(Region::AfricaMiddleEast),
        ..WindowFilter::default()
    };
    assert_eq!(found(by_rule).await, ids_of([&windows[0], &windows[4]]));
    let no_rule = WindowFilter {
        rule: Some("nothing".to_owned()),
        ..WindowFilter::default()
    };
    assert!(found(no_rule).await.is_empty());
}

pub async fn duplicate_window_ids_write_nothing(db: TestDb) {
    db.store
        .sync_windows(&sample(), WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut batch = sample();
    batch[2].title = "changed".to_owned();
    let new = window("pre-election", "FR", Region::Europe, "2027-01-10");
    batch.push(new.clone());
    let mut twice = sample()[1].clone();
    twice.state = WindowState::Open;
    batch.push(twice.clone());
    let err = db
        .store
        .sync_windows(&batch[1..], WindowScope::All, at("2025-02-01T06:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::DuplicateWindow { .. }), "{err:?}");
    assert!(err.to_string().contains(twice.id.as_str()), "{err}");

    let stored = db.store.windows(&WindowFilter::default()).await.unwrap();
    assert_eq!(stored.len(), 4);
    assert!(stored.iter().all(|s| s.updated_at == at("2025-01-01T06:00:00Z")));
    assert_eq!(db.store.window(&new.id).await.unwrap(), None);
}

pub async fn window_dates_and_labels_round_trip(db: TestDb) {
    let mut rich = window("ogp-plan-end", "KE", Region::AfricaMiddleEast, "2028-02-29");
    rich.closing_from = day("2028-12-01");
    rich.closes = day("2028-12-31");
    rich.estimated = true;
    rich.priority = Priority::High;
    rich.title = "Fin du plan d’action « Kenya » — 選挙".to_owned();
    std::sync::Arc::make_mut(&mut rich.labels).insert("theme".to_owned(), "plan d’action".to_owned());
    std::sync::Arc::make_mut(&mut rich.labels).insert("empty".to_owned(), String::new());
    rich.reasons
        .push("raised: \"caretaker\" government\nsince 2027".to_owned());
    rich.events.push(EventKey {
        feed: "parlgov".to_owned(),
        uid: "election-1234".to_owned(),
    });
    rich.state = WindowState::Moved;
    let mut windows = sample();
    windows.push(rich.clone());
    windows[2].state = WindowState::Cancelled;
    db.store
        .sync_windows(&windows, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    for w in &windows {
        let stored = db.store.window(&w.id).await.unwrap().unwrap();
        assert_eq!(&stored.window, w);
    }
    let counts = db
        .store
        .sync_windows(&windows, WindowScope::All, at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
}

pub async fn an_unknown_window_has_no_record_and_no_history(db: TestDb) {
    db.store
        .sync_windows(&sample(), WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let unknown = WindowId::parse("w-000000000000").unwrap();
    assert_eq!(db.store.window(&unknown).await.unwrap(), None);
    assert!(db.store.window_history(&unknown).await.unwrap().is_empty());
}

/// The size of a full evaluation: every window added in one sync, a re-sync that finds them all
/// unchanged (and says how long it took), then a few changes and windows gone.
pub async fn a_full_evaluation_is_stored_and_resynced_in_one_pass(db: TestDb) {
    let codes = [
        ("KE", Region::AfricaMiddleEast),
        ("NL", Region::Europe),
        ("ES-madrid", Region::Europe),
        ("KE-30", Region::AfricaMiddleEast),
        ("US-austin-tx", Region::Americas),
        ("PH", Region::AsiaPacific),
    ];
    let mut windows: Vec<Window> = (0..5_000)
        .map(|i| {
            let (jurisdiction, region) = codes[i % codes.len()];
            let mut w = window(
                &format!("rule-{:02}", i % 40),
                jurisdiction,
                region,
                &format!("{}-{:02}-{:02}", 2025 + i / 1_000, 1 + (i / 28) % 12, 1 + i % 28),
            );
            w.id = WindowId::new(&w.rule, &format!("{jurisdiction} occurrence {i}"));
            w
        })
        .collect();
    let counts = db
        .store
        .sync_windows(&windows, WindowScope::All, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.added, 5_000);

    let started = Instant::now();
    let counts = db
        .store
        .sync_windows(&windows, WindowScope::All, at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    eprintln!(
        "{:?}: 5,000 unchanged windows resynced in {:?}",
        db.store.backend(),
        started.elapsed()
    );
    assert_eq!(counts.unchanged, 5_000);

    windows[10].state = WindowState::Open;
    windows[20].priority = Priority::Urgent;
    windows.truncate(4_950);
    let counts = db
        .store
        .sync_windows(&windows, WindowScope::All, at("2025-01-03T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.changed, counts.removed, counts.unchanged), (2, 50, 4_948));
    let of_kenya = WindowFilter {
        jurisdiction: Some(code("KE")),
        ..WindowFilter::default()
    };
    assert_eq!(db.store.windows(&of_kenya).await.unwrap().len(), 825 + 825);
}
