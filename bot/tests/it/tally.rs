//! `vigie tally`: offline recounts of published ballot files, checked against the official
//! results recorded in shared/data/voting/SOURCES.md.

use sha2::{Digest, Sha256};

use crate::Sandbox;

macro_rules! voting {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/voting/", $rel)
    };
}

const BURLINGTON: &str = voting!("irv/abiftool/burl2009.abif");
const CRAIGTON: &str = voting!("stv/glasgow-2007/Craigton-2007.blt");
const DEBIAN_2006: &str = voting!("condorcet/debian/leader2006_tally.txt");
const TENNESSEE_BLT: &str = voting!("irv/tennessee.blt");
const TENNESSEE_ABIF: &str = voting!("irv/abiftool/tennessee-example-simple.abif");
const TENNESSEE_APPROVAL: &str = voting!("approval/tennessee-example-approval.abif");

/// `vigie tally ARGS` in a sandbox whose configuration is empty (a recount needs none).
fn tally(args: &[&str]) -> crate::Run {
    Sandbox::new("").vigie(&[&["tally"], args].concat())
}

/// The `Winners: …` line of a text transcript, as a list.
fn winners(out: &str) -> Vec<String> {
    let line = out
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("Winners: "))
        .unwrap_or_else(|| panic!("no Winners line in:\n{out}"));
    line.split(", ").map(str::to_string).collect()
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// A candidate's total in a round of a JSON transcript, by name.
fn total(t: &serde_json::Value, round: usize, name: &str) -> String {
    let id = t["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c.as_str().unwrap().contains(name))
        .unwrap_or_else(|| panic!("no candidate {name}"));
    t["rounds"][round - 1]["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0].as_u64() == Some(id as u64))
        .map(|pair| pair[1].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{name} has no total in round {round}"))
}

#[track_caller]
fn refused_with_one_sentence(run: &crate::Run) -> String {
    assert_eq!(
        run.code(),
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout(),
        run.stderr()
    );
    let err = run.stderr();
    assert_eq!(err.lines().count(), 1, "one line:\n{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(run.stdout().is_empty(), "nothing on stdout:\n{}", run.stdout());
    err
}

#[test]
fn burlington_2009_under_irv_exhausting_multiple_continuing_overvotes_gives_kiss_4313_to_wright_4061() {
    let args = [BURLINGTON, "--method", "irv", "--overvote", "exhaust-if-multiple"];
    let out = tally(&args).ok();
    assert_eq!(winners(&out), ["Bob Kiss (Progressive)"]);
    let last = out.rsplit("\nRound ").next().unwrap();
    assert!(
        last.contains("Bob Kiss (Progressive)            4313  elected"),
        "{last}"
    );
    assert!(last.contains("Kurt Wright (Republican)          4061"), "{last}");

    let t = json(&tally(&[&args[..], &["--json"]].concat()).ok());
    let rounds = t["rounds"].as_array().unwrap().len();
    assert_eq!(total(&t, 1, "Wright"), "2951");
    assert_eq!(total(&t, 1, "Kiss"), "2585");
    assert_eq!(
        (total(&t, rounds, "Kiss"), total(&t, rounds, "Wright")),
        ("4313".into(), "4061".into())
    );
}

#[test]
fn glasgow_craigton_2007_under_scottish_stv_elects_the_declared_councillors() {
    let out = tally(&[CRAIGTON, "--method", "stv"]).ok();
    let mut elected = winners(&out);
    elected.sort();
    assert_eq!(
        elected,
        [
            "Alistair Watson",
            "Iris Gibson",
            "Matthew John Kerr",
            "Ruth Black"
        ]
    );
    assert!(out.contains("Seats: 4"), "the BLT header's seats:\n{out}");
    assert!(out.contains("11052 ballots"), "{out}");
    // Meek elects Gordon Macdiarmid instead of Ruth Black: the rule really changes.
    let meek = tally(&[CRAIGTON, "--method", "stv", "--stv-rule", "meek"]).ok();
    let mut elected = winners(&meek);
    elected.sort();
    assert_eq!(
        elected,
        [
            "Alistair Watson",
            "Gordon Macdiarmid",
            "Iris Gibson",
            "Matthew John Kerr"
        ]
    );
}

/// The Debian tally sheet (`V: 57213846`, one rank digit per option, `-` unranked) as BLT.
fn debian_as_blt(path: &str) -> String {
    let text: String = std::fs::read(path)
        .expect("the tally sheet")
        .iter()
        .map(|&b| char::from(b))
        .collect();
    let mut options: Vec<(usize, String)> = Vec::new();
    let mut ballots = String::new();
    for line in text.lines() {
        if let Some(vote) = line.strip_prefix("V:") {
            let vote = vote.split_whitespace().next().expect("a vote");
            let mut ranked: Vec<(u32, usize)> = vote
                .chars()
                .enumerate()
                .filter_map(|(i, ch)| ch.to_digit(36).map(|r| (r, i + 1)))
                .collect();
            ranked.sort_unstable();
            ballots.push('1');
            for (i, &(r, c)) in ranked.iter().enumerate() {
                let equal = i > 0 && ranked[i - 1].0 == r;
                ballots.push_str(&format!("{}{c}", if equal { "=" } else { " " }));
            }
            ballots.push_str(" 0\n");
        } else if let Some(at) = line.find("Option ") {
            let rest = &line[at + 7..];
            let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let name = rest.split_once(">: ").expect("an option name").1.trim();
            options.push((number.parse().unwrap(), name.to_string()));
        }
    }
    options.sort();
    let names: String = options.iter().map(|(_, n)| format!("\"{n}\"\n")).collect();
    format!(
        "{} 1\n{ballots}0\n{names}\"Debian Project Leader 2006\"\n",
        options.len()
    )
}

#[test]
fn debian_2006_under_schulze_elects_anthony_towns() {
    let sandbox = Sandbox::new("");
    sandbox.write("dpl2006.blt", &debian_as_blt(DEBIAN_2006));
    let out = sandbox
        .vigie(&["tally", "dpl2006.blt", "--method", "schulze"])
        .ok();
    assert!(out.contains("421 ballots, 8 candidates"), "{out}");
    assert_eq!(winners(&out), ["Anthony Towns"]);
    let margins = sandbox
        .vigie(&[
            "tally",
            "dpl2006.blt",
            "--method",
            "schulze",
            "--strength",
            "margins",
        ])
        .ok();
    assert_eq!(winners(&margins), ["Anthony Towns"]);
    let rp = sandbox
        .vigie(&["tally", "dpl2006.blt", "--method", "ranked-pairs"])
        .ok();
    assert_eq!(winners(&rp), ["Anthony Towns"]);
}

#[test]
fn tennessee_under_plurality_elects_memphis_from_blt_and_abif() {
    let out = tally(&[TENNESSEE_BLT, "--method", "plurality"]).ok();
    assert_eq!(winners(&out), ["Memphis"]);
    assert!(out.contains("Memphis                42  elected"), "{out}");
    let out = tally(&[TENNESSEE_ABIF, "--method", "plurality"]).ok();
    assert_eq!(winners(&out), ["Memph"]);
    // The other methods of SOURCES.md on the same ballots.
    for (method, winner) in [
        ("irv", "Knoxville"),
        ("borda", "Nashville"),
        ("schulze", "Nashville"),
    ] {
        let out = tally(&[TENNESSEE_BLT, "--method", method]).ok();
        assert_eq!(winners(&out), [winner], "{method}");
    }
    // Names may hold commas, so the whole line is compared.
    let approval = tally(&[TENNESSEE_APPROVAL, "--method", "approval"]).ok();
    assert!(approval.ends_with("\nWinners: Nashville, TN\n"), "{approval}");
    assert!(
        approval.contains("Nashville, TN              50  elected"),
        "{approval}"
    );
}

#[test]
fn json_output_is_the_transcript() {
    let t = json(&tally(&[CRAIGTON, "--method", "stv", "--json"]).ok());
    assert_eq!(t["method"], "stv-scottish");
    assert_eq!(t["seats"], 4);
    assert_eq!(t["candidates"].as_array().unwrap().len(), 10);
    assert_eq!(t["winners"].as_array().unwrap().len(), 4);
    assert!(t["rounds"].as_array().unwrap().len() > 1);
    assert!(
        t["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("2211"))
    );
}

#[test]
fn a_seed_breaks_ties_by_its_permutation_and_prints_its_commitment() {
    let sandbox = Sandbox::new("");
    // Two candidates with one vote each: the tie decides.
    sandbox.write("tie.blt", "2 1\n1 1 0\n1 2 0\n0\n\"Ann\" \"Bob\"\n\"Tie\"\n");
    let commitment: String = Sha256::digest(b"s3cret")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let out = sandbox
        .vigie(&["tally", "tie.blt", "--method", "plurality", "--seed", "s3cret"])
        .ok();
    assert!(out.contains(&commitment), "{out}");
    assert!(out.contains("Tie between Ann / Bob"), "{out}");
    let again = sandbox
        .vigie(&["tally", "tie.blt", "--method", "plurality", "--seed", "s3cret"])
        .ok();
    assert_eq!(out, again, "the same seed breaks the tie the same way");
    let ordered = sandbox
        .vigie(&[
            "tally",
            "tie.blt",
            "--method",
            "plurality",
            "--tie-order",
            "Bob < Ann",
        ])
        .ok();
    assert_eq!(winners(&ordered), ["Ann"], "the earliest in the order loses");
}

#[test]
fn an_abif_file_exports_to_blt_that_counts_the_same() {
    let sandbox = Sandbox::new("");
    let out = sandbox
        .vigie(&["tally", BURLINGTON, "--export-blt", "burl.blt"])
        .ok();
    assert!(out.contains("8980 ballots"), "{out}");
    let irv = ["--method", "irv", "--overvote", "exhaust-if-multiple"];
    let from_blt = sandbox.vigie(&[&["tally", "burl.blt"], &irv[..]].concat()).ok();
    let from_abif = sandbox.vigie(&[&["tally", BURLINGTON], &irv[..]].concat()).ok();
    let body = |s: &str| s.split_once('\n').unwrap().1.to_string();
    assert_eq!(body(&from_blt), body(&from_abif));
}

#[test]
fn a_bad_file_is_refused_with_one_located_sentence_and_exit_2() {
    let sandbox = Sandbox::new("");
    sandbox.write("bad.blt", "2 1\n1 1 3 0\n0\n\"A\" \"B\"\n");
    let err = refused_with_one_sentence(&sandbox.vigie(&["tally", "bad.blt", "--method", "irv"]));
    assert_eq!(
        err.trim_end(),
        "error: bad.blt (read as BLT), line 2, column 5: `3` is not a candidate; expected a number from 1 to 2"
    );
    sandbox.write("bad.abif", "=A\n=B\n3:A>>B\n");
    let err = refused_with_one_sentence(&sandbox.vigie(&["tally", "bad.abif", "--method", "irv"]));
    assert!(err.contains("bad.abif (read as ABIF), line 3: "), "{err}");
    let err = refused_with_one_sentence(&sandbox.vigie(&["tally", "missing.blt", "--method", "irv"]));
    assert!(err.contains("cannot read missing.blt"), "{err}");
}

#[test]
fn a_method_the_ballots_cannot_feed_is_refused_with_exit_2() {
    let err = refused_with_one_sentence(&tally(&[TENNESSEE_BLT, "--method", "score"]));
    assert!(err.contains("--method score needs rated ballots"), "{err}");
    let err = refused_with_one_sentence(&tally(&[TENNESSEE_BLT, "--method", "stv", "--overvote", "skip"]));
    assert!(err.contains("--overvote applies to --method irv only"), "{err}");
    let err = refused_with_one_sentence(&tally(&[TENNESSEE_BLT, "--method", "stv", "--seats", "5"]));
    assert!(
        err.contains("5 seats asked for but only 4 candidates stand"),
        "{err}"
    );
    let err = refused_with_one_sentence(&tally(&[TENNESSEE_BLT, "--method", "irv", "--seats", "2"]));
    assert!(err.contains("elects one candidate"), "{err}");
    let sandbox = Sandbox::new("");
    sandbox.write("equal.blt", "3 1\n1 1=2 3 0\n0\n\"A\" \"B\" \"C\"\n");
    let err = refused_with_one_sentence(&sandbox.vigie(&["tally", "equal.blt", "--method", "stv"]));
    assert!(err.contains("ranks several candidates equally"), "{err}");
}

#[test]
fn timings_go_to_stderr_and_leave_the_result_alone() {
    let plain = tally(&[CRAIGTON, "--method", "stv"]);
    let timed = tally(&[CRAIGTON, "--method", "stv", "--timings"]);
    assert_eq!(timed.ok(), plain.ok());
    assert!(plain.stderr().is_empty(), "{}", plain.stderr());
    let line = timed.stderr();
    let steps: Vec<(&str, f64)> = line
        .trim_end()
        .strip_prefix("timings: ")
        .unwrap_or_else(|| panic!("no timings line on stderr: {line}"))
        .split(", ")
        .map(|step| {
            let (name, secs) = step.split_once(' ').unwrap();
            let secs: f64 = secs.strip_suffix(" s").unwrap().parse().unwrap();
            (name, secs)
        })
        .collect();
    let names: Vec<&str> = steps.iter().map(|s| s.0).collect();
    assert_eq!(names, ["read", "parse", "count", "write", "total"]);
    let sum: f64 = steps[..4].iter().map(|s| s.1).sum();
    assert!((sum - steps[4].1).abs() < 0.005, "{line}");
    assert!(steps.iter().all(|s| s.1 >= 0.0 && s.1 < 60.0), "{line}");
}
