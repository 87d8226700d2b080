use vigie_rules::{CalendarEvent, EventKey, EventKind, EventStatus};
use vigie_storage::{EventFilter, StorageError, SyncCounts};

use crate::support::{TestDb, at, code, date, day, election, event};

const FEED: &str = "ifes";

fn key(feed: &str, uid: &str) -> EventKey {
    EventKey {
        feed: feed.to_owned(),
        uid: uid.to_owned(),
    }
}

fn uids(events: &[vigie_storage::StoredEvent]) -> Vec<&str> {
    events.iter().map(|e| e.key.uid.as_str()).collect()
}

fn sample() -> Vec<CalendarEvent> {
    vec![
        election("ke-2027", "KE", "2027-08-10"),
        election("nl-2025", "NL", "2025-10-29"),
        event("nairobi-2027", "KE-30", "2027-08", EventKind::Local),
    ]
}

pub async fn a_first_sync_adds_every_event(db: TestDb) {
    let now = at("2025-01-01T06:00:00Z");
    let counts = db.store.sync_events(FEED, &sample(), now).await.unwrap();
    assert_eq!(
        counts,
        SyncCounts {
            added: 3,
            ..SyncCounts::default()
        }
    );
    assert_eq!(counts.to_string(), "3 added, 0 changed, 0 removed");
    let stored = db.store.events(&EventFilter::default()).await.unwrap();
    assert_eq!(uids(&stored), ["nl-2025", "nairobi-2027", "ke-2027"]);
    let ke = db.store.event(&key(FEED, "ke-2027")).await.unwrap().unwrap();
    assert_eq!(ke.event, sample()[0]);
    assert_eq!((ke.first_seen, ke.updated_at, ke.removed_at), (now, now, None));
    assert!(
        db.store
            .revisions(&key(FEED, "ke-2027"))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_resync_with_the_same_events_changes_nothing(db: TestDb) {
    db.store
        .sync_events(FEED, &sample(), at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut reordered = sample();
    reordered.reverse();
    let counts = db
        .store
        .sync_events(FEED, &reordered, at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
    assert_eq!(counts.unchanged, 3);
    for stored in db.store.events(&EventFilter::default()).await.unwrap() {
        assert_eq!(
            stored.updated_at,
            at("2025-01-01T06:00:00Z"),
            "{}",
            stored.key.uid
        );
        assert!(db.store.revisions(&stored.key).await.unwrap().is_empty());
    }
}

pub async fn changing_one_event_keeps_its_revision_with_before_and_after(db: TestDb) {
    let before = sample();
    db.store
        .sync_events(FEED, &before, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut after = sample();
    after[0].date = date("2027-08-17");
    after[0].status = EventStatus::Postponed;
    let counts = db
        .store
        .sync_events(FEED, &after, at("2025-02-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (counts.changed, counts.unchanged, counts.added, counts.removed),
        (1, 2, 0, 0)
    );

    let stored = db.store.event(&key(FEED, "ke-2027")).await.unwrap().unwrap();
    assert_eq!(stored.event, after[0]);
    assert_eq!(stored.first_seen, at("2025-01-01T06:00:00Z"));
    assert_eq!(stored.updated_at, at("2025-02-01T06:00:00Z"));
    let revisions = db.store.revisions(&key(FEED, "ke-2027")).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].at, at("2025-02-01T06:00:00Z"));
    assert_eq!(revisions[0].before.as_ref(), Some(&before[0]));
    assert_eq!(revisions[0].after.as_ref(), Some(&after[0]));
    // The filters follow the new date.
    let filter = EventFilter {
        from: Some(day("2027-08-15")),
        ..EventFilter::default()
    };
    assert_eq!(
        uids(&db.store.events(&filter).await.unwrap()),
        ["nairobi-2027", "ke-2027"]
    );
}

pub async fn an_event_missing_from_its_feed_is_marked_removed_not_deleted(db: TestDb) {
    let all = sample();
    db.store
        .sync_events(FEED, &all, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let counts = db
        .store
        .sync_events(FEED, &all[1..], at("2025-02-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.removed, counts.unchanged), (1, 2), "{counts:?}");

    let gone = db
        .store
        .event(&key(FEED, "ke-2027"))
        .await
        .unwrap()
        .expect("kept, not deleted");
    assert_eq!(gone.removed_at, Some(at("2025-02-01T06:00:00Z")));
    assert_eq!(gone.event, all[0]);
    assert_eq!(
        uids(&db.store.events(&EventFilter::default()).await.unwrap()),
        ["nl-2025", "nairobi-2027"]
    );
    let with_removed = EventFilter {
        include_removed: true,
        ..EventFilter::default()
    };
    assert_eq!(
        uids(&db.store.events(&with_removed).await.unwrap()),
        ["nl-2025", "nairobi-2027", "ke-2027"]
    );
    let revisions = db.store.revisions(&key(FEED, "ke-2027")).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(
        (revisions[0].before.as_ref(), revisions[0].after.as_ref()),
        (Some(&all[0]), None)
    );

    // Still missing: already removed, nothing more happens.
    let counts = db
        .store
        .sync_events(FEED, &all[1..], at("2025-03-01T06:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
    assert_eq!(db.store.revisions(&key(FEED, "ke-2027")).await.unwrap().len(), 1);
    // An empty feed removes everything it had.
    let counts = db
        .store
        .sync_events(FEED, &[], at("2025-04-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.removed, 2);
}

pub async fn a_removed_event_that_reappears_is_restored_and_counted_as_changed(db: TestDb) {
    let all = sample();
    db.store
        .sync_events(FEED, &all, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .sync_events(FEED, &all[1..], at("2025-02-01T06:00:00Z"))
        .await
        .unwrap();
    let counts = db
        .store
        .sync_events(FEED, &all, at("2025-03-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (counts.changed, counts.unchanged, counts.added),
        (1, 2, 0),
        "{counts:?}"
    );

    let back = db.store.event(&key(FEED, "ke-2027")).await.unwrap().unwrap();
    assert_eq!(back.removed_at, None);
    assert_eq!(back.first_seen, at("2025-01-01T06:00:00Z"));
    assert_eq!(back.updated_at, at("2025-03-01T06:00:00Z"));
    let revisions = db.store.revisions(&key(FEED, "ke-2027")).await.unwrap();
    let steps: Vec<_> = revisions
        .iter()
        .map(|r| (r.at, r.before.is_some(), r.after.is_some()))
        .collect();
    assert_eq!(
        steps,
        [
            (at("2025-02-01T06:00:00Z"), true, false),
            (at("2025-03-01T06:00:00Z"), true, true)
        ]
    );
    assert_eq!(db.store.events(&EventFilter::default()).await.unwrap().len(), 3);
}

pub async fn duplicate_uids_in_one_batch_write_nothing(db: TestDb) {
    db.store
        .sync_events(FEED, &sample(), at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut batch = sample();
    batch[2].title = "changed".to_owned();
    batch.push(election("new-one", "FR", "2027-04"));
    batch.push(election("nl-2025", "NL", "2025-11-01"));
    let err = db
        .store
        .sync_events(FEED, &batch, at("2025-02-01T06:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::DuplicateUid { .. }), "{err:?}");
    assert!(err.to_string().contains("\"nl-2025\""), "{err}");

    let stored = db.store.events(&EventFilter::default()).await.unwrap();
    assert_eq!(
        stored.iter().map(|s| s.event.clone()).collect::<Vec<_>>().len(),
        3
    );
    assert!(stored.iter().all(|s| s.updated_at == at("2025-01-01T06:00:00Z")));
    assert_eq!(db.store.event(&key(FEED, "new-one")).await.unwrap(), None);
}

pub async fn each_feed_keeps_its_own_events(db: TestDb) {
    db.store
        .sync_events("ifes", &sample(), at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let mut other = sample();
    other[0].title = "General election (other source)".to_owned();
    db.store
        .sync_events("wikipedia", &other, at("2025-01-01T07:00:00Z"))
        .await
        .unwrap();
    assert_eq!(db.store.events(&EventFilter::default()).await.unwrap().len(), 6);

    let counts = db
        .store
        .sync_events("wikipedia", &[], at("2025-02-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.removed, 3);
    let listed = db.store.events(&EventFilter::default()).await.unwrap();
    assert!(listed.iter().all(|e| e.key.feed == "ifes"), "{listed:?}");
    assert_eq!(
        db.store
            .event(&key("ifes", "ke-2027"))
            .await
            .unwrap()
            .unwrap()
            .event,
        sample()[0]
    );
}

pub async fn country_filter_includes_local_members(db: TestDb) {
    let events = vec![
        election("ke", "KE", "2027-08-10"),
        event("nairobi", "KE-30", "2027-08-10", EventKind::Local),
        event("kisumu", "KE-kisumu", "2027-08-10", EventKind::Local),
        election("ng", "NG", "2027-02-20"),
        event("madrid", "ES-madrid", "2027-05-23", EventKind::Local),
    ];
    db.store
        .sync_events(FEED, &events, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let of = |jurisdiction: &str| EventFilter {
        jurisdiction: Some(code(jurisdiction)),
        ..EventFilter::default()
    };
    assert_eq!(
        uids(&db.store.events(&of("KE")).await.unwrap()),
        ["ke", "nairobi", "kisumu"]
    );
    assert_eq!(uids(&db.store.events(&of("KE-30")).await.unwrap()), ["nairobi"]);
    assert_eq!(uids(&db.store.events(&of("ES")).await.unwrap()), ["madrid"]);
    assert!(db.store.events(&of("FR")).await.unwrap().is_empty());
}

pub async fn date_filter_keeps_events_whose_interval_overlaps(db: TestDb) {
    let events = vec![
        election("day", "KE", "2027-08-10"),
        election("month", "NL", "2027-03"),
        election("year", "FR", "2027"),
        election("span", "BE", "2027-05-30..2027-06-02"),
        election("estimate", "DE", "~2029-08-01..2029-10-31"),
    ];
    db.store
        .sync_events(FEED, &events, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let between = |from: Option<&str>, to: Option<&str>| EventFilter {
        from: from.map(day),
        to: to.map(day),
        ..EventFilter::default()
    };
    let found = |filter| {
        let store = db.store.clone();
        async move {
            store
                .events(&filter)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.key.uid)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found(between(Some("2027-03-31"), Some("2027-03-31"))).await,
        ["year", "month"]
    );
    assert_eq!(
        found(between(Some("2027-06-01"), Some("2027-06-30"))).await,
        ["year", "span"]
    );
    assert_eq!(
        found(between(Some("2027-04-01"), Some("2027-05-30"))).await,
        ["year", "span"]
    );
    assert_eq!(found(between(Some("2028-01-01"), None)).await, ["estimate"]);
    assert_eq!(
        found(between(None, Some("2026-12-31"))).await,
        Vec::<String>::new()
    );
    assert_eq!(found(between(None, Some("2027-01-01"))).await, ["year"]);
}

pub async fn kind_and_feed_filters_narrow_the_list(db: TestDb) {
    db.store
        .sync_events("ifes", &sample(), at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .sync_events(
            "ogp",
            &[event("ke-plan", "KE", "2027-08-31", EventKind::OgpDeadline)],
            at("2025-01-01T06:00:00Z"),
        )
        .await
        .unwrap();
    let kinds = |kinds: Vec<EventKind>| EventFilter {
        kinds,
        ..EventFilter::default()
    };
    assert_eq!(
        uids(&db.store.events(&kinds(vec![EventKind::Local])).await.unwrap()),
        ["nairobi-2027"]
    );
    assert_eq!(
        uids(
            &db.store
                .events(&kinds(vec![EventKind::OgpDeadline, EventKind::Legislative]))
                .await
                .unwrap()
        ),
        ["nl-2025", "ke-2027", "ke-plan"]
    );
    assert!(
        db.store
            .events(&kinds(vec![EventKind::Referendum]))
            .await
            .unwrap()
            .is_empty()
    );
    let ogp = EventFilter {
        feed: Some("ogp".to_owned()),
        jurisdiction: Some(code("KE")),
        ..EventFilter::default()
    };
    assert_eq!(uids(&db.store.events(&ogp).await.unwrap()), ["ke-plan"]);
}

pub async fn month_precision_dates_round_trip(db: TestDb) {
    let mut rich = election("rich", "KE", "2027-08");
    rich.caretaker = true;
    rich.source = Some("https://www.iebc.or.ke/".to_owned());
    rich.notes = Some("Date « à confirmer »; 選挙".to_owned());
    rich.attributes.insert("parlgov_id".to_owned(), "1234".to_owned());
    rich.attributes.insert("early".to_owned(), "true".to_owned());
    let events = vec![
        rich,
        election("month", "NL", "2028-02"),
        election("year", "FR", "2027"),
        election("months", "BE", "2027-03..2027-05"),
        election("estimate", "DE", "~2029-08-01..2029-10-31"),
        election("days", "IT", "2027-05-30..2027-05-31"),
    ];
    db.store
        .sync_events(FEED, &events, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    for e in &events {
        let stored = db.store.event(&key(FEED, &e.uid)).await.unwrap().unwrap();
        assert_eq!(&stored.event, e);
        assert_eq!(stored.event.date.to_string(), e.date.to_string());
    }
    let counts = db
        .store
        .sync_events(FEED, &events, at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
}

pub async fn events_are_ordered_by_date_then_jurisdiction_then_uid(db: TestDb) {
    let events = vec![
        election("b", "NL", "2027-03-17"),
        election("a", "NL", "2027-03-17"),
        election("c", "ES-madrid", "2027-03-17"),
        election("d", "ES-MD", "2027-03-17"),
        election("e", "ES", "2027-03"),
        election("f", "AT", "2027-03-18"),
    ];
    db.store
        .sync_events(FEED, &events, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        uids(&db.store.events(&EventFilter::default()).await.unwrap()),
        ["e", "d", "c", "a", "b", "f"]
    );
}

pub async fn an_unknown_event_has_no_record_and_no_revisions(db: TestDb) {
    db.store
        .sync_events(FEED, &sample(), at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(db.store.event(&key(FEED, "nope")).await.unwrap(), None);
    assert_eq!(db.store.event(&key("other", "ke-2027")).await.unwrap(), None);
    assert!(db.store.revisions(&key(FEED, "nope")).await.unwrap().is_empty());
}

/// The size of a full calendar: every event added in one sync, and a re-sync that finds them all
/// unchanged, with a few changes and removals.
pub async fn a_large_feed_is_ingested_and_resynced_in_one_pass(db: TestDb) {
    let codes = [
        "KE",
        "NL",
        "ES",
        "ES-madrid",
        "KE-30",
        "FR",
        "US-austin-tx",
        "BR",
        "ID",
        "PH",
    ];
    let mut events: Vec<CalendarEvent> = (0..2_700)
        .map(|i| {
            let day = 1 + i % 28;
            let month = 1 + (i / 28) % 12;
            let mut e = election(
                &format!("uid-{i:05}@example.org"),
                codes[i % codes.len()],
                &format!("{}-{month:02}-{day:02}", 2025 + i / 400),
            );
            e.attributes.insert("row".to_owned(), i.to_string());
            e
        })
        .collect();
    let counts = db
        .store
        .sync_events(FEED, &events, at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.added, 2_700);
    let counts = db
        .store
        .sync_events(FEED, &events, at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.unchanged, 2_700);

    events[10].status = EventStatus::Held;
    events[20].title = "Renamed".to_owned();
    events.truncate(2_650);
    let counts = db
        .store
        .sync_events(FEED, &events, at("2025-01-03T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.changed, counts.removed, counts.unchanged), (2, 50, 2_648));
    let of_kenya = EventFilter {
        jurisdiction: Some(code("KE")),
        ..EventFilter::default()
    };
    assert_eq!(db.store.events(&of_kenya).await.unwrap().len(), 265 + 265);
}
