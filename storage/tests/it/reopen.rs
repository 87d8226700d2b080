use vigie_rules::MemberStatus;
use vigie_storage::Store;

use crate::support::{TestDb, at, member};

pub async fn opening_the_same_database_twice_works(db: TestDb) {
    db.store
        .sync_members(
            "members",
            &[member("KE", MemberStatus::Active)],
            at("2025-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    // Opened again while the first store is still open: the migrations are already applied.
    let again = Store::open(&db.url).await.unwrap();
    assert_eq!(again.backend(), db.store.backend());
    assert_eq!(
        again.members(None).await.unwrap(),
        db.store.members(None).await.unwrap()
    );
    again.close().await;
    let third = Store::open(&db.url).await.unwrap();
    assert_eq!(third.members(None).await.unwrap().len(), 1);
    third.close().await;
}
