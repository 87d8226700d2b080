use crate::support::{TestDb, at};

pub async fn a_platform_value_is_absent_then_kept_then_replaced(db: TestDb) {
    let name = "commands:guild:1234";
    assert_eq!(db.store.platform_state("discord", name).await.unwrap(), None);
    db.store
        .set_platform_state("discord", name, "aaaa", at("2026-07-10T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        db.store.platform_state("discord", name).await.unwrap().as_deref(),
        Some("aaaa")
    );
    db.store
        .set_platform_state("discord", name, "bbbb", at("2026-07-10T11:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        db.store.platform_state("discord", name).await.unwrap().as_deref(),
        Some("bbbb")
    );
    // Reopened, the value is still there.
    let again = vigie_storage::Store::open(&db.url).await.unwrap();
    assert_eq!(
        again.platform_state("discord", name).await.unwrap().as_deref(),
        Some("bbbb")
    );
}

pub async fn each_platform_keeps_its_own_values(db: TestDb) {
    let now = at("2026-07-10T10:00:00Z");
    db.store
        .set_platform_state("discord", "commands:global", "d", now)
        .await
        .unwrap();
    db.store
        .set_platform_state("matrix", "commands:global", "m", now)
        .await
        .unwrap();
    db.store
        .set_platform_state("discord", "commands:guild:1", "g", now)
        .await
        .unwrap();
    for (platform, name, expected) in [
        ("discord", "commands:global", Some("d")),
        ("matrix", "commands:global", Some("m")),
        ("discord", "commands:guild:1", Some("g")),
        ("discord", "commands:guild:2", None),
    ] {
        assert_eq!(
            db.store.platform_state(platform, name).await.unwrap().as_deref(),
            expected,
            "{platform} {name}"
        );
    }
}
