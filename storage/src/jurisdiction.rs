//! The jurisdiction registry.

use std::collections::{HashMap, HashSet};

use vigie_rules::{Jurisdiction, JurisdictionCode, JurisdictionLevel, Region};

use crate::column::read;
use crate::store::Driver;
use crate::{StorageError, Store};

/// code, name, level, region
type JurisdictionRow = (String, String, String, String);

/// The columns of a [`JurisdictionRow`], followed by any conditions.
macro_rules! select {
    ($($rest:literal)?) => {
        concat!("SELECT code, name, level, region FROM jurisdictions", $(" ", $rest)?)
    };
}

fn from_row((code, name, level, region): JurisdictionRow) -> Result<Jurisdiction, StorageError> {
    Ok(Jurisdiction {
        code: read("jurisdictions.code", &code, JurisdictionCode::parse)?,
        name,
        level: read("jurisdictions.level", &level, JurisdictionLevel::parse)?,
        region: read("jurisdictions.region", &region, Region::parse)?,
    })
}

impl Store {
    /// Adds or updates jurisdictions by code, in one transaction, and returns how many were added
    /// or changed. Jurisdictions not in `items` are left alone.
    pub async fn upsert_jurisdictions(&self, items: &[Jurisdiction]) -> Result<usize, StorageError> {
        let mut seen = HashSet::with_capacity(items.len());
        if let Some(dup) = items.iter().find(|j| !seen.insert(&j.code)) {
            return Err(StorageError::DuplicateJurisdiction {
                code: dup.code.clone(),
            });
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write("jurisdictions").await?;
            // Compared as stored text, so that an unreadable row is simply overwritten.
            let current: HashMap<String, (String, String, String)> =
                sqlx::query_as::<_, JurisdictionRow>(select!())
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(code, name, level, region)| (code, (name, level, region)))
                    .collect();
            let mut written = 0;
            for j in items {
                let row = (
                    j.name.clone(),
                    j.level.as_str().to_owned(),
                    j.region.slug().to_owned(),
                );
                if current.get(j.code.as_str()) == Some(&row) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO jurisdictions (code, name, level, region, country) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                         region = excluded.region, country = excluded.country",
                )
                .bind(j.code.as_str())
                .bind(&j.name)
                .bind(j.level.as_str())
                .bind(j.region.slug())
                .bind(j.code.country().as_str())
                .execute(&mut *tx)
                .await?;
                written += 1;
            }
            tx.commit().await?;
            Ok(written)
        })
    }

    pub async fn jurisdiction(&self, code: &JurisdictionCode) -> Result<Option<Jurisdiction>, StorageError> {
        let row: Option<JurisdictionRow> = on_pool!(self, |pool| {
            sqlx::query_as(select!("WHERE code = $1"))
                .bind(code.as_str())
                .fetch_optional(pool)
                .await?
        });
        row.map(from_row).transpose()
    }

    /// Every jurisdiction, ordered by code.
    pub async fn jurisdictions(&self) -> Result<Vec<Jurisdiction>, StorageError> {
        let rows: Vec<JurisdictionRow> = on_pool!(self, |pool| {
            sqlx::query_as(select!("ORDER BY code")).fetch_all(pool).await?
        });
        rows.into_iter().map(from_row).collect()
    }
}
