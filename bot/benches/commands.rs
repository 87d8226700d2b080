//! Command handling inside Vigie, from a line of text to the reply handed to the platform, on
//! the bundled data in a SQLite file (windows evaluated, as in `vigie run`). The platform's own
//! work (network, encryption) is not included: `bench/matrix/` measures it end to end.
//! Target: p99 well under 10 ms. Run with `cargo bench -p vigie --bench commands`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use vigie::chat::{Caller, Chat, Platform};
use vigie::config::{ConfigSource, load};
use vigie::engine::Engine;
use vigie::metrics::Metrics;

fn commands(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = load(ConfigSource::Default, Vec::new()).expect("the default configuration");
    let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
    let chat = rt.block_on(async {
        let store = vigie_storage::Store::open(&url).await.expect("the store opens");
        let engine = Engine::new(config.clone(), store)
            .await
            .expect("the engine starts");
        for feed in &config.feeds {
            engine.sync(feed).await.expect("the bundled feed syncs");
        }
        engine
            .evaluate(chrono::Utc::now().date_naive())
            .await
            .expect("the windows evaluate");
        Chat::new(engine, Metrics::new())
    });
    let peer = Caller {
        platform: Platform::Matrix,
        user: "matrix:@peer:example.org".into(),
        room: "matrix:!room:example.org".into(),
        room_admin: true,
        direct: false,
    };
    let id = chat.engine().snapshot().windows[0].id.to_string();
    let mut group = c.benchmark_group("command");
    group.measurement_time(Duration::from_secs(10));
    for line in [
        "help".to_owned(),
        "windows".to_owned(),
        "windows europe --within 365d".to_owned(),
        format!("window show {id}"),
        format!("window claim {id}"),
        "subscriptions".to_owned(),
        "windwos".to_owned(),
    ] {
        group.bench_function(line.clone(), |b| {
            b.iter(|| rt.block_on(chat.handle(&peer, &line)));
        });
    }
    group.finish();
}

criterion_group!(benches, commands);
criterion_main!(benches);
