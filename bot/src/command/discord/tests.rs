use serde_json::{Map, Value, json};
use vigie_rules::Region;

use super::*;
use crate::command::{Id, spec};

/// Discord's pattern for command, subcommand and option names (they must be lower case too).
const NAME_PATTERN: &str = r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$";

fn rendered() -> Vec<Value> {
    application_commands(&Locales::new())
}

fn object(value: &Value) -> &Map<String, Value> {
    value.as_object().expect("a JSON object")
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {value}"))
}

fn options_of(value: &Value) -> &[Value] {
    value["options"].as_array().map_or(&[], Vec::as_slice)
}

fn is_subcommand(option: &Value) -> bool {
    option["type"] == json!(option_type::SUB_COMMAND)
}

/// What a person can invoke: (command, subcommand, the object holding its options).
fn leaves(commands: &[Value]) -> Vec<(&str, Option<&str>, &Value)> {
    let mut out = Vec::new();
    for command in commands {
        let name = str_of(command, "name");
        let subcommands: Vec<&Value> = options_of(command).iter().filter(|o| is_subcommand(o)).collect();
        if subcommands.is_empty() {
            out.push((name, None, command));
        } else {
            assert_eq!(
                subcommands.len(),
                options_of(command).len(),
                "/{name} mixes subcommands and options"
            );
            out.extend(
                subcommands
                    .into_iter()
                    .map(|s| (name, Some(str_of(s, "name")), s)),
            );
        }
    }
    out
}

/// Every option (not subcommand) of every command, with where it is.
fn all_options(commands: &[Value]) -> Vec<(String, &Value)> {
    leaves(commands)
        .into_iter()
        .flat_map(|(command, sub, leaf)| {
            let at = format!("/{command}{}", sub.map(|s| format!(" {s}")).unwrap_or_default());
            options_of(leaf)
                .iter()
                .map(move |o| (format!("{at} {}", str_of(o, "name")), o))
        })
        .collect()
}

fn find_option<'a>(commands: &'a [Value], command: &str, sub: Option<&str>, name: &str) -> &'a Value {
    leaves(commands)
        .into_iter()
        .find(|(c, s, _)| *c == command && *s == sub)
        .and_then(|(_, _, leaf)| options_of(leaf).iter().find(|o| o["name"] == name))
        .unwrap_or_else(|| panic!("/{command} {sub:?} has an option {name}"))
}

/// Every text Discord limits to 100 characters: descriptions, their localisations, choice names.
fn limited_texts(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = format!("{at}.{key}");
                match (key.as_str(), item) {
                    ("description", Value::String(s)) => out.push((here, s.clone())),
                    ("description_localizations" | "name_localizations", Value::Object(texts)) => {
                        for (locale, text) in texts {
                            out.push((format!("{here}.{locale}"), text.as_str().unwrap_or("").to_owned()));
                        }
                    }
                    _ => limited_texts(item, &here, out),
                }
            }
            if map.contains_key("value")
                && let Some(name) = map.get("name").and_then(Value::as_str)
            {
                out.push((format!("{at}.name"), name.to_owned()));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                limited_texts(item, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_command_is_reachable_through_the_names_discord_sends() {
    let commands = rendered();
    let leaves = leaves(&commands);
    for (command, sub, leaf) in &leaves {
        let spec =
            invocation_path(command, *sub).unwrap_or_else(|| panic!("/{command} {sub:?} runs nothing"));
        let mut rendered: Vec<&str> = options_of(leaf).iter().map(|o| str_of(o, "name")).collect();
        let mut defined: Vec<&str> = spec.args.iter().map(|a| a.name).collect();
        rendered.sort_unstable();
        defined.sort_unstable();
        assert_eq!(
            rendered,
            defined,
            "/{command} {sub:?} offers the options of {}",
            spec.name()
        );
    }
    for spec in COMMANDS {
        let (command, sub) = discord_path(spec);
        assert_eq!(
            invocation_path(command, sub).map(|s| s.id),
            Some(spec.id),
            "{}",
            spec.name()
        );
        let offered = leaves
            .iter()
            .filter(|(c, s, _)| (*c, *s) == (command, sub))
            .count();
        assert_eq!(offered, 1, "{} is offered {offered} times", spec.name());
    }
    assert_eq!(leaves.len(), COMMANDS.len());
}

#[test]
fn a_family_with_a_bare_form_and_subcommands_offers_the_bare_form_as_show() {
    let cases = [
        ("help", None, Some(Id::Help)),
        ("help", Some("show"), None),
        ("feeds", Some("show"), Some(Id::Feeds)),
        ("feeds", Some("sync"), Some(Id::FeedsSync)),
        ("feeds", None, None),
        ("window", Some("show"), Some(Id::WindowShow)),
        ("window", None, None),
        ("rules", Some("show"), None),
        ("peers", Some("add"), Some(Id::PeersAdd)),
        ("language", None, Some(Id::Language)),
        ("Help", None, None),
        ("nothing", None, None),
    ];
    for (command, sub, expected) in cases {
        assert_eq!(
            invocation_path(command, sub).map(|s| s.id),
            expected,
            "/{command} {sub:?}"
        );
    }
    assert_eq!(discord_path(spec(Id::Feeds)), ("feeds", Some(BARE_FORM)));
    assert_eq!(discord_path(spec(Id::Calendar)), ("calendar", None));
}

#[test]
fn every_command_has_one_or_two_words_and_every_discord_name_is_unique_in_its_place() {
    for spec in COMMANDS {
        assert!(
            matches!(spec.path.len(), 1 | 2),
            "{}: Discord nests two words at most here",
            spec.name()
        );
    }
    let commands = rendered();
    let names: Vec<&str> = commands.iter().map(|c| str_of(c, "name")).collect();
    let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    for command in &commands {
        let subs: Vec<&str> = options_of(command).iter().map(|o| str_of(o, "name")).collect();
        let unique: std::collections::HashSet<&str> = subs.iter().copied().collect();
        assert_eq!(unique.len(), subs.len(), "/{}: {subs:?}", command["name"]);
    }
}

#[test]
fn every_name_is_lower_case_and_matches_discords_pattern() {
    let pattern = jsonschema::validator_for(&json!({"type": "string", "pattern": NAME_PATTERN}))
        .expect("Discord's name pattern compiles");
    // The check itself works.
    assert!(pattern.is_valid(&json!("peers")));
    assert!(!pattern.is_valid(&json!("feeds sync")));
    assert!(!pattern.is_valid(&json!("x".repeat(33))));

    let commands = rendered();
    let mut names: Vec<String> = Vec::new();
    for command in &commands {
        names.push(str_of(command, "name").to_owned());
        names.extend(options_of(command).iter().map(|o| str_of(o, "name").to_owned()));
    }
    names.extend(
        all_options(&commands)
            .into_iter()
            .map(|(_, o)| str_of(o, "name").to_owned()),
    );
    for name in names {
        assert!(pattern.is_valid(&json!(name)), "{name:?} is not a Discord name");
        assert_eq!(name, name.to_lowercase(), "Discord names are lower case");
    }
}

#[test]
fn every_description_fits_discords_100_characters_in_every_language_without_cutting() {
    let locales = Locales::new();
    let mut ids: Vec<String> = Vec::new();
    for spec in COMMANDS {
        ids.push(spec.description_id());
        ids.extend(spec.args.iter().map(|a| a.description_id()));
    }
    ids.extend(Lang::ALL.map(|l| format!("lang-{}", l.code())));
    ids.extend(
        Region::ALL
            .map(|r| format!("region-{}", r.slug()))
            .into_iter()
            .filter(|id| locales.has(Lang::En, id)),
    );
    for lang in Lang::ALL {
        for id in &ids {
            let text = locales.text(lang, id, &[]);
            let length = text.chars().count();
            assert!(
                (1..=MAX_DESCRIPTION).contains(&length),
                "{lang} {id} has {length} characters; Discord takes 1 to {MAX_DESCRIPTION}: {text}"
            );
        }
    }
    let mut texts = Vec::new();
    limited_texts(&Value::Array(rendered()), "", &mut texts);
    assert!(
        texts.len() > COMMANDS.len() * 3,
        "the walk finds the texts: {texts:?}"
    );
    for (at, text) in texts {
        let length = text.chars().count();
        assert!(
            (1..=MAX_DESCRIPTION).contains(&length),
            "{at} has {length} characters: {text}"
        );
    }
}

#[test]
fn a_text_too_long_for_discord_is_cut_with_an_ellipsis() {
    assert_eq!(fit("x".repeat(100)), "x".repeat(100));
    let cut = fit("é".repeat(101));
    assert_eq!(cut.chars().count(), 100);
    assert!(cut.ends_with("é…"), "{cut}");
}

#[test]
fn required_options_come_before_optional_ones() {
    let commands = rendered();
    for (command, sub, leaf) in leaves(&commands) {
        let required: Vec<bool> = options_of(leaf).iter().map(|o| o["required"] == true).collect();
        let first_optional = required.iter().position(|r| !r).unwrap_or(required.len());
        assert!(
            required[first_optional..].iter().all(|r| !r),
            "/{command} {sub:?}: a required option after an optional one"
        );
    }
    let note = invocation_path("window", Some("note")).expect("window note");
    let required = leaves(&commands)
        .into_iter()
        .find(|(c, s, _)| (*c, *s) == discord_path(note))
        .map(|(_, _, leaf)| options_of(leaf).iter().filter(|o| o["required"] == true).count());
    assert_eq!(required, Some(2), "window note needs its id and its text");
}

#[test]
fn no_command_has_more_options_or_choices_than_discord_takes() {
    let commands = rendered();
    assert!(
        commands.len() <= 100,
        "Discord takes 100 slash commands per guild"
    );
    for command in &commands {
        assert!(options_of(command).len() <= MAX_OPTIONS, "/{}", command["name"]);
    }
    for (command, sub, leaf) in leaves(&commands) {
        assert!(options_of(leaf).len() <= MAX_OPTIONS, "/{command} {sub:?}");
    }
    for (at, option) in all_options(&commands) {
        let choices = option["choices"].as_array().map_or(0, Vec::len);
        assert!(choices <= MAX_OPTIONS, "{at} has {choices} choices");
        assert!(
            !(option["autocomplete"] == true && choices > 0),
            "{at}: Discord refuses autocomplete with choices"
        );
    }
}

#[test]
fn each_kind_of_option_takes_its_discord_type() {
    let commands = rendered();
    let string = json!(option_type::STRING);
    let id = find_option(&commands, "window", Some("claim"), "id");
    assert_eq!(
        (
            &id["type"],
            &id["autocomplete"],
            &id["min_length"],
            &id["max_length"]
        ),
        (&string, &json!(true), &json!(14), &json!(14))
    );
    let text = find_option(&commands, "window", Some("note"), "text");
    assert_eq!((&text["type"], &text["max_length"]), (&string, &json!(2000)));
    assert!(text.get("autocomplete").is_none());
    let room = find_option(&commands, "language", None, "room");
    assert_eq!(
        (&room["type"], &room["required"]),
        (&json!(option_type::BOOLEAN), &json!(false))
    );
    let user = find_option(&commands, "peers", Some("add"), "user");
    assert_eq!(
        (&user["type"], &user["required"]),
        (&json!(option_type::USER), &json!(true))
    );
    for (command, sub, name) in [
        ("help", None, "command"),
        ("windows", None, "scope"),
        ("calendar", None, "country"),
        ("subscribe", None, "topic"),
        ("feeds", Some("sync"), "feed"),
        ("rules", Some("test"), "rule"),
    ] {
        let option = find_option(&commands, command, sub, name);
        assert_eq!(
            (&option["type"], &option["autocomplete"]),
            (&string, &json!(true)),
            "{name}"
        );
    }
    let within = find_option(&commands, "windows", None, "within");
    assert_eq!(within["type"], string);
    assert!(within.get("autocomplete").is_none() && within.get("choices").is_none());

    let values = |option: &Value| -> Vec<String> {
        option["choices"]
            .as_array()
            .expect("choices")
            .iter()
            .map(|c| str_of(c, "value").to_owned())
            .collect()
    };
    let role = find_option(&commands, "peers", Some("add"), "role");
    assert_eq!(values(role), ["admin", "peer"]);
    let region = find_option(&commands, "peers", Some("add"), "region");
    assert_eq!(values(region), Region::ALL.map(|r| r.slug().to_owned()));
    assert_eq!(region["choices"][1]["name"], "The Americas");
    let language = find_option(&commands, "language", None, "language");
    assert_eq!(values(language), ["en", "fr", "es"]);
    let locales = Locales::new();
    assert_eq!(
        language["choices"][1]["name"],
        locales.text(Lang::En, "lang-fr", &[])
    );
    assert_eq!(
        language["choices"][1]["name_localizations"]["fr"],
        locales.text(Lang::Fr, "lang-fr", &[])
    );
}

#[test]
fn a_window_id_option_takes_exactly_the_length_of_a_window_id() {
    let id = vigie_rules::window::WindowId::new("a-rule", "KE|2027");
    assert_eq!(id.as_str().chars().count(), usize::from(WINDOW_ID_LENGTH), "{id}");
}

#[test]
fn descriptions_are_in_english_with_discords_french_and_spanish_locales() {
    let locales = Locales::new();
    let commands = rendered();
    let help = &commands[0];
    assert_eq!(help["name"], "help");
    assert_eq!(help["description"], locales.text(Lang::En, "cmd-help", &[]));
    let localised = object(&help["description_localizations"]);
    let keys: Vec<&str> = localised.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = Lang::ALL
        .iter()
        .flat_map(|l| discord_locales(*l))
        .copied()
        .collect();
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(localised["fr"], locales.text(Lang::Fr, "cmd-help", &[]));
    assert_eq!(localised["es-ES"], locales.text(Lang::Es, "cmd-help", &[]));
    assert_eq!(localised["es-419"], locales.text(Lang::Es, "cmd-help", &[]));
    let claim = find_option(&commands, "window", Some("claim"), "id");
    assert_eq!(
        claim["description_localizations"]["fr"],
        locales.text(Lang::Fr, "opt-id", &[])
    );
}

#[test]
fn every_command_is_a_guild_slash_command_and_only_admin_families_ask_for_manage_guild() {
    for command in rendered() {
        let name = str_of(&command, "name");
        assert_eq!(
            (&command["type"], &command["contexts"]),
            (&json!(1), &json!([0])),
            "/{name}"
        );
        let admin_only = family(name).all(|s| s.level == Level::Admin);
        let expected = if admin_only {
            json!(ADMIN_PERMISSIONS)
        } else {
            Value::Null
        };
        assert_eq!(command["default_member_permissions"], expected, "/{name}");
    }
    let admins = [spec(Id::FeedsSync), spec(Id::RulesReload)];
    assert_eq!(default_member_permissions(&admins), json!("32"));
    let mixed = [spec(Id::Feeds), spec(Id::FeedsSync)];
    assert_eq!(default_member_permissions(&mixed), Value::Null);
}

#[test]
fn the_definition_hash_is_stable_and_follows_every_change() {
    let commands = rendered();
    let hash = definition_hash(&commands);
    assert_eq!(hash.len(), 64);
    assert!(
        hash.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{hash}"
    );
    assert_eq!(
        hash,
        definition_hash(&rendered()),
        "the same definition, the same hash"
    );

    // Key order does not matter, whatever the map keeps.
    let mut reversed = commands.clone();
    let entries: Vec<(String, Value)> = object(&reversed[0]).clone().into_iter().rev().collect();
    reversed[0] = Value::Object(entries.into_iter().collect());
    assert_eq!(definition_hash(&reversed), hash);

    let mut described = commands.clone();
    described[0]["description"] = json!("Show the commands.");
    assert_ne!(
        definition_hash(&described),
        hash,
        "an English description changed"
    );
    let mut translated = commands.clone();
    translated[0]["description_localizations"]["fr"] = json!("Affiche les commandes.");
    assert_ne!(definition_hash(&translated), hash, "a French description changed");
    let mut reordered = commands.clone();
    reordered.swap(0, 1);
    assert_ne!(definition_hash(&reordered), hash);
}
