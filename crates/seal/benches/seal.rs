//! Cost of the operations a server does: Argon2id at the default
//! parameters (once per handler login), seal/unseal of typical values, and
//! re-wrapping data keys (key rotation). Plain `std::time::Instant`, median.
//!
//! Run: `cargo bench -p qantar-seal --bench seal`

use std::hint::black_box;
use std::time::{Duration, Instant};

use qantar_seal::{
    Aad, CompartmentKey, DataKey, KdfParams, Kek, Salt, rewrap, seal, unseal, wrap_data_key,
};

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn row(what: &str, d: Duration) {
    println!("| {what:<48} | {:>12.2} µs |", d.as_secs_f64() * 1e6);
}

fn main() {
    let salt = Salt::generate().expect("randomness");
    row(
        "Argon2id KEK, default (64 MiB, t=3, p=1)",
        median(5, || {
            black_box(Kek::from_passphrase("a long passphrase", &KdfParams::DEFAULT, &salt).ok());
        }),
    );

    let dek = DataKey::generate("rec-1").expect("randomness");
    let aad = Aad::new("rec-1", "testimony", 1);
    for size in [64usize, 4096, 1 << 20] {
        let data = vec![7u8; size];
        let sealed = seal(&dek, &aad, &data).expect("seal");
        row(
            &format!("seal {size} bytes"),
            median(200, || {
                black_box(seal(&dek, &aad, &data).ok());
            }),
        );
        row(
            &format!("unseal {size} bytes"),
            median(200, || {
                black_box(unseal(&dek, &sealed, &aad).ok());
            }),
        );
    }

    let old = CompartmentKey::generate("sources").expect("randomness");
    let new = CompartmentKey::generate("sources").expect("randomness");
    let rows: Vec<_> = (0..10_000)
        .map(|i| {
            let dek = DataKey::generate(&format!("rec-{i}")).expect("randomness");
            wrap_data_key(&old, &dek).expect("wrap")
        })
        .collect();
    row(
        "rewrap 10,000 data keys (rotation)",
        median(5, || {
            for r in &rows {
                black_box(rewrap(r, &old, &new).ok());
            }
        }),
    );
}
