//! Simulated lists for testing the estimators: a population of known size
//! whose members differ in how likely each list is to record them.
//!
//! Used by the recovery tests and the benchmark (coverage of intervals over
//! many simulated populations). Deterministic for a given seed.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::error::InputError;
use crate::overlaps::Overlaps;

/// A population made of latent classes. Within a class, each list records
/// each person independently with the class's probability for that list;
/// across classes the probabilities differ, which is heterogeneity.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassPopulation {
    /// Total number of people.
    pub size: u64,
    /// Share of the population in each class (should sum to 1).
    pub shares: Vec<f64>,
    /// `capture[c][j]`: probability that list `j` records a person of class `c`.
    pub capture: Vec<Vec<f64>>,
}

impl ClassPopulation {
    /// Number of lists.
    pub fn lists(&self) -> usize {
        self.capture.first().map_or(0, Vec::len)
    }

    /// Draws one set of lists: every person's class (by the shares) and
    /// whether each list records them. People on no list are dropped, as in
    /// real data.
    /// Fails only for more lists than [`crate::overlaps::MAX_LISTS`].
    pub fn draw(&self, seed: u64) -> Result<Overlaps, InputError> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let lists = self.lists();
        let names: Vec<String> = (1..=lists).map(|j| format!("L{j}")).collect();
        let total_share: f64 = self.shares.iter().sum();
        let mut records: Vec<Vec<bool>> = Vec::new();
        for _ in 0..self.size {
            let mut u: f64 = rng.random::<f64>() * total_share;
            let mut class = self.shares.len() - 1;
            for (c, s) in self.shares.iter().enumerate() {
                if u < *s {
                    class = c;
                    break;
                }
                u -= s;
            }
            let row: Vec<bool> = self.capture[class]
                .iter()
                .map(|p| rng.random::<f64>() < *p)
                .collect();
            if row.iter().any(|&b| b) {
                records.push(row);
            }
        }
        Overlaps::from_records(names, records)
    }
}
