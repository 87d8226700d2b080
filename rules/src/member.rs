//! OGP members: national and local governments, their status and action-plan cycle.

use serde::{Deserialize, Serialize};

use crate::event::slug_enum;
use crate::{EventDate, JurisdictionCode, JurisdictionLevel, Region};

slug_enum!(
    /// An OGP member's standing.
    MemberStatus, "a member status" {
        Active => "active",
        UnderReview => "under-review" | "under-procedural-review" | "procedural-review",
        Inactive => "inactive",
        Suspended => "suspended",
        Withdrawn => "withdrawn",
    }
);

/// The member's current (or most recent) action plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ActionPlan {
    /// The plan's number in the member's sequence (the fifth plan is 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The year the plan's cycle started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohort: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<EventDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<EventDate>,
}

impl ActionPlan {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// An OGP member as the members file (or an admin) states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub code: JurisdictionCode,
    pub name: String,
    pub level: JurisdictionLevel,
    pub region: Region,
    pub status: MemberStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_since: Option<EventDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<i32>,
    #[serde(default, skip_serializing_if = "ActionPlan::is_empty")]
    pub action_plan: ActionPlan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// An entry of a status feed (Atom/RSS) that may announce a change of a member's status.
///
/// When the feed declares a pattern that maps the entry to a member and a status, the candidate is
/// applied automatically; otherwise it waits for an admin to confirm or dismiss it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCandidate {
    /// The entry's id in its feed (Atom `id`, RSS `guid` or link).
    pub entry_id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    /// The member and status a declared pattern found, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<JurisdictionCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MemberStatus>,
    /// Whether the declared pattern says to apply it without an admin's confirmation.
    #[serde(default)]
    pub automatic: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_ogp_wording() {
        assert_eq!(
            MemberStatus::parse("Under procedural review").unwrap(),
            MemberStatus::UnderReview
        );
        assert_eq!(MemberStatus::parse("inactive").unwrap(), MemberStatus::Inactive);
        assert!(
            MemberStatus::parse("dormant")
                .unwrap_err()
                .to_string()
                .contains("expected active, under-review")
        );
    }
}
