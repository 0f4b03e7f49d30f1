//! FNV-1a: stable across runs, platforms and Rust versions (unlike
//! `std`'s randomised hasher), so blocking keys and term counts, and with
//! them the output, are the same on every machine.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01B3;

/// Hash bytes, continuing from `h`.
pub(crate) fn fnv_from(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// Hash bytes; never 0, so 0 can stand for "no value".
pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    fnv_from(bytes, OFFSET).max(1)
}

pub(crate) fn fnv_str(s: &str) -> u64 {
    if s.is_empty() { 0 } else { fnv(s.as_bytes()) }
}

/// Combine hashes in order; 0 if any part is 0 (missing).
pub(crate) fn combine(parts: &[u64]) -> u64 {
    let mut h = OFFSET;
    for &p in parts {
        if p == 0 {
            return 0;
        }
        h = fnv_from(&p.to_le_bytes(), h);
    }
    h.max(1)
}

/// A hasher for keys that are already well-mixed hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv_from(bytes, self.0 ^ OFFSET);
    }
    fn write_u64(&mut self, v: u64) {
        // Mix once: pattern codes are small integers, not hashes.
        self.0 = v.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
}

pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IdentityHasher>>;
