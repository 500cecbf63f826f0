//! Test helpers: a migrated SQLite database of its own per test, removed afterwards, and the
//! JSON body of a MOGU error.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::response::IntoResponse;
use moapi_core::{AppState, Config, MoguError};

/// A fresh database file; deleted (with its WAL files) when dropped.
pub struct TestDb {
    path: PathBuf,
    pub state: AppState,
}

impl TestDb {
    pub async fn new() -> TestDb {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "moapi-mogu-test-{}-{}.db",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let url = format!("sqlite://{}", path.display());
        let state = AppState::open(Config::new(url))
            .await
            .expect("test database");
        TestDb { path, state }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = self.path.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
}

/// The `errors` member of a MOGU error's body.
pub fn errors_of(error: MoguError) -> serde_json::Value {
    let response = error.into_response();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let bytes = runtime
        .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
        .expect("body");
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON body");
    body["errors"].clone()
}
