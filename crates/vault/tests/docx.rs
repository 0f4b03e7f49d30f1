//! DOCX public copies: a package built here with author, company, custom
//! property, thumbnail and comment-author markers; the copy keeps the text
//! and a valid package structure, and holds none of the markers in any
//! part (parts are inflated before the search: the ZIP compresses them).

use std::io::{Cursor, Read, Write};

use qantar_vault::{MediaType, MetaKind, detect, detect_full, scan, strip};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

const AUTHOR: &str = "MARKER-DOCX-AUTHOR-Nurlan";
const EDITOR: &str = "MARKER-DOCX-EDITOR-laptop-7";
const COMPANY: &str = "MARKER-DOCX-COMPANY-Ministry";
const CUSTOM: &str = "MARKER-DOCX-CUSTOM-case-42";
const THUMB: &str = "MARKER-DOCX-THUMBNAIL";
const COMMENTER: &str = "MARKER-DOCX-COMMENTER";
const TEXT: &str = "The detainees were taken to the sports hall.";

fn docx() -> Vec<u8> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    let mut part = |name: &str, body: String| {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/thumbnail.jpeg" ContentType="image/jpeg"/></Types>"#.into(),
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>"#.into(),
    );
    part(
        "docProps/core.xml",
        format!(
            r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{EDITOR}</cp:lastModifiedBy></cp:coreProperties>"#
        ),
    );
    part(
        "docProps/app.xml",
        format!(
            r#"<?xml version="1.0"?><Properties><Company>{COMPANY}</Company><Manager>{AUTHOR}</Manager></Properties>"#
        ),
    );
    part(
        "docProps/custom.xml",
        format!(
            r#"<?xml version="1.0"?><Properties><property name="case"><vt:lpwstr>{CUSTOM}</vt:lpwstr></property></Properties>"#
        ),
    );
    part("docProps/thumbnail.jpeg", THUMB.into());
    part(
        "word/document.xml",
        format!(
            r#"<?xml version="1.0"?><w:document><w:body><w:p w:rsidR="00A1"><w:r><w:t>{TEXT}</w:t></w:r></w:p></w:body></w:document>"#
        ),
    );
    part(
        "word/comments.xml",
        format!(
            r#"<?xml version="1.0"?><w:comments><w:comment w:id="0" w:author="{COMMENTER}" w:initials="MDC"><w:p><w:r><w:t>check this</w:t></w:r></w:p></w:comment></w:comments>"#
        ),
    );
    z.set_comment(format!("{AUTHOR} zip comment")).unwrap();
    z.finish().unwrap().into_inner()
}

/// Every part's name and inflated text, plus the archive comment.
fn parts(bytes: &[u8]) -> (Vec<(String, String)>, String) {
    let mut z = ZipArchive::new(Cursor::new(bytes)).unwrap();
    let comment = String::from_utf8_lossy(z.comment()).into_owned();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.push((name, text));
    }
    (out, comment)
}

#[test]
fn a_docx_loses_its_properties_thumbnail_and_comment_authors_but_keeps_its_text() {
    let original = docx();
    assert_eq!(detect(&original), Some(MediaType::Zip));
    assert_eq!(detect_full(&original), Some(MediaType::Docx));
    let found: Vec<MetaKind> = scan(&original).into_iter().map(|f| f.kind).collect();
    assert!(found.contains(&MetaKind::Thumbnail) && found.contains(&MetaKind::Device));

    let copy = strip(&original).expect("a DOCX is stripped");
    assert_eq!(copy.media_type, MediaType::Docx);
    assert!(scan(&copy.bytes).is_empty(), "{:?}", scan(&copy.bytes));
    let (copied, comment) = parts(&copy.bytes);
    for marker in [AUTHOR, EDITOR, COMPANY, CUSTOM, THUMB, COMMENTER] {
        for (name, text) in &copied {
            assert!(!text.contains(marker), "{marker} survived in {name}");
        }
        assert!(
            !comment.contains(marker),
            "{marker} survived in the ZIP comment"
        );
    }
    let names: Vec<&str> = copied.iter().map(|(n, _)| n.as_str()).collect();
    assert!(!names.iter().any(|n| n.contains("thumbnail")), "{names:?}");
    for needed in [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/document.xml",
    ] {
        assert!(names.contains(&needed), "{needed} is missing: {names:?}");
    }
    let text = |name: &str| {
        copied
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    // The text and its revision ids are left alone; no part still points
    // at the removed thumbnail.
    assert!(text("word/document.xml").contains(TEXT));
    assert!(text("word/document.xml").contains("w:rsidR=\"00A1\""));
    assert!(!text("_rels/.rels").contains("thumbnail"));
    assert!(text("_rels/.rels").contains("word/document.xml"));
    assert!(!text("[Content_Types].xml").contains("thumbnail"));
    assert!(text("word/comments.xml").contains(r#"w:author="" w:initials="""#));
    assert!(text("word/comments.xml").contains("check this"));
    assert!(text("docProps/core.xml").starts_with("<?xml"));
    assert!(text("docProps/core.xml").ends_with("/>"));
    let kinds: Vec<MetaKind> = copy.removed.iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&MetaKind::Thumbnail), "{:?}", copy.removed);
    assert_eq!(copy.removed.len(), 5, "{:?}", copy.removed);
    // Stripping its own output finds nothing more to take out.
    let again = strip(&copy.bytes).unwrap();
    assert_eq!(parts(&again.bytes).0, copied);
    assert!(again.removed.is_empty(), "{:?}", again.removed);
}

#[test]
fn a_plain_zip_is_still_refused() {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file("notes.txt", SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"hello").unwrap();
    let bytes = z.finish().unwrap().into_inner();
    assert_eq!(detect_full(&bytes), Some(MediaType::Zip));
    let err = strip(&bytes).unwrap_err();
    assert!(err.to_string().contains("not supported"), "{err}");
}
