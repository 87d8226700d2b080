//! Instant-runoff against the vectors of `shared/data/voting/irv` (see its SOURCES.md):
//! Burlington 2009, San Francisco 2018, Minneapolis 2013 and 2017 (RCTab configs and expected
//! reports, compared round by round), Tennessee, the abiftool tie and overvote cases and
//! RCTab's seeded tie-break test; then properties.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::Value;
use vigie_awards::abif;
use vigie_awards::ballot::{Ballot, CandidateId, Profile};
use vigie_awards::blt;
use vigie_awards::method::irv::{self, DuplicateRule, IrvOptions, OvervoteRule};
use vigie_awards::tie::TieBreak;
use vigie_awards::transcript::Transcript;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/voting");

pub(crate) fn read_text(rel: &str) -> String {
    let path = format!("{DATA}/{rel}");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test vector {path} is missing ({e}); the repo must sit beside shared/"))
}

fn abif_profile(rel: &str) -> Profile {
    abif::parse(&read_text(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e:?}"))
        .profile()
}

fn by_name(t: &Transcript, name: &str) -> CandidateId {
    t.candidates
        .iter()
        .position(|c| c == name || c.contains(name) || name.starts_with(c.as_str()))
        .unwrap_or_else(|| panic!("no candidate {name} in {:?}", t.candidates))
}

fn total(t: &Transcript, round: usize, name: &str) -> String {
    t.total(round, by_name(t, name)).unwrap_or("-").to_string()
}

fn threshold(t: &Transcript, round: usize) -> String {
    let action = &t.rounds[round - 1].action;
    action
        .split_whitespace()
        .nth(1)
        .expect("\"Threshold N …\"")
        .to_string()
}

fn order(p: &Profile) -> TieBreak {
    TieBreak::candidate_order(p.candidates.len())
}

// ---------------------------------------------------------------------------------------------
// abiftool vectors

#[test]
fn burlington_2009_reproduces_the_official_4313_to_4061() {
    let p = abif_profile("irv/abiftool/burl2009.abif");
    assert_eq!(p.total_weight(), 8980);
    let o = IrvOptions {
        overvote: OvervoteRule::ExhaustIfMultipleContinuing,
        ..IrvOptions::default()
    };
    let t = irv::count(&p, &o, &order(&p)).unwrap();
    let first: Vec<String> = ["Wright", "Kiss", "Montroll", "Smith", "Write-in", "Simpson"]
        .map(|c| total(&t, 1, c))
        .into();
    assert_eq!(first, ["2951", "2585", "2063", "1306", "36", "35"]);
    let last = t.rounds.len();
    assert_eq!(
        (total(&t, last, "Kiss"), total(&t, last, "Wright")),
        ("4313".into(), "4061".into())
    );
    assert_eq!(t.winner_names().len(), 1);
    assert!(t.winner_names()[0].contains("Kiss"));
    // Montroll, the Condorcet winner, is excluded in the last-but-one round.
    assert_eq!(t.rounds[last - 2].excluded, vec![by_name(&t, "Montroll")]);
}

#[test]
fn san_francisco_2018_elects_london_breed() {
    let p = abif_profile("irv/abiftool/sf2018special-results.abif");
    assert_eq!(p.total_weight(), 254_016);
    let t = irv::count(&p, &IrvOptions::default(), &order(&p)).unwrap();
    assert_eq!(t.winner_names(), ["LONDON BREED"]);
    let last = t.rounds.len();
    // SOURCES.md's own count of this (flattened) file: 24,344 ballots not counted in the
    // last round, of which 2,618 had no mark at all and 21,726 were exhausted.
    assert_eq!(total(&t, last, "LONDON BREED"), "116020");
    assert_eq!(total(&t, last, "MARK LENO"), "113652");
    assert_eq!(t.rounds[last - 1].exhausted.as_deref(), Some("21726"));
    assert!(
        t.notes.iter().any(|n| n.starts_with("2618 blank ballots")),
        "{:?}",
        t.notes
    );
}

#[test]
fn tennessee_elects_knoxville_from_abif_and_blt() {
    let from_abif = abif_profile("irv/abiftool/tennessee-example-simple.abif");
    let from_blt = blt::parse(&read_text("irv/tennessee.blt")).unwrap();
    for p in [from_abif, from_blt] {
        let t = irv::count(&p, &IrvOptions::default(), &order(&p)).unwrap();
        let rounds: Vec<Vec<String>> = t
            .rounds
            .iter()
            .map(|r| r.totals.iter().map(|(_, v)| v.clone()).collect())
            .collect();
        assert_eq!(
            rounds,
            [
                vec!["42", "26", "15", "17"],
                vec!["42", "26", "32"],
                vec!["42", "58"]
            ]
        );
        assert!(
            "Knoxville".starts_with(&t.winner_names()[0]),
            "{:?}",
            t.winner_names()
        );
    }
}

#[test]
fn tennessee_tie_is_broken_backwards_for_memphis() {
    // abiftool reports "The IRV winners are Knox and Memph": 42–42 in the last round. Our
    // declared rule looks back: Memphis had 42 to Knoxville's 22 in round 2.
    let p = abif_profile("irv/abiftool/tennessee-example-irv-tie.abif");
    let t = irv::count(&p, &IrvOptions::default(), &order(&p)).unwrap();
    let last = t.rounds.last().unwrap();
    assert_eq!(
        last.totals.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
        ["42", "42"]
    );
    assert_eq!(t.winner_names(), ["Memphis, TN"]);
    assert_eq!(last.ties.len(), 1);
    assert_eq!(last.ties[0].how, "backwards (round 2)");
}

#[test]
fn tennessee_overvotes_follow_the_rule() {
    let p = abif_profile("irv/abiftool/tennessee-example-overvote-02.abif");
    for overvote in [OvervoteRule::Exhaust, OvervoteRule::ExhaustIfMultipleContinuing] {
        let o = IrvOptions {
            overvote,
            ..IrvOptions::default()
        };
        let t = irv::count(&p, &o, &order(&p)).unwrap();
        // 17 overvoted at rank 1 are exhausted: 83 counted, Memphis wins round 1 with 42/83.
        assert_eq!(t.rounds.len(), 1);
        assert_eq!(t.rounds[0].exhausted.as_deref(), Some("17"));
        assert_eq!(threshold(&t, 1), "42");
        assert_eq!(total(&t, 1, "Memphis"), "42");
        assert_eq!(t.winner_names(), ["Memph"]);
    }
    // Skipping the overvoted rank sends those 17 ballots to Memphis.
    let o = IrvOptions {
        overvote: OvervoteRule::Skip,
        ..IrvOptions::default()
    };
    let t = irv::count(&p, &o, &order(&p)).unwrap();
    assert_eq!(total(&t, 1, "Memphis"), "59");
}

// ---------------------------------------------------------------------------------------------
// RCTab: the aggregated CVR (count,rank1,rank2,rank3) and the rules of the config.

pub(crate) struct Rctab {
    pub profile: Profile,
    pub options: IrvOptions,
    pub report: Value,
}

pub(crate) const UWI: &str = "Undeclared Write-ins";

/// Reads an RCTab test folder. `undervote` is a skipped rank, `UWI` the undeclared write-in
/// pseudo-candidate, and `overvote` (whose names the CVR does not give) a rank naming every
/// declared candidate, which exhausts or is skipped exactly as RCTab's explicit overvote label.
pub(crate) fn rctab(dir: &str) -> Rctab {
    let config: Value =
        serde_json::from_str(&read_text(&format!("irv/rctab/{dir}/{dir}_config.json"))).unwrap();
    let report: Value = serde_json::from_str(&read_text(&format!(
        "irv/rctab/{dir}/{dir}_expected_detailed_report.json"
    )))
    .unwrap();
    let mut names: Vec<String> = config["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    let declared = names.len();
    names.push(UWI.into());
    let rules = &config["rules"];
    let seats: usize = rules["numberOfWinners"].as_str().unwrap().parse().unwrap();
    let mut profile = Profile::new(dir, names, seats);
    let csv = read_text(&format!("irv/rctab/{dir}/cvr_aggregated.csv"));
    let mut uwi_used = false;
    for line in csv.lines().skip(1) {
        let mut fields = csv_fields(line).into_iter();
        let weight: u64 = fields.next().unwrap().parse().unwrap();
        let ranks = fields
            .map(|f| match f.as_str() {
                "undervote" => vec![],
                "overvote" => (0..declared).collect(),
                "UWI" => {
                    uwi_used = true;
                    vec![declared]
                }
                name => vec![profile.candidate(name).unwrap_or_else(|| panic!("{name}"))],
            })
            .collect();
        profile.ballots.push(Ballot { weight, ranks });
    }
    let overvote = match rules["overvoteRule"].as_str().unwrap() {
        "exhaustImmediately" => OvervoteRule::Exhaust,
        "alwaysSkipToNextRank" => OvervoteRule::Skip,
        other => panic!("overvote rule {other}"),
    };
    let options = IrvOptions {
        overvote,
        max_skipped_ranks: Some(rules["maxSkippedRanksAllowed"].as_str().unwrap().parse().unwrap()),
        duplicate: if rules["exhaustOnDuplicateCandidate"].as_bool().unwrap() {
            DuplicateRule::Exhaust
        } else {
            DuplicateRule::Skip
        },
        batch_elimination: rules["batchElimination"].as_bool().unwrap(),
        write_ins: if uwi_used { vec![declared] } else { vec![] },
        ..IrvOptions::default()
    };
    if !uwi_used {
        profile.withdrawn.push(declared);
    }
    Rctab {
        profile,
        options,
        report,
    }
}

/// The fields of one CSV line (names with commas are quoted).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(ch),
        }
    }
    fields
}

fn json_str(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Compares every round: each continuing candidate's total, the threshold, the inactive
/// ballots (in total and the overvoted and skipped-rank ones), and who was elected or excluded.
fn compare_with_rctab(dir: &str) -> Transcript {
    let r = rctab(dir);
    let t = irv::count(&r.profile, &r.options, &order(&r.profile)).unwrap();
    let rounds = r.report["results"].as_array().unwrap();
    assert_eq!(t.rounds.len(), rounds.len(), "{dir}: number of rounds");
    for (mine, theirs) in t.rounds.iter().zip(rounds) {
        let n = mine.number;
        let expected: BTreeMap<String, String> = theirs["tally"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), json_str(v)))
            .collect();
        let got: BTreeMap<String, String> =
            mine.totals.iter().map(|(c, v)| (t.name(*c), v.clone())).collect();
        assert_eq!(got, expected, "{dir}: round {n} totals");
        assert_eq!(
            threshold(&t, n),
            json_str(&theirs["threshold"]),
            "{dir}: round {n} threshold"
        );
        let inactive = &theirs["inactiveBallots"];
        let sum: u64 = [
            "exhaustedChoices",
            "overvotes",
            "repeatedRankings",
            "skippedRankings",
        ]
        .iter()
        .map(|k| json_str(&inactive[*k]).parse::<u64>().unwrap())
        .sum();
        assert_eq!(
            mine.exhausted.as_deref(),
            Some(sum.to_string().as_str()),
            "{dir}: round {n}"
        );
        for (key, words) in [("overvotes", "overvote"), ("skippedRankings", "skipped ranks")] {
            let k = json_str(&inactive[key]);
            if k != "0" {
                let text = format!("{k} {words}");
                assert!(
                    mine.action.contains(&text),
                    "{dir} round {n}: {text} in {}",
                    mine.action
                );
            }
        }
        let mut elected = Vec::new();
        let mut excluded = Vec::new();
        for d in theirs["tallyResults"].as_array().unwrap() {
            if let Some(e) = d["elected"].as_str() {
                elected.push(e.to_string());
            }
            if let Some(e) = d["eliminated"].as_str() {
                excluded.push(e.to_string());
            }
        }
        let names = |cs: &[CandidateId]| {
            let mut v: Vec<String> = cs.iter().map(|&c| t.name(c)).collect();
            v.sort();
            v
        };
        excluded.sort();
        assert_eq!(
            (names(&mine.elected), names(&mine.excluded)),
            (elected, excluded),
            "{dir}: round {n}"
        );
    }
    t
}

#[test]
fn minneapolis_2013_mayor_matches_rctab_round_by_round() {
    let t = compare_with_rctab("2013_minneapolis_mayor");
    assert_eq!(t.rounds.len(), 33);
    assert_eq!(
        t.candidates.len(),
        36,
        "35 candidates and the undeclared write-ins"
    );
    assert_eq!(
        (total(&t, 1, "BETSY HODGES"), total(&t, 1, "MARK ANDREW")),
        ("28951".into(), "19621".into())
    );
    assert_eq!(
        (total(&t, 33, "BETSY HODGES"), total(&t, 33, "MARK ANDREW")),
        ("38852".into(), "24942".into())
    );
    assert_eq!(t.winner_names(), ["BETSY HODGES"]);
    assert!(
        t.notes.iter().any(|n| n.contains("639 blank ballots")),
        "{:?}",
        t.notes
    );
}

#[test]
fn minneapolis_2017_mayor_matches_rctab_round_by_round() {
    let t = compare_with_rctab("2017_minneapolis_mayor");
    assert_eq!(t.rounds.len(), 6);
    assert_eq!(
        (total(&t, 6, "Jacob Frey"), total(&t, 6, "Raymond Dehn")),
        ("46704".into(), "34970".into())
    );
    assert_eq!(t.winner_names(), ["Jacob Frey"]);
    // Round 2: a batch of 13 candidates, among them one with no vote at all.
    assert_eq!(t.rounds[1].excluded.len(), 13);
}

#[test]
fn rctab_seeded_tiebreak_as_far_as_it_can_be_reproduced() {
    // RCTab's `random` mode draws java.util.Random(seed).nextDouble() over the alphabetically
    // sorted tied candidates: that generator is not reproducible here, so the draws cannot be
    // recomputed from the seed "1". What can be checked: the three-way 3/3/3 tie in round 1
    // (threshold 5) and the 3/3 tie between the last two in round 2 (threshold 4), both
    // decided by lot because no earlier round differs, in two rounds. Given RCTab's draws as a
    // declared order (Yinka Dare loses first; then George Gervin beats Mookie Blaylock), the
    // result is RCTab's.
    let r = rctab("tiebreak_seed_test");
    let id = |n: &str| r.profile.candidate(n).unwrap();
    let draws = TieBreak::from_order(vec![id("Yinka Dare"), id("Mookie Blaylock"), id("George Gervin")]);
    let t = irv::count(&r.profile, &r.options, &draws).unwrap();
    assert_eq!(t.rounds.len(), 2);
    assert_eq!((threshold(&t, 1), threshold(&t, 2)), ("5".into(), "4".into()));
    assert_eq!(t.rounds[0].excluded, vec![id("Yinka Dare")]);
    assert_eq!(t.rounds[0].ties[0].how, "tie-break order");
    assert_eq!(t.rounds[1].ties[0].tied.len(), 2);
    assert_eq!(t.winner_names(), ["George Gervin"]);
    assert_eq!(t.rounds[1].exhausted.as_deref(), Some("3"));
    // Any other order still ends in two rounds with a lot drawn in each.
    let t = irv::count(&r.profile, &r.options, &order(&r.profile)).unwrap();
    assert_eq!(t.rounds.len(), 2);
    assert!(t.rounds.iter().all(|round| round.ties.len() == 1));
}

#[test]
fn batch_elimination_does_not_change_the_minneapolis_winner() {
    let mut r = rctab("2013_minneapolis_mayor");
    r.options.batch_elimination = false;
    let t = irv::count(&r.profile, &r.options, &order(&r.profile)).unwrap();
    assert_eq!(t.winner_names(), ["BETSY HODGES"]);
    assert!(t.rounds.len() > 33);
    let last = t.rounds.len();
    assert_eq!(total(&t, last, "BETSY HODGES"), "38852");
}

// ---------------------------------------------------------------------------------------------
// Properties

fn arb_ballot() -> impl Strategy<Value = Ballot> {
    (
        1u64..6,
        Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
        0usize..=5,
    )
        .prop_map(|(w, perm, len)| Ballot::ranking(w, &perm[..len]))
}

/// A five-candidate profile of strict (possibly truncated) rankings.
pub(crate) fn arb_profile(seats: usize) -> impl Strategy<Value = Profile> {
    proptest::collection::vec(arb_ballot(), 1..25).prop_map(move |ballots| {
        let mut p = Profile::new("prop", ["A", "B", "C", "D", "E"].map(String::from).into(), seats);
        p.ballots = ballots.into();
        p
    })
}

/// A profile and the same ballots in another order.
pub(crate) fn arb_profile_and_shuffle(seats: usize) -> impl Strategy<Value = (Profile, Profile)> {
    arb_profile(seats)
        .prop_flat_map(|p| {
            let ballots = p.ballots.to_vec();
            (Just(p), Just(ballots).prop_shuffle())
        })
        .prop_map(|(p, ballots)| {
            let mut q = p.clone();
            q.ballots = ballots.into();
            (p, q)
        })
}

proptest! {
    #[test]
    fn tallies_do_not_depend_on_ballot_order((p, shuffled) in arb_profile_and_shuffle(1)) {
        let tie = order(&p);
        for o in [IrvOptions::default(), IrvOptions { batch_elimination: true, ..IrvOptions::default() }] {
            prop_assert_eq!(irv::count(&p, &o, &tie), irv::count(&shuffled, &o, &tie));
        }
    }
}

fn arb_messy_ballot() -> impl Strategy<Value = Ballot> {
    let rank = proptest::collection::vec(0usize..5, 0..3);
    (0u64..4, proptest::collection::vec(rank, 0..6)).prop_map(|(weight, ranks)| Ballot { weight, ranks })
}

proptest! {
    #[test]
    fn any_ballots_and_rules_give_one_winner(
        ballots in proptest::collection::vec(arb_messy_ballot(), 0..20),
        overvote in prop_oneof![Just(OvervoteRule::Exhaust), Just(OvervoteRule::Skip),
            Just(OvervoteRule::ExhaustIfMultipleContinuing)],
        max_skipped_ranks in proptest::option::of(0usize..3),
        exhaust_duplicates in any::<bool>(),
        batch_elimination in any::<bool>(),
        write_in in any::<bool>(),
    ) {
        let mut p = Profile::new("messy", ["A", "B", "C", "D", "W"].map(String::from).into(), 1);
        p.ballots = ballots.into();
        let duplicate = if exhaust_duplicates { DuplicateRule::Exhaust } else { DuplicateRule::Skip };
        let write_ins = if write_in { vec![4] } else { vec![] };
        let o = IrvOptions { overvote, max_skipped_ranks, duplicate, batch_elimination, write_ins, ..IrvOptions::default() };
        let t = irv::count(&p, &o, &order(&p)).unwrap();
        prop_assert_eq!(t.winners.len(), 1);
        prop_assert!(!write_in || t.winners[0] != 4);
    }
}
