//! RFC 9162 §2.1.1 hashing with SHA-256.
//!
//! The one-byte prefixes are what make the tree safe: a leaf is hashed as
//! `0x00 || data` and an inner node as `0x01 || left || right`, so no leaf can
//! ever be presented as an inner node (a second-preimage attack on the tree
//! shape). Everything else in the crate goes through these three functions.

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, a node hash or a tree root.
pub type Hash = [u8; 32];

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;

/// The hash of one leaf: `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an inner node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    node_hash_bytes(left, right)
}

/// [`node_hash`] over byte strings of any length. The RFC test vectors hash
/// short ASCII children, and the verifiers work on caller-supplied slices
/// whose length they have already checked.
pub(crate) fn node_hash_bytes(left: &[u8], right: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: `SHA-256("")`, with no prefix byte.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Lower-case hex of a hash, the form used in bundles, the CLI and the database.
pub fn hash_to_hex(hash: &Hash) -> String {
    hex::encode(hash)
}

/// Parse a 64-character hex hash (either case).
pub fn hash_from_hex(text: &str) -> Result<Hash, HashHexError> {
    let bytes = hex::decode(text).map_err(|e| HashHexError::NotHex {
        text: abbreviate(text),
        reason: e.to_string(),
    })?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| HashHexError::WrongLength {
            text: abbreviate(text),
            len: bytes.len(),
        })
}

/// Why a hex string is not a hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashHexError {
    /// The text is not hexadecimal.
    #[error("`{text}` is not a hex hash ({reason}); expected 64 hex digits")]
    NotHex {
        /// The offending text, shortened for display.
        text: String,
        /// What the hex decoder objected to.
        reason: String,
    },
    /// The text is hex but not 32 bytes long.
    #[error("`{text}` decodes to {len} bytes; a SHA-256 hash is 32 bytes (64 hex digits)")]
    WrongLength {
        /// The offending text, shortened for display.
        text: String,
        /// How many bytes it decoded to.
        len: usize,
    },
}

/// Error messages quote user input, but a megabyte of garbage should not end
/// up in a terminal.
pub(crate) fn abbreviate(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_and_node_are_domain_separated() {
        let a = leaf_hash(b"a");
        let b = leaf_hash(b"b");
        let mut concat = Vec::new();
        concat.extend_from_slice(&a);
        concat.extend_from_slice(&b);
        assert_ne!(leaf_hash(&concat), node_hash(&a, &b));
    }

    /// The RFC 6962 reference hasher vector for an inner node uses short raw
    /// children ("N123", "N456"), so it is checked here on the byte-slice form.
    #[test]
    fn node_hash_reference_vector() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/merkle/rfc6962_reference_tree_8_leaves.json"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping: {path} not found");
            return;
        };
        let data: serde_json::Value = serde_json::from_str(&text).expect("test data is JSON");
        let v = &data["hasher_vectors"][3];
        let bytes = |k: &str| hex::decode(v[k].as_str().expect("hex field")).expect("hex");
        assert_eq!(
            node_hash_bytes(&bytes("left_hex"), &bytes("right_hex")).to_vec(),
            bytes("want_hex")
        );
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let h = leaf_hash(b"x");
        assert_eq!(hash_from_hex(&hash_to_hex(&h)), Ok(h));
        assert!(matches!(
            hash_from_hex("abcd"),
            Err(HashHexError::WrongLength { len: 2, .. })
        ));
        assert!(matches!(
            hash_from_hex("zz"),
            Err(HashHexError::NotHex { .. })
        ));
    }
}
