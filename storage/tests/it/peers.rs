use vigie_storage::{AuditEntry, Peer, Role};

use crate::support::{TestDb, at};

const ALICE: &str = "matrix:@alice:example.org";
const BOB: &str = "matrix:@bob:example.org";
const CAROL: &str = "discord:4417";
const ZOE: &str = "matrix:@zoe:example.org";

fn peer(user: &str, role: Role, region: Option<&str>, by: &str, when: &str) -> Peer {
    Peer {
        user: user.to_owned(),
        role,
        region: region.map(str::to_owned),
        country: None,
        organisation: None,
        added_by: by.to_owned(),
        added_at: at(when),
    }
}

/// (actor, action, detail) of the audit entries about `user`, newest first.
async fn audit_of(db: &TestDb, user: &str) -> Vec<(String, String, Option<String>)> {
    let entries: Vec<AuditEntry> = db.store.audit_log(Some(user), 100).await.unwrap();
    entries
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

fn entry(actor: &str, action: &str, detail: &str) -> (String, String, Option<String>) {
    (actor.to_owned(), action.to_owned(), Some(detail.to_owned()))
}

pub async fn peers_are_found_by_user_and_listed_admins_first_then_by_user(db: TestDb) {
    let all = [
        peer(BOB, Role::Peer, None, ZOE, "2026-02-01T10:00:00Z"),
        peer(ALICE, Role::Peer, Some("europe"), ZOE, "2026-02-01T10:01:00Z"),
        peer(ZOE, Role::Admin, None, "config", "2026-02-01T09:00:00Z"),
        peer(
            CAROL,
            Role::Admin,
            Some("africa-middle-east"),
            ZOE,
            "2026-02-01T10:02:00Z",
        ),
    ];
    for p in &all {
        db.store.put_peer(p).await.unwrap();
    }
    let listed = db.store.peers().await.unwrap();
    let users: Vec<_> = listed.iter().map(|p| p.user.as_str()).collect();
    assert_eq!(users, [CAROL, ZOE, ALICE, BOB]);
    assert_eq!(db.store.peer(ALICE).await.unwrap().as_ref(), Some(&all[1]));
    assert_eq!(db.store.peer(CAROL).await.unwrap().as_ref(), Some(&all[3]));
    assert_eq!(db.store.peer("matrix:@nobody:example.org").await.unwrap(), None);
}

pub async fn putting_a_peer_again_changes_its_role_and_the_audit_says_from_what(db: TestDb) {
    db.store
        .put_peer(&peer(
            ALICE,
            Role::Peer,
            Some("europe"),
            ZOE,
            "2026-02-01T10:00:00Z",
        ))
        .await
        .unwrap();
    let promoted = peer(ALICE, Role::Admin, None, CAROL, "2026-02-02T10:00:00Z");
    db.store.put_peer(&promoted).await.unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap(), Some(promoted));
    assert_eq!(
        audit_of(&db, ALICE).await,
        [
            entry(CAROL, "peer.change", "admin (was peer for europe)"),
            entry(ZOE, "peer.add", "peer for europe"),
        ]
    );
}

pub async fn putting_a_peer_with_the_role_and_region_it_has_changes_nothing(db: TestDb) {
    let first = peer(ALICE, Role::Peer, Some("europe"), ZOE, "2026-02-01T10:00:00Z");
    db.store.put_peer(&first).await.unwrap();
    db.store
        .put_peer(&peer(
            ALICE,
            Role::Peer,
            Some("europe"),
            CAROL,
            "2026-02-02T10:00:00Z",
        ))
        .await
        .unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap(), Some(first));
    assert_eq!(audit_of(&db, ALICE).await.len(), 1);
}

pub async fn removing_a_peer_reports_whether_it_was_there_and_putting_it_again_restores_it(db: TestDb) {
    db.store
        .put_peer(&peer(ALICE, Role::Admin, None, ZOE, "2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    // (user, whether it was there)
    let removals = [(ALICE, true), (ALICE, false), (BOB, false)];
    for (user, expected) in removals {
        let removed = db
            .store
            .remove_peer(user, ZOE, at("2026-02-02T10:00:00Z"))
            .await
            .unwrap();
        assert_eq!(removed, expected, "{user}");
    }
    assert_eq!(db.store.peer(ALICE).await.unwrap(), None);
    assert!(db.store.peers().await.unwrap().is_empty());
    assert_eq!(
        audit_of(&db, ALICE).await,
        [
            entry(ZOE, "peer.remove", "admin"),
            entry(ZOE, "peer.add", "admin")
        ]
    );
    assert!(audit_of(&db, BOB).await.is_empty());

    let back = peer(ALICE, Role::Peer, None, CAROL, "2026-02-03T10:00:00Z");
    db.store.put_peer(&back).await.unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap(), Some(back));
    assert_eq!(audit_of(&db, ALICE).await[0], entry(CAROL, "peer.add", "peer"));
}

pub async fn seeding_adds_only_peers_never_managed_by_commands(db: TestDb) {
    // Commands made Alice an admin and removed Bob.
    let alice = peer(
        ALICE,
        Role::Admin,
        Some("asia-pacific"),
        ZOE,
        "2026-02-01T10:00:00Z",
    );
    db.store.put_peer(&alice).await.unwrap();
    db.store
        .put_peer(&peer(BOB, Role::Peer, None, ZOE, "2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    assert!(
        db.store
            .remove_peer(BOB, ZOE, at("2026-02-01T11:00:00Z"))
            .await
            .unwrap()
    );

    let config = [
        peer(ALICE, Role::Peer, None, "config", "2026-02-05T00:00:00Z"),
        peer(BOB, Role::Peer, None, "config", "2026-02-05T00:00:00Z"),
        peer(
            CAROL,
            Role::Peer,
            Some("europe"),
            "config",
            "2026-02-05T00:00:00Z",
        ),
    ];
    assert_eq!(db.store.seed_peers(&config).await.unwrap(), 1);
    assert_eq!(db.store.peer(ALICE).await.unwrap(), Some(alice));
    assert_eq!(db.store.peer(BOB).await.unwrap(), None);
    assert_eq!(db.store.peer(CAROL).await.unwrap().as_ref(), Some(&config[2]));
    assert_eq!(
        audit_of(&db, CAROL).await,
        [entry("config", "peer.add", "peer for europe")]
    );
    assert_eq!(audit_of(&db, ALICE).await.len(), 1);
    assert_eq!(audit_of(&db, BOB).await.len(), 2);

    // The next start seeds the same list: nothing is added, nothing audited.
    assert_eq!(db.store.seed_peers(&config).await.unwrap(), 0);
    assert_eq!(db.store.audit_log(None, 100).await.unwrap().len(), 4);
}

pub async fn a_peers_country_and_organisation_are_kept_changed_audited_and_seeded(db: TestDb) {
    let kenya = vigie_rules::CountryCode::parse("KE").unwrap();
    let with = |p: Peer, country: Option<vigie_rules::CountryCode>, org: Option<&str>| Peer {
        country,
        organisation: org.map(str::to_owned),
        ..p
    };
    let first = with(
        peer(
            ALICE,
            Role::Peer,
            Some("africa-middle-east"),
            ZOE,
            "2026-02-01T10:00:00Z",
        ),
        Some(kenya),
        Some("Open Data Kenya"),
    );
    db.store.put_peer(&first).await.unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap().as_ref(), Some(&first));
    assert_eq!(db.store.peers().await.unwrap(), std::slice::from_ref(&first));

    // The same again changes nothing; a new organisation alone is a change.
    let again = Peer {
        added_by: CAROL.to_owned(),
        added_at: at("2026-02-02T10:00:00Z"),
        ..first.clone()
    };
    db.store.put_peer(&again).await.unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap().as_ref(), Some(&first));
    let moved = with(again.clone(), Some(kenya), Some("Mzalendo Trust"));
    db.store.put_peer(&moved).await.unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap().as_ref(), Some(&moved));
    // Clearing both is a change too, and they read back as absent.
    let cleared = with(
        Peer {
            added_at: at("2026-02-03T10:00:00Z"),
            ..moved.clone()
        },
        None,
        None,
    );
    db.store.put_peer(&cleared).await.unwrap();
    assert_eq!(db.store.peer(ALICE).await.unwrap().as_ref(), Some(&cleared));
    assert_eq!(
        audit_of(&db, ALICE).await,
        [
            entry(
                CAROL,
                "peer.change",
                "peer for africa-middle-east (was peer for africa-middle-east, from KE, with Mzalendo Trust)"
            ),
            entry(
                CAROL,
                "peer.change",
                "peer for africa-middle-east, from KE, with Mzalendo Trust (was peer for africa-middle-east, from KE, with Open Data Kenya)"
            ),
            entry(
                ZOE,
                "peer.add",
                "peer for africa-middle-east, from KE, with Open Data Kenya"
            ),
        ]
    );

    // Seeded peers keep theirs, and a removal says what the peer was.
    let seeded = with(
        peer(BOB, Role::Peer, None, "config", "2026-02-05T00:00:00Z"),
        Some(vigie_rules::CountryCode::parse("fr").unwrap()),
        Some("Etalab"),
    );
    assert_eq!(
        db.store.seed_peers(std::slice::from_ref(&seeded)).await.unwrap(),
        1
    );
    assert_eq!(db.store.peer(BOB).await.unwrap().as_ref(), Some(&seeded));
    assert!(
        db.store
            .remove_peer(BOB, ZOE, at("2026-02-06T00:00:00Z"))
            .await
            .unwrap()
    );
    assert_eq!(
        audit_of(&db, BOB).await,
        [
            entry(ZOE, "peer.remove", "peer, from FR, with Etalab"),
            entry("config", "peer.add", "peer, from FR, with Etalab"),
        ]
    );
}
