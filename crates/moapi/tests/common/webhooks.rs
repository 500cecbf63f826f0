//! Helpers of the webhook subscription tests: request bodies naming the fixtures'
//! organizations, the create call, and keys of other reaches.

use moapi::operator::MoegoKeyRequest;
use reqwest::Method;
use serde_json::{json, Value};

use super::{Reply, TestApp};

pub const WEBHOOK: &str = "webhook/v1/webhook_service.swagger.json";

/// A public address the SSRF guard permits without resolving anything (nothing connects to
/// it: subscriptions are only stored).
pub fn public_url(path: &str) -> String {
    format!("https://1.1.1.1/{path}")
}

impl TestApp {
    /// `{"id": <company index>, "type": "COMPANY"}`.
    pub fn company_organization(&self, index: usize) -> Value {
        json!({"id": self.seed.moego[index].company_id, "type": "COMPANY"})
    }

    /// A create body for company `index` listening to customer events.
    pub fn webhook_body(&self, index: usize, url: &str) -> Value {
        json!({
            "endpointUrl": url,
            "eventTypes": ["CUSTOMER_CREATED"],
            "organizations": [self.company_organization(index)],
        })
    }

    pub async fn create_webhook(&self, auth: &str, body: Value) -> Reply {
        self.moego_post(auth, "/v1/webhooks", body).await
    }

    /// Creates a webhook that must be accepted and returns its ID.
    pub async fn created_webhook(&self, auth: &str, body: Value) -> String {
        let reply = self.create_webhook(auth, body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["id"].as_str().unwrap().to_string()
    }

    pub async fn put_webhook(&self, auth: &str, id: &str, body: Value) -> Reply {
        self.moego_request(Method::PUT, auth, &format!("/v1/webhooks/{id}"), Some(body))
            .await
    }

    pub async fn delete_webhook(&self, auth: &str, id: &str) -> Reply {
        self.moego_request(Method::DELETE, auth, &format!("/v1/webhooks/{id}"), None)
            .await
    }

    pub async fn list_webhooks(&self, auth: &str, body: Value) -> Reply {
        self.moego_post(auth, "/v1/webhooks:list", body).await
    }

    /// A key of the whole client of company `index` (an IP restriction instead of an
    /// organization one), so it reaches every organization of the client.
    pub async fn client_wide_auth(&self, index: usize) -> String {
        self.issue_moego_key(MoegoKeyRequest {
            company: self.seed.moego[index].company_id.clone(),
            allowed_ips: vec!["127.0.0.0/8".into()],
            ..Default::default()
        })
        .await
        .authorization
    }
}

/// The IDs of a list reply's webhooks, in order.
pub fn webhook_ids(reply: &Reply) -> Vec<String> {
    reply.body["webhooks"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", reply.text))
        .iter()
        .map(|webhook| webhook["id"].as_str().unwrap().to_string())
        .collect()
}
