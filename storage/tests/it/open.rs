//! Opening a store: what does not depend on a backend.

use vigie_storage::{Backend, StorageError, Store};

#[tokio::test]
async fn a_bad_url_gives_one_sentence_naming_the_expected_forms() {
    for url in ["mysql://root:secret@localhost/vigie", "vigie.db", ""] {
        let err = Store::open(url).await.expect_err(url);
        assert!(
            matches!(err, StorageError::UnsupportedUrl { .. }),
            "{url}: {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("expected sqlite:path/to/vigie.db") && message.contains("postgres://"),
            "{message}"
        );
        assert!(!message.contains("secret"), "the password leaked: {message}");
        assert_eq!(
            message.matches(". ").count(),
            0,
            "more than one sentence: {message}"
        );
    }
}

#[tokio::test]
async fn a_new_sqlite_path_is_created_with_its_folders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("vigie.db");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(path.is_file());
    store.close().await;
}

#[tokio::test]
async fn an_in_memory_sqlite_store_keeps_its_data_while_open() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let feed = [crate::support::member("KE", vigie_rules::MemberStatus::Active)];
    store
        .sync_members("members", &feed, crate::support::at("2025-01-01T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(store.members(None).await.unwrap().len(), 1);
}
