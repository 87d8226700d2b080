//! Nominating through a modal: a campaign open for nominations is announced (the reply to
//! `/award open`, and to `/award show` or `/nominations` while nominations are open) with a
//! "Nominate" button per category; pressing one opens a modal of classic text inputs (name,
//! country, organisation, citation); submitting it runs `nominate` exactly as if it had been
//! typed, and is answered like a command.
//!
//! Both the button and the modal carry `nominate:CAMPAIGN:CATEGORY` as their `custom_id`: nothing
//! is kept in memory between the press and the submission, so a restart in between loses
//! nothing. Only classic action-row text inputs are used: serenity 0.12.5 drops the values of
//! the newer label-wrapped ones.

use std::time::Instant;

use serenity::all::{
    ActionRowComponent, ButtonStyle, Context, CreateActionRow, CreateButton, CreateInputText,
    CreateInteractionResponse, CreateModal, InputTextStyle, ModalInteraction,
};
use serenity::builder::Builder as _;
use vigie_awards::campaign::{Campaign, Phase};
use vigie_awards::nomination::{MAX_CITATION_CHARS, MAX_NAME_CHARS};

use super::Inner;
use super::component::{MAX_CUSTOM_ID, MAX_LABEL, MAX_ROWS, Press, read};
use super::describe;
use super::interaction::{Asked, caller, language, run, say_privately, take};
use crate::chat::Caller;
use crate::command::locale::arg;
use crate::command::{COMMANDS, Given, Id, Invocation, Lang, Locales, ParseError, typed};

/// Discord's longest modal title and text input label, in characters.
const MAX_TITLE: usize = 45;

/// Discord's longest text input value.
const MAX_INPUT: usize = 4000;

/// The modal's text inputs, by `custom_id`: each is the `nominate` option of the same name.
const NOMINEE: &str = "nominee";
const COUNTRY: &str = "country";
const ORGANISATION: &str = "organisation";
const CITATION: &str = "citation";

/// The `custom_id` of the button and modal nominating in `category` of `campaign`, if it fits
/// in Discord's 100 characters.
pub fn custom_id(campaign: &str, category: &str) -> Option<String> {
    let id = format!("nominate:{campaign}:{category}");
    (id.len() <= MAX_CUSTOM_ID).then_some(id)
}

/// A "Nominate" button per category of `campaign` while it is open for nominations (at most
/// Discord's 25 on a message); none otherwise.
pub fn nominate_buttons(locales: &Locales, lang: Lang, campaign: &Campaign) -> Vec<CreateActionRow> {
    if campaign.phase() != Phase::NominationsOpen {
        return Vec::new();
    }
    let buttons: Vec<CreateButton> = campaign
        .rules()
        .categories
        .iter()
        .filter_map(|c| {
            let id = custom_id(campaign.id(), &c.slug)?;
            let label = locales.text(
                lang,
                "discord-button-nominate",
                &[("category", arg(c.title.as_str()))],
            );
            Some(
                CreateButton::new(id)
                    .style(ButtonStyle::Primary)
                    .label(label.chars().take(MAX_LABEL).collect::<String>()),
            )
        })
        .take(MAX_ROWS * MAX_ROWS)
        .collect();
    buttons
        .chunks(MAX_ROWS)
        .map(|row| CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

/// The buttons that go with the public reply to `invocation`, if any: the "Nominate" buttons of
/// the campaign it opened (`award open`: the newest campaign of the caller's room open for
/// nominations) or showed (`award show`, `nominations`).
pub(super) async fn nominate_buttons_after(
    bot: &Inner,
    caller: &Caller,
    lang: Lang,
    invocation: Option<&Invocation>,
) -> Vec<CreateActionRow> {
    let Some(invocation) = invocation else {
        return Vec::new();
    };
    let store = bot.chat.store();
    let campaign = match invocation.spec.id {
        Id::AwardShow | Id::Nominations => match invocation.campaign("campaign") {
            Some(n) => store
                .award_campaign(&n.to_string())
                .await
                .map_err(anyhow::Error::from),
            None => Ok(None),
        },
        Id::AwardOpen => opened_in(bot, &caller.room).await,
        _ => return Vec::new(),
    };
    match campaign {
        Ok(Some(campaign)) => nominate_buttons(bot.chat.locales(), lang, &campaign),
        Ok(None) => Vec::new(),
        Err(e) => {
            tracing::warn!(
                error = format!("{e:#}"),
                "the campaign of a reply cannot be read for its buttons"
            );
            Vec::new()
        }
    }
}

/// The newest campaign of `room` open for nominations: the one `award open` just opened there
/// (two opened in the same room at the same instant would both show the later one's buttons).
async fn opened_in(bot: &Inner, room: &str) -> anyhow::Result<Option<Campaign>> {
    let store = bot.chat.store();
    let campaigns = store.award_campaigns().await?;
    for campaign in campaigns
        .into_iter()
        .rev()
        .filter(|c| c.phase() == Phase::NominationsOpen)
    {
        if store.award_room(campaign.id()).await?.as_deref() == Some(room) {
            return Ok(Some(campaign));
        }
    }
    Ok(None)
}

/// The nomination modal with `custom_id` `id`, for the category whose title is `title`.
pub fn nomination_modal(locales: &Locales, lang: Lang, id: String, title: &str) -> CreateModal {
    let t = |message: &str| -> String { locales.text(lang, message, &[]).chars().take(MAX_TITLE).collect() };
    let heading: String = locales
        .text(lang, "discord-nominate-title", &[("category", arg(title))])
        .chars()
        .take(MAX_TITLE)
        .collect();
    let max_name = u16::try_from(MAX_NAME_CHARS).unwrap_or(u16::MAX);
    let max_citation = u16::try_from(MAX_CITATION_CHARS.min(MAX_INPUT)).unwrap_or(u16::MAX);
    let input = |style, message: &str, field: &str| CreateInputText::new(style, t(message), field);
    CreateModal::new(id, heading).components(vec![
        CreateActionRow::InputText(
            input(InputTextStyle::Short, "discord-nominate-nominee", NOMINEE).max_length(max_name),
        ),
        CreateActionRow::InputText(
            input(InputTextStyle::Short, "discord-nominate-country", COUNTRY)
                .min_length(2)
                .max_length(6)
                .placeholder("KE"),
        ),
        CreateActionRow::InputText(
            input(
                InputTextStyle::Short,
                "discord-nominate-organisation",
                ORGANISATION,
            )
            .max_length(max_name)
            .required(false),
        ),
        CreateActionRow::InputText(
            input(InputTextStyle::Paragraph, "discord-nominate-citation", CITATION).max_length(max_citation),
        ),
    ])
}

/// Answers a "Nominate" button with the modal, when the campaign is open for nominations in
/// that category; with one private sentence otherwise. The press is already taken from the event
/// log. No deferral is possible before a modal, so only one quick read comes first.
pub(super) async fn open(
    bot: &Inner,
    ctx: &Context,
    asked: &Asked,
    lang: Lang,
    campaign: &str,
    category: &str,
) {
    let found = match bot.chat.store().award_campaign(campaign).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(
                error = format!("{e:#}"),
                "the campaign of a Nominate button cannot be read"
            );
            None
        }
    };
    let title = found
        .as_ref()
        .filter(|c| c.phase() == Phase::NominationsOpen)
        .and_then(|c| {
            c.rules()
                .categories
                .iter()
                .find(|k| k.slug == category)
                .map(|k| k.title.clone())
        });
    let (Some(title), Some(id)) = (title, custom_id(campaign, category)) else {
        let shown = |s: &str| s.chars().take(40).collect::<String>();
        let text = bot.chat.locales().text(
            lang,
            "discord-nominate-closed",
            &[("id", arg(shown(campaign))), ("category", arg(shown(category)))],
        );
        say_privately(ctx, asked, text).await;
        return;
    };
    let modal = CreateInteractionResponse::Modal(nomination_modal(bot.chat.locales(), lang, id, &title));
    if let Err(e) = modal.execute(&ctx.http, (asked.id, &asked.token)).await {
        tracing::warn!(
            interaction = %asked.id,
            error = describe(&e),
            "the nomination modal could not be opened"
        );
    }
}

/// The `nominate` a submitted modal asks for, its fields given by `custom_id`: read exactly as
/// the options of a typed `nominate` would be (an empty organisation is none; fields the modal
/// does not have are ignored).
pub fn nomination<'a>(
    campaign: &str,
    category: &str,
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Invocation, ParseError> {
    let spec = COMMANDS
        .iter()
        .find(|s| s.id == Id::Nominate)
        .expect("the command model defines nominate");
    let mut given = vec![
        ("campaign", Given::Text(campaign.to_owned())),
        ("category", Given::Text(category.to_owned())),
    ];
    let mut seen = Vec::new();
    for (field, value) in fields {
        let Some(name) = [NOMINEE, COUNTRY, ORGANISATION, CITATION]
            .into_iter()
            .find(|f| *f == field)
        else {
            continue;
        };
        if seen.contains(&name) || (name == ORGANISATION && value.trim().is_empty()) {
            continue;
        }
        seen.push(name);
        given.push((name, Given::Text(value.to_owned())));
    }
    typed(spec, given)
}

/// Answers a submitted modal, once: a nomination runs as a typed `nominate`.
pub(super) async fn answer(bot: &Inner, ctx: &Context, interaction: ModalInteraction) {
    let received = Instant::now();
    let custom_id = interaction.data.custom_id.clone();
    let press = read(&custom_id);
    if press == Press::Ballot {
        // Secret ballots are answered by their own module, which records the interaction itself.
        return super::ballot::on_modal(bot, ctx, interaction).await;
    }
    if !take(bot, interaction.id).await {
        return;
    }
    let asked = Asked::modal(&interaction);
    let caller = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_ref(),
    );
    let lang = language(&bot.chat, &caller, &interaction.locale).await;
    let Press::Nominate { campaign, category } = press else {
        tracing::debug!(interaction = %asked.id, "a Discord modal Vigie does not know was submitted");
        let text = bot.chat.locales().text(lang, "discord-unknown-component", &[]);
        say_privately(ctx, &asked, text).await;
        return;
    };
    let fields = interaction
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .filter_map(|c| match c {
            ActionRowComponent::InputText(input) => Some((input.custom_id.as_str(), input.value.as_deref()?)),
            _ => None,
        });
    let read = nomination(campaign, category, fields);
    run(bot, ctx, &asked, &caller, lang, read, received).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submitted_modal_is_the_typed_nominate() {
        let fields = [
            (NOMINEE, "  Jane   Doe "),
            (COUNTRY, "ke"),
            (ORGANISATION, ""),
            (CITATION, "Led the open contracting reform."),
            ("unexpected", "ignored"),
        ];
        let inv = nomination("1", "champion", fields).unwrap();
        assert_eq!(inv.spec.id, Id::Nominate);
        assert_eq!(inv.campaign("campaign"), Some(1));
        assert_eq!(inv.category("category"), Some("champion"));
        assert_eq!(inv.name("nominee"), Some("Jane Doe"));
        assert_eq!(inv.name("organisation"), None);
        assert_eq!(inv.text("citation"), Some("Led the open contracting reform."));
        let with_org = nomination(
            "1",
            "champion",
            [
                (NOMINEE, "Jane"),
                (COUNTRY, "KE"),
                (ORGANISATION, "OGP"),
                (CITATION, "x"),
            ],
        )
        .unwrap();
        assert_eq!(with_org.name("organisation"), Some("OGP"));
    }

    #[test]
    fn a_bad_or_missing_field_is_the_error_a_typed_line_gets() {
        let bad_country = nomination(
            "1",
            "champion",
            [(NOMINEE, "Jane"), (COUNTRY, "!!"), (CITATION, "x")],
        );
        assert!(matches!(bad_country, Err(ParseError::Invalid { .. })));
        let missing = nomination("1", "champion", [(NOMINEE, "Jane"), (COUNTRY, "KE")]);
        assert!(matches!(
            missing,
            Err(ParseError::Missing { arg: "citation", .. })
        ));
        let bad_campaign = nomination(
            "x",
            "champion",
            [(NOMINEE, "Jane"), (COUNTRY, "KE"), (CITATION, "x")],
        );
        assert!(bad_campaign.is_err());
    }

    #[test]
    fn custom_ids_fit_discord_or_are_not_made() {
        assert_eq!(custom_id("1", "champion").as_deref(), Some("nominate:1:champion"));
        assert_eq!(
            read(&custom_id("1", "champion").unwrap()),
            Press::Nominate {
                campaign: "1",
                category: "champion"
            }
        );
        assert_eq!(custom_id("1", &"c".repeat(100)), None);
    }

    #[test]
    fn the_modal_has_classic_text_inputs_within_discord_limits() {
        let locales = Locales::new();
        for lang in [Lang::En, Lang::Fr, Lang::Es] {
            let modal = nomination_modal(
                &locales,
                lang,
                "nominate:1:champion".into(),
                &"Long title ".repeat(10),
            );
            let json = serde_json::to_value(&modal).unwrap();
            assert!(
                json["title"].as_str().unwrap().chars().count() <= MAX_TITLE,
                "{json}"
            );
            let rows = json["components"].as_array().unwrap();
            assert_eq!(rows.len(), 4);
            for row in rows {
                assert_eq!(row["type"], 1);
                let input = &row["components"][0];
                assert_eq!(input["type"], 4, "{json}");
                let label = input["label"].as_str().unwrap();
                assert!(!label.is_empty() && label.chars().count() <= MAX_TITLE, "{label}");
            }
        }
    }
}
