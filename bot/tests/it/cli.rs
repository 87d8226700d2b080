//! The command line over the bundled data and local files.

use crate::{Sandbox, repo_data, sync_line};

const BUNDLED: &str = r#"
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

fn rows(path: &std::path::Path, has: &str) -> usize {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| l.contains(has))
        .count()
}

#[test]
fn a_first_sync_ingests_the_bundled_data_and_a_second_changes_nothing() {
    let sandbox = Sandbox::new(BUNDLED);
    let out = sandbox.vigie(&["feeds", "sync"]).ok();
    // ParlGov: 844 parliamentary and 183 European Parliament elections, 1,619 cabinets.
    assert!(
        sync_line(&out, "parlgov").contains("2646 items  2646 added, 0 changed, 0 removed"),
        "{out}"
    );
    let members = rows(&repo_data().join("ogp-members.csv"), ",");
    assert!(
        sync_line(&out, "ogp-members").contains(&format!("{members} items  {members} added")),
        "{out}"
    );
    let elections = rows(&repo_data().join("elections.csv"), ",");
    assert!(
        sync_line(&out, "elections").contains(&format!("{elections} items  {elections} added")),
        "{out}"
    );

    let again = sandbox.vigie(&["feeds", "sync"]).ok();
    for feed in ["parlgov", "ogp-members", "elections"] {
        let line = sync_line(&again, feed);
        assert!(
            line.contains("0 added, 0 changed, 0 removed (no change)"),
            "{line}"
        );
    }
}

#[test]
fn the_dutch_calendar_lists_elections_and_the_cabinets_that_followed() {
    let sandbox = Sandbox::new(BUNDLED);
    sandbox.vigie(&["feeds", "sync", "parlgov"]).ok();
    let out = sandbox
        .vigie(&[
            "calendar",
            "--country",
            "NL",
            "--from",
            "2010-01-01",
            "--to",
            "2023-12-31",
            "--json",
        ])
        .ok();
    let events: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let of_kind = |kind: &str| -> Vec<(String, String)> {
        events
            .iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| {
                (
                    e["date"]["text"].as_str().unwrap().to_owned(),
                    e["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let elections: Vec<String> = of_kind("legislative").into_iter().map(|(d, _)| d).collect();
    assert_eq!(
        elections,
        ["2010-06-09", "2012-09-12", "2017-03-15", "2021-03-17"]
    );
    let cabinets = of_kind("cabinet");
    let formed: Vec<&str> = cabinets
        .iter()
        .filter(|(_, t)| !t.contains("caretaker"))
        .map(|(d, _)| d.as_str())
        .collect();
    // Rutte I to IV took office after the 2010, 2012, 2017 and 2021 elections.
    assert_eq!(formed, ["2010-10-14", "2012-11-05", "2017-10-26", "2022-01-10"]);
    assert!(
        cabinets
            .iter()
            .any(|(d, t)| d == "2021-01-15" && t.contains("caretaker cabinet Rutte VI")),
        "{cabinets:?}"
    );
    assert!(events.iter().all(|e| e["jurisdiction"] == "NL"));

    let table = sandbox
        .vigie(&[
            "calendar",
            "--country",
            "nl",
            "--from",
            "2021-01-01",
            "--to",
            "2022-12-31",
        ])
        .ok();
    assert!(
        table.contains("2021-03-17") && table.contains("Netherlands parliamentary election"),
        "{table}"
    );
    assert!(table.contains("cabinet Rutte VII takes office"), "{table}");
}

#[test]
fn editing_one_row_of_a_csv_feed_reports_exactly_that_change() {
    let sandbox =
        Sandbox::new("[[feeds]]\nname = \"elections\"\nkind = \"events-csv\"\nsource = \"elections.csv\"\n");
    let original = std::fs::read_to_string(repo_data().join("elections.csv")).unwrap();
    sandbox.write("elections.csv", &original);
    let total = original.lines().count() - 1;
    let first = sandbox.vigie(&["feeds", "sync"]).ok();
    assert!(
        sync_line(&first, "elections").contains(&format!("{total} added, 0 changed, 0 removed")),
        "{first}"
    );

    // Change the date of one row only.
    let edited = original.replacen(
        "us-presidential-2028,US,presidential,United States presidential election,2028-11-07",
        "us-presidential-2028,US,presidential,United States presidential election,2028-11-14",
        1,
    );
    assert_ne!(edited, original, "the row to edit is in the bundled file");
    sandbox.write("elections.csv", &edited);
    let second = sandbox.vigie(&["feeds", "sync", "elections"]).ok();
    assert!(
        sync_line(&second, "elections").contains("0 added, 1 changed, 0 removed"),
        "{second}"
    );

    let shown = sandbox
        .vigie(&["calendar", "--country", "US", "--kind", "presidential", "--json"])
        .ok();
    let events: Vec<serde_json::Value> = serde_json::from_str(&shown).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["date"]["text"], "2028-11-14");

    // Drop one row: it is marked removed, not deleted.
    let dropped: String = edited
        .lines()
        .filter(|l| !l.starts_with("us-presidential-2028,"))
        .map(|l| format!("{l}\n"))
        .collect();
    sandbox.write("elections.csv", &dropped);
    let third = sandbox.vigie(&["feeds", "sync", "elections"]).ok();
    assert!(
        sync_line(&third, "elections").contains("0 added, 0 changed, 1 removed"),
        "{third}"
    );
    let gone = sandbox
        .vigie(&["calendar", "--country", "US", "--kind", "presidential", "--json"])
        .ok();
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&gone)
            .unwrap()
            .len(),
        0
    );
    let kept = sandbox
        .vigie(&[
            "calendar",
            "--country",
            "US",
            "--kind",
            "presidential",
            "--removed",
            "--json",
        ])
        .ok();
    let kept: Vec<serde_json::Value> = serde_json::from_str(&kept).unwrap();
    assert_eq!(kept.len(), 1);
    assert!(kept[0]["removed_at"].is_string());
}

#[test]
fn a_bad_row_fails_the_feed_with_its_location_and_keeps_the_last_good_data() {
    let sandbox = Sandbox::new("[[feeds]]\nname = \"e\"\nkind = \"events-csv\"\nsource = \"e.csv\"\n");
    sandbox.write(
        "e.csv",
        "id,jurisdiction,kind,date\na,KE,legislative,2027-08-10\nb,FR,presidential,2027-04\n",
    );
    assert!(sync_line(&sandbox.vigie(&["feeds", "sync"]).ok(), "e").contains("2 added"));

    sandbox.write(
        "e.csv",
        "id,jurisdiction,kind,date\na,KE,legislative,2027-13-10\nb,XX,presidential,2027-04\n",
    );
    let out = sandbox.vigie(&["feeds", "sync"]).fails();
    assert!(
        out.contains("line 2, column date: \"2027-13-10\" is not a day of the calendar"),
        "{out}"
    );
    assert!(
        out.contains("line 3, column jurisdiction: \"XX\" is not a known ISO 3166-1 country"),
        "{out}"
    );
    assert!(out.contains("the last good data is kept"), "{out}");

    let events: Vec<serde_json::Value> =
        serde_json::from_str(&sandbox.vigie(&["calendar", "--json"]).ok()).unwrap();
    assert_eq!(
        events.len(),
        2,
        "the events of the last good sync are still there"
    );
    let health = sandbox.vigie(&["feeds"]).ok();
    assert!(health.contains("failing: line 2, column date"), "{health}");
}

#[test]
fn members_are_listed_filtered_and_shown_with_their_coming_elections() {
    let sandbox = Sandbox::new(BUNDLED);
    sandbox.vigie(&["feeds", "sync"]).ok();
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&sandbox.vigie(&["members", "--json"]).ok()).unwrap();
    let withdrawn: Vec<serde_json::Value> = serde_json::from_str(
        &sandbox
            .vigie(&["members", "--status", "withdrawn", "--json"])
            .ok(),
    )
    .unwrap();
    assert_eq!(all.len(), rows(&repo_data().join("ogp-members.csv"), ","));
    assert_eq!(
        withdrawn.len(),
        rows(&repo_data().join("ogp-members.csv"), ",withdrawn,")
    );
    assert!(withdrawn.iter().all(|m| m["status"] == "withdrawn"));

    let kenya = sandbox.vigie(&["member", "ke"]).ok();
    assert!(
        kenya.starts_with("Kenya (KE), national member in Africa and the Middle East"),
        "{kenya}"
    );
    assert!(
        kenya.contains("Coming events:") && kenya.contains("2027-08"),
        "{kenya}"
    );

    let unknown = sandbox.vigie(&["member", "ZZ"]).fails();
    assert!(
        unknown.contains("ZZ is not an OGP member Vigie knows"),
        "{unknown}"
    );
    let bad = sandbox.vigie(&["members", "--status", "sleepy"]).fails();
    assert!(
        bad.contains("\"sleepy\" is not a member status; expected active, under-review"),
        "{bad}"
    );
}

#[test]
fn check_lists_every_configuration_error_and_exits_non_zero() {
    let sandbox = Sandbox::new(
        "[http]\ntimeout = \"soon\"\n\n[[feeds]]\nname = \"a\"\nkind = \"ics\"\nsource = \"bundled:nope\"\n",
    );
    let run = sandbox.vigie(&["check"]);
    let out = run.fails();
    assert_eq!(run.code(), Some(2));
    assert!(out.contains("config.toml:2:11: http.timeout:"), "{out}");
    assert!(
        out.contains("config.toml:7:10: feeds[0].source: \"nope\" is not bundled data"),
        "{out}"
    );

    let good = Sandbox::new(BUNDLED);
    let ok = good.vigie(&["check"]).ok();
    assert!(
        ok.contains("is valid: storage on SQLite, 3 feeds (3 enabled)"),
        "{ok}"
    );
}

#[test]
fn without_a_config_file_the_built_in_default_runs() {
    let sandbox = Sandbox::new("");
    std::fs::remove_file(sandbox.path("config.toml")).unwrap();
    let ok = sandbox.vigie(&["check"]).ok();
    assert!(ok.starts_with("built-in config.toml is valid"), "{ok}");
    let out = sandbox.vigie(&["feeds", "sync", "elections"]).ok();
    assert!(sync_line(&out, "elections").contains("added"), "{out}");
    assert!(
        sandbox.path("vigie.db").exists(),
        "the SQLite file is created on first run"
    );
}

#[test]
fn bad_command_line_input_gets_one_clear_sentence() {
    let sandbox = Sandbox::new(BUNDLED);
    for (args, expected) in [
        (
            vec!["calendar", "--from", "2021-02-30"],
            "\"2021-02-30\" is not a date; expected YYYY-MM-DD",
        ),
        (
            vec!["calendar", "--country", "Netherlands"],
            "is not a jurisdiction code; expected a country (KE)",
        ),
        (
            vec!["calendar", "--kind", "coronation"],
            "\"coronation\" is not an event kind; expected legislative",
        ),
        (
            vec!["calendar", "--from", "2022-01-01", "--to", "2021-01-01"],
            "--to 2021-01-01 comes before --from 2022-01-01",
        ),
        (
            vec!["feeds", "sync", "nope"],
            "there is no feed named \"nope\"; expected one of parlgov, ogp-members, elections",
        ),
    ] {
        let out = sandbox.vigie(&args).fails();
        assert!(out.contains(expected), "{args:?}: {out}");
        assert!(!out.contains("panicked"), "{out}");
    }
}

#[test]
fn an_icalendar_feed_syncs_and_resyncs_without_change() {
    let ics = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/ics/thunderbird-holidays/KenyaHolidays.ics"
    );
    let sandbox = Sandbox::new(&format!(
        "[[feeds]]\nname = \"kenya\"\nkind = \"ics\"\nsource = \"{ics}\"\njurisdiction = \"KE\"\n"
    ));
    let first = sandbox.vigie(&["feeds", "sync"]).ok();
    let line = sync_line(&first, "kenya");
    let items: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(
        items > 0 && line.contains(&format!("{items} added, 0 changed, 0 removed")),
        "{line}"
    );
    let again = sandbox.vigie(&["feeds", "sync"]).ok();
    assert!(sync_line(&again, "kenya").contains("(no change)"), "{again}");
    let events: Vec<serde_json::Value> =
        serde_json::from_str(&sandbox.vigie(&["calendar", "--json"]).ok()).unwrap();
    assert_eq!(events.len(), items);
    assert!(
        events
            .iter()
            .all(|e| e["jurisdiction"] == "KE" && e["kind"] == "other")
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::{BufRead, BufReader};
    let sandbox = Sandbox::new(BUNDLED);
    sandbox.vigie(&["feeds", "sync", "parlgov"]).ok();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(sandbox.dir.path())
        .args(["calendar", "--from", "1945-01-01"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the rest of the table meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("DATE"), "{first}");
    assert!(out.status.success(), "{:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
