//! DOCX (Office Open XML word processing): the package's document
//! properties (`docProps/core.xml` author, last editor, dates, title;
//! `app.xml` company, manager, template, editing time; `custom.xml`) are
//! replaced by empty but valid parts, the thumbnail (`docProps/thumbnail.*`)
//! goes with its relationship and content-type override, comment authors
//! and initials are blanked, and the ZIP's own comment and entry
//! timestamps are dropped. The text of the document is not touched:
//! revision marks and rsids in `word/*.xml` stay as they are (removing them
//! changes what the document says), so a document with tracked changes
//! should be accepted or rejected before it is attached.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::{Finding, MediaType, MetaKind, Removed, StripResult, malformed, thousands};

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>"#;
const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>"#;
const CUSTOM: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>"#;

/// Elements of the property parts that identify people, machines or times.
const PROPERTY_TAGS: [&str; 16] = [
    "<dc:creator",
    "<cp:lastModifiedBy",
    "<dc:title",
    "<dc:subject",
    "<dc:description",
    "<cp:keywords",
    "<cp:category",
    "<cp:lastPrinted",
    "<dcterms:created",
    "<dcterms:modified",
    "<Company",
    "<Manager",
    "<Template",
    "<Application",
    "<TotalTime",
    "<property",
];

/// Attributes blanked in `word/comments.xml`.
const COMMENT_ATTRS: [&str; 2] = ["w:author=\"", "w:initials=\""];

fn archive(bytes: &[u8]) -> Option<ZipArchive<Cursor<&[u8]>>> {
    ZipArchive::new(Cursor::new(bytes)).ok()
}

/// A ZIP is a DOCX when it holds the main document part.
pub(super) fn is_docx(bytes: &[u8]) -> bool {
    archive(bytes).is_some_and(|z| z.index_for_name("word/document.xml").is_some())
}

fn is_thumbnail(name: &str) -> bool {
    name.starts_with("docProps/thumbnail")
}

/// Every entry's name and inflated bytes, in order.
fn entries(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut z = archive(bytes).ok_or("not a readable ZIP")?;
    let mut out = Vec::with_capacity(z.len());
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().map_err(|e| e.to_string())?.into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data)
            .map_err(|e| format!("{name}: {e}"))?;
        out.push((name, data));
    }
    Ok(out)
}

/// Blanks the value of every `attr"…"` in `xml`; returns how many had one.
fn blank_attr(xml: &mut String, attr: &str) -> usize {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    let mut n = 0;
    while let Some(at) = rest.find(attr) {
        let start = at + attr.len();
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('"') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        if end > 0 {
            n += 1;
        }
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    *xml = out;
    n
}

/// Drops every `<tag …/>` element of `xml` whose text contains `needle`.
fn drop_elements(xml: &str, tag: &str, needle: &str) -> String {
    let open = format!("<{tag} ");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(&open) {
        let Some(len) = rest[at..].find("/>") else {
            break;
        };
        let element = &rest[at..at + len + 2];
        out.push_str(&rest[..at]);
        if !element.contains(needle) {
            out.push_str(element);
        }
        rest = &rest[at + len + 2..];
    }
    out.push_str(rest);
    out
}

pub(super) fn strip(bytes: &[u8]) -> StripResult {
    let bad = |why: String| malformed(MediaType::Docx, why);
    let parts = entries(bytes).map_err(bad)?;
    let mut removed = Vec::new();
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    // Fixed times: the entries' own timestamps say when it was edited.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT);
    for (name, data) in parts {
        let replaced: Option<Vec<u8>> = match name.as_str() {
            "docProps/core.xml" => {
                if data != CORE.as_bytes() {
                    removed.push(Removed {
                        kind: MetaKind::Device,
                        detail: format!(
                            "core document properties (author, editor, dates; {} bytes)",
                            thousands(data.len())
                        ),
                    });
                }
                Some(CORE.as_bytes().to_vec())
            }
            "docProps/app.xml" => {
                if data != APP.as_bytes() {
                    removed.push(Removed {
                        kind: MetaKind::Device,
                        detail: format!(
                            "application properties (company, manager, template; {} bytes)",
                            thousands(data.len())
                        ),
                    });
                }
                Some(APP.as_bytes().to_vec())
            }
            "docProps/custom.xml" => {
                if data != CUSTOM.as_bytes() {
                    removed.push(Removed {
                        kind: MetaKind::Other,
                        detail: format!("custom properties ({} bytes)", thousands(data.len())),
                    });
                }
                Some(CUSTOM.as_bytes().to_vec())
            }
            n if is_thumbnail(n) => {
                removed.push(Removed {
                    kind: MetaKind::Thumbnail,
                    detail: format!("thumbnail {n} ({} bytes)", thousands(data.len())),
                });
                continue;
            }
            "word/comments.xml" => {
                let mut xml = String::from_utf8(data)
                    .map_err(|_| bad("word/comments.xml is not UTF-8".into()))?;
                let n: usize = COMMENT_ATTRS.iter().map(|a| blank_attr(&mut xml, a)).sum();
                if n > 0 {
                    removed.push(Removed {
                        kind: MetaKind::Device,
                        detail: format!("{n} comment author names and initials"),
                    });
                }
                Some(xml.into_bytes())
            }
            "_rels/.rels" | "[Content_Types].xml" => {
                let xml =
                    String::from_utf8(data).map_err(|_| bad(format!("{name} is not UTF-8")))?;
                let tag = if name == "_rels/.rels" {
                    "Relationship"
                } else {
                    "Override"
                };
                Some(drop_elements(&xml, tag, "thumbnail").into_bytes())
            }
            _ => Some(data),
        };
        out.start_file(name.as_str(), options)
            .map_err(|e| bad(e.to_string()))?;
        out.write_all(&replaced.unwrap_or_default())
            .map_err(|e| bad(e.to_string()))?;
    }
    let bytes = out.finish().map_err(|e| bad(e.to_string()))?.into_inner();
    Ok((bytes, removed))
}

pub(super) fn scan(bytes: &[u8], findings: &mut Vec<Finding>) {
    let parts = match entries(bytes) {
        Ok(p) => p,
        Err(why) => {
            findings.push(Finding {
                kind: MetaKind::Unparseable,
                detail: format!("DOCX package cannot be read: {why}"),
            });
            return;
        }
    };
    for (name, data) in parts {
        let text = String::from_utf8_lossy(&data);
        if is_thumbnail(&name) {
            findings.push(Finding {
                kind: MetaKind::Thumbnail,
                detail: format!("DOCX thumbnail {name}"),
            });
        } else if name.starts_with("docProps/") {
            for tag in PROPERTY_TAGS {
                if text.contains(tag) {
                    findings.push(Finding {
                        kind: MetaKind::Device,
                        detail: format!("DOCX {name} holds {tag}>"),
                    });
                }
            }
        } else if name == "word/comments.xml" {
            for attr in COMMENT_ATTRS {
                let mut probe = text.clone().into_owned();
                if blank_attr(&mut probe, attr) > 0 {
                    findings.push(Finding {
                        kind: MetaKind::Device,
                        detail: format!("DOCX comment with {attr}…\""),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_blanked_and_counted() {
        let mut x = r#"<w:comment w:id="0" w:author="Nurlan" w:initials="N" w:date="x"/><w:comment w:author=""/>"#.to_string();
        assert_eq!(blank_attr(&mut x, "w:author=\""), 1);
        assert_eq!(
            x,
            r#"<w:comment w:id="0" w:author="" w:initials="N" w:date="x"/><w:comment w:author=""/>"#
        );
    }

    #[test]
    fn thumbnail_relationships_are_dropped() {
        let rels = r#"<Relationships><Relationship Id="rId1" Target="word/document.xml"/><Relationship Id="rId2" Target="docProps/thumbnail.jpeg"/></Relationships>"#;
        assert_eq!(
            drop_elements(rels, "Relationship", "thumbnail"),
            r#"<Relationships><Relationship Id="rId1" Target="word/document.xml"/></Relationships>"#
        );
    }
}
