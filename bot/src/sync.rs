//! Syncing feeds: fetch, parse, store, and record the feed's health, whatever happens.
//!
//! A feed that fails to fetch or parse changes nothing but its health record: the last good
//! data stays, and the error is kept for `vigie feeds` to show.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vigie_feeds::{
    Countries, FeedData, FeedError, FeedKind, Fetched, Fetcher, ParseContext, Source, Validators,
};
use vigie_rules::{Jurisdiction, JurisdictionCode};
use vigie_storage::{Store, SyncCounts};

use crate::config::Feed;

/// What one feed's sync did.
#[derive(Debug)]
pub enum Outcome {
    Synced {
        counts: SyncCounts,
        items: usize,
        warnings: Vec<String>,
    },
    NotModified,
    Failed(String),
}

/// Syncs feeds into a store.
pub struct Syncer {
    store: Store,
    fetcher: Fetcher,
    countries: Countries,
}

impl Syncer {
    pub async fn new(store: Store, fetcher: Fetcher) -> anyhow::Result<Self> {
        let countries = Countries::bundled()?;
        store.upsert_jurisdictions(&countries.jurisdictions()).await?;
        Ok(Self {
            store,
            fetcher,
            countries,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn countries(&self) -> &Countries {
        &self.countries
    }

    /// Syncs one feed and records its health. Only a storage failure is an `Err`: everything that
    /// can go wrong with the feed itself is an [`Outcome::Failed`], recorded.
    pub async fn sync(&self, feed: &Feed, now: DateTime<Utc>) -> anyhow::Result<Outcome> {
        self.store
            .record_feed_attempt(&feed.name, feed.kind.as_str(), now)
            .await?;
        let result = self.fetch_and_store(feed, now).await;
        match result {
            Ok(Some((counts, items, validators, warnings))) => {
                let stored = vigie_storage::Validators {
                    etag: validators.etag,
                    last_modified: validators.last_modified,
                };
                self.store
                    .record_feed_success(&feed.name, now, &counts, items, &stored)
                    .await?;
                for w in &warnings {
                    tracing::warn!(feed = %feed.name, "{w}");
                }
                Ok(Outcome::Synced {
                    counts,
                    items,
                    warnings,
                })
            }
            Ok(None) => {
                self.store.record_feed_not_modified(&feed.name, now).await?;
                Ok(Outcome::NotModified)
            }
            Err(Failure::Feed(e)) => {
                let message = e.to_string();
                tracing::warn!(feed = %feed.name, error = %message, "feed failed; the last good data is kept");
                self.store.record_feed_failure(&feed.name, now, &message).await?;
                Ok(Outcome::Failed(message))
            }
            Err(Failure::Storage(e)) => Err(e),
        }
    }

    async fn fetch_and_store(
        &self,
        feed: &Feed,
        now: DateTime<Utc>,
    ) -> Result<Option<(SyncCounts, usize, Validators, Vec<String>)>, Failure> {
        let previous = self
            .store
            .feed_health(&feed.name)
            .await
            .map_err(Failure::storage)?;
        // Conditional GET only makes sense for one document at one URL.
        let validators = match (&feed.source, feed.kind.files().is_empty(), previous) {
            (Source::Url(_), true, Some(h)) => Validators {
                etag: h.validators.etag,
                last_modified: h.validators.last_modified,
            },
            _ => Validators::default(),
        };
        let mut documents = Vec::new();
        let mut new_validators = Validators::default();
        // One document, or each file of a folder-like feed (ParlGov's tables).
        let files: Vec<Option<&str>> = if feed.kind.files().is_empty() {
            vec![None]
        } else {
            feed.kind.files().iter().map(|f| Some(*f)).collect()
        };
        for file in files {
            match self
                .fetcher
                .fetch(&feed.source, file, &validators)
                .await
                .map_err(Failure::Feed)?
            {
                Fetched::NotModified => return Ok(None),
                Fetched::Document { bytes, validators } => {
                    documents.push(bytes);
                    new_validators = validators;
                }
            }
        }
        let resolver = self.resolver(feed.kind).await.map_err(Failure::storage)?;
        let resolve = |text: &str| resolve_member(&resolver, &self.countries, text);
        let cx = ParseContext {
            countries: &self.countries,
            ics: &feed.ics,
            patterns: &feed.patterns,
            resolve: &resolve,
        };
        let data = vigie_feeds::parse(feed.kind, &documents, &cx).map_err(Failure::Feed)?;
        let items = data.items();
        let counts = self.store_data(feed, &data, now).await?;
        Ok(Some((counts, items, new_validators, data.warnings)))
    }

    async fn store_data(
        &self,
        feed: &Feed,
        data: &FeedData,
        now: DateTime<Utc>,
    ) -> Result<SyncCounts, Failure> {
        let counts = match feed.kind {
            FeedKind::MembersCsv | FeedKind::MembersJson => {
                let local: Vec<Jurisdiction> = data
                    .members
                    .iter()
                    .filter(|m| !m.code.is_national())
                    .map(|m| Jurisdiction {
                        code: m.code.clone(),
                        name: m.name.clone(),
                        level: m.level,
                        region: m.region,
                    })
                    .collect();
                self.store
                    .upsert_jurisdictions(&local)
                    .await
                    .map_err(Failure::storage)?;
                self.store
                    .sync_members(&feed.name, &data.members, now)
                    .await
                    .map_err(Failure::storage)?
            }
            FeedKind::Status => {
                let counts = self
                    .store
                    .sync_status_candidates(&feed.name, &data.candidates, now)
                    .await
                    .map_err(Failure::storage)?;
                for pending in self
                    .store
                    .pending_status_candidates()
                    .await
                    .map_err(Failure::storage)?
                {
                    let c = &pending.candidate;
                    if pending.feed == feed.name && c.automatic && c.member.is_some() && c.status.is_some() {
                        let actor = format!("feed:{}", feed.name);
                        self.store
                            .decide_status_candidate(pending.id, true, &actor, now)
                            .await
                            .map_err(Failure::storage)?;
                    }
                }
                counts
            }
            _ => self
                .store
                .sync_events(&feed.name, &data.events, now)
                .await
                .map_err(Failure::storage)?,
        };
        Ok(counts)
    }

    /// Member names, for status patterns that capture a name rather than a code.
    async fn resolver(&self, kind: FeedKind) -> anyhow::Result<HashMap<String, JurisdictionCode>> {
        if kind != FeedKind::Status {
            return Ok(HashMap::new());
        }
        Ok(self
            .store
            .members(None)
            .await?
            .into_iter()
            .map(|m| (m.name.to_lowercase(), m.code))
            .collect())
    }
}

fn resolve_member(
    names: &HashMap<String, JurisdictionCode>,
    countries: &Countries,
    text: &str,
) -> Option<JurisdictionCode> {
    let t = text.trim();
    names
        .get(&t.to_lowercase())
        .cloned()
        .or_else(|| countries.lookup(t).map(|c| JurisdictionCode::from(c.code)))
        .or_else(|| {
            JurisdictionCode::parse(t)
                .ok()
                .filter(|c| names.values().any(|v| v == c))
        })
}

enum Failure {
    Feed(FeedError),
    Storage(anyhow::Error),
}

impl Failure {
    fn storage(e: impl Into<anyhow::Error>) -> Self {
        Self::Storage(e.into())
    }
}
