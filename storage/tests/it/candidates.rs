use vigie_rules::{MemberStatus, StatusCandidate};
use vigie_storage::{CandidateState, StatusSource, StorageError};

use crate::support::{TestDb, at, code, date, member};

const FEED: &str = "ogp-news";

fn entry(id: &str, member: Option<&str>, status: Option<MemberStatus>) -> StatusCandidate {
    StatusCandidate {
        entry_id: id.to_owned(),
        title: format!("News {id}"),
        link: Some(format!("https://www.opengovpartnership.org/news/{id}")),
        published: Some(at("2025-03-10T09:30:00Z")),
        member: member.map(code),
        status,
        automatic: false,
    }
}

async fn with_members(db: &TestDb) {
    db.store
        .sync_members(
            "ogp-members",
            &[
                member("KE", MemberStatus::Active),
                member("NL", MemberStatus::Active),
            ],
            at("2025-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
}

pub async fn new_feed_entries_become_pending_candidates_and_keep_their_ids(db: TestDb) {
    let mut automatic = entry("b", Some("NL"), Some(MemberStatus::Inactive));
    automatic.automatic = true;
    let items = vec![entry("a", None, None), automatic];
    let counts = db
        .store
        .sync_status_candidates(FEED, &items, at("2025-03-11T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.added, counts.unchanged), (2, 0));
    let pending = db.store.pending_status_candidates().await.unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(
        pending.iter().map(|p| &p.candidate).collect::<Vec<_>>(),
        items.iter().collect::<Vec<_>>()
    );
    assert!(
        pending
            .iter()
            .all(|p| p.state == CandidateState::Pending && p.feed == FEED)
    );
    assert!(
        pending
            .iter()
            .all(|p| p.decided_by.is_none() && p.decided_at.is_none())
    );
    assert_eq!(pending[0].first_seen, at("2025-03-11T00:00:00Z"));

    // The feed again, with one new entry and a retitled old one: old entries are left as they were.
    let mut again = items.clone();
    again[0].title = "Retitled".to_owned();
    again.push(entry("c", Some("KE"), Some(MemberStatus::Suspended)));
    let counts = db
        .store
        .sync_status_candidates(FEED, &again, at("2025-03-12T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.added, counts.unchanged, counts.removed), (1, 2, 0));
    let later = db.store.pending_status_candidates().await.unwrap();
    assert_eq!(later.len(), 3);
    assert_eq!((later[0].id, later[1].id), (pending[0].id, pending[1].id));
    assert_eq!(later[0].candidate.title, "News a");
    // An empty feed deletes nothing.
    db.store
        .sync_status_candidates(FEED, &[], at("2025-03-13T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(db.store.pending_status_candidates().await.unwrap().len(), 3);
}

pub async fn confirming_a_candidate_sets_the_member_status_by_its_actor(db: TestDb) {
    with_members(&db).await;
    let items = [entry("ke-suspended", Some("KE"), Some(MemberStatus::Suspended))];
    db.store
        .sync_status_candidates(FEED, &items, at("2025-03-11T00:00:00Z"))
        .await
        .unwrap();
    let id = db.store.pending_status_candidates().await.unwrap()[0].id;
    db.store
        .decide_status_candidate(id, true, "@bob:example.org", at("2025-03-12T08:00:00Z"))
        .await
        .unwrap();

    assert!(db.store.pending_status_candidates().await.unwrap().is_empty());
    let decided = db.store.status_candidate(id).await.unwrap().unwrap();
    assert_eq!(decided.state, CandidateState::Confirmed);
    assert_eq!(decided.decided_by.as_deref(), Some("@bob:example.org"));
    assert_eq!(decided.decided_at, Some(at("2025-03-12T08:00:00Z")));

    let ke = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(ke.member.status, MemberStatus::Suspended);
    assert_eq!(ke.member.status_since, Some(date("2025-03-10")));
    let last = ke.history.last().unwrap();
    assert_eq!(
        (last.from, last.to),
        (Some(MemberStatus::Active), MemberStatus::Suspended)
    );
    assert_eq!(
        last.source,
        StatusSource::Manual {
            actor: "@bob:example.org".to_owned()
        }
    );
    assert!(
        last.note
            .as_deref()
            .is_some_and(|n| n.contains("News ke-suspended")),
        "{last:?}"
    );
}

pub async fn dismissing_a_candidate_changes_no_member(db: TestDb) {
    with_members(&db).await;
    let items = [entry("nl", Some("NL"), Some(MemberStatus::Withdrawn))];
    db.store
        .sync_status_candidates(FEED, &items, at("2025-03-11T00:00:00Z"))
        .await
        .unwrap();
    let id = db.store.pending_status_candidates().await.unwrap()[0].id;
    db.store
        .decide_status_candidate(id, false, "alice", at("2025-03-12T08:00:00Z"))
        .await
        .unwrap();
    let decided = db.store.status_candidate(id).await.unwrap().unwrap();
    assert_eq!(decided.state, CandidateState::Dismissed);
    let nl = db.store.member(&code("NL")).await.unwrap().unwrap();
    assert_eq!(nl.member.status, MemberStatus::Active);
    assert_eq!(nl.history.len(), 1);
}

pub async fn a_decided_candidate_cannot_be_decided_again(db: TestDb) {
    with_members(&db).await;
    db.store
        .sync_status_candidates(FEED, &[entry("a", None, None)], at("2025-03-11T00:00:00Z"))
        .await
        .unwrap();
    let id = db.store.pending_status_candidates().await.unwrap()[0].id;
    // Confirming a candidate without a member and status changes no member.
    db.store
        .decide_status_candidate(id, true, "alice", at("2025-03-12T08:00:00Z"))
        .await
        .unwrap();
    let err = db
        .store
        .decide_status_candidate(id, false, "bob", at("2025-03-13T08:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::AlreadyDecided { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("status candidate {id} was already confirmed by alice")
    );
    let err = db
        .store
        .decide_status_candidate(id + 1000, true, "bob", at("2025-03-13T08:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::UnknownCandidate { .. }), "{err:?}");
}

pub async fn confirming_a_candidate_for_an_unknown_member_writes_nothing(db: TestDb) {
    with_members(&db).await;
    let items = [entry("fr", Some("FR"), Some(MemberStatus::Active))];
    db.store
        .sync_status_candidates(FEED, &items, at("2025-03-11T00:00:00Z"))
        .await
        .unwrap();
    let id = db.store.pending_status_candidates().await.unwrap()[0].id;
    let err = db
        .store
        .decide_status_candidate(id, true, "alice", at("2025-03-12T08:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::UnknownMember { .. }), "{err:?}");
    let still = db.store.status_candidate(id).await.unwrap().unwrap();
    assert_eq!(still.state, CandidateState::Pending);
    assert_eq!(still.decided_by, None);
}
