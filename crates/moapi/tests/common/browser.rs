//! Headless Chromium for the page tests: a chromedriver on loopback and the few actions the
//! tests take (click, type).

use std::time::Duration;

use serde_json::json;

/// A chromedriver on a free port of loopback, driving headless Chromium; stopped on drop.
pub struct Driver {
    process: tokio::process::Child,
    url: String,
}

impl Driver {
    pub async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .kill_on_drop(true)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("{CHROMEDRIVER} starts ({err}); install it with `apt-get install -y chromium-driver` (scripts/test does so)")
            });
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Driver { process, url };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not listen on {port}");
    }

    pub async fn browser(&self) -> fantoccini::Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({"binary": "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}),
        );
        // chromedriver speaks plain HTTP on loopback: no TLS.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        fantoccini::ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("chromedriver opens a session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.start_kill();
    }
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Clicks the element `css` names.
pub async fn click(browser: &fantoccini::Client, css: &str) {
    browser
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css}: {err}"))
        .click()
        .await
        .unwrap_or_else(|err| panic!("click {css}: {err}"));
}

pub async fn type_into(browser: &fantoccini::Client, name: &str, text: &str) {
    let field = browser
        .find(fantoccini::Locator::Css(&format!("[name=\"{name}\"]")))
        .await
        .unwrap_or_else(|err| panic!("{name}: {err}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}
