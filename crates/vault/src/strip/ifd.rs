//! A bounds-checked reader for TIFF structures, shared by TIFF files and
//! EXIF blocks (which are TIFF structures inside other containers), and the
//! names and classes of the tags that matter for identification.

use std::collections::HashSet;

use super::MetaKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Little,
    Big,
}

/// A TIFF structure: its bytes, byte order and first IFD offset.
pub(crate) struct Tiff<'a> {
    pub data: &'a [u8],
    pub order: Order,
    pub first_ifd: u32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub tag: u16,
    pub typ: u16,
    pub count: u32,
    /// The 4-byte value-or-offset field, as stored.
    pub field: [u8; 4],
}

pub(crate) struct Ifd {
    pub entries: Vec<Entry>,
    pub next: u32,
}

/// Byte size of one value of a TIFF field type; `None` for types classic
/// TIFF does not define (a reader cannot know how far they reach).
pub(crate) fn type_size(typ: u16) -> Option<usize> {
    match typ {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 => Some(8),
        _ => None,
    }
}

impl<'a> Tiff<'a> {
    /// Reads the 8-byte classic TIFF header. BigTIFF is not accepted.
    pub fn parse(data: &'a [u8]) -> Result<Self, String> {
        let order = match data.get(0..2) {
            Some(b"II") => Order::Little,
            Some(b"MM") => Order::Big,
            _ => return Err("no TIFF byte-order mark (II or MM)".into()),
        };
        let mut tiff = Tiff {
            data,
            order,
            first_ifd: 0,
        };
        if tiff.u16_at(2)? != 42 {
            return Err("TIFF version is not 42 (classic TIFF)".into());
        }
        tiff.first_ifd = tiff.u32_at(4)?;
        Ok(tiff)
    }

    fn bytes_at(&self, at: usize, len: usize) -> Result<&'a [u8], String> {
        at.checked_add(len)
            .and_then(|end| self.data.get(at..end))
            .ok_or_else(|| {
                format!(
                    "{len} bytes at offset {at} run past the end ({} bytes)",
                    self.data.len()
                )
            })
    }

    pub fn u16_at(&self, at: usize) -> Result<u16, String> {
        let b = self.bytes_at(at, 2)?;
        Ok(self.u16_from([b[0], b[1]]))
    }

    pub fn u32_at(&self, at: usize) -> Result<u32, String> {
        let b = self.bytes_at(at, 4)?;
        Ok(self.u32_from([b[0], b[1], b[2], b[3]]))
    }

    pub fn u16_from(&self, b: [u8; 2]) -> u16 {
        match self.order {
            Order::Little => u16::from_le_bytes(b),
            Order::Big => u16::from_be_bytes(b),
        }
    }

    pub fn u32_from(&self, b: [u8; 4]) -> u32 {
        match self.order {
            Order::Little => u32::from_le_bytes(b),
            Order::Big => u32::from_be_bytes(b),
        }
    }

    pub fn ifd(&self, offset: u32) -> Result<Ifd, String> {
        let at = offset as usize;
        let n = self.u16_at(at)? as usize;
        let table = self.bytes_at(at + 2, n * 12)?;
        let entries = table
            .chunks_exact(12)
            .map(|e| Entry {
                tag: self.u16_from([e[0], e[1]]),
                typ: self.u16_from([e[2], e[3]]),
                count: self.u32_from([e[4], e[5], e[6], e[7]]),
                field: [e[8], e[9], e[10], e[11]],
            })
            .collect();
        let next = self.u32_at(at + 2 + n * 12)?;
        Ok(Ifd { entries, next })
    }

    /// The raw value bytes of an entry, inline or at its offset.
    pub fn value_bytes(&self, e: &Entry) -> Result<Vec<u8>, String> {
        let size = type_size(e.typ)
            .ok_or_else(|| format!("tag {} has unknown field type {}", e.tag, e.typ))?;
        let len = size
            .checked_mul(e.count as usize)
            .ok_or_else(|| format!("tag {} has an impossible count", e.tag))?;
        if len <= 4 {
            Ok(e.field[..len].to_vec())
        } else {
            Ok(self
                .bytes_at(self.u32_from(e.field) as usize, len)?
                .to_vec())
        }
    }

    /// The values of a SHORT or LONG (or IFD) entry as u32s.
    pub fn values_u32(&self, e: &Entry) -> Result<Vec<u32>, String> {
        let raw = self.value_bytes(e)?;
        match e.typ {
            3 => Ok(raw
                .chunks_exact(2)
                .map(|c| u32::from(self.u16_from([c[0], c[1]])))
                .collect()),
            4 | 13 => Ok(raw
                .chunks_exact(4)
                .map(|c| self.u32_from([c[0], c[1], c[2], c[3]]))
                .collect()),
            t => Err(format!(
                "tag {} should be SHORT or LONG, not type {t}",
                e.tag
            )),
        }
    }

    /// Walks the chain of IFDs from `first`, stopping at loops and at a
    /// sane maximum so a hostile file cannot make the walk endless.
    pub fn ifd_chain(&self, first: u32) -> Result<Vec<(u32, Ifd)>, String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut offset = first;
        while offset != 0 && seen.insert(offset) && out.len() < 1024 {
            let ifd = self.ifd(offset)?;
            let next = ifd.next;
            out.push((offset, ifd));
            offset = next;
        }
        Ok(out)
    }
}

pub(crate) const EXIF_IFD: u16 = 34665;
pub(crate) const GPS_IFD: u16 = 34853;
pub(crate) const INTEROP_IFD: u16 = 40965;

/// The class and name of a tag that may identify a person, device or place.
/// Tags absent here are still dropped by the TIFF stripper unless they are on
/// its decoding allow-list; this table only makes the report readable.
pub(crate) fn classify(tag: u16) -> (MetaKind, &'static str) {
    match tag {
        EXIF_IFD => (MetaKind::Exif, "ExifIFD"),
        GPS_IFD => (MetaKind::Gps, "GPSInfo"),
        INTEROP_IFD => (MetaKind::Exif, "InteropIFD"),
        700 => (MetaKind::Xmp, "XMP"),
        33723 => (MetaKind::Iptc, "IPTC-NAA"),
        34377 => (MetaKind::Iptc, "Photoshop"),
        42033 => (MetaKind::Serial, "BodySerialNumber"),
        42037 => (MetaKind::Serial, "LensSerialNumber"),
        50735 => (MetaKind::Serial, "CameraSerialNumber"),
        42016 => (MetaKind::Serial, "ImageUniqueID"),
        37500 => (MetaKind::MakerNote, "MakerNote"),
        50341 => (MetaKind::MakerNote, "PrintIM"),
        330 => (MetaKind::Thumbnail, "SubIFDs"),
        513 => (MetaKind::Thumbnail, "JPEGInterchangeFormat"),
        514 => (MetaKind::Thumbnail, "JPEGInterchangeFormatLength"),
        271 => (MetaKind::Device, "Make"),
        272 => (MetaKind::Device, "Model"),
        305 => (MetaKind::Device, "Software"),
        315 => (MetaKind::Device, "Artist"),
        316 => (MetaKind::Device, "HostComputer"),
        33432 => (MetaKind::Device, "Copyright"),
        42032 => (MetaKind::Device, "CameraOwnerName"),
        42035 => (MetaKind::Device, "LensMake"),
        42036 => (MetaKind::Device, "LensModel"),
        50708 => (MetaKind::Device, "UniqueCameraModel"),
        306 => (MetaKind::Timestamp, "DateTime"),
        36867 => (MetaKind::Timestamp, "DateTimeOriginal"),
        36868 => (MetaKind::Timestamp, "DateTimeDigitized"),
        270 => (MetaKind::Text, "ImageDescription"),
        269 => (MetaKind::Text, "DocumentName"),
        285 => (MetaKind::Text, "PageName"),
        37510 => (MetaKind::Text, "UserComment"),
        40091..=40095 => (MetaKind::Text, "XP* (Windows title/comment/author)"),
        _ => (MetaKind::Other, "tag"),
    }
}

/// Names the identifying things inside an EXIF block, so a report says
/// "incl. GPS, BodySerialNumber, embedded thumbnail" instead of just
/// "EXIF". Best effort: a damaged block is still removed whole.
pub(crate) fn describe_exif(tiff_bytes: &[u8]) -> Vec<(MetaKind, String)> {
    let mut found = Vec::new();
    let Ok(tiff) = Tiff::parse(tiff_bytes) else {
        return found;
    };
    let Ok(chain) = tiff.ifd_chain(tiff.first_ifd) else {
        return found;
    };
    let mut subs = Vec::new();
    for (index, (_, ifd)) in chain.iter().enumerate() {
        if index > 0 {
            found.push((
                MetaKind::Thumbnail,
                format!("embedded thumbnail (IFD{index})"),
            ));
        }
        collect_named(&tiff, ifd, &mut found, &mut subs);
    }
    describe_subs(&tiff, subs, &mut found);
    found
}

/// Names the identifying things inside the sub-IFD that `tag` (ExifIFD,
/// GPSInfo, InteropIFD) points to at `offset`.
pub(crate) fn describe_sub_ifd(tiff: &Tiff, tag: u16, offset: u32) -> Vec<(MetaKind, String)> {
    let mut found = Vec::new();
    describe_subs(tiff, vec![(tag, offset)], &mut found);
    found
}

fn describe_subs(tiff: &Tiff, mut subs: Vec<(u16, u32)>, found: &mut Vec<(MetaKind, String)>) {
    let mut seen = HashSet::new();
    while let Some((tag, offset)) = subs.pop() {
        if !seen.insert(offset) || seen.len() > 64 {
            continue;
        }
        let Ok(ifd) = tiff.ifd(offset) else { continue };
        if tag == GPS_IFD {
            if !ifd.entries.is_empty() {
                found.push((MetaKind::Gps, format!("GPS ({} tags)", ifd.entries.len())));
            }
            continue;
        }
        collect_named(tiff, &ifd, found, &mut subs);
    }
}

fn collect_named(
    tiff: &Tiff,
    ifd: &Ifd,
    found: &mut Vec<(MetaKind, String)>,
    subs: &mut Vec<(u16, u32)>,
) {
    for e in &ifd.entries {
        match e.tag {
            EXIF_IFD | GPS_IFD | INTEROP_IFD => {
                if let Ok(v) = tiff.values_u32(e)
                    && let Some(&offset) = v.first()
                {
                    subs.push((e.tag, offset));
                }
            }
            tag => {
                let (kind, name) = classify(tag);
                if kind != MetaKind::Other {
                    found.push((kind, name.to_owned()));
                }
            }
        }
    }
}
