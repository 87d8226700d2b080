//! [`Ballots`]: ranked ballots stored flat, one `u32` per mark, so that a million ballots cost
//! three allocations instead of tens of millions, and counting reads memory in order.
//!
//! A ballot's marks, in rank order, are encoded as:
//! * `c` — candidate `c` opens a new rank;
//! * `EQUAL | c` — candidate `c` shares the rank of the mark before it (an equal preference,
//!   or for IRV an overvote);
//! * `SKIP` — an empty (skipped) rank.
//!
//! The encoding is canonical (one [`Ballot`] has exactly one encoding), so two sets are equal
//! exactly when they hold the same ballots in the same order.

use super::{Ballot, CandidateId};

/// The flag of a mark that shares the rank of the mark before it.
pub(crate) const EQUAL: u32 = 1 << 31;
/// A skipped rank.
pub(crate) const SKIP: u32 = u32::MAX;
/// The largest candidate index a mark holds. A larger index (which no real file can name:
/// it would need billions of candidate names) is stored as this one, which is out of range
/// for any profile, so [`super::Profile::check`] refuses it.
pub(crate) const MAX_MARK: u32 = EQUAL - 2;

/// The candidate of a mark (not [`SKIP`]).
pub(crate) fn candidate(mark: u32) -> CandidateId {
    (mark & !EQUAL) as CandidateId
}

/// The mark of candidate `c`, saturating at [`MAX_MARK`].
pub(crate) fn mark(c: CandidateId) -> u32 {
    u32::try_from(c).map_or(MAX_MARK, |c| c.min(MAX_MARK))
}

/// Ranked ballots in order, stored flat (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ballots {
    pub(crate) weights: Vec<u64>,
    /// `ends[i]`: where ballot `i`'s marks end in `marks` (they start at `ends[i - 1]`, or 0).
    pub(crate) ends: Vec<usize>,
    pub(crate) marks: Vec<u32>,
}

impl Ballots {
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of ballot lines (not their total weight).
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Appends a ballot.
    pub fn push(&mut self, ballot: Ballot) {
        self.push_ranks(ballot.weight, &ballot.ranks);
    }

    /// Appends a ballot given by its ranks (an empty rank is a skipped rank).
    pub fn push_ranks<R: AsRef<[CandidateId]>>(&mut self, weight: u64, ranks: &[R]) {
        for rank in ranks {
            let rank = rank.as_ref();
            match rank.split_first() {
                None => self.marks.push(SKIP),
                Some((&first, rest)) => {
                    self.marks.push(mark(first));
                    self.marks.extend(rest.iter().map(|&c| mark(c) | EQUAL));
                }
            }
        }
        self.close(weight);
    }

    /// Appends a ballot with one candidate per rank, in order of preference.
    pub fn push_ranking(&mut self, weight: u64, order: &[CandidateId]) {
        self.marks.extend(order.iter().map(|&c| mark(c)));
        self.close(weight);
    }

    /// Ends the ballot whose marks were pushed since the last one ended.
    pub(crate) fn close(&mut self, weight: u64) {
        self.weights.push(weight);
        self.ends.push(self.marks.len());
    }

    /// Removes and returns the last ballot.
    pub fn pop(&mut self) -> Option<Ballot> {
        let last = self.get(self.len().checked_sub(1)?)?.to_ballot();
        self.weights.pop();
        self.ends.pop();
        self.marks.truncate(self.ends.last().copied().unwrap_or(0));
        Some(last)
    }

    /// Ballot `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<BallotRef<'_>> {
        let weight = *self.weights.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(BallotRef {
            weight,
            marks: &self.marks[start..self.ends[i]],
        })
    }

    /// Where ballot `i`'s marks start and end in [`Ballots::all_marks`] (`i` below `len`).
    pub(crate) fn span(&self, i: usize) -> (usize, usize) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (start, self.ends[i])
    }

    /// Every ballot's marks, one after another.
    pub(crate) fn all_marks(&self) -> &[u32] {
        &self.marks
    }

    /// The ballots in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            set: self,
            front: 0,
            back: self.len(),
        }
    }

    /// The ballots as owned [`Ballot`]s.
    pub fn to_vec(&self) -> Vec<Ballot> {
        self.iter().map(|b| b.to_ballot()).collect()
    }

    /// The total weight, saturating.
    pub fn total_weight(&self) -> u64 {
        self.weights.iter().fold(0u64, |s, &w| s.saturating_add(w))
    }

    /// The first candidate index, in ballot order, that is not below `candidates`.
    pub fn first_unknown(&self, candidates: usize) -> Option<CandidateId> {
        self.marks
            .iter()
            .filter(|&&m| m != SKIP)
            .map(|&m| candidate(m))
            .find(|&c| c >= candidates)
    }
}

/// The ballots of a [`Ballots`] set, in order.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    set: &'a Ballots,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = BallotRef<'a>;

    fn next(&mut self) -> Option<BallotRef<'a>> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.set.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.set.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Ballots {
    type Item = BallotRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl From<Vec<Ballot>> for Ballots {
    fn from(ballots: Vec<Ballot>) -> Self {
        ballots.into_iter().collect()
    }
}

impl FromIterator<Ballot> for Ballots {
    fn from_iter<I: IntoIterator<Item = Ballot>>(iter: I) -> Self {
        let mut set = Ballots::new();
        set.extend(iter);
        set
    }
}

impl Extend<Ballot> for Ballots {
    fn extend<I: IntoIterator<Item = Ballot>>(&mut self, iter: I) {
        for b in iter {
            self.push(b);
        }
    }
}

/// One ballot of a [`Ballots`] set, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotRef<'a> {
    /// How many identical ballots this line stands for.
    pub weight: u64,
    pub(crate) marks: &'a [u32],
}

impl<'a> BallotRef<'a> {
    /// The ranks in order; a skipped rank is an empty [`Rank`].
    pub fn ranks(&self) -> impl Iterator<Item = Rank<'a>> + use<'a> {
        let marks = self.marks;
        let mut at = 0;
        std::iter::from_fn(move || {
            let first = *marks.get(at)?;
            let start = at;
            at += 1;
            if first == SKIP {
                return Some(Rank(&[]));
            }
            while marks.get(at).is_some_and(|&m| m != SKIP && m & EQUAL != 0) {
                at += 1;
            }
            Some(Rank(&marks[start..at]))
        })
    }

    /// Every candidate named, in rank order (repeats included).
    pub fn candidates(&self) -> impl Iterator<Item = CandidateId> + use<'a> {
        self.marks.iter().filter(|&&m| m != SKIP).map(|&m| candidate(m))
    }

    /// Whether the ballot names no candidate at all.
    pub fn is_blank(&self) -> bool {
        self.marks.iter().all(|&m| m == SKIP)
    }

    /// The ballot as an owned [`Ballot`].
    pub fn to_ballot(&self) -> Ballot {
        Ballot {
            weight: self.weight,
            ranks: self.ranks().map(|r| r.to_vec()).collect(),
        }
    }

    /// See [`Ballot::effective_ranks`].
    pub fn effective_ranks(&self, withdrawn: &[CandidateId]) -> Vec<Vec<CandidateId>> {
        super::effective(self.ranks().map(|r| r.iter()), withdrawn)
    }

    /// The raw marks (see the module documentation).
    pub(crate) fn marks(&self) -> &'a [u32] {
        self.marks
    }
}

impl PartialEq<Ballot> for BallotRef<'_> {
    fn eq(&self, other: &Ballot) -> bool {
        self.weight == other.weight
            && self.ranks().count() == other.ranks.len()
            && self
                .ranks()
                .zip(&other.ranks)
                .all(|(a, b)| a.iter().eq(b.iter().copied()))
    }
}

/// The candidates of one rank (none for a skipped rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rank<'a>(&'a [u32]);

impl<'a> Rank<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = CandidateId> + use<'a> {
        self.0.iter().map(|&m| candidate(m))
    }

    pub fn to_vec(&self) -> Vec<CandidateId> {
        self.iter().collect()
    }
}

/// Identical keys merged: for each distinct key, the index of its first item and the sum of
/// the weights. Items of weight 0 are left out (they count for nothing). Keys are compared
/// exactly; a 64-bit fingerprint only finds candidates for the comparison.
///
/// `keys(i)` is item `i`'s key. Returns `None` when the weights add up to more than `u64::MAX`.
pub(crate) fn merge<'a>(
    items: usize,
    keys: impl Fn(usize) -> &'a [u32],
    weights: impl Fn(usize) -> u64,
) -> Option<Vec<(usize, u64)>> {
    let mut groups: Vec<(usize, u64)> = Vec::new();
    // Open addressing, linear probing, at most half full. A slot holds the top 32 bits of a
    // key's fingerprint and its group index + 1 (0: empty), so a probe reads one cache line
    // and the keys are only compared when the fingerprints agree.
    let size = (items.max(1) * 2).next_power_of_two();
    let mask = size - 1;
    let mut slots = vec![(0u32, 0u32); size];
    // The fingerprints first, in one sequential pass, so that the probes below (each a likely
    // cache miss) follow one another closely enough to overlap.
    let mut total = 0u64;
    let mut prints = Vec::with_capacity(items);
    for i in 0..items {
        total = total.checked_add(weights(i))?;
        prints.push(fingerprint(keys(i)));
    }
    for (i, &print) in prints.iter().enumerate() {
        let w = weights(i);
        if w == 0 {
            continue;
        }
        let tag = (print >> 32) as u32;
        let mut s = print as usize & mask;
        loop {
            match slots[s] {
                (_, 0) => {
                    // There are at most `items` groups, and more than u32::MAX ballots would
                    // not fit in memory in this form anyway.
                    slots[s] = (tag, u32::try_from(groups.len() + 1).unwrap_or(u32::MAX));
                    groups.push((i, w));
                    break;
                }
                (t, g) if t == tag && keys(groups[g as usize - 1].0) == keys(i) => {
                    // Cannot overflow: bounded by `total`.
                    groups[g as usize - 1].1 += w;
                    break;
                }
                _ => s = (s + 1) & mask,
            }
        }
    }
    Some(groups)
}

/// Every item its own group (weight-0 items left out): what [`merge`] would give if no two
/// keys were alike. For comparing merged and unmerged counts, and for counts whose total
/// weight does not fit in 64 bits.
pub(crate) fn unmerged(items: usize, weights: impl Fn(usize) -> u64) -> Vec<(usize, u64)> {
    (0..items)
        .map(|i| (i, weights(i)))
        .filter(|&(_, w)| w > 0)
        .collect()
}

/// A key's fingerprint: its length and every mark mixed into 64 bits, then finalised
/// (MurmurHash3's fmix64) so that the low bits the table uses are well mixed.
fn fingerprint(key: &[u32]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (key.len() as u64).wrapping_mul(K);
    let mut pairs = key.chunks_exact(2);
    for pair in &mut pairs {
        let v = u64::from(pair[0]) | u64::from(pair[1]) << 32;
        h = (h.rotate_left(23) ^ v).wrapping_mul(K);
    }
    if let [last] = pairs.remainder() {
        h = (h.rotate_left(23) ^ u64::from(*last)).wrapping_mul(K);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballots_read_back_as_written() {
        let written = vec![
            Ballot {
                weight: 3,
                ranks: vec![vec![2], vec![], vec![0, 1], vec![4]],
            },
            Ballot::ranking(0, &[]),
            Ballot {
                weight: 1,
                ranks: vec![vec![], vec![]],
            },
            Ballot::ranking(7, &[1, 0]),
        ];
        let mut set = Ballots::from(written.clone());
        assert_eq!(set.len(), 4);
        assert_eq!(set.to_vec(), written);
        assert_eq!(set.get(0).unwrap(), written[0]);
        assert!(set.get(2).unwrap().is_blank());
        assert!(!set.get(0).unwrap().is_blank());
        assert_eq!(
            set.get(0).unwrap().candidates().collect::<Vec<_>>(),
            vec![2, 0, 1, 4]
        );
        assert_eq!(set.total_weight(), 11);
        assert_eq!(set.first_unknown(4), Some(4));
        assert_eq!(set.first_unknown(5), None);
        assert_eq!(set.pop(), Some(Ballot::ranking(7, &[1, 0])));
        assert_eq!(set.to_vec(), written[..3]);
        assert!(set.get(3).is_none());
    }

    #[test]
    fn huge_candidate_indices_stay_out_of_range() {
        let mut set = Ballots::new();
        set.push_ranking(1, &[usize::MAX]);
        assert_eq!(set.first_unknown(1000), Some(MAX_MARK as usize));
    }

    #[test]
    fn merge_sums_identical_keys_in_order_of_first_appearance() {
        let keys: Vec<Vec<u32>> = vec![vec![1, 2], vec![2, 1], vec![1, 2], vec![], vec![2, 1], vec![]];
        let weights = [1, 2, 3, 4, 0, 5];
        let groups = merge(keys.len(), |i| &keys[i], |i| weights[i]).unwrap();
        assert_eq!(groups, vec![(0, 4), (1, 2), (3, 9)]);
        let all = unmerged(keys.len(), |i| weights[i]);
        assert_eq!(all, vec![(0, 1), (1, 2), (2, 3), (3, 4), (5, 5)]);
        assert!(merge(2, |i| &keys[i], |_| u64::MAX).is_none());
        assert_eq!(unmerged(2, |_| u64::MAX).len(), 2);
    }

    proptest::proptest! {
        #[test]
        fn merge_equals_a_naive_grouping(
            raw in proptest::collection::vec((proptest::collection::vec(0u32..3, 0..4), 0u64..5), 0..60),
        ) {
            let groups = merge(raw.len(), |i| &raw[i].0, |i| raw[i].1).unwrap();
            let mut naive: Vec<(usize, u64)> = Vec::new();
            for (i, (key, w)) in raw.iter().enumerate() {
                if *w == 0 {
                    continue;
                }
                match naive.iter_mut().find(|(j, _)| raw[*j].0 == *key) {
                    Some(g) => g.1 += w,
                    None => naive.push((i, *w)),
                }
            }
            proptest::prop_assert_eq!(groups, naive);
        }
    }
}
