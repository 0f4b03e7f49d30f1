//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), the
//! second factor of workspace accounts.
//!
//! Only the variant every authenticator app understands: HMAC-SHA-1, six
//! digits, 30-second steps, one step of clock drift either way. Pure: the
//! time comes in as Unix seconds and the secret as bytes; storing secrets
//! and remembering the last step used (replay protection) is
//! [`crate::auth`]'s job.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds per step (RFC 6238's X).
pub const STEP_SECONDS: i64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Steps of clock drift accepted on either side of now.
pub const DRIFT_STEPS: i64 = 1;
/// Length of a new secret: 160 bits, as RFC 4226 recommends for SHA-1.
pub const SECRET_BYTES: usize = 20;

/// The step that `unix` seconds fall in (RFC 6238's T, with T0 = 0).
pub fn step(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECONDS)
}

/// HOTP (RFC 4226 §5.3): the `digits`-digit value for `counter`.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC takes keys of any length, so this cannot fail; a zero code
    // would only be wrong, never a way in, since the secret is ours.
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    bin % 10u32.pow(digits)
}

/// The code an authenticator shows at `unix` seconds.
pub fn code_at(secret: &[u8], unix: i64) -> String {
    let c = hotp(secret, step(unix).max(0) as u64, DIGITS);
    format!("{c:0width$}", width = DIGITS as usize)
}

/// The step `code` belongs to, if it is right at `unix` within the drift
/// and later than `after` (the last step this account used): a code
/// already accepted once is refused, and so is any earlier one.
pub fn verify(secret: &[u8], code: &str, unix: i64, after: Option<i64>) -> Option<i64> {
    // Apps show "123 456"; people type it that way.
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step(unix);
    let mut found = None;
    // Every candidate is computed and compared, so timing does not say
    // which step matched.
    for s in (now - DRIFT_STEPS)..=(now + DRIFT_STEPS) {
        if s < 0 {
            continue;
        }
        let expected = format!(
            "{:0width$}",
            hotp(secret, s as u64, DIGITS),
            width = DIGITS as usize
        );
        if crate::auth::same(&expected, &typed) && after.is_none_or(|a| s > a) && found.is_none() {
            found = Some(s);
        }
    }
    found
}

/// A new random secret.
pub fn new_secret() -> Result<[u8; SECRET_BYTES], getrandom::Error> {
    let mut b = [0u8; SECRET_BYTES];
    getrandom::fill(&mut b)?;
    Ok(b)
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The bytes of a base32 secret (case, spaces and padding ignored), or
/// `None` if a character is outside the alphabet.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let up = c.to_ascii_uppercase() as u32;
        let v = ALPHABET.iter().position(|&a| u32::from(a) == up)? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://` URI that authenticator apps import (the de facto
/// "Key Uri Format"): issuer and account in the label and the parameters.
pub fn uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let (i, a) = (
        crate::html::url_part(issuer),
        crate::html::url_part(account),
    );
    format!(
        "otpauth://totp/{i}:{a}?secret={}&issuer={i}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        base32(secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, the SHA-1 rows: the 20-byte ASCII seed and
    /// eight-digit codes.
    #[test]
    fn the_rfc_6238_sha1_vectors_hold() {
        let seed = b"12345678901234567890";
        for (time, expected) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(seed, step(time) as u64, 8), expected, "T = {time}");
        }
        // Six digits are the last six of the eight.
        assert_eq!(code_at(seed, 1111111109), "081804");
    }

    #[test]
    fn codes_are_accepted_within_one_step_of_drift_and_only_after_the_last_used() {
        let seed = b"12345678901234567890";
        let t = 1_234_567_890;
        let now = code_at(seed, t);
        assert_eq!(verify(seed, &now, t, None), Some(step(t)));
        assert_eq!(
            verify(seed, &format!("{} {}", &now[..3], &now[3..]), t, None),
            Some(step(t))
        );
        assert_eq!(
            verify(seed, &code_at(seed, t - 30), t, None),
            Some(step(t) - 1)
        );
        assert_eq!(
            verify(seed, &code_at(seed, t + 30), t, None),
            Some(step(t) + 1)
        );
        assert_eq!(
            verify(seed, &code_at(seed, t - 60), t, None),
            None,
            "too old"
        );
        assert_eq!(
            verify(seed, &code_at(seed, t + 60), t, None),
            None,
            "too new"
        );
        assert_eq!(verify(seed, &now, t, Some(step(t))), None, "replayed");
        assert_eq!(
            verify(seed, &code_at(seed, t - 30), t, Some(step(t))),
            None,
            "older than the last code used"
        );
        for bad in ["", "12345", "1234567", "12a456", "١٢٣٤٥٦"] {
            assert_eq!(verify(seed, bad, t, None), None, "{bad:?}");
        }
        assert_eq!(verify(b"another secret", &now, t, None), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        // RFC 4648 §10 (padding dropped).
        for (plain, enc) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(plain.as_bytes()), enc);
            assert_eq!(from_base32(enc).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(
            from_base32("mzxw 6ytb oi======").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(from_base32("MZ1"), None);
        let s = new_secret().expect("random");
        assert_eq!(from_base32(&base32(&s)).as_deref(), Some(&s[..]));
        assert_eq!(base32(&s).len(), 32);
    }

    #[test]
    fn the_uri_names_issuer_account_and_parameters() {
        let u = uri("qantar archive", "aigerim", b"foobar");
        assert_eq!(
            u,
            "otpauth://totp/qantar%20archive:aigerim?secret=MZXW6YTBOI&issuer=qantar%20archive&algorithm=SHA1&digits=6&period=30"
        );
    }
}
