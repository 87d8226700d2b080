use vigie_rules::{ActionPlan, MemberStatus};
use vigie_storage::{StatusSource, StorageError, SyncCounts};

use crate::support::{TestDb, at, code, date, member};

const FEED: &str = "ogp-members";

pub async fn a_first_member_sync_adds_each_member_with_its_first_status(db: TestDb) {
    let now = at("2025-01-01T08:00:00Z");
    let feed = [
        member("KE", MemberStatus::Active),
        member("NL", MemberStatus::UnderReview),
    ];
    let counts = db.store.sync_members(FEED, &feed, now).await.unwrap();
    assert_eq!(
        counts,
        SyncCounts {
            added: 2,
            ..SyncCounts::default()
        }
    );
    let record = db.store.member(&code("NL")).await.unwrap().unwrap();
    assert_eq!(record.member, feed[1]);
    assert_eq!(
        (record.feed.as_str(), record.first_seen, record.updated_at),
        (FEED, now, now)
    );
    assert_eq!(record.removed_at, None);
    assert_eq!(record.history.len(), 1);
    let first = &record.history[0];
    assert_eq!((first.from, first.to), (None, MemberStatus::UnderReview));
    assert_eq!(first.source, StatusSource::Feed(FEED.to_owned()));
    assert_eq!(first.at, now);
    assert_eq!(db.store.member(&code("FR")).await.unwrap(), None);
}

pub async fn a_resync_of_the_same_members_changes_nothing(db: TestDb) {
    let feed = [
        member("KE", MemberStatus::Active),
        member("ES-madrid", MemberStatus::Active),
    ];
    db.store
        .sync_members(FEED, &feed, at("2025-01-01T08:00:00Z"))
        .await
        .unwrap();
    let counts = db
        .store
        .sync_members(FEED, &feed, at("2025-01-02T08:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
    assert_eq!(counts.unchanged, 2);
    let record = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(record.updated_at, at("2025-01-01T08:00:00Z"));
    assert_eq!(record.history.len(), 1);
}

pub async fn a_member_status_change_is_kept_in_history(db: TestDb) {
    let mut feed = [
        member("KE", MemberStatus::Active),
        member("NL", MemberStatus::Active),
    ];
    db.store
        .sync_members(FEED, &feed, at("2025-01-01T08:00:00Z"))
        .await
        .unwrap();
    feed[0].status = MemberStatus::Inactive;
    feed[0].status_since = Some(date("2025-02"));
    let counts = db
        .store
        .sync_members(FEED, &feed, at("2025-03-01T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.changed, counts.unchanged), (1, 1), "{counts:?}");
    // A change that is not a change of status leaves the history alone.
    feed[0].notes = Some("Letter of 3 March".to_owned());
    db.store
        .sync_members(FEED, &feed, at("2025-03-04T08:00:00Z"))
        .await
        .unwrap();

    let record = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(record.member, feed[0]);
    assert_eq!(record.updated_at, at("2025-03-04T08:00:00Z"));
    let steps: Vec<_> = record
        .history
        .iter()
        .map(|c| (c.from, c.to, c.since, c.at))
        .collect();
    assert_eq!(
        steps,
        [
            (None, MemberStatus::Active, None, at("2025-01-01T08:00:00Z")),
            (
                Some(MemberStatus::Active),
                MemberStatus::Inactive,
                Some(date("2025-02")),
                at("2025-03-01T08:00:00Z")
            ),
        ]
    );
    assert!(
        record
            .history
            .iter()
            .all(|c| c.source == StatusSource::Feed(FEED.to_owned()))
    );
}

pub async fn a_member_missing_from_its_feed_is_flagged_removed_and_restored_when_listed_again(db: TestDb) {
    let feed = [
        member("KE", MemberStatus::Active),
        member("NL", MemberStatus::Active),
    ];
    db.store
        .sync_members(FEED, &feed, at("2025-01-01T08:00:00Z"))
        .await
        .unwrap();
    // Another feed's members are not this feed's to remove.
    db.store
        .sync_members(
            "local-members",
            &[member("ES-madrid", MemberStatus::Active)],
            at("2025-01-01T09:00:00Z"),
        )
        .await
        .unwrap();

    let counts = db
        .store
        .sync_members(FEED, &feed[..1], at("2025-02-01T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.removed, counts.unchanged), (1, 1), "{counts:?}");
    let nl = db
        .store
        .member(&code("NL"))
        .await
        .unwrap()
        .expect("kept, not deleted");
    assert_eq!(nl.removed_at, Some(at("2025-02-01T08:00:00Z")));
    let listed: Vec<String> = db
        .store
        .members(None)
        .await
        .unwrap()
        .iter()
        .map(|m| m.code.to_string())
        .collect();
    assert_eq!(listed, ["KE", "ES-madrid"]);
    // Removing again counts nothing more.
    let counts = db
        .store
        .sync_members(FEED, &feed[..1], at("2025-02-02T08:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");

    let counts = db
        .store
        .sync_members(FEED, &feed, at("2025-03-01T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.changed, counts.unchanged), (1, 1), "{counts:?}");
    let nl = db.store.member(&code("NL")).await.unwrap().unwrap();
    assert_eq!(nl.removed_at, None);
    assert_eq!(nl.first_seen, at("2025-01-01T08:00:00Z"));
    assert_eq!(
        nl.history.len(),
        1,
        "restoring with the same status is no change of status"
    );
}

pub async fn members_are_listed_national_first_then_by_code_and_filtered_by_status(db: TestDb) {
    let feed = [
        member("US-austin-tx", MemberStatus::Active),
        member("NL", MemberStatus::Suspended),
        member("ES-madrid", MemberStatus::Active),
        member("KE", MemberStatus::Active),
        member("ES", MemberStatus::Active),
    ];
    db.store
        .sync_members(FEED, &feed, at("2025-01-01T08:00:00Z"))
        .await
        .unwrap();
    let codes = |members: Vec<vigie_rules::Member>| -> Vec<String> {
        members.into_iter().map(|m| m.code.to_string()).collect()
    };
    assert_eq!(
        codes(db.store.members(None).await.unwrap()),
        ["ES", "KE", "NL", "ES-madrid", "US-austin-tx"]
    );
    assert_eq!(
        codes(db.store.members(Some(MemberStatus::Active)).await.unwrap()),
        ["ES", "KE", "ES-madrid", "US-austin-tx"]
    );
    assert_eq!(
        codes(db.store.members(Some(MemberStatus::Suspended)).await.unwrap()),
        ["NL"]
    );
    assert!(
        db.store
            .members(Some(MemberStatus::Withdrawn))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn member_dates_and_action_plans_round_trip(db: TestDb) {
    let mut m = member("KE", MemberStatus::UnderReview);
    m.status_since = Some(date("2024-09"));
    m.joined = Some(2011);
    m.notes = Some("Procedural review — second late plan".to_owned());
    m.action_plan = ActionPlan {
        number: Some(5),
        cohort: Some(2023),
        start: Some(date("2023-09")),
        end: Some(date("~2027-06-01..2027-08-31")),
    };
    let mut bare = member("ES-madrid", MemberStatus::Active);
    bare.joined = None;
    db.store
        .sync_members(FEED, &[m.clone(), bare.clone()], at("2025-01-01T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(db.store.member(&code("KE")).await.unwrap().unwrap().member, m);
    assert_eq!(
        db.store.member(&code("ES-madrid")).await.unwrap().unwrap().member,
        bare
    );
}

pub async fn an_admin_status_change_records_its_actor_and_note(db: TestDb) {
    db.store
        .sync_members(
            FEED,
            &[member("KE", MemberStatus::Active)],
            at("2025-01-01T08:00:00Z"),
        )
        .await
        .unwrap();
    db.store
        .set_member_status(
            &code("KE"),
            MemberStatus::Suspended,
            Some(date("2025-04-02")),
            "@alice:example.org",
            Some("Steering Committee decision"),
            at("2025-04-03T10:00:00Z"),
        )
        .await
        .unwrap();
    let record = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(record.member.status, MemberStatus::Suspended);
    assert_eq!(record.member.status_since, Some(date("2025-04-02")));
    let last = record.history.last().unwrap();
    assert_eq!(
        (last.from, last.to),
        (Some(MemberStatus::Active), MemberStatus::Suspended)
    );
    assert_eq!(
        last.source,
        StatusSource::Manual {
            actor: "@alice:example.org".to_owned()
        }
    );
    assert_eq!(last.note.as_deref(), Some("Steering Committee decision"));
    assert_eq!(last.at, at("2025-04-03T10:00:00Z"));
}

pub async fn setting_the_status_of_an_unknown_member_fails(db: TestDb) {
    let err = db
        .store
        .set_member_status(
            &code("FR"),
            MemberStatus::Active,
            None,
            "alice",
            None,
            at("2025-01-01T00:00:00Z"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::UnknownMember { .. }), "{err:?}");
    assert_eq!(err.to_string(), "no member has the code FR");
}

pub async fn duplicate_member_codes_write_nothing(db: TestDb) {
    let feed = [
        member("KE", MemberStatus::Active),
        member("NL", MemberStatus::Active),
        member("KE", MemberStatus::Inactive),
    ];
    let err = db
        .store
        .sync_members(FEED, &feed, at("2025-01-01T08:00:00Z"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("KE"), "{err}");
    assert!(db.store.members(None).await.unwrap().is_empty());
}

pub async fn an_admins_correction_stands_until_the_feed_changes_its_mind(db: TestDb) {
    let feed = [member("KE", MemberStatus::Active)];
    db.store
        .sync_members(FEED, &feed, at("2025-01-01T08:00:00Z"))
        .await
        .unwrap();
    db.store
        .set_member_status(
            &code("KE"),
            MemberStatus::UnderReview,
            Some(date("2025-01")),
            "@ana:example.org",
            Some("letter of the Criteria and Standards subcommittee"),
            at("2025-01-02T08:00:00Z"),
        )
        .await
        .unwrap();

    // The feed still says what it said: the correction stands, nothing changes.
    let counts = db
        .store
        .sync_members(FEED, &feed, at("2025-01-03T08:00:00Z"))
        .await
        .unwrap();
    assert!(counts.is_unchanged(), "{counts}");
    let record = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(record.member.status, MemberStatus::UnderReview);
    assert_eq!(record.history.len(), 2);

    // Another field changes in the feed: it is taken, and the correction still stands.
    let mut renamed = member("KE", MemberStatus::Active);
    renamed.name = "Republic of Kenya".into();
    let counts = db
        .store
        .sync_members(FEED, &[renamed.clone()], at("2025-01-04T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.changed, 1);
    let record = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(
        (record.member.name.as_str(), record.member.status),
        ("Republic of Kenya", MemberStatus::UnderReview)
    );
    assert_eq!(record.history.len(), 2, "no status change was recorded");

    // The feed now says something new about the status: the feed wins, and history says so.
    renamed.status = MemberStatus::Inactive;
    db.store
        .sync_members(FEED, &[renamed], at("2025-01-05T08:00:00Z"))
        .await
        .unwrap();
    let record = db.store.member(&code("KE")).await.unwrap().unwrap();
    assert_eq!(record.member.status, MemberStatus::Inactive);
    let last = record.history.last().unwrap();
    assert_eq!(
        (last.from, last.to),
        (Some(MemberStatus::UnderReview), MemberStatus::Inactive)
    );
    assert_eq!(last.source, StatusSource::Feed(FEED.to_owned()));
}
