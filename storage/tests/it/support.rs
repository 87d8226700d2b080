//! Fresh databases for each test, and small builders of domain values.

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Connection, PgConnection};
use vigie_rules::{
    ActionPlan, CalendarEvent, EventDate, EventKind, EventStatus, Jurisdiction, JurisdictionCode,
    JurisdictionLevel, Member, MemberStatus, Region,
};
use vigie_storage::{Backend, Store};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PREFIX: &str = "vigie_test_";

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A store on a database of its own, removed when the test ends (passed or failed).
pub struct TestDb {
    pub store: Store,
    /// The URL the store was opened with, to open it again.
    pub url: String,
    // Dropped after the store (fields drop in order).
    _cleanup: Cleanup,
}

/// Held only to be dropped: removes the database when the test ends.
enum Cleanup {
    Sqlite { _folder: tempfile::TempDir },
    Postgres { _database: PostgresDatabase },
}

/// Runs one test on a fresh database of the given kind.
pub async fn run<F, Fut>(kind: Kind, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let db = match kind {
        Kind::Sqlite => sqlite().await,
        Kind::Postgres => postgres().await,
    };
    let expected = match kind {
        Kind::Sqlite => Backend::Sqlite,
        Kind::Postgres => Backend::Postgres,
    };
    assert_eq!(db.store.backend(), expected);
    test(db).await;
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // A folder that does not exist yet: opening must create it.
    let path = dir.path().join("data").join("vigie.db");
    let url = format!("sqlite:{}", path.display());
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("opening {url}: {e:?}"));
    TestDb {
        store,
        url,
        _cleanup: Cleanup::Sqlite { _folder: dir },
    }
}

fn admin_url() -> String {
    std::env::var("VIGIE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

async fn admin_connection(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is not reachable at {url} ({e}). The postgres:: tests need a running server \
             that accepts this admin URL: start the local one with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or set VIGIE_TEST_POSTGRES_URL to another admin URL."
        )
    })
}

/// The admin URL with its database replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

static NEXT: AtomicU32 = AtomicU32::new(0);
static STALE_DROPPED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

async fn postgres() -> TestDb {
    let admin = admin_url();
    let mut conn = admin_connection(&admin).await;
    STALE_DROPPED.get_or_init(|| drop_stale_databases(&admin)).await;
    let name = format!(
        "{PREFIX}{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("creating the test database {name}: {e}"));
    let _ = conn.close().await;
    // From here on the database is dropped however the test ends.
    let cleanup = Cleanup::Postgres {
        _database: PostgresDatabase {
            admin: admin.clone(),
            name: name.clone(),
        },
    };
    let url = with_database(&admin, &name);
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("opening {url}: {e:?}"));
    TestDb {
        store,
        url,
        _cleanup: cleanup,
    }
}

/// Drops test databases left by runs that were killed before they could clean up: those whose
/// name carries the id of a process that no longer exists.
async fn drop_stale_databases(admin: &str) {
    let mut conn = admin_connection(admin).await;
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'vigie\\_test\\_%'")
            .fetch_all(&mut conn)
            .await
            .expect("listing test databases");
    for (name,) in names {
        let pid = name[PREFIX.len()..]
            .split('_')
            .next()
            .and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await;
        }
    }
    let _ = conn.close().await;
}

struct PostgresDatabase {
    admin: String,
    name: String,
}

impl Drop for PostgresDatabase {
    /// Drops the database before the test returns, on a thread of its own (the test's runtime may
    /// be unwinding from a panic, and `Drop` cannot await).
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin).await.map_err(|e| e.to_string())?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
                conn.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database {}: {e}", self.name),
            Err(_) => eprintln!(
                "could not drop the test database {}: the cleanup thread panicked",
                self.name
            ),
        }
    }
}

// ---- domain values ----

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .with_timezone(&Utc)
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::from_str(text).expect("a YYYY-MM-DD day")
}

pub fn code(text: &str) -> JurisdictionCode {
    JurisdictionCode::parse(text).expect("a jurisdiction code")
}

pub fn date(text: &str) -> EventDate {
    text.parse().expect("an event date")
}

pub fn event(uid: &str, jurisdiction: &str, when: &str, kind: EventKind) -> CalendarEvent {
    CalendarEvent {
        uid: uid.to_owned(),
        jurisdiction: code(jurisdiction),
        kind,
        title: format!("{kind} election in {jurisdiction}"),
        date: date(when),
        status: EventStatus::Scheduled,
        caretaker: false,
        source: None,
        notes: None,
        attributes: Default::default(),
    }
}

pub fn election(uid: &str, jurisdiction: &str, when: &str) -> CalendarEvent {
    event(uid, jurisdiction, when, EventKind::Legislative)
}

pub fn jurisdiction(code_text: &str, name: &str, level: JurisdictionLevel, region: Region) -> Jurisdiction {
    Jurisdiction {
        code: code(code_text),
        name: name.to_owned(),
        level,
        region,
    }
}

pub fn member(code_text: &str, status: MemberStatus) -> Member {
    let code = code(code_text);
    Member {
        level: if code.is_national() {
            JurisdictionLevel::National
        } else {
            JurisdictionLevel::Local
        },
        name: format!("Member {code_text}"),
        code,
        region: Region::Europe,
        status,
        status_since: None,
        joined: Some(2011),
        action_plan: ActionPlan::default(),
        notes: None,
    }
}
