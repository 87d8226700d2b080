//! Condorcet counts at scale: 1,000,000 ranked ballots over 20 candidates, each a full random
//! ranking (the worst case: no two ballots alike, so aggregation saves nothing and every
//! ballot costs all 190 pairs). Generated deterministically by a seeded xorshift64*.
//! Target: a Schulze count (matrix, strongest paths, transcript) in under 2 s.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use vigie_awards::ballot::{Ballot, Profile};
use vigie_awards::method::pairwise;
use vigie_awards::method::ranked_pairs::{self, RankedPairsOptions};
use vigie_awards::method::schulze::{self, SchulzeOptions};
use vigie_awards::tie::TieBreak;

const BALLOTS: usize = 1_000_000;
const CANDIDATES: usize = 20;

/// xorshift64* (Vigna 2016): enough for reproducible test data, no `rand` crate needed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (the modulo bias is irrelevant for a benchmark).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn profile() -> Profile {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut p = Profile::new("bench", (0..CANDIDATES).map(|i| format!("C{i:02}")).collect(), 1);
    let mut order: Vec<usize> = (0..CANDIDATES).collect();
    let mut key = [0usize; CANDIDATES];
    p.ballots = (0..BALLOTS)
        .map(|_| {
            if rng.below(4) == 0 {
                // One ballot in four leans towards low ids, so the count has some structure.
                for (c, k) in key.iter_mut().enumerate() {
                    *k = c + rng.below(CANDIDATES);
                }
                order.sort_unstable_by_key(|&c| (key[c], c));
            } else {
                // Fisher–Yates.
                for i in (1..CANDIDATES).rev() {
                    order.swap(i, rng.below(i + 1));
                }
            }
            Ballot::ranking(1, &order)
        })
        .collect();
    p
}

fn condorcet(c: &mut Criterion) {
    let p = profile();
    let tie = TieBreak::candidate_order(CANDIDATES);
    let mut group = c.benchmark_group("condorcet 1M ballots x 20 candidates");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("pairwise matrix", |b| {
        b.iter(|| pairwise::matrix(black_box(&p)).unwrap())
    });
    group.bench_function("schulze", |b| {
        b.iter(|| schulze::count(black_box(&p), SchulzeOptions::default(), &tie).unwrap())
    });
    group.bench_function("ranked pairs", |b| {
        b.iter(|| ranked_pairs::count(black_box(&p), RankedPairsOptions::default(), &tie).unwrap())
    });
    group.finish();
}

criterion_group!(benches, condorcet);
criterion_main!(benches);
