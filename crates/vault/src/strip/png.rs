//! PNG: keep the critical chunks, colour and animation chunks; drop text,
//! time, EXIF, C2PA and every unknown ancillary chunk. Chunks are copied
//! whole, so their CRCs stay valid and nothing is recomputed.

use super::{Finding, MediaType, MetaKind, Removed, StripResult, malformed, thousands};

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Chunks that decoding or faithful display need, and that hold no text.
const KEEP: [&[u8; 4]; 17] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs", b"bKGD", b"cICP", b"mDCV", b"cLLI", b"acTL", b"fcTL",
];
/// Animation frame data: critical for animated PNG, though lower-case.
const FRAME_DATA: &[u8; 4] = b"fdAT";

struct Chunk {
    kind: [u8; 4],
    /// Length, type, data and CRC.
    all: std::ops::Range<usize>,
}

/// Splits a PNG into chunks up to IEND, and the length of anything after.
fn chunks(b: &[u8]) -> Result<(Vec<Chunk>, usize), String> {
    if !b.starts_with(SIGNATURE) {
        return Err("no PNG signature".into());
    }
    let mut pos = SIGNATURE.len();
    let mut out = Vec::new();
    loop {
        let head = b
            .get(pos..pos + 8)
            .ok_or_else(|| format!("file ends at byte {pos} before IEND"))?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let end = pos
            .checked_add(12)
            .and_then(|p| p.checked_add(len))
            .filter(|&e| e <= b.len())
            .ok_or_else(|| format!("chunk {} at byte {pos} runs past the end", show(&kind)))?;
        out.push(Chunk {
            kind,
            all: pos..end,
        });
        pos = end;
        if &kind == b"IEND" {
            return Ok((out, b.len() - pos));
        }
    }
}

fn show(kind: &[u8; 4]) -> String {
    String::from_utf8_lossy(kind).into_owned()
}

fn is_kept(kind: &[u8; 4]) -> bool {
    KEEP.contains(&kind) || kind == FRAME_DATA
}

fn classify(kind: &[u8; 4]) -> MetaKind {
    match kind {
        b"tEXt" | b"zTXt" | b"iTXt" => MetaKind::Text,
        b"eXIf" | b"zxIf" => MetaKind::Exif,
        b"tIME" => MetaKind::Timestamp,
        _ => MetaKind::Other,
    }
}

/// For text chunks, the keyword (`Author`, `XML:com.adobe.xmp`), which
/// says what the text was without quoting it.
fn keyword(data: &[u8]) -> String {
    let end = data
        .iter()
        .position(|&c| c == 0)
        .unwrap_or(data.len())
        .min(79);
    String::from_utf8_lossy(&data[..end]).into_owned()
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let (chunks, trailing) = chunks(b).map_err(|r| malformed(MediaType::Png, r))?;
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIGNATURE);
    let mut removed = Vec::new();
    for c in chunks {
        if is_kept(&c.kind) {
            out.extend_from_slice(&b[c.all]);
            continue;
        }
        if c.kind[0].is_ascii_uppercase() {
            // A critical chunk we do not know: dropping it would break the
            // image and keeping it might leak, so refuse.
            return Err(super::StripError::Refused {
                media_type: MediaType::Png,
                reason: format!("it has an unknown critical chunk '{}'", show(&c.kind)),
            });
        }
        let data = &b[c.all.start + 8..c.all.end - 4];
        let kind = if keyword(data).contains("xmp") && classify(&c.kind) == MetaKind::Text {
            MetaKind::Xmp
        } else {
            classify(&c.kind)
        };
        let detail = match kind {
            MetaKind::Text | MetaKind::Xmp => {
                format!(
                    "PNG {} '{}' ({} bytes)",
                    show(&c.kind),
                    keyword(data),
                    thousands(data.len())
                )
            }
            _ => format!("PNG {} ({} bytes)", show(&c.kind), thousands(data.len())),
        };
        removed.push(Removed { kind, detail });
        if kind == MetaKind::Exif {
            let tiff = data.strip_prefix(b"Exif\0\0").unwrap_or(data);
            removed.extend(
                super::ifd::describe_exif(tiff)
                    .into_iter()
                    .map(|(kind, name)| Removed {
                        kind,
                        detail: format!("{name} (in eXIf)"),
                    }),
            );
        }
    }
    if trailing > 0 {
        removed.push(Removed {
            kind: MetaKind::TrailingData,
            detail: format!("data after IEND ({} bytes)", thousands(trailing)),
        });
    }
    Ok((out, removed))
}

pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let (chunks, trailing) = match chunks(b) {
        Ok(c) => c,
        Err(reason) => {
            findings.push(Finding {
                kind: MetaKind::Unparseable,
                detail: format!("PNG could not be parsed: {reason}"),
            });
            return;
        }
    };
    for c in chunks.iter().filter(|c| !is_kept(&c.kind)) {
        findings.push(Finding {
            kind: classify(&c.kind),
            detail: format!("PNG chunk '{}' at byte {}", show(&c.kind), c.all.start),
        });
    }
    if trailing > 0 {
        findings.push(Finding {
            kind: MetaKind::TrailingData,
            detail: format!("PNG has {trailing} bytes after IEND"),
        });
    }
}
