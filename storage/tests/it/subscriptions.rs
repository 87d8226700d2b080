use vigie_storage::{Subscription, SubscriptionKind};

use crate::support::{TestDb, at};

const OPS: &str = "matrix:!ops:example.org";
const AFRICA: &str = "matrix:!africa:example.org";
const ALICE: &str = "matrix:@alice:example.org";

fn subscription(room: &str, kind: SubscriptionKind, value: &str) -> Subscription {
    Subscription {
        room: room.to_owned(),
        kind,
        value: value.to_owned(),
        created_by: ALICE.to_owned(),
        created_at: at("2026-02-01T10:00:00Z"),
    }
}

/// (action, detail) of the audit entries about `room`, newest first.
async fn audit_of(db: &TestDb, room: &str) -> Vec<(String, Option<String>)> {
    let entries = db.store.audit_log(Some(room), 100).await.unwrap();
    entries.into_iter().map(|e| (e.action, e.detail)).collect()
}

pub async fn subscribing_twice_reports_the_existing_subscription_and_audits_once(db: TestDb) {
    let ke = subscription(OPS, SubscriptionKind::Country, "KE");
    assert!(db.store.subscribe(&ke).await.unwrap());
    let again = Subscription {
        created_by: "matrix:@bob:example.org".to_owned(),
        created_at: at("2026-02-02T10:00:00Z"),
        ..ke.clone()
    };
    assert!(!db.store.subscribe(&again).await.unwrap());
    assert_eq!(db.store.subscriptions(Some(OPS)).await.unwrap(), [ke]);
    assert_eq!(
        audit_of(&db, OPS).await,
        [("subscription.add".to_owned(), Some("country:KE".to_owned()))]
    );
    let entry = &db.store.audit_log(Some(OPS), 1).await.unwrap()[0];
    assert_eq!(
        (entry.actor.as_str(), entry.at),
        (ALICE, at("2026-02-01T10:00:00Z"))
    );
}

pub async fn unsubscribing_from_an_absent_subscription_returns_false_and_audits_nothing(db: TestDb) {
    db.store
        .subscribe(&subscription(OPS, SubscriptionKind::Country, "KE"))
        .await
        .unwrap();
    let absent = [
        (AFRICA, SubscriptionKind::Country, "KE"),
        (OPS, SubscriptionKind::Region, "KE"),
        (OPS, SubscriptionKind::Country, "ke"),
        (OPS, SubscriptionKind::Country, "NL"),
    ];
    for (room, kind, value) in absent {
        let removed = db
            .store
            .unsubscribe(room, kind, value, ALICE, at("2026-02-02T10:00:00Z"))
            .await
            .unwrap();
        assert!(!removed, "{room} {kind} {value}");
    }
    assert_eq!(db.store.subscriptions(None).await.unwrap().len(), 1);
    assert_eq!(db.store.audit_log(None, 100).await.unwrap().len(), 1);
}

pub async fn unsubscribing_removes_only_the_named_subscription_and_is_audited(db: TestDb) {
    let ke = subscription(OPS, SubscriptionKind::Country, "KE");
    let europe = subscription(OPS, SubscriptionKind::Region, "europe");
    for s in [&ke, &europe] {
        db.store.subscribe(s).await.unwrap();
    }
    let removed = db
        .store
        .unsubscribe(
            OPS,
            SubscriptionKind::Country,
            "KE",
            "matrix:@bob:example.org",
            at("2026-02-03T10:00:00Z"),
        )
        .await
        .unwrap();
    assert!(removed);
    assert_eq!(db.store.subscriptions(None).await.unwrap(), [europe]);
    let latest = &db.store.audit_log(Some(OPS), 1).await.unwrap()[0];
    assert_eq!(
        (
            latest.actor.as_str(),
            latest.action.as_str(),
            latest.detail.as_deref()
        ),
        (
            "matrix:@bob:example.org",
            "subscription.remove",
            Some("country:KE")
        )
    );
    assert_eq!(latest.at, at("2026-02-03T10:00:00Z"));
}

pub async fn subscriptions_are_listed_by_room_kind_and_value_and_filtered_by_room(db: TestDb) {
    let all = [
        subscription(OPS, SubscriptionKind::Theme, "political-transition"),
        subscription(OPS, SubscriptionKind::Country, "NL"),
        subscription(AFRICA, SubscriptionKind::Region, "africa-middle-east"),
        subscription(OPS, SubscriptionKind::Country, "KE"),
        subscription(OPS, SubscriptionKind::Region, "europe"),
    ];
    for s in &all {
        assert!(db.store.subscribe(s).await.unwrap());
    }
    let listed = |subs: Vec<Subscription>| -> Vec<(String, SubscriptionKind, String)> {
        subs.into_iter().map(|s| (s.room, s.kind, s.value)).collect()
    };
    let key = |s: &Subscription| (s.room.clone(), s.kind, s.value.clone());
    assert_eq!(
        listed(db.store.subscriptions(None).await.unwrap()),
        [&all[2], &all[3], &all[1], &all[4], &all[0]].map(key)
    );
    assert_eq!(
        listed(db.store.subscriptions(Some(OPS)).await.unwrap()),
        [&all[3], &all[1], &all[4], &all[0]].map(key)
    );
    assert!(
        db.store
            .subscriptions(Some("matrix:!empty:example.org"))
            .await
            .unwrap()
            .is_empty()
    );
}
