//! Proof generation and verification at 1,000,000 leaves, and Frontier push
//! throughput. Plain `std::time::Instant`, median of many runs.
//!
//! Run: `cargo bench -p qantar-ledger --bench proofs`

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use qantar_ledger::{
    Frontier, Hash, MemoryTree, consistency_proof, inclusion_proof, leaf_hash, verify_consistency,
    verify_inclusion,
};

const LEAVES: u64 = 1_000_000;
const RUNS: usize = 2_000;

/// A tiny deterministic generator (xorshift64*), so runs are repeatable.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn row(what: &str, d: Duration) {
    println!("| {what:<58} | {:>10.2} µs |", d.as_secs_f64() * 1e6);
}

fn main() {
    let leaves: Vec<Hash> = (0..LEAVES).map(|i| leaf_hash(&i.to_le_bytes())).collect();

    // Frontier throughput: pushes only, no storage.
    let start = Instant::now();
    let mut frontier = Frontier::new();
    for leaf in &leaves {
        frontier.push(*leaf, |_, _, _| {});
    }
    let frontier_time = start.elapsed();
    black_box(frontier.root());

    // The same, recording every node into a map as the store would.
    let start = Instant::now();
    let mut table: HashMap<(u8, u64), Hash> = HashMap::with_capacity(2 * LEAVES as usize);
    let mut f2 = Frontier::new();
    for leaf in &leaves {
        f2.push(*leaf, |l, i, h| {
            table.insert((l, i), *h);
        });
    }
    let table_time = start.elapsed();

    let start = Instant::now();
    let mut tree = MemoryTree::new();
    for leaf in &leaves {
        tree.push(*leaf);
    }
    let tree_time = start.elapsed();
    assert_eq!(tree.root(), frontier.root());

    let mut node = |l: u8, i: u64| table.get(&(l, i)).copied().ok_or(());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let root = tree.root().to_vec();

    let (mut gen_mem, mut gen_map, mut ver_incl) = (vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let i = rng.below(LEAVES);
        let t = Instant::now();
        let p = tree.inclusion_proof(i, LEAVES).expect("in range");
        gen_mem.push(t.elapsed());
        let t = Instant::now();
        let q = inclusion_proof(i, LEAVES, &mut node).expect("in range");
        gen_map.push(t.elapsed());
        assert_eq!(p, q);
        let proof: Vec<Vec<u8>> = p.iter().map(|h| h.to_vec()).collect();
        let t = Instant::now();
        let ok = verify_inclusion(&leaves[i as usize], i, LEAVES, &proof, &root);
        ver_incl.push(t.elapsed());
        assert!(ok.is_ok());
    }

    let (mut cgen_mem, mut cgen_map, mut ver_cons) = (vec![], vec![], vec![]);
    for _ in 0..RUNS {
        let n = 2 + rng.below(LEAVES - 1);
        let m = 1 + rng.below(n - 1);
        let t = Instant::now();
        let p = tree.consistency_proof(m, n).expect("in range");
        cgen_mem.push(t.elapsed());
        let t = Instant::now();
        let q = consistency_proof(m, n, &mut node).expect("in range");
        cgen_map.push(t.elapsed());
        assert_eq!(p, q);
        let proof: Vec<Vec<u8>> = p.iter().map(|h| h.to_vec()).collect();
        let (r1, r2) = (tree.root_at(m).expect("m"), tree.root_at(n).expect("n"));
        let t = Instant::now();
        let ok = verify_consistency(m, n, &proof, &r1, &r2);
        ver_cons.push(t.elapsed());
        assert!(ok.is_ok());
    }

    println!(
        "\nqantar-ledger proofs, {LEAVES} leaves, median of {RUNS} runs (random index / sizes)\n"
    );
    println!("| {:<58} | {:>13} |", "operation", "median");
    println!("|{}|{}|", "-".repeat(60), "-".repeat(15));
    row("inclusion proof generation (MemoryTree)", median(gen_mem));
    row(
        "inclusion proof generation (HashMap node table)",
        median(gen_map),
    );
    row("inclusion proof verification", median(ver_incl));
    row(
        "consistency proof generation (MemoryTree)",
        median(cgen_mem),
    );
    row(
        "consistency proof generation (HashMap node table)",
        median(cgen_map),
    );
    row("consistency proof verification", median(ver_cons));
    println!();
    let rate = |d: Duration| LEAVES as f64 / d.as_secs_f64() / 1e6;
    println!(
        "| {:<58} | {:>8.2} M/s |",
        "Frontier::push, no storage",
        rate(frontier_time)
    );
    println!(
        "| {:<58} | {:>8.2} M/s |",
        "Frontier::push + HashMap insert of every node",
        rate(table_time)
    );
    println!(
        "| {:<58} | {:>8.2} M/s |",
        "MemoryTree::push",
        rate(tree_time)
    );
}
