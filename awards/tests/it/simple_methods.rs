//! Plurality, approval (and greedy participatory budgeting), score, STAR and Borda against the
//! vectors of `shared/data/voting` with the results SOURCES.md and METHODS.md give: Tennessee
//! (plurality Memphis 42, approval Nashville 50, score Nashville 27,230, STAR Nashville 261 and
//! 68–32), the mock-tie plurality tie, the three Łódź 2020 districts, every Borda example; then
//! the property that no result depends on the order of the ballots.

use num_bigint::BigInt;
use proptest::prelude::*;
use vigie_awards::ballot::{Ballot, CandidateId, Profile, ScoreBallot};
use vigie_awards::method::borda::{self, BordaOptions, Truncation};
use vigie_awards::method::score::{self, ScoreOptions};
use vigie_awards::method::{approval, plurality};
use vigie_awards::number::Rational;
use vigie_awards::tie::TieBreak;
use vigie_awards::transcript::Transcript;
use vigie_awards::{abif, blt, pabulib};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/voting");

fn read(rel: &str) -> String {
    let path = format!("{DATA}/{rel}");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test vector {path} is missing ({e}); the repo must sit beside shared/"))
}

/// Round `round`'s totals as (name, total) pairs.
fn totals(t: &Transcript, round: usize) -> Vec<(String, String)> {
    t.rounds[round - 1]
        .totals
        .iter()
        .map(|(c, v)| (t.name(*c), v.clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn tennessee_plurality_elects_memphis_with_42() {
    let p = blt::parse(&read("irv/tennessee.blt")).unwrap();
    let t = plurality::count(&p, 1, &TieBreak::candidate_order(4)).unwrap();
    assert_eq!(t.winner_names(), ["Memphis"]);
    assert_eq!(
        totals(&t, 1),
        pairs(&[
            ("Memphis", "42"),
            ("Nashville", "26"),
            ("Chattanooga", "15"),
            ("Knoxville", "17")
        ])
    );
    let a = abif::parse(&read("irv/abiftool/tennessee-example-simple.abif")).unwrap();
    let t = plurality::count(&a.profile(), 1, &TieBreak::candidate_order(4)).unwrap();
    assert_eq!(t.winners, [a.candidate("Memph").unwrap()]);
}

#[test]
fn tennessee_overvoted_first_ranks_are_not_counted() {
    let a = abif::parse(&read("irv/abiftool/tennessee-example-overvote-02.abif")).unwrap();
    let t = plurality::count(&a.profile(), 1, &TieBreak::candidate_order(4)).unwrap();
    assert_eq!(t.total(1, a.candidate("Memph").unwrap()), Some("42"));
    assert_eq!(t.rounds[0].exhausted.as_deref(), Some("17"));
    assert_eq!(t.winners, [a.candidate("Memph").unwrap()]);
}

#[test]
fn mock_tie_plurality_tie_is_broken_by_the_declared_rule() {
    let a = abif::parse(&read("irv/abiftool/mock-tie.abif")).unwrap();
    let p = a.profile();
    let (h, s) = (a.candidate("H").unwrap(), a.candidate("S").unwrap());
    let n = p.candidates.len();
    let by_order = plurality::count(&p, 1, &TieBreak::candidate_order(n)).unwrap();
    assert_eq!(
        (by_order.total(1, h), by_order.total(1, s)),
        (Some("10000001"), Some("10000001"))
    );
    assert_eq!(
        by_order.winners,
        [s],
        "H is earlier in candidate order, so H loses"
    );
    let tie = &by_order.rounds[0].ties[0];
    assert_eq!((tie.tied.clone(), tie.chosen), (vec![h, s], s));
    let reversed = plurality::count(&p, 1, &TieBreak::from_order((0..n).rev().collect())).unwrap();
    assert_eq!(reversed.winners, [h]);
    let seeded = TieBreak::from_seed(b"revealed after close", "mock-tie", n);
    let t = plurality::count(&p, 1, &seeded).unwrap();
    assert_eq!(t.winners, [seeded.winner(&[h, s])]);
    assert_eq!(t.rounds[0].ties.len(), 1);
    assert!(
        t.to_text()
            .contains("Tie between H / S: S chosen by published tie-break order"),
        "{}",
        t.to_text()
    );
}

#[test]
fn tennessee_approval_elects_nashville_with_50() {
    let a = abif::parse(&read("approval/tennessee-example-approval.abif")).unwrap();
    let t = approval::count(&a.score_ballots(), &a.names, 1, &TieBreak::candidate_order(4)).unwrap();
    assert_eq!(
        totals(&t, 1),
        pairs(&[
            ("Memphis, TN", "42"),
            ("Nashville, TN", "50"),
            ("Chattanooga, TN", "36"),
            ("Knoxville, TN", "21")
        ])
    );
    assert_eq!(t.winner_names(), ["Nashville, TN"]);
}

#[test]
fn lodz_2020_greedy_reproduces_the_counts_and_the_official_selection() {
    for (district, expected) in [
        ("mileszki", &["W030MI"][..]),
        (
            "nad-nerem",
            &["G030NN", "G042NN", "G032NN", "G021NN", "G081NN"][..],
        ),
        ("nowosolna", &["W022NO"][..]),
    ] {
        let pb = pabulib::parse(&read(&format!("approval/poland_lodz_2020_{district}.pb"))).unwrap();
        let names = pb.candidates();
        let tie = TieBreak::candidate_order(names.len());
        let t = approval::budgeted(
            &pb.score_ballots(),
            &names,
            &pb.costs(),
            pb.budget().unwrap(),
            &tie,
        )
        .unwrap();
        for (c, project) in pb.projects.iter().enumerate() {
            let published = project.votes.unwrap().to_string();
            assert_eq!(
                t.total(1, c),
                Some(published.as_str()),
                "{district} {}",
                project.id
            );
            assert_eq!(
                t.winners.contains(&c),
                project.selected.unwrap(),
                "{district} {}",
                project.id
            );
        }
        assert_eq!(t.winner_names(), expected, "{district}");
    }
}

#[test]
fn nad_nerem_skips_the_projects_that_do_not_fit() {
    let pb = pabulib::parse(&read("approval/poland_lodz_2020_nad-nerem.pb")).unwrap();
    let names = pb.candidates();
    let tie = TieBreak::candidate_order(names.len());
    let t = approval::budgeted(&pb.score_ballots(), &names, &pb.costs(), 409_000, &tie).unwrap();
    let skipped: Vec<String> = t
        .rounds
        .iter()
        .flat_map(|r| r.excluded.iter().map(|&c| names[c].clone()))
        .collect();
    assert_eq!(skipped, ["G033NN", "G023NN", "G020NN"]);
}

#[test]
fn tennessee_score_elects_nashville_with_27230() {
    let a = abif::parse(&read("score/tennessee-example-scores.abif")).unwrap();
    let t = score::count(
        &a.score_ballots(),
        &a.names,
        1,
        &ScoreOptions::range(0, 400),
        &TieBreak::candidate_order(4),
    )
    .unwrap();
    assert_eq!(
        totals(&t, 1),
        pairs(&[
            ("Memphis, TN", "24760"),
            ("Nashville, TN", "27230"),
            ("Chattanooga, TN", "24158"),
            ("Knoxville, TN", "19370")
        ])
    );
    assert_eq!(t.winner_names(), ["Nashville, TN"]);
    assert!(
        t.notes.iter().any(|n| n.contains("Nashville, TN 272.3")),
        "{:?}",
        t.notes
    );
}

#[test]
fn tennessee_star_elects_nashville_261_with_a_68_32_runoff() {
    let a = abif::parse(&read("score/tennessee-example-STAR.abif")).unwrap();
    let t = score::star(
        &a.score_ballots(),
        &a.names,
        &ScoreOptions::range(0, 5),
        &TieBreak::candidate_order(4),
    )
    .unwrap();
    assert_eq!(
        totals(&t, 1),
        pairs(&[
            ("Memphis, TN", "210"),
            ("Nashville, TN", "261"),
            ("Chattanooga, TN", "246"),
            ("Knoxville, TN", "182")
        ])
    );
    assert_eq!(
        totals(&t, 2),
        pairs(&[("Nashville, TN", "68"), ("Chattanooga, TN", "32")])
    );
    assert_eq!(
        t.rounds[1].action,
        "Runoff: Nashville, TN beats Chattanooga, TN 68–32"
    );
    assert_eq!(t.winner_names(), ["Nashville, TN"]);
}

/// One `[section]` of borda-examples.txt: its candidates, ballots and expectations.
struct BordaCase {
    key: String,
    profile: Profile,
    expect: Vec<(BordaOptions, Vec<(String, Rational)>)>,
}

fn decimal(text: &str) -> Rational {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits: BigInt = format!("{whole}{frac}").parse().expect("a decimal number");
    Rational::new(digits, BigInt::from(10u32).pow(frac.len() as u32))
}

fn borda_cases() -> Vec<BordaCase> {
    let mut cases: Vec<BordaCase> = Vec::new();
    for line in read("borda/borda-examples.txt").lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            let key = line[1..line.find(']').unwrap()].to_string();
            cases.push(BordaCase {
                key,
                profile: Profile::new("", vec![], 1),
                expect: vec![],
            });
        }
        let case = cases.last_mut().expect("a section before any data");
        if let Some(at) = line.find("candidates:") {
            // The list ends at a run of spaces ("candidates: A B C   one ballot \"A\"").
            let rest = line[at + "candidates:".len()..].trim_start();
            let names = rest.split("  ").next().unwrap_or("").split_whitespace();
            case.profile.candidates = names.map(String::from).collect();
        }
        for segment in line.split("expect").skip(1) {
            let truncation = if segment.contains("implicit") {
                Truncation::Average
            } else {
                Truncation::Zero
            };
            let start_at_zero = segment.contains("starting at 0");
            let points = segment
                .split_whitespace()
                .filter_map(|w| w.split_once('='))
                .filter(|(k, v)| !k.is_empty() && v.starts_with(|c: char| c.is_ascii_digit()))
                .map(|(k, v)| (k.to_string(), decimal(v)))
                .collect();
            case.expect.push((
                BordaOptions {
                    truncation,
                    start_at_zero,
                },
                points,
            ));
        }
        if !line.contains(':') && !line.starts_with('[') {
            let (order, weight) = line.split_once('*').unwrap_or((line, "1"));
            let ranks = order
                .split('>')
                .map(|rank| {
                    rank.split('=')
                        .map(|c| case.profile.candidate(c).expect("a known candidate"))
                        .collect()
                })
                .collect();
            case.profile.ballots.push(Ballot {
                weight: weight.parse().unwrap(),
                ranks,
            });
        }
    }
    cases
}

#[test]
fn every_borda_example_gives_the_published_points() {
    let cases = borda_cases();
    assert_eq!(cases.len(), 3, "borda1, borda2, borda3");
    let mut checked = 0;
    for case in &cases {
        assert!(
            !case.expect.is_empty() && !case.profile.ballots.is_empty(),
            "{}",
            case.key
        );
        for (options, expected) in &case.expect {
            let tie = TieBreak::candidate_order(case.profile.candidates.len());
            let t = borda::count(&case.profile, options, &tie).unwrap();
            for (name, points) in expected {
                let c = case.profile.candidate(name).expect("a known candidate");
                let total: Rational = t.total(1, c).unwrap().parse().unwrap();
                assert_eq!(&total, points, "{} {options:?} {name}", case.key);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 + 4 + 4 + 3 + 3);
}

#[test]
fn tennessee_borda_elects_nashville() {
    let p = blt::parse(&read("irv/tennessee.blt")).unwrap();
    let options = BordaOptions {
        truncation: Truncation::Zero,
        start_at_zero: true,
    };
    let t = borda::count(&p, &options, &TieBreak::candidate_order(4)).unwrap();
    assert_eq!(t.winner_names(), ["Nashville"]);
    assert_eq!(t.total(1, 1), Some("194"));
}

#[test]
fn modified_borda_gives_the_top_rank_the_number_ranked() {
    let mut p = Profile::new("", vec!["A".into(), "B".into(), "C".into()], 1);
    p.ballots = vec![Ballot::ranking(1, &[0]), Ballot::ranking(1, &[1, 2])].into();
    let options = BordaOptions {
        truncation: Truncation::Modified,
        start_at_zero: false,
    };
    let t = borda::count(&p, &options, &TieBreak::candidate_order(3)).unwrap();
    assert_eq!(totals(&t, 1), pairs(&[("A", "1"), ("B", "2"), ("C", "1")]));
}

fn ranked(n: usize) -> impl Strategy<Value = Vec<Ballot>> {
    let ballot = (
        1u64..50,
        prop::collection::vec(prop::collection::vec(0..n, 0..3), 0..=n),
    )
        .prop_map(|(weight, ranks)| Ballot { weight, ranks });
    prop::collection::vec(ballot, 0..12)
}

fn scored(n: usize) -> impl Strategy<Value = Vec<ScoreBallot>> {
    let ballot = (1u64..50, prop::collection::vec((0..n, 0u32..=5), 0..=n))
        .prop_map(|(weight, scores)| ScoreBallot { weight, scores });
    prop::collection::vec(ballot, 0..12)
}

fn shuffled<T: Clone + std::fmt::Debug>(v: Vec<T>) -> impl Strategy<Value = (Vec<T>, Vec<T>)> {
    Just(v.clone()).prop_shuffle().prop_map(move |s| (v.clone(), s))
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("C{i}")).collect()
}

proptest! {
    #[test]
    fn ranked_results_do_not_depend_on_ballot_order(
        (a, b) in ranked(4).prop_flat_map(shuffled),
        seats in 1usize..=4,
        truncation in prop_oneof![Just(Truncation::Zero), Just(Truncation::Average), Just(Truncation::Modified)],
    ) {
        let tie = TieBreak::from_seed(b"seed", "order", 4);
        let mut p = Profile::new("", names(4), seats);
        let mut q = p.clone();
        p.ballots = a.into();
        q.ballots = b.into();
        prop_assert_eq!(plurality::count(&p, seats, &tie), plurality::count(&q, seats, &tie));
        let options = BordaOptions { truncation, start_at_zero: false };
        prop_assert_eq!(borda::count(&p, &options, &tie), borda::count(&q, &options, &tie));
    }

    #[test]
    fn scored_results_do_not_depend_on_ballot_order(
        (a, b) in scored(4).prop_flat_map(shuffled),
        k in 1usize..=4,
        costs in prop::collection::vec(0u64..100, 4),
    ) {
        let (tie, names) = (TieBreak::from_seed(b"seed", "order", 4), names(4));
        prop_assert_eq!(approval::count(&a, &names, k, &tie), approval::count(&b, &names, k, &tie));
        prop_assert_eq!(approval::budgeted(&a, &names, &costs, 150, &tie), approval::budgeted(&b, &names, &costs, 150, &tie));
        prop_assert_eq!(plurality::block(&a, &names, k, &tie), plurality::block(&b, &names, k, &tie));
        let options = ScoreOptions::range(0, 5);
        prop_assert_eq!(score::count(&a, &names, k, &options, &tie), score::count(&b, &names, k, &options, &tie));
        prop_assert_eq!(score::star(&a, &names, &options, &tie), score::star(&b, &names, &options, &tie));
    }

    #[test]
    fn budgeted_approval_never_overspends(ballots in scored(5), costs in prop::collection::vec(0u64..100, 5), budget in 0u64..300) {
        let t = approval::budgeted(&ballots, &names(5), &costs, budget, &TieBreak::candidate_order(5)).unwrap();
        let spent: u64 = t.winners.iter().map(|&c: &CandidateId| costs[c]).sum();
        prop_assert!(spent <= budget);
        // Skip, don't stop: every project left out costs more than what was left.
        let left = budget - spent;
        for c in (0..5).filter(|c| !t.winners.contains(c)) {
            prop_assert!(costs[c] > left);
        }
    }
}

#[test]
fn star_transcript_reads_round_by_round() {
    let a = abif::parse(&read("score/tennessee-example-STAR.abif")).unwrap();
    let t = score::star(
        &a.score_ballots(),
        &a.names,
        &ScoreOptions::range(0, 5),
        &TieBreak::candidate_order(4),
    )
    .unwrap();
    insta::assert_snapshot!(t.to_text(), @r"
Method: star
Seats: 1
Candidates: Memphis, TN; Nashville, TN; Chattanooga, TN; Knoxville, TN
Note: Ties not settled by the count are broken by the published order Memphis, TN < Nashville, TN < Chattanooga, TN < Knoxville, TN: the earliest loses.
Note: Mean scores (over all ballots, blanks as 0): Memphis, TN 2.1; Nashville, TN 2.61; Chattanooga, TN 2.46; Knoxville, TN 1.82.

Round 1: Scoring round: Nashville, TN and Chattanooga, TN go to the runoff
  Memphis, TN               210
  Nashville, TN             261
  Chattanooga, TN           246
  Knoxville, TN             182

Round 2: Runoff: Nashville, TN beats Chattanooga, TN 68–32
  Nashville, TN              68  elected
  Chattanooga, TN            32
  Exhausted                   0

Winners: Nashville, TN
");
}
