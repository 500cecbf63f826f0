//! TripConfig storage in `mogu_trip_configs`: a row per trip whose config was ever written,
//! holding the document (blocks, contact, slider, settings, theme) as JSON and a revision
//! each write increments. A trip without a row has the default config, built from its agent
//! and account at read time. Functions take a connection so that a caller can write a trip and
//! its config in one transaction; the revision check is part of the write statement itself,
//! so two writers (on one node or several) can never both win.

use moapi_core::db::{build, query_as_with};
use moapi_core::time::{iso_millis, now_micros};
use sea_query::{Expr, Iden, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::{AnyConnection, Connection, FromRow};

use super::wire::{ContactType, TripConfig, TripContact, TripSettings, SCHEMA_VERSION};

/// A config as read, with the revision its next write must name.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredConfig {
    /// 0 while the trip has its default config.
    pub revision: i64,
    pub config: TripConfig,
}

/// What [`save`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Written; the config as stored, with its new `version` and `updatedAt`.
    Written(Box<TripConfig>),
    /// The config's revision was no longer the one expected; nothing changed.
    Stale,
    /// No such trip.
    NoTrip,
}

/// The wire `version` of a revision: the schema version with the revision as build metadata
/// (`1.0.0+3`), so it stays a valid semantic version.
pub fn version_of(revision: i64) -> String {
    format!("{SCHEMA_VERSION}+{revision}")
}

/// The stored JSON: the config without `version` and `updatedAt`, which have columns.
#[derive(Serialize, Deserialize)]
struct Document {
    blocks: Vec<super::wire::Block>,
    contact: TripContact,
    slider: Vec<String>,
    settings: TripSettings,
    theme: Map<String, Value>,
}

impl Document {
    fn of(config: &TripConfig) -> Self {
        Document {
            blocks: config.blocks.clone(),
            contact: config.contact.clone(),
            slider: config.slider.clone(),
            settings: config.settings.clone(),
            theme: config.theme.clone(),
        }
    }

    fn into_config(self, revision: i64, updated_at: i64) -> TripConfig {
        TripConfig {
            version: version_of(revision),
            blocks: self.blocks,
            contact: self.contact,
            slider: self.slider,
            updated_at: iso_millis(updated_at),
            settings: self.settings,
            theme: self.theme,
        }
    }
}

/// A trip with what its default config needs, and its config row if it has one.
#[derive(FromRow)]
struct ConfigRow {
    trip_created_at: i64,
    date_expiration: Option<i64>,
    agent_name: String,
    agent_email: String,
    agent_picture_url: Option<String>,
    account_name: String,
    revision: Option<i64>,
    config: Option<String>,
    config_updated_at: Option<i64>,
}

impl ConfigRow {
    fn into_stored(self) -> Result<StoredConfig, sqlx::Error> {
        let (Some(revision), Some(config), Some(updated_at)) =
            (self.revision, &self.config, self.config_updated_at)
        else {
            return Ok(self.default_config());
        };
        let document: Document =
            serde_json::from_str(config).map_err(|err| sqlx::Error::ColumnDecode {
                index: "config".into(),
                source: Box::new(err),
            })?;
        Ok(StoredConfig {
            revision,
            config: document.into_config(revision, updated_at),
        })
    }

    /// The config of a trip that never had one: no blocks, the agent as contact, travelers
    /// may download a PDF but not copy, and an expiry when the trip has an expiration date.
    fn default_config(self) -> StoredConfig {
        let non_blank = |text: String| Some(text).filter(|text| !text.trim().is_empty());
        let document = Document {
            blocks: Vec::new(),
            contact: TripContact {
                agency_name: non_blank(self.account_name),
                agent_name: non_blank(self.agent_name),
                email: non_blank(self.agent_email),
                picture_url: self.agent_picture_url,
                contact_type: Some(ContactType::Agent),
                visible: Some(true),
                ..TripContact::default()
            },
            slider: Vec::new(),
            settings: TripSettings {
                can_download_pdf: true,
                can_create_copy: false,
                has_expiration: self.date_expiration.is_some(),
                share_on_whatsapp: None,
                other: Map::new(),
            },
            theme: Map::new(),
        };
        StoredConfig {
            revision: 0,
            config: document.into_config(0, self.trip_created_at),
        }
    }
}

/// The config of trip `trip_id` (its default while it never had one), whatever its account;
/// `None` when there is no such trip.
pub async fn load(
    conn: &mut AnyConnection,
    trip_id: i64,
) -> Result<Option<TripConfig>, sqlx::Error> {
    Ok(load_stored(conn, trip_id, None)
        .await?
        .map(|stored| stored.config))
}

/// Like [`load`] with the revision, limited to the trips of `account_id` when given.
pub async fn load_stored(
    conn: &mut AnyConnection,
    trip_id: i64,
    account_id: Option<i64>,
) -> Result<Option<StoredConfig>, sqlx::Error> {
    let row: Option<ConfigRow> = sqlx::query_as(
        "SELECT t.created_at AS trip_created_at, t.date_expiration, \
                g.name AS agent_name, g.email AS agent_email, g.picture_url AS agent_picture_url, \
                a.name AS account_name, \
                c.revision, c.config, c.updated_at AS config_updated_at \
         FROM mogu_trips t \
         JOIN mogu_agents g ON g.id = t.agent_id \
         JOIN mogu_accounts a ON a.id = t.account_id \
         LEFT JOIN mogu_trip_configs c ON c.trip_id = t.id \
         WHERE t.id = $1 AND ($2 IS NULL OR t.account_id = $2)",
    )
    .bind(trip_id)
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(ConfigRow::into_stored).transpose()
}

/// Writes `config` (already validated: see [`super::validate`]) as the config of trip
/// `trip_id`, whatever its account, and bumps the trip's `updatedAt`. With
/// `expected_revision`, only if the config is still at that revision (0: the trip has its
/// default config). Its `version` and `updatedAt` are ignored: the store sets them. Runs in a
/// transaction of its own, nested in the caller's if there is one.
pub async fn save(
    conn: &mut AnyConnection,
    trip_id: i64,
    config: &TripConfig,
    expected_revision: Option<i64>,
) -> Result<Saved, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let Some(updated_at) = touch_trip(&mut tx, trip_id, None, None).await? else {
        return Ok(Saved::NoTrip);
    };
    let saved = write(&mut tx, trip_id, config, expected_revision, updated_at).await?;
    if saved != Saved::Stale {
        tx.commit().await?;
    }
    Ok(saved)
}

/// Stores the config if its revision is still `expected_revision` (any revision when `None`),
/// stamped `updated_at`. The check and the write are one statement.
pub(super) async fn write(
    conn: &mut AnyConnection,
    trip_id: i64,
    config: &TripConfig,
    expected_revision: Option<i64>,
    updated_at: i64,
) -> Result<Saved, sqlx::Error> {
    let document = serde_json::to_string(&Document::of(config))
        .map_err(|err| sqlx::Error::Encode(Box::new(err)))?;
    let sql = match expected_revision {
        // The default config has no row: the first writer inserts it, a second finds it there.
        Some(0) => {
            "INSERT INTO mogu_trip_configs (trip_id, revision, config, updated_at) \
             VALUES ($1, 1, $2, $3) ON CONFLICT (trip_id) DO NOTHING RETURNING revision"
        }
        Some(_) => {
            "UPDATE mogu_trip_configs SET revision = revision + 1, config = $2, updated_at = $3 \
             WHERE trip_id = $1 AND revision = $4 RETURNING revision"
        }
        None => {
            "INSERT INTO mogu_trip_configs (trip_id, revision, config, updated_at) \
             VALUES ($1, 1, $2, $3) ON CONFLICT (trip_id) DO UPDATE SET \
             revision = mogu_trip_configs.revision + 1, config = excluded.config, \
             updated_at = excluded.updated_at RETURNING revision"
        }
    };
    let mut query = sqlx::query_as(sql)
        .bind(trip_id)
        .bind(document)
        .bind(updated_at);
    if let Some(revision) = expected_revision.filter(|revision| *revision != 0) {
        query = query.bind(revision);
    }
    let written: Option<(i64,)> = query.fetch_optional(&mut *conn).await?;
    Ok(match written {
        Some((revision,)) => Saved::Written(Box::new(
            Document::of(config).into_config(revision, updated_at),
        )),
        None => Saved::Stale,
    })
}

#[derive(Iden)]
enum MoguTrips {
    Table,
    Id,
    AccountId,
    IsPublic,
    UpdatedAt,
}

/// Bumps the `updatedAt` of trip `trip_id` (of `account_id` when given) and, when given, sets
/// its visibility; returns the new `updatedAt`, or `None` when there is no such trip. Every
/// bump moves it by at least a millisecond, the wire's resolution, so that each change shows.
/// In a transaction this is the first write, which also orders concurrent writers of one trip.
pub async fn touch_trip(
    conn: &mut AnyConnection,
    trip_id: i64,
    account_id: Option<i64>,
    is_public: Option<bool>,
) -> Result<Option<i64>, sqlx::Error> {
    let now = now_micros();
    let next = Expr::col(MoguTrips::UpdatedAt).add(1000);
    let mut update = Query::update();
    update
        .table(MoguTrips::Table)
        .value(
            MoguTrips::UpdatedAt,
            Expr::case(Expr::val(now).gte(next.clone()), now).finally(next),
        )
        .and_where(Expr::col(MoguTrips::Id).eq(trip_id))
        .returning_col(MoguTrips::UpdatedAt);
    if let Some(account_id) = account_id {
        update.and_where(Expr::col(MoguTrips::AccountId).eq(account_id));
    }
    if let Some(is_public) = is_public {
        update.value(MoguTrips::IsPublic, i64::from(is_public));
    }
    let (sql, values) = build(&update);
    let row: Option<(i64,)> = query_as_with(&sql, values)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(updated_at,)| updated_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{create_account, create_agent};
    use crate::test_support::TestDb;
    use crate::trip::config::wire::Block;
    use crate::trip::store::{find_trip, insert_trip, NewTrip};

    /// A database with one trip; returns it with the trip's account and id.
    async fn one_trip() -> (TestDb, i64, i64) {
        let db = TestDb::new().await;
        let mut conn = db.state.db.conn();
        let conn = conn.get().await.unwrap();
        let account = create_account(conn, "Agency").await.unwrap();
        let agent = create_agent(conn, account, "a@agency.example", "Ann", None)
            .await
            .unwrap();
        let trip = NewTrip {
            title: "Lisbon".into(),
            ..NewTrip::default()
        };
        let trip_id = insert_trip(conn, account, agent, &trip).await.unwrap();
        (db, account, trip_id)
    }

    #[tokio::test]
    async fn the_revision_check_is_part_of_the_write() {
        let (db, _, trip_id) = one_trip().await;
        let mut conn = db.state.db.conn();
        let conn = conn.get().await.unwrap();
        let mut config = load(conn, trip_id).await.unwrap().unwrap();
        assert_eq!(config.version, "1.0.0+0");
        assert_eq!(config.contact.agent_name.as_deref(), Some("Ann"));
        config.blocks = vec![Block::new("t", "title", None)];
        let first = write(conn, trip_id, &config, Some(0), 5).await.unwrap();
        let Saved::Written(first) = first else {
            panic!("the first writer of revision 0 wins: {first:?}")
        };
        assert_eq!(first.version, "1.0.0+1");
        for expected in [Some(0), Some(2), Some(-1)] {
            assert_eq!(
                write(conn, trip_id, &config, expected, 6).await.unwrap(),
                Saved::Stale,
                "{expected:?}"
            );
        }
        let again = write(conn, trip_id, &config, Some(1), 7).await.unwrap();
        assert!(matches!(again, Saved::Written(config) if config.version == "1.0.0+2"));
        let any = write(conn, trip_id, &config, None, 8).await.unwrap();
        assert!(matches!(any, Saved::Written(config) if config.version == "1.0.0+3"));
    }

    #[tokio::test]
    async fn a_stale_save_in_a_callers_transaction_leaves_the_trip_untouched() {
        let (db, account, trip_id) = one_trip().await;
        let mut conn = db.state.db.conn();
        let conn = conn.get().await.unwrap();
        // An updatedAt ahead of the clock makes each bump exactly one millisecond.
        sqlx::query("UPDATE mogu_trips SET updated_at = updated_at + 3600000000")
            .execute(&mut *conn)
            .await
            .unwrap();
        let before = find_trip(conn, account, trip_id).await.unwrap().unwrap();
        let mut tx = conn.begin().await.unwrap();
        let config = load(&mut tx, trip_id).await.unwrap().unwrap();
        let stale = save(&mut tx, trip_id, &config, Some(4)).await.unwrap();
        assert_eq!(stale, Saved::Stale);
        let Saved::Written(saved) = save(&mut tx, trip_id, &config, Some(0)).await.unwrap() else {
            panic!("revision 0 is current")
        };
        tx.commit().await.unwrap();
        let after = find_trip(conn, account, trip_id).await.unwrap().unwrap();
        assert_eq!(
            after.updated_at,
            before.updated_at + 1000,
            "one bump: the stale save's was rolled back"
        );
        assert_eq!(saved.updated_at, iso_millis(after.updated_at));
        assert_eq!(
            save(conn, trip_id + 1, &config, None).await.unwrap(),
            Saved::NoTrip
        );
        assert_eq!(load(conn, trip_id + 1).await.unwrap(), None);
    }
}
