//! `qantar lock`: the panic button from the command line. Ends every web
//! session and revokes every API token of the archive at once; a running
//! `qantar serve` refuses them from its next request, since it reads
//! sessions and tokens from `web.sqlite` each time, and drops what it
//! holds in memory within a second. Tokens are revoked rather than
//! suspended, so no unlock step exists: people log in again and an
//! administrator issues new tokens.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use serde_json::json;

pub fn run(archive: &Option<PathBuf>, json: bool) -> anyhow::Result<ExitCode> {
    let dir = archive
        .as_ref()
        .ok_or_else(|| anyhow!("which archive? pass --archive <DIR> or set QANTAR_ARCHIVE"))?;
    let done = qantar_web::lock(dir)?;
    if json {
        println!(
            "{}",
            json!({
                "ok": true,
                "sessions_ended": done.sessions,
                "tokens_revoked": done.tokens,
                "lock_generation": done.generation,
            })
        );
    } else {
        println!(
            "Locked {}: {} sessions ended, {} API tokens revoked. Everyone logs in again; issue new tokens with `qantar token add`.",
            dir.display(),
            done.sessions,
            done.tokens
        );
    }
    Ok(ExitCode::SUCCESS)
}
