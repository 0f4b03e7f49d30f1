//! Builders for the test files: small images with planted metadata.
//! Every identifying value contains a marker string, so a raw byte search
//! of a stripped file can prove it is gone.

#![allow(dead_code)]

use image::{ExtendedColorType, ImageEncoder};

pub const W: u32 = 24;
pub const H: u32 = 16;

pub const MAKE: &str = "MARKER-MAKE-Obscura";
pub const MODEL: &str = "MARKER-MODEL-X100";
pub const BODY_SERIAL: &str = "MARKER-SERIAL-0042317";
pub const LENS_SERIAL: &str = "MARKER-LENSSERIAL-991";
pub const MAKER_NOTE: &str = "MARKER-MAKERNOTE-internal-serial-77";
pub const THUMB: &str = "MARKER-THUMBNAIL-BYTES";
pub const XMP: &str = "MARKER-XMP-creator-Aigerim";
pub const IPTC: &str = "MARKER-IPTC-byline";
pub const COMMENT: &str = "MARKER-COMMENT-taken-at-square";
pub const TRAILER: &str = "MARKER-TRAILING-blob";
pub const AUTHOR: &str = "MARKER-AUTHOR-Nurlan";

/// Every marker; none may survive stripping.
pub const MARKERS: [&str; 11] = [
    MAKE,
    MODEL,
    BODY_SERIAL,
    LENS_SERIAL,
    MAKER_NOTE,
    THUMB,
    XMP,
    IPTC,
    COMMENT,
    TRAILER,
    AUTHOR,
];

/// Raw RGB pixels with some structure so a decoder mix-up would show.
pub fn pixels() -> Vec<u8> {
    let mut out = Vec::with_capacity((W * H * 3) as usize);
    for y in 0..H {
        for x in 0..W {
            out.extend_from_slice(&[(x * 10) as u8, (y * 15) as u8, ((x * y) % 256) as u8]);
        }
    }
    out
}

pub fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

pub fn surviving_markers(bytes: &[u8]) -> Vec<&'static str> {
    MARKERS
        .iter()
        .copied()
        .filter(|m| contains(bytes, m))
        .collect()
}

// ---------------------------------------------------------------- TIFF/EXIF

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    Little,
    Big,
}

pub enum V {
    Ascii(String),
    Byte(Vec<u8>),
    Undefined(Vec<u8>),
    Short(Vec<u16>),
    Long(Vec<u32>),
    Rational(Vec<(u32, u32)>),
    /// LONG offset of another IFD in the list.
    IfdPtr(usize),
    /// LONG offsets of the given blobs.
    BlobPtrs(Vec<usize>),
}

pub struct Ifd {
    pub entries: Vec<(u16, V)>,
    pub next: Option<usize>,
}

struct Enc(Endian);

impl Enc {
    fn u16(&self, v: u16) -> [u8; 2] {
        match self.0 {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        }
    }
    fn u32(&self, v: u32) -> [u8; 4] {
        match self.0 {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        }
    }
}

/// Lays out a TIFF structure: header, then each IFD with its values, then
/// the blobs (strip data, thumbnails). IFD 0 is the first.
pub fn build_tiff(endian: Endian, ifds: &[Ifd], blobs: &[Vec<u8>]) -> Vec<u8> {
    let e = Enc(endian);
    let value = |v: &V, ifd_at: &[u32], blob_at: &[u32]| -> (u16, u32, Vec<u8>) {
        match v {
            V::Ascii(s) => {
                let mut b = s.as_bytes().to_vec();
                b.push(0);
                (2, b.len() as u32, b)
            }
            V::Byte(b) => (1, b.len() as u32, b.clone()),
            V::Undefined(b) => (7, b.len() as u32, b.clone()),
            V::Short(s) => (
                3,
                s.len() as u32,
                s.iter().flat_map(|&x| e.u16(x)).collect(),
            ),
            V::Long(l) => (
                4,
                l.len() as u32,
                l.iter().flat_map(|&x| e.u32(x)).collect(),
            ),
            V::Rational(r) => (
                5,
                r.len() as u32,
                r.iter()
                    .flat_map(|&(n, d)| [e.u32(n), e.u32(d)].concat())
                    .collect(),
            ),
            V::IfdPtr(i) => (4, 1, e.u32(ifd_at.get(*i).copied().unwrap_or(0)).to_vec()),
            V::BlobPtrs(bs) => (
                4,
                bs.len() as u32,
                bs.iter()
                    .flat_map(|&i| e.u32(blob_at.get(i).copied().unwrap_or(0)))
                    .collect(),
            ),
        }
    };
    // Pass 1: sizes (values' sizes do not depend on offsets).
    let mut ifd_at = Vec::new();
    let mut at = 8u32;
    for ifd in ifds {
        ifd_at.push(at);
        at += 2 + 12 * ifd.entries.len() as u32 + 4;
        for (_, v) in &ifd.entries {
            let (_, _, bytes) = value(v, &[], &[]);
            if bytes.len() > 4 {
                at += bytes.len() as u32 + (bytes.len() as u32 & 1);
            }
        }
    }
    let mut blob_at = Vec::new();
    for b in blobs {
        blob_at.push(at);
        at += b.len() as u32 + (b.len() as u32 & 1);
    }
    // Pass 2: write.
    let mut out = match endian {
        Endian::Little => b"II".to_vec(),
        Endian::Big => b"MM".to_vec(),
    };
    out.extend_from_slice(&e.u16(42));
    out.extend_from_slice(&e.u32(ifd_at.first().copied().unwrap_or(0)));
    for (ifd, &start) in ifds.iter().zip(&ifd_at) {
        assert_eq!(out.len() as u32, start);
        let mut data_at = start + 2 + 12 * ifd.entries.len() as u32 + 4;
        let mut data = Vec::new();
        out.extend_from_slice(&e.u16(ifd.entries.len() as u16));
        for (tag, v) in &ifd.entries {
            let (typ, count, bytes) = value(v, &ifd_at, &blob_at);
            out.extend_from_slice(&e.u16(*tag));
            out.extend_from_slice(&e.u16(typ));
            out.extend_from_slice(&e.u32(count));
            if bytes.len() <= 4 {
                let mut f = bytes.clone();
                f.resize(4, 0);
                out.extend_from_slice(&f);
            } else {
                out.extend_from_slice(&e.u32(data_at));
                data.extend_from_slice(&bytes);
                if bytes.len() % 2 == 1 {
                    data.push(0);
                }
                data_at += bytes.len() as u32 + (bytes.len() as u32 & 1);
            }
        }
        let next = ifd.next.map(|i| ifd_at[i]).unwrap_or(0);
        out.extend_from_slice(&e.u32(next));
        out.extend_from_slice(&data);
    }
    for b in blobs {
        out.extend_from_slice(b);
        if b.len() % 2 == 1 {
            out.push(0);
        }
    }
    out
}

/// The identifying IFDs shared by EXIF blocks and TIFF files: ExifIFD with
/// serials and a maker note, and a GPS IFD with a position.
fn exif_and_gps_ifds() -> (Ifd, Ifd) {
    let exif = Ifd {
        entries: vec![
            (36867, V::Ascii("2022:01:05 14:03:11".into())),
            (37500, V::Undefined(MAKER_NOTE.as_bytes().to_vec())),
            (42033, V::Ascii(BODY_SERIAL.into())),
            (42037, V::Ascii(LENS_SERIAL.into())),
        ],
        next: None,
    };
    let gps = Ifd {
        entries: vec![
            (0, V::Byte(vec![2, 3, 0, 0])),
            (1, V::Ascii("N".into())),
            (2, V::Rational(vec![(43, 1), (14, 1), (3012, 100)])),
            (3, V::Ascii("E".into())),
            (4, V::Rational(vec![(76, 1), (56, 1), (4523, 100)])),
        ],
        next: None,
    };
    (exif, gps)
}

/// An EXIF TIFF block: Make, Model, ExifIFD (serials, maker note), GPS,
/// and an IFD1 thumbnail.
pub fn exif_block(endian: Endian) -> Vec<u8> {
    let (exif, gps) = exif_and_gps_ifds();
    let ifd0 = Ifd {
        entries: vec![
            (271, V::Ascii(MAKE.into())),
            (272, V::Ascii(MODEL.into())),
            (34665, V::IfdPtr(1)),
            (34853, V::IfdPtr(2)),
        ],
        next: Some(3),
    };
    let ifd1 = Ifd {
        entries: vec![
            (259, V::Short(vec![6])),
            (513, V::BlobPtrs(vec![0])),
            (514, V::Long(vec![THUMB.len() as u32])),
        ],
        next: None,
    };
    build_tiff(
        endian,
        &[ifd0, exif, gps, ifd1],
        &[THUMB.as_bytes().to_vec()],
    )
}

pub fn xmp_packet() -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
         <rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>{XMP}</dc:creator>\
         </rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    )
}

/// A TIFF file: uncompressed RGB in two strips, with identifying tags in
/// IFD0, ExifIFD, GPS, XMP, IPTC, and a second IFD as a thumbnail.
pub fn tiff_file(endian: Endian) -> Vec<u8> {
    let px = pixels();
    let half = (H / 2 * W * 3) as usize;
    let strips = vec![
        px[..half].to_vec(),
        px[half..].to_vec(),
        THUMB.as_bytes().to_vec(),
    ];
    let (exif, gps) = exif_and_gps_ifds();
    let ifd0 = Ifd {
        entries: vec![
            (256, V::Long(vec![W])),
            (257, V::Long(vec![H])),
            (258, V::Short(vec![8, 8, 8])),
            (259, V::Short(vec![1])),
            (262, V::Short(vec![2])),
            (270, V::Ascii(format!("{COMMENT} description"))),
            (271, V::Ascii(MAKE.into())),
            (272, V::Ascii(MODEL.into())),
            (273, V::BlobPtrs(vec![0, 1])),
            (277, V::Short(vec![3])),
            (278, V::Short(vec![(H / 2) as u16])),
            (279, V::Long(vec![half as u32, half as u32])),
            (282, V::Rational(vec![(72, 1)])),
            (283, V::Rational(vec![(72, 1)])),
            (284, V::Short(vec![1])),
            (296, V::Short(vec![2])),
            (305, V::Ascii("MARKER-MAKE-Obscura firmware 1.2".into())),
            (315, V::Ascii(AUTHOR.into())),
            (700, V::Byte(xmp_packet().into_bytes())),
            (33723, V::Undefined(iptc_record())),
            (34665, V::IfdPtr(1)),
            (34853, V::IfdPtr(2)),
            (42033, V::Ascii(BODY_SERIAL.into())),
        ],
        next: Some(3),
    };
    let ifd1 = Ifd {
        entries: vec![
            (254, V::Long(vec![1])),
            (256, V::Long(vec![2])),
            (257, V::Long(vec![2])),
            (273, V::BlobPtrs(vec![2])),
            (279, V::Long(vec![THUMB.len() as u32])),
        ],
        next: None,
    };
    build_tiff(endian, &[ifd0, exif, gps, ifd1], &strips)
}

/// An IPTC-IIM record 2:80 (By-line) holding the IPTC marker.
pub fn iptc_record() -> Vec<u8> {
    let mut r = vec![0x1C, 2, 80];
    r.extend_from_slice(&(IPTC.len() as u16).to_be_bytes());
    r.extend_from_slice(IPTC.as_bytes());
    r
}

// ---------------------------------------------------------------- JPEG

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

pub fn encode_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode(&pixels(), W, H, ExtendedColorType::Rgb8)
        .expect("encode JPEG");
    out
}

/// A JPEG with EXIF (GPS, serials, thumbnail), XMP, IPTC, a comment, a
/// JFIF thumbnail, an MPF segment and data after EOI.
pub fn jpeg_with_metadata() -> Vec<u8> {
    jpeg_with_metadata_from(&encode_jpeg())
}

pub fn jpeg_with_metadata_from(clean: &[u8]) -> Vec<u8> {
    assert_eq!(&clean[..2], &[0xFF, 0xD8]);
    let mut out = vec![0xFF, 0xD8];
    // JFIF with a 2×1 RGB thumbnail whose bytes hold a marker prefix.
    let mut jfif = b"JFIF\0\x01\x01\x00\x00\x48\x00\x48".to_vec();
    jfif.extend_from_slice(&[2, 1]);
    jfif.extend_from_slice(&THUMB.as_bytes()[..6]);
    out.extend(segment(0xE0, &jfif));
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(exif_block(Endian::Big));
    out.extend(segment(0xE1, &exif));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(xmp_packet().as_bytes());
    out.extend(segment(0xE1, &xmp));
    let mut irb = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    let iptc = iptc_record();
    irb.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
    irb.extend_from_slice(&iptc);
    out.extend(segment(0xED, &irb));
    out.extend(segment(0xE2, b"MPF\0MM\0*MARKER-THUMBNAIL-BYTES-mpf"));
    out.extend(segment(0xFE, COMMENT.as_bytes()));
    // The encoder's own segments follow (skipping its SOI and any JFIF).
    let mut rest = &clean[2..];
    if rest.len() > 4 && rest[1] == 0xE0 {
        let len = u16::from_be_bytes([rest[2], rest[3]]) as usize;
        rest = &rest[2 + len..];
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(TRAILER.as_bytes());
    out
}

// ---------------------------------------------------------------- PNG

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    c.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    c
}

pub fn encode_png() -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels(), W, H, ExtendedColorType::Rgb8)
        .expect("encode PNG");
    out
}

/// A PNG with tEXt, iTXt (XMP), eXIf, tIME and a private chunk after
/// IHDR, and bytes after IEND.
pub fn png_with_metadata() -> Vec<u8> {
    let clean = encode_png();
    let ihdr_end = 8 + 8 + 13 + 4;
    let mut out = clean[..ihdr_end].to_vec();
    out.extend(png_chunk(b"tEXt", format!("Author\0{AUTHOR}").as_bytes()));
    out.extend(png_chunk(b"tEXt", format!("Comment\0{COMMENT}").as_bytes()));
    out.extend(png_chunk(
        b"iTXt",
        format!("XML:com.adobe.xmp\0\0\0\0\0{}", xmp_packet()).as_bytes(),
    ));
    out.extend(png_chunk(b"eXIf", &exif_block(Endian::Little)));
    out.extend(png_chunk(b"tIME", &[0x07, 0xE6, 1, 5, 14, 3, 11]));
    out.extend(png_chunk(
        b"prVt",
        format!("{MODEL} {BODY_SERIAL}").as_bytes(),
    ));
    out.extend_from_slice(&clean[ihdr_end..]);
    out.extend_from_slice(TRAILER.as_bytes());
    out
}

// ---------------------------------------------------------------- WebP

pub fn encode_webp() -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .encode(&pixels(), W, H, ExtendedColorType::Rgb8)
        .expect("encode WebP");
    out
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = kind.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// The encoder's simple lossless WebP turned into the extended format with
/// EXIF and XMP chunks announced in VP8X.
pub fn webp_with_metadata() -> Vec<u8> {
    let simple = encode_webp();
    assert_eq!(&simple[12..16], b"VP8L");
    let image_chunk = &simple[12..];
    let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
    vp8x.extend_from_slice(&(W - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(H - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend_from_slice(image_chunk);
    body.extend(riff_chunk(b"EXIF", &exif_block(Endian::Little)));
    body.extend(riff_chunk(b"XMP ", xmp_packet().as_bytes()));
    body.extend(riff_chunk(b"prVt", COMMENT.as_bytes()));
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

// ---------------------------------------------------------------- PDF

pub const OLD_REVISION: &str = "MARKER-OLD-REVISION-title";

/// A two-page PDF with /Info (author, creator, producer, dates, a custom
/// key), a catalog XMP stream, /PieceInfo on a page, a JPEG image carrying
/// EXIF, and an incremental update whose earlier /Info holds another
/// marker.
pub fn pdf_with_metadata() -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};

    let mut doc = Document::with_version("1.5");
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let jpeg = jpeg_with_metadata_from(&encode_jpeg());
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => W as i64, "Height" => H as i64,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
        },
        jpeg,
    ));
    let mut kids = Vec::new();
    for n in 1..=2 {
        let content =
            format!("BT /F1 18 Tf 50 700 Td (Page {n}) Tj ET q 96 0 0 64 50 500 cm /Im1 Do Q");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font_id },
                "XObject" => dictionary! { "Im1" => image_id },
            },
            "PieceInfo" => dictionary! {
                "Illustrator" => dictionary! { "Private" => Object::string_literal(MAKER_NOTE) },
            },
        });
        kids.push(Object::Reference(page_id));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
    );
    let xmp_id = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp_packet().into_bytes(),
    ));
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => pages_id, "Metadata" => xmp_id,
    });
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal(OLD_REVISION),
        "Author" => Object::string_literal(AUTHOR),
        "Creator" => Object::string_literal(MODEL),
        "Producer" => Object::string_literal(MAKE),
        "CreationDate" => Object::string_literal("D:20220105140311+06'00'"),
        "SerialOfScanner" => Object::string_literal(BODY_SERIAL),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    doc.trailer.set(
        "ID",
        vec![Object::string_literal(THUMB), Object::string_literal(THUMB)],
    );
    let mut first = Vec::new();
    doc.save_to(&mut first).expect("save PDF");
    append_info_update(first, catalog_id.0)
}

/// Appends an incremental update that replaces /Info with a new object,
/// leaving the old one in the file as revision history.
fn append_info_update(mut pdf: Vec<u8>, root: u32) -> Vec<u8> {
    let text = String::from_utf8_lossy(&pdf).into_owned();
    let sx = text.rfind("startxref").expect("startxref");
    let prev: usize = text[sx + 9..]
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .expect("startxref offset");
    let size: u32 = {
        let t = text.rfind("/Size").expect("/Size");
        text[t + 5..]
            .split(|c: char| !c.is_ascii_digit() && c != ' ')
            .next()
            .and_then(|s| s.trim().parse().ok())
            .expect("/Size value")
    };
    let id = size;
    let obj_at = pdf.len() + 1;
    pdf.extend_from_slice(
        format!("\n{id} 0 obj\n<< /Title (revised) /Author ({AUTHOR} v2) >>\nendobj\n").as_bytes(),
    );
    let xref_at = pdf.len();
    pdf.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{id} 1\n{obj_at:010} 00000 n \ntrailer\n<< /Size {} /Root {root} 0 R /Info {id} 0 R /ID [({THUMB}) ({THUMB})] /Prev {prev} >>\nstartxref\n{xref_at}\n%%EOF\n",
            id + 1
        )
        .as_bytes(),
    );
    pdf
}
