//! Sealed streams: a large original encrypted in segments, so that neither
//! sealing nor opening it ever holds the whole file (plain or encrypted) in
//! memory, and so that the plaintext never touches the disk.
//!
//! The construction is STREAM (Hoang, Reyhanitabar, Rogaway, Vizár 2015)
//! over XChaCha20-Poly1305:
//!
//! ```text
//! header   "qantar-stream-v1" (16 bytes) ‖ nonce prefix (19 bytes)
//! segment  ciphertext of SEGMENT_LEN plaintext bytes ‖ 16-byte tag   (every one but the last)
//! last     ciphertext of 0..=SEGMENT_LEN bytes ‖ 16-byte tag
//! nonce    prefix ‖ segment index (u32, big-endian) ‖ last flag (0 or 1)
//! aad      caller's context ‖ segment index (u64, big-endian) ‖ last flag
//! ```
//!
//! Every segment is authenticated on its own with its position and whether
//! it is the last, so segments cannot be reordered, dropped, duplicated or
//! cut off at a segment boundary without [`StreamError::Integrity`]. The
//! context binds the stream to where it belongs (the store passes the
//! record id and the attachment number), so a stream copied to another
//! attachment does not open.
//!
//! This module draws no randomness: the caller passes the key and the nonce
//! prefix, both fresh for every stream (a key is never reused for a second
//! stream, so the random prefix is a second line of defence).
//!
//! Opening writes plaintext to the caller's writer as each segment
//! authenticates. A stream altered at segment 7 has by then released six
//! good segments: callers that must not act on a partial file write to a
//! temporary file and keep it only when [`open`] returns `Ok`.

use std::io::{self, Read, Write};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

/// Plaintext bytes per segment (64 KiB).
pub const SEGMENT_LEN: usize = 64 * 1024;
/// The first bytes of every sealed stream.
pub const MAGIC: &[u8; 16] = b"qantar-stream-v1";
/// Random bytes of the nonce that stay the same for a whole stream.
pub const NONCE_PREFIX_LEN: usize = 19;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = MAGIC.len() + NONCE_PREFIX_LEN;

/// A 32-byte stream key. Wiped when dropped; its bytes leave only through
/// [`StreamKey::expose`], for the caller to seal it somewhere.
#[derive(Clone)]
pub struct StreamKey([u8; 32]);

impl StreamKey {
    /// Takes the bytes and wipes the caller's copy.
    pub fn from_bytes(bytes: &mut [u8; 32]) -> Self {
        let key = StreamKey(*bytes);
        bytes.zeroize();
        key
    }

    /// From a slice of exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let mut array: [u8; 32] = bytes.try_into().ok()?;
        Some(Self::from_bytes(&mut array))
    }

    /// The raw key, to be sealed by the caller (never stored in clear).
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Drop for StreamKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for StreamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamKey(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("reading or writing the stream failed: {0}")]
    Io(#[from] io::Error),
    #[error("this is not a sealed stream (no qantar-stream-v1 header); was the right blob given?")]
    NotAStream,
    #[error(
        "the sealed stream does not authenticate at segment {segment}: it was altered, cut short, \
         or belongs to another attachment; restore the blob from a backup or mirror"
    )]
    Integrity { segment: u64 },
    #[error("the file is too large to seal as one stream (over 2^32 segments of 64 KiB)")]
    TooLong,
}

/// What [`seal`] and [`open`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamStats {
    /// Plaintext bytes.
    pub plain_len: u64,
    /// Bytes of the sealed stream, header included.
    pub sealed_len: u64,
    pub segments: u64,
}

/// The sealed length of `plain_len` plaintext bytes, header included.
pub fn sealed_len(plain_len: u64) -> u64 {
    let seg = SEGMENT_LEN as u64;
    // The last segment is never absent, so an exact multiple adds none.
    let segments = plain_len.div_ceil(seg).max(1);
    HEADER_LEN as u64 + plain_len + segments * TAG_LEN as u64
}

fn cipher(key: &StreamKey) -> XChaCha20Poly1305 {
    let key: &Key = (&key.0).into();
    XChaCha20Poly1305::new(key)
}

fn nonce(prefix: &[u8; NONCE_PREFIX_LEN], index: u64, last: bool) -> Result<XNonce, StreamError> {
    let index = u32::try_from(index).map_err(|_| StreamError::TooLong)?;
    let mut n = [0u8; 24];
    n[..NONCE_PREFIX_LEN].copy_from_slice(prefix);
    n[NONCE_PREFIX_LEN..NONCE_PREFIX_LEN + 4].copy_from_slice(&index.to_be_bytes());
    n[23] = u8::from(last);
    Ok(XNonce::from(n))
}

fn aad(context: &[u8], index: u64, last: bool) -> Vec<u8> {
    let mut a = Vec::with_capacity(context.len() + 9);
    a.extend_from_slice(context);
    a.extend_from_slice(&index.to_be_bytes());
    a.push(u8::from(last));
    a
}

/// Fills `buf` from `reader` as far as it goes; fewer bytes only at the end.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Seals everything `plain` yields into `sealed`, one segment at a time.
/// `progress` gets the plaintext bytes done after each segment.
pub fn seal(
    key: &StreamKey,
    prefix: &[u8; NONCE_PREFIX_LEN],
    context: &[u8],
    mut plain: impl Read,
    mut sealed: impl Write,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamStats, StreamError> {
    let aead = cipher(key);
    sealed.write_all(MAGIC)?;
    sealed.write_all(prefix)?;
    // Two buffers: a segment is known to be the last only once the read
    // after it comes back empty.
    let mut current = Zeroizing::new(vec![0u8; SEGMENT_LEN]);
    let mut next = Zeroizing::new(vec![0u8; SEGMENT_LEN]);
    let mut have = read_full(&mut plain, &mut current)?;
    let mut stats = StreamStats {
        plain_len: 0,
        sealed_len: HEADER_LEN as u64,
        segments: 0,
    };
    loop {
        let ahead = if have == SEGMENT_LEN {
            read_full(&mut plain, &mut next)?
        } else {
            0
        };
        let last = ahead == 0;
        let index = stats.segments;
        let ct = aead
            .encrypt(
                &nonce(prefix, index, last)?,
                Payload {
                    msg: &current[..have],
                    aad: &aad(context, index, last),
                },
            )
            .map_err(|_| StreamError::TooLong)?;
        sealed.write_all(&ct)?;
        stats.plain_len += have as u64;
        stats.sealed_len += ct.len() as u64;
        stats.segments += 1;
        progress(stats.plain_len);
        if last {
            break;
        }
        std::mem::swap(&mut current, &mut next);
        have = ahead;
    }
    sealed.flush()?;
    Ok(stats)
}

/// Opens a sealed stream into `plain`, segment by segment, each written
/// only after it authenticates. See the module docs on partial output.
pub fn open(
    key: &StreamKey,
    context: &[u8],
    mut sealed: impl Read,
    mut plain: impl Write,
    progress: &mut dyn FnMut(u64),
) -> Result<StreamStats, StreamError> {
    let aead = cipher(key);
    let mut header = [0u8; HEADER_LEN];
    if read_full(&mut sealed, &mut header)? != HEADER_LEN || &header[..MAGIC.len()] != MAGIC {
        return Err(StreamError::NotAStream);
    }
    let mut prefix = [0u8; NONCE_PREFIX_LEN];
    prefix.copy_from_slice(&header[MAGIC.len()..]);
    let full = SEGMENT_LEN + TAG_LEN;
    let mut current = vec![0u8; full];
    let mut next = vec![0u8; full];
    let mut have = read_full(&mut sealed, &mut current)?;
    let mut stats = StreamStats {
        plain_len: 0,
        sealed_len: HEADER_LEN as u64,
        segments: 0,
    };
    loop {
        let index = stats.segments;
        if have < TAG_LEN {
            return Err(StreamError::Integrity { segment: index });
        }
        let ahead = if have == full {
            read_full(&mut sealed, &mut next)?
        } else {
            0
        };
        let last = ahead == 0;
        let pt = aead
            .decrypt(
                &nonce(&prefix, index, last)?,
                Payload {
                    msg: &current[..have],
                    aad: &aad(context, index, last),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| StreamError::Integrity { segment: index })?;
        plain.write_all(&pt)?;
        stats.plain_len += pt.len() as u64;
        stats.sealed_len += have as u64;
        stats.segments += 1;
        progress(stats.plain_len);
        if last {
            break;
        }
        std::mem::swap(&mut current, &mut next);
        have = ahead;
    }
    plain.flush()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> StreamKey {
        StreamKey::from_bytes(&mut [b; 32])
    }

    const PREFIX: [u8; NONCE_PREFIX_LEN] = [9; NONCE_PREFIX_LEN];

    fn sealed_of(plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let stats = seal(&key(1), &PREFIX, b"ctx", plain, &mut out, &mut |_| {}).unwrap();
        assert_eq!(stats.sealed_len, out.len() as u64);
        assert_eq!(sealed_len(plain.len() as u64), out.len() as u64);
        out
    }

    fn opened(sealed: &[u8], k: &StreamKey, ctx: &[u8]) -> Result<Vec<u8>, StreamError> {
        let mut out = Vec::new();
        open(k, ctx, sealed, &mut out, &mut |_| {})?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_every_boundary() {
        for len in [
            0,
            1,
            SEGMENT_LEN - 1,
            SEGMENT_LEN,
            SEGMENT_LEN + 1,
            3 * SEGMENT_LEN,
        ] {
            let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let s = sealed_of(&plain);
            assert_eq!(opened(&s, &key(1), b"ctx").unwrap(), plain, "length {len}");
        }
    }

    #[test]
    fn truncation_at_a_segment_boundary_is_caught() {
        let plain = vec![7u8; 2 * SEGMENT_LEN + 10];
        let s = sealed_of(&plain);
        let cut = HEADER_LEN + 2 * (SEGMENT_LEN + TAG_LEN);
        assert!(matches!(
            opened(&s[..cut], &key(1), b"ctx"),
            Err(StreamError::Integrity { segment: 1 })
        ));
    }

    #[test]
    fn reordered_segments_wrong_key_and_wrong_context_fail() {
        let plain: Vec<u8> = (0..2 * SEGMENT_LEN + 5).map(|i| (i % 13) as u8).collect();
        let s = sealed_of(&plain);
        let seg = SEGMENT_LEN + TAG_LEN;
        let mut swapped = s.clone();
        let (a, b) = (HEADER_LEN, HEADER_LEN + seg);
        let first = s[a..a + seg].to_vec();
        swapped[a..a + seg].copy_from_slice(&s[b..b + seg]);
        swapped[b..b + seg].copy_from_slice(&first);
        assert!(matches!(
            opened(&swapped, &key(1), b"ctx"),
            Err(StreamError::Integrity { segment: 0 })
        ));
        assert!(opened(&s, &key(2), b"ctx").is_err());
        assert!(opened(&s, &key(1), b"other").is_err());
        assert!(matches!(
            opened(b"not a stream", &key(1), b"ctx"),
            Err(StreamError::NotAStream)
        ));
    }

    #[test]
    fn the_plaintext_does_not_appear_in_the_stream() {
        let plain = b"MARKER-in-a-sealed-file ".repeat(5000);
        let s = sealed_of(&plain);
        assert!(!s.windows(10).any(|w| w == b"MARKER-in-"));
    }
}
