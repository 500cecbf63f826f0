//! Helpers of the pet, lead and client-lookup tests: customers and company settings to hang
//! pets on, the PUT/DELETE verbs, and the MoeGo events a test's writes left in the outbox.

use moapi_core::IdKind;
use moapi_moego::customer::store::{self as customers, NewCustomer};
use reqwest::Method;
use serde_json::Value;

use super::{Reply, TestApp};

pub const PET: &str = "customer/v1/pet_service.swagger.json";
pub const LEAD: &str = "customer/v1/lead_service.swagger.json";
pub const AGGREGATION: &str = "aggregation/v1/aggregation_service.swagger.json";

impl TestApp {
    /// The raw row ID behind company `index` of the fixtures.
    pub fn company_raw_id(&self, index: usize) -> i64 {
        self.state
            .ids
            .decode(IdKind::Company, &self.seed.moego[index].company_id)
            .expect("a seeded company ID decodes")
    }

    /// A customer of company `index` (phone already E.164), stored as the customer store
    /// writes it; returns its `cus_` ID.
    pub async fn insert_customer(&self, index: usize, first_name: &str, phone: &str) -> String {
        let mut conn = self.state.db.conn().detach().await.unwrap();
        let row = customers::insert(
            &mut conn,
            &NewCustomer {
                first_name: first_name.into(),
                phone: phone.into(),
                ..NewCustomer::new(self.company_raw_id(index))
            },
        )
        .await
        .expect("insert a customer");
        self.state.ids.encode(IdKind::Customer, row.id)
    }

    /// A pet code of company `index`, created through the operator API.
    pub async fn create_pet_code(&self, index: usize, abbreviation: &str) -> String {
        let company = &self.seed.moego[index].company_id;
        let reply = self
            .send(
                self.admin(
                    Method::POST,
                    &format!("/moego/companies/{company}/pet-codes"),
                )
                .json(&serde_json::json!({
                    "abbreviation": abbreviation,
                    "description": format!("{abbreviation} description"),
                    "color": "#FF0000",
                })),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body["petCodeId"].as_str().unwrap().to_string()
    }

    pub async fn moego_request(
        &self,
        method: Method,
        auth: &str,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("authorization", auth);
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    /// Every MoeGo event in the outbox, oldest first: `(type, envelope)`.
    pub async fn moego_events(&self) -> Vec<(String, Value)> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT event_type, payload FROM outbox_events WHERE product = 'moego' ORDER BY id",
        )
        .fetch_all(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
        rows.into_iter()
            .map(|(kind, payload)| (kind, serde_json::from_str(&payload).unwrap()))
            .collect()
    }

    /// How many rows a table holds (to prove a refused write left nothing).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
        count
    }
}
