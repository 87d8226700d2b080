//! The fake Discord proven against the unmodified serenity client (its REST client and its
//! gateway client), and against Discord's OpenAPI description.

use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::{
    ActionRowComponent, ApplicationId, ChannelId, ClientBuilder, ComponentInteractionDataKind, Context,
    CreateActionRow, CreateAttachment, CreateAutocompleteResponse, CreateButton, CreateEmbed,
    CreateInputText, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, CreateModal, CreatePoll, CreatePollAnswer,
    EditInteractionResponse, EditMessage, EventHandler, GatewayIntents, Guild, GuildId, Http, HttpBuilder,
    InputTextStyle, Interaction, Nonce, Ready, ResumedEvent, UserId,
};
use tokio::sync::mpsc;
use vigie::command::Locales;
use vigie::command::discord::application_commands;

use super::FakeDiscord;
use crate::discord_openapi::{openapi, problems};

const WAIT: Duration = Duration::from_secs(30);

/// serenity's REST client, pointed at the fake the way TESTING.md says.
fn http(fake: &FakeDiscord) -> Http {
    HttpBuilder::new(FakeDiscord::TOKEN)
        .proxy(fake.url())
        .ratelimiter_disabled(true)
        .application_id(ApplicationId::new(FakeDiscord::APPLICATION_ID))
        .build()
}

#[track_caller]
fn assert_no_violations(fake: &FakeDiscord) {
    let violations = fake.violations();
    assert!(
        violations.is_empty(),
        "Discord's OpenAPI description disagrees:\n{}",
        violations.join("\n")
    );
}

/// The status and Discord error code of a failed serenity call.
fn discord_error<T: std::fmt::Debug>(result: serenity::Result<T>) -> (u16, isize) {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response))) => {
            (response.status_code.as_u16(), response.error.code)
        }
        other => panic!("expected an unsuccessful request, got {other:?}"),
    }
}

#[tokio::test]
async fn serenity_registers_vigies_commands_and_posts_messages_that_discord_would_accept() {
    let fake = FakeDiscord::start().await;
    let http = http(&fake);

    let me = http.get_current_user().await.expect("the bot user");
    assert_eq!(me.id.get(), FakeDiscord::BOT_USER_ID);
    assert!(me.bot);
    let app = http
        .get_current_application_info()
        .await
        .expect("the application");
    assert_eq!(app.id.get(), FakeDiscord::APPLICATION_ID);
    let gateway = http.get_bot_gateway().await.expect("the gateway");
    assert_eq!(gateway.url, fake.gateway_url());

    let guild = GuildId::new(FakeDiscord::GUILD_ID);
    let definitions = application_commands(&Locales::new());
    let registered = http
        .create_guild_commands(guild, &definitions)
        .await
        .expect("the bulk overwrite");
    assert_eq!(registered.len(), definitions.len());
    let listed = http.get_guild_commands(guild).await.expect("the commands");
    assert_eq!(listed.len(), definitions.len());
    // Overwriting with the same definitions keeps ids and versions, as Discord does.
    let again = http
        .create_guild_commands(guild, &definitions)
        .await
        .expect("a second bulk overwrite");
    for (first, second) in registered.iter().zip(&again) {
        assert_eq!(
            (first.id, first.version),
            (second.id, second.version),
            "/{}",
            first.name
        );
    }
    let put = fake.wait_for_request("PUT", "/applications/", WAIT).await;
    assert_eq!(
        put.path,
        format!(
            "/applications/{}/guilds/{}/commands",
            FakeDiscord::APPLICATION_ID,
            FakeDiscord::GUILD_ID
        )
    );
    assert_eq!(put.body.as_array().map(Vec::len), Some(definitions.len()));

    let channel = ChannelId::new(FakeDiscord::CHANNEL_ID);
    let post = || {
        CreateMessage::new()
            .content("Nominations")
            .embed(
                CreateEmbed::new()
                    .title("Kenya")
                    .field("Closes", "2026-12-01", true),
            )
            .components(vec![CreateActionRow::Buttons(vec![
                CreateButton::new("claim:w-1").label("Claim"),
            ])])
            .nonce(Nonce::String("alert-w-1".to_owned()))
            .enforce_nonce(true)
    };
    let first = channel.send_message(&http, post()).await.expect("a message");
    assert_eq!(first.author.id.get(), FakeDiscord::BOT_USER_ID);
    assert_eq!(first.embeds.len(), 1);
    assert_eq!(first.components.len(), 1);
    // The same nonce again returns the first message instead of posting a second one.
    let second = channel.send_message(&http, post()).await.expect("a retry");
    assert_eq!(second.id, first.id);
    assert_eq!(fake.messages(FakeDiscord::CHANNEL_ID).len(), 1);

    let edited = channel
        .edit_message(&http, first.id, EditMessage::new().content("Claimed"))
        .await
        .expect("an edit");
    assert_eq!(edited.content, "Claimed");
    assert_eq!(fake.messages(FakeDiscord::CHANNEL_ID)[0]["content"], "Claimed");

    // A chart, uploaded as multipart; a native poll.
    let chart = channel
        .send_message(
            &http,
            CreateMessage::new()
                .content("Results")
                .add_file(CreateAttachment::bytes(vec![0x89, b'P', b'N', b'G'], "chart.png")),
        )
        .await
        .unwrap_or_else(|e| panic!("a message with a file: {e:?}\n{:?}", fake.violations()));
    assert_eq!(chart.attachments.len(), 1);
    assert_eq!(chart.attachments[0].filename, "chart.png");
    let upload = fake.wait_for_request("POST", "/channels/", WAIT).await;
    assert_eq!(upload.body["content"], "Nominations", "the first post");
    let upload = fake.wait_for_request("POST", "/channels/", WAIT).await;
    assert_eq!(upload.body["content"], "Nominations", "its retry");
    let upload = fake.wait_for_request("POST", "/channels/", WAIT).await;
    assert_eq!(upload.body["content"], "Results");
    assert_eq!(upload.files.len(), 1);
    assert_eq!(upload.files[0].bytes, [0x89, b'P', b'N', b'G']);
    let poll = CreatePoll::new()
        .question("Best commitment?")
        .answers(vec![
            CreatePollAnswer::new().text("Open contracting"),
            CreatePollAnswer::new().text("Beneficial ownership"),
        ])
        .duration(Duration::from_secs(24 * 3600));
    let posted = channel
        .send_message(&http, CreateMessage::new().poll(poll))
        .await
        .expect("a poll");
    let answers = posted.poll.expect("the poll").answers;
    assert_eq!(answers.len(), 2);
    let ended = http.expire_poll(channel, posted.id).await.expect("the poll ends");
    assert!(ended.poll.and_then(|p| p.results).is_some_and(|r| r.is_finalized));

    let person = UserId::new(1_100_000_000_000_000_042);
    let dm = person.create_dm_channel(&http).await.expect("a DM channel");
    assert_eq!(dm.recipient.id, person);
    assert_eq!(fake.dm_channel(person.get()), Some(dm.id.get()));
    dm.id
        .send_message(&http, CreateMessage::new().content("Your ballot"))
        .await
        .expect("a DM");
    assert_eq!(fake.messages(dm.id.get()).len(), 1);

    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_body_discord_would_refuse_is_a_violation_and_a_400() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let fake = FakeDiscord::start().await;
    let client = reqwest::Client::builder().no_proxy().build().expect("a client");
    let url = format!(
        "{}/api/v10/applications/{}/guilds/{}/commands",
        fake.url(),
        FakeDiscord::APPLICATION_ID,
        FakeDiscord::GUILD_ID
    );
    let commands = json!([{"name": "x".repeat(200), "description": "A command"}]);
    let response = client
        .put(&url)
        .header("Authorization", format!("Bot {}", FakeDiscord::TOKEN))
        .header("Content-Type", "application/json")
        .body(commands.to_string())
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = serde_json::from_str(&response.text().await.expect("a body")).expect("a JSON body");
    assert_eq!(body["code"], 50035);
    let violations = fake.violations();
    assert!(
        violations
            .iter()
            .any(|v| v.contains("bulk_set_guild_application_commands") && v.contains("at /0/name")),
        "{violations:?}"
    );
    assert!(fake.guild_commands().is_empty(), "nothing was registered");

    let response = client
        .get(format!("{}/api/v10/guilds/1/nowhere", fake.url()))
        .header("Authorization", format!("Bot {}", FakeDiscord::TOKEN))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 404);
    assert!(
        fake.violations()
            .iter()
            .any(|v| v.starts_with("unserved route: GET /guilds/1/nowhere")),
        "{:?}",
        fake.violations()
    );
}

#[tokio::test]
async fn the_fakes_answers_are_judged_by_discords_response_schemas() {
    let fake = FakeDiscord::start().await;
    let http = http(&fake);
    ChannelId::new(FakeDiscord::CHANNEL_ID)
        .send_message(&http, CreateMessage::new().content("hello"))
        .await
        .expect("a message");
    let api = openapi();
    let operation = api
        .operation("POST", "/channels/1/messages")
        .expect("create_message");
    let validator = api.validator(
        &api.response_schema(&operation, 200)
            .expect("a 200 response schema"),
    );
    let mut message = fake.messages(FakeDiscord::CHANNEL_ID).remove(0);
    assert_eq!(problems(&validator, &message), Vec::<String>::new());
    // The very check the fake runs on each answer would catch a message without its author.
    if let Some(fields) = message.as_object_mut() {
        fields.remove("author");
    }
    let found = problems(&validator, &message);
    assert!(found.iter().any(|p| p.contains("author")), "{found:?}");
    // And a request without the bot token is refused, and noticed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client")
        .get(format!("{}/api/v10/users/@me", fake.url()))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(fake.violations().len(), 1, "{:?}", fake.violations());
}

#[tokio::test]
async fn an_interaction_serenity_would_drop_is_a_violation() {
    let fake = FakeDiscord::start().await;
    let good = fake.command_interaction(1_100_000_000_000_002_001, 42, "peers", json!([]));
    assert_eq!(super::serenity_problem("INTERACTION_CREATE", &good), None);
    let mut bad = good;
    if let Some(fields) = bad.as_object_mut() {
        fields.remove("attachment_size_limit");
    }
    let problem = super::serenity_problem("INTERACTION_CREATE", &bad).expect("a problem");
    assert!(problem.contains("attachment_size_limit"), "{problem}");
    let modal = fake.modal_interaction(1_100_000_000_000_002_002, 42, "nominate", &[("nominee", "Ada")]);
    assert_eq!(super::serenity_problem("INTERACTION_CREATE", &modal), None);
    let click = fake.component_interaction(
        1_100_000_000_000_002_003,
        42,
        "claim:w-1",
        Vec::new(),
        json!({"id": "1"}),
    );
    let problem = super::serenity_problem("INTERACTION_CREATE", &click).expect("a problem");
    assert!(
        problem.contains("missing field"),
        "a message without its fields: {problem}"
    );
}

#[tokio::test]
async fn failures_come_back_as_discord_errors_that_serenity_parses() {
    let fake = FakeDiscord::start().await;
    let http = http(&fake);
    let channel = ChannelId::new(FakeDiscord::CHANNEL_ID);
    let hello = || CreateMessage::new().content("hello");

    // A 429: the caller waits the retry_after Discord gives, then succeeds.
    fake.fail_next("POST", "/channels/", 429, 1);
    let (status, _) = discord_error(channel.send_message(&http, hello()).await);
    assert_eq!(status, 429);
    let limited = fake.requests().pop().expect("the refused request");
    assert_eq!(limited.status, 429);
    tokio::time::sleep(Duration::from_secs_f64(super::rest::RETRY_AFTER_SECONDS)).await;
    channel
        .send_message(&http, hello())
        .await
        .expect("the retry goes through");
    assert_eq!(fake.messages(FakeDiscord::CHANNEL_ID).len(), 1);

    fake.fail_next("POST", "/channels/", 500, 1);
    assert_eq!(
        discord_error(channel.send_message(&http, hello()).await),
        (500, 0)
    );
    fake.fail_next("POST", "/channels/", 403, 1);
    assert_eq!(
        discord_error(channel.send_message(&http, hello()).await),
        (403, 50013)
    );
    fake.fail_next("POST", "/channels/", 404, 1);
    assert_eq!(
        discord_error(channel.send_message(&http, hello()).await),
        (404, 10003)
    );
    // A channel the fake does not know is a 404 of its own.
    assert_eq!(
        discord_error(ChannelId::new(7).send_message(&http, hello()).await),
        (404, 10003)
    );
    assert_eq!(fake.messages(FakeDiscord::CHANNEL_ID).len(), 1);
    assert_no_violations(&fake);
}

/// Reports what the gateway client saw, and answers interactions the way Vigie will.
struct Handler(mpsc::UnboundedSender<String>);

impl Handler {
    fn seen(&self, event: String) {
        // The test may be over and gone already.
        let _ = self.0.send(event);
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, ready: Ready) {
        self.seen(format!("ready {}", ready.user.id));
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        self.seen("resumed".to_owned());
    }

    async fn guild_create(&self, _: Context, guild: Guild, _: Option<bool>) {
        self.seen(format!("guild {} {}", guild.id, guild.channels.len()));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let seen = match interaction {
            Interaction::Command(command) if command.data.name == "nominate" => {
                let modal =
                    CreateModal::new("nominate", "Nominate").components(vec![CreateActionRow::InputText(
                        CreateInputText::new(InputTextStyle::Short, "Who", "nominee"),
                    )]);
                let answer = command
                    .create_response(&ctx.http, CreateInteractionResponse::Modal(modal))
                    .await;
                format!("command nominate {}", answer.is_ok())
            }
            Interaction::Command(command) => {
                let ballot = CreateInteractionResponseMessage::new()
                    .content("Your ballot")
                    .ephemeral(true)
                    .components(vec![CreateActionRow::Buttons(vec![
                        CreateButton::new("claim:w-1").label("Claim"),
                    ])]);
                let first = command
                    .create_response(&ctx.http, CreateInteractionResponse::Message(ballot.clone()))
                    .await;
                // Answering twice is refused by Discord.
                let second = command
                    .create_response(&ctx.http, CreateInteractionResponse::Message(ballot))
                    .await;
                let refused = match second {
                    Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))) => {
                        e.error.code
                    }
                    _ => 0,
                };
                format!("command {} {} {refused}", command.data.name, first.is_ok())
            }
            Interaction::Autocomplete(command) => {
                let typed = command
                    .data
                    .autocomplete()
                    .map(|o| o.value.to_owned())
                    .unwrap_or_default();
                let choices = CreateAutocompleteResponse::new().add_string_choice("Kenya", "KE");
                let answer = command
                    .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(choices))
                    .await;
                format!("autocomplete {typed} {}", answer.is_ok())
            }
            Interaction::Component(component) => {
                let values = match &component.data.kind {
                    ComponentInteractionDataKind::StringSelect { values } => values.join(","),
                    ComponentInteractionDataKind::Button => "button".to_owned(),
                    other => format!("{other:?}"),
                };
                let update = CreateInteractionResponseMessage::new().content("Claimed");
                let answer = component
                    .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                    .await;
                format!(
                    "component {} {values} {}",
                    component.data.custom_id,
                    answer.is_ok()
                )
            }
            Interaction::Modal(modal) => {
                let fields: Vec<String> = modal
                    .data
                    .components
                    .iter()
                    .flat_map(|row| &row.components)
                    .filter_map(|c| match c {
                        ActionRowComponent::InputText(input) => Some(format!(
                            "{}={}",
                            input.custom_id,
                            input.value.clone().unwrap_or_default()
                        )),
                        _ => None,
                    })
                    .collect();
                let deferred = modal
                    .create_response(
                        &ctx.http,
                        CreateInteractionResponse::Defer(
                            CreateInteractionResponseMessage::new().ephemeral(true),
                        ),
                    )
                    .await
                    .is_ok();
                let edited = modal
                    .edit_response(&ctx.http, EditInteractionResponse::new().content("Nominated"))
                    .await
                    .is_ok();
                let followed = modal
                    .create_followup(
                        &ctx.http,
                        CreateInteractionResponseFollowup::new()
                            .content("Thank you")
                            .ephemeral(true),
                    )
                    .await
                    .is_ok();
                format!(
                    "modal {} {} {deferred} {edited} {followed}",
                    modal.data.custom_id,
                    fields.join(",")
                )
            }
            other => format!("interaction {:?}", other.kind()),
        };
        self.seen(seen);
    }
}

/// The next event starting with `prefix`, skipping others.
async fn next_event(events: &mut mpsc::UnboundedReceiver<String>, prefix: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(event)) if event.starts_with(prefix) => return event,
            Ok(Some(_)) => {}
            Ok(None) => panic!("the client stopped before a {prefix:?} event"),
            Err(_) => panic!("no {prefix:?} event within {WAIT:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_connects_parses_interactions_and_resumes_after_a_drop() {
    let fake = FakeDiscord::start().await;
    let (sender, mut events) = mpsc::unbounded_channel();
    let mut client = ClientBuilder::new_with_http(http(&fake), GatewayIntents::GUILDS)
        .event_handler(Handler(sender))
        .await
        .expect("a client");
    let shards = client.shard_manager.clone();
    let running = tokio::spawn(async move { client.start().await });

    fake.wait_ready(WAIT).await;
    assert_eq!(
        next_event(&mut events, "ready").await,
        format!("ready {}", FakeDiscord::BOT_USER_ID)
    );
    assert_eq!(
        next_event(&mut events, "guild").await,
        format!("guild {} 1", FakeDiscord::GUILD_ID)
    );
    let identify = fake.last_identify().expect("an IDENTIFY");
    assert_eq!(identify["intents"], json!(GatewayIntents::GUILDS.bits()));

    // A slash command, answered with an ephemeral ballot; a second answer is refused.
    let user = 1_100_000_000_000_000_042;
    fake.send_interaction(fake.command_interaction(
        1_100_000_000_000_001_001,
        user,
        "window",
        json!([{"name": "list", "type": 1, "options": []}]),
    ))
    .await;
    assert_eq!(
        next_event(&mut events, "command").await,
        "command window true 40060"
    );
    let ballot = fake
        .wait_interaction_response(1_100_000_000_000_001_001, WAIT)
        .await;
    assert_eq!(ballot["type"], 4);
    assert_eq!(ballot["data"]["flags"], 64);
    assert_eq!(fake.interaction_responses(1_100_000_000_000_001_001).len(), 2);
    let original = fake
        .original("itoken-1100000000000001001")
        .expect("the original response");
    assert_eq!(original["flags"], 64);

    // Autocomplete.
    fake.send_interaction(fake.autocomplete_interaction(
        1_100_000_000_000_001_002,
        user,
        "window",
        json!([{"name": "country", "type": 3, "value": "Ke", "focused": true}]),
    ))
    .await;
    assert_eq!(
        next_event(&mut events, "autocomplete").await,
        "autocomplete Ke true"
    );

    // A button of a message the bot posted, then a select menu.
    fake.send_interaction(fake.component_interaction(
        1_100_000_000_000_001_003,
        user,
        "claim:w-1",
        Vec::new(),
        original.clone(),
    ))
    .await;
    assert_eq!(
        next_event(&mut events, "component").await,
        "component claim:w-1 button true"
    );
    assert_eq!(
        fake.original("itoken-1100000000000001001").expect("the original")["content"],
        "Claimed"
    );
    fake.send_interaction(fake.component_interaction(
        1_100_000_000_000_001_004,
        user,
        "rank:c-1",
        vec!["a".to_owned(), "b".to_owned()],
        original,
    ))
    .await;
    assert_eq!(
        next_event(&mut events, "component").await,
        "component rank:c-1 a,b true"
    );

    // A modal asked for, then submitted: deferred, edited, followed up.
    fake.send_interaction(fake.command_interaction(1_100_000_000_000_001_005, user, "nominate", json!([])))
        .await;
    assert_eq!(next_event(&mut events, "command").await, "command nominate true");
    fake.send_interaction(fake.modal_interaction(
        1_100_000_000_000_001_006,
        user,
        "nominate",
        &[("nominee", "Ada Lovelace")],
    ))
    .await;
    assert_eq!(
        next_event(&mut events, "modal").await,
        "modal nominate nominee=Ada Lovelace true true true"
    );
    let token = "itoken-1100000000000001006";
    assert_eq!(
        fake.original(token).expect("the deferred answer")["content"],
        "Nominated"
    );
    assert_eq!(fake.original(token).expect("the answer")["flags"], 64);
    assert_eq!(fake.followups(token).len(), 1);

    // The network drops: the client resumes, and gets what was dispatched meanwhile.
    fake.drop_gateway().await;
    fake.send_interaction(fake.command_interaction(1_100_000_000_000_001_007, user, "peers", json!([])))
        .await;
    fake.wait_ready(WAIT).await;
    // The missed interaction is replayed before RESUMED, but handlers run concurrently.
    let mut after = vec![
        next_event(&mut events, "").await,
        next_event(&mut events, "").await,
    ];
    after.sort();
    assert_eq!(after, ["command peers true 40060", "resumed"]);
    assert_eq!(fake.gateway_sessions(), (1, 1));

    shards.shutdown_all().await;
    running.abort();
    assert_no_violations(&fake);
}
