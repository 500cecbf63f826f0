//! MoeGo packages and retail (PackageService, RetailService) over HTTP: fidelity of the four
//! lists to the vendor swagger, pages, business restriction, `soldQuantity` and remaining
//! quantities following sales and redemptions, order totals reflecting a redemption to the
//! cent, refusals that change nothing (nothing left, expired, beyond the stock), redemption at
//! booking, and concurrent sales and redemptions that never exceed stock or package.

mod common;

use common::fidelity::assert_moego;
use common::orders::{usd, ORDER};
use common::{Reply, TestApp};
use moapi::fixtures::Fixtures;
use moapi::operator::{self, MoegoKeyRequest};
use moapi_core::IdKind;
use reqwest::Method;
use serde_json::{json, Value};

const PACKAGE: &str = "package/v1/package_service.swagger.json";
const RETAIL: &str = "retail/v1/retail_service.swagger.json";

/// A shop: company A's key, its first business (8.25 % tax), a customer and a 40.00 service.
struct Shop {
    app: TestApp,
    auth: String,
    company: String,
    business: String,
    customer: String,
    service: String,
}

async fn shop() -> Shop {
    let app = common::spawn().await;
    let business = app.seed.moego[0].business_ids[0].clone();
    app.set_business_tax(0, &business, "8.25").await;
    let customer = app.insert_customer(0, "Ann", "+12125550001").await;
    let service = app
        .insert_service(
            0,
            common::booking::ServiceSpec {
                name: "Bath",
                ..Default::default()
            },
        )
        .await;
    Shop {
        auth: app.moego_auth(0),
        company: app.seed.moego[0].company_id.clone(),
        app,
        business,
        customer,
        service,
    }
}

fn created(reply: &Reply, member: &str) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body[member].as_str().unwrap().to_string()
}

impl Shop {
    /// A catalog package of `quantity` × the shop's service at 150.
    async fn package(&self, name: &str, quantity: i64, expiration_days: i64) -> String {
        let reply = self
            .app
            .operator_post(
                &format!("/moego/businesses/{}/packages", self.business),
                json!({"name": name, "description": "Prepaid baths", "price": "150",
                       "items": [{"quantity": quantity, "services": [self.service]}],
                       "expirationDays": expiration_days, "revenueCategoryName": "Packages"}),
            )
            .await;
        created(&reply, "packageId")
    }

    async fn product(&self, name: &str, stock: i64) -> String {
        let reply = self
            .app
            .operator_post(
                &format!("/moego/businesses/{}/products", self.business),
                json!({"name": name, "sku": "SKU-1", "barcode": "0001", "categoryName": "Care",
                       "supplier": {"name": "PetPro", "email": "orders@petpro.example"},
                       "supplyPrice": "4", "retailPrice": "12.5", "specialPrice": "9.99",
                       "enableStaffCommission": true, "stock": stock}),
            )
            .await;
        created(&reply, "productId")
    }

    async fn sell(&self, customer: &str, lines: Value) -> Reply {
        self.app
            .operator_post(
                &format!("/moego/companies/{}/orders", self.company),
                json!({"businessId": self.business, "customerId": customer, "lines": lines}),
            )
            .await
    }

    /// Sells one catalog package to the shop's customer; answers its `cpk_` ID.
    async fn buy(&self, package: &str) -> String {
        created(
            &self
                .sell(&self.customer, json!([{"packageId": package}]))
                .await,
            "orderId",
        );
        let listed = self.customer_packages(&self.auth).await;
        listed.body["packages"].as_array().unwrap().last().unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// An order of the shop's service and 12.25 of nails; answers it and its service line.
    async fn service_order(&self) -> (String, String) {
        let order = created(
            &self
                .sell(
                    &self.customer,
                    json!([{"name": "Bath", "unitPrice": "40", "serviceId": self.service},
                           {"name": "Nails", "unitPrice": "12.25"}]),
                )
                .await,
            "orderId",
        );
        let items = self
            .app
            .moego_post(
                &self.auth,
                "/v1/orders/items:list",
                json!({"companyId": self.company, "filter": {"orderIds": [order]}}),
            )
            .await;
        let line = items.body["orderLineItems"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        (order, line)
    }

    async fn redeem(&self, order: &str, package: &str, line: &str) -> Reply {
        self.app
            .operator_post(
                &format!("/moego/orders/{order}/redeem-packages"),
                json!({"packageId": package, "orderLineItemId": line}),
            )
            .await
    }

    async fn customer_packages(&self, auth: &str) -> Reply {
        self.app
            .moego_post(
                auth,
                "/v1/packages:list",
                json!({"companyId": self.company, "businessId": self.business,
                       "customerId": self.customer, "pagination": {"pageSize": 100}}),
            )
            .await
    }

    async fn details(&self, packages: &[&str]) -> Value {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/packages/details:list",
                json!({"companyId": self.company, "businessId": self.business,
                       "packageIds": packages, "pagination": {"pageSize": 100}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(PACKAGE, "v1ListPackageDetailsResponse", &reply.body);
        reply.body
    }

    async fn catalog(&self, page: Value) -> Reply {
        self.app
            .moego_post(
                &self.auth,
                "/v1/retail/packages:list",
                json!({"companyId": self.company, "businessIds": [self.business],
                       "pagination": page}),
            )
            .await
    }

    async fn products(&self) -> Value {
        let reply = self
            .app
            .moego_post(
                &self.auth,
                "/v1/retail/products:list",
                json!({"companyId": self.company, "businessIds": [self.business],
                       "pagination": {"pageSize": 100}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_moego(RETAIL, "v1ListProductsResponse", &reply.body);
        reply.body
    }

    async fn order(&self, order: &str) -> Value {
        let reply = self
            .app
            .moego_get(&self.auth, &format!("/v1/orders/{order}"))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body
    }

    /// What is left of the package's only service.
    async fn remaining(&self, package: &str) -> Value {
        self.details(&[package]).await["packageDetails"][0]["packageServices"][0]
            ["remainingQuantity"]
            .clone()
    }
}

/// Sends operator POSTs all at once.
async fn concurrently(app: &TestApp, posts: Vec<(String, Value)>) -> Vec<Reply> {
    let mut calls = tokio::task::JoinSet::new();
    for (path, body) in posts {
        let request = app.admin(Method::POST, &path).json(&body);
        calls.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            Reply {
                status,
                body: serde_json::from_str(&text).unwrap_or(Value::Null),
                text,
            }
        });
    }
    calls.join_all().await
}

fn code(reply: &Reply) -> (u16, i64) {
    (
        reply.status,
        reply.body["code"].as_i64().unwrap_or_default(),
    )
}

#[tokio::test]
async fn the_catalog_is_listed_as_the_vendor_shapes_it_page_by_page() {
    let shop = shop().await;
    let baths = shop.package("5 Baths", 5, 365).await;
    shop.package("Forever Bath", 1, 99_999_999).await;
    shop.package("10 Baths", 10, 30).await;

    let first = shop.catalog(json!({"pageSize": 2})).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_moego(RETAIL, "businessretailv1ListPackagesResponse", &first.body);
    assert_eq!(first.body["nextPageToken"], "2");
    let package = &first.body["packages"][0];
    assert_eq!(package["id"], baths.as_str());
    assert_eq!(package["companyId"], shop.company.as_str());
    assert_eq!(package["businessId"], shop.business.as_str());
    assert_eq!(package["price"], usd(150, 0));
    assert_eq!(package["totalValue"], usd(200, 0), "5 × 40");
    assert_eq!(package["taxRate"], 0.0825);
    assert_eq!(package["expirationDays"], 365);
    assert_eq!(package["isActive"], true);
    assert_eq!(package["revenueCategoryName"], "Packages");
    assert!(package.get("soldQuantity").is_none(), "none sold yet");
    assert_eq!(
        package["items"],
        json!([{"quantity": 5, "services": [
            {"serviceId": shop.service, "unitPrice": usd(40, 0), "name": "Bath"}]}])
    );
    assert_eq!(first.body["packages"][1]["expirationDays"], 99_999_999);

    let second = shop.catalog(json!({"pageSize": 2, "pageToken": "2"})).await;
    assert_moego(RETAIL, "businessretailv1ListPackagesResponse", &second.body);
    assert_eq!(second.body["packages"].as_array().unwrap().len(), 1);
    assert!(second.body["nextPageToken"]
        .as_str()
        .unwrap_or("")
        .is_empty());
}

#[tokio::test]
async fn products_show_their_supplier_prices_and_stock() {
    let shop = shop().await;
    let shampoo = shop.product("Shampoo", 7).await;
    let body = shop.products().await;
    let product = &body["products"][0];
    assert_eq!(product["id"], shampoo.as_str());
    assert_eq!(product["businessId"], shop.business.as_str());
    assert_eq!(product["sku"], "SKU-1");
    assert_eq!(product["retailPrice"], usd(12, 500_000_000));
    assert_eq!(product["specialPrice"], usd(9, 990_000_000));
    assert_eq!(product["supplyPrice"], usd(4, 0));
    assert_eq!(product["taxRate"], 0.0825);
    assert_eq!(product["stock"], 7);
    assert_eq!(product["enableStaffCommission"], true);
    assert_eq!(product["supplier"]["name"], "PetPro");
    assert!(product["supplier"]["id"]
        .as_str()
        .unwrap()
        .starts_with("sup_"));

    // A second product of the same supplier reuses it.
    shop.product("Conditioner", 2).await;
    let body = shop.products().await;
    assert_eq!(
        body["products"][0]["supplier"]["id"],
        body["products"][1]["supplier"]["id"]
    );
    let restocked = shop
        .app
        .operator_post(
            &format!("/moego/products/{shampoo}/stock"),
            json!({"delta": 5}),
        )
        .await;
    assert_eq!(restocked.status, 200, "{}", restocked.text);
    assert_eq!(restocked.body["stock"], 12);
    let below = shop
        .app
        .operator_post(
            &format!("/moego/products/{shampoo}/stock"),
            json!({"delta": -13}),
        )
        .await;
    assert_eq!(below.status, 400, "{}", below.text);
    assert_eq!(shop.products().await["products"][0]["stock"], 12);
}

#[tokio::test]
async fn a_sale_takes_stock_and_one_beyond_it_is_refused_writing_nothing() {
    let shop = shop().await;
    let shampoo = shop.product("Shampoo", 3).await;
    let sold = shop
        .sell(
            &shop.customer,
            json!([{"productId": shampoo, "quantity": 2}]),
        )
        .await;
    let order = created(&sold, "orderId");
    // Two at the special price 9.99 and 8.25 % tax: 19.98 + 1.65.
    assert_eq!(
        shop.order(&order).await["totalAmount"],
        usd(21, 630_000_000)
    );
    assert_eq!(shop.products().await["products"][0]["stock"], 1);
    let items = shop
        .app
        .moego_post(
            &shop.auth,
            "/v1/orders/items:list",
            json!({"companyId": shop.company, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_moego(ORDER, "v1ListOrderLineItemsResponse", &items.body);
    assert_eq!(items.body["orderLineItems"][0]["objectType"], "PRODUCT");
    assert_eq!(
        items.body["orderLineItems"][0]["objectId"],
        shampoo.as_str()
    );
    assert_eq!(items.body["orderLineItems"][0]["name"], "Shampoo");

    let orders = shop.app.count_rows("moego_orders").await;
    let beyond = shop
        .sell(
            &shop.customer,
            json!([{"name": "Brush", "unitPrice": "5"}, {"productId": shampoo, "quantity": 2}]),
        )
        .await;
    assert_eq!(beyond.status, 400, "{}", beyond.text);
    assert!(
        beyond.text.contains("lines[1].quantity") && beyond.text.contains("1 in stock"),
        "{}",
        beyond.text
    );
    assert_eq!(shop.app.count_rows("moego_orders").await, orders);
    assert_eq!(shop.products().await["products"][0]["stock"], 1);
}

#[tokio::test]
async fn a_sold_package_is_the_customers_with_its_services_and_counts_as_sold() {
    let shop = shop().await;
    let baths = shop.package("5 Baths", 5, 365).await;
    let sold = shop
        .sell(&shop.customer, json!([{"packageId": baths, "quantity": 2}]))
        .await;
    let order = created(&sold, "orderId");
    // 2 × 150 and 8.25 % tax.
    assert_eq!(
        shop.order(&order).await["totalAmount"],
        usd(324, 750_000_000)
    );
    let catalog = shop.catalog(json!({"pageSize": 10})).await;
    assert_eq!(catalog.body["packages"][0]["soldQuantity"], 2);

    let listed = shop.customer_packages(&shop.auth).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_moego(
        PACKAGE,
        "businesspackagev1ListPackagesResponse",
        &listed.body,
    );
    let packages = listed.body["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2);
    let package = &packages[0];
    assert_eq!(package["customerId"], shop.customer.as_str());
    assert_eq!(package["businessId"], shop.business.as_str());
    assert_eq!(package["cartPackageId"], baths.as_str());
    assert_eq!(package["packageName"], "5 Baths");
    assert_eq!(package["packagePrice"], usd(150, 0));
    assert_eq!(package["status"], 1);
    assert_eq!(package["totalRemainingQuantity"], 5);
    assert!(package.get("used").is_none());
    assert_eq!(package["purchaseTime"], package["startTime"]);
    let expiration = package["expirationDate"].as_str().unwrap();
    assert_eq!(expiration.len(), 10, "yyyy-MM-dd: {expiration}");
    assert!(package["endTime"]
        .as_str()
        .unwrap()
        .starts_with(&expiration[..4]));

    let id = package["id"].as_str().unwrap();
    let details = shop.details(&[id]).await;
    let detail = &details["packageDetails"][0];
    assert_eq!(detail["packageInfo"], *package);
    assert_eq!(
        detail["packageServices"][0]["services"],
        json!([{"serviceId": shop.service, "unitPrice": usd(40, 0), "name": "Bath"}])
    );
    assert_eq!(detail["packageServices"][0]["packageId"], id);
    assert_eq!(detail["packageServices"][0]["totalQuantity"], 5);
    assert_eq!(detail["packageServices"][0]["remainingQuantity"], 5);

    // Never expiring: the vendor's date, and no end.
    let forever = shop.package("Forever Bath", 1, 99_999_999).await;
    let kept = shop.buy(&forever).await;
    let detail = &shop.details(&[&kept]).await["packageDetails"][0]["packageInfo"];
    assert_eq!(detail["expirationDate"], "9999-01-01");
    assert!(detail.get("endTime").is_none());
}

#[tokio::test]
async fn a_redemption_takes_from_the_package_and_the_covered_service_off_the_total() {
    let shop = shop().await;
    let baths = shop.package("5 Baths", 5, 365).await;
    let package = shop.buy(&baths).await;
    let (order, line) = shop.service_order().await;
    // 40 + 12.25, taxed 3.30 + 1.01.
    assert_eq!(
        shop.order(&order).await["totalAmount"],
        usd(56, 560_000_000)
    );

    let redeemed = shop.redeem(&order, &package, &line).await;
    created(&redeemed, "redeemPackageId");
    let billed = shop.order(&order).await;
    assert_eq!(
        billed["totalAmount"],
        usd(13, 260_000_000),
        "the bath and its tax"
    );
    assert_eq!(billed["subTotalAmount"], usd(52, 250_000_000));
    assert_eq!(billed["taxAmount"], usd(4, 310_000_000));
    assert_eq!(billed["remainAmount"], usd(13, 260_000_000));
    assert_eq!(shop.remaining(&package).await, 4);
    let listed = shop.customer_packages(&shop.auth).await;
    assert_eq!(listed.body["packages"][0]["used"], true);
    assert_eq!(listed.body["packages"][0]["totalRemainingQuantity"], 4);

    let usage = shop
        .app
        .moego_post(
            &shop.auth,
            "/v1/orders/redeemPackages:list",
            json!({"companyId": shop.company, "filter": {"orderIds": [order]}}),
        )
        .await;
    assert_eq!(usage.status, 200, "{}", usage.text);
    assert_moego(ORDER, "v1ListOrderRedeemPackagesResponse", &usage.body);
    let details = shop.details(&[&package]).await;
    let item = &details["packageDetails"][0]["packageServices"][0];
    let row = &usage.body["orderRedeemPackages"][0];
    assert_eq!(row["packageId"], package.as_str());
    assert_eq!(row["packageServiceId"], item["id"]);
    assert_eq!(row["orderLineItemId"], line.as_str());
    assert_eq!(row["serviceId"], shop.service.as_str());
    assert_eq!(row["packageName"], "5 Baths");
    assert_eq!(row["serviceName"], "Bath");
    assert_eq!(row["servicePrice"], usd(40, 0));
    assert_eq!(row["quantity"], 1);

    // The line is covered: a second redemption of it is refused and takes nothing.
    let again = shop.redeem(&order, &package, &line).await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert_eq!(shop.remaining(&package).await, 4);

    // Paid in full, an order cannot lose what a package would cover.
    let (paid, paid_line) = shop.service_order().await;
    created(&shop.app.pay(&paid, "56.56").await, "paymentId");
    let below_paid = shop.redeem(&paid, &package, &paid_line).await;
    assert_eq!(below_paid.status, 400, "{}", below_paid.text);
    assert_eq!(shop.remaining(&package).await, 4);
    assert_eq!(shop.app.count_rows("moego_order_redeem_packages").await, 1);
}

#[tokio::test]
async fn nothing_left_expired_or_someone_elses_package_is_refused() {
    let shop = shop().await;
    let single = shop.package("One Bath", 1, 365).await;
    let package = shop.buy(&single).await;
    let (first, first_line) = shop.service_order().await;
    created(
        &shop.redeem(&first, &package, &first_line).await,
        "redeemPackageId",
    );
    let (second, second_line) = shop.service_order().await;
    let empty = shop.redeem(&second, &package, &second_line).await;
    assert_eq!(empty.status, 400, "{}", empty.text);
    assert!(empty.text.contains("remains"), "{}", empty.text);
    assert_eq!(
        shop.order(&second).await["totalAmount"],
        usd(56, 560_000_000)
    );

    let expiring = shop.buy(&single).await;
    let raw = shop
        .app
        .state
        .ids
        .decode(IdKind::CustomerPackage, &expiring)
        .unwrap();
    sqlx::query("UPDATE moego_customer_packages SET expires_at = 1 WHERE id = $1")
        .bind(raw)
        .execute(shop.app.state.db.conn().get().await.unwrap())
        .await
        .unwrap();
    let expired = shop.redeem(&second, &expiring, &second_line).await;
    assert_eq!(expired.status, 400, "{}", expired.text);
    assert!(expired.text.contains("expired"), "{}", expired.text);
    let listed = shop.details(&[&expiring]).await;
    assert_eq!(listed["packageDetails"][0]["packageInfo"]["status"], 2);

    // Another customer's order cannot use Ann's package.
    let bob = shop.app.insert_customer(0, "Bob", "+12125550002").await;
    let bobs = created(
        &shop
            .sell(
                &bob,
                json!([{"name": "Bath", "unitPrice": "40", "serviceId": shop.service}]),
            )
            .await,
        "orderId",
    );
    let others = shop
        .app
        .operator_post(
            &format!("/moego/orders/{bobs}/redeem-packages"),
            json!({"packageId": package, "serviceId": shop.service}),
        )
        .await;
    assert_eq!(others.status, 400, "{}", others.text);
    assert_eq!(shop.app.count_rows("moego_order_redeem_packages").await, 1);
}

#[tokio::test]
async fn booking_a_covered_service_redeems_the_customers_package() {
    let shop = shop().await;
    let baths = shop.package("5 Baths", 5, 365).await;
    let package = shop.buy(&baths).await;
    let pet = shop.app.create_pet(&shop.auth, &shop.customer, "Rex").await;
    let (staff, _) = shop.app.staff("Ann").await;
    let body = common::booking::booking(
        &shop.business,
        &shop.customer,
        &pet,
        &shop.service,
        &staff,
        "2030-01-07T14:00:00Z",
    );
    let booked = shop.app.book(&shop.auth, body).await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    assert_eq!(booked.body["totalAmount"], usd(0, 0), "{}", booked.text);
    let order = booked.body["orderId"].as_str().unwrap();
    assert_eq!(shop.order(order).await["totalAmount"], usd(0, 0));
    assert_eq!(shop.remaining(&package).await, 4);

    // A customer holding no package pays for the service.
    let bob = shop.app.insert_customer(0, "Bob", "+12125550002").await;
    let bobs_pet = shop.app.create_pet(&shop.auth, &bob, "Max").await;
    let body = common::booking::booking(
        &shop.business,
        &bob,
        &bobs_pet,
        &shop.service,
        &staff,
        "2030-01-08T14:00:00Z",
    );
    let booked = shop.app.book(&shop.auth, body).await;
    assert_eq!(booked.status, 200, "{}", booked.text);
    assert_eq!(booked.body["totalAmount"], usd(43, 300_000_000));
    assert_eq!(shop.remaining(&package).await, 4);
}

#[tokio::test]
async fn keys_reach_only_their_businesses_and_scopes() {
    let shop = shop().await;
    let baths = shop.package("5 Baths", 5, 365).await;
    let package = shop.buy(&baths).await;
    let limited = shop
        .app
        .issue_moego_key(MoegoKeyRequest {
            company: shop.company.clone(),
            businesses: vec![shop.app.seed.moego[0].business_ids[1].clone()],
            scopes: vec![],
            allowed_ips: vec![],
            name: None,
        })
        .await;
    let auth = &limited.authorization;
    assert_eq!(code(&shop.customer_packages(auth).await), (403, 7));
    let details = shop
        .app
        .moego_post(
            auth,
            "/v1/packages/details:list",
            json!({"companyId": shop.company, "businessId": shop.business,
                   "packageIds": [package], "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(code(&details), (403, 7));
    for path in ["/v1/retail/packages:list", "/v1/retail/products:list"] {
        let reply = shop
            .app
            .moego_post(
                auth,
                path,
                json!({"companyId": shop.company, "businessIds": [shop.business],
                       "pagination": {"pageSize": 10}}),
            )
            .await;
        assert_eq!(code(&reply), (403, 7), "{path}");
    }
    let retail_only = shop
        .app
        .issue_moego_key(MoegoKeyRequest {
            company: shop.company.clone(),
            businesses: vec![],
            scopes: vec!["retail:read".into()],
            allowed_ips: vec![],
            name: None,
        })
        .await;
    assert_eq!(
        code(&shop.customer_packages(&retail_only.authorization).await),
        (403, 7)
    );
    // Another company's key.
    let beta = shop.app.moego_auth(1);
    assert_eq!(code(&shop.customer_packages(&beta).await), (403, 7));
    // A package bought at another business shows nothing at this one.
    let elsewhere = shop
        .app
        .moego_post(
            &shop.auth,
            "/v1/packages/details:list",
            json!({"companyId": shop.company,
                   "businessId": shop.app.seed.moego[0].business_ids[1],
                   "packageIds": [package], "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.text);
    assert_eq!(elsewhere.body["packageDetails"], json!([]));
}

#[tokio::test]
async fn twenty_concurrent_sales_of_five_in_stock_sell_exactly_five() {
    let shop = shop().await;
    let treats = shop.product("Treats", 5).await;
    let sale = (
        format!("/moego/companies/{}/orders", shop.company),
        json!({"businessId": shop.business, "customerId": shop.customer,
               "lines": [{"productId": treats}]}),
    );
    let replies = concurrently(&shop.app, vec![sale; 20]).await;
    let sold = replies.iter().filter(|reply| reply.status == 201).count();
    let refused = replies.iter().filter(|reply| reply.status == 400).count();
    assert_eq!((sold, refused), (5, 15));
    let product = &shop.products().await["products"][0];
    assert!(product.get("stock").is_none(), "none left: {product}");
}

#[tokio::test]
async fn twenty_concurrent_redemptions_of_five_left_redeem_exactly_five() {
    let shop = shop().await;
    let baths = shop.package("5 Baths", 5, 365).await;
    let package = shop.buy(&baths).await;
    let mut orders = Vec::new();
    for _ in 0..20 {
        orders.push(shop.service_order().await);
    }
    let redemptions = orders
        .iter()
        .map(|(order, line)| {
            (
                format!("/moego/orders/{order}/redeem-packages"),
                json!({"packageId": package, "orderLineItemId": line}),
            )
        })
        .collect();
    let replies = concurrently(&shop.app, redemptions).await;
    let redeemed = replies.iter().filter(|reply| reply.status == 201).count();
    assert_eq!(redeemed, 5);
    assert!(replies
        .iter()
        .all(|reply| reply.status == 201 || reply.status == 400));
    assert_eq!(shop.app.count_rows("moego_order_redeem_packages").await, 5);
    let left = shop.remaining(&package).await;
    assert!(left.is_null(), "nothing left: {left}");
}

#[tokio::test]
async fn fixture_sections_seed_the_catalog_products_and_sales_and_bookings_redeem() {
    let app = common::spawn().await;
    let base = "moego:\n- name: o\n  companies:\n  - name: c\n    country: US\n    businesses: [{name: b}]\n    staff: [{firstName: S, lastName: T, businesses: [b]}]\n    customers: [{firstName: A, lastName: B, phone: '+12125550100'}]\n    pets: [{owner: '+12125550100', name: P, type: DOG, breed: x}]\n    services: [{name: Groom, serviceItemType: GROOMING, price: '10', serviceTime: 30}]\n";
    let retail = "    packages:\n      b: [{name: Two Grooms, price: '18', items: [{quantity: 2, services: [Groom]}]}]\n    products:\n      b: [{name: Treats, retailPrice: '3', stock: 9, supplier: {name: Acme}}]\n";
    for (extra, needle) in [
        (
            "    packageSales: [{customer: A B, package: Nope, day: -1}]\n",
            "Nope",
        ),
        (
            "    packageSales: [{customer: Z Z, package: Two Grooms, day: -1}]\n",
            "Z Z",
        ),
        (
            "    packageSales: [{customer: A B, package: Two Grooms, day: 3}]\n",
            "day",
        ),
        ("    products:\n      nowhere: []\n", "nowhere"),
    ] {
        let fixtures = Fixtures::parse(&format!("{base}{retail}{extra}"))
            .or_else(|_| Fixtures::parse(&format!("{base}{extra}")))
            .unwrap();
        match operator::seed(&app.state, &mut app.state.db.conn(), fixtures).await {
            Err(operator::OperatorError::Invalid(message)) => {
                assert!(message.contains(needle), "{message}")
            }
            other => panic!("expected a refusal naming {needle:?}: {other:?}"),
        }
    }
    assert_eq!(app.count_rows("moego_retail_packages").await, 0);

    // Bought three weeks ago: before the appointment was booked (two weeks ahead of it).
    let sale = "    packageSales: [{customer: A B, package: Two Grooms, day: -20, payment: cash}]\n    appointments: [{business: b, customer: A B, day: 2, start: 600, pets: [{pet: P, services: [{service: Groom, staff: S T}]}]}]\n";
    let report = operator::seed(
        &app.state,
        &mut app.state.db.conn(),
        Fixtures::parse(&format!("{base}{retail}{sale}")).unwrap(),
    )
    .await
    .expect("the retail sections seed");
    let seeded = &report.moego[0];
    let (auth, company, business) = (
        &seeded.authorization,
        &seeded.company_id,
        &seeded.business_ids[0],
    );
    let catalog = app
        .moego_post(
            auth,
            "/v1/retail/packages:list",
            json!({"companyId": company, "businessIds": [business], "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(
        catalog.body["packages"][0]["soldQuantity"], 1,
        "{}",
        catalog.text
    );
    let products = app
        .moego_post(
            auth,
            "/v1/retail/products:list",
            json!({"companyId": company, "businessIds": [business], "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(products.body["products"][0]["stock"], 9);
    assert_eq!(products.body["products"][0]["supplier"]["name"], "Acme");
    let appointments = app
        .moego_post(
            auth,
            "/v1/appointments:list",
            json!({"companyId": company, "businessIds": [business], "pagination": {"pageSize": 10}}),
        )
        .await;
    let booked = &appointments.body["appointments"][0];
    assert_eq!(booked["totalAmount"], usd(0, 0), "the groom is covered");
    let customer = booked["customerId"].as_str().unwrap();
    let held = app
        .moego_post(
            auth,
            "/v1/packages:list",
            json!({"companyId": company, "businessId": business, "customerId": customer,
                   "pagination": {"pageSize": 10}}),
        )
        .await;
    assert_eq!(
        held.body["packages"][0]["totalRemainingQuantity"], 1,
        "{}",
        held.text
    );
    let orders = app
        .moego_post(
            auth,
            "/v1/orders:list",
            json!({"companyId": company, "businessIds": [business], "pagination": {"pageSize": 10}}),
        )
        .await;
    let sold = orders.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|order| order["totalAmount"] == usd(18, 0))
        .expect("the package sale's order");
    assert_eq!(sold["status"], "COMPLETED", "paid in cash");
}
