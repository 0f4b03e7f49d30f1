//! Serve an archive, building it from the CLI's demo records first if the
//! directory does not exist yet:
//!
//! ```text
//! cargo run -p qantar-web --example serve -- /tmp/webdemo 127.0.0.1:8080
//! ```
//!
//! (`qantar demo` builds the full demo archive, with the published claims
//! too; this is for working on the site without the CLI.)

use std::path::PathBuf;

use qantar_store::{Archive, Stamp};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/webdemo".into()));
    let listen = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .parse()?;
    if !dir.exists() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cli/demo/qandy-qantar.records.json"
        );
        let records: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let stamp = Stamp {
            author: "demo".into(),
            time: "2026-01-01T00:00:00.000Z".into(),
        };
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&uuid::Uuid::now_v7().as_bytes().repeat(2));
        let mut archive = Archive::init(&dir, "demo", seed, "web-demo", &stamp, None)?;
        let drafts = archive
            .store
            .prepare_records(&records, &mut uuid::Uuid::now_v7)?;
        archive.append(drafts, &stamp)?;
        println!("built a demo archive in {}", dir.display());
    }
    qantar_web::serve(qantar_web::ServeOptions {
        archive: dir,
        listen,
    })
}
