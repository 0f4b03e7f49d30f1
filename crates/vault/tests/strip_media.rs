//! HEIC and MP4/MOV public copies (requirement R5): files built box by box
//! with GPS, make, model, serial, XMP, EXIF and thumbnail data. After
//! stripping none of it remains, the file keeps its size and layout (so
//! chunk offsets and item locations stay valid), the media bytes are
//! identical, and damaged files are refused without panicking.

mod common;

use std::ops::Range;

use common::*;
use proptest::prelude::*;
use qantar_vault::{MediaType, MetaKind, StripError, Stripped, detect, scan, strip};

const GPS: &str = "+43.2389+076.8897/";
const PRIMARY: &[u8] = b"PRIMARY-IMAGE-HEVC-BITSTREAM-0123456789";
const FRAMES: &[u8] = b"VIDEO-SAMPLES-mdat-payload-that-must-not-change";

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = u32::try_from(payload.len() + 8)
        .expect("small box")
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(payload);
    v
}

/// A full box: version, zero flags, then the payload.
fn fbx(kind: &[u8; 4], version: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![version, 0, 0, 0];
    p.extend_from_slice(payload);
    bx(kind, &p)
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

/// A QuickTime user-data text atom: length, language, text.
fn qt_text(kind: &[u8; 4], text: &str) -> Vec<u8> {
    let mut p = u16::try_from(text.len())
        .expect("short")
        .to_be_bytes()
        .to_vec();
    p.extend_from_slice(&0x15C7u16.to_be_bytes());
    p.extend_from_slice(text.as_bytes());
    bx(kind, &p)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Creation and modification times, then timescale and duration.
fn times(width_rest: usize) -> Vec<u8> {
    let mut p = Vec::new();
    p.extend_from_slice(&0xDA2F_1E00u32.to_be_bytes());
    p.extend_from_slice(&0xDA2F_1E01u32.to_be_bytes());
    p.resize(width_rest, 0);
    p
}

struct Mp4 {
    bytes: Vec<u8>,
    mdat: Range<usize>,
    stco: Range<usize>,
    mvhd_times: Range<usize>,
}

fn moov(chunk_offset: u32) -> (Vec<u8>, usize) {
    let mut stco_payload = 1u32.to_be_bytes().to_vec();
    stco_payload.extend_from_slice(&chunk_offset.to_be_bytes());
    let stco = fbx(b"stco", 0, &stco_payload);
    let stbl = bx(b"stbl", &cat(&[fbx(b"stsd", 0, &0u32.to_be_bytes()), stco]));
    let minf = bx(b"minf", &stbl);
    let mdia = bx(
        b"mdia",
        &cat(&[
            fbx(b"mdhd", 0, &times(20)),
            fbx(
                b"hdlr",
                0,
                b"\0\0\0\0vide\0\0\0\0\0\0\0\0\0\0\0\0VideoHandler\0",
            ),
            minf,
        ]),
    );
    let keys = {
        let mut p = 2u32.to_be_bytes().to_vec();
        for k in [
            "com.apple.quicktime.location.ISO6709",
            "com.apple.quicktime.model",
        ] {
            p.extend_from_slice(&(u32::try_from(k.len()).expect("short") + 8).to_be_bytes());
            p.extend_from_slice(b"mdta");
            p.extend_from_slice(k.as_bytes());
        }
        fbx(b"keys", 0, &p)
    };
    let ilst = bx(
        b"ilst",
        &cat(&[
            bx(
                b"\0\0\0\x01",
                &bx(b"data", &[b"\0\0\0\x01\0\0\0\0", GPS.as_bytes()].concat()),
            ),
            bx(
                b"\0\0\0\x02",
                &bx(b"data", &[b"\0\0\0\x01\0\0\0\0", MODEL.as_bytes()].concat()),
            ),
        ]),
    );
    // Apple writes this `meta` without version and flags.
    let apple_meta = bx(
        b"meta",
        &cat(&[
            fbx(b"hdlr", 0, b"\0\0\0\0mdta\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            keys,
            ilst,
        ]),
    );
    let trak = bx(
        b"trak",
        &cat(&[
            fbx(b"tkhd", 0, &times(80)),
            mdia,
            bx(b"udta", &qt_text(b"\xA9xyz", GPS)),
        ]),
    );
    let udta = bx(
        b"udta",
        &cat(&[
            qt_text(b"\xA9mak", MAKE),
            qt_text(b"\xA9mod", MODEL),
            qt_text(b"\xA9swr", BODY_SERIAL),
            bx(b"XMP_", xmp_packet().as_bytes()),
        ]),
    );
    let mvhd = fbx(b"mvhd", 0, &times(96));
    let moov = bx(b"moov", &cat(&[mvhd, trak, udta, apple_meta]));
    let stco_at = find(&moov, b"stco").expect("stco") + 8;
    (moov, stco_at)
}

fn mp4_with_metadata(brand: &[u8; 4]) -> Mp4 {
    let ftyp = bx(b"ftyp", &[&brand[..], b"\0\0\x02\0isommp41"].concat());
    let mut uuid = vec![
        0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF,
        0xAC,
    ];
    uuid.extend_from_slice(xmp_packet().as_bytes());
    let uuid = bx(b"uuid", &uuid);
    let (probe, _) = moov(0);
    let mdat_start = ftyp.len() + probe.len() + uuid.len() + 8;
    let (moov, stco_at) = moov(u32::try_from(mdat_start).expect("small"));
    let moov_at = ftyp.len();
    let bytes = cat(&[ftyp, moov, uuid, bx(b"mdat", FRAMES)]);
    let mvhd = moov_at + 8 + 8 + 4;
    Mp4 {
        mdat: mdat_start..mdat_start + FRAMES.len(),
        stco: moov_at + stco_at..moov_at + stco_at + 8,
        mvhd_times: mvhd..mvhd + 8,
        bytes,
    }
}

fn kinds_found(bytes: &[u8]) -> Vec<MetaKind> {
    scan(bytes).iter().map(|f| f.kind).collect()
}

/// What every format here shares: metadata seen before and gone after, by
/// the scanner and by byte search, size unchanged, input unchanged, and a
/// second strip has nothing left to do.
fn strip_in_place(original: &[u8], expected: MediaType, secrets: &[&[u8]]) -> Stripped {
    assert_eq!(detect(original), Some(expected));
    for s in secrets {
        assert!(
            find(original, s).is_some(),
            "fixture must carry its secrets"
        );
    }
    let copy = original.to_vec();
    let stripped = strip(original).unwrap_or_else(|e| panic!("strip {expected}: {e}"));
    assert_eq!(original, &copy[..], "strip must not change its input");
    assert_eq!(stripped.media_type, expected);
    assert_eq!(stripped.bytes.len(), original.len(), "blanked in place");
    for s in secrets {
        assert_eq!(
            find(&stripped.bytes, s),
            None,
            "{:?} survived",
            String::from_utf8_lossy(s)
        );
    }
    assert_eq!(surviving_markers(&stripped.bytes), Vec::<&str>::new());
    assert_eq!(scan(&stripped.bytes), Vec::new());
    let again = strip(&stripped.bytes).expect("strip twice");
    assert_eq!(again.removed, Vec::new(), "second strip of {expected}");
    assert_eq!(again.bytes, stripped.bytes);
    stripped
}

const MP4_SECRETS: [&[u8]; 6] = [
    GPS.as_bytes(),
    b"\xA9xyz",
    b"\xA9mak",
    b"com.apple.quicktime",
    b"<x:xmpmeta",
    b"\xDA\x2F\x1E",
];

#[test]
fn mp4_loses_gps_make_model_serial_xmp_and_capture_time_in_place() {
    for brand in [b"isom", b"mp42", b"qt  ", b"M4V "] {
        let file = mp4_with_metadata(brand);
        let found = kinds_found(&file.bytes);
        for k in [
            MetaKind::Gps,
            MetaKind::Device,
            MetaKind::Xmp,
            MetaKind::Timestamp,
        ] {
            assert!(found.contains(&k), "scan should report {k:?}: {found:?}");
        }
        let s = strip_in_place(&file.bytes, MediaType::IsoMedia, &MP4_SECRETS);
        assert_eq!(&s.bytes[file.mdat.clone()], &file.bytes[file.mdat.clone()]);
        assert_eq!(&s.bytes[file.stco.clone()], &file.bytes[file.stco.clone()]);
        assert_eq!(&s.bytes[file.mvhd_times.clone()], &[0; 8]);
        // The chunk offset still points at the first media byte.
        let offset = u32::from_be_bytes(
            s.bytes[file.stco.start + 4..file.stco.end]
                .try_into()
                .unwrap(),
        );
        assert_eq!(offset as usize, file.mdat.start);
        let removed: Vec<MetaKind> = s.removed.iter().map(|r| r.kind).collect();
        for k in [
            MetaKind::Gps,
            MetaKind::Device,
            MetaKind::Xmp,
            MetaKind::Timestamp,
        ] {
            assert!(
                removed.contains(&k),
                "removed should list {k:?}: {removed:?}"
            );
        }
        assert_eq!(
            s.removed
                .iter()
                .filter(|r| r.kind == MetaKind::Timestamp)
                .count(),
            3,
            "mvhd, tkhd and mdhd times"
        );
        // Blanked boxes are still walkable `free` boxes of the same size.
        assert!(find(&s.bytes, b"free").is_some());
        assert!(find(&s.bytes, b"udta").is_none());
    }
}

struct Heic {
    bytes: Vec<u8>,
    primary: Range<usize>,
    exif: Vec<Range<usize>>,
}

struct ItemSpec {
    id: u16,
    kind: &'static [u8; 4],
    content_type: &'static str,
    method: u8,
    extents: Vec<(u32, u32)>,
}

fn infe(item: &ItemSpec) -> Vec<u8> {
    let mut p = item.id.to_be_bytes().to_vec();
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(item.kind);
    p.push(0);
    if !item.content_type.is_empty() {
        p.extend_from_slice(item.content_type.as_bytes());
        p.push(0);
    }
    fbx(b"infe", 2, &p)
}

fn iloc(items: &[ItemSpec]) -> Vec<u8> {
    let mut p = vec![0x44, 0x00];
    p.extend_from_slice(&u16::try_from(items.len()).expect("few").to_be_bytes());
    for item in items {
        p.extend_from_slice(&item.id.to_be_bytes());
        p.extend_from_slice(&u16::from(item.method).to_be_bytes());
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(
            &u16::try_from(item.extents.len())
                .expect("few")
                .to_be_bytes(),
        );
        for (offset, length) in &item.extents {
            p.extend_from_slice(&offset.to_be_bytes());
            p.extend_from_slice(&length.to_be_bytes());
        }
    }
    fbx(b"iloc", 1, &p)
}

fn reference(kind: &[u8; 4], from: u16, to: u16) -> Vec<u8> {
    let mut p = from.to_be_bytes().to_vec();
    p.extend_from_slice(&1u16.to_be_bytes());
    p.extend_from_slice(&to.to_be_bytes());
    bx(kind, &p)
}

fn heic_meta(items: &[ItemSpec], idat: &[u8]) -> Vec<u8> {
    let mut iinf = u16::try_from(items.len())
        .expect("few")
        .to_be_bytes()
        .to_vec();
    for item in items {
        iinf.extend(infe(item));
    }
    fbx(
        b"meta",
        0,
        &cat(&[
            fbx(b"hdlr", 0, b"\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            fbx(b"pitm", 0, &1u16.to_be_bytes()),
            fbx(b"iinf", 0, &iinf),
            fbx(
                b"iref",
                0,
                &cat(&[
                    reference(b"thmb", 4, 1),
                    reference(b"cdsc", 2, 1),
                    reference(b"cdsc", 3, 1),
                ]),
            ),
            iloc(items),
            if idat.is_empty() {
                Vec::new()
            } else {
                bx(b"idat", idat)
            },
        ]),
    )
}

/// The EXIF item: offset of the TIFF header, the `Exif\0\0` prefix phones
/// write, then a TIFF block with make, model, serials, GPS and a thumbnail.
fn exif_item() -> Vec<u8> {
    [&[0, 0, 0, 6][..], b"Exif\0\0", &exif_block(Endian::Big)].concat()
}

/// `tweak` may change the item list before offsets are fixed, to build the
/// files that must be refused.
fn heic_with(tweak: impl Fn(&mut Vec<ItemSpec>)) -> Heic {
    let exif = exif_item();
    let (exif_a, exif_b) = exif.split_at(exif.len() / 2);
    let xmp = xmp_packet().into_bytes();
    let thumb = format!("{THUMB}-hevc").into_bytes();
    // The EXIF item is split in two extents around the primary image.
    let parts: [&[u8]; 5] = [exif_a, PRIMARY, exif_b, &xmp, &thumb];
    let ftyp = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
    let specs = |base: u32| {
        let mut at = base;
        let mut spans = Vec::new();
        for p in parts {
            let len = u32::try_from(p.len()).expect("small");
            spans.push((at, len));
            at += len;
        }
        let mut items = vec![
            ItemSpec {
                id: 1,
                kind: b"hvc1",
                content_type: "",
                method: 0,
                extents: vec![spans[1]],
            },
            ItemSpec {
                id: 2,
                kind: b"Exif",
                content_type: "",
                method: 0,
                extents: vec![spans[0], spans[2]],
            },
            ItemSpec {
                id: 3,
                kind: b"mime",
                content_type: "application/rdf+xml",
                method: 0,
                extents: vec![spans[3]],
            },
            ItemSpec {
                id: 4,
                kind: b"hvc1",
                content_type: "",
                method: 0,
                extents: vec![spans[4]],
            },
        ];
        tweak(&mut items);
        items
    };
    let meta_len = heic_meta(&specs(0), &[]).len();
    let mdat_body = ftyp.len() + meta_len + 8;
    let base = u32::try_from(mdat_body).expect("small");
    let meta = heic_meta(&specs(base), &[]);
    assert_eq!(meta.len(), meta_len);
    let bytes = cat(&[ftyp, meta, bx(b"mdat", &parts.concat())]);
    let primary = mdat_body + exif_a.len();
    let exif_b_at = primary + PRIMARY.len();
    Heic {
        primary: primary..primary + PRIMARY.len(),
        exif: vec![
            mdat_body..mdat_body + exif_a.len(),
            exif_b_at..exif_b_at + exif_b.len(),
        ],
        bytes,
    }
}

#[test]
fn heic_loses_exif_gps_serials_xmp_and_thumbnail_in_place() {
    let file = heic_with(|_| {});
    let found = kinds_found(&file.bytes);
    for k in [
        MetaKind::Exif,
        MetaKind::Gps,
        MetaKind::Serial,
        MetaKind::Device,
        MetaKind::Xmp,
        MetaKind::Thumbnail,
    ] {
        assert!(found.contains(&k), "scan should report {k:?}: {found:?}");
    }
    let s = strip_in_place(
        &file.bytes,
        MediaType::Heif,
        &[b"Exif\0\0MM", b"<x:xmpmeta", THUMB.as_bytes()],
    );
    assert_eq!(&s.bytes[file.primary.clone()], PRIMARY);
    // The EXIF item is now an empty but valid block: header offset 0, a
    // big-endian TIFF header and an IFD0 with no entries.
    let first = &s.bytes[file.exif[0].clone()];
    assert_eq!(&first[..18], b"\0\0\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0");
    assert!(first[18..].iter().all(|&c| c == 0));
    assert!(s.bytes[file.exif[1].clone()].iter().all(|&c| c == 0));
    let removed: Vec<MetaKind> = s.removed.iter().map(|r| r.kind).collect();
    for k in [
        MetaKind::Exif,
        MetaKind::Gps,
        MetaKind::Serial,
        MetaKind::Xmp,
        MetaKind::Thumbnail,
    ] {
        assert!(
            removed.contains(&k),
            "removed should list {k:?}: {removed:?}"
        );
    }
    // Everything before the media data (the boxes, `iloc` offsets) is as it was.
    let mdat = find(&file.bytes, b"mdat").expect("mdat");
    assert_eq!(&s.bytes[..mdat], &file.bytes[..mdat]);
}

#[test]
fn heic_exif_inside_the_meta_box_is_overwritten_there() {
    let exif = exif_item();
    let len = u32::try_from(exif.len()).expect("small");
    let items = |primary_at: u32| {
        vec![
            ItemSpec {
                id: 1,
                kind: b"hvc1",
                content_type: "",
                method: 0,
                extents: vec![(primary_at, u32::try_from(PRIMARY.len()).expect("small"))],
            },
            ItemSpec {
                id: 2,
                kind: b"Exif",
                content_type: "",
                method: 1,
                extents: vec![(0, len)],
            },
        ]
    };
    let ftyp = bx(b"ftyp", b"avif\0\0\0\0mif1avif");
    let at = ftyp.len() + heic_meta(&items(0), &exif).len() + 8;
    let meta = heic_meta(&items(u32::try_from(at).expect("small")), &exif);
    let bytes = cat(&[ftyp, meta, bx(b"mdat", PRIMARY)]);
    let s = strip_in_place(&bytes, MediaType::Heif, &[b"Exif\0\0MM", MAKE.as_bytes()]);
    assert_eq!(&s.bytes[at..], PRIMARY);
    let idat = find(&s.bytes, b"idat").expect("idat") + 4;
    assert_eq!(&s.bytes[idat..idat + 8], b"\0\0\0\0MM\0\x2a");
}

#[test]
fn heic_items_that_cannot_be_overwritten_safely_are_refused() {
    let derived = heic_with(|items| items[1].method = 2);
    let shared = heic_with(|items| items[3].extents = items[0].extents.clone());
    let grid_thumb = heic_with(|items| items[3].kind = b"grid");
    let outside = heic_with(|items| items[2].extents[0].0 = 1 << 30);
    for (name, file) in [
        ("construction method 2", derived),
        ("thumbnail sharing the primary's bytes", shared),
        ("derived thumbnail", grid_thumb),
        ("extent past the end", outside),
    ] {
        match strip(&file.bytes) {
            Err(e @ StripError::Refused { .. }) => {
                assert!(e.to_string().contains("do not publish"), "{name}: {e}");
            }
            other => panic!("{name} should be refused, got {other:?}"),
        }
        assert!(
            !scan(&file.bytes).is_empty(),
            "{name}: scan must not pass it"
        );
    }
}

/// Every cut inside a box is refused; a cut that ends exactly between
/// top-level boxes may still parse, but must never panic.
fn truncations_are_refused(bytes: &[u8], expected: MediaType) {
    let mut boundaries = vec![0];
    let mut pos = 0;
    while pos + 8 <= bytes.len() {
        pos += u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        boundaries.push(pos);
    }
    for n in 0..bytes.len() {
        let result = strip(&bytes[..n]);
        let _ = scan(&bytes[..n]);
        // Below 12 bytes the brand is cut off, so a HEIC reads as MP4.
        if n >= 12 && !boundaries.contains(&n) {
            match result {
                Err(StripError::Malformed { media_type, .. }) => assert_eq!(media_type, expected),
                other => panic!("{expected} cut at {n} should be malformed, got {other:?}"),
            }
        }
    }
}

#[test]
fn truncated_media_files_are_refused() {
    truncations_are_refused(&mp4_with_metadata(b"isom").bytes, MediaType::IsoMedia);
    truncations_are_refused(&heic_with(|_| {}).bytes, MediaType::Heif);
}

#[test]
fn mp4_without_movie_box_or_with_impossible_size_is_malformed() {
    let file = mp4_with_metadata(b"isom");
    let mut huge = file.bytes.clone();
    let moov = find(&huge, b"moov").expect("moov") - 4;
    huge[moov..moov + 4].copy_from_slice(&1u32.to_be_bytes());
    let no_moov = cat(&[bx(b"ftyp", b"isom\0\0\0\0"), bx(b"mdat", FRAMES)]);
    for bytes in [huge, no_moov] {
        assert!(matches!(
            strip(&bytes),
            Err(StripError::Malformed {
                media_type: MediaType::IsoMedia,
                ..
            })
        ));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_media_never_panics(
        which in 0usize..2,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = if which == 0 {
            mp4_with_metadata(b"mp42").bytes
        } else {
            heic_with(|_| {}).bytes
        };
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = scan(&bytes);
        if let Ok(s) = strip(&bytes) {
            prop_assert_eq!(s.bytes.len(), bytes.len());
            prop_assert!(scan(&s.bytes).is_empty());
        }
        let n = cut.index(bytes.len());
        let _ = strip(&bytes[..n]);
        let _ = scan(&bytes[..n]);
    }

    #[test]
    fn random_bytes_after_a_file_type_box_never_panic(
        brand in prop::sample::select(vec![*b"isom", *b"heic", *b"qt  ", *b"avif"]),
        body in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut bytes = bx(b"ftyp", &[&brand[..], b"\0\0\0\0"].concat());
        bytes.extend_from_slice(&body);
        let _ = scan(&bytes);
        if let Ok(s) = strip(&bytes) {
            prop_assert_eq!(s.bytes.len(), bytes.len());
        }
    }
}
