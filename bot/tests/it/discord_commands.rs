//! Vigie's Discord application commands checked against Discord's own description of its API, the
//! official OpenAPI 3.1 document in `shared/data/discord/openapi.json` (MIT): an independent source,
//! where a fake Discord would only repeat our own understanding of it.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Value, json};
use vigie::command::Locales;
use vigie::command::discord::application_commands;

const OPENAPI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/discord/openapi.json"
);

/// The operations Vigie registers its commands with.
const GUILD_COMMANDS: &str = "/applications/{application_id}/guilds/{guild_id}/commands";

/// Discord's OpenAPI document and validators for the request bodies of the bulk overwrite
/// (`PUT`, what the platform sends) and of the single create (`POST`, one command at a time, for
/// clearer messages).
struct Discord {
    document: Value,
    bulk_overwrite: Validator,
    create: Validator,
}

fn discord() -> &'static Discord {
    static DISCORD: OnceLock<Discord> = OnceLock::new();
    DISCORD.get_or_init(|| {
        let text = std::fs::read_to_string(OPENAPI).unwrap_or_else(|e| {
            panic!(
                "Discord's OpenAPI description is missing at {OPENAPI} ({e}): the repository is tested \
                 with the shared/ folder checked out beside it"
            )
        });
        let document: Value = serde_json::from_str(&text).expect("Discord's OpenAPI description is JSON");
        let bulk_overwrite = validator(&document, &request_body(&document, "put"));
        let create = validator(&document, &request_body(&document, "post"));
        Discord {
            document,
            bulk_overwrite,
            create,
        }
    })
}

/// The JSON pointer, as a URI fragment, to the request body schema of `method` on the guild
/// commands path; it panics if the document has no such schema.
fn request_body(document: &Value, method: &str) -> String {
    let tokens = [
        "paths",
        GUILD_COMMANDS,
        method,
        "requestBody",
        "content",
        "application/json",
        "schema",
    ];
    let pointer: String = tokens
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect();
    assert!(
        document.pointer(&pointer).is_some_and(Value::is_object),
        "Discord's OpenAPI description has no request body schema for {} {GUILD_COMMANDS}",
        method.to_uppercase()
    );
    format!("#{}", pointer.replace('{', "%7B").replace('}', "%7D"))
}

/// A validator whose root is the whole document with a `$ref` to one schema, so that the
/// document's own `#/components/schemas/…` references resolve.
fn validator(document: &Value, fragment: &str) -> Validator {
    let mut root = document.clone();
    root["$ref"] = json!(fragment);
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .build(&root)
        .unwrap_or_else(|e| panic!("a validator for {fragment}: {e}"))
}

/// Every way `instance` breaks the schema, one line each, or nothing.
fn problems(validator: &Validator, instance: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        explain(&error, &mut out);
    }
    out
}

/// One line per error. Discord tells option kinds apart by `type`, so an option that breaks its
/// schema fails a `oneOf` whose message is the whole option: report instead the errors of the
/// alternatives its `type` selects.
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

/// A command as the platform sends it. Discord writes permissions as decimal strings, which the
/// OpenAPI description types as integers: turn them into numbers before validating.
fn as_sent(command: &Value) -> Value {
    let mut command = command.clone();
    if let Some(permissions) = command["default_member_permissions"].as_str() {
        let number: u64 = permissions
            .parse()
            .unwrap_or_else(|_| panic!("permissions {permissions:?} are a decimal number"));
        command["default_member_permissions"] = json!(number);
    }
    command
}

fn rendered() -> Vec<Value> {
    application_commands(&Locales::new())
        .iter()
        .map(as_sent)
        .collect()
}

#[test]
fn every_command_is_a_valid_body_of_discords_bulk_overwrite() {
    let commands = Value::Array(rendered());
    let found = problems(&discord().bulk_overwrite, &commands);
    assert!(
        found.is_empty(),
        "PUT {GUILD_COMMANDS} would be refused:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_command_is_a_valid_create_request() {
    for command in rendered() {
        let found = problems(&discord().create, &command);
        assert!(
            found.is_empty(),
            "/{} breaks Discord's schema:\n{}",
            command["name"],
            found.join("\n")
        );
    }
}

/// Follows `$ref`s within the document.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
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

/// The schema an array item takes: the items schema, or the `oneOf` alternative whose `type`
/// property admits the item's `type` (how Discord tells option kinds apart).
fn item_schema<'a>(document: &'a Value, items: &'a Value, item: &Value) -> Option<&'a Value> {
    let items = resolve(document, items);
    let Some(alternatives) = items["oneOf"].as_array() else {
        return Some(items);
    };
    alternatives.iter().map(|a| resolve(document, a)).find(|a| {
        a["properties"]["type"]["enum"]
            .as_array()
            .is_some_and(|admitted| admitted.contains(&item["type"]))
    })
}

/// Every field of `instance` that its schema does not declare. Discord's schemas admit unknown
/// fields, and Discord ignores them: a misspelt `autocomplete` would pass validation and do nothing.
fn undeclared(document: &Value, schema: &Value, instance: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(document, schema);
    let Some(fields) = instance.as_object() else {
        return;
    };
    let Some(declared) = schema["properties"].as_object() else {
        return;
    };
    for (key, value) in fields {
        let Some(property) = declared.get(key) else {
            out.push(format!("{at}.{key}"));
            continue;
        };
        let property = resolve(document, property);
        match value {
            Value::Array(items) if property.get("items").is_some() => {
                for (i, item) in items.iter().enumerate() {
                    let here = format!("{at}.{key}[{i}]");
                    match item_schema(document, &property["items"], item) {
                        Some(schema) => undeclared(document, schema, item, &here, out),
                        None if item.is_object() => out.push(format!("{here} (no schema for this type)")),
                        None => {}
                    }
                }
            }
            Value::Object(_) => undeclared(document, property, value, &format!("{at}.{key}"), out),
            _ => {}
        }
    }
}

fn create_request_schema(document: &Value) -> &Value {
    let fragment = request_body(document, "post");
    let pointer = fragment
        .trim_start_matches('#')
        .replace("%7B", "{")
        .replace("%7D", "}");
    resolve(
        document,
        document.pointer(&pointer).expect("the create request schema"),
    )
}

#[test]
fn every_field_of_every_command_is_one_discord_declares() {
    let document = &discord().document;
    let schema = create_request_schema(document);
    for command in rendered() {
        let mut found = Vec::new();
        undeclared(
            document,
            schema,
            &command,
            &format!("/{}", command["name"]),
            &mut found,
        );
        assert!(found.is_empty(), "fields Discord does not know: {found:?}");
    }
    // The check itself finds a misspelt field, deep in a subcommand's option.
    let mut misspelt = rendered()
        .into_iter()
        .find(|c| c["name"] == "window")
        .expect("/window");
    misspelt["options"][0]["options"][0]["autocompleted"] = json!(true);
    let mut found = Vec::new();
    undeclared(document, schema, &misspelt, "/window", &mut found);
    assert_eq!(found, ["/window.options[0].options[0].autocompleted"]);
}

/// Every key of every `…_localizations` object.
fn locale_keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if key.ends_with("_localizations")
                    && let Some(texts) = item.as_object()
                {
                    out.extend(texts.keys().cloned());
                }
                locale_keys(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| locale_keys(i, out)),
        _ => {}
    }
}

#[test]
fn localisations_use_discords_locale_codes() {
    let document = &discord().document;
    let known: Vec<&str> = document["components"]["schemas"]["AvailableLocalesEnum"]["oneOf"]
        .as_array()
        .expect("Discord's locales are listed")
        .iter()
        .filter_map(|l| l["const"].as_str())
        .collect();
    assert!(known.contains(&"fr"), "{known:?}");
    let mut used = Vec::new();
    locale_keys(&Value::Array(rendered()), &mut used);
    assert!(
        used.iter().any(|l| l == "fr") && used.iter().any(|l| l == "es-ES"),
        "{used:?}"
    );
    for locale in used {
        assert!(
            known.contains(&locale.as_str()),
            "{locale} is not one of Discord's locales"
        );
    }
}

#[test]
fn a_broken_command_fails_discords_schema() {
    let discord = discord();
    let good = rendered()
        .into_iter()
        .find(|c| c["name"] == "peers")
        .expect("/peers");
    assert!(problems(&discord.create, &good).is_empty());

    let long = json!("x".repeat(101));
    let breakages = [
        ("a 101-character description", "/description", long.clone()),
        ("a 33-character name", "/name", json!("x".repeat(33))),
        (
            "a subcommand option's 101-character description",
            "/options/1/options/0/description",
            long,
        ),
        (
            "a required flag that is not a boolean",
            "/options/1/options/0/required",
            json!("yes"),
        ),
        (
            "permissions left as a string",
            "/default_member_permissions",
            json!("32"),
        ),
    ];
    for (what, pointer, value) in breakages {
        let mut broken = good.clone();
        *broken
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("/peers has {pointer}")) = value;
        // Refused, and for that very field.
        let found = problems(&discord.create, &broken);
        assert!(
            found.iter().any(|p| p.starts_with(&format!("at {pointer}:"))),
            "{what} passes POST validation: {found:?}"
        );
        let found = problems(&discord.bulk_overwrite, &json!([broken]));
        assert!(
            found.iter().any(|p| p.starts_with(&format!("at /0{pointer}:"))),
            "{what} passes PUT validation: {found:?}"
        );
    }
}
