//! WebP: a RIFF container. Keep image, alpha, animation and ICC chunks;
//! drop EXIF, XMP and unknown chunks, clear the VP8X flags that announced
//! them, and rewrite the RIFF size.

use super::{Finding, MediaType, MetaKind, Removed, StripResult, malformed, thousands};

const KEEP: [&[u8; 4]; 7] = [
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

struct Chunk {
    kind: [u8; 4],
    /// Header, data and padding byte.
    all: std::ops::Range<usize>,
}

/// The chunks inside the RIFF body, and how many bytes follow the RIFF.
fn chunks(b: &[u8]) -> Result<(Vec<Chunk>, usize), String> {
    let riff_size = b
        .get(4..8)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or("no RIFF header")?;
    let riff_end = riff_size
        .checked_add(8)
        .filter(|&e| e <= b.len())
        .ok_or_else(|| {
            format!(
                "RIFF size {riff_size} runs past the end ({} bytes)",
                b.len()
            )
        })?;
    let mut pos = 12;
    let mut out = Vec::new();
    while pos < riff_end {
        let head = b
            .get(pos..pos + 8)
            .filter(|_| pos + 8 <= riff_end)
            .ok_or_else(|| format!("chunk header at byte {pos} cut off"))?;
        let kind = [head[0], head[1], head[2], head[3]];
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let padded = len + (len & 1);
        let end = (pos + 8)
            .checked_add(padded)
            .filter(|&e| e <= riff_end)
            .ok_or_else(|| {
                format!(
                    "chunk '{}' at byte {pos} runs past the RIFF end",
                    show(&kind)
                )
            })?;
        out.push(Chunk {
            kind,
            all: pos..end,
        });
        pos = end;
    }
    Ok((out, b.len() - riff_end))
}

fn show(kind: &[u8; 4]) -> String {
    String::from_utf8_lossy(kind).into_owned()
}

fn classify(kind: &[u8; 4]) -> MetaKind {
    match kind {
        b"EXIF" => MetaKind::Exif,
        b"XMP " => MetaKind::Xmp,
        _ => MetaKind::Other,
    }
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let (chunks, trailing) = chunks(b).map_err(|r| malformed(MediaType::WebP, r))?;
    let mut body = Vec::with_capacity(b.len());
    let mut removed = Vec::new();
    for c in chunks {
        if KEEP.contains(&&c.kind) {
            let start = body.len();
            body.extend_from_slice(&b[c.all]);
            if &c.kind == b"VP8X" {
                let flags = body
                    .get_mut(start + 8)
                    .ok_or_else(|| malformed(MediaType::WebP, "VP8X chunk too short"))?;
                *flags &= !(VP8X_EXIF | VP8X_XMP);
            }
            continue;
        }
        let data = &b[c.all.start + 8..c.all.end];
        let kind = classify(&c.kind);
        removed.push(Removed {
            kind,
            detail: format!(
                "WebP {} chunk ({} bytes)",
                show(&c.kind).trim_end(),
                thousands(data.len())
            ),
        });
        if kind == MetaKind::Exif {
            let tiff = data.strip_prefix(b"Exif\0\0").unwrap_or(data);
            removed.extend(
                super::ifd::describe_exif(tiff)
                    .into_iter()
                    .map(|(kind, name)| Removed {
                        kind,
                        detail: format!("{name} (in EXIF chunk)"),
                    }),
            );
        }
    }
    if trailing > 0 {
        removed.push(Removed {
            kind: MetaKind::TrailingData,
            detail: format!(
                "data after the RIFF container ({} bytes)",
                thousands(trailing)
            ),
        });
    }
    let riff_size = u32::try_from(body.len() + 4)
        .map_err(|_| malformed(MediaType::WebP, "file larger than RIFF allows"))?;
    let mut out = Vec::with_capacity(body.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_size.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    Ok((out, removed))
}

pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let (chunks, trailing) = match chunks(b) {
        Ok(c) => c,
        Err(reason) => {
            findings.push(Finding {
                kind: MetaKind::Unparseable,
                detail: format!("WebP could not be parsed: {reason}"),
            });
            return;
        }
    };
    for c in &chunks {
        if !KEEP.contains(&&c.kind) {
            findings.push(Finding {
                kind: classify(&c.kind),
                detail: format!("WebP chunk '{}' at byte {}", show(&c.kind), c.all.start),
            });
        } else if &c.kind == b"VP8X" {
            let flags = b.get(c.all.start + 8).copied().unwrap_or(0);
            if flags & (VP8X_EXIF | VP8X_XMP) != 0 {
                findings.push(Finding {
                    kind: MetaKind::Other,
                    detail: "WebP VP8X header still announces EXIF or XMP".into(),
                });
            }
        }
    }
    if trailing > 0 {
        findings.push(Finding {
            kind: MetaKind::TrailingData,
            detail: format!("WebP has {trailing} bytes after the RIFF container"),
        });
    }
}
