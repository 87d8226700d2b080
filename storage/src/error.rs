//! The one error type of the crate.

use std::path::PathBuf;

use vigie_rules::JurisdictionCode;
use vigie_rules::window::WindowId;

use crate::Backend;

/// What went wrong in storage, as one sentence; the driver's own error, if any, is the source.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "{given} is not a database URL Vigie can open; expected sqlite:path/to/vigie.db (or sqlite://path/to/vigie.db) or postgres://user@host/database"
    )]
    UnsupportedUrl {
        /// What the URL looked like, without anything after its scheme (it may hold a password).
        given: String,
    },

    #[error("the database URL for {backend} is malformed")]
    BadUrl {
        backend: Backend,
        #[source]
        source: sqlx::Error,
    },

    #[error("could not create the folder {} for the SQLite database", path.display())]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not connect to the {backend} database")]
    Connect {
        backend: Backend,
        #[source]
        source: sqlx::Error,
    },

    #[error("could not bring the {backend} database schema up to date")]
    Migrate {
        backend: Backend,
        #[source]
        source: sqlx::migrate::MigrateError,
    },

    #[error("a database query failed")]
    Query(#[from] sqlx::Error),

    #[error("feed \"{feed}\" lists the uid \"{uid}\" more than once; nothing was written")]
    DuplicateUid { feed: String, uid: String },

    #[error("feed \"{feed}\" lists the member {code} more than once; nothing was written")]
    DuplicateMember { feed: String, code: JurisdictionCode },

    #[error("feed \"{feed}\" lists the entry \"{entry_id}\" more than once; nothing was written")]
    DuplicateEntry { feed: String, entry_id: String },

    #[error("the jurisdiction {code} is listed more than once; nothing was written")]
    DuplicateJurisdiction { code: JurisdictionCode },

    #[error("the window {id} is listed more than once; nothing was written")]
    DuplicateWindow { id: WindowId },

    #[error("no member has the code {code}")]
    UnknownMember { code: JurisdictionCode },

    #[error("no status candidate has the id {id}")]
    UnknownCandidate { id: i64 },

    #[error("status candidate {id} was already {state} by {by}")]
    AlreadyDecided { id: i64, state: String, by: String },

    #[error("could not write {what} as JSON")]
    Encode {
        what: String,
        #[source]
        source: serde_json::Error,
    },

    #[error("the stored {what} is unreadable: {detail}")]
    Corrupt { what: String, detail: String },
}

impl StorageError {
    pub(crate) fn corrupt(what: impl Into<String>, detail: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            what: what.into(),
            detail: detail.to_string(),
        }
    }
}
