//! Buttons on Vigie's messages, routed by their `custom_id` alone: nothing about a button lives
//! in memory, so a button posted before a restart still works after it.
//!
//! - `window:claim:ID`, `window:release:ID`, `window:snooze:ID:DURATION`: the buttons of an
//!   alert ([`window_buttons`]), which run `window claim ID` (and the others) exactly as typed,
//!   with the presser's permissions;
//! - `nominate:CAMPAIGN:CATEGORY`: opens the nomination modal (see `modal`);
//! - `ballot:…`: secret ballots (see `ballot`).
//!
//! A `custom_id` comes from the network like any text: one Vigie does not know (an older
//! version's, or made up) gets one private sentence, and a window id or duration in it is checked
//! as a typed one would be.

use std::time::Instant;

use fluent_bundle::FluentValue;
use serenity::all::{ButtonStyle, ComponentInteraction, Context, CreateActionRow, CreateButton};

use super::Inner;
use super::interaction::{Asked, caller, language, run, say_privately, take};
use super::modal;
use crate::command::discord::invocation_path;
use crate::command::locale::arg;
use crate::command::{Given, Invocation, Lang, Locales, ParseError, typed};

/// Discord's longest `custom_id`.
pub const MAX_CUSTOM_ID: usize = 100;

/// Discord's longest button label, in characters.
pub const MAX_LABEL: usize = 80;

/// Discord's most action rows on a message (and buttons in a row).
pub const MAX_ROWS: usize = 5;

/// The snoozes an alert offers: (duration as typed, label's message id).
const SNOOZES: [(&str, &str); 2] = [
    ("1d", "discord-button-snooze-day"),
    ("7d", "discord-button-snooze-week"),
];

/// The window commands a button may run.
const WINDOW_ACTIONS: [&str; 3] = ["claim", "release", "snooze"];

/// What a component's `custom_id` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press<'a> {
    /// `window ACTION ID [DURATION]`, with the id and duration as the button gives them
    /// (checked when the command is read).
    Window {
        action: &'static str,
        id: &'a str,
        duration: Option<&'a str>,
    },
    /// Open the nomination modal of a campaign's category.
    Nominate { campaign: &'a str, category: &'a str },
    /// A secret ballot's component.
    Ballot,
    /// Nothing Vigie knows.
    Unknown,
}

/// Reads a `custom_id`. Never fails: what is not understood is [`Press::Unknown`].
pub fn read(custom_id: &str) -> Press<'_> {
    if custom_id.len() > MAX_CUSTOM_ID {
        return Press::Unknown;
    }
    if custom_id.starts_with("ballot:") {
        return Press::Ballot;
    }
    let mut parts = custom_id.split(':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("window"), Some(action), Some(id), duration, None) if !id.is_empty() => {
            match WINDOW_ACTIONS.iter().find(|a| **a == action) {
                Some(&action) if (action == "snooze") == duration.is_some() => {
                    Press::Window { action, id, duration }
                }
                _ => Press::Unknown,
            }
        }
        (Some("nominate"), Some(campaign), Some(category), None, None)
            if !campaign.is_empty() && !category.is_empty() =>
        {
            Press::Nominate { campaign, category }
        }
        _ => Press::Unknown,
    }
}

/// The command a window button runs, read as the same command typed would be.
pub fn window_invocation(action: &str, id: &str, duration: Option<&str>) -> Result<Invocation, ParseError> {
    let Some(spec) = invocation_path("window", Some(action)) else {
        return Err(ParseError::UnknownSubcommand {
            root: "window",
            given: Some(action.chars().take(80).collect()),
            suggestion: None,
        });
    };
    let mut given = vec![("id", Given::Text(id.to_owned()))];
    if let Some(duration) = duration {
        given.push(("duration", Given::Text(duration.to_owned())));
    }
    typed(spec, given)
}

/// Whether an outbox message of this reason is about windows someone may take: new, changed,
/// reminded and escalated alerts, and digests. Ended alerts, reports of failed deliveries and
/// award messages are not.
pub fn offers_window_buttons(reason: &str) -> bool {
    matches!(reason, "new" | "update" | "reminder" | "escalation" | "digest")
}

/// The buttons of a message about windows: for each window it names, a row with Claim, Release
/// and the snoozes. A message naming more windows than Discord has rows gets none (its text says
/// how to claim with `window claim ID`), rather than buttons for some of them.
pub fn window_buttons(locales: &Locales, lang: Lang, body: &str) -> Vec<CreateActionRow> {
    let ids = crate::alert::window_ids(body);
    if ids.len() > MAX_ROWS {
        return Vec::new();
    }
    let several = ids.len() > 1;
    ids.iter()
        .map(|id| {
            let label = |message: &str| {
                let args: [(&str, FluentValue<'_>); 1] = [("id", arg(id.as_str()))];
                let text = if several {
                    locales.text(lang, &format!("{message}-id"), &args)
                } else {
                    locales.text(lang, message, &[])
                };
                text.chars().take(MAX_LABEL).collect::<String>()
            };
            let mut row = vec![
                CreateButton::new(format!("window:claim:{id}"))
                    .style(ButtonStyle::Primary)
                    .label(label("discord-button-claim")),
                CreateButton::new(format!("window:release:{id}"))
                    .style(ButtonStyle::Secondary)
                    .label(label("discord-button-release")),
            ];
            for (duration, message) in SNOOZES {
                row.push(
                    CreateButton::new(format!("window:snooze:{id}:{duration}"))
                        .style(ButtonStyle::Secondary)
                        .label(
                            locales
                                .text(lang, message, &[])
                                .chars()
                                .take(MAX_LABEL)
                                .collect::<String>(),
                        ),
                );
            }
            CreateActionRow::Buttons(row)
        })
        .collect()
}

/// Answers a press on a button (or a choice in a menu) of a message of Vigie's, once.
pub(super) async fn answer(bot: &Inner, ctx: &Context, interaction: ComponentInteraction) {
    let received = Instant::now();
    let custom_id = interaction.data.custom_id.clone();
    let press = read(&custom_id);
    if press == Press::Ballot {
        // Secret ballots are answered by their own module, which records the interaction itself.
        return super::ballot::on_component(bot, ctx, interaction).await;
    }
    if !take(bot, interaction.id).await {
        return;
    }
    let asked = Asked::component(&interaction);
    let caller = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_ref(),
    );
    let lang = language(&bot.chat, &caller, &interaction.locale).await;
    match press {
        Press::Window { action, id, duration } => {
            let read = window_invocation(action, id, duration);
            run(bot, ctx, &asked, &caller, lang, read, received).await;
        }
        Press::Nominate { campaign, category } => {
            modal::open(bot, ctx, &asked, lang, campaign, category).await;
        }
        Press::Ballot | Press::Unknown => {
            tracing::debug!(interaction = %asked.id, "a Discord component Vigie does not know was pressed");
            let text = bot.chat.locales().text(lang, "discord-unknown-component", &[]);
            say_privately(ctx, &asked, text).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Id;

    #[test]
    fn custom_ids_are_read_or_unknown_whatever_they_hold() {
        assert_eq!(
            read("window:claim:w-2aa8f74113a8"),
            Press::Window {
                action: "claim",
                id: "w-2aa8f74113a8",
                duration: None
            }
        );
        assert_eq!(
            read("window:snooze:w-2aa8f74113a8:7d"),
            Press::Window {
                action: "snooze",
                id: "w-2aa8f74113a8",
                duration: Some("7d")
            }
        );
        assert_eq!(
            read("nominate:1:champion"),
            Press::Nominate {
                campaign: "1",
                category: "champion"
            }
        );
        assert_eq!(read("ballot:1:rank"), Press::Ballot);
        for unknown in [
            "",
            ":",
            "window",
            "window:claim",
            "window:claim:",
            "window:done:w-2aa8f74113a8",
            "window:snooze:w-2aa8f74113a8",
            "window:claim:w-2aa8f74113a8:1d",
            "window:snooze:w-2aa8f74113a8:1d:x",
            "nominate:1",
            "nominate::champion",
            "nominate:1:champion:x",
            "frobnicate:1",
            "é:€:🎉",
        ] {
            assert_eq!(read(unknown), Press::Unknown, "{unknown:?}");
        }
        let long = format!("window:claim:{}", "w".repeat(MAX_CUSTOM_ID));
        assert_eq!(read(&long), Press::Unknown);
    }

    #[test]
    fn a_window_button_runs_the_typed_command_and_bad_ids_are_its_errors() {
        let claim = window_invocation("claim", "W-2AA8F74113A8", None).unwrap();
        assert_eq!(claim.spec.id, Id::WindowClaim);
        assert_eq!(claim.text("id"), Some("w-2aa8f74113a8"));
        let snooze = window_invocation("snooze", "w-2aa8f74113a8", Some("7d")).unwrap();
        assert_eq!(snooze.spec.id, Id::WindowSnooze);
        assert_eq!(
            snooze.duration("duration"),
            Some(std::time::Duration::from_secs(7 * 86_400))
        );
        assert!(matches!(
            window_invocation("claim", "w-nothex", None),
            Err(ParseError::Invalid { .. })
        ));
        assert!(matches!(
            window_invocation("snooze", "w-2aa8f74113a8", Some("soon")),
            Err(ParseError::Invalid { .. })
        ));
        assert!(window_invocation("explode", "w-2aa8f74113a8", None).is_err());
    }

    #[test]
    fn an_alert_gets_a_row_of_buttons_per_window_within_discord_limits() {
        let locales = Locales::new();
        let one = window_buttons(&locales, Lang::En, "New: **Kenya** · `w-0123456789ab`");
        assert_eq!(one.len(), 1);
        let json = serde_json::to_value(&one).unwrap();
        let ids: Vec<&str> = json[0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "window:claim:w-0123456789ab",
                "window:release:w-0123456789ab",
                "window:snooze:w-0123456789ab:1d",
                "window:snooze:w-0123456789ab:7d"
            ]
        );
        for id in &ids {
            assert!(id.len() <= MAX_CUSTOM_ID);
            assert_ne!(read(id), Press::Unknown, "{id}");
        }
        let labels: Vec<&str> = json[0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["label"].as_str().unwrap())
            .collect();
        assert!(
            labels
                .iter()
                .all(|l| !l.is_empty() && l.chars().count() <= MAX_LABEL),
            "{labels:?}"
        );

        let five: String = (0..5).map(|i| format!("w-00000000000{i} ")).collect();
        let rows = window_buttons(&locales, Lang::Fr, &five);
        assert_eq!(rows.len(), 5);
        let json = serde_json::to_value(&rows).unwrap();
        assert!(
            json[1]["components"][0]["label"]
                .as_str()
                .unwrap()
                .contains("w-000000000001"),
            "{json}"
        );
        let six: String = (0..6).map(|i| format!("w-00000000000{i} ")).collect();
        assert!(window_buttons(&locales, Lang::En, &six).is_empty());
        assert!(window_buttons(&locales, Lang::En, "no window here").is_empty());
    }
}
