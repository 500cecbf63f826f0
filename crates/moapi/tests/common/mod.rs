//! Test harness: every test gets its own server on 127.0.0.1:0 and its own fresh database —
//! SQLite in a temp file by default, or a new PostgreSQL database when
//! `MOAPI_TEST_DATABASE_URL` names a server — seeded with two tenants of each product.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod booking;
pub mod browser;
pub mod catalogs;
pub mod fidelity;
pub mod orders;
pub mod pets;
pub mod route_catalog;
pub mod settings_services;
pub mod webhook_deliveries;
pub mod webhooks;

use moapi::fixtures::Fixtures;
use moapi::operator::{self, IssuedMoegoKey, MoegoKeyRequest, SeedReport};
use moapi_core::{AppState, Config};
use serde_json::Value;

pub const ADMIN_TOKEN: &str = "test-admin-token";

pub const FIXTURES: &str = r#"
moego:
  - name: Org A
    companies:
      - name: Alpha Grooming
        country: US
        timezone: America/New_York
        businesses:
          - { name: Alpha One, phone: "+12125550100", address: { address1: 1 Main St, city: New York, state: NY, postalCode: "10001", country: US, type: PRIMARY } }
          - { name: Alpha Two }
        staff:
          - { firstName: Ann, lastName: Lee, role: Owner, hiredTime: "2024-01-02T03:04:05Z", businesses: [Alpha One, Alpha Two] }
          - { firstName: Bob, role: Groomer, businesses: [Alpha Two] }
          - { firstName: Cid, deleted: true }
  - name: Org B
    companies:
      - name: Beta Boarding
        businesses:
          - { name: Beta One }
        staff:
          - { firstName: Dee, businesses: [Beta One] }
mogu:
  - name: Account A
    agents:
      - { email: a1@a.example, name: Agent A1, pictureUrl: "https://img.example/a1.png" }
      - { email: a2@a.example, name: Agent A2 }
  - name: Account B
    agents:
      - { email: b1@b.example, name: Agent B1 }
"#;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub seed: SeedReport,
    database: TestDatabase,
    server: tokio::task::JoinHandle<()>,
}

enum TestDatabase {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        match &self.database {
            TestDatabase::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            TestDatabase::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop needs its own runtime: the test's may be shutting down.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let pool = sqlx::PgPool::connect(&admin_url).await?;
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&pool)
                            .await?;
                        Ok::<_, sqlx::Error>(())
                    })?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
                .join();
            }
        }
    }
}

async fn fresh_database() -> (String, TestDatabase) {
    let unique = format!("moapi_t_{:016x}", rand::random::<u64>());
    match std::env::var("MOAPI_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let pool = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("connect to MOAPI_TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE \"{unique}\""))
                .execute(&pool)
                .await
                .expect("create a test database");
            pool.close().await;
            let (server, _) = admin_url
                .rsplit_once('/')
                .expect("a postgres URL with a database");
            (
                format!("{server}/{unique}"),
                TestDatabase::Postgres {
                    admin_url,
                    name: unique,
                },
            )
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{unique}.db"));
            (
                format!("sqlite://{}", path.display()),
                TestDatabase::Sqlite(path),
            )
        }
    }
}

/// A test app with the demo set seeded: Happy Paws' key, company and businesses, and the
/// other demo company's key.
pub struct HappyPaws {
    pub app: TestApp,
    pub auth: String,
    pub company: String,
    pub downtown: String,
    pub mission: String,
    pub other_auth: String,
}

pub async fn happy_paws(configure: impl FnOnce(&mut Config)) -> HappyPaws {
    let app = spawn_with(configure).await;
    let report = operator::seed(&app.state, &mut app.state.db.conn(), Fixtures::demo())
        .await
        .expect("the demo set seeds");
    let happy_paws = &report.moego[0];
    HappyPaws {
        auth: happy_paws.authorization.clone(),
        company: happy_paws.company_id.clone(),
        downtown: happy_paws.business_ids[0].clone(),
        mission: happy_paws.business_ids[1].clone(),
        other_auth: report.moego[1].authorization.clone(),
        app,
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let (url, database) = fresh_database().await;
    let mut config = Config::new(url);
    config.admin_token = Some(ADMIN_TOKEN.to_string());
    configure(&mut config);
    let state = AppState::open(config)
        .await
        .expect("open the test database");
    let seed = operator::seed(
        &state,
        &mut state.db.conn(),
        Fixtures::parse(FIXTURES).expect("fixtures parse"),
    )
    .await
    .expect("seed the fixtures");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server_state = state.clone();
    let server = tokio::spawn(async move {
        moapi::server::serve(listener, server_state, std::future::pending())
            .await
            .unwrap();
    });
    TestApp {
        base,
        client: reqwest::Client::new(),
        state,
        seed,
        database,
        server,
    }
}

impl TestApp {
    /// Starts another node on this app's database, as a second process of one deployment
    /// would run; it shares nothing with the first but the database. Returns its base URL.
    pub async fn second_node(&self) -> (String, tokio::task::JoinHandle<()>) {
        self.second_node_with(|_| {}).await
    }

    /// [`Self::second_node`] with its own settings.
    pub async fn second_node_with(
        &self,
        configure: impl FnOnce(&mut Config),
    ) -> (String, tokio::task::JoinHandle<()>) {
        let mut config = (*self.state.config).clone();
        configure(&mut config);
        let state = AppState::open(config)
            .await
            .expect("a second node opens the database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            moapi::server::serve(listener, state, std::future::pending())
                .await
                .unwrap();
        });
        (base, server)
    }
}

impl TestApp {
    /// Stops this app's server and everything it runs in the background, as if its process
    /// died; the database stays.
    pub fn stop_server(&self) {
        self.server.abort();
    }
}

/// A response's status and JSON body (`Value::Null` when the body is not JSON).
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The `Authorization` value of company `index` of the fixtures (0 = Alpha, 1 = Beta).
    pub fn moego_auth(&self, index: usize) -> String {
        self.seed.moego[index].authorization.clone()
    }

    /// The bearer value of MOGU agent `index` (0 = a1, 1 = a2, 2 = b1).
    pub fn mogu_auth(&self, index: usize) -> String {
        format!("Bearer {}", self.seed.mogu[index].api_key)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    pub async fn moego_post(&self, auth: &str, path: &str, body: Value) -> Reply {
        self.send(
            self.client
                .post(self.url(path))
                .header("authorization", auth)
                .json(&body),
        )
        .await
    }

    /// Issues a MoeGo key as the operator would, panicking on refusal.
    pub async fn issue_moego_key(&self, request: MoegoKeyRequest) -> IssuedMoegoKey {
        operator::create_moego_key(&self.state, &mut self.state.db.conn(), &request)
            .await
            .expect("the operator issues the key")
    }

    /// Creates a MOGU trip as the agent behind `auth`.
    pub async fn create_trip(&self, auth: &str, body: Value) -> Reply {
        self.send(
            self.client
                .post(self.url("/trips"))
                .header("authorization", auth)
                .json(&body),
        )
        .await
    }

    /// A request to the operator API carrying the test's operator token.
    pub fn admin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(&format!("/admin/v1{path}")))
            .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
    }

    pub async fn moego_get(&self, auth: &str, path: &str) -> Reply {
        self.send(
            self.client
                .get(self.url(path))
                .header("authorization", auth),
        )
        .await
    }
}

/// An answer read off a raw connection, for requests reqwest will not write.
pub struct RawReply {
    pub status: u16,
    /// The status line and header fields.
    pub head: String,
    pub body: String,
}

impl RawReply {
    /// A header field's value (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.split("\r\n").skip(1).find_map(|line| {
            let (field, value) = line.split_once(':')?;
            field.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Reads one answer: its head, then as much body as its Content-Length says (or up to the end
/// of the connection).
pub async fn read_raw_reply(stream: &mut tokio::net::TcpStream) -> RawReply {
    use tokio::io::AsyncReadExt;
    let mut data = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = head
                .split("\r\n")
                .find_map(|line| {
                    let (field, value) = line.split_once(':')?;
                    field
                        .eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|code| code.parse().ok())
                    .expect("a status line");
                let body = String::from_utf8_lossy(&data[end + 4..end + 4 + length]).to_string();
                return RawReply { status, head, body };
            }
        }
        let read = tokio::time::timeout(std::time::Duration::from_secs(40), stream.read(&mut buf))
            .await
            .expect("an answer within 40 s");
        match read {
            Ok(0) | Err(_) => panic!(
                "the connection ended before a whole answer: {:?}",
                String::from_utf8_lossy(&data)
            ),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

impl TestApp {
    /// The server's `host:port`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Writes `request` byte for byte on a new connection and reads one answer.
    pub async fn raw(&self, request: &[u8]) -> RawReply {
        use tokio::io::AsyncWriteExt;
        let mut stream = tokio::net::TcpStream::connect(self.addr()).await.unwrap();
        stream.write_all(request).await.unwrap();
        read_raw_reply(&mut stream).await
    }
}
