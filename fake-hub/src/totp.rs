//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the second factor
//! of `POST /v2/users/2fa-login`, and the base32 text form in which authenticator apps take secrets.
//! Public so that tests (and people trying the seeded hub) can compute the code a phone would show.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The length of one TOTP step, in seconds.
pub const TOTP_STEP: u64 = 30;

/// How many steps before and after the current one a code is still accepted (clock drift).
const DRIFT_STEPS: u64 = 1;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A text that is not base32.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a base32 TOTP secret: {0}")]
pub struct TotpSecretError(String);

/// A TOTP shared secret.
///
/// `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

impl TotpSecret {
    /// A secret from its raw bytes.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        TotpSecret(bytes.into())
    }

    /// A secret from its base32 form (RFC 4648; case, spaces and padding ignored), as authenticator
    /// apps show it.
    pub fn from_base32(text: &str) -> Result<Self, TotpSecretError> {
        let mut bits: u64 = 0;
        let mut count = 0u32;
        let mut out = Vec::new();
        for c in text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
            let upper = c.to_ascii_uppercase();
            let value = BASE32.iter().position(|&b| b == upper).ok_or_else(|| TotpSecretError(format!("`{}` is not a base32 letter", char::from(c))))?;
            bits = (bits << 5) | value as u64;
            count += 5;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
                bits &= (1u64 << count) - 1;
            }
        }
        if out.is_empty() {
            return Err(TotpSecretError("the secret is empty".into()));
        }
        Ok(TotpSecret(out))
    }

    /// The secret in base32, unpadded.
    pub fn to_base32(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(5) * 8);
        let mut bits: u64 = 0;
        let mut count = 0u32;
        for &byte in &self.0 {
            bits = (bits << 8) | u64::from(byte);
            count += 8;
            while count >= 5 {
                count -= 5;
                out.push(char::from(BASE32[((bits >> count) & 31) as usize]));
            }
            bits &= (1u64 << count) - 1;
        }
        if count > 0 {
            out.push(char::from(BASE32[((bits << (5 - count)) & 31) as usize]));
        }
        out
    }

    /// The `otpauth://` URI an authenticator app can import (as a QR code, usually).
    pub fn otpauth_uri(&self, account: &str) -> String {
        format!("otpauth://totp/fake-hub:{account}?secret={}&issuer=fake-hub&algorithm=SHA1&digits=6&period={TOTP_STEP}", self.to_base32())
    }
}

/// The 6-digit code for `secret` at `unix_time` (seconds since the epoch).
pub fn totp_code(secret: &TotpSecret, unix_time: u64) -> String {
    hotp(secret, unix_time / TOTP_STEP)
}

/// Whether `code` is the code of the step of `unix_time` or of a step next to it.
pub(crate) fn verify_code(secret: &TotpSecret, code: &str, unix_time: u64) -> bool {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let step = unix_time / TOTP_STEP;
    (step.saturating_sub(DRIFT_STEPS)..=step + DRIFT_STEPS)
        .any(|s| crate::crypto::constant_time_eq(hotp(secret, s).as_bytes(), code.as_bytes()))
}

/// RFC 4226 HOTP with 6 digits.
fn hotp(secret: &TotpSecret, counter: u64) -> String {
    // HMAC takes keys of any length, so this never fails; an empty answer would match no code.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&secret.0) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = (u32::from(digest[offset] & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    format!("{:06}", binary % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 test vectors of RFC 6238, appendix B (their last six digits).
    #[test]
    fn rfc_6238_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        for (time, code) in [(59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037")] {
            assert_eq!(totp_code(&secret, time), code, "at {time}");
        }
    }

    #[test]
    fn base32_round_trips_and_rejects_other_letters() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), Ok(secret));
        assert!(TotpSecret::from_base32("01!").is_err());
        assert!(TotpSecret::from_base32("").is_err());
        let odd = TotpSecret::from_bytes(vec![0xff, 0x01, 0x7e]);
        assert_eq!(TotpSecret::from_base32(&odd.to_base32()), Ok(odd));
    }

    #[test]
    fn codes_of_neighbouring_steps_are_accepted_and_others_not() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let now = 1_700_000_000;
        assert!(verify_code(&secret, &totp_code(&secret, now), now));
        assert!(verify_code(&secret, &totp_code(&secret, now - 30), now));
        assert!(verify_code(&secret, &totp_code(&secret, now + 30), now));
        assert!(!verify_code(&secret, &totp_code(&secret, now - 90), now));
        assert!(!verify_code(&secret, "12345", now));
        assert!(!verify_code(&secret, "abcdef", now));
    }
}
