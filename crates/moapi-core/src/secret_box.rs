//! Secrets the API must hand back (webhook secret tokens and custom header values) cannot be
//! hashed, so they are kept encrypted: AES-256-GCM under a key from configuration
//! (`MOAPI_SECRETS_KEY`), or, in a sandbox without one, a key generated once and kept in the
//! database for every node.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::ids::deployment_secret;
use crate::Db;

/// Version tag of the sealed form, so a future key or cipher change can tell old values.
pub const SEALED_PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

pub struct SecretBox {
    cipher: Aes256Gcm,
}

/// A sealed value that does not open: tampered with, or sealed under another key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

impl SecretBox {
    /// Any key material; it is hashed to the 256-bit key.
    pub fn new(key_material: &[u8]) -> SecretBox {
        let mut hasher = Sha256::new();
        hasher.update(b"moapi-secrets-v1:");
        hasher.update(key_material);
        let key = hasher.finalize();
        SecretBox {
            cipher: Aes256Gcm::new(&key),
        }
    }

    pub async fn load(db: &Db, configured: Option<&str>) -> anyhow::Result<SecretBox> {
        match configured {
            Some(key) => Ok(SecretBox::new(key.as_bytes())),
            None => Ok(SecretBox::new(
                deployment_secret(db, "secrets_key").await?.as_bytes(),
            )),
        }
    }

    /// `v1:` + base64(nonce ‖ ciphertext ‖ tag), with a fresh random nonce per value.
    pub fn seal(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("AES-GCM encrypts any message shorter than 64 GiB");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        format!("{SEALED_PREFIX}{}", STANDARD.encode(sealed))
    }

    /// Whether `stored` is in the sealed form (whatever key sealed it). Columns that held clear
    /// text before they were sealed tell the two forms apart by this prefix: JSON text, their
    /// clear form, never starts with it.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }

    pub fn open(&self, sealed: &str) -> Result<String, Unreadable> {
        let bytes = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(|body| STANDARD.decode(body).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or(Unreadable)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plaintext = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| Unreadable)?;
        String::from_utf8(plaintext).map_err(|_| Unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_under_their_key_and_untampered() {
        let secrets = SecretBox::new(b"key one");
        let sealed = secrets.seal("whsec_abc");
        assert_ne!(
            sealed,
            secrets.seal("whsec_abc"),
            "each seal has its own nonce"
        );
        assert!(!sealed.contains("whsec_abc"));
        assert!(SecretBox::is_sealed(&sealed) && !SecretBox::is_sealed("{}"));
        assert_eq!(secrets.open(&sealed).unwrap(), "whsec_abc");
        assert_eq!(SecretBox::new(b"key two").open(&sealed), Err(Unreadable));
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            secrets.open(std::str::from_utf8(&tampered).unwrap()),
            Err(Unreadable)
        );
    }
}
