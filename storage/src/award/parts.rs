//! A campaign split into what each table keeps, put back together, and what changed between two
//! splits.
//!
//! The campaign's serde form is the truth. Its `nominations` go to the `nominations` table and
//! its ballot box's `voters` (who cast which ballot, until a secret box is sealed) to the
//! `ballots` table; what remains is the `state` of the `campaigns` row, which therefore never
//! links a voter to a ballot. Both keys are taken out of the state rather than emptied, so a
//! state read without them does not even parse: nothing can be read or saved by mistake with
//! the voters left in, and should the awards crate rename either key, saving fails instead of
//! leaking ballots into the state.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use vigie_awards::campaign::{Campaign, Vote};
use vigie_awards::nomination::{Nomination, NominationId, NominationStatus};

use crate::StorageError;
use crate::column::{json, read_json, timestamp};

const NOMINATIONS: &str = "nominations";
const BALLOT_BOX: &str = "ballot_box";
const VOTERS: &str = "voters";

/// One voter's current ballots, in the form the ballot box keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Voter {
    pub region: Option<String>,
    /// Per category slug.
    pub votes: BTreeMap<String, Vote>,
}

/// voter, category, region, vote (JSON), seq
pub(super) type BallotRow = (String, String, Option<String>, String, i64);

/// A campaign as read from its rows: the state, the nominations' JSON in number order, and the
/// ballots of the voters that were asked for.
pub(super) struct Stored {
    pub state: String,
    pub nominations: Vec<String>,
    pub ballots: Vec<BallotRow>,
}

/// A campaign split for its tables.
#[derive(Debug)]
pub(super) struct Parts {
    pub state: String,
    pub title: String,
    pub phase: String,
    pub nominations: BTreeMap<NominationId, Nomination>,
    pub voters: BTreeMap<String, Voter>,
}

/// The columns of a nominations row.
#[derive(Debug)]
pub(super) struct NominationRow {
    pub number: i64,
    pub category: String,
    pub nominee: String,
    pub nominator: String,
    pub status: &'static str,
    pub seconds: i64,
    pub made_at: String,
    pub json: String,
}

/// A ballot to write: a new one, or one that replaces the voter's ballot in its category.
#[derive(Debug)]
pub(super) struct BallotWrite {
    pub voter: String,
    pub category: String,
    pub region: Option<String>,
    pub vote: String,
}

/// What to write to turn the rows of `before` into those of `after`.
#[derive(Debug, Default)]
pub(super) struct Changes {
    /// The new state, when it changed.
    pub state: Option<(String, String, String)>,
    pub nominations: Vec<NominationRow>,
    /// (voter, category) ballots taken out.
    pub deleted: Vec<(String, String)>,
    pub ballots: Vec<BallotWrite>,
    /// Voters whose region changed, for their ballots in other categories.
    pub regions: Vec<(String, Option<String>)>,
}

/// A value that is not the campaign's expected serde form, as an encoding error.
fn unexpected(id: &str, problem: &str) -> StorageError {
    StorageError::Encode {
        what: format!("award campaign {id}"),
        source: <serde_json::Error as serde::ser::Error>::custom(problem),
    }
}

/// Splits a campaign for its tables.
pub(super) fn split(campaign: &Campaign) -> Result<Parts, StorageError> {
    let id = campaign.id();
    let what = format!("award campaign {id}");
    let value = serde_json::to_value(campaign).map_err(|source| StorageError::Encode {
        what: what.clone(),
        source,
    })?;
    let Value::Object(mut state) = value else {
        return Err(unexpected(id, "the campaign is not a JSON object"));
    };
    let nominations: Vec<Nomination> = match state.remove(NOMINATIONS) {
        Some(list) => serde_json::from_value(list).map_err(|source| StorageError::Encode {
            what: format!("the nominations of {what}"),
            source,
        })?,
        None => return Err(unexpected(id, "the campaign has no `nominations`")),
    };
    let voters: BTreeMap<String, Voter> = match state.get_mut(BALLOT_BOX) {
        Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(bx)) => match bx.remove(VOTERS) {
            Some(voters) => serde_json::from_value(voters).map_err(|source| StorageError::Encode {
                what: format!("the voters of {what}"),
                source,
            })?,
            None => return Err(unexpected(id, "the ballot box has no `voters`")),
        },
        _ => return Err(unexpected(id, "the campaign has no `ballot_box`")),
    };
    let phase = match serde_json::to_value(campaign.phase()) {
        Ok(Value::String(phase)) => phase,
        _ => return Err(unexpected(id, "the phase is not a string")),
    };
    Ok(Parts {
        state: json(&what, &Value::Object(state))?,
        title: campaign.title().to_owned(),
        phase,
        nominations: nominations.into_iter().map(|n| (n.id, n)).collect(),
        voters,
    })
}

/// Puts a campaign back together from its rows.
pub(super) fn join(id: &str, stored: Stored) -> Result<Campaign, StorageError> {
    let what = format!("state of award campaign {id}");
    let mut state: Map<String, Value> = read_json(&what, &stored.state)?;
    let nominations = stored
        .nominations
        .iter()
        .map(|text| read_json(&format!("a nomination of award campaign {id}"), text))
        .collect::<Result<Vec<Value>, _>>()?;
    state.insert(NOMINATIONS.to_owned(), Value::Array(nominations));
    let mut voters: BTreeMap<String, Voter> = BTreeMap::new();
    let mut latest: BTreeMap<String, i64> = BTreeMap::new();
    for (voter, category, region, vote, seq) in stored.ballots {
        let vote: Vote = read_json(
            &format!("the ballot of {voter} in {category} of award campaign {id}"),
            &vote,
        )?;
        // The voter's region is the one of their latest ballot.
        let seen = latest.entry(voter.clone()).or_insert(i64::MIN);
        let entry = voters.entry(voter).or_insert_with(|| Voter {
            region: None,
            votes: BTreeMap::new(),
        });
        if seq > *seen {
            *seen = seq;
            entry.region = region;
        }
        entry.votes.insert(category, vote);
    }
    match state.get_mut(BALLOT_BOX) {
        Some(Value::Object(bx)) => {
            let voters = serde_json::to_value(voters).map_err(|e| StorageError::corrupt(&what, e))?;
            bx.insert(VOTERS.to_owned(), voters);
        }
        Some(Value::Null) if voters.is_empty() => {}
        Some(Value::Null) => {
            return Err(StorageError::corrupt(
                &what,
                "it has ballots but no ballot box (voting never opened)",
            ));
        }
        _ => return Err(StorageError::corrupt(&what, "it has no `ballot_box`")),
    }
    serde_json::from_value(Value::Object(state)).map_err(|e| StorageError::corrupt(&what, e))
}

/// The row of a nomination.
pub(super) fn nomination_row(campaign: &str, n: &Nomination) -> Result<NominationRow, StorageError> {
    Ok(NominationRow {
        number: i64::from(n.id.0),
        category: n.category.clone(),
        nominee: n.nominee.name.clone(),
        nominator: n.nominator.clone(),
        status: match n.status {
            NominationStatus::Active => "active",
            NominationStatus::Withdrawn { .. } => "withdrawn",
            NominationStatus::Lapsed { .. } => "lapsed",
        },
        seconds: i64::from(n.seconds_count()),
        made_at: timestamp(n.made_at),
        json: json(&format!("nomination {} of award campaign {campaign}", n.id), n)?,
    })
}

/// What to write to go from `before` to `after`. `cast` is the (voter, category) of a ballot
/// just cast: it is written even when it repeats the voter's current ballot, as the latest.
pub(super) fn changes(
    campaign: &str,
    before: &Parts,
    after: &Parts,
    cast: Option<(&str, &str)>,
) -> Result<Changes, StorageError> {
    let mut changes = Changes::default();
    if before.state != after.state || before.title != after.title || before.phase != after.phase {
        changes.state = Some((after.title.clone(), after.phase.clone(), after.state.clone()));
    }
    for (id, n) in &after.nominations {
        if before.nominations.get(id) != Some(n) {
            changes.nominations.push(nomination_row(campaign, n)?);
        }
    }
    let voters: BTreeSet<&String> = before.voters.keys().chain(after.voters.keys()).collect();
    for voter in voters {
        let was = before.voters.get(voter);
        let now = after.voters.get(voter);
        let categories: BTreeSet<&String> = [was, now]
            .into_iter()
            .flatten()
            .flat_map(|v| v.votes.keys())
            .collect();
        for category in categories {
            let old = was.and_then(|v| v.votes.get(category));
            match (old, now.and_then(|v| v.votes.get(category).map(|vote| (v, vote)))) {
                (Some(_), None) => changes.deleted.push((voter.clone(), category.clone())),
                (old, Some((entry, vote)))
                    if old != Some(vote) || cast == Some((voter.as_str(), category.as_str())) =>
                {
                    changes.ballots.push(BallotWrite {
                        voter: voter.clone(),
                        category: category.clone(),
                        region: entry.region.clone(),
                        vote: json(&format!("a ballot of award campaign {campaign}"), vote)?,
                    });
                }
                _ => {}
            }
        }
        if let (Some(was), Some(now)) = (was, now)
            && was.region != now.region
        {
            changes.regions.push((voter.clone(), now.region.clone()));
        }
    }
    Ok(changes)
}
