//! HEIC, HEIF and AVIF stills: metadata lives in items listed by the
//! top-level `meta` box, with their bytes located by `iloc`. Those bytes are
//! overwritten in place, so every other item's offsets stay valid:
//!
//! - `Exif` items become an empty EXIF block (a valid TIFF header and an IFD0
//!   with no entries), padded with zeros;
//! - XMP (`mime` items of type `application/rdf+xml`) become spaces;
//! - thumbnails (the source of a `thmb` reference) are zeroed.
//!
//! An item whose bytes cannot be overwritten with certainty (kept in another
//! file, built from other items, or sharing bytes with an image that must
//! survive) makes the whole file refused.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::isobmff::{BoxRef, Cursor, children, full_inner, show};
use super::mp4::{self, Action};
use super::{
    Finding, MediaType, MetaKind, Removed, StripError, StripResult, ifd, malformed, thousands,
};

struct Item {
    id: u32,
    kind: [u8; 4],
    content_type: String,
}

struct Location {
    method: u8,
    data_ref: u16,
    base: u64,
    extents: Vec<(u64, u64)>,
}

struct Meta {
    items: Vec<Item>,
    locations: HashMap<u32, Location>,
    /// Items that are the thumbnail of another item.
    thumbnails: HashSet<u32>,
    /// The payload of the `idat` box, for construction method 1.
    idat: Option<Range<usize>>,
}

/// Which metadata an item carries, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Exif,
    Xmp,
    Thumbnail,
}

/// Coded image items whose bytes may be zeroed without touching any
/// other item; a derived thumbnail (`grid`, `iovl`) is refused instead.
const CODED: [&[u8; 4]; 6] = [b"hvc1", b"av01", b"jpeg", b"avc1", b"j2k1", b"vvc1"];

fn full_header(c: &mut Cursor) -> Result<u8, String> {
    let v = c.take(4)?;
    Ok(v[0])
}

fn parse_iinf(b: &[u8], bx: &BoxRef) -> Result<Vec<Item>, String> {
    let mut c = Cursor {
        data: bx.payload(b),
        at: 0,
        what: "iinf",
    };
    let version = full_header(&mut c)?;
    c.uint(if version == 0 { 2 } else { 4 })?;
    let mut items = Vec::new();
    for infe in children(b, bx.body + c.at..bx.all.end)? {
        if &infe.kind != b"infe" {
            continue;
        }
        let mut c = Cursor {
            data: infe.payload(b),
            at: 0,
            what: "infe",
        };
        let version = full_header(&mut c)?;
        let item = if version >= 2 {
            let id = c.uint(if version == 2 { 2 } else { 4 })? as u32;
            c.uint(2)?;
            let t = c.take(4)?;
            let kind = [t[0], t[1], t[2], t[3]];
            c.cstr();
            let content_type = if &kind == b"mime" {
                c.cstr()
            } else {
                String::new()
            };
            Item {
                id,
                kind,
                content_type,
            }
        } else {
            // Versions 0 and 1 have no item type; the content type says
            // what the item is.
            let id = c.uint(2)? as u32;
            c.uint(2)?;
            c.cstr();
            Item {
                id,
                kind: *b"mime",
                content_type: c.cstr(),
            }
        };
        items.push(item);
    }
    Ok(items)
}

fn parse_iloc(b: &[u8], bx: &BoxRef) -> Result<HashMap<u32, Location>, String> {
    let mut c = Cursor {
        data: bx.payload(b),
        at: 0,
        what: "iloc",
    };
    let version = full_header(&mut c)?;
    if version > 2 {
        return Err(format!("'iloc' version {version} is unknown"));
    }
    let sizes = c.take(2)?;
    let (offset_size, length_size) = (usize::from(sizes[0] >> 4), usize::from(sizes[0] & 15));
    let base_size = usize::from(sizes[1] >> 4);
    let index_size = if version >= 1 {
        usize::from(sizes[1] & 15)
    } else {
        0
    };
    let count = c.uint(if version < 2 { 2 } else { 4 })?;
    let mut out = HashMap::new();
    for _ in 0..count {
        let id = c.uint(if version < 2 { 2 } else { 4 })? as u32;
        let method = if version >= 1 {
            (c.uint(2)? & 15) as u8
        } else {
            0
        };
        let data_ref = c.uint(2)? as u16;
        let base = c.uint(base_size)?;
        let n = c.uint(2)?;
        let mut extents = Vec::new();
        for _ in 0..n {
            c.uint(index_size)?;
            let offset = c.uint(offset_size)?;
            let length = c.uint(length_size)?;
            extents.push((offset, length));
        }
        out.insert(
            id,
            Location {
                method,
                data_ref,
                base,
                extents,
            },
        );
    }
    Ok(out)
}

fn parse_iref(b: &[u8], bx: &BoxRef) -> Result<HashSet<u32>, String> {
    let version = *b
        .get(bx.body)
        .ok_or("'iref' is too short for its version")?;
    let width = if version == 0 { 2 } else { 4 };
    let mut thumbs = HashSet::new();
    for r in children(b, (bx.body + 4).min(bx.all.end)..bx.all.end)? {
        if &r.kind == b"thmb" {
            let mut c = Cursor {
                data: r.payload(b),
                at: 0,
                what: "thmb",
            };
            thumbs.insert(c.uint(width)? as u32);
        }
    }
    Ok(thumbs)
}

fn parse_meta(b: &[u8], meta: &BoxRef) -> Result<Meta, String> {
    let mut parsed = Meta {
        items: Vec::new(),
        locations: HashMap::new(),
        thumbnails: HashSet::new(),
        idat: None,
    };
    for bx in full_inner(b, meta)? {
        match &bx.kind {
            b"iinf" => parsed.items = parse_iinf(b, &bx)?,
            b"iloc" => parsed.locations = parse_iloc(b, &bx)?,
            b"iref" => parsed.thumbnails = parse_iref(b, &bx)?,
            b"idat" => parsed.idat = Some(bx.body..bx.all.end),
            _ => {}
        }
    }
    Ok(parsed)
}

impl Meta {
    fn role(&self, item: &Item) -> Option<Role> {
        if &item.kind == b"Exif" {
            Some(Role::Exif)
        } else if &item.kind == b"mime"
            && item
                .content_type
                .trim()
                .eq_ignore_ascii_case("application/rdf+xml")
        {
            Some(Role::Xmp)
        } else if self.thumbnails.contains(&item.id) {
            Some(Role::Thumbnail)
        } else {
            None
        }
    }

    /// The file bytes an item occupies, in order.
    fn ranges(&self, b: &[u8], id: u32) -> Result<Vec<Range<usize>>, String> {
        let loc = self
            .locations
            .get(&id)
            .ok_or_else(|| format!("item {id} has no entry in 'iloc'"))?;
        if loc.data_ref != 0 {
            return Err(format!("item {id} is stored in another file"));
        }
        let (origin, limit) = match (loc.method, &self.idat) {
            (0, _) => (0, b.len()),
            (1, Some(idat)) => (idat.start, idat.end),
            (1, None) => return Err(format!("item {id} points into a missing 'idat' box")),
            (m, _) => {
                return Err(format!(
                    "item {id} uses construction method {m} (built from other items)"
                ));
            }
        };
        let mut out = Vec::new();
        for &(offset, length) in &loc.extents {
            if length == 0 {
                return Err(format!("item {id} has an extent of unspecified length"));
            }
            let start = u64::try_from(origin)
                .ok()
                .and_then(|o| o.checked_add(loc.base)?.checked_add(offset))
                .and_then(|s| usize::try_from(s).ok());
            let range = start
                .and_then(|s| Some(s..s.checked_add(usize::try_from(length).ok()?)?))
                .filter(|r| r.end <= limit);
            out.push(
                range.ok_or_else(|| format!("item {id} has an extent past the end of its data"))?,
            );
        }
        Ok(out)
    }

    fn item_bytes(&self, b: &[u8], id: u32) -> Result<Vec<u8>, String> {
        Ok(self
            .ranges(b, id)?
            .into_iter()
            .flat_map(|r| b[r].iter().copied())
            .collect())
    }
}

/// An `Exif` item holding nothing: the offset of the TIFF header within the
/// item (0), a big-endian TIFF header, and an IFD0 with no entries.
const EMPTY_EXIF: [u8; 18] = [0, 0, 0, 0, b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0];

fn replacement(role: Role, len: usize) -> Vec<u8> {
    match role {
        Role::Exif if len >= EMPTY_EXIF.len() => {
            let mut v = EMPTY_EXIF.to_vec();
            v.resize(len, 0);
            v
        }
        Role::Exif | Role::Thumbnail => vec![0; len],
        Role::Xmp => vec![b' '; len],
    }
}

/// What an `Exif` item's TIFF block names: GPS, make, serials and so on.
fn exif_contents(data: &[u8]) -> Option<Vec<(MetaKind, String)>> {
    let offset = u32::from_be_bytes(data.get(..4)?.try_into().ok()?) as usize;
    let tiff = data.get(4usize.checked_add(offset)?..)?;
    ifd::Tiff::parse(tiff).ok()?;
    Some(ifd::describe_exif(tiff))
}

fn describe(role: Role, id: u32, data: &[u8]) -> Vec<(MetaKind, String)> {
    let size = thousands(data.len());
    match role {
        Role::Exif => {
            let inside = exif_contents(data).unwrap_or_default();
            let names: Vec<&str> = inside.iter().map(|(_, n)| n.as_str()).collect();
            let mut out = vec![(
                MetaKind::Exif,
                if names.is_empty() {
                    format!("EXIF item {id} ({size} bytes)")
                } else {
                    format!("EXIF item {id} ({size} bytes) incl. {}", names.join(", "))
                },
            )];
            let mut kinds: Vec<MetaKind> = Vec::new();
            for (k, _) in inside {
                if k != MetaKind::Exif && !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            out.extend(
                kinds
                    .into_iter()
                    .map(|k| (k, format!("{k:?} data inside EXIF item {id}"))),
            );
            out
        }
        Role::Xmp => vec![(MetaKind::Xmp, format!("XMP item {id} ({size} bytes)"))],
        Role::Thumbnail => vec![(
            MetaKind::Thumbnail,
            format!("thumbnail item {id} ({size} bytes)"),
        )],
    }
}

fn is_clean(role: Role, data: &[u8]) -> bool {
    data == replacement(role, data.len()).as_slice()
}

fn top_level(b: &[u8]) -> Result<(Vec<BoxRef>, BoxRef), String> {
    let top = children(b, 0..b.len())?;
    if top.first().map(|t| &t.kind) != Some(b"ftyp") {
        return Err("the first box is not 'ftyp'".into());
    }
    let mut metas = top.iter().filter(|t| &t.kind == b"meta");
    let meta = metas.next().cloned().ok_or("no 'meta' box")?;
    if metas.next().is_some() {
        return Err("more than one top-level 'meta' box".into());
    }
    Ok((top, meta))
}

/// Top-level boxes other than the image `meta`, through the video rules
/// (image sequences carry a `moov`).
fn other_actions(b: &[u8], top: &[BoxRef]) -> Result<Vec<Action>, String> {
    let rest: Vec<BoxRef> = top.iter().filter(|t| &t.kind != b"meta").cloned().collect();
    let mut actions = Vec::new();
    mp4::plan(b, &rest, &mut actions)?;
    Ok(actions)
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let err = |r: String| malformed(MediaType::Heif, r);
    let refuse = |reason: String| StripError::Refused {
        media_type: MediaType::Heif,
        reason,
    };
    let (top, meta_box) = top_level(b).map_err(err)?;
    let meta = parse_meta(b, &meta_box).map_err(err)?;
    let actions = other_actions(b, &top).map_err(err)?;

    let mut targets = Vec::new();
    let mut kept = Vec::new();
    for item in &meta.items {
        match meta.role(item) {
            Some(role) => {
                if role == Role::Thumbnail && !CODED.contains(&&item.kind) {
                    return Err(refuse(format!(
                        "thumbnail item {} is a derived '{}' image whose bytes cannot be blanked alone",
                        item.id,
                        show(&item.kind)
                    )));
                }
                let ranges = meta.ranges(b, item.id).map_err(|r| {
                    refuse(format!(
                        "{r}, so its metadata cannot be overwritten in place"
                    ))
                })?;
                targets.push((item.id, role, ranges));
            }
            // Items built from other items have no bytes of their own to
            // collide with.
            None => {
                if let Ok(r) = meta.ranges(b, item.id) {
                    kept.push((item.id, r));
                }
            }
        }
    }
    for (id, _, ranges) in &targets {
        for (other, theirs) in &kept {
            let overlap = ranges
                .iter()
                .any(|r| theirs.iter().any(|t| r.start < t.end && t.start < r.end));
            if overlap {
                return Err(refuse(format!(
                    "metadata item {id} shares bytes with item {other}, which must be kept"
                )));
            }
        }
    }

    let mut out = b.to_vec();
    let mut removed: Vec<Removed> = actions.iter().map(|a| a.apply(&mut out)).collect();
    for (id, role, ranges) in targets {
        let data: Vec<u8> = ranges
            .iter()
            .flat_map(|r| b[r.clone()].iter().copied())
            .collect();
        if is_clean(role, &data) {
            continue;
        }
        removed.extend(
            describe(role, id, &data)
                .into_iter()
                .map(|(kind, detail)| Removed { kind, detail }),
        );
        let new = replacement(role, data.len());
        let mut at = 0;
        for r in ranges {
            let len = r.len();
            out[r].copy_from_slice(&new[at..at + len]);
            at += len;
        }
    }
    Ok((out, removed))
}

pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let unparseable = |reason: String| Finding {
        kind: MetaKind::Unparseable,
        detail: format!("HEIF could not be parsed: {reason}"),
    };
    let parsed = top_level(b)
        .and_then(|(top, meta_box)| Ok((parse_meta(b, &meta_box)?, other_actions(b, &top)?)));
    let (meta, actions) = match parsed {
        Ok(p) => p,
        Err(reason) => {
            findings.push(unparseable(reason));
            return;
        }
    };
    findings.extend(actions.iter().map(Action::finding));
    for item in &meta.items {
        let Some(role) = meta.role(item) else {
            continue;
        };
        match meta.item_bytes(b, item.id) {
            Ok(data) => {
                // An EXIF block is judged by what it names, so a block that
                // was emptied by another tool is not flagged for its header.
                let dirty = match role {
                    Role::Exif => match exif_contents(&data) {
                        Some(inside) => !inside.is_empty(),
                        None => data.iter().any(|&c| c != 0),
                    },
                    _ => !is_clean(role, &data),
                };
                if dirty {
                    findings.extend(
                        describe(role, item.id, &data)
                            .into_iter()
                            .map(|(kind, detail)| Finding { kind, detail }),
                    );
                }
            }
            Err(reason) => findings.push(unparseable(reason)),
        }
    }
    mp4::scan_bytes(b, findings);
}
