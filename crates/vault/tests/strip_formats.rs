//! Issue #6: metadata stripping on JPEG, PNG, WebP, TIFF and PDF files that
//! the tests build themselves with GPS, serial, XMP, IPTC and thumbnail
//! data (HEIC and MP4/MOV are in strip_media.rs). After stripping none of
//! it remains, the image decodes to the same pixels (the PDF keeps its
//! pages), and the original is untouched.

mod common;

use common::*;
use qantar_vault::{
    BlobStore, MediaType, MetaKind, StripError, Stripped, detect, scan, sha256_hex, strip,
};

fn kinds(s: &Stripped) -> Vec<MetaKind> {
    s.removed.iter().map(|r| r.kind).collect()
}

/// The checks every format shares: the planted metadata was seen before,
/// is gone after (by the scanner and by raw byte search), and the input
/// was not modified.
fn strip_and_check(original: &[u8], expected: MediaType) -> Stripped {
    assert_eq!(detect(original), Some(expected));
    let before = sha256_hex(original);
    let copy = original.to_vec();
    assert!(
        !surviving_markers(original).is_empty(),
        "fixture must carry markers"
    );
    let found = scan(original);
    assert!(
        !found.is_empty(),
        "the scanner must see the planted metadata"
    );

    let stripped = strip(original).unwrap_or_else(|e| panic!("strip {expected}: {e}"));
    assert_eq!(stripped.media_type, expected);
    assert_eq!(original, &copy[..], "strip must not change its input");
    assert_eq!(sha256_hex(original), before);
    assert_eq!(surviving_markers(&stripped.bytes), Vec::<&str>::new());
    assert_eq!(scan(&stripped.bytes), Vec::new());
    assert!(!stripped.removed.is_empty());
    // Idempotent: stripping a stripped copy removes nothing more.
    let again = strip(&stripped.bytes).expect("strip twice");
    assert_eq!(again.removed, Vec::new(), "second strip of {expected}");
    stripped
}

fn rgb(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory(bytes).expect("decode").to_rgb8()
}

#[test]
fn jpeg_loses_exif_gps_serials_xmp_iptc_comment_thumbnails_and_trailer() {
    let original = jpeg_with_metadata();
    let found = scan(&original);
    for k in [
        MetaKind::Exif,
        MetaKind::Xmp,
        MetaKind::Iptc,
        MetaKind::Text,
        MetaKind::TrailingData,
    ] {
        assert!(
            found.iter().any(|f| f.kind == k),
            "scan of original misses {k:?}: {found:?}"
        );
    }
    let s = strip_and_check(&original, MediaType::Jpeg);
    let k = kinds(&s);
    for want in [
        MetaKind::Exif,
        MetaKind::Gps,
        MetaKind::Serial,
        MetaKind::MakerNote,
        MetaKind::Thumbnail,
        MetaKind::Xmp,
        MetaKind::Iptc,
        MetaKind::Text,
        MetaKind::TrailingData,
    ] {
        assert!(
            k.contains(&want),
            "removed list lacks {want:?}: {:?}",
            s.removed
        );
    }
    let exif = s
        .removed
        .iter()
        .find(|r| r.kind == MetaKind::Exif)
        .expect("EXIF entry");
    assert!(exif.detail.starts_with("EXIF (APP1, "), "{}", exif.detail);
    assert!(
        exif.detail.contains("BodySerialNumber") && exif.detail.contains("GPS"),
        "{}",
        exif.detail
    );
    // Same entropy data and tables, so the same decoded pixels.
    let (a, b) = (rgb(&original), rgb(&s.bytes));
    assert_eq!(b.dimensions(), (W, H));
    assert_eq!(a, b);
    // Only decoding segments and the bare JFIF header remain.
    assert!(s.bytes.len() < original.len());
}

#[test]
fn jpeg_keeps_icc_profile() {
    let clean = encode_jpeg();
    let mut with_icc = clean[..2].to_vec();
    let payload = b"ICC_PROFILE\0\x01\x01fake-profile-bytes";
    with_icc.extend_from_slice(&[0xFF, 0xE2]);
    with_icc.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    with_icc.extend_from_slice(payload);
    with_icc.extend_from_slice(&clean[2..]);
    let s = strip(&with_icc).expect("strip");
    assert!(common::contains(&s.bytes, "fake-profile-bytes"));
}

#[test]
fn png_loses_text_xmp_exif_time_and_private_chunks() {
    let original = png_with_metadata();
    let s = strip_and_check(&original, MediaType::Png);
    let k = kinds(&s);
    for want in [
        MetaKind::Text,
        MetaKind::Xmp,
        MetaKind::Exif,
        MetaKind::Gps,
        MetaKind::Serial,
        MetaKind::Timestamp,
        MetaKind::Other,
        MetaKind::TrailingData,
    ] {
        assert!(
            k.contains(&want),
            "removed list lacks {want:?}: {:?}",
            s.removed
        );
    }
    assert!(
        s.removed
            .iter()
            .any(|r| r.detail.starts_with("PNG tEXt 'Author'")),
        "{:?}",
        s.removed
    );
    assert_eq!(
        rgb(&s.bytes),
        image::RgbImage::from_raw(W, H, pixels()).expect("raw")
    );
}

#[test]
fn webp_loses_exif_and_xmp_and_flags_are_cleared() {
    let original = webp_with_metadata();
    assert_eq!(rgb(&original).dimensions(), (W, H), "fixture decodes");
    let s = strip_and_check(&original, MediaType::WebP);
    let k = kinds(&s);
    for want in [
        MetaKind::Exif,
        MetaKind::Xmp,
        MetaKind::Gps,
        MetaKind::Serial,
    ] {
        assert!(
            k.contains(&want),
            "removed list lacks {want:?}: {:?}",
            s.removed
        );
    }
    assert_eq!(&s.bytes[12..16], b"VP8X");
    assert_eq!(s.bytes[20] & 0x0C, 0, "EXIF/XMP flags cleared");
    let riff = u32::from_le_bytes([s.bytes[4], s.bytes[5], s.bytes[6], s.bytes[7]]) as usize;
    assert_eq!(riff + 8, s.bytes.len());
    assert_eq!(
        rgb(&s.bytes),
        image::RgbImage::from_raw(W, H, pixels()).expect("raw")
    );
}

#[test]
fn tiff_keeps_only_decoding_tags_in_both_byte_orders() {
    for endian in [Endian::Little, Endian::Big] {
        let original = tiff_file(endian);
        assert_eq!(
            rgb(&original),
            image::RgbImage::from_raw(W, H, pixels()).expect("raw")
        );
        let s = strip_and_check(&original, MediaType::Tiff);
        let k = kinds(&s);
        for want in [
            MetaKind::Exif,
            MetaKind::Gps,
            MetaKind::Serial,
            MetaKind::MakerNote,
            MetaKind::Xmp,
            MetaKind::Iptc,
            MetaKind::Device,
            MetaKind::Text,
            MetaKind::Thumbnail,
        ] {
            assert!(
                k.contains(&want),
                "removed list lacks {want:?}: {:?}",
                s.removed
            );
        }
        assert!(
            s.removed
                .iter()
                .any(|r| r.detail == "TIFF tag 42033 BodySerialNumber"),
            "{:?}",
            s.removed
        );
        assert_eq!(&s.bytes[..2], &original[..2], "byte order kept");
        assert_eq!(
            rgb(&s.bytes),
            image::RgbImage::from_raw(W, H, pixels()).expect("raw")
        );
    }
}

#[test]
fn pdf_loses_info_xmp_pieceinfo_id_history_and_image_exif() {
    let original = pdf_with_metadata();
    assert!(common::contains(&original, OLD_REVISION));
    let before = lopdf::Document::load_mem(&original).expect("fixture parses");
    assert_eq!(before.get_pages().len(), 2);
    assert!(
        before.xref_section_count > 1,
        "fixture has an incremental update"
    );

    let s = strip_and_check(&original, MediaType::Pdf);
    assert!(
        !common::contains(&s.bytes, OLD_REVISION),
        "earlier revision survived"
    );
    let k = kinds(&s);
    for want in [
        MetaKind::PdfInfo,
        MetaKind::PdfMetadata,
        MetaKind::PdfPieceInfo,
        MetaKind::PdfId,
        MetaKind::Exif,
        MetaKind::Gps,
    ] {
        assert!(
            k.contains(&want),
            "removed list lacks {want:?}: {:?}",
            s.removed
        );
    }
    let after = lopdf::Document::load_mem(&s.bytes).expect("stripped PDF parses");
    assert_eq!(after.get_pages().len(), 2);
    assert_eq!(after.xref_section_count, 1);
    assert!(after.trailer.get(b"Info").is_err());
    // The page image is still a decodable JPEG with the same pixels.
    let image = after
        .objects
        .values()
        .find_map(|o| match o {
            lopdf::Object::Stream(st) if st.dict.has(b"Width") => Some(st.content.clone()),
            _ => None,
        })
        .expect("image stream kept");
    assert_eq!(rgb(&image), rgb(&encode_jpeg()));
}

#[test]
fn unsupported_and_unknown_types_are_refused() {
    let cases: [(&[u8], Option<MediaType>); 4] = [
        (b"GIF89a\x01\0\x01\0\0\0\0;", Some(MediaType::Gif)),
        (b"PK\x03\x04\x14\0\0\0\x08\0", Some(MediaType::Zip)),
        (
            b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0",
            Some(MediaType::BigTiff),
        ),
        (b"plain text, GPS 43.2N 76.9E", None),
    ];
    for (bytes, want) in cases {
        match strip(bytes) {
            Err(StripError::Unsupported { media_type }) => assert_eq!(media_type, want),
            other => panic!("{want:?} should be refused, got {other:?}"),
        }
        assert!(
            !scan(bytes).is_empty(),
            "scan must not give {want:?} a clean bill"
        );
    }
}

#[test]
fn damaged_files_are_refused_not_passed_through() {
    let jpeg = jpeg_with_metadata();
    let cut = &jpeg[..jpeg.len() / 3];
    assert!(matches!(
        strip(cut),
        Err(StripError::Malformed {
            media_type: MediaType::Jpeg,
            ..
        })
    ));
    let png = png_with_metadata();
    assert!(matches!(
        strip(&png[..60]),
        Err(StripError::Malformed {
            media_type: MediaType::Png,
            ..
        })
    ));
    let mut riff = webp_with_metadata();
    riff[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        strip(&riff),
        Err(StripError::Malformed {
            media_type: MediaType::WebP,
            ..
        })
    ));
    let tiff = tiff_file(Endian::Little);
    assert!(matches!(
        strip(&tiff[..40]),
        Err(StripError::Malformed {
            media_type: MediaType::Tiff,
            ..
        })
    ));
    // HEIC and MP4 are stripped now (tests/strip_media.rs); a file type
    // box with nothing after it is damaged, not unsupported.
    for (bytes, want) in [
        (
            &b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2"[..],
            MediaType::IsoMedia,
        ),
        (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", MediaType::Heif),
    ] {
        match strip(bytes) {
            Err(StripError::Malformed { media_type, .. }) => assert_eq!(media_type, want),
            other => panic!("{want} should be malformed, got {other:?}"),
        }
    }
    assert!(matches!(
        strip(b"%PDF-1.7\nnot really"),
        Err(StripError::Malformed {
            media_type: MediaType::Pdf,
            ..
        })
    ));
}

#[test]
fn png_with_unknown_critical_chunk_is_refused() {
    let clean = encode_png();
    let mut png = clean[..33].to_vec();
    png.extend(png_chunk(b"QNTR", b"critical?"));
    png.extend_from_slice(&clean[33..]);
    assert!(matches!(
        strip(&png),
        Err(StripError::Refused {
            media_type: MediaType::Png,
            ..
        })
    ));
}

#[test]
fn original_is_stored_byte_identical_and_public_copy_separately() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = BlobStore::open(dir.path()).expect("open");
    for original in [
        jpeg_with_metadata(),
        png_with_metadata(),
        webp_with_metadata(),
        tiff_file(Endian::Big),
        pdf_with_metadata(),
    ] {
        let hash = sha256_hex(&original);
        let id = store.put(&original).expect("put original");
        assert_eq!(id.to_hex(), hash);
        let public = strip(&original).expect("strip");
        let public_id = store.put(&public.bytes).expect("put copy");
        assert_ne!(public_id, id);
        let back = store.get(&id).expect("get");
        assert_eq!(back, original);
        assert_eq!(sha256_hex(&back), hash);
        store.verify(&id).expect("verify");
        assert!(
            !surviving_markers(&back).is_empty(),
            "the original keeps its metadata"
        );
        assert!(surviving_markers(&store.get(&public_id).expect("get copy")).is_empty());
    }
}
