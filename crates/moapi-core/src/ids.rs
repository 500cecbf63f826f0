//! MoeGo's obfuscated IDs (`cus_...`): a row's integer ID and a tag naming its kind are
//! encrypted as one AES block under the deployment's secret, then written in base58. IDs are
//! stable within a deployment, cannot be enumerated or forged without the secret, and an ID of
//! one kind never decodes as another.

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes128;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::Db;

/// The kinds of MoeGo resources with a public ID, with the vendor's documented prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Company,
    Business,
    Staff,
    Role,
    Address,
    Customer,
    CustomerNote,
    Lead,
    Pet,
    Appointment,
    Order,
    Event,
}

impl IdKind {
    const ALL: [IdKind; 12] = [
        IdKind::Company,
        IdKind::Business,
        IdKind::Staff,
        IdKind::Role,
        IdKind::Address,
        IdKind::Customer,
        IdKind::CustomerNote,
        IdKind::Lead,
        IdKind::Pet,
        IdKind::Appointment,
        IdKind::Order,
        IdKind::Event,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            IdKind::Company => "cmp",
            IdKind::Business => "bus",
            IdKind::Staff => "stf",
            IdKind::Role => "rol",
            IdKind::Address => "adr",
            IdKind::Customer => "cus",
            IdKind::CustomerNote => "cxn",
            IdKind::Lead => "lcus",
            IdKind::Pet => "pet",
            IdKind::Appointment => "apt",
            IdKind::Order => "ord",
            IdKind::Event => "evt",
        }
    }

    /// The kind's tag: the first bytes of its prefix's SHA-256, so kinds never collide.
    fn compute_tag(self) -> [u8; 8] {
        let digest = Sha256::digest(self.prefix().as_bytes());
        digest[..8]
            .try_into()
            .expect("a SHA-256 digest has 32 bytes")
    }
}

/// An ID that does not decode: malformed, tampered with, of another kind or another deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidId;

pub struct IdCodec {
    cipher: Aes128,
    /// Each kind's tag, indexed by `IdKind as usize`, computed once: IDs are encoded by the
    /// thousand in list responses.
    tags: [[u8; 8]; IdKind::ALL.len()],
}

const SECRET_SETTING: &str = "id_secret";

impl IdCodec {
    pub fn new(secret: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"moapi-ids-v1:");
        hasher.update(secret);
        let key = hasher.finalize();
        IdCodec {
            cipher: Aes128::new(GenericArray::from_slice(&key[..16])),
            tags: IdKind::ALL.map(IdKind::compute_tag),
        }
    }

    /// Uses the configured secret, or the deployment's own, created on first start and kept in
    /// the database so that every node shares it.
    pub async fn load(db: &Db, configured: Option<&str>) -> anyhow::Result<Self> {
        if let Some(secret) = configured {
            return Ok(IdCodec::new(secret.as_bytes()));
        }
        let secret = db.deployment_secret(SECRET_SETTING).await?;
        Ok(IdCodec::new(secret.as_bytes()))
    }

    pub fn encode(&self, kind: IdKind, raw: i64) -> String {
        let mut block = [0u8; 16];
        block[..8].copy_from_slice(&raw.to_be_bytes());
        block[8..].copy_from_slice(&self.tags[kind as usize]);
        let mut block = GenericArray::from(block);
        self.cipher.encrypt_block(&mut block);
        format!("{}_{}", kind.prefix(), bs58::encode(block).into_string())
    }

    pub fn decode(&self, kind: IdKind, id: &str) -> Result<i64, InvalidId> {
        let body = id
            .strip_prefix(kind.prefix())
            .and_then(|rest| rest.strip_prefix('_'))
            .ok_or(InvalidId)?;
        let mut bytes = [0u8; 16];
        let len = bs58::decode(body)
            .onto(&mut bytes[..])
            .map_err(|_| InvalidId)?;
        if len != 16 {
            return Err(InvalidId);
        }
        let mut block = GenericArray::from(bytes);
        self.cipher.decrypt_block(&mut block);
        if !bool::from(block[8..].ct_eq(&self.tags[kind as usize])) {
            return Err(InvalidId);
        }
        let raw = i64::from_be_bytes(block[..8].try_into().map_err(|_| InvalidId)?);
        if raw <= 0 {
            return Err(InvalidId);
        }
        Ok(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_tag_at_its_index() {
        let codec = IdCodec::new(b"secret");
        for (index, kind) in IdKind::ALL.iter().enumerate() {
            assert_eq!(
                *kind as usize, index,
                "ALL lists kinds in declaration order"
            );
            assert_eq!(codec.tags[index], kind.compute_tag());
        }
        let mut tags = codec.tags.to_vec();
        tags.sort();
        tags.dedup();
        assert_eq!(tags.len(), IdKind::ALL.len());
    }

    #[test]
    fn ids_round_trip_and_reject_tampering() {
        let codec = IdCodec::new(b"secret");
        let id = codec.encode(IdKind::Company, 42);
        assert!(id.starts_with("cmp_"));
        assert_eq!(codec.decode(IdKind::Company, &id), Ok(42));
        assert_eq!(codec.encode(IdKind::Company, 42), id, "stable");
        assert_ne!(codec.encode(IdKind::Company, 43), id);
        // Another kind, another deployment, a changed character: all refused.
        let as_business = id.replacen("cmp_", "bus_", 1);
        assert_eq!(codec.decode(IdKind::Business, &as_business), Err(InvalidId));
        assert_eq!(
            IdCodec::new(b"other").decode(IdKind::Company, &id),
            Err(InvalidId)
        );
        let mut tampered = id.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(codec.decode(IdKind::Company, &tampered), Err(InvalidId));
        for junk in [
            "",
            "cmp_",
            "cmp_0OIl",
            "42",
            "cmp_!!!",
            "cmp_1111111111111111111111111111111111",
        ] {
            assert_eq!(
                codec.decode(IdKind::Company, junk),
                Err(InvalidId),
                "{junk}"
            );
        }
    }
}
