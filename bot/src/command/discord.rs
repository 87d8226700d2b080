//! The command model rendered as Discord application commands: one slash command (`CHAT_INPUT`)
//! per first word, the two-word commands as its subcommands, each option typed from its [`Kind`],
//! descriptions from the Fluent files (English, with French and Spanish localisations).
//! [`application_commands`] is the body of Discord's bulk overwrite,
//! `PUT /applications/{application.id}/guilds/{guild.id}/commands`; [`invocation_path`] maps an
//! interaction's names back to the [`Spec`] it runs; [`definition_hash`] lets the platform
//! register only when the definition changed (Discord allows 200 creates per guild per day).
//!
//! Plain JSON, no Discord SDK types: this module builds without the Discord platform, and what it
//! renders is checked against Discord's own OpenAPI description by `tests/it/discord_commands.rs`.

use serde_json::{Map, Value, json};
use vigie_rules::Region;

use super::{Arg, COMMANDS, Kind, Lang, Level, Locales, Spec, family, roots};

/// The subcommand under which a family's bare form is offered when the family also has
/// subcommands: Discord cannot invoke a command that has subcommands by itself, so the bare
/// `feeds` becomes `/feeds show`, next to `/feeds sync`.
pub const BARE_FORM: &str = "show";

/// `MANAGE_GUILD` (1 << 5), written as Discord writes permissions: a decimal string. Commands whose
/// every form is for admins ask for it, so Discord hides them from most members; the bot still
/// checks each invocation against its own roles.
pub const ADMIN_PERMISSIONS: &str = "32";

/// Discord's longest command, option or choice description (and choice name), in characters.
pub const MAX_DESCRIPTION: usize = 100;

/// Discord's most options (or subcommands) in one command, and most choices in one option.
pub const MAX_OPTIONS: usize = 25;

/// A window id is always `w-` and twelve hexadecimal digits.
const WINDOW_ID_LENGTH: u16 = 14;

/// The longest note kept (`crate::chat`'s limit): Discord refuses longer text before it is sent.
const NOTE_MAX_LENGTH: u16 = 2000;

/// Application command type `CHAT_INPUT`: a slash command.
const CHAT_INPUT: u8 = 1;

/// Interaction context `GUILD`: Vigie's commands act on rooms, so none is offered in DMs.
const GUILD: u8 = 0;

/// Discord's application command option types that Vigie uses.
mod option_type {
    pub const SUB_COMMAND: u8 = 1;
    pub const STRING: u8 = 3;
    pub const BOOLEAN: u8 = 5;
    pub const USER: u8 = 6;
}

/// Every command as Discord application commands, in catalogue order: the JSON array to `PUT` to
/// `/applications/{application.id}/guilds/{guild.id}/commands`.
pub fn application_commands(locales: &Locales) -> Vec<Value> {
    roots().into_iter().map(|root| command(locales, root)).collect()
}

/// The names Discord shows for a command: the slash command and, if any, the subcommand.
/// `window claim` → (`window`, `claim`); `help` → (`help`, none); `feeds` → (`feeds`, `show`),
/// because its family also has `feeds sync` (see [`BARE_FORM`]). Commands have one or two words.
pub fn discord_path(spec: &Spec) -> (&'static str, Option<&'static str>) {
    let root = spec.path[0];
    match spec.path.get(1) {
        Some(sub) => (root, Some(sub)),
        None if family(root).count() > 1 => (root, Some(BARE_FORM)),
        None => (root, None),
    }
}

/// The command an interaction runs, from the names Discord sends: the command's name and its
/// subcommand's, if any. The inverse of [`discord_path`]: `("feeds", Some("show"))` is the bare
/// `feeds`, while `("feeds", None)` is nothing, since Discord cannot send it.
pub fn invocation_path(command: &str, subcommand: Option<&str>) -> Option<&'static Spec> {
    COMMANDS
        .iter()
        .find(|spec| discord_path(spec) == (command, subcommand))
}

/// A SHA-256 (lower-case hex) of the commands written as canonical JSON: compact, object keys
/// sorted. The platform stores it and registers the commands again only when it changes.
pub fn definition_hash(commands: &[Value]) -> String {
    let mut text = String::new();
    write_canonical(&mut text, &Value::Array(commands.to_vec()));
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One slash command: a whole family of the catalogue.
fn command(locales: &Locales, root: &'static str) -> Value {
    let specs: Vec<&'static Spec> = family(root).collect();
    let mut body = Map::new();
    body.insert("type".into(), CHAT_INPUT.into());
    body.insert("name".into(), root.into());
    match specs.as_slice() {
        [spec] if spec.path.len() == 1 => {
            describe(&mut body, locales, &spec.description_id());
            body.insert("options".into(), options(locales, spec).into());
        }
        _ => {
            // No message describes a family as a whole, and Discord shows each subcommand with
            // its own description: the root lists its subcommands, in any language.
            let names: Vec<&str> = specs.iter().filter_map(|s| discord_path(s).1).collect();
            body.insert("description".into(), fit(names.join(", ")).into());
            let subcommands: Vec<Value> = specs.iter().map(|s| subcommand(locales, s)).collect();
            body.insert("options".into(), subcommands.into());
        }
    }
    body.insert(
        "default_member_permissions".into(),
        default_member_permissions(&specs),
    );
    body.insert("contexts".into(), json!([GUILD]));
    Value::Object(body)
}

fn subcommand(locales: &Locales, spec: &Spec) -> Value {
    let mut body = Map::new();
    body.insert("type".into(), option_type::SUB_COMMAND.into());
    let name = discord_path(spec).1.unwrap_or(BARE_FORM);
    body.insert("name".into(), name.into());
    describe(&mut body, locales, &spec.description_id());
    body.insert("options".into(), options(locales, spec).into());
    Value::Object(body)
}

/// `MANAGE_GUILD` when every command of the family is for admins; otherwise anyone sees it and
/// the bot refuses what they may not do.
fn default_member_permissions(specs: &[&Spec]) -> Value {
    if specs.iter().all(|s| s.level == Level::Admin) {
        ADMIN_PERMISSIONS.into()
    } else {
        Value::Null
    }
}

/// A command's options, required ones first as Discord demands, each group in catalogue order.
fn options(locales: &Locales, spec: &Spec) -> Vec<Value> {
    let (required, optional): (Vec<&Arg>, Vec<&Arg>) = spec.args.iter().partition(|a| a.required);
    required
        .into_iter()
        .chain(optional)
        .map(|a| option(locales, a))
        .collect()
}

fn option(locales: &Locales, arg: &Arg) -> Value {
    let mut body = Map::new();
    let kind = match arg.kind {
        Kind::Switch => option_type::BOOLEAN,
        Kind::User => option_type::USER,
        _ => option_type::STRING,
    };
    body.insert("type".into(), kind.into());
    body.insert("name".into(), arg.name.into());
    describe(&mut body, locales, &arg.description_id());
    body.insert("required".into(), arg.required.into());
    // No wildcard: a new kind must decide how Discord offers it.
    match arg.kind {
        Kind::WindowId => {
            body.insert("autocomplete".into(), true.into());
            body.insert("min_length".into(), WINDOW_ID_LENGTH.into());
            body.insert("max_length".into(), WINDOW_ID_LENGTH.into());
        }
        Kind::Text => {
            body.insert("min_length".into(), 1.into());
            body.insert("max_length".into(), NOTE_MAX_LENGTH.into());
        }
        Kind::Country | Kind::Scope | Kind::Topic | Kind::Feed | Kind::Rule | Kind::Command => {
            body.insert("autocomplete".into(), true.into());
        }
        Kind::Role => {
            let roles = [Level::Admin, Level::Peer].map(|l| json!({"name": l.as_str(), "value": l.as_str()}));
            body.insert("choices".into(), json!(roles));
        }
        Kind::Region => {
            let regions = Region::ALL.map(|r| region_choice(locales, r));
            body.insert("choices".into(), json!(regions));
        }
        Kind::Language => {
            let languages =
                Lang::ALL.map(|l| localised_choice(locales, &format!("lang-{}", l.code()), l.code()));
            body.insert("choices".into(), json!(languages));
        }
        Kind::Duration
        | Kind::Date
        | Kind::User
        | Kind::Switch
        | Kind::Matchers
        | Kind::SilenceId
        | Kind::Room
        | Kind::Target
        | Kind::Campaign
        | Kind::Nomination
        | Kind::Category
        | Kind::Categories
        | Kind::Method
        | Kind::Count
        | Kind::Moment
        | Kind::Users
        | Kind::Name
        | Kind::Quorum
        | Kind::Recusal => {}
    }
    Value::Object(body)
}

/// A region, named by the message `region-SLUG` when the Fluent files have one, else by its
/// English name.
fn region_choice(locales: &Locales, region: Region) -> Value {
    let id = format!("region-{}", region.slug());
    if locales.has(Lang::En, &id) {
        return localised_choice(locales, &id, region.slug());
    }
    let mut name = region.name().to_owned();
    if let Some(first) = name.get(..1) {
        name.replace_range(..1, &first.to_uppercase());
    }
    json!({"name": name, "value": region.slug()})
}

fn localised_choice(locales: &Locales, id: &str, value: &str) -> Value {
    let mut body = Map::new();
    body.insert("name".into(), fit(locales.text(Lang::En, id, &[])).into());
    let names = localisations(locales, id);
    if !names.is_empty() {
        body.insert("name_localizations".into(), names.into());
    }
    body.insert("value".into(), value.into());
    Value::Object(body)
}

/// `description` in English and `description_localizations` in the other languages.
fn describe(body: &mut Map<String, Value>, locales: &Locales, id: &str) {
    body.insert("description".into(), fit(locales.text(Lang::En, id, &[])).into());
    let localised = localisations(locales, id);
    if !localised.is_empty() {
        body.insert("description_localizations".into(), localised.into());
    }
}

/// The message `id` in every language but English (Discord's default), keyed by Discord locale.
/// A language without the message is left out: Discord then shows the English text.
fn localisations(locales: &Locales, id: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for lang in Lang::ALL {
        if lang == Lang::En || !locales.has(lang, id) {
            continue;
        }
        let text = fit(locales.text(lang, id, &[]));
        for code in discord_locales(lang) {
            out.insert((*code).to_owned(), text.clone().into());
        }
    }
    out
}

/// Discord's locales that each language serves. Spanish serves Latin America (`es-419`) as well
/// as Spain: OGP's Americas region is mostly Spanish-speaking. English is the default text.
pub fn discord_locales(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &[],
        Lang::Fr => &["fr"],
        Lang::Es => &["es-ES", "es-419"],
    }
}

/// A text cut to Discord's [`MAX_DESCRIPTION`], ending in `…` if it had to be cut. A safety net
/// only: a test makes sure no message needs it.
fn fit(text: String) -> String {
    if text.chars().count() <= MAX_DESCRIPTION {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_DESCRIPTION - 1).collect();
    cut.push('…');
    cut
}

/// Compact JSON with object keys sorted: the same definition always gives the same text, whatever
/// order its keys were inserted in.
fn write_canonical(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                write_canonical(out, item);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests;
