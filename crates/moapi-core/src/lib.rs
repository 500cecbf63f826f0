//! The platform core shared by both APIs: configuration, storage, obfuscated IDs, API-key
//! authentication, the two error dialects, JSON wire helpers, pagination, the MOGU list query
//! language and the event outbox. Nothing here knows a vendor resource.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod group_commit;
pub mod ids;
pub mod m2m;
pub mod outbound;
pub mod outbox;
pub mod pagination;
pub mod query;
pub mod ratelimit;
pub mod rich_text;
pub mod route_catalog;
pub mod secret_box;
pub mod signed_link;
pub mod state;
pub mod time;
pub mod wire;
pub mod word_index;

pub use config::Config;
pub use db::Db;
pub use error::{Code, MoguError, Status};
pub use ids::{IdCodec, IdKind};
pub use state::AppState;
