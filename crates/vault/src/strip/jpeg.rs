//! JPEG: keep the segments a decoder needs, drop every other APPn and COM,
//! and drop anything after EOI (vendors append extra images and blobs there).

use std::ops::Range;

use super::{Finding, MediaType, MetaKind, Removed, StripResult, ifd, malformed, thousands};

/// One piece of a JPEG file in order.
enum Piece {
    /// A marker and its segment; `all` covers `FF xx` and the payload,
    /// `payload` excludes the two length bytes. Standalone markers (SOI,
    /// EOI, RSTn, TEM) have an empty payload.
    Segment {
        marker: u8,
        all: Range<usize>,
        payload: Range<usize>,
    },
    /// Entropy-coded data after an SOS header, copied as is.
    Entropy(Range<usize>),
    /// Bytes after EOI.
    Trailing(Range<usize>),
}

fn pieces(b: &[u8]) -> Result<Vec<Piece>, String> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err("no SOI marker".into());
    }
    let mut out = vec![Piece::Segment {
        marker: 0xD8,
        all: 0..2,
        payload: 2..2,
    }];
    let mut pos = 2;
    loop {
        let start = pos;
        if b.get(pos) != Some(&0xFF) {
            return Err(format!("expected a marker at byte {pos}"));
        }
        while b.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *b.get(pos).ok_or("file ends before EOI")?;
        pos += 1;
        match marker {
            0xD9 => {
                out.push(Piece::Segment {
                    marker,
                    all: start..pos,
                    payload: pos..pos,
                });
                if pos < b.len() {
                    out.push(Piece::Trailing(pos..b.len()));
                }
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => out.push(Piece::Segment {
                marker,
                all: start..pos,
                payload: pos..pos,
            }),
            0x00 | 0xD8 => return Err(format!("unexpected marker FF{marker:02X} at byte {start}")),
            _ => {
                let len_bytes = b.get(pos..pos + 2).ok_or("segment length cut off")?;
                let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
                if len < 2 || pos + len > b.len() {
                    return Err(format!(
                        "segment FF{marker:02X} at byte {start} has a bad length {len}"
                    ));
                }
                let end = pos + len;
                out.push(Piece::Segment {
                    marker,
                    all: start..end,
                    payload: pos + 2..end,
                });
                pos = end;
                if marker == 0xDA {
                    let data_end = entropy_end(b, pos);
                    out.push(Piece::Entropy(pos..data_end));
                    pos = data_end;
                }
            }
        }
    }
}

/// Where the entropy-coded data starting at `from` ends: at the first
/// marker that is not a stuffed zero or a restart marker.
fn entropy_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i + 1 < b.len() {
        if b[i] == 0xFF {
            match b[i + 1] {
                0x00 | 0xD0..=0xD7 => i += 2,
                0xFF => i += 1,
                _ => return i,
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Markers a decoder needs: frame headers (baseline, progressive, lossless,
/// arithmetic), tables, restart interval, scans, JPEG-LS frame and
/// parameters, and the standalone markers.
fn is_coding_marker(marker: u8) -> bool {
    matches!(
        marker,
        0xC0..=0xCF | 0xDA..=0xDF | 0xF7 | 0xF8 | 0xD0..=0xD9 | 0x01
    )
}

enum Verdict {
    Keep,
    /// Keep a rewritten segment payload.
    Rewrite(Vec<u8>, Removed),
    Drop(Vec<Removed>),
}

fn judge(marker: u8, payload: &[u8]) -> Verdict {
    let size = payload.len() + 4;
    let drop_one = |kind, what: &str| {
        Verdict::Drop(vec![Removed {
            kind,
            detail: format!("{what} ({}, {} bytes)", app_name(marker), thousands(size)),
        }])
    };
    match marker {
        0xE0 if payload.starts_with(b"JFIF\0") => jfif(payload),
        0xE0 if payload.starts_with(b"JFXX\0") => {
            drop_one(MetaKind::Thumbnail, "JFIF extension thumbnail")
        }
        0xE1 if payload.starts_with(b"Exif\0") => {
            let tiff = payload.get(6..).unwrap_or_default();
            let inside = ifd::describe_exif(tiff);
            let names: Vec<&str> = inside.iter().map(|(_, n)| n.as_str()).collect();
            let mut detail = format!("EXIF ({}, {} bytes)", app_name(marker), thousands(size));
            if !names.is_empty() {
                detail.push_str(" incl. ");
                detail.push_str(&names.join(", "));
            }
            let mut removed = vec![Removed {
                kind: MetaKind::Exif,
                detail,
            }];
            removed.extend(inside.into_iter().map(|(kind, name)| Removed {
                kind,
                detail: format!("{name} (in EXIF)"),
            }));
            Verdict::Drop(removed)
        }
        0xE1 if payload.starts_with(b"http://ns.adobe.com/xap/1.0/\0") => {
            drop_one(MetaKind::Xmp, "XMP")
        }
        0xE1 if payload.starts_with(b"http://ns.adobe.com/xmp/extension/\0") => {
            drop_one(MetaKind::Xmp, "extended XMP")
        }
        // ICC profiles carry colour calibration, not identity, and dropping
        // them shifts colours of wide-gamut photos; keep them.
        0xE2 if payload.starts_with(b"ICC_PROFILE\0") => Verdict::Keep,
        0xE2 if payload.starts_with(b"MPF\0") => {
            drop_one(MetaKind::Thumbnail, "MPF multi-picture index")
        }
        0xE2 if payload.starts_with(b"FPXR\0") => drop_one(MetaKind::Thumbnail, "FlashPix data"),
        0xED => drop_one(MetaKind::Iptc, "IPTC/Photoshop resources"),
        // Adobe's APP14 says how to convert CMYK/YCCK to RGB: decoding needs it.
        0xEE if payload.starts_with(b"Adobe") => Verdict::Keep,
        0xE0..=0xEF => drop_one(MetaKind::Other, "application data"),
        0xFE => drop_one(MetaKind::Text, "comment"),
        m if is_coding_marker(m) => Verdict::Keep,
        _ => drop_one(MetaKind::Other, "unknown segment"),
    }
}

/// JFIF APP0 may hold an uncompressed RGB thumbnail after its 14 fixed
/// bytes; keep the header with the thumbnail size set to 0×0.
fn jfif(payload: &[u8]) -> Verdict {
    let (Some(&w), Some(&h)) = (payload.get(12), payload.get(13)) else {
        return Verdict::Keep;
    };
    if (w == 0 || h == 0) && payload.len() == 14 {
        return Verdict::Keep;
    }
    let mut header = payload[..12].to_vec();
    header.extend_from_slice(&[0, 0]);
    Verdict::Rewrite(
        header,
        Removed {
            kind: MetaKind::Thumbnail,
            detail: format!(
                "JFIF thumbnail {w}×{h} ({} bytes)",
                thousands(payload.len() - 14)
            ),
        },
    )
}

fn app_name(marker: u8) -> String {
    match marker {
        0xE0..=0xEF => format!("APP{}", marker - 0xE0),
        0xFE => "COM".into(),
        m => format!("marker FF{m:02X}"),
    }
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let pieces = pieces(b).map_err(|r| malformed(MediaType::Jpeg, r))?;
    let mut out = Vec::with_capacity(b.len());
    let mut removed = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Segment {
                marker,
                all,
                payload,
            } => match judge(marker, &b[payload]) {
                Verdict::Keep => out.extend_from_slice(&b[all]),
                Verdict::Rewrite(new, what) => {
                    let len = u16::try_from(new.len() + 2)
                        .map_err(|_| malformed(MediaType::Jpeg, "rewritten segment too long"))?;
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(&len.to_be_bytes());
                    out.extend_from_slice(&new);
                    removed.push(what);
                }
                Verdict::Drop(what) => removed.extend(what),
            },
            Piece::Entropy(r) => out.extend_from_slice(&b[r]),
            Piece::Trailing(r) => removed.push(Removed {
                kind: MetaKind::TrailingData,
                detail: format!("data after end of image ({} bytes)", thousands(r.len())),
            }),
        }
    }
    Ok((out, removed))
}

/// Strips a JPEG that sits inside another container (a PDF image stream).
pub(super) fn strip_embedded(b: &[u8]) -> Result<(Vec<u8>, Vec<Removed>), String> {
    strip(b).map_err(|e| e.to_string())
}

/// Looks for metadata segments independently of [`judge`]: only three
/// application segments may remain (a bare JFIF header, ICC profiles and
/// Adobe's colour transform), and nothing may follow EOI.
pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let pieces = match pieces(b) {
        Ok(p) => p,
        Err(reason) => {
            findings.push(Finding {
                kind: MetaKind::Unparseable,
                detail: format!("JPEG could not be parsed: {reason}"),
            });
            return;
        }
    };
    for piece in pieces {
        match piece {
            Piece::Segment {
                marker,
                all,
                payload,
            } => {
                let p = &b[payload];
                let allowed = match marker {
                    0xE0 => p.starts_with(b"JFIF\0") && p.len() == 14 && (p[12] == 0 || p[13] == 0),
                    0xE2 => p.starts_with(b"ICC_PROFILE\0"),
                    0xEE => p.starts_with(b"Adobe"),
                    m => is_coding_marker(m),
                };
                if !allowed {
                    let kind = if p.starts_with(b"Exif\0") {
                        MetaKind::Exif
                    } else if p.starts_with(b"http://ns.adobe.com/") {
                        MetaKind::Xmp
                    } else if marker == 0xED {
                        MetaKind::Iptc
                    } else if marker == 0xFE {
                        MetaKind::Text
                    } else if marker == 0xE0 {
                        MetaKind::Thumbnail
                    } else {
                        MetaKind::Other
                    };
                    findings.push(Finding {
                        kind,
                        detail: format!("JPEG {} segment at byte {}", app_name(marker), all.start),
                    });
                }
            }
            Piece::Entropy(_) => {}
            Piece::Trailing(r) => findings.push(Finding {
                kind: MetaKind::TrailingData,
                detail: format!("JPEG has {} bytes after end of image", r.len()),
            }),
        }
    }
}
