//! Ledger benchmarks: append throughput, verify, verify --full, rebuild and
//! proofs on a large archive. Prints a table.
//!
//! cargo bench -p qantar-store --bench ledger            # 1,000,000 entries, SQLite
//! QANTAR_BENCH_ENTRIES=100000 cargo bench -p qantar-store --bench ledger
//! QANTAR_BENCH_DATABASE=postgres://postgres@127.0.0.1/test cargo bench -p qantar-store --bench ledger
//!   (PostgreSQL: the bench works in a scratch schema it drops afterwards)

use std::time::{Duration, Instant};

use qantar_ledger::{NoteSigner, verify_consistency, verify_inclusion};
use qantar_store::{Draft, Stamp, Store};
use serde_json::{Value, json};

const ORIGIN: &str = "qantar.archive/bench/0";

fn stamp() -> Stamp {
    Stamp {
        author: "bench".into(),
        time: "2026-11-22T00:00:00.000Z".into(),
    }
}

fn person(i: u64, source: &str) -> Value {
    json!({
        "kind": "person",
        "names": [{"value": format!("Person {i}")}],
        "age": i % 90,
        "age_as_of": "2022-01",
        "sources": [source],
    })
}

fn row(name: &str, n: u64, took: Duration, unit: &str) {
    let secs = took.as_secs_f64();
    let rate = if secs > 0.0 {
        n as f64 / secs
    } else {
        f64::INFINITY
    };
    println!("| {name:<46} | {n:>9} | {secs:>9.3} s | {rate:>12.0} {unit}/s |");
}

fn main() {
    let total: u64 = std::env::var("QANTAR_BENCH_ENTRIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let signer = NoteSigner::from_seed("qantar-bench", [7u8; 32]).unwrap();
    let verifier = signer.verifier();
    let st = stamp();
    let pg = std::env::var("QANTAR_BENCH_DATABASE")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|url| qantar_store::db::ScratchSchema::new(&url, "bench"));
    let mut store = match &pg {
        Some(schema) => Store::create_postgres(&schema.url).unwrap(),
        None => Store::create(&dir.path().join("bench.sqlite")).unwrap(),
    };
    println!("backend: {:?}\n", store.backend());
    let src = store
        .prepare_records(&[json!({"kind": "source", "ref": "src", "source_kind": "list", "title": "bench list"})], &mut uuid::Uuid::now_v7)
        .unwrap();
    store.append(src, &st, &signer, ORIGIN).unwrap();
    let src_id = store.lookup("src").unwrap().unwrap().id;

    println!(
        "| operation                                      |   entries |      time |         rate |"
    );
    println!(
        "|------------------------------------------------|----------:|----------:|-------------:|"
    );

    // One entry per transaction (each with its checkpoint and fsync).
    let n1 = 2_000u64;
    let t = Instant::now();
    for i in 0..n1 {
        let d = store
            .prepare_records(&[person(i, &src_id)], &mut uuid::Uuid::now_v7)
            .unwrap();
        store.append(d, &st, &signer, ORIGIN).unwrap();
    }
    row(
        "append, one per transaction (check + commit)",
        n1,
        t.elapsed(),
        "entries",
    );

    // Batched: check + append in batches of 10,000 until `total`.
    let batch = 10_000u64;
    let mut check = Duration::ZERO;
    let mut append = Duration::ZERO;
    let mut done = store.size().unwrap();
    let start_all = Instant::now();
    while done < total {
        let n = batch.min(total - done);
        let inputs: Vec<Value> = (done..done + n).map(|i| person(i, &src_id)).collect();
        let t = Instant::now();
        let drafts: Vec<Draft> = store
            .prepare_records(&inputs, &mut uuid::Uuid::now_v7)
            .unwrap();
        check += t.elapsed();
        let t = Instant::now();
        store.append(drafts, &st, &signer, ORIGIN).unwrap();
        append += t.elapsed();
        done += n;
    }
    let appended = total.saturating_sub(n1 + 1);
    row(
        "append, batches of 10,000 (check + commit)",
        appended,
        start_all.elapsed(),
        "entries",
    );
    row(
        "  of which: commit only (ledger+projection)",
        appended,
        append,
        "entries",
    );
    row(
        "  of which: check only (model + references)",
        appended,
        check,
        "entries",
    );

    let size = store.size().unwrap();
    let t = Instant::now();
    let report = store
        .verify(&verifier, ORIGIN, false, &mut |_, _, _| {})
        .unwrap();
    row("verify", size, t.elapsed(), "entries");
    assert!(report.ok, "{report:?}");
    let t = Instant::now();
    let report = store
        .verify(&verifier, ORIGIN, true, &mut |_, _, _| {})
        .unwrap();
    row("verify --full", size, t.elapsed(), "entries");
    assert!(report.ok, "{report:?}");
    let t = Instant::now();
    store.rebuild(&mut |_, _| {}).unwrap();
    row("rebuild", size, t.elapsed(), "entries");

    // Proofs against the store's tree-node table, median of many.
    let root = store.root_at(size).unwrap();
    let mut times = Vec::new();
    for k in 0..201u64 {
        let index = (k * 4_999) % size;
        let t = Instant::now();
        let proof = store.inclusion_proof(index, size).unwrap();
        times.push(t.elapsed());
        let leaf = store.node(0, index).unwrap();
        let proof: Vec<Vec<u8>> = proof.iter().map(|h| h.to_vec()).collect();
        verify_inclusion(&leaf, index, size, &proof, &root).unwrap();
    }
    times.sort();
    println!(
        "| {:<46} | {size:>9} | {:>9.3} ms | (median of 201) |",
        "inclusion proof",
        times[100].as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    for k in 1..202u64 {
        let old = (k * 4_999) % size + 1;
        let t = Instant::now();
        let proof = store.consistency_proof(old, size).unwrap();
        times.push(t.elapsed());
        let old_root = store.root_at(old).unwrap();
        let proof: Vec<Vec<u8>> = proof.iter().map(|h| h.to_vec()).collect();
        verify_consistency(old, size, &proof, &old_root, &root).unwrap();
    }
    times.sort();
    println!(
        "| {:<46} | {size:>9} | {:>9.3} ms | (median of 201) |",
        "consistency proof",
        times[100].as_secs_f64() * 1e3
    );
    let bytes = std::fs::metadata(dir.path().join("bench.sqlite"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "\ndatabase: {:.1} MiB for {size} entries",
        bytes as f64 / 1048576.0
    );
}
