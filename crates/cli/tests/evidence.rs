//! `qantar evidence …` through the real binary on SQLite: a photo with GPS
//! and serial numbers on a restricted record (original byte for byte,
//! stripped public copy), refusals that write nothing, and a marker-bearing
//! file on a sealed record from attachment to crypto-erasure, with a scan
//! of every file under the archive for its content and its name.

#[path = "../../vault/tests/common/mod.rs"]
mod images;

mod util;

use std::path::{Path, PathBuf};
use std::process::Output;
use util::{line, ok, refused, run};

use serde_json::{Value, json};

/// In the sealed file's content, and in its name.
const MARKER: &str = "qzevidencemarker";
const NAME_MARKER: &str = "qzsecretname";
const AIGERIM: &str = "aigerim's long passphrase";

struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let archive = s.archive();
        ok(&run(
            &["init", archive.to_str().unwrap(), "--name", "evidence"],
            None,
            "",
        ));
        s
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    /// A path outside the archive directory.
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_string()
    }

    fn q(&self, args: &[&str], stdin: &str) -> Output {
        run(args, Some(&self.archive()), stdin)
    }

    fn q_json(&self, args: &[&str], stdin: &str) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.q(&all, stdin);
        ok(&out);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    fn add_records(&self, records: &Value, sealed_by: Option<&str>) -> Value {
        let file = self.path("records.json");
        std::fs::write(&file, serde_json::to_string(records).unwrap()).unwrap();
        match sealed_by {
            None => self.q_json(&["add", "--file", &file], ""),
            Some(secret) => self.q_json(
                &[
                    "seal",
                    "add",
                    "--file",
                    &file,
                    "--compartment",
                    "witnesses",
                    "--handler",
                    "aigerim",
                ],
                &line(secret),
            ),
        }
    }

    /// Ledger size after `verify --full` passed with identical digests.
    fn verified_size(&self) -> u64 {
        let v = self.q_json(&["verify", "--full"], "");
        assert_eq!(v["ok"], json!(true), "verify --full failed: {v:#}");
        assert_eq!(v["projection_digest"], v["replayed_digest"]);
        let e = self.q_json(&["evidence", "verify"], "");
        assert_eq!(e["ok"], json!(true), "evidence verify failed: {e:#}");
        v["entries"].as_u64().unwrap()
    }

    /// Files under the archive directory that hold `needle`.
    fn files_holding(&self, needle: &str) -> Vec<PathBuf> {
        let mut hits = Vec::new();
        let mut todo = vec![self.archive()];
        while let Some(dir) = todo.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else if images::contains(&std::fs::read(&p).unwrap(), needle) {
                    hits.push(p);
                }
            }
        }
        hits
    }

    fn vault_files(&self) -> usize {
        let objects = self.archive().join("vault").join("objects");
        let Ok(shards) = std::fs::read_dir(objects) else {
            return 0;
        };
        shards
            .map(|s| std::fs::read_dir(s.unwrap().path()).unwrap().count())
            .sum()
    }
}

#[test]
fn a_photo_on_a_restricted_record_keeps_its_original_and_publishes_a_stripped_copy() {
    let s = Scratch::new();
    s.add_records(
        &json!([
            {"kind": "source", "ref": "s-report", "source_kind": "media_report",
             "title": {"en": "A report"}, "confidentiality": "public"},
            {"kind": "source", "ref": "s-interview", "source_kind": "testimony",
             "title": {"en": "An interview"}, "confidentiality": "restricted"}
        ]),
        None,
    );
    let photo = images::jpeg_with_metadata();
    assert!(images::contains(&photo, images::BODY_SERIAL));
    let photo_path = s.path("IMG_0042.jpg");
    std::fs::write(&photo_path, &photo).unwrap();

    let v = s.q_json(
        &[
            "evidence",
            "add",
            "s-interview",
            &photo_path,
            "--captured-at",
            "2022-01-05T14:03:11+06:00",
        ],
        "",
    );
    let a = &v["attachment"];
    assert_eq!(a["n"], json!(1));
    assert_eq!(a["file"]["sha256"], json!(qantar_vault::sha256_hex(&photo)));
    assert_eq!(a["file"]["name"], json!("IMG_0042.jpg"));
    assert_eq!(a["file"]["media_type"], json!("image/jpeg"));
    assert_eq!(a["file"]["captured_at"], json!("2022-01-05T14:03:11+06:00"));
    assert!(!a["public_copy"]["removed"].as_array().unwrap().is_empty());

    // The public copy: no EXIF block (GPS), no serials, no marker at all.
    let copy_path = s.path("copy.jpg");
    ok(&s.q(
        &["evidence", "get", "s-interview", "1", "--out", &copy_path],
        "",
    ));
    let copy = std::fs::read(&copy_path).unwrap();
    assert_eq!(images::surviving_markers(&copy), Vec::<&str>::new());
    assert!(!images::contains(&copy, "Exif"));
    assert!(qantar_vault::scan(&copy).is_empty());
    assert_eq!(
        a["public_copy"]["sha256"],
        json!(qantar_vault::sha256_hex(&copy))
    );
    // The original: byte for byte.
    let orig_path = s.path("original.jpg");
    ok(&s.q(
        &[
            "evidence",
            "get",
            "s-interview",
            "1",
            "--out",
            &orig_path,
            "--original",
        ],
        "",
    ));
    assert!(std::fs::read(&orig_path).unwrap() == photo);
    // An existing file is never overwritten.
    refused(
        &s.q(
            &["evidence", "get", "s-interview", "1", "--out", &orig_path],
            "",
        ),
        "exists",
    );

    // A public record refuses what it cannot strip, and writes nothing.
    let size = s.verified_size();
    let blobs = s.vault_files();
    let gif = s.path("clip.gif");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00qzgif").unwrap();
    let out = s.q(&["evidence", "add", "s-report", &gif], "");
    refused(&out, "cannot be stripped of metadata");
    refused(&out, "JPEG (image/jpeg), PNG (image/png)");
    let out = s.q(&["evidence", "add", "s-report", &gif, "--json"], "");
    assert_eq!(out.status.code(), Some(2));
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["ok"], json!(false));
    assert_eq!(err["errors"][0]["field"], json!("FILE"), "{err:#}");
    // Handler flags on a record in clear are refused before any secret is read.
    refused(
        &s.q(
            &["evidence", "add", "s-interview", &gif, "--handler", "x"],
            "",
        ),
        "not sealed",
    );
    refused(
        &s.q(
            &[
                "evidence",
                "add",
                "s-interview",
                &gif,
                "--captured-at",
                "soon",
            ],
            "",
        ),
        "--captured-at",
    );
    assert_eq!(s.verified_size(), size);
    assert_eq!(s.vault_files(), blobs);

    let list = s.q_json(&["evidence", "list", "s-interview"], "");
    assert_eq!(list["attachments"].as_array().unwrap().len(), 1);
    let text = s.q(&["evidence", "list", "s-interview"], "");
    ok(&text);
    assert!(String::from_utf8_lossy(&text.stdout).contains("IMG_0042.jpg"));
}

#[test]
fn a_sealed_file_from_attachment_to_erasure() {
    let s = Scratch::new();
    ok(&s.q(
        &[
            "seal",
            "init",
            "--compartment",
            "witnesses",
            "--handler",
            "aigerim",
        ],
        &line(AIGERIM),
    ));
    let v = s.add_records(
        &json!([
            {"kind": "source", "ref": "s-report", "source_kind": "media_report",
             "title": {"en": "A report"}, "confidentiality": "public"},
            {"kind": "person", "confidentiality": "confidential",
             "names": [{"value": "Witness"}], "sources": ["s-report"]}
        ]),
        Some(AIGERIM),
    );
    let id = v["recorded"][1]["id"].as_str().unwrap().to_string();
    assert_eq!(v["recorded"][1]["sealed"], json!(true));

    // A statement (two segments and more) whose content and name both carry markers.
    let mut content = b"%PDF-1.4\n".to_vec();
    while content.len() < 2 * 65536 + 123 {
        content.extend_from_slice(format!("{MARKER}: I saw them at the square. ").as_bytes());
    }
    let name = format!("{NAME_MARKER}-statement.pdf");
    let file = s.path(&name);
    std::fs::write(&file, &content).unwrap();

    // Without a handler: refused, before anything is asked or written.
    refused(&s.q(&["evidence", "add", &id, &file], ""), "--handler");
    let added = s.q_json(
        &["evidence", "add", &id, &file, "--handler", "aigerim"],
        &line(AIGERIM),
    );
    assert_eq!(added["attachment"]["sealed"], json!(true));
    assert!(added["attachment"].get("file").is_none(), "{added:#}");
    assert_eq!(added["sealed_details"]["name"], json!(name));
    let list = s.q_json(&["evidence", "list", &id], "");
    let listed = list["attachments"][0].to_string();
    assert!(
        !listed.contains(NAME_MARKER) && !listed.contains("pdf"),
        "{listed}"
    );
    let size = s.verified_size();

    // A wrong passphrase changes nothing and writes no file.
    let out_path = s.path("opened.pdf");
    let get = [
        "evidence",
        "get",
        &id,
        "1",
        "--out",
        &out_path,
        "--original",
        "--handler",
        "aigerim",
    ];
    refused(
        &s.q(&get, &line("not aigerim's passphrase")),
        "wrong passphrase",
    );
    assert!(!Path::new(&out_path).exists());
    assert_eq!(s.verified_size(), size);
    // No public copy of a sealed file.
    refused(
        &s.q(&["evidence", "get", &id, "1", "--out", &out_path], ""),
        "sealed",
    );

    // The right passphrase: identical bytes, after an audit entry.
    let mut with_json = get.to_vec();
    with_json.push("--json");
    let opened = s.q(&with_json, &line(AIGERIM));
    ok(&opened);
    let opened: Value = serde_json::from_slice(&opened.stdout).unwrap();
    assert!(std::fs::read(&out_path).unwrap() == content);
    assert_eq!(opened["audit_entry"], json!(size));
    assert_eq!(
        opened["file"]["sha256"],
        json!(qantar_vault::sha256_hex(&content))
    );
    let history = s.q_json(&["history", &id], "");
    let audits: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "audit.file_opened")
        .collect();
    assert_eq!(audits.len(), 1, "{history:#}");
    assert_eq!(s.verified_size(), size + 1);

    // After add, list and get: neither the content nor the name is in any
    // file under the archive.
    assert_eq!(s.files_holding(MARKER), Vec::<PathBuf>::new());
    assert_eq!(s.files_holding(NAME_MARKER), Vec::<PathBuf>::new());

    // Erasing the record makes the file unreadable and deletes its ciphertext.
    let blobs = s.vault_files();
    assert_eq!(blobs, 1);
    ok(&s.q(
        &[
            "seal",
            "erase",
            &id,
            "--reason",
            "consent-withdrawn",
            "--yes",
        ],
        "",
    ));
    assert_eq!(s.vault_files(), 0);
    let again = s.path("again.pdf");
    let mut get_again = get.to_vec();
    get_again[5] = &again;
    refused(&s.q(&get_again, &line(AIGERIM)), "crypto-erased");
    assert!(!Path::new(&again).exists());
    let list = s.q_json(&["evidence", "list", &id], "");
    assert_eq!(list["attachments"][0]["erased"], json!(true));
    s.verified_size();
}
