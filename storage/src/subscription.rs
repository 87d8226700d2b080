//! Subscriptions: what each room follows (a country, a region, a theme), so that alerts about a
//! window reach the rooms that care about it.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::audit::write_audit;
use crate::column::{read, read_timestamp, timestamp};
use crate::store::Driver;
use crate::{StorageError, Store};

/// Subscription writes take this lock (on PostgreSQL; SQLite has one writer at a time anyway).
const LOCK: &str = "subscriptions";

/// What a subscription matches windows on. Ordered as listed, which is also their slugs' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubscriptionKind {
    /// A country code: the country's windows and those of its subdivisions and local members.
    Country,
    /// An OGP region slug.
    Region,
    /// A theme label of the rules (`political-transition`…).
    Theme,
}

impl SubscriptionKind {
    /// The kind named by its slug (`country`, `region`, `theme`), as commands write it.
    pub fn parse(s: &str) -> Option<SubscriptionKind> {
        match s {
            "country" => Some(Self::Country),
            "region" => Some(Self::Region),
            "theme" => Some(Self::Theme),
            _ => None,
        }
    }

    /// The slug, as stored and as [`SubscriptionKind::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Region => "region",
            Self::Theme => "theme",
        }
    }
}

impl fmt::Display for SubscriptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A room following one country, region or theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Platform-qualified, e.g. `matrix:!room:example.org`.
    pub room: String,
    /// What `value` names.
    pub kind: SubscriptionKind,
    /// The country code, region slug or theme, as the room gave it.
    pub value: String,
    /// Who subscribed the room.
    pub created_by: String,
    /// When the room was subscribed.
    pub created_at: DateTime<Utc>,
}

/// room, kind, value, created_by, created_at
type SubscriptionRow = (String, String, String, String, String);

fn from_row(
    (room, kind, value, created_by, created_at): SubscriptionRow,
) -> Result<Subscription, StorageError> {
    let what = format!("subscription of {room} to {kind} {value}");
    Ok(Subscription {
        kind: read(&what, &kind, |s| {
            SubscriptionKind::parse(s).ok_or_else(|| {
                format!("\"{s}\" is not a subscription kind; expected country, region or theme")
            })
        })?,
        created_at: read_timestamp(&what, &created_at)?,
        room,
        value,
        created_by,
    })
}

/// A subscription as the audit log shows it: `country:KE`.
fn describe(kind: SubscriptionKind, value: &str) -> String {
    format!("{kind}:{value}")
}

impl Store {
    /// Subscribes a room, audited as `subscription.add` by `created_by`; `false`, with nothing
    /// written, if the room already followed that value.
    pub async fn subscribe(&self, s: &Subscription) -> Result<bool, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            let written = sqlx::query(
                "INSERT INTO subscriptions (room, kind, value, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (room, kind, value) DO NOTHING",
            )
            .bind(&s.room)
            .bind(s.kind.as_str())
            .bind(&s.value)
            .bind(&s.created_by)
            .bind(timestamp(s.created_at))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if written == 0 {
                return Ok(false);
            }
            let detail = describe(s.kind, &s.value);
            write_audit!(
                tx,
                s.created_at,
                &s.created_by,
                "subscription.add",
                &s.room,
                Some(detail.as_str())
            );
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Unsubscribes a room, audited as `subscription.remove` by `actor`; `false`, with nothing
    /// written, if the room did not follow that value.
    pub async fn unsubscribe(
        &self,
        room: &str,
        kind: SubscriptionKind,
        value: &str,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write(LOCK).await?;
            let deleted =
                sqlx::query("DELETE FROM subscriptions WHERE room = $1 AND kind = $2 AND value = $3")
                    .bind(room)
                    .bind(kind.as_str())
                    .bind(value)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if deleted == 0 {
                return Ok(false);
            }
            let detail = describe(kind, value);
            write_audit!(tx, at, actor, "subscription.remove", room, Some(detail.as_str()));
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The subscriptions of `room`, or of every room; ordered by room, kind, then value.
    pub async fn subscriptions(&self, room: Option<&str>) -> Result<Vec<Subscription>, StorageError> {
        let rows: Vec<SubscriptionRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT room, kind, value, created_by, created_at FROM subscriptions
                 WHERE ($1 IS NULL OR room = $1) ORDER BY room, kind, value",
            )
            .bind(room)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(from_row).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_kinds_read_back_from_their_slugs_in_order() {
        let kinds = [
            SubscriptionKind::Country,
            SubscriptionKind::Region,
            SubscriptionKind::Theme,
        ];
        for kind in kinds {
            assert_eq!(SubscriptionKind::parse(kind.as_str()), Some(kind));
        }
        // Listings sort by slug: it must agree with the enum's order.
        assert!(kinds.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
        assert_eq!(SubscriptionKind::parse("Country"), None);
    }
}
