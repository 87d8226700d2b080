use chrono::{DateTime, Duration, Utc};
use vigie_storage::{LanguageScope, Peer, Role, Store, Subscription, SubscriptionKind};

use crate::support::{TestDb, at};

const ALICE: &str = "matrix:@alice:example.org";
const BOB: &str = "matrix:@bob:example.org";
const ZOE: &str = "matrix:@zoe:example.org";
const ROOM: &str = "matrix:!ops:example.org";
const WINDOW: &str = "w-2aa8f74113a8";

/// A request a person (or the configuration) makes.
#[derive(Debug)]
enum Op {
    PutPeer(&'static str, Role),
    SeedPeer(&'static str),
    RemovePeer(&'static str),
    Subscribe(&'static str),
    Unsubscribe(&'static str),
    Claim(&'static str),
    Release(&'static str, bool),
    Snooze(&'static str, &'static str),
    Done(&'static str),
    Note(&'static str),
    SetLanguage(&'static str),
    RecordEvent(&'static str),
}

async fn apply(store: &Store, op: &Op, now: DateTime<Utc>) {
    let peer = |user: &str, role, by: &str| Peer {
        user: user.to_owned(),
        role,
        region: None,
        country: None,
        organisation: None,
        added_by: by.to_owned(),
        added_at: now,
    };
    let country = |value: &str| Subscription {
        room: ROOM.to_owned(),
        kind: SubscriptionKind::Country,
        value: value.to_owned(),
        created_by: ZOE.to_owned(),
        created_at: now,
    };
    match *op {
        Op::PutPeer(user, role) => store.put_peer(&peer(user, role, ZOE)).await.unwrap(),
        Op::SeedPeer(user) => {
            store
                .seed_peers(&[peer(user, Role::Peer, "config")])
                .await
                .unwrap();
        }
        Op::RemovePeer(user) => {
            store.remove_peer(user, ZOE, now).await.unwrap();
        }
        Op::Subscribe(value) => {
            store.subscribe(&country(value)).await.unwrap();
        }
        Op::Unsubscribe(value) => {
            store
                .unsubscribe(ROOM, SubscriptionKind::Country, value, ZOE, now)
                .await
                .unwrap();
        }
        Op::Claim(user) => {
            store.claim_window(WINDOW, user, now).await.unwrap();
        }
        Op::Release(user, force) => {
            store.release_window(WINDOW, user, force, now).await.unwrap();
        }
        Op::Snooze(user, until) => store.snooze_window(WINDOW, user, at(until), now).await.unwrap(),
        Op::Done(user) => {
            store.done_window(WINDOW, user, now).await.unwrap();
        }
        Op::Note(user) => {
            store.add_note(WINDOW, user, "noted", now).await.unwrap();
        }
        Op::SetLanguage(lang) => store
            .set_language(LanguageScope::Room, ROOM, Some(lang), now)
            .await
            .unwrap(),
        Op::RecordEvent(event) => {
            store.record_event("matrix", event, now).await.unwrap();
        }
    }
}

pub async fn every_change_writes_one_audit_entry_and_a_request_that_changes_nothing_writes_none(db: TestDb) {
    // (request, the (actor, action, target) of the entry it must write, if any)
    let steps = [
        (Op::PutPeer(ALICE, Role::Peer), Some((ZOE, "peer.add", ALICE))),
        (Op::PutPeer(ALICE, Role::Peer), None),
        (Op::PutPeer(ALICE, Role::Admin), Some((ZOE, "peer.change", ALICE))),
        (Op::SeedPeer(ALICE), None),
        (Op::SeedPeer(BOB), Some(("config", "peer.add", BOB))),
        (Op::RemovePeer(BOB), Some((ZOE, "peer.remove", BOB))),
        (Op::RemovePeer(BOB), None),
        (Op::SeedPeer(BOB), None),
        (Op::Subscribe("KE"), Some((ZOE, "subscription.add", ROOM))),
        (Op::Subscribe("KE"), None),
        (Op::Unsubscribe("KE"), Some((ZOE, "subscription.remove", ROOM))),
        (Op::Unsubscribe("KE"), None),
        (Op::Claim(ALICE), Some((ALICE, "window.claim", WINDOW))),
        (Op::Claim(ALICE), None),
        (Op::Claim(BOB), None),
        (Op::Release(BOB, false), None),
        (Op::Release(ALICE, false), Some((ALICE, "window.release", WINDOW))),
        (Op::Release(ALICE, false), None),
        (Op::Claim(BOB), Some((BOB, "window.claim", WINDOW))),
        (Op::Release(ALICE, true), Some((ALICE, "window.release", WINDOW))),
        (
            Op::Snooze(ALICE, "2026-03-01T00:00:00Z"),
            Some((ALICE, "window.snooze", WINDOW)),
        ),
        (Op::Snooze(ALICE, "2026-03-01T00:00:00Z"), None),
        (Op::Done(BOB), Some((BOB, "window.done", WINDOW))),
        (Op::Done(ALICE), None),
        (Op::Note(ALICE), Some((ALICE, "window.note", WINDOW))),
        (Op::SetLanguage("fr"), None),
        (Op::RecordEvent("$e1"), None),
        (Op::RecordEvent("$e1"), None),
    ];
    let start = at("2026-02-01T00:00:00Z");
    let mut written = 0;
    for (n, (op, expected)) in steps.iter().enumerate() {
        let now = start + Duration::minutes(i64::try_from(n).unwrap());
        apply(&db.store, op, now).await;
        let log = db.store.audit_log(None, 1000).await.unwrap();
        match expected {
            Some((actor, action, target)) => {
                written += 1;
                assert_eq!(log.len(), written, "step {n}: {op:?}");
                let latest = &log[0];
                assert_eq!(
                    (
                        latest.actor.as_str(),
                        latest.action.as_str(),
                        latest.target.as_str(),
                        latest.at
                    ),
                    (*actor, *action, *target, now),
                    "step {n}: {op:?}"
                );
            }
            None => assert_eq!(log.len(), written, "step {n}: {op:?} wrote an audit entry"),
        }
    }
}

pub async fn the_audit_log_is_newest_first_filtered_by_target_and_limited(db: TestDb) {
    let other = "w-0000000000ff";
    db.store
        .claim_window(WINDOW, ALICE, at("2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    db.store
        .add_note(other, BOB, "hello", at("2026-02-01T11:00:00Z"))
        .await
        .unwrap();
    db.store
        .done_window(WINDOW, ALICE, at("2026-02-01T12:00:00Z"))
        .await
        .unwrap();
    // Two entries at the same time: the later recorded comes first.
    db.store
        .add_note(other, ALICE, "first", at("2026-02-01T12:00:00Z"))
        .await
        .unwrap();

    let actions = |log: Vec<vigie_storage::AuditEntry>| -> Vec<(String, String)> {
        log.into_iter().map(|e| (e.target, e.action)).collect()
    };
    let pair = |target: &str, action: &str| (target.to_owned(), action.to_owned());
    assert_eq!(
        actions(db.store.audit_log(None, 10).await.unwrap()),
        [
            pair(other, "window.note"),
            pair(WINDOW, "window.done"),
            pair(other, "window.note"),
            pair(WINDOW, "window.claim"),
        ]
    );
    assert_eq!(
        actions(db.store.audit_log(Some(WINDOW), 10).await.unwrap()),
        [pair(WINDOW, "window.done"), pair(WINDOW, "window.claim")]
    );
    assert_eq!(
        actions(db.store.audit_log(None, 2).await.unwrap()),
        [pair(other, "window.note"), pair(WINDOW, "window.done")]
    );
    assert!(db.store.audit_log(None, 0).await.unwrap().is_empty());
    assert!(db.store.audit_log(Some(ZOE), 10).await.unwrap().is_empty());
    let log = db.store.audit_log(None, 10).await.unwrap();
    assert!(log.windows(2).all(|w| w[0].id > w[1].id), "{log:?}");
}
