//! The after-the-fact check: format-aware detectors, plus a plain byte
//! search for metadata packets that look the same in every container.

use super::{
    Finding, MediaType, MetaKind, detect_full, docx, heic, jpeg, mp4, pdf, png, tiff, webp,
};

/// Signatures of metadata blocks that carry their own header wherever they
/// are embedded. Long enough that image data will not match by chance.
const PACKETS: [(&[u8], MetaKind, &str); 6] = [
    (b"<x:xmpmeta", MetaKind::Xmp, "XMP packet"),
    (b"<?xpacket", MetaKind::Xmp, "XMP packet header"),
    (
        b"http://ns.adobe.com/xap/1.0/",
        MetaKind::Xmp,
        "XMP namespace",
    ),
    (b"Exif\0\0MM\0*", MetaKind::Exif, "EXIF header"),
    (b"Exif\0\0II*\0", MetaKind::Exif, "EXIF header"),
    (
        b"Photoshop 3.0\0",
        MetaKind::Iptc,
        "Photoshop/IPTC resource header",
    ),
];

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Lists the metadata still present in `bytes`. An empty list means the
/// detectors found nothing; a file they cannot parse yields an
/// [`MetaKind::Unparseable`] finding rather than a clean bill.
pub fn scan(bytes: &[u8]) -> Vec<Finding> {
    let mut findings = Vec::new();
    match detect_full(bytes) {
        Some(MediaType::Jpeg) => jpeg::scan(bytes, &mut findings),
        Some(MediaType::Png) => png::scan(bytes, &mut findings),
        Some(MediaType::WebP) => webp::scan(bytes, &mut findings),
        Some(MediaType::Tiff) => tiff::scan(bytes, &mut findings),
        Some(MediaType::Pdf) => pdf::scan(bytes, &mut findings),
        Some(MediaType::Docx) => docx::scan(bytes, &mut findings),
        Some(MediaType::Heif) => heic::scan(bytes, &mut findings),
        Some(MediaType::IsoMedia) => mp4::scan(bytes, &mut findings),
        other => findings.push(Finding {
            kind: MetaKind::Unparseable,
            detail: format!(
                "{} cannot be checked",
                other.map_or_else(
                    || "a file of unknown type".to_owned(),
                    |t| format!("a {t} file")
                )
            ),
        }),
    }
    for (needle, kind, what) in PACKETS {
        if let Some(at) = find(bytes, needle) {
            findings.push(Finding {
                kind,
                detail: format!("{what} at byte {at}"),
            });
        }
    }
    findings
}
