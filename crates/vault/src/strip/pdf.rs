//! PDF: load with lopdf, remove the document information dictionary, the
//! trailer /ID, every /Metadata (XMP) stream and /PieceInfo, strip JPEG
//! images (DCTDecode streams) with the JPEG stripper, and save a new file.
//! Saving anew, not appending, means earlier revisions kept by incremental
//! updates do not survive.
//!
//! Not handled: the text and drawings themselves (names in the body text,
//! annotations' author fields /T, form field values), metadata inside
//! non-JPEG embedded images or attached files, and JPEG images behind a
//! filter chain (e.g. Flate then DCT). Those need a redaction step, not a
//! metadata strip.

use lopdf::{Dictionary, Document, Object};

use super::{Finding, MediaType, MetaKind, Removed, StripError, StripResult, jpeg, malformed};

/// Keys whose values are metadata wherever they appear.
const DROP_KEYS: [(&[u8], MetaKind, &str); 3] = [
    (b"Metadata", MetaKind::PdfMetadata, "XMP /Metadata stream"),
    (
        b"PieceInfo",
        MetaKind::PdfPieceInfo,
        "/PieceInfo application data",
    ),
    (b"LastModified", MetaKind::Timestamp, "/LastModified date"),
];

/// Largest decoded stream the scanner will inflate to look for XMP.
const SCAN_LIMIT: usize = 64 << 20;

fn load(b: &[u8]) -> Result<Document, StripError> {
    let doc = Document::load_mem(b)
        .map_err(|e| malformed(MediaType::Pdf, format!("cannot be read: {e}")))?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return Err(StripError::Refused {
            media_type: MediaType::Pdf,
            reason: "it is encrypted; remove the encryption in the source application first".into(),
        });
    }
    Ok(doc)
}

fn names(dict: &Dictionary) -> String {
    dict.iter()
        .map(|(k, _)| format!("/{}", String::from_utf8_lossy(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Removes the [`DROP_KEYS`] from a dictionary and any dictionaries nested
/// directly inside it, counting each removal.
fn drop_keys(dict: &mut Dictionary, counts: &mut [usize; 3]) {
    for (i, (key, _, _)) in DROP_KEYS.iter().enumerate() {
        if dict.remove(key).is_some() {
            counts[i] += 1;
        }
    }
    for (_, value) in dict.iter_mut() {
        drop_keys_in(value, counts);
    }
}

fn drop_keys_in(object: &mut Object, counts: &mut [usize; 3]) {
    match object {
        Object::Dictionary(d) => drop_keys(d, counts),
        Object::Stream(s) => drop_keys(&mut s.dict, counts),
        Object::Array(items) => items.iter_mut().for_each(|o| drop_keys_in(o, counts)),
        _ => {}
    }
}

fn is_dct_only(dict: &Dictionary) -> bool {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"DCTDecode",
        Ok(Object::Array(a)) => {
            a.len() == 1 && matches!(&a[0], Object::Name(n) if n == b"DCTDecode")
        }
        _ => false,
    }
}

pub(super) fn strip(b: &[u8]) -> StripResult {
    let mut doc = load(b)?;
    let mut removed = Vec::new();

    if let Some(info) = doc.trailer.remove(b"Info") {
        let listed = match &info {
            Object::Reference(id) => doc.get_dictionary(*id).map(names).unwrap_or_default(),
            Object::Dictionary(d) => names(d),
            _ => String::new(),
        };
        removed.push(Removed {
            kind: MetaKind::PdfInfo,
            detail: format!("PDF /Info ({listed})"),
        });
    }
    if doc.trailer.remove(b"ID").is_some() {
        removed.push(Removed {
            kind: MetaKind::PdfId,
            detail: "PDF trailer /ID".into(),
        });
    }
    let catalog_has_xmp = doc.catalog().is_ok_and(|c| c.has(b"Metadata"));

    let mut counts = [0usize; 3];
    let mut jpeg_removed = Vec::new();
    for (id, object) in doc.objects.iter_mut() {
        drop_keys_in(object, &mut counts);
        if let Object::Stream(stream) = object
            && is_dct_only(&stream.dict)
        {
            let (clean, what) = jpeg::strip_embedded(&stream.content).map_err(|r| {
                malformed(
                    MediaType::Pdf,
                    format!("JPEG image in object {} {}: {r}", id.0, id.1),
                )
            })?;
            if !what.is_empty() {
                stream.set_content(clean);
                jpeg_removed.extend(what.into_iter().map(|r| Removed {
                    kind: r.kind,
                    detail: format!("{} (image in object {} {})", r.detail, id.0, id.1),
                }));
            }
        }
    }
    for (i, (_, kind, what)) in DROP_KEYS.iter().enumerate() {
        let n = counts[i];
        if n == 0 {
            continue;
        }
        let detail = if i == 0 && catalog_has_xmp {
            format!(
                "PDF {what} (document catalog{})",
                if n > 1 {
                    format!(" and {} more", n - 1)
                } else {
                    String::new()
                }
            )
        } else {
            format!("PDF {what} ({n}×)")
        };
        removed.push(Removed {
            kind: *kind,
            detail,
        });
    }
    removed.extend(jpeg_removed);
    if doc.xref_section_count > 1 {
        removed.push(Removed {
            kind: MetaKind::Other,
            detail: format!(
                "PDF revision history ({} earlier revision(s) kept by incremental updates)",
                doc.xref_section_count - 1
            ),
        });
    }
    // Unreachable objects include the old /Info and /Metadata streams and
    // anything superseded but still listed.
    doc.prune_objects();
    let mut out = Vec::with_capacity(b.len());
    doc.save_to(&mut out)
        .map_err(|e| malformed(MediaType::Pdf, format!("could not be written back: {e}")))?;
    Ok((out, removed))
}

fn has_xmp_packet(bytes: &[u8]) -> bool {
    super::scan::find(bytes, b"<x:xmpmeta").is_some()
        || super::scan::find(bytes, b"<?xpacket").is_some()
}

fn scan_keys(object: &Object, at: &str, findings: &mut Vec<Finding>) {
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => {
            items.iter().for_each(|o| scan_keys(o, at, findings));
            return;
        }
        _ => return,
    };
    for (key, kind, what) in DROP_KEYS {
        if dict.has(key) {
            findings.push(Finding {
                kind,
                detail: format!("PDF {what} in {at}"),
            });
        }
    }
    if dict.has_type(b"Metadata")
        || matches!(dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"XML")
    {
        findings.push(Finding {
            kind: MetaKind::PdfMetadata,
            detail: format!("PDF metadata stream {at}"),
        });
    }
    for (_, value) in dict.iter() {
        scan_keys(value, at, findings);
    }
}

pub(super) fn scan(b: &[u8], findings: &mut Vec<Finding>) {
    let doc = match load(b) {
        Ok(d) => d,
        Err(e) => {
            findings.push(Finding {
                kind: MetaKind::Unparseable,
                detail: format!("PDF could not be checked: {e}"),
            });
            return;
        }
    };
    if doc.trailer.has(b"Info") {
        findings.push(Finding {
            kind: MetaKind::PdfInfo,
            detail: "PDF trailer has /Info".into(),
        });
    }
    if doc.trailer.has(b"ID") {
        findings.push(Finding {
            kind: MetaKind::PdfId,
            detail: "PDF trailer has /ID".into(),
        });
    }
    if doc.xref_section_count > 1 {
        findings.push(Finding {
            kind: MetaKind::Other,
            detail: format!(
                "PDF keeps {} incremental updates",
                doc.xref_section_count - 1
            ),
        });
    }
    for (id, object) in &doc.objects {
        let at = format!("object {} {}", id.0, id.1);
        scan_keys(object, &at, findings);
        let Object::Stream(stream) = object else {
            continue;
        };
        if is_dct_only(&stream.dict) {
            let mut inner = Vec::new();
            jpeg::scan(&stream.content, &mut inner);
            findings.extend(inner.into_iter().map(|f| Finding {
                kind: f.kind,
                detail: format!("{} (image in {at})", f.detail),
            }));
        } else if let Ok(plain) = stream.get_plain_content_with_limit(SCAN_LIMIT)
            && has_xmp_packet(&plain)
        {
            findings.push(Finding {
                kind: MetaKind::Xmp,
                detail: format!("XMP packet inside the stream of {at}"),
            });
        }
    }
}
