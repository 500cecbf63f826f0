//! Helpers of the appointment and block tests: catalog rows (services, business settings,
//! closed dates, lodgings) written straight into the database, since their CRUD belongs to
//! another resource, and a booked customer with pets to book.

use moapi_core::time::now_micros;
use moapi_core::IdKind;
use moapi_moego::setting::service::wire::ServiceFilters;
use serde_json::{json, Value};

use super::{Reply, TestApp};

pub const APPOINTMENT: &str = "appointment/v1/appointment_service.swagger.json";
pub const BLOCK: &str = "block/v1/block_service.swagger.json";

/// A catalog service as the tests need it; `None` lists mean "available everywhere".
pub struct ServiceSpec<'a> {
    pub name: &'a str,
    pub price: &'a str,
    pub minutes: i64,
    pub item_type: &'a str,
    pub businesses: Option<Vec<i64>>,
    pub staff: Option<Vec<i64>>,
}

impl Default for ServiceSpec<'_> {
    fn default() -> Self {
        ServiceSpec {
            name: "Full Groom",
            price: "40",
            minutes: 60,
            item_type: "GROOMING",
            businesses: None,
            staff: None,
        }
    }
}

impl TestApp {
    /// The raw ID of business `business` of company `company` in the fixtures.
    pub fn business_raw_id(&self, company: usize, business: usize) -> i64 {
        self.state
            .ids
            .decode(
                IdKind::Business,
                &self.seed.moego[company].business_ids[business],
            )
            .unwrap()
    }

    pub fn business_id(&self, company: usize, business: usize) -> String {
        self.seed.moego[company].business_ids[business].clone()
    }

    /// The `stf_` ID and raw ID of the fixture staff member with this first name.
    pub async fn staff(&self, first_name: &str) -> (String, i64) {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM moego_staff WHERE first_name = $1")
            .bind(first_name)
            .fetch_one(self.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
        (self.state.ids.encode(IdKind::Staff, id), id)
    }

    /// A service of company `company`; returns its `srv_` ID.
    pub async fn insert_service(&self, company: usize, spec: ServiceSpec<'_>) -> String {
        let ids_json = |ids: &Option<Vec<i64>>| {
            serde_json::to_string(&ids.clone().unwrap_or_default()).unwrap()
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_services (company_id, name, category, service_item_type, price, \
             currency_code, duration_minutes, available_all_business, available_business_ids, \
             available_all_staff, available_staff_ids, filters, created_at, updated_at) \
             VALUES ($1, $2, 'Grooming', $3, $4, 'USD', $5, $6, $7, $8, $9, $10, $11, $11) \
             RETURNING id",
        )
        .bind(self.company_raw_id(company))
        .bind(spec.name)
        .bind(spec.item_type)
        .bind(spec.price)
        .bind(spec.minutes)
        .bind(i64::from(spec.businesses.is_none()))
        .bind(ids_json(&spec.businesses))
        .bind(i64::from(spec.staff.is_none()))
        .bind(ids_json(&spec.staff))
        // What the API and the operator store for a service without filters: every pet.
        .bind(serde_json::to_string(&ServiceFilters::default()).unwrap())
        .bind(now_micros())
        .fetch_one(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
        self.state.ids.encode(IdKind::Service, id)
    }

    /// Sets a business's tax rate (percent) in USD.
    pub async fn set_tax_rate(&self, company: usize, business: usize, rate: &str) {
        sqlx::query(
            "INSERT INTO moego_business_settings (business_id, company_id, tax_rate, updated_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(self.business_raw_id(company, business))
        .bind(self.company_raw_id(company))
        .bind(rate)
        .bind(now_micros())
        .execute(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    }

    pub async fn insert_closed_dates(&self, company: usize, business: usize, from: &str, to: &str) {
        sqlx::query(
            "INSERT INTO moego_closed_dates (company_id, business_id, start_date, end_date, \
             created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(self.company_raw_id(company))
        .bind(self.business_raw_id(company, business))
        .bind(from)
        .bind(to)
        .bind(now_micros())
        .execute(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    }

    /// A lodging type holding `max_pets` with one unit; returns the unit's `lodgu_` ID.
    pub async fn insert_lodging_unit(
        &self,
        company: usize,
        business: usize,
        max_pets: i64,
    ) -> String {
        let (company_id, business_id) = (
            self.company_raw_id(company),
            self.business_raw_id(company, business),
        );
        let (type_id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_lodging_types (company_id, business_id, name, max_pet_num, \
             created_at) VALUES ($1, $2, 'Suite', $3, $4) RETURNING id",
        )
        .bind(company_id)
        .bind(business_id)
        .bind(max_pets)
        .bind(now_micros())
        .fetch_one(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
        let (unit_id,): (i64,) = sqlx::query_as(
            "INSERT INTO moego_lodging_units (company_id, business_id, lodging_type_id, name) \
             VALUES ($1, $2, $3, 'Suite 1') RETURNING id",
        )
        .bind(company_id)
        .bind(business_id)
        .bind(type_id)
        .fetch_one(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
        self.state.ids.encode(IdKind::LodgingUnit, unit_id)
    }

    /// A pet of a customer, created through the API; returns its `pet_` ID.
    pub async fn create_pet(&self, auth: &str, customer: &str, name: &str) -> String {
        let reply = self
            .moego_post(
                auth,
                &format!("/v1/customers/{customer}/pets"),
                json!({"pet": {"name": name, "type": "DOG", "breed": "Poodle"}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["pet"]["id"].as_str().unwrap().to_string()
    }

    /// The MoeGo events of these types in the outbox, oldest first.
    pub async fn appointment_events(&self) -> Vec<(String, Value)> {
        self.moego_events()
            .await
            .into_iter()
            .filter(|(kind, _)| kind.starts_with("APPOINTMENT_"))
            .collect()
    }

    pub async fn book(&self, auth: &str, body: Value) -> Reply {
        self.moego_post(auth, "/v1/appointments", body).await
    }
}

/// A create body: one pet, one service at `start` with `staff`, conflicts checked.
pub fn booking(
    business: &str,
    customer: &str,
    pet: &str,
    service: &str,
    staff: &str,
    start: &str,
) -> Value {
    json!({
        "businessId": business,
        "customerId": customer,
        "ignoreConflict": false,
        "petServices": [{"petId": pet, "services": [
            {"id": service, "duration": {"startTime": start}, "staffIds": [staff]}
        ]}],
    })
}
