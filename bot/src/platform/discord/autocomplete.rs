//! Suggestions while a person types an option that Vigie registered with `autocomplete`:
//! commands (for `help`), countries, scopes and topics, feeds, rules and the windows of the
//! latest evaluation. [`suggestions`] is pure; [`answer`] gathers what it needs and responds.
//! Discord shows at most 25 suggestions, named and valued in at most 100 characters; the person
//! may still send what they typed, which is then checked like any other value.

use serenity::all::{
    CommandData, CommandDataOptionValue, CommandInteraction, Context, CreateAutocompleteResponse,
    CreateInteractionResponse,
};
use vigie_rules::Region;

use super::{Inner, describe};
use crate::chat::Chat;
use crate::command::discord::invocation_path;
use crate::command::{COMMANDS, Kind};

/// Discord's most suggestions in one answer.
const MAX_SUGGESTIONS: usize = 25;
/// Discord's longest suggestion name and value, in characters.
const MAX_CHOICE: usize = 100;

/// What suggestions are drawn from.
#[derive(Debug, Default)]
pub struct Known {
    /// (code, English name), by code.
    pub countries: Vec<(String, String)>,
    pub feeds: Vec<String>,
    pub rules: Vec<String>,
    /// (id, title), as the latest evaluation lists them.
    pub windows: Vec<(String, String)>,
}

/// The suggestions for an option of `kind` while `typed` is typed: (name shown, value sent).
/// Those starting with what is typed come first, then those containing it.
pub fn suggestions(kind: Kind, typed: &str, known: &Known) -> Vec<(String, String)> {
    let regions = || {
        Region::ALL
            .iter()
            .map(|r| (r.name().to_owned(), r.slug().to_owned()))
    };
    let countries = || {
        known
            .countries
            .iter()
            .map(|(code, name)| (format!("{code} — {name}"), code.clone()))
    };
    let all: Vec<(String, String)> = match kind {
        Kind::Command => COMMANDS.iter().map(|s| (s.name(), s.name())).collect(),
        Kind::Country => countries().collect(),
        Kind::Scope => regions().chain(countries()).collect(),
        Kind::Topic => regions()
            .map(|(name, slug)| (format!("region:{slug} — {name}"), format!("region:{slug}")))
            .chain(
                countries()
                    .map(|(name, code)| (format!("country:{code} — {name}"), format!("country:{code}"))),
            )
            .collect(),
        Kind::Feed => known.feeds.iter().map(|f| (f.clone(), f.clone())).collect(),
        Kind::Rule => known.rules.iter().map(|r| (r.clone(), r.clone())).collect(),
        Kind::WindowId => known
            .windows
            .iter()
            .map(|(id, title)| (format!("{id} — {title}"), id.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let typed = typed.trim().to_lowercase();
    let (mut first, mut then): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for (name, value) in all {
        let (n, v) = (name.to_lowercase(), value.to_lowercase());
        if n.starts_with(&typed) || v.starts_with(&typed) {
            first.push((name, value));
        } else if n.contains(&typed) {
            then.push((name, value));
        }
    }
    first.append(&mut then);
    first
        .into_iter()
        .filter(|(_, value)| value.chars().count() <= MAX_CHOICE)
        .map(|(name, value)| (fit(name), value))
        .take(MAX_SUGGESTIONS)
        .collect()
}

/// A name cut to Discord's [`MAX_CHOICE`] characters.
fn fit(name: String) -> String {
    if name.chars().count() <= MAX_CHOICE {
        return name;
    }
    let mut cut: String = name.chars().take(MAX_CHOICE - 1).collect();
    cut.push('…');
    cut
}

/// Answers an autocomplete interaction with the suggestions for its focused option (none for
/// an option Vigie does not know).
pub(super) async fn answer(bot: &Inner, ctx: &Context, interaction: CommandInteraction) {
    let response = CreateInteractionResponse::Autocomplete(choices(&bot.chat, &interaction.data).await);
    if let Err(e) = interaction.create_response(&ctx.http, response).await {
        tracing::debug!(error = describe(&e), "an autocompletion could not be answered");
    }
}

/// The suggestions for the option being typed in `data`, whichever way the interaction came.
pub(super) async fn choices(chat: &Chat, data: &CommandData) -> CreateAutocompleteResponse {
    let subcommand = data.options.first().and_then(|o| match o.value {
        CommandDataOptionValue::SubCommand(_) => Some(o.name.as_str()),
        _ => None,
    });
    let focused = data.autocomplete();
    let kind = focused.as_ref().and_then(|f| {
        invocation_path(&data.name, subcommand)
            .and_then(|spec| spec.arg(f.name))
            .map(|arg| arg.kind)
    });
    let mut response = CreateAutocompleteResponse::new();
    if let (Some(kind), Some(focused)) = (kind, focused.as_ref()) {
        let known = known(chat, kind).await;
        for (name, value) in suggestions(kind, focused.value, &known) {
            response = response.add_string_choice(name, value);
        }
    }
    response
}

/// What the suggestions for `kind` are drawn from, and only that.
async fn known(chat: &Chat, kind: Kind) -> Known {
    let engine = chat.engine();
    let mut known = Known::default();
    match kind {
        Kind::Country | Kind::Scope | Kind::Topic => {
            known.countries = engine
                .countries()
                .jurisdictions()
                .into_iter()
                .map(|j| (j.code.to_string(), j.name))
                .collect();
        }
        Kind::Feed => known.feeds = engine.config().feeds.iter().map(|f| f.name.clone()).collect(),
        Kind::Rule => {
            known.rules = engine
                .rules()
                .await
                .rules()
                .iter()
                .map(|r| r.id.clone())
                .collect()
        }
        Kind::WindowId => {
            known.windows = engine
                .snapshot()
                .windows
                .iter()
                .map(|w| (w.id.to_string(), w.title.clone()))
                .collect()
        }
        _ => {}
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            countries: vec![
                ("FR".into(), "France".into()),
                ("KE".into(), "Kenya".into()),
                ("KR".into(), "Korea, Republic of".into()),
            ],
            feeds: vec!["elections".into(), "parlgov".into()],
            rules: vec!["pre-election".into()],
            windows: vec![("w-2aa8f74113a8".into(), "Kenya: general election".into())],
        }
    }

    fn values(kind: Kind, typed: &str) -> Vec<String> {
        suggestions(kind, typed, &known())
            .into_iter()
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn suggestions_starting_with_what_is_typed_come_first() {
        assert_eq!(values(Kind::Country, "k"), ["KE", "KR"]);
        assert_eq!(values(Kind::Country, "ken"), ["KE"]);
        // "Korea, Republic of" contains "re" after France's "FR" starts with nothing typed.
        assert_eq!(values(Kind::Country, "rep"), ["KR"]);
        assert_eq!(values(Kind::Topic, "country:k"), ["country:KE", "country:KR"]);
        assert!(values(Kind::Scope, "eur").contains(&"europe".to_owned()));
        assert_eq!(values(Kind::Feed, "parl"), ["parlgov"]);
        assert_eq!(values(Kind::Rule, ""), ["pre-election"]);
        assert_eq!(values(Kind::WindowId, "kenya"), ["w-2aa8f74113a8"]);
        assert!(values(Kind::Command, "window c").contains(&"window claim".to_owned()));
        assert!(values(Kind::Duration, "7").is_empty());
    }

    #[test]
    fn at_most_25_suggestions_each_within_discords_limits() {
        let many = Known {
            countries: (0..200).map(|i| (format!("C{i}"), "x".repeat(150))).collect(),
            ..Known::default()
        };
        let out = suggestions(Kind::Country, "", &many);
        assert_eq!(out.len(), MAX_SUGGESTIONS);
        for (name, value) in out {
            assert!(name.chars().count() <= MAX_CHOICE && !name.is_empty());
            assert!(value.chars().count() <= MAX_CHOICE);
        }
    }
}
