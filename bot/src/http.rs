//! Vigie's HTTP listener: `/healthz` for orchestrators, `/metrics` for Prometheus and
//! `/windows.ics`, the calendar of windows that peers subscribe to; with [`serve_with`], the
//! routes of a chat platform too (Discord's interactions endpoint, which brings its own checks).
//!
//! It reads and never writes: the windows come from the board the run loop publishes (so the
//! calendar costs no database query), feed health from the store. Every refusal is one sentence
//! of plain text.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use vigie_feeds::Countries;
use vigie_storage::{FeedHealth, Store};

use crate::ics::{CalendarFilter, windows_calendar};
use crate::metrics::Metrics;
use crate::window::BoardReader;

/// How long `/healthz` and `/metrics` wait for the database before saying it does not answer.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
const CALENDAR: &str = "text/calendar; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";

/// How long a calendar app or a proxy may keep the calendar before asking again.
const CALENDAR_MAX_AGE: u32 = 3600;

/// What the listener reads from.
#[derive(Clone)]
pub struct HttpState {
    pub store: Store,
    pub metrics: Metrics,
    pub board: BoardReader,
    /// When set, `/windows.ics` requires it (`?token=…`, or `Authorization: Bearer …`).
    pub windows_token: Option<String>,
}

impl std::fmt::Debug for HttpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpState")
            .field("store", &self.store)
            .field(
                "windows_token",
                &self.windows_token.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

struct App {
    state: HttpState,
    countries: Countries,
}

type Shared = State<Arc<App>>;

/// Serves until `cancel` is cancelled, then stops accepting and lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: HttpState,
    cancel: CancellationToken,
) -> io::Result<()> {
    serve_with(listener, state, Router::new(), cancel).await
}

/// [`serve`], with `routes` besides Vigie's own (paths that do not overlap them, which the
/// configuration checks).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: HttpState,
    routes: Router,
    cancel: CancellationToken,
) -> io::Result<()> {
    let countries = Countries::bundled().map_err(io::Error::other)?;
    let app = Arc::new(App { state, countries });
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/windows.ics", get(calendar))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app)
        .merge(routes);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "HTTP listener serving /healthz, /metrics and /windows.ics");
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(cancel.cancelled_owned())
        .await
}

/// One sentence of plain text with a status.
pub(crate) fn sentence(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, TEXT)], format!("{text}\n")).into_response()
}

/// Feed health, or why the database did not give it in time.
async fn feeds_health(store: &Store) -> Result<Vec<FeedHealth>, String> {
    match tokio::time::timeout(DATABASE_TIMEOUT, store.feeds_health()).await {
        Ok(Ok(feeds)) => Ok(feeds),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "the database did not answer a health check");
            Err("the database query failed (see Vigie's log)".to_owned())
        }
        Err(_) => {
            tracing::warn!("the database did not answer a health check within {DATABASE_TIMEOUT:?}");
            Err(format!(
                "the database did not answer within {} s",
                DATABASE_TIMEOUT.as_secs()
            ))
        }
    }
}

/// The time of the board's last evaluation, `None` before the first.
fn evaluated_at(board: &BoardReader) -> Option<DateTime<Utc>> {
    let at = board.borrow().evaluated_at;
    (at != DateTime::<Utc>::MIN_UTC).then_some(at)
}

async fn healthz(State(app): Shared) -> Response {
    let evaluated = evaluated_at(&app.state.board).map(|at| at.to_rfc3339());
    let (status, body) = match feeds_health(&app.state.store).await {
        Ok(feeds) => {
            let failing: Vec<&str> = feeds
                .iter()
                .filter(|f| f.last_error.is_some())
                .map(|f| f.name.as_str())
                .collect();
            (
                StatusCode::OK,
                serde_json::json!({
                    "status": "ok",
                    "database": "ok",
                    "windows_evaluated_at": evaluated,
                    "feeds_failing": failing,
                }),
            )
        }
        Err(problem) => (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({
                "status": "unavailable",
                "database": "unavailable",
                "problem": problem,
                "windows_evaluated_at": evaluated,
                "feeds_failing": [],
            }),
        ),
    };
    (
        status,
        [(header::CONTENT_TYPE, JSON), (header::CACHE_CONTROL, "no-store")],
        body.to_string(),
    )
        .into_response()
}

async fn metrics(State(app): Shared) -> Response {
    let metrics = &app.state.metrics;
    // A database that does not answer leaves the feed gauges as last read; /healthz says why.
    if let Ok(feeds) = feeds_health(&app.state.store).await {
        metrics.set_feeds(&feeds, Utc::now());
    }
    let snapshot = app.state.board.borrow().clone();
    metrics.set_windows(&snapshot);
    (
        [
            (header::CONTENT_TYPE, OPENMETRICS),
            (header::CACHE_CONTROL, "no-store"),
        ],
        metrics.encode(),
    )
        .into_response()
}

async fn calendar(
    State(app): Shared,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = query else {
        return sentence(
            StatusCode::BAD_REQUEST,
            "the query string cannot be read; expected region=…, country=… and token=… in URL encoding",
        );
    };
    if let Some(expected) = &app.state.windows_token {
        let given = params
            .iter()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.as_str())
            .or_else(|| bearer(&headers))
            .filter(|t| !t.is_empty());
        match given {
            None => {
                let mut response = sentence(
                    StatusCode::UNAUTHORIZED,
                    "this calendar needs a token: add ?token=… to its address, with the token the people who run this Vigie gave you",
                );
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"vigie\""),
                );
                return response;
            }
            Some(t) if !same_token(t, expected) => {
                return sentence(
                    StatusCode::FORBIDDEN,
                    "this token does not open the calendar; ask the people who run this Vigie for the current address",
                );
            }
            Some(_) => {}
        }
    }
    let filter = match CalendarFilter::parse(
        params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &app.countries,
    ) {
        Ok(f) => f,
        Err(e) => return sentence(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let snapshot = app.state.board.borrow().clone();
    // The evaluation time, not the clock: the text (and so its ETag) then changes only when the
    // windows do.
    let body = windows_calendar(&snapshot.windows, &filter, snapshot.evaluated_at);
    let etag = etag(&body);
    let cache = if app.state.windows_token.is_some() {
        format!("private, max-age={CALENDAR_MAX_AGE}")
    } else {
        format!("public, max-age={CALENDAR_MAX_AGE}")
    };
    let validators = [(header::ETAG, etag.clone()), (header::CACHE_CONTROL, cache)];
    if none_match(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    (
        validators,
        [
            (header::CONTENT_TYPE, CALENDAR),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"vigie-windows.ics\"",
            ),
        ],
        body,
    )
        .into_response()
}

async fn not_found(uri: Uri) -> Response {
    let path: String = uri.path().chars().take(100).collect();
    sentence(
        StatusCode::NOT_FOUND,
        &format!("there is nothing at {path}; Vigie serves /healthz, /metrics and /windows.ics"),
    )
}

async fn method_not_allowed(uri: Uri) -> Response {
    let path: String = uri.path().chars().take(100).collect();
    let mut response = sentence(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("{path} is only read; expected GET or HEAD"),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// The token of an `Authorization: Bearer …` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares a token given by a client with the configured one in time that does not depend on
/// where they differ, so that timing a wrong guess says nothing of how close it was.
fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
    }
    std::hint::black_box(diff) == 0
}

/// A strong entity tag for `body`: 64-bit FNV-1a, the same in every process and version, so
/// replicas behind one address agree (the standard library's hasher promises neither).
fn etag(body: &str) -> String {
    let hash = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 section 13.1.2 asks) or
/// is `*`.
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_only_when_identical() {
        let cases = [
            ("s3cret", "s3cret", true),
            ("s3cret", "s3creT", false),
            ("s3cre", "s3cret", false),
            ("s3cret\0", "s3cret", false),
            ("", "s3cret", false),
            ("s3cretlonger", "s3cret", false),
            ("é", "é", true),
        ];
        for (given, expected, want) in cases {
            assert_eq!(same_token(given, expected), want, "{given:?} vs {expected:?}");
        }
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_accepts_lists_and_a_star() {
        let tag = etag("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
        let cases = [
            (vec![tag.clone()], true),
            (vec![format!("W/{tag}")], true),
            (vec![format!("\"other\", {tag}")], true),
            (vec!["\"other\"".to_owned(), tag.clone()], true),
            (vec!["*".to_owned()], true),
            (vec!["\"other\"".to_owned()], false),
            (vec![tag.trim_matches('"').to_owned()], false),
            (vec![], false),
        ];
        for (values, want) in cases {
            let mut headers = HeaderMap::new();
            for v in &values {
                headers.append(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            }
            assert_eq!(none_match(&headers, &tag), want, "{values:?}");
        }
    }

    #[test]
    fn entity_tags_are_quoted_stable_and_differ_with_the_body() {
        assert_eq!(etag(""), "\"cbf29ce484222325\"");
        assert_eq!(etag("a"), etag("a"));
        assert_ne!(etag("a"), etag("b"));
    }

    #[test]
    fn a_bearer_header_gives_its_token() {
        let cases = [
            ("Bearer abc", Some("abc")),
            ("bearer  abc ", Some("abc")),
            ("Basic abc", None),
            ("Bearer", None),
        ];
        for (value, want) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(bearer(&headers), want, "{value:?}");
        }
    }
}
