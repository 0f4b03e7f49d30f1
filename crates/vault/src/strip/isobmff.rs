//! A bounds-checked walker for ISO base media boxes (MP4, MOV, HEIF), and
//! the in-place blanking both the video and the still-image strippers use.
//!
//! Nothing here moves a byte: sample tables (`stco`/`co64`) and item
//! locations (`iloc`) hold absolute file offsets, so a copy that kept its
//! size and layout keeps every one of those offsets valid without rewriting
//! them. Metadata is removed by turning its box into a `free` box of the same
//! size, or by overwriting its bytes.

use std::ops::Range;

/// One box: its type and where its header and payload sit in the file.
#[derive(Debug, Clone)]
pub(crate) struct BoxRef {
    pub kind: [u8; 4],
    /// From the first size byte to the end of the payload.
    pub all: Range<usize>,
    /// Where the payload starts: after size, type, any 64-bit size and, for
    /// `uuid` boxes, the 16-byte user type.
    pub body: usize,
    /// Where the type-specific bytes end (after any largesize), which is
    /// where a `free` box's payload starts.
    pub free_from: usize,
}

impl BoxRef {
    pub fn payload<'a>(&self, b: &'a [u8]) -> &'a [u8] {
        &b[self.body..self.all.end]
    }

    pub fn name(&self) -> String {
        show(&self.kind)
    }
}

/// A box type for messages: `©xyz` rather than `\xa9xyz`.
pub(crate) fn show(kind: &[u8; 4]) -> String {
    kind.iter()
        .map(|&c| match c {
            0xA9 => '©',
            0x20..=0x7E => c as char,
            _ => '?',
        })
        .collect()
}

/// The boxes that fill `range` of `b` exactly, in order. A size of 0 means
/// "to the end of the enclosing range"; a size of 1 means a 64-bit size
/// follows. Anything that does not tile the range is an error, so a damaged
/// file is refused rather than half-read.
pub(crate) fn children(b: &[u8], range: Range<usize>) -> Result<Vec<BoxRef>, String> {
    if range.end > b.len() || range.start > range.end {
        return Err(format!(
            "box range {}..{} lies outside the file ({} bytes)",
            range.start,
            range.end,
            b.len()
        ));
    }
    let mut out = Vec::new();
    let mut pos = range.start;
    while pos < range.end {
        let head = b
            .get(pos..pos + 8)
            .filter(|_| pos + 8 <= range.end)
            .ok_or_else(|| format!("box header at byte {pos} is cut off"))?;
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = [head[4], head[5], head[6], head[7]];
        let (size, mut header) = match size32 {
            0 => (range.end - pos, 8),
            1 => {
                let large = b
                    .get(pos + 8..pos + 16)
                    .filter(|_| pos + 16 <= range.end)
                    .ok_or_else(|| {
                        format!(
                            "64-bit size of box '{}' at byte {pos} is cut off",
                            show(&kind)
                        )
                    })?;
                let mut raw = [0u8; 8];
                raw.copy_from_slice(large);
                let size = usize::try_from(u64::from_be_bytes(raw)).map_err(|_| {
                    format!("box '{}' at byte {pos} is larger than memory", show(&kind))
                })?;
                (size, 16)
            }
            n => (n as usize, 8),
        };
        let free_from = pos + header;
        if &kind == b"uuid" {
            header += 16;
        }
        if size < header {
            return Err(format!(
                "box '{}' at byte {pos} declares {size} bytes, less than its own header",
                show(&kind)
            ));
        }
        let end = pos
            .checked_add(size)
            .filter(|&e| e <= range.end)
            .ok_or_else(|| {
                format!(
                    "box '{}' at byte {pos} ({size} bytes) runs past the end of its parent at byte {}",
                    show(&kind),
                    range.end
                )
            })?;
        out.push(BoxRef {
            kind,
            all: pos..end,
            body: pos + header,
            free_from,
        });
        pos = end;
    }
    Ok(out)
}

/// The children of a box whose payload is only boxes.
pub(crate) fn inner(b: &[u8], parent: &BoxRef) -> Result<Vec<BoxRef>, String> {
    children(b, parent.body..parent.all.end)
}

/// The children of a full box (version and flags first). Apple's QuickTime
/// `meta` has no version field, which shows as a child type where the
/// version would be; both layouts are accepted.
pub(crate) fn full_inner(b: &[u8], parent: &BoxRef) -> Result<Vec<BoxRef>, String> {
    let qt_style = b
        .get(parent.body + 4..parent.body + 8)
        .is_some_and(|t| t == b"hdlr" || t == b"keys" || t == b"ilst");
    let start = if qt_style {
        parent.body
    } else {
        parent.body + 4
    };
    if start > parent.all.end {
        return Err(format!(
            "box '{}' at byte {} is too short for its version field",
            parent.name(),
            parent.all.start
        ));
    }
    children(b, start..parent.all.end)
}

/// Turns a box into a `free` box of the same size with a zeroed payload.
pub(crate) fn blank(out: &mut [u8], bx: &BoxRef) {
    out[bx.all.start + 4..bx.all.start + 8].copy_from_slice(b"free");
    out[bx.free_from..bx.all.end].fill(0);
}

/// A big-endian unsigned integer of 0, 4 or 8 bytes (the widths `iloc`
/// allows), read at `*at` with the cursor advanced.
pub(crate) struct Cursor<'a> {
    pub data: &'a [u8],
    pub at: usize,
    /// For messages: which box is being read.
    pub what: &'static str,
}

impl Cursor<'_> {
    pub fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let Some(end) = end else {
            return Err(format!(
                "'{}' box is cut off ({n} bytes wanted at byte {} of {})",
                self.what,
                self.at,
                self.data.len()
            ));
        };
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    pub fn uint(&mut self, n: usize) -> Result<u64, String> {
        if !matches!(n, 0 | 1 | 2 | 4 | 8) {
            return Err(format!(
                "'{}' box uses a {n}-byte field width, which the format does not allow",
                self.what
            ));
        }
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    /// A NUL-terminated string; a missing terminator ends it at the box end.
    pub fn cstr(&mut self) -> String {
        let rest = &self.data[self.at.min(self.data.len())..];
        let len = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
        let s = String::from_utf8_lossy(&rest[..len]).into_owned();
        self.at = (self.at + len + 1).min(self.data.len());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn walker_reads_sizes_largesize_and_to_end() {
        let mut file = bx(b"ftyp", b"isom\0\0\0\0");
        let mut large = 1u32.to_be_bytes().to_vec();
        large.extend_from_slice(b"mdat");
        large.extend_from_slice(&20u64.to_be_bytes());
        large.extend_from_slice(b"abcd");
        file.extend_from_slice(&large);
        file.extend_from_slice(&[0, 0, 0, 0]);
        file.extend_from_slice(b"free");
        file.extend_from_slice(b"tail");
        let boxes = children(&file, 0..file.len()).expect("walk");
        let kinds: Vec<_> = boxes.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [*b"ftyp", *b"mdat", *b"free"]);
        assert_eq!(boxes[1].payload(&file), b"abcd");
        assert_eq!(boxes[2].payload(&file), b"tail");
    }

    #[test]
    fn walker_refuses_overlong_and_undersized_boxes() {
        let mut file = bx(b"ftyp", b"isom");
        file[3] = 200;
        assert!(children(&file, 0..file.len()).is_err());
        let mut small = bx(b"ftyp", b"isom");
        small[3] = 4;
        assert!(children(&small, 0..small.len()).is_err());
        assert!(children(&file, 0..file.len() + 1).is_err());
    }

    #[test]
    fn blank_keeps_size_and_zeroes_uuid_type() {
        let mut file = bx(b"uuid", &[7u8; 20]);
        let boxes = children(&file, 0..file.len()).expect("walk");
        blank(&mut file, &boxes[0]);
        assert_eq!(&file[4..8], b"free");
        assert!(file[8..].iter().all(|&c| c == 0));
        assert_eq!(file.len(), 28);
    }
}
