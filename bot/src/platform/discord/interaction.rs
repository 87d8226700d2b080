//! Answering an application command: the interaction id is taken from the event log first (a
//! second delivery of the same interaction is skipped: it was answered, or is being answered),
//! the typed options become an [`Invocation`], the command runs in `chat`, and the reply goes
//! back as the interaction's response.
//!
//! Discord waits three seconds for a response. A command that has not finished after
//! [`DEFER_AFTER`] is acknowledged with a deferred response ("Vigie is thinking…"), and its reply
//! then replaces it. Replies only the caller should see (refusals, mistakes, ballots) are
//! ephemeral; a deferred public response that turns out to be one is deleted and the reply sent
//! as an ephemeral follow-up instead.
//!
//! Buttons and modals (`component`, `modal`) answer the same way through [`run`]: whatever kind
//! of interaction asked, an [`Asked`] is what its responses need.

use std::future::Future;
use std::time::{Duration, Instant};

use serenity::all::{
    ChannelId, CommandDataOption, CommandDataOptionValue, CommandInteraction, ComponentInteraction, Context,
    CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, EditInteractionResponse,
    InteractionId, Member, ModalInteraction, UserId,
};
use serenity::builder::Builder as _;
use serenity::http::Http;
use vigie_storage::LanguageScope;

use super::{Inner, describe, modal, poll, reply};
use crate::chat::{Caller, Chat, Image, Platform, Reply};
use crate::command::discord::invocation_path;
use crate::command::{Given, Invocation, Lang, ParseError, roots, typed};
use crate::metrics::Outcome;

/// How long a command may run before its interaction is acknowledged with a deferred response:
/// well within Discord's three seconds, with room for the round trip.
pub const DEFER_AFTER: Duration = Duration::from_secs(2);

/// Until when after the interaction came a failed response is sent once more: Discord's three
/// seconds, less a round trip.
const RETRY_WITHIN: Duration = Duration::from_millis(2_500);

/// The interaction being answered, whatever its kind: what its responses need.
pub(super) struct Asked {
    pub id: InteractionId,
    /// The interaction's token: it authorises the responses, so it is never logged.
    pub token: String,
    /// Who acted.
    pub user: UserId,
    /// A public reply starts by naming the person: Discord shows who ran a slash command above
    /// its reply, but not who pressed a button or filled in a modal.
    pub addressed: bool,
    /// The initial response went back as the body of Discord's HTTP POST (`endpoint`): the
    /// requests that follow it take another way and may arrive first, when Discord does not
    /// know yet that the interaction was answered and refuses them (404); they are tried again.
    pub by_http: bool,
}

impl Asked {
    pub fn command(interaction: &CommandInteraction) -> Self {
        Self {
            id: interaction.id,
            token: interaction.token.clone(),
            user: interaction.user.id,
            addressed: false,
            by_http: false,
        }
    }

    pub fn component(interaction: &ComponentInteraction) -> Self {
        Self {
            id: interaction.id,
            token: interaction.token.clone(),
            user: interaction.user.id,
            addressed: true,
            by_http: false,
        }
    }

    pub fn modal(interaction: &ModalInteraction) -> Self {
        Self {
            id: interaction.id,
            token: interaction.token.clone(),
            user: interaction.user.id,
            addressed: true,
            by_http: false,
        }
    }

    async fn create_response(
        &self,
        http: &Http,
        response: CreateInteractionResponse,
    ) -> serenity::Result<()> {
        response.execute(http, (self.id, &self.token)).await
    }

    async fn edit_response(&self, http: &Http, edit: EditInteractionResponse) -> serenity::Result<()> {
        self.after_response(|| edit.clone().execute(http, &self.token))
            .await
            .map(drop)
    }

    async fn delete_response(&self, http: &Http) -> serenity::Result<()> {
        self.after_response(|| http.delete_original_interaction_response(&self.token))
            .await
    }

    async fn create_followup(
        &self,
        http: &Http,
        message: CreateInteractionResponseFollowup,
    ) -> serenity::Result<()> {
        self.after_response(|| message.clone().execute(http, (None, &self.token)))
            .await
            .map(drop)
    }

    /// Sends a request that follows the initial response; after a response by HTTP, a 404 (the
    /// interaction not known yet) is tried again a few times.
    async fn after_response<T, F, Fut>(&self, mut request: F) -> serenity::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = serenity::Result<T>>,
    {
        use serenity::http::HttpError;
        if self.by_http {
            for wait in UNKNOWN_RETRIES {
                match request().await {
                    Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(r)))
                        if r.status_code.as_u16() == 404 => {}
                    other => return other,
                }
                tokio::time::sleep(wait).await;
            }
        }
        request().await
    }
}

/// How long to wait before each new try of a request that follows a response by HTTP, refused
/// as about an unknown interaction.
const UNKNOWN_RETRIES: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_millis(300),
    Duration::from_millis(900),
];

/// Answers one application command, once.
pub(super) async fn answer(bot: &Inner, ctx: &Context, interaction: CommandInteraction) {
    let received = Instant::now();
    if !take(bot, interaction.id).await {
        return;
    }
    let caller = caller(
        interaction.user.id,
        interaction.channel_id,
        interaction.member.as_deref(),
    );
    let lang = language(&bot.chat, &caller, &interaction.locale).await;
    let read = invocation(&interaction.data.name, &interaction.data.options);
    run(
        bot,
        ctx,
        &Asked::command(&interaction),
        &caller,
        lang,
        read,
        received,
    )
    .await;
}

/// Takes an interaction's id from the event log: whether it is new, and so to be acted on. A
/// second delivery is skipped, as is an id that cannot be recorded (it could otherwise run twice).
pub(super) async fn take(bot: &Inner, id: InteractionId) -> bool {
    let id = id.to_string();
    match bot.events.take(&id).await {
        Ok(true) => true,
        Ok(false) => {
            tracing::debug!(interaction = %id, "interaction already answered; skipped");
            false
        }
        Err(e) => {
            tracing::error!(
                interaction = %id,
                error = format!("{e:#}"),
                "the interaction cannot be recorded, so it is not acted on (it could otherwise run twice)"
            );
            false
        }
    }
}

/// Runs what an interaction asks (`read`: the invocation, or why it could not be read) for
/// `caller`, and answers it within Discord's three seconds: refusals and mistakes privately,
/// the rest as a typed command would be answered.
pub(super) async fn run(
    bot: &Inner,
    ctx: &Context,
    asked: &Asked,
    caller: &Caller,
    lang: Lang,
    read: Result<Invocation, ParseError>,
    received: Instant,
) {
    let invocation = read.as_ref().ok().cloned();
    // Decided before the outcome is known, for a deferred response: errors and personal commands.
    let private_before = reply::is_private(Outcome::Ok, invocation.as_ref()) || invocation.is_none();
    let work = bot.chat.handle_typed(caller, lang, read);
    tokio::pin!(work);
    let defer_in = DEFER_AFTER.saturating_sub(received.elapsed());
    let mut deferred = None;
    let mut answer = tokio::select! {
        answer = &mut work => answer,
        () = tokio::time::sleep(defer_in) => {
            deferred = Some(defer(&ctx.http, asked, private_before).await);
            work.await
        }
    };
    let private = reply::is_private(answer.outcome, invocation.as_ref());
    let components = if private {
        Vec::new()
    } else {
        modal::nominate_buttons_after(bot, caller, lang, invocation.as_ref()).await
    };
    if asked.addressed && !private {
        answer.markdown = format!("<@{}> {}", asked.user, answer.markdown);
    }
    let settles_polls = invocation.as_ref().is_some_and(|i| poll::settles(i.spec.id));
    let command = invocation.map_or_else(|| "(unparsed)".to_owned(), |i| i.spec.name());
    let outcome = answer.outcome;
    let sent = match deferred {
        None => respond(&ctx.http, asked, answer, private, components, received).await,
        // The acknowledgement failed (and was logged): Discord shows the interaction as failed,
        // and its token can no longer reach the person.
        Some(false) => return,
        Some(true) => complete(&ctx.http, asked, answer, private, private_before, components).await,
    };
    match sent {
        Ok(()) => tracing::debug!(
            command,
            ?outcome,
            latency_ms = received.elapsed().as_millis() as u64,
            interaction = %asked.id,
            "Discord interaction answered"
        ),
        Err(e) => tracing::warn!(
            command,
            interaction = %asked.id,
            error = describe(&e),
            "the reply to a Discord interaction could not be sent"
        ),
    }
    // A poll the command asked or closed is posted or ended in the channel, after the reply.
    if settles_polls && let Some(polls) = &bot.polls {
        poll::settle_room(polls, &bot.chat, &ctx.http, &caller.room).await;
    }
}

/// Answers an interaction with one sentence only the person sees (a button Vigie does not know,
/// a campaign no longer open): in time, since nothing slow comes before it.
pub(super) async fn say_privately(ctx: &Context, asked: &Asked, text: String) {
    let message = CreateInteractionResponseMessage::new()
        .content(reply::pieces(&text)[0].clone())
        .ephemeral(true)
        .allowed_mentions(mentions(asked));
    if let Err(e) = asked
        .create_response(&ctx.http, CreateInteractionResponse::Message(message))
        .await
    {
        tracing::warn!(
            interaction = %asked.id,
            error = describe(&e),
            "a private answer to a Discord interaction could not be sent"
        );
    }
}

/// The person and the place of an interaction, as the command layer sees them.
pub(super) fn caller(user: UserId, channel: ChannelId, member: Option<&Member>) -> Caller {
    let permissions = member.and_then(|m| m.permissions);
    Caller {
        platform: Platform::Discord,
        user: format!("discord:{user}"),
        room: format!("discord:{channel}"),
        room_admin: reply::is_room_admin(permissions),
        direct: false,
    }
}

/// The caller's language: the one they chose with `language`, else their Discord client's
/// (`locale`) when Vigie speaks it, else the room's or the configured default.
pub(super) async fn language(chat: &Chat, caller: &Caller, locale: &str) -> Lang {
    match chat.store().language(LanguageScope::User, &caller.user).await {
        Ok(Some(code)) => {
            if let Some(lang) = Lang::parse(&code) {
                return lang;
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = format!("{e:#}"), "reading a language preference failed"),
    }
    match Lang::parse(locale) {
        Some(lang) => lang,
        None => chat.language(caller).await,
    }
}

/// The command an interaction runs, with its options checked against their kinds: Discord
/// checks types and required options from the registered definition, but an interaction is
/// input from the network like any other (an old definition, a client that sends anything).
pub fn invocation(name: &str, options: &[CommandDataOption]) -> Result<Invocation, ParseError> {
    let (subcommand, options) = match options.first().map(|o| (o.name.as_str(), &o.value)) {
        Some((sub, CommandDataOptionValue::SubCommand(inner))) => (Some(sub), inner.as_slice()),
        // Vigie registers no subcommand groups: whatever is in one is unknown.
        Some((group, CommandDataOptionValue::SubCommandGroup(_))) => (Some(group), &[][..]),
        _ => (None, options),
    };
    let Some(spec) = invocation_path(name, subcommand) else {
        let given: String = name.chars().take(80).collect();
        return Err(match roots().into_iter().find(|r| *r == name) {
            Some(root) => ParseError::UnknownSubcommand {
                root,
                given: subcommand.map(|s| s.chars().take(80).collect()),
                suggestion: None,
            },
            None => ParseError::UnknownCommand {
                given,
                suggestion: None,
            },
        });
    };
    typed(spec, options.iter().map(|o| (o.name.as_str(), given(&o.value))))
}

/// An option's value as the command model reads it: text, a switch, or a person's
/// platform-qualified id. Any other kind is given as its text, which its option's kind refuses.
fn given(value: &CommandDataOptionValue) -> Given {
    match value {
        CommandDataOptionValue::String(s) => Given::Text(s.clone()),
        CommandDataOptionValue::Boolean(on) => Given::Switch(*on),
        CommandDataOptionValue::User(id) => Given::Text(format!("discord:{id}")),
        CommandDataOptionValue::Integer(n) => Given::Text(n.to_string()),
        CommandDataOptionValue::Number(n) => Given::Text(n.to_string()),
        CommandDataOptionValue::Autocomplete { value, .. } => Given::Text(value.clone()),
        CommandDataOptionValue::Channel(id) => Given::Text(id.to_string()),
        CommandDataOptionValue::Role(id) => Given::Text(id.to_string()),
        CommandDataOptionValue::Mentionable(id) => Given::Text(id.to_string()),
        CommandDataOptionValue::Attachment(id) => Given::Text(id.to_string()),
        _ => Given::Text(String::new()),
    }
}

/// Mentions allowed in a reply: the caller alone; never everyone, a role or anyone else named
/// in the text. A reply that starts by naming the person who pressed a button names them
/// without notifying them: they know, they just pressed it.
pub(super) fn mentions(asked: &Asked) -> CreateAllowedMentions {
    if asked.addressed {
        CreateAllowedMentions::new()
    } else {
        CreateAllowedMentions::new().users([asked.user])
    }
}

fn attachment(image: Image) -> CreateAttachment {
    let attachment = CreateAttachment::bytes(image.png, image.name);
    if image.alt.is_empty() {
        attachment
    } else {
        attachment.description(image.alt)
    }
}

/// Acknowledges the interaction with a deferred response ("thinking"), private or not; whether
/// Discord took it.
async fn defer(http: &Http, asked: &Asked, private: bool) -> bool {
    let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(private));
    match asked.create_response(http, defer).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(
                interaction = %asked.id,
                error = describe(&e),
                "the deferred response to a Discord interaction was refused"
            );
            false
        }
    }
}

/// The reply as the interaction's response, in time: its first piece with the picture, then
/// the other pieces as follow-ups, `components` (buttons) on the last. A response that failed on
/// Discord's side is sent once more while Discord still waits for it.
async fn respond(
    http: &Http,
    asked: &Asked,
    answer: Reply,
    private: bool,
    components: Vec<CreateActionRow>,
    received: Instant,
) -> serenity::Result<()> {
    let pieces = reply::pieces(&answer.markdown);
    let mut message = CreateInteractionResponseMessage::new()
        .content(pieces[0].clone())
        .ephemeral(private)
        .allowed_mentions(mentions(asked));
    if let Some(image) = answer.image {
        message = message.add_file(attachment(image));
    }
    let mut components = Some(components).filter(|c| !c.is_empty());
    if pieces.len() == 1
        && let Some(rows) = components.take()
    {
        message = message.components(rows);
    }
    let response = CreateInteractionResponse::Message(message);
    match asked.create_response(http, response.clone()).await {
        Ok(()) => {}
        // Discord's own trouble, or a request lost on its way: once more, while there is time
        // (a response that did arrive makes the second one refused, which changes nothing).
        Err(e) if worth_retrying(&e) && received.elapsed() < RETRY_WITHIN => {
            tracing::warn!(
                interaction = %asked.id,
                error = describe(&e),
                "the response to a Discord interaction failed; trying once more"
            );
            asked.create_response(http, response).await?;
        }
        Err(e) => return Err(e),
    }
    follow_up(http, asked, &pieces[1..], private, components).await
}

/// Whether a failed request may succeed if sent again: a server error, or no answer at all.
fn worth_retrying(e: &serenity::Error) -> bool {
    use serenity::http::HttpError;
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => r.status_code.is_server_error(),
        serenity::Error::Http(HttpError::Request(_)) => true,
        _ => false,
    }
}

/// The reply of a deferred command: it replaces the deferred response, unless that response is
/// public and the reply private, in which case the public one is deleted and the reply follows
/// privately.
pub(super) async fn complete(
    http: &Http,
    asked: &Asked,
    answer: Reply,
    private: bool,
    deferred_private: bool,
    components: Vec<CreateActionRow>,
) -> serenity::Result<()> {
    let pieces = reply::pieces(&answer.markdown);
    if private && !deferred_private {
        if let Err(e) = asked.delete_response(http).await {
            tracing::warn!(
                interaction = %asked.id,
                error = describe(&e),
                "the deferred response could not be deleted before a private reply"
            );
        }
        return follow_up(http, asked, &pieces, true, None).await;
    }
    let mut edit = EditInteractionResponse::new()
        .content(pieces[0].clone())
        .allowed_mentions(mentions(asked));
    if let Some(image) = answer.image {
        edit = edit.new_attachment(attachment(image));
    }
    let mut components = Some(components).filter(|c| !c.is_empty());
    if pieces.len() == 1
        && let Some(rows) = components.take()
    {
        edit = edit.components(rows);
    }
    asked.edit_response(http, edit).await?;
    follow_up(http, asked, &pieces[1..], private, components).await
}

/// The rest of a reply as follow-up messages, `components` on the last.
pub(super) async fn follow_up(
    http: &Http,
    asked: &Asked,
    pieces: &[String],
    private: bool,
    mut components: Option<Vec<CreateActionRow>>,
) -> serenity::Result<()> {
    for (n, piece) in pieces.iter().enumerate() {
        let mut message = CreateInteractionResponseFollowup::new()
            .content(piece.clone())
            .ephemeral(private)
            .allowed_mentions(mentions(asked));
        if n + 1 == pieces.len()
            && let Some(rows) = components.take()
        {
            message = message.components(rows);
        }
        asked.create_followup(http, message).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::command::{Id, Kind, Value};

    fn options(value: serde_json::Value) -> Vec<CommandDataOption> {
        serde_json::from_value(value).expect("options as Discord sends them")
    }

    #[test]
    fn a_command_without_options_runs_its_bare_form() {
        let inv = invocation("windows", &[]).unwrap();
        assert_eq!(inv.spec.id, Id::Windows);
        assert!(inv.values.is_empty());
        let feeds = options(json!([{"name": "show", "type": 1, "options": []}]));
        assert_eq!(invocation("feeds", &feeds).unwrap().spec.id, Id::Feeds);
    }

    #[test]
    fn typed_options_and_subcommands_become_checked_values() {
        let opts = options(json!([
            {"name": "scope", "type": 3, "value": "ke"},
            {"name": "within", "type": 3, "value": "90d"}
        ]));
        let inv = invocation("windows", &opts).unwrap();
        assert!(matches!(inv.get("scope"), Some(Value::Scope(_))));
        assert_eq!(inv.duration("within"), Some(Duration::from_secs(90 * 86_400)));

        let opts = options(json!([{"name": "claim", "type": 1, "options": [
            {"name": "id", "type": 3, "value": "W-2AA8F74113A8"}
        ]}]));
        let inv = invocation("window", &opts).unwrap();
        assert_eq!(inv.spec.id, Id::WindowClaim);
        assert_eq!(inv.text("id"), Some("w-2aa8f74113a8"));

        let opts = options(json!([{"name": "add", "type": 1, "options": [
            {"name": "user", "type": 6, "value": "123456789012345678"},
            {"name": "role", "type": 3, "value": "peer"}
        ]}]));
        let inv = invocation("peers", &opts).unwrap();
        assert_eq!(inv.spec.id, Id::PeersAdd);
        assert_eq!(inv.text("user"), Some("discord:123456789012345678"));

        let on = options(json!([
            {"name": "language", "type": 3, "value": "fr"},
            {"name": "room", "type": 5, "value": true}
        ]));
        assert!(invocation("language", &on).unwrap().switch("room"));
        let off = options(json!([{"name": "room", "type": 5, "value": false}]));
        assert!(!invocation("language", &off).unwrap().switch("room"));
    }

    #[test]
    fn free_text_is_taken_whole_whatever_it_holds() {
        let text = r#"--role: "admin" said 'it's "odd"'"#;
        let opts = options(json!([{"name": "note", "type": 1, "options": [
            {"name": "id", "type": 3, "value": "w-2aa8f74113a8"},
            {"name": "text", "type": 3, "value": text}
        ]}]));
        let inv = invocation("window", &opts).unwrap();
        assert_eq!(inv.text("text"), Some(text));
    }

    #[test]
    fn bad_options_are_the_errors_a_typed_line_gets() {
        let bad = options(json!([{"name": "scope", "type": 3, "value": "!!"}]));
        assert!(matches!(
            invocation("windows", &bad),
            Err(ParseError::Invalid {
                kind: Kind::Scope,
                ..
            })
        ));
        let missing = options(json!([{"name": "claim", "type": 1, "options": []}]));
        assert!(matches!(
            invocation("window", &missing),
            Err(ParseError::Missing { arg: "id", .. })
        ));
        let unknown = options(json!([{"name": "colour", "type": 3, "value": "red"}]));
        assert!(matches!(
            invocation("windows", &unknown),
            Err(ParseError::UnknownOption { .. })
        ));
        let wrong_type = options(json!([{"name": "scope", "type": 5, "value": true}]));
        assert!(matches!(
            invocation("windows", &wrong_type),
            Err(ParseError::Invalid { .. })
        ));
        assert!(matches!(
            invocation("frobnicate", &[]),
            Err(ParseError::UnknownCommand { .. })
        ));
        // `window` cannot be sent bare: it has only subcommands.
        assert!(matches!(
            invocation("window", &[]),
            Err(ParseError::UnknownSubcommand { root: "window", .. })
        ));
        let sub = options(json!([{"name": "explode", "type": 1, "options": []}]));
        assert!(matches!(
            invocation("window", &sub),
            Err(ParseError::UnknownSubcommand { .. })
        ));
    }
}
