//! Data shipped inside the binary, so that Vigie runs with no files beside it.
//!
//! The files live in the repository's `data/` folder (see its README for provenance and
//! licences); a deployment can point a feed at its own copy or a URL instead.

const FILES: &[(&str, &[u8])] = &[
    ("elections.csv", include_bytes!("../../data/elections.csv")),
    ("ogp-members.csv", include_bytes!("../../data/ogp-members.csv")),
    ("countries.csv", include_bytes!("../../data/countries.csv")),
    (
        "legislative-terms.csv",
        include_bytes!("../../data/legislative-terms.csv"),
    ),
    (
        "parlgov/election.csv",
        include_bytes!("../../data/parlgov/election.csv"),
    ),
    (
        "parlgov/cabinet.csv",
        include_bytes!("../../data/parlgov/cabinet.csv"),
    ),
    (
        "parlgov/country.csv",
        include_bytes!("../../data/parlgov/country.csv"),
    ),
];

/// The folder-like bundles: a name that stands for several files (the ParlGov tables).
const FOLDERS: &[&str] = &["parlgov"];

/// The bytes of one bundled file.
pub fn file(name: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Whether `name` is a bundled file or folder.
pub fn exists(name: &str) -> bool {
    file(name).is_some() || FOLDERS.contains(&name)
}

/// Every name that may follow `bundled:`.
pub fn names() -> Vec<&'static str> {
    FOLDERS
        .iter()
        .copied()
        .chain(FILES.iter().map(|(n, _)| *n).filter(|n| !n.contains('/')))
        .collect()
}
