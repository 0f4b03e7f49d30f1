//! The qantar evidence vault: where originals are kept and public copies made.
//!
//! Two parts with different rules. [`strip`] is pure: it takes the bytes of
//! a photo or document and returns a copy with EXIF, XMP, IPTC, GPS
//! positions, serial numbers, maker notes and embedded thumbnails removed
//! (JPEG, PNG, WebP, TIFF, PDF, DOCX, and in place for HEIC/AVIF and
//! MP4/MOV, whose capture times are zeroed too), and refuses every other
//! type so that nothing it does not understand is published. [`blobs`] does I/O: a
//! content-addressed store in a directory, keyed by SHA-256, where originals
//! are kept byte-identical and public copies are kept as separate blobs.
//!
//! Boundaries: no clock, no randomness, no database. Which blob is the
//! original of which public copy, who imported it and when is recorded by
//! the caller in the ledger. The store takes whatever bytes it is given,
//! ciphertext included; [`stream`] is the segmented cipher a caller uses to
//! seal a large original on its way into the store (keys and nonces come
//! from the caller, which also decides where the key is kept).

pub mod blobs;
pub mod stream;
pub mod strip;

pub use blobs::{BlobError, BlobId, BlobStore, BlobWriter, Finished, sha256_hex};
pub use stream::{StreamError, StreamKey, StreamStats};
pub use strip::{
    Finding, MediaType, MetaKind, Removed, StripError, Stripped, detect, detect_full, scan, strip,
};
