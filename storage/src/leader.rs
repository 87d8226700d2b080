//! Who runs the jobs that must run once: one leader among the replicas sharing a PostgreSQL
//! database, and one Vigie per SQLite database.
//!
//! - On PostgreSQL, [`Store::try_lead`] takes a session advisory lock on a connection of its own,
//!   outside the pool: the lock lasts as long as that connection, so a leader that is killed, or
//!   loses its connection, frees it for another replica at once. [`Store::lock_instance`] takes
//!   nothing: several replicas may share the database.
//! - On SQLite, [`Store::lock_instance`] takes an exclusive lock on a file beside the database
//!   (`vigie.db.lock`), held until the [`InstanceLock`] is dropped or the process ends, so a
//!   second Vigie on the same database refuses to start. Within that one process,
//!   [`Store::try_lead`] grants each name to one guard at a time.

use std::collections::BTreeSet;
use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqlitePool;
use sqlx::{Connection, Row};

use crate::store::Pool;
use crate::{Backend, StorageError, Store};

/// The first key of Vigie's leader locks ("VGLD"): PostgreSQL keeps two-key advisory locks apart
/// from the one-key locks of `begin_write`, so the two never collide.
const LEADER_LOCK_CLASS: i32 = 0x5647_4c44;

/// The SQLite leaderships held in this process, as "database file\nname".
static SQLITE_LEADERS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Leadership of one name, held until dropped (or, on PostgreSQL, until its connection dies).
pub struct LeaderGuard {
    name: String,
    leader: Leader,
}

enum Leader {
    /// The connection holding the advisory lock; `None` once released.
    Postgres(Option<PgConnection>),
    /// The key in [`SQLITE_LEADERS`]; `None` for an in-memory database, private to its store.
    Sqlite(Option<String>),
}

impl fmt::Debug for LeaderGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let backend = match self.leader {
            Leader::Postgres(_) => Backend::Postgres,
            Leader::Sqlite(_) => Backend::Sqlite,
        };
        f.debug_struct("LeaderGuard")
            .field("name", &self.name)
            .field("backend", &backend)
            .finish()
    }
}

impl LeaderGuard {
    /// The name led.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether leadership still holds: on PostgreSQL, whether the lock's connection still
    /// answers (a connection that died took the lock with it, and another replica may lead now).
    /// Once `false`, it stays `false`: stop the leader's work and try to lead again.
    ///
    /// Over a network that silently drops packets the answer may take as long as TCP takes to
    /// give up: call it under a timeout, and treat a timeout as `false`.
    pub async fn still_leading(&mut self) -> bool {
        match &mut self.leader {
            Leader::Postgres(conn) => {
                let alive = match conn.as_mut() {
                    Some(c) => c.ping().await.is_ok(),
                    None => false,
                };
                if !alive {
                    *conn = None;
                }
                alive
            }
            Leader::Sqlite(_) => true,
        }
    }

    /// Gives leadership up now, waiting until another replica can take it (dropping the guard
    /// gives it up too, as soon as the database notices the connection closed).
    pub async fn release(mut self) {
        if let Leader::Postgres(conn) = &mut self.leader
            && let Some(mut conn) = conn.take()
        {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1, hashtext($2))")
                .bind(LEADER_LOCK_CLASS)
                .bind(&self.name)
                .execute(&mut conn)
                .await;
            let _ = conn.close().await;
        }
    }
}

impl Drop for LeaderGuard {
    fn drop(&mut self) {
        // A PostgreSQL connection dropped closes its socket: the server ends the session and its
        // locks with it.
        if let Leader::Sqlite(Some(key)) = &self.leader {
            SQLITE_LEADERS
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .remove(key);
        }
    }
}

/// Why this process may not use a SQLite database.
#[derive(Debug, thiserror::Error)]
pub enum InstanceLockError {
    #[error(
        "another Vigie is already running on {} (lock {}); stop it first or use PostgreSQL for several replicas",
        database.display(),
        lock.display()
    )]
    AlreadyRunning { database: PathBuf, lock: PathBuf },

    #[error("could not lock {} beside the SQLite database", lock.display())]
    Lock {
        lock: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The right to run on a SQLite database, held until dropped or the process ends. On
/// PostgreSQL, and for an in-memory SQLite database, it holds nothing.
#[derive(Debug)]
pub struct InstanceLock {
    file: Option<(PathBuf, File)>,
}

impl InstanceLock {
    /// The lock file held, if any.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|(path, _)| path.as_path())
    }
}

/// The file of a SQLite database's main schema; `None` in memory.
async fn sqlite_file(pool: &SqlitePool) -> Result<Option<PathBuf>, sqlx::Error> {
    let row = sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .fetch_optional(pool)
        .await?;
    let file: Option<String> = match row {
        Some(row) => row.try_get(0)?,
        None => None,
    };
    Ok(file.filter(|f| !f.is_empty()).map(PathBuf::from))
}

fn lock_file(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl Store {
    /// Tries to become the leader for `name`: a guard if no one else leads it, `None` if another
    /// holds it (another replica, or another guard of this process).
    pub async fn try_lead(&self, name: &str) -> Result<Option<LeaderGuard>, StorageError> {
        match &self.pool {
            Pool::Postgres(pool) => {
                let options = pool.connect_options();
                let mut conn =
                    PgConnection::connect_with(&options)
                        .await
                        .map_err(|source| StorageError::Connect {
                            backend: Backend::Postgres,
                            source,
                        })?;
                // The server probes an idle client after 30 s and gives up on it after three
                // unanswered probes 10 s apart: a leader cut off by the network frees the lock in
                // about a minute rather than the system's default of hours.
                sqlx::raw_sql(
                    "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10;
                     SET tcp_keepalives_count = 3",
                )
                .execute(&mut conn)
                .await?;
                let (won,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1, hashtext($2))")
                    .bind(LEADER_LOCK_CLASS)
                    .bind(name)
                    .fetch_one(&mut conn)
                    .await?;
                if !won {
                    let _ = conn.close().await;
                    return Ok(None);
                }
                Ok(Some(LeaderGuard {
                    name: name.to_owned(),
                    leader: Leader::Postgres(Some(conn)),
                }))
            }
            Pool::Sqlite(pool) => {
                let key = sqlite_file(pool)
                    .await?
                    .map(|file| format!("{}\n{name}", file.display()));
                if let Some(key) = &key {
                    let mut held = SQLITE_LEADERS
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    if !held.insert(key.clone()) {
                        return Ok(None);
                    }
                }
                Ok(Some(LeaderGuard {
                    name: name.to_owned(),
                    leader: Leader::Sqlite(key),
                }))
            }
        }
    }

    /// Takes the right to run on this database: on SQLite, an exclusive lock on the file beside
    /// it (`<database>.lock`, which then holds this process's id), refused at once if another
    /// process holds it; on PostgreSQL, and in memory, nothing to take.
    pub async fn lock_instance(&self) -> Result<InstanceLock, InstanceLockError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Ok(InstanceLock { file: None });
        };
        let Some(database) = sqlite_file(pool).await.map_err(StorageError::from)? else {
            return Ok(InstanceLock { file: None });
        };
        let lock = lock_file(&database);
        let io = |source| InstanceLockError::Lock {
            lock: lock.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(InstanceLockError::AlreadyRunning {
                    database,
                    lock: lock.clone(),
                });
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
        // Who holds it, for a person looking at the file; the lock is what counts.
        file.set_len(0)
            .and_then(|()| writeln!(file, "{}", std::process::id()))
            .map_err(io)?;
        Ok(InstanceLock {
            file: Some((lock, file)),
        })
    }
}
