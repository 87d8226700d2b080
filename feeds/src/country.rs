//! The registry of ISO 3166-1 countries with their OGP region, read from `countries.csv`.

use std::collections::HashMap;

use vigie_rules::{CountryCode, Jurisdiction, JurisdictionCode, JurisdictionLevel, Region};

use crate::{FeedError, bundled};

#[derive(Debug, Clone)]
pub struct CountryInfo {
    pub code: CountryCode,
    pub alpha3: String,
    pub name: String,
    pub region: Region,
}

/// Every known country, looked up by alpha-2, alpha-3 or English name.
#[derive(Debug, Clone, Default)]
pub struct Countries {
    by_code: HashMap<CountryCode, CountryInfo>,
    by_alpha3: HashMap<String, CountryCode>,
    by_name: HashMap<String, CountryCode>,
}

impl Countries {
    /// The registry bundled with Vigie.
    pub fn bundled() -> Result<Self, FeedError> {
        Self::from_csv(bundled::file("countries.csv").unwrap_or_default())
    }

    /// Reads `alpha2,alpha3,name,region` rows.
    pub fn from_csv(bytes: &[u8]) -> Result<Self, FeedError> {
        #[derive(serde::Deserialize)]
        struct Row {
            alpha2: String,
            alpha3: String,
            name: String,
            region: String,
        }
        let mut registry = Self::default();
        let mut problems = Vec::new();
        let mut reader = csv::Reader::from_reader(bytes);
        for (i, row) in reader.deserialize::<Row>().enumerate() {
            let line = i + 2;
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    problems.push(format!("line {line}: {e}"));
                    continue;
                }
            };
            let (code, region) = match (CountryCode::parse(&row.alpha2), Region::parse(&row.region)) {
                (Ok(c), Ok(r)) => (c, r),
                (Err(e), _) | (_, Err(e)) => {
                    problems.push(format!("line {line}: {e}"));
                    continue;
                }
            };
            let alpha3 = row.alpha3.trim().to_ascii_uppercase();
            registry.by_alpha3.insert(alpha3.clone(), code);
            registry.by_name.insert(row.name.trim().to_lowercase(), code);
            registry.by_code.insert(
                code,
                CountryInfo {
                    code,
                    alpha3,
                    name: row.name.trim().to_owned(),
                    region,
                },
            );
        }
        if problems.is_empty() {
            Ok(registry)
        } else {
            Err(FeedError::Invalid(problems))
        }
    }

    pub fn get(&self, code: CountryCode) -> Option<&CountryInfo> {
        self.by_code.get(&code)
    }

    pub fn by_alpha3(&self, alpha3: &str) -> Option<&CountryInfo> {
        self.by_alpha3
            .get(&alpha3.trim().to_ascii_uppercase())
            .and_then(|c| self.by_code.get(c))
    }

    /// Finds a country by code (alpha-2 or alpha-3) or by its English name, ignoring case.
    pub fn lookup(&self, text: &str) -> Option<&CountryInfo> {
        let t = text.trim();
        CountryCode::parse(t)
            .ok()
            .and_then(|c| self.get(c))
            .or_else(|| self.by_alpha3(t))
            .or_else(|| {
                self.by_name
                    .get(&t.to_lowercase())
                    .and_then(|c| self.by_code.get(c))
            })
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// Every country as a national jurisdiction.
    pub fn jurisdictions(&self) -> Vec<Jurisdiction> {
        let mut all: Vec<Jurisdiction> = self
            .by_code
            .values()
            .map(|c| Jurisdiction {
                code: JurisdictionCode::from(c.code),
                name: c.name.clone(),
                level: JurisdictionLevel::National,
                region: c.region,
            })
            .collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    }
}
