//! The wall clock, read in one place. Entries carry UTC time with
//! milliseconds; nothing below the CLI reads a clock.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as RFC 3339 UTC with milliseconds: `2026-11-22T07:23:00.123Z`.
pub fn now_utc() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    qantar_model::time::format_utc(d.as_secs() as i64, d.subsec_millis())
}
