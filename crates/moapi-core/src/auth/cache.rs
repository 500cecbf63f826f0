//! Each node's memory of the keys it found lately, so that checking a request's key usually
//! costs no database statement. An entry is trusted for [`KEY_CHECK_TTL`] from the moment the
//! lookup that found it began: a key revoked on any node (or by `moapi keys revoke`) is refused
//! by every node within that bound, and the node that revokes a key forgets it at once. Only
//! keys found active are remembered, so a stream of wrong keys adds nothing and the memory
//! holds at most the keys used within the last bound.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use super::{MoegoPrincipal, MoguPrincipal};

/// How long a node trusts an earlier lookup of a key.
pub const KEY_CHECK_TTL: Duration = Duration::from_secs(1);

/// What a key lookup found: the caller, before the per-request checks (source address, rate).
#[derive(Clone)]
pub(crate) enum KnownKey {
    Moego(MoegoPrincipal),
    Mogu(MoguPrincipal),
}

impl KnownKey {
    fn key_id(&self) -> &str {
        match self {
            KnownKey::Moego(principal) => &principal.key_id,
            KnownKey::Mogu(principal) => &principal.key_id,
        }
    }
}

#[derive(Default)]
pub struct KeyCache {
    entries: RwLock<Entries>,
}

struct Entries {
    /// By the secret's hash: the key and when the lookup that found it began.
    by_hash: HashMap<String, (KnownKey, Instant)>,
    swept_at: Instant,
}

impl Default for Entries {
    fn default() -> Self {
        Entries {
            by_hash: HashMap::new(),
            swept_at: Instant::now(),
        }
    }
}

impl KeyCache {
    /// The key whose secret hashes to `hash`, when a lookup found it active within the bound.
    pub(crate) fn get(&self, hash: &str) -> Option<KnownKey> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let (key, looked_up) = entries.by_hash.get(hash)?;
        (looked_up.elapsed() < KEY_CHECK_TTL).then(|| key.clone())
    }

    /// Remembers an active key found by a lookup that began at `lookup_began`.
    pub(crate) fn remember(&self, hash: String, key: KnownKey, lookup_began: Instant) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        // Expired entries go at most once per bound, so a remembered key costs O(1) amortized.
        if entries.swept_at.elapsed() >= KEY_CHECK_TTL {
            entries
                .by_hash
                .retain(|_, (_, looked_up)| looked_up.elapsed() < KEY_CHECK_TTL);
            entries.swept_at = Instant::now();
        }
        entries.by_hash.insert(hash, (key, lookup_began));
    }

    /// Forgets the key `key_id` at once (it was revoked on this node).
    pub fn forget(&self, key_id: &str) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        entries.by_hash.retain(|_, (key, _)| key.key_id() != key_id);
    }
}
