//! Paired comparisons in one process, for figures that hold on a shared machine:
//! `cargo bench -p oauth-tests --bench compare -- --ratios [filter]`
//! (or `scripts/ratios.sh [filter]`, which pins the process to one core).
//!
//! Each pair runs its two sides in alternating blocks of the same number of
//! iterations (derived first in even rounds, the reference first in odd ones),
//! so both sides see the same machine. Each round gives one ratio, derived
//! over reference; the report is the median ratio with its minimum and maximum,
//! and each side's median time per operation. Every side drops its output
//! inside the timed loop. Allocations per operation are divan's column in the
//! default run (`cargo bench -p oauth-tests --bench compare -- parse`).

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Rounds per pair: odd, so the median is one round's ratio.
const ROUNDS: usize = 201;
/// The wall time one block of one side aims for.
const BLOCK: Duration = Duration::from_micros(500);

/// What a pair's ratio is held to.
#[derive(Clone, Copy)]
pub enum Target {
    /// The bound on derived / reference.
    AtMost(f64),
    /// A reference shown for context, with no bound.
    None,
}

/// The pairs a run selects, and the report.
pub struct Ratios {
    filter: Option<String>,
}

impl Ratios {
    /// A run of the pairs whose name contains `filter` (all without one).
    pub fn start(filter: Option<String>) -> Self {
        println!(
            "{ROUNDS} rounds of alternating ~{} µs blocks per pair; ratio = derived / reference: \
             median [quartiles] (min-max)",
            BLOCK.as_micros()
        );
        Self { filter }
    }

    /// Whether a pair named `name` is part of this run (fetch pairs check before their setup).
    pub fn wants(&self, name: &str) -> bool {
        self.filter
            .as_deref()
            .is_none_or(|filter| name.contains(filter))
    }

    /// Times `derived` against `reference` in alternating blocks and prints one line.
    pub fn compare<A, B>(&mut self, name: &str, target: Target, mut derived: A, mut reference: B)
    where
        A: FnMut() -> bool,
        B: FnMut() -> bool,
    {
        if !self.wants(name) {
            return;
        }
        assert!(derived() && reference(), "{name}: a side failed");
        let iterations = calibrate(&mut derived).max(calibrate(&mut reference));
        let mut derived_ns = Vec::with_capacity(ROUNDS);
        let mut reference_ns = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            if round % 2 == 0 {
                derived_ns.push(block(iterations, &mut derived));
                reference_ns.push(block(iterations, &mut reference));
            } else {
                reference_ns.push(block(iterations, &mut reference));
                derived_ns.push(block(iterations, &mut derived));
            }
        }
        let mut ratios: Vec<f64> = derived_ns
            .iter()
            .zip(&reference_ns)
            .map(|(derived, reference)| derived / reference)
            .collect();
        let ratio = median(&mut ratios);
        let verdict = match target {
            Target::AtMost(bound) if ratio <= bound => format!("target <= {bound:.2}: met"),
            Target::AtMost(bound) => format!("target <= {bound:.2}: MISSED"),
            Target::None => String::from("reference only"),
        };
        println!(
            "{name:34} derived {:>9.1} ns | reference {:>9.1} ns | ratio {ratio:.2} [{:.2}-{:.2}] ({:.2}-{:.2}) | {verdict}",
            median(&mut derived_ns),
            median(&mut reference_ns),
            ratios[ROUNDS / 4],
            ratios[3 * ROUNDS / 4],
            ratios[0],
            ratios[ROUNDS - 1],
        );
    }
}

/// The iteration count that fills one block for this side.
fn calibrate(side: &mut impl FnMut() -> bool) -> u64 {
    let mut iterations = 1;
    loop {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(side());
        }
        let elapsed = start.elapsed();
        if elapsed >= BLOCK / 4 {
            let per_iteration = elapsed.as_secs_f64() / iterations as f64;
            return ((BLOCK.as_secs_f64() / per_iteration) as u64).max(1);
        }
        iterations *= 2;
    }
}

/// Nanoseconds per iteration over one block.
fn block(iterations: u64, side: &mut impl FnMut() -> bool) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(side());
    }
    start.elapsed().as_nanos() as f64 / iterations as f64
}

/// Sorts `values` and returns the middle one.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
