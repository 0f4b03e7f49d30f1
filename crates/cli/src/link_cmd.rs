//! `qantar link` on plain files (being written by the linkage work).

/// Arguments of `qantar link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {}

pub fn run(_args: &LinkArgs, _json: bool) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`qantar link` is not built yet")
}
