//! The HTTP listener on a real socket: `/windows.ics` over the windows the default rules derive
//! from the bundled data, read back by an independent iCalendar parser (Python's `icalendar`),
//! and `/healthz`, `/metrics`, tokens, filters and conditional requests.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use tokio_util::sync::CancellationToken;
use vigie::http::{HttpState, serve};
use vigie::metrics::{Metrics, Outcome};
use vigie::window::{Board, LiveRules, Snapshot};
use vigie_rules::Region;
use vigie_rules::window::{Window, WindowId, WindowState};
use vigie_storage::Store;

/// The day the windows are evaluated for: fixed, so that the test reads the same every day.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
}

fn evaluated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 4, 30, 0).unwrap()
}

/// The title of the window added to the real ones, to see TEXT escaping and folding through.
const AWKWARD_TITLE: &str =
    "Kenya; general election, 2027 — county, national; and \\ presidential: all levels, one day";

/// The windows of the default rules over the bundled feeds, evaluated once for every test
/// (syncing ParlGov and evaluating take seconds), plus one window with an awkward title.
fn windows() -> &'static [Window] {
    static WINDOWS: OnceLock<Vec<Window>> = OnceLock::new();
    WINDOWS.get_or_init(|| {
        // Its own runtime on its own thread: the tests' runtimes come and go.
        std::thread::spawn(|| {
            tokio::runtime::Runtime::new()
                .unwrap()
                .block_on(evaluate_bundled())
        })
        .join()
        .expect("the bundled data are synced and evaluated")
    })
}

async fn evaluate_bundled() -> Vec<Window> {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path()).await;
    let config = vigie::config::load(vigie::config::ConfigSource::Default, Vec::new())
        .expect("the built-in configuration loads");
    let fetcher = vigie_feeds::Fetcher::new(config.http.settings()).unwrap();
    let syncer = vigie::sync::Syncer::new(store.clone(), fetcher).await.unwrap();
    for feed in config.feeds.iter().filter(|f| f.enabled) {
        let outcome = syncer.sync(feed, evaluated_at()).await.unwrap();
        assert!(
            matches!(outcome, vigie::sync::Outcome::Synced { .. }),
            "{}: {outcome:?}",
            feed.name
        );
    }
    let rules = LiveRules::load(None).unwrap();
    let facts = vigie::window::facts(&store, syncer.countries(), today())
        .await
        .unwrap();
    let mut windows = vigie_rules::window::evaluate(rules.rules(), &facts, today()).windows;
    store.close().await;
    assert!(
        windows.iter().any(|w| w.state == WindowState::Closed)
            && windows.iter().any(|w| w.state == WindowState::Upcoming)
            && windows.iter().any(|w| w.state.is_open()),
        "the bundled data should give closed, upcoming and open windows"
    );
    let mut awkward = windows
        .iter()
        .find(|w| w.state == WindowState::Upcoming)
        .unwrap()
        .clone();
    awkward.id = WindowId::new("http-test", "awkward");
    awkward.title = AWKWARD_TITLE.to_owned();
    awkward.reasons.push(format!(
        "a long reason, in Côte d’Ivoire’s words: {}",
        "élection présidentielle, « scrutin » ; ".repeat(6)
    ));
    windows.push(awkward);
    windows
}

async fn open_store(dir: &Path) -> Store {
    Store::open(&format!("sqlite:{}", dir.join("vigie.db").display()))
        .await
        .expect("a SQLite store opens")
}

/// A listener on 127.0.0.1, its own store, and the means to stop it.
struct Served {
    base: String,
    client: reqwest::Client,
    store: Store,
    metrics: Metrics,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _board: Board,
    _dir: tempfile::TempDir,
}

impl Served {
    async fn start(token: Option<&str>) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let windows = windows().to_vec();
        let dir = tempfile::tempdir().unwrap();
        let store = open_store(dir.path()).await;
        let (board, reader) = tokio::sync::watch::channel(Arc::new(Snapshot {
            today: today(),
            evaluated_at: evaluated_at(),
            windows,
        }));
        let metrics = Metrics::new();
        let state = HttpState {
            store: store.clone(),
            metrics: metrics.clone(),
            board: reader,
            windows_token: token.map(str::to_owned),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let cancel = CancellationToken::new();
        let task = tokio::spawn(serve(listener, state, cancel.clone()));
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Self {
            base,
            client,
            store,
            metrics,
            cancel,
            task,
            _board: board,
            _dir: dir,
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the listener answers")
    }

    /// Cancels and waits (with a deadline) for the listener to stop cleanly.
    async fn stop(self) {
        self.cancel.cancel();
        let stopped = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the listener stops within 10 s of being cancelled");
        stopped.unwrap().expect("the listener stops without an error");
    }
}

/// The windows a calendar with this filter must hold, as the test sees them.
fn expected(region: Option<Region>, country: Option<&str>) -> Vec<&'static Window> {
    windows()
        .iter()
        .filter(|w| {
            matches!(
                w.state,
                WindowState::Upcoming | WindowState::Open | WindowState::Closing
            )
        })
        .filter(|w| region.is_none_or(|r| w.region == r))
        .filter(|w| country.is_none_or(|c| w.jurisdiction.country().as_str() == c))
        .collect()
}

/// Parses `text` with Python's icalendar package and returns what it read, as JSON.
fn parse_with_python(text: &str) -> serde_json::Value {
    let python = std::env::var("VIGIE_TEST_PYTHON").unwrap_or_else(|_| {
        panic!(
            "VIGIE_TEST_PYTHON is not set: run the tests with scripts/test, which sets it to a Python with the icalendar package"
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("windows.ics");
    std::fs::write(&file, text).unwrap();
    const SCRIPT: &str = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
def categories(e):
    c = e.get("CATEGORIES")
    if c is None:
        return []
    return [str(x) for x in (c.cats if hasattr(c, "cats") else c)]
print(json.dumps({
    "errors": [[c.name, [str(e) for e in c.errors]] for c in cal.walk() if c.errors],
    "name": str(cal.get("X-WR-CALNAME")),
    "method": str(cal.get("METHOD")),
    "refresh": cal.get("REFRESH-INTERVAL").to_ical().decode(),
    "events": [{
        "uid": str(e["UID"]),
        "summary": str(e["SUMMARY"]),
        "description": str(e["DESCRIPTION"]),
        "start": e.decoded("DTSTART").isoformat(),
        "end": e.decoded("DTEND").isoformat(),
        "categories": categories(e),
    } for e in cal.walk("VEVENT")],
}))
"#;
    let out = Command::new(&python)
        .args(["-c", SCRIPT])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{python} cannot be run ({e}); run the tests with scripts/test"));
    assert!(
        out.status.success(),
        "Python's icalendar refused the calendar:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

#[tokio::test]
async fn the_calendar_holds_each_window_not_yet_closed_as_an_independent_parser_reads_it() {
    let served = Served::start(None).await;
    let response = served.get("/windows.ics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    let text = response.text().await.unwrap();
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains('\n'), "a bare line feed in {line:?}");
    }
    let parsed = parse_with_python(&text);
    assert_eq!(parsed["errors"], serde_json::json!([]), "{parsed:#}");
    assert_eq!(parsed["name"], "Vigie — political opportunity windows");
    assert_eq!(parsed["method"], "PUBLISH");
    assert_eq!(parsed["refresh"], "PT6H");
    let events = parsed["events"].as_array().unwrap();
    let want = expected(None, None);
    assert!(want.len() > 10, "only {} windows are not closed", want.len());
    assert_eq!(events.len(), want.len());
    for (event, w) in events.iter().zip(&want) {
        assert_eq!(event["uid"], format!("{}@vigie", w.id));
        assert_eq!(event["start"], w.opens.to_string());
        let end = w.closes.checked_add_days(Days::new(1)).unwrap();
        assert_eq!(event["end"], end.to_string(), "the end is exclusive");
        let summary = event["summary"].as_str().unwrap();
        assert!(summary.starts_with(&w.title), "{summary:?} for {:?}", w.title);
        let description = event["description"].as_str().unwrap();
        assert!(description.starts_with(&w.reasons.join("\n")), "{description:?}");
        assert!(
            description.contains(&format!("window claim {}", w.id)),
            "{description:?}"
        );
        let categories = event["categories"].as_array().unwrap();
        assert_eq!(categories[0], w.region.slug());
        assert_eq!(categories[1], w.priority.to_string());
    }
    let awkward = events
        .iter()
        .find(|e| e["uid"] == format!("{}@vigie", WindowId::new("http-test", "awkward")))
        .expect("the awkward window is listed");
    let summary = awkward["summary"].as_str().unwrap();
    assert!(
        summary.starts_with(&format!("{AWKWARD_TITLE} — ")),
        "the title round-trips: {summary:?}"
    );
    served.stop().await;
}

#[tokio::test]
async fn a_region_or_country_filter_keeps_only_its_windows() {
    let served = Served::start(None).await;
    let cases = [
        ("?region=europe", Some(Region::Europe), None),
        ("?region=africa", Some(Region::AfricaMiddleEast), None),
        ("?country=nl", None, Some("NL")),
        (
            "?country=Kenya&region=africa-middle-east",
            Some(Region::AfricaMiddleEast),
            Some("KE"),
        ),
        ("?country=KE&region=europe", Some(Region::Europe), Some("KE")),
    ];
    for (query, region, country) in cases {
        let response = served.get(&format!("/windows.ics{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        let parsed = parse_with_python(&response.text().await.unwrap());
        let uids: Vec<&str> = parsed["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["uid"].as_str().unwrap())
            .collect();
        let want: Vec<String> = expected(region, country)
            .iter()
            .map(|w| format!("{}@vigie", w.id))
            .collect();
        assert_eq!(uids, want, "{query}");
    }
    assert!(!expected(Some(Region::Europe), None).is_empty());
    served.stop().await;
}

#[tokio::test]
async fn a_bad_filter_is_refused_with_one_sentence() {
    let served = Served::start(None).await;
    let cases = [
        (
            "?region=afrika",
            "region \"afrika\" is not an OGP region; expected africa-middle-east, americas, asia-pacific or europe",
        ),
        (
            "?country=Atlantis",
            "country \"Atlantis\" is not a known country; expected an ISO 3166-1 code such as KE or NLD, or an English name such as Kenya",
        ),
        (
            "?regoin=europe",
            "unknown parameter \"regoin\"; expected region, country or token",
        ),
        (
            "?country=KE&country=NL",
            "country is given more than once; expected it at most once",
        ),
    ];
    for (query, sentence) in cases {
        let response = served.get(&format!("/windows.ics{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(response.text().await.unwrap(), format!("{sentence}\n"), "{query}");
    }
    served.stop().await;
}

#[tokio::test]
async fn a_configured_token_is_required_and_must_match() {
    let served = Served::start(Some("s3cret-token")).await;
    let cases: [(&str, Option<&str>, StatusCode, &str); 6] = [
        (
            "/windows.ics",
            None,
            StatusCode::UNAUTHORIZED,
            "this calendar needs a token",
        ),
        (
            "/windows.ics?token=",
            None,
            StatusCode::UNAUTHORIZED,
            "this calendar needs a token",
        ),
        (
            "/windows.ics?token=s3cret-tokem",
            None,
            StatusCode::FORBIDDEN,
            "this token does not open the calendar",
        ),
        (
            "/windows.ics?token=s3cret-token&region=afrika",
            None,
            StatusCode::BAD_REQUEST,
            "region \"afrika\"",
        ),
        (
            "/windows.ics?token=s3cret-token",
            None,
            StatusCode::OK,
            "BEGIN:VCALENDAR",
        ),
        (
            "/windows.ics",
            Some("Bearer s3cret-token"),
            StatusCode::OK,
            "BEGIN:VCALENDAR",
        ),
    ];
    for (path, authorization, status, start) in cases {
        let mut request = served.client.get(format!("{}{path}", served.base));
        if let Some(a) = authorization {
            request = request.header(AUTHORIZATION, a);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        if status == StatusCode::UNAUTHORIZED {
            assert!(response.headers().contains_key("www-authenticate"));
        }
        if status == StatusCode::OK {
            assert!(
                response.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .starts_with("private")
            );
        }
        let body = response.text().await.unwrap();
        assert!(body.starts_with(start), "{path}: {body}");
        if status != StatusCode::OK {
            assert_eq!(body.matches('\n').count(), 1, "one sentence: {body:?}");
        }
    }
    served.stop().await;
}

#[tokio::test]
async fn an_unchanged_calendar_answers_304_to_its_etag() {
    let served = Served::start(None).await;
    let first = served.get("/windows.ics?region=europe").await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert!(
        first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
    let cases = [
        (
            "/windows.ics?region=europe",
            etag.clone(),
            StatusCode::NOT_MODIFIED,
        ),
        (
            "/windows.ics?region=europe",
            format!("W/{etag}"),
            StatusCode::NOT_MODIFIED,
        ),
        (
            "/windows.ics?region=europe",
            "\"stale\"".to_owned(),
            StatusCode::OK,
        ),
        ("/windows.ics?region=americas", etag.clone(), StatusCode::OK),
    ];
    for (path, tag, status) in cases {
        let response = served
            .client
            .get(format!("{}{path}", served.base))
            .header(IF_NONE_MATCH, &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{path} with {tag}");
        if status == StatusCode::NOT_MODIFIED {
            assert_eq!(response.headers()[ETAG], etag.as_str());
            assert!(response.text().await.unwrap().is_empty());
        }
    }
    served.stop().await;
}

#[tokio::test]
async fn metrics_show_every_family_after_a_command_is_recorded() {
    let served = Served::start(None).await;
    let now = Utc::now();
    served
        .store
        .record_feed_attempt("elections", "events-csv", now)
        .await
        .unwrap();
    served
        .store
        .record_feed_not_modified("elections", now)
        .await
        .unwrap();
    served
        .metrics
        .record_command("windows", Outcome::Ok, Duration::from_micros(300));
    served.metrics.set_sync_lag("matrix", Duration::from_secs(3));
    let response = served.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let open = expected(None, None)
        .iter()
        .filter(|w| w.state == WindowState::Open)
        .count();
    for line in [
        "vigie_commands_total{command=\"windows\",outcome=\"ok\"} 1",
        "vigie_command_duration_seconds_count{command=\"windows\"} 1",
        "vigie_sync_lag_seconds{platform=\"matrix\"} 3.0",
        "vigie_feed_up{feed=\"elections\"} 1",
        "vigie_feed_items{feed=\"elections\"} 0",
        &format!("vigie_windows{{state=\"open\"}} {open}"),
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    assert!(text.contains("vigie_feed_last_success_timestamp_seconds{feed=\"elections\"}"));
    assert!(text.ends_with("# EOF\n"));
    served.stop().await;
}

#[tokio::test]
async fn healthz_reports_the_database_the_evaluation_and_failing_feeds() {
    let served = Served::start(None).await;
    let now = Utc::now();
    served
        .store
        .record_feed_attempt("parlgov", "parlgov", now)
        .await
        .unwrap();
    served
        .store
        .record_feed_failure("parlgov", now, "HTTP 500")
        .await
        .unwrap();
    let response = served.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "status": "ok",
            "database": "ok",
            "windows_evaluated_at": evaluated_at().to_rfc3339(),
            "feeds_failing": ["parlgov"],
        })
    );
    served.store.close().await;
    let response = served.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "unavailable");
    served.stop().await;
}

#[tokio::test]
async fn other_paths_and_methods_are_refused_with_a_sentence() {
    let served = Served::start(None).await;
    let response = served.get("/windows").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.text().await.unwrap(),
        "there is nothing at /windows; Vigie serves /healthz, /metrics and /windows.ics\n"
    );
    let response = served
        .client
        .post(format!("{}/healthz", served.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        response.text().await.unwrap(),
        "/healthz is only read; expected GET or HEAD\n"
    );
    served.stop().await;
}

#[tokio::test]
async fn cancelling_stops_the_listener_even_with_a_connection_kept_alive() {
    let served = Served::start(None).await;
    // The client keeps its connection open for the next request: shutdown must not wait for it.
    assert_eq!(served.get("/healthz").await.status(), StatusCode::OK);
    served.stop().await;
}
