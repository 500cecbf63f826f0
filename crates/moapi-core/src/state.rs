//! What every handler can reach: the database, the ID codec, the configuration and the M2M
//! token keys.

use std::sync::Arc;

use crate::auth::KeyCache;
use crate::m2m::M2m;
use crate::ratelimit::RateLimits;
use crate::secret_box::SecretBox;
use crate::signed_link::LinkSigner;
use crate::{Config, Db, IdCodec};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// M2M token signing and verification (with this node's cache of external keys).
    pub m2m: Arc<M2m>,
    pub ids: Arc<IdCodec>,
    pub config: Arc<Config>,
    pub rate_limits: Arc<RateLimits>,
    /// The API keys this node found lately (see [`KeyCache`]).
    pub keys: Arc<KeyCache>,
    /// Signs and checks the links to pages served without authentication.
    pub links: Arc<LinkSigner>,
    /// Encrypts the secrets the API returns (webhook secret tokens) for storage.
    pub secrets: Arc<SecretBox>,
}

impl AppState {
    /// Connects, migrates and loads the deployment's ID secret.
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        let db = Db::connect(&config.database_url, config.db_pool).await?;
        db.migrate().await?;
        let m2m = M2m::load(&db, &config).await?;
        let ids = IdCodec::load(&db, config.id_secret.as_deref()).await?;
        let links = LinkSigner::load(&db).await?;
        let secrets = SecretBox::load(&db, config.secrets_key.as_deref()).await?;
        Ok(AppState {
            db,
            m2m: Arc::new(m2m),
            ids: Arc::new(ids),
            links: Arc::new(links),
            secrets: Arc::new(secrets),
            rate_limits: Arc::new(RateLimits::new(config.rate_limit_per_second)),
            keys: Arc::default(),
            config: Arc::new(config),
        })
    }
}

impl axum::extract::FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}
