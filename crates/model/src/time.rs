//! Instants as the ledger writes them: RFC 3339, UTC, milliseconds. Pure:
//! the caller reads the clock and passes seconds since 1970.

/// Seconds since 1970-01-01T00:00:00Z and milliseconds, as
/// `2026-11-22T07:23:00.123Z`.
pub fn format_utc(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date, by counting
/// 400-year eras of 146,097 days from 0000-03-01 (Howard Hinnant's
/// well-known method, restated).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

/// A proleptic Gregorian date to days since 1970-01-01: the inverse of
/// [`civil_from_days`].
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, days_from_civil, format_utc};

    #[test]
    fn days_and_dates_convert_both_ways() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2022, 1, 5), 18_997);
        for z in [-800_000, -1, 0, 11_016, 18_997, 60_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn known_instants_format_as_rfc3339() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000Z");
        // 2022-01-05T00:00:00Z, the night Almaty burned.
        assert_eq!(format_utc(1_641_340_800, 7), "2022-01-05T00:00:00.007Z");
        assert_eq!(format_utc(951_782_400, 0), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_utc(4_107_542_399, 999), "2100-02-28T23:59:59.999Z");
        assert_eq!(format_utc(-1, 0), "1969-12-31T23:59:59.000Z");
    }
}
