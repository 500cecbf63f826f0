//! Helpers of the service catalog and lodging tests: the company's staff IDs, the service
//! paths and the operator's booking settings and lodging types.

use reqwest::Method;
use serde_json::Value;

use super::{Reply, TestApp};

pub const SETTING: &str = "setting/v1/setting_service.swagger.json";

impl TestApp {
    /// `/v1/setting/companies/{companyId}/<rest>` of company `index` of the fixtures.
    pub fn setting_path(&self, index: usize, rest: &str) -> String {
        format!(
            "/v1/setting/companies/{}/{rest}",
            self.seed.moego[index].company_id
        )
    }

    /// The `stf_` ID of the staff member of company `index` with this first name.
    pub async fn staff_id(&self, index: usize, first_name: &str) -> String {
        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM moego_staff WHERE company_id = $1 AND first_name = $2")
                .bind(self.company_raw_id(index))
                .bind(first_name)
                .fetch_one(self.state.db.conn().get().await.unwrap())
                .await
                .expect("a fixture staff member");
        self.state.ids.encode(moapi_core::IdKind::Staff, id)
    }

    /// Creates a service of company `index` as the company's key.
    pub async fn create_service(&self, index: usize, body: Value) -> Reply {
        self.moego_post(
            &self.moego_auth(index),
            &self.setting_path(index, "services"),
            body,
        )
        .await
    }

    /// Sets a business's booking settings through the operator API.
    pub async fn put_booking_settings(&self, business_id: &str, settings: Value) -> Reply {
        self.send(
            self.admin(
                Method::PUT,
                &format!("/moego/businesses/{business_id}/booking-settings"),
            )
            .json(&settings),
        )
        .await
    }

    /// Creates a lodging type with its units through the operator API.
    pub async fn create_lodging_type(&self, business_id: &str, lodging: Value) -> Reply {
        self.send(
            self.admin(
                Method::POST,
                &format!("/moego/businesses/{business_id}/lodging-types"),
            )
            .json(&lodging),
        )
        .await
    }
}
