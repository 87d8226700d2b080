//! Jurisdictions: ISO 3166-1 countries, ISO 3166-2 subdivisions and OGP local members.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// An ISO 3166-1 alpha-2 country code, stored upper-case (`KE`, `NL`).
///
/// Only the form is checked here; whether the code names a real country is a question for the
/// jurisdiction registry, which is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let t = s.trim();
        match t.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Ok(Self([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(ParseError::new(format!(
                "\"{t}\" is not a country code; expected two letters of ISO 3166-1 alpha-2, such as KE or NL"
            ))),
        }
    }

    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> Self {
        c.as_str().to_owned()
    }
}

/// A jurisdiction code: a country (`KE`), an ISO 3166-2 subdivision (`KE-30`, `ES-MD`) or an OGP
/// local member without an ISO code, as the country and a lower-case slug (`ES-madrid`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JurisdictionCode(String);

impl JurisdictionCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let t = s.trim();
        let bad = || {
            ParseError::new(format!(
                "\"{t}\" is not a jurisdiction code; expected a country (KE), an ISO 3166-2 subdivision (KE-30) or a country and a local slug (ES-madrid)"
            ))
        };
        let (country, rest) = match t.split_once('-') {
            Some((c, r)) => (c, Some(r)),
            None => (t, None),
        };
        let country = CountryCode::parse(country).map_err(|_| bad())?;
        let Some(rest) = rest else {
            return Ok(Self(country.as_str().to_owned()));
        };
        let iso = (1..=3).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric());
        let slug = rest.len() <= 60
            && rest.starts_with(|c: char| c.is_ascii_alphanumeric())
            && !rest.ends_with('-')
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if iso {
            Ok(Self(format!("{country}-{}", rest.to_ascii_uppercase())))
        } else if slug {
            Ok(Self(format!("{country}-{rest}")))
        } else {
            Err(bad())
        }
    }

    pub fn country(&self) -> CountryCode {
        CountryCode([self.0.as_bytes()[0], self.0.as_bytes()[1]])
    }

    /// Whether this code names a whole country.
    pub fn is_national(&self) -> bool {
        self.0.len() == 2
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<CountryCode> for JurisdictionCode {
    fn from(c: CountryCode) -> Self {
        Self(c.as_str().to_owned())
    }
}

impl fmt::Display for JurisdictionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for JurisdictionCode {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<JurisdictionCode> for String {
    fn from(c: JurisdictionCode) -> Self {
        c.0
    }
}

/// The four OGP regions, in the strategy's own vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Region {
    AfricaMiddleEast,
    Americas,
    AsiaPacific,
    Europe,
}

impl Region {
    pub const ALL: [Region; 4] = [
        Self::AfricaMiddleEast,
        Self::Americas,
        Self::AsiaPacific,
        Self::Europe,
    ];

    /// The slug used in files, labels and commands.
    pub fn slug(self) -> &'static str {
        match self {
            Self::AfricaMiddleEast => "africa-middle-east",
            Self::Americas => "americas",
            Self::AsiaPacific => "asia-pacific",
            Self::Europe => "europe",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::AfricaMiddleEast => "Africa and the Middle East",
            Self::Americas => "the Americas",
            Self::AsiaPacific => "Asia and the Pacific",
            Self::Europe => "Europe",
        }
    }

    /// Reads a slug; short forms people type (`africa`, `asia`, `mena`) are accepted too.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let t = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        match t.as_str() {
            "africa-middle-east" | "africa-and-the-middle-east" | "africa" | "middle-east" | "mena" => {
                Ok(Self::AfricaMiddleEast)
            }
            "americas" | "the-americas" | "america" => Ok(Self::Americas),
            "asia-pacific" | "asia-and-the-pacific" | "asia" | "pacific" | "apac" => Ok(Self::AsiaPacific),
            "europe" => Ok(Self::Europe),
            _ => Err(ParseError::new(format!(
                "\"{}\" is not a region; expected africa-middle-east, americas, asia-pacific or europe",
                s.trim()
            ))),
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl TryFrom<String> for Region {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Region> for String {
    fn from(r: Region) -> Self {
        r.slug().to_owned()
    }
}

/// Whether a jurisdiction (or a member) is a whole country or a local government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JurisdictionLevel {
    National,
    /// Subnational and local governments (OGP Local).
    Local,
}

impl JurisdictionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Local => "local",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ParseError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "national" => Ok(Self::National),
            "local" | "subnational" => Ok(Self::Local),
            other => Err(ParseError::new(format!(
                "\"{other}\" is not a level; expected national or local"
            ))),
        }
    }
}

impl fmt::Display for JurisdictionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place that holds elections and may be an OGP member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jurisdiction {
    pub code: JurisdictionCode,
    pub name: String,
    pub level: JurisdictionLevel,
    pub region: Region,
}

impl Jurisdiction {
    pub fn country(&self) -> CountryCode {
        self.code.country()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_keep_their_country() {
        for (input, code, country, national) in [
            ("ke", "KE", "KE", true),
            (" NL ", "NL", "NL", true),
            ("ke-30", "KE-30", "KE", false),
            ("es-md", "ES-MD", "ES", false),
            ("ES-madrid", "ES-madrid", "ES", false),
            ("US-austin-tx", "US-austin-tx", "US", false),
        ] {
            let c = JurisdictionCode::parse(input).unwrap();
            assert_eq!(
                (c.as_str(), c.country().as_str(), c.is_national()),
                (code, country, national),
                "{input}"
            );
        }
    }

    #[test]
    fn malformed_codes_name_the_expected_form() {
        for input in ["", "K", "KEN", "1A", "KE-", "KE-Madrid City", "KE-madrid-", "ké"] {
            let err = JurisdictionCode::parse(input).unwrap_err().to_string();
            assert!(err.contains("expected a country (KE)"), "{input}: {err}");
        }
        assert!(
            CountryCode::parse("KEN")
                .unwrap_err()
                .to_string()
                .contains("ISO 3166-1 alpha-2")
        );
    }

    #[test]
    fn regions_read_their_slugs_and_common_short_forms() {
        for r in Region::ALL {
            assert_eq!(Region::parse(r.slug()).unwrap(), r);
        }
        assert_eq!(Region::parse("Africa").unwrap(), Region::AfricaMiddleEast);
        assert_eq!(Region::parse("asia_pacific").unwrap(), Region::AsiaPacific);
        assert!(
            Region::parse("oceania")
                .unwrap_err()
                .to_string()
                .contains("expected africa-middle-east")
        );
    }
}
