use vigie_storage::{SyncCounts, Validators};

use crate::support::{TestDb, at};

fn counts(added: usize, changed: usize, removed: usize) -> SyncCounts {
    SyncCounts {
        added,
        changed,
        unchanged: 0,
        removed,
    }
}

fn validators(etag: &str) -> Validators {
    Validators {
        etag: Some(etag.to_owned()),
        last_modified: Some("Wed, 01 Jan 2025 06:00:00 GMT".to_owned()),
    }
}

pub async fn feed_success_records_counts_items_and_validators(db: TestDb) {
    assert_eq!(db.store.feed_health("ifes").await.unwrap(), None);
    db.store
        .record_feed_attempt("ifes", "ics", at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    let health = db.store.feed_health("ifes").await.unwrap().unwrap();
    assert_eq!(
        (health.kind.as_str(), health.last_attempt),
        ("ics", Some(at("2025-01-01T06:00:00Z")))
    );
    assert_eq!((health.last_success, health.items), (None, 0));

    db.store
        .record_feed_success(
            "ifes",
            at("2025-01-01T06:00:02Z"),
            &counts(3, 1, 2),
            120,
            &validators("\"v1\""),
        )
        .await
        .unwrap();
    let health = db.store.feed_health("ifes").await.unwrap().unwrap();
    assert_eq!(health.last_attempt, Some(at("2025-01-01T06:00:00Z")));
    assert_eq!(health.last_success, Some(at("2025-01-01T06:00:02Z")));
    assert_eq!(
        (health.items, health.added, health.changed, health.removed),
        (120, 3, 1, 2)
    );
    assert_eq!(health.validators, validators("\"v1\""));
    assert_eq!((health.last_error, health.last_error_at), (None, None));
}

pub async fn feed_failure_keeps_the_last_success_and_validators(db: TestDb) {
    db.store
        .record_feed_attempt("ifes", "ics", at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .record_feed_success(
            "ifes",
            at("2025-01-01T06:00:02Z"),
            &counts(3, 0, 0),
            3,
            &validators("\"v1\""),
        )
        .await
        .unwrap();
    db.store
        .record_feed_attempt("ifes", "ics", at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .record_feed_failure("ifes", at("2025-01-02T06:00:30Z"), "timed out after 30 s")
        .await
        .unwrap();
    let health = db.store.feed_health("ifes").await.unwrap().unwrap();
    assert_eq!(health.last_attempt, Some(at("2025-01-02T06:00:00Z")));
    assert_eq!(health.last_success, Some(at("2025-01-01T06:00:02Z")));
    assert_eq!(health.last_error.as_deref(), Some("timed out after 30 s"));
    assert_eq!(health.last_error_at, Some(at("2025-01-02T06:00:30Z")));
    assert_eq!((health.items, health.added), (3, 3));
    assert_eq!(health.validators, validators("\"v1\""));

    // The next success clears the error.
    db.store
        .record_feed_attempt("ifes", "ics", at("2025-01-03T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .record_feed_success(
            "ifes",
            at("2025-01-03T06:00:01Z"),
            &counts(0, 1, 0),
            3,
            &Validators::default(),
        )
        .await
        .unwrap();
    let health = db.store.feed_health("ifes").await.unwrap().unwrap();
    assert_eq!((health.last_error, health.last_error_at), (None, None));
    assert_eq!(health.validators, Validators::default());
}

pub async fn a_not_modified_answer_counts_as_success_and_keeps_counts_and_validators(db: TestDb) {
    db.store
        .record_feed_attempt("ogp", "csv", at("2025-01-01T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .record_feed_success(
            "ogp",
            at("2025-01-01T06:00:01Z"),
            &counts(70, 0, 0),
            70,
            &validators("W/\"abc\""),
        )
        .await
        .unwrap();
    db.store
        .record_feed_attempt("ogp", "csv", at("2025-01-02T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .record_feed_failure("ogp", at("2025-01-02T06:00:01Z"), "HTTP 503")
        .await
        .unwrap();
    db.store
        .record_feed_attempt("ogp", "csv", at("2025-01-03T06:00:00Z"))
        .await
        .unwrap();
    db.store
        .record_feed_not_modified("ogp", at("2025-01-03T06:00:01Z"))
        .await
        .unwrap();
    let health = db.store.feed_health("ogp").await.unwrap().unwrap();
    assert_eq!(health.last_success, Some(at("2025-01-03T06:00:01Z")));
    assert_eq!(health.last_error, None);
    assert_eq!(
        (health.items, health.added, health.changed, health.removed),
        (70, 70, 0, 0)
    );
    assert_eq!(health.validators, validators("W/\"abc\""));
}

pub async fn a_sync_that_changes_nothing_keeps_the_counts_of_the_last_change(db: TestDb) {
    let unchanged = SyncCounts {
        unchanged: 5,
        ..SyncCounts::default()
    };
    // A first success that changed nothing still gives counts (all zero).
    db.store
        .record_feed_success(
            "ifes",
            at("2025-01-01T06:00:00Z"),
            &unchanged,
            5,
            &Validators::default(),
        )
        .await
        .unwrap();
    let health = db.store.feed_health("ifes").await.unwrap().unwrap();
    assert_eq!(
        (health.added, health.changed, health.removed, health.items),
        (0, 0, 0, 5)
    );
    assert_eq!(health.kind, "");

    db.store
        .record_feed_success(
            "ifes",
            at("2025-01-02T06:00:00Z"),
            &counts(2, 1, 0),
            7,
            &Validators::default(),
        )
        .await
        .unwrap();
    db.store
        .record_feed_success(
            "ifes",
            at("2025-01-03T06:00:00Z"),
            &unchanged,
            7,
            &Validators::default(),
        )
        .await
        .unwrap();
    let health = db.store.feed_health("ifes").await.unwrap().unwrap();
    assert_eq!((health.added, health.changed, health.removed), (2, 1, 0));
    assert_eq!(health.last_success, Some(at("2025-01-03T06:00:00Z")));
}

pub async fn feeds_health_lists_every_feed_by_name(db: TestDb) {
    for (name, kind) in [("wikipedia", "json"), ("ifes", "ics"), ("ogp-news", "atom")] {
        db.store
            .record_feed_attempt(name, kind, at("2025-01-01T06:00:00Z"))
            .await
            .unwrap();
    }
    db.store
        .record_feed_failure("ogp-news", at("2025-01-01T06:00:05Z"), "bad XML")
        .await
        .unwrap();
    let all = db.store.feeds_health().await.unwrap();
    let names: Vec<_> = all.iter().map(|h| (h.name.as_str(), h.kind.as_str())).collect();
    assert_eq!(
        names,
        [("ifes", "ics"), ("ogp-news", "atom"), ("wikipedia", "json")]
    );
    assert_eq!(all[1].last_error.as_deref(), Some("bad XML"));
}
