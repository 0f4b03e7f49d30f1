//! A `Read` adapter that turns a byte stream in any supported encoding into
//! UTF-8, a chunk at a time, so a file of any size streams.
//!
//! Malformed input is replaced with U+FFFD (so the CSV and JSON parsers
//! downstream always see valid UTF-8), and the decoded offset of every
//! replacement is remembered: the reader of rows asks [`Decoded::take_malformed`]
//! whether its row's byte span held one and reports that row, instead of
//! silently importing a name with a replacement character in it.

use std::collections::VecDeque;
use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult};

/// Raw bytes read from the source per refill.
const CHUNK: usize = 64 * 1024;
/// The UTF-8 encoding of U+FFFD.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

pub(crate) struct Decoded<R> {
    inner: R,
    decoder: Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    finished: bool,
    /// Raw bytes taken from `inner` so far (including any skipped BOM).
    raw_read: u64,
    /// Decoded bytes produced so far (handed out or waiting in `out`).
    produced: u64,
    /// Decoded offsets at which a malformed sequence was replaced.
    malformed: VecDeque<u64>,
    /// Decoded offsets of line feeds not yet passed by the consumer, when
    /// lines are tracked (see [`Decoded::track_lines`]).
    newlines: Option<VecDeque<u64>>,
    /// Line feeds already passed by the consumer.
    newlines_passed: u64,
    /// Whether the last line feed passed sat just before the consumer's
    /// last position.
    last_passed: Option<u64>,
}

impl<R: Read> Decoded<R> {
    /// `skipped` is the length of a BOM the caller already consumed from
    /// `inner`; it counts towards progress.
    pub(crate) fn new(inner: R, encoding: &'static encoding_rs::Encoding, skipped: u64) -> Self {
        Decoded {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            raw: vec![0; CHUNK],
            out: Vec::new(),
            out_pos: 0,
            finished: false,
            raw_read: skipped,
            produced: 0,
            malformed: VecDeque::new(),
            newlines: None,
            newlines_passed: 0,
            last_passed: None,
        }
    }

    /// Remembers where line feeds are, for [`Decoded::newlines_before`].
    /// The CSV parser's own line numbers miss blank lines and count a CRLF
    /// late, so the CSV reader counts physical lines itself.
    pub(crate) fn track_lines(mut self) -> Self {
        self.newlines = Some(VecDeque::new());
        self
    }

    /// How many line feeds come before decoded offset `end`, and whether
    /// one sits at `end - 1`. Offsets must be asked in increasing order.
    pub(crate) fn newlines_before(&mut self, end: u64) -> (u64, bool) {
        if let Some(queue) = &mut self.newlines {
            while let Some(&at) = queue.front() {
                if at >= end {
                    break;
                }
                queue.pop_front();
                self.newlines_passed += 1;
                self.last_passed = Some(at);
            }
        }
        let ends_line = end > 0 && self.last_passed == Some(end - 1);
        (self.newlines_passed, ends_line)
    }

    /// Raw bytes consumed from the source: the progress figure.
    pub(crate) fn raw_read(&self) -> u64 {
        self.raw_read
    }

    /// Whether any malformed sequence was replaced at a decoded offset below
    /// `end`; forgets those offsets, since rows are read in order.
    pub(crate) fn take_malformed(&mut self, end: u64) -> bool {
        let mut any = false;
        while self.malformed.front().is_some_and(|&at| at < end) {
            self.malformed.pop_front();
            any = true;
        }
        any
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() && !self.finished {
            let n = loop {
                match self.inner.read(&mut self.raw) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            self.raw_read += n as u64;
            let last = n == 0;
            self.decode_chunk(n, last);
            self.finished = last;
        }
        Ok(())
    }

    fn decode_chunk(&mut self, n: usize, last: bool) {
        let mut src = &self.raw[..n];
        loop {
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 3 + 16)
                .max(16);
            let start = self.out.len();
            self.out.resize(start + room, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut self.out[start..], last);
            self.out.truncate(start + written);
            src = &src[read..];
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(_, _) => {
                    self.malformed
                        .push_back(self.produced + self.out.len() as u64);
                    self.out.extend_from_slice(REPLACEMENT);
                }
            }
        }
        if let Some(queue) = &mut self.newlines {
            let base = self.produced;
            queue.extend(
                self.out
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .map(|(i, _)| base + i as u64),
            );
        }
        self.produced += self.out.len() as u64;
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos >= self.out.len() {
            self.refill()?;
        }
        let available = &self.out[self.out_pos..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> (String, Vec<u64>) {
        let mut d = Decoded::new(bytes, encoding, 0);
        let mut s = String::new();
        d.read_to_string(&mut s).expect("decoded output is UTF-8");
        (s, d.malformed.iter().copied().collect())
    }

    #[test]
    fn windows_1251_decodes_to_utf8() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Иванов;Пётр");
        let (s, bad) = decode_all(&bytes, encoding_rs::WINDOWS_1251);
        assert_eq!(s, "Иванов;Пётр");
        assert!(bad.is_empty());
    }

    #[test]
    fn malformed_utf8_is_replaced_and_located() {
        let (s, bad) = decode_all(b"ab\xFFcd\xC3", encoding_rs::UTF_8);
        assert_eq!(s, "ab\u{FFFD}cd\u{FFFD}");
        assert_eq!(bad, vec![2, 7]);
    }

    #[test]
    fn take_malformed_consumes_in_order() {
        let mut d = Decoded::new(&b"a\xFFb\nc\nd\xFF"[..], encoding_rs::UTF_8, 0);
        let mut s = String::new();
        d.read_to_string(&mut s).expect("valid output");
        assert!(d.take_malformed(5)); // first line
        assert!(!d.take_malformed(7)); // "c\n"
        assert!(d.take_malformed(u64::MAX));
    }

    #[test]
    fn line_feeds_are_counted_before_an_offset() {
        let mut d = Decoded::new(&b"ab\n\r\ncd\n"[..], encoding_rs::UTF_8, 0).track_lines();
        let mut s = String::new();
        d.read_to_string(&mut s).expect("valid output");
        assert_eq!(d.newlines_before(2), (0, false));
        assert_eq!(d.newlines_before(3), (1, true));
        assert_eq!(d.newlines_before(4), (1, false));
        assert_eq!(d.newlines_before(8), (3, true));
    }

    #[test]
    fn counts_raw_bytes_for_progress() {
        // encoding_rs encodes UTF-16 as UTF-8 (per the WHATWG spec), so
        // build the bytes by hand.
        let bytes: Vec<u8> = "xй".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut d = Decoded::new(&bytes[..], encoding_rs::UTF_16LE, 2);
        let mut s = String::new();
        d.read_to_string(&mut s).expect("valid output");
        assert_eq!(s, "xй");
        assert_eq!(d.raw_read(), 2 + bytes.len() as u64);
    }
}
