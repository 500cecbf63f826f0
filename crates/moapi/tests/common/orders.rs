//! Helpers of the order and payment tests: business tax settings, operator sales, payments,
//! refunds and discounts, and moving an order's lastUpdatedTime to spread orders over weeks.

use moapi_core::IdKind;
use reqwest::Method;
use serde_json::{json, Value};

use super::{Reply, TestApp};

pub const ORDER: &str = "order/v1/order_service.swagger.json";
pub const PAYMENT: &str = "payment/v1/payment_service.swagger.json";

impl TestApp {
    /// Business `business` (a `bus_` ID) charges `rate` percent tax in USD.
    pub async fn set_business_tax(&self, company: usize, business: &str, rate: &str) {
        let business = self.state.ids.decode(IdKind::Business, business).unwrap();
        sqlx::query(
            "INSERT INTO moego_business_settings (business_id, company_id, currency_code, \
             tax_rate, tax_name, updated_at) VALUES ($1, $2, 'USD', $3, 'Sales tax', 0)",
        )
        .bind(business)
        .bind(self.company_raw_id(company))
        .bind(rate)
        .execute(self.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    }

    /// POSTs to the operator API.
    pub async fn operator_post(&self, path: &str, body: Value) -> Reply {
        self.send(self.admin(Method::POST, path).json(&body)).await
    }

    /// A sale of company `company` through the operator API: lines of `(name, unit price,
    /// quantity)`; returns the `ord_` ID.
    pub async fn create_sale(
        &self,
        company: usize,
        business: &str,
        customer: &str,
        lines: &[(&str, &str, i64)],
    ) -> String {
        let company_id = self.seed.moego[company].company_id.clone();
        let lines: Vec<Value> = lines
            .iter()
            .map(|(name, price, quantity)| {
                json!({"name": name, "unitPrice": price, "quantity": quantity})
            })
            .collect();
        let reply = self
            .operator_post(
                &format!("/moego/companies/{company_id}/orders"),
                json!({"businessId": business, "customerId": customer, "title": "Sale", "lines": lines}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body["orderId"].as_str().unwrap().to_string()
    }

    pub async fn pay(&self, order: &str, amount: &str) -> Reply {
        self.operator_post(
            &format!("/moego/orders/{order}/payments"),
            json!({"amount": amount, "method": "cash"}),
        )
        .await
    }

    pub async fn refund(&self, payment: &str, amount: &str) -> Reply {
        self.operator_post(
            &format!("/moego/payments/{payment}/refunds"),
            json!({"amount": amount, "reason": "customer_request"}),
        )
        .await
    }

    /// Sets an order's last update (microseconds), as time passing would.
    pub async fn set_order_updated_at(&self, order: &str, micros: i64) {
        let id = self.state.ids.decode(IdKind::Order, order).unwrap();
        sqlx::query("UPDATE moego_orders SET updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(micros)
            .execute(self.state.db.conn().get().await.unwrap())
            .await
            .unwrap();
    }
}

/// A wire Money: `(units, nanos)` in USD, zero parts left out as protojson does.
pub fn usd(units: i64, nanos: i32) -> Value {
    let mut money = json!({"currencyCode": "USD"});
    if units != 0 {
        money["units"] = json!(units.to_string());
    }
    if nanos != 0 {
        money["nanos"] = json!(nanos);
    }
    money
}
