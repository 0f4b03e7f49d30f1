//! MP4, MOV, 3GP: metadata is blanked in place so the sample tables' chunk
//! offsets (`stco`/`co64`) still point at the same media bytes.
//!
//! Removed: `udta` boxes (QuickTime `©xyz` GPS, `©mak`/`©mod` make and model,
//! `©swr` software, 3GPP `loci`, Adobe `XMP_`), `meta` boxes (Apple's
//! `keys`/`ilst` with location and device), `uuid` boxes (XMP and vendor
//! data) and QuickTime preview boxes; each becomes a `free` box of the same
//! size. The creation and modification times in `mvhd`, `tkhd` and `mdhd`
//! are the capture time, so they are zeroed. Nothing under `stbl` or `mdat`
//! is touched.

use super::isobmff::{BoxRef, blank, children, inner};
use super::{Finding, MediaType, MetaKind, Removed, StripResult, malformed, scan::find, thousands};

/// A change the stripper makes, and what the checker reports if it is
/// still needed.
pub(crate) enum Action {
    Blank {
        bx: BoxRef,
        kind: MetaKind,
        what: String,
    },
    ZeroTimes {
        bx: BoxRef,
        /// The creation and modification time fields.
        fields: std::ops::Range<usize>,
    },
}

impl Action {
    pub fn apply(&self, out: &mut [u8]) -> Removed {
        match self {
            Action::Blank { bx, kind, what } => {
                blank(out, bx);
                Removed {
                    kind: *kind,
                    detail: format!(
                        "{what} ('{}' box at byte {}, {} bytes, blanked in place)",
                        bx.name(),
                        bx.all.start,
                        thousands(bx.all.len())
                    ),
                }
            }
            Action::ZeroTimes { bx, fields } => {
                out[fields.clone()].fill(0);
                Removed {
                    kind: MetaKind::Timestamp,
                    detail: format!(
                        "creation and modification times (capture time) in '{}' at byte {}, zeroed",
                        bx.name(),
                        bx.all.start
                    ),
                }
            }
        }
    }

    pub fn finding(&self) -> Finding {
        match self {
            Action::Blank { bx, kind, what } => Finding {
                kind: *kind,
                detail: format!("{what} ('{}' box at byte {})", bx.name(), bx.all.start),
            },
            Action::ZeroTimes { bx, .. } => Finding {
                kind: MetaKind::Timestamp,
                detail: format!(
                    "creation or modification time set in '{}' at byte {}",
                    bx.name(),
                    bx.all.start
                ),
            },
        }
    }
}

/// Adobe's XMP user type.
const XMP_UUID: [u8; 16] = [
    0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC,
];

/// Containers walked for metadata. `stbl` and below are left alone: sample
/// descriptions are not plain box lists and hold no identifying data.
const WALKED: [&[u8; 4]; 4] = [b"moov", b"trak", b"mdia", b"minf"];

/// Describes a `udta`/`meta` payload for a report: the most telling kind
/// of data inside and its names.
fn describe_user_data(b: &[u8], bx: &BoxRef) -> (MetaKind, String) {
    let payload = bx.payload(b);
    let mut names = Vec::new();
    let mut kind = MetaKind::Other;
    let mut rank = 0;
    // Keys can sit one or two levels down (udta/meta/ilst), so a plain
    // search for the well-known four-character codes is more robust here
    // than another walk; this only shapes the message.
    let known: [(&[u8], MetaKind, u8, &str); 10] = [
        (b"\xA9xyz", MetaKind::Gps, 3, "GPS position"),
        (b"loci", MetaKind::Gps, 3, "3GPP location"),
        (
            b"com.apple.quicktime.location",
            MetaKind::Gps,
            3,
            "Apple location",
        ),
        (b"\xA9mak", MetaKind::Device, 2, "make"),
        (b"\xA9mod", MetaKind::Device, 2, "model"),
        (b"com.apple.quicktime.make", MetaKind::Device, 2, "make"),
        (b"com.apple.quicktime.model", MetaKind::Device, 2, "model"),
        (b"\xA9swr", MetaKind::Device, 2, "software"),
        (b"XMP_", MetaKind::Xmp, 1, "XMP"),
        (b"\xA9day", MetaKind::Timestamp, 1, "date"),
    ];
    for (needle, k, r, name) in known {
        if find(payload, needle).is_some() {
            if !names.contains(&name) {
                names.push(name);
            }
            if r > rank {
                rank = r;
                kind = k;
            }
        }
    }
    let what = if names.is_empty() {
        format!("user data '{}'", bx.name())
    } else {
        format!("user data '{}' with {}", bx.name(), names.join(", "))
    };
    (kind, what)
}

fn uuid_action(b: &[u8], bx: &BoxRef) -> Action {
    let is_xmp = b.get(bx.free_from..bx.free_from + 16) == Some(&XMP_UUID[..]);
    let (kind, what) = if is_xmp {
        (MetaKind::Xmp, "XMP packet".to_owned())
    } else {
        (MetaKind::Other, "vendor 'uuid' data".to_owned())
    };
    Action::Blank {
        bx: bx.clone(),
        kind,
        what,
    }
}

fn time_fields(b: &[u8], bx: &BoxRef) -> Result<Option<std::ops::Range<usize>>, String> {
    let version = *b.get(bx.body).ok_or_else(|| {
        format!(
            "'{}' at byte {} is too short for its version",
            bx.name(),
            bx.all.start
        )
    })?;
    let width = if version == 1 { 8 } else { 4 };
    let fields = bx.body + 4..bx.body + 4 + 2 * width;
    if fields.end > bx.all.end {
        return Err(format!(
            "'{}' at byte {} is too short for its time fields",
            bx.name(),
            bx.all.start
        ));
    }
    Ok(b[fields.clone()].iter().any(|&c| c != 0).then_some(fields))
}

/// The changes that remove metadata from the boxes in `level` and, through
/// the walked containers, everything below them.
pub(crate) fn plan(b: &[u8], level: &[BoxRef], actions: &mut Vec<Action>) -> Result<(), String> {
    for bx in level {
        match &bx.kind {
            b"udta" | b"meta" => {
                let (kind, what) = describe_user_data(b, bx);
                actions.push(Action::Blank {
                    bx: bx.clone(),
                    kind,
                    what,
                });
            }
            b"uuid" => actions.push(uuid_action(b, bx)),
            // QuickTime preview: a pointer to, and the picture of, a frame.
            b"pnot" | b"PICT" => actions.push(Action::Blank {
                bx: bx.clone(),
                kind: MetaKind::Thumbnail,
                what: "QuickTime preview".to_owned(),
            }),
            b"mvhd" | b"tkhd" | b"mdhd" => {
                if let Some(fields) = time_fields(b, bx)? {
                    actions.push(Action::ZeroTimes {
                        bx: bx.clone(),
                        fields,
                    });
                }
            }
            k if WALKED.contains(&k) => plan(b, &inner(b, bx)?, actions)?,
            _ => {}
        }
    }
    Ok(())
}

fn top_level(b: &[u8]) -> Result<Vec<BoxRef>, String> {
    let top = children(b, 0..b.len())?;
    if top.first().map(|t| &t.kind) != Some(b"ftyp") {
        return Err("the first box is not 'ftyp'".into());
    }
    if !top.iter().any(|t| &t.kind == b"moov") {
        return Err(
            "no 'moov' box (a fragment or an unfinished recording cannot be checked)".into(),
        );
    }
    Ok(top)
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let err = |r: String| malformed(MediaType::IsoMedia, r);
    let top = top_level(b).map_err(err)?;
    let mut actions = Vec::new();
    plan(b, &top, &mut actions).map_err(err)?;
    let mut out = b.to_vec();
    let removed = actions.iter().map(|a| a.apply(&mut out)).collect();
    Ok((out, removed))
}

/// Signs of location data that do not depend on the box walk: an ISO 6709
/// `©xyz` value or Apple's location key.
pub(crate) fn scan_bytes(b: &[u8], findings: &mut Vec<Finding>) {
    let mut from = 0;
    while let Some(at) = find(&b[from..], b"\xA9xyz").map(|i| i + from) {
        // Box type, then a 2-byte length and 2-byte language, then the
        // text, which starts with a sign and a digit.
        let text = b.get(at + 8..at + 10);
        if let Some(&[sign, digit]) = text
            && (sign == b'+' || sign == b'-')
            && digit.is_ascii_digit()
        {
            findings.push(Finding {
                kind: MetaKind::Gps,
                detail: format!("QuickTime GPS position ('©xyz') at byte {at}"),
            });
            break;
        }
        from = at + 1;
    }
    if let Some(at) = find(b, b"com.apple.quicktime.location") {
        findings.push(Finding {
            kind: MetaKind::Gps,
            detail: format!("Apple location key at byte {at}"),
        });
    }
}

pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let mut actions = Vec::new();
    match top_level(b).and_then(|top| plan(b, &top, &mut actions)) {
        Ok(()) => findings.extend(actions.iter().map(Action::finding)),
        Err(reason) => findings.push(Finding {
            kind: MetaKind::Unparseable,
            detail: format!("MP4/MOV could not be parsed: {reason}"),
        }),
    }
    scan_bytes(b, findings);
}
