//! Discord's own description of its HTTP API, the official OpenAPI 3.1 document in
//! `shared/data/discord/openapi.json` (MIT), as the judge of what Vigie sends to Discord and of
//! what the fake Discord answers: an independent source, where the fake alone would only repeat
//! our own understanding of Discord.
//!
//! It finds the operation a request is for, and validates request and response bodies against
//! that operation's schemas, `$ref`s resolved within the document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, ValidationError, Validator};
use serde_json::{Value, json};

const OPENAPI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/discord/openapi.json"
);

/// The document, and the validators built from it so far (building one takes a while: each is
/// built once per test run).
pub struct OpenApi {
    pub document: Value,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// One operation of the document: a path template and a method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// As the document writes it, e.g. `/channels/{channel_id}/messages`.
    pub template: String,
    /// Lower case, as the document keys it.
    pub method: String,
    /// Discord's name for it, e.g. `create_message`.
    pub id: String,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} {})",
            self.id,
            self.method.to_uppercase(),
            self.template
        )
    }
}

/// The document, read once per test run.
pub fn openapi() -> &'static OpenApi {
    static OPENAPI_DOCUMENT: OnceLock<OpenApi> = OnceLock::new();
    OPENAPI_DOCUMENT.get_or_init(|| {
        let text = std::fs::read_to_string(OPENAPI).unwrap_or_else(|e| {
            panic!(
                "Discord's OpenAPI description is missing at {OPENAPI} ({e}): the repository is tested \
                 with the shared/ folder checked out beside it"
            )
        });
        let document: Value = serde_json::from_str(&text).expect("Discord's OpenAPI description is JSON");
        OpenApi {
            document,
            validators: Mutex::new(HashMap::new()),
        }
    })
}

/// A JSON pointer built from unescaped tokens.
pub fn pointer(tokens: &[&str]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The pointer as a URI fragment, the way a `$ref` writes it.
fn fragment(pointer: &str) -> String {
    format!("#{}", pointer.replace('{', "%7B").replace('}', "%7D"))
}

impl OpenApi {
    /// The operation `method` (any case) on the concrete `path` (after `/api/v10`, no query) is
    /// for. Literal segments win over parameters, so `/users/@me` is not `/users/{user_id}`.
    pub fn operation(&self, method: &str, path: &str) -> Option<Operation> {
        let method = method.to_lowercase();
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let paths = self.document["paths"].as_object()?;
        paths
            .iter()
            .filter_map(|(template, item)| {
                let parts: Vec<&str> = template.split('/').collect();
                if parts.len() != segments.len() || item.get(&method).is_none() {
                    return None;
                }
                let mut literal = 0;
                for (part, segment) in parts.iter().zip(&segments) {
                    if part.starts_with('{') && part.ends_with('}') {
                        if segment.is_empty() {
                            return None;
                        }
                    } else if part == segment {
                        literal += 1;
                    } else {
                        return None;
                    }
                }
                Some((literal, template, item))
            })
            .max_by_key(|(literal, _, _)| *literal)
            .map(|(_, template, item)| Operation {
                template: template.clone(),
                method: method.clone(),
                id: item[&method]["operationId"].as_str().unwrap_or("?").to_owned(),
            })
    }

    /// The pointer to the JSON request body schema of an operation, if it takes one.
    pub fn request_schema(&self, operation: &Operation) -> Option<String> {
        let at = pointer(&[
            "paths",
            &operation.template,
            &operation.method,
            "requestBody",
            "content",
            "application/json",
            "schema",
        ]);
        self.document.pointer(&at).is_some().then_some(at)
    }

    /// The pointer to the JSON schema of an operation's response with `status`: the status
    /// itself, else its class (`4XX`), else `default`. `None` if the document describes no JSON
    /// body for it.
    pub fn response_schema(&self, operation: &Operation, status: u16) -> Option<String> {
        let responses = pointer(&["paths", &operation.template, &operation.method, "responses"]);
        let responses_value = self.document.pointer(&responses)?;
        let key = [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".to_owned(),
        ]
        .into_iter()
        .find(|k| responses_value.get(k).is_some())?;
        let mut response = &responses_value[&key];
        let mut at = format!("{responses}{}", pointer(&[&key]));
        // A response may itself be a `$ref` to `#/components/responses/…`.
        while let Some(target) = response["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            response = self.document.pointer(target)?;
            at = target.to_owned();
        }
        response
            .pointer(&pointer(&["content", "application/json", "schema"]))
            .map(|_| format!("{at}{}", pointer(&["content", "application/json", "schema"])))
    }

    /// The validator of the schema at `pointer` (built once). Its root is the whole document
    /// with a `$ref` to that schema, so that the document's own references resolve.
    pub fn validator(&self, pointer: &str) -> Arc<Validator> {
        let mut validators = self
            .validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(validator) = validators.get(pointer) {
            return Arc::clone(validator);
        }
        assert!(
            self.document.pointer(pointer).is_some_and(Value::is_object),
            "Discord's OpenAPI description has no schema at {pointer}"
        );
        let mut root = self.document.clone();
        root["$ref"] = json!(fragment(pointer));
        let validator = Arc::new(
            jsonschema::options()
                .with_draft(Draft::Draft202012)
                .build(&root)
                .unwrap_or_else(|e| panic!("a validator for {pointer}: {e}")),
        );
        validators.insert(pointer.to_owned(), Arc::clone(&validator));
        validator
    }
}

/// Follows `$ref`s within the document.
pub fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => resolve(
            document,
            document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("the document resolves {pointer}")),
        ),
        None => schema,
    }
}

/// Every way `instance` breaks the schema, one line each (`at POINTER: error`), or nothing.
pub fn problems(validator: &Validator, instance: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        explain(&error, &mut out);
    }
    out
}

/// One line per error. Discord tells kinds of option, component or callback apart by `type`, so
/// a value that breaks its schema fails a `oneOf` (or `anyOf`) whose message is the whole value:
/// report instead the errors of the alternatives its `type` selects.
fn explain(error: &ValidationError<'_>, out: &mut Vec<String>) {
    if let ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } =
        error.kind()
    {
        let selected: Vec<&Vec<ValidationError<'static>>> = context
            .iter()
            .filter(|errors| {
                !errors
                    .iter()
                    .any(|e| e.instance_path().as_str().ends_with("/type"))
            })
            .collect();
        if !selected.is_empty() {
            selected.into_iter().flatten().for_each(|e| explain(e, out));
            return;
        }
    }
    out.push(format!("at {}: {error}", error.instance_path()));
}

/// Discord writes integer-like values (permissions, bit sets) as decimal strings, which the
/// document types as integers, and it takes snowflakes as numbers too (serenity numbers the
/// attachments of a new message 0, 1, …), which the document types as strings. Turns each such
/// value into the type the schema wants there, and leaves everything else as it is.
pub fn coerce_integer_like(validator: &Validator, instance: &mut Value) {
    // Each pass may uncover errors deeper down (an alternative of a `oneOf` that now matches).
    for _ in 0..32 {
        let mut at = Vec::new();
        for error in validator.iter_errors(instance) {
            coercible(&error, &mut at);
        }
        // Once each: a value reached by two alternatives would otherwise be turned back.
        at.sort_unstable();
        at.dedup();
        let mut changed = false;
        for pointer in at {
            let Some(value) = instance.pointer_mut(&pointer) else {
                continue;
            };
            let coerced = match &*value {
                Value::String(s) => s.parse::<u64>().ok().map(|n| json!(n)),
                Value::Number(n) => n.as_u64().map(|n| json!(n.to_string())),
                _ => None,
            };
            if let Some(coerced) = coerced {
                *value = coerced;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn coercible(error: &ValidationError<'_>, out: &mut Vec<String>) {
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let wants = |t: JsonType| match kind {
                TypeKind::Single(single) => *single == t,
                TypeKind::Multiple(set) => set.contains(t),
            };
            let decimal = error
                .instance()
                .as_str()
                .is_some_and(|s| !s.is_empty() && s.len() < 20 && s.bytes().all(|b| b.is_ascii_digit()));
            let snowflake_number =
                error.instance().is_u64() && error.schema_path().as_str().ends_with("/SnowflakeType/type");
            if (decimal && (wants(JsonType::Integer) || wants(JsonType::Number)))
                || (snowflake_number && wants(JsonType::String))
            {
                out.push(error.instance_path().as_str().to_owned());
            }
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context.iter().flatten().for_each(|e| coercible(e, out));
        }
        _ => {}
    }
}

#[test]
fn operations_are_found_with_literal_segments_first() {
    let api = openapi();
    let me = api.operation("GET", "/users/@me").expect("GET /users/@me");
    assert_eq!(me.id, "get_my_user");
    let other = api.operation("GET", "/users/123").expect("GET /users/123");
    assert_eq!(other.template, "/users/{user_id}");
    let original = api
        .operation("PATCH", "/webhooks/1/tok/messages/@original")
        .expect("PATCH @original");
    assert_eq!(original.id, "update_original_webhook_message");
    assert!(api.operation("GET", "/no/such/route").is_none());
    assert!(
        api.response_schema(&me, 200).is_some() && api.response_schema(&me, 404).is_some(),
        "{me} has JSON responses for 200 and 4XX"
    );
}

#[test]
fn integer_like_values_are_coerced_only_to_the_type_the_schema_wants() {
    let api = openapi();
    let operation = api
        .operation("POST", "/applications/1/guilds/2/commands")
        .expect("create_guild_application_command");
    let validator = api.validator(&api.request_schema(&operation).expect("a request body"));
    let mut command = json!({
        "name": "peers",
        "description": "1234",
        "default_member_permissions": "32",
    });
    assert!(!problems(&validator, &command).is_empty());
    coerce_integer_like(&validator, &mut command);
    assert_eq!(command["default_member_permissions"], json!(32));
    assert_eq!(command["description"], json!("1234"), "a string stays one");
    assert!(problems(&validator, &command).is_empty());

    let operation = api
        .operation("POST", "/channels/1/messages")
        .expect("create_message");
    let validator = api.validator(&api.request_schema(&operation).expect("a request body"));
    let mut message = json!({"content": "7", "attachments": [{"id": 0, "filename": "chart.png"}]});
    coerce_integer_like(&validator, &mut message);
    assert_eq!(
        message["attachments"][0]["id"],
        json!("0"),
        "a snowflake as a number"
    );
    assert_eq!(message["content"], json!("7"));
    assert!(problems(&validator, &message).is_empty());
}
