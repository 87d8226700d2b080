use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use vigie_storage::{Backend, InstanceLockError, LeaderGuard, Store};

use crate::support::TestDb;

/// Tries to lead `name` until it works or `within` has passed.
async fn lead_within(store: &Store, name: &str, within: Duration) -> Option<LeaderGuard> {
    let start = Instant::now();
    loop {
        if let Some(guard) = store.try_lead(name).await.unwrap() {
            return Some(guard);
        }
        if start.elapsed() > within {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn leadership_is_exclusive_per_name_and_released_by_its_guard(db: TestDb) {
    // A second store on the same database stands for another replica.
    let other = Store::open(&db.url).await.unwrap();
    let mut leader = db
        .store
        .try_lead("engine")
        .await
        .unwrap()
        .expect("the first leads");
    assert_eq!(leader.name(), "engine");
    assert!(other.try_lead("engine").await.unwrap().is_none());
    assert!(db.store.try_lead("engine").await.unwrap().is_none());
    // Another name is led independently.
    let digest = other.try_lead("digest").await.unwrap().expect("another name");
    assert!(leader.still_leading().await);

    leader.release().await;
    let mut next = other
        .try_lead("engine")
        .await
        .unwrap()
        .expect("free once released");
    assert!(next.still_leading().await);
    assert!(db.store.try_lead("engine").await.unwrap().is_none());
    drop(digest);
    drop(next);
    other.close().await;
}

pub async fn a_dropped_or_killed_leader_frees_leadership(db: TestDb) {
    let other = Store::open(&db.url).await.unwrap();
    let guard = db.store.try_lead("engine").await.unwrap().expect("leads");
    drop(guard);
    let mut guard = lead_within(&other, "engine", Duration::from_secs(5))
        .await
        .expect("a dropped guard frees leadership");
    assert!(db.store.try_lead("engine").await.unwrap().is_none());

    if db.store.backend() == Backend::Postgres {
        // The leader's connection dies (a killed process, a network cut): the lock goes with it.
        let mut admin = PgConnection::connect(&db.url).await.unwrap();
        let killed: Vec<(bool,)> = sqlx::query_as(
            "SELECT pg_terminate_backend(pid) FROM pg_locks
             WHERE locktype = 'advisory' AND granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_all(&mut admin)
        .await
        .unwrap();
        assert_eq!(killed, [(true,)]);
        admin.close().await.unwrap();
        assert!(!guard.still_leading().await, "the lock's connection is gone");
        assert!(!guard.still_leading().await, "and stays gone");
        let mut next = lead_within(&db.store, "engine", Duration::from_secs(5))
            .await
            .expect("a killed leader frees leadership");
        assert!(next.still_leading().await);
    } else {
        assert!(guard.still_leading().await);
    }
    other.close().await;
}

pub async fn a_second_instance_on_one_sqlite_database_is_refused(db: TestDb) {
    let lock = db.store.lock_instance().await.unwrap();
    let other = Store::open(&db.url).await.unwrap();
    match db.store.backend() {
        Backend::Sqlite => {
            let path = lock.path().expect("a lock file").to_owned();
            assert!(
                path.to_string_lossy().ends_with("vigie.db.lock"),
                "{}",
                path.display()
            );
            let refused = other.lock_instance().await.unwrap_err();
            assert!(
                matches!(refused, InstanceLockError::AlreadyRunning { .. }),
                "{refused:?}"
            );
            let database = path.to_string_lossy().trim_end_matches(".lock").to_owned();
            assert_eq!(
                refused.to_string(),
                format!(
                    "another Vigie is already running on {database} (lock {}); stop it first or \
                     use PostgreSQL for several replicas",
                    path.display()
                )
            );
            drop(lock);
            let again = other.lock_instance().await.expect("free once the first stopped");
            assert_eq!(again.path(), Some(path.as_path()));
        }
        Backend::Postgres => {
            // Replicas may share a PostgreSQL database: nothing is locked.
            assert_eq!(lock.path(), None);
            assert_eq!(other.lock_instance().await.unwrap().path(), None);
        }
    }
    other.close().await;
}

pub async fn an_in_memory_sqlite_database_needs_no_lock(_db: TestDb) {
    let memory = Store::open("sqlite::memory:").await.unwrap();
    let lock = memory.lock_instance().await.unwrap();
    assert_eq!(lock.path(), None);
    let mut guard = memory.try_lead("engine").await.unwrap().expect("leads");
    assert!(guard.still_leading().await);
    memory.close().await;
}
