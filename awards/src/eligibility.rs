//! Who may take part in a campaign, and who must stand aside.
//!
//! An [`Actor`] is whoever acts: a chat user with a role, and the region, country and
//! organisation the edge knows for them. [`Eligibility`] says who may nominate (and second) and
//! who may vote: a lowest role, optionally a set of regions, optionally an explicit roll of user
//! ids; an actor must satisfy all three. [`RecusalRules`] say when a voter is recused from a
//! nomination automatically (same country or same organisation as the nominee); a nominee who is
//! the voter is always recused, and voters may declare further conflicts themselves (the campaign
//! keeps those).
//!
//! A recusal covers the whole category of the nomination: see the `//!` of
//! [`crate::campaign`] for why a recused voter does not vote in that category at all.
//!
//! Pure: decisions on plain data, nothing read from anywhere.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::nomination::{Nominee, NomineeKind, normalise_name};

/// How much a chat user may do; ordered, so `Admin > Peer > Anyone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Any member of the room.
    Anyone,
    /// A registered peer of the network.
    Peer,
    /// An admin of the room or of Vigie.
    Admin,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Anyone => "anyone",
            Self::Peer => "peer",
            Self::Admin => "admin",
        })
    }
}

/// Whoever acts on a campaign, as the edge knows them at the moment they act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The platform's user id (`@ana:example.org`, a Discord snowflake, `console`).
    pub user: String,
    pub role: Role,
    /// A region slug (`africa`, `europe`), compared without regard to case.
    pub region: Option<String>,
    /// An ISO 3166-1 alpha-2 country code, compared without regard to case.
    pub country: Option<String>,
    /// The actor's organisation, compared by [`normalise_name`].
    pub organisation: Option<String>,
}

impl Actor {
    /// An actor with a role and nothing else known about them.
    pub fn new(user: impl Into<String>, role: Role) -> Self {
        Self {
            user: user.into(),
            role,
            region: None,
            country: None,
            organisation: None,
        }
    }

    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    pub fn from_country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    pub fn at_organisation(mut self, organisation: impl Into<String>) -> Self {
        self.organisation = Some(organisation.into());
        self
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Who may do something: at least `min_role`, from one of `regions` when given, and on `roll`
/// when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    pub min_role: Role,
    /// Region slugs, lower-case; `None` admits every region (and actors with none).
    #[serde(default)]
    pub regions: Option<BTreeSet<String>>,
    /// User ids; `None` admits everyone who passes the role and region tests.
    #[serde(default)]
    pub roll: Option<BTreeSet<String>>,
}

impl Default for Eligibility {
    /// Peers and admins from every region, no roll.
    fn default() -> Self {
        Self {
            min_role: Role::Peer,
            regions: None,
            roll: None,
        }
    }
}

impl Eligibility {
    /// Anyone at all: the rule for declaring a conflict, for instance.
    pub fn anyone() -> Self {
        Self {
            min_role: Role::Anyone,
            regions: None,
            roll: None,
        }
    }

    /// The same rule with region slugs lower-cased and trimmed, and roll entries trimmed, as
    /// they are stored.
    pub fn normalised(&self) -> Self {
        Self {
            min_role: self.min_role,
            regions: self
                .regions
                .as_ref()
                .map(|set| set.iter().map(|r| r.trim().to_lowercase()).collect()),
            roll: self
                .roll
                .as_ref()
                .map(|set| set.iter().map(|u| u.trim().to_owned()).collect()),
        }
    }

    /// Whether `actor` passes; the error says which test failed and what would pass.
    pub fn check(&self, actor: &Actor) -> Result<(), Ineligible> {
        if actor.role < self.min_role {
            return Err(Ineligible::Role {
                have: actor.role,
                need: self.min_role,
            });
        }
        if let Some(regions) = &self.regions {
            let mine = actor.region.as_deref().map(|r| r.trim().to_lowercase());
            if !mine.as_ref().is_some_and(|r| regions.contains(r)) {
                return Err(Ineligible::Region {
                    have: mine,
                    allowed: regions.iter().cloned().collect::<Vec<_>>().join(", "),
                });
            }
        }
        if let Some(roll) = &self.roll
            && !roll.contains(actor.user.trim())
        {
            return Err(Ineligible::NotOnRoll);
        }
        Ok(())
    }

    /// How many people may take part, when the roll says (for turnout and quorum shares).
    pub fn roll_size(&self) -> Option<usize> {
        self.roll.as_ref().map(BTreeSet::len)
    }
}

/// Why an actor fails an [`Eligibility`] test; each reads as the end of a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("it needs the role {need} or higher, and you are {have}")]
    Role { have: Role, need: Role },
    #[error(
        "it is open to the regions {allowed}, and your region is {}",
        have.as_deref().unwrap_or("not set")
    )]
    Region { have: Option<String>, allowed: String },
    #[error("it is open only to the people on its roll, and you are not on it; ask an admin to add you")]
    NotOnRoll,
}

/// When a voter is recused from a nomination without declaring it. A nominee who is the voter
/// is always recused; these add more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecusalRules {
    /// The voter's country is the country of the nominee's jurisdiction.
    pub same_country: bool,
    /// The voter's organisation is the nominee's (or, for an institution, the institution).
    pub same_organisation: bool,
}

impl Default for RecusalRules {
    /// Same organisation recuses; same country does not (in a network of national peers it
    /// would keep most voters out of most categories).
    fn default() -> Self {
        Self {
            same_country: false,
            same_organisation: true,
        }
    }
}

/// Why a voter is recused from a nomination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum RecusalReason {
    /// The voter declared a conflict.
    Declared,
    /// The voter is the nominee.
    Nominee,
    SameCountry {
        country: String,
    },
    SameOrganisation {
        organisation: String,
    },
}

impl fmt::Display for RecusalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Declared => f.write_str("you declared a conflict of interest"),
            Self::Nominee => f.write_str("you are the nominee"),
            Self::SameCountry { country } => write!(f, "you and the nominee are both from {country}"),
            Self::SameOrganisation { organisation } => {
                write!(f, "you and the nominee are both with {organisation}")
            }
        }
    }
}

impl RecusalRules {
    /// The automatic reason `voter` is recused from `nominee`, if any; the nominee check comes
    /// first, then country, then organisation.
    pub fn automatic(&self, voter: &Actor, nominee: &Nominee) -> Option<RecusalReason> {
        if nominee
            .user
            .as_deref()
            .is_some_and(|u| u.trim() == voter.user.trim())
        {
            return Some(RecusalReason::Nominee);
        }
        if self.same_country
            && let Some(country) = &voter.country
            && !nominee.country().is_empty()
            && country.trim().eq_ignore_ascii_case(nominee.country())
        {
            return Some(RecusalReason::SameCountry {
                country: nominee.country().to_owned(),
            });
        }
        if self.same_organisation
            && let Some(org) = voter.organisation.as_deref().map(normalise_name)
            && !org.is_empty()
        {
            let theirs = nominee.organisation.iter().map(String::as_str);
            let itself = (nominee.kind == NomineeKind::Institution).then_some(nominee.name.as_str());
            if let Some(hit) = theirs.chain(itself).find(|o| normalise_name(o) == org) {
                return Some(RecusalReason::SameOrganisation {
                    organisation: hit.to_owned(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nominee(kind: NomineeKind, name: &str, jurisdiction: &str, org: Option<&str>) -> Nominee {
        Nominee {
            kind,
            name: name.into(),
            jurisdiction: jurisdiction.into(),
            organisation: org.map(Into::into),
            user: None,
        }
    }

    #[test]
    fn roles_are_ordered_from_anyone_to_admin() {
        assert!(Role::Anyone < Role::Peer && Role::Peer < Role::Admin);
    }

    #[test]
    fn each_eligibility_test_reports_its_own_failure() {
        let rule = Eligibility {
            min_role: Role::Peer,
            regions: Some(["africa".to_owned()].into()),
            roll: Some(["@ana".to_owned()].into()),
        };
        let ana = Actor::new("@ana", Role::Peer).in_region("Africa");
        assert_eq!(rule.check(&ana), Ok(()));
        let cases = [
            (Actor::new("@ana", Role::Anyone).in_region("africa"), "role peer"),
            (Actor::new("@ana", Role::Peer), "region is not set"),
            (
                Actor::new("@ana", Role::Peer).in_region("europe"),
                "your region is europe",
            ),
            (Actor::new("@bo", Role::Admin).in_region("africa"), "roll"),
        ];
        for (actor, expected) in cases {
            let err = rule.check(&actor).expect_err("should be refused").to_string();
            assert!(err.contains(expected), "{err:?} should mention {expected:?}");
        }
    }

    #[test]
    fn automatic_recusal_follows_the_configured_rules() {
        let both = RecusalRules {
            same_country: true,
            same_organisation: true,
        };
        let none = RecusalRules {
            same_country: false,
            same_organisation: false,
        };
        let voter = Actor::new("@ana", Role::Peer)
            .from_country("ke")
            .at_organisation("Mzalendo Trust");
        let person = nominee(NomineeKind::Person, "Jane Doe", "KE-30", Some("mzalendo trust"));
        let institution = nominee(NomineeKind::Institution, "Mzalendo  Trust", "NG", None);
        let elsewhere = nominee(NomineeKind::Person, "Ola Nordmann", "NO", None);
        assert_eq!(
            both.automatic(&voter, &person),
            Some(RecusalReason::SameCountry { country: "KE".into() })
        );
        assert!(matches!(
            both.automatic(&voter, &institution),
            Some(RecusalReason::SameOrganisation { .. })
        ));
        assert_eq!(both.automatic(&voter, &elsewhere), None);
        assert_eq!(none.automatic(&voter, &person), None);
        let mut me = elsewhere.clone();
        me.user = Some("@ana".into());
        assert_eq!(none.automatic(&voter, &me), Some(RecusalReason::Nominee));
    }
}
