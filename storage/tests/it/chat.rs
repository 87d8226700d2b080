use vigie_storage::LanguageScope;

use crate::support::{TestDb, at};

pub async fn a_language_is_set_replaced_and_cleared_for_each_scope(db: TestDb) {
    for (scope, id) in [
        (LanguageScope::Room, "matrix:!ops:example.org"),
        (LanguageScope::User, "matrix:@alice:example.org"),
    ] {
        assert_eq!(db.store.language(scope, id).await.unwrap(), None);
        // (language set, what reads back)
        let steps = [
            (Some("fr"), Some("fr")),
            (Some("es-419"), Some("es-419")),
            (None, None),
            // Clearing what is not set is harmless.
            (None, None),
            (Some("en"), Some("en")),
        ];
        for (set, expected) in steps {
            db.store
                .set_language(scope, id, set, at("2026-02-01T10:00:00Z"))
                .await
                .unwrap();
            assert_eq!(
                db.store.language(scope, id).await.unwrap().as_deref(),
                expected,
                "{scope:?} after setting {set:?}"
            );
        }
    }
    // Preferences are not audited.
    assert!(db.store.audit_log(None, 10).await.unwrap().is_empty());
}

pub async fn a_room_and_a_user_with_the_same_id_keep_their_own_language(db: TestDb) {
    let id = "discord:4417";
    let now = at("2026-02-01T10:00:00Z");
    db.store
        .set_language(LanguageScope::Room, id, Some("fr"), now)
        .await
        .unwrap();
    db.store
        .set_language(LanguageScope::User, id, Some("de"), now)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .language(LanguageScope::Room, id)
            .await
            .unwrap()
            .as_deref(),
        Some("fr")
    );
    db.store
        .set_language(LanguageScope::Room, id, None, now)
        .await
        .unwrap();
    assert_eq!(db.store.language(LanguageScope::Room, id).await.unwrap(), None);
    assert_eq!(
        db.store
            .language(LanguageScope::User, id)
            .await
            .unwrap()
            .as_deref(),
        Some("de")
    );
}

pub async fn an_event_is_taken_the_first_time_only_and_per_platform(db: TestDb) {
    // (platform, event id, whether it is new)
    let deliveries = [
        ("matrix", "$a1:example.org", true),
        ("matrix", "$a1:example.org", false),
        ("discord", "$a1:example.org", true),
        ("matrix", "$a2:example.org", true),
        ("discord", "$a1:example.org", false),
    ];
    for (platform, event, new) in deliveries {
        let taken = db
            .store
            .record_event(platform, event, at("2026-02-01T10:00:00Z"))
            .await
            .unwrap();
        assert_eq!(taken, new, "{platform} {event}");
    }
}

pub async fn a_batch_of_events_is_taken_like_one_by_one(db: TestDb) {
    let now = at("2026-02-01T10:00:00Z");
    assert!(db.store.record_event("matrix", "$seen", now).await.unwrap());
    let taken = db
        .store
        .record_events("matrix", &["$a", "$seen", "$b", "$a", "$c"], now)
        .await
        .unwrap();
    assert_eq!(taken, [true, false, true, false, true]);
    // Taken once, whichever way: neither form takes them again.
    assert!(!db.store.record_event("matrix", "$b", now).await.unwrap());
    assert_eq!(
        db.store
            .record_events("matrix", &["$c", "$d"], now)
            .await
            .unwrap(),
        [false, true]
    );
    assert!(
        db.store
            .record_events("matrix", &[], now)
            .await
            .unwrap()
            .is_empty()
    );
    // Per platform, as one by one.
    assert_eq!(
        db.store.record_events("discord", &["$a"], now).await.unwrap(),
        [true]
    );
}

pub async fn concurrent_batches_sharing_events_take_each_exactly_once(db: TestDb) {
    let now = at("2026-02-01T10:00:00Z");
    // Six batches of 40 overlapping ids (0..100, each batch a different window), at once, every
    // other one in reverse order (batches that lock rows in opposite orders could deadlock).
    let tasks: Vec<_> = (0..6)
        .map(|k| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let mut ids: Vec<String> = (k * 12..k * 12 + 40).map(|i| format!("$e{i}")).collect();
                if k % 2 == 1 {
                    ids.reverse();
                }
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                let taken = store.record_events("matrix", &refs, now).await.unwrap();
                ids.into_iter()
                    .zip(taken)
                    .filter(|(_, t)| *t)
                    .map(|(id, _)| id)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut taken = Vec::new();
    for task in tasks {
        taken.extend(task.await.unwrap());
    }
    taken.sort();
    let mut expected: Vec<String> = (0..100).map(|i| format!("$e{i}")).collect();
    expected.sort();
    assert_eq!(taken, expected, "each id taken exactly once");
}

pub async fn concurrent_recordings_of_one_event_let_exactly_one_through(db: TestDb) {
    for round in 0..10 {
        let event = format!("$race{round}:example.org");
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let store = db.store.clone();
                let event = event.clone();
                tokio::spawn(async move {
                    store
                        .record_event("matrix", &event, at("2026-02-01T10:00:00Z"))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut taken = 0;
        for task in tasks {
            taken += usize::from(task.await.unwrap());
        }
        assert_eq!(taken, 1, "{event} was taken {taken} times");
    }
}

pub async fn forgetting_events_before_a_time_keeps_later_ones(db: TestDb) {
    for (event, when) in [
        ("$old", "2026-01-01T00:00:00Z"),
        ("$edge", "2026-01-15T00:00:00Z"),
        ("$new", "2026-01-20T00:00:00Z"),
    ] {
        db.store.record_event("matrix", event, at(when)).await.unwrap();
    }
    let forgotten = db
        .store
        .forget_events_before(at("2026-01-15T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(forgotten, 1);
    let now = at("2026-02-01T00:00:00Z");
    assert!(db.store.record_event("matrix", "$old", now).await.unwrap());
    assert!(!db.store.record_event("matrix", "$edge", now).await.unwrap());
    assert!(!db.store.record_event("matrix", "$new", now).await.unwrap());
}

pub async fn a_callers_profile_reads_role_and_both_languages_as_the_single_reads_do(db: TestDb) {
    use vigie_storage::{CallerProfile, Peer, Role};

    let (alice, bob, room, other_room) = (
        "matrix:@alice:example.org",
        "matrix:@bob:example.org",
        "matrix:!ops:example.org",
        "matrix:!elsewhere:example.org",
    );
    let now = at("2026-02-01T10:00:00Z");
    // Nobody known, nothing chosen.
    assert_eq!(
        db.store.caller_profile(alice, room).await.unwrap(),
        CallerProfile::default()
    );
    db.store
        .put_peer(&Peer {
            user: alice.to_owned(),
            role: Role::Admin,
            region: None,
            country: None,
            organisation: None,
            added_by: "config".to_owned(),
            added_at: now,
        })
        .await
        .unwrap();
    db.store
        .set_language(LanguageScope::User, alice, Some("fr"), now)
        .await
        .unwrap();
    db.store
        .set_language(LanguageScope::Room, room, Some("es"), now)
        .await
        .unwrap();
    // A room's language is not a user's, and a user's is not the room's.
    db.store
        .set_language(LanguageScope::Room, bob, Some("de"), now)
        .await
        .unwrap();
    for (user, in_room) in [(alice, room), (alice, other_room), (bob, room), (bob, other_room)] {
        let profile = db.store.caller_profile(user, in_room).await.unwrap();
        let expected = CallerProfile {
            role: db.store.peer(user).await.unwrap().map(|p| p.role),
            user_language: db.store.language(LanguageScope::User, user).await.unwrap(),
            room_language: db.store.language(LanguageScope::Room, in_room).await.unwrap(),
        };
        assert_eq!(profile, expected, "{user} in {in_room}");
    }
    assert_eq!(
        db.store.caller_profile(alice, room).await.unwrap(),
        CallerProfile {
            role: Some(Role::Admin),
            user_language: Some("fr".to_owned()),
            room_language: Some("es".to_owned()),
        }
    );
    // A removed peer has no role.
    db.store.remove_peer(alice, "config", now).await.unwrap();
    assert_eq!(db.store.caller_profile(alice, room).await.unwrap().role, None);
}
