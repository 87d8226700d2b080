//! Rule files, windows and the backtest, through the command line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Sandbox;

const PARLGOV: &str = "[[feeds]]\nname = \"parlgov\"\nkind = \"parlgov\"\nsource = \"bundled:parlgov\"\n";

const GOOD_RULE: &str = r#"[[rule]]
id = "pre-election"
description = "an election is coming"
subject = "events"
kinds = ["legislative"]
when = 'jurisdiction != null && jurisdiction.level == "national"'
opens = "start - 90d"
closes = "end"
"#;

/// The same rule with a typo in a variable name, on line 6 at column 9 (inside the quotes).
const BROKEN_RULE: &str = r#"[[rule]]
id = "pre-election"
description = "an election is coming"
subject = "events"
kinds = ["legislative"]
when = 'jursdiction != null'
opens = "start - 90d"
closes = "soon"
"#;

fn with_rules(rule: &str) -> Sandbox {
    let sandbox = Sandbox::new(&format!(
        "[rules]\ndirectory = \"rules.d\"\ncheck_every = \"1s\"\n\n{PARLGOV}"
    ));
    std::fs::create_dir(sandbox.path("rules.d")).unwrap();
    sandbox.write("rules.d/elections.toml", rule);
    sandbox
}

#[test]
fn rules_check_reports_each_problem_at_its_file_line_and_column_with_a_caret() {
    let sandbox = with_rules(BROKEN_RULE);
    let out = sandbox.vigie(&["rules", "check"]).fails();
    let file = "rules.d/elections.toml";
    assert!(
        out.contains(&format!(
            "{file}:6:9: unknown variable `jursdiction`; expected one of event, member, jurisdiction"
        )),
        "{out}"
    );
    assert!(
        out.contains("    when = 'jursdiction != null'\n            ^"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{file}:8:10: \"soon\" is not a date a window can be measured from"
        )),
        "{out}"
    );
    assert!(out.contains("2 problems in rules.d"), "{out}");
    assert!(
        out.find(":6:9:") < out.find(":8:10:"),
        "problems come in the order of the file: {out}"
    );

    sandbox.write("rules.d/elections.toml", GOOD_RULE);
    let ok = sandbox.vigie(&["rules", "check"]).ok();
    assert!(ok.starts_with("1 rules are valid in"), "{ok}");
}

#[test]
fn the_bundled_default_rules_are_valid() {
    let sandbox = Sandbox::new(PARLGOV);
    let ok = sandbox.vigie(&["rules", "check"]).ok();
    assert!(
        ok.contains("rules are valid in the bundled default rules"),
        "{ok}"
    );
    for id in [
        "pre-election",
        "government-transition",
        "action-plan-overdue",
        "member-status",
    ] {
        assert!(ok.contains(id), "{id} missing from {ok}");
    }
}

#[test]
fn time_travel_to_2021_lists_the_dutch_election_window_with_its_default_opening() {
    let sandbox = Sandbox::new(PARLGOV);
    sandbox.vigie(&["feeds", "sync"]).ok();
    let out = sandbox
        .vigie(&["windows", "--at", "2021-01-01", "--country", "NL", "--json"])
        .ok();
    let windows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let pre = windows
        .iter()
        .find(|w| w["rule"] == "pre-election" && w["closes"] == "2021-03-17")
        .unwrap_or_else(|| panic!("{out}"));
    // The default rule opens 180 days before the earliest possible day of the election.
    assert_eq!(pre["opens"], "2020-09-18");
    assert_eq!(pre["state"], "open");
    let transition = windows
        .iter()
        .find(|w| w["rule"] == "government-transition" && w["opens"] == "2021-03-17")
        .unwrap();
    assert_eq!(
        transition["closes"], "2022-01-17",
        "a week after Rutte IV took office on 2022-01-10"
    );

    let id = pre["id"].as_str().unwrap();
    let shown = sandbox.vigie(&["window", id, "--at", "2021-01-01"]).ok();
    assert!(
        shown.contains("Opens 2020-09-18") && shown.contains("rule pre-election"),
        "{shown}"
    );
    let unknown = sandbox.vigie(&["window", "w-000000000000"]).fails();
    assert!(unknown.contains("there is no window w-000000000000"), "{unknown}");
    let bad = sandbox.vigie(&["window", "nope"]).fails();
    assert!(
        bad.contains("\"nope\" is not a window id; expected w- and twelve hexadecimal digits"),
        "{bad}"
    );
}

#[test]
fn testing_a_rule_shows_the_records_it_matches_and_why() {
    let sandbox = Sandbox::new(PARLGOV);
    sandbox.vigie(&["feeds", "sync"]).ok();
    let out = sandbox
        .vigie(&[
            "rules",
            "test",
            "government-transition",
            "--at",
            "2021-06-01",
            "--country",
            "NL",
        ])
        .ok();
    assert!(out.contains("Rule government-transition"), "{out}");
    assert!(out.contains("2021-03-17 .. 2022-01-17"), "{out}");
    let none = sandbox.vigie(&["rules", "test", "nope"]).fails();
    assert!(
        none.contains("there is no rule \"nope\"; expected one of"),
        "{none}"
    );
}

#[test]
fn the_backtest_over_parlgov_meets_its_targets() {
    let sandbox = Sandbox::new(PARLGOV);
    sandbox.vigie(&["feeds", "sync"]).ok();
    let csv = sandbox.path("backtest.csv");
    let out = sandbox
        .vigie(&[
            "backtest",
            "--from",
            "2011-01-01",
            "--to",
            "2023-06-30",
            "--csv",
            csv.to_str().unwrap(),
            "--json",
        ])
        .ok();
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let regular = &report["regular"];
    assert!(regular["elections"].as_u64().unwrap() >= 80, "{regular}");
    assert!(regular["coverage"].as_f64().unwrap() >= 0.95, "{regular}");
    assert!(regular["transition_rate"].as_f64().unwrap() >= 0.95, "{regular}");
    let early = &report["early"];
    assert!(
        early["elections"].as_u64().unwrap() > 0,
        "early elections are reported separately: {early}"
    );
    let rows = std::fs::read_to_string(&csv).unwrap();
    let elections = regular["elections"].as_u64().unwrap() + early["elections"].as_u64().unwrap();
    assert_eq!(
        rows.lines().count() as u64,
        elections + 1,
        "one CSV row per election and a header"
    );
    assert!(
        rows.lines()
            .any(|l| l.starts_with("NL,parlgov:election-") && l.contains(",2021-03-17,")),
        "{rows}"
    );
}

/// Runs `vigie run` and hands its stderr lines to the test.
fn run_vigie(sandbox: &Sandbox) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(sandbox.dir.path())
        .arg("run")
        .env("NO_COLOR", "1")
        .env("VIGIE_SERVER__ENABLED", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn wait_for(rx: &mpsc::Receiver<String>, needle: &str, deadline: Duration) -> String {
    let end = Instant::now() + deadline;
    let mut seen = Vec::new();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!(
        "no log line with {needle:?} within {deadline:?}; saw:\n{}",
        seen.join("\n")
    );
}

#[test]
fn a_running_vigie_keeps_its_last_good_rules_when_a_file_breaks() {
    let sandbox = with_rules(GOOD_RULE);
    let (mut child, rx) = run_vigie(&sandbox);
    wait_for(&rx, "windows evaluated", Duration::from_secs(60));

    sandbox.write("rules.d/elections.toml", BROKEN_RULE);
    let kept = wait_for(&rx, "the last good rules stay in force", Duration::from_secs(30));
    assert!(
        kept.contains("elections.toml:6:9: unknown variable `jursdiction`"),
        "{kept}"
    );

    let mut fixed = GOOD_RULE.replace("start - 90d", "start - 120d");
    fixed.push('\n');
    sandbox.write("rules.d/elections.toml", &fixed);
    wait_for(&rx, "the new rules are in force", Duration::from_secs(30));
    wait_for(&rx, "windows evaluated", Duration::from_secs(30));

    // SIGTERM: a graceful stop.
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "vigie run stopped with {status}");
            break;
        }
        assert!(Instant::now() < end, "vigie run did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}
