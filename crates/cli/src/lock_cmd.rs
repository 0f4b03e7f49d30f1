//! `qantar lock`: revoke every session at once. (Being written.)

use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(archive: &Option<PathBuf>, json: bool) -> anyhow::Result<ExitCode> {
    let _ = (archive, json);
    Ok(ExitCode::SUCCESS)
}
