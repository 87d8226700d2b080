//! Vigie's Discord application commands checked against Discord's own description of its API, the
//! official OpenAPI 3.1 document in `shared/data/discord/openapi.json` (MIT): an independent source,
//! where a fake Discord would only repeat our own understanding of it.

use std::sync::{Arc, OnceLock};

use jsonschema::Validator;
use serde_json::{Value, json};
use vigie::command::Locales;
use vigie::command::discord::application_commands;

use crate::discord_openapi::{openapi, pointer, problems, resolve};

/// The operations Vigie registers its commands with.
const GUILD_COMMANDS: &str = "/applications/{application_id}/guilds/{guild_id}/commands";

/// Discord's OpenAPI document and validators for the request bodies of the bulk overwrite
/// (`PUT`, what the platform sends) and of the single create (`POST`, one command at a time, for
/// clearer messages).
struct Discord {
    document: &'static Value,
    bulk_overwrite: Arc<Validator>,
    create: Arc<Validator>,
}

fn discord() -> &'static Discord {
    static DISCORD: OnceLock<Discord> = OnceLock::new();
    DISCORD.get_or_init(|| {
        let api = openapi();
        Discord {
            document: &api.document,
            bulk_overwrite: api.validator(&request_body(&api.document, "put")),
            create: api.validator(&request_body(&api.document, "post")),
        }
    })
}

/// The JSON pointer to the request body schema of `method` on the guild commands path; it panics
/// if the document has no such schema.
fn request_body(document: &Value, method: &str) -> String {
    let at = pointer(&[
        "paths",
        GUILD_COMMANDS,
        method,
        "requestBody",
        "content",
        "application/json",
        "schema",
    ]);
    assert!(
        document.pointer(&at).is_some_and(Value::is_object),
        "Discord's OpenAPI description has no request body schema for {} {GUILD_COMMANDS}",
        method.to_uppercase()
    );
    at
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
    let at = request_body(document, "post");
    resolve(
        document,
        document.pointer(&at).expect("the create request schema"),
    )
}

#[test]
fn every_field_of_every_command_is_one_discord_declares() {
    let document = discord().document;
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
    let document = discord().document;
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
