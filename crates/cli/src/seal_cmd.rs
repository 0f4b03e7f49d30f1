//! `qantar seal …`: sealed compartments for confidential records.
//! (Being written; see the brief.)

use std::path::PathBuf;
use std::process::ExitCode;

/// The `seal` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SealCommand {
    /// List the compartments and their handlers.
    List,
}

pub fn run(
    cmd: &SealCommand,
    archive: &Option<PathBuf>,
    author: &Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let _ = (cmd, archive, author, json);
    Ok(ExitCode::SUCCESS)
}
