//! `qantar synth` (being written by the linkage work).

/// Arguments of `qantar synth`.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {}

pub fn run(_args: &SynthArgs, _json: bool) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`qantar synth` is not built yet")
}
