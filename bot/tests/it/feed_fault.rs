//! Feeds over HTTP that fail in every way a real server can: the last good data is kept and the
//! feed's health shows the error.

use std::time::Duration;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{Sandbox, sync_line};

const GOOD: &str =
    "id,jurisdiction,kind,date\nke-2027,KE,legislative,2027-08-10\nfr-2027,FR,presidential,2027-04\n";

fn config(url: &str) -> String {
    format!(
        "[http]\ntimeout = \"1s\"\nconnect_timeout = \"1s\"\nmax_body = \"4 KiB\"\nretries = 2\nretry_backoff = \"10ms\"\n\n\
         [[feeds]]\nname = \"remote\"\nkind = \"events-csv\"\nsource = \"{url}/events.csv\"\n"
    )
}

/// A sandbox whose feed has synced once from a good server, then points at `server`.
async fn after_a_good_sync(server: &MockServer) -> Sandbox {
    let good = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events.csv"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(GOOD)
                .insert_header("ETag", "\"v1\""),
        )
        .mount(&good)
        .await;
    let sandbox = Sandbox::new(&config(&good.uri()));
    let out = sandbox.vigie(&["feeds", "sync"]).ok();
    assert!(sync_line(&out, "remote").contains("2 added"), "{out}");
    sandbox.write("config.toml", &config(&server.uri()));
    sandbox
}

fn assert_last_good_data_kept(sandbox: &Sandbox, error: &str) {
    let events: Vec<serde_json::Value> =
        serde_json::from_str(&sandbox.vigie(&["calendar", "--json"]).ok()).unwrap();
    let ids: Vec<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["fr-2027", "ke-2027"],
        "the last good events are still there and not marked removed"
    );
    let health = sandbox.vigie(&["feeds"]).ok();
    let row = health
        .lines()
        .find(|l| l.trim_start().starts_with("remote"))
        .unwrap_or_else(|| panic!("{health}"));
    assert!(row.contains("failing:") && row.contains(error), "{row}");
    assert!(
        row.contains(" 2 "),
        "the item count of the last success stays: {row}"
    );
}

#[tokio::test]
async fn a_server_error_is_retried_then_recorded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&server)
        .await;
    let sandbox = after_a_good_sync(&server).await;
    let out = sandbox.vigie(&["feeds", "sync"]).fails();
    assert!(
        out.contains(
            "answered HTTP 500 Internal Server Error (after 3 attempts); the last good data is kept"
        ),
        "{out}"
    );
    assert_last_good_data_kept(&sandbox, "HTTP 500");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(GOOD)
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let sandbox = after_a_good_sync(&server).await;
    let out = sandbox.vigie(&["feeds", "sync"]).fails();
    assert!(out.contains("did not answer within 1 s"), "{out}");
    assert_last_good_data_kept(&sandbox, "did not answer within 1 s");
}

#[tokio::test]
async fn an_oversized_body_is_refused_without_retrying() {
    let server = MockServer::start().await;
    let huge = format!("{GOOD}{}", "x,KE,legislative,2027\n".repeat(1000));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(huge))
        .expect(1)
        .mount(&server)
        .await;
    let sandbox = after_a_good_sync(&server).await;
    let out = sandbox.vigie(&["feeds", "sync"]).fails();
    assert!(out.contains("larger than the limit of 4096 bytes"), "{out}");
    assert_last_good_data_kept(&sandbox, "larger than the limit");
}

#[tokio::test]
async fn a_garbage_body_is_refused_with_its_location() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(b"<html><body>Service \xff unavailable</body></html>".to_vec()),
        )
        .mount(&server)
        .await;
    let sandbox = after_a_good_sync(&server).await;
    let out = sandbox.vigie(&["feeds", "sync"]).fails();
    assert!(
        out.contains("line 1: the header \"<html><body>Service ÿ unavailable</body></html>\" names none of the schema's columns"),
        "{out}"
    );
    assert_last_good_data_kept(&sandbox, "names none of the schema's columns");
}

#[tokio::test]
async fn not_modified_keeps_the_data_and_counts_as_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events.csv"))
        .and(header("If-None-Match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .expect(1)
        .mount(&server)
        .await;
    let sandbox = after_a_good_sync(&server).await;
    let out = sandbox.vigie(&["feeds", "sync"]).ok();
    assert!(
        sync_line(&out, "remote").contains("not modified since the last sync"),
        "{out}"
    );
    let events: Vec<serde_json::Value> =
        serde_json::from_str(&sandbox.vigie(&["calendar", "--json"]).ok()).unwrap();
    assert_eq!(events.len(), 2);
    let health = sandbox.vigie(&["feeds"]).ok();
    let row = health
        .lines()
        .find(|l| l.trim_start().starts_with("remote"))
        .unwrap();
    assert!(row.trim_end().ends_with("ok"), "{row}");
}

#[tokio::test]
async fn a_failing_feed_recovers_on_the_next_good_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(format!("{GOOD}de-2029,DE,legislative,2029\n")),
        )
        .mount(&server)
        .await;
    let sandbox = after_a_good_sync(&server).await;
    sandbox.vigie(&["feeds", "sync"]).fails();
    let out = sandbox.vigie(&["feeds", "sync"]).ok();
    assert!(
        sync_line(&out, "remote").contains("1 added, 0 changed, 0 removed"),
        "{out}"
    );
    let health = sandbox.vigie(&["feeds"]).ok();
    assert!(
        health
            .lines()
            .find(|l| l.trim_start().starts_with("remote"))
            .unwrap()
            .trim_end()
            .ends_with("ok"),
        "{health}"
    );
}
