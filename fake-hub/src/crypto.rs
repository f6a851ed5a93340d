//! How secrets are made, stored and compared, decided in one place: passwords are kept as Argon2id
//! hashes, personal access tokens as SHA-256 digests, and every random value (keys, token secrets,
//! salts, UUIDs) comes from one generator seeded from the operating system when the hub starts, so
//! that no request can fail, or panic, for want of randomness.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The operating system's random source failed when the hub started.
    #[error("the operating system's random source failed: {0}")]
    Random(String),
    /// Argon2 refused its input.
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// The hub's random generator: a CSPRNG seeded once from the operating system.
pub(crate) struct Random(StdRng);

impl Random {
    /// Seeds a generator from the operating system.
    pub(crate) fn from_os() -> Result<Self, CryptoError> {
        StdRng::try_from_os_rng().map(Random).map_err(|e| CryptoError::Random(e.to_string()))
    }

    /// `N` random bytes.
    pub(crate) fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.0.fill_bytes(&mut out);
        out
    }

    /// A random version-4 UUID in its usual text form.
    pub(crate) fn uuid(&mut self) -> String {
        let mut b: [u8; 16] = self.bytes();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex = hex(&b);
        format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
    }

    /// 24 random bytes as URL-safe base64 without padding (a token's secret part).
    pub(crate) fn token_text(&mut self) -> String {
        let bytes: [u8; 24] = self.bytes();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A random lowercase hex string of 2 × `N` characters.
    pub(crate) fn hex<const N: usize>(&mut self) -> String {
        hex(&self.bytes::<N>())
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `data`, as lowercase hex: how personal access tokens are stored.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Argon2id with a small memory cost: this is a test double, and its passwords are hashed on every
/// start and checked on every login of a test suite built without optimisations.
fn argon2() -> Argon2<'static> {
    // 1 MiB, one pass, one lane: the parameters are valid constants, so `new` cannot fail; the
    // default is only a fallback that keeps this function total.
    let params = Params::new(1024, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` with `salt` (fresh random bytes) into a PHC string (`$argon2id$v=19$…`).
pub(crate) fn hash_password(salt: [u8; 16], password: &str) -> Result<String, CryptoError> {
    let salt = SaltString::encode_b64(&salt).map_err(|e| CryptoError::Hash(e.to_string()))?;
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| CryptoError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`; a malformed hash matches nothing.
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Compares two secrets in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let mut random = Random::from_os().expect("random");
        let hash = hash_password(random.bytes(), "hunter2").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("hunter2"));
        assert!(verify_password("hunter2", &hash));
        assert!(!verify_password("hunter3", &hash));
        assert!(!verify_password("hunter2", "not a hash"));
    }

    #[test]
    fn uuids_are_version_4() {
        let mut random = Random::from_os().expect("random");
        let id = random.uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(id, random.uuid());
    }

    #[test]
    fn sha256_matches_a_known_digest() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
