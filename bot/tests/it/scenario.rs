//! One scenario, three platforms: the same steps (windows, claim, subscribe, an open award
//! campaign with nominations, seconds, votes and results) played on the terminal console, on
//! Matrix (a real Synapse, people with their own clients) and on Discord (the fake Discord, slash
//! commands with typed options), each by the real `vigie run` binary on the same feeds.
//!
//! A step is written once, as the text a person types ([`SCENARIO`]); each platform turns it into
//! its own input: a line on the console, `!vigie …` from the right person in a Matrix room, the
//! slash command with its options on Discord (read from the text with the command model's own
//! rules, and checked to give the very invocation the text gives). What a step did is read where
//! every platform records it alike, Vigie's `vigie_commands_total{command, outcome}` metric
//! (served on `/metrics`), and the facts a reply gives (the window, who claimed it, the campaign,
//! the nominations, the winner) are compared across the platforms.
//!
//! The console has one person, an admin: a step that needs someone else (a peer, an outsider) is
//! played in chat rooms only, and a fact that such steps change (the turnout, the counts) is
//! compared between Matrix and Discord; the winner is the same everywhere.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use matrix_sdk::RoomState;
use matrix_sdk::ruma::OwnedRoomId;
use serde_json::{Value, json};
use vigie::command::discord::discord_path;
use vigie::command::{Given, Kind, ParseError, parse, typed};
use vigie::metrics::Outcome;

use crate::Sandbox;
use crate::console::Console;
use crate::discord_fake::{FakeDiscord, MEMBER_PERMISSIONS};
use crate::matrix_harness::{Vigie, window_id};
use crate::synapse::{PASSWORD, Person, Synapse};

/// Who types a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The secretariat: the console's operator, the Matrix room's creator, a Discord member with
    /// Manage Server.
    Admin,
    /// Steering-committee peers, configured under `[[chat.peers]]`.
    Peer1,
    Peer2,
    /// Someone in the room who is neither.
    Outsider,
}

impl Actor {
    const ALL: [Actor; 4] = [Actor::Admin, Actor::Peer1, Actor::Peer2, Actor::Outsider];

    /// How a reply names this person once each platform's own id is taken out of it.
    fn token(self) -> &'static str {
        match self {
            Self::Admin => "{admin}",
            Self::Peer1 => "{peer1}",
            Self::Peer2 => "{peer2}",
            Self::Outsider => "{outsider}",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Something a reply says that the other platforms' replies must say too.
pub struct Fact {
    pub name: &'static str,
    /// Compared on the console too; otherwise between Matrix and Discord only (steps played in
    /// chat rooms only change it).
    pub everywhere: bool,
    /// The fact, from the reply (people's ids replaced by [`Actor::token`]).
    pub read: fn(&str) -> Option<String>,
}

/// One step: who types what, and what must come of it.
pub struct Step {
    pub actor: Actor,
    /// As typed on the console; `{window}` and `{campaign}` are facts of earlier steps.
    pub line: &'static str,
    pub expect: Outcome,
    /// Played on the console, by its one person (an admin), whoever the actor is. A step whose
    /// outcome depends on being someone other than an admin is played in chat rooms only.
    pub console: bool,
    pub facts: &'static [Fact],
}

const fn step(actor: Actor, line: &'static str, expect: Outcome) -> Step {
    Step {
        actor,
        line,
        expect,
        console: true,
        facts: &[],
    }
}

impl Step {
    /// Played in chat rooms only.
    const fn chat_only(self) -> Step {
        Step {
            console: false,
            ..self
        }
    }

    const fn facts(self, facts: &'static [Fact]) -> Step {
        Step { facts, ..self }
    }
}

const fn fact(name: &'static str, read: fn(&str) -> Option<String>) -> Fact {
    Fact {
        name,
        everywhere: true,
        read,
    }
}

const fn chat_fact(name: &'static str, read: fn(&str) -> Option<String>) -> Fact {
    Fact {
        name,
        everywhere: false,
        read,
    }
}

use Actor::{Admin, Outsider, Peer1, Peer2};

/// The scenario. The campaign is open (`--public`): a ballot is cast in the room on every
/// platform. It counts by plurality, so the counts are plain numbers of ballots; it needs no
/// seconds, so that the console's nominations stand without the seconds of other people.
pub const SCENARIO: &[Step] = &[
    // Windows, and who may claim one.
    step(Admin, "windows", Outcome::Ok).facts(&[fact("window", window_id)]),
    step(Outsider, "window claim {window}", Outcome::Refused).chat_only(),
    step(Admin, "window claim {window}", Outcome::Ok).facts(&[fact("claimed", window_id)]),
    step(Admin, "window claim {window}", Outcome::Ok).facts(&[fact("claimed again", claim_again)]),
    step(Peer1, "window claim {window}", Outcome::UserError)
        .chat_only()
        .facts(&[chat_fact("taken by", taken_by)]),
    // Fourteen characters, as Discord's client requires of a window id, but not one.
    step(Admin, "window claim w-nothexnothex", Outcome::UserError),
    step(Peer2, "window show {window}", Outcome::Ok).facts(&[fact("claimer", claimer)]),
    // Subscriptions.
    step(Admin, "subscribe country:fr", Outcome::Ok).facts(&[fact("subscribed", topic)]),
    step(Peer2, "subscribe country:FR", Outcome::Ok).facts(&[fact("subscribed again", topic)]),
    step(Outsider, "subscribe country:ng", Outcome::Refused).chat_only(),
    step(Admin, "subscriptions", Outcome::Ok).facts(&[fact("subscriptions", subscriptions)]),
    // An award campaign, opened by an admin only.
    step(
        Outsider,
        "award open --public --method plurality --seconds 0 --categories champion Outsider Awards",
        Outcome::Refused,
    )
    .chat_only(),
    step(
        Admin,
        r#"award open --public --method plurality --seconds 0 --categories "champion=Open Gov Champion" Scenario Awards"#,
        Outcome::Ok,
    )
    .facts(&[fact("campaign", campaign), fact("secret", secret)]),
    // Nominations: two, a duplicate refused, an outsider refused by the campaign's rules.
    step(
        Admin,
        r#"nominate {campaign} champion KE "Jane Doe" Led the open contracting reform."#,
        Outcome::Ok,
    )
    .facts(&[fact("first nomination", nomination)]),
    step(
        Admin,
        r#"nominate {campaign} champion NG "Musa Bello" Opened the budget."#,
        Outcome::Ok,
    )
    .facts(&[fact("second nomination", nomination)]),
    step(
        Admin,
        r#"nominate {campaign} champion KE "DOE, Jane" Again."#,
        Outcome::UserError,
    ),
    step(
        Outsider,
        r#"nominate {campaign} champion FR "Marie Curie" Open data."#,
        Outcome::UserError,
    )
    .chat_only(),
    // Seconds: not one's own nomination; a peer's counts.
    step(Admin, "second {campaign}#1", Outcome::UserError),
    step(Peer1, "second {campaign}#2", Outcome::Ok)
        .chat_only()
        .facts(&[chat_fact("seconded", seconded)]),
    step(Peer2, "nominations {campaign}", Outcome::Ok).facts(&[
        fact("nominations", nominations),
        chat_fact("seconds", seconds),
    ]),
    // Voting: not before it opens; then three voters, one changing their ballot.
    step(Admin, "vote {campaign} #1", Outcome::UserError),
    step(Admin, "award close {campaign}", Outcome::Ok).facts(&[fact("voting", voting_open)]),
    step(Admin, "vote {campaign} #2", Outcome::Ok).facts(&[fact("ballot", ballot)]),
    step(Admin, "vote {campaign} #1", Outcome::Ok).facts(&[fact("changed ballot", ballot)]),
    step(Peer1, "vote {campaign} #1", Outcome::Ok).chat_only(),
    step(Peer2, "vote {campaign} #2", Outcome::Ok).chat_only(),
    step(Outsider, "vote {campaign} #2", Outcome::UserError).chat_only(),
    step(Admin, "vote {campaign} #3", Outcome::UserError),
    step(Peer2, "turnout {campaign}", Outcome::Ok).facts(&[chat_fact("turnout", turnout)]),
    // Results: closed by an admin, read by anyone; no ballot after the close.
    step(Peer1, "award close {campaign}", Outcome::Refused).chat_only(),
    step(Admin, "award close {campaign}", Outcome::Ok).facts(&[
        fact("winner at the close", winner),
        chat_fact("counts at the close", counts),
    ]),
    step(Outsider, "award results {campaign}", Outcome::Ok).facts(&[
        fact("winner", winner),
        chat_fact("counts", counts),
    ]),
    step(Peer2, "vote {campaign} #2", Outcome::UserError),
];

// What replies say, read the same way on every platform.

/// `You have already claimed `w-…`.`
fn claim_again(reply: &str) -> Option<String> {
    reply
        .contains("already claimed")
        .then(|| window_id(reply))
        .flatten()
}

/// Who a refused claim names as the claimer.
fn taken_by(reply: &str) -> Option<String> {
    between(reply, "already claimed by ", ";")
}

/// `Claimed by X on DATE.`
fn claimer(reply: &str) -> Option<String> {
    between(reply, "Claimed by ", " on ")
}

/// The topic a room follows now (or already did).
fn topic(reply: &str) -> Option<String> {
    let topic = between(reply, "follows `", "`")?;
    let already = reply.contains("already follows");
    Some(if already {
        format!("{topic}, already")
    } else {
        topic
    })
}

/// The topics listed, with who subscribed (not the day).
fn subscriptions(reply: &str) -> Option<String> {
    let lines: Vec<String> = reply
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(|l| l.rsplit_once(", ").map_or(l, |(head, _)| head).to_owned())
        .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// The campaign's number, from the hint `nominate N CATEGORY …`.
fn campaign(reply: &str) -> Option<String> {
    let (_, after) = reply.split_once("nominate ")?;
    let number: String = after.chars().take_while(char::is_ascii_digit).collect();
    (!number.is_empty()).then_some(number)
}

/// Whether the campaign's ballots are secret, as its rules say.
fn secret(reply: &str) -> Option<String> {
    reply
        .lines()
        .find_map(|l| l.trim().strip_prefix("- Ballots "))
        .map(str::to_owned)
}

/// `Nomination **1#1**: …`.
fn nomination(reply: &str) -> Option<String> {
    let id = between(reply, "Nomination **", "**")?;
    let nominee = between(reply, "**: ", " in `")?;
    Some(format!("{id} {nominee}"))
}

fn seconded(reply: &str) -> Option<String> {
    between(reply, "You seconded **", ":").map(|s| s.replace("**", ""))
}

/// Each nomination: its number, nominee, category and nominator.
fn nominations(reply: &str) -> Option<String> {
    let lines: Vec<String> = reply
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- **"))
        .map(|l| {
            let parts: Vec<&str> = l.splitn(3, ", ").collect();
            parts[..parts.len().min(2)].join(", ").replace("**", "")
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// The seconds each nomination has.
fn seconds(reply: &str) -> Option<String> {
    let counts: Vec<String> = reply
        .lines()
        .filter_map(|l| {
            l.split(", ")
                .find(|p| p.ends_with("second(s)"))
                .map(str::to_owned)
        })
        .collect();
    (!counts.is_empty()).then(|| counts.join("; "))
}

fn voting_open(reply: &str) -> Option<String> {
    reply.contains("Voting is open").then(|| "voting open".to_owned())
}

/// A ballot recorded, new or replacing one.
fn ballot(reply: &str) -> Option<String> {
    if !reply.contains("is recorded") {
        return None;
    }
    let replaced = reply.contains("replacing your earlier one");
    Some(
        if replaced {
            "recorded, replacing"
        } else {
            "recorded"
        }
        .to_owned(),
    )
}

/// `…: 3 people have voted.` and the ballots by category.
fn turnout(reply: &str) -> Option<String> {
    let text = reply.split_once(": ")?.1;
    Some(text.lines().map(str::trim).collect::<Vec<_>>().join(" "))
}

/// `Elected: Jane Doe (#1)`.
fn winner(reply: &str) -> Option<String> {
    reply
        .lines()
        .find_map(|l| l.split_once("Elected: "))
        .map(|(_, w)| w.trim().to_owned())
}

/// The rounds of the count, with each nominee's total.
fn counts(reply: &str) -> Option<String> {
    let rounds: Vec<&str> = reply
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("- Round "))
        .collect();
    (!rounds.is_empty()).then(|| rounds.join("; "))
}

/// The text of `text` between `start` and the next `end`.
fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let (_, after) = text.split_once(start)?;
    let (inside, _) = after.split_once(end)?;
    Some(inside.trim().to_owned())
}

// Each platform plays the scenario.

/// What came of one step on one platform.
#[derive(Debug, Clone)]
struct Played {
    /// The `outcome` label the command was counted under (`ok`, `user_error`…), or what was
    /// counted instead of one command.
    outcome: String,
    /// The reply, people's ids replaced by their [`Actor::token`].
    reply: String,
}

/// A platform the scenario is played on.
trait Platform {
    const NAME: &'static str;
    /// Has only the one person, an admin.
    const CONSOLE: bool;
    /// Types `line` as `actor` and returns the reply as it came.
    async fn say(&mut self, actor: Actor, line: &str) -> String;
    /// The port of Vigie's listener, whose `/metrics` count the commands.
    fn port(&self) -> u16;
    /// Each person's ids as this platform writes them in replies.
    fn ids(&self, actor: Actor) -> Vec<String>;
}

/// The steps on one platform, in order: `None` for a step not played there; and the facts read.
struct Run {
    steps: Vec<Option<Played>>,
    facts: BTreeMap<&'static str, Option<String>>,
}

async fn play<P: Platform>(platform: &mut P) -> Run {
    let mut steps = Vec::new();
    let mut facts: BTreeMap<&'static str, Option<String>> = BTreeMap::new();
    for step in SCENARIO {
        if P::CONSOLE && !step.console {
            steps.push(None);
            continue;
        }
        let mut line = step.line.to_owned();
        for (name, value) in &facts {
            if let Some(value) = value {
                line = line.replace(&format!("{{{name}}}"), value);
            }
        }
        let before = commands(&scrape(platform.port()));
        let raw = platform.say(step.actor, &line).await;
        let outcome = counted(platform.port(), &before).await;
        let mut reply = raw;
        for actor in Actor::ALL {
            for id in platform.ids(actor) {
                reply = reply.replace(&id, actor.token());
            }
        }
        for f in step.facts {
            facts.insert(f.name, (f.read)(&reply));
        }
        steps.push(Some(Played { outcome, reply }));
    }
    Run { steps, facts }
}

/// `vigie_commands_total` by (command, outcome).
fn commands(metrics: &str) -> BTreeMap<String, f64> {
    metrics
        .lines()
        .filter(|l| l.starts_with("vigie_commands_total{"))
        .filter_map(|l| {
            let (labels, value) = l.rsplit_once(' ')?;
            Some((labels.to_owned(), value.parse().ok()?))
        })
        .collect()
}

/// The outcome of the one command counted since `before`: its label, or what was counted.
async fn counted(port: u16, before: &BTreeMap<String, f64>) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = commands(&scrape(port));
        let changed: Vec<(&String, f64)> = now
            .iter()
            .map(|(k, v)| (k, v - before.get(k).copied().unwrap_or(0.0)))
            .filter(|(_, d)| *d > 0.0)
            .collect();
        match changed.as_slice() {
            [(labels, d)] if *d == 1.0 => {
                return between(labels, "outcome=\"", "\"").unwrap_or_else(|| labels.to_string());
            }
            [] if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            _ => return format!("{changed:?}"),
        }
    }
}

/// `/metrics` of the Vigie listening on `port`.
fn scrape(port: u16) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("Vigie's listener on port {port}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("the metrics are read");
    text
}

/// Waits until Vigie's listener on `port` accepts connections.
fn listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "Vigie does not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A Vigie's configuration: its store, its listener (for `/metrics`) on `port`, and the feeds,
/// with `more` (peers, the platform) after them.
fn config(dir: &Path, port: u16, more: &str) {
    // One Kenyan election sixty days from now: one window, the same on every platform.
    let soon = chrono::Utc::now().date_naive() + chrono::Days::new(60);
    std::fs::write(
        dir.join("elections.csv"),
        format!(
            "id,jurisdiction,kind,title,date,date_end,precision,status,caretaker,source,notes\n\
             scenario-ke,KE,legislative,Kenyan scenario election,{soon},,,scheduled,,test,\n"
        ),
    )
    .unwrap();
    let text = format!(
        r#"
[storage]
url = "sqlite:vigie.db"

[server]
enabled = true
listen = "127.0.0.1:{port}"

[[feeds]]
name = "scenario-elections"
kind = "events-csv"
source = "elections.csv"

[[feeds]]
name = "ogp-members"
kind = "members-csv"
source = "bundled:ogp-members.csv"
{more}"#
    );
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// `vigie feeds sync` in `dir` before Vigie runs: its first evaluation finds the window, so
/// nothing is announced while the scenario is typed.
fn sync_feeds(dir: &Path, env: &[(&str, &str)]) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigie"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("VIGIE_")) {
        command.env_remove(key);
    }
    let out = command
        .current_dir(dir)
        .args(["feeds", "sync"])
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("vigie feeds sync runs");
    assert!(
        out.status.success(),
        "vigie feeds sync failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The console of `vigie run`: one person, an admin.
struct OnConsole {
    console: Console,
    port: u16,
    _sandbox: Sandbox,
}

impl OnConsole {
    fn start() -> Self {
        let sandbox = Sandbox::new("");
        let port = free_port();
        config(sandbox.dir.path(), port, "");
        sync_feeds(sandbox.dir.path(), &[]);
        let console = Console::start(&sandbox, &[("VIGIE_SERVER__ENABLED", "true")]);
        listening(port);
        Self {
            console,
            port,
            _sandbox: sandbox,
        }
    }
}

impl Platform for OnConsole {
    const NAME: &'static str = "console";
    const CONSOLE: bool = true;

    async fn say(&mut self, _actor: Actor, line: &str) -> String {
        let mut reply = self.console.ask(line);
        // A chart follows the results: the line saying where it was saved.
        if parse(line).is_ok_and(|i| i.spec.path == ["award", "results"]) && reply.contains("Elected") {
            let saved = self.console.reply(Duration::from_secs(30));
            reply.push_str("\n\n");
            reply.push_str(&saved);
        }
        reply
    }

    fn port(&self) -> u16 {
        self.port
    }

    fn ids(&self, actor: Actor) -> Vec<String> {
        match actor {
            Actor::Admin => vec!["operator".to_owned()],
            _ => Vec::new(),
        }
    }
}

/// A Matrix room on Synapse: its creator (an admin there), two peers and an outsider, each with
/// their own client.
struct OnMatrix {
    vigie: Vigie,
    bot: String,
    room: OwnedRoomId,
    people: Vec<Person>,
    port: u16,
    _dir: tempfile::TempDir,
}

impl OnMatrix {
    async fn start() -> Self {
        let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
        let bot = synapse.register(&synapse.unique("vigie"));
        let mut people = Vec::new();
        for name in ["chair", "peer", "peer", "outsider"] {
            people.push(Person::new(synapse, name).await);
        }
        let invited: Vec<&str> = std::iter::once(bot.as_str())
            .chain(people[1..].iter().map(|p| p.id.as_str()))
            .collect();
        let room = people[0].create_room(false, &invited).await;
        for person in &people[1..] {
            person.join(&room).await;
        }
        // The chair invites Vigie, so Vigie must know them; the room makes them its admin.
        let peers: String = people[..3]
            .iter()
            .map(|p| format!("\n[[chat.peers]]\nuser = \"{}\"\n", p.id))
            .collect();
        let more = format!(
            r#"
[log]
level = "warn,vigie=info,matrix_sdk_crypto::backups=error"
{peers}
[matrix]
homeserver = "{url}"
user = "{bot}"
store = "matrix-store"
"#,
            url = synapse.url
        );
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        config(dir.path(), port, &more);
        let login = ("VIGIE_MATRIX__PASSWORD", PASSWORD);
        sync_feeds(dir.path(), &[login]);
        let vigie = Vigie::start(dir.path(), login);
        vigie.listening().await;
        vigie
            .sees_member(&people[0], &room, &bot, RoomState::Joined)
            .await;
        Self {
            vigie,
            bot,
            room,
            people,
            port,
            _dir: dir,
        }
    }
}

impl Platform for OnMatrix {
    const NAME: &'static str = "Matrix";
    const CONSOLE: bool = false;

    async fn say(&mut self, actor: Actor, line: &str) -> String {
        let person = &self.people[actor.index()];
        let command = person.say(&self.room, &format!("!vigie {line}")).await;
        let (room, bot, command) = (&self.room, &self.bot, &command);
        // The reply's text; a chart may follow it, replying to the same command.
        let reply = self
            .vigie
            .eventually(&format!("a reply to {line:?}"), move || async move {
                person.received(|s| {
                    s.room == *room
                        && s.sender() == bot
                        && s.in_reply_to() == Some(command.as_str())
                        && s.msgtype() != "m.image"
                })
            })
            .await;
        reply.body().to_owned()
    }

    fn port(&self) -> u16 {
        self.port
    }

    fn ids(&self, actor: Actor) -> Vec<String> {
        vec![self.people[actor.index()].id.to_string()]
    }
}

/// The guild channel of the fake Discord: an admin (Manage Server), two peers and an outsider
/// (ordinary members), typing slash commands.
struct OnDiscord {
    fake: FakeDiscord,
    vigie: Vigie,
    next: u64,
    port: u16,
    _dir: tempfile::TempDir,
}

/// The Discord users of the actors, in [`Actor`] order.
const DISCORD_USERS: [u64; 4] = [
    400_000_000_000_000_101,
    400_000_000_000_000_102,
    400_000_000_000_000_103,
    400_000_000_000_000_104,
];

impl OnDiscord {
    async fn start() -> Self {
        let fake = FakeDiscord::start().await;
        for user in &DISCORD_USERS[1..] {
            fake.set_permissions(*user, MEMBER_PERMISSIONS);
        }
        let peers: String = DISCORD_USERS[1..3]
            .iter()
            .map(|u| format!("\n[[chat.peers]]\nuser = \"discord:{u}\"\n"))
            .collect();
        let more = format!(
            r#"
[log]
level = "warn,vigie=info"
{peers}
[discord]
guilds = [{guild}]
api_url = "{url}"
"#,
            guild = FakeDiscord::GUILD_ID,
            url = fake.url(),
        );
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        config(dir.path(), port, &more);
        let login = ("VIGIE_DISCORD__TOKEN", FakeDiscord::TOKEN);
        sync_feeds(dir.path(), &[login]);
        let vigie = Vigie::start(dir.path(), login);
        let wait = Duration::from_secs(60);
        fake.wait_ready(wait).await;
        let commands = format!(
            "/applications/{}/guilds/{}/commands",
            FakeDiscord::APPLICATION_ID,
            FakeDiscord::GUILD_ID
        );
        fake.wait_for_request("PUT", &commands, wait).await;
        Self {
            fake,
            vigie,
            next: 920_000_000_000_000_001,
            port,
            _dir: dir,
        }
    }
}

impl Platform for OnDiscord {
    const NAME: &'static str = "Discord";
    const CONSOLE: bool = false;

    async fn say(&mut self, actor: Actor, line: &str) -> String {
        let (name, options) = slash_command(line);
        let id = self.next;
        self.next += 1;
        let violations = self.fake.violations().len();
        let interaction = self
            .fake
            .command_interaction(id, DISCORD_USERS[actor.index()], name, options);
        self.fake.send_interaction(interaction).await;
        // The reply: the response, or the deferred response edited, or (a private reply after
        // a public deferral) the follow-ups; then any more follow-ups. A reply the fake refused
        // (it breaks Discord's API description) never comes: what was refused is the reply.
        let token = format!("itoken-{id}");
        let fake = &self.fake;
        let text = || {
            let original = fake
                .original(&token)
                .and_then(|m| m["content"].as_str().map(str::to_owned))
                .filter(|c| !c.is_empty());
            let followups: Vec<String> = fake
                .followups(&token)
                .iter()
                .filter_map(|m| m["content"].as_str().map(str::to_owned))
                .collect();
            (original.is_some() || !followups.is_empty()).then(|| {
                original
                    .into_iter()
                    .chain(followups)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        };
        let refused = || {
            let now = fake.violations();
            (now.len() > violations).then(|| {
                format!(
                    "(no reply: the fake Discord refused it: {:?})",
                    &now[violations..]
                )
            })
        };
        let (text, refused) = (&text, &refused);
        let first = self
            .vigie
            .eventually(&format!("the reply to /{name} ({line:?})"), move || async move {
                text().or_else(refused)
            })
            .await;
        if first.starts_with("(no reply") {
            return first;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        text().unwrap_or_default()
    }

    fn port(&self) -> u16 {
        self.port
    }

    fn ids(&self, actor: Actor) -> Vec<String> {
        let user = DISCORD_USERS[actor.index()];
        vec![format!("discord:{user}"), format!("<@{user}>")]
    }
}

/// A typed line as the slash command Discord would send for it: the command's name and its
/// options (in a subcommand for a two-word command), each option given as its own text, a
/// switch as a boolean. The words are read as `vigie::command::parse` reads them, and what
/// Discord would run is checked to be what the line runs.
fn slash_command(line: &str) -> (&'static str, Value) {
    let parsed = parse(line);
    // A value not of its option's kind is typed on Discord too, and refused the same way.
    let spec = match &parsed {
        Ok(invocation) => invocation.spec,
        Err(ParseError::Invalid { spec, .. }) => spec,
        Err(e) => panic!("{line:?} is not a command Discord can send: {e:?}"),
    };
    let words = words(line);
    let mut given: Vec<(&'static str, Given)> = Vec::new();
    let mut positional = spec.args.iter().filter(|a| !a.named);
    let mut i = spec.path.len();
    while i < words.len() {
        let (text, start, quoted) = &words[i];
        let named = text
            .strip_prefix("--")
            .filter(|_| !quoted)
            .and_then(|name| spec.args.iter().find(|a| a.named && a.name == name));
        if let Some(arg) = named {
            if arg.kind == Kind::Switch {
                given.push((arg.name, Given::Switch(true)));
                i += 1;
            } else {
                given.push((arg.name, Given::Text(words[i + 1].0.clone())));
                i += 2;
            }
            continue;
        }
        let arg = positional
            .next()
            .unwrap_or_else(|| panic!("{line:?}: {text:?} is one word too many"));
        assert_ne!(
            arg.kind,
            Kind::User,
            "a person is a Discord user option: not in this scenario"
        );
        if arg.kind == Kind::Text {
            // Free text is the rest of the line as typed (a quoted last word, without its quotes).
            let rest = if i + 1 == words.len() && *quoted {
                text.clone()
            } else {
                line[*start..].trim().to_owned()
            };
            given.push((arg.name, Given::Text(rest)));
            break;
        }
        given.push((arg.name, Given::Text(text.clone())));
        i += 1;
    }
    assert_eq!(
        typed(spec, given.iter().cloned()),
        parsed,
        "the Discord options of {line:?} ({given:?}) do not run what the line runs"
    );
    let options: Vec<Value> = given
        .iter()
        .map(|(name, value)| match value {
            Given::Switch(on) => json!({"name": name, "type": 5, "value": on}),
            Given::Text(text) => json!({"name": name, "type": 3, "value": text}),
        })
        .collect();
    match discord_path(spec) {
        (root, Some(sub)) => (root, json!([{"name": sub, "type": 1, "options": options}])),
        (root, None) => (root, json!(options)),
    }
}

/// The words of a line (text, where it starts, whether it was quoted): double quotes group
/// words, as the command model reads them.
fn words(line: &str) -> Vec<(String, usize, bool)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let text: String = chars.by_ref().map(|(_, c)| c).take_while(|c| *c != '"').collect();
            out.push((text, start, true));
        } else {
            let mut text = String::new();
            while let Some(&(_, c)) = chars.peek().filter(|(_, c)| !c.is_whitespace()) {
                text.push(c);
                chars.next();
            }
            out.push((text, start, false));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_scenario_has_the_same_outcomes_on_the_console_on_matrix_and_on_discord() {
    // The console blocks on its pipe: it plays on a thread of its own.
    let console = std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut console = OnConsole::start();
            let run = play(&mut console).await;
            console.console.stop();
            run
        })
    });
    // In tasks of their own: if one fails, the console is still waited for (and its `vigie run`
    // stopped) before the failure goes on, rather than left running when the test ends.
    let matrix = tokio::spawn(async {
        let mut matrix = OnMatrix::start().await;
        play(&mut matrix).await
    });
    let discord = tokio::spawn(async {
        let mut discord = OnDiscord::start().await;
        let run = play(&mut discord).await;
        let violations = discord.fake.violations();
        (run, violations)
    });
    let (matrix, discord) = (matrix.await, discord.await);
    let console = console.join();
    let matrix = matrix.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    let (discord, violations) = discord.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    let console = console.unwrap_or_else(|e| std::panic::resume_unwind(e));
    let runs = [
        (OnConsole::NAME, &console),
        (OnMatrix::NAME, &matrix),
        (OnDiscord::NAME, &discord),
    ];

    let mut table = String::new();
    let mut problems = Vec::new();
    for (n, step) in SCENARIO.iter().enumerate() {
        let mut row = format!(
            "{n:>2} {:<8} {:<60} {:<10}",
            format!("{:?}", step.actor),
            step.line.chars().take(60).collect::<String>(),
            step.expect.as_str()
        );
        for (name, run) in runs {
            let Some(played) = &run.steps[n] else {
                row.push_str(&format!(" {:<12}", "-"));
                continue;
            };
            row.push_str(&format!(" {:<12}", played.outcome));
            if played.outcome != step.expect.as_str() {
                problems.push(format!(
                    "step {n} ({:?}: {}) on {name}: expected {}, counted {}; the reply:\n{}",
                    step.actor,
                    step.line,
                    step.expect.as_str(),
                    played.outcome,
                    played.reply
                ));
            }
        }
        table.push_str(&row);
        table.push('\n');
    }
    for f in SCENARIO.iter().flat_map(|s| s.facts) {
        let seen: Vec<(&str, Option<&String>)> = runs
            .iter()
            .filter(|(name, _)| f.everywhere || *name != OnConsole::NAME)
            .map(|(name, run)| (*name, run.facts.get(f.name).and_then(Option::as_ref)))
            .collect();
        table.push_str(&format!("fact {:<20} {seen:?}\n", f.name));
        if seen.iter().any(|(_, v)| v.is_none()) || seen.windows(2).any(|w| w[0].1 != w[1].1) {
            problems.push(format!("fact {:?} differs or is missing: {seen:?}", f.name));
        }
    }
    if !violations.is_empty() {
        problems.push(format!("the fake Discord's OpenAPI violations: {violations:#?}"));
    }
    eprintln!("step actor    line  expected  console  Matrix  Discord\n{table}");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}\n\n{table}",
        problems.len(),
        problems.join("\n\n")
    );
}
