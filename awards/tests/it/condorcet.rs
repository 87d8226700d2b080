//! Schulze and ranked pairs against the vectors of `shared/data/voting/condorcet` (see its
//! SOURCES.md): Schulze's paper examples, the Debian 2006/2007/2020 official tallies, the
//! ranked-pairs examples, Tideman's A77, Tennessee and Burlington 2009; then properties.

use std::collections::HashMap;

use proptest::prelude::*;
use vigie_awards::ballot::{Ballot, CandidateId, Profile};
use vigie_awards::method::pairwise::{self, Strength, Unranked};
use vigie_awards::method::ranked_pairs::{self, RankedPairsOptions};
use vigie_awards::method::schulze::{self, SchulzeOptions};
use vigie_awards::tie::TieBreak;
use vigie_awards::transcript::Transcript;
use vigie_awards::{abif, blt};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/voting");

fn read(rel: &str) -> Vec<u8> {
    let path = format!("{DATA}/{rel}");
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("test vector {path} is missing ({e}); the repo must sit beside shared/"))
}

fn read_text(rel: &str) -> String {
    String::from_utf8(read(rel)).expect("UTF-8 test vector")
}

// ---------------------------------------------------------------------------------------------
// The example files: "[key …] candidates: A B C expect: …" then "A>B=C*8" lines.

struct Example {
    key: String,
    expect: String,
    profile: Profile,
}

fn examples(rel: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    for line in read_text(rel).lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut rest = line;
        if let Some(header) = line.strip_prefix('[') {
            let close = header.find(']').expect("closing ] in header");
            let label = &header[..close];
            let key = label
                .split(" = ")
                .next()
                .unwrap()
                .split(" (")
                .next()
                .unwrap()
                .trim();
            out.push(Example {
                key: key.into(),
                expect: String::new(),
                profile: Profile::new(label, vec![], 1),
            });
            rest = &header[close + 1..];
        }
        let ex = out.last_mut().expect("a section before any ballot");
        if rest.contains(':') {
            let (before, expect) = match rest.find("expect:") {
                Some(i) => (&rest[..i], Some(rest[i + 7..].trim())),
                None => (rest, None),
            };
            if let Some(i) = before.find("candidates:") {
                ex.profile.candidates = before[i + 11..].split_whitespace().map(String::from).collect();
            }
            if let Some(e) = expect {
                ex.expect = e.to_string();
            }
        } else if !rest.is_empty() {
            let (ranking, weight) = rest.split_once('*').unwrap_or((rest, "1"));
            let id = |n: &str| {
                ex.profile
                    .candidate(n)
                    .unwrap_or_else(|| panic!("{}: unknown {n}", ex.key))
            };
            let ranks = ranking
                .split('>')
                .map(|r| r.split('=').map(id).collect())
                .collect();
            ex.profile.ballots.push(Ballot {
                weight: weight.parse().unwrap(),
                ranks,
            });
        }
    }
    out
}

fn example<'a>(all: &'a [Example], key: &str) -> &'a Example {
    all.iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("no example {key}"))
}

fn names(p: &Profile, tiers: &[Vec<CandidateId>]) -> String {
    // Within a tier (a tie) names are listed alphabetically.
    let tiers: Vec<String> = tiers
        .iter()
        .map(|t| {
            let mut tier: Vec<&str> = t.iter().map(|&c| p.candidates[c].as_str()).collect();
            tier.sort_unstable();
            tier.join(" = ")
        })
        .collect();
    tiers.join(" > ")
}

fn schulze_order(p: &Profile, strength: Strength) -> String {
    names(p, &schulze::ranking(p, SchulzeOptions { strength }).unwrap())
}

fn rp_order(p: &Profile, strength: Strength) -> String {
    rp_order_with(p, strength, &candidate_order(p))
}

fn rp_order_with(p: &Profile, strength: Strength, tie: &TieBreak) -> String {
    names(
        p,
        &ranked_pairs::ranking(p, RankedPairsOptions { strength }, tie).unwrap(),
    )
}

/// The reverse of candidate order: the first candidate listed wins every tie.
fn first_listed_wins(p: &Profile) -> TieBreak {
    TieBreak::from_order((0..p.candidates.len()).rev().collect())
}

fn candidate_order(p: &Profile) -> TieBreak {
    TieBreak::candidate_order(p.candidates.len())
}

fn winner_name(t: &Transcript) -> String {
    t.winner_names().join(",")
}

fn schulze_count(p: &Profile, strength: Strength, tie: &TieBreak) -> Transcript {
    schulze::count(p, SchulzeOptions { strength }, tie).unwrap()
}

fn rp_count(p: &Profile, strength: Strength, tie: &TieBreak) -> Transcript {
    ranked_pairs::count(p, RankedPairsOptions { strength }, tie).unwrap()
}

/// A matrix round of a transcript, rows separated by " | ", cells by one space.
fn rows(t: &Transcript, round: usize) -> String {
    let rows: Vec<String> = t.rounds[round]
        .totals
        .iter()
        .map(|(_, s)| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    rows.join(" | ")
}

#[test]
fn schulze_paper_examples() {
    let all = examples("condorcet/examples/schulze-paper-examples.txt");
    assert_eq!(all.len(), 12);
    // (key, winners by strongest path, text the file's "expect:" must contain)
    let cases = [
        ("ex1", "D", "D"),
        ("ex2", "C", "C"),
        ("ex3", "E", "E>A>C>B>D"),
        ("ex4", "B = D", "tie B,D"),
        ("ex5", "D", "D"),
        ("ex6", "A = C", "tie A,C"),
        ("ex8 situation 1", "A", "A"),
        ("ex8 situation 2", "B", "B"),
        ("ex10", "D", "winning votes->D"),
        ("ex11", "B", "B"),
        ("ex12", "E", "E"),
        ("ex13", "A = B", "tie A,B"),
    ];
    for (key, winners, expect) in cases {
        let ex = example(&all, key);
        assert!(ex.expect.contains(expect), "{key}: file says {:?}", ex.expect);
        let tiers = schulze::ranking(&ex.profile, SchulzeOptions::default()).unwrap();
        assert_eq!(names(&ex.profile, &tiers[..1]), winners, "{key}");
        let t = schulze_count(&ex.profile, Strength::WinningVotes, &candidate_order(&ex.profile));
        assert!(
            winners.split(" = ").any(|w| w == winner_name(&t)),
            "{key}: {}",
            t.to_text()
        );
        // A tie for first is decided by the declared order, and logged.
        assert_eq!(t.rounds[2].ties.is_empty(), !winners.contains('='), "{key}");
    }
    let order = |key| schulze_order(&example(&all, key).profile, Strength::WinningVotes);
    assert_eq!(order("ex3"), "E > A > C > B > D");
    assert_eq!(order("ex4"), "B = D > A = C");
    // ex10: the three link strengths of the paper give three different winners.
    let ex10 = &example(&all, "ex10").profile;
    let first = |s| schulze::ranking(ex10, SchulzeOptions { strength: s }).unwrap()[0].clone();
    assert_eq!(first(Strength::Margins), vec![0], "margins → A");
    assert_eq!(first(Strength::Ratio), vec![1], "ratio → B");
    assert_eq!(first(Strength::WinningVotes), vec![3], "winning votes → D");
}

#[test]
fn schulze_transcript_of_the_wikipedia_example() {
    let all = examples("condorcet/examples/schulze-paper-examples.txt");
    let p = &example(&all, "ex3").profile;
    let t = schulze_count(p, Strength::WinningVotes, &candidate_order(p));
    assert_eq!(t.method, "schulze");
    assert_eq!(t.winner_names(), vec!["E"]);
    // d and p as published on Wikipedia ("Schulze method", 45 voters).
    let d = "- 20 26 30 22 | 25 - 16 33 18 | 19 29 - 17 24 | 15 12 28 - 14 | 23 27 21 31 -";
    let p = "- 28 28 30 24 | 25 - 28 33 24 | 25 29 - 29 24 | 25 28 28 - 24 | 25 28 28 31 -";
    assert_eq!((rows(&t, 0).as_str(), rows(&t, 1).as_str()), (d, p));
    assert_eq!(t.rounds[2].action, "Schulze ranking: E > A > C > B > D");
    assert_eq!(t.rounds[2].elected, vec![4]);
    assert!(t.to_text().contains("Winners: E"));
}

// ---------------------------------------------------------------------------------------------
// Debian tally sheets: "Option N--->: Name" header lines and "V: <rank per option>" votes.

fn debian(rel: &str) -> Profile {
    // The 2007 sheet is ISO-8859-1 ("Raphaël").
    let text: String = read(rel).iter().map(|&b| char::from(b)).collect();
    let mut options: Vec<(usize, String)> = Vec::new();
    let mut ballots = Vec::new();
    for line in text.lines() {
        if let Some(vote) = line.strip_prefix("V:") {
            let vote = vote.split_whitespace().next().expect("a vote string");
            let mut ranked: Vec<(u32, CandidateId)> = vote
                .chars()
                .enumerate()
                .filter_map(|(i, ch)| ch.to_digit(36).map(|r| (r, i)))
                .collect();
            ranked.sort_unstable();
            let mut ranks: Vec<Vec<CandidateId>> = Vec::new();
            for (i, &(r, c)) in ranked.iter().enumerate() {
                if i > 0 && ranked[i - 1].0 == r {
                    ranks.last_mut().unwrap().push(c);
                } else {
                    ranks.push(vec![c]);
                }
            }
            ballots.push(Ballot { weight: 1, ranks });
        } else if let Some(at) = line.find("Option ") {
            let rest = &line[at + 7..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let name = rest.split_once(">: ").expect("option name").1.trim();
            options.push((digits.parse().unwrap(), name.to_string()));
        }
    }
    options.sort();
    assert!(
        options.iter().enumerate().all(|(i, (n, _))| *n == i + 1),
        "options numbered 1..n in {rel}"
    );
    let mut p = Profile::new(rel, options.into_iter().map(|(_, n)| n).collect(), 1);
    p.ballots = ballots.into();
    p
}

#[test]
fn debian_2006_needs_unranked_candidates_ranked_last() {
    let p = debian("condorcet/debian/leader2006_tally.txt");
    assert_eq!(p.total_weight(), 421);
    assert_eq!(p.candidates.len(), 8);
    let official = "Anthony Towns > Steve McIntyre > Andreas Schuldei = Jeroen van Wolffelaar > Bill Allombert > None of the Above > Ari Pollak > Jonathan aka Ted Walther";
    assert_eq!(schulze_order(&p, Strength::Margins), official);
    assert_eq!(schulze_order(&p, Strength::WinningVotes), official);
    assert_eq!(rp_order(&p, Strength::WinningVotes), official);
    assert_eq!(rp_order(&p, Strength::Margins), official);
    let m = pairwise::matrix(&p).unwrap();
    let (jeroen, andreas) = (
        p.candidate("Jeroen van Wolffelaar").unwrap(),
        p.candidate("Andreas Schuldei").unwrap(),
    );
    assert_eq!(
        (m.get(jeroen, andreas), m.get(andreas, jeroen)),
        (166, 166),
        "the exact tie behind '='"
    );
    let tie = candidate_order(&p);
    let t = schulze_count(&p, Strength::WinningVotes, &tie);
    assert_eq!(winner_name(&t), "Anthony Towns", "official winner, winning votes");
    assert_eq!(
        winner_name(&rp_count(&p, Strength::WinningVotes, &tie)),
        "Anthony Towns"
    );
    // Counting unranked candidates as no preference elects Steve McIntyre: not the official result.
    let explicit = pairwise::matrix_with(&p, Unranked::NoPreference).unwrap();
    let paths = schulze::strongest_paths(&explicit, Strength::Margins);
    assert_eq!(
        names(&p, &paths.ranking()),
        "Steve McIntyre > Anthony Towns > Jeroen van Wolffelaar > Andreas Schuldei > Bill Allombert > None of the Above > Ari Pollak > Jonathan aka Ted Walther"
    );
}

#[test]
fn debian_2007() {
    let p = debian("condorcet/debian/leader2007_tally.txt");
    assert_eq!(p.total_weight(), 482);
    let official = "Sam Hocevar > Steve McIntyre > Raphaël Hertzog > Wouter Verhelst > Anthony Towns > Gustavo Franco > None Of The Above > Simon Richter > Aigars Mahinovs";
    assert_eq!(schulze_order(&p, Strength::Margins), official);
    assert_eq!(schulze_order(&p, Strength::WinningVotes), official);
    assert_eq!(
        winner_name(&rp_count(&p, Strength::WinningVotes, &candidate_order(&p))),
        "Sam Hocevar"
    );
}

#[test]
fn debian_2020_and_its_published_path_strengths() {
    let p = debian("condorcet/debian/leader2020_tally.txt");
    assert_eq!(p.total_weight(), 339);
    let official = "Jonathan Carter > Sruthi Chandran > Brian Gupta > None Of The Above";
    for s in [Strength::WinningVotes, Strength::Margins] {
        assert_eq!(schulze_order(&p, s), official);
        assert_eq!(rp_order(&p, s), official);
    }
    // Condorcet PHP's snapshot of the Schulze-margin strongest paths for this tally.
    let t = schulze_count(&p, Strength::Margins, &candidate_order(&p));
    assert_eq!(rows(&t, 1), "- 201 241 267 | 0 - 49 168 | 0 0 - 69 | 0 0 0 -");
    assert_eq!(
        pairwise::condorcet_winner(&p).unwrap(),
        p.candidate("Jonathan Carter")
    );
}

// ---------------------------------------------------------------------------------------------

#[test]
fn ranked_pairs_examples() {
    let all = examples("condorcet/examples/ranked-pairs-examples.txt");
    assert_eq!(all.len(), 10);
    let both = [
        ("rp1", "A > C > E > B > D"),
        ("rp2", "Nashville > Chattanooga > Knoxville > Memphis"),
        ("rp3", "Brad > Abby > Erin > Dave > Cora"),
        ("rp5", "A > B > C"),
        ("rp6", "A > B > C"),
        ("rp7", "A = B > C"),
        ("rp10", "v > w > x > y > z"),
    ];
    for (key, order) in both {
        let ex = example(&all, key);
        assert_eq!(
            ex.expect.replace(' ', ""),
            order.replace(' ', ""),
            "{key}: file expectation"
        );
        for tie in [candidate_order(&ex.profile), first_listed_wins(&ex.profile)] {
            for s in [Strength::WinningVotes, Strength::Margins] {
                assert_eq!(rp_order_with(&ex.profile, s, &tie), order, "{key} {s:?}");
            }
        }
    }
    // rp8 has two pairs of equal strength (A > C and C > B, both 54 to 46) that conflict: the
    // published B > A > D > C takes A > C first, as a tie-breaking order ranking A above C does.
    // The opposite order locks C > B first and elects C: the tie-break is what decides.
    let rp8 = &example(&all, "rp8").profile;
    assert_eq!(rp8.candidates, ["A", "B", "C", "D"]);
    assert!(example(&all, "rp8").expect.contains("B > A > D > C"));
    for s in [Strength::WinningVotes, Strength::Margins] {
        assert_eq!(rp_order_with(rp8, s, &first_listed_wins(rp8)), "B > A > D > C");
        assert_eq!(rp_order_with(rp8, s, &candidate_order(rp8)), "C > B > A > D");
    }
    let t = rp_count(rp8, Strength::WinningVotes, &first_listed_wins(rp8));
    assert_eq!(t.rounds[3].action, "Locked A > C (54 to 46)");
    assert_eq!(
        t.rounds[3].ties[0].how,
        "tie-breaking order (equal-strength pairs taken as A > C, C > B)"
    );
    assert_eq!(
        t.rounds[4].action,
        "Skipped C > B (54 to 46): it would close a cycle with B > A > C, already locked"
    );
    // Same ballots, different methods: Wikipedia's Schulze example and LeGrand's.
    let schulze = |key| schulze_order(&example(&all, key).profile, Strength::WinningVotes);
    assert_eq!(schulze("rp1"), "E > A > C > B > D");
    assert_eq!(schulze("rp3"), "Abby > Brad > Erin > Dave > Cora");
    // rp4: A wins only if unranked candidates are not ranked last.
    let rp4 = &example(&all, "rp4").profile;
    assert_eq!(rp_order(rp4, Strength::WinningVotes), "B > C > A");
    let explicit = pairwise::matrix_with(rp4, Unranked::NoPreference).unwrap();
    let lock = ranked_pairs::lock(&explicit, Strength::WinningVotes, &candidate_order(rp4));
    assert_eq!(names(rp4, &lock.ranking), "A > B > C");
    // rp11: winning votes and margins disagree (B>C 14:6, A>B 11:9, C>A 9:5).
    let rp11 = &example(&all, "rp11").profile;
    assert_eq!(rp_order(rp11, Strength::WinningVotes), "A > B > C");
    assert_eq!(rp_order(rp11, Strength::Margins), "B > C > A");
}

#[test]
fn ranked_pairs_transcript_locks_and_skips() {
    let all = examples("condorcet/examples/ranked-pairs-examples.txt");
    let p = &example(&all, "rp1").profile;
    let t = rp_count(p, Strength::WinningVotes, &candidate_order(p));
    assert_eq!(t.method, "ranked-pairs");
    assert_eq!(t.winner_names(), vec!["A"]);
    // The order and fate of each majority, as in Condorcet PHP's snapshot for these ballots.
    let actions: Vec<&str> = t.rounds[1..11].iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "Locked B > D (33 to 12)",
            "Locked E > D (31 to 14)",
            "Locked A > D (30 to 15)",
            "Locked C > B (29 to 16)",
            "Skipped D > C (28 to 17): it would close a cycle with C > B > D, already locked",
            "Locked E > B (27 to 18)",
            "Locked A > C (26 to 19)",
            "Skipped B > A (25 to 20): it would close a cycle with A > C > B, already locked",
            "Locked C > E (24 to 21)",
            "Skipped E > A (23 to 22): it would close a cycle with A > C > E, already locked",
        ]
    );
    assert_eq!(t.rounds[11].action, "Ranked pairs ranking: A > C > E > B > D");
}

#[test]
fn tennessee_under_both_methods() {
    let blt = blt::parse(&read_text("irv/tennessee.blt")).expect("tennessee.blt parses");
    let abif = abif::parse(&read_text("irv/abiftool/tennessee-example-simple.abif"))
        .expect("ABIF parses")
        .profile();
    for p in [&blt, &abif] {
        let tie = candidate_order(p);
        let (s, r) = (
            schulze_count(p, Strength::WinningVotes, &tie),
            rp_count(p, Strength::WinningVotes, &tie),
        );
        assert!(s.winner_names()[0].starts_with("Nash"), "{}", s.to_text());
        assert!(r.winner_names()[0].starts_with("Nash"), "{}", r.to_text());
        assert_eq!(pairwise::condorcet_winner(p).unwrap(), s.winners.first().copied());
    }
    assert_eq!(
        schulze_order(&blt, Strength::WinningVotes),
        "Nashville > Chattanooga > Knoxville > Memphis"
    );
}

#[test]
fn burlington_2009_elects_the_condorcet_winner() {
    let p = abif::parse(&read_text("irv/abiftool/burl2009.abif"))
        .expect("burl2009 parses")
        .profile();
    assert_eq!(p.total_weight(), 8980);
    let montroll = (0..p.candidates.len())
        .find(|&c| p.candidates[c].contains("Montroll"))
        .unwrap();
    assert_eq!(pairwise::condorcet_winner(&p).unwrap(), Some(montroll));
    let tie = candidate_order(&p);
    for strength in [Strength::WinningVotes, Strength::Margins] {
        let (s, r) = (schulze_count(&p, strength, &tie), rp_count(&p, strength, &tie));
        assert_eq!((s.winners[0], r.winners[0]), (montroll, montroll));
    }
}

/// David Hill's format: "n seats", "weight c1 c2 … 0" lines, "0", quoted names, title.
fn hill(rel: &str) -> Profile {
    let text = read_text(rel);
    let mut lines = text.lines();
    let n: usize = lines
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut ballots = Vec::new();
    for line in lines.by_ref() {
        let nums: Vec<usize> = line.split_whitespace().map(|t| t.parse().unwrap()).collect();
        if nums == [0] {
            break;
        }
        let prefs: Vec<CandidateId> = nums[1..nums.len() - 1].iter().map(|&c| c - 1).collect();
        ballots.push(Ballot::ranking(nums[0] as u64, &prefs));
    }
    let names: Vec<String> = lines
        .next()
        .unwrap()
        .split('"')
        .filter(|s| !s.trim().is_empty())
        .map(String::from)
        .collect();
    let mut p = Profile::new(rel, names[..n].to_vec(), 1);
    p.ballots = ballots.into();
    p
}

#[test]
fn tideman_a77() {
    let p = hill("condorcet/examples/tideman-A77.HIL");
    assert_eq!(p.total_weight(), 213);
    // The vote list Condorcet PHP gives for this file (unranked candidates tied last).
    let mut groups: HashMap<String, u64> = HashMap::new();
    for b in &p.ballots {
        let ranked: Vec<CandidateId> = b.candidates().collect();
        let mut text: Vec<String> = ranked.iter().map(|&c| p.candidates[c].clone()).collect();
        let rest: Vec<&str> = (0..3)
            .filter(|c| !ranked.contains(c))
            .map(|c| p.candidates[c].as_str())
            .collect();
        if !rest.is_empty() {
            text.push(rest.join(" = "));
        }
        *groups.entry(text.join(" > ")).or_default() += b.weight;
    }
    let mut listed: Vec<(u64, String)> = groups.into_iter().map(|(k, v)| (v, k)).collect();
    listed.sort_unstable_by(|a, b| b.cmp(a));
    let listed: Vec<String> = listed.iter().map(|(v, k)| format!("{k} * {v}")).collect();
    assert_eq!(
        listed.join(", "),
        "3 > 1 = 2 * 39, 1 > 3 > 2 * 38, 3 > 1 > 2 * 36, 3 > 2 > 1 * 29, 1 > 2 > 3 * 28, \
         2 > 1 > 3 * 15, 1 > 2 = 3 * 14, 2 > 3 > 1 * 9, 2 > 1 = 3 * 5"
    );
    // From that list: 3 beats 1 by 113 to 95 and 2 by 142 to 57, so both methods elect 3.
    let m = pairwise::matrix(&p).unwrap();
    assert_eq!(
        (m.get(2, 0), m.get(0, 2), m.get(2, 1), m.get(1, 2)),
        (113, 95, 142, 57)
    );
    let tie = candidate_order(&p);
    assert_eq!(winner_name(&schulze_count(&p, Strength::WinningVotes, &tie)), "3");
    assert_eq!(winner_name(&rp_count(&p, Strength::WinningVotes, &tie)), "3");
}

// ---------------------------------------------------------------------------------------------
// Properties on random small profiles (ties, truncation, equal ranks, weights).

fn ballot(n: usize) -> impl Strategy<Value = Ballot> {
    (
        1u64..4,
        Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        0..=n,
        prop::collection::vec(any::<bool>(), n),
    )
        .prop_map(|(weight, perm, len, joins)| {
            let mut ranks: Vec<Vec<CandidateId>> = Vec::new();
            for (i, &c) in perm[..len].iter().enumerate() {
                match ranks.last_mut() {
                    Some(last) if joins[i] => last.push(c),
                    _ => ranks.push(vec![c]),
                }
            }
            Ballot { weight, ranks }
        })
}

fn profiles() -> impl Strategy<Value = (Profile, Vec<Ballot>)> {
    (2usize..7)
        .prop_flat_map(|n| (Just(n), prop::collection::vec(ballot(n), 1..30)))
        .prop_flat_map(|(n, ballots)| {
            let mut p = Profile::new("prop", (0..n).map(|i| format!("C{i}")).collect(), 1);
            p.ballots = ballots.clone().into();
            (Just(p), Just(ballots).prop_shuffle())
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn both_methods_elect_the_condorcet_winner((p, _) in profiles(), flip in any::<bool>()) {
        let tie = if flip { TieBreak::candidate_order(p.candidates.len()) } else {
            TieBreak::from_order((0..p.candidates.len()).rev().collect())
        };
        if let Some(w) = pairwise::condorcet_winner(&p).unwrap() {
            for strength in [Strength::WinningVotes, Strength::Margins, Strength::Ratio] {
                let s = schulze::count(&p, SchulzeOptions { strength }, &tie).unwrap();
                let r = ranked_pairs::count(&p, RankedPairsOptions { strength }, &tie).unwrap();
                prop_assert_eq!(s.winners[0], w);
                prop_assert_eq!(r.winners[0], w);
                prop_assert!(s.rounds[2].ties.is_empty());
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_ballot_order((p, shuffled) in profiles()) {
        let mut q = p.clone();
        q.ballots = shuffled.into();
        let tie = TieBreak::candidate_order(p.candidates.len());
        prop_assert_eq!(pairwise::matrix(&p).unwrap(), pairwise::matrix(&q).unwrap());
        for strength in [Strength::WinningVotes, Strength::Margins] {
            prop_assert_eq!(
                schulze::count(&p, SchulzeOptions { strength }, &tie).unwrap(),
                schulze::count(&q, SchulzeOptions { strength }, &tie).unwrap()
            );
            prop_assert_eq!(
                ranked_pairs::count(&p, RankedPairsOptions { strength }, &tie).unwrap(),
                ranked_pairs::count(&q, RankedPairsOptions { strength }, &tie).unwrap()
            );
        }
    }

    #[test]
    fn the_schulze_winner_is_unbeaten_and_the_matrix_is_bounded((p, _) in profiles()) {
        let m = pairwise::matrix(&p).unwrap();
        let total = p.total_weight();
        let paths = schulze::strongest_paths(&m, Strength::WinningVotes);
        let winners = paths.winners();
        prop_assert!(!winners.is_empty());
        for &x in m.standing() {
            for &y in m.standing() {
                if x != y {
                    prop_assert!(m.get(x, y) + m.get(y, x) <= total);
                    if winners.contains(&x) {
                        prop_assert!(!paths.beats(y, x));
                    }
                }
            }
        }
    }
}
