//! `help`, generated from the command definitions, and the one sentence for each way a line can
//! fail to be a command.

use super::locale::{Args, arg};
use super::parse::ParseError;
use super::{COMMANDS, Kind, Lang, Level, Locales, Spec};

/// The list of commands, in the caller's language: usage and one line each.
pub fn overview(locales: &Locales, lang: Lang) -> String {
    let mut out = format!("**{}**\n", locales.text(lang, "help-title", &[]));
    for spec in COMMANDS {
        let marker = match spec.level {
            Level::Anyone => "",
            Level::Peer => " ◆",
            Level::Admin => " ★",
        };
        out.push_str(&format!(
            "- `{}`{marker} — {}\n",
            spec.usage(),
            locales.text(lang, &spec.description_id(), &[])
        ));
    }
    out.push('\n');
    out.push_str(&locales.text(lang, "help-footer", &[]));
    out
}

/// Help on one command (`window claim`) or on a family (`window`).
pub fn details(locales: &Locales, lang: Lang, name: &str) -> String {
    let specs: Vec<&Spec> = COMMANDS
        .iter()
        .filter(|s| s.name() == name || (s.path[0] == name && !COMMANDS.iter().any(|o| o.name() == name)))
        .collect();
    let specs = if specs.is_empty() {
        COMMANDS.iter().filter(|s| s.path[0] == name).collect()
    } else {
        specs
    };
    let mut out = String::new();
    for spec in specs {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "**{}** — {}\n",
            spec.name(),
            locales.text(lang, &spec.description_id(), &[])
        ));
        out.push_str(&format!(
            "{} `{}`\n",
            locales.text(lang, "help-usage", &[]),
            spec.usage()
        ));
        for a in spec.args {
            let shown = match (a.named, a.kind) {
                (true, Kind::Switch) => format!("--{}", a.name),
                (true, k) => format!("--{} {}", a.name, k.placeholder()),
                // Named as in the usage line above (`TITLE`, `CITATION`), not by kind.
                (false, _) => a.name.to_uppercase(),
            };
            out.push_str(&format!(
                "- `{shown}` — {} ({})\n",
                locales.text(lang, &a.description_id(), &[]),
                locales.text(lang, &format!("expect-{}", kind_id(a.kind)), &[])
            ));
        }
        // Some commands say more than their options can: how a ballot is written, for `vote`.
        let more = format!("help-more-{}", spec.path.join("-"));
        if locales.has(lang, &more) {
            out.push_str(&locales.text(lang, &more, &[]));
            out.push('\n');
        }
        out.push_str(&locales.text(lang, "help-who", &[("level", arg(spec.level.as_str()))]));
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// The id part of a kind's messages: `expect-window-id`.
pub fn kind_id(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::WindowId => "window-id",
        Kind::Country => "country",
        Kind::Scope => "scope",
        Kind::Topic => "topic",
        Kind::Duration => "duration",
        Kind::Date => "date",
        Kind::User => "user",
        Kind::Role => "role",
        Kind::Region => "region",
        Kind::Language => "language",
        Kind::Feed => "feed",
        Kind::Rule => "rule",
        Kind::Command => "command",
        Kind::Switch => "switch",
        Kind::Matchers => "matchers",
        Kind::SilenceId => "silence-id",
        Kind::Room => "room",
        Kind::Target => "target",
        Kind::Campaign => "campaign",
        Kind::Nomination => "nomination",
        Kind::Category => "category",
        Kind::Categories => "categories",
        Kind::Method => "method",
        Kind::Count => "count",
        Kind::Moment => "moment",
        Kind::Users => "users",
        Kind::Name => "name",
        Kind::Quorum => "quorum",
        Kind::Recusal => "recusal",
    }
}

/// The one sentence that says what is wrong with a line and what was expected.
pub fn error(locales: &Locales, lang: Lang, error: &ParseError) -> String {
    let some = |s: &Option<String>| arg(s.clone().unwrap_or_else(|| "none".to_owned()));
    let t = |id: &str, args: &Args<'_>| locales.text(lang, id, args);
    match error {
        ParseError::Empty => t("err-empty", &[]),
        ParseError::UnclosedQuote => t("err-unclosed-quote", &[]),
        ParseError::UnknownCommand { given, suggestion } => t(
            "err-unknown-command",
            &[("given", arg(given.clone())), ("suggestion", some(suggestion))],
        ),
        ParseError::UnknownSubcommand {
            root,
            given,
            suggestion,
        } => {
            let choices: Vec<String> = super::family(root).map(|s| format!("`{}`", s.name())).collect();
            t(
                "err-unknown-subcommand",
                &[
                    ("root", arg(*root)),
                    ("given", some(given)),
                    ("suggestion", some(suggestion)),
                    ("choices", arg(choices.join(", "))),
                ],
            )
        }
        ParseError::Missing { spec, arg: name } => t(
            "err-missing",
            &[
                ("command", arg(spec.name())),
                ("option", arg(name.to_uppercase())),
                ("usage", arg(spec.usage())),
            ],
        ),
        ParseError::TooMany { spec, extra } => t(
            "err-too-many",
            &[
                ("command", arg(spec.name())),
                ("extra", arg(extra.clone())),
                ("usage", arg(spec.usage())),
            ],
        ),
        ParseError::UnknownOption {
            spec,
            given,
            suggestion,
        } => t(
            "err-unknown-option",
            &[
                ("command", arg(spec.name())),
                ("given", arg(given.clone())),
                ("suggestion", some(suggestion)),
                ("usage", arg(spec.usage())),
            ],
        ),
        ParseError::NoValue { spec, arg: name } => t(
            "err-no-value",
            &[("option", arg(*name)), ("usage", arg(spec.usage()))],
        ),
        ParseError::Repeated { spec, arg: name } => t(
            "err-repeated",
            &[("option", arg(*name)), ("usage", arg(spec.usage()))],
        ),
        ParseError::Invalid { spec, kind, given } => t(
            "err-invalid",
            &[
                ("command", arg(spec.name())),
                ("given", arg(given.clone())),
                ("expected", arg(t(&format!("expect-{}", kind_id(*kind)), &[]))),
            ],
        ),
    }
}
