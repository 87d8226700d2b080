//! Nominations: who is nominated (a person or an institution, from a jurisdiction), in which
//! category, with what citation, by whom, and who seconded it.
//!
//! Two nominations are the same nominee when they are in the same category, from the same
//! country, and their names match after [`normalise_name`] (case, accents, punctuation, a
//! leading "the" and word order do not count), so "Dr. Jane DOE" and "Doe, Jane" collide.
//! The campaign refuses the second one and points to the first, which can be seconded instead.
//!
//! Editing the citation keeps the seconds; changing the nominee or the category clears them,
//! since the people who seconded supported something else.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest nominee, organisation or jurisdiction text accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest citation accepted, in characters.
pub const MAX_CITATION_CHARS: usize = 4000;

/// A nomination's number within its campaign, shown as `#3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NominationId(pub u32);

impl fmt::Display for NominationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NomineeKind {
    Person,
    Institution,
}

/// Who is nominated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nominee {
    pub kind: NomineeKind,
    pub name: String,
    /// A jurisdiction code: a country (`KE`), a subdivision (`KE-30`) or a country and a local
    /// slug (`ES-madrid`). Only the form is checked here; the country is its first two letters.
    pub jurisdiction: String,
    /// The organisation a person works for; for an institution, a parent body if any.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The nominee's chat user id, when the nominee is a person who uses Vigie.
    #[serde(default)]
    pub user: Option<String>,
}

impl Nominee {
    pub fn person(name: impl Into<String>, jurisdiction: impl Into<String>) -> Self {
        Self {
            kind: NomineeKind::Person,
            name: name.into(),
            jurisdiction: jurisdiction.into(),
            organisation: None,
            user: None,
        }
    }

    pub fn institution(name: impl Into<String>, jurisdiction: impl Into<String>) -> Self {
        Self {
            kind: NomineeKind::Institution,
            ..Self::person(name, jurisdiction)
        }
    }

    pub fn with_organisation(mut self, organisation: impl Into<String>) -> Self {
        self.organisation = Some(organisation.into());
        self
    }

    pub fn with_user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The country of the jurisdiction (its first two letters), or `""` when malformed.
    pub fn country(&self) -> &str {
        self.jurisdiction.get(..2).unwrap_or("")
    }

    /// The nominee as stored: text trimmed, jurisdiction with an upper-case country, empty
    /// optional fields dropped. The error is one sentence naming the field and the form.
    pub fn validated(&self) -> Result<Self, String> {
        let name = clean(&self.name);
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(format!(
                "the nominee's name is {}; expected a name of 1 to {MAX_NAME_CHARS} characters",
                if name.is_empty() { "empty" } else { "too long" }
            ));
        }
        let jurisdiction = jurisdiction(&self.jurisdiction).ok_or_else(|| {
            format!(
                "“{}” is not a jurisdiction code; expected a country (KE), a subdivision (KE-30) or a country and a local slug (ES-madrid)",
                self.jurisdiction.trim()
            )
        })?;
        let organisation = self.organisation.as_deref().map(clean).filter(|o| !o.is_empty());
        if organisation
            .as_ref()
            .is_some_and(|o| o.chars().count() > MAX_NAME_CHARS)
        {
            return Err(format!(
                "the nominee's organisation is too long; expected at most {MAX_NAME_CHARS} characters"
            ));
        }
        let user = self
            .user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        Ok(Self {
            kind: self.kind,
            name,
            jurisdiction,
            organisation,
            user,
        })
    }

    /// What makes two nominations in one category the same nominee.
    pub fn duplicate_key(&self) -> (String, String) {
        (self.country().to_ascii_uppercase(), normalise_name(&self.name))
    }
}

impl fmt::Display for Nominee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}” ({})", self.name, self.jurisdiction)
    }
}

/// Where a nomination stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum NominationStatus {
    /// Made, not withdrawn; after nominations close, it stands for election.
    Active,
    /// Withdrawn by its nominator, the nominee or an admin.
    Withdrawn { by: String, at: DateTime<Utc> },
    /// Nominations closed before it had the seconds required.
    Lapsed { seconds: u32, required: u32 },
}

impl fmt::Display for NominationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Active => f.write_str("active"),
            Self::Withdrawn { at, .. } => write!(f, "withdrawn on {}", at.format("%Y-%m-%d %H:%M UTC")),
            Self::Lapsed { seconds, required } => {
                write!(f, "lapsed with {seconds} of the {required} seconds required")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nomination {
    pub id: NominationId,
    /// The category's slug.
    pub category: String,
    pub nominee: Nominee,
    pub citation: String,
    pub nominator: String,
    /// The user ids of those who seconded it (never the nominator or the nominee).
    pub seconds: BTreeSet<String>,
    pub status: NominationStatus,
    pub made_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl Nomination {
    pub fn is_active(&self) -> bool {
        self.status == NominationStatus::Active
    }

    pub fn seconds_count(&self) -> u32 {
        u32::try_from(self.seconds.len()).unwrap_or(u32::MAX)
    }
}

/// A citation as stored (trimmed), or the sentence saying what is wrong with it.
pub fn validated_citation(text: &str) -> Result<String, String> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_CITATION_CHARS {
        return Err(format!(
            "the citation is {}; expected 1 to {MAX_CITATION_CHARS} characters saying why the nominee deserves the award",
            if chars == 0 { "empty" } else { "too long" }
        ));
    }
    Ok(text.to_owned())
}

/// A name reduced for comparison: lower case, Latin accents removed, punctuation dropped, a
/// leading "the" dropped, words sorted. `"The Ministry of Finance, Kenya"` and
/// `"kenya ministry of finance"` give the same result.
pub fn normalise_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(s) => folded.push_str(s),
            None if c.is_alphanumeric() => folded.push(c),
            // Punctuation and spaces separate words, except apostrophes ("O'Brien" = "OBrien").
            None if c == '\'' || c == '’' => {}
            None => folded.push(' '),
        }
    }
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.sort_unstable();
    words.join(" ")
}

/// Collapses inner whitespace and trims; control characters become spaces.
fn clean(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A jurisdiction code in its stored form (`KE`, `KE-30`, `ES-madrid`), if well formed.
fn jurisdiction(text: &str) -> Option<String> {
    let t = text.trim();
    let (country, rest) = match t.split_once('-') {
        Some((c, r)) => (c, Some(r)),
        None => (t, None),
    };
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let country = country.to_ascii_uppercase();
    let Some(rest) = rest else { return Some(country) };
    let iso = (1..=3).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric());
    let slug = (1..=60).contains(&rest.len())
        && !rest.starts_with('-')
        && !rest.ends_with('-')
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if iso {
        Some(format!("{country}-{}", rest.to_ascii_uppercase()))
    } else if slug {
        Some(format!("{country}-{rest}"))
    } else {
        None
    }
}

/// Latin letters with diacritics (and ligatures) as plain ASCII; `None` for anything else.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_only_in_form_normalise_alike() {
        let same = [
            ("Jane Doe", "  jane   DOE "),
            ("Jane Doe", "Doe, Jane"),
            ("José Martínez", "Jose Martinez"),
            ("The Ministry of Finance", "Ministry of Finance."),
            ("Seán O'Brien", "Sean OBrien"),
            ("Ørsted Æble", "orsted aeble"),
        ];
        for (a, b) in same {
            assert_eq!(normalise_name(a), normalise_name(b), "{a:?} vs {b:?}");
        }
        assert_ne!(normalise_name("Jane Doe"), normalise_name("Jane Dough"));
        assert_eq!(normalise_name("The"), "the");
    }

    #[test]
    fn jurisdictions_are_checked_for_form_and_stored_upper_case() {
        let cases = [
            ("ke", Some("KE")),
            (" KE-30 ", Some("KE-30")),
            ("es-md", Some("ES-MD")),
            ("ES-madrid", Some("ES-madrid")),
            ("K", None),
            ("KEN", None),
            ("KE-", None),
            ("KE-Madrid City", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(jurisdiction(text).as_deref(), expected, "{text:?}");
        }
    }

    #[test]
    fn a_nominee_is_validated_into_its_stored_form() {
        let raw = Nominee::person("  Jane \n Doe ", "ke")
            .with_organisation("  ")
            .with_user(" @jane ");
        let ok = raw.validated().expect("valid");
        assert_eq!(ok.name, "Jane Doe");
        assert_eq!(ok.jurisdiction, "KE");
        assert_eq!(ok.organisation, None);
        assert_eq!(ok.user.as_deref(), Some("@jane"));
        let empty = Nominee::person(" ", "KE").validated().expect_err("empty name");
        assert!(empty.contains("name is empty"), "{empty}");
        let bad = Nominee::person("Jane", "Kenya")
            .validated()
            .expect_err("bad code");
        assert!(bad.contains("“Kenya” is not a jurisdiction code"), "{bad}");
    }

    #[test]
    fn citations_must_say_something_but_not_too_much() {
        assert_eq!(
            validated_citation("  Opened the budget.  ").as_deref(),
            Ok("Opened the budget.")
        );
        assert!(validated_citation(" ").is_err());
        assert!(validated_citation(&"x".repeat(MAX_CITATION_CHARS + 1)).is_err());
    }
}
