//! Peers: the people who may follow up windows through chat, and the admins who manage them.
//!
//! Peers come from two places: commands (an admin adding, changing or removing someone) and the
//! configuration, seeded at every start. Commands win: seeding only adds people never seen
//! before, and a removal by command is kept (the row is marked removed, not deleted) so that the
//! next start does not bring the person back.
//!
//! A peer may have a country and an organisation: award campaigns compare them with a nominee's
//! to recuse the peer automatically (see `vigie_awards::eligibility::RecusalRules`).

use std::fmt;

use chrono::{DateTime, Utc};
use vigie_rules::CountryCode;

use crate::audit::write_audit;
use crate::column::{read, read_opt, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store};

/// Every peer write takes this lock: a seeding and a command may touch the same person.
const LOCK: &str = "peers";

/// The actor of the audit entries written by [`Store::seed_peers`].
const CONFIG: &str = "config";

/// What a peer may do. Ordered as listed: admins first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Manages peers and subscriptions, and may release anyone's claim.
    Admin,
    /// Claims, snoozes, annotates and closes windows.
    Peer,
}

impl Role {
    /// The role named by its slug (`admin`, `peer`), as commands and the configuration write it.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Self::Admin),
            "peer" => Some(Self::Peer),
            _ => None,
        }
    }

    /// The slug, as stored and as [`Role::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Peer => "peer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Someone allowed to act through chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// Platform-qualified, e.g. `matrix:@alice:example.org`: the same person on two platforms is
    /// two peers.
    pub user: String,
    /// What the peer may do.
    pub role: Role,
    /// The region the peer follows, if any: alerts are routed by it.
    pub region: Option<String>,
    /// The peer's country, if known (ISO 3166-1 alpha-2).
    pub country: Option<CountryCode>,
    /// The peer's organisation, if known, as written (spaces collapsed).
    pub organisation: Option<String>,
    /// Who made the last change of role, region, country or organisation (`config` when seeded).
    pub added_by: String,
    /// When that change was made.
    pub added_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct PeerRow {
    user_id: String,
    role: String,
    region: Option<String>,
    country: Option<String>,
    organisation: Option<String>,
    added_by: String,
    added_at: String,
}

/// The columns of a [`PeerRow`] of the peers not removed, followed by any conditions.
macro_rules! select_peers {
    ($($rest:literal)?) => {
        concat!(
            "SELECT user_id, role, region, country, organisation, added_by, added_at FROM peers
             WHERE removed_at IS NULL",
            $(" ", $rest)?
        )
    };
}

impl PeerRow {
    fn into_peer(self) -> Result<Peer, StorageError> {
        let what = format!("peer {}", self.user_id);
        Ok(Peer {
            role: read(&what, &self.role, parse_role)?,
            added_at: read_timestamp(&what, &self.added_at)?,
            country: read_opt(&what, self.country.as_deref(), CountryCode::parse)?,
            user: self.user_id,
            region: self.region,
            organisation: self.organisation,
            added_by: self.added_by,
        })
    }
}

pub(crate) fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("\"{s}\" is not a role; expected admin or peer"))
}

/// What the audit log says of a peer: the role and region, then the country and organisation
/// when known (`admin`, `peer for europe`, `peer for africa-middle-east, from KE, with Open Data
/// Kenya`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Standing {
    role: String,
    region: Option<String>,
    country: Option<String>,
    organisation: Option<String>,
}

impl Standing {
    fn of(peer: &Peer) -> Self {
        Self {
            role: peer.role.as_str().to_owned(),
            region: peer.region.clone(),
            country: peer.country.map(|c| c.as_str().to_owned()),
            organisation: peer.organisation.clone(),
        }
    }

    fn describe(&self) -> String {
        let mut out = match &self.region {
            Some(region) => format!("{} for {region}", self.role),
            None => self.role.clone(),
        };
        if let Some(country) = &self.country {
            out.push_str(&format!(", from {country}"));
        }
        if let Some(organisation) = &self.organisation {
            out.push_str(&format!(", with {organisation}"));
        }
        out
    }
}

impl Store {
    /// The peer `user`, unless absent or removed.
    pub async fn peer(&self, user: &str) -> Result<Option<Peer>, StorageError> {
        let row: Option<PeerRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_peers!("AND user_id = $1"))
                .bind(user)
                .fetch_optional(pool)
                .await?
        });
        row.map(PeerRow::into_peer).transpose()
    }

    /// Every peer not removed: admins first, then by user.
    pub async fn peers(&self) -> Result<Vec<Peer>, StorageError> {
        let rows: Vec<PeerRow> = on_pool!(self, |pool| {
            sqlx::query_as(select_peers!("ORDER BY user_id"))
                .fetch_all(pool)
                .await?
        });
        let mut peers = rows
            .into_iter()
            .map(PeerRow::into_peer)
            .collect::<Result<Vec<_>, _>>()?;
        // The role's order is the domain's (admins first), not its slug's; the sort is stable.
        peers.sort_by_key(|p| p.role);
        Ok(peers)
    }

    /// Adds a peer, changes its role, region, country or organisation, or restores a removed
    /// one, audited as done by `peer.added_by` (`peer.add` or `peer.change`). Putting a peer as it
    /// already is changes nothing (its `added_by` and `added_at` stay) and writes no audit.
    pub async fn put_peer(&self, peer: &Peer) -> Result<(), StorageError> {
        let new = Standing::of(peer);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            // A removed peer is absent: putting it again restores it.
            let current: Option<Standing> = sqlx::query_as(
                "SELECT role, region, country, organisation FROM peers
                 WHERE user_id = $1 AND removed_at IS NULL",
            )
            .bind(&peer.user)
            .fetch_optional(&mut *tx)
            .await?;
            let (action, detail) = match current {
                Some(old) if old == new => return Ok(()),
                Some(old) => (
                    "peer.change",
                    format!("{} (was {})", new.describe(), old.describe()),
                ),
                None => ("peer.add", new.describe()),
            };
            sqlx::query(
                "INSERT INTO peers (user_id, role, region, country, organisation, added_by, added_at,
                     removed_by, removed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)
                 ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, region = excluded.region,
                     country = excluded.country, organisation = excluded.organisation,
                     added_by = excluded.added_by, added_at = excluded.added_at,
                     removed_by = NULL, removed_at = NULL",
            )
            .bind(&peer.user)
            .bind(&new.role)
            .bind(&new.region)
            .bind(&new.country)
            .bind(&new.organisation)
            .bind(&peer.added_by)
            .bind(timestamp(peer.added_at))
            .execute(&mut *tx)
            .await?;
            write_audit!(
                tx,
                peer.added_at,
                &peer.added_by,
                action,
                &peer.user,
                Some(detail.as_str())
            );
            tx.commit().await?;
            Ok(())
        })
    }

    /// Removes the peer `user` (audited as `peer.remove` by `actor`); `false`, with nothing
    /// written, if there was no such peer. The removal is kept, so that [`Store::seed_peers`]
    /// does not bring the person back; [`Store::put_peer`] does.
    pub async fn remove_peer(
        &self,
        user: &str,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            let removed: Option<Standing> = sqlx::query_as(
                "UPDATE peers SET removed_by = $2, removed_at = $3 WHERE user_id = $1 AND removed_at IS NULL
                 RETURNING role, region, country, organisation",
            )
            .bind(user)
            .bind(actor)
            .bind(timestamp(at))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(removed) = removed else {
                return Ok(false);
            };
            let detail = removed.describe();
            write_audit!(tx, at, actor, "peer.remove", user, Some(detail.as_str()));
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Adds the peers of the configuration that were never added nor removed by command, in one
    /// transaction, each audited as `peer.add` by `config`; returns how many were added. Peers
    /// already known keep what commands made of them, whatever the configuration now says.
    pub async fn seed_peers(&self, peers: &[Peer]) -> Result<u64, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            let mut added = 0;
            for peer in peers {
                let written = sqlx::query(
                    "INSERT INTO peers (user_id, role, region, country, organisation, added_by, added_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (user_id) DO NOTHING",
                )
                .bind(&peer.user)
                .bind(peer.role.as_str())
                .bind(peer.region.as_deref())
                .bind(peer.country.map(|c| c.as_str().to_owned()))
                .bind(peer.organisation.as_deref())
                .bind(&peer.added_by)
                .bind(timestamp(peer.added_at))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if written > 0 {
                    let detail = Standing::of(peer).describe();
                    write_audit!(
                        tx,
                        peer.added_at,
                        CONFIG,
                        "peer.add",
                        &peer.user,
                        Some(detail.as_str())
                    );
                    added += 1;
                }
            }
            tx.commit().await?;
            Ok(added)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_from_their_slugs() {
        for role in [Role::Admin, Role::Peer] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        for wrong in ["", "Admin", "owner", " peer"] {
            assert_eq!(Role::parse(wrong), None, "{wrong:?}");
        }
        assert!(Role::Admin < Role::Peer);
    }
}
