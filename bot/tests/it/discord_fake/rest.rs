//! The fake's REST API under `/api/v10`: each request is recorded, its body validated against
//! the operation's schema in Discord's OpenAPI description, answered as Discord would (or with
//! the failure the test asked for), and the answer validated in turn.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::resource::{callback, channels, commands, open_dm, webhook};
use super::{FakeDiscord, File, Recorded, Shared, State as FakeState, error_body, model};
use crate::discord_openapi::{Operation, coerce_integer_like, openapi, problems};

/// The `retry_after` of a 429, in seconds: small, so that retrying tests stay fast.
pub(crate) const RETRY_AFTER_SECONDS: f64 = 0.2;

/// A snowflake written as a string (or a number).
pub(crate) fn snowflake_of(value: &Value) -> Option<u64> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| value.as_u64())
}

/// An answer: status, JSON body (none for 204), extra headers.
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) body: Option<Value>,
    pub(super) headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub(super) fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    pub(super) fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    pub(super) fn no_content() -> Self {
        Reply {
            status: 204,
            body: None,
            headers: Vec::new(),
        }
    }

    pub(super) fn error(status: u16, path: &str) -> Self {
        let mut reply = Self::json(status, error_body(status, path));
        if status == 429 {
            reply.headers = vec![
                ("Retry-After", "1".to_owned()),
                ("X-RateLimit-Scope", "user".to_owned()),
            ];
        }
        reply
    }

    pub(super) fn coded(status: u16, code: u32, message: &str) -> Self {
        Self::json(status, json!({"message": message, "code": code}))
    }
}

/// The request as the handlers see it.
pub(super) struct Request<'a> {
    pub(super) method: &'a str,
    pub(super) path: &'a str,
    pub(super) segments: Vec<&'a str>,
    pub(super) body: &'a Value,
    pub(super) files: &'a [File],
    /// The query string, if any (`after=…&limit=…`).
    pub(super) query: Option<&'a str>,
}

pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let method = method.as_str().to_owned();
    let query = uri.query().map(str::to_owned);
    let Some(path) = uri.path().strip_prefix("/api/v10") else {
        let mut state = shared.lock();
        state.violation(format!(
            "unserved route: {method} {} (not under /api/v10)",
            uri.path()
        ));
        record(
            &mut state,
            &method,
            uri.path(),
            Value::Null,
            query,
            Vec::new(),
            404,
        );
        drop(state);
        shared.changed.notify_waiters();
        return respond(Reply::error(404, uri.path()), "unknown");
    };
    let path = path.to_owned();
    let operation = openapi().operation(&method, &path);

    // Parse and validate outside the lock: building a validator takes a while.
    let mut invalid = Vec::new();
    let (body, files) = match parse_body(&headers, &bytes) {
        Ok(parsed) => parsed,
        Err(why) => {
            invalid.push(format!(
                "{method} {path}: the body is not what Discord takes: {why}"
            ));
            (Value::Null, Vec::new())
        }
    };
    let mut checked = body.clone();
    if !body.is_null()
        && let Some(op) = operation.as_ref()
    {
        match openapi().request_schema(op) {
            Some(schema) => {
                let validator = openapi().validator(&schema);
                coerce_integer_like(&validator, &mut checked);
                invalid.extend(
                    problems(&validator, &checked)
                        .into_iter()
                        .map(|p| format!("request of {op} {path}: {p}")),
                );
            }
            None => invalid.push(format!(
                "request of {op} {path}: a body, where Discord takes none"
            )),
        }
    }

    let reply = {
        let mut state = shared.lock();
        let at = record(
            &mut state,
            &method,
            &path,
            body.clone(),
            query.clone(),
            files.clone(),
            0,
        );
        let reply = if let Some(failure) = injected(&mut state, &method, &path) {
            failure
        } else if !invalid.is_empty() {
            Reply::error(400, &path)
        } else if !authorised(&path, &headers) {
            state.violation(format!(
                "{method} {path}: no `Authorization: Bot <token>` the fake knows"
            ));
            Reply::error(401, &path)
        } else {
            let request = Request {
                method: &method,
                path: &path,
                segments: path.trim_start_matches('/').split('/').collect(),
                body: &checked,
                files: &files,
                query: query.as_deref(),
            };
            route(&mut state, &request, operation.as_ref())
        };
        state.violations.append(&mut invalid);
        state.requests[at].status = reply.status;
        reply
    };

    if let (Some(op), Some(body)) = (operation.as_ref(), reply.body.as_ref()) {
        let found = match openapi().response_schema(op, reply.status) {
            Some(schema) => problems(&openapi().validator(&schema), body),
            None if reply.status < 300 => vec!["a JSON body Discord does not document".to_owned()],
            None => Vec::new(),
        };
        if !found.is_empty() {
            let mut state = shared.lock();
            for problem in found {
                state.violation(format!("response {} of {op} {path}: {problem}", reply.status));
            }
        }
    }
    // Only now: a test woken by this request also sees what was wrong with the answer.
    shared.changed.notify_waiters();
    let bucket = operation.map_or_else(|| "unknown".to_owned(), |op| op.id);
    respond(reply, &bucket)
}

fn record(
    state: &mut FakeState,
    method: &str,
    path: &str,
    body: Value,
    query: Option<String>,
    files: Vec<File>,
    status: u16,
) -> usize {
    state.requests.push(Recorded {
        method: method.to_owned(),
        path: path.to_owned(),
        body,
        query,
        files,
        status,
    });
    state.requests.len() - 1
}

/// The failure the test asked for with `fail_next`, if this request is one of them.
fn injected(state: &mut FakeState, method: &str, path: &str) -> Option<Reply> {
    let failure = state.failures.iter_mut().find(|f| {
        f.remaining > 0 && f.method.eq_ignore_ascii_case(method) && path.starts_with(&f.path_prefix)
    })?;
    failure.remaining -= 1;
    let status = failure.status;
    state.failures.retain(|f| f.remaining > 0);
    Some(Reply::error(status, path))
}

/// Interaction callbacks and webhooks are authorised by their token in the path; everything
/// else needs the bot token.
fn authorised(path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/interactions/") || path.starts_with("/webhooks/") {
        return true;
    }
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bot "))
        .is_some_and(|t| t == FakeDiscord::TOKEN)
}

fn respond(reply: Reply, bucket: &str) -> Response {
    let reset_after = if reply.status == 429 {
        RETRY_AFTER_SECONDS
    } else {
        1.0
    };
    let reset = chrono::Utc::now().timestamp_millis() as f64 / 1000.0 + reset_after;
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("X-RateLimit-Limit", "5")
        .header(
            "X-RateLimit-Remaining",
            if reply.status == 429 { "0" } else { "4" },
        )
        .header("X-RateLimit-Reset", format!("{reset:.3}"))
        .header("X-RateLimit-Reset-After", format!("{reset_after:.3}"))
        .header("X-RateLimit-Bucket", format!("fake-{bucket}"));
    for (name, value) in reply.headers {
        builder = builder.header(name, value);
    }
    let body = match reply.body {
        Some(json) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::from("the fake Discord built a bad response")))
}

/// The JSON body, or a multipart body's `payload_json` and its files.
fn parse_body(headers: &HeaderMap, bytes: &[u8]) -> Result<(Value, Vec<File>), String> {
    if bytes.is_empty() {
        return Ok((Value::Null, Vec::new()));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        return multipart(bytes, boundary.trim_matches('"'));
    }
    if !content_type.starts_with("application/json") {
        return Err(format!("content type {content_type:?}"));
    }
    serde_json::from_slice(bytes)
        .map(|v| (v, Vec::new()))
        .map_err(|e| format!("invalid JSON ({e})"))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// Just enough of multipart/form-data for what serenity sends.
fn multipart(bytes: &[u8], boundary: &str) -> Result<(Value, Vec<File>), String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(bytes, delimiter, 0).ok_or("no multipart boundary")? + delimiter.len();
    let mut payload = Value::Null;
    let mut files = Vec::new();
    while !bytes
        .get(at..)
        .ok_or("a truncated multipart body")?
        .starts_with(b"--")
    {
        let start = at + 2; // past CRLF
        let next = find(bytes, delimiter, start).ok_or("an unterminated multipart part")?;
        let part = bytes
            .get(start..next.saturating_sub(2))
            .ok_or("a malformed multipart part")?;
        let split = find(part, b"\r\n\r\n", 0).ok_or("a multipart part without headers")?;
        let head = String::from_utf8_lossy(&part[..split]).into_owned();
        let content = &part[split + 4..];
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .unwrap_or("");
        let param = |name: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .map(|v| v.trim_matches('"').to_owned())
        };
        let field = param("name").ok_or("a multipart part without a name")?;
        if field == "payload_json" {
            payload =
                serde_json::from_slice(content).map_err(|e| format!("payload_json is not JSON ({e})"))?;
        } else {
            let content_type = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Content-Type:")
                        .or_else(|| l.strip_prefix("content-type:"))
                })
                .map(|t| t.trim().to_owned());
            files.push(File {
                field,
                filename: param("filename").unwrap_or_default(),
                content_type,
                bytes: content.to_vec(),
            });
        }
        at = next + delimiter.len();
    }
    Ok((payload, files))
}

fn route(state: &mut FakeState, request: &Request<'_>, operation: Option<&Operation>) -> Reply {
    let app = FakeDiscord::APPLICATION_ID.to_string();
    let guild = FakeDiscord::GUILD_ID.to_string();
    let body = request.body;
    let reply = match (request.method, request.segments.as_slice()) {
        ("GET", ["gateway"]) => Some(Reply::ok(json!({"url": state.ws_url}))),
        ("GET", ["gateway", "bot"]) => Some(Reply::ok(json!({
            "url": state.ws_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }))),
        ("GET", ["users", "@me"]) => Some(Reply::ok(model::bot_user())),
        ("GET", ["users", id]) => Some(match id.parse() {
            Ok(id) => Reply::ok(model::user(id)),
            Err(_) => Reply::coded(404, 10013, "Unknown User"),
        }),
        ("POST", ["users", "@me", "channels"]) => Some(open_dm(state, body)),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            Some(Reply::ok(model::application()))
        }
        (_, ["applications", a, rest @ ..]) if *a == app => commands(state, request.method, rest, body),
        ("GET", ["guilds", g, "members", user]) if *g == guild => Some(match user.parse() {
            Ok(user) => Reply::ok(model::member(user, super::ADMIN_PERMISSIONS)),
            Err(_) => Reply::coded(404, 10007, "Unknown Member"),
        }),
        ("POST", ["interactions", id, token, "callback"]) => Some(callback(state, id, token, body)),
        (_, ["webhooks", a, token, rest @ ..]) if *a == app => webhook(state, request, token, rest),
        (_, ["channels", channel, rest @ ..]) => match channel.parse::<u64>() {
            Ok(channel) if state.channels.contains_key(&channel) => channels(state, request, channel, rest),
            _ => Some(Reply::coded(404, 10003, "Unknown Channel")),
        },
        _ => None,
    };
    reply.unwrap_or_else(|| {
        let known = operation.map_or_else(
            || " (not an operation of Discord's API)".to_owned(),
            |op| format!(" ({op})"),
        );
        state.violation(format!(
            "unserved route: {} {}{known}",
            request.method, request.path
        ));
        Reply::error(404, request.path)
    })
}
