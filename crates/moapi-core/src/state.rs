//! What every handler can reach: the database, the ID codec and the configuration.

use std::sync::Arc;

use crate::ratelimit::RateLimits;
use crate::signed_link::LinkSigner;
use crate::{Config, Db, IdCodec};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub ids: Arc<IdCodec>,
    pub config: Arc<Config>,
    pub rate_limits: Arc<RateLimits>,
    /// Signs and checks the links to pages served without authentication.
    pub links: Arc<LinkSigner>,
}

impl AppState {
    /// Connects, migrates and loads the deployment's ID secret.
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        let ids = IdCodec::load(&db, config.id_secret.as_deref()).await?;
        let links = LinkSigner::load(&db).await?;
        Ok(AppState {
            db,
            ids: Arc::new(ids),
            links: Arc::new(links),
            rate_limits: Arc::new(RateLimits::new(config.rate_limit_per_second)),
            config: Arc::new(config),
        })
    }
}
