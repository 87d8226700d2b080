//! The terminal console, driven by a script on its standard input as a person would type: the
//! real `vigie run` binary on the bundled data, answering each line on standard output.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Sandbox;

/// A running `vigie run` whose console the test types into.
pub struct Console {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl Console {
    pub fn start(sandbox: &Sandbox, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
        cmd.current_dir(sandbox.dir.path())
            .arg("run")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("VIGIE_")) {
            cmd.env_remove(k);
        }
        cmd.env("VIGIE_LOG__LEVEL", "warn")
            .env("VIGIE_SERVER__ENABLED", "false");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("vigie run starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, stdin, lines }
    }

    /// Types `line` and returns the reply: the lines up to the blank line that ends it.
    pub fn ask(&mut self, line: &str) -> String {
        writeln!(self.stdin, "{line}").expect("the console reads its input");
        self.stdin.flush().unwrap();
        self.reply(Duration::from_secs(120))
    }

    /// The next reply or announcement.
    pub fn reply(&mut self, deadline: Duration) -> String {
        let end = Instant::now() + deadline;
        let mut reply: Vec<String> = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.is_empty() && !reply.is_empty() && !reply_continues(&reply) => {
                    return reply.join("\n");
                }
                Ok(line) => reply.push(line),
                Err(_) => break,
            }
        }
        panic!("no reply within {deadline:?}; so far:\n{}", reply.join("\n"));
    }

    /// Stops Vigie with SIGTERM and checks it stops cleanly.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "vigie run stopped with {status}");
                return;
            }
            assert!(Instant::now() < end, "vigie run did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `help` has one blank line inside it, before its footer.
fn reply_continues(reply: &[String]) -> bool {
    reply
        .first()
        .is_some_and(|l| l.starts_with("**") && l.ends_with("**"))
        && !reply
            .iter()
            .any(|l| l.starts_with("Type `help") || l.contains("`help COMMAND`"))
}

/// The first window id in a reply.
pub fn first_window_id(reply: &str) -> String {
    reply
        .split('`')
        .find(|w| w.len() == 14 && w.starts_with("w-"))
        .unwrap_or_else(|| panic!("no window id in:\n{reply}"))
        .to_owned()
}

#[test]
fn the_console_answers_commands_as_an_admin_and_refuses_bad_input_changing_nothing() {
    let sandbox = Sandbox::new("");
    std::fs::remove_file(sandbox.path("config.toml")).unwrap(); // the built-in default
    let mut console = Console::start(&sandbox, &[]);

    let windows = console.ask("windows");
    assert!(
        windows.contains("windows open or opening within 90 days"),
        "{windows}"
    );
    let id = first_window_id(&windows);

    let claimed = console.ask(&format!("window claim {id}"));
    assert!(
        claimed.starts_with(&format!("You have claimed `{id}`")),
        "{claimed}"
    );
    let again = console.ask(&format!("window claim {id}"));
    assert_eq!(again, format!("You have already claimed `{id}`."));

    // Malformed input: one sentence naming the problem and the expected form; nothing changes.
    let bad = console.ask("window release 12345");
    assert_eq!(bad.lines().count(), 1, "{bad}");
    assert!(
        bad.contains("“12345” is not valid here; expected a window id"),
        "{bad}"
    );
    let shown = console.ask(&format!("window show {id}"));
    assert!(shown.contains("Claimed by operator on "), "{shown}");

    let typo = console.ask("windwos");
    assert_eq!(typo, "“windwos” is not a command; did you mean `windows`?");

    assert_eq!(
        console.ask("subscribe country:ke"),
        "This room now follows `country:KE`."
    );
    assert_eq!(
        console.ask("subscribe country:KE"),
        "This room already follows `country:KE`; nothing changed."
    );
    assert!(
        console
            .ask("subscriptions")
            .contains("- `country:KE` (operator, ")
    );

    let noted = console.ask(&format!(
        "window note {id} Met the minister's chief of staff; follow-up in March"
    ));
    assert_eq!(noted, format!("Note added to `{id}`."));
    let shown = console.ask(&format!("window show {id}"));
    assert!(
        shown.contains("operator: Met the minister's chief of staff; follow-up in March"),
        "{shown}"
    );

    let member = console.ask("member KE");
    assert!(member.starts_with("**Kenya** (KE)"), "{member}");

    // Time travel: the Dutch election of 17 March 2021, seen from 1 January 2021 (ParlGov).
    let past = console.ask("windows NL --at 2021-01-01");
    assert!(past.contains("Netherlands parliamentary election"), "{past}");

    assert_eq!(
        console.ask("language fr"),
        "Désormais je vous réponds en français."
    );
    let help = console.ask("help");
    assert!(help.starts_with("**Commandes de Vigie**"), "{help}");
    let help_claim = console.ask("help window claim");
    assert!(help_claim.contains("`window claim ID`"), "{help_claim}");

    console.stop();
}

#[test]
fn the_console_announces_a_window_that_a_feed_sync_brings() {
    let sandbox = Sandbox::new(
        r#"
[[feeds]]
name = "local-elections"
kind = "events-csv"
source = "elections.csv"

[[feeds]]
name = "ogp-members"
kind = "members-csv"
source = "bundled:ogp-members.csv"
"#,
    );
    let header = "id,jurisdiction,kind,title,date,date_end,precision,status,caretaker,source,notes\n";
    sandbox.write("elections.csv", header);
    let mut console = Console::start(&sandbox, &[]);
    let none = console.ask("windows KE");
    assert!(none.starts_with("No window is open or opening"), "{none}");

    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string();
    sandbox.write(
        "elections.csv",
        &format!("{header}ke-test,KE,legislative,Kenyan test election,{soon},,,scheduled,,test,\n"),
    );
    let synced = console.ask("feeds sync local-elections");
    assert!(synced.contains("1 added"), "{synced}");
    let announced = console.reply(Duration::from_secs(60));
    assert!(
        announced.starts_with("New window `w-") && announced.contains("Kenyan test election"),
        "{announced}"
    );
    console.stop();
}
