//! A reader for Pabulib (`.pb`) participatory-budgeting files: three `;`-separated sections,
//!
//! ```text
//! META                      key;value          (budget, vote_type, rule, max_length …)
//! PROJECTS                  project_id;cost;votes;name;selected …
//! VOTES                     voter_id;…;vote[;points]    vote = comma-separated project ids
//! ```
//!
//! each starting with a header row naming its columns. Fields may be wrapped in double quotes
//! (with `""` for a quote inside). Projects become candidates, in file order; votes become
//! [`ScoreBallot`]s (1 per approved project, or the `points` given).

use crate::ballot::{CandidateId, ScoreBallot};

/// Why a Pabulib file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct PabulibError {
    pub line: usize,
    pub message: String,
}

/// One project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub cost: u64,
    pub name: String,
    /// The `votes` column: the count published with the file.
    pub votes: Option<u64>,
    /// The `selected` column: whether the project was officially funded.
    pub selected: Option<bool>,
}

/// One voter's ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub voter_id: String,
    pub projects: Vec<CandidateId>,
    /// The `points` column, one per project, when the vote type gives points.
    pub points: Option<Vec<u32>>,
}

/// A parsed Pabulib file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pabulib {
    pub meta: Vec<(String, String)>,
    pub projects: Vec<Project>,
    pub votes: Vec<Vote>,
}

impl Pabulib {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The `budget` META value, when it is a whole number.
    pub fn budget(&self) -> Option<u64> {
        self.meta("budget").and_then(|b| b.trim().parse().ok())
    }

    pub fn project(&self, id: &str) -> Option<CandidateId> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// Project ids, as candidate names.
    pub fn candidates(&self) -> Vec<String> {
        self.projects.iter().map(|p| p.id.clone()).collect()
    }

    pub fn costs(&self) -> Vec<u64> {
        self.projects.iter().map(|p| p.cost).collect()
    }

    /// Each vote as a ballot of weight 1: its points, or 1 for each approved project.
    pub fn score_ballots(&self) -> Vec<ScoreBallot> {
        self.votes
            .iter()
            .map(|v| ScoreBallot {
                weight: 1,
                scores: match &v.points {
                    Some(points) => v.projects.iter().copied().zip(points.iter().copied()).collect(),
                    None => v.projects.iter().map(|&p| (p, 1)).collect(),
                },
            })
            .collect()
    }
}

fn err(line: usize, message: impl Into<String>) -> PabulibError {
    PabulibError {
        line,
        message: message.into(),
    }
}

/// Splits a `;`-separated row, honouring double quotes.
fn fields(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            ';' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[derive(PartialEq, Clone, Copy)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

struct Columns(Vec<String>);

impl Columns {
    fn index(&self, name: &str, section: &str, line: usize) -> Result<usize, PabulibError> {
        self.0
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| err(line, format!("the {section} header has no `{name}` column")))
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|c| c == name)
    }
}

fn number<T: std::str::FromStr>(text: &str, what: &str, line: usize) -> Result<T, PabulibError> {
    text.trim()
        .parse()
        .map_err(|_| err(line, format!("{what} `{text}` is not a whole number")))
}

/// Reads a Pabulib file.
pub fn parse(text: &str) -> Result<Pabulib, PabulibError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pb = Pabulib::default();
    let mut section = Section::None;
    let mut header: Option<Columns> = None;
    let mut votes_raw: Vec<(usize, Vec<String>)> = Vec::new();
    let mut vote_cols = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim_end_matches('\r');
        if row.trim().is_empty() {
            continue;
        }
        let next = match row.trim() {
            "META" => Some(Section::Meta),
            "PROJECTS" => Some(Section::Projects),
            "VOTES" => Some(Section::Votes),
            _ => None,
        };
        if let Some(next) = next {
            section = next;
            header = None;
            continue;
        }
        let cells = fields(row);
        let Some(cols) = &header else {
            if section == Section::None {
                return Err(err(
                    line,
                    "data before any section; expected META, PROJECTS or VOTES",
                ));
            }
            header = Some(Columns(cells.iter().map(|c| c.trim().to_string()).collect()));
            continue;
        };
        match section {
            Section::Meta => {
                let key = cells.first().cloned().unwrap_or_default();
                pb.meta
                    .push((key.trim().to_string(), cells.get(1).cloned().unwrap_or_default()));
            }
            Section::Projects => {
                let get = |name: &str| -> Result<&str, PabulibError> {
                    let i = cols.index(name, "PROJECTS", line)?;
                    cells
                        .get(i)
                        .map(String::as_str)
                        .ok_or_else(|| err(line, format!("the row has no `{name}` field")))
                };
                let opt = |name: &str| cols.find(name).and_then(|i| cells.get(i)).map(|s| s.trim());
                let id = get("project_id")?.trim().to_string();
                if pb.project(&id).is_some() {
                    return Err(err(line, format!("project `{id}` is listed twice")));
                }
                let votes = opt("votes")
                    .filter(|v| !v.is_empty())
                    .map(|v| number(v, "votes", line))
                    .transpose()?;
                let selected = match opt("selected") {
                    None | Some("") => None,
                    Some("1") => Some(true),
                    Some("0") => Some(false),
                    Some(other) => return Err(err(line, format!("selected `{other}` is neither 0 nor 1"))),
                };
                pb.projects.push(Project {
                    cost: number(get("cost")?, "cost", line)?,
                    name: opt("name").unwrap_or("").to_string(),
                    id,
                    votes,
                    selected,
                });
            }
            Section::Votes => {
                if vote_cols.is_none() {
                    vote_cols = Some((
                        cols.index("voter_id", "VOTES", line)?,
                        cols.index("vote", "VOTES", line)?,
                        cols.find("points"),
                    ));
                }
                votes_raw.push((line, cells));
            }
            Section::None => {}
        }
    }
    // Votes name projects, which may in principle come after them: resolve at the end.
    if let Some((vid, vote, points)) = vote_cols {
        for (line, cells) in votes_raw {
            let voter_id = cells.get(vid).cloned().unwrap_or_default();
            let list = cells.get(vote).map(String::as_str).unwrap_or("");
            let mut projects = Vec::new();
            for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let p = pb.project(id).ok_or_else(|| {
                    err(
                        line,
                        format!("vote names project `{id}`, which PROJECTS does not list"),
                    )
                })?;
                projects.push(p);
            }
            let points = match points.and_then(|i| cells.get(i)) {
                Some(pts) if !pts.trim().is_empty() => {
                    let pts = pts
                        .split(',')
                        .map(|p| number::<u32>(p, "points", line))
                        .collect::<Result<Vec<_>, _>>()?;
                    if pts.len() != projects.len() {
                        return Err(err(
                            line,
                            "points and vote list differ in length; expected one point value per project",
                        ));
                    }
                    Some(pts)
                }
                _ => None,
            };
            pb.votes.push(Vote {
                voter_id,
                projects,
                points,
            });
        }
    }
    Ok(pb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_meta_projects_and_votes() {
        let text = "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost;votes;name;selected\n\
                    p1;60;2;\"One; first\";1\np2;50;1;Two;0\nVOTES\nvoter_id;vote\nv1;p1,p2\nv2;p1\n";
        let pb = parse(text).unwrap();
        assert_eq!(pb.budget(), Some(100));
        assert_eq!(pb.projects[0].name, "One; first");
        assert_eq!(pb.projects[1].selected, Some(false));
        assert_eq!(pb.costs(), [60, 50]);
        assert_eq!(pb.score_ballots()[0].scores, [(0, 1), (1, 1)]);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "PROJECTS\nproject_id;cost\np1;x\n";
        assert_eq!(
            parse(bad).unwrap_err().to_string(),
            "line 3: cost `x` is not a whole number"
        );
        let bad = "PROJECTS\nproject_id;cost\np1;1\nVOTES\nvoter_id;vote\n1;p9\n";
        assert_eq!(
            parse(bad).unwrap_err().to_string(),
            "line 6: vote names project `p9`, which PROJECTS does not list"
        );
        assert!(parse("x;y\n").is_err());
    }
}
