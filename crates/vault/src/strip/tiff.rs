//! TIFF (classic, either byte order): write a new file holding only the
//! first IFD's decoding tags and the image data they point to. ExifIFD,
//! GPS, XMP, IPTC, device and text tags go, and so does every later IFD
//! (thumbnails, previews, and further pages of a multi-page scan).

use super::ifd::{self, Entry, Order, Tiff};
use super::{Finding, MediaType, MetaKind, Removed, StripResult, malformed};

/// Tags a decoder needs, or that describe pixels and colour without saying
/// anything about who, where or with what.
const KEEP: [u16; 33] = [
    256, 257, 258, 259, 262, 266, 273, 274, 277, 278, 279, 282, 283, 284, 296, 317, 318, 319, 320,
    322, 323, 324, 325, 338, 339, 340, 341, 347, 529, 530, 531, 532, 34675,
];
const STRIP_OFFSETS: u16 = 273;
const STRIP_BYTE_COUNTS: u16 = 279;
const TILE_OFFSETS: u16 = 324;
const TILE_BYTE_COUNTS: u16 = 325;
const COMPRESSION: u16 = 259;
const OLD_JPEG: u32 = 6;

fn err(reason: impl Into<String>) -> super::StripError {
    malformed(MediaType::Tiff, reason)
}

struct Writer {
    order: Order,
    buf: Vec<u8>,
}

impl Writer {
    fn u16(&mut self, v: u16) {
        let b = match self.order {
            Order::Little => v.to_le_bytes(),
            Order::Big => v.to_be_bytes(),
        };
        self.buf.extend_from_slice(&b);
    }
    fn u32(&mut self, v: u32) {
        let b = match self.order {
            Order::Little => v.to_le_bytes(),
            Order::Big => v.to_be_bytes(),
        };
        self.buf.extend_from_slice(&b);
    }
    fn pad_to(&mut self, at: usize) {
        self.buf.resize(at, 0);
    }
}

/// A kept tag's value as it will be written.
enum Value {
    /// Raw bytes in the file's byte order, copied from the original.
    Raw(Vec<u8>),
    /// New offsets of the copied strips or tiles, written as LONGs.
    Offsets,
}

fn even(n: usize) -> usize {
    n + (n & 1)
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let tiff = Tiff::parse(b).map_err(err)?;
    let chain = tiff.ifd_chain(tiff.first_ifd).map_err(err)?;
    let Some((_, ifd0)) = chain.first() else {
        return Err(err("the file has no image directory (IFD0 offset is 0)"));
    };
    let mut removed = Vec::new();
    let mut kept: Vec<Entry> = Vec::new();
    for e in &ifd0.entries {
        if KEEP.contains(&e.tag) {
            kept.push(*e);
            continue;
        }
        let (kind, name) = ifd::classify(e.tag);
        removed.push(Removed {
            kind,
            detail: format!("TIFF tag {} {name}", e.tag),
        });
        if matches!(e.tag, ifd::EXIF_IFD | ifd::GPS_IFD | ifd::INTEROP_IFD)
            && let Some(&offset) = tiff.values_u32(e).ok().as_ref().and_then(|v| v.first())
        {
            removed.extend(ifd::describe_sub_ifd(&tiff, e.tag, offset).into_iter().map(
                |(kind, name)| Removed {
                    kind,
                    detail: format!("{name} (in TIFF tag {})", e.tag),
                },
            ));
        }
    }
    if chain.len() > 1 {
        removed.push(Removed {
            kind: MetaKind::Thumbnail,
            detail: format!(
                "{} further IFD(s): thumbnails, previews or later pages",
                chain.len() - 1
            ),
        });
    }
    kept.sort_by_key(|e| e.tag);
    kept.dedup_by_key(|e| e.tag);

    let find = |tag: u16| kept.iter().find(|e| e.tag == tag);
    if let Some(c) = find(COMPRESSION)
        && tiff.values_u32(c).map_err(err)?.first() == Some(&OLD_JPEG)
    {
        return Err(super::StripError::Refused {
            media_type: MediaType::Tiff,
            reason: "it uses old-style JPEG compression (6), whose data lies outside the strips; convert it to a current TIFF first".into(),
        });
    }
    let (offsets_tag, counts_tag) = match (find(STRIP_OFFSETS), find(TILE_OFFSETS)) {
        (Some(_), None) => (STRIP_OFFSETS, STRIP_BYTE_COUNTS),
        (None, Some(_)) => (TILE_OFFSETS, TILE_BYTE_COUNTS),
        _ => return Err(err("IFD0 needs exactly one of StripOffsets or TileOffsets")),
    };
    let offsets = find(offsets_tag)
        .map(|e| tiff.values_u32(e))
        .transpose()
        .map_err(err)?
        .unwrap_or_default();
    let counts = find(counts_tag)
        .ok_or_else(|| err(format!("tag {counts_tag} (byte counts) is missing")))
        .and_then(|e| tiff.values_u32(e).map_err(err))?;
    if offsets.len() != counts.len() || offsets.is_empty() {
        return Err(err(format!(
            "{} data offsets but {} byte counts",
            offsets.len(),
            counts.len()
        )));
    }
    let pieces: Vec<&[u8]> = offsets
        .iter()
        .zip(&counts)
        .map(|(&o, &n)| {
            let (o, n) = (o as usize, n as usize);
            o.checked_add(n)
                .and_then(|end| b.get(o..end))
                .ok_or_else(|| err(format!("image data at {o}+{n} runs past the end")))
        })
        .collect::<Result<_, _>>()?;

    // Values, then layout: header, IFD, out-of-line values, image data.
    let mut values = Vec::with_capacity(kept.len());
    for e in &kept {
        values.push(if e.tag == offsets_tag {
            Value::Offsets
        } else {
            Value::Raw(tiff.value_bytes(e).map_err(err)?)
        });
    }
    let value_len = |v: &Value| match v {
        Value::Raw(r) => r.len(),
        Value::Offsets => offsets.len() * 4,
    };
    let ifd_len = 2 + 12 * kept.len() + 4;
    let mut at = 8 + ifd_len;
    let mut value_at = Vec::with_capacity(kept.len());
    for v in &values {
        let len = value_len(v);
        if len > 4 {
            at = even(at);
            value_at.push(at);
            at += len;
        } else {
            value_at.push(0);
        }
    }
    let mut data_at = Vec::with_capacity(pieces.len());
    for p in &pieces {
        at = even(at);
        data_at.push(at);
        at += p.len();
    }
    let to_u32 = |n: usize| u32::try_from(n).map_err(|_| err("stripped file would exceed 4 GiB"));
    to_u32(at)?;

    let mut w = Writer {
        order: tiff.order,
        buf: Vec::with_capacity(at),
    };
    w.buf.extend_from_slice(match tiff.order {
        Order::Little => b"II",
        Order::Big => b"MM",
    });
    w.u16(42);
    w.u32(8);
    w.u16(u16::try_from(kept.len()).map_err(|_| err("too many tags"))?);
    for ((e, v), &vat) in kept.iter().zip(&values).zip(&value_at) {
        w.u16(e.tag);
        match v {
            Value::Offsets => {
                w.u16(4);
                w.u32(to_u32(offsets.len())?);
                if offsets.len() == 1 {
                    w.u32(to_u32(data_at[0])?);
                } else {
                    w.u32(to_u32(vat)?);
                }
            }
            Value::Raw(raw) => {
                w.u16(e.typ);
                w.u32(e.count);
                if raw.len() <= 4 {
                    let mut field = [0u8; 4];
                    field[..raw.len()].copy_from_slice(raw);
                    w.buf.extend_from_slice(&field);
                } else {
                    w.u32(to_u32(vat)?);
                }
            }
        }
    }
    w.u32(0);
    for (v, &vat) in values.iter().zip(&value_at) {
        if value_len(v) <= 4 {
            continue;
        }
        w.pad_to(vat);
        match v {
            Value::Raw(raw) => w.buf.extend_from_slice(raw),
            Value::Offsets => {
                for &d in &data_at {
                    w.u32(to_u32(d)?);
                }
            }
        }
    }
    for (p, &dat) in pieces.iter().zip(&data_at) {
        w.pad_to(dat);
        w.buf.extend_from_slice(p);
    }
    Ok((w.buf, removed))
}

/// Checks a TIFF independently of the writer's layout: every IFD0 tag must
/// be on the allow-list, and IFD0 must be the only directory.
pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let result = Tiff::parse(b).and_then(|t| {
        let chain = t.ifd_chain(t.first_ifd)?;
        Ok((chain.len(), chain.into_iter().next()))
    });
    let (count, first) = match result {
        Ok(r) => r,
        Err(reason) => {
            findings.push(Finding {
                kind: MetaKind::Unparseable,
                detail: format!("TIFF could not be parsed: {reason}"),
            });
            return;
        }
    };
    if let Some((_, ifd0)) = first {
        for e in ifd0.entries.iter().filter(|e| !KEEP.contains(&e.tag)) {
            let (kind, name) = ifd::classify(e.tag);
            findings.push(Finding {
                kind,
                detail: format!("TIFF tag {} {name} in IFD0", e.tag),
            });
        }
    }
    if count > 1 {
        findings.push(Finding {
            kind: MetaKind::Thumbnail,
            detail: format!("TIFF has {} IFDs after the first", count - 1),
        });
    }
}
