//! `Conn::write_gate` on both databases: on SQLite a writer gives its connection back before
//! it waits for the gate; on PostgreSQL, which has no gate, it keeps it (giving it back made
//! every such write queue for a pooled connection twice).

mod common;

use std::time::Duration;

use moapi_core::db::{Backend, Db};

#[tokio::test]
async fn a_writer_gives_its_connection_back_only_where_it_waits_for_the_gate() {
    let app = common::spawn().await;
    // A pool of one connection of the test's own, so that nothing else takes it.
    let db = Db::connect(&app.state.config.database_url, Some(1))
        .await
        .unwrap();
    let mut writer = db.conn();
    writer.get().await.unwrap();
    let gate = writer.write_gate().await;
    let mut other = db.conn();
    let other_got_it = matches!(
        tokio::time::timeout(Duration::from_millis(300), other.get()).await,
        Ok(Ok(_))
    );
    match db.backend() {
        Backend::Sqlite => {
            assert!(gate.is_some());
            assert!(
                other_got_it,
                "the writer waits for the gate holding no connection"
            );
        }
        Backend::Postgres => {
            assert!(gate.is_none());
            assert!(
                !other_got_it,
                "the writer keeps its connection: there is no gate"
            );
        }
    }
}
