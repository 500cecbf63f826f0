//! `moapi serve --demo` as a newcomer runs it: the real binary, its output and its exit; and
//! the warning `serve` logs when it is reachable beyond loopback without `MOAPI_SECRETS_KEY`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A SQLite file path in a fresh temporary directory, removed with it.
struct TempDb {
    dir: PathBuf,
}

impl TempDb {
    fn new() -> TempDb {
        let dir =
            std::env::temp_dir().join(format!("moapi-serve-start-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDb { dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.join("moapi.db")
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.file().display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn moapi() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_moapi"));
    // The printed links must come from --listen, whatever the caller's environment says.
    command
        .env_remove("MOAPI_PUBLIC_URL")
        .env("MOAPI_LOG", "error")
        .stdin(Stdio::null());
    command
}

#[test]
fn a_taken_address_stops_serve_demo_before_it_seeds_or_prints_anything() {
    // Held for the whole run, as another moapi on that port would.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let db = TempDb::new();
    let output = moapi()
        .args(["serve", "--demo", "--listen", &address])
        .args(["--database-url", &db.url()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stderr.contains(&address) && stderr.contains("Address already in use"),
        "the error names the address: {stderr}"
    );
    for printed in ["Authorization", "curl", "http://"] {
        assert!(
            !stdout.contains(printed) && !stderr.contains(printed),
            "printed {printed:?} for a port another process answers\nstdout: {stdout}\nstderr: {stderr}"
        );
    }
    // The address is bound before the database is opened, so nothing was created or seeded.
    assert!(
        !db.file().exists(),
        "the database was touched before the address was bound"
    );
    drop(taken);
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_demo_on_port_zero_prints_keys_for_the_port_it_got_and_answers_there() {
    let db = TempDb::new();
    let mut server = Server(
        moapi()
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .args(["--database-url", &db.url()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Lines arrive on a thread so that a server that never prints fails the test, not hangs it.
    let stdout = server.0.stdout.take().unwrap();
    let (lines, printed) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut output = Vec::new();
    let base = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = printed
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no docs link within two minutes: {output:#?}"));
        if let Some(base) = line.trim().strip_prefix("Docs: ") {
            break base.trim_end_matches("/docs").to_string();
        }
        output.push(line);
    };
    let port = base
        .strip_prefix("http://127.0.0.1:")
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("links name the bound port, not 0: {base}"));
    assert_ne!(port, 0, "links name the bound port");
    let text = output.join("\n");
    assert!(text.contains("Authorization: Basic "), "{text}");
    assert!(text.contains("Authorization: Bearer ak_"), "{text}");
    assert!(
        text.contains(&format!("curl -s -X POST {base}/v1/")),
        "{text}"
    );

    let get = |target: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    };
    let reply = get("/healthz");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains(r#"{"status":"ok"}"#), "{reply}");
    // The printed review link opens the review form of a finished demo visit.
    let review = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("review "))
        .unwrap_or_else(|| panic!("a review link: {text}"))
        .trim();
    let target = review
        .strip_prefix(&base)
        .unwrap_or_else(|| panic!("the review link is under {base}: {review}"));
    assert!(target.starts_with("/links/reviews/apt_"), "{target}");
    let page = get(target);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("How was your visit?"), "{page}");
}

#[test]
fn the_secrets_key_warning_is_for_servers_reachable_beyond_loopback_without_a_key() {
    use moapi::server::secrets_key_warning;
    let at = |address: &str| address.parse().unwrap();
    let warning = secrets_key_warning(at("0.0.0.0:8080"), false).expect("a warning");
    assert!(warning.contains("MOAPI_SECRETS_KEY"), "{warning}");
    assert!(secrets_key_warning(at("192.0.2.10:8080"), false).is_some());
    assert!(secrets_key_warning(at("[::]:8080"), false).is_some());
    for loopback in [
        "127.0.0.1:8080",
        "127.1.2.3:80",
        "[::1]:8080",
        "[::ffff:127.0.0.1]:8080",
    ] {
        assert_eq!(secrets_key_warning(at(loopback), false), None, "{loopback}");
    }
    assert_eq!(secrets_key_warning(at("0.0.0.0:8080"), true), None);
}

/// What `moapi serve --listen LISTEN` logs at warning level and above before it serves, with
/// `MOAPI_SECRETS_KEY` set to `secrets_key` or unset.
fn logged_before_serving(listen: &str, secrets_key: Option<&str>) -> String {
    let db = TempDb::new();
    let mut command = moapi();
    command
        .args(["serve", "--listen", listen, "--database-url", &db.url()])
        .env("MOAPI_LOG", "warn,moapi=info")
        .env_remove("MOAPI_SECRETS_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(key) = secrets_key {
        command.env("MOAPI_SECRETS_KEY", key);
    }
    let mut server = Server(command.spawn().unwrap());
    let stderr = server.0.stderr.take().unwrap();
    let (lines, logged) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut output = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = logged
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("not serving within two minutes: {output:#?}"));
        if line.contains("moapi listening") {
            return output.join("\n");
        }
        output.push(line);
    }
}

#[test]
fn serve_warns_when_reachable_beyond_loopback_without_a_secrets_key() {
    let logged = logged_before_serving("0.0.0.0:0", None);
    assert!(
        logged.contains("WARN") && logged.contains("MOAPI_SECRETS_KEY is not set"),
        "{logged}"
    );
    let logged = logged_before_serving("127.0.0.1:0", None);
    assert!(!logged.contains("MOAPI_SECRETS_KEY"), "{logged}");
    let logged = logged_before_serving("0.0.0.0:0", Some("a-configured-key"));
    assert!(!logged.contains("MOAPI_SECRETS_KEY"), "{logged}");
}
