//! Opening a store: choosing the backend from the URL, connecting and migrating.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

use crate::StorageError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long a SQLite writer waits for another to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Vigie's storage, on SQLite or PostgreSQL. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
}

impl Store {
    /// Opens (and on SQLite creates, with its folder) the database at `url` and brings its schema
    /// up to date.
    ///
    /// `url` is `sqlite:path/to/vigie.db` (or `sqlite://path/to/vigie.db`; `sqlite::memory:` for a
    /// throw-away database) or `postgres://user@host/database` (`postgresql://` too).
    pub async fn open(url: &str) -> Result<Store, StorageError> {
        let url = url.trim();
        if url.starts_with("sqlite:") {
            Self::open_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::open_postgres(url).await
        } else {
            Err(StorageError::UnsupportedUrl {
                given: describe_url(url),
            })
        }
    }

    async fn open_sqlite(url: &str) -> Result<Store, StorageError> {
        let backend = Backend::Sqlite;
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|source| StorageError::BadUrl { backend, source })?
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Safe with WAL (a power cut may lose the last commits, never corrupt the file), and
            // it spares an fsync per transaction.
            .synchronous(SqliteSynchronous::Normal)
            // 512 KiB of page cache per connection instead of SQLite's 2 MiB: Vigie's working set
            // is small and the operating system caches the file too, while a bot's memory over
            // weeks (each connection's cache fills up to its limit) counts more than a cold read.
            .pragma("cache_size", "-512")
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool_options = if in_memory {
            // An in-memory database lives as long as one of its connections: keep exactly one.
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            if let Some(folder) = options.get_filename().parent()
                && !folder.as_os_str().is_empty()
            {
                std::fs::create_dir_all(folder).map_err(|source| StorageError::CreateFolder {
                    path: folder.to_owned(),
                    source,
                })?;
            }
            SqlitePoolOptions::new().max_connections(4)
        };
        let pool = pool_options
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Connect { backend, source })?;
        SQLITE_MIGRATIONS
            .run(&pool)
            .await
            .map_err(|source| StorageError::Migrate { backend, source })?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
        })
    }

    async fn open_postgres(url: &str) -> Result<Store, StorageError> {
        let backend = Backend::Postgres;
        let options =
            PgConnectOptions::from_str(url).map_err(|source| StorageError::BadUrl { backend, source })?;
        let pool = PgPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|source| StorageError::Connect { backend, source })?;
        // sqlx takes an advisory lock while migrating, so two processes starting at once are safe.
        POSTGRES_MIGRATIONS
            .run(&pool)
            .await
            .map_err(|source| StorageError::Migrate { backend, source })?;
        Ok(Store {
            pool: Pool::Postgres(pool),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection, waiting for queries in flight. Later calls fail.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

/// The start of a URL that was refused, without anything that may be a password.
fn describe_url(url: &str) -> String {
    match url.split_once(':') {
        Some((scheme, _)) => format!("\"{scheme}:…\""),
        None if url.is_empty() => "an empty text".to_owned(),
        None => format!("\"{url}\""),
    }
}

/// What differs between the two drivers beyond the SQL they share.
pub(crate) trait Driver {
    type Db: sqlx::Database;

    /// Rows per multi-row write statement.
    fn batch_rows(&self) -> usize;

    /// Begins a transaction holding the write lock (SQLite) or the advisory lock named `lock`
    /// (PostgreSQL), so that two writers of the same thing queue instead of failing half-way.
    async fn begin_write(&self, lock: &str) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

impl Driver for SqlitePool {
    type Db = Sqlite;

    /// One statement per 64 rows instead of per row: the rows cross to SQLite's worker thread in
    /// one message. 64 rows of at most 10 parameters stay under the smallest limit SQLite ever
    /// had on parameters (999), and full batches reuse one prepared statement.
    fn batch_rows(&self) -> usize {
        64
    }

    async fn begin_write(&self, _lock: &str) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        // A deferred transaction that reads first cannot upgrade to a writer if another connection
        // committed in between (SQLITE_BUSY_SNAPSHOT, not retried); IMMEDIATE waits up front.
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl Driver for PgPool {
    type Db = Postgres;

    /// One row per statement. sqlx 0.9.0 does not set TCP_NODELAY (sqlx issue #4335, fixed after
    /// 0.9.0), so a statement larger than one TCP segment waits ~40 ms for a delayed ACK: 100-row
    /// batches made a 2,700-event ingest three times slower than rows one by one. Raise this once
    /// sqlx sets TCP_NODELAY again.
    fn batch_rows(&self) -> usize {
        1
    }

    async fn begin_write(&self, lock: &str) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(lock_key(lock))
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

/// A stable 64-bit key for an advisory lock (FNV-1a: the same in every process and version).
fn lock_key(name: &str) -> i64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    i64::from_ne_bytes(hash.to_ne_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_url_shows_only_its_scheme() {
        assert_eq!(describe_url("mysql://root:secret@db/vigie"), "\"mysql:…\"");
        assert_eq!(describe_url("vigie.db"), "\"vigie.db\"");
        assert_eq!(describe_url(""), "an empty text");
    }

    #[test]
    fn lock_keys_are_stable() {
        assert_eq!(
            lock_key(""),
            i64::from_ne_bytes(0xcbf2_9ce4_8422_2325_u64.to_ne_bytes())
        );
        assert_ne!(lock_key("events:a"), lock_key("events:b"));
    }
}
