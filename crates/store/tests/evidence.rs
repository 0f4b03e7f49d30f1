//! Evidence attachments through `Archive`, on SQLite and on PostgreSQL
//! (when a server can be reached; otherwise the PostgreSQL half says
//! plainly that it skips): originals kept byte for byte with their hash,
//! stripped public copies, refusals that write nothing, sealed files that
//! leave no trace of their content or name, the audit entry of every
//! opening, verification of every blob, and crypto-erasure.

#[path = "../../vault/tests/common/mod.rs"]
mod images;

use std::path::{Path, PathBuf};

use qantar_seal::{KdfParams, Kek, Salt};
use qantar_store::db::{ScratchSchema, test_postgres_url};
use qantar_store::evidence::{ATTACHED_KIND, FILE_OPENED_KIND};
use qantar_store::{Archive, ErasureReason, NewFile, Stamp, StoreError, Unlocked};
use qantar_vault::{MetaKind, scan};
use serde_json::{Value, json};

/// In the content of the sealed file; must never be in any stored byte.
const MARKER: &str = "qzfilemarker";
/// The sealed file's name; must never be stored in clear either.
const SECRET_NAME: &str = "qznamemarker-witness-statement.pdf";

fn stamp(i: u32) -> Stamp {
    Stamp {
        author: "tester".into(),
        time: format!("2026-11-22T10:00:{:02}.000Z", i % 60),
    }
}

fn kek(passphrase: &str) -> Kek {
    let kdf = KdfParams::new(256, 1, 1).unwrap();
    Kek::from_passphrase(passphrase, &kdf, &Salt::generate().unwrap()).unwrap()
}

fn minter() -> impl FnMut() -> uuid::Uuid {
    let mut n = 0u128;
    move || {
        n += 1;
        uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
    }
}

/// An archive directory, with its ledger in SQLite or in a scratch
/// PostgreSQL schema.
struct Place {
    dir: tempfile::TempDir,
    pg: Option<ScratchSchema>,
}

impl Place {
    fn all(tag: &str) -> Vec<Place> {
        let mut v = vec![Place {
            dir: tempfile::tempdir().unwrap(),
            pg: None,
        }];
        match test_postgres_url() {
            Ok(url) => v.push(Place {
                dir: tempfile::tempdir().unwrap(),
                pg: Some(ScratchSchema::new(&url, tag)),
            }),
            Err(why) => eprintln!("skipping the PostgreSQL half of {tag}: {why}"),
        }
        v
    }

    fn archive_dir(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    fn init(&self) -> Archive {
        Archive::init(
            &self.archive_dir(),
            "evidence",
            [7u8; 32],
            "test",
            &stamp(0),
            self.pg.as_ref().map(|s| s.url.as_str()),
        )
        .unwrap()
    }

    fn label(&self) -> &'static str {
        if self.pg.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}

fn add(archive: &mut Archive, records: &[Value], keys: Option<&Unlocked>) -> Vec<String> {
    let drafts = archive
        .store
        .prepare_records(records, &mut minter())
        .unwrap();
    let ids = drafts.iter().map(|d| d.record.clone().unwrap()).collect();
    match keys {
        Some(k) => archive.append_sealed(drafts, &stamp(1), k).unwrap(),
        None => archive.append(drafts, &stamp(1)).unwrap(),
    };
    ids
}

fn attach(
    archive: &mut Archive,
    record: &str,
    bytes: &[u8],
    name: &str,
    keys: Option<&Unlocked>,
) -> Result<qantar_store::Attached, StoreError> {
    let file = NewFile {
        name: name.into(),
        captured_at: Some("2022-01-05T14:03:11+06:00".into()),
    };
    archive.attach(record, bytes, &file, keys, &stamp(2), Box::new(|_| {}))
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn holders(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|p| images::contains(&std::fs::read(p).unwrap(), needle))
        .collect()
}

fn verify_full(archive: &Archive) {
    let report = archive
        .store
        .verify(
            &archive.verifier(),
            &archive.config.origin,
            true,
            &mut |_, _, _| {},
        )
        .unwrap();
    assert!(report.ok, "verify --full failed: {:?}", report.problems);
    assert_eq!(report.projection_digest, report.replayed_digest);
}

fn opened(
    archive: &mut Archive,
    record: &str,
    n: u64,
    keys: Option<&Unlocked>,
) -> Result<(Vec<u8>, qantar_store::Opened), StoreError> {
    let mut out = Vec::new();
    let o = archive.open_attachment(
        record,
        n,
        keys,
        "reader-1",
        &stamp(3),
        &mut out,
        &mut |_| {},
    )?;
    Ok((out, o))
}

#[test]
fn originals_are_kept_byte_for_byte_and_public_copies_are_stripped() {
    for place in Place::all("evidence_clear") {
        let at = place.label();
        let mut archive = place.init();
        let ids = add(
            &mut archive,
            &[
                json!({"kind": "source", "ref": "s-report", "source_kind": "media_report",
                       "title": {"en": "A report"}, "confidentiality": "public"}),
                json!({"kind": "source", "ref": "s-restricted", "source_kind": "testimony",
                       "title": {"en": "An interview"}, "confidentiality": "restricted"}),
            ],
            None,
        );
        let (public, restricted) = (&ids[0], &ids[1]);
        let photo = images::jpeg_with_metadata();
        let kinds = |b: &[u8]| scan(b).into_iter().map(|f| f.kind).collect::<Vec<_>>();
        // The GPS position and the serials sit in the EXIF block.
        assert!(kinds(&photo).contains(&MetaKind::Exif), "{at}");
        assert!(images::contains(&photo, images::BODY_SERIAL));

        // A restricted record: original as it came, plus a stripped copy.
        let done = attach(&mut archive, "s-restricted", &photo, "IMG_0042.jpg", None).unwrap();
        let a = &done.attachment;
        let file = a.file.as_ref().unwrap();
        assert_eq!(
            (a.n, a.sealed, a.record.as_str()),
            (1, false, restricted.as_str())
        );
        assert_eq!(file.sha256, qantar_vault::sha256_hex(&photo), "{at}");
        assert_eq!(file.size, photo.len() as u64);
        assert_eq!(file.media_type, "image/jpeg");
        assert_eq!(file.name, "IMG_0042.jpg");
        assert_eq!(a.importer, "tester");
        let vault = archive.vault().unwrap();
        let stored = vault.get(&file.sha256.parse().unwrap()).unwrap();
        assert_eq!(stored, photo, "{at}: the original must be byte-identical");
        let copy_info = a.public_copy.clone().expect("a public copy of a JPEG");
        assert!(!copy_info.removed.is_empty());
        let copy = vault.get(&copy_info.sha256.parse().unwrap()).unwrap();
        assert!(scan(&copy).is_empty(), "{at}: {:?}", scan(&copy));
        assert_eq!(images::surviving_markers(&copy), Vec::<&str>::new(), "{at}");
        assert!(!images::contains(&copy, images::BODY_SERIAL));
        assert!(
            !images::contains(&copy, "Exif"),
            "{at}: an EXIF block (GPS) survived"
        );

        // The entry says what R9 asks for, in clear for a record in clear.
        let entry = archive.store.entry(a.seq).unwrap();
        assert_eq!(entry.kind, ATTACHED_KIND);
        assert_eq!(entry.confidentiality, "restricted");
        assert_eq!(entry.payload["sha256"], json!(file.sha256));
        assert_eq!(entry.payload["importer"], json!("tester"));
        assert_eq!(
            entry.payload["captured_at"],
            json!("2022-01-05T14:03:11+06:00")
        );
        assert_eq!(
            entry.payload["public_copy"]["sha256"],
            json!(copy_info.sha256)
        );

        // Reading the original back checks its hash, and writes no entry.
        let size = archive.store.size().unwrap();
        let (bytes, o) = opened(&mut archive, "s-restricted", 1, None).unwrap();
        assert_eq!(bytes, photo);
        assert_eq!(o.audit_entry, None);
        assert_eq!(archive.store.size().unwrap(), size);
        let mut out = Vec::new();
        archive.public_copy("s-restricted", 1, &mut out).unwrap();
        assert_eq!(out, copy);
        // A restricted record's copy is not served publicly.
        assert_eq!(archive.store.public_file(&copy_info.sha256).unwrap(), None);

        // A public record refuses a file it cannot strip, writing nothing.
        let blobs_before = files(&archive.vault_dir()).len();
        let gif = b"GIF89a\x01\x00\x01\x00qzgifmarker".to_vec();
        let refused = attach(&mut archive, "s-report", &gif, "anim.gif", None).unwrap_err();
        assert!(refused.is_input(), "{at}: {refused}");
        let msg = refused.to_string();
        assert!(msg.contains("GIF") && msg.contains("JPEG"), "{at}: {msg}");
        assert_eq!(archive.store.size().unwrap(), size);
        assert_eq!(files(&archive.vault_dir()).len(), blobs_before);
        assert!(holders(&place.dir.path().join("archive"), "qzgifmarker").is_empty());

        // A restricted record keeps it, without a public copy.
        let kept = attach(&mut archive, "s-restricted", &gif, "anim.gif", None).unwrap();
        assert_eq!(kept.attachment.n, 2);
        assert!(kept.attachment.public_copy.is_none());
        assert!(kept.no_public_copy.unwrap().contains("GIF"));

        // A public record's stripped copy is served, until it is retracted;
        // originals never are.
        let pub_done = attach(&mut archive, "s-report", &photo, "front.jpg", None).unwrap();
        let pub_copy = pub_done.attachment.public_copy.unwrap().sha256;
        assert_eq!(
            archive.store.public_file(&pub_copy).unwrap().as_deref(),
            Some("image/jpeg")
        );
        assert_eq!(archive.store.public_file(&file.sha256).unwrap(), None);
        assert_eq!(archive.store.public_file("not-a-hash").unwrap(), None);

        let list = archive.attachments("s-restricted").unwrap();
        assert_eq!(list.iter().map(|a| a.n).collect::<Vec<_>>(), [1, 2]);
        verify_full(&archive);
        let report = archive.verify_attachments(&mut |_, _| {}).unwrap();
        assert!(report.ok, "{at}: {:?}", report.problems);
        assert_eq!((report.attachments, report.blobs_checked), (3, 5));

        // Rebuild replays the attachments table to the same digest.
        let digest = archive.store.projection_digest().unwrap();
        archive.store.rebuild(&mut |_, _| {}).unwrap();
        assert_eq!(archive.store.projection_digest().unwrap(), digest);
        assert_eq!(archive.attachments("s-restricted").unwrap().len(), 2);

        let retract = archive
            .store
            .prepare_retract("s-report", "duplicate")
            .unwrap();
        archive.append(vec![retract], &stamp(4)).unwrap();
        assert_eq!(archive.store.public_file(&pub_copy).unwrap(), None);
        let again = attach(&mut archive, public, &photo, "x.jpg", None).unwrap_err();
        assert!(again.to_string().contains("retracted"), "{again}");

        // Damage and loss are found and named.
        let path = vault.path_of(&file.sha256.parse().unwrap());
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).unwrap();
        let mut bad = photo.clone();
        bad[photo.len() / 2] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        let report = archive.verify_attachments(&mut |_, _| {}).unwrap();
        // The same photo is the original of both records' attachments:
        // both are named.
        assert!(!report.ok);
        let named: Vec<_> = report
            .problems
            .iter()
            .map(|p| (p.record.as_str(), p.n, p.role, p.problem))
            .collect();
        assert_eq!(
            named,
            [
                (public.as_str(), 1, "original", "damaged"),
                (restricted.as_str(), 1, "original", "damaged")
            ],
            "{at}"
        );
        let err = opened(&mut archive, restricted, 1, None).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        std::fs::remove_file(&path).unwrap();
        let report = archive.verify_attachments(&mut |_, _| {}).unwrap();
        assert_eq!(report.problems[0].problem, "missing");
    }
}

#[test]
fn a_sealed_file_leaves_no_trace_and_dies_with_its_record() {
    for place in Place::all("evidence_sealed") {
        let at = place.label();
        let mut archive = place.init();
        let keys = archive
            .create_compartment("witnesses", "aigerim", &kek("aigerim"), &stamp(0))
            .unwrap();
        let other = archive
            .create_compartment("others", "dana", &kek("dana"), &stamp(0))
            .unwrap();
        let ids = add(
            &mut archive,
            &[
                json!({"kind": "source", "ref": "s-report", "source_kind": "media_report",
                       "title": {"en": "A report"}, "confidentiality": "public"}),
                json!({"kind": "person", "confidentiality": "confidential",
                       "names": [{"value": "Witness"}], "sources": ["s-report"]}),
            ],
            Some(&keys),
        );
        let person = ids[1].clone();
        // Three segments and a bit, so the stream's boundaries are crossed.
        let mut content = b"%PDF-1.4\n".to_vec();
        while content.len() < 3 * 65536 + 1000 {
            content.extend_from_slice(format!("{MARKER} said this at the square. ").as_bytes());
        }

        // Without the key, and with the wrong compartment: refused, nothing written.
        let size = archive.store.size().unwrap();
        let err = attach(&mut archive, &person, &content, SECRET_NAME, None).unwrap_err();
        assert!(err.to_string().contains("unlock its compartment"), "{err}");
        let err = attach(&mut archive, &person, &content, SECRET_NAME, Some(&other)).unwrap_err();
        assert!(err.to_string().contains("witnesses"), "{at}: {err}");
        assert_eq!(archive.store.size().unwrap(), size);

        let done = attach(&mut archive, &person, &content, SECRET_NAME, Some(&keys)).unwrap();
        let a = &done.attachment;
        assert!(
            a.sealed && a.file.is_none() && a.public_copy.is_none(),
            "{a:?}"
        );
        let details = done.sealed_details.unwrap();
        assert_eq!(details.name, SECRET_NAME);
        assert_eq!(details.sha256, qantar_vault::sha256_hex(&content));
        assert_eq!(details.media_type, "application/pdf");
        assert!(a.stored_size > content.len() as u64);
        let entry = archive.store.entry(a.seq).unwrap();
        let text = entry.payload.to_string();
        assert!(
            !text.contains(&details.sha256) && !text.contains("pdf"),
            "{text}"
        );
        assert_eq!(entry.payload["blob"], json!(a.blob));

        let listed = archive.attachments(&person).unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].file.is_none());

        // Opening: the right bytes, after an audit entry that names no file.
        let size = archive.store.size().unwrap();
        let (bytes, o) = opened(&mut archive, &person, 1, Some(&keys)).unwrap();
        assert!(
            bytes == content,
            "{at}: the sealed original came back different"
        );
        assert_eq!(o.file.name, SECRET_NAME);
        assert_eq!(o.audit_entry, Some(size));
        let audit = archive.store.entry(size).unwrap();
        assert_eq!(audit.kind, FILE_OPENED_KIND);
        assert_eq!(
            audit.payload,
            json!({"attachment": 1, "handler": "aigerim", "reader": "reader-1"})
        );
        let size = size + 1;
        let err = opened(&mut archive, &person, 1, Some(&other)).unwrap_err();
        assert!(err.is_input(), "{err}");
        let err = opened(&mut archive, &person, 1, None).unwrap_err();
        assert!(err.is_input(), "{err}");
        assert_eq!(
            archive.store.size().unwrap(),
            size,
            "{at}: failed opens wrote"
        );

        // Nothing under the archive holds the content or the name.
        let dir = place.archive_dir();
        assert!(
            holders(&dir, MARKER).is_empty(),
            "{at}: {:?}",
            holders(&dir, MARKER)
        );
        assert!(holders(&dir, "qznamemarker").is_empty(), "{at}");
        let mut ledger = Vec::new();
        archive
            .store
            .entry_bytes(0, size, |_, b| {
                ledger.extend_from_slice(b);
                Ok(())
            })
            .unwrap();
        assert!(!images::contains(&ledger, "qznamemarker") && !images::contains(&ledger, MARKER));
        verify_full(&archive);
        assert!(archive.verify_attachments(&mut |_, _| {}).unwrap().ok);

        // Erasure: the record key goes, and with it the file; the
        // ciphertext is deleted too. Even a restored copy of the blob
        // cannot be opened.
        let blob_path = archive.vault().unwrap().path_of(&a.blob.parse().unwrap());
        let saved = std::fs::read(&blob_path).unwrap();
        archive
            .erase_record(&person, ErasureReason::ConsentWithdrawn, &stamp(5))
            .unwrap();
        assert!(!blob_path.exists(), "{at}: the ciphertext is still there");
        let err = opened(&mut archive, &person, 1, Some(&keys)).unwrap_err();
        assert!(matches!(err, StoreError::Erased { .. }), "{err}");
        std::fs::create_dir_all(blob_path.parent().unwrap()).unwrap();
        std::fs::write(&blob_path, &saved).unwrap();
        let err = opened(&mut archive, &person, 1, Some(&keys)).unwrap_err();
        assert!(matches!(err, StoreError::Erased { .. }), "{err}");
        assert!(archive.attachments(&person).unwrap()[0].erased);
        let err = attach(&mut archive, &person, b"x", "x.txt", Some(&keys)).unwrap_err();
        assert!(matches!(err, StoreError::Erased { .. }), "{err}");
        // verify purges what a restore brought back, and stays green.
        let report = archive.verify_attachments(&mut |_, _| {}).unwrap();
        assert!(report.ok && report.purged == 1, "{at}: {report:?}");
        assert!(!blob_path.exists());
        verify_full(&archive);
    }
}

#[test]
fn bad_names_and_times_are_refused_before_anything_is_stored() {
    let place = Place {
        dir: tempfile::tempdir().unwrap(),
        pg: None,
    };
    let mut archive = place.init();
    add(
        &mut archive,
        &[
            json!({"kind": "source", "ref": "s-r", "source_kind": "testimony",
                 "title": {"en": "T"}, "confidentiality": "restricted"}),
        ],
        None,
    );
    let size = archive.store.size().unwrap();
    let photo = images::jpeg_with_metadata();
    let bad_time = NewFile {
        name: "a.jpg".into(),
        captured_at: Some("last tuesday".into()),
    };
    let err = archive
        .attach(
            "s-r",
            &photo[..],
            &bad_time,
            None,
            &stamp(1),
            Box::new(|_| {}),
        )
        .unwrap_err();
    assert!(err.to_string().contains("--captured-at"), "{err}");
    let bad_name = NewFile {
        name: "../a.jpg".into(),
        captured_at: None,
    };
    let err = archive
        .attach(
            "s-r",
            &photo[..],
            &bad_name,
            None,
            &stamp(1),
            Box::new(|_| {}),
        )
        .unwrap_err();
    assert!(err.is_input(), "{err}");
    let err = archive
        .attach(
            "s-nothing",
            &photo[..],
            &bad_time,
            None,
            &stamp(1),
            Box::new(|_| {}),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    assert_eq!(archive.store.size().unwrap(), size);
    assert!(files(&archive.vault_dir()).is_empty());
}

/// A minimal DOCX whose core properties name its author.
fn docx(author: &str) -> Vec<u8> {
    use std::io::Write as _;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        (
            "word/document.xml",
            "<w:document><w:body/></w:document>".to_string(),
        ),
        (
            "docProps/core.xml",
            format!("<cp:coreProperties><dc:creator>{author}</dc:creator></cp:coreProperties>"),
        ),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn a_docx_is_told_from_other_zips_once_read_whole() {
    let place = Place {
        dir: tempfile::tempdir().unwrap(),
        pg: None,
    };
    let mut archive = place.init();
    add(
        &mut archive,
        &[
            json!({"kind": "source", "ref": "s-pub", "source_kind": "media_report",
                 "title": {"en": "T"}, "confidentiality": "public"}),
        ],
        None,
    );
    let done = attach(
        &mut archive,
        "s-pub",
        &docx("qzdocxauthor"),
        "letter.docx",
        None,
    )
    .unwrap();
    let file = done.attachment.file.unwrap();
    assert_eq!(
        file.media_type,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let copy = done
        .attachment
        .public_copy
        .expect("a DOCX gets a public copy");
    assert!(!copy.removed.is_empty());

    // Any other ZIP is refused for a public record, naming DOCX as an option.
    let size = archive.store.size().unwrap();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    let plain = z.finish().unwrap().into_inner();
    let err = attach(&mut archive, "s-pub", &plain, "a.zip", None).unwrap_err();
    assert!(err.is_input() && err.to_string().contains("DOCX"), "{err}");
    assert_eq!(archive.store.size().unwrap(), size);
}
