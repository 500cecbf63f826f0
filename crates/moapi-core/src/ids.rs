//! MoeGo's obfuscated IDs (`cus_...`): a row's integer ID and a tag naming its kind are
//! encrypted as one AES block under the deployment's secret, then written in base58. IDs are
//! stable within a deployment, cannot be enumerated or forged without the secret, and an ID of
//! one kind never decodes as another.

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes128;
use rand::RngCore;
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
    CustomerTag,
    PetNote,
    PetCode,
    LeadLifeCycle,
    LeadActionStatus,
    Service,
    Lodging,
    LodgingUnit,
    ClosedDate,
    Block,
    AppointmentNote,
    PetServiceDetail,
    GroomingReport,
    OrderLineItem,
    OrderLineTax,
    OrderDiscount,
    OrderRedeemPackage,
    Payment,
    Refund,
    CustomField,
    ReferralSource,
    PetCoatType,
    PetSize,
    PetType,
    Webhook,
    WebhookDelivery,
    DiscountCode,
    Membership,
    Subscription,
    RetailPackage,
    CustomerPackage,
    PackageService,
    Product,
    Supplier,
    Van,
    AbandonedBooking,
    OnlineBooking,
    Agreement,
    AgreementRecord,
    MessageThread,
    Message,
    Review,
}

impl IdKind {
    const ALL: [IdKind; 54] = [
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
        IdKind::CustomerTag,
        IdKind::PetNote,
        IdKind::PetCode,
        IdKind::LeadLifeCycle,
        IdKind::LeadActionStatus,
        IdKind::Service,
        IdKind::Lodging,
        IdKind::LodgingUnit,
        IdKind::ClosedDate,
        IdKind::Block,
        IdKind::AppointmentNote,
        IdKind::PetServiceDetail,
        IdKind::GroomingReport,
        IdKind::OrderLineItem,
        IdKind::OrderLineTax,
        IdKind::OrderDiscount,
        IdKind::OrderRedeemPackage,
        IdKind::Payment,
        IdKind::Refund,
        IdKind::CustomField,
        IdKind::ReferralSource,
        IdKind::PetCoatType,
        IdKind::PetSize,
        IdKind::PetType,
        IdKind::Webhook,
        IdKind::WebhookDelivery,
        IdKind::DiscountCode,
        IdKind::Membership,
        IdKind::Subscription,
        IdKind::RetailPackage,
        IdKind::CustomerPackage,
        IdKind::PackageService,
        IdKind::Product,
        IdKind::Supplier,
        IdKind::Van,
        IdKind::AbandonedBooking,
        IdKind::OnlineBooking,
        IdKind::Agreement,
        IdKind::AgreementRecord,
        IdKind::MessageThread,
        IdKind::Message,
        IdKind::Review,
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
            IdKind::Van => "van",
            // Undocumented by the vendor (docs/compatibility.md).
            IdKind::CustomerTag => "ctag",
            IdKind::PetNote => "ptn",
            IdKind::PetCode => "pcd",
            IdKind::LeadLifeCycle => "llc",
            IdKind::LeadActionStatus => "las",
            IdKind::Service => "svc",
            IdKind::Lodging => "lod",
            IdKind::LodgingUnit => "lodu",
            IdKind::ClosedDate => "cld",
            IdKind::Block => "blk",
            IdKind::AppointmentNote => "apn",
            IdKind::PetServiceDetail => "psd",
            IdKind::GroomingReport => "grp",
            IdKind::OrderLineItem => "oli",
            IdKind::OrderLineTax => "olt",
            IdKind::OrderDiscount => "odc",
            IdKind::OrderRedeemPackage => "orp",
            IdKind::Payment => "pay",
            IdKind::Refund => "rfd",
            IdKind::CustomField => "cfd",
            IdKind::ReferralSource => "rfs",
            IdKind::PetCoatType => "pct",
            IdKind::PetSize => "psz",
            IdKind::PetType => "ptp",
            IdKind::Webhook => "whk",
            IdKind::WebhookDelivery => "whd",
            IdKind::DiscountCode => "dsc",
            IdKind::Membership => "mem",
            IdKind::Subscription => "sub",
            IdKind::RetailPackage => "pkg",
            IdKind::CustomerPackage => "cpk",
            IdKind::PackageService => "pks",
            IdKind::Product => "prd",
            IdKind::Supplier => "sup",
            IdKind::AbandonedBooking => "abk",
            IdKind::OnlineBooking => "bkg",
            IdKind::Agreement => "agr",
            IdKind::AgreementRecord => "agrr",
            IdKind::MessageThread => "thr",
            IdKind::Message => "msg",
            IdKind::Review => "rev",
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

/// The deployment's secret of that name: generated by the first node that needs it and kept
/// in the database, so that every node shares it.
pub async fn deployment_secret(db: &Db, name: &str) -> anyhow::Result<String> {
    let mut conn = db.conn();
    let conn = conn.get().await?;
    let mut fresh = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut fresh);
    sqlx::query(
        "INSERT INTO deployment_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(hex::encode(fresh))
    .execute(&mut *conn)
    .await?;
    let (secret,): (String,) =
        sqlx::query_as("SELECT value FROM deployment_settings WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?;
    Ok(secret)
}

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
        let secret = deployment_secret(db, SECRET_SETTING).await?;
        Ok(IdCodec::new(secret.as_bytes()))
    }

    pub fn encode(&self, kind: IdKind, raw: i64) -> String {
        let mut block = [0u8; 16];
        block[..8].copy_from_slice(&raw.to_be_bytes());
        block[8..].copy_from_slice(&self.tags[kind as usize]);
        let mut block = GenericArray::from(block);
        self.cipher.encrypt_block(&mut block);
        let prefix = kind.prefix();
        let mut id = String::with_capacity(prefix.len() + 1 + BASE58_DIGITS_OF_BLOCK);
        id.push_str(prefix);
        id.push('_');
        push_base58_block(&mut id, block.into());
        id
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

const BASE58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// The most base58 digits a 16-byte block takes (58^22 > 2^128).
const BASE58_DIGITS_OF_BLOCK: usize = 22;
/// 58^10, the largest power of 58 whose digits a u64 holds with room to spare.
const BASE58_CHUNK: u128 = 430_804_206_899_405_824;

/// Appends a block in base58 exactly as `bs58::encode` writes it (a `1` per leading zero byte,
/// then the number's digits), without its general quadratic loop: every ID in every response
/// goes through here, and list pages render hundreds of them.
fn push_base58_block(out: &mut String, block: [u8; 16]) {
    let zero_bytes = block.iter().take_while(|byte| **byte == 0).count();
    let mut number = u128::from_be_bytes(block);
    let mut digits = [0u8; BASE58_DIGITS_OF_BLOCK];
    let mut start = digits.len();
    while number > 0 {
        // Two u128 divisions split the number into u64 chunks of ten digits each.
        let mut chunk = (number % BASE58_CHUNK) as u64;
        number /= BASE58_CHUNK;
        for _ in 0..10 {
            if number == 0 && chunk == 0 {
                break;
            }
            start -= 1;
            digits[start] = BASE58_ALPHABET[(chunk % 58) as usize];
            chunk /= 58;
        }
    }
    out.extend(std::iter::repeat_n('1', zero_bytes));
    out.extend(digits[start..].iter().map(|digit| char::from(*digit)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_blocks_are_written_as_bs58_writes_them() {
        let mut blocks = vec![[0u8; 16], [0xff; 16], [1; 16]];
        let mut one = [0u8; 16];
        one[15] = 1;
        blocks.push(one);
        let mut leading_zeros = [7u8; 16];
        leading_zeros[..3].fill(0);
        blocks.push(leading_zeros);
        let mut rng = rand::thread_rng();
        for _ in 0..10_000 {
            let mut block = [0u8; 16];
            rng.fill_bytes(&mut block);
            block[..rng.next_u32() as usize % 4].fill(0);
            blocks.push(block);
        }
        for block in blocks {
            let mut ours = String::new();
            push_base58_block(&mut ours, block);
            assert_eq!(ours, bs58::encode(block).into_string(), "{block:?}");
        }
    }

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
