//! The reporter's secrets: the receipt code (random, with a check character), the passphrase
//! (random, kept only as an Argon2id hash), and the AES-256-GCM sealing of the identity.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use jianan_kernel::{AppError, AppResult};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use uuid::Uuid;

/// Crockford's base-32 alphabet: no I, L, O or U, so a code read over the telephone or copied
/// by hand is not misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters of a receipt code: 15 × 5 = 75 bits, far beyond guessing at the
/// rate limits (and a guess also needs the passphrase).
const CODE_BODY: usize = 15;

/// Random characters of a passphrase: 20 × 5 = 100 bits.
const PASSPHRASE_CHARS: usize = 20;

fn random_chars(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| {
            let i = usize::try_from(rng.next_u32() % 32).unwrap_or(0);
            char::from(ALPHABET.get(i).copied().unwrap_or(b'0'))
        })
        .collect()
}

fn value_of(c: char) -> Option<u32> {
    let c = c.to_ascii_uppercase();
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check character of `body`: weighted sum (weights 1, 2, 3, …) modulo 31 — a prime, so any
/// single wrong character and any swap of two different adjacent characters changes it.
fn check_char(body: &str) -> Option<char> {
    let mut sum: u32 = 0;
    for (i, c) in body.chars().enumerate() {
        let w = u32::try_from(i + 1).ok()?;
        sum = (sum + w * value_of(c)?) % 31;
    }
    ALPHABET
        .get(usize::try_from(sum).ok()?)
        .map(|&b| char::from(b))
}

/// A fresh receipt code, normalised (16 characters, no separators).
pub fn new_receipt_code() -> String {
    let body = random_chars(CODE_BODY);
    let check = check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A receipt code whose body is drawn from `rng` (the bulk load's deterministic generator,
/// `jianan seed --scale`), with its check character, normalised like [`new_receipt_code`].
pub fn receipt_code_from(rng: &mut impl RngCore) -> String {
    let body: String = (0..CODE_BODY)
        .map(|_| {
            let i = usize::try_from(rng.next_u32() % 32).unwrap_or(0);
            char::from(ALPHABET.get(i).copied().unwrap_or(b'0'))
        })
        .collect();
    let check = check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A receipt code as shown to the reporter: groups of four joined by `-`.
pub fn display_code(code: &str) -> String {
    code.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The normalised code of what a reporter typed (separators and spaces dropped, upper case), or
/// `None` when it cannot be a receipt code (length, alphabet or check character).
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.chars().count() != CODE_BODY + 1 {
        return None;
    }
    let body: String = code.chars().take(CODE_BODY).collect();
    let last = code.chars().last()?;
    (check_char(&body)? == last).then_some(code)
}

/// A fresh passphrase as shown to the reporter (groups of five joined by `-`).
pub fn new_passphrase() -> String {
    random_chars(PASSPHRASE_CHARS)
        .chars()
        .collect::<Vec<_>>()
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A passphrase as typed, normalised the way it was hashed.
pub fn normalise_passphrase(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .take(64)
        .collect()
}

/// Argon2id hash of a (normalised) passphrase. Blocking: run it on the kernel's CPU pool.
pub fn hash_passphrase(passphrase: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    Argon2::default()
        .hash_password(passphrase.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Whether `passphrase` matches `hash`. Blocking.
pub fn verify_passphrase(hash: &str, passphrase: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(passphrase.as_bytes(), &h)
            .is_ok()
    })
}

/// Verified against when the code is unknown, so that an unknown code costs the same hash as a
/// wrong passphrase and the two cannot be told apart by timing.
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_passphrase("JIANANDUMMYPASSPHRASE").unwrap_or_default());

/// The key that seals reporters' identities, with its id (stored next to each ciphertext so that
/// a rotated key can still open what the old one sealed).
#[derive(Clone)]
pub struct IdentityKey {
    key: [u8; 32],
    pub id: String,
}

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdentityKey({})", self.id)
    }
}

impl IdentityKey {
    /// A key from 32 raw bytes; its id is a fingerprint (`k1-` + 12 hex digits of SHA-256 over a
    /// label and the key), which reveals nothing of the key.
    pub fn new(key: [u8; 32]) -> IdentityKey {
        let mut h = Sha256::new();
        h.update(b"jianan-rewards-identity-key-id-v1");
        h.update(key);
        let digest = hex::encode(h.finalize());
        let id = format!("k1-{}", digest.get(..12).unwrap_or_default());
        IdentityKey { key, id }
    }

    /// A key from 64 hex digits (the `identity_key` setting).
    pub fn from_hex(text: &str) -> Result<IdentityKey, String> {
        let raw = hex::decode(text.trim())
            .map_err(|_| "identity_key 应为64位十六进制数（32字节）".to_owned())?;
        let key: [u8; 32] = raw
            .try_into()
            .map_err(|_| "identity_key 应为64位十六进制数（32字节）".to_owned())?;
        Ok(IdentityKey::new(key))
    }

    fn cipher(&self) -> AppResult<Aes256Gcm> {
        Aes256Gcm::new_from_slice(&self.key).map_err(|_| AppError::internal("identity key length"))
    }

    /// Seals `plain` for the report `report_id`: base64(nonce ‖ ciphertext), the report id being
    /// the associated data, so a ciphertext copied onto another report does not open.
    pub fn seal(&self, report_id: Uuid, plain: &[u8]) -> AppResult<String> {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher()?
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: report_id.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("identity encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(base64::engine::general_purpose::STANDARD.encode(out))
    }

    /// Opens what [`IdentityKey::seal`] sealed for `report_id`.
    pub fn open(&self, report_id: Uuid, sealed: &str) -> AppResult<Vec<u8>> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|_| AppError::internal("identity ciphertext is not base64"))?;
        if raw.len() < 12 {
            return Err(AppError::internal("identity ciphertext too short"));
        }
        let (nonce, body) = raw.split_at(12);
        let nonce: [u8; 12] = nonce
            .try_into()
            .map_err(|_| AppError::internal("identity nonce length"))?;
        self.cipher()?
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: body,
                    aad: report_id.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("identity ciphertext does not open with its key"))
    }
}

/// 化名: a handler's name for the reporter, derived from the report id (stable, unrelated to
/// the identity): `举报人-` + six characters.
pub fn pseudonym(report_id: Uuid) -> String {
    let mut h = Sha256::new();
    h.update(b"jianan-rewards-pseudonym-v1");
    h.update(report_id.as_bytes());
    let d = h.finalize();
    let chars: String = d
        .iter()
        .take(6)
        .map(|b| char::from(ALPHABET.get(usize::from(b % 32)).copied().unwrap_or(b'0')))
        .collect();
    format!("举报人-{chars}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn receipt_codes_carry_a_check_character_that_catches_typos() {
        for _ in 0..200 {
            let code = new_receipt_code();
            assert_eq!(code.len(), 16);
            assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
            let shown = display_code(&code).to_lowercase();
            assert_eq!(normalise_code(&shown).as_deref(), Some(code.as_str()));
            // One character changed: refused.
            let mut chars: Vec<char> = code.chars().collect();
            chars[3] = if chars[3] == 'A' { 'B' } else { 'A' };
            let typo: String = chars.iter().collect();
            assert_eq!(normalise_code(&typo), None);
        }
        assert_eq!(normalise_code("ABC"), None);
    }

    #[test]
    fn passphrases_hash_and_verify() {
        let p = new_passphrase();
        assert_eq!(p.len(), 23);
        let h = hash_passphrase(&normalise_passphrase(&p)).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_passphrase(
            &h,
            &normalise_passphrase(&p.to_lowercase())
        ));
        assert!(!verify_passphrase(&h, "WRONG"));
    }

    #[test]
    fn identity_seals_to_ciphertext_bound_to_its_report() {
        let key = IdentityKey::new([7u8; 32]);
        let id = Uuid::now_v7();
        let sealed = key.seal(id, "张三 13800000000".as_bytes()).unwrap();
        assert!(!sealed.contains("13800000000"));
        assert_eq!(
            key.open(id, &sealed).unwrap(),
            "张三 13800000000".as_bytes()
        );
        assert!(key.open(Uuid::now_v7(), &sealed).is_err());
        assert!(IdentityKey::new([8u8; 32]).open(id, &sealed).is_err());
        assert!(key.id.starts_with("k1-"));
        assert!(IdentityKey::from_hex("zz").is_err());
    }
}
