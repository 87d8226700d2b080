//! Full ParlGov ingest into a fresh SQLite file: fetch (bundled), parse, diff and store the
//! 2,646 events in one transaction, as `vigie feeds sync parlgov` does on first run.
//! Target: well under one second. Run with `cargo bench -p vigie --bench ingest`.

use std::time::Duration;

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use vigie::config::{ConfigSource, load};
use vigie::sync::{Outcome, Syncer};

fn ingest(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let config = load(ConfigSource::Default, Vec::new()).expect("the default configuration");
    let feed = config.feed("parlgov").expect("the parlgov feed").clone();
    let mut group = c.benchmark_group("parlgov");
    group.sample_size(20).measurement_time(Duration::from_secs(20));

    group.bench_function("first ingest into a new SQLite file", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
                let syncer = rt.block_on(async {
                    let store = vigie_storage::Store::open(&url).await.expect("the store opens");
                    let fetcher = vigie_feeds::Fetcher::new(config.http.settings()).expect("a fetcher");
                    Syncer::new(store, fetcher).await.expect("a syncer")
                });
                (dir, syncer)
            },
            |(dir, syncer)| {
                let outcome = rt
                    .block_on(syncer.sync(&feed, Utc::now()))
                    .expect("the sync runs");
                assert!(
                    matches!(outcome, Outcome::Synced { items: 2646, .. }),
                    "{outcome:?}"
                );
                drop(dir);
            },
            BatchSize::PerIteration,
        );
    });

    group.bench_function("re-sync with no change", |b| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
        let syncer = rt.block_on(async {
            let store = vigie_storage::Store::open(&url).await.expect("the store opens");
            let fetcher = vigie_feeds::Fetcher::new(config.http.settings()).expect("a fetcher");
            let syncer = Syncer::new(store, fetcher).await.expect("a syncer");
            syncer.sync(&feed, Utc::now()).await.expect("the first sync");
            syncer
        });
        b.iter(|| {
            rt.block_on(syncer.sync(&feed, Utc::now()))
                .expect("the sync runs")
        });
    });
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
