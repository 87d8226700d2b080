//! Vigie's storage: the jurisdiction registry, OGP members with their status history, calendar
//! events with their revisions, status candidates from Atom/RSS feeds, feed health, and the chat
//! side (peers, room subscriptions, language preferences, processed chat events, window
//! follow-ups with notes, the audit log, and the small values a chat platform keeps between runs)
//! — on SQLite (the embedded default: one file, created
//! with its schema on first run) or PostgreSQL.
//!
//! It depends on `vigie-rules` for the domain types and on sqlx for the databases, and on nothing
//! that fetches, schedules or talks to chat platforms: callers hand it values and a `now`.
//!
//! # One set of SQL, two native drivers
//!
//! Every query is written once, in SQL that both databases accept (`$1` placeholders work on both:
//! sqlx binds SQLite's `$N` parameters by number), and [`Store`] holds either a `SqlitePool` or a
//! `PgPool`. The `on_pool!` macro expands each method body once per driver, so the same text runs
//! on both through each driver's native types. sqlx's `Any` driver was the other candidate; the
//! native pools were preferred because
//! - SQLite gets typed connection options (WAL, `synchronous = NORMAL`, foreign keys, a busy
//!   timeout, create-if-missing, a path that is not re-parsed as a URL), where `Any` only takes a
//!   URL and would need PRAGMAs sent by hand on every connection;
//! - write transactions can start the way each backend needs (`BEGIN IMMEDIATE` on SQLite, so a
//!   read-then-write transaction never fails to upgrade its lock; a per-feed advisory lock on
//!   PostgreSQL, so two syncs of one feed queue instead of colliding), and bulk writes can use
//!   the batch size that is fastest on each (see `store::Driver`);
//! - there is no process-wide driver registry to install (`Any` panics if two crates install
//!   different driver sets) and no per-row conversion into `AnyValue`s.
//!
//! The cost is that each method body is compiled twice; the SQL and the logic are still written
//! once. Schemas live in `migrations/sqlite` and `migrations/postgres` (kept column-for-column
//! alike), are embedded with `sqlx::migrate!` and chosen at run time.
//!
//! # Storage conventions
//! - Dates are ISO `YYYY-MM-DD` text and timestamps fixed-width UTC RFC 3339 text with
//!   nanoseconds, so text order is time order on both backends and values round-trip exactly.
//!   An [`EventDate`](vigie_rules::EventDate) is kept in its canonical written form (`2027-03`,
//!   `~2027-03-01..2027-06-30`), which reads back to the same interval and precision.
//! - A calendar event is stored as the JSON of its [`CalendarEvent`](vigie_rules::CalendarEvent)
//!   (the truth) plus the columns the filters need (jurisdiction, country, kind, earliest,
//!   latest), which are derived from it on every write.
//! - Text compares and sorts byte by byte on both backends (PostgreSQL columns use `COLLATE "C"`),
//!   so listings come back in the same order from either.
//! - Nothing read back panics: unreadable data gives [`StorageError::Corrupt`] naming the row.
//! - Every change a person makes through chat writes its [`AuditEntry`] in the same transaction;
//!   a request that changes nothing writes none.

macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}

mod alert;
mod audit;
mod award;
mod candidate;
mod chat;
mod column;
mod error;
mod event;
mod feed;
mod follow_up;
mod jurisdiction;
mod leader;
mod member;
mod outbox;
mod peer;
mod platform_state;
mod schedule;
mod silence;
mod store;
mod subscription;
mod sync;
mod window;

pub use alert::{AlertRow, SentAlert, SentRow};
pub use audit::AuditEntry;
pub use award::StoredPoll;
pub use award::{AWARD_SCHEDULE_ACTOR, Advance, AwardStep, AwardStepped, AwardStoreError, award_target};
pub use candidate::{CandidateState, StoredCandidate};
pub use chat::{CallerProfile, LanguageScope};
pub use error::StorageError;
pub use event::{EventFilter, Revision, StoredEvent};
pub use feed::{FeedHealth, Validators};
pub use follow_up::{Claim, FollowUp, Note, Release};
pub use leader::{InstanceLock, InstanceLockError, LeaderGuard};
pub use member::{MemberRecord, StatusChange, StatusSource};
pub use outbox::{NewOutbox, OutboxImage, OutboxRow, OutboxState};
pub use peer::{Peer, Role};
pub use schedule::ScheduleRow;
pub use silence::{NewSilence, SilenceRow, Unsilence};
pub use store::{Backend, Store};
pub use subscription::{Subscription, SubscriptionKind};
pub use sync::SyncCounts;
pub use window::{StoredWindow, WindowChange, WindowFilter, WindowScope};
