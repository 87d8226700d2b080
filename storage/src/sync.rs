//! What a sync did.

use std::fmt;

/// How a sync changed what was stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SyncCounts {
    pub added: usize,
    /// Changed in place, or restored after having been removed.
    pub changed: usize,
    pub unchanged: usize,
    /// No longer listed by the feed: marked removed, never deleted.
    pub removed: usize,
}

impl SyncCounts {
    /// Whether the sync left everything as it was.
    pub fn is_unchanged(&self) -> bool {
        self.added == 0 && self.changed == 0 && self.removed == 0
    }
}

/// `3 added, 1 changed, 0 removed`.
impl fmt::Display for SyncCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added, {} changed, {} removed",
            self.added, self.changed, self.removed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_a_sentence() {
        let counts = SyncCounts {
            added: 3,
            changed: 1,
            unchanged: 7,
            removed: 0,
        };
        assert_eq!(counts.to_string(), "3 added, 1 changed, 0 removed");
        assert!(!counts.is_unchanged());
        assert!(
            SyncCounts {
                unchanged: 5,
                ..SyncCounts::default()
            }
            .is_unchanged()
        );
    }
}
