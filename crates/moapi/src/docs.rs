//! Each product's OpenAPI document, generated from the code, and a self-contained HTML page at
//! `/docs` that renders both (no scripts, no external assets: it works offline).

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use moapi_core::route_catalog::Operation;
use moapi_core::AppState;
use serde_json::Value;

struct Product {
    title: &'static str,
    spec_path: &'static str,
    auth: &'static str,
    document: fn() -> utoipa::openapi::OpenApi,
    catalog: &'static [Operation],
}

const PRODUCTS: [Product; 2] = [
    Product {
        title: "MoeGo API",
        spec_path: "/moego/openapi.json",
        auth: "Authorization: Basic <base64 of the API key>",
        document: moapi_moego::openapi,
        catalog: moapi_moego::reference::OPERATIONS,
    },
    Product {
        title: "MOGU API",
        spec_path: "/mogu/openapi.json",
        auth: "Authorization: Bearer ak_... (or an M2M token from POST /oauth/token, with x-on-behalf-of)",
        document: moapi_mogu::openapi,
        catalog: moapi_mogu::reference::OPERATIONS,
    },
];

fn document_json(index: usize) -> &'static str {
    static DOCUMENTS: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    DOCUMENTS[index].get_or_init(|| {
        (PRODUCTS[index].document)()
            .to_pretty_json()
            .expect("an OpenAPI document serializes")
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/moego/openapi.json",
            get(|| async { json_response(document_json(0)) }),
        )
        .route(
            "/mogu/openapi.json",
            get(|| async { json_response(document_json(1)) }),
        )
        .route("/docs", get(|| async { Html(docs_page()) }))
}

fn json_response(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], body)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Operations a document describes, as (METHOD, path, summary).
fn operations(document: &Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let summary = operation["summary"]
                    .as_str()
                    .or(operation["description"].as_str())
                    .unwrap_or_default();
                found.push((
                    method.to_uppercase(),
                    path.clone(),
                    summary.lines().next().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    found
}

fn docs_page() -> String {
    let mut html = String::from(concat!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>moapi API documentation</title><style>",
        "body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1d2330}",
        "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #e3e6ec;padding:.35rem .5rem;text-align:left;vertical-align:top}",
        "code{background:#f3f4f7;padding:.1rem .3rem;border-radius:4px}.m{font-weight:600;font-family:monospace}",
        "pre{background:#f6f8fa;padding:.75rem;overflow:auto;font-size:12px}details{margin:.25rem 0}",
        "</style></head><body><h1>moapi API documentation</h1>",
        "<p>moapi serves the MoeGo and MOGU APIs. Each section lists the operations built, their machine-readable ",
        "OpenAPI document, and the operations of the vendor reference that are not built yet.</p>"
    ));
    for (index, product) in PRODUCTS.iter().enumerate() {
        let document: Value = serde_json::from_str(document_json(index)).unwrap_or_default();
        let built = operations(&document);
        html.push_str(&format!(
            "<h2>{}</h2><p>OpenAPI: <a href=\"{1}\"><code>{1}</code></a> &middot; authentication: <code>{2}</code></p>",
            escape(product.title),
            product.spec_path,
            escape(product.auth)
        ));
        html.push_str("<h3>Built</h3><table><tr><th>Method</th><th>Path</th><th>Summary</th></tr>");
        for (method, path, summary) in &built {
            html.push_str(&format!(
                "<tr><td class=\"m\">{method}</td><td><code>{}</code></td><td>{}</td></tr>",
                escape(path),
                escape(summary)
            ));
        }
        html.push_str("</table><h3>Not built yet</h3>");
        let unbuilt: Vec<_> = product
            .catalog
            .iter()
            .filter(|operation| {
                !built
                    .iter()
                    .any(|(m, p, _)| m == operation.method && p == operation.path)
            })
            .collect();
        if unbuilt.is_empty() {
            html.push_str("<p>None: every operation of the reference is built.</p>");
        } else {
            html.push_str("<table><tr><th>Method</th><th>Path</th><th>Operation</th></tr>");
            for operation in unbuilt {
                html.push_str(&format!(
                    "<tr><td class=\"m\">{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    operation.method,
                    escape(operation.path),
                    escape(operation.operation_id)
                ));
            }
            html.push_str("</table>");
        }
        html.push_str("<h3>Schemas</h3>");
        if let Some(schemas) = document["components"]["schemas"].as_object() {
            for (name, schema) in schemas {
                html.push_str(&format!(
                    "<details><summary><code>{}</code></summary><pre>{}</pre></details>",
                    escape(name),
                    escape(&serde_json::to_string_pretty(schema).unwrap_or_default())
                ));
            }
        }
    }
    html.push_str("</body></html>");
    html
}
