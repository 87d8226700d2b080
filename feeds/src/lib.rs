//! Vigie's feeds: fetching documents and reading them into the domain's types.
//!
//! A feed is declared in the configuration by a name, a [`FeedKind`], a [`Source`] and a refresh
//! interval. This crate fetches its bytes ([`fetch`]) and parses them ([`parse`]) into calendar
//! events, members or status candidates of `vigie-rules`. It never writes anything: deciding
//! what changed and keeping the last good data is the storage's job, so a feed that fails here
//! simply returns an error and the caller records it.
//!
//! It may depend on `vigie-rules` and on I/O crates for fetching (reqwest, tokio), never on
//! storage or chat crates.

pub mod bundled;
pub mod country;
pub mod event_file;
pub mod fetch;
pub mod ical;
mod ics_feed;
pub mod member_file;
pub mod parlgov;
mod record;
pub mod source;
pub mod status;
pub mod term_file;
pub mod text;

use std::fmt;

use serde::Deserialize;
use vigie_rules::{CalendarEvent, JurisdictionCode, Member, StatusCandidate};

pub use country::Countries;
pub use fetch::{Fetched, Fetcher, HttpSettings, Validators};
pub use ics_feed::IcsSettings;
pub use source::Source;
pub use status::{CompiledPattern, StatusPattern};

/// What a feed contains and in which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeedKind {
    /// An iCalendar (RFC 5545) calendar of events.
    Ics,
    /// Calendar events in Vigie's CSV schema.
    EventsCsv,
    /// Calendar events in Vigie's JSON schema.
    EventsJson,
    /// OGP members in Vigie's CSV schema.
    MembersCsv,
    /// OGP members in Vigie's JSON schema.
    MembersJson,
    /// An Atom or RSS feed whose entries may announce member status changes.
    Status,
    /// The ParlGov tables (a folder or base URL holding country.csv, election.csv, cabinet.csv).
    Parlgov,
}

impl FeedKind {
    pub const ALL: [FeedKind; 7] = [
        Self::Ics,
        Self::EventsCsv,
        Self::EventsJson,
        Self::MembersCsv,
        Self::MembersJson,
        Self::Status,
        Self::Parlgov,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ics => "ics",
            Self::EventsCsv => "events-csv",
            Self::EventsJson => "events-json",
            Self::MembersCsv => "members-csv",
            Self::MembersJson => "members-json",
            Self::Status => "status",
            Self::Parlgov => "parlgov",
        }
    }

    /// The files a feed of this kind is made of, when it is a folder or base URL.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Self::Parlgov => &parlgov::FILES,
            _ => &[],
        }
    }
}

impl fmt::Display for FeedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two tabular formats of Vigie's own schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Why a feed could not be read. The last good data stays; this is recorded in its health.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("{0}")]
    Fetch(String),
    #[error("the document is larger than the limit of {limit} bytes; raise http.max_body if it is expected")]
    TooLarge { limit: u64 },
    #[error("{}", summarise(.0))]
    Invalid(Vec<String>),
}

fn summarise(problems: &[String]) -> String {
    match problems {
        [] => "the document is invalid".into(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} (and {} more: {})", rest.len(), rest.join("; ")),
    }
}

/// What a feed said, once parsed.
#[derive(Debug, Default)]
pub struct FeedData {
    pub events: Vec<CalendarEvent>,
    pub members: Vec<Member>,
    pub candidates: Vec<StatusCandidate>,
    /// Problems that did not stop the feed (an iCalendar event skipped, for example).
    pub warnings: Vec<String>,
}

impl FeedData {
    pub fn items(&self) -> usize {
        self.events.len() + self.members.len() + self.candidates.len()
    }
}

/// Everything parsing needs besides the bytes.
pub struct ParseContext<'a> {
    pub countries: &'a Countries,
    pub ics: &'a IcsSettings,
    pub patterns: &'a [CompiledPattern],
    /// Finds a member's code from a name or code captured by a status pattern.
    pub resolve: &'a (dyn Fn(&str) -> Option<JurisdictionCode> + Sync),
}

/// Parses the documents of a feed; `documents` holds one entry per file of [`FeedKind::files`],
/// or a single document.
pub fn parse(kind: FeedKind, documents: &[Vec<u8>], cx: &ParseContext<'_>) -> Result<FeedData, FeedError> {
    let one = || {
        documents
            .first()
            .map(Vec::as_slice)
            .ok_or_else(|| FeedError::Fetch("no document was fetched".into()))
    };
    let mut data = FeedData::default();
    match kind {
        FeedKind::Ics => {
            let (events, warnings) = ics_feed::parse(one()?, cx.ics, cx.countries)?;
            data.events = events;
            data.warnings = warnings;
        }
        FeedKind::EventsCsv => data.events = event_file::parse(one()?, Format::Csv, cx.countries)?,
        FeedKind::EventsJson => data.events = event_file::parse(one()?, Format::Json, cx.countries)?,
        FeedKind::MembersCsv => data.members = member_file::parse(one()?, Format::Csv, cx.countries)?,
        FeedKind::MembersJson => data.members = member_file::parse(one()?, Format::Json, cx.countries)?,
        FeedKind::Status => data.candidates = status::parse(one()?, cx.patterns, cx.resolve)?,
        FeedKind::Parlgov => {
            let [country, election, cabinet] = documents else {
                return Err(FeedError::Fetch(
                    "ParlGov needs country.csv, election.csv and cabinet.csv".into(),
                ));
            };
            data.events = parlgov::parse(
                &parlgov::Tables {
                    country,
                    election,
                    cabinet,
                },
                cx.countries,
            )?;
        }
    }
    Ok(data)
}
