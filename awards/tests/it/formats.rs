//! The ballot file formats against the published vectors of `shared/data/voting`: every BLT
//! file parses with the counts SOURCES.md gives and survives export; the ABIF and Pabulib files
//! parse with their declared totals; and no input text, however malformed, makes a reader panic.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use vigie_awards::ballot::{Ballot, Profile};
use vigie_awards::{abif, blt, pabulib};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/voting");

fn read(rel: &str) -> String {
    let path = format!("{DATA}/{rel}");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("test vector {path} is missing ({e}); the repo must sit beside shared/"))
}

fn blt_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "test vectors {} are missing ({e}); the repo must sit beside shared/",
            dir.display()
        )
    });
    for entry in entries {
        let path = entry.expect("readable directory").path();
        if path.is_dir() {
            blt_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "blt") {
            out.push(path);
        }
    }
}

/// (file, candidates, seats, ballots) as SOURCES.md gives them (ballots: the total weight of
/// the ballots that name a candidate; M135's two empty ballots are left out, giving 677).
const BLT_COUNTS: &[(&str, usize, usize, u64)] = &[
    ("stv/glasgow-2007/Anderston-City-2007.blt", 9, 4, 6900),
    ("stv/glasgow-2007/Baillieston-2007.blt", 11, 4, 10376),
    ("stv/glasgow-2007/Calton-2007.blt", 10, 3, 5199),
    ("stv/glasgow-2007/Canal-2007.blt", 11, 4, 8624),
    ("stv/glasgow-2007/Craigton-2007.blt", 10, 4, 11052),
    ("stv/glasgow-2007/Drumchapel-Anniesland-2007.blt", 10, 4, 8680),
    ("stv/glasgow-2007/East-Centre-2007.blt", 13, 4, 9078),
    ("stv/glasgow-2007/Garscadden-Scotsounhill-2007.blt", 10, 4, 10160),
    ("stv/glasgow-2007/Govan-2007.blt", 11, 4, 9560),
    ("stv/glasgow-2007/Greater-Pollock-2007.blt", 9, 4, 8682),
    ("stv/glasgow-2007/Hillhead-2007.blt", 10, 4, 8984),
    ("stv/glasgow-2007/Langside-2007.blt", 8, 3, 9334),
    ("stv/glasgow-2007/Linn-2007.blt", 11, 4, 9567),
    ("stv/glasgow-2007/Maryhill-Kelvin-2007.blt", 8, 4, 9901),
    ("stv/glasgow-2007/Newlands-Auldburn-2007.blt", 9, 3, 8654),
    ("stv/glasgow-2007/North-East-2007.blt", 10, 4, 8363),
    ("stv/glasgow-2007/Partick-West-2007.blt", 9, 4, 12744),
    ("stv/glasgow-2007/Pollokshields-2007.blt", 9, 3, 9567),
    ("stv/glasgow-2007/Shettleston-2007.blt", 11, 4, 8803),
    ("stv/glasgow-2007/Southside-Central-2007.blt", 9, 4, 8738),
    ("stv/glasgow-2007/Springburn-2007.blt", 10, 3, 5410),
    ("stv/droop-ref/42.blt", 3, 2, 6),
    ("stv/droop-ref/42t.blt", 3, 2, 6),
    ("stv/droop-ref/513.blt", 3, 2, 9),
    ("stv/droop-ref/M135.blt", 25, 7, 677),
    ("stv/droop-ref/SC-Vm-12.blt", 5, 3, 4003),
    ("stv/droop-ref/SC.blt", 13, 4, 94),
    ("stv/droop-ref/SCw.blt", 13, 4, 94),
    ("stv/droop-ref/meek-eq1.blt", 3, 2, 9),
    ("stv/droop-ref/meek-eq2.blt", 4, 2, 11),
    ("stv/droop-ref/mpls-tie.blt", 3, 2, 7),
    ("stv/droop-ref/scotland-weak-defeat.blt", 5, 2, 15),
    ("stv/droop-ref/scotland-weak-surplus.blt", 6, 4, 35),
    (
        "stv/stv-rs/ballots__equal_preference__always_behind.blt",
        4,
        3,
        199,
    ),
    (
        "stv/stv-rs/ballots__equal_preference__equal_preference.blt",
        3,
        2,
        6,
    ),
    ("stv/stv-rs/ballots__ties__tie_break_explicit.blt", 3, 2, 3),
    ("stv/stv-rs/ballots__ties__tie_break_implicit.blt", 3, 2, 3),
    ("stv/stv-rs/ballots__vegetables.blt", 9, 4, 45),
    ("stv/wikipedia-food-example.blt", 5, 3, 20),
    ("irv/tennessee.blt", 4, 1, 100),
];

#[test]
fn every_blt_vector_parses_with_the_counts_of_sources_md() {
    let mut found = Vec::new();
    blt_files(Path::new(&format!("{DATA}/stv")), &mut found);
    assert_eq!(
        found.len() + 1,
        BLT_COUNTS.len(),
        "a .blt file under stv/ is not in the table: {found:?}"
    );
    for &(rel, ncand, seats, ballots) in BLT_COUNTS {
        let p = blt::parse(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(
            (p.candidates.len(), p.seats, p.total_weight()),
            (ncand, seats, ballots),
            "{rel}"
        );
        assert!(!p.title.is_empty(), "{rel} has a title");
    }
}

#[test]
fn every_blt_vector_survives_export_and_import() {
    for &(rel, ..) in BLT_COUNTS {
        let p = blt::parse(&read(rel)).unwrap();
        assert_eq!(blt::parse(&blt::write(&p)).unwrap(), p, "{rel}");
    }
}

#[test]
fn glasgow_names_padded_with_spaces_are_normalised() {
    let p = blt::parse(&read("stv/glasgow-2007/Canal-2007.blt")).unwrap();
    assert_eq!(p.candidate("Ellen Hurcombe"), Some(3));
    assert_eq!(p.candidate("Kieran Wild"), Some(10));
    assert_eq!(p.title, "CANAL");
}

#[test]
fn nicknames_withdrawn_and_tie_options_are_read() {
    let veg = blt::parse(&read("stv/stv-rs/ballots__vegetables.blt")).unwrap();
    assert_eq!(veg.withdrawn, vec![1, 5], "[withdrawn banana fig]");
    assert_eq!(veg.ballots.to_vec()[0], Ballot::ranking(1, &[0, 1]));
    let explicit = blt::parse(&read("stv/stv-rs/ballots__ties__tie_break_explicit.blt")).unwrap();
    assert_eq!(
        explicit.tie_order,
        Some(vec![2, 1, 0]),
        "[tie cherry banana apple]"
    );
    let implicit = blt::parse(&read("stv/stv-rs/ballots__ties__tie_break_implicit.blt")).unwrap();
    assert_eq!(implicit.tie_order, None);
    let t42 = blt::parse(&read("stv/droop-ref/42t.blt")).unwrap();
    assert_eq!(t42.tie_order, Some(vec![2, 1, 0]), "[tie 3 2 1 ]");
    let scw = blt::parse(&read("stv/droop-ref/SCw.blt")).unwrap();
    assert_eq!(scw.withdrawn, vec![3], "the -4 line");
    let eq = blt::parse(&read("stv/droop-ref/meek-eq1.blt")).unwrap();
    assert!(
        eq.ballots.to_vec().contains(&Ballot {
            weight: 1,
            ranks: vec![vec![1, 2]]
        }),
        "b=c"
    );
}

#[test]
fn openstv_skipped_ranks_and_ballot_ids_are_read() {
    let text = "3 1\n(a) 1 2 - 3 0\n(b) 1 1=3 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n";
    let p = blt::parse(text).unwrap();
    assert_eq!(p.ballots.to_vec()[0].ranks, vec![vec![1], vec![], vec![2]]);
    assert_eq!(p.ballots.to_vec()[1].ranks, vec![vec![0, 2]]);
}

#[test]
fn blt_errors_are_one_located_sentence() {
    let e = blt::parse("3 1\n1 2 0\n1 9 0\n0\n").unwrap_err().to_string();
    assert_eq!(
        e,
        "line 3, column 3: `9` is not a candidate; expected a number from 1 to 3"
    );
    let e = blt::parse("").unwrap_err().to_string();
    assert_eq!(
        e,
        "line 1, column 1: the file ends too early; expected the number of candidates"
    );
}

fn profile() -> impl Strategy<Value = Profile> {
    let name = "[A-Za-zéÅ#\\[\\]()*/-][A-Za-z0-9éÅ#.-]{0,6}( [A-Za-z0-9#]{1,4}){0,2}";
    (1usize..6).prop_flat_map(move |n| {
        let rank = prop::collection::vec(0..n, 0..3);
        let ballot = (1u64..1_000_000, prop::collection::vec(rank, 1..=n + 1))
            .prop_map(|(weight, ranks)| Ballot { weight, ranks })
            .prop_filter("names a candidate", |b| b.ranks.iter().any(|r| !r.is_empty()));
        (
            prop::collection::vec(name, n),
            name,
            1..=n,
            prop::collection::vec(ballot, 0..8),
            prop::collection::vec(any::<bool>(), n),
            prop::option::of(Just((0..n).collect::<Vec<_>>()).prop_shuffle()),
        )
            .prop_map(
                |(candidates, title, seats, ballots, withdrawn, tie_order)| Profile {
                    title,
                    candidates,
                    seats,
                    ballots: ballots.into(),
                    withdrawn: withdrawn
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| **w)
                        .map(|(i, _)| i)
                        .rev()
                        .collect(),
                    tie_order,
                },
            )
    })
}

proptest! {
    #[test]
    fn blt_export_imports_back_to_the_same_profile(p in profile()) {
        let text = blt::write(&p);
        prop_assert_eq!(blt::parse(&text).map_err(|e| format!("{e}\n{text}")), Ok(p));
    }

    #[test]
    fn blt_reader_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = blt::parse(&text);
    }

    #[test]
    fn blt_reader_never_panics_on_blt_like_text(text in "[0-9 \\-=\\n\"#/*\\[\\]()a-c]{0,80}") {
        if let Err(e) = blt::parse(&text) {
            prop_assert!(!e.to_string().contains('\n'), "one sentence: {}", e);
        }
    }

    #[test]
    fn abif_reader_never_panics(text in "[0-9A-Za-z :>=,/\\[\\]{}\"#\\n-]{0,80}") {
        let _ = abif::parse(&text);
    }

    #[test]
    fn pabulib_reader_never_panics(text in "(META|PROJECTS|VOTES|[a-z_0-9;,\"]{0,12})(\\n(META|PROJECTS|VOTES|[a-z_0-9;,\"]{0,12})){0,8}") {
        let _ = pabulib::parse(&text);
    }
}

#[test]
fn abif_vectors_parse_with_their_ballot_totals() {
    let cases = [
        ("irv/abiftool/burl2009.abif", 6, 8980),
        ("irv/abiftool/sf2018special-results.abif", 13, 254_016),
        ("irv/abiftool/tennessee-example-simple.abif", 4, 100),
        ("irv/abiftool/tennessee-example-irv-tie.abif", 4, 84),
        ("irv/abiftool/tennessee-example-overvote-02.abif", 4, 100),
        ("irv/abiftool/mock-tie.abif", 16, 22_222_236),
        ("approval/tennessee-example-approval.abif", 4, 100),
        ("score/tennessee-example-STAR.abif", 4, 100),
        ("score/tennessee-example-scores.abif", 4, 100),
    ];
    for (rel, ncand, ballots) in cases {
        let a = abif::parse(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let p = a.profile();
        assert_eq!((p.candidates.len(), p.total_weight()), (ncand, ballots), "{rel}");
    }
    let burl = abif::parse(&read("irv/abiftool/burl2009.abif")).unwrap();
    assert_eq!(burl.meta("title"), Some("2009 Burlington mayoral election"));
    assert_eq!(
        burl.names[burl.candidate("Kiss").unwrap()],
        "Bob Kiss (Progressive)"
    );
    let sf = abif::parse(&read("irv/abiftool/sf2018special-results.abif")).unwrap();
    assert_eq!(sf.meta("ballotcount"), Some("254016"));
    let over = abif::parse(&read("irv/abiftool/tennessee-example-overvote-02.abif")).unwrap();
    assert_eq!(
        over.profile().ballots.to_vec()[3].ranks[0].len(),
        3,
        "Knox=Chat=Nash is one rank"
    );
    let star = abif::parse(&read("score/tennessee-example-STAR.abif")).unwrap();
    assert_eq!(
        star.score_ballots()[0].scores,
        vec![(0, 5), (1, 2), (2, 1), (3, 0)]
    );
}

#[test]
fn pabulib_vectors_parse_with_their_declared_sizes() {
    for (district, projects, votes, budget) in [
        ("mileszki", 9, 955, 417_000),
        ("nad-nerem", 8, 608, 409_000),
        ("nowosolna", 5, 1442, 434_000),
    ] {
        let pb = pabulib::parse(&read(&format!("approval/poland_lodz_2020_{district}.pb")))
            .unwrap_or_else(|e| panic!("{district}: {e}"));
        assert_eq!(
            (pb.projects.len(), pb.votes.len(), pb.budget()),
            (projects, votes, Some(budget)),
            "{district}"
        );
        assert_eq!(pb.meta("rule"), Some("greedy"));
        assert!(pb.votes.iter().all(|v| v.projects.len() <= 5), "max_length 5");
    }
}
