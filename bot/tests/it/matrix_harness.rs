//! What the Matrix tests share: a running `vigie run` ([`Vigie`]) whose logs are collected as
//! they come, its configuration on a [`Synapse`], and waits on conditions with a deadline.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use matrix_sdk::RoomState;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId};

use crate::synapse::{Person, Seen, Synapse};

/// How long any one condition may take to come true.
pub const DEADLINE: Duration = Duration::from_secs(60);
/// How often a condition is looked at again.
pub const POLL: Duration = Duration::from_millis(100);

/// The feeds of the bundled data: real elections, members and ParlGov.
pub const BUNDLED_FEEDS: &str = r#"
[[feeds]]
name = "parlgov"
kind = "parlgov"
source = "bundled:parlgov"

[[feeds]]
name = "ogp-members"
kind = "members-csv"
source = "bundled:ogp-members.csv"

[[feeds]]
name = "elections"
kind = "events-csv"
source = "bundled:elections.csv"
"#;

/// The first window id (`w-` and twelve hexadecimal digits) in `text`.
pub fn window_id(text: &str) -> Option<String> {
    text.match_indices("w-").find_map(|(at, _)| {
        let hex = text.get(at + 2..at + 14)?;
        let standalone = !text[at + 14..].starts_with(|c: char| c.is_ascii_alphanumeric());
        (hex.bytes().all(|b| b.is_ascii_hexdigit()) && standalone).then(|| format!("w-{hex}"))
    })
}

/// Writes Vigie's config.toml into `dir`: its Matrix account on `synapse`, `peers` as peers, and
/// the bundled feeds.
pub fn write_config(dir: &Path, synapse: &Synapse, bot: &str, peers: &[&str]) {
    write_config_with(dir, synapse, bot, peers, BUNDLED_FEEDS);
}

/// Writes Vigie's config.toml into `dir`: its Matrix account on `synapse`, `peers` as peers, and
/// `more` (feeds, other sections) after it.
pub fn write_config_with(dir: &Path, synapse: &Synapse, bot: &str, peers: &[&str], more: &str) {
    let peers: String = peers
        .iter()
        .map(|p| format!("\n[[chat.peers]]\nuser = \"{p}\"\n"))
        .collect();
    let config = format!(
        r#"
[storage]
url = "sqlite:vigie.db"

[log]
# The SDK warns at every sync that it has no key backup to write to; Vigie keeps none.
level = "warn,vigie=info,matrix_sdk_crypto::backups=error"

[server]
enabled = false

[chat]
{peers}
[matrix]
homeserver = "{url}"
user = "{bot}"
store = "matrix-store"
{more}"#,
        url = synapse.url,
    );
    std::fs::write(dir.join("config.toml"), config).unwrap();
}

/// A running `vigie run`, its logs collected as they come.
pub struct Vigie {
    child: Mutex<Child>,
    logs: Arc<Mutex<String>>,
}

impl Vigie {
    /// Runs `vigie run` in `dir`, logging in with `login` (`VIGIE_MATRIX__PASSWORD` or
    /// `VIGIE_MATRIX__ACCESS_TOKEN` and its value).
    pub fn start(dir: &Path, login: (&str, &str)) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vigie"));
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("VIGIE_")) {
            command.env_remove(key);
        }
        let mut child = command
            .arg("run")
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env(login.0, login.1)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vigie starts");
        let logs = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut logs = sink.lock().unwrap();
                logs.push_str(&line);
                logs.push('\n');
            }
        });
        Self {
            child: Mutex::new(child),
            logs,
        }
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// Waits until Vigie has caught up with the homeserver and listens for commands.
    pub async fn listening(&self) {
        self.eventually("Vigie to listen on Matrix", || async {
            self.logs()
                .contains("Matrix: listening for commands")
                .then_some(())
        })
        .await;
    }

    /// Waits until `check` gives a value; on time-out, fails with Vigie's logs.
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            let exited = self.exit_status();
            assert!(
                tokio::time::Instant::now() < deadline && exited.is_none(),
                "no {what} after {DEADLINE:?} (vigie exit status: {exited:?}); vigie's logs:\n{}",
                self.logs()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for `bot`'s reply to `command`, as `person` receives it.
    pub async fn reply(
        &self,
        person: &Person,
        room: &OwnedRoomId,
        command: &OwnedEventId,
        bot: &str,
    ) -> Seen {
        self.eventually(&format!("a reply to {command}"), || async {
            person.reply_to(room, command, bot)
        })
        .await
    }

    /// Waits until `person` sees `member` in `room` with `state`.
    pub async fn sees_member(&self, person: &Person, room: &OwnedRoomId, member: &str, state: RoomState) {
        self.eventually(&format!("{member} in state {state:?} in {room}"), || async {
            (person.member_state(room, member).await == Some(state)).then_some(())
        })
        .await;
    }

    pub fn exit_status(&self) -> Option<std::process::ExitStatus> {
        self.child.lock().unwrap().try_wait().ok().flatten()
    }

    /// SIGTERM, as a service manager stops a service; waits for the exit.
    pub async fn terminate(&self) -> std::process::ExitStatus {
        let pid = self.child.lock().unwrap().id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM could not be sent to {pid}");
        self.eventually("vigie to exit after SIGTERM", || async { self.exit_status() })
            .await
    }

    /// SIGKILL: no chance to save anything, as in a crash.
    /// Sends a signal (`STOP`, `CONT`, …) to the process.
    pub fn signal(&self, name: &str) {
        let pid = self.child.lock().unwrap().id().to_string();
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid)
            .status()
            .unwrap();
        assert!(status.success(), "kill -{name} failed");
    }

    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Vigie {
    fn drop(&mut self) {
        self.kill();
    }
}
