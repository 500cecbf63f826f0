//! Signed, expiring links to pages moapi serves without authentication (a customer's
//! card-on-file form, their upcoming appointments): the path and an expiry instant are signed
//! with HMAC-SHA256 under a deployment secret kept in the database, so any node can check a
//! link another node issued and nobody can forge or extend one.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Db;

const SECRET_SETTING: &str = "link_secret";

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Missing, malformed or wrong signature, or a changed path or expiry.
    Invalid,
    /// Correctly signed, but past its expiry.
    Expired,
}

pub struct LinkSigner {
    key: Vec<u8>,
}

impl LinkSigner {
    pub fn new(secret: &[u8]) -> Self {
        LinkSigner {
            key: [b"moapi-links-v1:".as_slice(), secret].concat(),
        }
    }

    /// Uses the deployment's link secret, created on first start.
    pub async fn load(db: &Db) -> anyhow::Result<Self> {
        let secret = crate::ids::deployment_secret(db, SECRET_SETTING).await?;
        Ok(LinkSigner::new(secret.as_bytes()))
    }

    fn mac(&self, path: &str, expires: i64) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// `path?expires=<unix seconds>&signature=<hex>`.
    pub fn sign(&self, path: &str, expires: i64) -> String {
        let signature = hex::encode(self.mac(path, expires).finalize().into_bytes());
        format!("{path}?expires={expires}&signature={signature}")
    }

    /// Checks a link's query against its path at `now` (unix seconds). The signature is checked
    /// first (in constant time), so a tampered link never learns whether it would have expired.
    pub fn verify(
        &self,
        path: &str,
        expires: Option<&str>,
        signature: Option<&str>,
        now: i64,
    ) -> Result<(), LinkError> {
        let expires: i64 = expires
            .and_then(|text| text.parse().ok())
            .ok_or(LinkError::Invalid)?;
        let signature = signature
            .and_then(|text| hex::decode(text).ok())
            .ok_or(LinkError::Invalid)?;
        self.mac(path, expires)
            .verify_slice(&signature)
            .map_err(|_| LinkError::Invalid)?;
        if now >= expires {
            return Err(LinkError::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_of(link: &str) -> (String, String) {
        let query = link.split_once('?').unwrap().1;
        let mut parts = query
            .split('&')
            .map(|p| p.split_once('=').unwrap().1.to_string());
        (parts.next().unwrap(), parts.next().unwrap())
    }

    #[test]
    fn signed_links_verify_until_they_expire() {
        let signer = LinkSigner::new(b"secret");
        let link = signer.sign("/links/cof/cus_1", 1_000);
        assert!(link.starts_with("/links/cof/cus_1?expires=1000&signature="));
        let (expires, signature) = query_of(&link);
        let check = |path: &str, expires: &str, signature: &str, now: i64| {
            signer.verify(path, Some(expires), Some(signature), now)
        };
        assert_eq!(check("/links/cof/cus_1", &expires, &signature, 999), Ok(()));
        assert_eq!(
            check("/links/cof/cus_1", &expires, &signature, 1_000),
            Err(LinkError::Expired)
        );
        assert_eq!(
            check("/links/cof/cus_2", &expires, &signature, 1),
            Err(LinkError::Invalid),
            "another customer"
        );
        assert_eq!(
            check("/links/cof/cus_1", "2000", &signature, 1),
            Err(LinkError::Invalid),
            "extended expiry"
        );
        let mut flipped = signature.clone().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(
            check("/links/cof/cus_1", &expires, &flipped, 1),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            signer.verify("/links/cof/cus_1", None, Some(&signature), 1),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            LinkSigner::new(b"other").verify(
                "/links/cof/cus_1",
                Some(&expires),
                Some(&signature),
                1
            ),
            Err(LinkError::Invalid),
            "another deployment"
        );
    }
}
