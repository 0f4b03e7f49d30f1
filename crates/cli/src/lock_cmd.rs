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
use qantar_store::{Archive, Draft, Stamp};
use serde_json::{Value, json};

/// Put a change of who may do what (an account, a token, a lock) in the
/// ledger, as the web's accounts page does: `audit.account_changed` with
/// the account, the change and who made it; never a secret. The change has
/// happened already (accounts live in `web.sqlite`, outside the ledger's
/// transaction), so a failure here is reported as such.
pub fn record_account_change(
    archive: &mut Archive,
    stamp: &Stamp,
    account: &str,
    change: &str,
    detail: Option<(&str, Value)>,
) -> anyhow::Result<()> {
    let mut payload = json!({ "account": account, "change": change, "by": stamp.author });
    if let Some((k, v)) = detail {
        payload[k] = v;
    }
    archive
        .append(
            vec![Draft {
                kind: qantar_web::write::ACCOUNT_CHANGED_KIND.into(),
                record: None,
                confidentiality: "restricted".into(),
                payload,
                parsed: None,
            }],
            stamp,
        )
        .map_err(|e| {
            anyhow!("{change} of {account} is done, but its audit entry is not in the ledger: {e}")
        })?;
    Ok(())
}

pub fn run(archive: &Option<PathBuf>, stamp: &Stamp, json: bool) -> anyhow::Result<ExitCode> {
    let dir = archive
        .as_ref()
        .ok_or_else(|| anyhow!("which archive? pass --archive <DIR> or set QANTAR_ARCHIVE"))?;
    // Opened first: a wrong directory is said before anything is locked.
    let mut opened = Archive::open(dir)?;
    let done = qantar_web::lock(dir)?;
    record_account_change(
        &mut opened,
        stamp,
        "*",
        "locked",
        Some(("sessions_ended", json!(done.sessions.to_string()))),
    )?;
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
